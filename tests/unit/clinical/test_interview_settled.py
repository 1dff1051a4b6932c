"""A finding the note already settles is never asked again (issue 15): "alert and
oriented" / 神志清 answers "confused?", "muddled?" (糊涂) and "confusion that comes and
goes?"; "chest clear" / 双肺呼吸音清 answers "silent chest?"; "afebrile" / 无发热 answers
the fever questions. The statements and what they settle are data
(resources/interview/settled.toml), checked to read back as their condition."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.settled import (
    load_settled,
    read_settled,
    settled_by,
    validate_settled,
)
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import Case

CONFUSION = {"altered_consciousness", "lethargic", "unconscious", "muddled_lay", "fluctuating_confusion"}
FEVER = {"fever", "high_fever", "very_high_fever", "prolonged_fever"}


def _asked(note: str, *, age: float = 70.0, answers: tuple[tuple[str, str], ...] = (),
           limit: int = 40) -> set[str]:
    case = Case(note=note, age_years=age, sex="male", pregnant=False)
    iv = next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)
    out: set[str] = set()
    for q in iv.questions:
        out |= set(q.members) if q.is_group else {q.finding}
    return out


def test_the_settled_file_is_valid():
    assert validate_settled(load_knowledge(), read_settled()) == []
    assert load_settled()


def test_a_statement_that_does_not_read_as_its_condition_is_a_problem():
    entry = next(e for e in read_settled() if e.id == "consciousness_clear")
    bad = replace(entry, statements_zh=("咳嗽三天。",))
    problems = validate_settled(load_knowledge(), (bad,))
    assert any("does not read back" in p for p in problems)


@pytest.mark.parametrize("note", [
    "Headache for 2 days. Alert and oriented.",
    "Fever and cough for 3 days. A&O x3.",
    "头痛2天。神志清，精神可。",
    "发热3天，咳嗽。神志清。",
])
def test_alert_and_oriented_settles_the_confusion_questions(note):
    # before the settled findings, 糊涂 ('muddled') and delirium were asked after 神志清
    assert not _asked(note) & CONFUSION


@pytest.mark.parametrize("note", ["Headache for 2 days.", "头痛2天。"])
def test_without_the_statement_the_confusion_questions_stay(note):
    assert _asked(note) & CONFUSION


@pytest.mark.parametrize("note", ["Headache for 2 days.", "头痛2天。"])
def test_a_no_to_confusion_settles_muddled(note):
    assert not _asked(note, answers=(("altered_consciousness", "no"),)) & CONFUSION


@pytest.mark.parametrize("note", ["Headache for 2 days. Afebrile.", "头痛2天。无发热。",
                                  "Headache for 2 days, no fever.", "头痛2天，体温正常。"])
def test_afebrile_settles_the_fever_questions(note):
    assert not _asked(note) & FEVER


@pytest.mark.parametrize("note", ["Cough for 5 days. Chest clear.", "咳嗽5天。双肺呼吸音清。"])
def test_a_clear_chest_settles_the_auscultation_questions(note):
    assert not _asked(note) & {"silent_chest", "bronchial_breathing", "unilateral_chest_signs",
                               "crackles", "wheeze"}


def test_a_present_finding_is_never_settled():
    kb = load_knowledge()
    got = settled_by({"oriented_answers", "muddled_lay"}, set(), narrower=kb.narrower)
    assert "muddled_lay" not in got
    assert {"altered_consciousness", "lethargic", "fluctuating_confusion"} <= got


@pytest.mark.parametrize("note", ["Fainted at home this morning, dizzy, diarrhoea. No bloody diarrhoea.",
                                  "今晨晕倒一次，头晕，腹泻，无血便。"])
def test_no_blood_in_the_stool_settles_rectal_bleeding(note):
    # before the entry stool_without_blood, "passed blood from the back passage?" was
    # asked of a fainting patient whose note says the stool has no blood
    assert "rectal_bleeding" not in _asked(note)


@pytest.mark.parametrize("note", ["Fainted at home this morning, dizzy, diarrhoea.",
                                  "今晨晕倒一次，头晕，腹泻。"])
def test_without_the_statement_rectal_bleeding_is_asked(note):
    assert "rectal_bleeding" in _asked(note)
