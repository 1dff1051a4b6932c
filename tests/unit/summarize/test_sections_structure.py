"""Summary sections follow the note's own structure (issue 13, point 5): Chinese and
English headings map to the right SOAP section, a complaint is never filed as objective,
and referrals, investigations and advice stay in the plan as written."""

from __future__ import annotations

import pytest

from lantern.clinical.language.sections import split_sections
from lantern.clinical.summarize import summarize_note

ZH_NOTE = ("主诉：胸痛2小时。\n现病史：2小时前出现胸痛，向左臂放射，伴大汗。\n既往史：高血压10年。\n"
           "过敏史：青霉素过敏。\n查体：心率104次/分，双肺呼吸音清。\n辅助检查：心电图ST段抬高。\n"
           "初步诊断：急性冠脉综合征。\n处理：阿司匹林300mg嚼服。\n建议：转诊上级医院进一步检查。")


def _section_of(note: str, phrase: str) -> str:
    for sec in split_sections(note):
        if phrase in sec.body(note):
            return sec.name
    raise AssertionError(f"{phrase!r} is in no section")


@pytest.mark.parametrize(("phrase", "section"), [
    ("胸痛2小时", "subjective"), ("向左臂放射", "subjective"), ("高血压10年", "subjective"),
    ("青霉素过敏", "allergies"), ("双肺呼吸音清", "objective"), ("ST段抬高", "objective"),
    ("急性冠脉综合征", "assessment"), ("阿司匹林300mg", "plan"), ("转诊上级医院", "plan"),
])
def test_chinese_headings_map_to_their_sections(phrase, section):
    assert _section_of(ZH_NOTE, phrase) == section


@pytest.mark.parametrize(("note", "phrase", "section"), [
    ("体格检查：腹软，无压痛。诊断：胃炎。治疗：奥美拉唑20mg 每日一次。", "腹软", "objective"),
    ("体格检查：腹软，无压痛。诊断：胃炎。治疗：奥美拉唑20mg 每日一次。", "胃炎", "assessment"),
    ("体格检查：腹软，无压痛。诊断：胃炎。治疗：奥美拉唑20mg 每日一次。", "奥美拉唑", "plan"),
    ("HPI: cough 3 days.\nPMH: asthma.\nO/E: wheeze.\nImp: asthma attack.\nPlan: salbutamol.", "cough", "subjective"),
    ("HPI: cough 3 days.\nPMH: asthma.\nO/E: wheeze.\nImp: asthma attack.\nPlan: salbutamol.", "asthma.", "subjective"),
    ("HPI: cough 3 days.\nPMH: asthma.\nO/E: wheeze.\nImp: asthma attack.\nPlan: salbutamol.", "wheeze", "objective"),
    ("HPI: cough 3 days.\nPMH: asthma.\nO/E: wheeze.\nImp: asthma attack.\nPlan: salbutamol.", "attack", "assessment"),
    ("Fever 2 days.\nOE chest clear.\nImpression: viral URTI.", "chest clear", "objective"),
    ("Fever 2 days.\nExam: throat red.\nImpression: viral URTI.", "URTI", "assessment"),
    ("Fever 2 days.\nOE throat red.\nA/P: viral URTI, advise fluids, paracetamol 1g prn.", "URTI", "assessment"),
    ("Fever 2 days.\nOE throat red.\nA/P: viral URTI, advise fluids, paracetamol 1g prn.", "advise fluids", "plan"),
])
def test_english_and_chinese_headings(note, phrase, section):
    assert _section_of(note, phrase) == section


def test_a_complaint_written_with_readings_is_history_not_examination():
    summary = summarize_note("胸痛2小时，BP 150/90，HR 104。建议转诊上级医院进一步检查。")
    subjective = " ".join(ln.text for ln in summary.sections["subjective"])
    objective = " ".join(ln.text for ln in summary.sections["objective"])
    assert "胸痛2小时" in subjective and "胸痛" not in objective
    assert "150/90" in objective


