"""Every scored prescribing set of tests/data/SETS.toml with a floor meets it: expected alerts
found at warn or stop, and at most so many safe prescriptions alarmed (issue 14)."""

from __future__ import annotations

import pytest
from tests.benchmarks.bench_prescribing import evaluate
from tests.benchmarks.eval_sets import sets

from lantern.clinical.prescribing import build_index, formulary_dir, read_formulary

FLOORED = [s for s in sets(kind="prescribing") if s.floor]


def test_there_is_a_floored_prescribing_set():
    assert FLOORED


@pytest.mark.parametrize("entry", FLOORED, ids=[s.file for s in FLOORED])
def test_prescribing_set_meets_its_floor(entry):
    formulary = read_formulary(formulary_dir())
    figures = evaluate(entry.load(), formulary, build_index(formulary), order_action=entry.order_action)
    found, _expected = figures["found"]["all"]
    floor = entry.floor["all"]
    # a blind set's cases are never printed (whoever reads the failure may be fixing code)
    dev = entry.status == "development"
    assert found >= floor["alerts_found"], figures["misses"] if dev else "counts only for a blind set"
    assert figures["false_alarms"] <= floor["false_alarms_max"], figures["alarms"] if dev else "counts only"
