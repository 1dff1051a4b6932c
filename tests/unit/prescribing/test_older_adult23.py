"""The older adult (issue 14, session 23): the medicines to avoid or limit in old age (AGS Beers
Criteria 2023, STOPP/START v3, BNF), their doses above the maximum of old age, and the data a
medicine of the failing organ needs before it is given. Prescriptions written for these tests
(EN and ZH)."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts, loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _old(**kw) -> dict:
    return _patient(age_years=82, weight_kg=62, egfr=70, sex="male", **kw)


@pytest.mark.parametrize("drug, dose, route", [
    ("diazepam 5mg", 5, "oral"), ("地西泮片 5mg", 5, "oral"), ("amitriptyline 25mg", 25, "oral"),
    ("阿米替林 25mg", 25, "oral"), ("chlorphenamine 4mg", 4, "oral"), ("扑尔敏 4mg", 4, "oral"),
    ("promethazine 25mg", 25, "oral"), ("pethidine", 50, "im"), ("indometacin 25mg", 25, "oral"),
    ("olanzapine 5mg", 5, "oral"), ("haloperidol 1mg", 1, "oral"), ("氟哌啶醇 2mg", 2, "oral"),
    ("risperidone 1mg", 1, "oral"), ("quetiapine 25mg", 25, "oral"), ("metoclopramide 10mg", 10, "oral"),
    ("trihexyphenidyl 2mg", 2, "oral"),
])
def test_a_medicine_of_the_beers_list_is_an_age_caution_in_old_age(real, drug, dose, route):
    got = [a for a in alerts(real, _old(), [_o(drug, dose, route=route)]) if a["kind"] == "age"]
    assert got and got[0]["severity"] == "warn" and "Beers" in got[0]["source"], got


@pytest.mark.parametrize("drug, dose", [("diazepam 5mg", 5), ("amitriptyline 10mg", 10),
                                        ("chlorphenamine 4mg", 4), ("haloperidol 1mg", 1)])
def test_no_age_caution_before_old_age(real, drug, dose):
    assert (0, "age") not in loud(real, _patient(age_years=45), [_o(drug, dose)])


def test_a_childs_limit_and_the_caution_of_old_age_are_both_kept(real):
    # promethazine: not under 2 years (stop); a caution from 65 years (warn)
    child = _patient(age_years=1, weight_kg=9)
    got = [a for a in alerts(real, child, [_o("promethazine", 5)]) if a["kind"] == "age"]
    assert got and got[0]["severity"] == "stop", got
    assert (0, "age") not in loud(real, _patient(age_years=30), [_o("promethazine", 25)])
