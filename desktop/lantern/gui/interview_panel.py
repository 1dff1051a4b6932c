"""The "Ask next" side panel (issue 15): the next best questions for the open note.

Each question has Yes / No / Unknown (keys 1 / 2 / 3 answer the selected question,
Up / Down move). An answer is written into the note as a short sentence in the note's
language, as one undoable edit (Ctrl+Z in the note takes it back); a measurement
question focuses its vitals field instead. Nothing else is kept: the answers are read
back from the note (``lantern.services.interview``), so the note stays the single record.
"Unknown" writes nothing and only stops the question being asked while the encounter is
open. A grouped screen question ("Any of these: ...") has the same buttons and keys: "No"
writes the group's one sentence, "Yes" writes nothing and brings its signs to the top one
by one (kept, like "Unknown", while the encounter is open), so the sign present is named.

The questions, the assessment with the answers applied and the counter of what the
answers changed are computed in the ``interview`` lane of the task runner; a newer
request replaces an older one that has not started, and an older result arriving late
is dropped. While the clinician asks, the ``interview-ahead`` lane works out the result
of answering the selected question Yes and No: when the note is then exactly what that
answer makes of it, the panel shows the result at once.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.assessment_panel import BANNER_STYLE, percent
from lantern.gui.theme import set_state
from lantern.services.interview import InterviewResult, answer_edit, answer_line, apply_edit

LANE = "interview"
AHEAD_LANE = "interview-ahead"
ANSWER_KEYS = {Qt.Key.Key_1: "yes", Qt.Key.Key_2: "no", Qt.Key.Key_3: "unknown"}
# one style sheet on the list (a sheet per row is parsed again for every row)
_LIST_STYLE = (
    "QFrame#questionRow { border:1px solid #d0d0d0; border-radius:4px; }"
    "QFrame#questionRow[selected=\"true\"] { border:2px solid #1565c0; background:#e3f2fd; }"
    "QLabel#dangerBadge { background:#b71c1c; color:#ffffff; border-radius:3px; padding:1px 4px; }"
    "QLabel#questionKind { color:#555555; }"
    "QLabel#questionWhy { color:#666666; }")


class _QuestionRow(QFrame):
    answered = Signal(str, str)          # finding, "yes" | "no" | "unknown"
    clicked = Signal()

    def __init__(self, *, number: int, question: Any, text: str, why: str, sentences: tuple[str, str],
                 measure: bool, can_write: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionRow")
        self.question = question
        self.finding = question.finding
        top = QHBoxLayout()
        top.setSpacing(6)
        self.danger = QLabel(self.tr("DANGER SIGN"), self)
        self.danger.setObjectName("dangerBadge")
        self.danger.setVisible(question.danger_sign)
        kind = {"ask": self.tr("Ask"), "look": self.tr("Look"), "measure": self.tr("Measure")}
        self.kind = QLabel(kind.get(question.kind, question.kind), self)
        self.kind.setObjectName("questionKind")
        self.text = QLabel(f"{number}. {text}", self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        top.addWidget(self.danger, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text, 1)
        top.addWidget(self.kind, 0, Qt.AlignmentFlag.AlignTop)
        self.why = QLabel(why, self)
        self.why.setWordWrap(True)
        self.why.setObjectName("questionWhy")
        self.why.setVisible(bool(why))
        buttons = QHBoxLayout()
        labels = ((self.tr("Measure…"), self.tr("Not done"), self.tr("Unknown")) if measure else
                  (self.tr("Yes"), self.tr("No"), self.tr("Unknown")))
        self.buttons: dict[str, QPushButton] = {}
        for key, (answer, label) in enumerate(zip(("yes", "no", "unknown"), labels, strict=True), start=1):
            button = QPushButton(f"{label} ({key})", self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # keys 1/2/3 go to the list
            button.clicked.connect(lambda _c=False, a=answer: self.answered.emit(self.finding, a))
            buttons.addWidget(button)
            self.buttons[answer] = button
        buttons.addStretch(1)
        if question.is_group:       # "yes" writes nothing: its tooltip says what it does
            self.buttons["yes"].setToolTip(sentences[0])
            self.buttons["no"].setToolTip(self.tr("Adds to the note: %1").replace("%1", sentences[1]))
            for answer in ("yes", "no"):
                self.buttons[answer].setEnabled(can_write)
        elif not measure:
            self.buttons["yes"].setToolTip(self.tr("Adds to the note: %1").replace("%1", sentences[0]))
            self.buttons["no"].setToolTip(self.tr("Adds to the note: %1").replace("%1", sentences[1]))
            for answer in ("yes", "no"):
                self.buttons[answer].setEnabled(can_write)
        else:
            self.buttons["yes"].setToolTip(self.tr("Goes to the vitals field to type the value"))
            self.buttons["yes"].setEnabled(can_write)
        self.buttons["unknown"].setToolTip(self.tr("Writes nothing; not asked again in this encounter"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.why)
        layout.addLayout(buttons)

    def set_selected(self, selected: bool) -> None:
        set_state(self, "selected", selected)

    def mousePressEvent(self, event: Any) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class _QuestionList(QWidget):
    """The rows, one selected; Up / Down move, 1 / 2 / 3 answer the selected row."""

    answer_key = Signal(str)
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionList")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(_LIST_STYLE)
        self.rows: list[_QuestionRow] = []
        self.current = -1
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)

    def set_rows(self, rows: list[_QuestionRow], *, keep: str | None) -> None:
        self.current = -1
        for row in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = rows
        for i, row in enumerate(rows):
            self._layout.insertWidget(i, row)
            row.clicked.connect(lambda r=row: self.select(self.rows.index(r)))
        findings = [r.finding for r in rows]
        self.select(findings.index(keep) if keep in findings else 0)

    def select(self, index: int) -> None:
        current = max(0, min(index, len(self.rows) - 1)) if self.rows else -1
        changed = current != self.current
        self.current = current
        for i, row in enumerate(self.rows):
            row.set_selected(i == self.current)
        if changed:
            self.selection_changed.emit()

    def selected(self) -> _QuestionRow | None:
        return self.rows[self.current] if 0 <= self.current < len(self.rows) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Up and self.rows:
            self.select(self.current - 1)
        elif key == Qt.Key.Key_Down and self.rows:
            self.select(self.current + 1)
        elif key in ANSWER_KEYS and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                                           Qt.KeyboardModifier.KeypadModifier):
            self.answer_key.emit(ANSWER_KEYS[Qt.Key(key)])
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class InterviewPanel(QWidget):
    refreshed = Signal(object)              # the InterviewResult, after it is shown
    looked_ahead = Signal(str, str)         # finding, answer: its result is ready in advance
    answer_assessed = Signal(object, dict)  # the assessment after an answer, and its case

    def __init__(self, *, interview: Any, runner: Any, note_view: QPlainTextEdit,
                 vitals_form: Any, parent: QWidget | None = None) -> None:
        """``interview``: an ``InterviewService`` (``next(...)``); ``note_view`` and
        ``vitals_form``: the encounter's note editor and vitals form, where answers go."""
        super().__init__(parent)
        self.setObjectName("interviewPanel")
        self._service, self._runner = interview, runner
        self._note, self._vitals = note_view, vitals_form
        self._case: dict[str, Any] = {"age_years": None, "sex": None, "pregnant": None}
        self._skipped: set[str] = set()
        self._opened: set[str] = set()            # grouped questions answered "yes"
        self._seq = 0
        self._task: Any = None
        self._requested: dict[str, Any] | None = None   # the input of the newest request
        self._ahead: dict[tuple[str, str], tuple[dict, InterviewResult]] = {}
        self._ahead_tasks: list[Any] = []
        self._asked: dict[str, Any] = {}          # finding -> Question on screen
        self.result: InterviewResult | None = None
        self._build()

    # --- layout ------------------------------------------------------------
    def _build(self) -> None:
        self.hint = QLabel(self.tr(
            "Questions that best separate the conditions still in play; danger signs first. "
            "Keys: 1 Yes, 2 No, 3 Unknown; Up/Down to move."), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555; font-style:italic")
        self.counter = QLabel(self.tr("No answers yet."), self)
        self.counter.setObjectName("interviewCounter")
        self.counter.setWordWrap(True)
        self.summary = QLabel("", self)
        self.summary.setObjectName("interviewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel(self.tr("Open an encounter to see questions."), self)
        self.status.setObjectName("interviewStatus")
        self.status.setWordWrap(True)
        self.questions = _QuestionList(self)
        self.questions.answer_key.connect(self._answer_selected)
        self.questions.selection_changed.connect(self._look_ahead)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.questions)
        scroll.setFocusProxy(self.questions)
        self.answered_title = QLabel(self.tr("Answered (from the note)"), self)
        self.answered_title.setStyleSheet("font-weight:bold")
        self.answered = QLabel("", self)
        self.answered.setObjectName("interviewAnswered")
        self.answered.setWordWrap(True)
        self.answered.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.counter)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.answered_title)
        layout.addWidget(self.answered)
        self.setFocusProxy(self.questions)

    def _ui_zh(self) -> bool:
        # the translation in force says which language the clinician reads
        return self.tr("en", "language code of this translation") == "zh"

    # --- input -----------------------------------------------------------------
    def set_input(self, note: str, vitals: Any, age_years: float | None, sex: str | None,
                  pregnant: bool | None) -> None:
        """The encounter changed (typing, vitals, another encounter): ask again."""
        self._case = {"age_years": age_years, "sex": sex, "pregnant": pregnant}
        if self._request() != self._requested:
            self.refresh()      # not after an answer's own edit: that was asked for already

    def encounter_opened(self) -> None:
        self._skipped.clear()
        self._opened.clear()

    def refresh(self, *, after_answer: bool = False) -> Any:
        """Compute the questions for what the note and vitals say now (newest wins)."""
        self._seq += 1
        seq = self._seq
        if self._task is not None and not self._task.done:
            self._task.cancel()             # not started yet: it never runs
        args = self._requested = self._request()
        service = self._service

        def done(result: InterviewResult) -> None:
            if seq == self._seq:
                self._show(result, after_answer=after_answer, args=args)

        def failed(exc: BaseException) -> None:
            from lantern.domain.errors import Cancelled

            if seq == self._seq and not isinstance(exc, Cancelled):
                self.status.setText(self.tr("Questions could not be computed."))
                from lantern.gui.errors import show_error

                show_error(self, exc)

        self._task = self._runner.submit(lambda ctx: service.next(**args), on_success=done,
                                         on_failure=failed, label=self.tr("Choosing questions…"),
                                         lane=LANE)
        return self._task

    def _request(self) -> dict[str, Any]:
        return {"note": self._note.toPlainText(), "vitals": self._vitals.vitals(),
                "skipped": tuple(sorted(self._skipped)), "opened": tuple(sorted(self._opened)),
                "fallback_lang": "zh" if self._ui_zh() else "en", **self._case}

    # --- answering -------------------------------------------------------------
    def _answer_selected(self, answer: str) -> None:
        row = self.questions.selected()
        if row is not None and row.buttons[answer].isEnabled():
            self.answer(row.finding, answer)

    def answer(self, finding: str, answer: str) -> None:
        """Record ``answer`` to the question about ``finding`` (see the module docstring)."""
        question = self._asked.get(finding)
        if answer == "unknown":
            self._skipped.add(finding)
            self.refresh()
            return
        if question is not None and question.is_group and answer == "yes":
            if self._note.isReadOnly():
                return
            self._opened.add(finding)       # its signs next, one by one
            self.refresh()
            return
        if question is not None and question.kind == "measure" and question.vital:
            if answer == "yes":
                edit = self._vitals.edits.get(question.vital)
                if edit is not None:
                    edit.setFocus()
                    edit.selectAll()
                return
            self._skipped.add(finding)
            self.refresh()
            return
        if self._note.isReadOnly():
            return
        lang = self.result.lang if self.result is not None else ("zh" if self._ui_zh() else "en")
        edit = answer_edit(self._note.toPlainText(), finding=finding, answer=answer, lang=lang,
                           kb=self._service.kb, question=question)
        if edit is not None:
            self._write(edit)
        ready = self._ahead.get((finding, answer))
        args = self._request()
        if ready is not None and ready[0] == args:
            self._seq += 1                  # worked out in advance for exactly this note
            if self._task is not None and not self._task.done:
                self._task.cancel()
            self._requested = args
            self._show(ready[1], after_answer=True, args=args)
        else:
            self.refresh(after_answer=True)
        self.questions.setFocus()

    def _look_ahead(self) -> None:
        """Work out, in the background, what answering the selected question gives."""
        for task in self._ahead_tasks:
            task.cancel()                   # those not started never run
        self._ahead_tasks, self._ahead = [], {}
        row, base, result = self.questions.selected(), self._requested, self.result
        if (row is None or base is None or result is None or self._note.isReadOnly()
                or row.question.kind == "measure"):
            return
        service, finding, lang, question = self._service, row.finding, result.lang, row.question

        def work(answer: str) -> tuple[dict, InterviewResult] | None:
            edit = answer_edit(base["note"], finding=finding, answer=answer, lang=lang, kb=service.kb,
                               question=question)
            if edit is None:
                return None
            args = {**base, "note": apply_edit(base["note"], edit)}
            return args, service.next(**args)

        def ready(answer: str, made: tuple[dict, InterviewResult] | None) -> None:
            if made is not None and self._requested is base:
                self._ahead[(finding, answer)] = made
                self.looked_ahead.emit(finding, answer)

        for answer in ("no", "yes"):
            self._ahead_tasks.append(self._runner.submit(
                lambda ctx, a=answer: work(a), on_success=lambda made, a=answer: ready(a, made),
                on_failure=lambda exc: None, label=self.tr("Choosing questions…"), lane=AHEAD_LANE))

    def _write(self, edit: Any) -> None:
        """One undoable edit of the note: the correction marks, then the new line
        (the same text as ``apply_edit``)."""
        doc = self._note.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for line, mark in zip(edit.mark_lines, edit.marks, strict=True):
            block = doc.findBlockByNumber(line)
            cursor.setPosition(block.position() + len(block.text().rstrip()))
            cursor.insertText(mark)
        at = answer_line(doc.toPlainText())
        if at is not None:          # above the assessment or plan, as apply_edit writes it
            cursor.setPosition(doc.findBlockByNumber(at).position())
            cursor.insertText(edit.append + "\n")
            cursor.movePosition(QTextCursor.MoveOperation.Left)
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            text = doc.toPlainText()
            if text.strip() and not text.endswith("\n"):
                cursor.insertText("\n")
            cursor.insertText(edit.append)
        cursor.endEditBlock()
        self._note.setTextCursor(cursor)
        self._note.ensureCursorVisible()

    # --- showing ---------------------------------------------------------------
    def _show(self, result: InterviewResult, *, after_answer: bool, args: dict) -> None:
        self.result = result
        zh = self._ui_zh()
        lang = "zh" if zh else "en"
        selected = self.questions.selected()
        keep = selected.finding if selected is not None else None
        can_write = not self._note.isReadOnly()
        rows = []
        self._asked = {q.finding: q for q in result.questions}
        for i, q in enumerate(result.questions, start=1):
            why = ""
            if q.why:
                names = ("、" if zh else ", ").join(self._service.condition_name(cid, lang)
                                                    for cid in q.why)
                why = self.tr("Separates: %1").replace("%1", names)
            rows.append(_QuestionRow(number=i, question=q, text=q.text_zh if zh else q.text_en,
                                     why=why, sentences=result.sentences.get(q.finding, ("", "")),
                                     measure=q.kind == "measure" and bool(q.vital),
                                     can_write=can_write, parent=self.questions))
        for row in rows:
            row.answered.connect(self.answer)
        self._ahead = {}
        self.questions.set_rows(rows, keep=keep)    # selecting a row looks ahead
        interview = result.interview
        if not result.questions:
            self.status.setText(self.tr("The differential is settled: no question would change it.")
                                if interview.settled else self.tr("No question is worth asking now."))
        elif not can_write:
            self.status.setText(self.tr("The note is signed: answers cannot be added."))
        else:
            self.status.setText("")
        self.status.setVisible(bool(self.status.text()))
        self._show_summary(result, lang)
        self.counter.setText(self._counter_text(result, lang))
        # one line per sentence in the note: a grouped "no" answers every sign of its group
        # with one sentence ("No general danger signs: ...")
        lines = list(dict.fromkeys(("✓ " if a.answer == "yes" else "✗ ") + a.text for a in result.answers))
        self.answered.setText("\n".join(lines[-8:]))
        self.answered_title.setVisible(bool(result.answers))
        self.answered.setVisible(bool(result.answers))
        self.refreshed.emit(result)
        if after_answer:
            case = {k: args[k] for k in ("note", "age_years", "sex", "pregnant")}
            case["vitals"] = args["vitals"].as_dict()
            self.answer_assessed.emit(result.assessment, case)

    def _show_summary(self, result: InterviewResult, lang: str) -> None:
        assessment = result.assessment
        level = {"emergency": self.tr("EMERGENCY"), "urgent": self.tr("URGENT"),
                 "routine": self.tr("ROUTINE")}[assessment.triage.level]
        tops = []
        for i, cand in enumerate(assessment.differential[:3]):
            p = assessment.probabilities[i] if i < len(assessment.probabilities) else cand.score
            name = self._service.condition_name(cand.condition.id, lang)
            tops.append(f"{html.escape(name)} {percent(p)}")
        bg, fg, _word = BANNER_STYLE[assessment.triage.level]
        self.summary.setText(f'<span style="background:{bg}; color:{fg}">&nbsp;<b>{html.escape(level)}</b>'
                             "&nbsp;</span> · " + " · ".join(tops))
        self.summary.setProperty("triage", assessment.triage.level)

    def _counter_text(self, result: InterviewResult, lang: str) -> str:
        c = result.change
        if c.answers == 0 and c.corrections == 0:
            return self.tr("No answers yet.")
        parts = [self.tr("Answers: %1").replace("%1", str(c.answers))]

        def name(cid: str | None) -> str:
            return self._service.condition_name(cid, lang) if cid else "—"

        if c.top_changed:
            parts.append(self.tr("top condition changed: %1 → %2")
                         .replace("%1", name(c.top_before)).replace("%2", name(c.top_after)))
        elif c.p_after is not None:
            before = percent(c.p_before) if c.p_before is not None else "—"
            parts.append(self.tr("%1: %2 → %3").replace("%1", name(c.top_after))
                         .replace("%2", before).replace("%3", percent(c.p_after)))
        if c.triage_before != c.triage_after:
            parts.append(self.tr("triage %1 → %2").replace("%1", self._level(c.triage_before))
                         .replace("%2", self._level(c.triage_after)))
        if c.corrections:
            parts.append(self.tr("corrected: %1").replace("%1", str(c.corrections)))
        return " · ".join(parts)

    def _level(self, level: str) -> str:
        return {"emergency": self.tr("emergency"), "urgent": self.tr("urgent"),
                "routine": self.tr("routine")}.get(level, level)

    # --- lock and rebuild ----------------------------------------------------------
    def clear_patient_data(self) -> None:
        """Forget the questions and answers shown (the vault locked or another encounter)."""
        self._seq += 1
        self._requested = None
        for task in self._ahead_tasks:
            task.cancel()
        self._ahead_tasks, self._ahead = [], {}
        if self._task is not None and not self._task.done:
            self._task.cancel()
        self._skipped.clear()
        self._opened.clear()
        self._asked = {}
        self._case = {"age_years": None, "sex": None, "pregnant": None}
        self.result = None
        self.questions.set_rows([], keep=None)
        self.summary.clear()
        self.counter.setText(self.tr("No answers yet."))
        self.answered.clear()
        self.answered_title.hide()
        self.answered.hide()
        self.status.setText(self.tr("Open an encounter to see questions."))
        self.status.show()

    def export_state(self) -> dict:
        """What a window rebuilt in another language takes over (the skipped questions)."""
        return {"skipped": sorted(self._skipped), "opened": sorted(self._opened)}

    def import_state(self, state: dict) -> None:
        self._skipped = set(state.get("skipped") or ())
        self._opened = set(state.get("opened") or ())
        self.refresh()
