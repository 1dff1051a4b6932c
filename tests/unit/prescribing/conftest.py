"""The real formulary, read and indexed once for the prescribing tests that use it."""

from __future__ import annotations

import pytest

from lantern.clinical.prescribing import build_index, read_formulary


@pytest.fixture(scope="session")
def real():
    formulary = read_formulary()
    assert not formulary.problems
    return formulary, build_index(formulary)
