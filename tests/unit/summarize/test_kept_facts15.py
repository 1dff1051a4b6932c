"""Summaries keep the facts other clinicians write, in their words (issue 13, session 15).

Notes written for these tests: readings as written, a Chinese allergy heading with a
qualifier, Chinese prescriptions with Latin frequencies, a long note's test results, the
events of a history (vaccines, birth data, obstetric history, drugs stopped), diagnoses
written inside a sentence, and a letter's pre-referral actions.
"""

from __future__ import annotations

from lantern.clinical.language.chart import chart_from_request
from lantern.clinical.language.results import extract_vitals
from lantern.clinical.summarize.evaluate import fact_present, invented_facts
from lantern.clinical.summarize.history import Visit, build_history_summary
from lantern.clinical.summarize.referral import build_referral
from lantern.clinical.summarize.skeleton import build_note_summary


def _lines(summary, key: str) -> list[str]:
    return [ln.text for ln in summary.sections.get(key, [])]


# --- the allergy line of a Chinese summary -------------------------------------------------

def test_chinese_chart_allergy_is_not_counted_as_invented():
    note = "主诉：咳嗽3天。\n过敏史：无。\n处理：多饮水。"
    s = build_note_summary(note, chart=chart_from_request({"allergies": ["头孢曲松 皮疹"]}))
    assert "头孢曲松" in s.text
    assert not [f for f in invented_facts(s.text, s.docs) if f.startswith("allergy:")]


def test_chinese_allergy_heading_with_a_qualifier_is_an_allergy_statement():
    from lantern.clinical.language.allergies import extract_allergies

    found = extract_allergies("过敏史（家属代诉）：磺胺类药物 皮疹")
    assert found.allergies and "磺胺" in found.allergies[0].substance


# --- readings as the note wrote them ---------------------------------------------------------

def test_chinese_vitals_show_as_written():
    note = "主诉：发热1天。\n查体：T 38.4℃，P 104次/分，BP 146/92mmHg。咽充血。\n处理：对乙酰氨基酚 0.5g prn。"
    s = build_note_summary(note)
    for fact in ("T 38.4℃", "P 104次/分", "BP 146/92mmHg"):
        assert fact_present(fact, s.text), fact


def test_english_reading_keeps_its_label_and_gains_its_unit():
    s = build_note_summary("Dizzy since morning. O/E: RBS 3.2, BP 100/60. Imp: hypoglycaemia. Plan: sugary drink.")
    assert fact_present("RBS 3.2", s.text)
    assert "mmol/L" in s.text            # the unit the note left out is the reading's own


def test_a_chinese_qualifier_joins_the_label():
    s = build_note_summary("主诉：口渴1月。\n辅助检查：空腹血糖 9.6mmol/L。\n初步诊断：2型糖尿病？")
    assert fact_present("空腹血糖 9.6mmol/L", s.text)


def test_a_time_until_a_test_is_no_reading():
    assert not [r for r in extract_vitals("Repeat K 2 wks. Recheck creatinine 3 months.")
                if r.name in ("k", "creatinine")]
    assert [r.value for r in extract_vitals("K 5.9, repeat in 2 wks.") if r.name == "k"] == ["5.9"]


# --- Chinese prescriptions and long notes ---------------------------------------------------

def test_chinese_prescription_keeps_its_latin_frequency():
    s = build_note_summary("诊断：高血压病。\n处理：苯磺酸氨氯地平片 5mg qd；阿托伐他汀钙片 20mg qn。")
    assert fact_present("苯磺酸氨氯地平片 5mg qd", s.text)
    assert fact_present("阿托伐他汀钙片 20mg qn", s.text)


_LONG_ZH = (
    "门诊病历\n"
    "主诉：反复上腹痛2月，黑便1天。\n"
    "现病史：患者2月前开始出现上腹隐痛，多于餐后1小时出现，持续约半小时，可自行缓解。"
    "无放射痛，无发热，无黄疸。近1天解黑色糊状便2次，每次约200g，伴头晕乏力，无晕厥。"
    "无呕血，无腹泻。自服胃药（具体不详）效果一般。发病以来食欲下降，体重下降约2kg。\n"
    "既往史：膝关节炎5年，间断服用布洛芬止痛。否认肝病史。\n"
    "过敏史：否认。\n"
    "查体：T 36.8℃，P 98次/分，BP 112/70mmHg。神清，贫血貌，睑结膜苍白。双肺呼吸音清。"
    "心律齐，未闻及杂音。腹软，上腹轻压痛，无反跳痛，肝脾未触及。肠鸣音活跃。双下肢无水肿。\n"
    "辅助检查：血常规：Hb 92g/L，PLT 210×10^9/L。大便隐血阳性。心电图：窦性心律。\n"
    "初步诊断：上消化道出血，消化性溃疡可能（NSAID相关）\n"
    "处理：1. 停用布洛芬。2. 奥美拉唑肠溶胶囊 20mg bid。3. 建议转上级医院行胃镜检查。"
    "4. 如再次黑便、呕血、晕厥，立即就诊。\n"
)


