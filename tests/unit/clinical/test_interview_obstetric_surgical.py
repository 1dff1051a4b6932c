"""The interview's screens by the stage of a pregnancy, for the surgical signs a single
answer decides, and for a child's breathing (issue 15).

- Obstetric (WHO MCPC 2017, PCPNC 2015): early pregnancy or a missed period with pain or
  bleeding asks the signs of ectopic pregnancy and abortion first; 22 weeks or more asks
  pre-eclampsia, bleeding, the baby's movements and labour; after delivery bleeding, fever
  and foul lochia; the baby's movements are never asked in early pregnancy or after delivery;
  a woman of reproductive age with abdominal pain, bleeding or fainting is asked about a
  missed period first.
- Surgical (WHO Surgical Care at the District Hospital 2003): severe or sudden abdominal
  pain has the abdomen examined first (guarding, rigidity, generalised tenderness,
  distension, no stool or flatus, bilious vomiting); a hernia is checked for being
  irreducible; testicular pain for a sudden onset.
- Breathing (IMCI 2014): a child under 5 or a young infant with cough or difficult
  breathing has the breaths counted, chest indrawing, SpO2, stridor and grunting looked
  for right after the general danger signs.
"""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, Interview, next_questions
from lantern.clinical.interview.groups import load_groups
from lantern.clinical.interview.screens import Screen, read_screens, validate_screens
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import parse_case

ECTOPIC_ABORTION = {"syncope", "postural_dizziness", "shoulder_tip_pain", "heavy_bleeding",
                    "passing_tissue", "hypotension", "tachycardia"}
FETAL = {"reduced_fetal_movements", "rupture_of_membranes", "labour_contractions"}


# every grouped screen question answered "unknown": the screens' signs are asked one by
# one, the order these tests check (test_interview_groups16.py checks the groups themselves)
ONE_BY_ONE = [Answer(g.id, "unknown") for g in load_groups()]


def _ask(answers: list[Answer] | None = None, limit: int = 12, **case) -> Interview:
    return next_questions(case=parse_case(case), answers=[*ONE_BY_ONE, *(answers or [])],
                          limit=limit)


def _asked_in_turn(n: int, answer: str = "no", **case) -> list[str]:
    """The first ``n`` questions, each answered in turn ("unknown" for a measurement)."""
    answers: list[Answer] = []
    asked: list[str] = []
    for _ in range(n):
        iv = _ask(answers, limit=1, **case)
        if not iv.questions:
            break
        q = iv.questions[0]
        asked.append(q.finding)
        answers.append(Answer(q.finding, "unknown" if q.kind == "measure" else answer))
    return asked


# ---------------------------------------------------------------- obstetric, by gestation

@pytest.mark.parametrize("note", ["8 weeks pregnant, bleeding from the vagina and lower abdominal pain.",
                                  "孕7周，下腹痛半天。"])
def test_early_pregnancy_with_pain_or_bleeding_asks_the_ectopic_and_abortion_signs_first(note):
    iv = _ask(note=note, age_years=26, sex="female", limit=9)
    screens = [q.screen for q in iv.questions]
    ectopic = [q.finding for q in iv.questions if q.screen == "obstetric_early_pregnancy"]
    assert ectopic and set(ectopic) <= ECTOPIC_ABORTION
    # ... before the general obstetric danger signs
    first_general = screens.index("obstetric_danger_signs") if "obstetric_danger_signs" in screens else 99
    assert max(i for i, s in enumerate(screens) if s == "obstetric_early_pregnancy") < first_general
    # the baby's movements and labour are not asked in early pregnancy
    assert not FETAL & set(_asked_in_turn(16, note=note, age_years=26, sex="female"))


def test_a_missed_period_with_pain_opens_the_ectopic_screen_and_a_faint_makes_it_an_emergency():
    note = "Missed her period, lower abdominal pain since this morning."
    iv = _ask(note=note, age_years=24, sex="female", limit=7)
    assert {q.finding for q in iv.questions} == ECTOPIC_ABORTION
    fainted = _ask([Answer("syncope", "yes")], note=note, age_years=24, sex="female")
    assert fainted.assessment.triage.level == "emergency"


