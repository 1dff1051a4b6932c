"""The payload-format machinery: version key, upgrade steps, too-new and malformed
payloads, and the repository stamping and upgrading rows (with toy formats)."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from lantern.domain.errors import DamagedRecord, MalformedPayload, PayloadTooNew
from lantern.vault.crypto import RecordCipher, random_key
from lantern.vault.payload_format import UNVERSIONED, VERSION_KEY, PayloadFormat
from lantern.vault.repo import DATA_COLUMN, Repo, columns_of
from lantern.vault.schema import RECORD_TABLES, migrate


def add_colour(d: dict) -> dict:      # version 1 -> 2
    return {"colour": "grey", **d}


def split_name(d: dict) -> dict:      # version 2 -> 3
    first, _, last = d["name"].partition(" ")
    out = {k: v for k, v in d.items() if k != "name"}
    return {**out, "first": first, "last": last}


THING = PayloadFormat(steps=(add_colour, split_name),
                      fields={"first": str, "last": str, "colour": str})


def test_version_numbers():
    assert VERSION_KEY == "_v" and UNVERSIONED == 1
    assert THING.current == 3
    assert PayloadFormat(steps=(), fields={}).current == 1


def test_an_unversioned_payload_goes_through_every_step_in_order():
    assert THING.read({"name": "Ada Lovelace"}, table="t", row_id="R1") == {
        "colour": "grey", "first": "Ada", "last": "Lovelace"}


def test_a_payload_runs_only_the_steps_after_its_version():
    stored = {VERSION_KEY: 2, "name": "Ada Lovelace", "colour": "red"}
    assert THING.read(stored, table="t", row_id="R1") == {
        "colour": "red", "first": "Ada", "last": "Lovelace"}
    assert stored[VERSION_KEY] == 2                          # the input is not changed


def test_a_current_payload_is_returned_without_its_version_key():
    stored = {VERSION_KEY: 3, "first": "Ada", "last": "L", "colour": "red", "extra": 1}
    assert THING.read(stored, table="t", row_id="R1") == {
        "first": "Ada", "last": "L", "colour": "red", "extra": 1}


def test_a_newer_payload_is_refused_naming_table_and_record():
    with pytest.raises(PayloadTooNew) as info:
        THING.read({VERSION_KEY: 4, "first": "secret name"}, table="encounters", row_id="E7")
    err = info.value
    assert (err.table, err.record_id, err.version, err.known) == ("encounters", "E7", 4, 3)
    assert "encounters/E7" in str(err) and "newer version of Lantern" in str(err)
    assert "secret" not in str(err)
    assert not isinstance(err, DamagedRecord)      # lists must not skip it as damaged


@pytest.mark.parametrize("bad", [0, -1, "2", 2.0, True, None, [3]])
def test_a_version_that_is_not_a_positive_integer_is_malformed(bad):
    with pytest.raises(MalformedPayload, match="t/R1"):
        THING.read({VERSION_KEY: bad, "first": "a", "last": "b", "colour": "c"},
                   table="t", row_id="R1")


def test_a_step_that_cannot_apply_is_malformed_and_quotes_nothing():
    with pytest.raises(MalformedPayload) as info:
        THING.read({"nom": "Ada Lovelace"}, table="t", row_id="R1")   # no "name" for step 2
    assert "t/R1" in str(info.value) and "Ada" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize("stored", [
    {VERSION_KEY: 3, "first": "a", "last": "b"},                     # a field missing
    {VERSION_KEY: 3, "first": "a", "last": None, "colour": "c"},     # wrong type
])
def test_a_current_payload_without_its_fields_is_malformed(stored):
    with pytest.raises(MalformedPayload, match="version 3"):
        THING.read(stored, table="t", row_id="R1")


def test_stamp_adds_the_current_version_and_checks_the_fields():
    body = {"first": "a", "last": "b", "colour": "c"}
    assert THING.stamp(body, table="t", row_id="R1") == {**body, VERSION_KEY: 3}
    assert VERSION_KEY not in body
    with pytest.raises(MalformedPayload):
        THING.stamp({"first": "a"}, table="t", row_id="R1")
    with pytest.raises(ValueError, match="_v"):
        THING.stamp({**body, VERSION_KEY: 1}, table="t", row_id="R1")


# -- the repository ------------------------------------------------------------------
FORMATS = {table: PayloadFormat(steps=(add_colour,), fields={"colour": str})
           for table in RECORD_TABLES}


@pytest.fixture
def conn():
    c = sqlite3.connect(":memory:", isolation_level=None)
    migrate(c)
    yield c
    c.close()


@pytest.fixture
def repo():
    cipher = RecordCipher(random_key())
    yield Repo(cipher, formats=FORMATS)
    cipher.close()


def stored(repo: Repo, conn, table: str, row_id: str) -> dict:
    row = conn.execute(f"SELECT {columns_of(table)} FROM {table} WHERE id = ?",
                       (row_id,)).fetchone()
    return repo.open_blob(table, row)


def put_raw(repo: Repo, conn, table: str, row_id: str, payload: dict, **parents) -> None:
    """A row as an older (no version) or newer (higher version) Lantern wrote it."""
    blob = repo.cipher.seal(payload, table=table, column=DATA_COLUMN, row_id=row_id, version=1)
    cols = {"id": row_id, "created_at": "t", "updated_at": "t", "version": 1, "data": blob,
            **parents}
    conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                 list(cols.values()))


def test_the_repository_needs_a_format_for_every_record_table():
    cipher = RecordCipher(random_key())
    with pytest.raises(ValueError, match="summaries"):
        Repo(cipher, formats={t: f for t, f in FORMATS.items() if t != "summaries"})
    cipher.close()


def test_rows_are_written_with_the_current_version_and_read_without_it(conn, repo):
    row = repo.insert(conn, "patients", row_id="P1", payload={"colour": "red", "name": "x"})
    assert stored(repo, conn, "patients", "P1") == {"colour": "red", "name": "x", VERSION_KEY: 2}
    assert row.payload == repo.get(conn, "patients", "P1").payload == {"colour": "red", "name": "x"}
    repo.update(conn, "patients", row=row, payload={**row.payload, "name": "y"})
    assert stored(repo, conn, "patients", "P1")[VERSION_KEY] == 2
    repo.insert_many(sqlite_utils.Database(conn, execute_plugins=False), "patients", [{"id": "P2", "payload": {"colour": "c"}}])
    assert stored(repo, conn, "patients", "P2") == {"colour": "c", VERSION_KEY: 2}


def test_an_old_row_is_upgraded_on_read_and_rewritten_only_when_saved(conn, repo):
    put_raw(repo, conn, "patients", "P1", {"name": "old"})
    row = repo.get(conn, "patients", "P1")
    assert row.payload == {"colour": "grey", "name": "old"}
    assert stored(repo, conn, "patients", "P1") == {"name": "old"}        # lazy: untouched
    repo.update(conn, "patients", row=row, payload=row.payload)
    assert stored(repo, conn, "patients", "P1") == {"colour": "grey", "name": "old",
                                                    VERSION_KEY: 2}


def test_a_too_new_row_is_refused_by_get_lists_and_scans(conn, repo):
    put_raw(repo, conn, "patients", "P1", {"colour": "red"})
    put_raw(repo, conn, "allergies", "A1", {"colour": "red", VERSION_KEY: 3}, patient_id="P1")
    with pytest.raises(PayloadTooNew, match="allergies/A1"):
        repo.get(conn, "allergies", "A1")
    with pytest.raises(PayloadTooNew, match="allergies/A1"):
        repo.for_patient(conn, "allergies", "P1")
    with pytest.raises(PayloadTooNew, match="allergies/A1"):
        list(repo.all_rows(conn, "allergies"))


def test_damaged_rows_are_still_reported_apart(conn, repo):
    put_raw(repo, conn, "patients", "P1", {"colour": "red"})
    put_raw(repo, conn, "allergies", "A1", {"colour": "red"}, patient_id="P1")
    conn.execute("UPDATE allergies SET version = 2 WHERE id = 'A1'")   # AAD no longer matches
    assert repo.for_patient(conn, "allergies", "P1") == ([], ["A1"])
