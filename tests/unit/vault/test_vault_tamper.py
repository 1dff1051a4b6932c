"""Damaged, swapped and replayed ciphertexts: refused, reported, contained."""

from __future__ import annotations

import sqlite3

import pytest

from lantern.domain.errors import DamagedRecord
from lantern.domain.records import UnreadableRecord, Vitals


def raw(vault_file) -> sqlite3.Connection:
    return sqlite3.connect(vault_file, isolation_level=None)


def blob(conn, table, row_id) -> bytes:
    return conn.execute(f"SELECT data FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]


@pytest.fixture
def three(session):
    rec = session.records
    patients = [rec.add_patient(name=f"Person {n}", sex="female", village="Hill")
                for n in ("One", "Two", "Three")]
    return patients


def test_flipped_byte_damages_only_that_record(session, three, vault_file, unlock):
    victim = three[1]
    conn = raw(vault_file)
    data = bytearray(blob(conn, "patients", victim.id))
    data[len(data) // 2] ^= 0x40
    conn.execute("UPDATE patients SET data = ? WHERE id = ?", (bytes(data), victim.id))
    conn.close()
    with pytest.raises(DamagedRecord, match="damaged"):
        session.records.get_patient(victim.id)
    assert session.records.get_patient(three[0].id).name == "Person One"
    assert session.records.damaged_records() == [("patients", victim.id)]
    session.lock()
    again = unlock()  # unlock still works; the damaged patient is left out of search
    try:
        assert {p.name for p in again.records.search_patients("hill")} == {"Person One", "Person Three"}
        assert again.records.damaged_patient_ids() == [victim.id]
        again.records.add_patient(name="After damage", sex="male")
    finally:
        again.lock()


def test_ciphertext_copied_to_another_row_is_refused(session, three, vault_file):
    conn = raw(vault_file)
    conn.execute("UPDATE patients SET data = ? WHERE id = ?",
                 (blob(conn, "patients", three[0].id), three[2].id))
    with pytest.raises(DamagedRecord):
        session.records.get_patient(three[2].id)
    assert session.records.damaged_records() == [("patients", three[2].id)]


def test_ciphertext_copied_to_another_table_is_refused(session, three, vault_file):
    enc = session.records.new_encounter(three[0].id)
    allergy = session.records.add_allergy(three[0].id, substance="Penicillin")
    conn = raw(vault_file)
    conn.execute("UPDATE allergies SET id = ?, data = ? WHERE id = ?",
                 (allergy.id, blob(conn, "encounters", enc.id), allergy.id))
    assert session.records.list_allergies(three[0].id) == [
        UnreadableRecord("allergies", allergy.id, three[0].id)]   # shown as damaged, never dropped
    assert ("allergies", allergy.id) in session.records.damaged_records()


def test_older_version_replayed_is_refused(session, three, vault_file):
    enc = session.records.new_encounter(three[0].id)
    session.records.save_draft(enc.id, note="first words", vitals=Vitals())
    conn = raw(vault_file)
    old = blob(conn, "encounters", enc.id)
    session.records.save_draft(enc.id, note="first words, corrected", vitals=Vitals())
    conn.execute("UPDATE encounters SET data = ? WHERE id = ?", (old, enc.id))
    with pytest.raises(DamagedRecord):
        session.records.get_encounter(enc.id)
    assert session.records.list_encounters(three[0].id) == [
        UnreadableRecord("encounters", enc.id, three[0].id)]
    assert session.records.damaged_records() == [("encounters", enc.id)]
