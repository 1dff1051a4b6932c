"""Vitamin B12 by injection and by mouth (issue 14, session 23c): hydroxocobalamin (WHO Model Formulary 2008, BNF
2023-24), cyanocobalamin (维生素B12注射液, 国家基本药物处方集 2018) and mecobalamin (甲钴胺, 说明书). Prescriptions
written for these tests (EN and ZH)."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


@pytest.mark.parametrize("name, drug_id, dose, route", [
    ("hydroxocobalamin 1mg/ml injection", "hydroxocobalamin", 1, "im"), ("Neo-Cytamen", "hydroxocobalamin", 1, "im"),
    ("羟钴胺注射液 1mg", "hydroxocobalamin", 1, "im"), ("维生素B12注射液 0.5mg", "cyanocobalamin", 0.1, "im"),
    ("vitamin B12 injection", "cyanocobalamin", 1, "im"), ("cyanocobalamin 50mcg tablet", "cyanocobalamin", 0.05, "oral"),
    ("甲钴胺 0.5mg", "mecobalamin", 0.5, "oral"), ("弥可保", "mecobalamin", 0.5, "oral"),
    ("甲钴胺注射液 0.5mg", "mecobalamin", 0.5, "im"), ("methylcobalamin 500mcg", "mecobalamin", 0.5, "oral"),
])
def test_vitamin_b12_is_known_and_its_usual_dose_is_quiet(real, name, drug_id, dose, route):
    from lantern.clinical.prescribing.request import check_request

    formulary, index = real
    times = 3 if drug_id == "mecobalamin" and route == "oral" else 1
    out = check_request({"id": "t", "patient": _patient(), "orders": [_o(name, dose, route=route, times=times, days=14)]},
                        formulary=formulary, index=index)
    assert out["orders"][0] and out["orders"][0]["drug"] == drug_id, out["orders"]
    assert not [a for a in out["alerts"] if a["severity"] in ("warn", "stop")], out["alerts"]


def test_vitamin_b12_is_safe_in_pregnancy_and_a_tenfold_dose_is_caught(real):
    pregnant = _patient(pregnant=True, gestation_weeks=20, breastfeeding=False)
    assert not loud(real, pregnant, [_o("hydroxocobalamin", 1, route="im", days=14)])
    assert (0, "dose_above_max") in loud(real, _patient(), [_o("hydroxocobalamin 1mg/ml", 10, route="im", days=1)])
    assert (0, "dose_above_max") in loud(real, _patient(), [_o("甲钴胺片 0.5mg", 5, times=3, days=14)])
