"""A number after a test's name that is no reading (found reviewing session 15's summaries): a
recheck in months ("Recheck Hb 3 months" was read as Hb 3 g/dL, a severe anaemia) and a
glucose infusion ("10% glucose 40 mL" was read as a glucose of 40 mmol/L). Notes written
for this test."""

from __future__ import annotations


def test_a_recheck_in_months_and_a_glucose_infusion_are_no_readings():
    from lantern.clinical.language.vitals import extract_vitals_from_text

    def read(text):
        return {(r.name, r.value) for r in extract_vitals_from_text(text)}

    assert not read("Start ferrous sulfate. Recheck Hb 3 months.")
    assert not read("复查血红蛋白 3个月后")
    assert not read("given 10% glucose 40 mL IV")
    assert not read("10% glucose 5 ml/kg")
    assert read("Hb 6 g/dl") == {("hb_g_dl", 6.0)}                  # a reading is still one
    assert read("RBS 2.1, given 10% glucose 5 ml/kg") == {("glucose_mmol_l", 2.1)}


def test_a_percent_reading_before_another_label_leaves_it_a_reading():
    from lantern.clinical.language.vitals import extract_vitals_from_text

    read = {(r.name, r.value) for r in extract_vitals_from_text("SpO2 98% Wt 64kg, 95% RBS 6.1")}
    assert {("spo2", 98.0), ("weight_kg", 64.0), ("glucose_mmol_l", 6.1)} <= read


def test_a_dose_due_later_is_not_given():
    """"Next MgSO4 5 g IM due 14:40 if not yet given" was printed in a letter as given."""
    from lantern.clinical.language.medications import extract_medications

    def status(text):
        return [m.status for m in extract_medications(text)]

    assert status("Next MgSO4 5 g IM due 14:40 if not yet given at hospital.") == ["planned"]
    assert status("MgSO4 5 g IM each buttock given 10:40.") == ["given"]
    assert status("Ceftriaxone 1 g IV to be given on arrival.") != ["given"]
