"""Guard on development set tests/data/diagnosis_dev_blind5.jsonl (formerly
diagnosis_blind5.jsonl, the fifth set written blind): adult emergencies
as relatives, community health workers and busy clinicians describe them, and their
non-emergency look-alikes.

125 vignettes (69 en, 56 zh; 83 emergencies) written from the issue's contract, the
agreed triage policy and the condition list only, before the knowledge base or the
pipeline was read. First-run figures, before any fix (see
tests/data/diagnosis_dev_blind5_firstrun.md): top-1 104/125 (83.2%), top-3 117/125 (93.6%),
triage exact 113/125 (90.4%), emergency under-triage 5/83, over-triage 5; English top-3
89.9% (below target).

The set is NO LONGER BLIND: lexicon phrasing families (EN/ZH), a typo-tolerance
exception, BP in kPa and one heart-failure finding were then fixed against its misses,
as classes of phrasing (tested below), never per case. No expectation was changed.

Its figures today are held to the floors in tests/data/SETS.toml by
test_diagnosis_set_floors.py; this file checks the set's shape and the classes of
phrasing it exposed.
"""

from __future__ import annotations

import pytest
from diagnosis_sets import found as _found
from diagnosis_sets import load_cases
from diagnosis_sets import triage_level as _level


@pytest.fixture(scope="module")
def cases():
    return load_cases("diagnosis_dev_blind5.jsonl")


def test_blind5_set_shape(cases):
    assert len(cases) >= 100
    assert {c["lang"] for c in cases} == {"en", "zh"}
    assert sum(c["lang"] == "zh" for c in cases) >= len(cases) * 0.40
    assert sum(c["expected"]["triage"] == "emergency" for c in cases) >= len(cases) * 0.5
    assert sum(c["age_years"] >= 15 for c in cases) == len(cases)
    assert len({c["id"] for c in cases}) == len(cases)


# ---- classes of phrasing the fifth blind set exposed (checked as classes, not as cases) ----

@pytest.mark.parametrize("note, fid", [
    # stroke: lay descriptions of one-sided weakness and a drooping face
    ("right arm and leg numb and heavy since this morning", "focal_weakness"),
    ("she can't lift her arm", "focal_weakness"),
    ("his smile is lopsided", "facial_droop"),
    ("mouth pulled to one side", "facial_droop"),
    ("嘴巴歪向一边", "facial_droop"),
    # chest pain described by where it is and how heavy it is
    ("pain in the middle of the chest", "chest_pain"),
    ("a heaviness over the chest", "chest_pain"),
    ("like something sitting on his chest", "chest_pain"),
    ("心前区压迫感", "chest_pain"),
    ("nausea and clamminess", "sweating"),
    # postpartum bleeding in lay words
    ("the blood keeps pouring with clots", "heavy_bleeding"),
    ("bleeding won't stop", "heavy_bleeding"),
    ("placenta came out an hour ago", "postpartum"),
    ("在家分娩后1小时", "postpartum"),
    ("产后血止不住", "heavy_bleeding"),
    # meter reading too high to show a number
    ("glucometer shows HI", "very_high_glucose"),
    ("血糖仪显示HI", "very_high_glucose"),
    # tetanus and meningism in lay words
    ("can't open his mouth", "trismus"),
    ("painful muscle spasms of the neck and back", "muscle_spasms"),
    ("can't bend her neck forward", "neck_stiffness"),
    ("severe painful cramps", "severe_pain"),
    ("左下腹痛较重", "severe_pain"),
    # musculoskeletal chest wall pain
    ("hurts when he presses on it", "pain_on_movement"),
    ("按压可复现", "pain_on_movement"),
    ("took a knock to the chest", "injury_strain"),
    ("stiff neck after sleeping awkwardly", "injury_strain"),
    # acute pulmonary oedema
    ("coughing pink frothy sputum", "pink_frothy_sputum"),
    ("咳粉红色泡沫痰", "pink_frothy_sputum"),
    ("very breathless sitting bolt upright", "orthopnoea"),
    ("疟疾阳性", "malaria_rdt_positive"),
])
def test_phrasing_classes(note, fid):
    assert _found(note).get(fid) is False


def test_fasting_is_not_wasting():
    assert "wasting" not in _found("Fasting glucose on meter 9.8, feels well")
    assert _level("Diabetic, fasting glucose 9.8, feels well", age=54) == "routine"


def test_bp_in_kpa_is_converted():
    assert _found("血压10.7/6.7kPa").get("hypotension") is False
    assert _level("发热，血压10.7/6.7kPa", age=46) == "emergency"
    assert "hypotension" not in _found("BP 16/10.7 kPa")


@pytest.mark.parametrize("age, sex, pregnant, note", [
    (68, "female", None, "Woke up with left arm and leg numb and heavy, smile is lopsided."),
    (49, "male", None, "Pressure-like pain in the middle of the chest at rest, with nausea and clamminess."),
    (70, "female", None, "Breathless and sweaty, heaviness over the chest since morning."),
    (33, "female", False, "Placenta came out, but the blood keeps pouring with clots."),
    (30, "female", False, "在家分娩后1小时，阴道大量出血不止。"),
])
def test_lay_adult_emergencies_are_emergencies(age, sex, pregnant, note):
    assert _level(note, age=age, sex=sex, pregnant=pregnant) == "emergency"


def test_meter_hi_in_a_well_diabetic_is_urgent_not_emergency():
    assert _level("糖尿病，血糖仪显示HI，能吃能喝，说话清楚，无呕吐。", age=52) == "urgent"
    assert _level("Diabetic, meter reads HI, alert, eating, no vomiting", age=52) == "urgent"
