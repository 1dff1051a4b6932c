"""The interview's age-limited questions, the obstetric blood pressure and "measure first"
(issue 15): every sick child 2 months to 5 years is asked the IMCI general danger signs
whatever the complaint; a fontanelle is never looked for in an adult; every pregnant or
recently delivered woman has her blood pressure measured early; a measurement that alone
decides the triage level goes ahead of lower-yield questions."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, Interview, engine, next_questions
from lantern.clinical.interview.engine import EARLY_GAIN
from lantern.clinical.interview.groups import load_groups
from lantern.clinical.interview.wording import load_wordings, validate_wordings
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import parse_case

IMCI = {"unable_to_drink", "vomits_everything", "convulsions", "altered_consciousness"}


# every grouped screen question answered "unknown": the screens' signs are asked one by
# one, the order these tests check (test_interview_groups16.py checks the groups themselves)
ONE_BY_ONE = [Answer(g.id, "unknown") for g in load_groups()]


def _ask(answers: list[Answer] | None = None, limit: int = 5, **case) -> Interview:
    return next_questions(case=parse_case(case), answers=[*ONE_BY_ONE, *(answers or [])],
                          limit=limit)


@pytest.mark.parametrize("note", ["Rash on the trunk for two days.", "Itchy scalp.",
                                  "Ear pain since last night.", "Swollen finger after a fall."])
def test_a_child_of_three_is_asked_the_general_danger_signs_whatever_the_complaint(note):
    iv = _ask(note=note, age_years=3, sex="female", limit=4)
    assert {q.finding for q in iv.questions} == IMCI
    assert all(q.screen == "imci_general_danger_signs" for q in iv.questions)


def test_no_danger_sign_screen_for_a_child_of_six():
    iv = _ask(note="Rash on the trunk for two days.", age_years=6, sex="female", limit=8)
    assert not any(q.screen == "imci_general_danger_signs" for q in iv.questions)


@pytest.mark.parametrize("age", [25.0, 70.0, 8.0])
def test_a_fontanelle_is_never_asked_beyond_infancy(age):
    # a febrile headache with vomiting: meningitis in play, whose infant sign is the fontanelle
    answers: list[Answer] = []
    asked = []
    for _ in range(25):
        iv = _ask(answers, limit=1, note="Fever and headache with vomiting since yesterday.",
                  age_years=age, sex="male")
        if not iv.questions:
            break
        q = iv.questions[0]
        asked.append(q.finding)
        answers.append(Answer(q.finding, "unknown" if q.kind == "measure" else "no"))
    assert asked and "bulging_fontanelle" not in asked


def test_an_infant_with_fever_and_fits_can_be_asked_about_the_fontanelle():
    iv = _ask(note="Fever and a fit this morning, irritable.", age_years=0.75, sex="male", limit=40)
    assert "bulging_fontanelle" in [q.finding for q in iv.questions]


def test_vomiting_everything_is_asked_from_two_months_not_below():
    older = [q.finding for q in _ask(note="Diarrhoea since yesterday.", age_years=0.5, limit=4).questions]
    assert "vomits_everything" in older
    young = [q.finding for q in _ask(note="Diarrhoea since yesterday.", age_years=0.1, limit=30).questions]
    assert "vomits_everything" not in young


def test_the_age_limits_are_validated(tmp_path):
    kb = load_knowledge()
    path = tmp_path / "questions.toml"
    path.write_text(
        '[[question]]\nfinding = "cough"\nkind = "ask"\nen = "x"\nzh = "x"\n'
        'age_min_years = 5.0\nage_max_years = 2.0\n\n'
        '[[question]]\nfinding = "fever"\nkind = "ask"\nen = "x"\nzh = "x"\nage_max_years = "two"\n\n'
        '[[question]]\nfinding = "wheeze"\nkind = "ask"\nen = "x"\nzh = "x"\nage_min_years = 1.0\n',
        encoding="utf-8")
    problems = validate_wordings(kb, path)
    assert "questions.toml: 'cough': age_min_years must be below age_max_years" in problems
    assert "questions.toml: 'fever': age_max_years must be a number of years from 0 to 120" in problems
    assert not any("'wheeze'" in p for p in problems)
    fontanelle = load_wordings()["bulging_fontanelle"]
    assert fontanelle.fits_age(0.5) and fontanelle.fits_age(None) and not fontanelle.fits_age(30)


def test_every_pregnant_woman_has_her_blood_pressure_measured_early():
    """Pre-eclampsia is silent: the blood pressure whatever the complaint, right after the
    obstetric danger signs and ahead of the weaker questions."""
    iv = _ask(note="Cough for two days.", age_years=24, sex="female", pregnant=True, limit=25)
    asked = [q.finding for q in iv.questions]
    assert "severe_hypertension" in asked
    bp = iv.questions[asked.index("severe_hypertension")]
    assert bp.kind == "measure" and bp.vital == "sbp"
    assert bp.screen == "obstetric_blood_pressure_every_woman"
    first = [q for q in iv.questions[:asked.index("severe_hypertension")]
             if q.screen is None and q.kind != "measure"]
    assert all(q.gain >= EARLY_GAIN for q in first)
    # with a headache it is the very first question (the signs of pre-eclampsia)
    head = _ask(note="Headache since yesterday.", age_years=24, sex="female", pregnant=True, limit=1)
    assert head.questions[0].finding == "severe_hypertension"


def test_a_recently_delivered_woman_too_but_not_a_woman_not_pregnant_nor_when_measured():
    post = _ask(note="Delivered a baby boy five days ago. Now has a cough.", age_years=27,
                sex="female", limit=30)
    assert "severe_hypertension" in [q.finding for q in post.questions]
    other = _ask(note="Cough for two days.", age_years=24, sex="female", pregnant=False, limit=30)
    assert "severe_hypertension" not in [q.finding for q in other.questions]
    measured = _ask(note="Cough for two days.", age_years=24, sex="female", pregnant=True,
                    vitals={"sbp": 118, "dbp": 74}, limit=30)
    assert "severe_hypertension" not in [q.finding for q in measured.questions]


def test_a_measurement_that_alone_decides_the_level_comes_before_weaker_questions(monkeypatch):
    """A child of 7 with fever: the temperature (a very high one raises the level by
    itself) before any question worth less than EARLY_GAIN; without the rule it came after."""
    case = {"note": "Fever for three days.", "age_years": 7, "sex": "male"}
    iv = _ask(limit=25, **case)
    temp = [i for i, q in enumerate(iv.questions) if q.vital == "temp_c"]
    assert temp and iv.questions[temp[0]].danger_sign and iv.questions[temp[0]].screen is None
    before = [q for q in iv.questions[:temp[0]] if q.screen is None and q.kind != "measure"]
    assert all(q.gain >= EARLY_GAIN for q in before)
    weaker = [i for i, q in enumerate(iv.questions) if q.kind != "measure" and q.screen is None]
    assert weaker and temp[0] < weaker[0]
    monkeypatch.setattr(engine, "MEASURE_IN_PLAY", 0)      # the rule off: the temperature waits
    off = _ask(limit=25, **case)
    off_temp = [i for i, q in enumerate(off.questions) if q.vital == "temp_c"]
    off_weaker = [i for i, q in enumerate(off.questions) if q.kind != "measure" and q.screen is None]
    assert not off_temp or off_temp[0] > off_weaker[0]
    # measured: not asked again
    done = _ask(limit=25, vitals={"temp_c": 37.2}, **case)
    assert not any(q.vital == "temp_c" for q in done.questions)
