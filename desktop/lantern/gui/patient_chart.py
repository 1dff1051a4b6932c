"""The patient chart: header, allergy banner, encounters and clinical lists.

The header and the allergy banner stay visible above everything else, also
while an encounter is open (the encounter view is a page of this chart).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lantern.clinical.language.allergies import extract_allergies
from lantern.domain.records import Encounter, NoteStatus, Patient, UnreadableRecord
from lantern.gui.clinical_lists import (
    ClinicalListPanel,
    allergy_kind,
    damaged_cell,
    damaged_text,
    damaged_tooltip,
    medication_kind,
    problem_kind,
)
from lantern.gui.encounter_view import EncounterView
from lantern.gui.formatting import format_age, format_date, format_sex
from lantern.gui.growth_panel import GrowthPanel
from lantern.gui.merge_bar import MergeBar
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary, set_state

PAGE_TABS, PAGE_ENCOUNTER = 0, 1


class AllergyBanner(QLabel):
    """Red with the allergies and any allergy record that cannot be read, or a calm
    "Allergies: none recorded" when the list is empty. It never says "no known
    allergies": the chart has no record that positively says so."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("allergyBanner")
        self.setWordWrap(True)
        self.show_unknown()

    def show_unknown(self) -> None:
        self.setToolTip("")
        self.setText(self.tr("Allergies: loading…"))
        set_state(self, "state", "unknown")

    def show_allergies(self, allergies: list[Any]) -> None:
        unreadable = [a for a in allergies if isinstance(a, UnreadableRecord)]
        allergies = [a for a in allergies if not isinstance(a, UnreadableRecord)]
        # a record that only denies an allergy ("no penicillin allergy", "无青霉素过敏") is no
        # allergy: said as written after the allergies, never in red on its own
        denials = [a.substance for a in allergies if _only_denies(a)]
        allergies = [a for a in allergies if not _only_denies(a)]
        said = f" — {'; '.join(denials)}" if denials else ""
        self.setToolTip("\n".join(damaged_tooltip(u) for u in unreadable))
        if not allergies and not unreadable:
            self.setText(self.tr("Allergies: none recorded") + said)
            set_state(self, "state", "none")
            return
        parts = []
        if unreadable:
            parts.append(damaged_text() if len(unreadable) == 1 else
                         self.tr("%1 (%2 records)").replace("%1", damaged_text())
                         .replace("%2", str(len(unreadable))))
        for a in allergies:
            severity = (QCoreApplication.translate("ClinicalListPanel", a.severity)
                        if a.severity in ("mild", "moderate", "severe") else a.severity)
            detail = ", ".join(x for x in (a.reaction, severity) if x)
            parts.append(f"{a.substance} ({detail})" if detail else a.substance)
        self.setText(self.tr("⚠ ALLERGIES: %1").replace("%1", "; ".join(parts)) + said)
        set_state(self, "state", "allergies")


def _only_denies(record: Any) -> bool:
    """The chart record denies an allergy to what it names and records none (issue 13)."""
    read = extract_allergies(record.substance)
    return bool(read.denied) and not read.allergies and not record.reaction


