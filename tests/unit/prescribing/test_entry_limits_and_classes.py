"""Classes of checks added for the misses of the development sets (issue 14), on the real
formulary: an order must fit one dose entry's dose and that entry's schedule; under-dosing
counts by the day; allergy versus cross-reactivity by chemical class; duplicate classes; the
weight or eGFR a dose needs; kidney bands that change the interval."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import LOUD
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

DOSE_KINDS = {"dose_above_max", "daily_max", "dose_below_min"}


# ---------------------------------------------------------------- one entry: its dose and its schedule

def test_a_dose_that_fits_an_entry_given_too_often_is_daily_max(real):
    # 500 mg is the once-daily adult dose; three times a day fits no entry, whatever the
    # 1-2 g single-dose entries allow in a day
    assert _loud(real, _patient(), [_o("azithromycin", 500, times=3, days=3)]) == {(0, "daily_max")}
    assert not _loud(real, _patient(), [_o("azithromycin", 500, times=1, days=3)])
    assert not _loud(real, _patient(), [_o("azithromycin", 1, unit="g", times=1, days=0)])


def test_a_single_dose_entry_does_not_cover_a_daily_course(real):
    # a child's 3-day course is judged by the 10 mg/kg course entry, not by the 30 mg/kg single dose
    child = _patient(age_years=5, weight_kg=18, egfr=None)
    loud = _loud(real, child, [_o("azithromycin", 500, times=1, days=3)])
    assert (0, "dose_above_max") in loud
    assert not _loud(real, child, [_o("azithromycin", 180, times=1, days=3)])


def test_a_medicine_given_only_as_single_doses_may_be_repeated_daily(real):
    child = _patient(age_years=6, weight_kg=20, egfr=None)
    assert not {k for _, k in _loud(real, child, [_o("albendazole", 400, times=1, days=3)])} & DOSE_KINDS


def test_smaller_doses_more_often_count_by_the_day(real):
    adult = _patient(weight_kg=49)
    assert not _loud(real, adult, [_o("pyrazinamide", 500, times=2, days=56)])
    # nitrofurantoin 50 mg four times a day is the same day as 100 mg twice a day
    assert not _loud(real, adult, [_o("nitrofurantoin", 50, times=4, days=3)])


def test_each_dose_must_reach_its_minimum_when_an_entry_has_the_order_s_frequency(real):
    # artesunate is given twice on the first day: 12 mg twice for 12 kg is half the dose each time
    child = _patient(age_years=2, weight_kg=12, egfr=None)
    assert (0, "dose_below_min") in _loud(real, child, [_o("artesunate", 12, route="iv", times=2, days=1)])
    assert not _loud(real, child, [_o("artesunate", 36, route="iv", times=2, days=1)])


def test_an_im_order_takes_the_im_or_iv_dose(real):
    assert (0, "dose_below_min") in _loud(real, _patient(), [_o("gentamicin", 20, route="im")])
    assert not {k for _, k in _loud(real, _patient(), [_o("gentamicin", 300, route="im")])} & DOSE_KINDS


# ---------------------------------------------------------------- allergy classes and cross-reactivity

@pytest.mark.parametrize(("chart", "drug", "kind"), [
    ("carbamazepine - SJS", "phenytoin", "cross_reactivity"),
    ("phenytoin - DRESS", "carbamazepine", "cross_reactivity"),
    ("aromatic anticonvulsant hypersensitivity", "phenytoin", "allergy"),
    ("aspirin - bronchospasm (asthma)", "ibuprofen", "cross_reactivity"),
    ("阿司匹林哮喘", "双氯芬酸", "cross_reactivity"),
    ("ibuprofen - urticaria", "naproxen", "allergy"),
    ("ibuprofen - urticaria", "diclofenac", "cross_reactivity"),
    ("NSAIDs", "diclofenac", "allergy"),
    ("aspirin - angioedema", "aspirin", "allergy"),
    ("磺胺过敏", "西乐葆", "cross_reactivity"),
    ("penicillin - anaphylaxis", "ceftriaxone", "cross_reactivity"),
])
def test_allergy_or_cross_reactivity_by_chemical_class(real, chart, drug, kind):
    alerts = [a for a in _alerts(real, _patient(allergies=[chart]), [_o(drug, 100)])
              if a["kind"] in ("allergy", "cross_reactivity") and a["severity"] in LOUD]
    assert [a["kind"] for a in alerts] == [kind]


def test_paracetamol_is_not_an_nsaid_cross_reaction(real):
    assert not _loud(real, _patient(allergies=["aspirin - asthma"]), [_o("paracetamol", 1000, times=4)])


# ---------------------------------------------------------------- duplicates

@pytest.mark.parametrize(("current", "order"), [
    ("雷贝拉唑 10mg qd", _o("奥美拉唑肠溶胶囊", 20)),                 # two proton pump inhibitors
    ("cotrimoxazole 960 mg od", _o("SP (Fansidar) 500/25", 3, unit="tablet", days=1)),   # two antifolates
    ("对乙酰氨基酚片 0.5g tid", _o("小儿氨酚黄那敏颗粒", 1, unit="sachet", times=3)),   # paracetamol twice
])
def test_duplicate_classes_and_combinations(real, current, order):
    assert (0, "duplicate") in _loud(real, _patient(current_medications=[current]), [order])


# ---------------------------------------------------------------- what a dose needs to be checked

def test_a_dose_only_a_weight_could_allow_needs_the_weight(real):
    elderly = _patient(age_years=80, weight_kg=None, egfr=None, sex="male")
    assert (0, "missing_data") in _loud(real, elderly, [_o("enoxaparin", 80, route="sc", times=2)])
    assert not _loud(real, elderly, [_o("enoxaparin", 40, route="sc", times=1)])


def test_metformin_needs_the_egfr(real):
    assert (0, "missing_data") in _loud(real, _patient(age_years=76, egfr=None), [_o("二甲双胍片", 500, times=2)])
    assert not _loud(real, _patient(age_years=76, egfr=80), [_o("二甲双胍片", 500, times=2)])


# ---------------------------------------------------------------- kidney bands that change the interval

def test_once_daily_gentamicin_at_a_low_egfr_is_too_often(real):
    assert (0, "renal") in _loud(real, _patient(age_years=68, weight_kg=70, egfr=30),
                                 [_o("gentamicin", 350, route="iv")])
    assert not {k for _, k in _loud(real, _patient(egfr=90), [_o("gentamicin", 300, route="iv")])} & {"renal"}


def test_aciclovir_five_times_daily_at_a_low_egfr(real):
    old = _patient(age_years=70, weight_kg=65, egfr=20)
    assert (0, "renal") in _loud(real, old, [_o("阿昔洛韦片", 800, times=5, days=7)])
    assert (0, "renal") not in _loud(real, old, [_o("阿昔洛韦片", 800, times=3, days=7)])


def test_a_cream_in_percent_does_not_hide_the_tablet_dose(real):
    formulary, _ = real
    assert formulary.drugs["aciclovir"].mass_unit
    kinds = {a["kind"] for a in _alerts(real, _patient(), [_o("aciclovir", 4000, times=5)])}
    assert "dose_above_max" in kinds


# ---------------------------------------------------------------- a supply, not a dose

def test_ors_ordered_in_sachets_is_a_supply_and_in_ml_a_dose(real):
    # IMCI Plan A: "give 2 packets of ORS to use at home" - a sachet is made up into a litre
    # and drunk over the day, so packets per day are no dose above the maximum of one drink
    child = _patient(age_years=2.1, weight_kg=12)
    sachets = [_o("oral rehydration salts", 1, "sachet", times=1, days=3),
               _o("zinc sulfate", 1, "tablet", times=1, days=10)]
    assert not {k for _, k in _loud(real, child, sachets)} & DOSE_KINDS
    # the same drug written as one drink of 500 ml for a 2-year-old is still far above Plan A
    assert (0, "dose_above_max") in _loud(real, child, [_o("ORS", 500, "ml", times=6)])


def test_supply_must_be_true_or_false():
    from lantern.clinical.prescribing.drug_parts import _parse_form
    problems: list[str] = []
    form = _parse_form({"form": "sachet", "strength": 20.5, "unit": "g", "supply": "yes"}, "ors", None, problems)
    assert len(problems) == 1 and problems[0].endswith("supply must be true or false") and form is not None and not form.supply