def test_long_note_keeps_its_test_results_and_stays_shorter_than_the_note():
    s = build_note_summary(_LONG_ZH)
    for fact in ("PLT 210", "大便隐血阳性", "心电图：窦性心律", "Hb 92g/L"):
        assert fact_present(fact, s.text), fact
    assert "门诊病历" not in s.text      # the record's title is no fact
    assert len(s.text) < len(_LONG_ZH)       # (the target for a note of this size: ≤ 1.0×)


def test_long_note_keeps_the_past_history():
    s = build_note_summary(_LONG_ZH)
    assert fact_present("布洛芬", "".join(_lines(s, "subjective")))


# --- histories ---------------------------------------------------------------------------------

def _history(*visits: tuple[str, str]):
    return build_history_summary([Visit(date, text) for date, text in visits])


def test_history_shows_abnormal_values_between_first_and_last_as_written():
    s = _history(("2025-01-10", "ANC booking. Hb 11.6 g/dL. BP 110/70."),
                 ("2025-03-12", "Hb 8.9 g/dL, Dx: anaemia in pregnancy. Ferrous sulphate 200 mg tds."),
                 ("2025-05-15", "Hb 10.2 g/dL."),
                 ("2025-07-01", "Hb 11.8 g/dL. Continue ferrous sulphate."))
    text = " ".join(_lines(s, "events") + _lines(s, "results"))      # the timeline and the last values
    for fact in ("Hb 11.6 g/dL", "Hb 8.9 g/dL", "Hb 10.2 g/dL", "Hb 11.8 g/dL"):
        assert fact_present(fact, text), fact
    assert any("anaemia in pregnancy" in p for p in _lines(s, "problems"))


def test_history_keeps_vaccines_birth_data_and_drugs_stopped():
    s = _history(("2024-03-01", "Newborn review. Birth weight 2.6 kg, term. BCG and OPV0 given."),
                 ("2024-04-15", "6 wks. Wt 4.1 kg. Penta1, PCV1, Rota1 given."),
                 ("2024-09-02", "Cough. Amoxicillin 250 mg tds 5 days. Cotrimoxazole stopped."))
    events = " ".join(_lines(s, "events"))
    for fact in ("Birth weight 2.6 kg", "BCG", "Penta1", "Cotrimoxazole stopped"):
        assert fact_present(fact, events), fact
    assert "2024-04-15" in events


def test_chinese_history_keeps_vaccines_and_an_inline_diagnosis():
    s = _history(("2025-02-01", "满月体检。出生体重 3.0kg，足月顺产。接种乙肝疫苗第2剂。"),
                 ("2025-08-01", "6月龄。Hb 96g/L，诊断：缺铁性贫血。补铁治疗。"))
    assert fact_present("乙肝疫苗第2剂", " ".join(_lines(s, "events")))
    assert fact_present("出生体重 3.0kg", s.text)
    assert any("缺铁性贫血" in p for p in _lines(s, "problems"))


def test_a_repeated_event_shows_once():
    s = _history(*[(f"2024-0{i}-01", "Good adherence. BP 130/80.") for i in range(1, 6)])
    assert " ".join(_lines(s, "events")).lower().count("good adherence") == 1


# --- referral letters --------------------------------------------------------------------------

_REFERRAL = (
    "URGENT REFERRAL\n"
    "25M fell from roof ~2 m at 07:30. Neck pain, no LOC. Tingling both hands.\n"
    "O/E: GCS 15, BP 124/78, HR 88. Midline C-spine tenderness.\n"
    "Imp: suspected cervical spine injury.\n"
    "Plan: hard collar applied, log-roll only, NBM. Paracetamol 1 g PO 07:55.\n"
    "Please X-ray C-spine and orthopaedic review.\n"
)


def test_letter_keeps_non_drug_actions_before_referral():
    s = build_referral(_REFERRAL)
    treatment = " ".join(_lines(s, "treatment_given"))
    for fact in ("hard collar applied", "log-roll only", "NBM"):
        assert fact in treatment, fact
    assert fact_present("Tingling both hands", s.text)


def test_letter_quotes_the_stated_urgency_once():
    s = build_referral(_REFERRAL)
    assert s.text.count("URGENT REFERRAL") == 1


def test_follow_up_and_medication_sections_keep_their_decisions():
    note = ("Dx: heart failure.\nMedications:\n- bisoprolol 2.5 mg od NEW\n- Anticoagulation discussed - not started.\n"
            "Follow up: clinic review 1 week. Daily weights at home. Fluid restriction 1.5 L/day.")
    s = build_note_summary(note)
    plan = " ".join(_lines(s, "plan"))
    for fact in ("Anticoagulation discussed - not started", "Daily weights at home", "Fluid restriction 1.5 L/day"):
        assert fact in plan, fact
    assert "bisoprolol" not in plan        # said by its medication line


def test_oxygen_saturation_keeps_what_it_was_measured_on():
    s = build_note_summary("Breathless 2 days. O/E: RR 28, SpO2 91% on 2 L O2. Imp: pneumonia.")
    assert fact_present("SpO2 91% on 2 L O2", s.text)
    z = build_note_summary("咳嗽气促3天。查体：SpO2 89% 吸空气，双肺湿啰音。")
    assert fact_present("SpO2 89% 吸空气", z.text)
