"""The danger signs the picture makes likely come first (issue 15): within a screen the
sign goes by its gain over the conditions in play (a sign one finding short of an
emergency rule counting its share); a danger sign no condition in play names weighs
little (a cord prolapse or a burn is no question for a man with a cough); a red flag of
the complaint that alone makes an emergency and is likely comes right after the first
screen."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.engine import two_steps
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import Case


def _order(note: str, *, age: float, sex: str, pregnant: bool = False,
           answers: tuple[tuple[str, str], ...] = (), limit: int = 12) -> list[str]:
    case = Case(note=note, age_years=age, sex=sex, pregnant=pregnant)
    iv = next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)
    return [q.finding for q in iv.questions]


@pytest.mark.parametrize("note", [
    "Woman 26. Lower abdominal pain on the left since this morning, sudden onset.",
    "女，26岁。今早突发左下腹痛。",
])
def test_bleeding_is_the_first_obstetric_sign_asked_with_sudden_lower_abdominal_pain(note):
    order = _order(note, age=26, sex="female", pregnant=True,
                   answers=(("group:obstetric_danger_signs", "yes"),))
    # before: visual disturbance, severe headache and convulsions came first, bleeding 7th
    assert order[0] == "vaginal_bleeding"


@pytest.mark.parametrize("note", ["45 M. Cough for 5 days.", "男，45岁。咳嗽5天。"])
def test_danger_signs_no_condition_in_play_names_are_not_asked(note):
    order = _order(note, age=45, sex="male", limit=20)
    # before: every sign that alone makes an emergency weighed the same for everybody
    assert not {"cord_prolapse", "burn_area_15", "ecg_st_elevation", "board_like_rigidity",
                "apnoea", "asterixis"} & set(order)
    assert "trismus" not in order[:15]      # 12th before


def test_a_likely_red_flag_of_the_complaint_comes_right_after_the_general_danger_signs():
    order = _order("2 year old choked on a peanut, coughing since, noisy breathing.",
                   age=2, sex="male")
    assert order[0] == "group:imci_general_danger_signs"
    # before: after the five signs of the IMCI breathing screen and the ETAT group (9th)
    assert "unilateral_chest_signs" in order[1:5]


def test_a_two_step_sign_is_one_finding_short_of_its_rule():
    kb = load_knowledge()
    rules = [r for r in kb.rules if r.id == "bleeding_pregnancy_shock"]
    got = two_steps(rules, set(), set(), "routine")
    assert got.get("vaginal_bleeding") == "emergency"
    assert "vaginal_bleeding" not in two_steps(rules, {"vaginal_bleeding"}, set(), "routine")
    assert got.get("syncope") == "emergency"
    assert not two_steps(rules, set(), {"vaginal_bleeding"}, "routine")
