"""Triage floor from the leading diagnosis (issue 11): a condition whose own referral line
sends every suspected case the same day or sooner (``triage_floor = "urgent"``) is not
called routine when it leads the differential and no danger-sign rule fired."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from lantern.clinical.knowledge import knowledge_dir, load_knowledge, validate_knowledge
from lantern.clinical.triage import TriageResult, floor_from_diagnosis, triage
from lantern.services.assessment import AssessmentService

APPENDIX = ("Pain around the belly button since yesterday, now on the lower right side. Off his "
            "food, vomited once, a bit of fever.")
APPENDIX_LAY = ("Pain around the belly button since yesterday, now in the lower right tummy. Off "
                "his food, vomited once, a bit of fever.")


@pytest.fixture(scope="module")
def service():
    return AssessmentService(use_llm=False)


@pytest.mark.parametrize("note", [APPENDIX, APPENDIX_LAY])
def test_a_leading_condition_referred_the_same_day_is_not_routine(service, note):
    result = service.assess_dict({"note": note, "age_years": 16, "sex": "male"})
    kb = load_knowledge()
    # the danger-sign rules alone call it routine
    assert triage(result.extraction, kb, age_years=16, sex="male").level == "routine"
    assert result.differential[0].condition.id == "appendicitis"
    assert result.triage.level == "urgent"
    reason = result.triage.signs[0]
    assert reason.rule.id == "leading_diagnosis:appendicitis"
    assert "appendicitis" in reason.rule.label_en.lower() and reason.rule.source
    assert {f.id for f in reason.evidence} >= {"periumbilical_pain", "right_lower_abdomen_site"}


def test_the_floor_never_lowers_and_needs_the_probability():
    kb = load_knowledge()
    cond = kb.conditions["appendicitis"]
    emergency = TriageResult("emergency", ())
    assert floor_from_diagnosis(emergency, cond, 0.99, (), kb) is emergency
    routine = TriageResult("routine", ())
    assert floor_from_diagnosis(routine, cond, kb.floor_probability - 0.01, (), kb) is routine
    assert floor_from_diagnosis(routine, cond, kb.floor_probability, (), kb).level == "urgent"
    # a condition without a floor raises nothing
    plain = replace(cond, triage_floor=None)
    assert floor_from_diagnosis(routine, plain, 0.99, (), kb) is routine


def test_a_common_routine_condition_stays_routine(service):
    result = service.assess_dict({"note": "Burning on passing urine, frequency, suprapubic pain "
                                          "for 2 days. No fever. No flank pain.",
                                  "age_years": 28, "sex": "female"})
    assert result.differential[0].condition.id == "uti_cystitis"
    assert result.triage.level == "routine" and not result.triage.signs


def test_a_triage_floor_other_than_urgent_is_a_problem(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), root)
    path = root / "conditions" / "common_cold.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text('triage_floor = "emergency"\n' + text, encoding="utf-8")
    assert any("conditions/common_cold.toml: triage_floor must be" in p
               for p in validate_knowledge(root))
