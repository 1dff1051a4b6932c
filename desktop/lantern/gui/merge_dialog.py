"""Merge two records of one patient (admin): find the other record, see both side
by side, confirm. The chart's patient is kept unless the admin swaps them; every
record of the other one moves to it. Undone from the kept chart ("Unmerge…")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import Patient, PatientSummary
from lantern.gui.errors import message_for
from lantern.gui.formatting import format_age, format_sex
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary


def _facts(patient: Patient, encounters: int) -> list[str]:
    born = (patient.birth_date.isoformat() if patient.birth_date else
            str(patient.birth_year) if patient.birth_year else "—")
    return [patient.name, format_sex(patient.sex), format_age(patient.age()), born,
            patient.village or "—", patient.phone or "—", patient.caregiver.line() or "—",
            str(encounters), patient.id]


class MergeDialog(QDialog):
    """Emits ``merged(kept Patient)`` after the merge is saved."""

    merged = Signal(object)

    def __init__(self, *, bridge: SessionBridge, patient: Patient,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(self.tr("Merge two records of one patient"))
        self.setMinimumWidth(620)
        self._bridge = bridge
        self._sides: list[tuple[Patient, int] | None] = [None, None]   # kept, merged
        self._fetch(patient.id, 0)
        self.search = QLineEdit(self)
        self.search.setObjectName("mergeSearch")
        self.search.setPlaceholderText(self.tr("Find the other record: name, ID, village or phone"))
        self.results = QListWidget(self)
        self.results.setObjectName("mergeResults")
        self.results.setMaximumHeight(90)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.results.currentItemChanged.connect(self._result_chosen)
        self.compare = QTableWidget(9, 2, self)
        self.compare.setObjectName("mergeCompare")
        self.compare.setVerticalHeaderLabels(
            [self.tr("Name"), self.tr("Sex"), self.tr("Age"), self.tr("Born"), self.tr("Village"),
             self.tr("Phone"), self.tr("Caregiver"), self.tr("Encounters"), self.tr("ID")])
        self.compare.setHorizontalHeaderLabels([self.tr("Kept"), self.tr("Merged into it")])
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.compare.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row_height = self.fontMetrics().height() + 16
        self.compare.setMinimumHeight(10 * row_height + 8)     # nine rows and the header
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        self.explain.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.swap_button = QPushButton(self.tr("&Swap: keep the other record"), self)
        self.swap_button.clicked.connect(self.swap)
        self.merge_button = set_primary(QPushButton(self.tr("&Merge"), self))
        self.merge_button.setObjectName("confirmMerge")
        self.merge_button.clicked.connect(self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.addButton(self.swap_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.compare, 1)
        layout.addWidget(self.explain)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._render()
        self.search.setFocus()

    # -- choosing the other record ------------------------------------------------------
    def _run_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            self.results.clear()
            return
        self._bridge.call(lambda s: s.records.search_patients(query, limit=20),
                          on_success=lambda rows: self._show_results(query, rows))

    def _show_results(self, query: str, rows: list[PatientSummary]) -> None:
        if query != self.search.text().strip():
            return
        kept = self._sides[0][0].id if self._sides[0] else None
        self.results.clear()
        for s in rows:
            if s.id == kept:
                continue
            item = QListWidgetItem(f"{s.name} · {format_sex(s.sex)} · {format_age(s.shown_age())}"
                                   f" · {s.village} · {s.phone} · {s.id}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, s.id)

    def choose(self, patient_id: str) -> None:
        """Take ``patient_id`` as the record merged into the kept one."""
        self._sides[1] = None
        self._render()
        self._fetch(patient_id, 1)

    def _result_chosen(self, item: QListWidgetItem | None, _old: Any = None) -> None:
        if item is not None:
            self.choose(str(item.data(Qt.ItemDataRole.UserRole)))

    def _fetch(self, patient_id: str, side: int) -> None:
        def loaded(result: tuple[Patient, int]) -> None:
            self._sides[side] = result
            self._render()

        self._bridge.call(lambda s: (s.records.get_patient(patient_id),
                                     len(s.records.list_encounters(patient_id))),
                          on_success=loaded)

    # -- showing and confirming -----------------------------------------------------------
    def swap(self) -> None:
        self._sides.reverse()
        self._render()

    def ready(self) -> bool:
        return all(self._sides)

    def _render(self) -> None:
        for col, side in enumerate(self._sides):
            facts = _facts(*side) if side else [""] * 9
            for row, text in enumerate(facts):
                self.compare.setItem(row, col, QTableWidgetItem(text))
        self.merge_button.setEnabled(self.ready())
        self.swap_button.setEnabled(self.ready())
        if self.ready():
            kept, merged = self._sides[0][0], self._sides[1][0]    # type: ignore[index]
            self.explain.setText(self.tr(
                "All encounters, allergies, medications, problems, assessments and summaries of "
                "%1 move to %2, and %1 leaves the patient list. The merge is recorded in the "
                "audit trail and can be undone from %2's chart (Unmerge…).")
                .replace("%1", f"{merged.name} ({merged.id})")
                .replace("%2", f"{kept.name} ({kept.id})"))
        else:
            self.explain.setText(self.tr("Choose the other record of this patient above."))

    def confirm(self) -> None:
        if not self.ready():
            return
        kept, merged = self._sides[0][0], self._sides[1][0]    # type: ignore[index]
        self.merge_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.error_label.setText(message_for(exc))
            self.error_label.show()
            self.merge_button.setEnabled(True)

        def done(patient: Patient) -> None:
            self.merged.emit(patient)
            self.accept()

        self._bridge.call(lambda s: s.records.merge_patients(keep_id=kept.id, merged_id=merged.id),
                          on_success=done, on_failure=failed, label=self.tr("Merging records…"))
