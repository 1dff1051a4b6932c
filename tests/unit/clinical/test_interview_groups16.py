"""Grouped screen questions (issue 15, session 16): the IMCI general danger signs, the
ETAT emergency signs and the obstetric danger signs asked as one question each; "no"
answers every member, "yes" opens the members one by one, "unknown" leaves them single;
the CLI contract keeps its keys and accepts a group id in ``answers``; the note's line
for a "no" reads back as each member absent (EN and ZH)."""

from __future__ import annotations

import io
import json

import pytest

from lantern.cli import main
from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.groups import (
    Group,
    Member,
    load_groups,
    no_sentence,
    parse_no_sentence,
    validate_groups,
)
from lantern.clinical.interview.screens import load_screens
from lantern.clinical.interview.simulation import answer_group_from_case
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import Case, assess
from lantern.domain.errors import ValidationError
from lantern.services.interview import InterviewService, answer_edit, apply_edit, note_answers

IMCI = "group:imci_general_danger_signs"
ETAT = "group:etat_emergency_signs"
OBST = "group:obstetric_danger_signs"
IMCI_SIGNS = ("unable_to_drink", "vomits_everything", "convulsions", "altered_consciousness")


def _ask(note: str, *, age_years: float | None, sex: str | None = None, pregnant: bool = False,
         answers: tuple[tuple[str, str], ...] = (), limit: int = 8):
    case = Case(note=note, age_years=age_years, sex=sex, pregnant=pregnant)
    return next_questions(case=case, answers=[Answer(f, a) for f, a in answers], limit=limit)


def _group(iv, group_id):
    return next((q for q in iv.questions if q.finding == group_id), None)


def _negated(iv) -> set[str]:
    return set(iv.assessment.extraction.negated())


@pytest.mark.parametrize(("note", "lang", "words"), [
    ("Cough for three days.", "en",
     ("Any of these:", "unable to drink or breastfeed", "vomits everything", "convulsions",
      "lethargic or unconscious")),
    ("咳嗽三天。", "zh", ("不能喝水或吃奶", "吃什么吐什么", "抽搐", "嗜睡或昏迷")),
])
def test_a_child_under_five_is_asked_the_general_danger_signs_as_one_question(note, lang, words):
    iv = _ask(note, age_years=2, sex="male")
    first = iv.questions[0]
    assert first.finding == IMCI and first.is_group
    assert first.members == IMCI_SIGNS
    assert first.kind == "ask" and first.danger_sign and first.screen == "imci_general_danger_signs"
    assert iv.lang == lang
    text = first.text(lang)
    assert all(w in text for w in words), text
    # no member is asked on its own beside the group
    assert not {q.finding for q in iv.questions} & set(IMCI_SIGNS)


def test_no_to_the_group_answers_every_member():
    iv = _ask("Cough for three days.", age_years=2, sex="male", answers=((IMCI, "no"),))
    assert set(IMCI_SIGNS) <= _negated(iv)
    asked = {q.finding for q in iv.questions}
    assert IMCI not in asked and not asked & set(IMCI_SIGNS)
    assert iv.groups == {IMCI: "no"} and not set(iv.answered) & set(IMCI_SIGNS)
    # the ETAT group that follows leaves out what the "no" answered (lethargic is narrower
    # than lethargic or unconscious, convulsing now than convulsions)
    etat = _ask("Cough for three days.", age_years=2, sex="male", answers=((IMCI, "no"),),
                limit=20)
    group = _group(etat, ETAT)
    assert group is not None
    assert "lethargic" not in group.members and "convulsing_now" not in group.members


