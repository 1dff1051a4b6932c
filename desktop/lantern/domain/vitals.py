"""Plausible ranges of vital signs and measurements: the one table in the tree.

The vitals form, the findings read from a note and the values a summary shows
all check plausibility here; clinical thresholds (fever, fast breathing for age...)
are in ``lantern.clinical.language.vitals.derive``.

``validate(vitals)`` returns human-readable messages naming the field and its
allowed range. Messages never repeat the value entered (it is patient data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lantern.domain.records import Vitals


@dataclass(frozen=True, slots=True)
class VitalRange:
    field: str          # quantity id: a ``Vitals`` field, or a measurement read from notes only
    label: str
    low: float          # plausible: physiologically possible (a value outside is a typo or a
    high: float         #   wrong unit, flagged and never used)
    unit: str
    hint: str = ""      # what an out-of-range value probably means (wrong unit...)
    reference: tuple[float, float] | None = None   # reference interval of a laboratory result


# The one table of plausible ranges: the vitals form, findings read from a note and the
# values a summary shows all use it. Wide enough for real extremes (a neonate's RR 120,
# an infant's SVT at 280/min, severe hypothermia at 25 °C, a hypertensive crisis at 280/150).
# Reference intervals of laboratory results (adults): WHO HEARTS / WHO diabetes diagnostic
# criteria (HbA1c >= 6.5%), WHO consolidated HIV guidelines 2021 (VL > 1000 copies/mL
# unsuppressed; CD4 < 200 advanced disease), KDIGO 2012 (eGFR < 60), ESC heart-failure
# guideline 2021 (NT-proBNP > 125 pg/mL, EF < 50%), usual adult laboratory intervals for
# potassium 3.5-5.4, sodium 130-150, adjusted calcium 2.2-2.6 (NICE CKS Hypercalcaemia), creatinine <= 110 umol/L (1.3 mg/dL), ALT <= 40 U/L,
# FIGO/WHO antenatal care 2016 (fetal heart 110-160/min).
PLAUSIBLE: dict[str, VitalRange] = {r.field: r for r in (
    VitalRange("temp_c", "Temperature", 25, 45, "°C", "enter degrees Celsius, not Fahrenheit"),
    VitalRange("resp_rate", "Respiratory rate", 4, 150, "breaths/min"),
    VitalRange("heart_rate", "Pulse", 20, 300, "beats/min"),
    VitalRange("sbp", "Systolic blood pressure", 40, 300, "mmHg"),
    VitalRange("dbp", "Diastolic blood pressure", 20, 200, "mmHg"),
    VitalRange("spo2", "SpO2", 40, 100, "%"),
    VitalRange("weight_kg", "Weight", 0.3, 350, "kg", "enter kilograms, not pounds or grams"),
    VitalRange("muac_mm", "MUAC", 50, 450, "mm", "enter millimetres, not centimetres"),
    VitalRange("height_cm", "Length/height", 20, 250, "cm", "enter centimetres, not metres or inches"),
    VitalRange("glucose_mmol_l", "Blood glucose", 0.5, 60, "mmol/L", "enter mmol/L, not mg/dL"),
    VitalRange("hb_g_dl", "Haemoglobin", 1.5, 25, "g/dL", "enter g/dL, not g/L"),
    VitalRange("gcs", "Glasgow coma scale", 3, 15, ""),
    VitalRange("crt_s", "Capillary refill time", 0, 20, "s"),
    VitalRange("hba1c_pct", "HbA1c", 3, 20, "%", reference=(0, 6.4)),
    VitalRange("viral_load", "HIV viral load", 0, 100_000_000, "copies/mL", reference=(0, 1000)),
    VitalRange("cd4", "CD4 count", 0, 3000, "cells/µL", reference=(200, 3000)),
    VitalRange("urine_protein", "Urine protein (dipstick grade)", 0, 4, "", reference=(0, 0)),
    VitalRange("fundal_height_cm", "Fundal height", 8, 45, "cm"),
    VitalRange("fetal_heart_rate", "Fetal heart rate", 60, 240, "/min", reference=(110, 160)),
    VitalRange("potassium", "Potassium", 1.5, 9, "mmol/L", reference=(3.5, 5.4)),
    VitalRange("sodium", "Sodium", 100, 180, "mmol/L", reference=(130, 150)),
    VitalRange("calcium", "Calcium", 1.0, 5.0, "mmol/L", reference=(2.2, 2.6)),
    VitalRange("creatinine_umol_l", "Creatinine", 10, 2500, "µmol/L", reference=(0, 110)),
    VitalRange("creatinine_mg_dl", "Creatinine", 0.2, 30, "mg/dL", reference=(0, 1.3)),
    VitalRange("alt", "ALT", 1, 10000, "U/L", reference=(0, 40)),
    VitalRange("egfr", "eGFR", 1, 200, "mL/min/1.73m²", reference=(60, 200)),
    VitalRange("nt_probnp", "NT-proBNP", 5, 70000, "pg/mL", reference=(0, 125)),
    VitalRange("ejection_fraction", "Ejection fraction", 5, 90, "%", reference=(50, 90)),
    VitalRange("peak_flow", "Peak expiratory flow", 30, 900, "L/min"),
)}
# The fields of the vitals form (``Vitals``), checked by ``validate``.
RANGES: dict[str, VitalRange] = {f: PLAUSIBLE[f] for f in Vitals.__slots__}


def plausible(field: str, value: float) -> bool:
    """Whether ``value`` is physiologically possible for ``field`` (unknown fields: yes)."""
    rng = PLAUSIBLE.get(field)
    return rng is None or rng.low <= value <= rng.high


def plausible_bp(sbp: float, dbp: float) -> bool:
    """A blood pressure pair: each plausible, and systolic above diastolic."""
    return plausible("sbp", sbp) and plausible("dbp", dbp) and sbp > dbp


def outside_reference(field: str, value: float) -> bool:
    """Whether a laboratory result lies outside its reference interval (False when the
    table gives none: vital signs are judged by the clinical thresholds, by age)."""
    rng = PLAUSIBLE.get(field)
    if rng is None or rng.reference is None:
        return False
    low, high = rng.reference
    return not low <= value <= high


def _fmt(x: float) -> str:
    return f"{x:g}"


def check_field(field: str, value: float | None) -> str | None:
    """The message for one field, or None when it is empty or plausible."""
    if value is None:
        return None
    rng = RANGES[field]
    allowed = f"{_fmt(rng.low)}–{_fmt(rng.high)} {rng.unit}"
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return f"{rng.label} must be a number ({allowed})."
    if rng.low <= value <= rng.high:
        return None
    message = f"{rng.label} must be between {_fmt(rng.low)} and {_fmt(rng.high)} {rng.unit}"
    return f"{message} ({rng.hint})." if rng.hint else message + "."


def validate(vitals: Vitals) -> list[str]:
    """All problems with ``vitals``; an empty list means they are plausible."""
    problems = [m for f in RANGES if (m := check_field(f, getattr(vitals, f))) is not None]
    sbp, dbp = vitals.sbp, vitals.dbp
    if (sbp is not None and dbp is not None and check_field("sbp", sbp) is None
            and check_field("dbp", dbp) is None and not plausible_bp(sbp, dbp)):
        problems.append("Systolic blood pressure must be higher than diastolic.")
    return problems
