"""Drug names to ids, and the dose calculator (through ``lantern dose`` where the user meets it)."""

from __future__ import annotations

import json

import pytest
from tests.unit.prescribing.helpers import FIXTURE, run_cli

from lantern.clinical.prescribing import Patient, build_index, calculate_dose, read_formulary
from lantern.clinical.prescribing.dose import DoseRefusal, DoseResult

FORMULARY = read_formulary(FIXTURE)
INDEX = build_index(FORMULARY)


@pytest.mark.parametrize(("text", "drug", "how"), [
    ("amoxicillin", "amoxicillin", "name"),
    ("Amoxicillin 250mg", "amoxicillin", "name"),
    ("AMOXIL 500 mg caps", "amoxicillin", "name"),
    ("amoxycillin", "amoxicillin", "name"),
    ("amoxicilin", "amoxicillin", "name"),           # a doubled letter: the spelling fold
    ("amoxcillin syrup", "amoxicillin", "typo"),
    ("阿莫西林", "amoxicillin", "name"),
    ("阿莫西林胶囊 0.25g", "amoxicillin", "name"),
    ("artemether-lumefantrine 20/120", "artemether_lumefantrine", "name"),
    ("Coartem", "artemether_lumefantrine", "name"),
    ("复方蒿甲醚片", "artemether_lumefantrine", "name"),
    ("co-trimoxazole 480", "sulfamethoxazole_trimethoprim", "name"),
    ("Septrin DS", "sulfamethoxazole_trimethoprim", "name"),
    ("ibuprophen", "ibuprofen", "name"),             # the project's spelling fold
    ("ibuprofem", "ibuprofen", "typo"),
    ("magnesium sulphate 50%", "magnesium_sulfate", "name"),
    ("硫酸镁注射液", "magnesium_sulfate", "name"),
    ("paracetamol 500mg", "paracetamol", "agreed"),   # in DRUGS.md, not written in the fixture
])
def test_names_resolve(text, drug, how):
    res = INDEX.resolve(text)
    assert res is not None and (res.drug, res.how) == (drug, how)


@pytest.mark.parametrize("text", ["foobarzol", "vitamin", "amo", "", "12 mg"])
def test_unknown_names_are_not_guessed(text):
    assert INDEX.resolve(text) is None


def test_strengths_in_the_name_are_read():
    assert INDEX.resolve("artemether-lumefantrine 20/120").strengths == (20.0, 120.0)
    res = INDEX.resolve("amoxicillin 125mg/5ml suspension")
    assert res.strengths == (125.0,) and res.per_ml == 5.0
    assert INDEX.resolve("阿莫西林胶囊 0.25g").strengths == (250.0,)


def _dose(drug: str, **patient) -> DoseResult | DoseRefusal:
    return calculate_dose(FORMULARY.drugs[drug], Patient(**patient), indication=patient.pop("indication", None))


def test_imci_weight_band_for_pneumonia():
    d = calculate_dose(FORMULARY.drugs["amoxicillin"], Patient(age_years=2, weight_kg=11), indication="pneumonia")
    assert isinstance(d, DoseResult)
    assert (d.dose, d.times_per_day, d.days) == (500, 2, 5)
    assert d.basis == "weight band 10-14 kg: 2 tablets" and d.give == "2 × 250 mg dispersible tablet"
    assert "IMCI" in d.source


def test_mg_per_kg_rounded_to_a_spoon_for_a_young_child():
    d = _dose("amoxicillin", age_years=2, weight_kg=11)
    assert isinstance(d, DoseResult)
    assert d.basis == "40 mg/kg" and d.dose == 437.5 and d.give == "17.5 ml of 125 mg/5 ml oral suspension"


def test_caps_apply():
    d = _dose("amoxicillin", age_years=11, weight_kg=45)          # 40 mg/kg = 1800 mg, max 1000
    assert isinstance(d, DoseResult) and d.dose == 1000 and "capped" in d.notes[0]
    d = _dose("ibuprofen", age_years=10, weight_kg=39)           # 390 mg, daily max 30 mg/kg = 1170/3 = 390
    assert isinstance(d, DoseResult) and d.dose <= 400


