"""Issue 13 (session 17): a prescription one clause of the note says in full is shown in the
note's own words (note summaries and referral letters), a chart medication the note prescribes
at the same dose is said once, and a danger-sign label never brings advice words the note does
not have (EN and ZH). Notes written for these tests."""

from __future__ import annotations

import pytest

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import invented_facts


def _section_line(text: str, heading: str) -> str:
    return next((ln for ln in text.splitlines() if ln.startswith(heading)), "")


def _section_block(text: str, heading: str, stop: tuple[str, ...]) -> str:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(heading))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(stop)), len(lines))
    return "\n".join(lines[start:end])


# --- a prescription as the note wrote it ----------------------------------------------------

@pytest.mark.parametrize(("note", "heading", "written"), [
    ("Sore throat x2d, no fever. Tonsils mildly red, no exudate.\nImp: viral pharyngitis\n"
     "Ibuprofen 400 mg PO tds prn x3d. Return if unable to swallow.", "Medications:", "Ibuprofen 400 mg PO tds prn x3d"),
    ("Dysuria and frequency 2 days. Urine dip nitrite +.\nImp: cystitis\n"
     "Nitrofurantoin 100mg bd x5d. Review if fever or loin pain.", "Medications:", "Nitrofurantoin 100mg bd x5d"),
    ("咳嗽咳痰5天，发热2天。双肺底湿啰音。\n诊断：社区获得性肺炎\n阿莫西林 0.5g tid 口服 ×7天。3天后复诊。",
     "用药：", "阿莫西林 0.5g tid 口服 ×7天"),
    ("慢阻肺急性加重3天。\n处理：泼尼松 30mg qd ×5天，沙丁胺醇雾化。", "用药：", "泼尼松 30mg qd ×5天"),
])
def test_a_prescription_said_in_full_is_shown_as_written(note, heading, written):
    text = summarize("note", {"note": note}).text
    assert written in _section_line(text, heading)
    assert not invented_facts(text, [note])


@pytest.mark.parametrize(("note", "heading", "changed", "unchanged"), [
    ("BP review. 158/98 on metformin 500mg bd and amlodipine 5mg od.\nIncrease amlodipine to 10mg od. Recheck 4/52.",
     "Medications:", "amlodipine 10 mg OD (was 5 mg)", "metformin 500mg bd"),
    ("高血压复诊。目前氨氯地平 5mg qd，二甲双胍 0.5g bid。血压 156/96mmHg。\n氨氯地平加量至 10mg qd。",
     "用药：", "氨氯地平 10 mg qd（原 5 mg）", "二甲双胍 0.5g bid"),
])
def test_a_dose_change_is_said_as_the_new_dose_beside_the_old(note, heading, changed, unchanged):
    # a changed drug keeps its line "new dose (was old)"; an unchanged one is shown as written
    line = _section_line(summarize("note", {"note": note}).text, heading)
    assert changed in line and unchanged in line


def test_a_prescription_with_a_qualifier_its_line_does_not_show_is_not_cut():
    # "with food" is no part of the rendered line: the drug line is the rendering and the
    # plan keeps the sentence, so the advice is not lost
    note = "Malaria, RDT positive.\nPlan: artemether-lumefantrine 80/480 4 tabs bd x3d with food, PCM 1g tds."
    text = summarize("note", {"note": note}).text
    assert "with food" in text
    assert "PCM 1g tds" in _section_line(text, "Medications:")


