"""Revocation that means something (issue 12, item 4): deactivating a user or
replacing the recovery key changes the data key; copies of old key slots put back
with sqlite3 open nothing current; old rows are re-encrypted resumably; backups
taken before keep the keys of their time. Each attack is tried on the real vault
file with sqlite3, and each test also checks that intact data still reads."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern.domain.errors import AuthError, DamagedRecord, Locked, VaultError
from lantern.domain.records import Patient, Role, Sex, Vitals
from lantern.services import codec
from lantern.services.backup import restore_backup
from lantern.services.session import VaultSession
from lantern.vault import accounts
from lantern.vault.audit import GENESIS
from lantern.vault.audit import _message as audit_message
from lantern.vault.crypto import RecordCipher, associated_data, blob_epoch, seal_bytes
from lantern.vault.kdf import FLOOR, derive_key, new_salt
from lantern.vault.keyslots import WrappedSlot, open_slot
from lantern.vault.schema import RECORD_TABLES

ADMIN_PASS = "admin passphrase 1"   # as in tests/unit/conftest.py
NURSE_PASS = "nurse passphrase"
DOC_PASS = "doctor passphrase"


@pytest.fixture
def team(session):
    session.users.add_user(username="nurse", role="assistant", passphrase=NURSE_PASS)
    session.users.add_user(username="doc", role="clinician", passphrase=DOC_PASS)
    return session


def write_note(session: VaultSession, text: str) -> tuple[str, str]:
    patient = session.records.add_patient(name=f"Patient {text[:10]}", sex=Sex.FEMALE,
                                          birth_year=1990)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=text, vitals=Vitals(temp_c=37.1))
    return patient.id, enc.id


def all_notes(session: VaultSession) -> dict[str, str]:
    return {e.id: e.note for p in session.records.search_patients("", limit=5000)
            for e in session.records.list_encounters(p.id)}


def recovered_notes(data_dir: Path, recovery_key: str, username: str) -> dict[str, str]:
    """Every note, read after resetting ``username``'s passphrase with the recovery key."""
    session = VaultSession.recover(data_dir, recovery_key=recovery_key, username=username,
                                   new_passphrase="reset passphrase 1", sleep=lambda s: None)
    try:
        return all_notes(session)
    finally:
        session.lock()


