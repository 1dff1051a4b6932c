"""The confirm step after signing (issue 16): the follow-up the note and the programme
schedules propose, which the clinician confirms as is, edits (date, programme, reason)
or declines. Nothing is stored until they answer."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
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
from lantern.domain.records import Patient
from lantern.gui.formatting import format_age


def followup_fields(dialog: QDialog, lang: str) -> tuple[QDateEdit, QComboBox, QLineEdit,
                                                          QFormLayout]:
    """The due date (with a calendar), the programme (None or one of
    ``resources/followup/schedules.toml``) and the reason, in a form: the fields of a
    follow-up, the same in the confirm step and the manual form."""
    due = QDateEdit(dialog)
    due.setObjectName("followupDue")
    due.setCalendarPopup(True)
    due.setDisplayFormat("yyyy-MM-dd")
    programme = QComboBox(dialog)
    programme.setObjectName("followupProgrammeChoice")
    programme.addItem(QCoreApplication.translate("FollowupConfirmDialog", "None"), "")
    for pid, p in load_schedules().items():
        programme.addItem(p.name(lang), pid)
    reason = QLineEdit(dialog)
    reason.setObjectName("followupReason")
    reason.setMaxLength(200)
    form = QFormLayout()
    form.addRow(QCoreApplication.translate("FollowupConfirmDialog", "&Due date:"), due)
    form.addRow(QCoreApplication.translate("FollowupConfirmDialog", "&Programme:"), programme)
    form.addRow(QCoreApplication.translate("FollowupConfirmDialog", "&Reason:"), reason)
    return due, programme, reason, form


def patient_line(patient: Patient | None, on: date, parent: QWidget) -> QLabel:
    """Who a follow-up is for, in bold: "Baby Banda · 2 months · born 2026-10-01", the
    age as clinicians read it (days under 2 months, months under 5 years) on ``on``."""
    label = QLabel(parent)
    label.setObjectName("followupPatient")
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    if patient is None:
        return label
    parts = [patient.name, format_age(patient.age(on))]
    born = patient.birth_date.isoformat() if patient.birth_date else str(patient.birth_year or "")
    if born:
        parts.append(QCoreApplication.translate("FollowupConfirmDialog", "born %1").replace("%1", born))
    label.setText("  ·  ".join(parts))
    return label


class FollowupConfirmDialog(QDialog):
    """Accepted: :meth:`values` is what to store. Rejected: the proposal is declined."""

    def __init__(self, *, proposals: list[Proposal], visit: date, lang: str = "en",
                 patient: Patient | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followupConfirmDialog")
        self.setWindowTitle(self.tr("Follow-up"))
        first = proposals[0]
        self._source = first.source
        # who it is for, with the age as clinicians read it (days / months for a child)
        self.patient_label = patient_line(patient, visit, self)
        self.patient_label.setVisible(patient is not None)
        intro = QLabel(self.tr("The note proposes a follow-up visit. Confirm it, change it, "
                               "or choose No follow-up."), self)
        intro.setWordWrap(True)
        self.due, self.programme, self.reason, form = followup_fields(self, lang)
        self.due.setDate(QDate(first.due.year, first.due.month, first.due.day))
        self.due.setMinimumDate(QDate(visit.year, visit.month, visit.day))   # not before the visit
        self.programme.setCurrentIndex(max(0, self.programme.findData(first.programme)))
        self.reason.setText(first.reason)
        buttons = QDialogButtonBox(self)
        self.confirm_button = buttons.addButton(self.tr("Confirm follow-up"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.decline_button = buttons.addButton(self.tr("No follow-up"),
                                                QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.patient_label)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def values(self) -> dict:
        d = self.due.date()
        return {"due": date(d.year(), d.month(), d.day()),
                "programme": self.programme.currentData() or "",
                "reason": self.reason.text().strip(), "source": self._source}
