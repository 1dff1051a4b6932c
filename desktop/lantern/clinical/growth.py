"""WHO Child Growth Standards (2006) z-scores, 0-5 years, from the WHO LMS tables in
``resources/growth/`` (see its README for the source and the licence).

Indicators: weight-for-age (``wfa``), length/height-for-age (``lhfa``) and
weight-for-length (``wfl``, under 2 years) / weight-for-height (``wfh``, 2-5 years).
The computation is WHO's (WHO Child Growth Standards: methods and development, 2006,
ch. 7; the WHO Anthro / igrowup macros):

- ``z = ((y / M) ** L - 1) / (L * S)`` with L, M, S at the child's age in days (or
  length/height in cm, interpolated linearly between the tables' 0.1 cm rows);
- the *restricted* rule for the weight-based indicators (wfa, wfl/wfh) beyond ±3 SD:
  the distance is measured in units of the 2-to-3 SD span at that age or length,
  ``z = 3 + (y - SD3) / (SD3 - SD2)`` (and the mirror below -3), because the LMS
  curve is skewed out there;
- children under 2 years are measured lying (length), from 2 years standing (height),
  as WHO recommends: the form asks for the one measurement the age calls for.

Classification (WHO, IMCI chart booklet 2014): below -2 SD moderate, below -3 SD
severe (wasting for wfl/wfh, underweight for wfa, stunting for lhfa). A z-score
beyond WHO's plausibility limits (wfa < -6 or > 5, lhfa beyond ±6, wfl/wfh beyond
±5) is taken for a wrong entry (a unit, a typo) and refused with a message.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern import paths
from lantern.clinical import knowledge_ids as K

INDICATORS = ("wfa", "lhfa", "wfl", "wfh")
WEIGHT_BASED = frozenset({"wfa", "wfl", "wfh"})
MAX_AGE_DAYS = 1856                      # 5 years: the end of the 0-5 year standards
LENGTH_UNTIL_DAYS = 731                  # length (lying) under 2 years, height from 2 years
SD_COLUMNS = ("SD3neg", "SD2neg", "SD1neg", "SD0", "SD1", "SD2", "SD3")
# WHO Anthro flags: a z-score outside these limits is a measurement or entry error
PLAUSIBLE_Z = {"wfa": (-6.0, 5.0), "lhfa": (-6.0, 6.0), "wfl": (-5.0, 5.0), "wfh": (-5.0, 5.0)}
LABELS = {
    "wfa": ("Weight-for-age", "年龄别体重"),
    "lhfa": ("Length/height-for-age", "年龄别身长/身高"),
    "wfl": ("Weight-for-length", "身长别体重"),
    "wfh": ("Weight-for-height", "身高别体重"),
}
# (moderate, severe) names of a low z-score, per indicator family
CLASS_NAMES = {
    "wfa": (("Underweight", "低体重"), ("Severely underweight", "重度低体重")),
    "lhfa": (("Stunted", "生长迟缓"), ("Severely stunted", "重度生长迟缓")),
    "wfl": (("Moderate wasting", "中度消瘦"), ("Severe wasting", "重度消瘦")),
    "wfh": (("Moderate wasting", "中度消瘦"), ("Severe wasting", "重度消瘦")),
}
MUAC_SEVERE_MM = 115       # WHO / IMCI: MUAC < 115 mm severe acute malnutrition (6-59 months)
MUAC_MODERATE_MM = 125     # 115-124 mm moderate acute malnutrition


class GrowthError(ValueError):
    """A measurement the standards cannot judge, or one too far out to be real."""


@dataclass(frozen=True, slots=True)
class Lms:
    l: float  # noqa: E741 - WHO's name
    m: float
    s: float
    sd: tuple[float, ...] = ()      # the published -3..+3 SD values, when a table row

    def value_at(self, z: float) -> float:
        """The measurement at ``z`` SD (WHO's curves are drawn from this)."""
        if self.l == 0:
            return self.m * math.exp(self.s * z)
        return self.m * (1 + self.l * self.s * z) ** (1 / self.l)


@dataclass(frozen=True, slots=True)
class Table:
    indicator: str
    sex: str
    xs: tuple[float, ...]           # age in days, or length/height in cm
    rows: tuple[Lms, ...]

    def at(self, x: float) -> Lms:
        """LMS at ``x``: the row for a whole day; interpolated between 0.1 cm rows."""
        lo, hi = self.xs[0], self.xs[-1]
        if not lo <= x <= hi + 1e-9:
            raise GrowthError("outside the table")
        step = self.xs[1] - self.xs[0]
        pos = (x - lo) / step
        i = min(int(math.floor(pos + 1e-9)), len(self.rows) - 1)
        frac = pos - i
        if frac < 1e-6 or i + 1 >= len(self.rows):
            return self.rows[i]
        a, b = self.rows[i], self.rows[i + 1]
        return Lms(a.l + (b.l - a.l) * frac, a.m + (b.m - a.m) * frac, a.s + (b.s - a.s) * frac)


def growth_dir() -> Path:
    return paths.resources_dir() / "growth"


@cache
def table(indicator: str, sex: str) -> Table:
    """The WHO table of ``indicator`` for ``sex`` ("male" | "female")."""
    if indicator not in INDICATORS or sex not in ("male", "female"):
        raise GrowthError(f"no WHO table for {indicator!r} and sex {sex!r}")
    path = growth_dir() / f"{indicator}.csv"
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        xname = reader.fieldnames[1] if reader.fieldnames else ""
        xs: list[float] = []
        rows: list[Lms] = []
        for r in reader:
            if r["sex"] != sex:
                continue
            xs.append(float(r[xname]))
            rows.append(Lms(float(r["L"]), float(r["M"]), float(r["S"]),
                            tuple(float(r[c]) for c in SD_COLUMNS)))
    if len(rows) < 2:
        raise GrowthError(f"the WHO table {path.name} has no rows for {sex}")
    return Table(indicator, sex, tuple(xs), tuple(rows))


def zscore(indicator: str, y: float, lms: Lms) -> float:
    """WHO's z-score of measurement ``y``; the restricted rule beyond ±3 SD for the
    weight-based indicators."""
    if y <= 0 or not math.isfinite(y):
        raise GrowthError("a measurement must be a positive number")
    z = (math.log(y / lms.m) / lms.s) if lms.l == 0 else ((y / lms.m) ** lms.l - 1) / (lms.l * lms.s)
    if indicator in WEIGHT_BASED and abs(z) > 3:
        sd3, sd2 = lms.value_at(3 if z > 0 else -3), lms.value_at(2 if z > 0 else -2)
        z = (3 + (y - sd3) / (sd3 - sd2)) if z > 0 else (-3 + (y - sd3) / (sd2 - sd3))
    return z


def length_indicator(age_days: int | None, length_cm: float) -> str:
    """wfl under 2 years (or, age unknown, under 87 cm as WHO Anthro does), else wfh."""
    if age_days is None:
        return "wfl" if length_cm < 87 else "wfh"
    return "wfl" if age_days < LENGTH_UNTIL_DAYS else "wfh"


@dataclass(frozen=True, slots=True)
class ZScore:
    indicator: str
    z: float

    @property
    def severity(self) -> str:
        """"severe" below -3 SD, "moderate" below -2 SD, else ""."""
        return classify_z(self.z)

    def label(self, lang: str = "en") -> str:
        return LABELS[self.indicator][lang == "zh"]

    def classification(self, lang: str = "en") -> str:
        """"Severe wasting", "Stunted"... ; "" within -2 SD."""
        sev = self.severity
        if not sev:
            return ""
        moderate, severe = CLASS_NAMES[self.indicator]
        return (severe if sev == "severe" else moderate)[lang == "zh"]


def classify_z(z: float) -> str:
    if z < -3:
        return "severe"
    if z < -2:
        return "moderate"
    return ""


def classify_muac(muac_mm: float) -> str:
    """WHO / IMCI (6-59 months): < 115 mm severe, 115-124 mm moderate, else ""."""
    if muac_mm < MUAC_SEVERE_MM:
        return "severe"
    if muac_mm < MUAC_MODERATE_MM:
        return "moderate"
    return ""


def _checked(indicator: str, z: float) -> ZScore:
    low, high = PLAUSIBLE_Z[indicator]
    if not low <= z <= high:
        raise GrowthError(_implausible_message(indicator))
    return ZScore(indicator, z)


def _implausible_message(indicator: str) -> str:
    what = {"wfa": "The weight is out of range for the child's age",
            "lhfa": "The length/height is out of range for the child's age",
            "wfl": "The weight is out of range for the child's length",
            "wfh": "The weight is out of range for the child's height"}[indicator]
    return f"{what} (check the unit and the number)."


def growth_zscores(*, sex: str | None, age_days: int | None, weight_kg: float | None = None,
                   height_cm: float | None = None) -> list[ZScore]:
    """The z-scores the measurements allow (0-5 years; weight-for-length/height needs
    only the length when the age is unknown). Raises ``GrowthError`` with a one-line
    message for a measurement too far out to be real; a child outside the standards'
    range (age, length) simply has no z-score for that indicator."""
    if sex not in ("male", "female"):
        return []
    out: list[ZScore] = []
    in_age = age_days is not None and 0 <= age_days <= MAX_AGE_DAYS
    if in_age and age_days is not None:
        if weight_kg is not None:
            out.append(_checked("wfa", zscore("wfa", weight_kg, table("wfa", sex).at(age_days))))
        if height_cm is not None:
            out.append(_checked("lhfa", zscore("lhfa", height_cm, table("lhfa", sex).at(age_days))))
    if weight_kg is not None and height_cm is not None and (in_age or age_days is None):
        ind = length_indicator(age_days, height_cm)
        t = table(ind, sex)
        rounded = round(height_cm, 2)
        if t.xs[0] <= rounded <= t.xs[-1]:
            out.append(_checked(ind, zscore(ind, weight_kg, t.at(rounded))))
    return out


def measurement_problems(*, sex: str | None, age_days: int | None, weight_kg: float | None,
                         height_cm: float | None) -> list[str]:
    """The messages for measurements out of range for the child (empty: plausible)."""
    problems: list[str] = []
    for kwargs in ({"weight_kg": weight_kg}, {"height_cm": height_cm},
                   {"weight_kg": weight_kg, "height_cm": height_cm}):
        if any(v is None for v in kwargs.values()):
            continue
        try:
            growth_zscores(sex=sex, age_days=age_days, **kwargs)
        except GrowthError as exc:
            if str(exc) not in problems:
                problems.append(str(exc))
    return problems


def curves(indicator: str, sex: str, zs: tuple[float, ...] = (-3, -2, 0, 2, 3)
           ) -> tuple[list[float], dict[float, list[float]]]:
    """The x values and the WHO curves at ``zs`` SD (for a growth chart)."""
    t = table(indicator, sex)
    return list(t.xs), {z: [row.value_at(z) for row in t.rows] for z in zs}


_FINDINGS = {   # indicator -> (severe id, moderate id)
    "wfl": (K.WFH_SEVERE, K.WFH_MODERATE), "wfh": (K.WFH_SEVERE, K.WFH_MODERATE),
    "wfa": (K.WFA_SEVERE, K.WFA_MODERATE), "lhfa": (K.LHFA_SEVERE, K.LHFA_MODERATE),
}


def growth_findings(*, sex: str | None, age_years: float | None, weight_kg: float | None,
                    height_cm: float | None) -> list[tuple[str, bool]]:
    """The findings (id, negated) a child's z-scores imply, for the triage and the
    malnutrition conditions: below -3 SD the severe finding, -3 to < -2 SD the moderate
    one, otherwise the severe one negated. Measurements too far out to be real give
    none (the vitals form and signing refuse them with a message)."""
    age_days = None if age_years is None else int(round(age_years * 365.25))
    if age_days is not None and age_days > MAX_AGE_DAYS:
        return []
    try:
        scores = growth_zscores(sex=sex, age_days=age_days, weight_kg=weight_kg, height_cm=height_cm)
    except GrowthError:
        return []
    out: list[tuple[str, bool]] = []
    for score in scores:
        severe, moderate = _FINDINGS[score.indicator]
        out.append((severe, score.severity != "severe"))
        if score.severity == "moderate":
            out.append((moderate, False))
    return out


@dataclass(frozen=True, slots=True)
class GrowthPoint:
    """One visit's measurements of a child, with the age in days on that day."""

    age_days: int
    weight_kg: float | None = None
    height_cm: float | None = None
    muac_mm: float | None = None

    def zscores(self, sex: str) -> list[ZScore]:
        """The z-scores of this visit; none when a value is too far out to be real."""
        try:
            return growth_zscores(sex=sex, age_days=self.age_days, weight_kg=self.weight_kg,
                                  height_cm=self.height_cm)
        except GrowthError:
            return []


def growth_points(visits: list[tuple[int | None, float | None, float | None, float | None]]
                  ) -> list[GrowthPoint]:
    """Visits (age in days, weight, length/height, MUAC) to the points of a growth chart:
    0-5 years, at least one measurement, oldest first (one point per day: the last)."""
    by_day: dict[int, GrowthPoint] = {}
    for age_days, weight, height, muac in visits:
        if age_days is None or not 0 <= age_days <= MAX_AGE_DAYS:
            continue
        if weight is None and height is None and muac is None:
            continue
        by_day[age_days] = GrowthPoint(age_days, weight, height, muac)
    return [by_day[d] for d in sorted(by_day)]
