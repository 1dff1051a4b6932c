"""Keeps the deterministic figures on the blind set (``summary_blind.jsonl``) at the issue's targets.

The blind set was written from the issue alone, before the summarizer code was read;
its first-run figures (recall 0.937, 5 invented facts) are in
``tests/data/summary_blind_firstrun.md``. After general fixes it scores recall 1.000 and
0 invented without the model; this test keeps it there, and checks that the CLI keeps
the issue's output contract on every item.
"""

from __future__ import annotations

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import aggregate, score_item

from .blind_sets import cli_batches, load_set


def _items() -> list[dict]:
    return load_set("summary_blind.jsonl")


def _source_chars(item: dict) -> int:
    return len(item.get("note", "")) + sum(len(v["text"]) for v in item.get("notes", []))


def test_blind_set_shape():
    items = _items()
    assert len(items) >= 30
    assert {i["kind"] for i in items} == {"note", "history", "referral"}
    assert sum(i["lang"] == "zh" for i in items) >= 5
    assert sum(_source_chars(i) > 2000 for i in items) >= 3
    assert sum(i["id"].startswith("b-adv-") for i in items) >= 3
    assert all(i["must"] for i in items)


def test_blind_recall_is_complete_and_nothing_is_invented_without_model():
    scores = [score_item(item, summarize(item["kind"], item)) for item in _items()]
    report = aggregate(scores)
    assert {s.id: s.missing for s in scores if s.missing} == {}
    assert {s.id: s.invented for s in scores if s.invented} == {}
    assert report["recall"] == 1.0 and report["invented"] == 0


def test_blind_cli_output_matches_the_contract(monkeypatch, capsys):
    items = _items()
    for batch, outs in cli_batches(monkeypatch, capsys, items):
        assert [o["id"] for o in outs] == [b["id"] for b in batch]
        for out in outs:
            letter = {"triage"} if {i["id"]: i["kind"] for i in items}[out["id"]] == "referral" else set()
            assert set(out) == {"id", "summary", "dropped_sentences", "llm_used", "sources"} | letter
            assert set(out["summary"]) == {"text", "sections"}
            assert isinstance(out["summary"]["text"], str) and out["summary"]["text"]
            assert isinstance(out["summary"]["sections"], dict)
            assert out["dropped_sentences"] == 0 and out["llm_used"] is False
            assert isinstance(out["sources"], list)
