"""Chronic-care classes of session 20 (issue 14), real formulary: glibenclamide above 60 years
(WHO EML: not suitable), allopurinol and colchicine doses in severe kidney impairment (BNF), the
antimuscarinic of antipsychotic clinics (trihexyphenidyl / benzhexol / 安坦), and an order whose
text carries a comment naming other medicines."""

from __future__ import annotations

import pytest

from lantern.clinical.prescribing import Order, Patient, check_prescription


def _loud(real, patient: Patient, *orders: Order) -> set[tuple[int | None, str]]:
    formulary, index = real
    return {(a.order, a.kind) for a in check_prescription(formulary, index, patient, orders).alerts
            if a.severity in ("warn", "stop")}


@pytest.mark.parametrize(("age", "alerted"), [(72, True), (61, True), (50, False)])
def test_glibenclamide_above_60_years(real, age, alerted):
    order = Order("优降糖（格列本脲片 2.5mg）", 2.5, "mg", "oral", 2, 30)
    assert ((0, "age") in _loud(real, Patient(age_years=age, weight_kg=70, egfr=80), order)) is alerted
    # gliclazide is the one to prefer in older people
    assert (0, "age") not in _loud(real, Patient(age_years=age, weight_kg=70, egfr=80),
                                   Order("gliclazide", 80, "mg", "oral", 2, 30))


def test_allopurinol_and_colchicine_in_severe_kidney_impairment(real):
    low = Patient(age_years=76, weight_kg=60, egfr=18)
    assert (0, "renal") in _loud(real, low, Order("别嘌醇片 0.1g", 0.3, "g", "oral", 1, 30))
    assert (0, "renal") not in _loud(real, low, Order("allopurinol", 100, "mg", "oral", 1, 30))
    assert (0, "renal") in _loud(real, low, Order("秋水仙碱片 0.5mg", 0.5, "mg", "oral", 2, 30))
    assert (0, "renal") not in _loud(real, low, Order("colchicine", 0.5, "mg", "oral", 1, 30))
    normal = Patient(age_years=56, weight_kg=70, egfr=85)
    assert _loud(real, normal, Order("allopurinol", 300, "mg", "oral", 1, 30),
                 Order("colchicine", 0.5, "mg", "oral", 2, 30)) == set()


@pytest.mark.parametrize("name", ["benzhexol", "安坦（盐酸苯海索片 2mg）", "Artane 2mg", "trihexyphenidyl"])
def test_trihexyphenidyl_is_known_by_its_names(real, name):
    p = Patient(age_years=40, weight_kg=68, egfr=90)
    assert _loud(real, p, Order(name, 2, "mg", "oral", 2, 30)) == set()
    assert (0, "dose_above_max") in _loud(real, p, Order(name, 30, "mg", "oral", 1, 30))


def test_a_comment_in_the_order_names_no_second_medicine(real):
    p = Patient(age_years=40, weight_kg=52, egfr=100)
    orders = (Order("RHZE 150/75/400/275", 3, "tablet", "oral", 1, 60),
              Order("TLD", 1, "tablet", "oral", 1, 60),
              Order("dolutegravir 50mg (extra dose 12 h after TLD while on rifampicin)", 50, "mg", "oral", 1, 60))
    assert not {k for k in _loud(real, p, *orders) if k[1] == "duplicate"}
    # a bracket that names a combination's parts still counts them
    assert (1, "duplicate") in _loud(real, p, Order("paracetamol", 1000, "mg", "oral", 4, 3),
                                     Order("Tylenol #3 (paracetamol 300mg/codeine 30mg)", 1, "tablet", "oral", 4, 3))


def test_low_dose_aspirin_in_pregnancy_is_not_alarmed_but_analgesic_doses_are(real):
    """WHO 2011 / FIGO 2019: aspirin 75-150 mg a day prevents pre-eclampsia; analgesic doses are
    avoided, above all in the third trimester."""
    p = Patient(age_years=29, weight_kg=74, sex="female", pregnant=True, gestation_weeks=32)
    assert (0, "pregnancy") not in _loud(real, p, Order("aspirin 75mg", 75, "mg", "oral", 1, 14))
    assert (0, "pregnancy") in _loud(real, p, Order("aspirin", 600, "mg", "oral", 3, 3))
    assert (0, "pregnancy") in _loud(real, p, Order("aspirin", 300, "mg", "oral", 1, 14))


@pytest.mark.parametrize("chart", ["苯妥英钠 - 药物超敏综合征(DRESS)", "phenytoin - drug hypersensitivity syndrome"])
def test_a_reaction_named_beside_one_anticonvulsant_does_not_make_it_the_whole_class(real, chart):
    """DRESS is a reaction (to aromatic anticonvulsants, allopurinol, sulfonamides...), not a drug
    class: the chart names phenytoin, so carbamazepine is a cross-reaction (BNF), not the allergy."""
    p = Patient(age_years=28, weight_kg=65, allergies=(chart,))
    loud = _loud(real, p, Order("得理多（卡马西平片 0.2g）", 1, "tablet", "oral", 2, 30))
    assert (0, "cross_reactivity") in loud and (0, "allergy") not in loud
    assert (0, "allergy") in _loud(real, p, Order("phenytoin", 100, "mg", "oral", 3, 30))
