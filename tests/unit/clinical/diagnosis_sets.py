"""Shared by the tests on the diagnosis sets of tests/data/ (listed in tests/data/SETS.toml):
the benchmark's own scoring (tests/benchmarks/bench_diagnosis.py) and the sets' items."""

from __future__ import annotations

from types import ModuleType

from tests.benchmarks import bench_diagnosis
from tests.benchmarks.eval_sets import eval_set


def bench() -> ModuleType:
    return bench_diagnosis


def load_cases(file_name: str) -> list[dict]:
    """The cases of ``tests/data/<file_name>``; KeyError if the manifest does not list it."""
    return eval_set(file_name).load()


def found(note: str, **kw) -> dict[str, bool]:
    """Finding id -> negated, as the language layer reads ``note`` (kw: age_years, sex...)."""
    from lantern.clinical.language.findings import extract_findings
    return {f.id: f.negated for f in extract_findings(note, **kw).findings}


def triage_level(note: str, age=None, sex=None, pregnant=None, vitals=None) -> str:
    """The triage level of ``note`` by the rules alone (no differential)."""
    from lantern.clinical.knowledge import load_knowledge
    from lantern.clinical.language.findings import extract_findings
    from lantern.clinical.triage import triage
    kb = load_knowledge()
    ex = extract_findings(note, vitals=vitals, age_years=age, sex=sex, pregnant=pregnant, kb=kb)
    return triage(ex, kb, age_years=age, sex=sex, pregnant=pregnant).level
