"""The confirm step after signing (issue 16): the follow-up the note and the programme
schedules propose, which the clinician confirms as is, edits (date, programme, reason)
or declines. Nothing is stored until they answer."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lantern.clinical.followups import Proposal, load_schedules


class FollowupConfirmDialog(QDialog):
    """Accepted: :meth:`values` is what to store. Rejected: the proposal is declined."""

    def __init__(self, *, proposals: list[Proposal], visit: date, lang: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followupConfirmDialog")
        self.setWindowTitle(self.tr("Follow-up"))
        first = proposals[0]
        self._source = first.source
        intro = QLabel(self.tr("The note proposes a follow-up visit. Confirm it, change it, "
                               "or choose No follow-up."), self)
        intro.setWordWrap(True)
        self.due = QDateEdit(QDate(first.due.year, first.due.month, first.due.day), self)
        self.due.setObjectName("followupDue")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMinimumDate(QDate(visit.year, visit.month, visit.day))   # not before the visit
        self.programme = QComboBox(self)
        self.programme.setObjectName("followupProgrammeChoice")
        self.programme.addItem(self.tr("None"), "")
        for pid, p in load_schedules().items():
            self.programme.addItem(p.name(lang), pid)
        self.programme.setCurrentIndex(max(0, self.programme.findData(first.programme)))
        self.reason = QLineEdit(first.reason, self)
        self.reason.setObjectName("followupReason")
        form = QFormLayout()
        form.addRow(self.tr("&Due date:"), self.due)
        form.addRow(self.tr("&Programme:"), self.programme)
        form.addRow(self.tr("&Reason:"), self.reason)
        buttons = QDialogButtonBox(self)
        self.confirm_button = buttons.addButton(self.tr("Confirm follow-up"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.decline_button = buttons.addButton(self.tr("No follow-up"),
                                                QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict:
        d = self.due.date()
        return {"due": date(d.year(), d.month(), d.day()),
                "programme": self.programme.currentData() or "",
                "reason": self.reason.text().strip(), "source": self._source}
