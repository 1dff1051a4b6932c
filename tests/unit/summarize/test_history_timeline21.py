"""A history of dated visits is a timeline (issue 13, session 21): one line a visit with what it
brought (its results, its events), each date said once, and the last value of each measurement
closing it - the last visit's together under its date, an older one with its own date. The
visits are terse clinic notes, each with something new, in English and Chinese."""

from __future__ import annotations

import re

import pytest

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import fact_present, invented_facts

EN = [
    {"date": "2025-01-14", "text": "New patient, T2DM + HTN. Polyuria 2 months. BP 158/96, Wt 92 kg, FBS 11.4, "
                                   "HbA1c 9.2%. Creat 88, eGFR 82. Dx: T2DM. Start metformin 500mg bd. Amlodipine "
                                   "5mg od. Allergic to penicillin (rash). Review 4 weeks."},
    {"date": "2025-02-11", "text": "BP 150/92. FBS 9.1. Mild nausea on metformin, tolerating. Increase amlodipine "
                                   "to 10mg od. Review 3 months."},
    {"date": "2025-05-13", "text": "HbA1c 8.1%. BP 138/86. Wt 89 kg. Metformin increased to 1g bd. Stopped smoking."},
    {"date": "2025-08-12", "text": "Ankle swelling. BP 132/84. Amlodipine reduced to 5mg od, add losartan 50mg od. "
                                   "K 4.6, creat 95, eGFR 74."},
    {"date": "2025-11-18", "text": "HbA1c 7.2%. BP 128/80, Wt 87 kg. eGFR 70, K 4.9. Continue metformin 1g bd, "
                                   "amlodipine 5mg od, losartan 50mg od. Retinal screening referral - result pending. "
                                   "Review 3 months."},
]
ZH = [
    {"date": "2025-01-14", "text": "初诊，多饮多尿2月。血压 158/96mmHg，体重 92kg，空腹血糖 11.4mmol/L，糖化血红蛋白 9.2%。"
                                   "肌酐 88μmol/L，eGFR 82。诊断：2型糖尿病，高血压。二甲双胍 0.5g bid，氨氯地平 5mg qd。"
                                   "青霉素过敏（皮疹）。4周后复诊。"},
    {"date": "2025-02-11", "text": "血压 150/92mmHg，空腹血糖 9.1mmol/L。轻度恶心，可耐受。氨氯地平加量至 10mg qd。"},
    {"date": "2025-05-13", "text": "糖化血红蛋白 8.1%，血压 138/86mmHg，体重 89kg。二甲双胍加量至 1g bid。已戒烟。"},
    {"date": "2025-08-12", "text": "踝部水肿。血压 132/84mmHg。氨氯地平减为 5mg qd，加用氯沙坦 50mg qd。血钾 4.6mmol/L，"
                                   "肌酐 95μmol/L，eGFR 74。"},
    {"date": "2025-11-18", "text": "糖化血红蛋白 7.2%，血压 128/80mmHg，体重 87kg，eGFR 70，血钾 4.9mmol/L。继续二甲双胍 1g bid、"
                                   "氨氯地平 5mg qd、氯沙坦 50mg qd。已转眼科筛查视网膜病变，待结果。3个月后复诊。"},
]


def _ratio(summary) -> float:
    return len(summary.text) / sum(len(d) for d in summary.docs)


def _lines(summary, key):
    return [ln.text for ln in summary.sections.get(key, [])]


def _dates(lines):
    return [m.group(0) for ln in lines if (m := re.match(r"\d{4}-\d{2}-\d{2}", ln))]


def _assert_facts(s, facts):
    missing = [f for f in facts if not fact_present(f, s.text)]
    assert not missing, (missing, s.text)


