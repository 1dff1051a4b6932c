"""Development set ``summary_dev_blind3.jsonl`` (formerly ``summary_blind3.jsonl``), without the model.

Written from issue #5 and the field format of ``summary_eval.jsonl`` alone, before the
summarizer code was read; weighted to the weak kinds (12 histories, 10 referrals, 9 notes;
45 % Chinese). First run: recall 0.911 (256/281), 0 invented; after two fix rounds 0.957
(269/281), 0 invented (``tests/data/summary_dev_blind3_firstrun.md``). The issue's target
(recall 1.000) is NOT reached on this set. ``test_summary_set_floors.py`` holds it to the
floor in ``tests/data/SETS.toml`` (269 facts found, 0 invented): a minimum score, not a
list of misses, so fixing one miss needs no test edit and the floor is raised instead.
Here: clinical points the recall score cannot see.
"""

from __future__ import annotations

from .summary_sets import load_set, sections_of


def _items() -> list[dict]:
    return load_set("summary_dev_blind3.jsonl")


def _sections(item_id: str) -> dict[str, list[str]]:
    return sections_of(next(i for i in _items() if i["id"] == item_id))


def test_allergies_written_in_one_visit_are_allergies_not_medications():
    for item_id, drug in (("b3-hist-htn-dm", "aspirin"), ("b3-hist-hiv", "nevirapine"),
                          ("b3-hist-ckd", "lisinopril"), ("b3-hist-asthma-child-zh", "布洛芬"),
                          ("b3-hist-hf-zh", "碘造影剂"), ("b3-hist-epilepsy", "CBZ")):
        sec = _sections(item_id)
        assert any(drug in a for a in sec["allergies"]), (item_id, sec["allergies"])
        assert not any(drug in m for m in sec["current_medications"]), (item_id, sec["current_medications"])


def test_stopped_switched_and_declined_drugs_are_not_current():
    sec = _sections("b3-hist-htn-zh")
    current = " ".join(sec["current_medications"])
    assert "氨氯地平" in current
    for drug in ("硝苯地平", "氢氯噻嗪", "替米沙坦"):
        assert drug not in current
    stopped = " ".join(sec["stopped_medications"])
    assert "硝苯地平" in stopped and "氢氯噻嗪" in stopped
    sec = _sections("b3-hist-epilepsy")
    assert not any("carbamazepine" in m for m in sec["current_medications"])
    sec = _sections("b3-hist-ckd")
    assert any(m.startswith("allopurinol 100 mg") for m in sec["current_medications"])
    assert any(m.startswith("paracetamol") for m in sec["current_medications"])
    assert any("ibuprofen" in m for m in sec["stopped_medications"])
    sec = _sections("b3-hist-dm-ckd-zh")
    assert any("达格列净" in m for m in sec["current_medications"])


def test_stop_reasons_and_trends():
    sec = _sections("b3-hist-htn-dm")
    assert any("amlodipine" in m and "ankle oedema" in m for m in sec["stopped_medications"])
    sec = _sections("b3-hist-hiv")
    assert not any("6 copies" in r for r in sec["events"] + sec["results"])   # "VL 6/12: <50" is the 6-month VL

    def trend(case: str) -> str:
        """The timeline's values (a visit's line) and the last values (the closing lines), as one text."""
        sec = _sections(case)
        return "\n".join(sec["events"] + sec["results"])

    assert "Urine protein nil" in trend("b3-hist-anc") and "urine protein +1" in trend("b3-hist-anc")
    assert "eGFR 45" in trend("b3-hist-ckd") and "eGFR 31" in trend("b3-hist-ckd")
    assert "NT-proBNP 1850" in trend("b3-hist-hf-zh") and "NT-proBNP 620" in trend("b3-hist-hf-zh")
    assert "PEF 180" in trend("b3-hist-asthma-child-zh") and "PEF 260" in trend("b3-hist-asthma-child-zh")


def test_second_round_clinically_wrong_outputs():
    triage = _sections("b3-ref-murmur")["triage"]
    assert "ROUTINE" in triage[0] and "EMERGENCY" not in triage[0]      # 7 months: RR 54 is not adult RR
    assert any("Non-urgent" in t for t in triage)
    assert not any("IV" in t and "O2" in t for t in _sections("b3-ref-child-pneumonia")["treatment_given"])
    sec = _sections("b3-hist-tb-zh")
    assert any(m.startswith("HR ") for m in sec["current_medications"])
    assert not any("HRZE" in m for m in sec["current_medications"])
    assert any(m.startswith("AL 4 tab") for m in _sections("b3-note-malaria")["medications"])
    assert any("非急诊" in t for t in _sections("b3-ref-thyroid-zh")["triage"])
