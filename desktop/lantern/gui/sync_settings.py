"""Settings → Sync and the status-bar sync indicator (issue 18, part 6).

:class:`SyncController` (one per main window) runs "Sync now" — the one server
sync, :func:`lantern.services.sync.server.sync_with_server` — in a process of its
own (:mod:`lantern.services.sync.worker`), waited on by its own runner lane, so the
GUI thread never shares an interpreter lock with it and the vault lane (searches,
charts, saves) keeps going between the sync's short transactions; it reports
progress, the result or one clear line of error. Locking stops it between pages
(and kills the process if it does not stop); nothing acknowledged is lost
(docs/sync.md).
:class:`SyncSettingsPage` is the Settings tab (server address, this laptop's
credentials file, device name, status, "Sync now", and the USB stick's "Export to a
file…" / "Import a file…" through :mod:`lantern.services.sync.bundle`, in the same
lane and the same kind of process); :class:`SyncIndicator` the status-bar line (pending events, last sync).

The server address and the credentials file's path are kept in the settings
file next to the vault (they are not patient data; the password stays in the
owner-only credentials file). The device name is kept in the vault (audited).
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.errors import Cancelled, LanternError, Locked
from lantern.gui.errors import message_for
from lantern.gui.formatting import format_date
from lantern.gui.runner import Task, TaskContext
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.settings_dialog import SETTINGS_FILE
from lantern.services.roles import allowed
from lantern.services.sync.couch_credentials import default_path
from lantern.services.sync.server import MAX_DEVICE_NAME, ServerSyncResult
from lantern.services.sync.worker import (
    ExportJob,
    ImportJob,
    ServerJob,
    SyncJob,
    discard_spare,
    prestart,
    run_in_process,
)

LANE = "sync"


class SyncPrefs:
    """Server address and credentials file, in the vault directory's settings file."""

    def __init__(self, data_dir: Path) -> None:
        self._qs = QSettings(str(Path(data_dir) / SETTINGS_FILE), QSettings.Format.IniFormat)
        self._joined = default_path(Path(data_dir))

    def _text(self, key: str) -> str:
        value = self._qs.value(key, "")
        return value if isinstance(value, str) else ""

    @property
    def server(self) -> str:
        return self._text("sync/server")

    @property
    def credentials(self) -> str:
        """The file chosen here, else the one ``device join --server`` wrote."""
        chosen = self._text("sync/credentials")
        if not chosen and self._joined.exists():
            return str(self._joined)
        return chosen

    def save(self, *, server: str, credentials: str) -> None:
        self._qs.setValue("sync/server", server.strip())
        self._qs.setValue("sync/credentials", credentials.strip())
        self._qs.sync()


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return format_date(datetime.fromisoformat(iso))
    except ValueError:
        return ""


