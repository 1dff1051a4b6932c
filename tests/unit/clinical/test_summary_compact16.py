"""Issue 13 (session 16): a plan item stays in the plan, background history is kept in long
notes, values beside a reading are kept, and a fact is said once (EN and ZH)."""

from __future__ import annotations

import pytest

from lantern.clinical.language import sections as S
from lantern.clinical.language.followup import extract_followups
from lantern.clinical.summarize import summarize


def _section_line(text: str, heading: str) -> str:
    return next((ln for ln in text.splitlines() if ln.startswith(heading)), "")


# --- a dated recheck is a plan item, whatever reading it names ------------------------------

def test_zh_recheck_with_time_is_a_plan_sentence_in_free_text():
    free = "头晕1周。两周后复查血压。"
    names = {free[s.start:s.end].strip(): s.name for s in S.split_sections(free)}
    assert names["两周后复查血压。"] == S.PLAN


@pytest.mark.parametrize(("note", "exam", "recheck", "follow_up"), [
    ("头晕1周。血压 158/96mmHg。诊断：高血压1级。硝苯地平缓释片 20mg bid。两周后复查血压。",
     "查体", "两周后复查血压", "复诊"),
    ("主诉：头痛2天。\n查体：血压 150/95mmHg。1周后社区复测血压。\n诊断：血压升高待查。",
     "查体", "1周后社区复测血压", "复诊"),
    ("Cough 4 days. O/E: T 37.6, chest clear. BP 152/94, repeat BP in 2 weeks at the dispensary.\nImp: viral URTI.",
     "O:", "repeat BP in 2 weeks", "F/U:"),
    ("S: tired, pale for 1 month\nO: Hb 8.4, conjunctival pallor. Recheck Hb in 1 month.\nA: anaemia\nP: FeSO4 200mg tds",
     "O:", "Recheck Hb in 1 month", "F/U:"),
])
def test_a_dated_recheck_is_said_once_in_the_follow_up_not_the_examination(note, exam, recheck, follow_up):
    text = summarize("note", {"note": note}).text
    assert recheck not in _section_line(text, exam)
    assert text.count(recheck) == 1 and recheck in _section_line(text, follow_up)


def test_follow_up_keeps_what_is_rechecked_written_before_the_verb():
    texts = [f.text for f in extract_followups("Dizzy 3 days. Creatinine and K+ recheck in 1/52.")]
    assert texts == ["Creatinine and K+ recheck in 1/52"]
    # reporting words are not what is checked
    assert [f.text for f in extract_followups("Told to review in 2 weeks.")] == ["review in 2 weeks"]


def test_zh_recheck_verb_family_is_a_follow_up():
    assert [f.text for f in extract_followups("血糖偏高，建议3天后复测空腹血糖。")] == ["建议3天后复测空腹血糖"]


# --- background history in long notes ---------------------------------------------------

_LONG_ZH = (
    "主诉：发热咳嗽4天。\n"
    "现病史：患儿4天前受凉后出现发热，最高体温39.0℃，伴咳嗽，有痰不易咳出。2天前咳嗽加重，夜间明显。"
    "无抽搐，无皮疹。食欲下降，尿量正常。在家口服退热药，体温可降，易反复。病前无异物呛咳史。\n"
    "既往史：平素体健，6月龄时曾患腹泻住院3天。\n"
    "个人史：G1P1，孕35周顺产，出生体重2.1kg，生后无窒息。\n"
    "预防接种史：卡介苗已接种；百白破第3剂未接种；麻疹疫苗未接种。\n"
    "家族史：祖母患肺结核，正在治疗中。\n"
    "体格检查：T 38.6℃，P 140次/分，R 48次/分，体重8.2kg。精神差，可见三凹征，双肺可闻及中细湿啰音。心音有力。腹软。\n"
    "辅助检查：血常规：白细胞15.2×10^9/L，中性粒细胞78%。\n"
    "诊断：重症肺炎。\n"
    "处理：头孢曲松 400mg 静滴 qd，吸氧，转县医院。告知家属危险征象。病愈后补种百白破及麻疹疫苗。\n"
)


_LONG_EN = (
    "HPI: 10 month old boy with cough and fever for 3 days, fast breathing since last night. Not feeding well "
    "since yesterday. No convulsions. Vomiting twice today. Mother gave paracetamol syrup at home with little effect. "
    "Sister had a cold last week. Slept poorly.\n"
    "Birth history: born at 34 weeks by SVD, birth weight 1.9 kg, 5 days in nursery for feeding.\n"
    "Immunisations: BCG and Penta 1-2 given; Penta 3 and measles not given (clinic stock-out).\n"
    "Family history: uncle on TB treatment, lives in the same house.\n"
    "Social history: lives with grandmother; mother works in town.\n"
    "O/E: T 38.9, RR 62, HR 156, SpO2 89% on air, wt 7.4 kg. Lower chest indrawing, nasal flaring. "
    "Crackles both bases. No stridor.\n"
    "Imp: severe pneumonia.\n"
    "Plan: oxygen by nasal prongs, ampicillin 50 mg/kg IV and gentamicin 7.5 mg/kg IV stat, refer to district "
    "hospital. Catch-up Penta 3 and measles when well.\n"
)


