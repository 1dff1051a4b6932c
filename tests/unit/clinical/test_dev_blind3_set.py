"""Guard on development set tests/data/diagnosis_dev_blind3.jsonl (formerly
diagnosis_blind3.jsonl, the third set written blind).

153 vignettes (86 en, 67 zh; 52 emergencies) written from the issue's contract and
triage policy and the condition list only, before the knowledge base or the pipeline
was read, in styles the earlier sets under-represent: terse triage-desk notes,
rambling notes ending in safety-netting advice, review-of-systems lists of negatives,
elderly patients with comorbidities, pregnancy and the puerperium, infants under two
months, community health worker lay language, formal and informal Chinese, typos and
mixed units. First-run figures, before any fix (the honest held-out estimate; see
tests/data/diagnosis_dev_blind3_firstrun.md): top-1 139/153 (90.8%), top-3 153/153
(100%), triage exact 143/153 (93.5%), emergency under-triage 1/52 (informal Chinese
"什么都喝不进去，喂什么吐什么" - unable to drink, vomits everything), over-triage 5.

The set is NO LONGER BLIND: the extractor, the lexicon, two triage rules and a few
likelihood ratios were then fixed against its misses, as classes of phrasing (tested
below), never per case. No expectation was changed. Passing here says nothing about
held-out accuracy.

Its figures today are held to the floors in tests/data/SETS.toml by
test_diagnosis_set_floors.py; this file checks the set's shape and the classes of
phrasing it exposed.
"""

from __future__ import annotations

import pytest
from diagnosis_sets import found as _found
from diagnosis_sets import load_cases
from diagnosis_sets import triage_level as _level

from lantern.clinical.language.durations import age_from_text, find_durations
from lantern.clinical.language.vitals import extract_vitals_from_text
from lantern.services.assessment import AssessmentService


@pytest.fixture(scope="module")
def cases():
    return load_cases("diagnosis_dev_blind3.jsonl")


def test_blind3_set_shape(cases):
    assert len(cases) >= 100
    assert {c["lang"] for c in cases} == {"en", "zh"}
    assert sum(c["lang"] == "zh" for c in cases) >= len(cases) * 0.35
    assert sum(c["expected"]["triage"] == "emergency" for c in cases) >= len(cases) // 4
    assert len({c["id"] for c in cases}) == len(cases)


# ---- classes of phrasing the third blind set exposed (checked as classes, not as cases) ----

def test_british_infant_age_is_an_age_not_a_duration():
    assert age_from_text("9/12 F, cough + fever 4/7") == 0.75
    assert age_from_text("5/52 baby, grunting") == pytest.approx(0.096, abs=0.001)
    assert [d for d, _ in find_durations("9/12 F, cough + fever 4/7")] == [4.0]
    assert "chronic_cough" not in _found("9/12 F, cough + fever 4/7.")
    assert [d for d, _ in find_durations("cough 3/7, fever 2/52")] == [3.0, 14.0]


def test_age_and_sex_shorthand_is_not_a_fahrenheit_temperature():
    assert extract_vitals_from_text("30F profuse watery stools") == []
    assert extract_vitals_from_text("34 F, c/o cough") == []
    assert [(r.name, r.value) for r in extract_vitals_from_text("T 102F")] == [("temp_c", 38.9)]


@pytest.mark.parametrize("text, name, value", [
    ("我数了一下呼吸每分钟55次", "resp_rate", 55),
    ("呼吸好快，一分钟30多次", "resp_rate", 30),
    ("I counted 46 breaths in one minute", "resp_rate", 46),
    ("breathing at 48 per minute", "resp_rate", 48),
    ("心跳每分钟130次", "heart_rate", 130),
    ("BP 160 over 100", "sbp", 160),
    ("The glucose machine said 22.", "glucose_mmol_l", 22),
    ("sugar level was 22", "glucose_mmol_l", 22),
    ("血糖仪显示22", "glucose_mmol_l", 22),
    ("发烧到39度", "temp_c", 39),
])
def test_lay_and_counted_vitals(text, name, value):
    assert (name, value) in [(r.name, r.value) for r in extract_vitals_from_text(text)]


@pytest.mark.parametrize("text", ["has sugar 3 years", "difficulty breathing 5 days", "呼吸困难3天"])
def test_durations_are_not_vitals(text):
    assert extract_vitals_from_text(text) == []


@pytest.mark.parametrize("note", [
    "moderate crampy lower abdominal pain",         # "moderate" before the pain
    "moderate headache behind the eyes",
    "左侧搏动性头痛4小时，中重度，伴恶心",              # degree after the pain, own clause
    "右侧腰痛3天，腰痛中度",
    "双侧下腹痛，程度中等，伴白带增多",
    "headache since morning, moderate to severe.",
    "pain 6/10 in the lower abdomen",
])
def test_moderate_pain_is_recognised(note):
    assert _found(note).get("severe_pain") is False


@pytest.mark.parametrize("note", [
    "severe dehydration, abdominal pain",          # the degree belongs to another word
    "中度脱水，腹痛",
    "headache, no severe vomiting",
    "pain not severe",
    "advised to return if severe pain",            # safety-netting advice
])
def test_degree_words_that_are_not_about_the_pain(note):
    assert _found(note).get("severe_pain") is not False


@pytest.mark.parametrize("note", [
    "mild tenderness RIF", "Mild tummy pain on and off", "右下腹轻压痛",
    "搬重物后腰痛，活动时加重，疼痛轻。", "knee pain 3/10",
])
def test_mild_pain_is_recognised(note):
    assert _found(note).get("mild_pain") is False


