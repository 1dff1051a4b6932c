"""Programme schedules (``resources/followup/schedules.toml``): ANC contacts, TB and ART
refills, malnutrition OTP visits, immunisation doses. Each programme cites its source;
``PROGRAMME_IDS`` is the registry of the ids the code names (a test compares it with
the data, so renaming an id in the file fails loudly)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from lantern.domain.errors import KnowledgeBaseError
from lantern.paths import resources_dir

PROGRAMME_IDS = ("anc", "tb", "hiv_art", "malnutrition_otp", "immunisation")
KINDS = ("interval", "gestation", "age")


def followup_dir() -> Path:
    """resources/followup: the schedules and the wording tables."""
    return resources_dir() / "followup"


@dataclass(frozen=True, slots=True)
class Dose:
    age_days: int
    vaccines: str


@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    name_en: str
    name_zh: str
    kind: str
    source: str
    interval_days: int = 0
    interval_months: int = 0
    contact_weeks: tuple[int, ...] = ()
    doses: tuple[Dose, ...] = ()

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError("no such month")  # pragma: no cover - 28 always exists


def read_schedules(path: Path | None = None) -> dict[str, Programme]:
    path = path or followup_dir() / "schedules.toml"
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(f"{path.name} cannot be read ({type(exc).__name__}).") from exc
    out: dict[str, Programme] = {}
    for item in raw.get("programme", []):
        pid = str(item.get("id", ""))
        where = f"{path.name}, programme '{pid}'"
        if pid in out:
            raise KnowledgeBaseError(f"{where}: listed twice.")
        if item.get("kind") not in KINDS:
            raise KnowledgeBaseError(f"{where}: kind must be one of {KINDS}.")
        if len(str(item.get("source", "")).strip()) < 20:
            raise KnowledgeBaseError(f"{where}: needs its source.")
        if not item.get("name_en") or not item.get("name_zh"):
            raise KnowledgeBaseError(f"{where}: needs name_en and name_zh.")
        programme = Programme(
            id=pid, name_en=item["name_en"], name_zh=item["name_zh"], kind=item["kind"],
            source=" ".join(str(item["source"]).split()),
            interval_days=int(item.get("interval_days", 0)),
            interval_months=int(item.get("interval_months", 0)),
            contact_weeks=tuple(int(w) for w in item.get("contact_weeks", [])),
            doses=tuple(Dose(int(d["age_days"]), str(d["vaccines"])) for d in item.get("dose", [])))
        if programme.kind == "interval" and (programme.interval_days <= 0) == (
                programme.interval_months <= 0):
            raise KnowledgeBaseError(f"{where}: give interval_days or interval_months.")
        if programme.kind == "gestation" and (not programme.contact_weeks or list(
                programme.contact_weeks) != sorted(set(programme.contact_weeks))):
            raise KnowledgeBaseError(f"{where}: contact_weeks must rise.")
        ages = [d.age_days for d in programme.doses]
        if programme.kind == "age" and (not ages or ages != sorted(set(ages))):
            raise KnowledgeBaseError(f"{where}: dose ages must rise.")
        out[pid] = programme
    if set(out) != set(PROGRAMME_IDS):
        raise KnowledgeBaseError(f"{path.name}: the programmes must be exactly "
                                 f"{', '.join(PROGRAMME_IDS)}.")
    return out


@cache
def load_schedules() -> dict[str, Programme]:
    return read_schedules()


@dataclass(frozen=True, slots=True)
class ScheduledVisit:
    due: date
    reason: str           # which contact or dose, in English ("ANC contact at 26 weeks")
    reason_zh: str


def next_visit(programme: Programme, *, visit: date, gestation_weeks: int | None = None,
               birth_date: date | None = None) -> ScheduledVisit | None:
    """The programme's next visit after ``visit``; None when the schedule needs a value
    it was not given (gestational age, birth date) or has no further visit."""
    if programme.kind == "interval":
        due = (add_months(visit, programme.interval_months) if programme.interval_months
               else visit + timedelta(days=programme.interval_days))
        return ScheduledVisit(due, programme.name_en, programme.name_zh)
    if programme.kind == "gestation":
        if gestation_weeks is None:
            return None
        for week in programme.contact_weeks:
            if week > gestation_weeks:
                return ScheduledVisit(visit + timedelta(weeks=week - gestation_weeks),
                                      f"ANC contact at {week} weeks",
                                      f"孕{week}周产前检查")
        return None
    if birth_date is None:
        return None
    for dose in programme.doses:
        due = birth_date + timedelta(days=dose.age_days)
        if due > visit:
            return ScheduledVisit(due, dose.vaccines, dose.vaccines)
    return None
