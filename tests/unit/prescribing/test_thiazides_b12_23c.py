"""Thiazide-like diuretics and the ARB/ACE-inhibitor-thiazide tablets (issue 14, session 23c): chlortalidone
(BNF 2023-24; WHO HEARTS 2018; 中国高血压防治指南 2018) and the combination tablets counted by their ingredients
(Hyzaar / 海捷亚, Co-Diovan / 复代文, CoAprovel / 安博诺, Micardis Plus, Zestoretic, co-tenidone). Prescriptions
written for these tests (EN and ZH)."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts, loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


def _drug_of(real, name: str, dose: float = 1, unit: str = "tablet") -> str | None:
    from lantern.clinical.prescribing.request import check_request

    formulary, index = real
    out = check_request({"id": "t", "patient": _patient(), "orders": [_o(name, dose, unit=unit)]},
                        formulary=formulary, index=index)
    assert not [a for a in out["alerts"] if a["kind"] == "unknown_drug"], out["alerts"]
    return out["orders"][0]["drug"] if out["orders"][0] else None


@pytest.mark.parametrize("name, drug_id", [
    ("chlortalidone 25mg", "chlortalidone"), ("chlorthalidone 25 mg", "chlortalidone"), ("氯噻酮片 50mg", "chlortalidone"),
    ("Hygroton", "chlortalidone"), ("Hyzaar 50/12.5", "losartan_hydrochlorothiazide"),
    ("海捷亚（氯沙坦钾氢氯噻嗪片）", "losartan_hydrochlorothiazide"), ("losartan/HCTZ 100/25", "losartan_hydrochlorothiazide"),
    ("Co-Diovan 80/12.5", "valsartan_hydrochlorothiazide"), ("复代文", "valsartan_hydrochlorothiazide"),
    ("CoAprovel 150/12.5", "irbesartan_hydrochlorothiazide"), ("安博诺", "irbesartan_hydrochlorothiazide"),
    ("Micardis Plus 80/12.5", "telmisartan_hydrochlorothiazide"), ("替米沙坦氢氯噻嗪片", "telmisartan_hydrochlorothiazide"),
    ("Zestoretic 20/12.5", "lisinopril_hydrochlorothiazide"), ("co-tenidone 50/12.5", "atenolol_chlortalidone"),
    ("Tenoretic", "atenolol_chlortalidone"),
])
def test_thiazide_medicines_are_known(real, name, drug_id):
    assert _drug_of(real, name) == drug_id


@pytest.mark.parametrize("drug, dose", [("chlortalidone 25mg", 25), ("氯噻酮 25mg", 12.5)])
def test_chlortalidone_at_its_hypertension_dose_is_quiet(real, drug, dose):
    assert not loud(real, _patient(age_years=55), [_o(drug, dose, days=30)])


def test_chlortalidone_checks(real):
    old = _patient(age_years=60)
    got = loud(real, old, [_o("chlortalidone 50mg", 150, times=2, days=30)])   # 300 mg a day: above 200
    assert {(0, "daily_max"), (0, "dose_above_max")} & got, got
    assert (0, "renal") in loud(real, _patient(age_years=60, egfr=20), [_o("chlortalidone 25mg", 25, days=30)])
    assert (0, "pregnancy") in loud(real, _patient(pregnant=True, gestation_weeks=32),
                                    [_o("chlorthalidone 25mg", 25, days=30)])
    # co-tenidone's hidden chlortalidone beside chlortalidone
    got = loud(real, old, [_o("co-tenidone 50/12.5", 1, unit="tablet", days=30), _o("chlortalidone 25mg", 25, days=30)])
    assert (1, "duplicate") in got or (0, "duplicate") in got, got


def test_a_combination_is_counted_by_its_ingredients(real):
    p = _patient(age_years=60)
    assert not loud(real, p, [_o("Hyzaar 50/12.5", 1, unit="tablet", days=30)])
    # two 100/25 tablets twice daily: 400 mg losartan, 100 mg hydrochlorothiazide a day
    got = loud(real, p, [_o("海捷亚 100/25", 2, unit="tablet", times=2, days=30)])
    assert {(0, "daily_max"), (0, "dose_above_max")} & got, got
    # the hidden thiazide: a duplicate with hydrochlorothiazide; the ARB in pregnancy; the thiazide's kidneys
    got = loud(real, p, [_o("Co-Diovan 80/12.5", 1, unit="tablet", days=30), _o("HCTZ 25mg", 25, days=30)])
    assert (1, "duplicate") in got or (0, "duplicate") in got, got
    assert (0, "pregnancy") in loud(real, _patient(pregnant=True, gestation_weeks=20),
                                    [_o("安博诺 150/12.5", 1, unit="tablet", days=30)])
    assert (0, "renal") in loud(real, _patient(age_years=60, egfr=20), [_o("Hyzaar 50/12.5", 1, unit="tablet", days=30)])
    # an ARB combination beside an ACE inhibitor combination: dual blockade
    got = {a["kind"] for a in alerts(real, p, [_o("Micardis Plus 80/12.5", 1, unit="tablet", days=30),
                                                _o("Zestoretic 20/12.5", 1, unit="tablet", days=30)])}
    assert "interaction" in got or "duplicate" in got, got
