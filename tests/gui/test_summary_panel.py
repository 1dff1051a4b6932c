"""SummaryPanel: skeleton then verified summary, sources, dropped toggle, sign, PDF."""

from __future__ import annotations

import re
import threading

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from lantern.gui.runner import TaskRunner
from lantern.gui.summary_panel import SummaryPanel
from lantern.services.summaries import SummaryService

NOTE = ("S: 34F cough 4 days, fever. Allergic to penicillin (rash).\n"
        "O: T 38.6, HR 104, RR 24, SpO2 95%. Crackles right base.\n"
        "A: Community-acquired pneumonia.\n"
        "P: Doxycycline 100 mg PO BD x 5 days. Review in 48 hours.")


class FakeModel:
    """Streams a faithful assessment and an invented objective line; blocks on demand."""

    def __init__(self, gate: threading.Event | None = None):
        self.gate = gate
        self.model_sha256 = "cd" * 32

    def __call__(self, prompt, *, max_tokens, stop=None, json_schema=None, on_text=None):
        if self.gate is not None:
            self.gate.wait(5)
        section = re.findall(r"Facts \(([\w -]+)\):", prompt)[-1]
        text = {"Assessment": "Community-acquired pneumonia was diagnosed.",
                "Objective": "Ceftriaxone 1 g IV was given."}.get(section, "")
        for word in text.split(" "):
            if on_text:
                on_text(word + " ")
        return text


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    r.shutdown()


def _panel(qtbot, runner, service, note_view=None):
    panel = SummaryPanel(summarize=service, runner=runner, note_view=note_view, username="dr_a")
    qtbot.addWidget(panel)
    panel.set_source(note=NOTE)
    return panel


def test_summarize_shows_verified_text_dropped_count_and_sources(qtbot, runner):
    note_view = QPlainTextEdit(NOTE)
    qtbot.addWidget(note_view)
    panel = _panel(qtbot, runner, SummaryService(generator=FakeModel()), note_view)
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000) as blocker:
        qtbot.mouseClick(panel.summarize_button, qtbot_button())
    summary = blocker.args[0]
    text = panel.editor.toPlainText()
    assert "Community-acquired pneumonia was diagnosed." in text
    assert "ceftriaxone" not in text.lower() and "penicillin (rash)" in text
    assert panel.dropped_label.text() == "1 sentence(s) dropped"
    assert panel.dropped_view.isHidden()
    panel.dropped_toggle.click()
    assert not panel.dropped_view.isHidden() and "ceftriaxone" in panel.dropped_view.toPlainText().lower()
    # Put the cursor on the medication line: its source is highlighted in the note view.
    pos = text.index("Doxycycline 100 mg")
    cursor = panel.editor.textCursor()
    cursor.setPosition(pos + 3)
    panel.editor.setTextCursor(cursor)
    assert "Doxycycline 100 mg PO BD x 5 days" in panel.source_label.text()
    (sel,) = note_view.extraSelections()
    assert sel.cursor.selectedText().startswith("Doxycycline 100 mg PO BD")
    assert summary.llm_used and panel.sign_button.isEnabled()


def test_skeleton_appears_before_the_model_finishes_and_stop_keeps_it(qtbot, runner):
    gate = threading.Event()
    panel = _panel(qtbot, runner, SummaryService(generator=FakeModel(gate)))
    panel.start()
    qtbot.waitUntil(lambda: "Doxycycline 100 mg" in panel.editor.toPlainText(), timeout=60_000)
    assert panel.stop_button.isEnabled() and not panel.sign_button.isEnabled()
    task = panel._task
    panel.stop()
    gate.set()
    with qtbot.waitSignal(task.failed, timeout=60_000):
        pass
    assert "Doxycycline 100 mg" in panel.editor.toPlainText()
    assert panel.summarize_button.isEnabled()


def test_sign_emits_payload_with_edits_and_export_pdf(qtbot, runner, tmp_path):
    panel = _panel(qtbot, runner, SummaryService())
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    assert panel.dropped_label.text() == ""          # no model: nothing was checked or dropped
    panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
    panel.editor.insertPlainText("\nDiscussed with patient.")
    with qtbot.waitSignal(panel.signed, timeout=60_000) as blocker:
        panel.sign_button.click()
    payload = blocker.args[0]
    assert payload["status"] == "signed" and payload["signed_by"] == "dr_a"
    assert payload["edited"] and payload["text"].endswith("Discussed with patient.")
    assert panel.editor.isReadOnly()
    out = panel.export_pdf(str(tmp_path / "summary.pdf"))
    data = (tmp_path / "summary.pdf").read_bytes()
    assert out and data.startswith(b"%PDF-") and len(data) > 1000


def test_chinese_referral_kind(qtbot, runner):
    panel = _panel(qtbot, runner, SummaryService())
    panel.set_source(note="主诉：抽搐1次。查体：体温39.5℃。诊断：热性惊厥？处理：转诊县医院。", patient={"name": "李某"})
    panel.set_kind("referral")
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000) as blocker:
        panel.start()
    assert blocker.args[0].kind == "referral"
    text = panel.editor.toPlainText()
    assert "转诊原因" in text and "姓名：李某" in text and "危急" in text


def qtbot_button():
    from PySide6.QtCore import Qt
    return Qt.LeftButton


def test_hover_shows_the_source_span_as_tooltip(qtbot, runner, monkeypatch):
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent

    from lantern.gui import summary_panel as sp

    panel = _panel(qtbot, runner, SummaryService())
    panel.resize(700, 500)
    panel.show()
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    shown = []
    monkeypatch.setattr(sp.QToolTip, "showText", lambda pos, text, *a: shown.append(text))
    doc_pos = panel.editor.toPlainText().index("Doxycycline 100 mg") + 2
    cursor = panel.editor.textCursor()
    cursor.setPosition(doc_pos)
    rect = panel.editor.cursorRect(cursor)
    point = QPoint(rect.center().x() + 2, rect.center().y())
    event = QHelpEvent(QEvent.ToolTip, point, panel.editor.viewport().mapToGlobal(point))
    panel.eventFilter(panel.editor.viewport(), event)
    assert shown and shown[-1].startswith("Doxycycline 100 mg PO BD")
