"""The encounters' days of care, sealed, so a report decrypts only the month it counts
(issue 17, report speed).

An encounter's day of care (its clinical date) is inside its encrypted payload: a
report over one month would otherwise decrypt every encounter entered since the
period began (a back-entered register can date a visit long before its entry). This
index keeps ``{encounter id: day of care}`` in the vault's sealed caches
(``lantern.vault.repo.read_cache`` / ``write_cache``: one AES-GCM document per key,
bound to table, key and version), one document per month of *entry* (the clear
``created_at``), e.g. ``encounter_days:2026-11``, so adding a day rewrites one month's
document, never the whole.

It is written in the transaction that creates the encounter
(``RecordsService.new_encounter``, ``VaultSession.bulk_insert``); the clinical date is
set then and never changed. A report uses it to *skip* encounters it shows to be
before the period, and to date, without decrypting their notes, the encounters of the
history it compares with (``read_visits(history_before=...)``); every encounter of the
period itself is still decrypted and dated by its own payload. An encounter the index lacks (entered before the index existed, arrived by
sync, or a document that cannot be opened after a key rotation) is decrypted as
before, so a missing or stale document costs time, never a count.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from lantern.vault.crypto import RecordCipher
from lantern.vault.repo import CACHE_TABLE, read_cache, write_cache

KEY_PREFIX = "encounter_days:"


def shard_key(created_at: str) -> str:
    """The document of an encounter entered at ``created_at`` (ISO time: its month)."""
    return KEY_PREFIX + created_at[:7]


def note_days(conn: sqlite3.Connection, cipher: RecordCipher,
              entries: Iterable[tuple[str, str, str]]) -> None:
    """Add ``(created_at, encounter id, day of care YYYY-MM-DD)`` entries, inside the
    caller's write transaction (one document rewrite per month of entry)."""
    by_shard: dict[str, dict[str, str]] = defaultdict(dict)
    for created_at, encounter_id, day in entries:
        by_shard[shard_key(created_at)][encounter_id] = day
    for key, days in by_shard.items():
        stored = read_cache(conn, cipher, key)
        doc = stored[1] if stored is not None and isinstance(stored[1].get("days"), dict) \
            else {"days": {}}
        doc["days"].update(days)
        write_cache(conn, cipher, key, doc)


def days_entered_since(conn: sqlite3.Connection, cipher: RecordCipher, since: str | None
                       ) -> dict[str, str]:
    """Encounter id -> day of care, for the months of entry from ``since`` (ISO time;
    None: all) on; documents that cannot be opened contribute nothing."""
    keys = [r[0] for r in conn.execute(
        f"SELECT key FROM {CACHE_TABLE} WHERE key >= ? AND key < ?",
        (KEY_PREFIX + (since[:7] if since else ""), KEY_PREFIX + "\uffff"))]
    out: dict[str, str] = {}
    for key in keys:
        stored = read_cache(conn, cipher, key)
        if stored is not None and isinstance(stored[1].get("days"), dict):
            out.update(stored[1]["days"])
    return out
