"""Drafts across colleagues in the encounter view: the bar that says whose draft this
is (shown read-only before any typing when the user may not edit it, with "Take
over" for the roles allowed), the authorship line (who wrote what), and the
dialog that hands a draft over to a named clinician."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import Encounter, User
from lantern.gui.formatting import format_date
from lantern.services.draft_handover import DraftAccess, contributions


class DraftBar(QFrame):
    """Shown above a draft the user may not edit: whose it is, and "Take over"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBar")
        self.setStyleSheet("#draftBar { background:#fff4d6; border:1px solid #e0b84c; border-radius:4px }")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.take_over_button = QPushButton(self.tr("&Take over…"), self)
        self.take_over_button.setToolTip(self.tr("Continue this draft yourself; its writer is told "
                                                 "in the record and the audit trail"))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.message, 1)
        row.addWidget(self.take_over_button)
        self.hide()

    def show_for(self, access: DraftAccess, encounter: Encounter) -> None:
        if access is DraftAccess.EDIT or encounter.status.value != "draft":
            self.hide()
            return
        text = self.tr("This draft is being written by %1. It is read-only for you.").replace(
            "%1", encounter.editor)
        if access is DraftAccess.TAKE_OVER:
            text += " " + self.tr("Take it over to continue it (your colleague can no longer edit it).")
        else:
            text += " " + self.tr("Ask them to hand it over, or a clinician may take it over.")
        self.message.setText(text)
        self.take_over_button.setVisible(access is DraftAccess.TAKE_OVER)
        self.show()


def authorship_text(encounter: Encounter) -> str:
    """"Written by: nurse (312 characters) → doc, taken over 4 Dec 10:42 (120 characters)"."""
    if not encounter.handovers:
        return ""
    parts = []
    for i, (user, added) in enumerate(contributions(encounter)):
        chars = (QCoreApplication.translate("DraftHandover", "1 character") if added == 1 else
                 QCoreApplication.translate("DraftHandover", "%1 characters").replace("%1", str(added)))
        if i == 0:
            parts.append(f"{user} ({chars})")
            continue
        step = encounter.handovers[i - 1]
        how = (QCoreApplication.translate("DraftHandover", "taken over %1") if step.kind == "take over"
               else QCoreApplication.translate("DraftHandover", "handed over %1"))
        parts.append(f"{user}, {how.replace('%1', format_date(step.at))} ({chars})")
    return QCoreApplication.translate("DraftHandover", "Written by: %1").replace("%1", " → ".join(parts))


class HandOverDialog(QDialog):
    """Choose the colleague (clinician or administrator) who continues the draft."""

    def __init__(self, colleagues: list[User], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand over draft"))
        info = QLabel(self.tr("Hand this draft over to a colleague. They continue and sign it; "
                              "you can no longer edit it. What you wrote stays marked as yours."), self)
        info.setWordWrap(True)
        self.colleague = QComboBox(self)
        for user in colleagues:
            shown = f"{user.display_name} ({user.username})" if user.display_name else user.username
            self.colleague.addItem(f"{shown} — {user.role.value}", user.username)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(colleagues))
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(self.colleague)
        if not colleagues:
            layout.addWidget(QLabel(self.tr("No other clinician has an account here."), self))
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return str(self.colleague.currentData() or "")