@pytest.mark.parametrize("note", ["Lower abdominal pain since yesterday.", "Fainted at the market today."])
def test_a_woman_of_reproductive_age_is_asked_about_a_missed_period_first(note):
    assert _ask(note=note, age_years=24, sex="female", limit=1).questions[0].finding == "missed_period"
    # not a man, not a woman past the ages of the ectopic rules, not a known pregnancy
    for case in ({"age_years": 24, "sex": "male"}, {"age_years": 62, "sex": "female"},
                 {"age_years": 24, "sex": "female", "pregnant": True}):
        assert "missed_period" not in [q.finding for q in _ask(note=note, limit=3, **case).questions]
    # a "yes" opens the early-pregnancy screen
    yes = _ask([Answer("missed_period", "yes")], note=note, age_years=24, sex="female", limit=3)
    assert {q.screen for q in yes.questions} == {"obstetric_early_pregnancy"}


def test_late_pregnancy_asks_pre_eclampsia_bleeding_movements_and_labour_first():
    note = "34 weeks pregnant, came because of back ache."
    iv = _ask(note=note, age_years=28, sex="female", limit=20)
    late = [q.finding for q in iv.questions if q.screen == "obstetric_late_pregnancy"]
    assert {"severe_headache", "visual_disturbance", "convulsions", "vaginal_bleeding",
            "reduced_fetal_movements", "labour_contractions", "rupture_of_membranes"} <= set(late)
    screens = [q.screen for q in iv.questions]
    # the stage's signs come before the general ones, and before any other question
    assert screens[:len(late)] == ["obstetric_late_pregnancy"] * len(late)
    # the blood pressure is measured among the first (with a headache, at once)
    assert "severe_hypertension" in [q.finding for q in _ask(
        note="34 weeks pregnant, headache.", age_years=28, sex="female", limit=3).questions]


def test_after_delivery_bleeding_fits_headache_fever_and_foul_lochia_come_first_and_no_fetal_signs():
    note = "Delivered at home five days ago, feels unwell."
    iv = _ask(note=note, age_years=22, sex="female", limit=6)
    # eclampsia also comes after delivery: fits and severe headache are asked with the bleeding
    assert {q.finding for q in iv.questions} == {"vaginal_bleeding", "heavy_bleeding", "convulsions",
                                                 "severe_headache", "fever", "foul_lochia"}
    assert {q.screen for q in iv.questions} == {"obstetric_postpartum"}
    assert not FETAL & set(_asked_in_turn(14, note=note, age_years=22, sex="female"))
    # fever with foul lochia after delivery: an emergency (puerperal sepsis)
    sepsis = _ask([Answer("fever", "yes"), Answer("foul_lochia", "yes")], note=note, age_years=22, sex="female")
    assert sepsis.assessment.triage.level == "emergency"


def test_pregnancy_of_unknown_gestation_keeps_every_danger_sign_with_the_fetal_ones():
    iv = _ask(note="Pregnant, feels tired.", age_years=27, sex="female", pregnant=True, limit=12)
    found = {q.finding for q in iv.questions}
    assert {"vaginal_bleeding", "convulsions", "severe_headache", "reduced_fetal_movements",
            "rupture_of_membranes"} <= found


# ---------------------------------------------------------------- surgical, one sign decides

@pytest.mark.parametrize("note", ["Severe abdominal pain that started suddenly two hours ago.",
                                  "突然剧烈腹痛2小时。"])
def test_severe_or_sudden_abdominal_pain_has_the_abdomen_examined_first(note):
    asked = _asked_in_turn(4, note=note, age_years=45, sex="male")
    assert asked[0] == "rebound_guarding"        # the broader sign before its narrower one
    assert {"board_like_rigidity", "generalised_abdominal_pain"} & set(asked[1:4])


def test_guarding_then_generalised_tenderness_reaches_the_emergency_within_three_answers():
    note = "Severe abdominal pain that started suddenly two hours ago."
    answers: list[Answer] = []
    for _ in range(3):
        iv = _ask(answers, limit=1, note=note, age_years=45, sex="male")
        q = iv.questions[0]
        answers.append(Answer(q.finding, "yes" if q.finding in {"rebound_guarding",
                                                                 "generalised_abdominal_pain"} else "no"))
    final = _ask(answers, note=note, age_years=45, sex="male")
    assert final.assessment.triage.level == "emergency"
    assert answers[0].finding == "rebound_guarding"
    assert "generalised_abdominal_pain" in [a.finding for a in answers]


def test_a_rigid_abdomen_alone_is_an_emergency():
    iv = _ask([Answer("board_like_rigidity", "yes")], note="Abdominal pain since morning.", age_years=50)
    assert iv.assessment.triage.level == "emergency"


