"""The red banner of a vault whose integrity check found outside changes (issue 12)."""

from __future__ import annotations

import sqlite3

from lantern.vault.store import vault_path

from .helpers import make_vault, show_and_unlock


def test_banner_names_the_finding_and_the_vault_stays_readable(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase 9")
    patient = session.records.add_patient(name="Banner Patient", sex="female",
                                          village="BANNERVILLAGE")
    session.lock()
    conn = sqlite3.connect(vault_path(vault_dir), isolation_level=None)
    conn.execute("UPDATE users SET role = 'admin' WHERE username = 'nurse'")
    conn.close()
    w = main_window
    show_and_unlock(qtbot, w)
    assert w.integrity_banner.isVisible()
    text = w.integrity_banner.text()
    assert "READ-ONLY" in text and "role edited" in text and "users/nurse" in text
    w.open_patient(patient.id)       # reading works (nothing is written)
    qtbot.waitUntil(lambda: "BANNERVILLAGE" in w.chart.facts_label.text(), timeout=60_000)
    w.lock()
    assert not w.integrity_banner.isVisible()
    assert w.runner.wait_all(10)


def test_no_banner_for_an_intact_vault(qtbot, main_window, vault_dir):
    make_vault(vault_dir).lock()
    w = main_window
    show_and_unlock(qtbot, w)
    assert not w.integrity_banner.isVisible()
    w.lock()
    assert w.runner.wait_all(10)
