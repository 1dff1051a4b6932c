"""File → Back up vault… and "Restore from backup…" on the first-start and unlock screens.

Backup: the open session's ``backup_to`` (SQLite online backup; the copy is
encrypted like the vault, audited as "backup") runs in the runner's vault lane
while a non-modal progress dialog shows how far it is, so the window stays usable.
Restore: ``lantern.services.backup.restore_backup`` copies a chosen backup into
the (empty) data directory after checking it is a Lantern vault; the normal
unlock, or "Forgot passphrase…" with the recovery key, opens it afterwards.

Tests replace ``choose_target`` / ``choose_source`` (callables returning a path
or ``None``) instead of driving a file dialog.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from lantern.domain.errors import Locked
from lantern.gui.errors import MessageBox, message_for, show_error
from lantern.gui.runner import Task
from lantern.services.roles import allowed


def may_back_up(bridge: Any) -> bool:
    """Whoever the role table lets back up the vault (``vault.backup``)."""
    session = bridge.session
    return session is not None and allowed(session.user, "vault.backup")


def default_backup_name(now: datetime | None = None) -> str:
    return f"lantern-backup-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}.db"


class BackupController(QObject):
    """Backs up the open vault and restores a backup into the empty data directory."""

    backup_done = Signal(str)      # path of the backup file written
    restored = Signal(str)         # path of the restored vault file

    def __init__(self, *, window: Any, restore_fn: Callable[..., Path] | None = None) -> None:
        super().__init__(window)
        self._window = window
        if restore_fn is None:
            from lantern.services.backup import restore_backup
            restore_fn = restore_backup
        self._restore_fn: Callable[..., Path] = restore_fn
        self.choose_target: Callable[[QWidget], str | None] = self._ask_target
        self.choose_source: Callable[[QWidget], str | None] = self._ask_source
        self.progress_dialog: QProgressDialog | None = None
        self.task: Task | None = None

    # --- file choice ---------------------------------------------------------------
    def _ask_target(self, parent: QWidget) -> str | None:
        start = str(Path.home() / default_backup_name())
        path, _ = QFileDialog.getSaveFileName(parent, self.tr("Back up the vault to…"), start,
                                              self.tr("Lantern backups (*.db);;All files (*)"))
        return path or None

    def _ask_source(self, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, self.tr("Choose a Lantern backup"),
                                              str(Path.home()),
                                              self.tr("Lantern backups (*.db);;All files (*)"))
        return path or None

    # --- progress ---------------------------------------------------------------------
    def _open_progress(self, parent: QWidget, text: str) -> QProgressDialog:
        self._close_progress()
        dialog = QProgressDialog(text, "", 0, 100, parent)
        dialog.setObjectName("backupProgress")
        dialog.setWindowTitle(self.tr("Lantern"))
        dialog.setCancelButton(None)           # the copy is short and must not stop halfway
        dialog.setWindowModality(Qt.WindowModality.NonModal)   # the app stays usable
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.show()
        self.progress_dialog = dialog
        return dialog

    def _on_progress(self, fraction: float | None, _message: str) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        if fraction is None:
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, 100)
            dialog.setValue(int(round(fraction * 100)))

    def _close_progress(self) -> None:
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            with contextlib.suppress(RuntimeError):   # already deleted (closed on lock)
                dialog.close()
                dialog.deleteLater()

    # --- backup ------------------------------------------------------------------------
    def back_up(self) -> Task | None:
        """Ask for a file and back up the open vault to it (in the vault lane)."""
        window = self._window
        session = window.bridge.session
        if session is None or not may_back_up(window.bridge):
            return None
        chosen = self.choose_target(window)
        if not chosen:
            return None
        target = Path(chosen)
        if target.is_dir():                    # a folder (e.g. the USB stick) was chosen
            target = target / default_backup_name()

        def work(ctx: Any) -> str:
            if session.locked:
                raise Locked("The vault is locked.")
            ctx.report(0.0, "")

            def progress(done: int, total: int) -> None:
                ctx.report(done / total if total else None, "")

            return str(session.backup_to(target, progress=progress))

        self._open_progress(window, self.tr("Backing up the vault to %1…")
                            .replace("%1", str(target)))
        self.task = window.runner.submit(work, on_success=self._backed_up,
                                         on_failure=self._backup_failed,
                                         on_progress=self._on_progress,
                                         label=self.tr("Backing up vault…"))
        return self.task

    def _backed_up(self, path: str) -> None:
        self._close_progress()
        MessageBox.information(self._window, title=self.tr("Backup complete"), text=self.tr(
            "The encrypted backup was written to %1. It opens with the passphrases and the "
            "recovery key valid today. Keep it somewhere safe, away from this laptop.")
            .replace("%1", path))
        self.backup_done.emit(path)

    def _backup_failed(self, exc: BaseException) -> None:
        self._close_progress()
        show_error(self._window, exc)

    # --- restore -----------------------------------------------------------------------
    def restore(self, parent: QWidget | None = None) -> Task | None:
        """Ask for a backup file and copy it into the data directory (must hold no vault)."""
        from lantern.services.backup import has_vault

        window = self._window
        parent = parent or window
        data_dir = Path(window.data_dir)
        if has_vault(data_dir):
            MessageBox.warning(parent, title=self.tr("Restore from backup"), text=self.tr(
                "This computer already has a Lantern vault in its data directory, and a "
                "backup never overwrites a vault. To restore, start Lantern with an empty "
                "data directory (--data-dir) or move the existing vault away first."))
            return None
        chosen = self.choose_source(parent)
        if not chosen:
            return None
        source = Path(chosen)
        restore_fn = self._restore_fn

        def work(ctx: Any) -> str:
            ctx.report(0.0, "")

            def progress(done: int, total: int) -> None:
                ctx.report(done / total if total else None, "")

            return str(restore_fn(source, data_dir, progress=progress))

        self._open_progress(parent, self.tr("Restoring the vault from %1…")
                            .replace("%1", str(source)))
        self.task = window.runner.submit(
            work, on_success=lambda path: self._restored(parent, path),
            on_failure=lambda exc: self._restore_failed(parent, exc),
            on_progress=self._on_progress, label=self.tr("Restoring vault…"))
        return self.task

    def _restored(self, parent: QWidget, path: str) -> None:
        self._close_progress()
        MessageBox.information(parent, title=self.tr("Backup restored"), text=self.tr(
            "The vault was restored. Unlock it with your user name and passphrase as they were "
            "when the backup was taken, or use “Forgot passphrase…” with the recovery key."))
        self.restored.emit(path)

    def _restore_failed(self, parent: QWidget, exc: BaseException) -> None:
        self._close_progress()
        MessageBox.warning(parent, title=self.tr("Restore from backup"), text=self.tr(
            "The backup was not restored: %1").replace("%1", message_for(exc)))
