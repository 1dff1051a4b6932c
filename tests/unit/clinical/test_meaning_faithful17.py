"""Faithful rewordings of handovers, referral letters and telephone notes (issue 13, session 17):
clock times written another way, results still awaited, referrals written as the clinic, an
infant's age in the British notation, who did what (a relative spoken to, the staff who act).
Each class keeps a faithful rewording and still drops a rewording that changes one fact of the
same kind. Notes written for these tests (English and Chinese), not taken from any evaluation set."""

from __future__ import annotations

import pytest

from lantern.clinical.language.clock import clock_times
from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def reasons(source: str, candidate: str) -> list[str]:
    index = SourceIndex.build([source])
    return check_sentence(candidate, index, replaces=[source]).reasons


# (class, draft line, faithful rewording, rewording that changes one fact)
CASES = [
    ("clock_words_en",
     "Salbutamol nebuliser given at 11:45.",
     "A salbutamol nebuliser was given at a quarter to twelve.",
     "A salbutamol nebuliser was given at a quarter past twelve."),
    ("clock_am_pm_en",
     "Last dose of paracetamol 18:30.",
     "The last dose of paracetamol was given at 6:30 pm.",
     "The last dose of paracetamol was given at 6:30 am."),
    ("clock_zh",
     "患儿14:30予退热栓一枚，15:30复测体温37.8℃。",
     "患儿于下午2点半使用退热栓一枚，下午3点半复测体温37.8℃。",
     "患儿于下午2点半使用退热栓一枚，下午4点半复测体温37.8℃。"),
    ("clock_morning_zh",
     "家属诉患儿06:00起呕吐两次。",
     "家属诉患儿从早上6点起呕吐两次。",
     "家属诉患儿从晚上6点起呕吐两次。"),
    ("tomorrow_morning",
     "今日血钾3.2mmol/L，明晨复查电解质。",
     "今天血钾为3.2 mmol/L，明天早上复查电解质。",
     "今天血钾为3.2 mmol/L，明天晚上复查电解质。"),
    ("in_am",
     "Hb 84 today, repeat FBC in AM.",
     "The haemoglobin is 84 today; the full blood count will be repeated in the morning.",
     "The haemoglobin is 84 today; the full blood count will be repeated in the evening."),
    ("result_awaited_en",
     "Wound swab sent, result pending. Continue flucloxacillin.",
     "A wound swab has been sent and the result is not back yet; flucloxacillin continues.",
     "A wound swab has been sent and the result is back; flucloxacillin continues."),
    ("result_awaited_zh",
     "痰培养已送检，结果待回报，继续头孢曲松抗感染。",
     "痰培养已送检，结果还没有出来，继续用头孢曲松抗感染。",
     "痰培养已送检，结果已回报，继续用头孢曲松抗感染。"),
    ("referral_short_form",
     "Routine ref ENT: recurrent tonsillitis 6 episodes this year.",
     "Routine referral to ENT for recurrent tonsillitis, with six episodes this year.",
     "Routine referral to ENT for recurrent tonsillitis, with five episodes this year."),
    ("referral_to_clinic_zh",
     "转眼科门诊：右眼视力下降2周。",
     "因右眼视力下降两周，转诊至眼科门诊。",
     "因左眼视力下降两周，转诊至眼科门诊。"),
    ("infant_age_fraction",
     "6/12 girl, cough x3/7, no fever.",
     "A six-month-old girl with a cough for three days and no fever.",
     "A nine-month-old girl with a cough for three days and no fever."),
    ("relative_spoken_to",
     "Spoke to son by phone at 15:00 - pt vomiting since morning, no diarrhoea.",
     "At 15:00 I spoke to the patient's son by telephone: the patient has been vomiting since the morning, "
     "with no diarrhoea.",
     "At 15:00 I spoke to the patient's son by telephone: the patient has been vomiting since the morning, "
     "with diarrhoea."),
    # allergy statements reworded: present stays present, hedged stays hedged, denied stays denied
    ("allergy_list_as_sentence",
     "Allergies: amoxicillin (hives), latex.",
     "Listed allergies are amoxicillin, which causes hives, and latex.",
     "Listed allergies are amoxicillin, which causes hives, and iodine."),
    ("allergy_reaction_first",
     "Cefuroxime allergy - angioedema 2018.",
     "The patient had angioedema to cefuroxime in 2018.",
     "The patient had angioedema to ceftriaxone in 2018."),
    ("allergy_hedged_zh_question_mark",
     "青霉素过敏？家属称幼时用药后出皮疹。",
     "可能对青霉素过敏，家属称幼时用药后出皮疹。",
     "对青霉素过敏，家属称幼时用药后出皮疹。"),
    ("allergy_hedged_zh_to_exclude",
     "对磺胺类过敏待排，暂用阿莫西林。",
     "是否对磺胺类过敏尚待排除，暂用阿莫西林。",
     "对磺胺类过敏，暂用阿莫西林。"),
    ("allergy_denied_others_zh",
     "过敏史：对海鲜过敏（瘙痒），否认其他药物过敏。",
     "患者对海鲜过敏，表现为瘙痒；没有其他药物过敏。",
     "患者对海鲜过敏，表现为瘙痒；对青霉素也过敏。"),
    ("no_allergies_zh",
     "过敏史：无。现服氨氯地平 5mg qd。",
     "无过敏史。目前服用氨氯地平5毫克，每日一次。",
     "有过敏史。目前服用氨氯地平5毫克，每日一次。"),
    # the emergency department is a place, not how soon
    ("emergency_department_place",
     "Advised to attend ED if vomiting persists.",
     "She was advised to go to the emergency department if the vomiting persists.",
     "She was advised to go to the emergency department immediately."),
    ("mcs_written_out",
     "Urine MC&S sent, awaited. Nitrofurantoin 50 mg qds x3/7.",
     "Urine has been sent for microscopy, culture and sensitivity and the result is awaited; nitrofurantoin "
     "50 mg four times a day for three days.",
     "Urine has been sent for microscopy, culture and sensitivity and the result is awaited; nitrofurantoin "
     "50 mg four times a day for five days."),
    ("zh_function_words",
     "若腹痛加重或出现呕血，立即返院。",
     "如果腹痛加重，或者出现呕血，要立即回医院。",
     "如果腹痛加重，或者出现便血，要立即回医院。"),
    # a stool described after the word for it (Chinese descriptive order)
    ("stool_described_zh",
     "腹泻2天，水样便，每日4次。",
     "患儿腹泻两天，大便为稀水样，每天四次。",
     "患儿腹泻两天，大便为黏液脓血样，每天四次。"),
    # tenofovir and dolutegravir are two drugs (one key no longer)
    ("arv_single_drugs_apart",
     "On TDF 300 mg od, adherence good.",
     "She takes tenofovir 300 mg once daily with good adherence.",
     "She takes dolutegravir 300 mg once daily with good adherence."),
    ("staff_act_on_patient",
     "患儿父亲在家喂服对乙酰氨基酚 5ml，护士分诊时测体温 38.9℃。",
     "患儿父亲在家喂孩子服了对乙酰氨基酚5ml。护士分诊时测得体温38.9℃。",
     "患儿父亲在家喂孩子服了对乙酰氨基酚10ml。护士分诊时测得体温38.9℃。"),
]


