from __future__ import annotations

import sqlite3

import pytest

from lantern.domain.records import Vitals


def raw(vault_file) -> sqlite3.Connection:
    """A second connection, as an attacker with the file would have, triggers removed."""
    conn = sqlite3.connect(vault_file, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


@pytest.fixture
def busy(session):
    p = session.records.add_patient(name="Audit Person", sex="male")
    enc = session.records.new_encounter(p.id)
    session.records.save_draft(enc.id, note="note", vitals=Vitals(temp_c=37))
    session.records.get_patient(p.id)
    return session


def actions(session) -> list[str]:
    return [e.action for e in reversed(session.audit.entries(1000))]


def test_chain_is_written_with_each_change(busy):
    assert actions(busy) == ["create vault", "seal vault state", "user change", "login",
                             "create patient", "create encounter", "save draft", "view patient"]
    entries = busy.audit.entries(3)
    assert [e.seq for e in entries] == [8, 7, 6]
    assert entries[0].username == "admin" and entries[0].patient_id
    assert busy.audit.verify().ok and busy.audit.verify().checked == 8


def test_edited_entry_is_reported_at_its_position(busy, vault_file):
    conn = raw(vault_file)
    conn.execute("UPDATE audit_log SET username = 'mallory' WHERE seq = 4")
    result = busy.audit.verify()
    assert not result.ok and result.first_bad_position == 4
    assert "4" in result.reason


def test_deleted_entry_is_reported_at_its_position(busy, vault_file):
    raw(vault_file).execute("DELETE FROM audit_log WHERE seq = 5")
    result = busy.audit.verify()
    assert not result.ok and result.first_bad_position == 5
    assert "missing" in result.reason


def test_reordered_entries_are_reported(busy, vault_file):
    conn = raw(vault_file)
    rows = conn.execute("SELECT seq, at, username, action, patient_id, record_id, detail, mac"
                        " FROM audit_log WHERE seq IN (3, 4) ORDER BY seq").fetchall()
    conn.execute("DELETE FROM audit_log WHERE seq IN (3, 4)")
    for new_seq, row in zip((4, 3), rows, strict=True):
        conn.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (new_seq, *row[1:]))
    result = busy.audit.verify()
    assert not result.ok and result.first_bad_position == 3


def test_removed_last_entry_is_reported(busy, vault_file):
    raw(vault_file).execute("DELETE FROM audit_log WHERE seq = 8")
    result = busy.audit.verify()
    assert not result.ok and result.first_bad_position == 8


def test_forged_entry_without_key_is_reported(busy, vault_file):
    conn = raw(vault_file)
    conn.execute("INSERT INTO audit_log VALUES (9, 't', 'admin', 'login', NULL, NULL, '', x'00')")
    result = busy.audit.verify()
    assert not result.ok and result.first_bad_position == 9


def test_app_cannot_modify_audit_log(session):
    conn = session._store.conn
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM audit_log")


def test_failed_logins_are_folded_into_chain_at_next_unlock(created, unlock):
    created[0].lock()
    with pytest.raises(Exception):  # noqa: B017 - AuthError, checked in service tests
        unlock(passphrase="wrong wrong")
    with pytest.raises(Exception):  # noqa: B017
        unlock(user="nobody-here", passphrase="wrong wrong")
    session = unlock()
    try:
        tail = session.audit.entries(4)
        assert [(e.action, e.username) for e in tail] == [
            ("login", "admin"), ("failed login", "(unknown user)"),
            ("failed login", "admin"), ("lock", "admin")]
        assert session.audit.verify().ok
        assert session._store.conn.execute("SELECT count(*) FROM pending_failures").fetchone()[0] == 0
    finally:
        session.lock()
