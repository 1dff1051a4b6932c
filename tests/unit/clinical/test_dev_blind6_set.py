"""Guard on development set tests/data/diagnosis_dev_blind6.jsonl (formerly
diagnosis_blind6.jsonl, the sixth set written blind): an ordinary rural
outpatient day, mostly routine and urgent, all ages, common conditions next to their
look-alikes.

130 vignettes (71 en, 59 zh; 20 emergencies) written from the issue's contract, the
agreed triage policy and the condition list only, before the knowledge base or the
pipeline was read. First-run figures, before any fix (see
tests/data/diagnosis_dev_blind6_firstrun.md): top-1 126/130 (96.9%), top-3 129/130 (99.2%),
triage exact 125/130 (96.2%), emergency under-triage 0/20, over-triage 5.

The set is NO LONGER BLIND: lexicon phrasing families (EN/ZH) and one history finding
("after a cold", with cited LRs) were then fixed against its misses, as classes of
phrasing (tested below), never per case. No expectation was changed.

Its figures today are held to the floors in tests/data/SETS.toml by
test_diagnosis_set_floors.py; this file checks the set's shape and the classes of
phrasing it exposed.
"""

from __future__ import annotations

import pytest
from diagnosis_sets import found as _found
from diagnosis_sets import load_cases
from diagnosis_sets import triage_level as _level

from lantern.services.assessment import AssessmentService


@pytest.fixture(scope="module")
def cases():
    return load_cases("diagnosis_dev_blind6.jsonl")


def test_blind6_set_shape(cases):
    assert len(cases) >= 100
    assert {c["lang"] for c in cases} == {"en", "zh"}
    assert sum(c["lang"] == "zh" for c in cases) >= len(cases) * 0.40
    # an outpatient day: emergencies a minority, routine the majority, all ages
    assert sum(c["expected"]["triage"] == "emergency" for c in cases) <= len(cases) * 0.25
    assert sum(c["expected"]["triage"] == "routine" for c in cases) >= len(cases) * 0.5
    assert any(c["age_years"] < 2 / 12 for c in cases)
    assert any(c["age_years"] < 5 for c in cases) and any(c["age_years"] >= 60 for c in cases)
    assert len({c["id"] for c in cases}) == len(cases)


# ---- classes of phrasing the sixth blind set exposed (checked as classes, not as cases) ----

def _top(note: str, age=30, sex="female") -> str:
    result = AssessmentService(use_llm=False).assess_dict(
        {"note": note, "age_years": age, "sex": sex})
    return result.differential[0].condition.id


@pytest.mark.parametrize("note, fid", [
    # thick coloured nasal discharge is not sputum
    ("thick green nasal d/c for a week", "purulent_nasal_discharge"),
    ("thick yellow snot", "purulent_nasal_discharge"),
    ("流浓涕", "purulent_nasal_discharge"),
    # symptoms that follow a cold (post-viral)
    ("cough 10 days after a cold", "after_recent_cold"),
    ("post-viral cough", "after_recent_cold"),
    ("感冒后咳嗽一周", "after_recent_cold"),
    # pinworm: a time word inside the phrase, and the worm's names
    ("肛周夜间瘙痒", "anal_itch"),
    ("夜间肛门瘙痒", "anal_itch"),
    ("内裤上见白色小线虫", "worms_seen"),
    ("蛲虫", "worms_seen"),
    ("saw pinworms around the anus", "worms_seen"),
    # stabbing chest pain and tenderness on pressing
    ("左侧胸部刺痛", "chest_pain"),
    ("按压时加重", "pain_on_movement"),
    # urethritis in Chinese clinic shorthand
    ("排尿灼痛", "dysuria"),
    ("有不洁性接触史", "sti_exposure"),
])
def test_phrasing_classes(note, fid):
    assert _found(note).get(fid) is False


def test_thick_green_nasal_discharge_is_not_sputum():
    assert "productive_cough" not in _found("blocked nose, thick green nasal d/c")


@pytest.mark.parametrize("note, age, sex, want", [
    ("blocked nose, pain over the cheeks worse bending forward, thick green nasal d/c, "
     "12 days after a cold", 35, "female", "sinusitis"),
    ("dry cough for 10 days after a cold, no fever, chest clear", 40, "male",
     "acute_bronchitis"),
    ("肛周夜间瘙痒，内裤上见白色小线虫", 5, "male", "intestinal_helminths"),
    ("尿道口流脓，排尿灼痛，有不洁性接触史", 27, "male", "urethritis_sti"),
])
def test_outpatient_look_alikes_rank_first(note, age, sex, want):
    assert _top(note, age=age, sex=sex) == want


def test_a_plain_cold_still_ranks_as_a_cold():
    assert _top("runny nose, sneezing, mild sore throat x2d, no fever", 28) == "common_cold"


def test_stabbing_chest_pain_with_acs_features_stays_an_emergency():
    # mapping 胸部刺痛 to chest pain must keep the ACS rule working
    assert _level("胸部刺痛，向左肩放射，出冷汗", age=58, sex="male") == "emergency"
