"""First start (create vault) and the unlock screen, with the real services."""

from __future__ import annotations

from lantern.gui.create_vault_dialog import CreateVaultDialog
from lantern.gui.runner import TaskRunner
from lantern.services.session import VaultSession

from .helpers import ADMIN, PASSPHRASE, make_vault


def test_create_dialog_gates_and_shows_recovery_key(qtbot, vault_dir):
    runner = TaskRunner()
    dialog = CreateVaultDialog(runner=runner,
                               create_fn=lambda **kw: VaultSession.create(vault_dir, **kw))
    qtbot.addWidget(dialog)
    assert not dialog.create_button.isEnabled()
    dialog.clinic.setText("Mbala Test Clinic")
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText("password1")
    assert "weak" in dialog.strength_label.text()
    assert not dialog.create_button.isEnabled()
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE + "x")
    assert dialog.match_label.text() == "Passphrases differ."
    assert not dialog.create_button.isEnabled()
    dialog.confirm.setText(PASSPHRASE)
    assert dialog.create_button.isEnabled()

    dialog.create_button.click()
    assert dialog.pages.currentIndex() == 1          # progress while the KDF runs
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=60_000)
    key = dialog.key_label.text()
    assert len(key) >= 16
    assert dialog.passphrase.text() == ""
    assert not dialog.continue_button.isEnabled()
    dialog.reject()                                    # cannot skip the key
    assert dialog.pages.currentIndex() == 2
    dialog.written_down.setChecked(True)
    dialog.continue_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.session is not None and dialog.session.user.username == ADMIN
    assert dialog.key_label.text() == ""
    dialog.session.lock()
    runner.shutdown()


def test_create_failure_returns_to_form(qtbot, vault_dir):
    make_vault(vault_dir).lock()   # a vault already exists there
    runner = TaskRunner()
    dialog = CreateVaultDialog(runner=runner,
                               create_fn=lambda **kw: VaultSession.create(vault_dir, **kw))
    qtbot.addWidget(dialog)
    dialog.clinic.setText("Other")
    dialog.username.setText("bob")
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: not dialog.error_label.isHidden(), timeout=60_000)
    assert dialog.pages.currentIndex() == 0
    assert "already exists" in dialog.error_label.text()
    runner.shutdown()


def test_wrong_passphrase_is_refused_without_data(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    session.records.add_patient(name="MARKER_Zawadi", sex="female", birth_year=1990)
    session.lock()
    main_window.show()
    main_window.start()
    view = main_window.unlock_view
    assert main_window.pages.currentIndex() == 0
    view.username.setText(ADMIN)
    view.passphrase.setText("not the passphrase")
    view.unlock_button.click()
    assert view.progress.isVisible()
    qtbot.waitUntil(lambda: view.error_label.isVisible(), timeout=60_000)
    assert "Wrong user name or passphrase" in view.error_label.text()
    assert view.passphrase.text() == ""
    assert main_window.pages.currentIndex() == 0
    assert main_window.patient_list.model.rowCount() == 0
    assert not main_window.bridge.is_open

    view.passphrase.setText(PASSPHRASE)
    view.unlock_button.click()
    qtbot.waitUntil(lambda: main_window.patient_list.model.rowCount() == 1, timeout=60_000)
    assert main_window.pages.currentIndex() == 1
    assert "Mbala Test Clinic" in main_window.windowTitle()
