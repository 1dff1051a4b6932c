"""A child's age as clinicians read it: days under 2 months, months under 5 years,
years from 5 years (WHO IMCI). Pure functions; no I/O.

Why whole months up to 5 years ("38 months", not "3 years 2 months"): the WHO IMCI
chart booklet and its case recording form state every age band in months ("2 months
up to 12 months", "12 months up to 5 years"; "Age: ___ months"), and the WHO Child
Growth Standards and the EPI schedule are read by month too. A clinician looking up a
fast-breathing cut-off or a dose band compares the number shown with the row, no sum
in the head. Under 2 months (the IMCI "young infant") days matter (the first week,
the 7-59 days band), so days are shown.

The unit boundaries are the ones the clinical engine uses: ``age_years < 2/12`` is a
young infant (``lantern.clinical.language.vitals``), ``< 5`` a child under five. Ages
are counted in completed units (a baby 59 days old is "59 days", at 60 days "2
months"; "4 years 11 months" is "59 months"; a child 5 years old is "5 years").
Months are calendar months from the birth date when it is known; from a decimal age
(a note's "1.5 yr") they are ``years * 12`` rounded down.

Only the birth year known: the age is shown in years, "about 3 years" under five,
because the months are not known and must not be invented.

``age_years_for_rules`` is the decimal age the clinical engine receives for a birth
date: from 2 months it counts completed months (plus a hair), so the engine's month
bands (``age_max_years = 0.1667`` for a young infant, ``< 1``, ``< 5``) change on the
same day as the text: at 60 days a baby is "2 months" and no longer a young infant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

DAYS_PER_YEAR = 365.25
YOUNG_INFANT_DAYS = 60          # under 2 months: days (the IMCI young infant)
MONTHS_UNTIL = 5                # under 5 years: months
_BAND_EDGE = 0.001              # the knowledge base writes 2 months as 0.1667 years
_UNITS = {   # unit: (English singular, English plural, Chinese)
    "day": ("day", "days", "天"),
    "month": ("month", "months", "个月"),
    "year": ("year", "years", "岁"),
}


class AgeError(ValueError):
    """A birth date after the day the age is asked for."""


@dataclass(frozen=True, slots=True)
class Age:
    """An age in the unit it is shown in. ``approximate``: from a birth year only."""

    value: int
    unit: str                   # day | month | year
    approximate: bool = False

    def text(self, lang: str = "en") -> str:
        """"12 days", "7 months", "1 month", "5 years"; Chinese "12天", "7个月", "5岁"."""
        one, many, zh = _UNITS[self.unit]
        if lang == "zh":
            return ("约" if self.approximate else "") + f"{self.value}{zh}"
        word = one if self.value == 1 else many
        return ("about " if self.approximate else "") + f"{self.value} {word}"


def whole_months(birth: date, today: date) -> int:
    """Completed calendar months from ``birth`` to ``today`` (31 Jan → 28 Feb: 0)."""
    months = (today.year - birth.year) * 12 + today.month - birth.month
    if today.day < birth.day:
        months -= 1
    return months


def age_from_birth(birth: date, today: date | None = None) -> Age:
    """The age of a child born on ``birth``; a birth date in the future is an error."""
    today = today or date.today()
    days = (today - birth).days
    if days < 0:
        raise AgeError("The date of birth is in the future.")
    if days < YOUNG_INFANT_DAYS:
        return Age(days, "day")
    months = max(2, whole_months(birth, today))
    if months < MONTHS_UNTIL * 12:
        return Age(months, "month")
    return Age(months // 12, "year")


def age_from_years(years: float) -> Age:
    """The age from a decimal number of years (a note's age, a CLI request's
    ``age_years``; ``Patient.age_years()`` counts 365.25 days a year)."""
    if not math.isfinite(years) or years < 0:
        raise AgeError("The age must be a number of years, zero or more.")
    days = int(years * DAYS_PER_YEAR + 1e-6)
    if days < YOUNG_INFANT_DAYS:
        return Age(days, "day")
    months = max(2, int(years * 12 + 1e-9))
    if months < MONTHS_UNTIL * 12:
        return Age(months, "month")
    return Age(int(years + 1e-9), "year")


def age_of(*, birth_date: date | None = None, birth_year: int | None = None,
           today: date | None = None) -> Age | None:
    """A patient's age from the record: the birth date, else the birth year (years,
    approximate), else None."""
    today = today or date.today()
    if birth_date is not None:
        return age_from_birth(birth_date, today)
    if birth_year:
        years = today.year - int(birth_year)
        if years < 0:
            raise AgeError("The year of birth is in the future.")
        return Age(years, "year", approximate=years < MONTHS_UNTIL)
    return None


def age_text(*, birth_date: date | None = None, birth_year: int | None = None,
             age_years: float | None = None, lang: str = "en", today: date | None = None) -> str:
    """The age to show: from the birth date or year when known, else from
    ``age_years``; "" when nothing is known or the record's date is impossible."""
    try:
        age = age_of(birth_date=birth_date, birth_year=birth_year, today=today)
        if age is None and age_years is not None:
            age = age_from_years(float(age_years))
    except (AgeError, TypeError, ValueError):
        return ""
    return age.text(lang) if age is not None else ""


def age_years_for_rules(birth: date, today: date | None = None) -> float:
    """The decimal age for the engine's age bands, in step with ``age_from_birth``:
    days / 365.25 under 60 days (below 2/12), then completed months / 12 + 0.001 (2
    months reaches the 0.1667 band edge, 59 months stays under 5, and a birthday is
    the day a year band changes, whatever the leap years)."""
    today = today or date.today()
    days = (today - birth).days
    if days < YOUNG_INFANT_DAYS:
        return days / DAYS_PER_YEAR
    return max(2, whole_months(birth, today)) / 12 + _BAND_EDGE


def age_in_days(*, birth_date: date | None, today: date | None = None,
                age_years: float | None = None) -> int | None:
    """The age in days the WHO growth standards are indexed by (None when unknown)."""
    if birth_date is not None:
        days = ((today or date.today()) - birth_date).days
        return days if days >= 0 else None
    if age_years is not None and math.isfinite(age_years) and age_years >= 0:
        return int(round(age_years * DAYS_PER_YEAR))
    return None
