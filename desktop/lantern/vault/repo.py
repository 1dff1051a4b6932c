"""Encrypted rows: every record table has ``id, [patient_id, encounter_id],
created_at, updated_at, version, data`` and ``data`` is one AES-GCM blob whose
associated data names table, column, row id, version, owning patient and
encounter, and payload format (blob format 2, ``lantern.vault.crypto``). Blobs
of format 1 (no owner) are read until the vault's data upgrade is complete.

Every write also tells the vault state (``lantern.vault.state``) which row tags
left and entered the table, so the sealed state stays current at O(1) per row.

Updates bump the version (optimistic check), so an older ciphertext replayed
onto the row no longer authenticates.

Each payload also carries its *format* version inside the encrypted JSON (see
:mod:`lantern.vault.payload_format`): rows come out upgraded to the current
format and go in stamped with it. ``Row.payload`` never holds the version key.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

import sqlite_utils

from lantern.domain.errors import ConflictError, DamagedRecord, NotFound
from lantern.vault.audit import now_iso
from lantern.vault.crypto import RecordCipher
from lantern.vault.payload_format import PayloadFormat
from lantern.vault.schema import ENCOUNTER_TABLES, RECORD_TABLES, UNOWNED_TABLES, owner_columns
from lantern.vault.state import VaultState

DATA_COLUMN = "data"
ROWS_PER_FETCH = 500


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    version: int
    created_at: str
    updated_at: str
    payload: dict
    patient_id: str | None = None
    encounter_id: str | None = None


@dataclass(frozen=True, slots=True)
class RawRow:
    table: str
    id: str
    version: int
    blob: bytes


class ChangeRecorder(Protocol):
    """Told of every row written, inside the write's transaction (the sync outbox,
    ``lantern.services.sync.events.EventRecorder``)."""

    def record(self, conn: sqlite3.Connection, table: str, before: Row | None,
               after: Row) -> None: ...


class DerivedIndex(Protocol):
    """Told of the rows each write stored, inside the write's transaction, to keep a
    sealed index derived from them current (the reports' diagnosis index,
    ``lantern.services.diagnosis_index``): once per insert or update, once per bulk insert,
    or, inside :meth:`Repo.index_batch`, once per table for all the rows written in it."""

    def rows_written(self, conn: sqlite3.Connection, table: str, rows: list[Row]) -> None: ...


def _check_table(table: str) -> str:
    if table not in RECORD_TABLES:
        raise ValueError(f"unknown record table {table!r}")
    return table


def columns_of(table: str) -> str:
    return "id, version, created_at, updated_at, data, " + owner_columns(table)


class Repo:
    """Reads and writes encrypted rows. Writes take the caller's transaction.

    ``formats`` gives the payload format of every record table. A row whose
    payload is newer than its format raises PayloadTooNew wherever it is read
    (lists included: it is never skipped like a damaged row).
    """

    def __init__(self, cipher: RecordCipher, *, formats: Mapping[str, PayloadFormat],
                 state: VaultState | None = None, legacy_blobs: bool = True) -> None:
        missing = set(RECORD_TABLES) - set(formats)
        if missing:
            raise ValueError(f"no payload format for {sorted(missing)}")
        self.cipher = cipher
        self.formats = formats
        self.state = state
        self.legacy_blobs = legacy_blobs  # format-1 blobs readable (until the data upgrade ends)
        self.recorder: ChangeRecorder | None = None
        self.index: DerivedIndex | None = None
        self._index_batch: dict[str, list[Row]] | None = None

    @contextlib.contextmanager
    def index_batch(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Inside the caller's write transaction: tell the derived index of the rows
        written within once per table at the end, in write order, instead of once per
        row (a sync page of hundreds of events rewrote the index's documents for every
        row). Nothing is told if the block raises (the transaction is rolled back).
        Safe for the same reason as the writes: the caller holds the store's write lock."""
        index = self.index
        if index is None or self._index_batch is not None:
            yield
            return
        self._index_batch = {}
        try:
            yield
            batch, self._index_batch = self._index_batch, None
            for table, rows in batch.items():
                index.rows_written(conn, table, rows)
        finally:
            self._index_batch = None

    def _indexed(self, conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
        if self.index is None:
            return
        if self._index_batch is not None:
            self._index_batch.setdefault(table, []).extend(rows)
        else:
            self.index.rows_written(conn, table, rows)

    def _seal(self, table: str, payload: dict, *, row_id: str, version: int,
              patient_id: str | None, encounter_id: str | None) -> bytes:
        fmt = self.formats[table]
        stamped = fmt.stamp(payload, table=table, row_id=row_id)
        return self.cipher.seal(stamped, table=table, column=DATA_COLUMN, row_id=row_id,
                                version=version, owner=(patient_id, encounter_id),
                                payload_format=fmt.current)

    def _tag(self, table: str, row_id: str, version: int, patient_id: str | None,
             encounter_id: str | None) -> list[int]:
        if self.state is None:
            return []
        return [self.state.row_tag(table, row_id, version, patient_id, encounter_id)]

    def open_blob(self, table: str, r: tuple) -> dict:
        """The stored payload of a row tuple in ``columns_of`` order (not upgraded)."""
        return self.cipher.open(r[4], table=table, column=DATA_COLUMN, row_id=r[0], version=r[1],
                                owner=(r[5], r[6]), legacy=self.legacy_blobs)

    def _decode(self, table: str, r: tuple) -> Row:
        stored = self.open_blob(table, r)
        payload = self.formats[table].read(stored, table=table, row_id=r[0])
        return Row(id=r[0], version=r[1], created_at=r[2], updated_at=r[3], payload=payload,
                   patient_id=r[5], encounter_id=r[6])

    def insert(self, conn: sqlite3.Connection, table: str, *, row_id: str, payload: dict,
               patient_id: str | None = None, encounter_id: str | None = None) -> Row:
        _check_table(table)
        at = now_iso()
        owner = patient_id if table not in UNOWNED_TABLES else None
        enc = encounter_id if table in ENCOUNTER_TABLES else None
        blob = self._seal(table, payload, row_id=row_id, version=1, patient_id=owner,
                          encounter_id=enc)
        cols, vals = ["id", "created_at", "updated_at", "version", "data"], [row_id, at, at, 1, blob]
        if table not in UNOWNED_TABLES:
            cols.append("patient_id")
            vals.append(patient_id)
        if table in ENCOUNTER_TABLES:
            cols.append("encounter_id")
            vals.append(encounter_id)
        marks = ", ".join("?" for _ in cols)
        conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", vals)
        if self.state is not None:
            self.state.note_rows(table, added=self._tag(table, row_id, 1, owner, enc))
        new = Row(row_id, 1, at, at, payload, owner, enc)
        if self.recorder is not None:
            self.recorder.record(conn, table, None, new)
        self._indexed(conn, table, [new])
        return new

    def insert_many(self, db: sqlite_utils.Database, table: str, items: Iterable[dict], *,
                    batch_size: int = 1000) -> int:
        """Bulk insert (imports, benchmarks): each item has ``id``, ``payload`` and
        optionally ``patient_id`` / ``encounter_id``. Call inside a transaction."""
        _check_table(table)
        at = now_iso()
        count = 0
        tags: list[int] = []
        made: list[tuple[str, dict, str | None, str | None]] = []

        def rows() -> Iterator[dict]:
            nonlocal count
            for item in items:
                owner = item["patient_id"] if table not in UNOWNED_TABLES else None
                enc = item.get("encounter_id") if table in ENCOUNTER_TABLES else None
                blob = self._seal(table, item["payload"], row_id=item["id"], version=1,
                                  patient_id=owner, encounter_id=enc)
                row = {"id": item["id"], "created_at": at, "updated_at": at, "version": 1,
                       "data": blob}
                if table not in UNOWNED_TABLES:
                    row["patient_id"] = owner
                if table in ENCOUNTER_TABLES:
                    row["encounter_id"] = enc
                tags.extend(self._tag(table, item["id"], 1, owner, enc))
                if self.recorder is not None or self.index is not None:
                    made.append((item["id"], item["payload"], owner, enc))
                count += 1
                yield row

        db.table(table).insert_all(rows(), batch_size=batch_size)
        written = [Row(row_id, 1, at, at, payload, owner, enc) for row_id, payload, owner, enc in made]
        if self.recorder is not None:     # the sync outbox, in the same transaction
            for row in written:
                self.recorder.record(db.conn, table, None, row)
        self._indexed(db.conn, table, written)
        if self.state is not None:
            self.state.note_rows(table, added=tags)
        return count

    def update(self, conn: sqlite3.Connection, table: str, *, row: Row, payload: dict,
               new_owner: str | None = None) -> Row:
        """Write a new version of ``row``; ConflictError if it changed meanwhile.

        ``new_owner``: the row moves to that patient (a merge of two records), sealed
        under its new owner like any new version."""
        _check_table(table)
        at = now_iso()
        version = row.version + 1
        owner = row.patient_id
        if new_owner is not None:
            if table in UNOWNED_TABLES:
                raise ValueError(f"a row of {table} has no owner to change")
            owner = new_owner
        blob = self._seal(table, payload, row_id=row.id, version=version,
                          patient_id=owner, encounter_id=row.encounter_id)
        owner_set = ", patient_id = ?" if table not in UNOWNED_TABLES else ""
        cur = conn.execute(
            f"UPDATE {table} SET data = ?, version = ?, updated_at = ?{owner_set}"
            " WHERE id = ? AND version = ?",
            (blob, version, at, *((owner,) if owner_set else ()), row.id, row.version),
        )
        if cur.rowcount != 1:
            raise ConflictError("This record was changed meanwhile; reload it and try again.")
        if self.state is not None:
            self.state.note_rows(
                table, removed=self._tag(table, row.id, row.version, row.patient_id,
                                         row.encounter_id),
                added=self._tag(table, row.id, version, owner, row.encounter_id))
        new = Row(row.id, version, row.created_at, at, payload, owner, row.encounter_id)
        if self.recorder is not None:
            self.recorder.record(conn, table, row, new)
        self._indexed(conn, table, [new])
        return new

    def latest_created(self, conn: sqlite3.Connection, table: str, patient_id: str) -> str | None:
        """When the patient's newest row of ``table`` was created (clear column, no decryption)."""
        _check_table(table)
        r = conn.execute(f"SELECT max(created_at) FROM {table} WHERE patient_id = ?",
                         (patient_id,)).fetchone()
        return r[0] if r else None

    def get(self, conn: sqlite3.Connection, table: str, row_id: str) -> Row:
        _check_table(table)
        r = conn.execute(f"SELECT {columns_of(table)} FROM {table} WHERE id = ?", (row_id,)).fetchone()
        if r is None:
            raise NotFound(f"No such record: {table}/{row_id}.")
        return self._decode(table, r)

    def exists(self, conn: sqlite3.Connection, table: str, row_id: str) -> bool:
        _check_table(table)
        return conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None

    def for_patient(self, conn: sqlite3.Connection, table: str, patient_id: str
                    ) -> tuple[list[Row], list[str]]:
        """Rows of one patient, newest first, and the ids of damaged rows."""
        _check_table(table)
        rows = conn.execute(
            f"SELECT {columns_of(table)} FROM {table} WHERE patient_id = ?"
            " ORDER BY created_at DESC, id DESC", (patient_id,),
        ).fetchall()
        good, damaged = [], []
        for r in rows:
            try:
                good.append(self._decode(table, r))
            except DamagedRecord:
                damaged.append(r[0])
        return good, damaged

    def rows_in(self, conn: sqlite3.Connection, table: str, column: str, values: Iterable[str],
                *, keep: Callable[[tuple], bool] | None = None) -> list[Row | RawRow]:
        """Rows of ``table`` whose clear ``column`` (``id`` or ``patient_id``: both
        indexed) is one of ``values`` and whose clear columns (``columns_of`` order) pass
        ``keep``; only those are decrypted. Decoded, or a RawRow when damaged."""
        _check_table(table)
        if column not in ("id", "patient_id"):
            raise ValueError(f"rows are looked up by id or patient_id, not {column!r}")
        out: list[Row | RawRow] = []
        for r in conn.execute(f"SELECT {columns_of(table)} FROM {table} WHERE {column} IN "
                              "(SELECT value FROM json_each(?)) ORDER BY rowid",
                              (json.dumps(sorted(set(values))),)).fetchall():
            if keep is not None and not keep(r):
                continue
            try:
                out.append(self._decode(table, r))
            except DamagedRecord:
                out.append(RawRow(table, r[0], r[1], r[4]))
        return out

    def rows_since(self, conn: sqlite3.Connection, table: str, *, created_since: str | None,
                   keep: Callable[[tuple], bool] | None = None) -> Iterator[Row | RawRow]:
        """Rows of ``table`` created at or after ``created_since`` (ISO time in the clear
        ``created_at`` column; None: all) whose clear columns (``columns_of`` order) pass
        ``keep``; only those are decrypted. Decoded, or a RawRow when damaged. The rows
        are fetched in batches: write nothing on ``conn`` while iterating."""
        _check_table(table)
        sql = f"SELECT {columns_of(table)} FROM {table}"
        params: tuple = ()
        if created_since is not None:
            sql, params = sql + " WHERE created_at >= ?", (created_since,)
        cursor = conn.execute(sql + " ORDER BY rowid", params)
        # in batches: one fetch of every row would hold the GIL (and the GUI thread) for
        # as long as it copies the whole table (~0.3 s at 100,000 encounters)
        while batch := cursor.fetchmany(ROWS_PER_FETCH):
            for r in batch:
                if keep is not None and not keep(r):
                    continue
                try:
                    yield self._decode(table, r)
                except DamagedRecord:
                    yield RawRow(table, r[0], r[1], r[4])

    def all_rows(self, conn: sqlite3.Connection, table: str) -> Iterator[Row | RawRow]:
        """Every row of ``table``: decoded, or a RawRow when it is damaged."""
        _check_table(table)
        for r in conn.execute(f"SELECT {columns_of(table)} FROM {table} ORDER BY rowid").fetchall():
            try:
                yield self._decode(table, r)
            except DamagedRecord:
                yield RawRow(table, r[0], r[1], r[4])


# -- sealed caches ---------------------------------------------------------------------
# ``followup_index`` (schema 5) holds derived documents (the follow-up list's compact
# index): one AES-GCM blob per key, bound to table, key and version like a record
# (owner: none). A cache is checked against the record rows' clear ids and versions by
# its reader, so a missing, damaged or outdated one is rebuilt, never trusted blindly.
CACHE_TABLE = "followup_index"


def read_cache(conn: sqlite3.Connection, cipher: RecordCipher, key: str) -> tuple[int, dict] | None:
    """(version, document) of a cache, or None when it is absent or fails to open
    (e.g. sealed under a key from before a rotation)."""
    r = conn.execute(f"SELECT version, data FROM {CACHE_TABLE} WHERE key = ?", (key,)).fetchone()
    if r is None:
        return None
    try:
        doc = cipher.open(r[1], table=CACHE_TABLE, column=DATA_COLUMN, row_id=key, version=r[0],
                          owner=(None, None), legacy=False)
    except DamagedRecord:
        return None
    return int(r[0]), doc


def write_cache(conn: sqlite3.Connection, cipher: RecordCipher, key: str, doc: dict) -> int:
    """Store a new version of a cache (inside the caller's write transaction)."""
    [current] = conn.execute(f"SELECT max(version) FROM {CACHE_TABLE} WHERE key = ?",
                             (key,)).fetchone()
    version = int(current or 0) + 1
    blob = cipher.seal(doc, table=CACHE_TABLE, column=DATA_COLUMN, row_id=key, version=version,
                       owner=(None, None), payload_format=1)
    conn.execute(f"INSERT OR REPLACE INTO {CACHE_TABLE} (key, version, data) VALUES (?, ?, ?)",
                 (key, version, blob))
    return version


def clear_columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, int, str, str | None]]:
    """(id, version, created_at, patient id) of every row of ``table``, without decryption."""
    _check_table(table)
    owner = "NULL" if table in UNOWNED_TABLES else "patient_id"
    return [(r[0], int(r[1]), r[2], r[3]) for r in conn.execute(
        f"SELECT id, version, created_at, {owner} FROM {table}")]


def last_created(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """Each patient's newest ``created_at`` in ``table`` (clear columns, one query)."""
    _check_table(table)
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT patient_id, max(created_at) FROM {table} GROUP BY patient_id")}
