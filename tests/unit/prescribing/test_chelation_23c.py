"""Quinolones and tetracyclines with antacids, iron, calcium and zinc (issue 14, session 23c): the antibiotic is
bound in the gut and may fail, a warn (BNF 2023-24, Appendix 1: quinolones, tetracyclines; give it 2 hours before
or 4-6 hours after). The same binding of levothyroxine or dolutegravir stays info. Prescriptions written for
these tests (EN and ZH)."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _severities(real, first, second):
    return {a["severity"] for a in alerts(real, _patient(), [first, second]) if a["kind"] == "interaction"}


@pytest.mark.parametrize("antibiotic, other", [
    (_o("ciprofloxacin 500mg", 500, times=2), _o("Maalox suspension", 10, unit="ml", times=4)),
    (_o("左氧氟沙星片 0.5g", 500), _o("碳酸钙片 0.5g", 500, times=2)),
    (_o("doxycycline 100mg", 100, times=2), _o("ferrous sulfate 200mg", 200, times=2)),
    (_o("ciprofloxacin 500mg", 500, times=2), _o("ferrous sulfate 200mg", 200)),
    (_o("ciprofloxacin 500mg", 500, times=2), _o("zinc sulfate 20mg", 20)),
    (_o("tetracycline 250mg", 250, times=4), _o("胃舒平", 2, unit="tablet", times=3)),
])
def test_an_antibiotic_bound_by_cations_is_a_warn(real, antibiotic, other):
    assert "warn" in _severities(real, antibiotic, other)


def test_the_binding_of_a_medicine_that_is_no_antibiotic_stays_info(real):
    got = _severities(real, _o("levothyroxine 50mcg", 0.05, days=30), _o("calcium carbonate 500mg", 500, days=30))
    assert got and "warn" not in got and "stop" not in got, got