@pytest.mark.parametrize(("note", "given"), [
    ("Referral to surgical team. 45M, abdominal pain 1 day, vomiting, guarding RIF. Suspected appendicitis.\n"
     "Treatment here: IV line; ceftriaxone 2g IV 09:15; paracetamol 1g IV 09:20.\nPlease assess for surgery.",
     ["ceftriaxone 2g IV 09:15", "paracetamol 1g IV 09:20"]),
    ("转诊：产后出血。产后1小时阴道出血约800ml，子宫收缩差。\n已处理：缩宫素 10U 肌注 10:05；氨甲环酸 1g 静滴 10:20。\n紧急转县医院产科。",
     ["氨甲环酸 1g 静滴 10:20"]),
])
def test_a_dose_given_before_referral_is_shown_with_its_time_as_written(note, given):
    summary = summarize("referral", {"note": note})
    zh = summary.lang == "zh"
    block = _section_block(summary.text, "已给予治疗" if zh else "Treatment given",
                           ("过敏史", "用药") if zh else ("Allergies", "Medications"))
    for dose in given:
        assert dose in block
    assert not invented_facts(summary.text, summary.docs)


# --- a chart medication the note prescribes is said once --------------------------------------

@pytest.mark.parametrize(("note", "chart_med", "drug", "heading"), [
    ("高血压复诊，无头晕。血压 138/84mmHg。\n氨氯地平 5mg qd 继续，一月后复诊。", "氨氯地平 5mg qd", "氨氯地平", "用药："),
    ("Diabetes review, no hypos. RBS 8.1.\nContinue metformin 500 mg bd. Review 3 months.", "metformin 500 mg bd",
     "metformin", "Medications:"),
])
def test_a_chart_medication_the_note_prescribes_at_the_same_dose_is_said_once(note, chart_med, drug, heading):
    item = {"note": note, "chart": {"allergies": [], "medications": [chart_med], "problems": []}}
    line = _section_line(summarize("note", item).text, heading)
    assert line.casefold().count(drug.casefold()) == 1


def test_a_chart_dose_the_note_does_not_give_is_kept():
    item = {"note": "Cellulitis L leg 2 days. Diabetic, continue metformin.\nFlucloxacillin 500mg qds x5d.",
            "chart": {"allergies": [], "medications": ["metformin 850 mg bd"], "problems": []}}
    assert "metformin 850 mg bd" in summarize("note", item).text


# --- a danger-sign label brings no advice words ---------------------------------------------

def test_a_burn_referral_label_brings_no_stat_word_of_the_rule():
    note = ("患儿男，3岁，体重14kg。09:00热水烫伤双下肢，估计面积约18%，浅Ⅱ度为主。已冷水冲洗，清洁敷料覆盖。"
            "否认药物过敏史。建议转诊上级医院烧伤科。")
    summary = summarize("referral", {"note": note, "age_years": 3})
    assert not invented_facts(summary.text, summary.docs)
    signs = _section_block(summary.text, "分诊级别", ("检查所见",))
    assert "立即" not in signs


# --- a heading with its time in brackets is read; a score and a refill time as written -------

@pytest.mark.parametrize(("note", "heading", "finding"), [
    ("腹泻呕吐2天。\n体格检查（15:50）：T 38.0℃，P 150次/分。前囟凹陷，皮肤弹性差，无脑膜刺激征。\n诊断：腹泻伴中度脱水。",
     "查体：", "无脑膜刺激征"),
    ("Fall from ladder 1 hour ago.\nExamination (on arrival): GCS 14, tender L wrist, no neck tenderness.\n"
     "Imp: ?distal radius fracture.", "O:", "no neck tenderness"),
])
def test_an_examination_heading_with_a_bracketed_time_is_read(note, heading, finding):
    text = summarize("note", {"note": note}).text
    assert finding in _section_line(text, heading)
    assert "Allergies: None recorded." in text or "过敏史：未记录。" in text   # not filed under another heading


@pytest.mark.parametrize(("note", "written"), [
    ("摔伤头部1小时。\n查体：GCS 13分（E3V4M6），左侧瞳孔3mm。\n诊断：颅脑损伤。", "GCS 13分"),
    ("患儿腹泻3天。\n查体：毛细血管再充盈时间4秒，四肢凉。\n诊断：重度脱水。", "毛细血管再充盈时间4秒"),
    ("Diarrhoea 3 days.\nO/E: sunken eyes, CRT 4s, cold hands.\nImp: severe dehydration.", "CRT 4s"),
])
def test_a_score_and_a_refill_time_are_shown_as_written(note, written):
    assert written in summarize("note", {"note": note}).text


