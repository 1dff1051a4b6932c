"""Helpers for GUI tests: a real temp vault and a scan of all visible text."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

PASSPHRASE = "river lantern maize 42!"
ADMIN = "amina"


def make_vault(data_dir, *, clinic="Mbala Test Clinic"):
    """Create a vault with the real services and lock it again."""
    from lantern.services.session import VaultSession

    session, _key = VaultSession.create(data_dir, clinic_name=clinic, admin_username=ADMIN,
                                        passphrase=PASSPHRASE)
    return session


@contextlib.contextmanager
def outreach_laptop(vault_dir, tmp_path, monkeypatch):
    """Laptop A (the GUI's vault at ``vault_dir``, one patient) and, yielded unlocked, an
    outreach laptop B: a backup of A restored in ``tmp_path / "outreach"`` with its own
    device id and its own per-user state directory (another computer). Locked after."""
    import os

    from lantern.domain.records import Sex
    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync.enrol import endorse
    from lantern.services.sync.events import new_device_identity

    a = make_vault(vault_dir)
    try:
        a.records.add_patient(name="Clinic Patient", sex=Sex.FEMALE, birth_year=1988)
        endorsement = endorse(a.context)    # first, as `lantern device enrol` does
        backup = a.backup_to(tmp_path / "copy.db")
    finally:
        a.lock()
    restore_backup(backup, tmp_path / "outreach")
    saved = os.environ["LANTERN_STATE_DIR"]
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "outreach-state"))
    b = VaultSession.unlock(tmp_path / "outreach", username=ADMIN, passphrase=PASSPHRASE,
                            sleep=lambda s: None)
    try:
        with b.context.writing() as conn:
            new_device_identity(conn, name="Outreach laptop", cipher=b.context.repo.cipher,
                                endorsement=endorsement)
        b.records.add_patient(name="Outreach Visit", sex=Sex.MALE, birth_year=2001)
        yield b
    finally:
        b.lock()
        monkeypatch.setenv("LANTERN_STATE_DIR", saved)


def show_and_unlock(qtbot, window, *, username=ADMIN, passphrase=PASSPHRASE):
    """Show the main window and unlock it through its unlock screen, as a user would."""
    window.show()
    window.start()
    window.unlock_view.username.setText(username)
    window.unlock_view.passphrase.setText(passphrase)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        window.unlock_view.try_unlock()


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    out = []
    root = QModelIndex()      # list models take the parent argument too
    try:
        columns = model.columnCount(root)
    except TypeError:         # a QListWidget's own model keeps columnCount private: one column
        columns = 1
    for r in range(model.rowCount(root)):
        for c in range(columns):
            value = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                out.append(str(value))
    return out


def all_widget_text() -> str:
    """Every piece of text any live widget holds, hidden ones included."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    parts: list[str] = []
    for w in QApplication.allWidgets():
        parts.append(w.windowTitle())
        parts.append(w.toolTip())
        if isinstance(w, QLineEdit):
            parts.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            parts.append(w.toPlainText())
        elif isinstance(w, QTextEdit):
            parts.append(w.toPlainText())
        elif isinstance(w, QLabel):
            parts.append(w.text())
        elif isinstance(w, QAbstractButton):
            parts.append(w.text())
        elif isinstance(w, QComboBox):
            parts.extend(w.itemText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView):
            parts.extend(_model_texts(w))
    return "\n".join(p for p in parts if p)


class _ModalWatch(QObject):
    def __init__(self, callback):
        super().__init__(QApplication.instance())
        self._callback = callback
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Show and isinstance(watched, QDialog)
                and watched.isModal()):
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, lambda: self._callback(watched))
            self.deleteLater()
        return False


def on_next_modal(callback):
    """Call ``callback(dialog)`` once the next modal dialog is shown (inside its exec)."""
    return _ModalWatch(callback)
