"""One sign is never asked twice in two words (issue 15, session 17): "convulsing now"
(ETAT, a look) is narrower than "convulsions" (IMCI, an ask). While the broader sign is
asked earlier in the list, the narrower one waits: a "no" answers both, and after a "yes"
the narrower one is asked on its own. A broader finding asked further down never holds a
danger sign back."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import Case

IMCI = "group:imci_general_danger_signs"
ETAT = "group:etat_emergency_signs"


def _asked(iv) -> list[str]:
    """Every finding the list asks: single questions and group members."""
    out: list[str] = []
    for q in iv.questions:
        out += list(q.members) if q.is_group else [q.finding]
    return out


def _ask(note: str, answers: tuple[tuple[str, str], ...] = (), age: float = 1.5, limit: int = 8):
    case = Case(note=note, age_years=age, sex="male", pregnant=False)
    return next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)


NOTES = ["Fever for three days, cough.", "Diarrhoea 2 days, alert, playing.",
         "Fever 3 days. Alert, no respiratory distress, pink, warm hands.",
         "发热三天，咳嗽。", "腹泻两天，精神好。"]


def test_convulsions_is_narrower_than_its_history_sign():
    kb = load_knowledge()
    assert "convulsions" in kb.broader.get("convulsing_now", ())


@pytest.mark.parametrize("note", NOTES)
def test_a_child_is_not_asked_convulsions_and_convulsing_now_together(note):
    asked = _asked(_ask(note))
    assert "convulsions" in asked
    assert "convulsing_now" not in asked


@pytest.mark.parametrize("note", NOTES)
def test_no_convulsions_answers_convulsing_now(note):
    iv = _ask(note, answers=(("convulsions", "no"),))
    assert "convulsing_now" not in _asked(iv)
    assert "convulsing_now" in {f.id for f in iv.assessment.extraction.findings if f.negated} or \
        "convulsing_now" not in _asked(iv)


@pytest.mark.parametrize("note", NOTES)
def test_after_a_yes_to_convulsions_convulsing_now_is_asked(note):
    # (the first ten: a "yes" to convulsions also brings the glucose screen and the bedside
    # tests ahead of the ETAT group, whose member convulsing_now is)
    iv = _ask(note, answers=(("convulsions", "yes"),), limit=10)
    assert "convulsing_now" in _asked(iv)


def test_a_group_yes_opens_convulsions_before_convulsing_now():
    iv = _ask(NOTES[0], answers=((IMCI, "yes"),))
    asked = _asked(iv)
    assert "convulsions" in asked and "convulsing_now" not in asked


def test_a_broader_question_further_down_does_not_hold_back_a_danger_sign():
    # "vomiting" is broader than "vomits everything"; the danger sign is still asked first
    iv = _ask("Diarrhoea 2 days, alert, playing.")
    kb = load_knowledge()
    assert "vomiting" in kb.broader.get("vomits_everything", ())
    assert "vomits_everything" in _asked(iv)[:6]
