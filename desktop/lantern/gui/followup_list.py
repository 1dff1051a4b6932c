"""The start screen's follow-up list (issue 16): Today / Overdue / This week / all open,
filterable by programme and village, with the phone numbers for tracing calls, and the
tracing outcome recorded from the keyboard (select a row, Alt+letter of the outcome).
"Died" is asked about first. The outcome just recorded can be taken back: *Undo* in
the bar under the list, or Ctrl+Z while the list has the focus (through the service,
audited as an undo); the bar names what was recorded and for whom until the next
outcome, the undo or a lock.

The list is rebuilt when the vault opens, when asked (F5), after an outcome, and at
every local midnight (a single-shot QTimer armed for the next midnight from the
injected ``clock``), so "overdue" always follows the date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lantern.clinical.followups import load_schedules
from lantern.domain.followups import Followup, FollowupRow, Outcome, Window
from lantern.gui.errors import MessageBox, show_error
from lantern.gui.formatting import format_date
from lantern.gui.session_bridge import SessionBridge
from lantern.services.roles import allowed

_Index = QModelIndex | QPersistentModelIndex


def allowed_followup(bridge: SessionBridge) -> bool:
    """Whether the open session's user may schedule follow-ups (``followup.write``)."""
    session = bridge.session
    return session is not None and allowed(session.user, "followup.write")


def ms_to_next_midnight(now: datetime) -> int:
    """Milliseconds from ``now`` (local) to one second after the next local midnight."""
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=1, microsecond=0)
    return max(1000, int((midnight - now).total_seconds() * 1000))


class FollowupListModel(QAbstractTableModel):
    COLUMN_COUNT = 8

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FollowupRow] = []
        self._lang = "en"

    def set_rows(self, rows: list[FollowupRow], *, lang: str = "en") -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._lang = lang
        self.endResetModel()

    def row_at(self, row: int) -> FollowupRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (self.tr("Due"), self.tr("Status"), self.tr("Name"), self.tr("Village"),
                    self.tr("Phone"), self.tr("Caregiver phone"), self.tr("Programme"),
                    self.tr("Reason"))[section]
        return None

    def status_text(self, row: FollowupRow) -> str:
        if row.overdue_days > 0:
            text = self.tr("Overdue %1 d").replace("%1", str(row.overdue_days))
        elif row.overdue_days == 0:
            text = self.tr("Today")
        else:
            text = self.tr("In %1 d").replace("%1", str(-row.overdue_days))
        outcome = row.followup.outcome
        if outcome is Outcome.CALLED:
            text += " · " + self.tr("called")
        elif outcome is Outcome.NOT_REACHABLE:
            text += " · " + self.tr("not reachable")
        return text

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        f = r.followup
        if role == Qt.ItemDataRole.DisplayRole:
            programme = load_schedules().get(f.programme)
            return (format_date(f.due), self.status_text(r), r.name, r.village, r.phone,
                    r.caregiver_phone, programme.name(self._lang) if programme else "",
                    f.reason)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return f.id
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and r.overdue_days > 0:
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        return None


