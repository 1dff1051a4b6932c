"""The formulary validator: the real files, the fixture, and every kind of problem it names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.unit.prescribing.helpers import FIXTURE, run_cli

from lantern.clinical.prescribing import formulary_dir, read_formulary


def test_the_real_formulary_is_valid_whatever_has_been_written():
    f = read_formulary(formulary_dir())
    assert f.problems == ()
    assert (formulary_dir() / "SCHEMA.md").exists() and (formulary_dir() / "DRUGS.md").exists()
    assert {"amoxicillin", "artemether_lumefantrine", "paracetamol", "sulfamethoxazole"} <= set(f.agreed)


def test_the_fixture_is_valid_and_complete():
    f = read_formulary(FIXTURE)
    assert f.problems == ()
    assert set(f.drugs) == {"amoxicillin", "artemether_lumefantrine", "sulfamethoxazole_trimethoprim",
                            "ibuprofen", "magnesium_sulfate", "warfarin"}
    assert len(f.classes) == 2 and len(f.interactions) == 3
    al = f.drugs["artemether_lumefantrine"]
    assert al.forms[0].base_strength == 20       # dose_basis = "artemether"
    ctx = f.drugs["sulfamethoxazole_trimethoprim"]
    assert [x.base_strength for x in ctx.forms] == [480, 960]   # no basis: the total


def _broken(tmp_path: Path, old: str, new: str, file: str = "drugs_fixture.toml") -> tuple[str, ...]:
    root = tmp_path / "formulary"
    shutil.copytree(FIXTURE, root)
    text = (root / file).read_text(encoding="utf-8")
    assert old in text, old
    (root / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return read_formulary(root).problems


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('form = "capsule"', 'form = "capsul"', "drugs_fixture.toml: drug amoxicillin: forms[1]: unknown form 'capsul'"),
    ('strength = 500\nunit = "mg"', 'strength = 500\nunit = "mgs"', "unknown unit 'mgs'"),
    ('route = "iv"', 'route = "intravenous"', "drug magnesium_sulfate dose[eclampsia/adult]: unknown route"),
    ('name_zh = "布洛芬"\n', "", "drug ibuprofen: missing name_zh"),
    ('note_zh = "3月龄以下不用。"\n', "", "drug ibuprofen: age: note_en without note_zh"),
    ('age_min_years = 0.25\nage_max_years = 12', 'age_min_years = 12\nage_max_years = 0.25',
     "age_min_years 12 is above age_max_years 0.25"),
    ('max_single_mg = 800', 'max_single_mg = 300', "dose_mg 400 is above max_single_mg 300"),
    ('{ min_kg = 10, max_kg = 14,', '{ min_kg = 9, max_kg = 14,', "weight bands 4-10 and 9-14 kg overlap"),
    ('indication = "pneumonia"', 'indication = "pneumonitis"', "indication 'pneumonitis' is not a knowledge"),
    ('id = "warfarin"', 'id = "ibuprofen"', "duplicate drug id 'ibuprofen'"),
    ('aliases = ["coumadin"]', 'aliases = ["coumadin", "brufen"]', "drug warfarin: name or alias 'brufen' clashes"),
    ('{ drug = "trimethoprim", strength = 80', '{ drug = "trimethoprin", strength = 80',
     "component 'trimethoprin' is not a formulary drug nor listed in DRUGS.md"),
    ('mg_per_kg = 40\n', 'mg_per_kg = 40\ndose_mg = 500\n', "give exactly one of"),
    ('source = "WHO Model Formulary 2008: warfarin"\n', "", "drug warfarin dose[default/adult]: numbers without a source"),
])
def test_each_problem_is_named_with_file_and_field(tmp_path, old, new, expected):
    problems = _broken(tmp_path, old, new)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(("file", "old", "new", "expected"), [
    ("interactions.toml", 'b = "warfarin"', 'b = "warfarine"', "'warfarine' is not a formulary drug nor listed"),
    ("interactions.toml", 'b = "class:ace_inhibitor"', 'b = "class:ace_inhibitors"', "class 'ace_inhibitors' unknown"),
    ("interactions.toml", 'effect_zh = "出血风险增加"\n', "", "interaction class:nsaid + class:anticoagulant: missing effect_zh"),
    ("allergy_classes.toml", 'class = "cephalosporin"', 'class = "cefalosporin"', "cross_reactive class 'cefalosporin'"),
    ("allergy_classes.toml", 'source = "WHO Model Formulary 2008: sulfonamides"\n', "", "class sulfonamide: missing source"),
])
def test_problems_in_classes_and_interactions(tmp_path, file, old, new, expected):
    problems = _broken(tmp_path, old, new, file)
    assert any(expected in p for p in problems), problems


def test_the_module_prints_ok_or_every_problem(tmp_path):
    ok = run_cli(str(FIXTURE), module="lantern.clinical.prescribing")
    assert ok.returncode == 0 and ok.stdout.startswith("OK 6 drugs, 2 allergy classes, 3 interactions")
    _broken(tmp_path, 'form = "capsule"', 'form = "capsul"')
    bad = run_cli(str(tmp_path / "formulary"), module="lantern.clinical.prescribing")
    assert bad.returncode == 1
    assert "unknown form 'capsul'" in bad.stdout and "FAILED: 1 problem(s)" in bad.stdout
