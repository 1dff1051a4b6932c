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
    return _patient(**{"age_years": 82, "weight_kg": 62, "egfr": 70, "sex": "male", **kw})


@pytest.mark.parametrize("drug, dose, route", [
    ("diazepam 5mg", 5, "oral"), ("地西泮片 5mg", 5, "oral"), ("amitriptyline 25mg", 25, "oral"),
    ("阿米替林 25mg", 25, "oral"), ("chlorphenamine 4mg", 4, "oral"), ("扑尔敏 4mg", 4, "oral"),
    ("promethazine 25mg", 25, "oral"), ("pethidine", 50, "im"), ("indometacin 25mg", 25, "oral"),
    ("olanzapine 5mg", 5, "oral"), ("haloperidol 1mg", 1, "oral"), ("氟哌啶醇 2mg", 2, "oral"),
    ("risperidone 1mg", 1, "oral"), ("quetiapine 25mg", 25, "oral"), ("metoclopramide 10mg", 10, "oral"),
    ("trihexyphenidyl 2mg", 2, "oral"), ("cyclizine 50mg", 50, "oral"), ("biperiden 2mg", 2, "oral"),
    ("aripiprazole 5mg", 5, "oral"), ("glimepiride 1mg", 1, "oral"), ("格列美脲 2mg", 2, "oral"),
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


@pytest.mark.parametrize("drug, dose", [("citalopram 20mg", 40), ("西酞普兰 20mg", 40), ("escitalopram 10mg", 20)])
def test_an_ssri_above_the_maximum_of_old_age(real, drug, dose):
    # MHRA 2011: over 65 years citalopram at most 20 mg a day, escitalopram 10 mg
    assert (0, "dose_above_max") in loud(real, _old(), [_o(drug, dose, days=28)])
    assert (0, "dose_above_max") not in loud(real, _patient(age_years=50), [_o(drug, dose, days=28)])
    assert not loud(real, _old(), [_o(drug, dose / 2, days=28)])


def test_allopurinol_and_diclofenac_above_their_largest_single_dose(real):
    assert (0, "dose_above_max") in loud(real, _old(), [_o("别嘌醇片 0.1g", 900, days=30)])
    assert not loud(real, _patient(age_years=50), [_o("allopurinol 300mg", 300, days=30)])
    assert (0, "dose_above_max") in loud(real, _patient(age_years=50), [_o("diclofenac 50mg", 150, times=3)])
    assert not loud(real, _patient(age_years=50), [_o("diclofenac 50mg", 50, times=3)])


@pytest.mark.parametrize("drug, dose, times", [("dabigatran 110mg", 110, 2), ("泰毕全（达比加群酯胶囊）110mg", 110, 2),
                                               ("digoxin 125mcg", 0.125, 1), ("nitrofurantoin 100mg", 100, 2)])
def test_a_renally_cleared_medicine_of_old_age_needs_the_egfr(real, drug, dose, times):
    got = loud(real, {**_old(), "egfr": None}, [_o(drug, dose, times=times, days=3)])
    assert (0, "missing_data") in got, got
    assert (0, "missing_data") not in loud(real, _old(), [_o(drug, dose, times=times, days=3)])


@pytest.mark.parametrize("drug, dose", [("digoxin 125mcg", 0.125), ("nitrofurantoin 100mg", 100)])
def test_a_younger_adult_needs_no_egfr_for_digoxin_or_nitrofurantoin(real, drug, dose):
    assert (0, "missing_data") not in loud(real, _patient(age_years=40, egfr=None), [_o(drug, dose, days=3)])


@pytest.mark.parametrize("name, drug_id", [
    ("trimethoprim 200mg", "trimethoprim"), ("甲氧苄啶", "trimethoprim"), ("zolpidem 10mg", "zolpidem"),
    ("思诺思", "zolpidem"), ("zopiclone 7.5mg", "zopiclone"), ("Madopar 125", "levodopa_benserazide"),
    ("美多芭", "levodopa_benserazide"), ("Sinemet 25/100", "levodopa_carbidopa"), ("多潘立酮", "domperidone"),
    ("吗丁啉", "domperidone"), ("Laxido sachet", "macrogol"), ("伐昔洛韦 0.5g", "valaciclovir"),
    ("valtrex", "valaciclovir"), ("格列喹酮", "gliquidone"), ("糖适平", "gliquidone"), ("卡麦角林", "cabergoline"),
    ("CellCept", "mycophenolate_mofetil"), ("吗替麦考酚酯", "mycophenolate_mofetil"),
    ("Entresto 49/51mg", "sacubitril_valsartan"), ("诺欣妥", "sacubitril_valsartan"),
])
def test_medicines_of_old_age_and_the_failing_organ_are_known(real, name, drug_id):
    from lantern.clinical.prescribing.request import check_request

    formulary, index = real
    out = check_request({"id": "t", "patient": _old(), "orders": [_o(name, 1, unit="tablet")]},
                        formulary=formulary, index=index)
    assert out["orders"][0] and out["orders"][0]["drug"] == drug_id, out["orders"]
    assert not [a for a in out["alerts"] if a["kind"] == "unknown_drug"]


def test_the_interactions_of_trimethoprim_alone_and_in_co_trimoxazole(real):
    on_mtx = _old(current_medications=["methotrexate 10 mg once weekly"])
    assert (0, "interaction") in loud(real, on_mtx, [_o("trimethoprim 200mg", 200, times=2, days=3)])
    assert (0, "interaction") in loud(real, on_mtx, [_o("co-trimoxazole 960mg", 960, times=2, days=3)])
    on_acei = _old(current_medications=["lisinopril 20 mg od"])
    assert (0, "interaction") in loud(real, on_acei, [_o("trimethoprim 200mg", 200, times=2, days=3)])
    first = _patient(age_years=30, pregnant=True, gestation_weeks=8)
    assert (0, "pregnancy") in loud(real, first, [_o("trimethoprim 200mg", 200, times=2, days=3)])


def test_dopamine_blockers_with_levodopa_and_domperidone_without(real):
    pd = _old(current_medications=["Madopar 125 mg tds"])
    assert (0, "interaction") in loud(real, pd, [_o("metoclopramide 10mg", 10, times=3)])
    assert (0, "interaction") in loud(real, pd, [_o("haloperidol 1mg", 1, times=2)])
    assert not loud(real, pd, [_o("domperidone 10mg", 10, times=3)])


def test_ace_inhibitor_angioedema(real):
    chart = _old(allergies=["enalapril - angioedema"])
    assert (0, "allergy") in loud(real, chart, [_o("lisinopril 10mg", 10, days=28)])
    assert (0, "cross_reactivity") in loud(real, chart, [_o("Entresto 49/51mg", 1, unit="tablet", times=2)])
    on_acei = _old(current_medications=["ramipril 5 mg od"])
    got = [a for a in alerts(real, on_acei, [_o("Entresto 49/51mg", 1, unit="tablet", times=2)])
           if a["kind"] == "interaction"]
    assert any(a["severity"] == "stop" for a in got), got


def test_a_z_drug_above_the_dose_of_old_age(real):
    assert (0, "dose_above_max") in loud(real, _old(), [_o("zolpidem 10mg", 10, days=14)])
    assert (0, "dose_above_max") not in loud(real, _patient(age_years=40), [_o("zolpidem 10mg", 10, days=14)])
    assert (0, "age") in loud(real, _old(), [_o("zopiclone 3.75mg", 3.75, days=14)])


def test_ciprofloxacin_at_half_the_dose_twice_daily_in_severe_renal_impairment(real):
    # BNF: eGFR < 30, 250-500 mg every 24 hours: 250 mg twice daily gives the same day; 500 mg twice daily does not
    kidney = _old(egfr=25)
    assert (0, "renal") not in loud(real, kidney, [_o("环丙沙星 0.25g", 250, times=2, days=7)])
    assert (0, "renal") in loud(real, kidney, [_o("ciprofloxacin 500mg", 500, times=2, days=7)])


def test_morphine_in_established_renal_failure(real):
    failing = _old(egfr=12)
    assert (0, "renal") in loud(real, failing, [_o("morphine oral solution 10mg/5ml", 10, times=6, days=3)])
    assert (0, "renal") not in loud(real, _old(egfr=25), [_o("morphine oral solution 10mg/5ml", 2.5, times=6, days=3)])


def test_diazepam_above_the_daily_dose_of_old_age(real):
    assert (0, "daily_max") in loud(real, _old(), [_o("diazepam 5mg", 5, times=4, days=7)]) | \
        loud(real, _old(), [_o("diazepam 10mg", 10, times=2, days=7)])
    assert (0, "daily_max") not in loud(real, _patient(age_years=40), [_o("diazepam 5mg", 5, times=4, days=7)])


def test_spironolactone_at_its_heart_failure_dose_with_an_ace_inhibitor_or_arb(real):
    # NICE NG106: spironolactone 25 mg with an ACE inhibitor or ARB is the guideline combination (info,
    # monitor potassium); a higher dose with one warns; a potassium supplement beside it still stops
    on_acei = _old(current_medications=["ramipril 5 mg od"])
    got = [a for a in alerts(real, on_acei, [_o("spironolactone 25mg", 25, days=28)]) if a["kind"] == "interaction"]
    assert got and all(a["severity"] == "info" for a in got), got
    assert (0, "interaction") in loud(real, on_acei, [_o("spironolactone 25mg", 100, days=28)])
    on_spiro = _old(current_medications=["spironolactone 25 mg od"])
    assert (0, "interaction") not in loud(real, on_spiro, [_o("缬沙坦 80mg", 80, days=30)])
    assert (0, "interaction") in loud(real, on_spiro, [_o("Slow-K 600mg", 2, unit="tablet", times=2, days=14)])


def test_a_thiazide_beside_a_chinese_compound_antihypertensive_is_a_duplicate(real):
    for chart in ("复方利血平片 1片 tid", "北京降压0号 1片 qd"):
        pt = _old(current_medications=[chart])
        assert (0, "duplicate") in loud(real, pt, [_o("氢氯噻嗪 25mg", 25, days=30)]), chart
    # triamterene in Beijing Hypotensor No. 0: a potassium supplement beside it
    pt = _old(current_medications=["降压0号 1片 qd"])
    assert (0, "interaction") in loud(real, pt, [_o("氯化钾缓释片 0.5g", 1000, times=2, days=14)])


def test_a_caution_of_old_age_is_said_as_one_and_a_childs_upper_limit_as_a_limit(real):
    got = [a for a in alerts(real, _old(), [_o("amitriptyline 25mg", 25)]) if a["kind"] == "age"]
    assert got and "avoid or use with care in patients 65 years and over" in got[0]["message"], got
    child = _patient(age_years=3, weight_kg=14)
    got = [a for a in alerts(real, child, [_o("caffeine citrate", 70)]) if a["kind"] == "age"]
    assert got and "not for patients 1 years and over" in got[0]["message"], got


def test_an_arb_after_ace_inhibitor_angioedema_but_not_after_its_cough(real):
    swelled = _old(allergies=["enalapril - angioedema 2019"])
    assert (0, "cross_reactivity") in loud(real, swelled, [_o("losartan", 50, days=30)])
    for cough in (["enalapril (cough)"], ["卡托普利 干咳"]):
        coughed = _old(allergies=cough)
        assert (0, "cross_reactivity") not in loud(real, coughed, [_o("losartan", 50, days=30)]), cough
        assert (0, "cross_reactivity") not in loud(real, coughed, [_o("Entresto 49/51mg", 1, unit="tablet", times=2)])
        # the same class again is still the chart's allergy
        assert (0, "allergy") in loud(real, coughed, [_o("lisinopril", 10, days=30)]), cough


def test_bendroflumethiazide_is_a_thiazide(real):
    on_lithium = _patient(age_years=58, current_medications=["lithium carbonate 800 mg nocte"])
    assert (0, "interaction") in loud(real, on_lithium, [_o("bendroflumethiazide", 2.5, days=30)])
    assert not loud(real, _patient(age_years=50), [_o("bendroflumethiazide 2.5mg", 2.5, days=30)])


def _severity(real, patient: dict, order: dict, kind: str) -> set[str]:
    return {a["severity"] for a in alerts(real, patient, [order]) if a["kind"] == kind}


def test_an_ace_inhibitor_after_another_ones_cough_warns_and_after_angioedema_stops(real):
    # cough is a side effect of the class, not an allergy (BNF; NICE NG136): it may recur, no stop
    for cough in (["enalapril - cough"], ["enalapril (cough)"], ["卡托普利 干咳"], ["ACE inhibitor - dry cough"]):
        for drug in ("lisinopril", "captopril 25mg", "依那普利"):
            got = _severity(real, _old(allergies=cough), _o(drug, 10, days=30), "allergy")
            if drug.startswith("captopril") and "卡托普利" in cough[0] or drug == "依那普利" and "enalapril" in cough[0]:
                continue      # the same drug named in the chart
            assert got == {"warn"}, (cough, drug, got)
    # angioedema (alone or beside the cough) stays the chart's allergy
    for swelled in (["enalapril - angioedema"], ["enalapril - cough, angioedema"], ["依那普利 喉头水肿"]):
        assert _severity(real, _old(allergies=swelled), _o("lisinopril", 10, days=30), "allergy") == {"stop"}, swelled
    both = _old(allergies=["enalapril - cough and angioedema"])
    assert (0, "cross_reactivity") in loud(real, both, [_o("losartan", 50, days=30)])


def test_two_thiazide_or_thiazide_like_diuretics_are_a_duplicate(real):
    # one thiazide at a time (BNF 2023-24, thiazides and related diuretics)
    for chart, order in ((["hydrochlorothiazide 25 mg od"], _o("indapamide 2.5mg", 2.5, days=30)),
                         (["indapamide SR 1.5 mg daily"], _o("bendroflumethiazide", 2.5, days=30)),
                         (["吲达帕胺片 2.5mg qd"], _o("氢氯噻嗪 25mg", 25, days=30)),
                         (["复方利血平片 1片 tid"], _o("indapamide", 2.5, days=30)),
                         (["bendroflumethiazide 2.5mg od"], _o("hydrochlorothiazide", 25, days=30))):
        assert (0, "duplicate") in loud(real, _old(current_medications=chart), [order]), (chart, order)
    # a thiazide beside a loop or potassium-sparing diuretic is no duplicate of this class
    for chart in (["furosemide 40 mg od"], ["spironolactone 25 mg od"]):
        assert (0, "duplicate") not in loud(real, _old(current_medications=chart),
                                            [_o("indapamide", 2.5, days=30)]), chart