def test_yes_to_the_group_opens_its_members_first_one_by_one():
    iv = _ask("Cough for three days.", age_years=2, sex="male", answers=((IMCI, "yes"),))
    head = iv.questions[:4]
    assert {q.finding for q in head} == set(IMCI_SIGNS)
    assert all(q.danger_sign and not q.is_group for q in head)
    assert _group(iv, IMCI) is None
    # a "yes" names no sign by itself: the assessment is that of the complaint alone
    plain = _ask("Cough for three days.", age_years=2, sex="male")
    assert iv.assessment.triage.level == plain.assessment.triage.level
    # the sign named: the child's emergency, and the others still asked first
    named = _ask("Cough for three days.", age_years=2, sex="male",
                 answers=((IMCI, "yes"), ("convulsions", "yes")))
    assert named.assessment.triage.level == "emergency"
    assert {q.finding for q in named.questions[:3]} == set(IMCI_SIGNS) - {"convulsions"}


def test_unknown_to_the_group_leaves_the_members_to_be_asked_singly():
    iv = _ask("Cough for three days.", age_years=2, sex="male", answers=((IMCI, "unknown"),))
    assert _group(iv, IMCI) is None
    assert {q.finding for q in iv.questions[:4]} == set(IMCI_SIGNS)


def test_a_single_answer_wins_over_the_group_no_in_either_order():
    for answers in (((IMCI, "no"), ("convulsions", "yes")), (("convulsions", "yes"), (IMCI, "no"))):
        iv = _ask("Cough for three days.", age_years=2, sex="male", answers=answers)
        assert "convulsions" in iv.assessment.extraction.present()
        assert iv.assessment.triage.level == "emergency"
        assert {"unable_to_drink", "vomits_everything"} <= _negated(iv)


def test_the_group_asks_only_the_signs_the_note_does_not_give():
    iv = _ask("Cough for three days, no convulsions.", age_years=2, sex="male")
    group = iv.questions[0]
    assert group.finding == IMCI and "convulsions" not in group.members
    assert "convulsions" not in group.text("en") and not group.others_present
    # one sign present: the others are "other" danger signs
    iv = _ask("Cough for three days. Vomits everything.", age_years=2, sex="male")
    group = _group(iv, IMCI)
    assert group is not None and group.others_present
    assert "vomits_everything" not in group.members
    # one sign left unknown: asked on its own, no group
    iv = _ask("Cough. Able to drink. Not vomiting everything. No convulsions.", age_years=2,
              sex="male")
    assert _group(iv, IMCI) is None
    assert iv.questions[0].finding == "altered_consciousness"


def test_a_note_answering_every_sign_gets_no_group():
    note = ("Cough for three days. Able to drink or breastfeed. Not vomiting everything. "
            "No convulsions. Alert, not confused.")
    iv = _ask(note, age_years=2, sex="male")
    assert _group(iv, IMCI) is None
    assert not {q.finding for q in iv.questions} & set(IMCI_SIGNS)


def test_no_group_outside_its_screen():
    adult = _ask("Cough for three days.", age_years=40, sex="male", limit=20)
    assert _group(adult, IMCI) is None and _group(adult, ETAT) is None
    assert _group(adult, OBST) is None


@pytest.mark.parametrize("note", ["32 weeks pregnant, swollen feet.", "怀孕32周，双脚水肿。"])
def test_a_pregnant_woman_is_asked_the_obstetric_danger_signs_together(note):
    iv = _ask(note, age_years=26, sex="female", pregnant=True)
    group = _group(iv, OBST)
    assert group is not None and group.danger_sign and group.kind == "ask"
    assert {"vaginal_bleeding", "convulsions", "severe_headache", "fever"} <= set(group.members)
    assert not {q.finding for q in iv.questions} & set(group.members)
    after = _ask(note, age_years=26, sex="female", pregnant=True, answers=((OBST, "no"),))
    assert set(group.members) <= _negated(after)
    assert _group(after, OBST) is None


def test_an_older_child_gets_the_etat_group_and_the_oxygen_saturation_stays_a_measurement():
    iv = _ask("Diarrhoea for two days.", age_years=7, sex="female", limit=10)
    group = _group(iv, ETAT)
    assert group is not None and group.kind == "look"
    assert "hypoxaemia" not in group.members and len(group.members) >= 2
    assert all(q.finding != m for q in iv.questions for m in group.members)