def test_a_referral_in_the_plan_is_kept_as_written_never_a_pointer():
    note = ("男，58岁。胸痛2小时。查体：BP 150/90mmHg。初步诊断：急性心肌梗死？"
            "处理：阿司匹林300mg嚼服，建议转诊上级医院进一步检查。")
    summary = summarize_note(note)
    plan = " ".join(ln.text for ln in summary.sections["plan"])
    assert "建议转诊上级医院进一步检查" in plan
    assert "见用药及复诊" not in summary.text


def test_advice_and_investigations_stay_in_the_english_plan():
    summary = summarize_note("Cough 3 days. Dx: bronchitis. Plan: amoxicillin 500 mg tds x5d, advise fluids "
                             "and rest. Refer for CXR if not better.")
    plan = " ".join(ln.text for ln in summary.sections["plan"])
    assert "advise fluids" in plan and "Refer for CXR" in plan


# Two heading families notes write that were read as running text (issue 13, point 5;
# session 23): the 门诊病历 shorthand "查：" for the examination (查体), and the IMCI / IMAI
# chart's columns "Class:" / "Classify:" (the classification, i.e. the assessment) followed by
# "Treat:" and "Counsel:" (the plan), and a referral's "Pre-referral Rx:" / "Pre-referral treatment:"
# (the care given before referral: the plan).
ZH_SHORTHAND = ("主诉：咳嗽3天，发热1天。\n查：T 38.5℃，咽红，双肺呼吸音清。\n诊断：急性上呼吸道感染。\n"
                "处理：对乙酰氨基酚 0.5g prn。")
IMCI_CHART = ("2y boy, cough 3 days, fast breathing.\nRR 52, no chest indrawing.\nClass: PNEUMONIA\n"
              "Treat: amoxicillin 250mg bd x5d\nCounsel: feed more, return if unable to drink\nFollow-up: 3 days")
IMCI_CLASSIFY = "Cough 2 days. RR 36.\nClassify: COUGH OR COLD - NO PNEUMONIA\nTreat: soothe throat with honey"
# a referral after the classification: the care given before referral is the plan, not more of
# the classification (the letter's reason for referral is the classification alone)
IMCI_REFERRAL = ("8 mo F, cough 4 days, not able to breastfeed.\nClass: SEVERE PNEUMONIA\nPre-referral Rx:\n"
                 "- ampicillin 400 mg IM 11:40\n- gentamicin 60 mg IM 11:40")


@pytest.mark.parametrize(("note", "phrase", "section"), [
    (ZH_SHORTHAND, "咳嗽3天", "subjective"),
    (ZH_SHORTHAND, "咽红", "objective"),
    (ZH_SHORTHAND, "双肺呼吸音清", "objective"),
    (ZH_SHORTHAND, "急性上呼吸道感染", "assessment"),
    (IMCI_CHART, "PNEUMONIA", "assessment"),
    (IMCI_CHART, "amoxicillin 250mg", "plan"),
    (IMCI_CHART, "feed more", "plan"),
    (IMCI_CHART, "fast breathing", "subjective"),
    (IMCI_CLASSIFY, "NO PNEUMONIA", "assessment"),
    (IMCI_CLASSIFY, "honey", "plan"),
    (IMCI_REFERRAL, "SEVERE PNEUMONIA", "assessment"),
    (IMCI_REFERRAL, "ampicillin 400 mg", "plan"),
    (IMCI_REFERRAL, "gentamicin 60 mg", "plan"),
])
def test_shorthand_headings_map_to_their_sections(note, phrase, section):
    assert _section_of(note, phrase) == section


@pytest.mark.parametrize(("note", "phrase", "section"), [
    # a word that ends in 查 is no examination heading ("复查：" stays where it was)
    ("主诉：发热\n复查：血常规", "血常规", "subjective"),
    # "class" inside a sentence is no heading
    ("Sleepy in class: teacher reports it.\nImp: epilepsy", "teacher reports", "subjective"),
])
def test_words_that_only_contain_the_heading_are_not_headings(note, phrase, section):
    assert _section_of(note, phrase) == section