@pytest.mark.parametrize(("note", "facts"), [
    (_LONG_ZH, ("孕35周顺产", "出生体重2.1kg", "麻疹疫苗未接种", "百白破第3剂未接种", "祖母患肺结核")),
    (_LONG_EN, ("birth weight 1.9 kg", "34 weeks", "measles not given", "uncle on TB treatment", "grandmother")),
])
def test_long_note_keeps_birth_immunisation_and_family_history(note, facts):
    text = summarize("note", {"note": note}).text
    for fact in facts:
        assert fact in text, fact


def test_background_heading_alone_does_not_section_a_free_text_note():
    note = ("Cough 3 days, no fever. Chest clear. Dx: URTI. Advised fluids.\n"
            "Immunisations given today: Penta 3 and OPV 3.\n")
    names = [s.name for s in S.split_sections(note)]
    assert S.PLAN in names and S.ASSESSMENT in names   # still read sentence by sentence
    assert [note[s.start:s.end].strip() for s in S.background_sections(note)] == ["Penta 3 and OPV 3."]


# --- values beside a reading, and one fact once -----------------------------------------

def test_zh_result_clause_with_a_gestational_age_keeps_its_value():
    note = ("孕28周产检。血压 118/74mmHg。\n辅助检查：乙肝病毒DNA（孕24周）：3.4×10^5 IU/ml；血红蛋白 104g/L。\n"
            "诊断：乙肝病毒携带。\n处理：替诺福韦 300mg qd。")
    text = summarize("note", {"note": note}).text
    assert "3.4×10^5 IU/ml" in text
    assert text.count("孕24周") == 1     # the reading is not repeated on the vitals line


def test_en_plan_sentence_with_dose_form_prefixes_is_not_repeated():
    note = ("Dysuria 2 days. Dx: UTI. Rx: Tab. Nitrofurantoin 100mg BD x5/7, Tab. Paracetamol 1g TDS PRN. "
            "Review in 1 week if not better.")
    s = summarize("note", {"note": note})
    assert "Tab." not in s.text
    assert s.text.count("Nitrofurantoin") == 1


def test_zh_sentences_run_on_without_a_space():
    note = "咳嗽3天。伴低热。查体：咽红。诊断：急性支气管炎。"
    text = summarize("note", {"note": note}).text
    assert "咳嗽3天。伴低热。" in text and "。 " not in text


def test_en_history_sentence_drops_the_drugs_its_medication_lines_say():
    note = ("Known asthmatic on salbutamol inhaler 2 puffs prn + beclometasone 100mcg bd. Wheeze 2 days. "
            "Chest: scattered wheeze. Imp: mild asthma attack. Plan: salbutamol 4 puffs now.")
    s = summarize("note", {"note": note})
    assert _section_line(s.text, "S:").startswith("S: Known asthmatic.")
    assert s.text.count("beclometasone") == 1 and "beclometasone 100mcg bd" in _section_line(s.text, "Medications:")


def test_zh_peak_flow_keeps_its_written_unit_in_a_history():
    notes = [{"date": "2026-01-05", "text": "哮喘复诊。PEF 280L/min。布地奈德 200μg bid。"},
             {"date": "2026-04-06", "text": "哮喘复诊，控制良好。PEF 390L/min。继续布地奈德 200μg bid。"}]
    text = summarize("history", {"notes": notes}).text
    assert "PEF 390L/min" in text


@pytest.mark.parametrize(("note", "fact"), [
    ("HPC: breast lump R upper outer quadrant for 2 months, painless, growing. No nipple discharge. No weight loss. "
     "No trauma. Not breastfeeding. Periods regular. Has not examined herself before. Worried.\n"
     "Family history: sister treated for breast cancer at 41.\n"
     "O/E: 3 cm hard irregular lump, fixed, axillary node palpable.\nPlan: refer for ultrasound and biopsy.",
     "sister treated for breast cancer at 41"),
    ("现病史：发热咳嗽3天，气促1天，吃奶差，无抽搐，无腹泻，精神差，尿量减少，夜间哭闹，未服药。\n"
     "家族史：母亲患肺结核，正在治疗中。\n"
     "查体：T 38.9℃，R 62次/分，三凹征阳性。\n诊断：重症肺炎。\n处理：转县医院。",
     "母亲患肺结核"),
])
def test_letter_keeps_the_family_history(note, fact):
    text = summarize("referral", {"note": note}).text
    assert fact in text
