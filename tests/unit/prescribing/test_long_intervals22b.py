"""Intervals longer than four weeks and the "every N weeks / months" forms (issue 14, session 22):
depot injections every 3 months or 12-13 weeks (DMPA, WHO Family Planning Handbook 2022), vitamin B12
injections every 3 months, benzathine benzylpenicillin every 3-4 weeks (rheumatic fever prophylaxis).
The one interval reader (checks.written_interval) gives the days between doses, so a current
medication's day and an order's week are counted right. Lines written for these tests (EN and ZH)."""

from __future__ import annotations

import pytest

from lantern.clinical.prescribing.checks import written_daily, written_interval

_MONTH = 365.25 / 12


@pytest.mark.parametrize("text, days", [
    ("every 12 weeks", 84), ("every 13 weeks", 91), ("every twelve weeks", 84), ("every 3 months", 3 * _MONTH),
    ("q3 months", 3 * _MONTH), ("q 3 months", 3 * _MONTH), ("每3个月一次", 3 * _MONTH), ("每三个月1次", 3 * _MONTH),
    ("每12周", 84), ("每12周一次", 84), ("DMPA 150 mg IM every 3 months", 3 * _MONTH),
    ("hydroxocobalamin 1mg IM every 3 months", 3 * _MONTH), ("every 6 months", 6 * _MONTH),
    # a range at its shorter end: the most a day it can give
    ("benzathine benzylpenicillin every 3-4 weeks", 21), ("每3-4周一次", 21), ("every 3 weeks", 21),
    ("q3 weeks", 21), ("q2w", 14),
    # the forms read before stay as they were
    ("every 2 weeks", 14), ("every 4 weeks", 28), ("每两周一次", 14), ("monthly", 28), ("weekly", 7),
    ("每周3次", 7 / 3), ("three times a week", 7 / 3),
])
def test_intervals_of_weeks_and_months_are_read(text, days):
    assert written_interval(text) == pytest.approx(days)


@pytest.mark.parametrize("text", ["every 12 hours", "q8h", "q4h", "每12小时", "once daily for 3 weeks",
                                  "for 3 months", "每日1次，共2周", "3 months supply"])
def test_hours_and_durations_are_no_interval(text):
    assert written_interval(text) is None


def test_a_depot_every_3_months_is_not_a_daily_dose(real):
    formulary, _index = real
    dmpa = formulary.drugs["medroxyprogesterone"]
    for text in ("Depo-Provera 150mg IM every 3 months", "醋酸甲羟孕酮 150mg 肌注 每3个月一次",
                 "DMPA 150 mg q3 months", "DMPA-SC 104mg every 13 weeks"):
        day = written_daily(text, dmpa)
        assert day is not None and day < 2, (text, day)


def test_dmpa_by_either_route(real):
    from tests.unit.prescribing.helpers import alerts
    from tests.unit.prescribing.helpers import order as _o
    from tests.unit.prescribing.helpers import patient as _patient

    woman = _patient(age_years=28, weight_kg=60)
    for drug, dose, route in (("DMPA", 150, "im"), ("DMPA-SC (Sayana Press)", 104, "sc")):
        got = alerts(real, woman, [{**_o(drug, dose, route=route), "days": 0}])
        assert not [a for a in got if a["kind"] in ("missing_data", "dose_above_max")], got
    got = alerts(real, woman, [{**_o("DMPA-SC", 150, route="sc"), "days": 0}])
    assert any(a["kind"] == "dose_above_max" for a in got), got
