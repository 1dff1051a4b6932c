"""Tools → Users… and File → Change passphrase… over the real vault services."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from lantern.domain.errors import AuthError
from lantern.gui.errors import Button, MessageBox
from lantern.gui.users_dialog import AddUserDialog, UsersDialog
from lantern.services.session import VaultSession

from .helpers import ADMIN, PASSPHRASE, make_vault

NURSE, NURSE_PASS = "grace", "mango tree village 7%"
NEW_PASS = "blue canoe harbour 19?"


@pytest.fixture
def vault(vault_dir):
    session = make_vault(vault_dir)
    session.users.add_user(username=NURSE, role="assistant", passphrase=NURSE_PASS,
                           display_name="Grace Tembo")
    session.lock()
    return vault_dir


def unlock(qtbot, window, username, passphrase):
    window.show()
    if window.pages.currentIndex() != 0 or not window.unlock_view.isVisible():
        window.start()
    window.unlock_view.username.setText(username)
    window.unlock_view.passphrase.setText(passphrase)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        window.unlock_view.try_unlock()


def open_users(qtbot, window) -> UsersDialog:
    window.users_action.trigger()
    dialog = window.users_dialog
    assert isinstance(dialog, UsersDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: len(dialog.users()) >= 1, timeout=60_000)
    return dialog


def row_texts(dialog: UsersDialog) -> dict[str, list[str]]:
    table = dialog.table
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(4)]
            for r in range(table.rowCount())}


def test_admin_lists_and_adds_users(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    assert w.users_action.isVisible() and w.audit_action.isVisible()
    dialog = open_users(qtbot, w)
    rows = row_texts(dialog)
    assert rows[ADMIN][2:] == ["Administrator", "Active"]
    assert rows[NURSE] == [NURSE, "Grace Tembo", "Assistant", "Active"]
    assert dialog.add_button.isVisible() and dialog.deactivate_button.isVisible()
    dialog.select_username(ADMIN)
    assert not dialog.deactivate_button.isEnabled()      # not your own account

    dialog.add_button.click()
    add = dialog.add_dialog
    assert isinstance(add, AddUserDialog) and add.isVisible()
    add.username.setText("Joseph")
    add.display_name.setText("Joseph Banda")
    add.role.setCurrentIndex(add.role.findData("clinician"))
    add.fields.passphrase.setText("password")
    assert not add.add_button.isEnabled()                 # too short / too common
    assert "Strength: very weak" in add.fields.strength_label.text()
    add.fields.passphrase.setText("sunrise over the lake 88!")
    add.fields.confirm.setText("sunrise over the lake 88")
    assert not add.add_button.isEnabled()
    assert add.fields.match_label.text() == "Passphrases differ."
    add.fields.confirm.setText("sunrise over the lake 88!")
    assert add.add_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=60_000):
        add.add_button.click()
        assert add._busy and not add.cancel_button.isEnabled()   # the GUI is not blocked
    assert dialog.add_dialog is None                        # closed (and deleted)
    rows = row_texts(dialog)
    assert rows["joseph"] == ["joseph", "Joseph Banda", "Clinician", "Active"]
    assert dialog.status_label.text() == "3 users, 3 active."
    dialog.close_button.click()
    assert w.runner.wait_all(10)
    w.lock()
    unlock(qtbot, w, "joseph", "sunrise over the lake 88!")   # the new account works
    assert w.bridge.username == "joseph"
    assert not w.users_action.isVisible() and not w.audit_action.isVisible()


def test_duplicate_user_shows_error_in_dialog(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    dialog = open_users(qtbot, w)
    dialog.open_add_user()
    add = dialog.add_dialog
    add.username.setText(NURSE)
    add.fields.passphrase.setText(NEW_PASS)
    add.fields.confirm.setText(NEW_PASS)
    add.add_button.click()
    qtbot.waitUntil(lambda: add.error_label.isVisible(), timeout=60_000)
    assert "taken" in add.error_label.text()
    assert add.isVisible() and add.add_button.isEnabled()
    add.reject()
    assert w.runner.wait_all(10)


def test_deactivate_user(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    dialog = open_users(qtbot, w)
    dialog.select_username(NURSE)
    assert dialog.deactivate_button.isEnabled()
    MessageBox.set_next_answer(Button.No)                  # asks first; "No" keeps her
    dialog.deactivate_button.click()
    assert row_texts(dialog)[NURSE][3] == "Active"
    MessageBox.set_next_answer(Button.Yes)
    with qtbot.waitSignal(dialog.loaded, timeout=60_000):
        dialog.deactivate_button.click()
    assert MessageBox.history[-1][0] == "Deactivate user"
    assert row_texts(dialog)[NURSE][3] == "Deactivated"
    dialog.select_username(NURSE)
    assert not dialog.deactivate_button.isEnabled()
    assert w.runner.wait_all(10)
    w.lock()
    assert w.users_dialog is None or not w.users_dialog.isVisible()   # closed by the lock
    assert w.runner.wait_all(10)
    with pytest.raises(AuthError):
        VaultSession.unlock(w.data_dir, username=NURSE, passphrase=NURSE_PASS,
                            sleep=lambda _s: None)


def test_non_admin_sees_no_admin_actions(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, NURSE, NURSE_PASS)
    assert not w.users_action.isVisible() and not w.audit_action.isVisible()
    assert w.passphrase_action.isVisible() and w.passphrase_action.isEnabled()
    w.open_users()                        # even if called, nothing opens
    w.open_audit()
    assert w.users_dialog is None and w.audit_dialog is None
    # the dialog itself hides the admin buttons for a non-admin
    dialog = UsersDialog(bridge=w.bridge, parent=w)
    qtbot.waitUntil(lambda: dialog.status_label.text() != "Loading…", timeout=60_000)
    assert not dialog.add_button.isVisibleTo(dialog)
    assert not dialog.deactivate_button.isVisibleTo(dialog)
    assert "may not" in dialog.status_label.text()         # services refuse the list too
    dialog.deleteLater()
    assert w.runner.wait_all(10)


def test_change_own_passphrase(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, NURSE, NURSE_PASS)
    w.passphrase_action.trigger()
    dialog = w.passphrase_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()
    dialog.current.setText("not my passphrase")
    dialog.fields.passphrase.setText(NEW_PASS)
    dialog.fields.confirm.setText(NEW_PASS)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=60_000)
    assert dialog.error_label.text() == "The current passphrase is not correct."
    assert dialog.isVisible()

    dialog.current.setText(NURSE_PASS)
    with qtbot.waitSignal(dialog.finished, timeout=60_000) as done:
        dialog.ok_button.click()
    assert done.args == [QDialog.DialogCode.Accepted]
    assert MessageBox.history[-1][0] == "Passphrase changed"
    assert w.runner.wait_all(10)
    w.lock()
    assert w.runner.wait_all(10)
    with pytest.raises(AuthError):
        VaultSession.unlock(w.data_dir, username=NURSE, passphrase=NURSE_PASS,
                            sleep=lambda _s: None)
    unlock(qtbot, w, NURSE, NEW_PASS)
    assert w.bridge.username == NURSE


def test_lock_closes_a_busy_passphrase_dialog(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    w.change_passphrase()
    dialog = w.passphrase_dialog
    dialog.current.setText(PASSPHRASE)
    dialog.fields.passphrase.setText(NEW_PASS)
    dialog.fields.confirm.setText(NEW_PASS)
    dialog.ok_button.click()
    w.lock()                               # while the key is being rewritten
    assert not dialog.isVisible()
    assert w.runner.wait_all(15)
    assert not [t for t, _ in MessageBox.history if t == "Passphrase changed"]
