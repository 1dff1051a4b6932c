"""Shared by the regression tests on the diagnosis evaluation sets in tests/data/:
the benchmark's own scoring (tests/benchmarks/bench_diagnosis.py, loaded once),
the issue's targets and the emergency under-triage check."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

TESTS = Path(__file__).resolve().parents[2]


@cache
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_diagnosis", TESTS / "benchmarks" / "bench_diagnosis.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_set(file_name: str) -> tuple[ModuleType, list[dict], dict]:
    """``(bench, cases, figures)`` for ``tests/data/<file_name>``, deterministic (no LLM)."""
    from lantern.services.assessment import AssessmentService

    path = TESTS / "data" / file_name
    if not path.exists():
        pytest.skip(f"tests/data/{file_name} not present")
    b = bench()
    cases = b.load_cases(path)
    return b, cases, b.evaluate(cases, AssessmentService(use_llm=False))


def assert_targets(b: ModuleType, fig: dict, lang: str = "all") -> None:
    """Issue #4: top-3 >= 90%, top-1 >= 75%, triage exact >= 85%."""
    r = b.rates(fig["buckets"][lang])
    assert r["top3"] >= 0.90, (r, fig["misses"])
    assert r["top1"] >= 0.75, (r, fig["misses"])
    assert r["triage_exact"] >= 0.85, (r, fig["misses"])


def assert_no_emergency_under_triaged(fig: dict) -> None:
    assert fig["buckets"]["all"]["under"] == 0, [
        m for m in fig["misses"] if m["triage"].startswith("emergency->")]
