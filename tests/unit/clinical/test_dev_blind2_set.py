"""Guard on development set tests/data/diagnosis_dev_blind2.jsonl (formerly
diagnosis_blind2.jsonl, the second set written blind).

125 vignettes (80 en, 45 zh; 47 emergencies) written from the issue's contract and
triage policy and the condition list only, before the knowledge base or the
pipeline was read, covering all 70 conditions. First-run figures, before any fix
(the honest held-out estimate; see tests/data/diagnosis_dev_blind2_firstrun.md):
top-1 119/125 (95.2%), top-3 123/125 (98.4%), triage exact 114/125 (91.2%),
emergency under-triage 1/47 (an adult "brought in fitting").

The set is NO LONGER BLIND: the lexicon, the method and a few likelihood ratios
were then fixed against its misses (generally, never per case), and two triage
labels were changed to follow the agreed policy (b2-019: "terrible headache" is
severe pain -> urgent; b2-115: heart failure with SpO2 94% and RR 22 has no urgent
sign -> routine). Those two edits were undone on 2026-12-04: the file is again the one
first scored (sha256 0065ca5f..., as its record gives), so the first-run figures belong
to it. Passing here says nothing about held-out accuracy.

Its figures today are held to the floors in tests/data/SETS.toml by
test_diagnosis_set_floors.py; this file checks the set's shape and the classes of
phrasing it exposed.
"""

from __future__ import annotations

import pytest
from diagnosis_sets import found as _found
from diagnosis_sets import load_cases


@pytest.fixture(scope="module")
def cases():
    return load_cases("diagnosis_dev_blind2.jsonl")


def test_blind2_set_shape(cases):
    assert len(cases) >= 80
    assert {c["lang"] for c in cases} == {"en", "zh"}
    assert sum(c["lang"] == "zh" for c in cases) >= len(cases) // 4
    assert sum(c["expected"]["triage"] == "emergency" for c in cases) >= len(cases) // 4
    assert len({c["id"] for c in cases}) == len(cases)


# Classes of phrasing the second blind set exposed (checked as classes, not as cases).
@pytest.mark.parametrize("note, fid", [
    ("profuse 'rice water' stools", "rice_water_stool"),       # quotation marks are not tokens
    ("mum says “breathing fast”", "fast_breathing"),
    ("血涂片查见间日疟原虫", "malaria_rdt_positive"),             # Chinese lab verb = positive result
    ("brought in fitting", "convulsing_now"),
    ("pt arrived convulsing", "convulsing_now"),
    ("sticky yellow discharge from both eyes", "eye_discharge"),
    ("boil on thigh, soft in the middle", "fluctuant"),
    ("JVP up, creps both bases", "raised_jvp"),
    ("JVP up, creps both bases", "basal_crackles"),
    ("双下肺可闻及湿啰音", "basal_crackles"),
    ("wakes at night gasping", "orthopnoea"),
    ("chest pain, tender over the ribs", "pain_on_movement"),
    ("左附件区压痛", "cervical_motion_tenderness"),
    ("口腔内见白色斑片", "oral_thrush"),
    ("headache behind the eyes", "retro_orbital_pain"),
])
def test_phrasing_classes(note, fid):
    assert _found(note).get(fid) is False


@pytest.mark.parametrize("note, fid", [
    ("血涂片未查见疟原虫", "malaria_rdt_positive"),
    ("疟原虫未查见", "malaria_rdt_positive"),
    ("no discharge from the eyes", "eye_discharge"),
    ("not fitting now", "convulsing_now"),
])
def test_phrasing_classes_negated(note, fid):
    assert _found(note).get(fid) is True


def test_swelling_getting_bigger_is_not_a_spreading_border():
    assert "poorly_defined_border" not in _found("painful swelling, getting bigger")


def test_duration_after_a_list_belongs_to_every_item():
    from lantern.clinical.language.findings import extract_findings
    days = {f.id: f.duration_days for f in extract_findings("反复咳嗽、咳痰、气喘10余年").findings}
    assert days["cough"] == days["productive_cough"] == days["difficult_breathing"] == 3650
    assert "chronic_cough" in days                  # cough for years is a chronic cough
    days = {f.id: f.duration_days for f in extract_findings("cough, fever x3d").findings}
    assert days["fever"] == 3 and days["cough"] is None   # a comma is not a list joiner here


def test_possible_ectopic_is_urgent():
    from lantern.clinical.knowledge import load_knowledge
    from lantern.clinical.language.findings import extract_findings
    from lantern.clinical.triage import triage
    kb = load_knowledge()
    note = "停经6周，左下腹隐痛，阴道少量出血。查体：宫颈举痛。"
    ex = extract_findings(note, age_years=30, sex="female", pregnant=True, kb=kb)
    assert triage(ex, kb, age_years=30, sex="female", pregnant=True).level == "urgent"
    # PID (not pregnant, no missed period) is not flagged by this rule
    ex = extract_findings("lower abdo pain, cervical excitation tenderness, UPT neg", kb=kb)
    t = triage(ex, kb, age_years=25, sex="female", pregnant=False)
    assert not any(s.rule.id.startswith("possible_ectopic") for s in t.signs)
