"""Shown when a patient being registered may already be registered: the candidates
(name, sex, age, village, phone, last visit), to open one, or to confirm that this
is a new patient (which the registration records in the audit trail)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import DuplicateCandidate
from lantern.gui.formatting import format_age, format_date, format_sex
from lantern.gui.theme import set_primary

OPEN_EXISTING, NEW_PATIENT = 1, 2   # done() codes besides Rejected (0: back to the form)


class DuplicateCandidatesDialog(QDialog):
    """``result()`` is OPEN_EXISTING (``chosen_id()`` is the record to open),
    NEW_PATIENT, or Rejected (back to the registration form, nothing saved)."""

    def __init__(self, *, candidates: list[DuplicateCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateDialog")
        self.setWindowTitle(self.tr("Already registered?"))
        self.setMinimumWidth(640)
        self._candidates = list(candidates)
        intro = QLabel(self.tr("This patient may already be registered. Open the existing "
                               "record if it is the same person; nothing has been saved yet."), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(candidates), 6, self)
        self.table.setObjectName("duplicateTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Sex"), self.tr("Age"),
                                              self.tr("Village"), self.tr("Phone"),
                                              self.tr("Last visit")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for r, c in enumerate(candidates):
            s = c.summary
            cells = (s.name, format_sex(s.sex), format_age(s.shown_age()), s.village, s.phone,
                     format_date(c.last_visit) if c.last_visit else self.tr("no visit"))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(self.tr("ID %1").replace("%1", s.id))
                self.table.setItem(r, col, item)
        self.table.cellActivated.connect(lambda _r, _c: self.open_selected())
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.open_selected())
        self.table.selectRow(0)

        buttons = QDialogButtonBox(self)
        self.open_button = set_primary(QPushButton(self.tr("&Open this record"), self))
        self.new_button = QPushButton(self.tr("This is a &new patient"), self)
        self.new_button.setObjectName("confirmNewPatient")
        back = QPushButton(self.tr("&Back to the form"), self)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(back, QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(lambda: self.done(NEW_PATIENT))
        back.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setFocus()

    def chosen_id(self) -> str | None:
        row = self.table.currentRow()
        return self._candidates[row].summary.id if 0 <= row < len(self._candidates) else None

    def open_selected(self) -> None:
        if self.chosen_id() is not None:
            self.done(OPEN_EXISTING)
