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
