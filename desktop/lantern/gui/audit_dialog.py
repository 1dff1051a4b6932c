"""Tools → Audit log… (administrators): who did what, and a chain check.

Entries are read a page at a time through the session bridge, newest first.
"Verify chain" checks the whole HMAC chain in the vault lane and says either
that it is intact or at which entry it first breaks (that row is selected when
it is loaded).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import AuditEntry
from lantern.gui.errors import message_for
from lantern.gui.formatting import format_date
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_state

if TYPE_CHECKING:
    from lantern.services.audit import AuditCheck

PAGE_SIZE = 500
COLUMNS = 7
COL_SEQ, COL_TIME, COL_USER, COL_ACTION, COL_PATIENT, COL_RECORD, COL_DETAIL = range(COLUMNS)
VIEW_ACTION = "view audit log"

# Audit actions as written by the services; shown translated (unknown ones as stored).
_ACTIONS = {a: a for a in (
    QT_TRANSLATE_NOOP("AuditAction", "create vault"),
    QT_TRANSLATE_NOOP("AuditAction", "login"),
    QT_TRANSLATE_NOOP("AuditAction", "recovery login"),
    QT_TRANSLATE_NOOP("AuditAction", "failed login"),
    QT_TRANSLATE_NOOP("AuditAction", "lock"),
    QT_TRANSLATE_NOOP("AuditAction", "user change"),
    QT_TRANSLATE_NOOP("AuditAction", "change passphrase"),
    QT_TRANSLATE_NOOP("AuditAction", "change kdf"),
    QT_TRANSLATE_NOOP("AuditAction", "new recovery key"),
    QT_TRANSLATE_NOOP("AuditAction", "rotate data key"),
    QT_TRANSLATE_NOOP("AuditAction", "re-encryption done"),
    QT_TRANSLATE_NOOP("AuditAction", "backup"),
    QT_TRANSLATE_NOOP("AuditAction", "bulk import"),
    QT_TRANSLATE_NOOP("AuditAction", "create patient"),
    QT_TRANSLATE_NOOP("AuditAction", "update patient"),
    QT_TRANSLATE_NOOP("AuditAction", "view patient"),
    QT_TRANSLATE_NOOP("AuditAction", "acknowledge alert"),
    QT_TRANSLATE_NOOP("AuditAction", "create encounter"),
    QT_TRANSLATE_NOOP("AuditAction", "save draft"),
    QT_TRANSLATE_NOOP("AuditAction", "sign"),
    QT_TRANSLATE_NOOP("AuditAction", "amend"),
    QT_TRANSLATE_NOOP("AuditAction", "add allergy"),
    QT_TRANSLATE_NOOP("AuditAction", "remove allergy"),
    QT_TRANSLATE_NOOP("AuditAction", "add medication"),
    QT_TRANSLATE_NOOP("AuditAction", "stop medication"),
    QT_TRANSLATE_NOOP("AuditAction", "add problem"),
    QT_TRANSLATE_NOOP("AuditAction", "resolve problem"),
    QT_TRANSLATE_NOOP("AuditAction", "save assessment"),
    QT_TRANSLATE_NOOP("AuditAction", "save summary"),
    QT_TRANSLATE_NOOP("AuditAction", "save summary draft"),
    QT_TRANSLATE_NOOP("AuditAction", "view summary"),
    QT_TRANSLATE_NOOP("AuditAction", "view assessment"),
    QT_TRANSLATE_NOOP("AuditAction", "export"),
    QT_TRANSLATE_NOOP("AuditAction", "print"),
    QT_TRANSLATE_NOOP("AuditAction", "view audit log"),
    QT_TRANSLATE_NOOP("AuditAction", "add follow-up"),
    QT_TRANSLATE_NOOP("AuditAction", "decline follow-up"),
    QT_TRANSLATE_NOOP("AuditAction", "follow-up outcome"),
    QT_TRANSLATE_NOOP("AuditAction", "undo follow-up outcome"),
    QT_TRANSLATE_NOOP("AuditAction", "rebuild follow-up index"),
)}


def action_label(action: str) -> str:
    if action in _ACTIONS:
        return QCoreApplication.translate("AuditAction", action)
    return action


def _record_view(session: Any) -> None:
    """Audit the viewing itself when the audit service accepts that action."""
    from lantern.services.audit import EXTERNAL_ACTIONS

    if VIEW_ACTION in EXTERNAL_ACTIONS:
        session.audit.record(VIEW_ACTION)


class AuditDialog(QDialog):
    loaded = Signal()
    verified = Signal(object)   # the AuditCheck

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(self.tr("Audit log"))
        self.resize(960, 560)
        self._bridge = bridge
        self._entries: list[AuditEntry] = []
        self._more = False
        self._bad_seq: int | None = None
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("#"), self.tr("Time"), self.tr("User"), self.tr("Action"),
            self.tr("Patient"), self.tr("Record"), self.tr("Details")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hintLabel")
        self.result_label = QLabel(self)
        self.result_label.setObjectName("auditResult")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        self.verify_button = QPushButton(self.tr("&Verify chain"), self)
        self.more_button = QPushButton(self.tr("Load &older entries"), self)
        self.refresh_button = QPushButton(self.tr("&Refresh"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.verify_button.clicked.connect(self.verify)
        self.more_button.clicked.connect(self.load_more)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addLayout(buttons)
        bridge.locked.connect(self.reject)
        self.more_button.setEnabled(False)
        self._load(offset=0, record_view=True)

    # --- entries ---------------------------------------------------------------
    def refresh(self) -> None:
        self._load(offset=0)

    def load_more(self) -> None:
        if self._more:
            self._load(offset=len(self._entries))

    def _load(self, *, offset: int, record_view: bool = False) -> None:
        def work(s: Any) -> list[AuditEntry]:
            if record_view:
                _record_view(s)
            return s.audit.entries(PAGE_SIZE, offset=offset)

        self.count_label.setText(self.tr("Loading…"))
        self._bridge.call(work, on_success=lambda rows: self._show(rows, offset),
                          on_failure=self._failed, label=self.tr("Reading the audit log…"))

    def _show(self, rows: list[AuditEntry], offset: int) -> None:
        self._entries = self._entries[:offset] + list(rows)
        self._more = len(rows) == PAGE_SIZE
        self.more_button.setEnabled(self._more)
        self.table.setRowCount(len(self._entries))
        for row in range(offset, len(self._entries)):
            entry = self._entries[row]
            values = (str(entry.seq), format_date(entry.at), entry.username, action_label(entry.action),
                      entry.patient_id or "", entry.record_id or "", entry.detail)
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        text = self.tr("%1 entries shown, newest first.").replace("%1", str(len(self._entries)))
        if self._more:
            text += " " + self.tr("Older entries can be loaded.")
        self.count_label.setText(text)
        self._select_bad()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText(message_for(exc))
        self.loaded.emit()

    def entries(self) -> list[AuditEntry]:
        return list(self._entries)

    # --- verification ------------------------------------------------------------
    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result_label.setText(self.tr("Checking every entry of the chain…"))
        set_state(self.result_label, "state", "busy")
        self.result_label.show()
        self._bridge.call(lambda s: s.audit.verify(), on_success=self._verified,
                          on_failure=self._verify_failed, label=self.tr("Verifying the audit chain…"))

    def _verified(self, check: AuditCheck) -> None:
        self.verify_button.setEnabled(True)
        if check.ok:
            self._bad_seq = None
            self._select_bad()
            self.result_label.setText(self.tr(
                "✔ Audit chain intact: all %1 entries checked, none altered or missing.")
                .replace("%1", str(check.checked)))
            set_state(self.result_label, "state", "ok")
        else:
            self._bad_seq = check.first_bad_position
            position = str(check.first_bad_position) if check.first_bad_position else "?"
            self.result_label.setText(self.tr(
                "✘ Audit chain BROKEN at entry #%1 (%2 entries before it are intact). "
                "Entries from #%1 on cannot be trusted: keep this laptop as it is and tell "
                "the person responsible for the clinic's data.")
                .replace("%1", position).replace("%2", str(check.checked)))
            set_state(self.result_label, "state", "broken")
            self._select_bad()
        self.verified.emit(check)

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.result_label.setText(message_for(exc))
        set_state(self.result_label, "state", "broken")

    def _select_bad(self) -> None:
        """Tint the entries that can no longer be trusted; select the first one."""
        untrusted = QBrush(QColor("#fbe3e0"))
        for row, entry in enumerate(self._entries):
            bad = self._bad_seq is not None and entry.seq >= self._bad_seq
            for col in range(COLUMNS):
                item = self.table.item(row, col)
                if item is not None:
                    item.setBackground(untrusted if bad else QBrush())
        if self._bad_seq is None:
            return
        for row, entry in enumerate(self._entries):
            if entry.seq == self._bad_seq:
                self.table.selectRow(row)
                item = self.table.item(row, COL_SEQ)
                if item is not None:
                    self.table.scrollToItem(item)
                return
