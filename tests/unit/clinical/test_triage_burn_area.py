"""Triage rules added on 2026-12-05 (issue 11): a burn that needs IV fluids (10% of body surface
in a child, 15% in an adult; WHO Pocket Book §9.4, WHO SCDH §13) is an emergency; below those
thresholds a burn stays urgent."""

from __future__ import annotations

import pytest

from lantern.services.assessment import AssessmentService


def _level(**case) -> str:
    return AssessmentService(use_llm=False).assess_dict(case).triage.level


@pytest.mark.parametrize(("age", "note", "level"), [
    (4, "Scald from boiling water, chest and arm, about 12% TBSA.", "emergency"),
    (30, "Scald from boiling water, chest and arm, about 12% TBSA.", "urgent"),
    (30, "Flame burns to both legs, about 18% TBSA.", "emergency"),
    (4, "Small scald of the hand, about 2% TBSA.", "urgent"),
])
def test_burn_area_needing_fluids(age, note, level):
    assert _level(note=note, age_years=age) == level
