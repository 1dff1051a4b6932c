"""Orders as they are really written for acute illness (issue 14, session 19): the same medicine
twice over the same days by two brands or two routes, a concentration written inside a product's
name, chemical formulas, and medicines the formulary lacked (indometacin, lindane, tobramycin eye
drops), on the real formulary."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

# --- the same medicine twice -----------------------------------------------------------------------

def test_two_brands_of_one_medicine_over_the_same_days_are_a_duplicate_whatever_their_frequency(real):
    child = _patient(age_years=5, weight_kg=20, egfr=None)
    loud = _loud(real, child, [_o("Brufen syrup 100mg/5ml", 5, "ml", times=3, days=3),
                               _o("Nurofen for Children 100mg/5ml", 5, "ml", times=4, days=3)])
    assert {(0, "duplicate"), (1, "duplicate")} <= loud


def test_a_medicine_inhaled_and_by_mouth_over_the_same_days_is_a_duplicate(real):
    child = _patient(age_years=6, weight_kg=20, egfr=None)
    loud = _loud(real, child, [_o("salbutamol inhaler 100mcg", 2, "puff", "inhaled", times=4, days=5),
                               _o("salbutamol syrup 2mg/5ml", 5, "ml", times=3, days=5)])
    assert (1, "duplicate") in loud


@pytest.mark.parametrize("orders", [
    # a loading dose, then the maintenance doses by another route
    [_o("magnesium sulfate", 4, "g", "iv", times=1, days=1), _o("magnesium sulfate", 5, "g", "im", times=6, days=1)],
    # IV for two days, then by mouth for five
    [_o("metronidazole", 500, route="iv", times=3, days=2), _o("metronidazole", 400, times=3, days=5)],
    # the regular dose and the same medicine as needed
    [_o("paracetamol", 1, "g", times=4, days=3), _o("paracetamol", 500, times=None, days=None)],
])
def test_one_schedule_of_one_medicine_is_not_a_duplicate(real, orders):
    assert not {k for _, k in _loud(real, _patient(), orders)} & {"duplicate"}


# --- names as written ------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "drug"), [
    ("chloramphenicol 0.5% eye drops", "chloramphenicol_eye_drops"),
    ("tetracycline 1% eye ointment", "tetracycline_eye_ointment"),
    ("ciprofloxacin 0.3% ear drops", "ciprofloxacin_ear_drops"),
    ("glucose 10%", "dextrose_10"),                 # a concentration at the end stays part of the name
    ("chloramphenicol 250mg caps", "chloramphenicol"),
    ("ZnSO4 20mg disp tab", "zinc_sulfate"),
    ("Zn 20mg", "zinc_sulfate"),
    ("zn gluconate 10mg", "zinc_gluconate"),
    ("CaCO3 500mg", "calcium_carbonate"),
    ("托百士 妥布霉素滴眼液 0.3%", "tobramycin_eye_drops"),
    ("Tobrex 0.3% eye drops", "tobramycin_eye_drops"),
    ("林旦乳膏 1%", "lindane"),
    ("lindane 1% lotion", "lindane"),
    ("indomethacin 25mg", "indometacin"),
    ("消炎痛 25mg", "indometacin"),
])
def test_names_as_written_resolve(real, written, drug):
    got = real[1].resolve(written)
    assert got is not None and got.drug == drug, (written, got)


def test_eye_drops_of_a_medicine_with_a_neonatal_limit_are_not_the_injection(real):
    newborn = _patient(age_years=0.03, weight_kg=3.4, egfr=None)
    assert _loud(real, newborn, [_o("chloramphenicol 0.5% eye drops", 0.05, "ml", "topical", times=4, days=5)]) == set()
    assert (0, "age") in _loud(real, newborn, [_o("chloramphenicol", 85, route="iv", times=4, days=5)])


def test_an_aminoglycoside_eye_drop_needs_no_egfr(real):
    adult = _patient(age_years=42, egfr=None)
    assert _loud(real, adult, [_o("托百士 妥布霉素滴眼液 0.3%", 0.05, "ml", "topical", times=4, days=7)]) == set()
    assert (0, "missing_data") in _loud(real, adult, [_o("gentamicin", 300, route="iv")])
    assert (0, "allergy") in _loud(real, _patient(allergies=["aminoglycosides"]),
                                   [_o("tobramycin eye drops", 0.05, "ml", "topical", times=4, days=7)])


# --- medicines the formulary lacked ----------------------------------------------------------------

def test_zinc_by_its_formula_is_dosed_for_a_young_infant(real):
    infant = _patient(age_years=0.33, weight_kg=6, egfr=None)
    assert (0, "dose_above_max") in _loud(real, infant, [_o("ZnSO4 20mg disp tab", 1, "tablet", days=10)])
    child = _patient(age_years=3, weight_kg=14, egfr=None)
    assert _loud(real, child, [_o("ZnSO4 20mg", 1, "tablet", days=10)]) == set()


def test_indometacin_late_in_pregnancy_and_beside_another_nsaid(real):
    late = _patient(pregnant=True, gestation_weeks=33)
    assert (0, "pregnancy") in _loud(real, late, [_o("indomethacin 25mg", 25, times=4, days=2)])
    assert (0, "duplicate") in _loud(real, _patient(), [_o("消炎痛", 25, times=3), _o("ibuprofen", 400, times=3)])
    assert (0, "renal") in _loud(real, _patient(egfr=20), [_o("Indocid", 25, times=3)])
    assert _loud(real, _patient(), [_o("indometacin", 50, times=3)]) == set()
    assert (0, "daily_max") in _loud(real, _patient(), [_o("indometacin", 75, times=4)])


def test_lindane_in_a_young_child_and_in_pregnancy(real):
    toddler = _patient(age_years=1, weight_kg=9, egfr=None)
    assert (0, "age") in _loud(real, toddler, [_o("林旦乳膏 1%", 10, "g", "topical", days=1)])
    assert (0, "pregnancy") in _loud(real, _patient(pregnant=True, gestation_weeks=20),
                                     [_o("lindane 1% cream", 30, "g", "topical", days=1)])
    assert (0, "age") not in _loud(real, _patient(), [_o("lindane 1% cream", 30, "g", "topical", days=1)])


# --- limits in children: nevirapine by weight, combination inhalers by age and product ---------------

@pytest.mark.parametrize(("age", "weight", "written", "dose", "unit", "times", "alarm"), [
    (0.01, 3.0, "nevirapine 10mg/ml", 1.5, "ml", 1, False),        # prophylaxis 15 mg, 2.5 kg and over
    (0.01, 1.8, "NVP", 4, "mg", 1, False),                          # 2 mg/kg under 2000 g
    (0.01, 1.8, "NVP", 15, "mg", 1, True),                          # the term infant's dose at 1.8 kg
    (0.05, 3.5, "nevirapine syrup 50mg/5ml", 2, "ml", 2, False),    # newborn treatment 6 mg/kg twice daily
    (0.3, 6.0, "nevirapine 200mg", 1, "tablet", 1, True),           # an adult tablet for a 6 kg infant
    (0.3, 6.0, "nevirapine 50mg", 1.5, "tablet", 2, False),         # WHO band 6-9.9 kg: 75 mg twice daily
    (0.15, 4.5, "nevirapine 10 mg/ml oral suspension", 2, "ml", 1, False),   # extended prophylaxis 20 mg
    (9, 28, "nevirapine 200mg", 1, "tablet", 2, False),             # 25 kg and over: 200 mg twice daily
])
def test_nevirapine_in_infants_and_children_by_weight(real, age, weight, written, dose, unit, times, alarm):
    child = _patient(age_years=age, weight_kg=weight, egfr=None)
    got = _loud(real, child, [_o(written, dose, unit, times=times, days=14)])
    assert ((0, "dose_above_max") in got) == alarm, got


@pytest.mark.parametrize(("age", "written", "puffs", "kind"), [
    (3, "Symbicort 160/4.5", 1, "age"),
    (3, "信必可 160/4.5", 1, "age"),
    (9, "Symbicort 400/12", 2, "dose_above_max"),      # the adult inhaler for a child of 6-11
    (9, "Symbicort 200/6", 2, "dose_above_max"),
    (9, "Symbicort 100/6", 2, None),
    (14, "Symbicort 160/4.5", 2, None),
    (3, "Seretide 50 Evohaler 25/50", 2, "age"),
    (5, "Seretide 25/50", 2, None),
])
def test_combination_inhalers_in_children(real, age, written, puffs, kind):
    child = _patient(age_years=age, weight_kg=14 + 3 * max(age - 3, 0), egfr=None)
    got = _loud(real, child, [_o(written, puffs, "puff", "inhaled", times=2, days=30)])
    assert got == ({(0, kind)} if kind else set()), got


@pytest.mark.parametrize(("written", "puffs", "alarm"), [
    ("Seretide 125", 2, True),                 # named by its fluticasone: 250 micrograms a dose at 7 years
    ("舒利迭 250", 1, True),
    ("Seretide 250 Evohaler", 2, True),
    ("Seretide 50 Evohaler", 2, False),        # the 25/50 inhaler, 2 puffs twice daily from 4 years
    ("Seretide 100 Accuhaler", 1, False),
    ("Symbicort 160", 2, True),                # budesonide 320 micrograms a dose at 9 years
])
def test_a_combination_inhaler_named_by_its_corticosteroid(real, written, puffs, alarm):
    child = _patient(age_years=8, weight_kg=25, egfr=None)
    got = _loud(real, child, [_o(written, puffs, "puff", "inhaled", times=2, days=30)])
    assert ((0, "dose_above_max") in got) == alarm, got
