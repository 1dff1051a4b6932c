"""A patient history keeps the fact families its visits write (issue 13, session 19).

Notes written for these tests (not from any evaluation set): a result at the end of a
sentence ("PEF 320."), results written with their unit (urine ACR, uric acid, a child's
length and z-scores), a test result in a word ("HIV neg"), a dose change that starts from a
regimen written otherwise, a Chinese prescription's Latin frequency on a stopped drug, a
chart medication the history already shows; and two readers of invented facts: a date
written against a Chinese word, a dose range across a line break.
"""

from __future__ import annotations

from lantern.clinical.language.chart import chart_from_request
from lantern.clinical.language.claims import claims_of
from lantern.clinical.language.meaning import meaning_of
from lantern.clinical.language.results import extract_vitals
from lantern.clinical.summarize.evaluate import fact_present, invented_facts
from lantern.clinical.summarize.history import Visit, build_history_summary


def _history(*visits: tuple[str, str], chart: dict | None = None):
    return build_history_summary([Visit(d, t) for d, t in visits],
                                 chart=chart_from_request(chart) if chart else None)


def _lines(summary, key: str) -> list[str]:
    return [ln.text for ln in summary.sections.get(key, [])]


# --- results ---------------------------------------------------------------------------------

def test_a_reading_at_the_end_of_a_sentence_is_read():
    assert [(r.name, r.value) for r in extract_vitals("Well. PEF 320. Continue.")] == [("pef", "320")]
    assert [(r.name, r.value) for r in extract_vitals("NT-proBNP 1200.")] == [("ntprobnp", "1200")]
    assert extract_vitals("PEF 320.5 L/min") == []     # (a decimal is not cut to its whole part)


def test_results_written_with_their_unit_are_read_and_compared_by_number():
    names = {r.name: r.value for r in extract_vitals("uACR 45 mg/mmol, 尿酸 520μmol/L, 身长79.5cm, WAZ -2.2, HAZ -1.8")}
    assert names == {"acr": "45 mg/mmol", "urate": "520μmol/L", "length": "79.5cm", "waz": "-2.2", "haz": "-1.8"}
    # a changed value is a changed measurement for the meaning check
    assert meaning_of("uACR 45 mg/mmol").measurements != meaning_of("uACR 54 mg/mmol").measurements


def test_history_trends_results_written_with_their_unit_as_written():
    s = _history(("2024-01-10", "T2DM review. eGFR 58, uACR 45 mg/mmol. Uric acid 0.46. Metformin 1 g bd."),
                 ("2024-07-10", "eGFR 50, uACR 30 mg/mmol. Continue metformin 1 g bd."))
    results = " ".join(_lines(s, "events") + _lines(s, "results"))
    for fact in ("uACR 45 mg/mmol", "uACR 30 mg/mmol", "Uric acid 0.46"):
        assert fact_present(fact, results), (fact, results)
    assert not invented_facts(s.text, s.docs)


def test_child_growth_values_stay_in_a_history():
    s = _history(("2025-01-06", "2月龄。体重 5.6kg，身长 58cm。接种脊灰灭活疫苗第1剂。"),
                 ("2025-07-07", "8月龄。体重 7.6kg，身长 68cm，WAZ -1.2。"))
    for fact in ("身长 58cm", "身长 68cm", "WAZ -1.2"):
        assert fact_present(fact, s.text), (fact, s.text)


# --- events ----------------------------------------------------------------------------------

def test_a_test_result_in_a_word_is_an_event_of_the_history():
    s = _history(("2024-02-01", "New HIV diagnosis. TB screen neg, CrAg neg. Start TLD 1 tab od."),
                 ("2024-05-01", "ANC booking visit. VDRL non-reactive. hCG positive."),
                 ("2024-08-01", "Well. Continue TLD."))
    events = " ".join(_lines(s, "events"))
    for fact in ("TB screen neg", "CrAg neg", "VDRL non-reactive", "hCG positive"):
        assert fact_present(fact, events), (fact, events)


def test_a_listed_drug_started_after_a_test_result_is_not_said_twice():
    s = _history(("2024-02-01", "TB screen neg - started isoniazid 300 mg od x 6 months."),
                 ("2024-08-01", "Isoniazid course completed."))
    events = " ".join(_lines(s, "events"))
    assert "TB screen neg" in events and "300" not in events
    # a reason written before the event stays with it
    s = _history(("2024-02-01", "Heart failure. Spironolactone 25 mg od, furosemide 40 mg od."),
                 ("2024-03-01", "K 5.8 - spironolactone stopped."))
    assert any("K 5.8 - spironolactone stopped" in e for e in _lines(s, "events"))


# --- medications -----------------------------------------------------------------------------

def test_a_dose_change_keeps_the_regimen_it_started_from():
    s = _history(("2023-06-12", "诊断：2型糖尿病。二甲双胍 0.5g bid。"),
                 ("2023-12-11", "改二甲双胍缓释片 1g qd。"))
    meds = " ".join(_lines(s, "current_medications"))
    assert fact_present("二甲双胍 0.5g bid", meds) and fact_present("二甲双胍缓释片 1g qd", meds), meds


def test_a_stopped_chinese_prescription_keeps_its_latin_frequency():
    s = _history(("2024-03-05", "诊断：高血压病2级。处理：依那普利 10mg qd。"),
                 ("2024-04-02", "干咳2周。停依那普利，换用氯沙坦 50mg qd。"))
    assert fact_present("依那普利 10mg qd", " ".join(_lines(s, "stopped_medications"))), s.text


def test_a_chart_medication_the_history_shows_as_typed_is_not_repeated():
    s = _history(("2024-02-12", "HTN. Start lisinopril 5 mg od."),
                 ("2024-03-04", "BP 142/88. Continue lisinopril 5 mg od."),
                 chart={"medications": ["lisinopril 5 mg od", "aspirin 75 mg od"]})
    meds = _lines(s, "current_medications")
    assert sum("lisinopril" in m.lower() for m in meds) == 1, meds
    assert any("aspirin 75 mg od" in m for m in meds), meds


# --- readers of invented facts ---------------------------------------------------------------

def test_a_date_written_against_a_chinese_word_is_a_date():
    assert claims_of("末次月经2026-03-27，预产期2027-01-01。").dates == {"27-3-2026", "1-1-2027"}
    assert not invented_facts("预产期 2027-01-01", ["预产期2027-01-01"])


def test_a_dose_range_does_not_cross_a_line_break():
    assert claims_of("diazepam 5 mg PR 11:08\n- 10% dextrose 70 ml IV").doses == {
        ("5", "mg"), ("10", "%"), ("70", "ml")}
    assert claims_of("5-10 mg").doses == {("5", "mg"), ("10", "mg")}
