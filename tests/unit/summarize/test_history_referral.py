"""Patient history across visits and referral letters / I-PASS handover."""

from __future__ import annotations

import pytest

from lantern.clinical.summarize import referral_letter, summarize_history
from lantern.clinical.summarize.evaluate import fact_present, invented_facts
from lantern.clinical.summarize.history import build_history_summary, parse_visits
from lantern.domain.errors import ValidationError

VISITS = [
    {"date": "2024-02-05", "text": "BP 152/96. Imp: hypertension, not controlled. Plan: increase amlodipine "
                                   "to 10 mg OD. NKDA. Review in 4 weeks."},
    {"date": "2024-01-05", "text": "C/O headaches. BP 168/102. Imp: hypertension. Plan: amlodipine 5 mg OD. "
                                   "Glibenclamide 5 mg OD. Allergic to sulfa (rash). Review 4 weeks."},
    {"date": "2024-03-04", "text": "Dizzy before lunch, RBS 3.4. BP 138/88. A: hypertension controlled; "
                                   "hypoglycaemia. P: stop glibenclamide. Continue amlodipine 10 mg OD. "
                                   "Review in 3 months."},
]


def _texts(summary, key):
    return [ln.text for ln in summary.sections[key]]


def test_history_sections_and_trend():
    s = summarize_history(VISITS)
    # every visit dated: the timeline's first date and the last values' date say the span
    assert "visits" not in s.sections and "undated" not in s.text
    assert _texts(s, "allergies") == ["sulfa (rash)"]          # a later "NKDA" never drops it
    (current,) = _texts(s, "current_medications")
    assert current.startswith("amlodipine 10 mg OD") and "5 mg 2024-01-05 → 10 mg 2024-02-05" in current
    (stopped,) = _texts(s, "stopped_medications")
    assert stopped.lower().startswith("glibenclamide 5 mg") and "(2024-03-04)" in stopped
    # a timeline: the first value on its visit's line, the last under the last visit's date;
    # the visit in between (same BP trend) is not retold
    assert _texts(s, "events")[0] == "2024-01-05: BP 168/102"
    assert _texts(s, "results") == ["2024-03-04: RBS 3.4 mmol/L, BP 138/88"]
    assert "152/96" not in s.text
    assert _texts(s, "follow_up") == ["Review in 3 months"]
    problems = _texts(s, "problems")
    assert problems[0] == "hypertension controlled (2024-01-05)"        # the date first made
    assert any(p.startswith("hypoglycaemia") for p in problems)
    assert invented_facts(s.text, s.docs) == []


def test_parts_merge_to_the_same_history():
    visits = parse_visits(VISITS)
    whole = build_history_summary(visits, budget=100_000)
    parts = build_history_summary(visits, budget=10)             # one visit per part
    assert parts.text == whole.text


def test_history_bad_input():
    with pytest.raises(ValidationError):
        summarize_history([])
    with pytest.raises(ValidationError):
        summarize_history(["not a visit"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="empty"):
        summarize_history([{"date": "2024-01-01", "text": " "}])


REFERRAL = ("3 yr old with cough and fast breathing 2 days, unable to drink since morning. No convulsions. "
            "O/E: RR 52, SpO2 88%, T 39.2, chest indrawing present. A: severe pneumonia. "
            "P: Gave amoxicillin 250 mg PO stat at 10:15. Refer to district hospital for oxygen. NKDA.")


def test_referral_letter():
    s = referral_letter(REFERRAL, patient={"name": "Child A", "age": 3, "id": "P-0012"})
    assert _texts(s, "patient") == ["Name: Child A; Age: 3 years; ID: P-0012"]
    triage = _texts(s, "triage")
    assert triage[0] == "Triage level: EMERGENCY"
    assert any("chest indrawing" in t.lower() for t in triage)
    assert not any("convuls" in t.lower() for t in triage)      # negated: not a danger sign
    assert _texts(s, "treatment_given") == ["amoxicillin 250 mg PO stat at 10:15"]  # (issue 13, session 17: a prescription one clause says in full is shown as written)
    assert _texts(s, "request") == ["Refer to district hospital for oxygen."]
    assert _texts(s, "allergies")[0].endswith("(NKDA)")
    assert _texts(s, "reason")[0] == "severe pneumonia."
    assert invented_facts(s.text, s.docs) == []


def test_referral_without_identifiers_adds_none():
    s = referral_letter("Cough 3 weeks, weight loss. A: presumptive TB. P: refer for GeneXpert.")
    assert s.sections["patient"] == []
    assert _texts(s, "triage") == ["Triage level: ROUTINE"]


def test_chinese_referral_and_handover():
    note = ("主诉：呕吐、腹痛1天，意识模糊2小时。过敏史：头孢类过敏。\n查体：血压 88/50mmHg，心率 128次/分。嗜睡。\n"
            "诊断：糖尿病酮症酸中毒可能。\n处理：生理盐水 1000ml 静脉滴注（10:30开始）。转诊至县医院进一步治疗。")
    s = referral_letter(note, patient={"name": "王某", "age": 19})
    assert s.lang == "zh" and "转诊原因" in s.text and "危急" in s.text
    assert fact_present("生理盐水 1000 ml 静脉", s.text) and "10:30" in s.text and "头孢" in s.text
    h = referral_letter(note, handover=True)
    assert list(h.sections) == ["illness_severity", "patient_summary", "action_list", "allergies",
                                "situation_awareness", "synthesis"]
    assert h.kind == "handover" and "病情严重程度" in h.text
