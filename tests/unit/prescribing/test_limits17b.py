"""Limits the first round of session 17 left (issue 14): an ingredient's own cap inside a combination
(co-amoxiclav's clavulanic acid, an inhaler's salmeterol and fluticasone), a child whom no dose entry
fits never checked against an adult's dose, inhalers ordered in puffs, and orders read as clinicians
write them (strengths inside the drug text, ratios, ml of suspensions, half tablets, g for mg, bad
input). Prescriptions written for these tests, on the real formulary (EN and ZH).
"""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts, loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

from lantern.clinical.prescribing.amounts import Amount, order_amount
from lantern.clinical.prescribing.inputs import parse_order
from lantern.clinical.prescribing.names import strengths_in


def _kinds(real, patient: dict, orders: list[dict], order: int = 0) -> set[str]:
    return {kind for i, kind in loud(real, patient, orders) if i == order}


def _puffs(drug: str, n: float, times: int) -> dict:
    return {"drug": drug, "dose": n, "unit": "puffs", "route": "inhaled", "times_per_day": times, "days": 30}


# --- an ingredient's own cap inside a combination -------------------------------------------------------

@pytest.mark.parametrize("written, dose, unit", [
    ("co-amoxiclav 375mg", 2, "tablet"),
    ("Augmentin 250/125", 2, "tabs"),
    ("阿莫西林克拉维酸钾片(2:1) 0.375g", 2, "片"),
    ("阿莫西林克拉维酸钾片 0.375g", 0.75, "g"),          # 0.75 g of 0.375 g tablets: two of them
])
def test_two_250_125_tablets_are_twice_the_clavulanic_acid(real, written, dose, unit):
    got = [a for a in alerts(real, _patient(), [_o(written, dose, unit, times=3)]) if a["kind"] == "dose_above_max"]
    assert got and "clavulanic" in got[0]["message"].lower(), got


@pytest.mark.parametrize("written, dose, unit, times", [
    ("co-amoxiclav 375mg", 1, "tablet", 3),
    ("co-amoxiclav 625mg", 1, "tablet", 3),
    ("Augmentin 1g", 1, "tablet", 2),
    ("阿莫西林克拉维酸钾片 0.625g", 1, "片", 3),
])
def test_one_tablet_of_each_strength_is_within(real, written, dose, unit, times):
    assert _kinds(real, _patient(), [_o(written, dose, unit, times=times)]) == set()


def test_a_child_on_a_4_to_1_suspension_at_a_high_dose_gets_too_much_clavulanic_acid(real):
    child = _patient(age_years=2, weight_kg=12)
    # 90 mg/kg/day of amoxicillin as 125/31.25 mg/5 ml three times daily: 22.5 mg/kg of clavulanic acid
    too_much = alerts(real, child, [_o("co-amoxiclav 156mg/5ml", 14.4, "ml", times=3)])
    assert any(a["kind"] == "daily_max" and "clavulanic" in a["message"].lower() for a in too_much)
    # the same amoxicillin as the 7:1 suspension (400/57 mg/5 ml) twice daily is within
    assert _kinds(real, child, [_o("co-amoxiclav 457mg/5ml", 6.75, "ml", times=2)]) == set()


# --- a child whom no dose entry fits --------------------------------------------------------------------

def test_an_infant_under_the_childrens_lowest_band_is_not_checked_as_an_adult(real):
    infant = _patient(age_years=0.17, weight_kg=4)
    # 20 mg is an adult's dose: above every children's entry at this weight, not passed by the adult one
    assert "dose_above_max" in _kinds(real, infant, [_o("omeprazole", 20)])
    small = alerts(real, infant, [_o("奥美拉唑", 2.5)])
    assert not [a for a in small if a["severity"] in ("warn", "stop")]
    assert any(a["kind"] == "missing_data" and "not checked" in a["message"] for a in small)


def test_an_older_child_is_still_checked_by_the_childrens_entry(real):
    child = _patient(age_years=3, weight_kg=14)
    assert _kinds(real, child, [_o("omeprazole", 10)]) == set()
    assert not any(a["kind"] == "missing_data" for a in alerts(real, child, [_o("omeprazole", 10)]))


def test_nevirapine_extended_infant_prophylaxis_is_a_dose_of_its_own(real):
    infant = _patient(age_years=0.15, weight_kg=4.5)
    assert _kinds(real, infant, [_o("nevirapine 10 mg/ml oral suspension", 2, "ml", times=1, days=30)]) == set()
    got = alerts(real, infant, [_o("奈韦拉平混悬液", 2, "ml", times=1, days=30)])
    assert not any(a["kind"] == "missing_data" for a in got)


