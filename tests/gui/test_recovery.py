"""Forgotten passphrase: recovery key + new passphrase through the GUI."""

from __future__ import annotations

from lantern.services.session import VaultSession

from .helpers import ADMIN, PASSPHRASE


def test_recover_with_key_sets_new_passphrase(qtbot, main_window, vault_dir):
    session, key = VaultSession.create(vault_dir, clinic_name="Clinic", admin_username=ADMIN,
                                       passphrase=PASSPHRASE)
    session.lock()
    w = main_window
    w.show()
    w.start()
    w.unlock_view.username.setText(ADMIN)
    w.unlock_view.forgot_button.click()
    dialog = w._recovery_dialog
    assert dialog is not None and dialog.username.text() == ADMIN
    new = "blue heron at dawn 77"
    dialog.key.setText("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
    dialog.passphrase.setText(new)
    dialog.confirm.setText(new)
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=60_000)
    assert "wrong" in dialog.error_label.text()
    assert w.pages.currentIndex() == 0

    dialog.key.setText(key.lower().replace("-", " "))      # forgiving input
    with qtbot.waitSignal(w.session_opened, timeout=60_000):
        dialog.ok_button.click()
    assert w.pages.currentIndex() == 1
    assert w.runner.wait_all(10)
    w.lock()
    assert w.runner.wait_all(10)
    VaultSession.unlock(vault_dir, username=ADMIN, passphrase=new).lock()