def sql(path: Path, *statements: str, attach: Path | None = None) -> None:
    """What an attacker with the file does: plain sqlite3, no Lantern."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if attach is not None:
            conn.execute("ATTACH DATABASE ? AS old", (str(attach),))
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def epochs(path: Path) -> dict[str, set[int]]:
    conn = sqlite3.connect(path)
    try:
        return {t: {blob_epoch(r[0]) for r in conn.execute(f"SELECT data FROM {t}")}
                for t in RECORD_TABLES}
    finally:
        conn.close()


def raw_blob(path: Path, table: str, row_id: str) -> tuple[bytes, int]:
    conn = sqlite3.connect(path)
    try:
        blob, version = conn.execute(f"SELECT data, version FROM {table} WHERE id = ?",
                                     (row_id,)).fetchone()
    finally:
        conn.close()
    return bytes(blob), version


def test_deactivation_rotates_the_key_and_new_writes_use_it(team, unlock, vault_file):
    _pid, before = write_note(team, "written before the deactivation")
    result = team.users.deactivate_user("nurse")
    assert result.user.active is False
    assert result.rotation.epoch == 1
    assert set(result.rotation.carried) == {"user:admin", "user:doc", "recovery"}
    assert not result.rotation.left_behind and not result.rotation.removed
    _pid, after = write_note(team, "written after the deactivation")
    assert raw_blob(vault_file, "encounters", after)[0][0] & 0x80          # epoch in the header
    assert blob_epoch(raw_blob(vault_file, "encounters", after)[0]) == 1
    assert blob_epoch(raw_blob(vault_file, "encounters", before)[0]) == 0  # not yet re-encrypted
    assert team.records.get_encounter(before).note == "written before the deactivation"
    assert team.audit.verify().ok
    assert "rotate data key" in [e.action for e in team.audit.entries(5)]
    doc = unlock(user="doc", passphrase=DOC_PASS)         # carried over without her passphrase
    try:
        assert doc.records.get_encounter(after).note == "written after the deactivation"
        assert doc.records.get_encounter(before).note == "written before the deactivation"
    finally:
        doc.lock()


def test_restored_old_slot_of_a_deactivated_user_opens_nothing_current(
        team, unlock, data_dir, vault_file, tmp_path):
    _pid, old_note = write_note(team, "a note the assistant could read")
    backup = team.backup_to(tmp_path / "usb" / "her-copy.db")     # taken while she was active
    team.users.deactivate_user("nurse")
    _pid, new_note = write_note(team, "written after her deactivation")
    team.lock()
    # the attack: her slot copied back from the backup, herself set active again
    sql(vault_file, "INSERT OR REPLACE INTO key_slots SELECT * FROM old.key_slots"
        " WHERE slot_id = 'user:nurse'", "UPDATE users SET active = 1 WHERE username = 'nurse'",
        attach=backup)
    with pytest.raises(AuthError, match="before the vault's key was changed"):
        unlock(user="nurse", passphrase=NURSE_PASS)
    # her copy yields only the old key, which does not open the new note
    conn = sqlite3.connect(vault_file)
    try:
        opened = open_slot(accounts.get_slot(conn, "user:nurse"), secret=NURSE_PASS)
    finally:
        conn.close()
    assert opened.epoch == 0
    blob, version = raw_blob(vault_file, "encounters", new_note)
    stale = RecordCipher(opened.key)
    with pytest.raises(InvalidTag):
        stale.open_raw(blob, associated_data("encounters", "data", new_note, version))
    stale.close()
    # intact data still reads, the edits are named (the vault opens read-only until an
    # administrator accepts them), the refusal is in the audit trail, the chain holds
    admin = unlock()
    try:
        assert admin.records.get_encounter(new_note).note == "written after her deactivation"
        assert admin.records.get_encounter(old_note).note == "a note the assistant could read"
        named = {(f.kind, f.record_id) for f in admin.integrity.findings}
        assert {("key slot added", "user:nurse"), ("active flag edited", "nurse")} <= named
        admin.accept_integrity_findings()
        failed = [e for e in admin.audit.entries(10) if e.action == "failed login"]
        assert failed and failed[0].username == "nurse"
        assert admin.audit.verify().ok
        # the next rotation removes the slot the keyring never issued and skips her
        rotation = admin.users.deactivate_user("doc").rotation
        assert rotation.removed == ("user:nurse",)
        assert "user:nurse" not in rotation.carried
    finally:
        admin.lock()


def test_restored_slot_and_keyring_still_cannot_read_reencrypted_or_new_data(
        team, unlock, vault_file, tmp_path):
    _pid, old_note = write_note(team, "old note")
    backup = team.backup_to(tmp_path / "usb" / "her-copy.db")
    team.users.deactivate_user("nurse")
    assert team.reencrypt().finished
    _pid, new_note = write_note(team, "new note")
    team.lock()
    sql(vault_file, "INSERT OR REPLACE INTO key_slots SELECT * FROM old.key_slots"
        " WHERE slot_id = 'user:nurse'",
        "UPDATE users SET active = 1 WHERE username = 'nurse'",
        "UPDATE meta SET value = (SELECT value FROM old.meta WHERE key = 'keyring')"
        " WHERE key = 'keyring'", attach=backup)
    nurse = unlock(user="nurse", passphrase=NURSE_PASS)   # she gets in with the old key...
    try:
        for enc_id in (old_note, new_note):                # ...and it opens nothing
            with pytest.raises(DamagedRecord):
                nurse.records.get_encounter(enc_id)
        assert nurse.records.search_patients("") == []
    finally:
        nurse.lock()


def test_reinserted_old_recovery_slot_does_not_bring_the_old_key_back(
        created, unlock, data_dir, vault_file, tmp_path):
    session, old_key = created
    _pid, note = write_note(session, "kept through the recovery key change")
    backup = session.backup_to(tmp_path / "usb" / "copy.db")
    new_key = session.rotate_recovery_key()
    assert session.audit.entries(1)[0].action == "rotate data key"
    session.lock()
    with pytest.raises(AuthError):
        VaultSession.recover(data_dir, recovery_key=old_key, username="admin",
                             new_passphrase="attacker passphrase", sleep=lambda s: None)
    sql(vault_file, "INSERT OR REPLACE INTO key_slots SELECT * FROM old.key_slots"
        " WHERE slot_id = 'recovery'", attach=backup)
    with pytest.raises(AuthError, match="before the vault's key was changed"):
        VaultSession.recover(data_dir, recovery_key=old_key, username="admin",
                             new_passphrase="attacker passphrase", sleep=lambda s: None)
    admin = unlock()                                   # the passphrase was not changed
    try:
        assert admin.records.get_encounter(note).note == "kept through the recovery key change"
        assert admin.audit.verify().ok
        assert ("key slot replaced", "recovery") in {
            (f.kind, f.record_id) for f in admin.integrity.findings}
        admin.accept_integrity_findings()              # reviewed: the copied-back slot
        replaced = admin.rotate_recovery_key()         # the admin repairs it
    finally:
        admin.lock()
    assert replaced != new_key
    assert recovered_notes(data_dir, replaced, "admin")[note] == \
        "kept through the recovery key change"


def test_reencryption_moves_every_row_to_the_new_key_without_changing_it(team, vault_file):
    pid, note = write_note(team, "before")
    team.records.add_allergy(pid, substance="Penicillin")
    team.records.sign_encounter(note)
    versions = {t: dict(sqlite3.connect(vault_file).execute(f"SELECT id, version FROM {t}"))
                for t in RECORD_TABLES}
    team.users.deactivate_user("nurse")
    seen = []
    report = team.reencrypt(chunk_rows=1, on_progress=lambda d, t: seen.append((d, t)))
    assert report.finished and report.damaged == 0 and report.done == report.total == 3
    assert seen[-1] == (3, 3) and len(seen) >= 3
    assert all(e <= {1} for e in epochs(vault_file).values())
    assert {t: dict(sqlite3.connect(vault_file).execute(f"SELECT id, version FROM {t}"))
            for t in RECORD_TABLES} == versions                    # no clinical change
    assert team.records.get_encounter(note).note == "before"
    assert team.pending_reencryption() is None
    assert team.audit.entries(1)[0].action == "re-encryption done"
    assert team.audit.verify().ok


def test_damaged_row_is_left_alone_and_counted(team, vault_file):
    _pid, good = write_note(team, "good note")
    _pid, bad = write_note(team, "bad note")
    blob, _v = raw_blob(vault_file, "encounters", bad)
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    team.users.deactivate_user("nurse")
    with team.writing() as conn:
        conn.execute("UPDATE encounters SET data = ? WHERE id = ?", (flipped, bad))
    report = team.reencrypt()
    assert report.finished and report.damaged == 1
    assert raw_blob(vault_file, "encounters", bad)[0] == flipped
    assert team.records.get_encounter(good).note == "good note"


def test_backup_from_before_the_rotation_opens_with_the_keys_of_its_time(
        team, tmp_path, vault_file):
    _pid, note = write_note(team, "in the old backup")
    backup = team.backup_to(tmp_path / "usb" / "before.db")
    team.users.deactivate_user("nurse")
    assert team.reencrypt().finished
    restored = tmp_path / "restored"
    restore_backup(backup, restored)
    nurse = VaultSession.unlock(restored, username="nurse", passphrase=NURSE_PASS,
                                sleep=lambda s: None)
    try:
        assert nurse.records.get_encounter(note).note == "in the old backup"
    finally:
        nurse.lock()


def test_audit_chain_verifies_across_rotations_and_still_catches_edits(
        created, unlock, vault_file, tmp_path):
    session, _key = created
    session.users.add_user(username="a1", role="assistant", passphrase="assistant one")
    session.users.add_user(username="a2", role="assistant", passphrase="assistant two")
    copy = session.backup_to(tmp_path / "a1-copy.db")            # a1 keeps her epoch-0 key
    session.users.deactivate_user("a1")
    session.rotate_recovery_key()
    session.users.deactivate_user("a2")
    assert session.audit.verify().ok
    first_of_epoch1 = next(e.seq for e in reversed(session.audit.entries(100))
                           if e.action == "rotate data key")
    session.lock()
    conn = sqlite3.connect(copy)
    old_key = open_slot(accounts.get_slot(conn, "user:a1"), secret="assistant one").key
    conn.close()
    # a1 rewrites an entry of her own epoch and re-MACs the rest of that epoch with her key
    conn = sqlite3.connect(vault_file, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2")
    forger = RecordCipher(old_key)
    prev = GENESIS
    for row in conn.execute("SELECT seq, at, username, action, patient_id, record_id, detail"
                            " FROM audit_log WHERE seq < ? ORDER BY seq",
                            (first_of_epoch1,)).fetchall():
        prev = forger.mac(audit_message(prev, *row))
        conn.execute("UPDATE audit_log SET mac = ? WHERE seq = ?", (prev, row[0]))
    conn.close()
    forger.close()
    admin = unlock()
    try:
        check = admin.audit.verify()
        assert not check.ok and check.first_bad_position == first_of_epoch1
    finally:
        admin.lock()


def test_a_second_window_with_the_old_key_cannot_write_after_a_rotation(team, unlock):
    other = unlock()
    try:
        team.users.deactivate_user("nurse")
        with pytest.raises(Locked, match="key was changed"):
            write_note(other, "would be sealed under the old key")
    finally:
        other.lock()
    fresh = unlock()
    try:
        _pid, note = write_note(fresh, "after unlocking again")
        assert fresh.records.get_encounter(note).note == "after unlocking again"
    finally:
        fresh.lock()


def add_format1_user(path: Path, *, username: str, passphrase: str,
                     via: tuple[str, str]) -> None:
    """A clinician whose slot is in the old format, as the Lantern of that vault wrote it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        key = open_slot(accounts.get_slot(conn, accounts.user_slot_id(via[0])), secret=via[1]).key
        salt = new_salt()
        wrapped = seal_bytes(AESGCM(bytes(derive_key(passphrase, salt, FLOOR))), bytes(key),
                             f"lantern|key_slot|user:{username}".encode())
        accounts.insert_user(conn, username=username, role=Role.CLINICIAN)
        accounts.put_slot(conn, WrappedSlot(f"user:{username}", json.dumps(FLOOR.as_dict()),
                                            salt, wrapped), username=username)
    finally:
        conn.close()


