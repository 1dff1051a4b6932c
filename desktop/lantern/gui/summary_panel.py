"""Summary panel: summarize a note / history / referral, show sources, edit, sign,
print and export PDF.

The structured summary appears at once; when a model is available its wording
streams into a status area and the verified result then replaces the draft.
Each line of the summary remembers its source spans: moving the cursor onto a
line (or hovering it) highlights those spans in the note view, if one is set,
and shows their text below the editor.

Nothing is lost: the panel emits ``draft_changed(payload)`` (status "draft") when
a summary is ready, about two seconds after the clinician's last edit, and
before it forgets what it shows (lock, another encounter); the owner stores it.
:meth:`restore_draft` shows a stored draft again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from lantern.gui import letter_print
from lantern.gui.clinical_lists import DAMAGED_COLOR
from lantern.gui.errors import MessageBox, show_error
from lantern.gui.letter_bar import LetterBar
from lantern.services.letter_layout import (
    LetterContext,
    Letterhead,
    Referrer,
    document_html,
    letter_html,
)
from lantern.services.summaries import Line, Summary, is_unreadable_text, summary_from_payload

LINE_PROPERTY = QTextFormat.Property.UserProperty + 17
DRAFT_SAVE_MS = 2000               # an edited summary is stored this long after the last keystroke
# marked for lupdate here, translated where shown (self.tr(label))
# PySide6's stubs type QT_TRANSLATE_NOOP as returning object; it returns its str message
KINDS: tuple[tuple[str, str], ...] = (  # type: ignore[assignment]
    ("note", QT_TRANSLATE_NOOP("SummaryPanel", "Note (SOAP)")),
    ("history", QT_TRANSLATE_NOOP("SummaryPanel", "Patient history")),
    ("referral", QT_TRANSLATE_NOOP("SummaryPanel", "Referral letter")),
    ("handover", QT_TRANSLATE_NOOP("SummaryPanel", "Handover (I-PASS)")))


class SummaryPanel(QWidget):
    """``summarize`` is a ``SummaryService`` or a callable
    ``(kind, payload, *, use_llm, on_text, cancelled) -> Summary``."""

    summary_ready = Signal(object)     # the verified Summary
    about_to_summarize = Signal()      # before the source is read: a waiting note edit is delivered first
    # store payloads (dicts; ``object`` so Qt keeps the order of the sections), the owner stores them
    signed = Signal(object)            # status "signed"
    draft_changed = Signal(object)     # status "draft"
    output_made = Signal(str)          # "print" / "export" (PDF), after it was made: the owner audits it

    def __init__(self, *, summarize: Any, runner: Any, parent: QWidget | None = None,
                 note_view: QPlainTextEdit | QTextEdit | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        self._service = summarize if hasattr(summarize, "summarize") else None
        self._summarize: Callable[..., Any] = summarize.summarize if self._service else summarize
        self._runner = runner
        self._note_view = note_view
        self._username = username
        self._payload: dict = {}
        self._task: Any = None
        self._run = 0                  # results of an older run (before a clear) are ignored
        self._draft_dirty = False      # the shown summary or its edits are not stored yet
        self._quiet = False            # text set by the panel itself, not an edit
        self.summary: Summary | None = None
        self._lines: list[Line] = []   # the summary's lines, in editor order
        # the letter's letterhead, vault clinic name and referring clinician (the owner sets it)
        self._letter_source: Callable[[], tuple[Letterhead, str, Referrer]] = \
            lambda: (Letterhead(), "", Referrer(self._username))
        self._output_allowed: Callable[[], bool] = lambda: True
        self._build()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self.editor.textChanged.connect(self._edited)

    # -- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.kind_box = QComboBox()
        for key, label in KINDS:
            self.kind_box.addItem(self.tr(label), key)
        self.summarize_button = QPushButton(self.tr("Summarize"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        self.summarize_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        top = QHBoxLayout()
        for w in (self.kind_box, self.summarize_button, self.stop_button):
            top.addWidget(w)
        top.addStretch(1)
        self.letter_bar = LetterBar(self)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

        self.editor = QTextEdit()
        self.editor.setAcceptRichText(False)
        self.editor.setPlaceholderText(self.tr("The summary appears here."))
        self.editor.cursorPositionChanged.connect(self._show_source_at_cursor)
        self.editor.viewport().setMouseTracking(True)
        self.editor.viewport().installEventFilter(self)
        self.stream_view = QPlainTextEdit()
        self.stream_view.setReadOnly(True)
        self.stream_view.setMaximumHeight(80)
        self.stream_view.hide()
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.status_label = QLabel()
        self.dropped_label = QLabel()
        self.dropped_toggle = QPushButton(self.tr("Show dropped"))
        self.dropped_toggle.setCheckable(True)
        self.dropped_toggle.setEnabled(False)
        self.dropped_toggle.toggled.connect(self._toggle_dropped)
        self.dropped_view = QPlainTextEdit()
        self.dropped_view.setReadOnly(True)
        self.dropped_view.hide()
        mid = QHBoxLayout()
        mid.addWidget(self.dropped_label)
        mid.addWidget(self.dropped_toggle)
        mid.addStretch(1)
        mid.addWidget(self.status_label)

        self.sign_button = QPushButton(self.tr("Sign"))
        self.print_button = QPushButton(self.tr("Print…"))
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        for b in (self.sign_button, self.print_button, self.pdf_button):
            b.setEnabled(False)
        self.sign_button.clicked.connect(self.sign)
        self.print_button.clicked.connect(self.print_dialog)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        for b in (self.sign_button, self.print_button, self.pdf_button):
            bottom.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.letter_bar)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.stream_view)
        layout.addWidget(self.source_label)
        layout.addLayout(mid)
        layout.addWidget(self.dropped_view)
        layout.addLayout(bottom)

    # -- input --------------------------------------------------------------------------
    def set_source(self, *, note: str | None = None, notes: list[dict] | None = None,
                   patient: dict | None = None, lang: str | None = None,
                   vitals: dict | None = None, chart_allergies: list | None = None,
                   chart_medications: list | None = None, case: dict | None = None,
                   chart_unreadable: list | None = None,
                   accepted_diagnoses: list[str] | None = None,
                   added_diagnoses: list[str] | None = None, vitals_time: str | None = None) -> None:
        """What the next Summarize works on (a note, or visits ``{date, text[, vitals]}``;
        ``vitals``: the encounter's vitals form, as ``Vitals.as_dict()``;
        ``chart_allergies`` / ``chart_medications``: the patient's recorded lists;
        ``chart_unreadable``: other records of the patient that cannot be read (notes);
        ``case``: age_years, sex and pregnant as the Assessment panel has them;
        ``accepted_diagnoses`` / ``added_diagnoses``: the clinician's decisions there,
        condition ids and free text (the one place a letter takes its diagnoses from);
        ``vitals_time``: when the form's vitals were taken)."""
        self._payload = {k: v for k, v in {"note": note, "notes": notes, "patient": patient,
                                           "lang": lang, "vitals": vitals or None,
                                           "chart_allergies": chart_allergies or None,
                                           "chart_medications": chart_medications or None,
                                           "chart_unreadable": chart_unreadable or None,
                                           "accepted_diagnoses": accepted_diagnoses or None,
                                           "added_diagnoses": added_diagnoses or None,
                                           "vitals_time": vitals_time or None,
                                           **(case or {})}.items()
                         if v is not None}

    def clear_patient_data(self) -> None:
        """Forget the source and every text shown (called when the vault locks and
        when another encounter opens); an unstored draft is emitted first."""
        self.save_draft_now()
        self._run += 1
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.set_source()
        self.summary = None
        self._lines = []
        self._quiet = True
        for view in (self.editor, self.stream_view, self.dropped_view):
            view.clear()
        self._quiet = False
        self.stream_view.hide()
        self.editor.setReadOnly(False)
        for label in (self.source_label, self.dropped_label):
            label.clear()
        self.dropped_toggle.setEnabled(False)
        self._set_running(False)

    def set_username(self, username: str) -> None:
        """Who signs what this panel produces (the unlocked user)."""
        self._username = username

    def set_note_view(self, view: QPlainTextEdit | QTextEdit | None) -> None:
        self._note_view = view

    def set_kind(self, kind: str) -> None:
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))

    def _kind_changed(self, *_args: object) -> None:
        self.letter_bar.setVisible(self.kind_box.currentData() == "referral")

    def set_letter_source(self, source: Callable[[], tuple[Letterhead, str, Referrer]]) -> None:
        """Where a letter's letterhead, the vault's clinic name (when the letterhead has none)
        and the referring clinician come from; called when a letter is printed or stored."""
        self._letter_source = source

    def set_output_guard(self, allowed: Callable[[], bool]) -> None:
        """Whether the user may print or export (checked before the dialog opens)."""
        self._output_allowed = allowed

    # -- running ------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is not None:
            return
        self.save_draft_now()          # edits to the summary shown so far are kept
        self.about_to_summarize.emit()
        kind = self.kind_box.currentData()
        payload = dict(self._payload)
        if kind == "referral" and self.letter_bar.language():
            payload["lang"] = self.letter_bar.language()
        self._quiet = True
        self.editor.clear()
        self._quiet = False
        self.editor.setReadOnly(False)
        self.stream_view.clear()
        self.summary = None
        self._set_running(True)
        summarize = self._summarize
        run = self._run

        def work(ctx: Any) -> Any:
            skeleton = summarize(kind, payload, use_llm=False)
            ctx.emit(("skeleton", skeleton))
            if self._service is not None and not self._service.has_model:
                return skeleton
            return summarize(kind, payload, use_llm=True, cancelled=ctx.cancelled,
                             on_text=lambda t: ctx.emit(("text", t)))

        def current(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda value: handler(value) if run == self._run else None

        self._task = self._runner.submit(work, on_success=current(self._done),
                                         on_failure=current(self._failed),
                                         on_partial=current(self._partial),
                                         label=self.tr("Summarizing…"), lane="model")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _set_running(self, running: bool) -> None:
        self.summarize_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.kind_box.setEnabled(not running)
        for b in (self.sign_button, self.print_button, self.pdf_button):
            b.setEnabled(not running and self.summary is not None)
        self.status_label.setText(self.tr("Summarizing…") if running else "")

    def _partial(self, items: list) -> None:
        for tag, value in items:
            if tag == "skeleton":
                self._show(value)
                self.status_label.setText(self.tr("Structured summary shown; the model is writing…"))
            else:
                self.stream_view.show()
                self.stream_view.moveCursor(QTextCursor.MoveOperation.End)
                self.stream_view.insertPlainText(value)

    def _done(self, summary: Summary) -> None:
        self._task = None
        self.stream_view.hide()
        self._show(summary)
        self._set_running(False)
        self._draft_dirty = True
        self.save_draft_now()
        self.summary_ready.emit(summary)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.stream_view.hide()
        self._set_running(False)
        if self.summary is not None:
            self.status_label.setText(self.tr("Stopped: the structured summary is shown."))
            self._draft_dirty = True
            self.save_draft_now()
        show_error(self, exc)

    # -- display ------------------------------------------------------------------------
    def _set_text_quietly(self, text: str) -> None:
        """Show ``text`` (the clinician's edited summary), replacing only what differs
        from the text shown: the unchanged start and end keep their source links."""
        old = self.editor.toPlainText()
        limit = min(len(old), len(text))
        start = 0
        while start < limit and old[start] == text[start]:
            start += 1
        end = 0
        while end < limit - start and old[-1 - end] == text[-1 - end]:
            end += 1

        def pos(i: int) -> int:         # Qt counts UTF-16 units
            return len(old[:i].encode("utf-16-le")) // 2

        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(pos(start))
        cursor.setPosition(pos(len(old) - end), QTextCursor.MoveMode.KeepAnchor)
        self._quiet = True
        try:
            cursor.insertText(text[start:len(text) - end], QTextCharFormat())
        finally:
            self._quiet = False

    def _show(self, summary: Summary) -> None:
        self.summary = summary
        self.editor.blockSignals(True)
        self.editor.clear()
        cursor = QTextCursor(self.editor.document())
        plain = QTextCharFormat()
        heading = QTextCharFormat()
        heading.setFontWeight(700)
        self._lines = []
        sep = "：" if summary.lang == "zh" else ": "
        first = True
        for key, lines in summary.sections.items():
            if not first:
                cursor.insertText("\n", plain)
            first = False
            cursor.insertText(summary.title(key) + sep.rstrip() + " ", heading)
            if not lines:
                cursor.insertText(summary.section_text(key), plain)
            for i, line in enumerate(lines):
                fmt = QTextCharFormat()
                fmt.setProperty(LINE_PROPERTY, len(self._lines))
                if line.origin == "llm":
                    fmt.setForeground(QColor("#1d4f91"))
                if is_unreadable_text(line.text):        # a chart record that cannot be read
                    fmt.setForeground(DAMAGED_COLOR)
                    fmt.setFontWeight(700)
                if i:
                    cursor.insertText("\n" if len(lines) > 1 else " ", plain)
                cursor.insertText(("- " if len(lines) > 1 else "") + line.text, fmt)
                self._lines.append(line)
        self.editor.blockSignals(False)
        n = len(summary.dropped)
        self.dropped_label.setText(self.tr("%n sentence(s) dropped", "", n) if summary.llm_used else "")
        self.dropped_toggle.setEnabled(n > 0)
        self.dropped_view.setPlainText("\n".join(f"[{d.section}] {d.text} — {', '.join(d.reasons)}"
                                                 for d in summary.dropped))
        warnings = " ".join(summary.warnings)
        self.source_label.setText(warnings)

    def _toggle_dropped(self, on: bool) -> None:
        self.dropped_view.setVisible(on)
        self.dropped_toggle.setText(self.tr("Hide dropped") if on else self.tr("Show dropped"))

    def line_at(self, position: int) -> Line | None:
        """The summary line at a character position of the editor, or None."""
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(min(position + 1, self.editor.document().characterCount() - 1))
        value = cursor.charFormat().property(LINE_PROPERTY)
        if value is None or not isinstance(value, int) or value >= len(self._lines):
            return None
        return self._lines[value]

    def source_text(self, line: Line | None) -> str:
        if self.summary is None or line is None:
            return ""
        docs = self.summary.docs
        return " … ".join(docs[s.doc][s.start:s.end] for s in line.sources if s.doc < len(docs))

    def _show_source_at_cursor(self) -> None:
        line = self.line_at(self.editor.textCursor().position())
        self.highlight(line)

    def highlight(self, line: Line | None) -> None:
        """Show the line's source text and highlight its spans in the note view."""
        text = self.source_text(line)
        self.source_label.setText(self.tr("Source: «%1»").replace("%1", text) if text else "")
        if self._note_view is None:
            return
        selections: list[QTextEdit.ExtraSelection] = []
        if line is not None:
            note = self._note_view.toPlainText()
            docs = self.summary.docs if self.summary is not None else []
            for span in line.sources:
                if span.doc != 0 or span.end > len(note):
                    continue
                if docs and note[span.start:span.end] != docs[0][span.start:span.end]:
                    continue           # the note changed there (or the span is not in it)
                sel = QTextEdit.ExtraSelection()
                sel.cursor = QTextCursor(self._note_view.document())
                sel.cursor.setPosition(span.start)
                sel.cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
                sel.format.setBackground(QColor("#fff2a8"))
                selections.append(sel)
            if selections:
                self._note_view.setTextCursor(QTextCursor(selections[0].cursor))
        self._note_view.setExtraSelections(selections)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.editor.viewport() and event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)   # Qt sends a QHelpEvent for ToolTip
            pos = self.editor.cursorForPosition(help_event.pos()).position()
            text = self.source_text(self.line_at(pos))
            if text:
                QToolTip.showText(help_event.globalPos(), text, self.editor)
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(obj, event)

    # -- window rebuilt in another language ---------------------------------------------
    def export_state(self) -> dict:
        """The draft on screen, with the clinician's edits, for a rebuilt window."""
        return {"kind": self.kind_box.currentData(), "summary": self.summary,
                "text": self.editor.toPlainText(), "signed": self.editor.isReadOnly(),
                "facility": self.letter_bar.facility_box.currentText(),
                "letter_lang": self.letter_bar.language()}

    def import_state(self, state: dict) -> None:
        self.set_kind(state.get("kind") or "note")
        self.letter_bar.set_facility_name(state.get("facility") or "")
        self.letter_bar.set_language(state.get("letter_lang"))
        summary = state.get("summary")
        if summary is None:
            return
        self._show(summary)
        if state.get("text") and state["text"] != self.editor.toPlainText():
            self._set_text_quietly(state["text"])    # keep the clinician's edits
        self._set_running(False)
        if state.get("signed"):
            self.editor.setReadOnly(True)
            self.sign_button.setEnabled(False)

    # -- drafts (stored by the owner) ----------------------------------------------------
    def _edited(self) -> None:
        if self._quiet or self.summary is None or self._task is not None or self.editor.isReadOnly():
            return
        self._draft_dirty = True
        self._draft_timer.start()

    @property
    def has_unsaved_draft(self) -> bool:
        return self._draft_dirty

    def save_draft_now(self) -> None:
        """Emit ``draft_changed`` if the summary shown (or an edit of it) is not stored yet."""
        self._draft_timer.stop()
        if not self._draft_dirty or self.summary is None or self.editor.isReadOnly():
            return
        self._draft_dirty = False
        self.draft_changed.emit(self._store_payload(self.summary, signed_by=None))

    def draft_stored(self) -> None:
        """The owner stored the draft: say so, unless something else is under way."""
        if self._task is None and self.summary is not None and not self.editor.isReadOnly():
            self.status_label.setText(self.tr("Draft saved %1").replace(
                "%1", datetime.now().strftime("%H:%M:%S")))

    def restore_draft(self, payload: dict) -> bool:
        """Show a stored unsigned draft (its text as the clinician left it); not over a
        summary already shown or being written. True when it was shown."""
        if (self._task is not None or self.summary is not None or not isinstance(payload, dict)
                or payload.get("status") != "draft"):
            return False
        summary = summary_from_payload(payload)
        self.set_kind(summary.kind)
        self._show(summary)
        text = payload.get("text")
        if isinstance(text, str) and text != self.editor.toPlainText():
            self._set_text_quietly(text)
        self._draft_dirty = False
        self._set_running(False)
        self.status_label.setText(self.tr("Unsigned draft (restored); edit it, then sign."))
        return True

    # -- sign, print, export ------------------------------------------------------------
    def _store_payload(self, summary: Summary, *, signed_by: str | None) -> dict:
        text = self.editor.toPlainText()
        if self._service is not None and hasattr(self._service, "store_payload"):
            payload = self._service.store_payload(summary, edited_text=text, signed_by=signed_by)
        else:
            payload = {"kind": summary.kind, "text": text,
                       "status": "signed" if signed_by else "draft", "signed_by": signed_by,
                       "llm_used": summary.llm_used}
        if summary.kind == "referral":
            payload["letter"] = self.letter_context().to_dict()   # to whom, from whom, when
        return payload

    def sign(self) -> None:
        if self.summary is None:
            return
        payload = self._store_payload(self.summary, signed_by=self._username or "unknown")
        self._draft_timer.stop()
        self._draft_dirty = False      # the signed row takes the draft's place
        self.editor.setReadOnly(True)
        self.sign_button.setEnabled(False)
        self.status_label.setText(self.tr("Signed."))
        self.signed.emit(payload)

    def letter_context(self) -> LetterContext:
        head, _clinic, referrer = self._letter_source()
        patient = self._payload.get("patient") or {}
        return LetterContext(letterhead=head, referrer=referrer, facility=self.letter_bar.facility(),
                             patient={k: patient.get(k) for k in ("name", "id", "birth_date", "birth_year",
                                                                  "age_years")})

    def document_html(self, *, slip_on_new_page: bool = False) -> str:
        """What prints: the text as edited, black; a referral as a letter."""
        summary = self.summary
        if summary is None:
            return ""
        headings = [summary.title(key) for key in summary.sections]
        body = self.editor.toPlainText()
        if summary.kind == "referral":
            _head, clinic, _referrer = self._letter_source()
            context = self.letter_context()
            return letter_html(body=body, headings=headings, context=context, lang=summary.lang,
                               clinic_fallback=clinic, slip_on_new_page=slip_on_new_page)
        title = self.kind_box.itemText(max(0, self.kind_box.findData(summary.kind)))
        return document_html(title=title, body=body, headings=headings)

    def _footer(self) -> str:
        patient = self._payload.get("patient") or {}
        return " · ".join(str(patient[k]) for k in ("name", "id") if patient.get(k))

    def print_to(self, printer: QPrinter) -> int:
        """Lay out and print the document on ``printer``; returns the number of pages."""
        return letter_print.print_html(lambda brk: self.document_html(slip_on_new_page=brk), printer,
                                       footer=self._footer())

    def _may_output(self) -> bool:
        if self.summary is None:
            return False
        if not self._output_allowed():
            MessageBox.warning(self, title=self.tr("Not allowed"),
                               text=self.tr("Your role may not print or export patient records."))
            return False
        self.save_draft_now()          # what is printed is stored first
        return True

    def print_dialog(self) -> None:
        if self._may_output() and letter_print.print_with_dialog(self, self.print_to):
            self.output_made.emit("print")

    def export_pdf(self, path: str | None = None) -> str | None:
        """Write the summary as PDF to ``path`` (asks for a file when None)."""
        if not self._may_output():
            return None
        name = "referral-letter.pdf" if self.summary and self.summary.kind == "referral" else "summary.pdf"
        written = letter_print.write_pdf(self, self.print_to, path, suggested=name)
        if written is not None:
            self.output_made.emit("export")
        return written