class FollowupPanel(QWidget):
    """The list with its filters and outcome buttons. ``patient_activated(patient_id)``
    when a row is opened (Enter or double-click)."""

    patient_activated = Signal(str)
    refreshed = Signal(int)          # rows shown (tests wait on it)
    outcome_recorded = Signal(str)   # follow-up id
    outcome_undone = Signal(str)     # follow-up id

    def __init__(self, *, bridge: SessionBridge, clock: Callable[[], datetime] = datetime.now,
                 lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followupPanel")
        self._bridge = bridge
        self.clock = clock
        self._request = 0
        self.lang = lang      # programme names: "en" or "zh"
        self.title = QLabel(self.tr("Follow-ups"), self)
        self.title.setObjectName("sectionTitle")
        self.when = QComboBox(self)
        self.when.setObjectName("followupWhen")
        for label, window in ((self.tr("Overdue"), Window.OVERDUE), (self.tr("Today"), Window.TODAY),
                              (self.tr("This week"), Window.WEEK), (self.tr("All open"), Window.ALL)):
            self.when.addItem(label, window.value)
        self.when.setCurrentIndex(2)
        self.programme = QComboBox(self)
        self.programme.setObjectName("followupProgramme")
        self.programme.addItem(self.tr("All programmes"), "")
        for pid, p in load_schedules().items():
            self.programme.addItem(p.name(lang), pid)
        self.village = QLineEdit(self)
        self.village.setObjectName("followupVillage")
        self.village.setPlaceholderText(self.tr("Village"))
        self.village.setClearButtonEnabled(True)
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"), self)
        # the outcome just recorded, which Undo takes back: (follow-up id, its time)
        self._undoable: tuple[str, datetime] | None = None
        self._select_next: str | None = None     # the row to select after the next refresh
        self.undo_label = QLabel(self)
        self.undo_label.setObjectName("followupUndoLabel")
        self.undo_button = QPushButton(self.tr("&Undo"), self)
        self.undo_button.setObjectName("followupUndo")
        self.undo_button.setToolTip(self.tr("Take back the outcome just recorded (Ctrl+Z in "
                                            "the list)"))
        self.undo_button.clicked.connect(self.undo)
        self.model = FollowupListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("followupTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("hintLabel")
        self.outcome_buttons: dict[Outcome, QPushButton] = {}
        for outcome, text in ((Outcome.CAME, self.tr("&Came")), (Outcome.CALLED, self.tr("Ca&lled")),
                              (Outcome.NOT_REACHABLE, self.tr("&Not reachable")),
                              (Outcome.MOVED, self.tr("&Moved")), (Outcome.DIED, self.tr("&Died"))):
            button = QPushButton(text, self)
            button.setObjectName(f"outcome_{outcome.value}")
            button.clicked.connect(lambda _c=False, o=outcome: self.record_outcome(o))
            self.outcome_buttons[outcome] = button

        self.midnight = QTimer(self)
        self.midnight.setSingleShot(True)
        self.midnight.timeout.connect(self._at_midnight)
        self.when.currentIndexChanged.connect(lambda _i: self.refresh())
        self.programme.currentIndexChanged.connect(lambda _i: self.refresh())
        self.village.textChanged.connect(lambda _t: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self.table, self.undo,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())

        filters = QHBoxLayout()
        filters.addWidget(self.title)
        filters.addStretch(1)
        filters.addWidget(self.when)
        filters.addWidget(self.programme)
        filters.addWidget(self.village)
        filters.addWidget(self.refresh_button)
        outcomes = QHBoxLayout()
        outcomes.addWidget(self.count_label, 1)
        outcomes.addWidget(QLabel(self.tr("Outcome:"), self))
        for button in self.outcome_buttons.values():
            outcomes.addWidget(button)
        undo_bar = QHBoxLayout()
        undo_bar.addWidget(self.undo_label, 1)
        undo_bar.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(outcomes)
        layout.addLayout(undo_bar)
        self._update_buttons()
        self._set_undoable(None)

    # -- the date ------------------------------------------------------------------
    def arm_midnight(self) -> None:
        self.midnight.start(ms_to_next_midnight(self.clock()))

    def _at_midnight(self) -> None:
        self.refresh()
        self.arm_midnight()

    def start(self) -> None:
        """The vault opened: build the list for today and arm the midnight timer."""
        self.refresh()
        self.arm_midnight()

    def stop(self) -> None:
        """The vault locked: no patient data stays on screen."""
        self.midnight.stop()
        self._request += 1
        self.model.set_rows([])
        self.count_label.clear()
        self._set_undoable(None)      # the bar names a patient
        self._update_buttons()

    # -- the list ------------------------------------------------------------------
    def refresh(self) -> None:
        self._request += 1
        request = self._request
        when = self.when.currentData()
        programme = self.programme.currentData() or ""
        village = self.village.text().strip()
        today = self.clock().date()

        def work(session: Any) -> list[FollowupRow]:
            session.followups.record_visits()
            return session.followups.worklist(when=when, programme=programme, village=village,
                                              today=today)

        def show(rows: list[FollowupRow]) -> None:
            if request != self._request:
                return
            selected, self._select_next = self._select_next or self.selected_id(), None
            self.model.set_rows(rows, lang=self.lang)
            self.count_label.setText(self.tr("Follow-ups: %1").replace("%1", str(len(rows))))
            self._select(selected)
            self._update_buttons()
            self.refreshed.emit(len(rows))

        self._bridge.call(work, on_success=show, label=self.tr("Loading follow-ups…"))

    def _select(self, followup_id: str | None) -> None:
        for row in range(self.model.rowCount()):
            shown = self.model.row_at(row)
            if shown is not None and shown.followup.id == followup_id:
                self.table.selectRow(row)
                return

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], Qt.ItemDataRole.UserRole) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in self.outcome_buttons.values():
            button.setEnabled(chosen)

    def outcome_name(self, outcome: Outcome) -> str:
        return {Outcome.CAME: self.tr("Came"), Outcome.CALLED: self.tr("Called"),
                Outcome.NOT_REACHABLE: self.tr("Not reachable"), Outcome.MOVED: self.tr("Moved"),
                Outcome.DIED: self.tr("Died")}[outcome]

    def _selected_row(self) -> FollowupRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def record_outcome(self, outcome: Outcome) -> None:
        row = self._selected_row()
        if row is None:
            return
        followup_id, name = row.followup.id, row.name
        if outcome is Outcome.DIED and not MessageBox.question(
                self, title=self.tr("Record a death"),
                text=self.tr("Record that %1 has died? The follow-up is closed and leaves "
                             "the list.").replace("%1", name)):
            self.table.setFocus()
            return

        def done(saved: Followup) -> None:
            last = saved.outcomes[-1]
            self._set_undoable((followup_id, last.at), self.tr("%1: %2 recorded.").replace(
                "%1", name).replace("%2", self.outcome_name(outcome)))
            self.outcome_recorded.emit(followup_id)
            self.refresh()
            self.table.setFocus()

        self._bridge.call(lambda s: s.followups.record_outcome(followup_id, outcome),
                          on_success=done, label=self.tr("Saving…"))

    def _set_undoable(self, undoable: tuple[str, datetime] | None, text: str = "") -> None:
        self._undoable = undoable
        self.undo_label.setText(text)
        self.undo_button.setVisible(undoable is not None)
        self.undo_label.setVisible(bool(text))

    def undo(self) -> None:
        """Take back the outcome just recorded (the follow-up as it was before)."""
        undoable = self._undoable
        if undoable is None:
            return
        followup_id, at = undoable
        self._set_undoable(None, self.undo_label.text())    # one undo per outcome

        def done(_f: Followup) -> None:
            self._set_undoable(None, self.tr("Outcome undone."))
            self.outcome_undone.emit(followup_id)
            self._select_next = followup_id     # back on the list: selected again
            self.refresh()
            self.table.setFocus()

        def failed(exc: BaseException) -> None:
            self._set_undoable(None)
            show_error(self, exc)
            self.refresh()

        self._bridge.call(lambda s: s.followups.undo_outcome(followup_id, at=at),
                          on_success=done, on_failure=failed, label=self.tr("Undoing…"))

    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.patient_activated.emit(row.followup.patient_id)
