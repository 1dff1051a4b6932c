"""Breadth of the interaction table and the duplicate classes (issue 14), on the real formulary:
pairs written by class reach members the table does not name; planned combinations stay quiet."""

from __future__ import annotations

import pytest
from tests.unit.prescribing.helpers import alerts as _alerts
from tests.unit.prescribing.helpers import loud as _loud
from tests.unit.prescribing.helpers import order as _o
from tests.unit.prescribing.helpers import patient as _patient


@pytest.mark.parametrize(("current", "ordered"), [
    # enzyme-inducing antiepileptics and NNRTIs with boosted protease inhibitors
    ("carbamazepine 200 mg", "lopinavir/ritonavir"), ("phenytoin 100 mg", "atazanavir/ritonavir"),
    ("efavirenz 600 mg", "lopinavir/ritonavir"), ("rifapentine", "atazanavir/ritonavir"),
    # boosted protease inhibitors with other classes and drugs
    ("atazanavir/ritonavir", "pantoprazole"), ("atazanavir/ritonavir", "combined oral contraceptive"),
    ("lopinavir/ritonavir", "atorvastatin"), ("lopinavir/ritonavir", "amiodarone"),
    ("lopinavir/ritonavir", "midazolam"), ("lopinavir/ritonavir", "sildenafil"), ("lopinavir/ritonavir", "colchicine"),
    # inducers and inhibitors with theophylline (and aminophylline, its salt)
    ("phenobarbital 60 mg", "aminophylline"), ("rifampicin", "theophylline"), ("aminophylline", "clarithromycin"),
    # antiepileptic inducers with other medicines, and with valproate
    ("carbamazepine", "doxycycline"), ("phenytoin", "levothyroxine"), ("phenobarbital", "prednisolone"),
    ("valproate", "carbamazepine"), ("valproate", "phenytoin"),
    # warfarin, clopidogrel
    ("warfarin 5 mg", "sertraline"), ("warfarin 5 mg", "tramadol"),
    ("clopidogrel 75 mg", "ibuprofen"), ("clopidogrel 75 mg", "diclofenac"), ("clopidogrel 75 mg", "celecoxib"),
    ("clopidogrel 75 mg", "nimesulide"), ("clopidogrel 75 mg", "esomeprazole"),
    # others of the BNF appendix most met in primary care
    ("fluoxetine 20 mg", "amitriptyline"), ("atorvastatin 20 mg", "erythromycin"), ("ergometrine", "erythromycin"),
    ("isotretinoin 20 mg", "doxycycline"), ("lithium carbonate", "furosemide"), ("lithium carbonate", "hydrochlorothiazide"),
    ("azathioprine 50 mg", "co-trimoxazole"), ("gliclazide 80 mg", "rifampicin"),
    # Chinese names reach the same pairs
    ("卡马西平", "克力芝"), ("华法林", "舍曲林"), ("波立维", "芬必得"),
])
def test_class_pairs_reach_their_members(real, current, ordered):
    kinds = {k for i, k in _loud(real, _patient(current_medications=[current]), [_o(ordered, 1, "tablet")]) if i == 0}
    assert "interaction" in kinds


def test_each_interaction_alert_names_a_source(real):
    out = _alerts(real, _patient(current_medications=["lopinavir/ritonavir"]), [_o("amiodarone", 200)])
    hits = [a for a in out if a["kind"] == "interaction"]
    assert hits and hits[0]["severity"] == "stop" and "BNF" in hits[0]["source"]


@pytest.mark.parametrize(("current", "ordered"), [
    ("aspirin 75 mg", "clopidogrel"),                      # dual antiplatelet therapy after an MI or a stent
    ("warfarin 5 mg", "tetracycline eye ointment"),        # a topical member of a class with an interaction
])
def test_planned_or_topical_combinations_do_not_alarm_as_interactions(real, current, ordered):
    kinds = {k for i, k in _loud(real, _patient(current_medications=[current]), [_o(ordered, 1, "tablet")])}
    assert "interaction" not in kinds


@pytest.mark.parametrize(("first", "second"), [
    ("fluoxetine", "sertraline"), ("haloperidol", "risperidone"), ("glibenclamide", "gliclazide"),
    ("spironolactone", "amiloride"), ("amlodipine", "nifedipine"), ("aminophylline", "theophylline"),
    ("heparin", "enoxaparin"), ("百忧解", "左洛复"),
])
def test_duplicate_therapy_classes(real, first, second):
    assert (1, "duplicate") in _loud(real, _patient(), [_o(first, 1, "tablet"), _o(second, 1, "tablet")])


def test_warfarin_started_under_heparin_cover_is_no_duplicate(real):
    # the bridge: enoxaparin until the INR is in range, warfarin started at once
    loud = _loud(real, _patient(), [_o("enoxaparin", 60, route="sc", times=2), _o("warfarin", 5, days=7)])
    assert "duplicate" not in {k for _, k in loud}