def test_a_numbered_diagnosis_list_keeps_no_stray_item_number():
    note = "头痛3天。\n初步诊断：1. 高血压病 2. 紧张性头痛？ 3. 睡眠障碍\n处理：氨氯地平 5mg qd。"
    text = summarize("note", {"note": note}).text
    assert "高血压病" in text and not any(f"{c}{n}." in text for c in "病？" for n in (2, 3))
    # a value is no item number
    assert "Alvarado score 8" in summarize("note", {"note": "RIF pain.\nAlvarado score 8.\nImp: appendicitis."}).text


# --- a referral form's fields do not push the presenting problem out -------------------------

def test_referral_form_fields_take_no_place_of_the_presenting_history():
    note = ("转出单位：XX镇卫生院  转入单位：县医院内科  转诊时间：2026年3月2日 10:00\n"
            "患者姓名：略  性别：女  年龄：67岁\n"
            "主诉：胸闷气促3天，加重半天。\n"
            "现病史：3天前受凉后出现胸闷、气促，夜间不能平卧，双下肢水肿。无胸痛，无咯血。既往高血压10年。\n"
            "体格检查（09:40）：BP 168/96mmHg，P 112次/分，R 28次/分，SpO2 89%。双肺底湿啰音，双下肢凹陷性水肿。\n"
            "初步诊断：1. 急性心力衰竭 2. 高血压病\n"
            "处理：吸氧 3L/min，呋塞米 20mg 静推 09:50。\n转诊：紧急转县医院内科。")
    text = summarize("referral", {"note": note, "age_years": 67, "sex": "female"}).text
    reason = _section_line(text, "转诊原因")
    assert "胸闷气促3天" in reason and "夜间不能平卧" in reason
    assert "双肺底湿啰音" in _section_line(text, "检查所见")


def test_a_prescription_written_in_quotes_is_shown_without_them():
    note = "既往史：高血压5年，规律服用“厄贝沙坦 150mg qd”。\n主诉：头晕2天。\n诊断：高血压。"
    from lantern.clinical.summarize.skeleton import WrittenSource, medication_lines, parse_note

    lines = medication_lines(parse_note(note).medications, "zh", compact=True, written=WrittenSource(note))
    assert [ln.text for ln in lines] == ["厄贝沙坦 150mg qd"]
    # the history line quotes it word for word: the summary says it once (no medication line)
    text = summarize("note", {"note": note}).text
    assert text.count("厄贝沙坦") == 1 and _section_line(text, "用药：") == ""


@pytest.mark.parametrize(("note", "first", "second"), [
    ("转诊：急性精神病性障碍。\n处理：家属协助安抚，11:20 氟哌啶醇 5mg 肌注，11:25 地西泮 10mg 肌注；30分钟后较安静。\n紧急转诊市精神卫生中心。",
     ("氟哌啶醇", "11:20"), ("地西泮", "11:25")),
    ("Referral: acute agitation.\nGiven: 09:10 haloperidol 5mg IM, 09:20 diazepam 10mg IM.\nPlease admit.",
     ("haloperidol", "09:10"), ("diazepam", "09:20")),
])
def test_a_time_written_before_the_next_drug_is_that_drugs_time(note, first, second):
    from lantern.clinical.language.medications import extract_medications

    times = {m.name: m.time for m in extract_medications(note)}
    assert times[first[0]] == first[1] and times[second[0]] == second[1]
    summary = summarize("referral", {"note": note})
    zh = summary.lang == "zh"
    block = _section_block(summary.text, "已给予治疗" if zh else "Treatment given",
                           ("过敏史", "用药") if zh else ("Allergies", "Medications"))
    for drug, time in (first, second):
        assert any(drug in ln and time in ln for ln in block.splitlines()), (drug, time, block)
