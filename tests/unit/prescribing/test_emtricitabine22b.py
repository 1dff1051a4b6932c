"""Emtricitabine (FTC) and its combinations, session 22 (issue 14): Truvada (TDF/FTC, also oral PrEP),
Descovy (TAF/FTC) and Atripla (EFV/FTC/TDF) hold both or all their ingredients, by their English and
Chinese names; FTC with lamivudine is a duplicate (the same cytidine NRTI: WHO 2021 "3TC or FTC");
its dose by age, weight and renal function (WHO Model Formulary, BNF, BNFc). Prescriptions written
for these tests, on the real formulary."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient

from lantern.clinical.prescribing.checks import ingredients, written_days


def _kinds(real, patient: dict, orders: list[dict], order: int = 0) -> set[str]:
    return {kind for i, kind in loud(real, patient, orders) if i == order}


@pytest.mark.parametrize("text, parts", [
    ("Truvada", {"tenofovir", "emtricitabine"}), ("TDF/FTC 300/200 (PrEP)", {"tenofovir", "emtricitabine"}),
    ("舒发泰 (恩曲他滨替诺福韦片)", {"tenofovir", "emtricitabine"}), ("恩曲他滨/替诺福韦", {"tenofovir", "emtricitabine"}),
    ("Descovy", {"tenofovir_alafenamide", "emtricitabine"}), ("达可挥", {"tenofovir_alafenamide", "emtricitabine"}),
    ("Atripla", {"efavirenz", "tenofovir", "emtricitabine"}),
    ("EFV/TDF/FTC", {"efavirenz", "tenofovir", "emtricitabine"}),
    ("依非韦伦/恩曲他滨/替诺福韦", {"efavirenz", "tenofovir", "emtricitabine"}),
    ("emtricitabine 200mg", {"emtricitabine"}), ("恩曲他滨", {"emtricitabine"}), ("FTC", {"emtricitabine"}),
])
def test_emtricitabine_products_hold_every_ingredient(real, text, parts):
    formulary, index = real
    got = index.resolve(text)
    assert got is not None and (set(ingredients(got.drug, formulary)) - {got.drug} or {got.drug}) == parts, got


def test_a_truvada_tablet_counts_its_emtricitabine(real):
    formulary, index = real
    got = index.resolve("Truvada 1 tab od")
    assert got is not None
    day = written_days([("Truvada 1 tab od", got.drug)], formulary)
    assert day.get("emtricitabine") == pytest.approx(200) and day.get("tenofovir") == pytest.approx(300)


@pytest.mark.parametrize("current, ordered", [
    ("TLD 1 tab od", "emtricitabine"), ("TDF/3TC 300/300 od", "Truvada"), ("拉米夫定 300mg qd", "舒发泰"),
    ("Truvada 1 tab od (PrEP)", "lamivudine"), ("Atripla 1 tab nocte", "TLD"),
])
def test_lamivudine_with_emtricitabine_is_a_duplicate(real, current, ordered):
    patient = _patient(current_medications=[current])
    one = "tablet" if ordered in ("Truvada", "舒发泰", "TLD") else "mg"
    dose = 1 if one == "tablet" else 300 if ordered == "lamivudine" else 200
    assert "duplicate" in _kinds(real, patient, [_o(ordered, dose, one, days=30)])


def test_emtricitabine_alone_with_tenofovir_and_dolutegravir_is_no_duplicate(real):
    patient = _patient(current_medications=["tenofovir 300mg od", "dolutegravir 50mg od"])
    assert "duplicate" not in _kinds(real, patient, [_o("emtricitabine", 200, days=30)])


def test_emtricitabine_doses(real):
    adult = _patient(age_years=35, weight_kg=60, egfr=100)
    assert not _kinds(real, adult, [_o("emtricitabine", 200, days=30)])
    assert "dose_above_max" in _kinds(real, adult, [_o("emtricitabine", 400, days=30)])
    assert "daily_max" in _kinds(real, adult, [_o("emtricitabine", 200, times=2, days=30)])
    # a child by weight, 6 mg/kg once daily
    child = _patient(age_years=5, weight_kg=18, egfr=100)
    assert not _kinds(real, child, [_o("emtricitabine", 108, days=30)])
    assert "dose_above_max" in _kinds(real, child, [_o("emtricitabine", 240, days=30)])
    # creatinine clearance 30-49: every 48 hours, so 200 mg every day is above it
    renal = _patient(age_years=60, weight_kg=60, egfr=40)
    assert "renal" in _kinds(real, renal, [_o("emtricitabine", 200, days=30)])


def test_a_combinations_own_renal_word_stands_for_its_fixed_dose(real):
    # creatinine clearance 30-49: Descovy needs no change (its SPC), Truvada goes every 48 hours,
    # emtricitabine alone every 48 hours; below 30 Descovy is not used
    renal = _patient(age_years=50, weight_kg=70, egfr=42)
    assert "renal" not in _kinds(real, renal, [_o("Descovy", 1, "tablet", days=30)])
    assert "renal" in _kinds(real, renal, [_o("Truvada", 1, "tablet", days=30)])
    assert "renal" in _kinds(real, renal, [_o("恩曲他滨", 200, days=30)])
    worse = _patient(age_years=50, weight_kg=70, egfr=25)
    assert "renal" in _kinds(real, worse, [_o("达可挥", 1, "tablet", days=30)])
