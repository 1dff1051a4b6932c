"""Whole sections rewritten as finished prose (issue 13, session 16): each reader class keeps
a faithful rewording and still drops a rewording that changes a fact of the same kind.
Notes written for these tests (English and Chinese), not taken from any evaluation set."""

from __future__ import annotations

import pytest

from lantern.clinical.language.claims import normalise_numbers
from lantern.clinical.language.meaning import same_length_units
from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def reasons(source: str, candidate: str) -> list[str]:
    index = SourceIndex.build([source])
    return check_sentence(candidate, index, replaces=[source]).reasons


# (class, draft line, faithful rewording, rewording that changes one fact)
CASES = [
    # a unit written out after its number is the unit's symbol
    ("unit_en",
     "Hb 10.4 g/dL, MCV 71 fL. Temp 38.3 C.",
     "Haemoglobin was 10.4 grams per decilitre and the mean cell volume 71 femtolitres. The temperature was "
     "38.3 degrees Celsius.",
     "Haemoglobin was 10.4 grams per litre and the mean cell volume 71 femtolitres. The temperature was "
     "38.3 degrees Celsius."),
    ("unit_zh",
     "孕34周，BP 150/96mmHg，体温37.2℃。",
     "患者怀孕34周，血压150/96毫米汞柱，体温37.2摄氏度。",
     "患者怀孕34周，血压150/86毫米汞柱，体温37.2摄氏度。"),
    ("unit_zh_lab",
     "空腹血糖9.1mmol/L，血红蛋白102g/L。",
     "空腹血糖为9.1毫摩尔/升，血红蛋白为102克/升。",
     "空腹血糖为9.1毫摩尔/升，血红蛋白为112克/升。"),
    # (a symbol longer than its Chinese name leaves the number bare, but its unit is still compared)
    ("unit_zh_longer_symbol",
     "肌酐85μmol/L，血钾4.1mmol/L。",
     "肌酐85微摩尔/升，血钾4.1毫摩尔/升。",
     "肌酐85毫摩尔/升，血钾4.1毫摩尔/升。"),
    # the pointing words a rewording puts before the patient ("该患者", "这名患儿")
    ("subject_zh",
     "患儿3岁，咳嗽4天，无发热。",
     "这名患儿三岁，咳嗽已有四天，没有发热。",
     "这名患儿三岁，咳嗽已有四天，伴有发热。"),
    # a short form inside a finding phrase and its spelled-out word
    ("phrase_family_en",
     "Alert. No focal neuro deficit. Neck supple.",
     "He was alert, with no focal neurological deficit and no neck stiffness.",
     "He was alert, with a focal neurological deficit and no neck stiffness."),
    # grouped negatives: one "no" before each of a list, a noun form of the finding
    ("grouped_negatives_en",
     "Productive cough x4/7. Denies haemoptysis, chest pain or night sweats.",
     "She has had a productive cough for four days. There has been no coughing up of blood, no chest pain "
     "and no night sweats.",
     "She has had a productive cough for four days, with some coughing up of blood. There has been no chest "
     "pain and no night sweats."),
    # an order written out ("urea, electrolytes" for U&E)
    ("order_en",
     "Start enalapril 5 mg od. Check U&E in 1 week.",
     "Enalapril 5 milligrams once a day will be started, and her urea, electrolytes and creatinine will be "
     "checked in one week.",
     "Enalapril 5 milligrams once a day will be started, and her liver function will be checked in one week."),
    # a number written as a word: a dose ("one gram") and Chinese tens (四十二)
    ("number_word_en",
     "Metformin 1 g bd with meals.",
     "She takes metformin one gram twice a day with meals.",
     "She takes metformin two grams twice a day with meals."),
    ("number_word_zh",
     "吸烟20年，每日10支，已戒烟3年。",
     "患者曾吸烟二十年，每天十支，已经戒烟三年。",
     "患者曾吸烟三十年，每天十支，已经戒烟三年。"),
    # a Chinese "not found" verb is one negation cue (没有发现, 未发现: as 未见)
    ("not_found_zh",
     "2型糖尿病。双足未见溃疡，足背动脉搏动好。",
     "患者患有2型糖尿病。检查双足，没有发现溃疡，足背动脉搏动良好。",
     "患者患有2型糖尿病。检查双足，发现溃疡，足背动脉搏动良好。"),
    # "no blood" after loose stools is no urine test because a later sentence mentions urine
    ("dipstick_context_en",
     "Loose stools x3/7, no blood. No vomiting. Passing urine normally.",
     "He has had loose stools for three days without blood. He is passing urine normally and has not vomited.",
     "He has had loose stools with blood for three days. He is passing urine normally and has not vomited."),
    # a safety-net line: 如果出现 is 如出现 (hypothetical), 高热不退 a fever that goes on (nothing
    # after 不退 negated), 嘴唇 / 口唇, 一直 / 持续, 来医院就诊 / 就诊
    ("safety_net_zh",
     "如出现抽搐、口唇发紫、持续高热不退或精神差，请立即就诊。",
     "如果出现精神差、嘴唇发紫、抽搐，或者高烧一直不退，请马上来医院就诊。",
     "患儿精神差、嘴唇发紫、抽搐，高烧一直不退，请马上来医院就诊。"),
    # a drug's and a treatment's short forms written out ("pred", "neb")
    ("short_forms_en",
     "Wheeze, SpO2 94%. Salbutamol 2.5 mg neb, pred 30 mg PO stat.",
     "She was wheezy with an oxygen saturation of 94 percent, and was given a salbutamol 2.5 milligram "
     "nebuliser and an immediate dose of prednisolone 30 milligrams by mouth.",
     "She was wheezy with an oxygen saturation of 94 percent, and was given a salbutamol 2.5 milligram "
     "nebuliser and an immediate dose of prednisolone 40 milligrams by mouth."),
    # a plain verb for a term: "has not harmed herself" is no self-harm
    ("plain_words_en",
     "Low mood x2/12, poor sleep. Denies suicidal ideation or self-harm.",
     "She has had low mood for two months with poor sleep. She has no thoughts of suicide and has not "
     "harmed herself.",
     "She has had low mood for two months with poor sleep. She has no thoughts of suicide but has harmed "
     "herself."),
    # a blood pressure "over" and a reading with a word between its name and number
    ("reading_en",
     "Known HTN on amlodipine 5 mg od. BP today 136/82.",
     "He has known high blood pressure on amlodipine 5 milligrams once a day; today his blood pressure was "
     "136 over 82.",
     "He has known high blood pressure on amlodipine 5 milligrams once a day; today his blood pressure was "
     "156 over 82."),
]


