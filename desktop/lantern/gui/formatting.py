"""Small display helpers shared by the views (ages, sex, dates)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from lantern.domain.records import Sex


def format_age(age_years: float | None) -> str:
    if age_years is None:
        return QCoreApplication.translate("formatting", "age unknown")
    if age_years < 0:
        return QCoreApplication.translate("formatting", "age unknown")
    if age_years < 2:
        months = int(age_years * 12)
        if months < 1:
            days = int(age_years * 365.25)
            return QCoreApplication.translate("formatting", "%1 d").replace("%1", str(days))
        return QCoreApplication.translate("formatting", "%1 mo").replace("%1", str(months))
    return QCoreApplication.translate("formatting", "%1 y").replace("%1", str(int(age_years)))


def format_sex(sex: Sex | str | None) -> str:
    value = str(sex) if sex is not None else ""
    return {"male": QCoreApplication.translate("formatting", "Male"), "female": QCoreApplication.translate("formatting", "Female")}.get(value, QCoreApplication.translate("formatting", "Unknown"))


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M") if value.tzinfo else \
            value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
