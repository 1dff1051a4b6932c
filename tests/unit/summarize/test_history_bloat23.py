"""A history says each fact once, in the section it belongs to (issue 13, session 23): results
and acts of care written under a visit's impression are not diagnoses, the open plan does not
repeat a last value the results show, and the medicines on since the first visit say that date
once. Terse clinic notes in English and Chinese, written for these classes."""

from __future__ import annotations

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import fact_present, invented_facts


def _history(notes: list[dict]):
    summary = summarize("history", {"notes": notes})
    assert not invented_facts(summary.text, summary.docs)
    return summary


def _problems(summary) -> str:
    return " ".join(ln.text for ln in summary.sections.get("problems", []))


def _events(summary) -> str:
    return " ".join(ln.text for ln in summary.sections.get("events", []))


# --- results filed as diagnoses: a Chinese line of chemistry under the impression is a reading

def test_chinese_serum_chemistry_under_the_impression_is_not_a_diagnosis():
    notes = [
        {"date": "2024-05-06", "text": "头晕1月。血压 166/100mmHg。诊断：高血压病2级。血清肌酐 90μmol/L，血钾 4.0mmol/L。"
                                       "氨氯地平 5mg qd。1月后复诊。"},
        {"date": "2024-06-03", "text": "血压 138/86mmHg。血肌酐 95μmol/L。继续氨氯地平 5mg qd。"},
    ]
    summary = _history(notes)
    assert "高血压病2级" in _problems(summary)
    assert "肌酐" not in _problems(summary) and "血钾" not in _problems(summary)
    for fact in ("血清肌酐 90μmol/L", "血肌酐 95μmol/L", "血钾 4.0mmol/L"):
        assert fact_present(fact, summary.text), fact


# --- acts of care filed as diagnoses: the timeline keeps them under their date

def test_a_programme_entered_under_the_impression_is_an_event_not_a_diagnosis():
    notes = [
        {"date": "2025-03-03", "text": "10 mo. Wt 7.0 kg. MUAC 119 mm, no oedema. Dx: MAM. Enrolled supplementary "
                                       "feeding programme. Review 2 weeks."},
        {"date": "2025-05-26", "text": "Wt 7.9 kg. MUAC 127 mm. Discharged from programme (cured)."},
    ]
    summary = _history(notes)
    assert "MAM" in _problems(summary)
    assert "Enrolled" not in _problems(summary)
    assert "2025-03-03" in _events(summary) and "Enrolled supplementary feeding" in _events(summary)


def test_a_drug_not_restarted_under_the_impression_is_an_event_not_a_diagnosis():
    notes = [
        {"date": "2025-01-06", "text": "Cough 5 wks. Xpert MTB detected. Dx: pulmonary TB. Started RHZE 3 tabs od."},
        {"date": "2025-01-27", "text": "Jaundice. ALT 280. Dx: drug-induced hepatitis. Ethambutol NOT restarted "
                                       "(optic neuritis). Stopped all TB drugs."},
    ]
    summary = _history(notes)
    assert "drug-induced hepatitis" in _problems(summary)
    assert "restarted" not in _problems(summary)
    assert fact_present("Ethambutol NOT restarted", _events(summary))


def test_chinese_referral_under_the_impression_is_an_event_not_a_diagnosis():
    notes = [
        {"date": "2024-09-02", "text": "多饮多尿3月。空腹血糖 12.1mmol/L。诊断：2型糖尿病。二甲双胍 0.5g bid。"},
        {"date": "2024-10-08", "text": "视物模糊。诊断：糖尿病视网膜病变待排，转诊上级医院眼科。继续二甲双胍 0.5g bid。"},
    ]
    summary = _history(notes)
    assert "转诊" not in _problems(summary)
    assert fact_present("转诊上级医院眼科", summary.text)


# --- the open plan does not repeat under a heading a last value the results show

def test_open_plan_does_not_repeat_a_headed_last_value():
    notes = [
        {"date": "2024-03-04", "text": "CKD and HTN. Creat 160, eGFR 38. BP 150/90. Amlodipine 5mg od."},
        {"date": "2024-09-02", "text": "Seen at renal clinic. Plan: conservative care. Labs today: eGFR 31, K 4.7. "
                                       "BP 134/80. Cont amlodipine 5mg. Repeat bloods 3 months."},
    ]
    summary = _history(notes)
    plan = " ".join(ln.text for ln in summary.sections.get("last_plan", []))
    results = " ".join(ln.text for ln in summary.sections.get("results", []))
    assert fact_present("eGFR 31", results)
    assert "eGFR 31" not in plan and "K 4.7" not in plan
    assert summary.text.count("eGFR 31") == 1


# --- the medicines on since the first visit: that date said once, in the heading

_ON_FROM_FIRST = [
    {"date": "2024-02-12", "text": "HTN + T2DM. BP 162/98. FBS 10.2. Start amlodipine 5mg od, metformin 500mg bd, "
                                   "atorvastatin 20mg nocte. Review 1 month."},
    {"date": "2024-03-11", "text": "BP 142/88. FBS 8.1. Continue amlodipine 5mg od, metformin 500mg bd, "
                                   "atorvastatin 20mg nocte."},
    {"date": "2024-06-10", "text": "BP 136/84. Knee pain. Continue amlodipine 5mg od, metformin 500mg bd, "
                                   "atorvastatin 20mg nocte. Add paracetamol 1g prn."},
]


def test_medicines_on_since_the_first_visit_say_that_date_once_in_the_heading():
    summary = _history(_ON_FROM_FIRST)
    text = summary.text
    assert text.count("(since 2024-02-12") == 1 and "Medications (since 2024-02-12 unless dated):" in text
    meds = " ".join(ln.text for ln in summary.sections["current_medications"])
    assert "2024-02-12" not in meds
    # a medicine started later keeps its own date, so "unless dated" stays true
    assert fact_present("paracetamol 1 g PRN (since 2024-06-10)", meds)


def test_the_heading_note_survives_a_stored_summary():
    from lantern.services.summaries import SummaryService, summary_from_payload

    summary = _history(_ON_FROM_FIRST)
    stored = SummaryService.store_payload(SummaryService.__new__(SummaryService), summary)
    assert summary_from_payload(stored).title("current_medications") == summary.title("current_medications")
    assert "2024-02-12" in summary.title("current_medications")


def test_one_medicine_from_the_first_visit_keeps_its_own_date():
    summary = _history([{"date": "2024-02-12", "text": "HTN. BP 162/98. Start amlodipine 5mg od."},
                        {"date": "2024-03-11", "text": "BP 140/86. Continue amlodipine 5mg od. Add metformin 500mg bd."}])
    assert "unless dated" not in summary.text
    assert fact_present("amlodipine 5 mg OD (since 2024-02-12)", summary.text)
