"""Emergency-room, labour-ward and pre-referral orders (issue 14): parenteral, loading and
weight-based doses that must not alarm, and the same orders made unsafe, which must. Each
safe test has an unsafe twin so that it can fail. Orders written for these tests."""

from __future__ import annotations

from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _child(age: float, kg: float, **kw) -> dict:
    return _patient(age_years=age, weight_kg=kg, sex="male", egfr=None, **kw)


# ------------------------------------------------------------------ names of fluids and premixes

def test_a_concentration_in_the_name_picks_the_fluid(real):
    _, index = real
    assert index.resolve("glucose 10%").drug == "dextrose_10"
    assert index.resolve("Dextrose 50%").drug == "glucose"
    assert index.resolve("glucose 5% 500ml").drug == "dextrose_5"


def test_a_medicine_premixed_in_its_carrier_fluid_is_the_medicine(real):
    _, index = real
    assert index.resolve("环丙沙星氯化钠注射液").drug == "ciprofloxacin"
    assert index.resolve("甲硝唑葡萄糖注射液").drug == "metronidazole"
    assert index.resolve("0.9%氯化钠注射液").drug == "sodium_chloride_09"


def test_a_bolus_of_concentrated_glucose_then_a_10_percent_drip_is_not_a_double_dose(real):
    elder = _patient(age_years=78, weight_kg=50, current_medications=["glibenclamide 5 mg od"])
    loud = _loud(real, elder, [_o("葡萄糖注射液50%", 30, unit="ml", route="iv", days=0),
                               _o("10%葡萄糖注射液", 500, unit="ml", route="iv", days=1)])
    assert not {k for _, k in loud} & {"duplicate"}


def test_a_premixed_quinolone_in_saline_is_checked_as_the_quinolone(real):
    kidney = _patient(age_years=75, weight_kg=52, egfr=18)
    loud = _loud(real, kidney, [_o("0.9%氯化钠注射液", 250, unit="ml", route="iv", days=1),
                                _o("左氧氟沙星氯化钠注射液", 750, route="iv", days=5)])
    assert (1, "renal") in loud
    assert not {k for _, k in loud} & {"duplicate"}


# ------------------------------------------------------------------ weight-based rounding

def test_a_per_kg_maximum_allows_rounding_to_a_tenth_of_a_ml(real):
    # 15 mg/kg for 17 kg = 255 mg = 10.625 ml of 120 mg/5 ml, written 10.7 ml
    assert not _loud(real, _child(4.5, 17), [_o("paracetamol 120mg/5ml", 10.7, unit="ml", times=4, days=3)])
    # a real overdose of the same syrup still alarms
    assert (0, "dose_above_max") in _loud(real, _child(4.5, 17),
                                          [_o("paracetamol 120mg/5ml", 15, unit="ml", times=4, days=3)])


def test_insulin_infusion_in_a_child_in_dka_up_to_0_1_unit_per_kg_per_hour(real):
    child = _child(11, 32)
    assert not _loud(real, child, [_o("Actrapid", 3.2, unit="IU", route="iv", times=24, days=1)])
    assert (0, "dose_above_max") in _loud(real, child, [_o("Actrapid", 10, unit="IU", route="iv", times=24, days=1)])


# ------------------------------------------------------------------ loading doses and steps

def test_acetylcysteine_three_bags_are_one_regimen(real):
    adult = _patient(age_years=24, weight_kg=80, sex="male", egfr=95)
    bags = [_o("N-acetylcysteine", 12, unit="g", route="iv", days=1),
            _o("N-acetylcysteine", 4, unit="g", route="iv", days=1),
            _o("N-acetylcysteine", 8, unit="g", route="iv", days=1)]
    assert not _loud(real, adult, bags)
    # one bag of 300 mg/kg is above every step
    assert (0, "dose_above_max") in _loud(real, adult, [_o("N-acetylcysteine", 24, unit="g", route="iv", days=1)])


def test_two_identical_stat_doses_are_still_a_duplicate(real):
    loud = _loud(real, _patient(), [_o("ceftriaxone", 1, unit="g", route="iv", days=1),
                                    _o("Rocephin", 1, unit="g", route="iv", days=1)])
    assert (1, "duplicate") in loud


def test_phenobarbital_iv_loading_in_a_newborn(real):
    newborn = _child(0.02, 3.4)
    assert not _loud(real, newborn, [_o("phenobarbitone", 68, route="iv", days=1)])
    assert (0, "dose_above_max") in _loud(real, newborn, [_o("phenobarbitone", 340, route="iv", days=1)])
    assert (0, "dose_below_min") in _loud(real, newborn, [_o("phenobarbitone", 5, route="iv", days=1)])