# --- inhalers ordered in puffs --------------------------------------------------------------------------

@pytest.mark.parametrize("written, n, times", [
    ("salbutamol inhaler 100mcg", 2, 4), ("万托林", 2, 4), ("ventolin", 4, 1),    # 4 puffs by spacer in an attack
    ("Seretide 50/250", 1, 2), ("舒利迭 25/125", 2, 2), ("Symbicort 200/6", 2, 2),
    ("beclometasone 100mcg", 2, 2), ("必可酮 50mcg", 2, 2),
])
def test_a_usual_dose_in_puffs_is_checked_and_within(real, written, n, times):
    got = alerts(real, _patient(), [_puffs(written, n, times)])
    assert not [a for a in got if a["severity"] in ("warn", "stop")], got
    assert not any(a["kind"] == "missing_data" for a in got), got


@pytest.mark.parametrize("written, n, times, kind", [
    ("Seretide 50/500", 2, 2, "dose_above_max"),       # two Accuhaler inhalations: 100 micrograms of salmeterol
    ("舒利迭 50/250", 1, 4, "daily_max"),                # four times a day: 200 micrograms of salmeterol
    ("Symbicort 200/6", 8, 1, "dose_above_max"),       # 48 micrograms of formoterol at once
    ("beclometasone 100mcg", 12, 1, "dose_above_max"),
    ("salbutamol inhaler", 15, 4, "dose_above_max"),   # 1.5 mg: more than 10 puffs at once
])
def test_too_many_puffs_alert(real, written, n, times, kind):
    assert kind in _kinds(real, _patient(), [_puffs(written, n, times)])


def test_a_child_on_an_adult_seretide_strength(real):
    child = _patient(age_years=8, weight_kg=25)
    assert "dose_above_max" in _kinds(real, child, [_puffs("Seretide 50/250", 1, 2)])
    assert _kinds(real, child, [_puffs("Seretide 50/100", 1, 2)]) == set()


@pytest.mark.parametrize("unit", ["puff", "puffs", "inhalations", "喷", "揿", "吸"])
def test_puff_words_are_one_unit(unit):
    assert parse_order({"drug": "salbutamol", "dose": 2, "unit": unit}, 0).unit == "puff"


def test_puffs_are_not_judged_by_a_nebuliser_dose(real):
    # two puffs are not an under-dose of the 5 mg nebulised entry, and 4 puffs are not 'below 2.5 mg'
    got = alerts(real, _patient(), [_puffs("salbutamol inhaler 100mcg", 4, 4)])
    assert not any(a["kind"] == "dose_below_min" for a in got)


# --- orders read as clinicians write them ---------------------------------------------------------------

@pytest.mark.parametrize("written, dose, unit, mg", [
    ("Amoxil 250mg/5ml susp", 5, "ml", 250),
    ("amoxicillin 125 mg/5 ml", 10, "ml", 250),
    ("阿莫西林干混悬剂 125mg/5ml", 7.5, "毫升", 187.5),
    ("PCM 500", 2, "tablet", 1000),
    ("paracetamol 500mg", 0.5, "tab", 250),                # half a tablet
    ("对乙酰氨基酚片 0.5g", 1.5, "片", 750),
    ("阿莫西林胶囊0.25g", 2, "粒", 500),
    ("阿莫西林胶囊0.25g", 0.5, "g", 500),                  # g where mg is usual
    ("布洛芬混悬液100ml:2g", 5, "ml", 100),
    ("amoxicillin", 0.5, "g", 500),
    ("ibuprofen 100mg/5ml", 7.5, "mls", 150),
    ("amoxicillin 250 mg / 5 mL", 5, "mL", 250),         # the unit in any case
    ("Paracetamol 0,5 g", 2, "tablet", 1000),             # a decimal comma below one
    ("Amoxicilline 0,25 g gélule", 2, "caps", 500),
    ("扑热息痛 0.5克", 1, "片", 500),                       # a Chinese unit after the strength
    ("阿莫西林颗粒 0.125克", 2, "包", 250),
    ("paracetamol syrup 120mg/5ml", 2, "tsp", 240),       # the 5 ml spoon
    ("Amoxil 250mg/5ml susp", 0.5, "teaspoon", 125),
    ("paracetamol 125mg suppository", 1, "supp", 125),
    ("小儿布洛芬栓 50mg", 1, "枚", 50),
])
def test_the_amount_per_dose_is_read_from_the_drug_text(real, written, dose, unit, mg):
    formulary, index = real
    order = parse_order({"drug": written, "dose": dose, "unit": unit}, 0)
    res = index.resolve(written)
    assert res is not None and not order.problems
    amount = order_amount(order, formulary.drugs[res.drug], res.strengths, res.per_ml)
    assert isinstance(amount, Amount) and amount.low == pytest.approx(mg) and not amount.ambiguous


