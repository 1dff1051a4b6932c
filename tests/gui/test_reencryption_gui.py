"""Key change from the Users dialog: the data key rotates, re-encryption runs in its
own lane with progress in the status bar, and a pass left unfinished (lock, crash)
continues by itself at the next unlock."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from lantern.domain.records import Patient, Sex
from lantern.gui.errors import Button, MessageBox
from lantern.services import codec
from lantern.services.session import VaultSession
from lantern.vault.crypto import blob_epoch
from lantern.vault.store import vault_path

from .helpers import ADMIN, PASSPHRASE, make_vault
from .test_users_dialog import NURSE, NURSE_PASS, open_users, unlock


@pytest.fixture
def vault(vault_dir):
    session = make_vault(vault_dir)
    session.users.add_user(username=NURSE, role="assistant", passphrase=NURSE_PASS)
    session.bulk_insert("patients", ({"id": f"PGUI{i:05d}", "payload": codec.patient_payload(
        Patient(id="", name=f"Gui Patient {i}", sex=Sex.FEMALE, birth_year=1970))}
        for i in range(600)))
    session.lock()
    return vault_dir


def patient_epochs(vault_dir) -> set[int]:
    conn = sqlite3.connect(vault_path(vault_dir))
    try:
        return {blob_epoch(r[0]) for r in conn.execute("SELECT data FROM patients")}
    finally:
        conn.close()


def test_deactivation_reencrypts_in_the_background_with_progress(qtbot, main_window, vault):
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    assert not w.reencryption.isVisible()            # nothing to do at this unlock
    dialog = open_users(qtbot, w)
    dialog.select_username(NURSE)
    MessageBox.set_next_answer(Button.Yes)
    shown = []
    w.reencryption.bar.valueChanged.connect(shown.append)
    with qtbot.waitSignal(w.reencryption.finished, timeout=60_000) as done:
        dialog.deactivate_button.click()
    report = done.args[0]
    assert report.finished and report.done == report.total == 600
    assert shown and shown[-1] == 1000 and not w.reencryption.isVisible()
    assert patient_epochs(vault) == {1}
    assert w.runner.wait_all(10)
    w.lock()
    assert w.runner.wait_all(10)


def test_unfinished_pass_continues_at_the_next_unlock(qtbot, main_window, vault):
    session = VaultSession.unlock(vault, username=ADMIN, passphrase=PASSPHRASE,
                                  sleep=lambda s: None)
    session.users.deactivate_user(NURSE)
    report = session.reencrypt(chunk_rows=100,
                               cancelled=lambda: len(patient_epochs(vault)) > 1)
    session.lock()
    assert not report.finished and patient_epochs(vault) == {0, 1}
    w = main_window
    with qtbot.waitSignal(w.reencryption.finished, timeout=60_000) as done:
        unlock(qtbot, w, ADMIN, PASSPHRASE)
    assert done.args[0].finished and patient_epochs(vault) == {1}
    assert w.runner.wait_all(10)


def test_old_format_vault_shows_the_new_recovery_key_once(qtbot, main_window, vault_dir):
    """A vault made before key rotation: its recovery slot cannot take the new key, so
    deactivating someone issues a new recovery key, and the Users dialog shows it."""
    vault_path(vault_dir).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(__file__).parents[1] / "data" / "vaults" / "schema-v3-app-5e68646.db",
                vault_path(vault_dir))
    session = VaultSession.unlock(vault_dir, username="appadmin",
                                  passphrase="app vault passphrase", sleep=lambda s: None)
    session.users.add_user(username=NURSE, role="assistant", passphrase=NURSE_PASS)
    session.lock()
    w = main_window
    unlock(qtbot, w, "appadmin", "app vault passphrase")
    dialog = open_users(qtbot, w)
    dialog.select_username(NURSE)
    MessageBox.set_next_answer(Button.Yes)                  # "Deactivate grace?"
    MessageBox.set_next_answer(Button.Ok)                   # the notice
    with qtbot.waitSignal(w.reencryption.finished, timeout=60_000):
        dialog.deactivate_button.click()
    qtbot.waitUntil(lambda: MessageBox.history[-1][0] == "Vault key changed", timeout=60_000)
    key = re.search(r"([2-9A-Z]{4}-){5}[2-9A-Z]{4}", MessageBox.history[-1][1])
    assert key, MessageBox.history[-1][1]
    assert w.runner.wait_all(10)
    w.lock()
    assert w.runner.wait_all(10)
    again = VaultSession.recover(vault_dir, recovery_key=key.group(0), username="appadmin",
                                 new_passphrase="appadmin new passphrase", sleep=lambda s: None)
    try:
        assert again.user.username == "appadmin" and again.audit.verify().ok
    finally:
        again.lock()


def test_a_vault_without_the_diagnosis_index_gets_it_in_the_background(qtbot, main_window,
                                                                       vault):
    """A vault from before the reports' diagnosis index (or of an older format of it):
    the same background pass builds it after unlock, with its progress shown."""
    from lantern.services import diagnosis_index

    conn = sqlite3.connect(vault_path(vault))
    try:
        with conn:
            conn.execute("DELETE FROM followup_index WHERE key LIKE 'dx_index:%'")
    finally:
        conn.close()
    w = main_window
    texts: list[str] = []
    w.reencryption.bar.valueChanged.connect(lambda _v: texts.append(w.reencryption.label.text()))
    with qtbot.waitSignal(w.reencryption.finished, timeout=60_000):
        unlock(qtbot, w, ADMIN, PASSPHRASE)
    assert texts and all(t.startswith("Indexing diagnoses for reports") for t in texts)
    ctx = w.bridge.session.context
    with ctx.reading() as c:
        maps = diagnosis_index.load(c, ctx.repo.cipher)
        clear = diagnosis_index.clear_state(c)
    assert set(maps["pat"]) == set(clear.patients) and len(clear.patients) == 600
    assert diagnosis_index.stale(maps, clear) == {"enc": set(), "pat": set(), "fup": set()}
    assert w.runner.wait_all(10)
