"""The early screens leave room for the history (issue 15, the top-3 gap after 8 answers).

The ETAT emergency signs and the IMAI quick check ("early" screens) used to take up to six
of the first eight answers of any adult or school-age child, whatever the complaint. Their
first answers still go ahead; then they are interleaved with the history, one per
``EARLY_EVERY`` other answers, and none is ever dropped. An early sign whose every triage
rule is out of reach given the answers is no screen question any more. The "first"
screens (IMCI general danger signs, the obstetric danger signs) are untouched.
"""

from __future__ import annotations

from lantern.clinical.interview import Answer, Interview, next_questions
from lantern.clinical.interview.engine import EARLY_AHEAD, EARLY_EVERY, EARLY_GAIN
from lantern.clinical.interview.groups import load_groups
from lantern.clinical.interview.screens import load_screens
from lantern.clinical.pipeline import parse_case

# every grouped screen question answered "unknown": the screens' signs are asked one by
# one, the order these tests check (test_interview_groups16.py checks the groups themselves)
ONE_BY_ONE = [Answer(g.id, "unknown") for g in load_groups()]


def _ask(answers: list[Answer], limit: int = 1, **case) -> Interview:
    return next_questions(case=parse_case(case), answers=[*ONE_BY_ONE, *(answers)],
                          limit=limit)


def _screen(screen_id: str) -> set[str]:
    return set(next(s for s in load_screens() if s.id == screen_id).findings)


def _run(n: int, **case) -> list[tuple[str, str | None, float]]:
    """Ask ``n`` questions, answering each "no" (a measurement "unknown"): the sequence of
    (finding, screen, gain)."""
    answers: list[Answer] = []
    out = []
    for _ in range(n):
        iv = _ask(answers, **case)
        if not iv.questions:
            break
        q = iv.questions[0]
        out.append((q.finding, q.screen, q.gain))
        answers.append(Answer(q.finding, "unknown" if q.vital else "no"))
    return out


KNEE = {"note": "Knee pain for two weeks.", "age_years": 45, "sex": "male"}


def test_the_quick_check_leaves_room_for_the_history_in_a_non_urgent_complaint():
    seq = _run(8, **KNEE)
    quick = _screen("imai_quick_check")
    # before: five of the first eight answers went to the quick check, three to the history
    assert sum(f in quick for f, _, _ in seq) <= EARLY_AHEAD + 2
    assert sum(f not in quick for f, _, _ in seq) >= 4
    # its first answers still come first
    assert all(screen == "imai_quick_check" for _, screen, _ in seq[:EARLY_AHEAD])


def test_no_quick_check_sign_is_ever_dropped():
    seq = _run(30, **KNEE)
    asked = {f for f, _, _ in seq}
    # a "no" to altered consciousness answers lethargy, its narrower finding
    assert _screen("imai_quick_check") - {"lethargic"} <= asked


def test_out_of_turn_only_a_sign_worth_early_gain_goes_ahead():
    """After the first early answers and no other answer, the next question is a screen
    question only if its own gain reaches EARLY_GAIN."""
    quick = sorted(_screen("imai_quick_check"))
    answers = [Answer(f, "no") for f in ("severe_respiratory_distress", "altered_consciousness")]
    assert len(answers) == EARLY_AHEAD
    q = _ask(answers, limit=8, **KNEE).questions
    assert q[0].screen is None or q[0].gain >= EARLY_GAIN
    # after EARLY_EVERY answers to other questions, the quick check has its turn again
    others = [x.finding for x in q if x.finding not in quick][:EARLY_EVERY]
    assert len(others) == EARLY_EVERY
    again = _ask(answers + [Answer(f, "no") for f in others], **KNEE).questions[0]
    assert again.screen == "imai_quick_check"


def test_general_danger_signs_still_take_the_first_questions_of_a_young_child():
    seq = _run(6, note="Itchy rash on the arms for a week.", age_years=3, sex="female")
    imci = _screen("imci_general_danger_signs")
    assert {f for f, _, _ in seq[:4]} == imci


def test_obstetric_danger_signs_are_never_interleaved():
    case = {"note": "Pregnant 30 weeks, came for a cough for three days.", "age_years": 26,
            "sex": "female"}
    seq = _run(10, **case)
    stage = _screen("obstetric_late_pregnancy")
    head = [f for f, screen, _ in seq if screen and screen.startswith("obstetric")]
    # the obstetric screens' questions come in one block at the start
    assert head and [f for f, _, _ in seq[:len(head)]] == head
    assert stage & set(head)


def test_an_early_sign_whose_rule_is_out_of_reach_is_no_screen_question():
    """Severe dehydration (ETAT) needs two of lethargy, sunken eyes, a very slow skin pinch
    (and unable to drink): with the others answered no, the skin pinch is no longer asked as
    the screen's sign (it may still come by its own gain)."""
    case = {"note": "Diarrhoea for two days.", "age_years": 8, "sex": "male"}
    out_of_reach = [Answer(f, "no") for f in ("altered_consciousness", "sunken_eyes", "unable_to_drink")]
    qs = _ask(out_of_reach, limit=40, **case).questions
    assert all(q.screen != "etat_severe_dehydration" for q in qs)
    # with one sign present it is the screen's question again
    one = [Answer("altered_consciousness", "no"), Answer("unable_to_drink", "no"),
           Answer("sunken_eyes", "yes")]
    qs = _ask(one, limit=40, **case).questions
    assert any(q.finding == "skin_pinch_very_slow" and q.screen == "etat_severe_dehydration"
               for q in qs)


def test_a_complaint_pointing_nowhere_still_gets_the_whole_quick_check_first():
    seq = _run(6, note="Feeling unwell.", age_years=60, sex="male")
    quick = _screen("imai_quick_check")
    assert sum(f in quick for f, _, _ in seq[:4]) >= 3
