"""Allergies, medications and the problem list of one patient.

Each tab is a :class:`ClinicalListPanel`: a table, "Add…" and a remove-style
action (remove an allergy entered in error, stop a medication, resolve a
problem). All calls go through the session bridge.

A record that cannot be read (an ``UnreadableRecord`` in the service's list) is a
red row "⚠ record damaged: cannot be read" at the top, with its table and id in
the tooltip; it cannot be removed, stopped or resolved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import UnreadableRecord
from lantern.gui.errors import MessageBox
from lantern.gui.formatting import format_date
from lantern.gui.resume import keep_draft
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary

DAMAGED_COLOR = QColor("#b03a2e")


def damaged_text() -> str:
    """What stands where a record that cannot be read would be (damaged or missing)."""
    return QCoreApplication.translate("ClinicalListPanel", "record damaged: cannot be read")


def damaged_tooltip(item: UnreadableRecord) -> str:
    """Table and id (no patient data): what an administrator needs to find the record."""
    text = (QCoreApplication.translate("ClinicalListPanel", "Record %1 is missing from the vault.")
            if item.kind == "missing" else
            QCoreApplication.translate("ClinicalListPanel", "Record %1 failed its integrity check."))
    return text.replace("%1", item.ref) + " " + QCoreApplication.translate(
        "ClinicalListPanel", "Its content cannot be shown. An administrator can run "
        "'lantern vault verify' or restore a backup.")


def damaged_cell(text: str, item: UnreadableRecord) -> QTableWidgetItem:
    """A red, bold table cell of a record that cannot be read, its table and id in the tooltip."""
    cell = QTableWidgetItem(text)
    cell.setData(Qt.ItemDataRole.UserRole, item.id)
    cell.setForeground(DAMAGED_COLOR)
    font = cell.font()
    font.setBold(True)
    cell.setFont(font)
    cell.setToolTip(damaged_tooltip(item))
    return cell


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()   # (value, shown text) for a combo
    required: bool = False


class FieldsDialog(QDialog):
    """A small form built from :class:`FieldSpec` rows; ``values()`` after accept."""

    def __init__(self, *, title: str, fields: list[FieldSpec], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("fieldsDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(380)
        self._fields = fields
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout()
        for spec in fields:
            if spec.choices:
                combo = QComboBox(self)
                for value, shown in spec.choices:
                    combo.addItem(shown, value)
                editor: QLineEdit | QComboBox = combo
            else:
                editor = QLineEdit(self)
                editor.setMaxLength(200)
            label = QLabel(spec.label, self)
            label.setBuddy(editor)
            form.addRow(label, editor)
            self.editors[spec.key] = editor
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        set_primary(buttons.button(QDialogButtonBox.StandardButton.Ok))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        out = {}
        for key, editor in self.editors.items():
            out[key] = (editor.currentData() if isinstance(editor, QComboBox)
                        else editor.text().strip())
        return out

    def accept(self) -> None:
        values = self.values()
        for spec in self._fields:
            if spec.required and not values[spec.key]:
                self.error_label.setText(self.tr("Please fill in: %1").replace(
                    "%1", spec.label.replace("&", "").rstrip(":")))
                self.error_label.show()
                return
        super().accept()


@dataclass(frozen=True)
class ListKind:
    """How one list is fetched, shown and changed."""

    name: str
    headers: tuple[str, ...]
    fields: list[FieldSpec]
    add_title: str
    remove_text: str
    confirm_text: str
    list_fn: Callable[[Any, str], list[Any]]
    add_fn: Callable[[Any, str, dict[str, str]], Any]
    remove_fn: Callable[[Any, str], Any]
    row_fn: Callable[[Any], tuple[str, ...]]
    removable: Callable[[Any], bool] = lambda item: True
    empty_text: str = ""


def allergy_kind() -> ListKind:
    severities = (("", QCoreApplication.translate("ClinicalListPanel", "not recorded")), ("mild", QCoreApplication.translate("ClinicalListPanel", "mild")),
                  ("moderate", QCoreApplication.translate("ClinicalListPanel", "moderate")), ("severe", QCoreApplication.translate("ClinicalListPanel", "severe")))
    return ListKind(
        name="allergies",
        headers=(QCoreApplication.translate("ClinicalListPanel", "Substance"), QCoreApplication.translate("ClinicalListPanel", "Reaction"), QCoreApplication.translate("ClinicalListPanel", "Severity")),
        fields=[FieldSpec("substance", QCoreApplication.translate("ClinicalListPanel", "&Substance:"), required=True),
                FieldSpec("reaction", QCoreApplication.translate("ClinicalListPanel", "&Reaction:")),
                FieldSpec("severity", QCoreApplication.translate("ClinicalListPanel", "S&everity:"), severities)],
        add_title=QCoreApplication.translate("ClinicalListPanel", "Add allergy"), remove_text=QCoreApplication.translate("ClinicalListPanel", "Re&move (entered in error)"),
        confirm_text=QCoreApplication.translate("ClinicalListPanel", "Remove this allergy as entered in error?"),
        list_fn=lambda s, pid: s.records.list_allergies(pid),
        add_fn=lambda s, pid, v: s.records.add_allergy(pid, **v),
        remove_fn=lambda s, item_id: s.records.remove_allergy(item_id),
        row_fn=lambda a: (a.substance, a.reaction, a.severity),
        empty_text=QCoreApplication.translate("ClinicalListPanel", "No allergies recorded."),
    )


def medication_kind() -> ListKind:
    return ListKind(
        name="medications",
        headers=(QCoreApplication.translate("ClinicalListPanel", "Medication"), QCoreApplication.translate("ClinicalListPanel", "Dose"), QCoreApplication.translate("ClinicalListPanel", "Route"), QCoreApplication.translate("ClinicalListPanel", "Frequency"),
                 QCoreApplication.translate("ClinicalListPanel", "Started"), QCoreApplication.translate("ClinicalListPanel", "Status")),
        fields=[FieldSpec("name", QCoreApplication.translate("ClinicalListPanel", "&Medication:"), required=True),
                FieldSpec("dose", QCoreApplication.translate("ClinicalListPanel", "&Dose:")), FieldSpec("route", QCoreApplication.translate("ClinicalListPanel", "&Route:")),
                FieldSpec("frequency", QCoreApplication.translate("ClinicalListPanel", "&Frequency:"))],
        add_title=QCoreApplication.translate("ClinicalListPanel", "Add medication"), remove_text=QCoreApplication.translate("ClinicalListPanel", "S&top medication"),
        confirm_text=QCoreApplication.translate("ClinicalListPanel", "Stop this medication today?"),
        list_fn=lambda s, pid: _readable_sorted(s.records.list_medications(pid),
                                                key=lambda m: (not m.active, m.name.lower())),
        add_fn=lambda s, pid, v: s.records.add_medication(pid, **v),
        remove_fn=lambda s, item_id: s.records.stop_medication(item_id),
        row_fn=lambda m: (m.name, m.dose, m.route, m.frequency, format_date(m.started),
                          QCoreApplication.translate("ClinicalListPanel", "active") if m.active
                          else QCoreApplication.translate("ClinicalListPanel", "stopped %1").replace("%1", format_date(m.stopped))),
        removable=lambda m: m.active,
        empty_text=QCoreApplication.translate("ClinicalListPanel", "No medications recorded."),
    )


def problem_kind() -> ListKind:
    return ListKind(
        name="problems",
        headers=(QCoreApplication.translate("ClinicalListPanel", "Problem"), QCoreApplication.translate("ClinicalListPanel", "ICD-10"), QCoreApplication.translate("ClinicalListPanel", "Status")),
        fields=[FieldSpec("description", QCoreApplication.translate("ClinicalListPanel", "&Problem:"), required=True),
                FieldSpec("icd10", QCoreApplication.translate("ClinicalListPanel", "&ICD-10 code:"))],
        add_title=QCoreApplication.translate("ClinicalListPanel", "Add problem"), remove_text=QCoreApplication.translate("ClinicalListPanel", "Mark re&solved"),
        confirm_text=QCoreApplication.translate("ClinicalListPanel", "Mark this problem as resolved today?"),
        list_fn=lambda s, pid: _readable_sorted(s.records.list_problems(pid),
                                                key=lambda p: (p.resolved is not None, p.description)),
        add_fn=lambda s, pid, v: s.records.add_problem(pid, **v),
        remove_fn=lambda s, item_id: s.records.resolve_problem(item_id),
        row_fn=lambda p: (p.description, p.icd10,
                          QCoreApplication.translate("ClinicalListPanel", "active") if p.resolved is None
                          else QCoreApplication.translate("ClinicalListPanel", "resolved %1").replace("%1", format_date(p.resolved))),
        removable=lambda p: p.resolved is None,
        empty_text=QCoreApplication.translate("ClinicalListPanel", "No problems recorded."),
    )


def _readable_sorted(items: list[Any], *, key: Callable[[Any], Any]) -> list[Any]:
    """Records that cannot be read first, as the service lists them; the others sorted."""
    unreadable = [i for i in items if isinstance(i, UnreadableRecord)]
    return unreadable + sorted((i for i in items if not isinstance(i, UnreadableRecord)), key=key)


class ClinicalListPanel(QWidget):
    changed = Signal(str)          # kind name, after an add/remove
    loaded = Signal(str, list)     # kind name, items (the allergy banner listens)

    def __init__(self, *, kind: ListKind, bridge: SessionBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{kind.name}Panel")
        self.kind = kind
        self._bridge = bridge
        self._patient_id: str | None = None
        self._items: list[Any] = []
        self.table = QTableWidget(0, len(kind.headers), self)
        self.table.setHorizontalHeaderLabels(list(kind.headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(kind.empty_text, self)
        self.empty_label.setObjectName("hintLabel")
        self.add_button = QPushButton(self.tr("&Add…"), self)
        self.remove_button = QPushButton(kind.remove_text, self)
        self.remove_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_label, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def load(self, patient_id: str) -> None:
        self._patient_id = patient_id
        kind = self.kind
        self._bridge.call(lambda s: kind.list_fn(s, patient_id),
                          on_success=lambda items: self._show(patient_id, items))

    def clear(self) -> None:
        self._patient_id = None
        self._items = []
        self.table.setRowCount(0)
        self.table.clearContents()

    def _show(self, patient_id: str, items: list[Any]) -> None:
        if patient_id != self._patient_id:
            return
        self._items = list(items)
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            if isinstance(item, UnreadableRecord):
                self._show_unreadable(r, item)
                continue
            for c, text in enumerate(self.kind.row_fn(item)):
                cell = QTableWidgetItem(text or "")
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                if not self.kind.removable(item):
                    cell.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, cell)
        self.empty_label.setVisible(not items)
        self._update_buttons()
        self.loaded.emit(self.kind.name, self._items)

    def _show_unreadable(self, row: int, item: UnreadableRecord) -> None:
        for c in range(self.table.columnCount()):
            self.table.setItem(row, c, damaged_cell("⚠ " + damaged_text() if c == 0 else "", item))

    def _removable(self, item: Any) -> bool:
        return not isinstance(item, UnreadableRecord) and self.kind.removable(item)

    def selected_item(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.remove_button.setEnabled(item is not None and self._removable(item))
        self.add_button.setEnabled(self._patient_id is not None)

    def add_item(self) -> None:
        if self._patient_id is None:
            return
        dialog = FieldsDialog(title=self.kind.add_title, fields=self.kind.fields, parent=self)
        keep_draft(dialog, "add_to_list", list=self.kind.name)
        try:   # deleted either way: a hidden dialog would keep what was typed after a lock
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()
        finally:
            dialog.deleteLater()
        self.submit_add(values)

    def submit_add(self, values: dict[str, str]) -> None:
        pid = self._patient_id
        if pid is None:
            return
        kind = self.kind
        self._bridge.call(lambda s: kind.add_fn(s, pid, values), on_success=self._after_change)

    def remove_selected(self) -> None:
        item = self.selected_item()
        if item is None or not self._removable(item):
            return
        if not MessageBox.question(self, title=self.kind.remove_text.replace("&", ""),
                                   text=self.kind.confirm_text):
            return
        kind = self.kind
        self._bridge.call(lambda s: kind.remove_fn(s, item.id), on_success=self._after_change)

    def _after_change(self, _result: Any) -> None:
        if self._patient_id is not None:
            self.load(self._patient_id)
        self.changed.emit(self.kind.name)