def test_young_is_not_mild():
    assert "mild_pain" not in _found("年轻女性，腹痛")


def test_mild_or_moderate_pain_decides_urgency():
    assert _level("feverish 5 days, mild tenderness RIF", age=45) == "routine"
    assert _level("feverish 5 days, tenderness RIF", age=45) == "urgent"
    assert _level("10 weeks pregnant, spotting, moderate crampy lower abdominal pain",
                  age=31, sex="female", pregnant=True) == "urgent"
    assert _level("偏头痛病史。今日左侧搏动性头痛，中重度，伴恶心", age=35, sex="female") == "urgent"


def test_fever_with_a_skin_focus_is_not_urgent_but_a_deep_focus_is():
    cellulitis = "red hot swollen lower leg spreading for 2 days, mildly tender. T 37.8"
    assert _level(cellulitis, age=60) == "routine"
    assert _level("fever with rigors, R loin pain, renal angle tender. T 38.9", age=32,
                  sex="female") == "urgent"


@pytest.mark.parametrize("note, fid", [
    ("heavy periods lasting 7 days", "wasting"),      # real words are not typos
    ("fit lasting ~2 min", "wasting"),
    ("waiting for results", "wasting"),
    ("scratchy throat", "skin_wound"),
    ("sharing a room with her sister", "tremor"),
    ("switching meds", "fasciculations"),
])
def test_real_english_words_are_not_typo_corrected_into_findings(note, fid):
    assert fid not in _found(note)


@pytest.mark.parametrize("note, fid", [
    ("嘴唇有点紫", "cyanosis"),                       # colloquial degree words inside a phrase
    ("呼吸好快", "fast_breathing"),
    ("孩子什么都喝不进去", "unable_to_drink"),          # IMCI danger signs, informal Chinese
    ("喂什么吐什么", "vomits_everything"),
    ("叫不太醒", "lethargic"),
    ("捏起后回缩很慢", "skin_pinch_very_slow"),
    ("说话断断续续，不能说完整句子", "severe_respiratory_distress"),
    ("两侧面颊部胀痛，低头加重", "facial_pain"),
    ("does not want to suck the breast", "unable_to_drink"),   # lay English (CHW)
    ("the baby is very hot since 2 days", "fever"),
    ("shaking of arms and legs and eyes rolling", "convulsions"),
    ("many people have malaria now", "malaria_exposure"),
    ("mother saw worms in her stool", "worms_seen"),
    ("scratching her bottom at night", "anal_itch"),
    ("jaw tight, body goes stiff when touched", "trismus"),
    ("jaw tight, body goes stiff when touched", "muscle_spasms"),
    ("using neck muscles to breathe", "severe_respiratory_distress"),
    ("both eyes red and stuck shut", "red_eye"),
    ("painful R knee for months", "limb_pain"),
    ("spleen tip palpable", "splenomegaly"),
])
def test_phrasing_classes(note, fid):
    assert _found(note).get(fid) is False


def test_phrasing_classes_negated():
    assert _found("吃奶还行，没有发烧").get("unable_to_drink") is True
    assert _found("enlarged spleen not palpable").get("splenomegaly") is True
    assert _found("spleen tip not palpable").get("splenomegaly") is not False


def test_informal_chinese_danger_signs_are_an_emergency():
    assert _level("孩子4岁，发烧咳嗽三天了，今天什么都喝不进去，喂什么吐什么，呼吸很快。", age=4) == "emergency"


def test_stopping_medicines_is_not_stopping_art():
    assert "art_default" not in _found("高血压病史15年，自行停药半年")


@pytest.mark.parametrize("age, sex, pregnant, hb, anaemic, severe", [
    (6, "female", False, 11.2, True, False),       # WHO: < 11.5 g/dL at 5-11 years
    (6, "female", False, 11.8, False, False),
    (13, "female", False, 11.8, True, False),      # < 12 at 12-14 years
    (30, "female", False, 7.5, True, True),        # severe < 8 in non-pregnant adults
    (30, "female", True, 7.5, True, False),        # severe < 7 in pregnancy
    (3, "male", False, 6.5, True, True),
])
def test_who_haemoglobin_cut_offs(age, sex, pregnant, hb, anaemic, severe):
    found = _found("", vitals={"hb_g_dl": hb}, age_years=age, sex=sex, pregnant=pregnant)
    assert (found.get("anaemia_lab") is False) == anaemic
    assert ("severe_anaemia_lab" in found) == severe


def test_chest_indrawing_ranks_severe_pneumonia_first():
    svc = AssessmentService(use_llm=False)
    res = svc.assess_dict({"age_years": 1.5, "note": "cough and fever 3 days, RR 48, lower chest "
                           "wall indrawing, crackles, T 39.0"})
    assert res.differential[0].condition.id == "severe_pneumonia"


def test_a_lay_english_note_is_not_called_an_unsupported_language():
    svc = AssessmentService(use_llm=False)
    res = svc.assess_dict({"age_years": 7, "note": "The boy was bitten on the leg by the "
                           "neighbour's dog this morning and the dog has run away."})
    assert not any("unsupported language" in w for w in res.warnings)
    res = svc.assess_dict({"age_years": 40, "note": "Le patient a de la fièvre et une toux "
                           "depuis trois jours"})
    assert any("unsupported language" in w for w in res.warnings)
