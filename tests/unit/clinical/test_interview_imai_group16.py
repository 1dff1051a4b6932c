"""The IMAI quick check asked as one question (issue 15, session 16): an adolescent or
adult is looked at for the emergency signs together (obstructed breathing or severe
respiratory distress, not fully alert, convulsions); blood pressure and oxygen saturation
stay measurements; "no" answers every member (and the narrower lethargic) and writes one
line that reads back as each absent, EN and ZH; a pregnant woman's convulsions are asked
once, in the obstetric group."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.groups import load_groups, no_sentence, parse_no_sentence
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import Case, assess
from lantern.services.interview import InterviewService, answer_edit, apply_edit

IMAI = "group:imai_quick_check"
OBST = "group:obstetric_danger_signs"
MEMBERS = ("severe_respiratory_distress", "altered_consciousness", "convulsions")


def _ask(note: str, *, age_years: float | None, sex: str | None = "male", pregnant: bool = False,
         answers: tuple[tuple[str, str], ...] = (), limit: int = 10):
    case = Case(note=note, age_years=age_years, sex=sex, pregnant=pregnant)
    return next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)


def _group(iv, group_id):
    return next((q for q in iv.questions if q.finding == group_id), None)


@pytest.mark.parametrize(("note", "age", "lang", "words"), [
    ("Cough for three days.", 40, "en",
     ("Any emergency sign now:", "severe respiratory distress", "not fully alert", "convulsions")),
    ("咳嗽三天。", 40, "zh", ("现在有无以下任何一项急诊体征：", "严重呼吸窘迫", "神志不清", "抽搐")),
    ("Headache for a week.", None, "en", ("Any emergency sign now:",)),
    ("Fever since Monday.", 16, "en", ("Any emergency sign now:",)),
])
def test_an_adult_is_asked_the_quick_check_as_one_look(note, age, lang, words):
    iv = _ask(note, age_years=age)
    group = _group(iv, IMAI)
    assert group is not None and group.kind == "look" and group.danger_sign
    assert set(group.members) == set(MEMBERS)
    text = group.text(lang)
    assert all(w in text for w in words)
    # its members are not asked again beside it; the measurements stay their own questions
    asked = {q.finding for q in iv.questions}
    assert not asked & set(MEMBERS)
    assert "hypoxaemia" not in group.members and "hypotension" not in group.members
    assert {"hypoxaemia", "hypotension"} & asked


def test_no_answers_every_sign_and_the_narrower_lethargy():
    iv = _ask("Cough for three days.", age_years=40, answers=((IMAI, "no"),), limit=20)
    negated = set(iv.assessment.extraction.negated())
    assert set(MEMBERS) <= negated
    asked = {q.finding for q in iv.questions}
    assert not asked & {IMAI, *MEMBERS, "lethargic"}
    assert {"hypoxaemia", "hypotension"} & asked


def test_yes_opens_the_signs_one_by_one_first():
    iv = _ask("Cough for three days.", age_years=40, answers=((IMAI, "yes"),))
    assert _group(iv, IMAI) is None
    assert {q.finding for q in iv.questions[:3]} == set(MEMBERS)


def test_a_sign_the_note_gives_is_left_out_and_the_rest_are_other_signs():
    iv = _ask("Cough. Confused since yesterday.", age_years=60)
    group = _group(iv, IMAI)
    assert group is not None and "altered_consciousness" not in group.members
    assert group.others_present
    # one sign said in a single answer wins over the group's "no"
    iv = _ask("Cough for three days.", age_years=40,
              answers=((IMAI, "no"), ("convulsions", "yes")))
    assert "convulsions" in iv.assessment.extraction.present()
    assert {"severe_respiratory_distress", "altered_consciousness"} <= set(
        iv.assessment.extraction.negated())


def test_no_quick_check_group_for_a_child():
    for age in (2, 9):
        assert _group(_ask("Cough for three days.", age_years=age, limit=20), IMAI) is None


def test_a_pregnant_womans_convulsions_are_asked_once_in_the_obstetric_group():
    iv = _ask("32 weeks pregnant, swollen feet.", age_years=26, sex="female", pregnant=True,
              limit=20)
    obst, imai = _group(iv, OBST), _group(iv, IMAI)
    assert obst is not None and "convulsions" in obst.members
    assert imai is None or "convulsions" not in imai.members


@pytest.mark.parametrize(("lang", "opening", "note"), [
    ("en", "No emergency signs on quick check: ", "Cough for three days. "),
    ("zh", "快速检查无急诊体征：", "咳嗽三天。"),
])
def test_the_no_line_reads_back_as_each_sign_absent(lang, opening, note):
    kb = load_knowledge()
    group = next(g for g in load_groups() if g.id == IMAI)
    text = no_sentence(group, MEMBERS, lang, others_present=False, kb=kb)
    assert text.startswith(opening)
    ex = assess(Case(note=note + text, age_years=40), kb=kb).extraction
    assert set(MEMBERS) <= set(ex.negated())
    assert not set(MEMBERS) & set(ex.present())
    assert parse_no_sentence(text, kb=kb) == (group, MEMBERS)
    other = no_sentence(group, MEMBERS[:2], lang, others_present=True, kb=kb)
    assert parse_no_sentence(other, kb=kb) == (group, MEMBERS[:2])


@pytest.mark.parametrize("note", ["45 year old man, cough for three days.", "45岁男性，咳嗽三天。"])
def test_the_service_writes_the_line_and_the_signs_are_not_asked_again(note):
    service = InterviewService()
    result = service.next(note=note, age_years=45, sex="male", limit=20)
    group = next(q for q in result.questions if q.finding == IMAI)
    edit = answer_edit(note, finding=IMAI, answer="no", lang=result.lang, question=group)
    assert edit is not None
    after = service.next(note=apply_edit(note, edit), age_years=45, sex="male", limit=20)
    assert {(a.finding, a.answer) for a in after.answers} >= {(f, "no") for f in MEMBERS}
    assert not {q.finding for q in after.questions} & {IMAI, *MEMBERS}
