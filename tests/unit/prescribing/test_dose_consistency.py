"""The calculator and the checks agree: the dose the calculator recommends, ordered as it
says, never raises a dose alert - for every drug, indication and route of the formulary
(the fixture, and the real one with whatever has been written)."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import FIXTURE

from lantern.clinical.prescribing import (
    DoseResult,
    Order,
    Patient,
    build_index,
    calculate_dose,
    check_prescription,
    formulary_dir,
    read_formulary,
)

PATIENTS = [Patient(age_years=a, weight_kg=w) for a, w in
            [(0.5, 7), (2, 11), (5, 18), (9, 28), (14, 45), (30, 60), (70, 80)]]
DOSE_KINDS = {"dose_above_max", "dose_below_min", "daily_max"}


@pytest.mark.parametrize("root", [FIXTURE, formulary_dir()], ids=["fixture", "resources"])
def test_recommended_doses_do_not_alarm(root):
    formulary = read_formulary(root)
    index = build_index(formulary)
    checked, loud = 0, []
    for drug in formulary.drugs.values():
        for indication in sorted({r.indication for r in drug.doses}):
            for route in sorted({r.route for r in drug.doses}):
                for patient in PATIENTS:
                    rec = calculate_dose(drug, patient, indication=indication, route=route)
                    if not isinstance(rec, DoseResult):
                        continue
                    order = Order(drug=drug.id, dose=rec.dose, unit="mg" if drug.mass_unit else rec.unit,
                                  route=route, times_per_day=rec.times_per_day, days=rec.days)
                    checked += 1
                    loud += [(drug.id, indication, patient.age_years, a.message)
                             for a in check_prescription(formulary, index, patient, (order,)).alerts
                             if a.kind in DOSE_KINDS and a.severity != "info"]
    assert loud == []
    if formulary.drugs:
        assert checked >= len(formulary.drugs)