@pytest.mark.parametrize("text, strengths", [
    ("阿莫西林克拉维酸钾片(2:1) 0.375g", (375.0,)),
    ("co-amoxiclav 4:1 625mg", (625.0,)),
    ("阿莫西林克拉维酸钾片（7：1）1g", (1000.0,)),
    ("布洛芬混悬液100ml:2g", (2000.0,)),
])
def test_a_ratio_is_not_a_strength(text, strengths):
    assert strengths_in(text)[0] == strengths


def test_a_route_without_an_entry_is_said_not_checked(real):
    got = alerts(real, _patient(age_years=2, weight_kg=12), [_o("小儿布洛芬栓 50mg", 1, "枚", route="rectal", times=3)])
    assert any(a["kind"] == "missing_data" and "not checked" in a["message"] for a in got), got


@pytest.mark.parametrize("written, n, age, weight, kind", [
    ("对乙酰氨基酚栓 0.125g", 1, 2, 12, None),
    ("paracetamol 125mg suppository", 2, 3, 14, None),               # 250 mg at 1-4 years
    ("对乙酰氨基酚栓 0.125g", 3, 2, 12, "dose_above_max"),
    ("paracetamol 125mg suppository", 2, 0.5, 7, "dose_above_max"),  # 250 mg at 6 months
])
def test_paracetamol_suppositories_by_age(real, written, n, age, weight, kind):
    got = _kinds(real, _patient(age_years=age, weight_kg=weight), [_o(written, n, "supp", route="rectal", times=4)])
    assert (kind in got) if kind else got == set(), got


@pytest.mark.parametrize("order, words", [
    ({"drug": "paracetamol", "dose": -5, "unit": "ml"}, "impossible"),
    ({"drug": "对乙酰氨基酚", "dose": 0, "unit": "mg"}, "impossible"),
    ({"drug": "paracetamol", "dose": 2, "unit": "drops"}, "not one of"),
    ({"drug": "对乙酰氨基酚滴剂", "dose": 10, "unit": "滴"}, "not one of"),
    ({"drug": "amoxicillin", "dose": 500}, "without a unit"),
])
def test_bad_input_is_said_and_never_dosed(real, order, words):
    got = alerts(real, _patient(age_years=4, weight_kg=16), [{**order, "route": "oral", "times_per_day": 3}])
    assert any(a["kind"] == "missing_data" and words in a["message"] for a in got), got
    assert not any(a["kind"] in ("dose_above_max", "daily_max", "dose_below_min") for a in got)


def test_an_impossible_amount_or_weight_is_never_computed_on(real):
    huge = alerts(real, _patient(), [_o("paracetamol", 1_000_000, "mg", times=3)])
    assert any(a["kind"] == "dose_above_max" and "impossible" in a["message"] for a in huge)
    heavy = alerts(real, _patient(weight_kg=400), [_o("gentamicin", 400, route="iv", times=1)])
    assert any(a["kind"] == "missing_data" and "400" in a["message"] and "impossible" in a["message"] for a in heavy)


@pytest.mark.parametrize("route", ["nasal", "intranasal", "鼻用", "喷鼻"])
def test_a_nasal_spray_by_the_nasal_route_is_checked(real, route):
    usual = {"drug": "mometasone nasal spray 50mcg", "dose": 2, "unit": "sprays", "route": route,
             "times_per_day": 1, "days": 30}
    got = alerts(real, _patient(), [usual])
    assert not any(a["kind"] == "missing_data" for a in got), got
    assert "daily_max" in _kinds(real, _patient(), [{**usual, "dose": 8, "times_per_day": 2}])


def test_an_unfitted_infant_given_a_dose_too_often_is_a_daily_max(real):
    # omeprazole 10 mg is within the 5-10 kg band's range, but four times a day is above any entry's day
    infant = _patient(age_years=0.17, weight_kg=4)
    assert "daily_max" in _kinds(real, infant, [_o("omeprazole", 10, times=4)])
