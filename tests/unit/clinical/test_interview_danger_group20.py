"""A partly answered danger group is completed first (issue 15): after a "yes" to one
sign of a mandatory screen, the screen's other signs and the findings that would make
the emergency that sign points to come before the lower-value questions, together by
their gain (vaginal bleeding in a pregnancy: a fast pulse, fainting; thoughts of suicide:
a plan or act). A low mood or sleep complaint brings the mhGAP self-harm questions, the
thoughts as well as a plan or act, among the first. Once the differential is settled, a
danger sign the picture does not make likely (trismus, a board-like abdomen after a
pneumonia) is no longer asked."""

from __future__ import annotations

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.pipeline import Case

SHOCK = {"tachycardia", "syncope", "dizziness", "postural_dizziness", "severe_pallor"}
OTHER_OBSTETRIC = {"severe_headache", "visual_disturbance", "convulsions", "difficult_breathing",
                   "severe_pain"}
SELF_HARM = {"suicidal_ideation", "suicide_plan_or_act"}


def _order(note: str, *, age: float, sex: str, pregnant: bool = False,
           answers: tuple[tuple[str, str], ...] = (), limit: int = 12) -> list[str]:
    case = Case(note=note, age_years=age, sex=sex, pregnant=pregnant)
    iv = next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)
    return [q.finding for q in iv.questions]


def test_bleeding_in_pregnancy_brings_the_signs_of_shock_first():
    order = _order("Lower abdominal pain on the left since this morning, sudden onset.", age=26,
                   sex="female", pregnant=True,
                   answers=(("group:obstetric_danger_signs", "yes"), ("vaginal_bleeding", "yes")))
    assert SHOCK & set(order[:3])
    first_shock = min(order.index(f) for f in SHOCK if f in order)
    assert all(order.index(f) > first_shock for f in OTHER_OBSTETRIC if f in order)


def test_thoughts_of_suicide_bring_the_plan_first():
    order = _order("Low mood for 2 months, barely sleeping, stopped eating, lost weight.", age=46,
                   sex="male", answers=(("anhedonia", "no"), ("suicidal_ideation", "yes")))
    assert order[0] == "suicide_plan_or_act"


def test_an_answer_to_a_named_group_sign_keeps_the_group_then_its_follow_ups():
    # the quick check opened and convulsions named: the other quick-check signs still come
    # first (after the glucose the charts check in anyone convulsing), by their gain, the
    # lethargy a fit leaves among them
    order = _order("Had a generalised fit lasting 3 min at the market, bit his tongue.", age=23,
                   sex="male", answers=(("group:imai_quick_check", "yes"), ("convulsions", "yes")))
    assert "altered_consciousness" in order[:2]
    assert order.index("altered_consciousness") < order.index("convulsing_now")


def test_insomnia_brings_the_self_harm_questions_early():
    for note in ("主诉：失眠1个月。", "Cannot sleep for a month.", "Low mood and poor sleep for 2 months."):
        order = _order(note, age=40, sex="female")
        assert SELF_HARM <= set(order[:4]), (note, order)


def test_a_settled_pneumonia_asks_no_unlikely_danger_sign():
    answers = (("group:imai_quick_check", "no"), ("bronchial_breathing", "yes"),
               ("crackles", "yes"), ("chest_indrawing", "no"), ("difficult_breathing", "no"),
               ("chest_pain", "no"))
    case = Case(note="Productive cough with rusty sputum for 4 days, fever, malaise.",
                age_years=55, sex="male", pregnant=False)
    iv = next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=40)
    assert iv.settled
    asked = {q.finding for q in iv.questions}
    assert not asked & {"trismus", "board_like_rigidity", "burn_area_15", "bubo", "asterixis"}
