"""A start in the past that goes on is the present illness; a gestation of 22 weeks or
more is a pregnancy; labour at term is its own condition and its show is not bleeding."""

from __future__ import annotations

import pytest

from lantern.services.assessment import AssessmentService

_SVC = AssessmentService(use_llm=False)


def _assess(note, **case):
    data = {"note": note, "age_years": None, "sex": None, "pregnant": None, "vitals": {}}
    data.update(case)
    return _SVC.assess_dict(data)


def _state(result, finding):
    states = {f.id: f.negated for f in result.extraction.findings}
    return states.get(finding)


@pytest.mark.parametrize("note, finding", [
    ("52 yo man. Losing weight since last year, night sweats.", "weight_loss"),
    ("Cough over the last year, worse at night.", "cough"),
    ("Weight loss in the past year, about 8 kg.", "weight_loss"),
    ("从去年起体重下降，伴盗汗。", "weight_loss"),
    ("去年开始咳嗽，至今未愈。", "cough"),
    ("近一年来反复咳嗽。", "cough"),
])
def test_a_start_last_year_that_goes_on_is_present(note, finding):
    assert _state(_assess(note, age_years=52, sex="male"), finding) is False


@pytest.mark.parametrize("note, finding", [
    ("One febrile convulsion last year. Now cough and runny nose.", "convulsions"),
    ("去年有过一次高热惊厥，现咳嗽流涕。", "convulsions"),
])
def test_an_illness_last_year_stays_in_the_past(note, finding):
    assert _state(_assess(note, age_years=3), finding) is True


@pytest.mark.parametrize("note", [
    "Painless bleeding PV, 34 weeks.",
    "Bleeding per vagina since an hour, 30 weeks, no pain.",
])
def test_bleeding_with_a_late_gestation_is_antepartum_haemorrhage_without_the_flag(note):
    result = _assess(note, age_years=27, sex="female")
    assert result.triage.level == "emergency"
    assert "antepartum_haemorrhage" in [c.condition.id for c in result.differential[:3]]


@pytest.mark.parametrize("note", [
    "Contractions every 15-20 minutes since this morning, 38 weeks.",
    "G2P1 at 39 weeks, regular contractions every 5 min since 3 am, show this morning.",
    "孕39周，规律宫缩3小时，见红。",
])
def test_labour_at_term_is_named_and_urgent(note):
    result = _assess(note, age_years=25, sex="female")
    assert result.differential[0].condition.id == "labour_at_term"
    assert result.triage.level == "urgent"


def test_preterm_contractions_stay_preterm_labour():
    result = _assess("G1 at 32 weeks, regular tightenings every 10 min since 2 hours.",
                     age_years=22, sex="female")
    assert result.differential[0].condition.id == "preterm_labour"


def test_the_show_is_bleeding_outside_labour_or_beside_other_bleeding():
    early = _assess("孕8周，见红2天，无腹痛。", age_years=25, sex="female")
    assert _state(early, "vaginal_bleeding") is False
    no_labour = _assess("孕36周，见红1次，无宫缩。", age_years=25, sex="female")
    assert no_labour.triage.level == "emergency"
    heavy = _assess("孕39周，规律宫缩3小时，见红，阴道流血量多。", age_years=25, sex="female")
    assert heavy.triage.level == "emergency"
