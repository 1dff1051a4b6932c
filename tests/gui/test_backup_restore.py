"""Backup and restore from the app, with the real services: File → Back up vault…
writes an encrypted copy (progress dialog, audited); on a new laptop the
first-start screen restores it into the empty data directory, and the vault
opens with the passphrase or with the recovery key. Existing vaults are never
overwritten and files that are not Lantern vaults are refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.domain.records import Role, Sex
from lantern.gui.main_window import MainWindow
from lantern.services.session import VaultSession
from lantern.vault.store import vault_path

from .helpers import ADMIN, PASSPHRASE

NOTE = "BACKUPNOTE cough for two days, no fever."


def _create_through_dialog(qtbot, window) -> str:
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window._create_dialog is not None, timeout=60_000)
    dialog = window._create_dialog
    dialog.clinic.setText("Backup Test Clinic")
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=60_000)
    key = dialog.recovery_key
    dialog.written_down.setChecked(True)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        dialog.continue_button.click()
    return key


def _new_window(qtbot, data_dir) -> MainWindow:
    window = MainWindow(data_dir=data_dir, vault=VaultSession)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window


def _close(window) -> None:
    window.close()
    window.runner.shutdown()


@pytest.fixture
def backup_file(qtbot, main_window, vault_dir, tmp_path):
    """A vault with a patient and a note, backed up through File → Back up vault…"""
    w = main_window
    key = _create_through_dialog(qtbot, w)
    assert w.backup_action.isVisible() and w.backup_action.isEnabled()
    w.submit_new_patient({"name": "BACKUPNAME Mwila", "sex": Sex.FEMALE, "birth_date": None,
                          "birth_year": 1988, "village": "Kasama", "phone": ""})
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    patient = w.chart.patient
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000):
        w.encounter_action.trigger()
    view = w.encounter_view
    qtbot.keyClicks(view.note, NOTE)
    with qtbot.waitSignal(view.saved, timeout=60_000):
        view.save_now()

    usb = tmp_path / "usb-stick"
    usb.mkdir()
    w.backup.choose_target = lambda parent: str(usb)     # a folder: a dated name is added
    w.backup_action.trigger()
    task = w.backup.task
    assert task is not None
    progress = w.backup.progress_dialog
    assert progress is not None and progress.isVisible()
    assert progress.windowModality() == Qt.WindowModality.NonModal   # the app stays usable
    assert w.patient_list.isEnabled() and w.lock_action.isEnabled()
    with qtbot.waitSignal(task.finished, timeout=60_000) as blocker:
        pass
    path = blocker.args[0]
    assert w.backup.progress_dialog is None
    assert ("Backup complete" in [t for t, _ in _history()])
    files = list(usb.iterdir())
    assert [f.name for f in files] == [path.rsplit("/", 1)[-1]]
    assert files[0].name.startswith("lantern-backup-") and files[0].stat().st_mode & 0o777 == 0o600
    assert NOTE.encode() not in files[0].read_bytes()               # encrypted
    assert w.bridge.session.audit.entries(1)[0].action == "backup"  # audited
    w.lock()
    assert w.runner.wait_all(10)
    return files[0], key, patient.id


def _history():
    from lantern.gui.errors import MessageBox

    return list(MessageBox.history)


def _restore_on_first_start(qtbot, window, backup) -> None:
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window._create_dialog is not None, timeout=60_000)
    dialog = window._create_dialog
    window.backup.choose_source = lambda parent: str(backup)
    dialog.restore_button.click()
    task = window.backup.task
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    qtbot.waitUntil(lambda: window._create_dialog is None, timeout=60_000)
    assert window.pages.currentIndex() == 0 and window.isVisible()
    assert ("Backup restored" in [t for t, _ in _history()])


def test_backup_then_restore_and_unlock_with_passphrase(qtbot, tmp_path, backup_file):
    backup, _key, patient_id = backup_file
    new_dir = tmp_path / "new-laptop"
    new_dir.mkdir()
    w = _new_window(qtbot, new_dir)
    try:
        _restore_on_first_start(qtbot, w, backup)
        assert vault_path(new_dir).read_bytes() == backup.read_bytes()
        view = w.unlock_view
        view.username.setText(ADMIN)
        view.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(w.session_opened, timeout=60_000):
            view.unlock_button.click()
        qtbot.waitUntil(lambda: w.patient_list.model.rowCount() == 1, timeout=60_000)
        w.open_patient(patient_id)
        qtbot.waitUntil(lambda: w.chart.encounter_table.rowCount() == 1, timeout=60_000)
        w.chart.open_encounter_row(0)
        qtbot.waitUntil(lambda: w.encounter_view.note.toPlainText() == NOTE, timeout=60_000)
        assert w.bridge.session.integrity_problems() == []
        w.lock()
        assert w.runner.wait_all(10)
    finally:
        _close(w)


def test_backup_then_restore_and_open_with_recovery_key(qtbot, tmp_path, backup_file):
    backup, key, patient_id = backup_file
    new_dir = tmp_path / "replacement"
    w = _new_window(qtbot, new_dir)        # the data directory does not even exist yet
    try:
        _restore_on_first_start(qtbot, w, backup)
        w.unlock_view.username.setText(ADMIN)
        w.unlock_view.forgot_button.click()
        dialog = w._recovery_dialog
        new = "blue heron at dawn 77"
        dialog.key.setText(key)
        dialog.passphrase.setText(new)
        dialog.confirm.setText(new)
        with qtbot.waitSignal(w.session_opened, timeout=60_000):
            dialog.ok_button.click()
        [enc] = w.bridge.session.records.list_encounters(patient_id)
        assert enc.note == NOTE
        w.lock()
        assert w.runner.wait_all(10)
    finally:
        _close(w)
    VaultSession.unlock(new_dir, username=ADMIN, passphrase=new, sleep=lambda s: None).lock()


def test_restore_never_overwrites_an_existing_vault(qtbot, main_window, vault_dir, tmp_path):
    from .helpers import make_vault

    make_vault(vault_dir).lock()
    before = vault_path(vault_dir).read_bytes()
    w = main_window
    w.show()
    w.start()
    asked = []
    w.backup.choose_source = lambda parent: asked.append(1) or str(tmp_path / "x.db")
    w.unlock_view.restore_button.click()
    assert not asked and w.backup.task is None
    [(title, text)] = _history()
    assert title == "Restore from backup" and "never overwrites" in text
    assert vault_path(vault_dir).read_bytes() == before
    assert w.pages.currentIndex() == 0


def test_a_file_that_is_not_a_vault_is_refused(qtbot, main_window, vault_dir, tmp_path):
    bogus = tmp_path / "holiday-photos.db"
    bogus.write_bytes(b"\x89PNG" + bytes(4000))
    w = main_window
    w.show()
    w.start()
    qtbot.waitUntil(lambda: w._create_dialog is not None, timeout=60_000)
    w.backup.choose_source = lambda parent: str(bogus)
    w._create_dialog.restore_button.click()
    with qtbot.waitSignal(w.backup.task.failed, timeout=60_000):
        pass
    [(title, text)] = _history()
    assert title == "Restore from backup" and "not a Lantern vault" in text
    assert not VaultSession.exists(vault_dir)
    assert w._create_dialog is not None and w._create_dialog.isVisible()   # can still create
    w._create_dialog.reject()


def test_backup_is_offered_to_admins_and_clinicians_only(qtbot, main_window, vault_dir):
    from .helpers import make_vault

    session = make_vault(vault_dir)
    session.users.add_user(username="nurse", role=Role.ASSISTANT, passphrase=PASSPHRASE)
    session.users.add_user(username="doctor", role=Role.CLINICIAN, passphrase=PASSPHRASE)
    session.lock()
    w = main_window
    w.show()
    w.start()
    for user, visible in (("nurse", False), ("doctor", True)):
        w.unlock_view.username.setText(user)
        w.unlock_view.passphrase.setText(PASSPHRASE)
        with qtbot.waitSignal(w.session_opened, timeout=60_000):
            w.unlock_view.unlock_button.click()
        assert w.backup_action.isVisible() is visible
        if not visible:
            assert w.back_up_vault() is None
        w.lock()
        assert w.runner.wait_all(10)
