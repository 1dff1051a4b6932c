"""The triage bonus of the next-question engine for a rule's follow-up question: the
finding that completes a triage rule part of which is already present (issue 15)."""

from __future__ import annotations

from lantern.clinical.interview import engine, next_questions
from lantern.clinical.interview.engine import (
    CONTEXT_P,
    TRIAGE_BONUS,
    completing,
    completing_in_context,
)
from lantern.clinical.knowledge import TriageRule
from lantern.clinical.pipeline import parse_case

TETANUS = TriageRule(id="t", level="emergency", label_en="", label_zh="", source="s",
                     all=("trismus",), any=("dirty_wound", "fever"))
SHOCK = TriageRule(id="s", level="emergency", label_en="", label_zh="", source="s",
                   all=("hypotension",))


def test_the_missing_finding_of_a_rule_in_part_present_is_in_context():
    raises, context = completing_in_context([TETANUS, SHOCK], {"dirty_wound"}, "routine")
    assert raises == {"trismus": "emergency", "hypotension": "emergency"}
    assert context == {"trismus"}                 # a bare danger sign has no context
    assert completing([TETANUS, SHOCK], {"dirty_wound"}, "routine") == raises


def test_a_common_finding_makes_no_context():
    raises, context = completing_in_context([TETANUS], {"fever"}, "routine",
                                            common=frozenset({"fever"}))
    assert raises == {"trismus": "emergency"} and context == frozenset()
    _, context = completing_in_context([TETANUS], {"fever"}, "routine")
    assert context == {"trismus"}


def test_no_context_when_the_rule_would_not_raise_the_level():
    raises, context = completing_in_context([TETANUS], {"dirty_wound"}, "emergency")
    assert raises == {} and context == frozenset()


def _wound(limit: int = 8) -> list:
    case = parse_case({"note": "Stepped on a rusty nail 9 days ago, wound never cleaned.",
                       "age_years": 40, "sex": "male"})
    return next_questions(case=case, answers=[], limit=limit).questions


def test_a_wound_brings_the_stiff_jaw_question_forward(monkeypatch):
    asked = [q.finding for q in _wound()]
    assert "trismus" in asked[:4] and _wound()[asked.index("trismus")].danger_sign
    with_context = _wound()[asked.index("trismus")].gain
    monkeypatch.setattr(engine, "CONTEXT_P", 0.0)           # the likelihood ratios alone
    plain = _wound(limit=40)
    alone = next((q.gain for q in plain if q.finding == "trismus"), 0.0)
    assert with_context - alone >= 0.5 * CONTEXT_P * TRIAGE_BONUS["emergency"]
    assert "trismus" not in [q.finding for q in plain][:4]
