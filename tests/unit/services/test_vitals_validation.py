from __future__ import annotations

import math

import pytest

from lantern.domain.records import Vitals
from lantern.domain.vitals import RANGES, validate


def test_plausible_vitals_pass():
    v = Vitals(temp_c=37.5, resp_rate=22, heart_rate=96, sbp=120, dbp=80, spo2=97,
               weight_kg=62, muac_mm=240, glucose_mmol_l=5.4, hb_g_dl=12.1)
    assert validate(v) == []
    assert validate(Vitals()) == []


@pytest.mark.parametrize(("field", "value", "words"), [
    ("temp_c", 98.6, ["Temperature", "25", "45", "°C", "Fahrenheit"]),
    ("temp_c", 12, ["Temperature"]),
    ("resp_rate", 200, ["Respiratory rate", "breaths/min"]),
    ("heart_rate", 7, ["Pulse"]),
    ("spo2", 101, ["SpO2", "100", "%"]),
    ("weight_kg", 3500, ["Weight", "kg", "grams"]),
    ("muac_mm", 12.5, ["MUAC", "mm", "centimetres"]),
    ("glucose_mmol_l", 110, ["glucose", "mmol/L", "mg/dL"]),
    ("hb_g_dl", 120, ["Haemoglobin", "g/L"]),
    ("temp_c", math.nan, ["Temperature", "number"]),
])
def test_out_of_range_names_field_and_range(field, value, words):
    [message] = validate(Vitals(**{field: value}))
    for word in words:
        assert word in message
    if math.isfinite(value):
        assert f"{value:g}" not in message  # the value itself is never echoed


def test_systolic_must_exceed_diastolic():
    assert validate(Vitals(sbp=80, dbp=90)) == ["Systolic blood pressure must be higher than diastolic."]


def test_every_vitals_field_has_a_range():
    assert set(RANGES) == set(Vitals.__slots__)