def test_benzylpenicillin_gbs_loading_then_four_hourly(real):
    labour = _patient(age_years=29, weight_kg=72, pregnant=True, gestation_weeks=38)
    assert not _loud(real, labour, [_o("crystalline penicillin", 3, unit="g", route="iv", days=0),
                                    _o("crystalline penicillin", 1.5, unit="g", route="iv", times=6, days=1)])
    assert (0, "dose_above_max") in _loud(real, labour, [_o("crystalline penicillin", 9, unit="g", route="iv", days=0)])


# ------------------------------------------------------------------ labour ward and emergency room

def test_oxytocin_induction_infusion_amount_is_not_under_dosing(real):
    term = _patient(age_years=33, weight_kg=75, pregnant=True, gestation_weeks=41)
    assert not _loud(real, term, [_o("Syntocinon", 2.5, unit="IU", route="iv", days=1)])
    assert (0, "dose_below_min") in _loud(real, term, [_o("Syntocinon", 0.5, unit="IU", route="iv", days=1)])


def test_adrenaline_for_anaphylaxis_by_age_band(real):
    assert not _loud(real, _child(9, 27), [_o("epinephrine 1mg/ml", 0.3, route="im", days=1)])
    assert not _loud(real, _child(3, 14), [_o("epinephrine 1mg/ml", 0.15, route="im", days=1)])
    assert (0, "dose_above_max") in _loud(real, _child(3, 14), [_o("epinephrine 1mg/ml", 1, route="im", days=1)])


def test_hyperkalaemia_insulin_glucose_and_nebulised_salbutamol(real):
    aki = _patient(age_years=64, weight_kg=80, sex="male", egfr=14)
    orders = [_o("Humulin R", 10, unit="IU", route="iv", days=0), _o("dextrose 50%", 50, unit="ml", route="iv", days=0),
              _o("ventolin", 10, route="inhaled", days=0)]
    assert not _loud(real, aki, orders)
    assert (0, "dose_above_max") in _loud(real, aki, [_o("dextrose 50%", 200, unit="ml", route="iv", days=0)])


def test_injected_tramadol_and_metoclopramide_have_daily_maxima(real):
    adult = _patient(age_years=50, weight_kg=70)
    assert not _loud(real, adult, [_o("tramal", 100, route="im", times=4, days=2)])
    assert (0, "daily_max") in _loud(real, adult, [_o("tramal", 100, route="im", times=10, days=2)])
    assert not _loud(real, adult, [_o("maxolon", 10, route="iv", times=3, days=2)])
    assert (0, "daily_max") in _loud(real, adult, [_o("maxolon", 10, route="iv", times=5, days=2)])


def test_ketorolac_is_an_nsaid_for_kidneys_allergy_and_duplicates(real):
    adult = _patient(age_years=45, weight_kg=70, egfr=95)
    assert not _loud(real, adult, [_o("Toradol", 30, route="im", times=1, days=1)])
    assert (0, "renal") in _loud(real, _patient(age_years=80, weight_kg=55, egfr=22), [_o("Toradol", 10, route="iv", days=1)])
    assert (1, "duplicate") in _loud(real, adult, [_o("diclofenac", 75, route="im", days=1), _o("Toradol", 30, route="iv", days=1)])
    naproxen_allergy = _patient(allergies=["naproxen: hives"])
    assert (0, "cross_reactivity") in _loud(real, naproxen_allergy, [_o("ketorolac", 30, route="iv", days=1)])


def test_emergency_medicines_are_known_not_unknown(real):
    adult = _patient(age_years=36, weight_kg=66, egfr=100)
    for drug, dose, unit, route in (("Solu-Medrol", 80, "mg", "iv"), ("Hemabate", 250, "mcg", "im"),
                                    ("山莨菪碱注射液(654-2)", 10, "mg", "im"), ("human tetanus immunoglobulin", 500, "IU", "im"),
                                    ("Demerol", 75, "mg", "im")):
        loud = _loud(real, adult, [_o(drug, dose, unit=unit, route=route, days=1)])
        assert not loud, (drug, loud)


def test_pethidine_in_renal_failure_and_lysine_aspirin_in_a_child(real):
    assert (0, "renal") in _loud(real, _patient(age_years=70, weight_kg=60, egfr=15), [_o("杜冷丁", 50, route="im", days=1)])
    assert (0, "age") in _loud(real, _child(2, 12), [_o("赖氨匹林", 150, route="im", days=1)])


def test_meropenem_with_valproate_is_an_interaction(real):
    epileptic = _patient(current_medications=["Epilim 600 mg bd"])
    assert (0, "interaction") in _loud(real, epileptic, [_o("Meronem", 1, unit="g", route="iv", times=3, days=5)])


def test_a_chinese_cold_tablet_with_paracetamol_beside_paracetamol_is_a_duplicate(real):
    adult = _patient()
    assert (1, "duplicate") in _loud(real, adult, [_o("扑热息痛片", 0.5, unit="g", times=3, days=3),
                                                   _o("氨酚伪麻美芬片", 1, unit="tablet", times=3, days=3)])
    assert not _loud(real, adult, [_o("白加黑", 1, unit="tablet", times=3, days=3)])
