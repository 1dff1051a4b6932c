"""The main window: unlock screen, patient list, chart, menus and locking.

Extension points for panels added by other parts of Lantern:
``add_side_panel(widget, title)`` (a tab beside the open encounter),
``encounter_changed(note, vitals, age_years, sex, pregnant)``,
``add_tool_action(action)`` (Tools menu) and
``add_permanent_status_widget(widget)`` (status bar). ``session_opened`` /
``session_locked`` tell panels when to load or forget data; ``bridge`` runs
service calls for them.

Changing the UI language rebuilds the window (every text is created in the new
language): :meth:`MainWindow.hand_over` gives the open session, the task runner
and what is on screen to a new window, which :meth:`MainWindow.take_over` puts
back. Side panels that hold work of their own carry it over with
``export_state()`` / ``import_state(state)``. Nothing is locked or lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.errors import PossibleDuplicate
from lantern.domain.records import Patient
from lantern.gui.alert_banner import AlertCenter, AlertPanel, PatientAlertBanner
from lantern.gui.audit_dialog import AuditDialog
from lantern.gui.autolock import InactivityLock
from lantern.gui.backup import BackupController, may_back_up
from lantern.gui.change_passphrase_dialog import ChangePassphraseDialog
from lantern.gui.create_vault_dialog import CreateVaultDialog
from lantern.gui.duplicate_dialog import NEW_PATIENT, OPEN_EXISTING, DuplicateCandidatesDialog
from lantern.gui.encounter_view import EncounterView
from lantern.gui.enrol_dialogs import (
    EnrolDialog,
    JoinDialog,
    LaptopsDialog,
    may_enrol,
    may_list_laptops,
)
from lantern.gui.errors import MessageBox, show_error
from lantern.gui.followup_confirm import FollowupConfirmDialog
from lantern.gui.followup_list import FollowupPanel, allowed_followup
from lantern.gui.followup_schedule import DRAFT_KEY as SCHEDULE_DRAFT
from lantern.gui.followup_schedule import FollowupScheduler
from lantern.gui.patient_chart import PAGE_ENCOUNTER, PatientChart
from lantern.gui.patient_dialog import PatientDialog
from lantern.gui.patient_list import PatientListPanel
from lantern.gui.recovery_dialog import RecoveryDialog
from lantern.gui.reencryption import LANE as REENCRYPTION_LANE
from lantern.gui.reencryption import ReencryptionProgress
from lantern.gui.report_window import ReportWindow
from lantern.gui.resume import ResumeKeeper, capture_inputs, keep_draft
from lantern.gui.runner import TaskRunner
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.settings_dialog import GuiSettings, SettingsDialog
from lantern.gui.sync_settings import SyncController, SyncIndicator, SyncSettingsPage
from lantern.gui.unlock_view import UnlockView
from lantern.gui.users_dialog import UsersDialog, is_admin

PAGE_UNLOCK, PAGE_WORK = 0, 1
HANDOVER_WAIT_S = 30.0     # longest wait for queued work (a draft save) before a rebuild


@dataclass
class Handover:
    """What a rebuilt window takes over from the old one (see :meth:`MainWindow.hand_over`)."""

    runner: TaskRunner
    session: Any = None
    username: str = ""                 # typed on the unlock screen
    position: dict[str, Any] = field(default_factory=dict)   # MainWindow.position()
    list_visible: bool = True
    geometry: QByteArray | None = None
    panels: dict[str, Any] = field(default_factory=dict)
    sealed: dict[str, bytes] = field(default_factory=dict)   # ResumeKeeper's, while locked


class MainWindow(QMainWindow):
    encounter_changed = Signal(str, object, object, str, bool)
    session_opened = Signal()
    session_locked = Signal()
    vault_created = Signal()
    language_chosen = Signal(str)      # Settings: a different UI language ("" = system)
    handing_over = Signal()            # about to give the session to a rebuilt window

    def __init__(self, *, data_dir: Path, vault: Any, parent: QWidget | None = None,
                 runner: TaskRunner | None = None) -> None:
        """``vault`` is the session class (``VaultSession``) or a stand-in with
        ``exists(data_dir)``, ``create(data_dir, ...)`` and ``unlock(data_dir, ...)``.
        ``runner``: the task runner of the window this one replaces (its vault lane
        thread carries on), else a new one."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Lantern"))
        self.data_dir = Path(data_dir)
        self._vault = vault
        self._create_dialog: CreateVaultDialog | None = None
        self._join_dialog: JoinDialog | None = None
        self._recovery_dialog: RecoveryDialog | None = None
        self.users_dialog: QDialog | None = None
        self.audit_dialog: QDialog | None = None
        self.enrol_dialog: QDialog | None = None
        self.laptops_dialog: QDialog | None = None
        self.report_window: ReportWindow | None = None
        self.duplicate_dialog: QDialog | None = None
        self.passphrase_dialog: QDialog | None = None
        self.settings = GuiSettings(self.data_dir) if self.data_dir.exists() else None
        self._handed_over = False
        if runner is not None:
            runner.setParent(self)
        self.runner = runner if runner is not None else TaskRunner(parent=self)
        self.bridge = SessionBridge(runner=self.runner, parent=self)
        self.autolock = InactivityLock(
            minutes=self.settings.autolock_minutes if self.settings else 5, parent=self)
        self.autolock.timeout.connect(self.lock)
        self.backup = BackupController(window=self)
        # where the user was, sealed at each lock and put back at their next unlock
        self.resume = ResumeKeeper(bridge=self.bridge, runner=self.runner,
                                   position=self.position, go_to=self.go_to, parent=self)
        self.resume.add_reopener("register_patient", lambda _args: self.register_patient())
        self.resume.add_reopener("edit_patient", self._reopen_edit_patient)
        self.resume.add_reopener("add_to_list", self._reopen_list_entry)
        self.resume.add_reopener("amend", self._reopen_amendment)
        self.backup.restored.connect(self._on_restored)
        self.sync = SyncController(bridge=self.bridge, data_dir=self.data_dir, parent=self)

        self.unlock_view = UnlockView(
            runner=self.runner, parent=self,
            unlock_fn=lambda **kw: self._vault.unlock(self.data_dir, **kw))
        self.unlock_view.unlocked.connect(self._on_unlocked)
        self.unlock_view.recover_requested.connect(self.recover_vault)
        self.unlock_view.restore_requested.connect(self.restore_backup)
        self.patient_list = PatientListPanel(bridge=self.bridge, parent=self)
        self.sync.records_changed.connect(self.patient_list.refresh)   # a sync brought records
        self.chart = PatientChart(bridge=self.bridge, parent=self)
        self.empty_label = QLabel(self.tr(
            "Select a patient on the left, or register a new one with Ctrl+N."), self)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # the start screen: the follow-up list (issue 16) under the hint
        self.followups = FollowupPanel(bridge=self.bridge, lang=self._ui_lang(), parent=self)
        # surveillance alerts until acknowledged (issue 17): on the start screen and charts
        self.alert_center = AlertCenter(bridge=self.bridge, parent=self)
        self.alert_panel = AlertPanel(center=self.alert_center, bridge=self.bridge, parent=self)
        self.start_page = QWidget(self)
        start_layout = QVBoxLayout(self.start_page)
        start_layout.setContentsMargins(0, 0, 0, 0)
        start_layout.addWidget(self.empty_label)
        start_layout.addWidget(self.alert_panel)
        start_layout.addWidget(self.followups, 1)
        self.followup_dialog: QDialog | None = None
        self._closing_dialogs = False
        # Patient → Schedule follow-up… (a follow-up set by hand from the chart)
        self.scheduler = FollowupScheduler(bridge=self.bridge, parent=self, lang=self._ui_lang,
                                           closing=lambda: self._closing_dialogs)
        self.scheduler.scheduled.connect(self._followup_scheduled)
        self.resume.add_reopener(SCHEDULE_DRAFT, self._reopen_schedule)
        self.right = QStackedWidget(self)
        self.right.addWidget(self.start_page)
        self.right.addWidget(self.chart)
        self.workspace = QSplitter(Qt.Orientation.Horizontal, self)
        self.workspace.addWidget(self.patient_list)
        self.workspace.addWidget(self.right)
        self.workspace.setStretchFactor(0, 0)
        self.workspace.setStretchFactor(1, 1)
        self.workspace.setSizes([420, 940])
        self.workspace.setChildrenCollapsible(False)
        # red banner shown when the unlock's integrity check found outside changes
        # (the session is then read-only; docs/vault.md)
        self.integrity_banner = QLabel(self)
        self.integrity_banner.setObjectName("integrityBanner")
        self.integrity_banner.setWordWrap(True)
        self.integrity_banner.setMargin(8)
        self.integrity_banner.setStyleSheet(
            "QLabel#integrityBanner { background: #b00020; color: white; font-weight: bold; }")
        self.integrity_banner.hide()
        work_page = QWidget(self)
        work_layout = QVBoxLayout(work_page)
        work_layout.setContentsMargins(0, 0, 0, 0)
        work_layout.setSpacing(0)
        work_layout.addWidget(self.integrity_banner)
        work_layout.addWidget(self.workspace, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.unlock_view)
        self.pages.addWidget(work_page)
        self.setCentralWidget(self.pages)

        self.patient_list.patient_activated.connect(self.open_patient)
        self.patient_list.register_requested.connect(self.register_patient)
        self.chart.edit_patient_requested.connect(self.edit_patient)
        self.chart.records_merged.connect(lambda _p: self.patient_list.refresh())
        self.chart.encounter_view.encounter_changed.connect(self.encounter_changed)
        self.chart.encounter_view.signed.connect(lambda _e: self.patient_list.refresh())
        self.chart.encounter_view.signed.connect(self.offer_followup)
        self.followups.patient_activated.connect(self.open_patient)
        self.patient_alerts = PatientAlertBanner(center=self.alert_center, bridge=self.bridge,
                                                 parent=self.chart)
        chart_layout = self.chart.layout()
        assert isinstance(chart_layout, QVBoxLayout)
        chart_layout.insertWidget(1, self.patient_alerts)     # under the chart header
        self.chart.patient_loaded.connect(lambda p: self.patient_alerts.show_for(p.id))
        self.chart.encounter_view.signed.connect(lambda _e: self.alert_center.refresh())
        self.chart.pages.currentChanged.connect(self._chart_page_changed)
        self._list_auto_hidden = False
        self._going_to: list[tuple[Any, Any]] = []    # go_to()'s waiting slots (signal, slot)

        self._build_menus()
        self._build_status_bar()
        self._set_locked_ui()

    # --- construction -------------------------------------------------------------
    def _action(self, text: str, slot: Any,
                shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
                *, needs_session: bool = True) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        if needs_session:
            self._session_actions.append(action)
        return action

    def _build_menus(self) -> None:
        self._session_actions: list[QAction] = []
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.lock_action = self._action(self.tr("&Lock"), self.lock, "Ctrl+L")
        self.settings_action = self._action(self.tr("&Settings…"), self.open_settings,
                                            needs_session=False)
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit,
                                        needs_session=False)
        self.passphrase_action = self._action(self.tr("Change &passphrase…"),
                                              self.change_passphrase)
        self.backup_action = self._action(self.tr("&Back up vault…"), self.back_up_vault)
        file_menu.addActions([self.lock_action, self.passphrase_action, self.backup_action,
                              self.settings_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        patient_menu = self.menuBar().addMenu(self.tr("&Patient"))
        self.find_action = self._action(self.tr("&Find patient"), self.focus_search, "Ctrl+F")
        self.register_action = self._action(self.tr("&Register patient…"),
                                            self.register_patient, "Ctrl+N")
        self.edit_action = self._action(self.tr("&Edit patient…"),
                                        lambda: self.edit_patient(self.chart.patient))
        self.encounter_action = self._action(self.tr("New e&ncounter"),
                                             self.chart.new_encounter, "Ctrl+E")
        self.schedule_action = self._action(self.tr("Schedule follo&w-up…"),
                                            self.schedule_followup, "Ctrl+Shift+F")
        patient_menu.addActions([self.find_action, self.register_action, self.edit_action,
                                 self.encounter_action, self.schedule_action])
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.list_action = self._action(self.tr("&Patient list"), self._list_toggled, "F9",
                                        needs_session=False)
        self.list_action.setCheckable(True)
        self.list_action.setChecked(True)
        view_menu.addAction(self.list_action)
        self.followup_action = self._action(self.tr("&Follow-up list"), self.show_followups,
                                            "Ctrl+Shift+U")
        view_menu.addAction(self.followup_action)
        self.reports_action = self._action(self.tr("&Reports…"), self.open_reports,
                                           "Ctrl+Shift+R")
        view_menu.addAction(self.reports_action)
        self.tools_menu: QMenu = self.menuBar().addMenu(self.tr("&Tools"))
        self.users_action = self._action(self.tr("&Users…"), self.open_users)
        self.audit_action = self._action(self.tr("&Audit log…"), self.open_audit)
        self.enrol_action = self._action(self.tr("&Enrol a laptop…"), self.enrol_laptop)
        self.laptops_action = self._action(self.tr("&Laptops of this clinic…"), self.open_laptops)
        self._admin_actions = [self.users_action, self.audit_action,   # shown to admins only
                               self.enrol_action, self.laptops_action]
        self.tools_menu.addActions(self._admin_actions)
        self.tools_menu.addSeparator()
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About Lantern"), self.about,
                                         needs_session=False))
        for action in self._session_actions + [self.settings_action, self.quit_action,
                                               self.list_action]:
            self.addAction(action)   # shortcuts work wherever the focus is

    def _build_status_bar(self) -> None:
        self.user_label = QLabel(self)
        self.busy_label = QLabel(self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.hide()
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.busy_label, 1)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.reencryption = ReencryptionProgress(bridge=self.bridge, parent=self)
        self.statusBar().addPermanentWidget(self.reencryption)
        self.sync_indicator = SyncIndicator(controller=self.sync, parent=self)
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self._busy_timer = QTimer(self)   # only show the spinner for work that takes a while
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(300)
        self._busy_timer.timeout.connect(self._show_busy)
        self._busy_text = ""
        self.runner.busy_changed.connect(self._on_busy)

    def _on_busy(self, busy: bool, label: str) -> None:
        # the background re-encryption shows its own progress (gui/reencryption.py)
        foreground = [t for t in self.runner.active_tasks if t.lane != REENCRYPTION_LANE]
        busy, label = bool(foreground), foreground[-1].label if foreground else ""
        self._busy_text = label if busy else ""
        if busy:
            if self.busy_bar.isVisible():
                self.busy_label.setText(self._busy_text)
            elif not self._busy_timer.isActive():
                self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy_bar.hide()
            self.busy_label.setText("")

    def _show_busy(self) -> None:
        self.busy_label.setText(self._busy_text)
        self.busy_bar.show()

    def _list_toggled(self) -> None:
        self._list_auto_hidden = False
        self.patient_list.setVisible(self.list_action.isChecked())

    def _chart_page_changed(self, page: int) -> None:
        """With side panels plugged in, an open encounter gets the whole width
        (F9 brings the list back); the list returns with the chart."""
        if page == 1 and self.encounter_view.has_side_panels and self.patient_list.isVisible():
            self._list_auto_hidden = True
            self.patient_list.hide()
            self.list_action.setChecked(False)
        elif page == 0 and self._list_auto_hidden:
            self._list_auto_hidden = False
            self.patient_list.show()
            self.list_action.setChecked(True)

    # --- extension points -----------------------------------------------------------
    def add_side_panel(self, widget: QWidget, title: str) -> int:
        return self.chart.encounter_view.add_side_panel(widget, title)

    def add_tool_action(self, action: QAction) -> None:
        self.tools_menu.addAction(action)
        self.addAction(action)

    def add_permanent_status_widget(self, widget: QWidget) -> None:
        self.statusBar().addPermanentWidget(widget)

    @property
    def encounter_view(self) -> EncounterView:
        return self.chart.encounter_view

    # --- start, unlock, lock -----------------------------------------------------------
    def start(self) -> None:
        """Show the create-vault dialog on first start, else the unlock screen."""
        if self._vault.exists(self.data_dir):
            self._show_unlock()
        else:
            QTimer.singleShot(0, self.create_vault)

    def create_vault(self) -> None:
        """Open the create-vault dialog (window-modal, not a nested event loop)."""
        dialog = CreateVaultDialog(
            runner=self.runner, parent=self,
            create_fn=lambda **kw: self._vault.create(self.data_dir, **kw))
        self._create_dialog = dialog
        dialog.finished.connect(lambda code: self._create_finished(dialog, code))
        dialog.restore_requested.connect(lambda: self.restore_backup(parent=dialog))
        dialog.join_requested.connect(lambda: self.join_clinic(parent=dialog))
        dialog.open()

    def join_clinic(self, parent: QWidget | None = None) -> None:
        """"Join clinic…" on the first-start screen: an enrolment file and code, or
        the clinic's server, database and code (gui/enrol_dialogs.py); the unlock
        screen follows."""
        dialog = JoinDialog(runner=self.runner, data_dir=self.data_dir, parent=parent or self)
        self._join_dialog = dialog

        def finished(code: int) -> None:
            self._join_dialog = None
            dialog.deleteLater()
            if code == QDialog.DialogCode.Accepted and dialog.joined is not None:
                self._on_restored(str(dialog.joined.vault))

        dialog.finished.connect(finished)
        dialog.open()

    def _create_finished(self, dialog: CreateVaultDialog, code: int) -> None:
        session = dialog.session
        self._create_dialog = None
        dialog.deleteLater()
        if code == QDialog.DialogCode.Accepted and session is not None:
            self.vault_created.emit()
            self._on_unlocked(session)
        elif not self._vault.exists(self.data_dir):
            self.close()
        else:
            self._show_unlock()

    def recover_vault(self) -> None:
        """Forgotten passphrase: the recovery-key dialog (window-modal)."""
        dialog = RecoveryDialog(
            runner=self.runner, parent=self, username=self.unlock_view.username.text(),
            recover_fn=lambda **kw: self._vault.recover(self.data_dir, **kw))
        self._recovery_dialog = dialog

        def finished(code: int) -> None:
            session = dialog.session
            self._recovery_dialog = None
            dialog.deleteLater()
            if code == QDialog.DialogCode.Accepted and session is not None:
                self._on_unlocked(session)

        dialog.finished.connect(finished)
        dialog.open()

    def _show_unlock(self) -> None:
        self.pages.setCurrentIndex(PAGE_UNLOCK)
        self.unlock_view.reset(username=self.settings.last_user if self.settings else "")

    def _on_unlocked(self, session: Any) -> None:
        if self.settings is None:
            self.settings = GuiSettings(self.data_dir)
            self.autolock.set_minutes(self.settings.autolock_minutes)
        self.settings.last_user = session.user.username
        self.bridge.attach(session)
        self.unlock_view.set_clinic(session.clinic_name)
        self.user_label.setText(self.tr("%1 · %2").replace("%1", session.user.username)
                                .replace("%2", session.clinic_name))
        self.setWindowTitle(self.tr("Lantern — %1").replace("%1", session.clinic_name))
        for action in self._session_actions:
            action.setEnabled(True)
        for action in self._admin_actions:
            action.setVisible(is_admin(self.bridge))
        self.backup_action.setVisible(may_back_up(self.bridge))
        self.schedule_action.setVisible(allowed_followup(self.bridge))
        self._show_integrity(getattr(session, "integrity", None))
        self.pages.setCurrentIndex(PAGE_WORK)
        self.right.setCurrentIndex(0)
        self.patient_list.refresh()
        self.followups.lang = self._ui_lang()
        self.followups.start()
        self.alert_center.list_name = self.settings.surveillance_list
        self.alert_center.refresh()
        self.patient_list.search.setFocus()
        self.autolock.start()
        self.session_opened.emit()
        self.resume.resume()       # the same user returns to where they were

    def _show_integrity(self, check: Any) -> None:
        """The red banner naming what the unlock's integrity check found, if anything."""
        if check is None or check.ok:
            self.integrity_banner.hide()
            return
        lines = check.lines()
        shown = "\n".join(f"• {line}" for line in lines[:4])
        more = self.tr("\n… and %1 more.").replace("%1", str(len(lines) - 4)) if len(lines) > 4 else ""
        self.integrity_banner.setText(self.tr(
            "Integrity alarm: this vault was changed outside Lantern. It is open READ-ONLY and "
            "nothing will be saved until an administrator reviews the findings "
            "(lantern vault accept-state) or restores a backup.") + "\n" + shown + more)
        self.integrity_banner.show()

    def _set_locked_ui(self) -> None:
        for action in self._session_actions:
            action.setEnabled(False)
        for action in self._admin_actions:
            action.setVisible(False)
        self.user_label.setText("")
        self.integrity_banner.hide()

    def lock(self) -> None:
        """Save the draft, close dialogs, wipe every view, lock the session."""
        if not self.bridge.is_open:
            return
        self.chart.encounter_view.save_now()   # queued before the lock in the vault lane
        self.resume.capture()                  # sealed in the vault lane, also before the lock
        self._forget_going_to()
        self.autolock.stop()
        self._closing_dialogs = True
        try:
            self._close_dialogs()
        finally:
            self._closing_dialogs = False
        self.patient_list.clear()
        self.followups.stop()
        self.alert_center.clear()
        self.patient_alerts.show_for(None)
        self.chart.clear()
        self.right.setCurrentIndex(0)
        self.bridge.lock()
        clipboard = QApplication.clipboard()
        if clipboard.ownsClipboard():      # text copied from a chart goes too
            clipboard.clear()
        self._set_locked_ui()
        self.setWindowTitle(self.tr("Lantern"))
        self.session_locked.emit()
        self._show_unlock()

    def _close_dialogs(self) -> None:
        """Reject open dialogs (their callers delete them when exec returns) and
        delete hidden leftovers, so no patient text survives in a dialog."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget is not self._create_dialog_or_none():
                if widget.isVisible():
                    widget.reject()
                else:
                    widget.deleteLater()

    def _create_dialog_or_none(self) -> Any:
        return self._create_dialog

    # --- backup and restore -----------------------------------------------------------
    def back_up_vault(self) -> Any:
        """File → Back up vault…: an encrypted copy to a chosen file, with progress."""
        return self.backup.back_up()

    def restore_backup(self, parent: QWidget | None = None) -> Any:
        """Restore from backup… (first start / unlock screen): only into an empty data dir."""
        return self.backup.restore(parent)

    def _on_restored(self, _path: str) -> None:
        if self._create_dialog is not None:
            self._create_dialog.reject()      # the vault exists now: the unlock screen follows
        else:
            self._show_unlock()

    # --- patients ------------------------------------------------------------------
    # --- follow-ups (issue 16) ------------------------------------------------------
    def _ui_lang(self) -> str:
        """The language the interface is shown in (the installed translation), for data
        with its own wording (programme names)."""
        return "zh" if self.tr("en", "language code of this translation") == "zh" else "en"

    def show_followups(self) -> None:
        """The start screen with the follow-up list, focus in the list."""
        self.right.setCurrentIndex(0)
        self.followups.refresh()
        self.alert_center.refresh()
        self.followups.table.setFocus()

    def offer_followup(self, encounter: Any) -> None:
        """After signing: ask the clinician to confirm, edit or decline what the note
        and the programme schedules propose (nothing when they propose nothing)."""
        if not allowed_followup(self.bridge):
            return

        shown = self.chart.patient      # the chart the note was signed in (its age, birth date)
        patient = shown if shown is not None and shown.id == encounter.patient_id else None
        birth_date = patient.birth_date if patient is not None else None

        def ask(proposals: list) -> None:
            if not proposals or not self.bridge.is_open:
                return
            visit = encounter.created_at.astimezone().date()
            dialog = FollowupConfirmDialog(proposals=proposals, visit=visit, patient=patient,
                                           lang=self._ui_lang(), parent=self)
            self.followup_dialog = dialog

            def finished(code: int) -> None:
                self.followup_dialog = None
                dialog.deleteLater()
                if self._closing_dialogs or not self.bridge.is_open:
                    return      # closed by the lock: neither confirmed nor declined
                if code == QDialog.DialogCode.Accepted:
                    values = dialog.values()
                    self.bridge.call(lambda s: s.followups.confirm(encounter.id, **values),
                                     on_success=lambda _f: self.followups.refresh(),
                                     label=self.tr("Saving…"))
                else:
                    self.bridge.call(lambda s: s.followups.decline(encounter.id),
                                     label=self.tr("Saving…"))

            dialog.finished.connect(finished)
            dialog.open()

        self.bridge.call(lambda s: s.followups.proposals(encounter.id, birth_date=birth_date),
                         on_success=ask,
                         label=self.tr("Reading the follow-up…"))

    def schedule_followup(self) -> None:
        """Patient → Schedule follow-up… for the open chart (and its open encounter)."""
        if not allowed_followup(self.bridge):
            return
        if self.right.currentIndex() != 1 or self.chart.patient is None:
            self.statusBar().showMessage(self.tr("Open a patient's chart to schedule a "
                                                 "follow-up."), 5000)
            return
        encounter = (self.encounter_view.encounter
                     if self.chart.pages.currentIndex() == PAGE_ENCOUNTER else None)
        self.scheduler.open(self.chart.patient, encounter=encounter)

    def _followup_scheduled(self, followup: Any) -> None:
        self.statusBar().showMessage(self.tr("Follow-up scheduled for %1.").replace(
            "%1", followup.due.isoformat()), 5000)
        self.followups.refresh()

    def _reopen_schedule(self, args: dict[str, str]) -> None:
        patient = self.chart.patient
        if patient is None or patient.id != args.get("patient_id"):
            return
        encounter = self.encounter_view.encounter
        wanted = args.get("encounter_id")
        self.scheduler.open(patient, encounter=encounter if wanted and encounter is not None
                            and encounter.id == wanted else None)

    def focus_search(self) -> None:
        self.patient_list.search.setFocus()
        self.patient_list.search.selectAll()

    def open_patient(self, patient_id: str) -> None:
        self.right.setCurrentIndex(1)
        self.patient_list.select_patient(patient_id)
        self.chart.open_patient(patient_id)
        # Focus leaves the search box for the chart: a line edit keeps Ctrl+E (end of line)
        # for itself, so New encounter would do nothing from there.
        self.chart.take_focus()

    def register_patient(self, values: dict[str, Any] | None = None) -> None:
        """The registration form (``values``: what was typed before, back from the
        possible-duplicates list)."""
        if not self.bridge.is_open:
            return
        dialog = PatientDialog(parent=self)
        if values:
            dialog.fill(values)
        keep_draft(dialog, "register_patient")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.submit_new_patient(dialog.values())
        dialog.deleteLater()

    def submit_new_patient(self, values: dict[str, Any], *, confirmed_new: bool = False) -> None:
        def added(patient: Patient) -> None:
            self.patient_list.refresh()
            self.open_patient(patient.id)

        def refused(exc: BaseException) -> None:
            if isinstance(exc, PossibleDuplicate):
                self._ask_about_duplicates(exc, values)
            else:
                show_error(self, exc)

        self.bridge.call(lambda s: s.records.add_patient(**values, confirmed_new=confirmed_new),
                         on_success=added, on_failure=refused,
                         label=self.tr("Registering patient…"))

    def _ask_about_duplicates(self, exc: PossibleDuplicate, values: dict[str, Any]) -> None:
        dialog = DuplicateCandidatesDialog(candidates=exc.candidates, parent=self)
        # a lock here keeps the registration form as typed (reopened after the unlock)
        keep_draft(dialog, "register_patient", inputs=lambda: self._form_inputs(values))

        def finished(code: int) -> None:
            chosen = dialog.chosen_id()
            if code == OPEN_EXISTING and chosen:
                self.open_patient(chosen)
            elif code == NEW_PATIENT:
                self.submit_new_patient(values, confirmed_new=True)
            else:   # back to the form with what was typed (not while locking: then closed)
                QTimer.singleShot(0, lambda: self.register_patient(values))

        dialog.finished.connect(finished)
        self._open_dialog(dialog, "duplicate_dialog")

    def edit_patient(self, patient: Patient | None) -> None:
        if patient is None or not self.bridge.is_open:
            return
        dialog = PatientDialog(patient=patient, parent=self)
        keep_draft(dialog, "edit_patient", patient_id=patient.id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            updated = dialog.updated_patient()
            def updated_shown(p: Patient) -> None:
                self.patient_list.refresh()
                self.chart.open_patient(p.id)

            self.bridge.call(lambda s: s.records.update_patient(updated), on_success=updated_shown)
        dialog.deleteLater()

    def _form_inputs(self, values: dict[str, Any]) -> dict[str, Any]:
        form = PatientDialog(parent=self)
        try:
            form.fill(values)
            return capture_inputs(form)
        finally:
            form.deleteLater()

    def _reopen_edit_patient(self, args: dict[str, str]) -> None:
        patient = self.chart.patient
        if patient is not None and patient.id == args.get("patient_id"):
            self.edit_patient(patient)

    def _reopen_amendment(self, args: dict[str, str]) -> None:
        encounter = self.encounter_view.encounter
        if encounter is not None and encounter.id == args.get("encounter_id"):
            self.encounter_view.request_amend()

    def _reopen_list_entry(self, args: dict[str, str]) -> None:
        for panel in (self.chart.allergies, self.chart.medications, self.chart.problems):
            if panel.kind.name == args.get("list") and self.chart.patient is not None:
                self.chart.tabs.setCurrentWidget(panel)
                panel.add_item()

    # --- where the user is (language switch, resume after a lock) ---------------------
    def position(self) -> dict[str, Any]:
        """The open patient, chart tab, encounter, side tab and note cursor ({} if none)."""
        if not self.bridge.is_open or self.right.currentIndex() != 1 or self.chart.patient is None:
            return {}
        position: dict[str, Any] = {"patient_id": self.chart.patient.id,
                                    "chart_tab": self.chart.tabs.currentIndex()}
        view = self.encounter_view
        if self.chart.pages.currentIndex() == PAGE_ENCOUNTER and view.encounter:
            position.update(encounter_id=view.encounter.id, side_tab=view.side_tabs.currentIndex(),
                            cursor=view.note.textCursor().position())
        return position

    def go_to(self, position: dict[str, Any], then: Callable[[], None] | None = None) -> None:
        """Show what :meth:`position` gave; ``then`` runs once the chart (and encounter)
        is back, or at once when there is nothing to show or it cannot be opened."""
        patient_id = position.get("patient_id")
        if not isinstance(patient_id, str):
            if then is not None:
                then()
            return
        encounter_id = position.get("encounter_id")

        def encounter_back(encounter: Any, _patient: Any) -> None:
            self._stop_waiting(self.encounter_view.encounter_opened, encounter_back)
            if encounter.id != encounter_id:
                return
            side_tab = position.get("side_tab", -1)
            if isinstance(side_tab, int) and side_tab >= 0:
                self.encounter_view.side_tabs.setCurrentIndex(side_tab)
            cursor = position.get("cursor")
            if isinstance(cursor, int):
                note = self.encounter_view.note
                text_cursor = note.textCursor()
                text_cursor.setPosition(min(cursor, len(note.toPlainText())))
                note.setTextCursor(text_cursor)
                note.setFocus()
            if then is not None:
                then()

        def chart_back(patient: Patient) -> None:
            self._stop_waiting(self.chart.patient_loaded, chart_back)
            if patient.id != patient_id:
                return
            tab = position.get("chart_tab", 0)
            self.chart.tabs.setCurrentIndex(tab if isinstance(tab, int) else 0)
            if encounter_id is None:
                self.chart.take_focus()
                if then is not None:
                    then()

        def missing(_exc: BaseException) -> None:   # merged or gone meanwhile: the start screen
            if then is not None:
                then()

        def found(_patient: Patient) -> None:
            if isinstance(encounter_id, str):
                self._wait_for(self.encounter_view.encounter_opened, encounter_back)
            self._wait_for(self.chart.patient_loaded, chart_back)
            self.right.setCurrentIndex(1)
            self.patient_list.select_patient(patient_id)
            self.chart.open_patient(patient_id, encounter_id=encounter_id
                                    if isinstance(encounter_id, str) else None)

        self.bridge.call(lambda s: s.records.get_patient(patient_id), on_success=found,
                         on_failure=missing)

    def _wait_for(self, signal: Any, slot: Any) -> None:
        signal.connect(slot)
        self._going_to.append((signal, slot))

    def _stop_waiting(self, signal: Any, slot: Any) -> None:
        for i, (_signal, waiting) in enumerate(self._going_to):
            if waiting is slot:     # (a signal attribute is a new object at each access)
                del self._going_to[i]
                signal.disconnect(slot)
                return

    def _forget_going_to(self) -> None:
        """A lock drops what go_to() still waits for (its closures hold what to put back)."""
        for signal, slot in list(self._going_to):
            self._stop_waiting(signal, slot)

    # --- users, passphrase, audit (window-modal; closed on lock) ----------------------
    def _open_dialog(self, dialog: QDialog, attr: str) -> QDialog:
        setattr(self, attr, dialog)

        def finished(_code: int) -> None:
            if getattr(self, attr, None) is dialog:
                setattr(self, attr, None)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def open_users(self) -> None:
        if is_admin(self.bridge):
            self._open_dialog(UsersDialog(bridge=self.bridge, parent=self), "users_dialog")

    def enrol_laptop(self) -> None:
        if may_enrol(self.bridge):
            self._open_dialog(EnrolDialog(bridge=self.bridge, parent=self), "enrol_dialog")

    def open_laptops(self) -> None:
        if may_list_laptops(self.bridge):
            self._open_dialog(LaptopsDialog(bridge=self.bridge, parent=self), "laptops_dialog")

    def open_audit(self) -> None:
        if is_admin(self.bridge):
            self._open_dialog(AuditDialog(bridge=self.bridge, parent=self), "audit_dialog")

    def open_reports(self) -> None:
        """View → Reports… (issue 17): the month's report with its charts and exports."""
        if not self.bridge.is_open:
            return
        if self.report_window is not None:
            self.report_window.raise_()
            self.report_window.activateWindow()
            return
        window = ReportWindow(bridge=self.bridge, parent=self,
                              list_name=self.settings.surveillance_list if self.settings else "idsr")
        self._open_dialog(window, "report_window")
        window.refresh()

    def change_passphrase(self) -> None:
        if self.bridge.is_open:
            self._open_dialog(ChangePassphraseDialog(bridge=self.bridge, parent=self),
                              "passphrase_dialog")

    # --- misc ------------------------------------------------------------------------
    def open_settings(self) -> None:
        minutes = self.settings.autolock_minutes if self.settings else 5
        before = self.settings.language if self.settings else ""
        dialog = SettingsDialog(minutes=minutes, parent=self, language=before,
                                letterhead=self.settings.letterhead if self.settings else None,
                                facilities=self.settings.facilities if self.settings else None,
                                surveillance_list=self.settings.surveillance_list if self.settings
                                else "idsr")
        sync_page = None
        if self.bridge.is_open:     # Settings → Sync works on the open vault
            sync_page = SyncSettingsPage(controller=self.sync, parent=dialog)
            dialog.tabs.addTab(sync_page, sync_page.title())
        chosen = None
        if dialog.exec() == QDialog.DialogCode.Accepted and self.settings is not None:
            if sync_page is not None:
                sync_page.save()
            self.settings.autolock_minutes = dialog.autolock.value()
            chosen_list = dialog.surveillance.currentData()
            if chosen_list != self.settings.surveillance_list:
                self.settings.surveillance_list = chosen_list
                self.alert_center.list_name = chosen_list
                if self.bridge.is_open:
                    self.alert_center.refresh()
            self.settings.language = dialog.language.currentData()
            self.settings.letterhead = dialog.letters.letterhead()
            self.settings.facilities = dialog.letters.facilities()
            self.autolock.set_minutes(dialog.autolock.value())
            chosen = self.settings.language
        dialog.deleteLater()
        if chosen is not None and chosen != before:
            # after the dialog is gone: the receiver may replace this window
            QTimer.singleShot(0, lambda: self.language_chosen.emit(chosen))

    # --- rebuilding the window (language switch) --------------------------------------
    def _side_panels(self) -> list[QWidget]:
        tabs = self.encounter_view.side_tabs
        return [w for i in range(tabs.count()) if (w := tabs.widget(i)) is not None]

    def hand_over(self) -> Handover:
        """Give the open session and what is on screen to a replacement window.

        The draft is saved and queued work is waited for (model work is stopped
        first); the session is detached, not locked. This window is then inert:
        closing it neither locks nor stops the runner, which the new window owns.
        """
        self.handing_over.emit()
        handover = Handover(runner=self.runner, geometry=self.saveGeometry(),
                            list_visible=self.list_action.isChecked(),
                            username=self.unlock_view.username.text(),
                            sealed=self.resume.export_sealed())
        view = self.encounter_view
        if self.bridge.is_open:
            view.save_now()
            handover.position = self.position()
            if "encounter_id" in handover.position:
                handover.panels = {
                    panel.objectName(): panel.export_state()
                    for panel in self._side_panels()
                    if hasattr(panel, "export_state") and panel.objectName()}
        for task in self.runner.active_tasks:
            if task.lane == "model":
                task.cancel()            # a summary being written stops at the next token
        self.runner.wait_all(HANDOVER_WAIT_S)
        handover.session = self.bridge.detach()
        self.autolock.stop()
        self._handed_over = True
        # forget patient data shown here (the widgets go with this window)
        self.patient_list.clear()
        self.chart.clear()
        return handover

    def take_over(self, handover: Handover) -> None:
        """Show what :meth:`hand_over` gave: the session, patient, encounter and panels."""
        if handover.geometry is not None:
            self.restoreGeometry(handover.geometry)
        self.list_action.setChecked(handover.list_visible)
        self.patient_list.setVisible(handover.list_visible)
        self.resume.import_sealed(handover.sealed)
        if handover.session is None:
            self.start()                  # the unlock screen, or the create-vault dialog
            if handover.username:
                self.unlock_view.username.setText(handover.username)
            return
        self._on_unlocked(handover.session)

        def panels_back() -> None:
            for panel in self._side_panels():
                state = handover.panels.get(panel.objectName())
                if state is not None and hasattr(panel, "import_state"):
                    panel.import_state(state)

        self.go_to(handover.position, panels_back if handover.panels else None)

    def about(self) -> None:
        MessageBox.information(self, title=self.tr("About Lantern"), text=self.tr(
            "Lantern — an offline clinical assistant. It suggests; the clinician decides."))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._handed_over:          # a replaced window leaves both to its successor
            self.lock()
            self.runner.shutdown(timeout_s=30)
        super().closeEvent(event)
