"""The "Ask next" panel in the real main window, over the real vault and the real
interview engine: answers by key go into the note as sentences, the questions and the
assessment refresh, danger signs come first for a child, corrections are marked, Ctrl+Z
in the note takes an answer back, and nothing stays on screen after a lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.domain.records import Sex, Vitals
from lantern.gui.extensions import install_assessment, install_interview
from lantern.services.assessment import AssessmentService
from lantern.services.interview import InterviewService

from .helpers import all_widget_text, make_vault, show_and_unlock

CHILD_NOTE = "MARKERNOTE 2 year old boy with fever and cough for 3 days."
ADULT_ZH = "发热、头痛两天，伴恶心。"


@pytest.fixture
def window(qtbot, main_window, vault_dir):
    make_vault(vault_dir).lock()
    main_window.assessment_panel = install_assessment(main_window, assessment=AssessmentService())
    install_interview(main_window, interview=InterviewService())
    show_and_unlock(qtbot, main_window)
    return main_window


def _open(qtbot, w, *, note, birth_year, sex=Sex.MALE, vitals=None, one_by_one=True):
    """Open the encounter in the panel. ``one_by_one``: each grouped screen question is
    answered Unknown, so its signs are asked one by one, the flow these tests check
    (test_interview_groups.py checks the grouped questions)."""
    session = w.bridge.session
    patient = session.records.add_patient(name="MARKERNAME Tembo", sex=sex, birth_year=birth_year)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=note, vitals=vitals or Vitals())
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    enc = session.records.list_encounters(patient.id)[0]
    panel = w.interview_panel
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        w.encounter_view.open_encounter(enc, w.chart.patient)
    w.encounter_view.side_tabs.setCurrentWidget(panel)
    for _ in range(4):
        group = next((q for q in panel.result.questions if q.is_group), None)
        if not one_by_one or group is None:
            break
        with qtbot.waitSignal(panel.refreshed, timeout=60_000):
            panel.answer(group.finding, "unknown")
    return panel


def _press(qtbot, panel, key):
    with qtbot.waitSignal(panel.refreshed, timeout=60_000) as blocker:
        qtbot.keyClick(panel.questions, key)
    return blocker.args[0]


def test_child_danger_signs_first_and_key_1_writes_the_sentence(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    first = panel.result.questions
    assert 3 <= len(first) <= 5
    # the IMCI general danger signs of a child under 5 come first, marked
    assert first[0].danger_sign and first[0].screen == "imci_general_danger_signs"
    sign = first[0].finding       # the one a "yes" to which is likeliest: the order is the engine's
    rows = panel.questions.rows
    assert rows[0].danger.isVisibleTo(panel) and rows[0].danger.text() == "DANGER SIGN"
    assert [r.finding for r in rows] == [q.finding for q in first]
    yes_sentence = panel.result.sentences[sign][0]

    panel.questions.setFocus()
    result = _press(qtbot, panel, Qt.Key.Key_1)
    note = window.encounter_view.note.toPlainText()
    assert note.startswith(CHILD_NOTE) and note.endswith("\n" + yes_sentence)
    # the answer is read back from the note: not asked again, counted, assessment updated
    assert sign not in [q.finding for q in result.questions]
    assert [(a.finding, a.answer) for a in result.answers] == [(sign, "yes")]
    assert result.assessment.triage.level == "emergency"
    assert panel.counter.text().startswith("Answers: 1 · ")
    assert "EMERGENCY" in panel.summary.text()
    # ... and the Assessment panel shows it as soon as its tab is opened
    assessment = window.assessment_panel
    assert assessment.assessment is None
    window.encounter_view.side_tabs.setCurrentWidget(assessment)
    assert assessment.assessment is result.assessment
    assert assessment.banner.property("triage") == "emergency"


def test_keys_move_and_answer_no_then_unknown(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    second = panel.result.questions[1]
    yes_sentence, no_sentence = panel.result.sentences[second.finding]
    assert no_sentence and no_sentence != yes_sentence
    panel.questions.setFocus()
    qtbot.keyClick(panel.questions, Qt.Key.Key_Down)
    assert panel.questions.selected().finding == second.finding
    result = _press(qtbot, panel, Qt.Key.Key_2)
    assert window.encounter_view.note.toPlainText().endswith(no_sentence)
    assert (second.finding, "no") in [(a.finding, a.answer) for a in result.answers]
    # Unknown writes nothing and the question is not asked again
    before = window.encounter_view.note.toPlainText()
    skipped = panel.questions.selected().finding
    result = _press(qtbot, panel, Qt.Key.Key_3)
    assert window.encounter_view.note.toPlainText() == before
    assert skipped not in [q.finding for q in result.questions]


def test_a_later_answer_wins_and_the_earlier_is_marked_corrected(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    finding = panel.result.questions[0].finding
    yes, no = panel.result.sentences[finding]
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.answer(finding, "yes")
    assert panel.result.assessment.triage.level == "emergency"
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.answer(finding, "no")
    lines = window.encounter_view.note.toPlainText().split("\n")
    assert lines[-2:] == [yes + " (corrected)", no]
    result = panel.result
    assert [(a.finding, a.answer) for a in result.answers] == [(finding, "no")]
    assert result.change.corrections == 1 and "corrected: 1" in panel.counter.text()
    assert result.assessment.triage.level != "emergency"
    # the Assessment panel's own Assess reads the note the same way
    assessment = window.assessment_panel
    with qtbot.waitSignal(assessment.assessed, timeout=60_000):
        assessment.run_assessment()
    assert assessment.assessment.triage.level == result.assessment.triage.level


def test_ctrl_z_in_the_note_takes_the_answer_back(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    asked = panel.result.questions[0].finding
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.answer(asked, "yes")
    note = window.encounter_view.note
    assert note.toPlainText() != CHILD_NOTE
    note.setFocus()
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        qtbot.keyClick(note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert note.toPlainText() == CHILD_NOTE
    assert panel.result.answers == []
    assert asked in [q.finding for q in panel.result.questions]


def test_chinese_note_gets_chinese_sentences(qtbot, window):
    panel = _open(qtbot, window, note=ADULT_ZH, birth_year=1990)
    assert panel.result.lang == "zh"
    # the first question that writes a sentence (a measurement fills its vitals field)
    index = next(i for i, q in enumerate(panel.result.questions) if q.kind != "measure")
    question = panel.result.questions[index]
    no_sentence = panel.result.sentences[question.finding][1]
    panel.questions.setFocus()
    for _ in range(index):
        qtbot.keyClick(panel.questions, Qt.Key.Key_Down)
    result = _press(qtbot, panel, Qt.Key.Key_2)
    last = window.encounter_view.note.toPlainText().split("\n")[-1]
    assert last == no_sentence and last.endswith("。")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in last)       # a Chinese sentence
    assert (question.finding, "no") in [(a.finding, a.answer) for a in result.answers]
    # the English UI shows the English wording of the Chinese note's questions
    assert panel.questions.rows[0].text.text().endswith(result.questions[0].text_en)


def test_measure_question_goes_to_the_vitals_field(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    # answer every question until a measurement is asked (or nothing is left)
    for _ in range(30):
        measure = [q for q in panel.result.questions if q.kind == "measure" and q.vital]
        if measure or not panel.result.questions:
            break
        with qtbot.waitSignal(panel.refreshed, timeout=60_000):
            panel.answer(panel.result.questions[0].finding, "no")
    assert measure, "no measurement was asked for a child with fever and cough"
    before = window.encounter_view.note.toPlainText()
    panel.answer(measure[0].finding, "yes")
    field = window.encounter_view.vitals.edits[measure[0].vital]
    qtbot.waitUntil(field.hasFocus, timeout=60_000)
    assert window.encounter_view.note.toPlainText() == before


def test_lock_clears_the_panel(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.answer(panel.result.questions[0].finding, "yes")
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    assert panel.result is None and panel.questions.rows == []
    screen = all_widget_text()
    assert "MARKERNOTE" not in screen and "MARKERNAME" not in screen


def test_chinese_ui_with_an_english_note(qtbot, zh_ui, window):
    tabs = window.encounter_view.side_tabs
    assert "下一步问诊" in [tabs.tabText(i) for i in range(tabs.count())]
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    row = panel.questions.rows[0]
    question = panel.result.questions[0]
    # the clinician reads Chinese; the note is English, so the answer is written in English
    assert row.text.text().endswith(question.text_zh)
    assert row.danger.text() == "危险征象" and row.buttons["yes"].text() == "有 (1)"
    yes = panel.result.sentences[question.finding][0]
    assert yes.isascii() and yes.endswith(".")
    panel.questions.setFocus()
    _press(qtbot, panel, Qt.Key.Key_1)
    assert window.encounter_view.note.toPlainText().endswith("\n" + yes)
    assert panel.counter.text().startswith("回答：1")


def test_an_answer_worked_out_in_advance_shows_at_once(qtbot, window):
    panel = _open(qtbot, window, note=CHILD_NOTE, birth_year=2024)
    finding = panel.questions.selected().finding
    note = window.encounter_view.note
    if (finding, "no") not in panel._ahead:
        qtbot.waitUntil(lambda: (finding, "no") in panel._ahead, timeout=60_000)
    expected = panel._ahead[(finding, "no")][1]
    shown = []
    panel.refreshed.connect(shown.append)
    panel.answer(finding, "no")          # no event loop turn: the result was ready
    assert shown == [expected] and panel.result is expected
    assert note.toPlainText() == expected.interview.assessment.case.note
    assert (finding, "no") in [(a.finding, a.answer) for a in expected.answers]


def test_the_editor_edit_is_the_text_edit(qtbot, window):
    """What the panel writes with the cursor is exactly apply_edit's text (look-ahead
    results are only used when the note is what they were computed for)."""
    from lantern.services.interview import answer_edit, apply_edit

    panel = _open(qtbot, window, note=CHILD_NOTE + "  \nVomits everything.  ", birth_year=2024)
    note = window.encounter_view.note
    before = note.toPlainText()
    edit = answer_edit(before, finding="vomits_everything", answer="no", lang="en")
    assert edit is not None and edit.mark_lines == (1,)
    panel._write(edit)
    assert note.toPlainText() == apply_edit(before, edit)
    assert note.toPlainText().split("\n")[1] == "Vomits everything. (corrected)  "


def test_an_answer_goes_above_the_plan_so_the_summary_keeps_it_out_of_the_plan(qtbot, window):
    """A note with an assessment and a plan gets the answer above them, in the editor as in
    apply_edit, undoably; a summary then files it with the history, not under the plan."""
    from lantern.clinical.summarize import summarize
    from lantern.services.interview import answer_edit, apply_edit

    sectioned = (CHILD_NOTE + "\nExam: alert, RR 38.\nAssessment: pneumonia.\n"
                 "Plan: amoxicillin, review in 2 days.")
    panel = _open(qtbot, window, note=sectioned, birth_year=2024)
    note = window.encounter_view.note
    asked = panel.result.questions[0].finding
    edit = answer_edit(sectioned, finding=asked, answer="no", lang="en")
    assert edit is not None
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.answer(asked, "no")
    after = note.toPlainText()
    assert after == apply_edit(sectioned, edit)
    lines = after.split("\n")
    assert lines.index(edit.append) == lines.index("Assessment: pneumonia.") - 1
    summary = summarize("note", {"note": after}).text
    assert edit.append in summary
    assert not any(edit.append in line for line in summary.split("\n") if line.startswith(("P:", "Plan")))
    note.setFocus()
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        qtbot.keyClick(note, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert note.toPlainText() == sectioned
