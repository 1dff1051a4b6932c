"""The daily total of an order in every form a prescription gives it (times a day, every 6 or 8
hours, a stat dose beside a course, as needed with no frequency, mg/kg/day), maxima the sources
give that the formulary lacked, and the data an order cannot be checked without (a child's
weight, an adult's eGFR) - issue 14, item 3, on the real formulary."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

CHILD = {"age_years": 3, "weight_kg": 14, "egfr": None}


def _stat(drug, dose, unit="mg", route="oral") -> dict:
    return {"drug": drug, "dose": dose, "unit": unit, "route": route, "times_per_day": 1, "days": 0}


def _prn(drug, dose, unit="mg", route="oral") -> dict:
    return {"drug": drug, "dose": dose, "unit": unit, "route": route, "times_per_day": None, "days": None}


@pytest.mark.parametrize(("patient", "orders", "expected"), [
    # every 6 hours is four times a day: 4 g of paracetamol is the adult maximum, every 4 hours is 6 g
    ({}, [_o("paracetamol", 1, "g", times=4)], set()),
    ({}, [_o("paracetamol", 1, "g", times=6)], {(0, "daily_max")}),
    # every 8 hours: ibuprofen 400 mg is 1.2 g a day; 800 mg every 4 hours is 4.8 g (adult maximum 2.4 g)
    ({}, [_o("ibuprofen", 400, times=3)], set()),
    ({}, [_o("ibuprofen", 800, times=6)], {(0, "daily_max")}),
    # hourly insulin infusion (24 times a day) at 0.1 units/kg is the guideline; a fixed maximum does not apply
    ({"weight_kg": 60}, [_o("insulin regular", 6, "IU", "iv", times=24, days=1)], set()),
    # per kg per day: ibuprofen 10 mg/kg three times daily for a 14-kg child is its 30 mg/kg/day; four times is above
    (CHILD, [_o("ibuprofen", 140, times=3, days=3)], set()),
    (CHILD, [_o("ibuprofen", 140, times=5, days=3)], {(0, "daily_max")}),
])
def test_the_day_counts_each_frequency(real, patient, orders, expected):
    assert _loud(real, _patient(**patient), orders) == expected


def test_a_stat_dose_beside_a_course_counts_in_the_first_day(real):
    # 1 g stat and then 1 g four times daily: 5 g in the first 24 hours (maximum 4 g)
    both = _alerts(real, _patient(), [_stat("paracetamol", 1000), _o("paracetamol", 1000, times=4)])
    first = [a for a in both if a["kind"] == "daily_max"]
    assert [(a["order"], a["severity"]) for a in first] == [(1, "warn")] and "5000 mg" in first[0]["message"]
    # three times daily leaves room for it; alone, either order is within the maximum
    assert _loud(real, _patient(), [_stat("paracetamol", 1000), _o("paracetamol", 1000, times=3)]) == set()
    assert _loud(real, _patient(), [_o("paracetamol", 1000, times=4)]) == set()
    # a child by weight: the stat dose makes four doses of 10 mg/kg on day 1 (maximum 30 mg/kg/day)
    assert (1, "daily_max") in _loud(real, _patient(**CHILD), [_stat("ibuprofen", 140), _o("ibuprofen", 140, times=3)])


def test_a_loading_dose_the_formulary_gives_is_not_counted_against_the_maintenance_day(real):
    orders = [_stat("clopidogrel", 300), _o("clopidogrel", 75, days=30)]
    assert _loud(real, _patient(age_years=60), orders) == set()
    # the loading dose is a single dose, not a course: 300 mg every day is far above 75 mg
    assert (0, "dose_above_max") in _loud(real, _patient(age_years=60), [_o("clopidogrel", 300, days=30)])


def test_as_needed_without_a_frequency_checks_the_dose(real):
    assert _loud(real, _patient(), [_prn("paracetamol", 1000)]) == set()
    assert _loud(real, _patient(), [_prn("paracetamol", 5000)]) == {(0, "dose_above_max")}


@pytest.mark.parametrize(("patient", "order"), [
    # maxima the sources give, missing before: any dose passed
    ({}, _o("cetirizine", 100)),                                       # BNF 10 mg daily
    ({"age_years": 4, "weight_kg": 16}, _o("cetirizine", 25, times=2)),  # BNFc 2.5 mg twice daily
    ({}, _o("atenolol", 500)),                                         # BNF 100 mg daily
    ({}, _o("hydrochlorothiazide", 200)),                              # BNF 50 mg daily
    ({}, _o("omeprazole", 200)),                                       # BNF 40 mg daily
    ({}, _o("digoxin", 1, days=30)),                                   # WHO MF 500 micrograms daily
    ({}, _o("warfarin", 50)),                                          # WHO MF induction 10 mg
    ({}, _o("hyoscine butylbromide", 40, times=4)),                    # BNF 80 mg daily
    ({}, _o("clopidogrel", 150, days=30)),                             # BNF 75 mg daily
    ({}, _o("cefixime", 400, times=2)),                                # BNF 400 mg daily
])
def test_maxima_the_sources_give_reach_the_checks(real, patient, order):
    assert _loud(real, _patient(**patient), [order]) & {(0, "dose_above_max"), (0, "daily_max")}


@pytest.mark.parametrize(("patient", "order"), [
    ({}, _o("cetirizine", 10)), ({"age_years": 4, "weight_kg": 16}, _o("cetirizine", 2.5, times=2)),
    ({}, _o("atenolol", 100)), ({}, _o("hydrochlorothiazide", 25)), ({}, _o("omeprazole", 20, times=2, days=7)),
    ({}, _o("digoxin", 0.25, days=30)), ({}, _o("warfarin", 5)), ({}, _o("hyoscine butylbromide", 20, times=4)),
    ({}, _o("cefixime", 200, times=2)), ({}, _o("naproxen", 250, times=3)),
])
def test_the_usual_doses_stay_quiet(real, patient, order):
    assert _loud(real, _patient(**patient), [order]) == set()