def test_an_unknown_group_id_is_a_clear_error():
    with pytest.raises(ValidationError, match=r"answers\[0\]: unknown group id 'group:nope'"):
        _ask("Cough.", age_years=2, answers=(("group:nope", "no"),))
    with pytest.raises(ValidationError, match="answer must be one of"):
        _ask("Cough.", age_years=2, answers=((IMCI, "maybe"),))


# ---- the note: one sentence for a "no", read back as each member absent ----------------

@pytest.mark.parametrize(("lang", "opening"), [("en", "No general danger signs: "),
                                                ("zh", "无一般危险征象：")])
def test_the_no_sentence_reads_back_as_each_member_absent(lang, opening):
    kb = load_knowledge()
    group = next(g for g in load_groups() if g.id == IMCI)
    text = no_sentence(group, IMCI_SIGNS, lang, others_present=False, kb=kb)
    assert text.startswith(opening)
    ex = assess(Case(note=f"Cough for three days. {text}" if lang == "en" else f"咳嗽三天。{text}",
                     age_years=2), kb=kb).extraction
    assert set(IMCI_SIGNS) <= set(ex.negated())
    assert parse_no_sentence(text, kb=kb) == (group, IMCI_SIGNS)
    part = no_sentence(group, IMCI_SIGNS[1:3], lang, others_present=True, kb=kb)
    assert part.startswith("No other" if lang == "en" else "无其他")
    assert parse_no_sentence(part, kb=kb) == (group, IMCI_SIGNS[1:3])
    assert parse_no_sentence(text.replace(opening, opening + "x "), kb=kb) is None


def test_every_group_file_sentence_validates():
    assert validate_groups(load_knowledge(), load_groups(), load_screens()) == []


def test_the_validator_finds_bad_groups():
    kb = load_knowledge()
    good = next(g for g in load_groups() if g.id == IMCI)
    words = {k: getattr(good, k) for k in ("kind", "ask_en", "ask_zh", "no_en", "no_zh",
                                           "no_other_en", "no_other_zh", "yes_en", "yes_zh",
                                           "source")}
    bad = [
        Group(id="imci", screen=good.screen, members=good.members, **words),
        Group(id="group:x", screen="nope", members=good.members, **words),
        Group(id="group:y", screen=good.screen, members=(*good.members, Member("hypoxaemia", "a", "b")),
              **words),
        Group(id="group:z", screen=good.screen, members=(Member("cough", "cough", "咳嗽"), good.members[0]),
              **words),
    ]
    problems = validate_groups(kb, tuple(bad), load_screens())
    assert any("'imci'" in p and "must start with" in p for p in problems)
    assert any("unknown screen 'nope'" in p for p in problems)
    assert any("'hypoxaemia'" in p and "measured" in p for p in problems)
    assert any("'cough' is not a finding of screen" in p for p in problems)


@pytest.mark.parametrize(("note", "lang"), [("MARKER 2 year old, cough for three days.", "en"),
                                            ("2岁男孩，咳嗽三天。", "zh")])
def test_the_service_writes_one_line_for_no_and_reads_it_back(note, lang):
    service = InterviewService()
    result = service.next(note=note, age_years=2, sex="male")
    group = result.questions[0]
    assert group.finding == IMCI and result.lang == lang
    yes_hint, no_line = result.sentences[IMCI]
    assert yes_hint and no_line.startswith("No general danger signs" if lang == "en" else "无一般危险征象")
    assert answer_edit(note, finding=IMCI, answer="yes", lang=lang, question=group) is None
    edit = answer_edit(note, finding=IMCI, answer="no", lang=lang, question=group)
    assert edit is not None and edit.append == no_line
    written = apply_edit(note, edit)
    after = service.next(note=written, age_years=2, sex="male")
    assert {(a.finding, a.answer) for a in after.answers} == {(f, "no") for f in IMCI_SIGNS}
    assert not {q.finding for q in after.questions} & {IMCI, *IMCI_SIGNS}
    # the same answer again writes nothing; a later "yes" to one sign marks the line corrected
    assert answer_edit(written, finding=IMCI, answer="no", lang=lang, question=group) is None
    fix = answer_edit(written, finding="convulsions", answer="yes", lang=lang)
    assert fix is not None and len(fix.mark_lines) == 1
    corrected = apply_edit(written, fix)
    assert any(a.corrected for a in note_answers(corrected, kb=service.kb))
    assert service.next(note=corrected, age_years=2, sex="male").assessment.triage.level == "emergency"
    # "yes" writes nothing: the panel passes it as opened, and the signs come one by one
    opened = service.next(note=note, age_years=2, sex="male", opened=(IMCI,))
    assert {q.finding for q in opened.questions[:4]} == set(IMCI_SIGNS)


