"""What a data directory holds, for tests that claim an operation changed nothing.

Byte copies of the vault file are not that: SQLite moves committed pages from the
write-ahead log into the main file (a checkpoint) whenever the last connection of
the process closes, and the timing of that close is not the operation's doing.
The vault is compared by its content (every row of every table, read through a
read-only connection that can never checkpoint); every other file by its bytes.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from lantern.vault.store import vault_path

_SIDE_FILES = ("-wal", "-shm", "-journal")


def snapshot(data_dir: Path) -> dict[str, object]:
    data_dir = Path(data_dir)
    vault = vault_path(data_dir)
    out: dict[str, object] = {}
    for p in sorted(data_dir.iterdir()):
        if not p.is_file() or p == vault or any(p.name == vault.name + s for s in _SIDE_FILES):
            continue
        out[p.name] = p.read_bytes()
    if vault.exists():
        conn = sqlite3.connect(f"{vault.as_uri()}?mode=ro", uri=True)
        try:
            pragmas = [conn.execute(f"PRAGMA {name}").fetchone()[0]
                       for name in ("user_version", "application_id")]
            out[vault.name] = (pragmas, list(conn.iterdump()))
        finally:
            conn.close()
    return out
