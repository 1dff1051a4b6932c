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