class PatientChart(QWidget):
    edit_patient_requested = Signal(object)    # Patient
    patient_loaded = Signal(object)            # Patient
    records_merged = Signal(object)            # the kept Patient, after a merge or unmerge

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientChart")
        self._bridge = bridge
        self._patient: Patient | None = None
        self._pending_id: str | None = None      # the patient being opened
        self._encounters: list[Encounter | UnreadableRecord] = []

        header = QFrame(self)
        header.setObjectName("patientHeader")
        self.name_label = QLabel(header)
        self.name_label.setObjectName("patientName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = QLabel(header)
        self.facts_label.setObjectName("patientFacts")
        self.edit_button = QPushButton(self.tr("&Edit details…"), header)
        self.edit_button.clicked.connect(self._edit_clicked)
        self.caregiver_label = QLabel(header)
        self.caregiver_label.setObjectName("patientCaregiver")
        self.caregiver_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caregiver_label.hide()
        self.merge_bar = MergeBar(bridge=bridge, parent=header)
        self.merge_bar.changed.connect(self._after_merge)
        self.banner = AllergyBanner(header)
        # values another laptop wrote at the same time, which lost (kept in the sync history)
        self.conflict_label = QLabel(header)
        self.conflict_label.setObjectName("syncConflicts")
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.conflict_label.hide()
        hrow = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.name_label)
        names.addWidget(self.facts_label)
        names.addWidget(self.caregiver_label)
        hrow.addLayout(names, 1)
        hrow.addWidget(self.merge_bar, 0, Qt.AlignmentFlag.AlignTop)
        hrow.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        hbox = QVBoxLayout(header)
        hbox.setContentsMargins(12, 8, 12, 8)
        hbox.addLayout(hrow)
        hbox.addWidget(self.banner)
        hbox.addWidget(self.conflict_label)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("chartTabs")
        self.tabs.addTab(self._build_encounters_tab(), self.tr("Enc&ounters"))
        self.allergies = ClinicalListPanel(kind=allergy_kind(), bridge=bridge, parent=self)
        self.medications = ClinicalListPanel(kind=medication_kind(), bridge=bridge, parent=self)
        self.problems = ClinicalListPanel(kind=problem_kind(), bridge=bridge, parent=self)
        self.tabs.addTab(self.allergies, self.tr("A&llergies"))
        self.tabs.addTab(self.medications, self.tr("Me&dications"))
        self.tabs.addTab(self.problems, self.tr("Pro&blems"))
        self.growth = GrowthPanel(self)
        self.growth_tab = self.tabs.addTab(self.growth, self.tr("&Growth"))
        self.tabs.setTabVisible(self.growth_tab, False)
        self.allergies.loaded.connect(lambda _k, items: self.banner.show_allergies(items))
        self._tab_titles = [self.tabs.tabText(i) for i in range(self.tabs.count())]
        for index, panel in ((1, self.allergies), (2, self.medications), (3, self.problems)):
            panel.loaded.connect(lambda _k, items, i=index: self._set_tab_count(i, len(items)))

        self.encounter_view = EncounterView(bridge=bridge, parent=self)
        self.encounter_view.back_requested.connect(self.show_tabs)
        self.encounter_view.saved.connect(lambda _e: self._reload_encounters())
        self.encounter_view.signed.connect(lambda _e: self._reload_encounters())
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.tabs)
        self.pages.addWidget(self.encounter_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        body = QVBoxLayout()
        body.setContentsMargins(8, 8, 8, 8)
        body.addWidget(self.pages, 1)
        layout.addLayout(body, 1)

    def _set_tab_count(self, index: int, count: int) -> None:
        title = self._tab_titles[index]
        self.tabs.setTabText(index, f"{title} ({count})" if count else title)

    def _build_encounters_tab(self) -> QWidget:
        page = QWidget(self)
        self.encounter_table = QTableWidget(0, 4, page)
        self.encounter_table.setObjectName("encounterTable")
        self.encounter_table.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Author"), self.tr("Status"), self.tr("Note")])
        self.encounter_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.encounter_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.encounter_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.encounter_table.verticalHeader().hide()
        self.encounter_table.setAlternatingRowColors(True)
        header = self.encounter_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.encounter_table.cellActivated.connect(lambda r, _c: self.open_encounter_row(r))
        self.encounter_table.cellDoubleClicked.connect(lambda r, _c: self.open_encounter_row(r))
        self.new_encounter_button = set_primary(QPushButton(self.tr("&New encounter"), page))
        self.new_encounter_button.setToolTip(self.tr("Start a new encounter (Ctrl+E)"))
        self.new_encounter_button.clicked.connect(self.new_encounter)
        self.open_button = QPushButton(self.tr("Open"), page)
        self.open_button.clicked.connect(
            lambda: self.open_encounter_row(self.encounter_table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_encounter_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.encounter_table, 1)
        layout.addLayout(buttons)
        return page

    # --- public API ---------------------------------------------------------------
    @property
    def patient(self) -> Patient | None:
        return self._patient

    def open_patient(self, patient_id: str, *, encounter_id: str | None = None) -> None:
        """Show a patient's chart; ``encounter_id``: then open that encounter."""
        if self.pages.currentIndex() == PAGE_ENCOUNTER:
            self.encounter_view.save_now()
        self.clear()
        self._pending_id = patient_id
        self._pending_encounter_id = encounter_id
        self._bridge.call(lambda s: s.records.get_patient(patient_id),
                          on_success=self._show_patient, label=self.tr("Opening chart…"))

    def _show_patient(self, patient: Patient) -> None:
        if self._pending_id != patient.id:
            return
        self._patient = patient
        self.show_header(patient)
        self._load_conflicts(patient.id)
        self._reload_encounters()
        for panel in (self.allergies, self.medications, self.problems):
            panel.load(patient.id)
        self.patient_loaded.emit(patient)

    def show_header(self, patient: Patient) -> None:
        self.name_label.setText(patient.name)
        facts = [format_age(patient.age()), format_sex(patient.sex)]
        if patient.birth_date:
            facts.append(self.tr("born %1").replace("%1", patient.birth_date.isoformat()))
        elif patient.birth_year:
            facts.append(self.tr("born %1").replace("%1", str(patient.birth_year)))
        if patient.village:
            facts.append(patient.village)
        if patient.phone:
            facts.append(patient.phone)
        facts.append(self.tr("ID %1").replace("%1", patient.id))
        self.facts_label.setText("  ·  ".join(facts))
        self.caregiver_label.setText(self.tr("Caregiver: %1").replace("%1", patient.caregiver.line()))
        self.caregiver_label.setVisible(bool(patient.caregiver))
        self.merge_bar.show_patient(patient)

    def _load_conflicts(self, patient_id: str) -> None:
        from lantern.services.sync.events import patient_conflicts

        self._bridge.call(lambda s: patient_conflicts(s.context, patient_id),
                          on_success=lambda found: self.show_conflicts(patient_id, found),
                          on_failure=lambda exc: self.conflict_label.hide())

    def show_conflicts(self, patient_id: str, conflicts: list[Any]) -> None:
        """'Also changed on laptop X': the values of this patient's records (details,
        notes, allergies, medications, problems, ...) that lost a concurrent edit on
        another laptop, newest first (issue 18, parts 1 and 6). Three lines; all of
        them in the tooltip."""
        if self._patient is None or self._patient.id != patient_id or not conflicts:
            self.conflict_label.hide()
            self.conflict_label.setToolTip("")
            return
        lines = [self.tr("Also changed on %1 by %2: %3 “%4” (kept in the sync history).")
                 .replace("%1", c.laptop).replace("%2", c.author or "?")
                 .replace("%3", self._what(c)).replace("%4", _shown(c.value))
                 for c in reversed(conflicts)]
        more = len(lines) - 3
        text = "\n".join(lines[:3])
        if more > 0:
            text += "\n" + self.tr("… and %1 more (hover to see all).").replace("%1", str(more))
        self.conflict_label.setText(text)
        self.conflict_label.setToolTip("\n".join(lines) if more > 0 else "")
        self.conflict_label.show()

    def _what(self, conflict: Any) -> str:
        """The changed value's place: 'village', 'allergy penicillin: reaction',
        'note of 2026-12-01: note'."""
        field_label = self._field_label(conflict.field)
        kinds = {"encounters": self.tr("note of %1"), "allergies": self.tr("allergy %1"),
                 "medications": self.tr("medication %1"), "problems": self.tr("problem %1"),
                 "assessments": self.tr("assessment %1"), "summaries": self.tr("summary %1"),
                 "followups": self.tr("follow-up %1")}
        kind = kinds.get(conflict.table)
        if kind is None:
            return field_label
        return (kind.replace("%1", conflict.subject).strip() + ": " + field_label)

    def _field_label(self, name: str) -> str:
        labels = {"name": self.tr("name"), "village": self.tr("village"), "phone": self.tr("phone"),
                  "sex": self.tr("sex"), "birth_year": self.tr("year of birth"),
                  "birth_date": self.tr("date of birth"), "caregiver": self.tr("caregiver"),
                  "note": self.tr("text")}
        return labels.get(name, name.replace("_", " "))

    def _reload_encounters(self) -> None:
        patient = self._patient
        if patient is None:
            return
        self._bridge.call(lambda s: s.records.list_encounters(patient.id),
                          on_success=lambda encs: self._show_encounters(patient.id, encs))

    def _show_encounters(self, patient_id: str, encounters: list[Encounter | UnreadableRecord]) -> None:
        if self._patient is None or self._patient.id != patient_id:
            return
        self._encounters = list(encounters)
        table = self.encounter_table
        table.setRowCount(len(encounters))
        for r, enc in enumerate(encounters):
            if isinstance(enc, UnreadableRecord):
                self._show_unreadable_note(r, enc)
                continue
            status = self.tr("signed") if enc.status == NoteStatus.SIGNED else self.tr("draft")
            if enc.amendments:
                status += self.tr(" + amendments: %1").replace("%1", str(len(enc.amendments)))
            first_line = enc.note.strip().splitlines()[0] if enc.note.strip() else ""
            for c, text in enumerate((format_date(enc.created_at), enc.author, status,
                                      first_line[:120])):
                table.setItem(r, c, QTableWidgetItem(text))
        self._set_tab_count(0, len(encounters))
        if encounters and table.currentRow() < 0:
            table.setCurrentCell(0, 0)     # the latest visit: Enter opens it from the keyboard
        child = GrowthPanel.applies_to(self._patient)
        self.tabs.setTabVisible(self.growth_tab, child)
        if child:
            self.growth.show_child(self._patient, self._encounters)
        wanted, self._pending_encounter_id = getattr(self, "_pending_encounter_id", None), None
        for enc in encounters if wanted else ():
            if enc.id == wanted and isinstance(enc, Encounter):
                self.show_encounter(enc)
                break

    def _show_unreadable_note(self, row: int, item: UnreadableRecord) -> None:
        """A note that cannot be read keeps a row: a red "record damaged" that does not open."""
        for c, text in enumerate(("", "", self.tr("damaged"), "⚠ " + damaged_text())):
            self.encounter_table.setItem(row, c, damaged_cell(text, item))

    def open_encounter_row(self, row: int) -> None:
        if self._patient is None or not 0 <= row < len(self._encounters):
            return
        enc = self._encounters[row]
        if isinstance(enc, Encounter):          # a damaged note has nothing to open
            self.show_encounter(enc)

    def new_encounter(self) -> None:
        patient = self._patient
        if patient is None:
            return
        self._bridge.call(lambda s: s.records.new_encounter(patient.id),
                          on_success=self._new_encounter_ready,
                          label=self.tr("Starting encounter…"))

    def _new_encounter_ready(self, enc: Encounter) -> None:
        if self._patient is None or enc.patient_id != self._patient.id:
            return
        self._reload_encounters()
        self.show_encounter(enc)
        self.encounter_view.vitals.edits["temp_c"].setFocus()

    def show_encounter(self, enc: Encounter) -> None:
        assert self._patient is not None
        self.encounter_view.open_encounter(enc, self._patient)
        self.pages.setCurrentIndex(PAGE_ENCOUNTER)

    def show_tabs(self) -> None:
        self.pages.setCurrentIndex(PAGE_TABS)
        self.encounter_table.setFocus()

    def take_focus(self) -> None:
        """Put the keyboard focus in the chart (its encounter list, or the open encounter)."""
        if self.pages.currentIndex() == PAGE_TABS:
            self.encounter_table.setFocus()
        else:
            self.setFocus()

    def _after_merge(self, kept: Patient) -> None:
        self.records_merged.emit(kept)
        self.open_patient(kept.id)

    def _edit_clicked(self) -> None:
        if self._patient is not None:
            self.edit_patient_requested.emit(self._patient)

    def clear(self) -> None:
        """Remove every piece of patient data from the chart."""
        self._patient = None
        self._pending_id = None
        self._encounters = []
        self.name_label.clear()
        self.facts_label.clear()
        self.caregiver_label.clear()
        self.caregiver_label.hide()
        self.conflict_label.clear()
        self.conflict_label.setToolTip("")
        self.conflict_label.hide()
        self.merge_bar.clear()
        self.banner.show_unknown()
        self.encounter_table.setRowCount(0)
        self.encounter_table.clearContents()
        for panel in (self.allergies, self.medications, self.problems):
            panel.clear()
        self.growth.clear()
        self.tabs.setTabVisible(self.growth_tab, False)
        self.encounter_view.clear()
        self.pages.setCurrentIndex(PAGE_TABS)
        self.tabs.setCurrentIndex(0)
        for i, title in enumerate(self._tab_titles):
            self.tabs.setTabText(i, title)


def _shown(value: object) -> str:
    """A stored value as one short line ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v)
    return " ".join(str(value).split())[:80]
