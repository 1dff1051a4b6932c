"""The data upgrade to blob format 2: rewrite older record blobs bound to their owner.

Blobs written before issue 12 (format 1) are bound to table, row id and version
but not to the patient they belong to, so moving one to another patient went
unnoticed. After the vault state is verified at unlock, every format-1 blob is
decrypted and sealed again as format 2 (same plaintext, same row version, so
nothing clinical changes and the sealed state's row tags stay the same), a few
hundred rows per transaction. A crash loses at most the batch in flight; the next
unlock carries on where the file says it stopped (it selects by the blob's
first byte, with or without a key epoch). When no format-1 blob is left the ``meta`` key below is set and
format 1 is refused from then on, so an old blob put back is reported damaged.

A format-1 blob that no longer decrypts is left as it is: it was damaged before
and stays reported as damaged.
"""

from __future__ import annotations

from collections.abc import Callable

from lantern.domain.errors import DamagedRecord
from lantern.vault.accounts import get_meta, set_meta
from lantern.vault.crypto import BLOB_FORMAT, EPOCH_FLAG
from lantern.vault.repo import DATA_COLUMN, Repo, columns_of
from lantern.vault.schema import RECORD_TABLES
from lantern.vault.store import Store

FORMAT_KEY = "record_blob_format"
DONE = "2"
BATCH_ROWS = 500


def upgrade_done(store: Store) -> bool:
    with store.reading() as conn:
        return get_meta(conn, FORMAT_KEY) == DONE


def upgrade_blobs(store: Store, repo: Repo, *, batch_rows: int = BATCH_ROWS,
                  progress: Callable[[int], None] | None = None) -> int:
    """Rewrite every format-1 blob as format 2; returns how many were rewritten.

    ``progress(rewritten_so_far)`` is called after each committed batch."""
    rewritten = 0
    for table in RECORD_TABLES:
        after = 0
        while True:
            with store.transaction() as conn:
                rows = conn.execute(
                    f"SELECT rowid, {columns_of(table)} FROM {table}"
                    " WHERE rowid > ? AND substr(data, 1, 1) IN (?, ?) ORDER BY rowid LIMIT ?",
                    (after, bytes([BLOB_FORMAT]), bytes([BLOB_FORMAT | EPOCH_FLAG]),
                     batch_rows)).fetchall()
                for rowid, *r in rows:
                    after = rowid
                    try:
                        stored = repo.open_blob(table, tuple(r))
                    except DamagedRecord:
                        continue
                    payload_format = stored.get("_v", 1)
                    if type(payload_format) is not int or not 0 < payload_format < 256:
                        continue  # malformed: read (and reported) as it is
                    blob = repo.cipher.seal(stored, table=table, column=DATA_COLUMN,
                                            row_id=r[0], version=r[1], owner=(r[5], r[6]),
                                            payload_format=payload_format)
                    conn.execute(f"UPDATE {table} SET data = ? WHERE rowid = ?", (blob, rowid))
                    rewritten += 1
            if progress is not None and rows:
                progress(rewritten)
            if len(rows) < batch_rows:
                break
    with store.transaction() as conn:
        set_meta(conn, FORMAT_KEY, DONE)
    return rewritten
