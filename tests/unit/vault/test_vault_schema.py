from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lantern.domain.records import NoteStatus, Vitals
from lantern.services.session import VaultSession
from lantern.vault.schema import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from lantern.vault.store import vault_path

V1_FILE = Path(__file__).parents[2] / "data" / "vaults" / "schema-v1.db"
LEGACY_NOTE = "Legacy note: cough for 3 days, no fever. Plan: fluids, review in 1 week."


def tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(conn, table) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


@pytest.fixture
def conn(tmp_path):
    c = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    c.execute("PRAGMA foreign_keys = ON")
    yield c
    c.close()


def test_migrations_are_numbered_in_order():
    assert SCHEMA_VERSION == len(MIGRATIONS) == 7
    assert [m.__name__[:4] for m in MIGRATIONS] == ["m001", "m002", "m003", "m004",
                                                       "m005",
                                                       "m006",
                                                       "m007"]


def test_m001_core_tables(conn):
    assert migrate(conn, target=1) == [1]
    assert schema_version(conn) == 1
    assert {"meta", "users", "key_slots", "audit_log", "pending_failures", "patients"} <= tables(conn)
    assert "encounters" not in tables(conn)
    assert columns(conn, "patients") == ["id", "created_at", "updated_at", "version", "data"]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x4C4E5452


def test_m001_audit_log_is_append_only(conn):
    migrate(conn, target=1)
    conn.execute("INSERT INTO audit_log (seq, at, username, action, mac) VALUES (1, 't', 'u', 'a', x'00')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET action = 'b'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log")


def test_m002_clinical_tables_reference_patients(conn):
    migrate(conn, target=2)
    assert schema_version(conn) == 2
    for name in ("encounters", "allergies", "medications", "problems"):
        assert columns(conn, name) == ["id", "patient_id", "created_at", "updated_at", "version", "data"]
        fks = conn.execute(f"PRAGMA foreign_key_list({name})").fetchall()
        assert [(f[2], f[3]) for f in fks] == [("patients", "patient_id")]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO encounters VALUES ('e', 'no-such-patient', 't', 't', 1, x'00')")


def test_m003_outputs_reference_encounters(conn):
    migrate(conn, target=2)
    assert migrate(conn, target=3) == [3]
    for name in ("assessments", "summaries"):
        assert "encounter_id" in columns(conn, name)
    assert migrate(conn, target=3) == []  # idempotent


def test_m004_marks_the_state_unsealed_and_names_the_vault(conn):
    migrate(conn, target=3)
    assert migrate(conn, target=4) == [4]
    assert conn.execute("SELECT key, value FROM vault_state").fetchall() == [("status", "unsealed")]
    [vault_id] = conn.execute("SELECT value FROM meta WHERE key = 'vault_id'").fetchone()
    assert len(vault_id) == 32 and int(vault_id, 16) >= 0
    assert migrate(conn, target=4) == []


def test_m005_followups_and_the_upgrade_note(conn):
    migrate(conn, target=4)
    conn.execute("INSERT INTO vault_state (key, value) VALUES ('state', '{}')")  # a sealed vault
    assert migrate(conn, target=5) == [5]
    assert columns(conn, "followups") == ["id", "patient_id", "encounter_id", "created_at",
                                          "updated_at", "version", "data"]
    assert columns(conn, "followup_index") == ["key", "version", "data"]
    assert conn.execute("SELECT value FROM vault_state WHERE key = 'upgraded_from'"
                        ).fetchone() == ("4",)
    assert migrate(conn) == [6, 7]   # m006 (sync), m007 (alerts) keep the older note: sealed at 4
    assert conn.execute("SELECT value FROM vault_state WHERE key = 'upgraded_from'"
                        ).fetchall() == [("4",)]
    assert migrate(conn) == []


def test_m006_sync_tables_are_append_only(conn):
    migrate(conn)
    assert columns(conn, "sync_events") == ["seq", "event_id", "device_id", "hlc", "ciphertext",
                                            "stored_at"]
    conn.execute("INSERT INTO sync_events (event_id, device_id, hlc, ciphertext, stored_at)"
                 " VALUES ('e1', 'd1', 'h', x'00', 'now')")
    for sql in ("UPDATE sync_events SET hlc = 'x'", "DELETE FROM sync_events"):
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            conn.execute(sql)


def test_m007_alert_acks_is_a_record_table_owned_by_no_patient(conn):
    migrate(conn, target=6)
    conn.execute("INSERT INTO vault_state (key, value) VALUES ('state', '{}')")  # a sealed vault
    assert migrate(conn) == [7]
    assert columns(conn, "alert_acks") == ["id", "created_at", "updated_at", "version", "data"]
    assert conn.execute("SELECT value FROM vault_state WHERE key = 'upgraded_from'"
                        ).fetchone() == ("6",)


def test_failed_migration_rolls_back(conn):
    def broken(c):
        c.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    migrate(conn, target=1)
    saved = MIGRATIONS[1]
    MIGRATIONS[1] = broken
    try:
        with pytest.raises(RuntimeError):
            migrate(conn, target=2)
    finally:
        MIGRATIONS[1] = saved
    assert schema_version(conn) == 1
    assert "half_done" not in tables(conn)


