"""The chart header's merge controls, for administrators only: "Merge…" (another
record of this patient into this one) and "Unmerge …" for each record merged here."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from lantern.domain.records import Patient
from lantern.gui.errors import MessageBox
from lantern.gui.merge_dialog import MergeDialog
from lantern.gui.session_bridge import SessionBridge
from lantern.services.roles import allowed


class MergeBar(QWidget):
    """Emits ``changed(Patient)`` with the patient whose chart to show after a merge
    or an unmerge."""

    changed = Signal(object)

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeBar")
        self._bridge = bridge
        self._patient: Patient | None = None
        self.dialog: MergeDialog | None = None
        self.merge_button = QPushButton(self.tr("&Merge…"), self)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(self.tr("Merge another record of this patient into this one"))
        self.merge_button.clicked.connect(self.open_merge)
        self.unmerge_buttons: list[QPushButton] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.addWidget(self.merge_button)
        self.hide()

    def _may_merge(self) -> bool:
        session = self._bridge.session
        return session is not None and allowed(session.user, "patient.merge")

    def show_patient(self, patient: Patient) -> None:
        self.clear()
        if not self._may_merge():
            return
        self._patient = patient
        self.show()
        self._bridge.call(lambda s: s.records.merged_into(patient.id),
                          on_success=lambda ids: self._show_merged(patient.id, ids))

    def _show_merged(self, patient_id: str, merged_ids: list[str]) -> None:
        if self._patient is None or self._patient.id != patient_id:
            return
        for merged_id in merged_ids:
            button = QPushButton(self.tr("Unmerge %1…").replace("%1", merged_id), self)
            button.setObjectName("unmergeButton")
            button.clicked.connect(lambda _c=False, m=merged_id: self.unmerge(m))
            self._row.addWidget(button)
            self.unmerge_buttons.append(button)

    def clear(self) -> None:
        self._patient = None
        for button in self.unmerge_buttons:
            button.deleteLater()
        self.unmerge_buttons = []
        self.hide()

    def open_merge(self) -> None:
        if self._patient is None:
            return
        self.dialog = MergeDialog(bridge=self._bridge, patient=self._patient, parent=self.window())
        self.dialog.merged.connect(self.changed.emit)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.open()

    def unmerge(self, merged_id: str) -> None:
        kept = self._patient
        if kept is None:
            return
        if not MessageBox.question(self, title=self.tr("Unmerge record"), text=self.tr(
                "Give record %1 back the encounters, allergies, medications, problems, "
                "assessments and summaries it had before it was merged into %2? It returns to "
                "the patient list. This is recorded in the audit trail.")
                .replace("%1", merged_id).replace("%2", kept.id)):
            return
        self._bridge.call(lambda s: s.records.unmerge_patient(merged_id=merged_id),
                          on_success=lambda _restored: self.changed.emit(kept),
                          label=self.tr("Unmerging records…"))
