"""Every diagnosis set in tests/data/SETS.toml scores at least its floor, without the model.

The floors are today's counts (top-1, top-3, triage exact; at most so many expected
emergencies called urgent or routine), per slice (all, en, zh). They are minimum scores,
not lists of cases: a case may change from miss to hit or back as long as the counts
hold. Raise a floor when the code gets better; fix the knowledge or the method, never
single cases, when one fails.
"""

from __future__ import annotations

import pytest
from diagnosis_sets import bench
from tests.benchmarks import bench_reach
from tests.benchmarks.bench_reach import is_named_set
from tests.benchmarks.eval_sets import sets

from lantern.services.assessment import AssessmentService

SETS = sets(kind="diagnosis")


@pytest.fixture(scope="module")
def service():
    return AssessmentService(use_llm=False)


def shortfalls(figures: dict, floor: dict[str, dict]) -> list[str]:
    """What falls below the floor, one line per slice and figure."""
    found = []
    for slice_name, want in floor.items():
        got = figures["buckets"].get(slice_name)
        if got is None:
            found.append(f"{slice_name}: no cases")
            continue
        for key, counted in (("top1", "top1"), ("top3", "top3"), ("triage_exact", "triage")):
            if got[counted] < want[key]:
                found.append(f"{slice_name} {key} {got[counted]}/{got['n']} < floor {want[key]}")
        if got["under"] > want["emergency_under_max"]:
            found.append(f"{slice_name} emergencies under-triaged {got['under']}/{got['emerg']} "
                         f"> {want['emergency_under_max']}")
    return found


@pytest.mark.parametrize("entry", SETS, ids=[s.file for s in SETS])
def test_diagnosis_set_meets_its_floor(entry, service):
    items = entry.load()
    # sets written before the knowledge base had their conditions name them with ICD-10 codes
    scorer = bench_reach if is_named_set(items) else bench()
    figures = scorer.evaluate(items, service)
    # a blind set's misses are never printed: whoever reads a failure here may be fixing code,
    # and a blind set stays unseen (its shortfalls, counts only, say what fell)
    why = figures["misses"] if entry.status == "development" else "counts only for a blind set"
    assert shortfalls(figures, entry.floor) == [], why


def test_a_drop_below_the_floor_is_reported():
    figures = {"buckets": {"all": {"n": 10, "top1": 8, "top3": 10, "triage": 9, "emerg": 4,
                                   "under": 1}}}
    floor = {"all": {"top1": 9, "top3": 10, "triage_exact": 9, "emergency_under_max": 0}}
    assert shortfalls(figures, floor) == [
        "all top1 8/10 < floor 9", "all emergencies under-triaged 1/4 > 0"]
    assert shortfalls(figures, {"zh": floor["all"]}) == ["zh: no cases"]
    floor["all"].update(top1=8, emergency_under_max=1)
    assert shortfalls(figures, floor) == []
