"""``lantern prescribe --check``: every kind of alert, the exact output keys, bad input,
and safe orders that must not alarm, all through the real CLI and the fixture formulary."""

from __future__ import annotations

import json

import pytest
from tests.unit.prescribing.helpers import FIXTURE, check_batch, run_cli

from lantern.clinical.prescribing import KINDS

ADULT = {"age_years": 35, "weight_kg": 60, "sex": "female"}


def _o(drug: str, dose: float | None = None, unit: str | None = "mg", **kw) -> dict:
    return {"drug": drug, "dose": dose, "unit": unit, "route": kw.pop("route", "oral"),
            "times_per_day": kw.pop("times_per_day", 3), "days": kw.pop("days", 5), **kw}


CASES = {
    "allergy_zh": ({**ADULT, "allergies": ["青霉素"]}, [_o("amoxicillin", 500)], {(0, "allergy", "stop")}),
    "allergy_brand": ({**ADULT, "allergies": ["Amoxil - rash 2019"]}, [_o("amoxycillin 500mg", 500)],
                      {(0, "allergy", "stop")}),
    "allergy_sulfa": ({**ADULT, "allergies": ["sulfa"]}, [_o("Septrin", 960, times_per_day=2)],
                      {(0, "allergy", "stop")}),
    "pregnancy_first": ({**ADULT, "pregnant": True, "gestation_weeks": 8}, [_o("co-trimoxazole", 960, times_per_day=2)],
                        {(0, "pregnancy", "warn")}),
    "pregnancy_unknown": ({**ADULT, "pregnant": True, "gestation_weeks": None}, [_o("ibuprofen", 400)],
                          {(0, "pregnancy", "stop")}),
    "age": ({"age_years": 0.1, "weight_kg": 4.5}, [_o("ibuprofen", 20)], {(0, "age", "warn")}),
    # one kind per problem (tests/data/prescribing_set2_brief.md, convention 1): a dose above the
    # maximum is dose_above_max, its day is not reported again as daily_max
    "above_max": (ADULT, [_o("brufen", 1200)], {(0, "dose_above_max", "warn")}),
    "above_max_tablets": (ADULT, [_o("ibuprofen 400mg", 3, "tablet")], {(0, "dose_above_max", "warn")}),
    "child_per_kg": ({"age_years": 4, "weight_kg": 16}, [_o("ibuprofen", 400)], {(0, "dose_above_max", "warn")}),
    "child_tenfold": ({"age_years": 4, "weight_kg": 16}, [_o("ibuprofen", 1600)], {(0, "dose_above_max", "stop")}),
    "below_min": (ADULT, [_o("Coartem", 1, "tablet", times_per_day=2)], {(0, "dose_below_min", "warn")}),
    "daily_only": (ADULT, [_o("ibuprofen", 800, times_per_day=4)], {(0, "daily_max", "warn")}),
    "renal": ({**ADULT, "egfr": 20}, [_o("ibuprofen", 400)], {(0, "renal", "stop")}),
    "renal_reduce": ({**ADULT, "egfr": 25}, [_o("co-trimoxazole", 960, times_per_day=2)], {(0, "renal", "warn")}),
    "interaction_current": ({**ADULT, "current_medications": ["warfarin 5mg od"]}, [_o("ibuprofen", 400)],
                            {(0, "interaction", "warn")}),
    "interaction_orders": (ADULT, [_o("warfarin", 5, times_per_day=1), _o("bactrim", 960, times_per_day=2)],
                           {(0, "interaction", "warn"), (1, "interaction", "warn")}),
    "duplicate": (ADULT, [_o("ibuprofen", 400), _o("Nurofen", 200)],
                  {(0, "duplicate", "warn"), (1, "duplicate", "warn")}),
    "unknown": (ADULT, [_o("foobarzol", 5)], {(0, "unknown_drug", "warn")}),
    "missing_weight": ({"age_years": 3, "weight_kg": None}, [_o("amoxicillin", 250, times_per_day=2)],
                       {(0, "missing_data", "warn")}),
    "impossible_weight": ({"age_years": 3, "weight_kg": 400}, [_o("amoxicillin", 250, times_per_day=2)],
                          {(0, "missing_data", "warn")}),
    "impossible_dose": (ADULT, [_o("ibuprofen", -400), _o("amoxicillin", 1e6)],
                        {(0, "missing_data", "warn"), (1, "dose_above_max", "stop")}),
}
SAFE = {
    "safe_magnesium_eclampsia": ({**ADULT, "pregnant": True, "gestation_weeks": 36},
                                 [_o("magnesium sulphate", 4, "g", route="iv", times_per_day=1, days=0)]),
    "safe_amoxicillin_pregnant": ({**ADULT, "pregnant": True, "gestation_weeks": 20}, [_o("阿莫西林", 500)]),
    "safe_child_band": ({"age_years": 2, "weight_kg": 11}, [_o("amoxicillin", 2, "tablet", times_per_day=2)]),
    "safe_child_liquid": ({"age_years": 2, "weight_kg": 11}, [_o("amoxicillin syrup", 17.5, "ml", times_per_day=2)]),
    "safe_al": ({"age_years": 30, "weight_kg": 60}, [_o("artemether-lumefantrine 20/120", 4, "tablet", times_per_day=2)]),
    "safe_ibuprofen": ({**ADULT, "allergies": ["NKDA"]}, [_o("ibuprofen 200mg", 2, "tablets")]),
    "safe_loading_and_maintenance": ({**ADULT, "pregnant": True, "gestation_weeks": 36},
                                     [_o("MgSO4", 4, "g", route="iv", times_per_day=1, days=0),
                                      _o("硫酸镁", 4, "g", route="im", times_per_day=1, days=0)]),
}


