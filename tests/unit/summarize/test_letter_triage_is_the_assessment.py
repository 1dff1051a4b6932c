"""A referral letter's triage level is the assessment's: the same rules, the same level as
``lantern diagnose`` for the same note, vitals, age, sex and pregnancy (issue 10: one
clinical language layer; there is no second triage for letters)."""

from __future__ import annotations

import io
import json

import pytest
from tests.benchmarks.eval_sets import sets

from lantern.cli import main
from lantern.clinical.summarize import summarize

CASE_KEYS = ("age_years", "sex", "pregnant", "vitals")


def _diagnosis_cases() -> list[dict]:
    cases = []
    for entry in sets(kind="diagnosis"):          # the scored sets (sealed ones wait for their first run)
        for item in entry.load():
            if (item.get("note") or "").strip():
                cases.append({"id": item["id"], "note": item["note"],
                              **{k: item[k] for k in CASE_KEYS if item.get(k) is not None}})
    return cases


def _cli(monkeypatch, capsys, args: list[str], items: list[dict]) -> dict:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(i, ensure_ascii=False) for i in items)))
    assert main(args) == 0
    return {o["id"]: o for o in map(json.loads, capsys.readouterr().out.splitlines())}


def test_every_diagnosis_case_as_a_letter_has_the_diagnose_level(monkeypatch, capsys):
    cases = _diagnosis_cases()
    assert len(cases) > 800
    diagnosed = _cli(monkeypatch, capsys, ["diagnose", "--batch", "--no-llm", "-"], cases)
    letters = _cli(monkeypatch, capsys, ["summarize", "--batch", "--no-llm", "--kind", "referral", "-"], cases)
    levels = {"routine", "urgent", "emergency"}
    mismatched = [c["id"] for c in cases if letters[c["id"]]["triage"] != diagnosed[c["id"]]["triage"]]
    assert mismatched == []
    assert {letters[c["id"]]["triage"] for c in cases} == levels      # all three levels occur


@pytest.mark.parametrize(("note", "level"), [
    ("G3P2 in labour 18h, 2nd stage no progress. Dx: obstructed labour with fetal distress. "
     "Refer for emergency C/S.", "emergency"),
    ("On 2HRZE week 3. Now jaundiced, vomiting x2 days. Refer for LFTs.", "urgent"),
    ("24F G1 at 34 weeks, severe headache. BP 168/112, urine protein 3+.", "emergency"),
    ("Cough 3 weeks, weight loss. A: presumptive TB. P: refer for GeneXpert.", "routine"),
])
def test_letter_level_and_its_lines(note, level):
    letter = summarize("referral", {"note": note})
    assert letter.triage == level
    assert letter.sections["triage"][0].text.startswith(f"Triage level: {level.upper()}")


def test_the_clinicians_stated_urgency_is_shown_beside_never_instead():
    letter = summarize("referral", {"note": "Cough 3 weeks, weight loss. Presumptive TB. Urgent referral to hospital."})
    assert letter.triage == "routine"
    assert "the referring clinician states URGENT" in letter.sections["triage"][0].text


def test_form_vitals_and_age_reach_the_letter_level():
    plain = summarize("referral", {"note": "Cough and fever 2 days. Refer."})
    with_case = summarize("referral", {"note": "Cough and fever 2 days. Refer.", "age_years": 40,
                                       "vitals": {"spo2": 84}})
    assert plain.triage == "routine" and with_case.triage == "emergency"
