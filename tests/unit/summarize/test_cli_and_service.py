"""`lantern summarize` contract and the summaries service payloads."""

from __future__ import annotations

import io
import json

import pytest

from lantern.cli import main
from lantern.domain.errors import ModelError
from lantern.services.summaries import SummaryService

NOTE = "S: cough 3/7. O: T 38.2. A: URTI. P: paracetamol 1g QID PRN. RTC 3 days. NKDA."


def _run(monkeypatch, capsys, stdin: str, *args: str) -> tuple[int, list[dict]]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["summarize", *args])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_single_note_contract(monkeypatch, capsys):
    code, (out,) = _run(monkeypatch, capsys, json.dumps({"id": "n1", "note": NOTE}), "--no-llm")
    assert code == 0
    assert set(out) == {"id", "summary", "dropped_sentences", "llm_used", "sources"}
    assert out["id"] == "n1" and out["llm_used"] is False and out["dropped_sentences"] == 0
    assert set(out["summary"]) == {"text", "sections"}
    assert "paracetamol 1g QID PRN" in out["summary"]["text"]  # (issue 13, session 17: a prescription one clause says in full is shown as written)
    assert out["summary"]["sections"]["follow_up"] == ["RTC 3 days"]
    src = next(s for s in out["sources"] if s["section"] == "medications")
    assert src["spans"][0]["text"] == "paracetamol 1g QID PRN"


def test_batch_with_malformed_lines_continues(monkeypatch, capsys, tmp_path):
    lines = [json.dumps({"id": 1, "note": NOTE}), "{not json", json.dumps({"id": 3, "note": ""}),
             json.dumps([1, 2]), json.dumps({"id": 5, "note": "主诉：咳嗽。诊断：上感。"})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["summarize", "--batch", "--no-llm", str(path)])
    outs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert code == 0 and len(outs) == 5
    assert outs[0]["id"] == 1 and "summary" in outs[0]
    assert outs[1] == {"id": None, "error": "malformed JSON"}
    assert outs[2]["id"] == 3 and "empty" in outs[2]["error"]
    assert "error" in outs[3]
    assert outs[4]["summary"]["text"].startswith("病史：咳嗽。")       # (the note's history, 病史)


def test_history_and_referral_kinds(monkeypatch, capsys):
    hist = {"id": "h", "notes": [{"date": "2024-01-01", "text": "BP 160/100. A: hypertension. P: amlodipine 5 mg OD."},
                                 {"date": "2024-02-01", "text": "BP 140/90. P: amlodipine 10 mg OD."}]}
    code, (out,) = _run(monkeypatch, capsys, json.dumps(hist), "--no-llm", "--kind", "history")
    # a timeline: the first value on its visit's line, the last value under the last visit's date
    assert code == 0 and "2024-01-01: BP 160/100" in out["summary"]["text"]
    assert "Results: 2024-02-01: BP 140/90" in out["summary"]["text"]
    ref = {"id": "r", "note": "Unconscious since 1 hour. BP 80/50. Refer urgently.", "lang": "en"}
    code, (out,) = _run(monkeypatch, capsys, json.dumps(ref), "--no-llm", "--kind", "referral")
    assert code == 0 and "Triage level: EMERGENCY" in out["summary"]["text"]


def test_single_bad_input_exits_non_zero(monkeypatch, capsys):
    code, (out,) = _run(monkeypatch, capsys, json.dumps({"note": ""}), "--no-llm")
    assert code == 2 and "empty" in out["error"]
    monkeypatch.setattr("sys.stdin", io.StringIO("  "))
    assert main(["summarize", "--no-llm"]) == 2
    assert "No input" in capsys.readouterr().err


def test_store_payload_records_provenance():
    def gen(prompt, *, max_tokens, stop=None, json_schema=None, on_text=None):
        return "Invented ceftriaxone 2 g."

    gen.model_sha256 = "ab" * 32  # type: ignore[attr-defined]
    service = SummaryService(generator=gen)
    summary = service.summarize("note", {"note": NOTE})
    payload = service.store_payload(summary)
    assert payload["status"] == "draft" and payload["signed_by"] is None
    assert payload["prompt"] == {"id": "summary_note_section", "version": "2"}
    assert payload["model"]["sha256"] == "ab" * 32
    assert payload["verification"]["dropped_sentences"] == len(summary.dropped) > 0
    assert "ceftriaxone" not in payload["text"]
    signed = service.store_payload(summary, edited_text=summary.text + "\nSeen with mother.",
                                   signed_by="dr_a")
    assert signed["status"] == "signed" and signed["edited"] and signed["signed_at"]


def test_save_goes_through_records_service():
    calls = []

    class Records:
        def save_summary(self, encounter_id, patient_id, payload):
            calls.append((encounter_id, patient_id, payload))
            return "S123"

    service = SummaryService()
    summary = service.summarize("note", {"note": NOTE})
    assert service.save(Records(), summary=summary, patient_id="P1", encounter_id="E1") == "S123"
    (enc, pat, payload), = calls
    assert (enc, pat, payload["llm_used"], payload["prompt"], payload["model"]) == ("E1", "P1", False, None, None)


def test_model_failure_falls_back_to_skeleton():
    def broken(prompt, **kwargs):
        raise ModelError("The language model stopped unexpectedly.")

    summary = SummaryService(generator=broken).summarize("note", {"note": NOTE})
    assert summary.llm_used is False
    assert summary.warnings[-1].startswith(
        "The language model was not used: The language model stopped unexpectedly.")
    assert summary.model_problem == "The language model stopped unexpectedly."
    assert SummaryService.cli_result(summary)["llm_unavailable"] == summary.model_problem
    assert "paracetamol 1g" in summary.text


def test_unknown_kind_is_rejected():
    with pytest.raises(Exception, match="Unknown summary kind"):
        SummaryService().summarize("poem", {"note": NOTE})
