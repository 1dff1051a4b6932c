"""Plausible ranges for vital signs, shared by the GUI and the services.

``validate(vitals)`` returns human-readable messages naming the field and its
allowed range. Messages never repeat the value entered (it is patient data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lantern.domain.records import Vitals


@dataclass(frozen=True, slots=True)
class VitalRange:
    field: str
    label: str
    low: float
    high: float
    unit: str
    hint: str = ""  # what an out-of-range value probably means (wrong unit...)


RANGES: dict[str, VitalRange] = {r.field: r for r in (
    VitalRange("temp_c", "Temperature", 30, 45, "°C", "enter degrees Celsius, not Fahrenheit"),
    VitalRange("resp_rate", "Respiratory rate", 4, 120, "breaths/min"),
    VitalRange("heart_rate", "Pulse", 20, 250, "beats/min"),
    VitalRange("sbp", "Systolic blood pressure", 50, 260, "mmHg"),
    VitalRange("dbp", "Diastolic blood pressure", 20, 160, "mmHg"),
    VitalRange("spo2", "SpO2", 50, 100, "%"),
    VitalRange("weight_kg", "Weight", 0.3, 300, "kg", "enter kilograms, not pounds or grams"),
    VitalRange("muac_mm", "MUAC", 50, 500, "mm", "enter millimetres, not centimetres"),
    VitalRange("glucose_mmol_l", "Blood glucose", 0.5, 50, "mmol/L", "enter mmol/L, not mg/dL"),
    VitalRange("hb_g_dl", "Haemoglobin", 2, 25, "g/dL", "enter g/dL, not g/L"),
)}


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
            and check_field("dbp", dbp) is None and sbp <= dbp):
        problems.append("Systolic blood pressure must be higher than diastolic.")
    return problems