def test_the_simulation_answers_a_group_from_the_full_case():
    kb = load_knowledge()
    full = assess(Case(note="Cough for three days. Had a convulsion this morning.", age_years=2), kb=kb)
    assert answer_group_from_case(IMCI_SIGNS, full, kb) == "yes"
    calm = assess(Case(note="Cough for three days. Drinking well.", age_years=2), kb=kb)
    assert answer_group_from_case(IMCI_SIGNS, calm, kb) == "no"


# ---- the CLI contract ------------------------------------------------------------------

def _cli(monkeypatch, capsys, case: dict, code: int = 0) -> dict:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(case)))
    assert main(["interview", "--next"]) == code
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("note", "start"), [("Cough for 3 days.", "Any of these:"),
                                             ("咳嗽3天。", "有没有以下任何一种情况：")])
def test_cli_lists_the_group_and_takes_its_answers(monkeypatch, capsys, note, start):
    case = {"id": "g1", "age_years": 2, "sex": "male", "pregnant": False, "vitals": {}, "note": note}
    out = _cli(monkeypatch, capsys, case)
    assert list(out) == ["id", "questions", "triage", "differential"]
    first = out["questions"][0]
    assert list(first) == ["finding", "text", "kind", "danger_sign", "gain"]
    assert first["finding"] == IMCI and first["text"].startswith(start)
    assert first["kind"] == "ask" and first["danger_sign"] is True
    no = _cli(monkeypatch, capsys, {**case, "answers": [{"finding": IMCI, "answer": "no"}]})
    assert not {q["finding"] for q in no["questions"]} & {IMCI, *IMCI_SIGNS}
    yes = _cli(monkeypatch, capsys, {**case, "answers": [{"finding": IMCI, "answer": "yes"}]})
    assert {q["finding"] for q in yes["questions"][:4]} == set(IMCI_SIGNS)
    bad = _cli(monkeypatch, capsys, {**case, "answers": [{"finding": "group:imci", "answer": "no"}]},
               code=1)
    assert bad == {"id": "g1", "error": "answers[0]: unknown group id 'group:imci'"}


def test_cli_help_names_the_group_ids(capsys):
    with pytest.raises(SystemExit):
        main(["interview", "--help"])
    assert IMCI in capsys.readouterr().out


@pytest.mark.parametrize("note", ["28 weeks pregnant, here for her antenatal visit.",
                                  "怀孕28周，来做产前检查。"])
def test_a_long_group_line_is_read_back_too(note):
    service = InterviewService()
    result = service.next(note=note, age_years=24, sex="female", pregnant=True, limit=20)
    group = next(q for q in result.questions if q.finding == OBST)
    edit = answer_edit(note, finding=OBST, answer="no", lang=result.lang, question=group)
    assert edit is not None and len(group.members) >= 5
    written = apply_edit(note, edit)
    after = service.next(note=written, age_years=24, sex="female", pregnant=True, limit=20)
    assert {(a.finding, a.answer) for a in after.answers} == {(f, "no") for f in group.members}
    assert not {q.finding for q in after.questions} & {OBST, *group.members}