def test_mild_abdominal_pain_does_not_open_the_acute_abdomen_screen():
    iv = _ask(note="Mild abdominal pain on and off for a month.", age_years=45, sex="male", limit=6)
    assert "surgical_acute_abdomen" not in {q.screen for q in iv.questions}


def test_a_hernia_is_checked_for_being_irreducible_first():
    note = "Lump in the right groin for a week, painful today."
    iv = _ask(note=note, age_years=60, sex="male", limit=1)
    assert (iv.questions[0].finding, iv.questions[0].screen) == ("hernia_irreducible", "surgical_groin_lump")
    yes = _ask([Answer("hernia_irreducible", "yes")], note=note, age_years=60, sex="male")
    assert yes.assessment.triage.level == "emergency"


def test_testicular_pain_is_asked_whether_it_began_suddenly():
    note = "Pain in the left testicle."
    iv = _ask(note=note, age_years=15, sex="male", limit=2)
    assert "sudden_onset" in [q.finding for q in iv.questions]
    yes = _ask([Answer("sudden_onset", "yes")], note=note, age_years=15, sex="male")
    assert yes.assessment.triage.level == "emergency"


# ---------------------------------------------------------------- breathing in children

BREATHING = {"fast_breathing", "chest_indrawing", "hypoxaemia", "stridor", "nasal_flaring"}


@pytest.mark.parametrize("age", [0.1, 1.0, 3.5])
def test_a_child_with_cough_has_the_breathing_checked_right_after_the_danger_signs(age):
    iv = _ask(note="Cough and difficult breathing since yesterday.", age_years=age, sex="female", limit=9)
    found = [q.finding for q in iv.questions]
    gds = {"unable_to_drink", "vomits_everything", "convulsions", "altered_consciousness"}
    n_gds = sum(f in gds for f in found)
    assert set(found[:n_gds]) <= gds
    breathing = [q for q in iv.questions[n_gds:] if q.screen == "imci_cough_difficult_breathing"]
    assert {"fast_breathing", "chest_indrawing", "hypoxaemia"} <= {q.finding for q in breathing}
    # the breaths are counted, not asked about
    assert next(q for q in breathing if q.finding == "fast_breathing").vital == "resp_rate"


def test_a_young_infant_with_cough_has_the_breathing_before_the_other_young_infant_signs():
    iv = _ask(note="Cough since two days.", age_years=0.08, sex="male", limit=14)
    order = [q.finding for q in iv.questions]
    for later in ("fever", "hypothermia", "movement_only_stimulated"):
        assert order.index("fast_breathing") < order.index(later)
        assert order.index("chest_indrawing") < order.index(later)


def test_no_breathing_screen_without_cough_or_breathing_trouble():
    iv = _ask(note="Rash on the legs.", age_years=2, sex="female", limit=10)
    assert "imci_cough_difficult_breathing" not in {q.screen for q in iv.questions}


# ---------------------------------------------------------------- the screen conditions

def test_with_any_unless_any_and_sex_decide_where_a_screen_applies():
    s = Screen(id="t", label_en="t", label_zh="t", source="WHO", findings=("syncope",),
               when_any=("missed_period",), with_any=("abdominal_pain", "vaginal_bleeding"),
               unless_any=("late_pregnancy",), sex="female")
    base = {"age_years": 25.0, "pregnant_context": False}
    assert s.applies(present={"missed_period", "abdominal_pain"}, sex="female", **base)
    assert not s.applies(present={"missed_period"}, sex="female", **base)          # with_any
    assert not s.applies(present={"abdominal_pain"}, sex="female", **base)         # when_any
    assert not s.applies(present={"missed_period", "abdominal_pain", "late_pregnancy"},
                         sex="female", **base)                                     # unless_any
    assert not s.applies(present={"missed_period", "abdominal_pain"}, sex="male", **base)
    assert not s.applies(present={"missed_period", "abdominal_pain"}, sex=None, **base)


def test_bad_screen_conditions_are_reported():
    kb = load_knowledge()
    bad = Screen(id="t", label_en="t", label_zh="t", source="WHO", findings=("syncope",),
                 with_any=("abdominal_pain",), unless_any=("no_such_finding",), sex="woman")
    problems = validate_screens(kb, (bad,))
    assert "screens.toml: screen t: unknown finding id 'no_such_finding'" in problems
    assert "screens.toml: screen t: sex must be any, female or male" in problems
    assert "screens.toml: screen t: with_any needs when_any" in problems
    assert validate_screens(kb, read_screens()) == []
