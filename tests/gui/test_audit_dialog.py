"""Tools → Audit log…: entries, chain verification (intact and tampered)."""

from __future__ import annotations

import sqlite3

from lantern.gui.audit_dialog import COL_ACTION, COL_PATIENT, COL_USER, AuditDialog
from lantern.vault.store import vault_path

from .helpers import ADMIN, PASSPHRASE, make_vault
from .test_users_dialog import unlock


def open_audit(qtbot, window) -> AuditDialog:
    window.audit_action.trigger()
    dialog = window.audit_dialog
    assert isinstance(dialog, AuditDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: len(dialog.entries()) > 0, timeout=60_000)
    return dialog


def column(dialog: AuditDialog, col: int) -> list[str]:
    return [dialog.table.item(r, col).text() for r in range(dialog.table.rowCount())]


def test_audit_log_lists_entries_and_verifies(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Audit Patient", sex="male", birth_year=1980)
    session.records.get_patient(patient.id)
    session.lock()
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    dialog = open_audit(qtbot, w)
    actions = column(dialog, COL_ACTION)
    # newest first: opening the log is itself audited, then this login; creation at the bottom
    assert actions[:2] == ["view audit log", "login"] and actions[-1] == "create vault"
    assert "view patient" in actions and "create patient" in actions
    row = actions.index("view patient")
    assert dialog.table.item(row, COL_PATIENT).text() == patient.id
    assert set(column(dialog, COL_USER)) == {ADMIN}
    assert "Audit Patient" not in "\n".join(column(dialog, 6))   # no patient names

    with qtbot.waitSignal(dialog.verified, timeout=60_000) as result:
        dialog.verify_button.click()
    check = result.args[0]
    assert check.ok and check.checked >= len(actions)
    assert dialog.result_label.isVisible()
    assert dialog.result_label.text().startswith("✔ Audit chain intact")
    assert dialog.result_label.property("state") == "ok"
    dialog.close_button.click()
    assert w.runner.wait_all(10)


def test_tampered_chain_names_first_broken_entry(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Tamper Patient", sex="female", birth_year=1990)
    session.lock()
    db = sqlite3.connect(vault_path(vault_dir))   # someone edits the file behind Lantern's back
    with db:
        db.execute("DROP TRIGGER audit_log_no_update")   # the triggers do not stop a forger
        seq = db.execute("SELECT seq FROM audit_log WHERE action = 'create patient'").fetchone()[0]
        db.execute("UPDATE audit_log SET username = 'nobody' WHERE seq = ?", (seq,))
    db.close()
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    dialog = open_audit(qtbot, w)
    with qtbot.waitSignal(dialog.verified, timeout=60_000) as result:
        dialog.verify_button.click()
    check = result.args[0]
    assert not check.ok and check.first_bad_position == seq
    text = dialog.result_label.text()
    assert text.startswith(f"✘ Audit chain BROKEN at entry #{seq}")
    assert dialog.result_label.property("state") == "broken"
    selected = dialog.table.selectionModel().selectedRows()
    assert [dialog.table.item(i.row(), 0).text() for i in selected] == [str(seq)]
    assert patient.id in column(dialog, COL_PATIENT)
    seqs = [int(x) for x in column(dialog, 0)]
    tinted = {seqs[r] for r in range(len(seqs))
              if dialog.table.item(r, COL_USER).background().color().name() == "#fbe3e0"}
    assert tinted == {n for n in seqs if n >= seq}          # untrusted from the break on
    w.lock()
    assert not dialog.isVisible()
    assert w.runner.wait_all(10)


def test_each_opening_of_the_log_is_audited(qtbot, main_window, vault_dir):
    from lantern.gui import audit_dialog

    make_vault(vault_dir).lock()
    w = main_window
    unlock(qtbot, w, ADMIN, PASSPHRASE)
    dialog = open_audit(qtbot, w)
    assert column(dialog, COL_ACTION).count(audit_dialog.VIEW_ACTION) == 1
    dialog.reject()
    dialog = open_audit(qtbot, w)
    actions = column(dialog, COL_ACTION)
    assert actions[0] == audit_dialog.VIEW_ACTION and actions.count(audit_dialog.VIEW_ACTION) == 2
    dialog.reject()
    assert w.runner.wait_all(10)