def test_old_format_vault_rotates_and_issues_a_new_recovery_key(tmp_path):
    """A vault from before rotation existed (format 1 slots): the unlocking user's slot
    is rewritten at unlock; the old recovery slot cannot take a new key, so the
    rotation issues a new recovery key; a user who never unlocked since is named."""
    data_dir = tmp_path / "legacy"
    data_dir.mkdir()
    shutil.copy(Path(__file__).parents[2] / "data" / "vaults" / "schema-v3-app-5e68646.db",
                data_dir / "lantern-vault.db")
    add_format1_user(data_dir / "lantern-vault.db", username="olduser",
                     passphrase="olduser passphrase", via=("appadmin", "app vault passphrase"))
    session = VaultSession.unlock(data_dir, username="appadmin", passphrase="app vault passphrase",
                                  sleep=lambda s: None)
    try:
        notes = all_notes(session)
        session.users.add_user(username="leaver", role="assistant", passphrase="leaver passphrase")
        rotation = session.users.deactivate_user("leaver").rotation
        assert rotation.new_recovery_key is not None
        assert rotation.left_behind == ("user:olduser",)
        assert {"user:appadmin", "recovery"} <= set(rotation.carried)
        assert session.reencrypt().finished
        assert session.audit.verify().ok
    finally:
        session.lock()
    with pytest.raises(AuthError, match="before the vault's key was changed"):
        VaultSession.unlock(data_dir, username="olduser", passphrase="olduser passphrase",
                            sleep=lambda s: None)
    assert notes and recovered_notes(data_dir, rotation.new_recovery_key, "olduser") == notes


