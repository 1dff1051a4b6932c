"""A renal band's cap per kg belongs to the weight-based dose (issue 14, session 23c): an order far below it is a
fixed dose and is judged by the band's factor - enoxaparin prophylaxis 40 mg at eGFR below 30 is 20 mg once
daily, treatment 1 mg/kg once daily (BNF 2023-24). Prescriptions written for these tests."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _renal(real, weight, dose, times=1):
    got = [a for a in alerts(real, _patient(age_years=60, weight_kg=weight, egfr=22),
                             [_o("enoxaparin (Clexane)", dose, route="sc", times=times, days=7)]) if a["kind"] == "renal"]
    return [a["severity"] for a in got]


@pytest.mark.parametrize("weight, dose, times, severity", [
    (72, 40, 1, "warn"),     # the prophylactic dose in full
    (72, 20, 1, "info"),     # the reduced prophylactic dose
    (72, 70, 1, "info"),     # treatment, 1 mg/kg once daily
    (72, 70, 2, "warn"),     # treatment twice daily: above 1 mg/kg a day
    (40, 40, 1, "info"),     # 1 mg/kg for a 40 kg patient
])
def test_enoxaparin_in_severe_renal_impairment(real, weight, dose, times, severity):
    assert _renal(real, weight, dose, times) == [severity]
