"""restore_backup: a backup taken with ``backup_to`` is copied into an empty data
directory and opens with the passphrase or the recovery key; existing vaults and
files that are not Lantern vaults are refused and left untouched."""

from __future__ import annotations

import sqlite3

import pytest

from lantern.domain.errors import NotAVault, VaultExists, VaultNotFound, VaultTooNew
from lantern.domain.records import Sex, Vitals
from lantern.services.backup import check_backup, has_vault, restore_backup
from lantern.services.session import VaultSession
from lantern.vault.store import vault_path

ADMIN_PASS = "admin passphrase 1"   # as in conftest.py


@pytest.fixture
def backup(tmp_path, created):
    session, recovery_key = created
    patient = session.records.add_patient(name="Backup Patient", sex=Sex.MALE, birth_year=1980)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note="note kept in the backup", vitals=Vitals(temp_c=37.0))
    steps = []
    path = session.backup_to(tmp_path / "usb" / "lantern-backup.db",
                             progress=lambda done, total: steps.append((done, total)))
    assert steps and steps[-1][0] == steps[-1][1]
    assert session.audit.entries(1)[0].action == "backup"   # audited in the live vault
    return path, recovery_key, patient.id, enc.id


def test_restore_then_unlock_with_passphrase(tmp_path, backup):
    path, _key, patient_id, enc_id = backup
    new_dir = tmp_path / "new-laptop" / "Lantern"
    progress = []
    target = restore_backup(path, new_dir, progress=lambda d, t: progress.append((d, t)))
    assert target == vault_path(new_dir)
    assert progress[-1][0] == progress[-1][1] == path.stat().st_size
    assert target.stat().st_mode & 0o777 == 0o600
    assert new_dir.stat().st_mode & 0o777 == 0o700
    assert not target.with_name(target.name + ".restoring").exists()
    session = VaultSession.unlock(new_dir, username="admin", passphrase=ADMIN_PASS,
                                  sleep=lambda s: None)
    try:
        assert session.records.get_encounter(enc_id).note == "note kept in the backup"
        assert session.records.get_patient(patient_id).name == "Backup Patient"
        assert session.integrity_problems() == []
        assert session.audit.verify().ok
    finally:
        session.lock()


def test_restore_then_recover_with_recovery_key(tmp_path, backup):
    path, recovery_key, _patient_id, enc_id = backup
    new_dir = tmp_path / "other"
    restore_backup(path, new_dir)
    session = VaultSession.recover(new_dir, recovery_key=recovery_key, username="admin",
                                   new_passphrase="a brand new passphrase", sleep=lambda s: None)
    try:
        assert session.records.get_encounter(enc_id).note == "note kept in the backup"
    finally:
        session.lock()
    VaultSession.unlock(new_dir, username="admin", passphrase="a brand new passphrase",
                        sleep=lambda s: None).lock()


def test_existing_vault_is_never_overwritten(data_dir, backup):
    path, *_ = backup
    before = vault_path(data_dir).read_bytes()
    with pytest.raises(VaultExists, match="will not overwrite"):
        restore_backup(path, data_dir)
    assert vault_path(data_dir).read_bytes() == before
    assert has_vault(data_dir)


def test_a_left_over_wal_counts_as_a_vault(tmp_path, backup):
    path, *_ = backup
    new_dir = tmp_path / "dirty"
    new_dir.mkdir()
    (new_dir / "lantern-vault.db-wal").write_bytes(b"x")
    with pytest.raises(VaultExists):
        restore_backup(path, new_dir)
    assert not vault_path(new_dir).exists()


def test_files_that_are_not_vaults_are_refused(tmp_path):
    new_dir = tmp_path / "empty"
    text = tmp_path / "notes.txt"
    text.write_text("not a database" * 20)
    other_db = tmp_path / "other.db"
    conn = sqlite3.connect(other_db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAVault):
        restore_backup(text, new_dir)
    with pytest.raises(NotAVault, match="not a Lantern vault"):
        restore_backup(other_db, new_dir)
    with pytest.raises(VaultNotFound, match="backup file was not found"):
        restore_backup(tmp_path / "missing.db", new_dir)
    assert not has_vault(new_dir)


def test_truncated_and_too_new_backups_are_refused(tmp_path, backup):
    path, *_ = backup
    data = path.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[: len(data) // 2 + 100])
    with pytest.raises(NotAVault):
        check_backup(truncated)
    newer = tmp_path / "newer.db"
    newer.write_bytes(data[:60] + (999).to_bytes(4, "big") + data[64:])
    with pytest.raises(VaultTooNew):
        restore_backup(newer, tmp_path / "empty")
    assert not has_vault(tmp_path / "empty")
