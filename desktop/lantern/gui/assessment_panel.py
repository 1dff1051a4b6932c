"""The "Assess" panel of an encounter: triage banner, ranked differential with
evidence, and the clinician's decision.

``AssessmentPanel(assess=..., runner=...)``: ``assess`` is a callable (for
example an ``AssessmentService``) taking ``note, vitals, age_years, sex,
pregnant`` keywords and returning an ``Assessment``. It runs through the
``TaskRunner`` so the window never blocks. The clinician's choice is emitted as
``decision_made(dict)`` (what was suggested and what was chosen); the caller
stores it.

An optional ``explain`` callable ``explain(assessment, on_text, cancel_event) -> str``
streams an explanation into the embedded ``StreamingPanel`` (with Stop).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.assessment_decisions import DecisionsMixin
from lantern.gui.diagnosis_decisions import (
    CROSS,
    TICK,
    AcceptedDiagnoses,
    CatalogueEntry,
    catalogue_entry,
)
from lantern.gui.formatting import format_age, format_sex

if TYPE_CHECKING:
    from lantern.gui.streaming_panel import StreamingPanel

BANNER_STYLE = {
    "emergency": ("#b71c1c", "#ffffff", "EMERGENCY"),
    "urgent": ("#f9a825", "#000000", "URGENT"),
    "routine": ("#2e7d32", "#ffffff", "ROUTINE"),
}
_FOR_COLOUR, _AGAINST_COLOUR = "#c8e6c9", "#ffcdd2"
# the confidence line: amber for "no confident match", neutral grey for a possible match
CONFIDENCE_STYLE = {
    "low": "background:#fff3cd; color:#5c4400; border:1px solid #e0b400; border-radius:4px",
    "moderate": "background:#f1f1f1; color:#333333; border-radius:4px",
}


def condition_name(condition: Any, zh: bool) -> str:
    name_zh = getattr(condition, "name_zh", "")
    return name_zh if zh and name_zh else condition.name_en


def condition_next_steps(condition: Any, zh: bool) -> tuple[str, ...]:
    """Next steps in the note's language (Chinese when written, else English)."""
    lang = "zh" if zh else "en"
    if hasattr(condition, "next_steps_for"):
        return tuple(condition.next_steps_for(lang))
    return tuple(condition.next_steps)


def condition_refer(condition: Any, zh: bool) -> str:
    """Referral advice in the note's language (Chinese when written, else English)."""
    lang = "zh" if zh else "en"
    return condition.refer_for(lang) if hasattr(condition, "refer_for") else condition.refer


def red_flags(condition: Any) -> tuple[str, ...]:
    """The finding ids the clinician should watch for with this condition (SCHEMA.md §3)."""
    return tuple(getattr(condition, "red_flags", ()))


def highlight_note(note: str, spans_for: list[tuple[int, int]],
                   spans_against: list[tuple[int, int]]) -> str:
    """HTML of ``note`` with evidence spans marked (green for, red against)."""
    marks: list[tuple[int, int, str]] = [(s, e, _FOR_COLOUR) for s, e in spans_for]
    marks += [(s, e, _AGAINST_COLOUR) for s, e in spans_against]
    marks.sort()
    out, pos = [], 0
    for start, end, colour in marks:
        if start < pos or end > len(note):
            continue
        out.append(html.escape(note[pos:start]))
        out.append(f'<span style="background:{colour}">{html.escape(note[start:end])}</span>')
        pos = end
    out.append(html.escape(note[pos:]))
    return "".join(out).replace("\n", "<br>")


def percent(probability: float) -> str:
    """A calibrated probability as the clinician reads it: "72%", "<1%", ">99%"."""
    if probability < 0.005:
        return "<1%"
    return ">99%" if probability > 0.995 else f"{probability:.0%}"


