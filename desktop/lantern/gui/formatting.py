"""Small display helpers shared by the views (ages, sex, dates)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from lantern.domain.ages import Age, AgeError, age_from_years
from lantern.domain.records import Sex


def _age_templates() -> dict[tuple[str, bool, bool], str]:
    """(unit, one, approximate) -> the translated text with %1 for the number."""
    return {
        ("day", True, False): QCoreApplication.translate("formatting", "%1 day"),
        ("day", False, False): QCoreApplication.translate("formatting", "%1 days"),
        ("month", True, False): QCoreApplication.translate("formatting", "%1 month"),
        ("month", False, False): QCoreApplication.translate("formatting", "%1 months"),
        ("year", True, False): QCoreApplication.translate("formatting", "%1 year"),
        ("year", False, False): QCoreApplication.translate("formatting", "%1 years"),
        ("year", True, True): QCoreApplication.translate("formatting", "about %1 year"),
        ("year", False, True): QCoreApplication.translate("formatting", "about %1 years"),
    }


def format_age(age: Age | float | None) -> str:
    """An age as clinicians read it (``lantern.domain.ages``): "12 days" under 2 months,
    "38 months" under 5 years, then "7 years"; in the interface language."""
    if isinstance(age, (int, float)) and not isinstance(age, bool):
        if float(age).is_integer() and age >= 1:
            # whole years (a birth year only, a note's "3 yr"): the months are not known
            age = Age(int(age), "year", approximate=age < 5)
        try:
            age = age if isinstance(age, Age) else age_from_years(float(age))
        except AgeError:
            age = None
    if not isinstance(age, Age):
        return QCoreApplication.translate("formatting", "age unknown")
    key = (age.unit, age.value == 1, age.approximate and age.unit == "year")
    return _age_templates()[key].replace("%1", str(age.value))


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