def test_fixed_dose_combination_bands_and_dose_basis():
    d = _dose("artemether_lumefantrine", age_years=30, weight_kg=60)
    assert isinstance(d, DoseResult)
    assert d.dose == 80 and d.give == "4 × 20/120 mg tablet" and d.days == 3


def test_renal_reduction_and_avoid():
    d = _dose("sulfamethoxazole_trimethoprim", age_years=40, egfr=20)
    assert isinstance(d, DoseResult) and d.dose == 480 and "reduced" in d.notes[0]
    refused = _dose("ibuprofen", age_years=40, egfr=20)
    assert isinstance(refused, DoseRefusal) and refused.kind == "renal"


def test_refusals_never_compute_a_dose():
    assert _dose("amoxicillin", age_years=2).kind == "missing_data"          # per kg, no weight
    assert _dose("amoxicillin", age_years=None, weight_kg=10).kind == "missing_data"
    assert _dose("magnesium_sulfate", age_years=5, weight_kg=18).kind == "no_rule"


def test_dose_cli_text_json_and_refusals():
    F = str(FIXTURE)
    text = run_cli("dose", "--drug", "amoxil", "--indication", "pneumonia", "--age-years", "2",
                   "--weight-kg", "11", "--formulary", F)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0] == ("Amoxicillin 500 mg (weight band 10-14 kg: 2 tablets) twice daily "
                                           "for 5 days: 2 × 250 mg dispersible tablet")
    assert text.stdout.splitlines()[1].startswith("阿莫西林 500 mg")
    js = run_cli("dose", "--drug", "阿莫西林", "--age-years", "2", "--weight-kg", "11", "--json", "--formulary", F)
    out = json.loads(js.stdout)
    assert out["drug"] == "amoxicillin" and out["dose"] == 437.5 and out["basis"] == "40 mg/kg"
    no_weight = run_cli("dose", "--drug", "amoxicillin", "--age-years", "2", "--formulary", F)
    assert no_weight.returncode == 2 and "weight is needed" in no_weight.stderr and not no_weight.stdout
    for bad in (["--weight-kg", "400"], ["--weight-kg", "0"], ["--weight-kg", "-3"], ["--egfr", "-1"]):
        proc = run_cli("dose", "--drug", "amoxicillin", "--age-years", "30", *bad, "--formulary", F)
        assert proc.returncode == 2 and "impossible" in proc.stderr and not proc.stdout, bad
    unknown = run_cli("dose", "--drug", "foobarzol", "--age-years", "30", "--formulary", F)
    assert unknown.returncode == 2 and "not a drug in the formulary" in unknown.stderr
    wrong = run_cli("dose", "--drug", "amoxicillin", "--indication", "pneumonitis", "--age-years", "3",
                    "--weight-kg", "12", "--formulary", F)
    assert wrong.returncode == 2 and "not a knowledge-base condition id" in wrong.stderr


def test_running_text_keeps_word_boundaries_and_curated_scans_skip_short_aliases():
    index = build_index(FORMULARY)
    assert index.mentions("allergic to amoxil and sulfa drugs; ibuprophen caused wheeze") == [
        ("amoxicillin", "name"), ("ibuprofen", "name")]
    assert index.mentions("if a rash appears, stop") == []
    curated = build_index(FORMULARY, generic_only=True)
    assert index.resolve("AL 4 tabs").drug == "artemether_lumefantrine"          # an order may say "AL"
    assert curated.mentions("give AL after the test", typos=False) == []         # running text: not "AL"
    assert curated.mentions("oral amoxicillin; treat malaria with Coartem", typos=False) == [
        ("amoxicillin", "name"), ("artemether_lumefantrine", "name")]


def test_an_exact_drug_id_resolves_to_that_drug_even_when_its_digits_would_be_dropped():
    from lantern.clinical.prescribing import build_index, formulary_dir, read_formulary

    formulary = read_formulary(formulary_dir())
    assert "dextrose_10" in formulary.drugs and "glucose" in formulary.drugs
    resolved = build_index(formulary).resolve("dextrose_10")
    assert resolved is not None and resolved.drug == "dextrose_10"
