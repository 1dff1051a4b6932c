"""Every scored meaning-change set of tests/data/SETS.toml meets its floors: the
summarizer's verification drops model rewordings that change the meaning of the draft
line, and keeps faithful paraphrases (issue 13, point 3)."""

from __future__ import annotations

import pytest
from tests.benchmarks.bench_meaning import evaluate
from tests.benchmarks.eval_sets import sets

SETS = sets(kind="meaning_change")


def test_there_is_a_scored_meaning_change_set():
    assert any(s.status == "development" for s in SETS)


@pytest.mark.parametrize("entry", SETS, ids=[s.file for s in SETS])
def test_meaning_change_set_meets_its_floors(entry):
    figures = evaluate(entry.load())
    problems = []
    for slice_name, floor in entry.floor.items():
        got = figures["buckets"][slice_name]
        if got["dropped"] < floor["changed_dropped"]:
            problems.append(f"{slice_name}: changed dropped {got['dropped']} < {floor['changed_dropped']}")
        if got["kept"] < floor["faithful_kept"]:
            problems.append(f"{slice_name}: faithful kept {got['kept']} < {floor['faithful_kept']}")
    # a blind set's items are never printed (whoever reads the failure may be fixing code)
    assert problems == [], figures["misses"] if entry.status == "development" else problems


def test_every_changed_sentence_of_the_dev_set_is_dropped_and_nine_in_ten_faithful_kept():
    """The issue's targets, on the development set: 100% changed dropped, >= 90% faithful kept."""
    entry = next(s for s in SETS if s.file == "meaning_change_dev_wording.jsonl")
    b = evaluate(entry.load())["buckets"]["all"]
    assert b["changed"] >= 60 and b["faithful"] >= 30
    assert b["dropped"] == b["changed"]
    assert b["kept"] >= 0.9 * b["faithful"]
