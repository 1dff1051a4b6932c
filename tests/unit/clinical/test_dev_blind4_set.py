"""Guard on development set tests/data/diagnosis_dev_blind4.jsonl (formerly
diagnosis_blind4.jsonl, the fourth set written blind), focused on triage.

129 vignettes (79 en, 50 zh; 73 emergencies) written from the issue's contract, the
agreed triage policy and the condition list only, before the knowledge base or the
pipeline was read: every WHO ETAT emergency sign and IMCI general danger sign written
several ways, and their near-misses (a convulsion last year, "no convulsions", breathing
fast after running, asymptomatic BP 182/112, bleeding that has stopped, some vs no
dehydration, a calm child with a cough). First-run figures, before any fix (see
tests/data/diagnosis_dev_blind4_firstrun.md): top-1 107/129 (82.9%), top-3 126/129 (97.7%),
triage exact 114/129 (88.4%), emergency under-triage 4/73, over-triage 11.

The set is NO LONGER BLIND: the lexicon, a past-episode cue, two word-sense rules and
one triage rule were then fixed against its misses, as classes of phrasing (tested
below), never per case. No expectation was changed.

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
    return load_cases("diagnosis_dev_blind4.jsonl")


def test_blind4_set_shape(cases):
    assert len(cases) >= 100
    assert {c["lang"] for c in cases} == {"en", "zh"}
    assert sum(c["lang"] == "zh" for c in cases) >= len(cases) * 0.35
    assert sum(c["expected"]["triage"] == "emergency" for c in cases) >= len(cases) * 0.4
    assert len({c["id"] for c in cases}) == len(cases)


# ---- classes of phrasing the fourth blind set exposed (checked as classes, not as cases) ----

@pytest.mark.parametrize("note, fid", [
    ("lips and tongue look blue", "cyanosis"),
    ("her lips look blue", "cyanosis"),
    ("has not been able to breastfeed since this morning", "unable_to_drink"),
    ("hasn't been able to drink anything", "unable_to_drink"),
    ("lower chest wall goes in when she breathes in", "chest_indrawing"),
    ("sudden heavy fresh bleeding with clots", "heavy_bleeding"),
    ("soaking a pad every hour", "heavy_bleeding"),
    ("burning pain in upper abdomen after meals", "epigastric_pain"),
    ("上腹部烧灼样疼痛3个月", "epigastric_pain"),
    ("eased by antacids", "hunger_pain"),
    ("阵发性痉挛性咳嗽3周", "paroxysmal_cough"),
    ("the child is prostrate", "prostration"),
])
def test_phrasing_classes(note, fid):
    assert _found(note).get(fid) is False


@pytest.mark.parametrize("age, sex, pregnant, note", [
    (1.1, "female", None, "13 mo, cough and fever, lips and tongue look blue"),
    (0.7, "male", None, "cough and fever 2 days, has not been able to breastfeed since this morning"),
    (0.9, "female", None, "cough & fever, lower chest wall goes in when she breathes in"),
    (26, "female", None, "delivered 10 days ago, sudden heavy fresh bleeding, soaking a pad every hour"),
])
def test_lay_emergency_signs_are_emergencies(age, sex, pregnant, note):
    assert _level(note, age=age, sex=sex, pregnant=pregnant) == "emergency"


@pytest.mark.parametrize("note", [
    "Runny nose 2 days. Had one febrile convulsion last year. No convulsions this time.",
    "去年有过一次高热惊厥。这次咳嗽流涕2天，无抽搐。",
])
def test_a_convulsion_in_an_earlier_illness_is_not_a_danger_sign(note):
    assert _found(note).get("convulsions") is True
    assert _level(note, age=3, vitals={"temp_c": 37.8}) == "routine"


def test_a_convulsion_in_this_illness_still_is():
    assert _level("fever 2 days, had a convulsion this morning", age=2) == "emergency"
    assert _level("发热2天，今天抽搐一次", age=2) == "emergency"


def test_past_cue_leaves_history_findings_alone():
    assert _found("admitted with asthma attacks last year").get("known_asthma") is False
    assert _found("去年有过哮喘发作").get("known_asthma") is False


def test_prostrate_is_the_prostate_not_prostration():
    assert "prostration" not in _found("Known prostrate enlargement, burning on passing urine")
    assert _level("Known prostrate enlargement. Dysuria 3 days. No fever.", age=68,
                  sex="male") == "routine"


def test_inhaler_in_copd_is_not_asthma():
    assert "known_asthma" not in _found("COPD, uses salbutamol inhaler, more sputum")
    assert _found("known asthmatic on salbutamol inhaler").get("known_asthma") is False
    assert _found("COPD and asthma overlap, salbutamol inhaler").get("known_asthma") is False


def test_fits_of_a_cough_are_not_convulsions():
    note = "Coughing fits for 3 weeks, whoop at the end, vomits after the fits."
    assert "convulsions" not in _found(note)
    assert _level(note, age=3) != "emergency"
    assert _found("fits of coughing, then had a seizure").get("convulsions") is False
    assert _found("阵发性痉挛性咳嗽，咳后呕吐").get("muscle_spasms") is None


def test_low_spo2_in_known_copd_is_not_urgent_by_itself():
    assert _level("慢阻肺病史，咳黄痰增多4天，能说完整句子", age=65,
                  vitals={"spo2": 93}) == "routine"
    assert _level("cough 4 days", age=65, vitals={"spo2": 93}) == "urgent"
    assert _level("COPD, cough 4 days", age=65, vitals={"spo2": 86}) == "emergency"
