"""The same medicine twice, combinations by their ingredients, and the eGFR that
levels-monitored antibiotics need (issue 14, item 3), on the real formulary."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

from lantern.clinical.prescribing import read_formulary
from lantern.clinical.prescribing.request import check_request


def test_a_loading_dose_then_maintenance_is_one_schedule_not_a_duplicate(real):
    # phenobarbital for a newborn's seizures: a loading dose once, then a daily dose
    newborn = _patient(age_years=0.01, weight_kg=3.0, egfr=None)
    loud = _loud(real, newborn, [_o("phenobarbital", 60, route="iv", days=1), _o("phenobarbital", 15, route="iv", days=5)])
    assert not {k for _, k in loud} & {"duplicate", "interaction"}


def test_the_same_medicine_twice_for_the_same_days_is_a_duplicate_whatever_the_amounts(real):
    loud = _loud(real, _patient(), [_o("paracetamol", 1, unit="g", times=4), _o("Panadol 500mg", 2, unit="tablet", times=4)])
    assert (1, "duplicate") in loud
    child = _patient(age_years=0.7, weight_kg=8)
    loud = _loud(real, child, [_o("paracetamol 120mg/5ml", 5, unit="ml", times=4, days=3),
                               _o("Calpol 120mg/5ml", 5, unit="ml", times=4, days=3)])
    assert (1, "duplicate") in loud


def test_a_medicine_already_taken_is_a_duplicate_never_an_interaction_with_itself(real):
    formulary, index = real
    patient = _patient(age_years=70, current_medications=["aspirin 100 mg od"])
    out = check_request({"id": "t", "patient": patient, "orders": [_o("aspirin", 100)]},
                        formulary=formulary, index=index)
    kinds = {(a["kind"], a["severity"]) for a in out["alerts"]}
    assert ("duplicate", "warn") in kinds
    assert not any(k == "interaction" for k, _ in kinds)


@pytest.mark.parametrize("drug,dose", [("vancomycin", 1000), ("gentamicin", 300)])
def test_an_adult_on_a_levels_monitored_antibiotic_needs_an_egfr(real, drug, dose):
    orders = [_o(drug, dose, route="iv")]
    assert (0, "missing_data") in _loud(real, _patient(age_years=70, egfr=None), orders)
    assert (0, "missing_data") not in _loud(real, _patient(age_years=70, egfr=90), orders)


def test_a_newborn_on_gentamicin_needs_no_egfr(real):
    newborn = _patient(age_years=0.01, weight_kg=3.0, egfr=None)
    assert (0, "missing_data") not in _loud(real, newborn, [_o("gentamicin", 15, route="iv", days=7)])


def test_a_one_letter_product_word_is_not_folded_away(real):
    _formulary, index = real
    # "insulin n" run together would fold to "insulin" and make every insulin NPH
    assert index.resolve("insulin degludec") is None                # a type the formulary lacks
    assert index.resolve("insulin glargine (Lantus)").drug == "insulin_glargine"
    assert index.resolve("诺和锐（门冬胰岛素）").drug == "insulin_aspart"
    assert index.resolve("胰岛素") is None                              # which insulin? not guessed
    assert index.resolve("humulin n").drug == "insulin_nph"
    assert index.resolve("humulin r").drug == "insulin_regular"


def test_a_concentration_written_in_the_order_counts_even_when_the_formulary_lacks_it(real):
    # paracetamol drops 100 mg/ml: 4 ml is 400 mg, about 44 mg/kg for a 9 kg baby
    baby = _patient(age_years=1, weight_kg=9, egfr=None)
    assert (0, "dose_above_max") in _loud(real, baby, [_o("paracetamol drops 100mg/ml", 4, unit="ml", times=4, days=3)])
    assert (0, "dose_above_max") not in _loud(real, baby, [_o("paracetamol drops 100mg/ml", 1.2, unit="ml", times=4, days=3)])


def test_one_number_in_a_combinations_name_is_not_its_strength(real):
    formulary, index = real
    combos = [d for d in formulary.drugs.values() if any(f.components for f in d.forms) and d.mass_unit
              and any(f.is_tablet for f in d.forms)]
    assert combos
    drug = combos[0]
    from lantern.clinical.prescribing.amounts import Amount, order_amount
    from lantern.clinical.prescribing.inputs import Order

    order = Order(drug=f"{drug.name_en} e-999", dose=1, unit="tablet", route="oral", times_per_day=1, days=1)
    amount = order_amount(order, drug, (999.0,), None)
    assert isinstance(amount, Amount)
    assert 999.0 not in (amount.low, amount.high)       # counted from the formulary's tablets


def test_a_combination_written_out_is_checked_as_each_medicine_it_names(real):
    tylenol3 = _o("Tylenol #3 (paracetamol 300mg/codeine 30mg)", 1, unit="tablet", times=4, days=3)
    mother = _patient(age_years=27, breastfeeding=True)
    assert (0, "breastfeeding") in _loud(real, mother, [tylenol3])            # the codeine in it
    assert (1, "duplicate") in _loud(real, _patient(), [tylenol3, _o("paracetamol", 500, times=4, days=3)])
    assert not _loud(real, _patient(), [tylenol3])                            # nothing else to say


def test_a_maximum_per_kg_the_source_gives_is_the_limit_not_the_25_percent_allowance(real):
    # ethambutol 15 mg/kg, range 15-20 (WHO 2010): 1000 mg at 50 kg is 20 mg/kg
    adult = _patient(weight_kg=50)
    assert not _loud(real, adult, [_o("ethambutol", 1000, days=60)])
    assert (0, "dose_above_max") in _loud(real, adult, [_o("ethambutol", 1400, days=60)])


@pytest.mark.parametrize("drug,dose", [("methotrexate 2.5mg", 7.5), ("甲氨蝶呤片 2.5mg", 10), ("alendronic acid 70mg", 70)])
def test_a_weekly_medicine_ordered_daily_is_stopped(real, drug, dose):
    formulary, index = real
    out = check_request({"id": "t", "patient": _patient(age_years=60), "orders": [_o(drug, dose, days=30)]},
                        formulary=formulary, index=index)
    assert ("daily_max", "stop") in {(a["kind"], a["severity"]) for a in out["alerts"]}
    once = check_request({"id": "t", "patient": _patient(age_years=60), "orders": [_o(drug, dose, days=1)]},
                         formulary=formulary, index=index)
    assert not [a for a in once["alerts"] if a["severity"] != "info"]


def test_alendronic_acid_10_mg_daily_is_a_regimen_of_its_own(real):
    assert not _loud(real, _patient(age_years=60), [_o("alendronic acid", 10, days=30)])


def test_every_days_is_validated(tmp_path):
    import shutil

    from lantern.clinical.prescribing import formulary_dir

    shutil.copytree(formulary_dir(), tmp_path / "f")
    path = tmp_path / "f" / "drugs_endocrine.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("every_days = 7", "every_days = 0", 1), encoding="utf-8")
    problems = read_formulary(tmp_path / "f").problems
    assert any("every_days" in p for p in problems)


def test_one_number_that_is_the_sum_of_a_combinations_components_names_that_tablet(real):
    formulary, index = real
    from lantern.clinical.prescribing.amounts import order_amount
    from lantern.clinical.prescribing.inputs import Order

    res = index.resolve("co-trimoxazole 960mg")
    order = Order(drug="co-trimoxazole 960mg", dose=2, unit="tablet", route="oral", times_per_day=2, days=5)
    amount = order_amount(order, formulary.drugs[res.drug], res.strengths, res.per_ml)
    assert (amount.low, amount.high) == (1920, 1920)


def test_an_unreduced_dose_in_renal_impairment_warns(real):
    # co-trimoxazole: half dose at eGFR 15-30; tenofovir DF: every 48 h at eGFR 30-49
    cotrim = [_o("co-trimoxazole 960mg", 2, unit="tablet", times=3, days=21)]
    assert (0, "renal") in _loud(real, _patient(egfr=20), cotrim)
    assert (0, "renal") in _loud(real, _patient(egfr=35), [_o("tenofovir disoproxil 300mg", 300, days=30)])
    assert (0, "renal") not in _loud(real, _patient(egfr=90), [_o("tenofovir disoproxil 300mg", 300, days=30)])


def test_severe_malaria_loading_doses_do_not_alarm_and_an_overdose_still_does(real):
    adult = _patient(weight_kg=60)
    loading = [_o("quinine", 1200, route="iv", days=1), _o("quinine", 600, route="iv", times=3, days=2)]
    assert not _loud(real, adult, loading)
    child = _patient(age_years=1, weight_kg=9, egfr=None)
    day_one = [_o("artesunate 60mg vial", 27, route="iv", times=2, days=1), _o("artesunate 60mg vial", 27, route="iv", days=2)]
    assert not _loud(real, child, day_one)
    assert (0, "dose_above_max") in _loud(real, adult, [_o("quinine", 2400, route="iv", days=1)])