def _assert_timeline(s, first_line: str, closing: str, older_last: list[str]):
    timeline, results = _lines(s, "events"), _lines(s, "results")
    # one line a visit, in date order, each date once; the span needs no line of visits
    dates = _dates(timeline)
    assert len(dates) == len(timeline) and dates == sorted(set(dates)), timeline
    assert "visits" not in s.sections
    assert timeline[0] == first_line                      # the first values, dated once
    assert results[0] == closing                          # the last visit's values under its date
    assert results[1:] == older_last                      # an older last value: under its date, latest first
    # a visit's date is said once in the timeline: no value of a visit's line carries its own date
    body = "\n".join(timeline)
    assert all(body.count(d) == 1 for d in dates) and closing[:10] not in body, body
    closing_dates = _dates(results)
    assert len(closing_dates) == len(set(closing_dates)) == len(results), results
    assert "→" not in body + "\n".join(results)
    assert invented_facts(s.text, s.docs) == []


CASES = {
    "en": (EN, "2025-01-14: BP 158/96, Wt 92 kg, FBS 11.4 mmol/L, HbA1c 9.2%, Creat 88, eGFR 82",
           "2025-11-18: HbA1c 7.2%, BP 128/80, Wt 87 kg, eGFR 70, K 4.9",
           ["2025-08-12: creat 95", "2025-02-11: FBS 9.1 mmol/L"],
           ["penicillin (rash)", "metformin 1 g BD (500 mg 2025-01-14 → 1 g 2025-05-13)",
            "amlodipine 5 mg OD (5 mg 2025-01-14 → 10 mg 2025-02-11 → 5 mg 2025-08-12)",
            "losartan 50 mg OD (since 2025-08-12)", "2025-05-13: Stopped smoking", "result pending", "T2DM"],
           0.85),      # before the timeline (one trend line a measurement, a date a value): 0.97
    "zh": (ZH, "2025-01-14：血压 158/96mmHg，体重 92kg，空腹血糖 11.4mmol/L，糖化血红蛋白 9.2%，肌酐 88μmol/L，eGFR 82",
           "2025-11-18：糖化血红蛋白 7.2%，血压 128/80mmHg，体重 87kg，eGFR 70，血钾 4.9mmol/L",
           ["2025-08-12：肌酐 95μmol/L", "2025-02-11：空腹血糖 9.1mmol/L"],
           ["青霉素（皮疹）", "二甲双胍 1 g bid（0.5 g 2025-01-14 → 1 g 2025-05-13）",
            "氯沙坦 50 mg qd（自 2025-08-12）", "2025-05-13：已戒烟", "待结果", "2型糖尿病"],
           0.95),      # before the timeline: 1.13
}


@pytest.mark.parametrize("lang", sorted(CASES))
def test_a_history_of_terse_visits_is_a_timeline_with_the_last_values(lang):
    notes, first_line, closing, older_last, facts, ceiling = CASES[lang]
    s = summarize("history", {"notes": notes})
    _assert_timeline(s, first_line, closing, older_last)
    _assert_facts(s, facts)
    assert "150/92" not in s.text and "138/86" not in s.text      # values on the way are not retold
    assert "Retinal" not in " ".join(_lines(s, "current_medications"))   # "retinal screening" is no retinol
    assert _ratio(s) <= ceiling, (_ratio(s), s.text)


def test_undated_visits_keep_their_trend_lines():
    """Without dates a timeline cannot be drawn: each measurement keeps its trend line."""
    s = summarize("history", {"notes": [{"date": "", "text": v["text"]} for v in EN]})
    results = _lines(s, "results")
    assert any("→" in ln for ln in results), results


def test_a_drug_said_off_after_its_stop_stays_stopped_from_the_first_date():
    """'K 5.0 off enalapril' after 'Enalapril STOPPED': stopped, from the visit that stopped it."""
    s = summarize("history", {"notes": [
        {"date": "2024-02-05", "text": "CKD review. BP 150/94. Start enalapril 5mg od."},
        {"date": "2025-02-10", "text": "K 6.1. Enalapril STOPPED (hyperkalaemia)."},
        {"date": "2025-03-03", "text": "K 5.0 off enalapril. Added furosemide 40mg od."}]})
    assert "enalapril" not in " ".join(_lines(s, "current_medications")).lower()
    assert "enalapril 5 mg OD (2025-02-10)" in " ".join(_lines(s, "stopped_medications"))
