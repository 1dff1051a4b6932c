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


def _egfr_rule(drug, formulary):
    """The eGFR requirement the data give a drug: its own, else its classes' (None: none)."""
    needs = [drug.egfr_needed] + [formulary.classes[c].egfr_needed for c in drug.classes if c in formulary.classes]
    return next((n for n in needs if n is not None), None)


def _egfr_alerts(real, patient, order) -> list[dict]:
    return [a for a in _alerts(real, patient, [order])
            if a["kind"] == "missing_data" and a["severity"] == "warn" and "eGFR" in a["message"]]


def test_every_medicine_the_data_say_needs_an_egfr_gets_missing_data_without_one(real):
    from lantern.clinical.prescribing import DoseResult, Patient, calculate_dose

    formulary, _index = real
    covered, quiet = [], []
    for drug in formulary.drugs.values():
        rule = _egfr_rule(drug, formulary)
        rec = calculate_dose(drug, Patient(age_years=50, weight_kg=70, egfr=90))
        if not isinstance(rec, DoseResult):
            continue
        times = rec.times_per_day or 1
        dose = rec.dose if rule is None or rule.above_daily_mg is None else 2 * rule.above_daily_mg / times
        order = _o(drug.id, dose, "mg" if drug.mass_unit else rec.unit, rec.route, times, rec.days or 5)
        # from the age the data give (digoxin, nitrofurantoin: 65 years and over)
        age = max(50.0, rule.min_age_years) if rule is not None else 50.0
        unknown = _egfr_alerts(real, _patient(age_years=age, weight_kg=70, egfr=None), order)
        assert not _egfr_alerts(real, _patient(age_years=age, weight_kg=70, egfr=90), order), drug.id
        (covered if rule is not None else quiet).append((drug.id, bool(unknown)))
    # aminoglycosides and glycopeptides by their class, metformin and high-dose co-trimoxazole by their own
    assert {"gentamicin", "amikacin", "vancomycin", "norvancomycin", "metformin",
            "sulfamethoxazole_trimethoprim"} <= {d for d, _ in covered}
    assert [d for d, hit in covered if not hit] == []
    assert [d for d, hit in quiet if hit] == []


def test_co_trimoxazole_needs_the_egfr_only_above_the_standard_dose(real):
    old = _patient(age_years=70, egfr=None)
    assert (0, "missing_data") not in _loud(real, old, [_o("co-trimoxazole", 960, times=2, days=3)])
    assert (0, "missing_data") in _loud(real, old, [_o("co-trimoxazole", 1920, times=3, days=14)])


@pytest.mark.parametrize(("drug", "dose", "unit", "times"), [
    ("amoxicillin", 250, "mg", 2), ("Coartem 20/120", 1, "tablet", 2), ("paracetamol", 250, "mg", 4),
    ("gentamicin", 75, "mg", 1),
])
def test_a_child_without_a_weight_on_a_medicine_dosed_by_weight_is_missing_data(real, drug, dose, unit, times):
    child = _patient(age_years=5, weight_kg=None, egfr=None)
    route = "iv" if drug == "gentamicin" else "oral"
    assert (0, "missing_data") in _loud(real, child, [_o(drug, dose, unit, route, times, 3)])
    assert (0, "missing_data") not in _loud(real, _patient(age_years=5, weight_kg=18, egfr=None),
                                            [_o(drug, dose, unit, route, times, 3)])


def test_an_egfr_requirement_of_a_class_is_validated(tmp_path):
    from tests.unit.prescribing.helpers import problems_with

    problems = problems_with(tmp_path, "allergy_classes.toml", '\n[class.egfr_needed]\nabove_daily_mg = -5\nnote_en = "x"\n')
    assert any("egfr_needed" in p and "above_daily_mg" in p for p in problems), problems
    assert any("egfr_needed" in p and "note_zh" in p for p in problems), problems


@pytest.mark.parametrize(("drug", "dose", "unit", "route"), [
    ("去甲肾上腺素", 4, "mg", "iv"), ("isoprenaline", 1, "mg", "iv"), ("百多邦", 1, "g", "topical"),
])
def test_an_amount_of_a_medicine_the_formulary_gives_no_dose_for_is_said_to_be_unchecked(real, drug, dose, unit, route):
    out = _alerts(real, _patient(), [_o(drug, dose, unit, route)])
    assert [(a["kind"], a["severity"]) for a in out] == [("missing_data", "info")]
    assert "dose not checked" in out[0]["message"]
