"""Volumes of oral rehydration solution (issue 14): a weight band may give the source's range
(`max_dose`, WHO Plan A "50-100 ml after each loose stool"); the per-drink cap is the top of the
range with the engine's 25% allowance, so guideline amounts never alarm and litres to an infant do."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

DOSE_KINDS = {"dose_above_max", "daily_max", "dose_below_min"}


def _child(age: float, kg: float) -> dict:
    return _patient(age_years=age, weight_kg=kg, egfr=None)


@pytest.mark.parametrize(("age", "kg", "ml"), [
    (0.67, 8, 50), (0.67, 8, 100),          # Plan A under 2 years: 50-100 ml after each loose stool
    (1.0, 10, 100), (1.5, 10, 120),         # the top, and a cup a little over it (the allowance)
    (3.0, 14, 100), (3.0, 14, 200),         # Plan A 2 up to 10 years: 100-200 ml
    (8.0, 25, 200),
])
def test_plan_a_amounts_after_each_stool_do_not_alarm(real, age, kg, ml):
    orders = [_o("ORS (low-osmolarity) solution", ml, "ml", times=6, days=3)]
    assert not {k for _, k in _loud(real, _child(age, kg), orders)} & DOSE_KINDS
    # the same in Chinese
    orders = [_o("口服补液盐散（III）", ml, "ml", times=6, days=3)]
    assert not {k for _, k in _loud(real, _child(age, kg), orders)} & DOSE_KINDS


@pytest.mark.parametrize(("kg", "ml"), [(5, 400), (8, 600), (8, 700), (11, 900), (15, 1125), (18, 1400)])
def test_plan_b_four_hour_amounts_do_not_alarm(real, kg, ml):
    # Plan B: 75 ml/kg over 4 hours, the chart's ranges: < 6 kg 200-400 ml ... 12-19 kg 900-1400 ml
    age = 0.25 if kg < 6 else 1.0 if kg < 12 else 3.0
    assert not {k for _, k in _loud(real, _child(age, kg), [_o("ORS", ml, "ml", times=None, days=0)])} & DOSE_KINDS


def test_real_overdoses_of_ors_still_alarm(real):
    infant = _child(0.67, 8)
    # a litre after each stool to an 8-kg infant: far above 100 ml (a stop)
    assert (0, "dose_above_max") in _loud(real, infant, [_o("ORS", 1000, "ml", times=6, days=3)])
    # 300 ml after each stool under 2 years: above the range's top and its allowance
    assert (0, "dose_above_max") in _loud(real, infant, [_o("ORS", 300, "ml", times=6, days=3)])
    # 2 litres over 4 hours to a 5-kg baby (Plan B gives 200-400 ml)
    assert (0, "dose_above_max") in _loud(real, _child(0.25, 5), [_o("ORS", 2000, "ml", times=None, days=0)])


def test_a_litre_at_once_to_an_infant_is_a_stop(real):
    out = _alerts(real, _child(0.67, 8), [_o("ORS", 1000, "ml", times=6, days=3)])
    hits = [a for a in out if a["kind"] == "dose_above_max"]
    assert [a["severity"] for a in hits] == ["stop"]
    # said in ml, as the plans give it, not in mg of powder
    assert "1000 ml per dose is above the maximum of 125 ml" in hits[0]["message"]


def test_the_calculator_shows_the_plan_range(real):
    from lantern.clinical.prescribing.dose import calculate_dose
    from lantern.clinical.prescribing.inputs import parse_patient

    formulary, _ = real
    patient = parse_patient({"age_years": 1, "weight_kg": 8})
    got = calculate_dose(formulary.drugs["oral_rehydration_salts"], patient, indication="diarrhoea_some_dehydration")
    assert got.basis == "weight band 6-10 kg: 400-700 ml"


def test_max_dose_below_the_band_dose_is_a_problem():
    from lantern.clinical.prescribing.drug_parts import _bands

    problems: list[str] = []
    bands = _bands({"weight_bands": [{"min_kg": 0, "max_kg": 6, "dose": 200, "max_dose": 100, "dose_unit": "ml"}]},
                   "ors", problems)
    assert len(problems) == 1 and "max_dose must be a number not below dose" in problems[0]
    assert bands[0].max_dose is None
