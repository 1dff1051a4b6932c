"""Surveillance alerts on screen until acknowledged (issue 17).

:class:`AlertCenter` holds the current (unacknowledged) alerts of the open vault,
computed (``AlertService.current``: a read, never a write) in a child process of its own
(:mod:`lantern.gui.report_process`, the Reports window's mechanism: the GUI process
only waits on a pipe, in the vault lane) when the vault opens, when the start screen is
shown again, after a note is signed and after an acknowledgement. The child holds the
keys while the vault is open; it ends at lock and is started afresh after a key change.
Acknowledging writes, in the GUI process's vault lane, the alert the child computed
(``AlertService.acknowledge_alert``: encrypted, audited). Two views read it:

* :class:`AlertPanel`, a compact list on the start screen above the follow-up list;
* :class:`PatientAlertBanner`, an orange strip in the chart of each patient whose case
  is part of an alert.

Both offer *Acknowledge* to admins and clinicians (``alert.acknowledge``); the service
stores it encrypted and audits it. At lock everything is cleared.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.report_process import ReportProcess
from lantern.gui.session_bridge import SessionBridge
from lantern.services.alerts import Alert
from lantern.services.roles import allowed

ALERT_COLOUR = "#e65100"      # deep orange: an alert, not an emergency (red is triage)
PANEL_ROWS = 4                # rows the start-screen list shows before it scrolls


def rule_text(alert: Alert) -> str:
    translate = QCoreApplication.translate
    texts = {
        "single_case": translate("AlertText", "single case of an immediately notifiable disease"),
        "weekly_threshold": translate("AlertText", "%1 cases this week (threshold %2)"),
        "village_cluster": translate("AlertText", "cluster of %1 cases in %3 (threshold %2)"),
        "historical": translate("AlertText", "%1 cases: above the usual for this week (%2)"),
    }
    text = texts.get(alert.rule, alert.rule)
    return (text.replace("%1", str(alert.count)).replace("%2", f"{alert.threshold:g}")
            .replace("%3", alert.village or ""))


def alert_line(alert: Alert, lang: str) -> str:
    """One line: disease — what fired — ISO week (and village for a single case)."""
    where = f" · {alert.village}" if alert.village and alert.rule == "single_case" else ""
    return f"{alert.name(lang)} — {rule_text(alert)} — {alert.week}{where}"


def translation_lang() -> str:
    """"zh" while the Chinese translation is in force, else "en" (disease names follow
    the interface's language, as the rest of the text does)."""
    code = QCoreApplication.translate("AlertText", "en", "language code of this translation")
    return "zh" if code == "zh" else "en"


def may_acknowledge(bridge: SessionBridge) -> bool:
    session = bridge.session
    return session is not None and allowed(session.user, "alert.acknowledge")


class AlertCenter(QObject):
    """The current alerts of the open vault (see the module doc)."""

    changed = Signal()
    acknowledged = Signal(str)     # alert key
    undo_changed = Signal()        # ``undoable`` changed

    def __init__(self, *, bridge: SessionBridge, clock: Callable[[], date] = date.today,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.clock = clock
        self.alerts: list[Alert] = []
        self.undoable: list[Alert] = []    # the acknowledgement just made, which Undo takes back
        self.list_name = "idsr"            # the notifiable-disease list (Settings → General)
        self._request = 0
        self._process = ReportProcess()    # computes the alerts; holds the keys while open
        bridge.key_rotated.connect(self._restart_process)

    def refresh(self) -> None:
        self._request += 1
        request = self._request
        today = self.clock()

        def show(alerts: list[Alert]) -> None:
            if request == self._request:
                self.alerts = list(alerts)
                self.changed.emit()

        list_name, process = self.list_name, self._process
        self._bridge.call(lambda s: process.call(s.context, "alerts", today=today,
                                                 list_name=list_name),
                          on_success=show, label=self.tr("Checking surveillance alerts…"))

    def _restart_process(self) -> None:
        """End the child (it holds the keys); the next refresh starts another."""
        self._process.stop()
        self._process = ReportProcess()

    def clear(self) -> None:
        self._request += 1
        self._restart_process()
        self.alerts = []
        self.undoable = []
        self.changed.emit()
        self.undo_changed.emit()

    def _find(self, key: str) -> Alert | None:
        return next((a for a in self.alerts if a.key == key), None)

    def for_patient(self, patient_id: str | None) -> list[Alert]:
        if not patient_id:
            return []
        return [a for a in self.alerts if patient_id in a.patient_ids]

    def acknowledge(self, key: str) -> None:
        alert = self._find(key)
        if alert is None:
            return

        def done(alert: Any) -> None:
            self.undoable = [a for a in self.undoable if a.key != alert.key] + [alert]
            self.undo_changed.emit()
            self.acknowledged.emit(alert.key)
            self.refresh()

        self._bridge.call(lambda s: s.alerts.acknowledge_alert(alert), on_success=done,
                          label=self.tr("Saving…"))

    def undo(self) -> None:
        """Take back the acknowledgements just made (audited as withdrawn): the alerts
        show again on the start screen and in the charts."""
        alerts = list(self.undoable)
        if not alerts:
            return
        self.undoable = []
        self.undo_changed.emit()

        def work(s: Any) -> None:
            for alert in alerts:
                s.alerts.withdraw_alert(alert)

        self._bridge.call(work, on_success=lambda _r: self.refresh(), label=self.tr("Saving…"))


class _AlertView(QFrame):
    """A view of the alert center, styled by ``style`` (``%s``: its object name)."""

    def __init__(self, name: str, style: str, *, center: AlertCenter, bridge: SessionBridge,
                 lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(style.replace("%s", name))
        self._center = center
        self._bridge = bridge
        self.lang = lang


class AlertPanel(_AlertView):
    """The start screen's compact list of current alerts (hidden when there are none)."""

    def __init__(self, *, center: AlertCenter, bridge: SessionBridge, lang: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__("alertPanel", f"QFrame#%s {{ border: 2px solid {ALERT_COLOUR}; "
                         "border-radius: 4px; }", center=center, bridge=bridge, lang=lang,
                         parent=parent)
        self.title = QLabel(self)
        self.title.setObjectName("alertTitle")
        self.title.setStyleSheet(f"color: {ALERT_COLOUR}; font-weight: bold;")
        self.list = QListWidget(self)
        self.list.setObjectName("alertList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ack_button = QPushButton(self.tr("&Acknowledge alert"), self)
        self.ack_button.setObjectName("alertAcknowledge")
        self.ack_button.setToolTip(self.tr(
            "Record that this alert was seen and acted on (notified, investigated). "
            "It then leaves the start screen and the charts."))
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.list.itemSelectionChanged.connect(self._update_button)
        self.undo_label = QLabel(self)
        self.undo_label.setObjectName("alertUndoLabel")
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("U&ndo acknowledgement"), self)
        self.undo_button.setObjectName("alertUndo")
        self.undo_button.setToolTip(self.tr("Take back the acknowledgement just recorded: the "
                                            "alert shows again (the withdrawal is audited)."))
        self.undo_button.clicked.connect(center.undo)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.ack_button)
        undo_bar = QHBoxLayout()
        undo_bar.addWidget(self.undo_label, 1)
        undo_bar.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.list)
        layout.addLayout(undo_bar)
        center.changed.connect(self.show_alerts)
        center.undo_changed.connect(self.show_alerts)
        self.show_alerts()

    def show_alerts(self) -> None:
        alerts = self._center.alerts
        self.list.clear()
        for a in alerts:
            item = QListWidgetItem(alert_line(a, self.lang or translation_lang()))
            item.setData(Qt.ItemDataRole.UserRole, a.key)
            item.setToolTip(a.source)
            self.list.addItem(item)
        self.title.setText(self.tr("Surveillance alerts (%1): notify the district as the "
                                   "guideline says").replace("%1", str(len(alerts))))
        row_height = self.list.sizeHintForRow(0) if alerts else 20
        self.list.setFixedHeight(row_height * min(len(alerts), PANEL_ROWS) + 6)
        if alerts:
            self.list.setCurrentRow(0)
        self.ack_button.setVisible(may_acknowledge(self._bridge) and bool(alerts))
        self.list.setVisible(bool(alerts))
        self._update_button()
        undoable = self._center.undoable
        if undoable:
            self.undo_label.setText(self.tr("Acknowledged: %1").replace(
                "%1", "; ".join(alert_line(a, self.lang or translation_lang()) for a in undoable)))
        self.undo_label.setVisible(bool(undoable))
        self.undo_button.setVisible(bool(undoable))
        self.setVisible(bool(alerts) or bool(undoable))

    def selected_key(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_button(self) -> None:
        self.ack_button.setEnabled(self.selected_key() is not None)

    def acknowledge_selected(self) -> None:
        key = self.selected_key()
        if key is not None and may_acknowledge(self._bridge):
            self.ack_button.setEnabled(False)
            self._center.acknowledge(key)


class PatientAlertBanner(_AlertView):
    """In a chart: the alerts this patient's cases are part of (hidden when none)."""

    def __init__(self, *, center: AlertCenter, bridge: SessionBridge, lang: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__("patientAlertBanner", f"QFrame#%s {{ background: {ALERT_COLOUR}; }} "
                         "QFrame#%s QLabel { color: white; font-weight: bold; }",
                         center=center, bridge=bridge, lang=lang, parent=parent)
        self.patient_id: str | None = None
        self.label = QLabel(self)
        self.label.setObjectName("patientAlertText")
        self.label.setWordWrap(True)
        self.ack_button = QPushButton(self.tr("Ac&knowledge"), self)
        self.ack_button.setObjectName("patientAlertAcknowledge")
        self.ack_button.clicked.connect(self.acknowledge)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.ack_button, 0, Qt.AlignmentFlag.AlignTop)
        center.changed.connect(self._update)
        self.hide()

    def show_for(self, patient_id: str | None) -> None:
        self.patient_id = patient_id
        self._update()

    def alerts(self) -> list[Alert]:
        return self._center.for_patient(self.patient_id)

    def _update(self) -> None:
        alerts = self.alerts()
        if not alerts:
            self.label.clear()
            self.hide()
            return
        lines = [self.tr("Surveillance alert — this patient is one of the cases:")]
        lines += [f"• {alert_line(a, self.lang or translation_lang())}" for a in alerts]
        self.label.setText("\n".join(lines))
        self.ack_button.setVisible(may_acknowledge(self._bridge))
        self.ack_button.setEnabled(True)
        self.show()

    def acknowledge(self) -> None:
        """Acknowledge the alerts shown (every one this patient is part of)."""
        if not may_acknowledge(self._bridge):
            return
        self.ack_button.setEnabled(False)
        for a in self.alerts():
            self._center.acknowledge(a.key)