@pytest.mark.parametrize("name,source,faithful,changed", CASES, ids=[c[0] for c in CASES])
def test_faithful_kept_changed_dropped(name: str, source: str, faithful: str, changed: str) -> None:
    assert reasons(source, faithful) == [], name
    assert reasons(source, changed), name


def test_unit_words_keep_spans() -> None:
    for text in ("体温38.6摄氏度", "Hb 9.2 grams per decilitre", "BP 120 over 80", "two grams"):
        assert len(same_length_units(text)) == len(text)
    assert same_length_units("血压118/72毫米汞柱").startswith("血压118/72mmHg")
    # a unit word only after a number: "mercury" alone stays a word
    assert "mercury" in same_length_units("exposure to mercury at work")


def test_chinese_tens() -> None:
    assert normalise_numbers("产后第四十二天") == "产后第42天"
    assert normalise_numbers("二十年，十五天") == "20年,15天"


def test_dipstick_needs_urine_in_its_sentence_or_the_one_before() -> None:
    from lantern.clinical.language.results import dipstick_grades
    assert dipstick_grades("Diarrhoea x2/7, no blood. Tolerating fluids. Passing urine.") == []
    assert [a for a, _g, _s in dipstick_grades("Urine dipstick done. No blood, no protein.")] == ["blood", "protein"]
