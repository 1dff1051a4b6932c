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
