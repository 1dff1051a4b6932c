"""Tests' own view of a vault file below the services: the stored (decrypted,
not upgraded) payload of every record row, and a way to overwrite one.

Opens the file with its own SQLite connection and its own copy of the data key
(unwrapped from the user's key slot), so it does not depend on how the
services hold theirs. Use it while no session has the file open, or only to read.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from lantern.vault import accounts
from lantern.vault.crypto import RecordCipher
from lantern.vault.keyslots import unwrap
from lantern.vault.repo import columns_of
from lantern.vault.schema import record_tables, schema_version


@contextlib.contextmanager
def raw_vault(path: Path, *, username: str, passphrase: str
              ) -> Iterator[tuple[sqlite3.Connection, RecordCipher]]:
    conn = sqlite3.connect(path, isolation_level=None)
    cipher = None
    try:
        cipher = RecordCipher(unwrap(accounts.get_slot(conn, accounts.user_slot_id(username)),
                                     secret=passphrase))
        yield conn, cipher
    finally:
        if cipher is not None:
            cipher.close()
        conn.close()


def stored_payloads(path: Path, *, username: str, passphrase: str) -> dict[tuple[str, str], dict]:
    """``{(table, id): payload as stored}`` for every record row of the vault."""
    out = {}
    with raw_vault(path, username=username, passphrase=passphrase) as (conn, cipher):
        for table in record_tables(schema_version(conn)):   # a saved old file lacks newer tables
            for r in conn.execute(f"SELECT {columns_of(table)} FROM {table}"):
                out[table, r[0]] = cipher.open(r[4], table=table, column="data", row_id=r[0],
                                               version=r[1], owner=(r[5], r[6]))
    return out


def overwrite_payload(path: Path, *, username: str, passphrase: str, table: str, row_id: str,
                      payload: dict) -> None:
    """Seal ``payload`` exactly as given onto an existing row (same row version and owner,
    blob format 2 with the payload format ``payload`` declares)."""
    with raw_vault(path, username=username, passphrase=passphrase) as (conn, cipher):
        r = conn.execute(f"SELECT {columns_of(table)} FROM {table} WHERE id = ?",
                         (row_id,)).fetchone()
        version = payload.get("_v", 1)
        blob = cipher.seal(payload, table=table, column="data", row_id=row_id, version=r[1],
                           owner=(r[5], r[6]),
                           payload_format=version if type(version) is int and 0 < version < 256
                           else 1)
        conn.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (blob, row_id))
