"""The patient list: a Qt model of search results and the panel around it."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import PatientSummary
from lantern.gui.formatting import format_age, format_sex
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary

SEARCH_DEBOUNCE_MS = 150
SEARCH_LIMIT = 200
_Index = QModelIndex | QPersistentModelIndex


class PatientListModel(QAbstractTableModel):
    COLUMN_COUNT = 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PatientSummary] = []

    def set_rows(self, rows: list[PatientSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def row_at(self, row: int) -> PatientSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (self.tr("Name"), self.tr("Sex"), self.tr("Age"), self.tr("Village"),
                    self.tr("Phone"))[section]
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        p = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (p.name, format_sex(p.sex), format_age(p.shown_age()), p.village,
                    p.phone)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return p.id
        return None


class PatientListPanel(QWidget):
    """Search box + table. Emits ``patient_activated(patient_id)``."""

    patient_activated = Signal(str)
    register_requested = Signal()

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientListPanel")
        self._bridge = bridge
        self._request = 0
        self.search = QLineEdit(self)
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText(self.tr("Search name, village, phone or id  (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.model = PatientListModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hintLabel")
        self.register_button = set_primary(QPushButton(self.tr("&Register patient…"), self))
        self.register_button.clicked.connect(self.register_requested)

        self._open_on_answer = False      # Enter was pressed before the search answered
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.register_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down arrow in the search box moves into the results.
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and cast(QKeyEvent, event).key() == Qt.Key.Key_Down and self.model.rowCount()):
            self.table.setFocus()
            self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        """Run the current search (in the vault lane) and show the newest answer."""
        self._debounce.stop()
        query = self.search.text().strip()
        self._request += 1
        request = self._request

        def show(rows: list[PatientSummary]) -> None:
            if request == self._request:
                self.model.set_rows(rows)
                if self._open_on_answer:
                    self._open_on_answer = False
                    self._open_first()
                if len(rows) >= SEARCH_LIMIT:
                    self.count_label.setText(self.tr("First %1 shown; type to narrow the search")
                                             .replace("%1", str(len(rows))))
                else:
                    self.count_label.setText(self.tr("Patients: %1").replace("%1", str(len(rows))))

        self._bridge.call(lambda s: s.records.search_patients(query, limit=SEARCH_LIMIT),
                          on_success=show, label=self.tr("Searching…"))

    def clear(self) -> None:
        self._debounce.stop()
        self._open_on_answer = False
        self._request += 1
        self.search.blockSignals(True)
        self.search.setText("")   # unlike clear(), also drops the undo history
        self.search.blockSignals(False)
        self.model.clear()
        self.count_label.clear()

    def select_patient(self, patient_id: str) -> None:
        """Highlight ``patient_id`` in the list if it is shown."""
        for row in range(self.model.rowCount()):
            shown = self.model.row_at(row)
            if shown is not None and shown.id == patient_id:
                self.table.selectRow(row)
                return
        self.table.clearSelection()

    def selected_patient_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], Qt.ItemDataRole.UserRole) if rows else None

    def _activated(self, index: QModelIndex) -> None:
        pid = self.model.data(index, Qt.ItemDataRole.UserRole)
        if pid:
            self.patient_activated.emit(pid)

    def _open_first(self) -> None:
        if self._debounce.isActive():
            # Enter before the search ran: run it now and act on its answer
            self._open_on_answer = True
            self.refresh()
            return
        if self.model.rowCount() == 1:
            self._activated(self.model.index(0, 0))
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)