class _ConditionRow(QWidget):
    def __init__(self, name: str, icd10: str, probability: float, band: str,
                 band_width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.mark = QLabel("", self)          # ✓ accepted, ✗ rejected
        self.mark.setFixedWidth(16)
        layout.addWidget(self.mark)
        self.label = QLabel(f"{name}  <span style='color:#666'>{icd10}</span>", self)
        # a narrow list shortens the name (full name in the tooltip), never hides the figure
        self.label.setMinimumWidth(40)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip(f"{name} ({icd10}) — {percent(probability)} · {band}")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setValue(round(probability * 100))
        self.bar.setFormat(percent(probability))
        self.bar.setFixedWidth(56)
        self.band = QLabel(band, self)
        self.band.setStyleSheet("color:#555")
        self.band.setFixedWidth(band_width)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.band)

    def set_state(self, state: str | None) -> None:
        self.mark.setText({"accepted": TICK, "rejected": CROSS}.get(state or "", ""))
        self.mark.setStyleSheet("color:#2e7d32; font-weight:bold" if state == "accepted"
                                else "color:#b71c1c; font-weight:bold")
        self.setProperty("decision", state or "")


class AssessmentPanel(QWidget, DecisionsMixin):
    assessed = Signal(object)        # the Assessment, after it is shown
    assessment_made = Signal(dict)   # a new assessment (not a restored one): store it
    failed = Signal(object)          # the exception
    decision_made = Signal(dict)     # suggestion + clinician choice
    decisions_changed = Signal(list)  # the decisions in force (also when restored or cleared)
    # Assess is about to read its input: a note typed a moment ago (its change still
    # waiting for the editor's debounce) must be delivered first (set_input), so Assess
    # never reads an older note than the one on screen
    about_to_assess = Signal()

    def __init__(self, *, assess: Callable[..., Any], runner: Any,
                 explain: Callable[..., str] | None = None,
                 conditions: list[tuple[str, str]] | None = None,
                 finding_label: Callable[[str, str], str] | None = None,
                 parent: QWidget | None = None) -> None:
        """``finding_label(finding_id, lang)``: the knowledge base's name of a finding
        in "en" or "zh" (evidence is listed in the note's language when given)."""
        super().__init__(parent)
        self.setObjectName("assessmentPanel")
        self._assess, self._runner, self._explain = assess, runner, explain
        self._finding_label = finding_label
        self._input: dict[str, Any] = {"note": "", "vitals": {}, "age_years": None,
                                       "sex": None, "pregnant": None}
        self.assessment: Any = None
        self.decisions: dict[str, dict] = {}       # key -> decision, in the order made
        self._catalogue: list[CatalogueEntry] = []
        self._assessed_case: dict | None = None    # the input the shown assessment was made on
        self._restored: dict | None = None         # a stored record being shown again
        self._can_decide = True
        self.chronic: frozenset[str] = frozenset()
        self._build(conditions)

    # --- layout -----------------------------------------------------------
    def _build(self, conditions: list[tuple[str, str]] | None) -> None:
        self.disclaimer = QLabel(self.tr(
            "Decision support only — not a diagnosis. The clinician examines the patient, "
            "decides and is responsible for care."), self)
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setStyleSheet("color:#555; font-style:italic")
        self.assess_button = QPushButton(self.tr("Assess"), self)
        self.assess_button.clicked.connect(self.run_assessment)
        self.kb_label = QLabel("", self)
        self.banner = QLabel(self.tr("Not assessed yet."), self)
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setMargin(8)
        self.warnings = QLabel("", self)
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color:#8a6d00")
        self.confidence = QLabel("", self)     # "no confident match …" (issue 11)
        self.confidence.setObjectName("confidenceLine")
        self.confidence.setWordWrap(True)
        self.confidence.setMargin(6)
        self.confidence.setVisible(False)
        self.differential = QListWidget(self)
        self.differential.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.differential.currentRowChanged.connect(self._show_condition)
        self.differential.currentRowChanged.connect(lambda _row: self._refresh_decisions())
        self.differential.setToolTip(self.tr(
            "Each figure is calibrated: of the cases in Lantern's test sets shown with about this "
            "figure, this share had the condition. Figures of different conditions need not add "
            "up to 100%."))
        self.details = QTextBrowser(self)
        self.details.setOpenExternalLinks(False)
        self.accepted_box = AcceptedDiagnoses(self)
        self.accepted_box.remove_requested.connect(lambda key: self.undo(key))
        self.decision_status = QLabel("", self)
        self.decision_status.setObjectName("decisionStatus")
        self.decision_status.setWordWrap(True)
        self.accept_button = QPushButton(self.tr("Accept"), self)
        self.accept_button.setToolTip(self.tr("Accept the selected diagnosis (Ctrl+Enter); "
                                              "press again to un-accept"))
        self.reject_button = QPushButton(self.tr("Reject"), self)
        self.reject_button.setToolTip(self.tr("Reject the selected diagnosis (Ctrl+Shift+Enter); "
                                              "press again to undo"))
        self.add_combo = QComboBox(self)
        self.add_combo.setEditable(True)
        self.add_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # sized by a short text, not by the longest condition name (which made the panel
        # 650 px wide at least and squeezed the patient list on a 1366 px screen)
        self.add_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.add_combo.setMinimumContentsLength(14)
        self.add_combo.setMinimumWidth(160)
        other = self.tr("Other diagnosis (English or Chinese name, or free text)…")
        self.add_combo.setPlaceholderText(other)
        self.add_combo.setToolTip(other)
        completer = QCompleter(self.add_combo.model(), self.add_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.add_combo.setCompleter(completer)
        self.set_conditions(conditions or [])
        self.add_button = QPushButton(self.tr("Add diagnosis"), self)
        self.add_button.setToolTip(self.tr("Add this diagnosis as accepted (Enter in the box)"))
        self.accept_button.clicked.connect(lambda: self._decide("accept"))
        self.reject_button.clicked.connect(lambda: self._decide("reject"))
        self.add_button.clicked.connect(self._add_diagnosis)
        line = self.add_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(other)   # an editable box shows its line edit's own
            line.returnPressed.connect(self._add_diagnosis)
        for keys, slot in (("Ctrl+Return", lambda: self._decide("accept")),
                           ("Ctrl+Enter", lambda: self._decide("accept")),
                           ("Ctrl+Shift+Return", lambda: self._decide("reject")),
                           ("Ctrl+Shift+Enter", lambda: self._decide("reject")),
                           ("Ctrl+Z", self.undo_last)):
            QShortcut(QKeySequence(keys), self, slot,
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for b in (self.accept_button, self.reject_button):
            b.setEnabled(False)
        self.explanation = self._make_explanation_panel()

        # the age and sex the rules are applied for (IMCI cut-offs change with months)
        self.case_label = QLabel(self)
        self.case_label.setObjectName("assessedFor")
        top = QHBoxLayout()
        top.addWidget(self.assess_button)
        top.addWidget(self.case_label)
        top.addWidget(self.kb_label, 1)
        decide = QHBoxLayout()
        decide.addWidget(self.accept_button)
        decide.addWidget(self.reject_button)
        decide.addWidget(self.add_combo, 1)
        decide.addWidget(self.add_button)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.differential)
        split.addWidget(self.details)
        split.setSizes([330, 350])
        layout = QVBoxLayout(self)
        layout.addWidget(self.disclaimer)
        layout.addLayout(top)
        layout.addWidget(self.accepted_box)
        layout.addWidget(self.banner)
        layout.addWidget(self.warnings)
        layout.addWidget(self.confidence)
        layout.addWidget(split, 1)
        layout.addLayout(decide)
        layout.addWidget(self.decision_status)
        if self.explanation is not None:
            self.explain_button = QPushButton(self.tr("Explain (language model)"), self)
            self.explain_button.setEnabled(False)
            self.explain_button.clicked.connect(self.run_explanation)
            layout.addWidget(self.explain_button)
            layout.addWidget(self.explanation)

    def _make_explanation_panel(self) -> StreamingPanel | None:
        """Hook: the streaming panel for the LLM explanation, only when ``explain`` is given."""
        if self._explain is None:
            return None
        try:
            from lantern.gui.streaming_panel import StreamingPanel
        except ImportError:
            return None
        return StreamingPanel(parent=self, placeholder=self.tr(
            "A short explanation from the language model, checked against the note."))

    def set_conditions(self, conditions: list[tuple]) -> None:
        """The knowledge base's conditions offered by "Add diagnosis": ``(id, name_en)`` or
        ``(id, name_en, name_zh, icd10)``; either name finds a condition."""
        self._catalogue = [catalogue_entry(item) for item in conditions]
        self.add_combo.clear()
        for entry in self._catalogue:
            self.add_combo.addItem(entry.label, entry.condition_id)
        self.add_combo.setCurrentIndex(-1)

    # --- input / running --------------------------------------------------
    def set_input(self, note: str, vitals: Any, age_years: float | None, sex: str | None,
                  pregnant: bool | None) -> None:
        if vitals is not None and hasattr(vitals, "as_dict"):
            vitals = vitals.as_dict()
        self._input = {"note": note or "", "vitals": dict(vitals or {}), "age_years": age_years,
                       "sex": sex, "pregnant": pregnant}
        facts = [format_age(age_years)] if age_years is not None else []
        if sex in ("male", "female"):
            facts.append(format_sex(sex))
        self.case_label.setText(self.tr("For: %1").replace("%1", " · ".join(facts)) if facts else "")

    def set_assess(self, assess: Callable[..., Any]) -> None:
        """Another ``assess`` callable (same keywords), e.g. one that applies the note's
        interview answers (``InterviewService.assess``)."""
        self._assess = assess

    def show_assessment(self, assessment: Any, case: dict) -> None:
        """An assessment made elsewhere for ``case`` (the Ask next panel, after an answer):
        shown and stored like one made here."""
        self._restored = None
        self._assessed_case = dict(case)
        self._assessment_ready(assessment)

    def run_assessment(self) -> Any:
        self._restored = None
        self.about_to_assess.emit()
        return self._submit(dict(self._input))

    def _submit(self, args: dict) -> Any:
        self.assess_button.setEnabled(False)
        self.banner.setText(self.tr("Assessing…"))
        self._assessed_case = dict(args)
        return self._runner.submit(
            lambda ctx: self._assess(**args), on_success=self._assessment_ready,
            on_failure=self._on_failure, label=self.tr("Assessing…"), lane="assessment")

    # --- lock and rebuild -------------------------------------------------
    def clear_patient_data(self) -> None:
        """Forget the note, the result and every text quoted from it (the vault locked)."""
        self.set_input("", None, None, None, None)
        self.assessment = None
        self.decisions = {}
        self._assessed_case = self._restored = None
        self.accepted_box.show_decisions([], zh=False)
        self.decision_status.clear()
        self.differential.clear()
        self.details.clear()
        self.warnings.clear()
        self._show_confidence(None, zh=False)
        self.banner.setText(self.tr("Not assessed yet."))
        self.banner.setStyleSheet("")
        self.banner.setProperty("triage", None)
        for b in (self.accept_button, self.reject_button):
            b.setEnabled(False)
        if self.explanation is not None:
            self.explanation.text.clear()
            self.explanation.status.clear()
            self.explain_button.setEnabled(False)

    def export_state(self) -> dict:
        """The result on screen, for a window rebuilt in another language."""
        return {"assessment": self.assessment, "row": self.differential.currentRow(),
                "decisions": dict(self.decisions), "case": self._assessed_case}

    def import_state(self, state: dict) -> None:
        self.decisions = dict(state.get("decisions") or {})
        self._assessed_case = state.get("case")
        self._refresh_decisions()
        if state.get("assessment") is not None:
            self._show_result(state["assessment"])
            if state.get("row", -1) >= 0:
                self.differential.setCurrentRow(state["row"])

    def _on_failure(self, exc: BaseException) -> None:
        self.assess_button.setEnabled(True)
        self.banner.setText(self.tr("Assessment failed."))
        self.banner.setStyleSheet("")
        try:
            from lantern.gui.errors import show_error

            show_error(self, exc)
        finally:
            self.failed.emit(exc)

    # --- showing ----------------------------------------------------------
    def _assessment_ready(self, assessment: Any) -> None:
        fresh = self._restored is None
        self._show_result(assessment)
        if fresh:
            self.assessment_made.emit(self._payload("assess", None, ""))

    def _show_result(self, assessment: Any) -> None:
        self.assessment = assessment
        self.assess_button.setEnabled(True)
        level = assessment.triage.level
        bg, fg, _word = BANNER_STYLE[level]
        word = {"emergency": self.tr("EMERGENCY"), "urgent": self.tr("URGENT"),
                "routine": self.tr("ROUTINE")}[level]
        zh = assessment.lang == "zh"     # knowledge text follows the note's language
        signs = [html.escape(s.rule.label_zh if zh and s.rule.label_zh else s.rule.label_en)
                 for s in assessment.triage.signs]
        text = f"<b>{word}</b>"
        if signs:
            text += " — " + "; ".join(signs)
        self.banner.setText(text)
        self.banner.setStyleSheet(f"background:{bg}; color:{fg}; border-radius:4px")
        self.banner.setProperty("triage", level)
        self.kb_label.setText(self.tr("Knowledge base {0}").format(assessment.kb_version))
        self.warnings.setText("\n".join(assessment.warnings))
        self.warnings.setVisible(bool(assessment.warnings))
        self._show_confidence(getattr(assessment, "confidence", None), zh=zh)
        self.differential.clear()
        # the band column is as wide as its longest word in the UI language, no wider
        band_width = 4 + max(self.fontMetrics().horizontalAdvance(self._band_word(b))
                             for b in ("likely", "possible", "less likely"))
        for i, cand in enumerate(assessment.differential):
            item = QListWidgetItem(self.differential)
            p = self._probability(i)
            row = _ConditionRow(condition_name(cand.condition, zh), cand.condition.icd10,
                                p, self._band_word(assessment.band(p)), band_width)
            item.setSizeHint(row.sizeHint())
            item.setData(Qt.ItemDataRole.UserRole, cand.condition.id)
            self.differential.setItemWidget(item, row)
        self._refresh_decisions()
        self._check_restored(assessment)
        for b in (self.accept_button, self.reject_button):
            b.setEnabled(bool(assessment.differential) and self._can_decide)
        if self.explanation is not None:
            self.explain_button.setEnabled(bool(assessment.differential))
        if assessment.differential:
            self.differential.setCurrentRow(0)
        else:
            self.details.setHtml("")
        self.assessed.emit(assessment)

    def _probability(self, row: int) -> float:
        """The calibrated probability shown for a row (the raw score if there is none)."""
        probs = getattr(self.assessment, "probabilities", None) or []
        return probs[row] if row < len(probs) else self.assessment.differential[row].score

    def _band_word(self, band: str) -> str:
        return {"likely": self.tr("likely"), "possible": self.tr("possible"),
                "less likely": self.tr("less likely")}.get(band, band)

    def _show_confidence(self, confidence: Any, *, zh: bool) -> None:
        """The line above the differential: amber when nothing in the knowledge base fits
        well, grey for a possible match only; hidden for a confident match."""
        message = ""
        if confidence is not None:
            message = confidence.message_zh if zh else confidence.message_en
        self.confidence.setText(message)
        self.confidence.setProperty("level", confidence.level if confidence else None)
        self.confidence.setStyleSheet(CONFIDENCE_STYLE.get(confidence.level, "")
                                      if confidence is not None else "")
        self.confidence.setVisible(bool(message))

    def _show_condition(self, row: int) -> None:
        if self.assessment is None or not 0 <= row < len(self.assessment.differential):
            return
        cand = self.assessment.differential[row]
        cond = cand.condition
        note = self.assessment.case.note
        zh = self.assessment.lang == "zh"
        # pyside6-lupdate does not see self.tr() inside f-strings: translate first
        evidence_for, evidence_against = self.tr("Evidence for"), self.tr("Evidence against")
        next_steps, referral, source = self.tr("Next steps"), self.tr("Referral"), self.tr("Source")
        watch_for, in_note = self.tr("Watch for"), self.tr("{0} (in the note)")
        absent = html.escape(self.tr("absent"))
        p = self._probability(row)
        score = html.escape(f"{percent(p)} · {self._band_word(self.assessment.band(p))}")

        def spans(evidence: list[Any]) -> list[tuple[int, int]]:
            return [(e.finding.span.start, e.finding.span.end) for e in evidence
                    if e.finding.span is not None and e.finding.source != "vitals"]

        def label(finding: Any) -> str:
            if zh and self._finding_label is not None:
                return self._finding_label(finding.id, "zh")
            return finding.label

        def items(evidence: list[Any]) -> str:
            return "".join(f"<li>{html.escape(label(e.finding))}"
                           f"{f' ({absent})' if e.finding.negated else ''} — LR {e.lr:.2g}</li>"
                           for e in evidence) or "<li>—</li>"

        steps = "".join(f"<li>{html.escape(s)}</li>" for s in condition_next_steps(cond, zh))
        doses = self._doses(cond, zh)
        present = self.assessment.extraction.present()
        flags = "; ".join(
            f"<b>{html.escape(in_note.format(self._flag_label(fid, zh, present)))}</b>"
            if fid in present else html.escape(self._flag_label(fid, zh, present))
            for fid in red_flags(cond))
        watch = (f'<p style="color:#b71c1c"><b>{html.escape(watch_for)}:</b> {flags}</p>'
                 if flags else "")
        self.details.setHtml(
            f"<h3>{html.escape(condition_name(cond, zh))} <small>{html.escape(cond.icd10)} · "
            f"{score}</small></h3>"
            f"<p>{highlight_note(note, spans(cand.evidence_for), spans(cand.evidence_against))}</p>"
            f"<b>{html.escape(evidence_for)}</b><ul>{items(cand.evidence_for)}</ul>"
            f"<b>{html.escape(evidence_against)}</b><ul>{items(cand.evidence_against)}</ul>"
            f"<b>{html.escape(next_steps)}</b><ul>{steps}</ul>"
            f"{doses}"
            f"{watch}"
            f"<p><b>{html.escape(referral)}:</b> {html.escape(condition_refer(cond, zh))}</p>"
            f"<p><small><b>{html.escape(source)}:</b> {html.escape(cond.source)}</small></p>"
        )

    def _doses(self, cond: Any, zh: bool) -> str:
        """The dose for this patient of each formulary medicine the next steps name (issue 14);
        a dose the calculator cannot give (no weight for a child) says what it needs, in amber."""
        from lantern.clinical.prescribing.next_steps import next_step_doses

        case = self.assessment.case
        lines = next_step_doses(
            condition_id=cond.id, steps=tuple(getattr(cond, "next_steps", ())), age_years=case.age_years,
            weight_kg=getattr(case.vitals, "weight_kg", None), pregnant=bool(case.pregnant),
            lang="zh" if zh else "en")
        if not lines:
            return ""
        title = self.tr("Dose for this patient")
        items = "".join(f'<li>{html.escape(d.text)} <small style="color:#555">({html.escape(d.source)})</small></li>'
                        if d.computed else f'<li style="color:#8a5a00">{html.escape(d.text)}</li>' for d in lines)
        return f"<b>{html.escape(title)}</b><ul>{items}</ul>"

    def _flag_label(self, finding_id: str, zh: bool, present: dict[str, Any]) -> str:
        """A red flag's name in the note's language: the knowledge base's label when the
        panel has one, else the label the extraction gave it, else the id in words."""
        if self._finding_label is not None:
            return self._finding_label(finding_id, "zh" if zh else "en")
        if finding_id in present:
            return present[finding_id].label
        return finding_id.replace("_", " ")

    # --- explanation ------------------------------------------------------
    def run_explanation(self) -> Any:
        if self.explanation is None or self.assessment is None or self._explain is None:
            return None
        assessment, explain = self.assessment, self._explain
        return self.explanation.run(
            lambda ctx: explain(assessment, ctx.emit, ctx.cancelled), runner=self._runner,
            label="Explaining…")
