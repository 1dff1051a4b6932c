"""Formulary gaps a rural prescriber meets, session 16 (issue 14): oxcarbazepine (its own chemical
class, so a carbamazepine allergy is a cross-reaction), co-amoxiclav counted as amoxicillin with the
children's dose and the 228 / 457 mg/5 ml suspensions, metronidazole's children's doses. Orders
written for these tests, on the real formulary (EN and ZH).
"""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts, loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

from lantern.clinical.prescribing.patient_checks import narrowest_classes


def _kinds(real, patient: dict, orders: list[dict], order: int = 0) -> set[str]:
    return {kind for i, kind in loud(real, patient, orders) if i == order}


# --- oxcarbazepine -------------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["oxcarbazepine 300 mg", "Trileptal 300mg", "奥卡西平片 0.3g", "曲莱 300mg"])
def test_oxcarbazepine_is_known_and_an_ordinary_adult_dose_is_quiet(real, written):
    adult = _patient(age_years=30, weight_kg=60)
    assert real[1].resolve(written).drug == "oxcarbazepine"
    assert loud(real, adult, [_o(written.replace("0.3g", "300mg"), 300, times=2, days=30)]) == set()


@pytest.mark.parametrize("allergy", ["carbamazepine - SJS", "Tegretol: rash with fever", "卡马西平（得理多）过敏，皮疹",
                                     "对卡马西平过敏"])
def test_a_carbamazepine_allergy_is_a_cross_reaction_with_oxcarbazepine(real, allergy):
    pt = _patient(age_years=25, allergies=[allergy])
    got = [a for a in alerts(real, pt, [_o("oxcarbazepine", 300, times=2, days=30)]) if a["order"] == 0]
    kinds = {a["kind"] for a in got if a["severity"] == "stop"}
    assert kinds == {"cross_reactivity"}, got


def test_an_oxcarbazepine_allergy_is_a_cross_reaction_with_carbamazepine_and_the_drug_itself(real):
    pt = _patient(age_years=25, allergies=["奥卡西平 — 药疹"])
    assert _kinds(real, pt, [_o("卡马西平", 200, times=2, days=30)]) == {"cross_reactivity"}
    assert _kinds(real, pt, [_o("曲莱", 300, times=2, days=30)]) == {"allergy"}
    # phenytoin, another aromatic anticonvulsant, is a cross-reaction too
    assert _kinds(real, pt, [_o("phenytoin", 100, times=3, days=30)]) == {"cross_reactivity"}


def test_oxcarbazepine_and_carbamazepine_are_separate_chemical_classes(real):
    formulary = real[0]
    assert narrowest_classes("carbamazepine", formulary) != narrowest_classes("oxcarbazepine", formulary)
    assert "anticonvulsant_aromatic" in formulary.drugs["oxcarbazepine"].classes


def test_oxcarbazepine_child_dose_by_weight(real):
    child = _patient(age_years=8, weight_kg=25, egfr=None)
    # 15 mg/kg twice daily (maintenance) is within 46 mg/kg a day
    assert "dose_above_max" not in _kinds(real, child, [_o("oxcarbazepine", 375, times=2, days=30)])
    # 900 mg twice daily is 72 mg/kg a day
    assert _kinds(real, child, [_o("oxcarbazepine", 900, times=2, days=30)]) & {"dose_above_max", "daily_max"}


def test_oxcarbazepine_above_the_adult_day_and_beside_the_pill(real):
    adult = _patient(age_years=30, weight_kg=60)
    assert "daily_max" in _kinds(real, adult, [_o("oxcarbazepine", 1200, times=3, days=30)])
    pt = _patient(age_years=24, current_medications=["combined oral contraceptive pill"])
    assert "interaction" in _kinds(real, pt, [_o("oxcarbazepine", 300, times=2, days=30)])


# --- co-amoxiclav ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "ml", "ok"), [
    # 12 kg: 80-90 mg/kg a day of amoxicillin is 480-540 mg a dose twice daily
    ("co-amoxiclav 457mg/5ml", 6, True),          # 480 mg of amoxicillin
    ("Augmentin 228 mg/5 ml", 12, True),          # 480 mg
    ("阿莫西林克拉维酸钾干混悬剂 457mg/5ml", 12, False),   # 960 mg: twice the dose
    ("co-amoxiclav 228mg/5ml", 25, False),        # 1000 mg
])
def test_co_amoxiclav_suspensions_are_counted_as_amoxicillin(real, written, ml, ok):
    child = _patient(age_years=2, weight_kg=12, egfr=None)
    kinds = _kinds(real, child, [_o(written, ml, "ml", times=2, days=5)])
    assert ("dose_above_max" not in kinds) is ok, kinds


def test_co_amoxiclav_156_suspension_three_times_daily_is_quiet(real):
    # BNFc: 125/31 mg/5 ml three times daily; 10 ml is 250 mg of amoxicillin, 750 mg a day for 12 kg
    child = _patient(age_years=2, weight_kg=12, egfr=None)
    assert loud(real, child, [_o("Augmentin 156mg/5ml", 10, "ml", times=3, days=5)]) == set()


@pytest.mark.parametrize(("written", "dose", "times", "quiet"), [
    ("co-amoxiclav 625mg", 1, 3, True), ("Augmentin 1g", 1, 2, True),
    ("阿莫西林克拉维酸钾片 1g", 2, 2, False),
])
def test_co_amoxiclav_adult_tablets(real, written, dose, times, quiet):
    adult = _patient()
    assert (loud(real, adult, [_o(written, dose, "tablet", times=times, days=5)]) == set()) is quiet


# --- metronidazole in children ---------------------------------------------------------------------

def test_metronidazole_child_dose_by_weight(real):
    child = _patient(age_years=4, weight_kg=16, egfr=None)
    # 7.5-10 mg/kg three times daily is 120-160 mg: 4 ml of 200 mg/5 ml (160 mg) is quiet
    assert loud(real, child, [_o("Flagyl suspension 200mg/5ml", 4, "ml", times=3, days=5)]) == set()
    # an adult tablet of 400 mg three times a day is 75 mg/kg a day: the giardiasis entries (one dose of
    # 600-800 mg a day at 3-6 years, BNFc) allow the dose once a day, not three times (session 17)
    assert {"dose_above_max", "daily_max"} & _kinds(real, child, [_o("甲硝唑片", 400, times=3, days=5)])


def test_metronidazole_for_a_child_without_a_weight_asks_for_it(real):
    child = _patient(age_years=3, weight_kg=None, egfr=None)
    assert "missing_data" in _kinds(real, child, [_o("灭滴灵混悬液 200mg/5ml", 5, "ml", times=3, days=5)])


@pytest.mark.parametrize(("written", "dose", "unit", "times"), [
    # the whole strength written in mg or g is the product (500/125 = 625 mg), counted as its amoxicillin
    ("co-amoxiclav", 625, "mg", 3), ("Augmentin", 1, "g", 2), ("阿莫西林克拉维酸钾片", 0.625, "g", 3),
    ("奥格门汀", 625, "mg", 2),
])
def test_co_amoxiclav_written_as_its_whole_strength_is_quiet(real, written, dose, unit, times):
    assert loud(real, _patient(), [_o(written, dose, unit, times=times, days=5)]) == set()


def test_co_amoxiclav_whole_strength_above_the_day_still_alarms(real):
    # 1 g (875/125) three times daily is 2625 mg of amoxicillin, above the 1750 mg of the twice-daily tablet
    assert "daily_max" in _kinds(real, _patient(), [_o("co-amoxiclav", 1, "g", times=3, days=5)])