class SyncController(QObject):
    """Runs the server sync for one window and keeps its status."""

    status_changed = Signal(object)        # server_status() dict, or None when locked
    running_changed = Signal(bool)
    progressed = Signal(str)               # a translated line: "Sending 40 of 120 events…"
    finished = Signal(object)              # the ServerSyncResult
    failed = Signal(str)                   # one clear line
    records_changed = Signal()             # a sync applied events: lists and search are new
    usb_finished = Signal(str)             # a translated line: what a USB export or import did
    usb_status_changed = Signal(object)    # bundle.status() dict, or None when locked

    def __init__(self, *, bridge: SessionBridge, data_dir: Path,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.prefs = SyncPrefs(data_dir)
        self.status: dict | None = None
        self.last_error = ""
        self.retries = 5                   # of a dropped link or busy server (with backoff)
        self._task: Task | None = None
        self._worker_pid: int | None = None
        bridge.opened.connect(self.refresh)
        bridge.locked.connect(self._on_locked)

    @property
    def running(self) -> bool:
        return self._task is not None

    @property
    def worker_pid(self) -> int | None:
        """The process id of the sync process while one runs (tests, diagnostics)."""
        return self._worker_pid if self._task is not None else None

    def _started(self, pid: int) -> None:      # from the sync lane
        self._worker_pid = pid

    def may_sync(self) -> bool:
        session = self._bridge.session
        return session is not None and allowed(session.user, "sync.server")

    def may_use_usb(self) -> bool:
        session = self._bridge.session
        return session is not None and allowed(session.user, "sync.usb")

    def refresh(self) -> None:
        """Read the pending count and last sync (vault lane)."""
        from lantern.services.sync.bundle import status as usb_status
        from lantern.services.sync.server import server_status

        self._bridge.call(lambda s: server_status(s.context), on_success=self._set_status,
                          on_failure=lambda exc: None)
        if self.may_use_usb():
            self._bridge.call(lambda s: usb_status(s.context), on_success=self.usb_status_changed.emit,
                              on_failure=lambda exc: None)

    # -- USB: a bundle file carried on a stick where there is no network ----------------
    def export_usb(self, path: Path) -> bool:
        """Write every event of this vault to a new bundle file ``path`` (the other
        laptop keeps what it holds already); False when it cannot start."""
        return self._start_usb(ExportJob(path), self._usb_exported,
                               self.tr("Writing the sync file…"))

    def import_usb(self, path: Path) -> bool:
        """Apply a bundle file another laptop wrote; False when it cannot start."""
        return self._start_usb(ImportJob(path), self._usb_imported,
                               self.tr("Importing the sync file…"))

    def _start_usb(self, job: SyncJob, done: Any, label: str) -> bool:
        session = self._bridge.session
        if self._task is not None or session is None:
            return False

        def work(ctx: TaskContext) -> Any:
            if session.locked:
                raise Locked("The vault is locked.")
            return run_in_process(session.context, job, cancelled=ctx.cancelled.is_set,
                                  started=self._started)

        self.last_error = ""
        self._task = self._bridge.runner.submit(work, on_success=done, on_failure=self._failed,
                                                label=label, lane=LANE)
        self.running_changed.emit(True)
        self.progressed.emit(label)
        return True

    def _usb_exported(self, result: Any) -> None:
        self._ended(applied=0)
        self.usb_finished.emit(self.tr("Wrote %1 events to %2. Import this file on the other laptop "
                                       "(Settings → Sync → Import a file…).")
                               .replace("%1", str(result.events)).replace("%2", result.path.name))

    def _usb_imported(self, result: Any) -> None:
        self._ended(applied=result.applied, rekeyed=bool(result.rekeyed))
        text = (self.tr("Imported: %1 events applied, %2 already here; %3 conflicting values kept "
                        "in history.").replace("%1", str(result.applied))
                .replace("%2", str(result.skipped)).replace("%3", str(result.conflicts)))
        if result.revoked:
            text += " " + self.tr("%1 events of a revoked laptop were left out.").replace(
                "%1", str(result.revoked))
        self.usb_finished.emit(text)

    def _set_status(self, status: dict) -> None:
        self.status = status
        self.status_changed.emit(status)

    def prestart(self) -> None:
        """Start the sync process ahead (Settings → Sync is shown: a sync may follow),
        in the sync lane; it holds no key until a sync takes it."""
        if self._task is None and (self.may_sync() or self.may_use_usb()):
            self._bridge.runner.submit(lambda _ctx: prestart(), on_failure=lambda exc: None,
                                       label="", lane=LANE)

    def _on_locked(self) -> None:
        if self._task is not None:
            self._task.cancel()
        # ending the spare process waits for it to be reaped: not on the GUI thread
        threading.Thread(target=discard_spare, name="lantern-sync-discard", daemon=True).start()
        self.status = None
        self.status_changed.emit(None)
        self.usb_status_changed.emit(None)

    def set_device_name(self, name: str) -> None:
        from lantern.services.sync.server import set_device_name

        clean = " ".join(name.split())[:MAX_DEVICE_NAME]
        if self.status is not None and clean == self.status.get("device_name", ""):
            return
        self._bridge.call(lambda s: set_device_name(s.context, clean),
                          on_success=lambda _name: self.refresh())

    def sync_now(self, *, server: str, credentials: str) -> bool:
        """Start a sync with the given address and credentials file; False (with
        ``failed`` emitted) when it cannot start."""
        from lantern.services.sync.couch_credentials import load_account

        session = self._bridge.session
        if self._task is not None or session is None:
            return False
        if not credentials.strip():
            self._fail(self.tr("Choose this laptop's sync credentials file first "
                               "(the district administrator gives one per laptop)."))
            return False
        try:
            account = load_account(Path(credentials.strip()).expanduser(),
                                   server_url=server.strip() or None)
        except LanternError as exc:
            self._fail(str(exc))
            return False
        job = ServerJob(account, retries=self.retries)

        def work(ctx: TaskContext) -> ServerSyncResult:
            if session.locked:
                raise Locked("The vault is locked.")

            def progress(phase: str, done: int, total: int | None) -> None:
                fraction = done / total if total else None
                ctx.report(fraction, f"{phase}\t{done}\t{'' if total is None else total}")

            # a lock (or cancel) stops the sync process between pages
            return run_in_process(session.context, job, progress=progress,
                                  cancelled=ctx.cancelled.is_set, started=self._started)

        self.last_error = ""
        self._task = self._bridge.runner.submit(
            work, on_success=self._done, on_failure=self._failed, on_progress=self._progress,
            label=self.tr("Syncing with the clinic's server…"), lane=LANE)
        self.running_changed.emit(True)
        return True

    def _progress(self, _fraction: float | None, message: str) -> None:
        phase, done, total = (message.split("\t") + ["", "", ""])[:3]
        if phase == "push":
            text = self.tr("Sending %1 of %2 events…").replace("%1", done).replace("%2", total)
        else:
            text = self.tr("Receiving events from other laptops… %1").replace("%1", done)
        self.progressed.emit(text)

    def _done(self, result: ServerSyncResult) -> None:
        self._ended(applied=result.applied, rekeyed=bool(result.rekeyed))
        self.finished.emit(result)

    def _ended(self, *, applied: int, rekeyed: bool = False) -> None:
        """A server sync or a USB import or export is over: status read again, and after
        events were applied the search index follows them. After the clinic's new data
        key arrived (a laptop was revoked elsewhere) the background re-encryption starts."""
        self._task = None
        self.running_changed.emit(False)
        self.refresh()
        if rekeyed:
            self._bridge.key_rotated.emit()
        if applied:
            # the patient search index is built at unlock; events applied behind it
            # (new or merged patients, corrected names) enter it here, in the vault lane
            self._bridge.call(lambda s: s.records.rebuild_index(),
                              on_success=lambda _n: self.records_changed.emit())

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.running_changed.emit(False)
        if isinstance(exc, (Cancelled, Locked)):
            self._fail(self.tr("The sync stopped because the vault was locked; nothing "
                               "acknowledged is lost and the next sync continues."))
        else:
            self._fail(message_for(exc))
        self.refresh()

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.failed.emit(message)

    def result_text(self, result: ServerSyncResult) -> str:
        return (self.tr("Sent %1, received %2, applied %3 events; %4 conflicting values "
                        "kept in history.")
                .replace("%1", str(result.pushed)).replace("%2", str(result.pulled))
                .replace("%3", str(result.applied)).replace("%4", str(result.conflicts)))


class SyncIndicator(QLabel):
    """Status-bar line: events waiting to be sent and the last sync (hidden when locked)."""

    def __init__(self, *, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self._controller = controller
        controller.status_changed.connect(self._show_status)
        controller.running_changed.connect(lambda _running: self._show_status(controller.status))
        controller.progressed.connect(self._show_progress)
        controller.failed.connect(lambda _m: self._show_status(controller.status))
        self.hide()

    def _show_status(self, status: Any) -> None:
        if status is None:
            self.hide()
            return
        if self._controller.running:
            self.setText(self.tr("Syncing…"))
        else:
            pending = str(status.get("server_pending_events", 0))
            last = _when(status.get("last_server_sync"))
            self.setText(self.tr("Sync: %1 pending · last %2").replace("%1", pending)
                         .replace("%2", last) if last else
                         self.tr("Sync: %1 pending · never synced").replace("%1", pending))
        tip = self.tr("Events written here and not yet on the clinic's server, and the "
                      "last complete sync. Sync in Settings → Sync.")
        if self._controller.last_error:
            tip += "\n" + self.tr("Last attempt: %1").replace("%1", self._controller.last_error)
        self.setToolTip(tip)
        self.show()

    def _show_progress(self, text: str) -> None:
        self.setText(self.tr("Syncing…") + " " + text)
        self.show()


class SyncSettingsPage(QWidget):
    """The Settings tab: where the clinic's server is, this laptop's login, Sync now."""

    def __init__(self, *, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncSettingsPage")
        self._controller = controller
        self.server = QLineEdit(controller.prefs.server, self)
        self.server.setObjectName("syncServer")
        self.server.setPlaceholderText(self.tr("https://sync.district.example"))
        self.credentials = QLineEdit(controller.prefs.credentials, self)
        self.credentials.setObjectName("syncCredentials")
        self.credentials.setPlaceholderText(self.tr("this laptop's credentials file (.toml)"))
        self.browse = QPushButton(self.tr("&Browse…"), self)
        self.browse.clicked.connect(self._browse)
        status = controller.status or {}
        self.device_name = QLineEdit(str(status.get("device_name", "")), self)
        self.device_name.setObjectName("syncDeviceName")
        self.device_name.setMaxLength(MAX_DEVICE_NAME)
        self.device_name.setPlaceholderText(self.tr("e.g. Triage laptop"))
        self.last_sync = QLabel(self)
        self.pending = QLabel(self)
        self.sync_button = QPushButton(self.tr("S&ync now"), self)
        self.sync_button.setObjectName("syncNowButton")
        self.sync_button.clicked.connect(self.sync_now)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.progress_label = QLabel(self)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        hint = QLabel(self.tr(
            "The server keeps only encrypted events: it cannot read any record. The password "
            "stays in the credentials file (readable by you only)."), self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)

        usb = QGroupBox(self.tr("USB stick (where there is no network)"), self)
        self.export_button = QPushButton(self.tr("E&xport to a file…"), usb)
        self.export_button.setObjectName("syncExportButton")
        self.export_button.clicked.connect(self._export_clicked)
        self.import_button = QPushButton(self.tr("&Import a file…"), usb)
        self.import_button.setObjectName("syncImportButton")
        self.import_button.clicked.connect(self._import_clicked)
        self.usb_status = QLabel(usb)
        self.usb_status.setWordWrap(True)
        usb_hint = QLabel(self.tr(
            "The file holds this vault's changes, encrypted with the clinic's key: only a laptop "
            "of this clinic can import it, and importing it twice changes nothing."), usb)
        usb_hint.setObjectName("hintLabel")
        usb_hint.setWordWrap(True)
        usb_buttons = QHBoxLayout()
        usb_buttons.addWidget(self.export_button)
        usb_buttons.addWidget(self.import_button)
        usb_buttons.addStretch(1)
        usb_layout = QVBoxLayout(usb)
        usb_layout.addLayout(usb_buttons)
        usb_layout.addWidget(self.usb_status)
        usb_layout.addWidget(usb_hint)
        self.usb_box = usb

        form = QFormLayout()
        server_label = QLabel(self.tr("&Server address:"), self)
        server_label.setBuddy(self.server)
        form.addRow(server_label, self.server)
        file_row = QHBoxLayout()
        file_row.addWidget(self.credentials, 1)
        file_row.addWidget(self.browse)
        credentials_label = QLabel(self.tr("&Credentials file:"), self)
        credentials_label.setBuddy(self.credentials)
        form.addRow(credentials_label, file_row)
        name_label = QLabel(self.tr("&Device name:"), self)
        name_label.setBuddy(self.device_name)
        form.addRow(name_label, self.device_name)
        form.addRow(self.tr("Last sync:"), self.last_sync)
        form.addRow(self.tr("Pending events:"), self.pending)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.progress, 1)
        buttons.addStretch(0)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(usb)
        layout.addStretch(1)

        controller.status_changed.connect(self._show_status)
        controller.running_changed.connect(self._show_running)
        controller.progressed.connect(self.progress_label.setText)
        controller.finished.connect(self._show_result)
        controller.failed.connect(self._show_error)
        controller.usb_finished.connect(self._show_usb_result)
        controller.usb_status_changed.connect(self._show_usb_status)
        self._show_status(controller.status)
        self._show_usb_status(None)
        if controller.status is not None:
            controller.refresh()
        self._show_running(controller.running)
        controller.prestart()       # "Sync now" will not wait for the process to start
        if controller.last_error:
            self._show_error(controller.last_error)

    def title(self) -> str:
        """The tab's title in the Settings dialog."""
        return self.tr("S&ync")

    def save(self) -> None:
        """Keep the address and the file (settings file) and the device name (vault)."""
        self._controller.prefs.save(server=self.server.text(), credentials=self.credentials.text())
        if self._controller.status is not None:
            self._controller.set_device_name(self.device_name.text())

    def sync_now(self) -> None:
        self.result_label.clear()
        self.error_label.hide()
        self.save()
        self._controller.sync_now(server=self.server.text(), credentials=self.credentials.text())

    def _export_clicked(self) -> None:
        name = f"lantern-sync-{datetime.now():%Y%m%d-%H%M}.bundle"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export the changes to a file"), str(Path.home() / name),
            self.tr("Lantern sync files (*.bundle);;All files (*)"))
        if path:
            self.export_to(Path(path))

    def _import_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a sync file from another laptop"), str(Path.home()),
            self.tr("Lantern sync files (*.bundle);;All files (*)"))
        if path:
            self.import_from(Path(path))

    def export_to(self, path: Path) -> None:
        self.result_label.clear()
        self.error_label.hide()
        self._controller.export_usb(path)

    def import_from(self, path: Path) -> None:
        self.result_label.clear()
        self.error_label.hide()
        self._controller.import_usb(path)

    def _show_usb_result(self, text: str) -> None:
        self.error_label.hide()
        self.result_label.setText(text)

    def _show_usb_status(self, status: Any) -> None:
        usable = status is not None and self._controller.may_use_usb()
        for button in (self.export_button, self.import_button):
            button.setEnabled(usable and not self._controller.running)
        if status is None:
            self.usb_status.setText(self.tr("(vault locked)") if self._controller.status is None else "")
            return
        self.usb_status.setText(
            self.tr("Last export: %1 · last import: %2 · %3 events written here since the last export.")
            .replace("%1", _when(status.get("last_export")) or self.tr("never"))
            .replace("%2", _when(status.get("last_import")) or self.tr("never"))
            .replace("%3", str(status.get("pending_events", 0))))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Sync credentials file"), self.credentials.text(),
            self.tr("Credentials (*.toml);;All files (*)"))
        if path:
            self.credentials.setText(path)

    def _show_status(self, status: Any) -> None:
        if status is None:
            self.last_sync.setText(self.tr("(vault locked)"))
            self.pending.setText("")
            self.sync_button.setEnabled(False)
            return
        self.last_sync.setText(_when(status.get("last_server_sync")) or self.tr("never"))
        self.pending.setText(str(status.get("server_pending_events", 0)))
        self.sync_button.setEnabled(self._controller.may_sync() and not self._controller.running)

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.sync_button.setEnabled(not running and self._controller.may_sync())
        for button in (self.export_button, self.import_button):
            button.setEnabled(not running and self._controller.may_use_usb())
        if running:
            self.progress_label.setText(self.tr("Connecting to the server…"))
        else:
            self.progress_label.clear()

    def _show_result(self, result: ServerSyncResult) -> None:
        self.error_label.hide()
        self.result_label.setText(self._controller.result_text(result))

    def _show_error(self, message: str) -> None:
        self.result_label.clear()
        self.error_label.setText(message)
        self.error_label.show()