def test_saved_v1_vault_is_upgraded_and_still_readable(data_dir):
    data_dir.mkdir(parents=True)
    shutil.copy(V1_FILE, vault_path(data_dir))
    session = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase")
    try:
        assert session.clinic_name == "Legacy Clinic"
        [hit] = session.records.search_patients("old vill")
        assert hit.name == "Legacy Patient" and hit.id == "PLEGACY01"
        enc = session.records.new_encounter(hit.id)  # a v2 table works after upgrade
        assert session.records.list_encounters(hit.id)[0].id == enc.id
        assert session.audit.verify().ok
    finally:
        session.lock()
    check = sqlite3.connect(vault_path(data_dir))
    assert schema_version(check) == SCHEMA_VERSION
    check.close()


SAVED_DIR = V1_FILE.parent


def test_a_saved_vault_exists_for_every_schema_version():
    """Adding a migration needs a saved file of the new version: run
    ``tests/data/vaults/make_vaults.py`` and commit ``schema-vN.db``."""
    for version in range(1, SCHEMA_VERSION + 1):
        path = SAVED_DIR / f"schema-v{version}.db"
        assert path.exists(), f"missing {path.name}"
        assert path.stat().st_size < 64 * 1024, f"{path.name} should stay small"
        header = path.read_bytes()[:100]      # read, never opened: SQLite would add -shm files
        assert int.from_bytes(header[60:64], "big") == version        # PRAGMA user_version
        assert int.from_bytes(header[68:72], "big") == 0x4C4E5452     # application_id


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_saved_vault_of_every_schema_version_opens_with_current_code(data_dir, version):
    data_dir.mkdir(parents=True)
    saved = SAVED_DIR / f"schema-v{version}.db"
    original = saved.read_bytes()
    shutil.copy(saved, vault_path(data_dir))
    session = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase",
                                  sleep=lambda s: None)
    try:
        assert session.clinic_name == "Legacy Clinic"
        [hit] = session.records.search_patients("old vill")
        assert hit.id == "PLEGACY01" and hit.name == "Legacy Patient"
        patient = session.records.get_patient("PLEGACY01")
        assert (patient.name, patient.sex.value, patient.birth_date, patient.birth_year,
                patient.village, patient.phone) == (
            "Legacy Patient", "female", None, 1970, "Old Village", "")
        encounters = session.records.list_encounters("PLEGACY01")
        if version >= 2:
            [enc] = encounters
            assert enc.id == "ELEGACY01" and enc.note == LEGACY_NOTE
            assert enc.vitals == Vitals(temp_c=36.8, heart_rate=80, resp_rate=16)
            assert (enc.author, enc.status, enc.signed_by, enc.pregnant, enc.amendments) == (
                "legacy", NoteStatus.SIGNED, "legacy", False, ())
            assert enc.signed_at == datetime(2026, 1, 15, 10, 30, tzinfo=UTC)
            [allergy] = session.records.list_allergies("PLEGACY01")
            assert (allergy.substance, allergy.reaction, allergy.severity) == (
                "penicillin", "rash", "moderate")
            assert session.records.list_medications("PLEGACY01") == []
            assert session.records.list_problems("PLEGACY01") == []
        else:
            assert encounters == []
        if version >= 3:
            # these rows were written flat (no {"payload", "author"} envelope): the
            # payload upgrade wraps them, with an unknown author
            [assessment] = session.records.list_assessments("PLEGACY01")
            assert assessment["encounter_id"] == "ELEGACY01" and assessment["author"] == ""
            assert assessment["payload"] == {"suggested": ["common_cold"], "chosen": "common_cold",
                                             "triage": "routine"}
            [summary] = session.records.list_summaries("PLEGACY01")
            assert summary["payload"] == {"kind": "note", "signed_by": "legacy",
                                          "text": "Cough for 3 days. Plan: fluids."}
        if version >= 5:
            [followup] = session.followups.for_patient("PLEGACY01")
            assert (followup.id, followup.due.isoformat(), followup.reason,
                    followup.encounter_id) == ("FLEGACY01", "2026-01-22", "review in 1 week",
                                               "ELEGACY01")
        acks = session.alerts.acknowledgements()
        if version >= 7:
            assert acks == {("cholera", "2026-W03", "single_case", "Old Village"): {
                "key": "cholera/2026-W03/single_case/v1", "condition_id": "cholera",
                "week": "2026-W03", "rule": "single_case", "village": "Old Village",
                "count": 1, "acknowledged_by": "legacy",
                "acknowledged_at": "2026-01-16T08:00:00+00:00"}}
        else:
            assert acks == {}
        # Every table of the current schema works after the upgrade.
        enc = session.records.new_encounter("PLEGACY01")
        session.records.save_draft(enc.id, note="after the upgrade", vitals=enc.vitals)
        session.records.save_assessment(enc.id, {"chosen": "common_cold"})
        session.followups.confirm(enc.id, due=date.today(), reason="after the upgrade")
        assert session.records.get_encounter(enc.id).note == "after the upgrade"
        assert session.records.damaged_records() == []
        assert session.integrity_problems() == []
        assert session.audit.verify().ok
    finally:
        session.lock()
    check = sqlite3.connect(vault_path(data_dir))
    try:
        assert schema_version(check) == SCHEMA_VERSION
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
    assert saved.read_bytes() == original   # the saved file itself is never touched