def test_reencryption_killed_mid_way_resumes_where_it_stopped(team, unlock, data_dir,
                                                               vault_file):
    team.bulk_insert("patients", ({"id": f"PBULK{i:05d}", "payload": codec.patient_payload(
        Patient(id="", name=f"Bulk {i}", sex=Sex.FEMALE, birth_year=1980))} for i in range(1000)))
    team.users.deactivate_user("nurse")
    team.lock()
    chunk, kill_after = 40, 3
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("reencrypt_killer.py")),
                           str(data_dir), "admin", ADMIN_PASS, str(chunk), str(kill_after)],
                          env=env, capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    conn = sqlite3.connect(vault_file)
    moved = sum(blob_epoch(r[0]) == 1 for r in conn.execute("SELECT data FROM patients"))
    conn.close()
    assert moved == chunk * kill_after                           # exactly the committed chunks
    admin = unlock()
    try:
        left = admin.pending_reencryption()
        assert left is not None and left.done == chunk * kill_after and left.total == 1000
        resumed = []
        report = admin.reencrypt(chunk_rows=chunk, on_progress=lambda d, t: resumed.append(d))
        assert report.finished and report.done == report.total == 1000
        assert resumed[0] == chunk * (kill_after + 1)              # continued, not restarted
        assert all(e <= {1} for e in epochs(vault_file).values())
        assert len(admin.records.search_patients("Bulk", limit=5000)) == 1000
        assert admin.integrity_problems() == []
        assert admin.audit.verify().ok
    finally:
        admin.lock()


