"""Modified-release forms with dose entries of their own (issue 14, session 23c): gliclazide MR at most 120 mg a
day, standard tablets 320 mg (BNF 2023-24; 格列齐特缓释片说明书). An order naming a modified-release product (its
words, EN and ZH, or a strength only such a form has) takes those entries; an order that says neither keeps all
of them. Prescriptions written for these tests."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud, problems_with
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


@pytest.mark.parametrize("drug, dose, unit, times", [
    ("格列齐特缓释片 30mg", 4, "tablet", 2), ("达美康缓释片 60mg", 120, "mg", 2), ("gliclazide MR 30mg", 240, "mg", 1),
    ("Diamicron modified-release", 90, "mg", 2), ("gliclazide 60mg", 180, "mg", 1),
])
def test_a_modified_release_order_above_its_own_maximum(real, drug, dose, unit, times):
    got = loud(real, _patient(age_years=56), [_o(drug, dose, unit=unit, times=times, days=30)])
    assert {(0, "daily_max"), (0, "dose_above_max")} & got, got


@pytest.mark.parametrize("drug, dose, unit, times", [
    ("格列齐特缓释片 30mg", 2, "tablet", 1), ("Diamicron MR 60mg", 120, "mg", 1), ("gliclazide 80mg", 160, "mg", 2),
    ("格列齐特片 80mg", 80, "mg", 2), ("gliclazide", 160, "mg", 2), ("达美康", 80, "mg", 1),
])
def test_each_form_within_its_own_maximum_is_quiet(real, drug, dose, unit, times):
    assert not loud(real, _patient(age_years=56), [_o(drug, dose, unit=unit, times=times, days=30)])


def test_release_is_validated(tmp_path):
    head = '\n[[drug]]\nid = "amoxicillin_mr_test"\nname_en = "Test"\nname_zh = "测试"\nclasses = []\nsource = "test"\n'
    bad = head + '''
[[drug.forms]]
form = "tablet"
strength = 500
unit = "mg"
release = "slow"

[[drug.dose]]
indication = "default"
population = "adult"
route = "oral"
release = "modified"
times_per_day = 2
dose_mg = 500
max_daily_mg = 1000
'''
    got = problems_with(tmp_path, "drugs_antibacterials.toml", bad)
    assert any("release 'slow'" in p for p in got), got
    assert any("needs a form of release" in p for p in got), got
