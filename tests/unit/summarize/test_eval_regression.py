"""Keeps the deterministic faithfulness figures on the evaluation set from slipping."""

from __future__ import annotations

import json
from pathlib import Path

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import aggregate, score_item

EVAL = Path(__file__).resolve().parents[2] / "data" / "summary_eval.jsonl"


def _items() -> list[dict]:
    return [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_eval_set_shape():
    items = _items()
    assert len(items) >= 30
    kinds = {i["kind"] for i in items}
    assert kinds == {"note", "history", "referral"}
    assert sum(i["lang"] == "zh" for i in items) >= 5
    assert sum(len(i.get("note", "")) + sum(len(v["text"]) for v in i.get("notes", [])) > 3000
               for i in items) >= 3
    assert all(i["must"] for i in items)


def test_deterministic_recall_is_complete_and_nothing_is_invented():
    scores = [score_item(item, summarize(item["kind"], item)) for item in _items()]
    report = aggregate(scores)
    missing = {s.id: s.missing for s in scores if s.missing}
    invented = {s.id: s.invented for s in scores if s.invented}
    assert missing == {}
    assert invented == {}
    assert report["recall"] == 1.0 and report["invented"] == 0
    assert report["compression_long_notes"] < 0.35
