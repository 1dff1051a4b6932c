"""The "Ask next" panel with grouped screen questions (issue 15, session 16): a child under
5 is asked the IMCI general danger signs as one row with the same Yes / No / Unknown
buttons and keys; No (2) writes one sentence that reads back as every sign absent, Yes (1)
writes nothing and brings the signs to the top one by one, so the sign present is named;
English and Chinese notes and UI."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.services.interview import InterviewService

from . import test_interview_panel as panel_tests

window = panel_tests.window     # the same fixture: the main window, its vault, Assess and Ask next

IMCI = "group:imci_general_danger_signs"
SIGNS = {"unable_to_drink", "vomits_everything", "convulsions", "altered_consciousness"}
CHILD_EN = "MARKERNOTE 2 year old girl with cough for 3 days."
CHILD_ZH = "2岁女孩，咳嗽3天。"


@pytest.fixture(scope="module", autouse=True)
def _warm_engine():
    """Load the knowledge base and the interview files once before the first window: on a
    busy machine the first refresh otherwise spends its signal timeout loading them."""
    InterviewService().next(note="Cough.", age_years=2)


def _open(qtbot, w, note):
    return panel_tests._open(qtbot, w, note=note, birth_year=2024, one_by_one=False)


def _press(qtbot, panel, key):
    panel.questions.setFocus()
    with qtbot.waitSignal(panel.refreshed, timeout=60_000) as blocker:
        qtbot.keyClick(panel.questions, key)
    return blocker.args[0]


@pytest.mark.parametrize(("note", "opening"), [(CHILD_EN, "No general danger signs: "),
                                               (CHILD_ZH, "无一般危险征象：")])
def test_the_group_row_and_no_writes_one_sentence(qtbot, window, note, opening):
    panel = _open(qtbot, window, note)
    row = panel.questions.rows[0]
    question = panel.result.questions[0]
    assert row.finding == IMCI and question.is_group and set(question.members) == SIGNS
    assert panel.questions.selected() is row
    assert row.danger.isVisibleTo(panel) and row.text.text().endswith(question.text_en)
    assert row.text.text().startswith("1. Any of these:")
    assert [row.buttons[a].text() for a in ("yes", "no", "unknown")] == ["Yes (1)", "No (2)", "Unknown (3)"]
    no_line = panel.result.sentences[IMCI][1]
    assert no_line.startswith(opening) and no_line in row.buttons["no"].toolTip()
    assert not SIGNS & {r.finding for r in panel.questions.rows}

    result = _press(qtbot, panel, Qt.Key.Key_2)
    text = window.encounter_view.note.toPlainText()
    assert text.split("\n")[-1] == no_line and text.count(opening) == 1
    # the answered list says the group's sentence once, not once per sign
    assert panel.answered.text().count(no_line) == 1
    # read back from the note: each sign answered no, none asked again, nor the group
    assert {(a.finding, a.answer) for a in result.answers} == {(f, "no") for f in SIGNS}
    assert not (SIGNS | {IMCI}) & {q.finding for q in result.questions}
    assert panel.counter.text().startswith("Answers: 4")


def test_yes_writes_nothing_and_the_signs_come_next_one_by_one(qtbot, window):
    panel = _open(qtbot, window, CHILD_EN)
    hint = panel.result.sentences[IMCI][0]
    assert panel.questions.rows[0].buttons["yes"].toolTip() == hint and "nothing" in hint
    result = _press(qtbot, panel, Qt.Key.Key_1)
    assert window.encounter_view.note.toPlainText() == CHILD_EN
    top = [q.finding for q in result.questions[:4]]
    assert set(top) == SIGNS and not any(q.is_group for q in result.questions)
    assert [r.finding for r in panel.questions.rows][:4] == top
    # the sign present named: its own sentence, the child's emergency
    while panel.questions.selected().finding != "convulsions":
        qtbot.keyClick(panel.questions, Qt.Key.Key_Down)
    yes = panel.result.sentences["convulsions"][0]
    result = _press(qtbot, panel, Qt.Key.Key_1)
    assert window.encounter_view.note.toPlainText().endswith("\n" + yes)
    assert result.assessment.triage.level == "emergency"
    # the other signs are still asked first
    assert {q.finding for q in result.questions[:3]} == SIGNS - {"convulsions"}


def test_unknown_leaves_the_signs_one_by_one(qtbot, window):
    panel = _open(qtbot, window, CHILD_EN)
    result = _press(qtbot, panel, Qt.Key.Key_3)
    assert window.encounter_view.note.toPlainText() == CHILD_EN
    assert IMCI not in {q.finding for q in result.questions}
    assert {q.finding for q in result.questions[:4]} == SIGNS


def test_chinese_ui_shows_the_chinese_group_and_writes_in_the_notes_language(qtbot, zh_ui, window):
    panel = _open(qtbot, window, CHILD_EN)
    row = panel.questions.rows[0]
    question = panel.result.questions[0]
    assert row.finding == IMCI and row.text.text().endswith(question.text_zh)
    assert question.text_zh.startswith("有没有以下任何一种情况：")
    assert row.buttons["no"].text() == "无 (2)"
    _press(qtbot, panel, Qt.Key.Key_2)
    assert window.encounter_view.note.toPlainText().split("\n")[-1].startswith("No general danger signs: ")