def test_deleted_or_garbled_keyring_is_named_and_nothing_opens_with_a_wrong_key(
        team, unlock, vault_file):
    _pid, note = write_note(team, "kept")
    team.users.deactivate_user("nurse")
    team.lock()
    backup = vault_file.read_bytes()
    for statement in ("DELETE FROM meta WHERE key = 'keyring'",
                      "UPDATE meta SET value = 'bm90IGEga2V5cmluZw==' WHERE key = 'keyring'"):
        sql(vault_file, statement)
        with pytest.raises(VaultError, match="keyring is damaged"):
            unlock()
        vault_file.write_bytes(backup)
    admin = unlock()
    try:
        assert admin.records.get_encounter(note).note == "kept"
    finally:
        admin.lock()


def test_epoch_in_the_blob_header_cannot_be_changed():
    old, new = RecordCipher(bytearray(32)), None
    ad = associated_data("patients", "data", "P1", 1)
    legacy = old.seal_raw(b"payload", ad)
    assert blob_epoch(legacy) == 0 and legacy[0] == 1               # epoch 0: header unchanged
    new = RecordCipher(bytearray(range(32)), epoch=3, older={0: bytearray(32)})
    sealed = new.seal_raw(b"payload", ad)
    assert blob_epoch(sealed) == 3 and new.open_raw(legacy, ad) == b"payload"
    relabelled = sealed[:1] + (0).to_bytes(4, "big") + sealed[5:]
    with pytest.raises(InvalidTag):
        new.open_raw(relabelled, ad)
    with pytest.raises(InvalidTag):
        old.open_raw(sealed, ad)                                     # the old key alone: no
    old.close()
    new.close()
