"""Re-encryption of record rows after a data-key rotation, in small resumable chunks.

A rotation records where re-encryption starts (:func:`begin`) in the same
transaction that changes the key. :func:`step` then re-seals up to ``rows``
rows under the current key *and* saves its position in ``meta``
(``reencryption``) in the caller's transaction, so a crash loses at most the
chunk in flight, and reopening continues from the last committed chunk. Only
the key changes: plaintext, associated data, row version and update time stay
as they are (it is not a clinical change), so nothing else notices.

Rows written after the rotation already use the new key; the scan stops at the
last row id each table had when the rotation began. A row that cannot be opened
(damaged) is left exactly as it is and counted.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace

from lantern.domain.errors import DamagedRecord
from lantern.vault import accounts
from lantern.vault.crypto import RecordCipher, blob_epoch
from lantern.vault.repo import CACHE_TABLE, DATA_COLUMN
from lantern.vault.schema import RECORD_TABLES, owner_columns

PROGRESS_KEY = "reencryption"


@dataclass(frozen=True, slots=True)
class Progress:
    epoch: int
    table: int             # index into RECORD_TABLES
    after_rowid: int       # last row id handled in that table
    limits: tuple[int, ...]  # highest row id of each table when the rotation began
    done: int
    total: int
    damaged: int

    @property
    def finished(self) -> bool:
        return self.table >= len(RECORD_TABLES)

    @property
    def fraction(self) -> float:
        return 1.0 if self.finished or not self.total else min(1.0, self.done / self.total)


def begin(conn: sqlite3.Connection, *, epoch: int) -> Progress:
    """Start (or restart, after another rotation) re-encryption to ``epoch``."""
    limits, total = [], 0
    for table in RECORD_TABLES:
        count, top = conn.execute(f"SELECT count(*), coalesce(max(rowid), 0) FROM {table}").fetchone()
        limits.append(int(top))
        total += int(count)
    progress = Progress(epoch=epoch, table=0, after_rowid=0, limits=tuple(limits), done=0,
                        total=total, damaged=0)
    _save(conn, progress)
    return progress


def _save(conn: sqlite3.Connection, progress: Progress) -> None:
    accounts.set_meta(conn, PROGRESS_KEY, json.dumps({
        "epoch": progress.epoch, "table": progress.table, "after_rowid": progress.after_rowid,
        "limits": list(progress.limits), "done": progress.done, "total": progress.total,
        "damaged": progress.damaged}))


def load(conn: sqlite3.Connection, *, epoch: int) -> Progress | None:
    """Re-encryption still to do for ``epoch``, or None when there is none.

    An unreadable or foreign progress record restarts the pass from the top
    (already re-encrypted rows are skipped cheaply), so it can never stop it."""
    text = accounts.get_meta(conn, PROGRESS_KEY)
    if text is None:
        return None
    try:
        data = json.loads(text)
        progress = Progress(epoch=int(data["epoch"]), table=int(data["table"]),
                            after_rowid=int(data["after_rowid"]),
                            limits=tuple(int(v) for v in data["limits"]), done=int(data["done"]),
                            total=int(data["total"]), damaged=int(data["damaged"]))
        if progress.epoch != epoch or len(progress.limits) != len(RECORD_TABLES) \
                or not 0 <= progress.table <= len(RECORD_TABLES):
            raise ValueError("foreign progress")
    except (ValueError, KeyError, TypeError):
        return begin(conn, epoch=epoch)
    return progress


def _reseal_caches(conn: sqlite3.Connection, cipher: RecordCipher) -> None:
    """The sealed caches (the follow-up list's and the reports' diagnosis index) under
    the current key too, with the records' last chunk; one that cannot be opened is
    left (its reader rebuilds it)."""
    for key, version, blob in conn.execute(
            f"SELECT key, version, data FROM {CACHE_TABLE}").fetchall():
        fresh = _resealed(cipher, blob, CACHE_TABLE, key, version, (None, None))
        if isinstance(fresh, bytes):
            conn.execute(f"UPDATE {CACHE_TABLE} SET data = ? WHERE key = ?", (fresh, key))


def _resealed(cipher: RecordCipher, blob: bytes, table: str, row_id: str, version: int,
              owner: tuple[str | None, str | None]) -> bytes | bool:
    """``blob`` under the current key; True when it already is, False when damaged."""
    if blob_epoch(blob) == cipher.epoch:
        return True
    try:
        return cipher.reseal(blob, table=table, column=DATA_COLUMN, row_id=row_id,
                             version=version, owner=owner)
    except DamagedRecord:
        return False


def step(conn: sqlite3.Connection, cipher: RecordCipher, *, rows: int) -> Progress | None:
    """Re-seal up to ``rows`` rows and save the position (inside a write transaction).

    Returns the progress after the chunk (``finished`` once the pass is complete,
    when the progress record is removed), or None if nothing was pending."""
    progress = load(conn, epoch=cipher.epoch)
    if progress is None:
        return None
    table, after, done, damaged = progress.table, progress.after_rowid, progress.done, progress.damaged
    budget = max(1, rows)
    while budget and table < len(RECORD_TABLES):
        name = RECORD_TABLES[table]
        batch = conn.execute(
            f"SELECT rowid, id, version, data, {owner_columns(name)} FROM {name}"
            " WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
            (after, progress.limits[table], budget)).fetchall()
        if not batch:
            table, after = table + 1, 0
            continue
        for rowid, row_id, version, blob, patient_id, encounter_id in batch:
            after, done, budget = rowid, done + 1, budget - 1
            fresh = _resealed(cipher, blob, name, row_id, version, (patient_id, encounter_id))
            if fresh is False:
                damaged += 1
            elif isinstance(fresh, bytes):
                conn.execute(f"UPDATE {name} SET data = ? WHERE rowid = ?", (fresh, rowid))
    progress = replace(progress, table=table, after_rowid=after, done=done, damaged=damaged)
    if progress.finished:
        _reseal_caches(conn, cipher)
        accounts.delete_meta(conn, PROGRESS_KEY)
    else:
        _save(conn, progress)
    return progress
