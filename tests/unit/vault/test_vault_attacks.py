"""Issue 12, "Why" items 1-3 and 6: each attack done with sqlite3 on a real vault
file, as a staff member or a thief could, while Lantern is closed. Each test
proves the next unlock detects and names it (and opens read-only, writing
nothing), and that the intact data still reads. ``docs/vault.md`` ("Threat
model") lists these tests by name.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from raw_vault import stored_payloads

from lantern.domain.errors import DamagedRecord, IntegrityError, PermissionDenied, ReadOnlyVault
from lantern.domain.records import Role, UnreadableRecord, Vitals
from lantern.services import seen_states as seen
from lantern.services.session import VaultSession
from lantern.vault.kdf import MAX_MEMORY_KIB

NURSE_PASS = "nurse passphrase 1"
SAVED_VAULTS = Path(__file__).parents[2] / "data" / "vaults"


@pytest.fixture
def clinic(session, unlock):
    """A closed vault: patients Asha (signed + amended note, penicillin allergy) and
    Bakari (a note), an assistant 'nurse'. Returns the ids."""
    rec = session.records
    session.users.add_user(username="nurse", role=Role.ASSISTANT, passphrase=NURSE_PASS)
    asha = rec.add_patient(name="Asha Example", sex="female", village="Hill")
    bakari = rec.add_patient(name="Bakari Example", sex="male", village="River")
    note = rec.new_encounter(asha.id)
    rec.save_draft(note.id, note="Cough three days.", vitals=Vitals(temp_c=37.2))
    rec.sign_encounter(note.id)
    allergy = rec.add_allergy(asha.id, substance="Penicillin", reaction="rash")
    other = rec.new_encounter(bakari.id)
    rec.save_draft(other.id, note="Knee pain.", vitals=Vitals())
    session.lock()
    return {"asha": asha.id, "bakari": bakari.id, "note": note.id, "allergy": allergy.id,
            "other": other.id}


def sql(vault_file, *statements: str, params: tuple = ()) -> None:
    conn = sqlite3.connect(vault_file, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
    finally:
        conn.close()


def audit_count(vault_file) -> int:
    conn = sqlite3.connect(vault_file)
    try:
        return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        conn.close()


def kinds(session) -> set[str]:
    return {f.kind for f in session.integrity.findings}


def assert_intact_data_reads(session, ids) -> None:
    """The untouched records still read, in a read-only session that writes nothing."""
    assert session.read_only
    assert session.records.get_patient(ids["bakari"]).name == "Bakari Example"
    assert session.records.get_encounter(ids["other"]).note == "Knee pain."
    assert {p.name for p in session.records.search_patients("example")} >= {"Bakari Example"}
    with pytest.raises(ReadOnlyVault, match="read-only"):
        session.records.add_patient(name="New Person", sex="male")


@contextlib.contextmanager
def finding_on_unlock(unlock, kind: str, ids: dict, *who: str) -> Iterator:
    """Unlock (as ``who``), yield ``(session, the one finding of kind)``, then check
    that the intact data still reads in the read-only session, and lock."""
    session = unlock(*who)
    try:
        [found] = [f for f in session.integrity.findings if f.kind == kind]
        yield session, found
        assert_intact_data_reads(session, ids)
    finally:
        session.lock()


def test_clean_vault_opens_writable_with_no_findings(clinic, unlock):
    again = unlock()
    try:
        assert again.integrity.ok and not again.read_only
        assert again.records.get_encounter(clinic["note"]).note == "Cough three days."
        again.records.add_patient(name="Another", sex="male")
    finally:
        again.lock()


# -- 1. the audit trail ---------------------------------------------------------------------
def test_audit_wiped_with_trigger_dropped_is_detected_before_any_append(clinic, unlock,
                                                                        vault_file):
    sql(vault_file, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log",
        "DELETE FROM meta WHERE key = 'audit_head'")
    again = unlock()
    try:
        assert {"audit wiped", "triggers changed"} <= kinds(again)
        [wiped] = [f for f in again.integrity.findings if f.kind == "audit wiped"]
        assert wiped.table == "audit_log" and "none present" in wiped.message
        assert audit_count(vault_file) == 0   # no login entry was appended on top
        assert_intact_data_reads(again, clinic)
        assert audit_count(vault_file) == 0   # nor view entries
    finally:
        again.lock()
    assert audit_count(vault_file) == 0       # nor a lock entry


def test_audit_cut_after_entry_41_is_detected(clinic, unlock, vault_file):
    session = unlock()
    for _ in range(45):
        session.records.get_patient(clinic["asha"])   # each view is an audit entry
    session.lock()
    before = audit_count(vault_file)
    assert before > 45
    sql(vault_file, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq >= 41",
        "DELETE FROM meta WHERE key = 'audit_head'")
    with finding_on_unlock(unlock, "audit truncated", clinic) as (_again, cut):
        assert f"{before} entries sealed, 40 present" in cut.message
        assert audit_count(vault_file) == 40


# -- 2. an older version of a record written back -----------------------------------------
def test_signed_note_rolled_back_to_its_draft_is_detected(clinic, unlock, vault_file):
    conn = sqlite3.connect(vault_file, isolation_level=None)
    old_version, old_data = conn.execute(
        "SELECT version, data FROM encounters WHERE id = ?", (clinic["note"],)).fetchone()
    conn.close()
    session = unlock()
    session.records.amend_encounter(clinic["note"], "Started amoxicillin.")
    session.lock()
    sql(vault_file, "UPDATE encounters SET version = ?, data = ? WHERE id = ?",
        params=(old_version, old_data, clinic["note"]))
    with finding_on_unlock(unlock, "record rolled back", clinic) as (_again, rolled):
        assert rolled.table == "encounters"


# -- 3. records moved to another patient --------------------------------------------------------
def test_note_and_allergy_moved_to_another_patient_are_damaged_and_named(clinic, unlock,
                                                                         vault_file):
    sql(vault_file, "UPDATE encounters SET patient_id = ? WHERE id = ?",
        params=(clinic["bakari"], clinic["note"]))
    sql(vault_file, "UPDATE allergies SET patient_id = ? WHERE id = ?",
        params=(clinic["bakari"], clinic["allergy"]))
    again = unlock()
    try:
        moved = {f.table for f in again.integrity.findings if f.kind == "record rolled back"}
        assert moved == {"encounters", "allergies"}
        with pytest.raises(DamagedRecord, match=f"encounters/{clinic['note']}"):
            again.records.get_encounter(clinic["note"])
        damaged = again.records.damaged_records()
        assert ("encounters", clinic["note"]) in damaged
        assert ("allergies", clinic["allergy"]) in damaged
        # in Bakari's list the moved allergy stands as damaged, never as his own allergy
        [shown] = again.records.list_allergies(clinic["bakari"])
        assert isinstance(shown, UnreadableRecord)
        assert (shown.table, shown.id, shown.kind) == ("allergies", clinic["allergy"], "damaged")
        assert_intact_data_reads(again, clinic)
    finally:
        again.lock()


def test_swapped_records_between_patients_are_damaged(clinic, unlock, vault_file):
    sql(vault_file, "UPDATE encounters SET patient_id = CASE id WHEN ? THEN ? ELSE ? END"
        " WHERE id IN (?, ?)",
        params=(clinic["note"], clinic["bakari"], clinic["asha"], clinic["note"], clinic["other"]))
    again = unlock()
    try:
        assert "record rolled back" in kinds(again)
        assert {("encounters", clinic["note"]), ("encounters", clinic["other"])} <= set(
            again.records.damaged_records())
        assert again.records.get_patient(clinic["bakari"]).name == "Bakari Example"
    finally:
        again.lock()


def test_a_deleted_row_is_detected(clinic, unlock, vault_file):
    sql(vault_file, "DELETE FROM allergies WHERE id = ?", params=(clinic["allergy"],))
    with finding_on_unlock(unlock, "rows deleted", clinic) as (_again, gone):
        assert gone.table == "allergies" and "1 row(s)" in gone.message


# -- 6. clear-text tables ---------------------------------------------------------------------
def test_assistant_made_admin_by_sqlite_is_detected_and_cannot_add_an_admin(clinic, data_dir,
                                                                             unlock, vault_file):
    sql(vault_file, "UPDATE users SET role = 'admin' WHERE username = 'nurse'")
    with finding_on_unlock(unlock, "role edited", clinic, "nurse", NURSE_PASS) as (nurse, edited):
        assert (edited.table, edited.record_id) == ("users", "nurse")
        assert "assistant -> admin" in edited.message
        with pytest.raises(ReadOnlyVault):
            nurse.users.add_user(username="mallory", role=Role.ADMIN, passphrase="mallory pass 1")
        with pytest.raises(PermissionDenied, match="administrator in the vault's sealed state"):
            nurse.accept_integrity_findings()          # she cannot bless her own edit


def test_deactivated_user_set_active_again_is_detected(clinic, unlock, vault_file):
    session = unlock()
    session.users.deactivate_user("nurse")
    session.lock()
    sql(vault_file, "UPDATE users SET active = 1 WHERE username = 'nurse'")
    with finding_on_unlock(unlock, "active flag edited", clinic) as (_again, flag):
        assert flag.record_id == "nurse" and "set active" in flag.message


def test_injected_failed_login_rows_are_reported_never_chained_and_never_raise(
        clinic, unlock, vault_file):
    sql(vault_file,
        "INSERT INTO pending_failures (at, username) VALUES ('not-a-date', 'admin')",
        "INSERT INTO pending_failures (at, username) VALUES ('2026-01-01T00:00:00+00:00', 'nurse')",
        "INSERT INTO pending_failures (at, username) VALUES ('2099-01-01T00:00:00+00:00', 'admin')")
    now = "INSERT INTO pending_failures (at, username) VALUES (?, 'ghost')"
    sql(vault_file, now, params=(time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),))
    again = unlock()
    try:
        reasons = sorted(f.message for f in again.integrity.findings
                         if f.kind == "failed-login row rejected")
        assert len(reasons) == 4
        assert any("not a date" in r for r in reasons) and any("back-dated" in r for r in reasons)
        assert any("future" in r for r in reasons) and any("not a user" in r for r in reasons)
        assert_intact_data_reads(again, clinic)
        entries = again.audit.entries(1000)        # the audit view reads, never raises
        assert not any(e.action == "failed login" for e in entries)
        again.accept_integrity_findings()          # the admin reviews and accepts
        actions = [e.action for e in again.audit.entries(5)]
        assert actions[:2] == ["integrity alarm accepted", "rejected failed-login records"]
        assert not any(e.username == "ghost" for e in again.audit.entries(1000))
        again.records.add_patient(name="Writable again", sex="female")
    finally:
        again.lock()
    final = unlock()
    try:
        assert final.integrity.ok and final.audit.verify().ok
    finally:
        final.lock()


def test_edited_vault_kdf_params_are_detected_without_hanging(clinic, unlock, vault_file):
    huge = json.dumps({"memory_kib": 64 * 1024 * 1024, "iterations": 10_000, "lanes": 1,
                       "algorithm": "argon2id"})
    sql(vault_file, "UPDATE meta SET value = ? WHERE key = 'kdf_params'", params=(huge,))
    # the out-of-bounds parameters are never used; the edit is named
    with finding_on_unlock(unlock, "kdf params edited", clinic) as (_again, edited):
        assert (edited.table, edited.record_id) == ("meta", "kdf_params")


def test_edited_key_slot_kdf_params_are_refused_clearly_and_named_for_others(clinic, unlock,
                                                                             vault_file):
    huge = json.dumps({"memory_kib": MAX_MEMORY_KIB * 1024, "iterations": 3, "lanes": 1,
                       "algorithm": "argon2id"})
    sql(vault_file, "UPDATE key_slots SET kdf = ? WHERE slot_id = 'user:nurse'", params=(huge,))
    with pytest.raises(IntegrityError, match="out of range: the vault file was edited"):
        unlock("nurse", NURSE_PASS)          # refused before the KDF runs: no MemoryError
    with finding_on_unlock(unlock, "kdf params edited", clinic) as (_again, edited):
        assert (edited.table, edited.record_id) == ("key_slots", "user:nurse")


def test_deleted_or_edited_state_record_is_detected(clinic, unlock, vault_file):
    sql(vault_file, "UPDATE vault_state SET value = replace(value, '\"generation\":', "
        "'\"generation\":1') WHERE key = 'state'")
    again = unlock()
    try:
        assert "state forged" in kinds(again)
    finally:
        again.lock()
    sql(vault_file, "DELETE FROM vault_state",
        "INSERT INTO vault_state (key, value) VALUES ('status', 'unsealed')")
    again = unlock()                 # pretending to be an unsealed older vault does not work
    try:
        assert "state missing" in kinds(again)
        assert_intact_data_reads(again, clinic)
    finally:
        again.lock()


# -- whole-file rollback (issue 12, "What to build" 3) -------------------------------------------
def put_back_an_older_copy(vault_file, tmp_path, unlock) -> None:
    """Copy the closed file, write one patient, close, and put the copy back."""
    copy = tmp_path / "old-copy.db"
    shutil.copy(vault_file, copy)
    session = unlock()
    session.records.add_patient(name="Written after the copy", sex="female")
    session.lock()
    shutil.copy(copy, vault_file)


def test_an_older_copy_of_the_file_put_back_is_detected(clinic, unlock, vault_file, tmp_path):
    put_back_an_older_copy(vault_file, tmp_path, unlock)
    with finding_on_unlock(unlock, "whole-file rollback", clinic) as (_again, old):
        assert "older than the last state this computer saw" in old.message


def test_an_older_copy_is_not_detected_once_the_counter_file_is_deleted(clinic, unlock,
                                                                        vault_file, tmp_path):
    """What cannot be detected (docs/vault.md): the counter lives outside the file."""
    put_back_an_older_copy(vault_file, tmp_path, unlock)
    seen.seen_file().unlink()
    again = unlock()
    try:
        assert again.integrity.ok
        assert [p.name for p in again.records.search_patients("written after")] == []
    finally:
        again.lock()


# -- closed for rows written before blob format 2 ----------------------------------------------------
def test_old_vault_rows_are_rebound_at_first_unlock_so_moving_them_is_detected(data_dir, unlock,
                                                                               vault_file):
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_VAULTS / "schema-v3.db", vault_file)
    first = unlock("legacy", "legacy passphrase")
    try:
        assert first.integrity.ok and not first.read_only
        new_patient = first.records.add_patient(name="Second Patient", sex="male")
    finally:
        first.lock()
    blobs = stored_payloads(vault_file, username="legacy", passphrase="legacy passphrase")
    assert ("allergies", "ALEGACY01") in blobs          # re-sealed in format 2, same content
    conn = sqlite3.connect(vault_file)
    formats = {r[0] for r in conn.execute("SELECT substr(data, 1, 1) FROM allergies")}
    conn.close()
    assert formats == {b"\x02"}
    sql(vault_file, "UPDATE allergies SET patient_id = ? WHERE id = 'ALEGACY01'",
        params=(new_patient.id,))
    again = unlock("legacy", "legacy passphrase")
    try:
        assert "record rolled back" in kinds(again)
        assert ("allergies", "ALEGACY01") in again.records.damaged_records()
        assert again.records.get_encounter("ELEGACY01").note.startswith("Legacy note")
    finally:
        again.lock()


# -- edits made by another program while Lantern has the vault open ----------------------------
def test_role_edited_while_the_vault_is_open_is_not_sealed_by_the_next_save(clinic, unlock,
                                                                           vault_file):
    session = unlock()
    try:
        sql(vault_file, "UPDATE users SET role = 'admin' WHERE username = 'nurse'")
        with pytest.raises(IntegrityError, match=r"another program while it was open \(users\)"):
            session.records.add_patient(name="Not saved", sex="male")
        assert session.records.search_patients("not saved") == []
    finally:
        session.lock()           # the lock entry is refused the same way
    with finding_on_unlock(unlock, "role edited", clinic) as (_again, edited):
        assert edited.record_id == "nurse"


def test_audit_cut_while_the_vault_is_open_is_not_sealed_by_the_next_save(clinic, unlock,
                                                                         vault_file):
    session = unlock()
    try:
        sql(vault_file, "DROP TRIGGER audit_log_no_delete",
            "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
            " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")
        with pytest.raises(IntegrityError, match="audit log"):
            session.records.get_patient(clinic["asha"])   # its view entry cannot be sealed
    finally:
        session.lock()
    with finding_on_unlock(unlock, "audit truncated", clinic):
        pass


def test_recovery_during_an_alarm_sets_the_passphrase_and_stays_read_only(clinic, data_dir,
                                                                         created, vault_file):
    _session, recovery_key = created
    sql(vault_file, "UPDATE users SET active = 0 WHERE username = 'nurse'")
    recovered = VaultSession.recover(data_dir, recovery_key=recovery_key, username="admin",
                                     new_passphrase="a new admin passphrase",
                                     sleep=lambda s: None)
    try:
        assert recovered.read_only and "active flag edited" in kinds(recovered)
    finally:
        recovered.lock()
    again = VaultSession.unlock(data_dir, username="admin", passphrase="a new admin passphrase",
                                sleep=lambda s: None)
    try:     # the admin's own new slot is listed too, until she accepts
        assert {"active flag edited", "key slot replaced"} <= kinds(again)
        again.accept_integrity_findings()
        again.records.add_patient(name="After recovery", sex="male")
    finally:
        again.lock()


def test_after_a_key_rotation_and_reencryption_no_alarm_and_moves_still_detected(
        clinic, unlock, vault_file):
    session = unlock()
    session.users.deactivate_user("nurse")           # rotates the data key
    assert session.reencrypt().finished
    session.lock()
    again = unlock()
    try:
        assert again.integrity.ok and not again.read_only
        assert again.records.get_encounter(clinic["note"]).note == "Cough three days."
    finally:
        again.lock()
    sql(vault_file, "UPDATE allergies SET patient_id = ? WHERE id = ?",
        params=(clinic["bakari"], clinic["allergy"]))
    moved = unlock()
    try:
        assert "record rolled back" in kinds(moved)
        assert ("allergies", clinic["allergy"]) in moved.records.damaged_records()
    finally:
        moved.lock()