@pytest.mark.parametrize(("name", "source", "faithful", "changed"), CASES, ids=[c[0] for c in CASES])
def test_faithful_kept_changed_dropped(name: str, source: str, faithful: str, changed: str) -> None:
    assert reasons(source, faithful) == [], name
    assert reasons(source, changed), name


@pytest.mark.parametrize(("text", "minutes"), [
    ("given at 10:15", {615}),
    ("SROM 03:30", {210}),
    ("0900 hrs", {540}),
    ("at 7 in the morning", {420}),
    ("half past nine pm", {1290}),
    ("上午10点15分", {615}),
    ("下午两点半", {870}),
])
def test_clock_times_read(text: str, minutes: set[int]) -> None:
    assert [set(c.minutes) for c in clock_times(text)] == [minutes]


@pytest.mark.parametrize("text", ["target INR 2 to 3", "adrenaline 1:1000", "Hb 10.15", "感觉好一点了", "持续3小时"])
def test_no_clock_time(text: str) -> None:
    assert clock_times(text) == []


def test_a_time_without_its_half_of_the_day_is_the_24_hour_clock() -> None:
    # ("7:00" is never "19:00": a changed time is dropped)
    assert reasons("Seen at 7:00, T 38.2.", "Seen at 19:00 with a temperature of 38.2.")
    assert reasons("Seen at 7:00, T 38.2.", "Seen at 7 am with a temperature of 38.2.") == []


def test_awaiting_a_review_is_no_result_awaited() -> None:
    # (waiting for a person or a theatre slot is not a result not back)
    source = "Awaiting CTG review by registrar."
    assert reasons(source, "The CTG is waiting to be reviewed by the registrar.") == []
