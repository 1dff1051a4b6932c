"""Order actions new / renew / revise (issue 14; OpenMRS drug orders' NEW, RENEW, REVISE): a
renewal or revision replaces the current medication of its ingredient, however either is written,
so it is no duplicate of it; every other check still applies. Real formulary, and the real CLI."""

from __future__ import annotations

import json

import pytest
from tests.unit.prescribing.helpers import order, patient, run_cli

from lantern.clinical.prescribing import Order, Patient, check_prescription, parse_order
from lantern.domain.errors import ValidationError

CHRONIC = Patient(age_years=62, weight_kg=70, sex="male", egfr=85,
                  current_medications=("Glucophage 500mg 2 tab bd", "warfarin 5 mg od", "络活喜 5mg qd"))


def _kinds(real, orders: tuple[Order, ...], p: Patient = CHRONIC) -> set[tuple[int | None, str, str]]:
    formulary, index = real
    return {(a.order, a.kind, a.severity) for a in check_prescription(formulary, index, p, orders).alerts}


def test_renew_of_a_brand_named_current_medication_is_no_duplicate(real):
    renew = Order("metformin 500mg", 1000, "mg", "oral", 2, 30, action="renew")
    assert not {k for k in _kinds(real, (renew,)) if k[1] == "duplicate"}
    # a Chinese brand in the chart, the generic in the order
    amlodipine = Order("amlodipine", 5, "mg", "oral", 1, 30, action="renew")
    assert _kinds(real, (amlodipine,)) == set()


def test_new_order_of_a_current_medication_is_still_a_duplicate(real):
    new = Order("metformin 500mg", 1000, "mg", "oral", 2, 30)
    assert (0, "duplicate", "warn") in _kinds(real, (new,))
    assert (0, "duplicate", "warn") in _kinds(real, (Order("amlodipine", 5, "mg", "oral", 1, 30, action="new"),))


def test_revise_with_an_overdose_still_gets_dose_above_max(real):
    revise = Order("metformin", 5000, "mg", "oral", 2, 30, action="revise")
    kinds = _kinds(real, (revise,))
    assert (0, "dose_above_max", "stop") in kinds
    assert not {k for k in kinds if k[1] == "duplicate"}


def test_renewal_that_matches_no_current_medication_is_said(real):
    kinds = _kinds(real, (Order("atorvastatin", 20, "mg", "oral", 1, 30, action="renew"),))
    assert kinds == {(0, "missing_data", "info")}


def test_renewed_drug_still_interacts_with_a_new_order(real):
    renew = Order("warfarin", 5, "mg", "oral", 1, 30, action="renew")
    new = Order("fluconazole", 150, "mg", "oral", 1, 1)
    kinds = _kinds(real, (renew, new))
    assert (1, "interaction", "warn") in kinds or (1, "interaction", "stop") in kinds
    assert not {k for k in kinds if k[1] == "duplicate"}


def test_renewal_still_duplicates_another_order_and_another_current_class(real):
    # the renewal replaces its own current line, not a second order of the same medicine
    renew = Order("amlodipine", 5, "mg", "oral", 1, 30, action="renew")
    again = Order("Norvasc", 5, "mg", "oral", 1, 30)
    assert (1, "duplicate", "warn") in _kinds(real, (renew, again))
    # nifedipine renewed while amlodipine is current: no match, and two dihydropyridines
    nifedipine = Order("nifedipine", 30, "mg", "oral", 1, 30, action="renew")
    kinds = _kinds(real, (nifedipine,))
    assert (0, "duplicate", "warn") in kinds and (0, "missing_data", "info") in kinds


def test_bad_action_is_a_clear_error():
    assert parse_order({"drug": "metformin"}, 0).action == "new"
    assert parse_order({"drug": "metformin", "action": "Renew"}, 0).action == "renew"
    with pytest.raises(ValidationError, match=r"orders\[0\]\.action 'refill' must be one of new, renew, revise"):
        parse_order({"drug": "metformin", "action": "refill"}, 0)


def test_cli_takes_the_action_and_keeps_its_keys():
    p = patient(age_years=60, current_medications=["Glucophage 500mg bd"])
    cases = [{"id": "renew", "patient": p, "orders": [{**order("metformin", 500, times=2, days=30), "action": "renew"}]},
             {"id": "new", "patient": p, "orders": [order("metformin", 500, times=2, days=30)]},
             {"id": "bad", "patient": p, "orders": [{**order("metformin", 500), "action": "stop"}]}]
    text = "\n".join(json.dumps(c) for c in cases) + "\n"
    proc = run_cli("prescribe", "--check", "--batch", "-", stdin=text)
    assert proc.returncode == 0, proc.stderr
    out = {o["id"]: o for o in map(json.loads, proc.stdout.splitlines())}
    assert set(out["renew"]) == {"id", "alerts", "orders"}
    assert not [a for a in out["renew"]["alerts"] if a["kind"] == "duplicate"]
    assert [a for a in out["new"]["alerts"] if a["kind"] == "duplicate"]
    assert set(out["bad"]) == {"id", "error"} and "action" in out["bad"]["error"]
