"""The older adult with a vague complaint (issue 15, session 23): 'off her legs', 'muddled',
'not himself', 'gone off his food', 精神差, 糊涂 say nothing of the cause, so the questions a
clinician asks an older person come first (screens.toml older_adult_vague_complaint, BGS
Silver Book II 2021, NICE CG103 delirium): the danger signs of the causes first (a stroke's
face and arm, the breathing, the circulation, the temperature), then the quiet causes
(urine, chest, retention, constipation, intake), not worms or a runny nose."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.groups import load_groups
from lantern.clinical.interview.screens import load_screens, read_screens, validate_screens
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import parse_case

SCREEN = "older_adult_vague_complaint"
# the danger signs of the causes behind a vague complaint in old age
DANGER = {"facial_droop", "focal_weakness", "hypoxaemia", "fast_breathing", "hypotension",
          "tachycardia", "hypothermia", "chest_pain", "difficult_breathing", "syncope"}
ONE_BY_ONE = [Answer(g.id, "unknown") for g in load_groups()]


def _first(note: str, age: float, n: int = 8) -> list[str]:
    iv = next_questions(case=parse_case({"note": note, "age_years": age}),
                        answers=list(ONE_BY_ONE), limit=n)
    return [q.finding for q in iv.questions]


@pytest.mark.parametrize("note", [
    "He is not himself, gone off his food.",
    "Daughter says mum is muddled.",
    "老人家精神差，糊涂。",
    "不想吃饭，精神差。",
])
def test_a_vague_complaint_in_old_age_asks_the_causes_danger_signs_first(note):
    asked = _first(note, 82)
    screen = set(next(s for s in load_screens() if s.id == SCREEN).findings)
    # the first questions are the screen's (after the glucose of a confused patient and
    # the quick check), its stroke signs among them; no worms, no runny nose
    assert {"facial_droop", "focal_weakness"} <= set(asked[:8])
    assert sum(f in screen for f in asked[:8]) >= 5
    assert not {"helminth_ova", "worms_seen", "roundworm_seen", "runny_nose"} & set(asked[:8])


def test_the_screen_goes_in_its_order_danger_signs_before_the_quiet_causes():
    asked = _first("He is not himself, gone off his food.", 80, n=30)
    danger_at = [asked.index(f) for f in DANGER if f in asked]
    quiet_at = [asked.index(f) for f in ("dysuria", "constipation", "urinary_retention") if f in asked]
    assert danger_at and quiet_at and max(danger_at) < min(quiet_at)


def test_a_younger_adult_with_the_same_words_is_not_screened():
    asked = _first("He is not himself, gone off his food.", 40, n=6)
    assert not {"facial_droop", "focal_weakness"} & set(asked)


def test_a_complaint_that_points_somewhere_keeps_the_picture_s_questions():
    # tired, with vomiting of coffee grounds: the bleed's questions, not the vague screen's
    asked = _first("Tired, vomited coffee-ground material twice.", 78, n=5)
    assert not {"facial_droop", "constipation", "dysuria"} & set(asked)


def test_vague_needs_when_any():
    import dataclasses
    screens = tuple(dataclasses.replace(s, when_any=()) if s.id == SCREEN else s
                    for s in read_screens())
    assert any("vague needs when_any" in p for p in validate_screens(load_knowledge(), screens))


@pytest.mark.parametrize("note", ["She fell at home last night.", "昨晚在家摔倒了。"])
def test_a_fall_with_nothing_else_said_asks_for_a_stroke_a_faint_and_the_vital_signs(note):
    # NICE CG161: an older person's fall - did they lose consciousness, and its causes
    asked = _first(note, 84, n=15)
    assert {"facial_droop", "focal_weakness", "syncope", "tachycardia"} <= set(asked)
    assert asked.index("facial_droop") < 8
