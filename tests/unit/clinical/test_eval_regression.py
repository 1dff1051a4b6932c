"""Regression guard on the evaluation vignettes (tests/data/diagnosis_dev_eval.jsonl).

Its accuracy floors (tests/data/SETS.toml) are checked with every other diagnosis set in
test_diagnosis_set_floors.py; here: its shape and p95 deterministic latency < 100 ms.
Fix the knowledge or the method when this fails — never single cases.
"""

from __future__ import annotations

import pytest
from diagnosis_sets import bench as _bench

from lantern.services.assessment import AssessmentService


@pytest.fixture(scope="module")
def figures():
    bench = _bench()
    if not bench.EVAL_PATH.exists():
        pytest.skip("tests/data/diagnosis_dev_eval.jsonl not present")
    cases = bench.load_cases()
    service = AssessmentService(use_llm=False)
    service.assess_dict({"note": "warm up"})
    return bench, cases, bench.evaluate(cases, service)


def test_eval_set_is_big_enough_and_bilingual(figures):
    _, cases, _ = figures
    assert len(cases) >= 80
    assert {c.get("lang") for c in cases} >= {"en", "zh"}
