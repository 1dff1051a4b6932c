"""Accepted diagnoses in a summary request: the SOAP Assessment with ICD-10 codes,
never a suggestion that was not accepted; the chronic-conditions list is data the
validator checks."""

from __future__ import annotations

import pytest

from lantern.clinical.diagnoses import diagnoses_from_request
from lantern.clinical.knowledge import load_knowledge, read_knowledge
from lantern.clinical.summarize import summarize
from lantern.domain.errors import ValidationError

NOTE = "Cough and fever for 3 days. RR 30. Impression: chest infection. Plan: amoxicillin 500 mg TDS 5 days."


def _assessment(summary):
    return [line.text for line in summary.sections["assessment"]]


def test_accepted_and_added_diagnoses_are_the_assessment_with_codes():
    s = summarize("note", {"note": NOTE, "accepted_diagnoses": ["pneumonia"],
                           "added_diagnoses": ["Sickle cell trait"]})
    assert _assessment(s)[:2] == ["Pneumonia (ICD-10 J18.9)", "Sickle cell trait"]
    assert "A: Pneumonia (ICD-10 J18.9). Sickle cell trait." in s.text       # (SOAP letters in the text)
    # each line rests on the rendering of the typed decision (verification finds it)
    line = s.sections["assessment"][0]
    assert s.docs[line.sources[0].doc][line.sources[0].start:line.sources[0].end] == line.text


def test_chinese_names_and_nothing_not_accepted():
    s = summarize("note", {"note": "咳嗽发热3天。", "accepted_diagnoses": ["pneumonia"]})
    assert _assessment(s) == ["肺炎（ICD-10 J18.9）"]
    plain = summarize("note", {"note": "咳嗽发热3天。"})
    assert plain.sections["assessment"] == [] and "肺炎" not in plain.text


def test_a_model_never_rewords_accepted_diagnoses():
    calls = []

    def generate(prompt, **_kw):
        calls.append(prompt)
        return "Probably bronchitis."

    s = summarize("note", {"note": NOTE, "accepted_diagnoses": ["pneumonia"]}, generate=generate)
    assert _assessment(s)[0] == "Pneumonia (ICD-10 J18.9)"
    assert not any("Pneumonia (ICD-10" in p for p in calls)


@pytest.mark.parametrize("payload", [{"accepted_diagnoses": ["no_such_condition"]},
                                     {"accepted_diagnoses": "pneumonia"},
                                     {"added_diagnoses": [3]}])
def test_bad_diagnoses_are_a_clear_error(payload):
    with pytest.raises(ValidationError, match="diagnoses"):
        diagnoses_from_request(payload)


def test_chronic_list_names_only_conditions(tmp_path):
    kb = load_knowledge()
    assert {"hypertension", "diabetes_mellitus", "asthma"} <= kb.chronic
    assert "diabetic_ketoacidosis" not in kb.chronic and "pneumonia" not in kb.chronic
    import shutil

    from lantern.clinical.knowledge import knowledge_dir
    copy = tmp_path / "kb"
    shutil.copytree(knowledge_dir(), copy)
    (copy / "chronic_conditions.toml").write_text('ids = ["hypertension", "hypertensoin"]\n')
    assert any("hypertensoin" in p for p in read_knowledge(copy).problems)


def _cli(monkeypatch, capsys, request: dict, *args: str) -> tuple[int, dict]:
    import io
    import json

    from lantern.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(request)))
    code = main(["summarize", "--no-llm", *args, "-"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_summarize_takes_accepted_diagnoses(monkeypatch, capsys):
    code, out = _cli(monkeypatch, capsys, {"id": "a1", "note": NOTE, "accepted_diagnoses": ["pneumonia"]})
    assert code == 0
    assert out["summary"]["sections"]["assessment"][0] == "Pneumonia (ICD-10 J18.9)"
    # a letter takes the same request without failing (its diagnoses are the letter's part)
    code, out = _cli(monkeypatch, capsys, {"note": NOTE, "accepted_diagnoses": ["pneumonia"]},
                     "--kind", "referral")
    assert code == 0 and "triage" in out
    code, out = _cli(monkeypatch, capsys, {"id": "a2", "note": NOTE, "accepted_diagnoses": ["pneumonai"]})
    assert code != 0 and out == {"id": "a2", "error": "accepted_diagnoses: unknown condition id 'pneumonai'"}
