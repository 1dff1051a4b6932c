"""The summary evaluation set (``summary_dev_eval.jsonl``): its shape and the compression of
long notes. Its recall and invented facts are held by the floors in ``tests/data/SETS.toml``
(``test_summary_set_floors.py``)."""

from __future__ import annotations

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import aggregate, score_item

from .summary_sets import load_set


def _items() -> list[dict]:
    return load_set("summary_dev_eval.jsonl")


def test_eval_set_shape():
    items = _items()
    assert len(items) >= 30
    kinds = {i["kind"] for i in items}
    assert kinds == {"note", "history", "referral"}
    assert sum(i["lang"] == "zh" for i in items) >= 5
    assert sum(len(i.get("note", "")) + sum(len(v["text"]) for v in i.get("notes", [])) > 3000
               for i in items) >= 3
    assert all(i["must"] for i in items)


def test_long_notes_are_compressed():
    report = aggregate([score_item(item, summarize(item["kind"], item)) for item in _items()])
    assert report["compression_long_notes"] < 0.35