@pytest.fixture(scope="module")
def results() -> dict:
    cases = [{"id": k, "patient": p, "orders": o} for k, (p, o, _) in CASES.items()]
    cases += [{"id": k, "patient": p, "orders": o} for k, (p, o) in SAFE.items()]
    return check_batch(cases)


@pytest.mark.parametrize("case", list(CASES))
def test_each_unsafe_order_gets_its_alert(results, case):
    got = {(a["order"], a["kind"], a["severity"]) for a in results[case]["alerts"]}
    assert CASES[case][2] <= got, results[case]["alerts"]


@pytest.mark.parametrize("case", list(SAFE))
def test_safe_orders_do_not_alarm(results, case):
    loud = [a for a in results[case]["alerts"] if a["severity"] in ("warn", "stop")]
    assert loud == [], loud


def test_output_has_exactly_the_contract_keys(results):
    for out in results.values():
        assert list(out) == ["id", "alerts", "orders"]
        for a in out["alerts"]:
            assert set(a) == {"order", "drug", "kind", "severity", "message", "source"}
            assert a["kind"] in KINDS and a["severity"] in ("stop", "warn", "info")
            assert a["source"] and a["message"]
    assert results["safe_child_band"]["orders"][0]["drug"] == "amoxicillin"
    rec = results["safe_child_band"]["orders"][0]["recommended"]
    assert rec["dose"] == 437.5 and rec["basis"] == "40 mg/kg"
    assert results["unknown"]["orders"] == [{"input": "foobarzol", "drug": None, "recommended": None}]
    assert results["missing_weight"]["orders"][0]["recommended"] is None


def test_messages_name_what_is_wrong(results):
    msg = {a["kind"]: a for a in results["allergy_zh"]["alerts"]}["allergy"]
    assert "青霉素" in msg["message"] and "Penicillins" in msg["message"]
    inter = results["interaction_current"]["alerts"][0]
    assert "Warfarin" in inter["message"] and inter["source"].startswith("WHO Model Formulary")


def test_malformed_lines_are_answered_one_by_one():
    good = json.dumps({"id": "g", "patient": ADULT, "orders": [_o("ibuprofen", 400)]})
    lines = ["{not json", good, "[1, 2]", json.dumps({"id": "x", "orders": "ibuprofen"}),
             json.dumps({"id": "y", "patient": ADULT, "orders": [{"dose": 5}]}), "", good.replace('"g"', '"h"')]
    proc = run_cli("prescribe", "--check", "--batch", "--formulary", str(FIXTURE), stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert proc.returncode == 0 and [o["id"] for o in out] == [None, "g", None, "x", "y", "h"]
    assert out[0]["error"].startswith("invalid JSON") and set(out[0]) == {"id", "error"}
    assert "orders must be a list" in out[3]["error"] and "needs a drug name" in out[4]["error"]
    assert out[1]["orders"][0]["drug"] == "ibuprofen" and out[5]["alerts"] == out[1]["alerts"]


def test_single_object_mode_and_empty_input():
    one = json.dumps({"id": 7, "patient": ADULT, "orders": [_o("ibuprofen", 400)]})
    proc = run_cli("prescribe", "--check", "--formulary", str(FIXTURE), stdin=one)
    assert proc.returncode == 0 and json.loads(proc.stdout)["id"] == 7
    empty = run_cli("prescribe", "--check", "--formulary", str(FIXTURE), stdin="  \n")
    assert empty.returncode == 1 and "no input" in json.loads(empty.stdout)["error"]


def test_a_damaged_formulary_is_a_clear_error(tmp_path):
    (tmp_path / "drugs_bad.toml").write_text("[[drug]]\nid = 'x'\n[[drug.forms]]\nform = 'pill'\n", encoding="utf-8")
    proc = run_cli("prescribe", "--check", "--formulary", str(tmp_path), stdin="{}")
    assert proc.returncode != 0 and "the formulary has" in proc.stderr and not proc.stdout
