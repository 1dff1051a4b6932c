"""Schema migrations: a numbered list of functions, applied in order.

``PRAGMA user_version`` holds the number of migrations applied. Each migration
runs in its own transaction together with the version bump. Only opaque ids,
timestamps and row versions are stored in clear; everything describing a
patient lives in the encrypted ``data`` column of its row.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x4C4E5452  # "LNTR": marks the file as a Lantern vault


def _record_table(name: str, *, parent: str | None = None, extra: str = "") -> list[str]:
    parent_col = ""
    if parent:
        parent_col = f"patient_id TEXT NOT NULL REFERENCES {parent}(id),\n"
    sql = [
        f"""CREATE TABLE {name} (
            id TEXT PRIMARY KEY,
            {parent_col}{extra}created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            data BLOB NOT NULL
        )"""
    ]
    if parent:
        sql.append(f"CREATE INDEX idx_{name}_patient ON {name}(patient_id, created_at)")
    return sql


def m001_core(conn: sqlite3.Connection) -> None:
    """Vault metadata, users, key slots, audit chain, patients."""
    statements = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE users (
            username TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('admin', 'clinician', 'assistant')),
            display_name TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE key_slots (
            slot_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('user', 'recovery')),
            username TEXT UNIQUE REFERENCES users(username),
            kdf TEXT NOT NULL,
            salt BLOB NOT NULL,
            wrapped BLOB NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL,
            action TEXT NOT NULL,
            patient_id TEXT,
            record_id TEXT,
            detail TEXT NOT NULL DEFAULT '',
            mac BLOB NOT NULL
        )""",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
        # Failed logins happen without the key, so they cannot be chained yet:
        # they wait here (in clear, no patient data) and are folded into the
        # chain at the next successful unlock.
        """CREATE TABLE pending_failures (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            username TEXT NOT NULL
        )""",
        *_record_table("patients"),
    ]
    for sql in statements:
        conn.execute(sql)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def m002_clinical(conn: sqlite3.Connection) -> None:
    """Encounters (notes + vitals), allergies, medications, problems."""
    for name in ("encounters", "allergies", "medications", "problems"):
        for sql in _record_table(name, parent="patients"):
            conn.execute(sql)


def m003_outputs(conn: sqlite3.Connection) -> None:
    """Assessments (diagnosis suggestion + clinician choice) and summaries."""
    extra = "encounter_id TEXT REFERENCES encounters(id),\n"
    for name in ("assessments", "summaries"):
        for sql in _record_table(name, parent="patients", extra=extra):
            conn.execute(sql)


def m004_sealed_state(conn: sqlite3.Connection) -> None:
    """The authenticated vault state (``lantern.vault.state``) and the vault's id.

    Runs without the key, so the state is only marked unsealed here; the first
    unlock seals it (and rewrites older record blobs, ``lantern.vault.blob_upgrade``)."""
    conn.execute("CREATE TABLE vault_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO vault_state (key, value) VALUES ('status', 'unsealed')")
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('vault_id', ?)",
                 (secrets.token_hex(16),))


def m005_followups(conn: sqlite3.Connection) -> None:
    """Follow-ups (issue 16): one row per proposed-and-confirmed return visit, owned
    by its patient and (when it came from a note) its encounter; due date, programme,
    reason and outcome live in the encrypted ``data`` like every other record.

    ``followup_index`` holds one encrypted blob: the compact list (id, version,
    patient, due date, programme, status) that the start screen reads with a single
    decryption (``lantern.services.followup_index``). It is a cache checked against
    the rows' clear ids and versions, so it is not part of the sealed state.

    A vault sealed at an older schema notes which schema it was sealed at
    (``upgraded_from``): the unlock accepts the newer schema and its empty new
    tables, audits the upgrade and seals again (``lantern.vault.state``)."""
    extra = "encounter_id TEXT REFERENCES encounters(id),\n"
    for sql in _record_table("followups", parent="patients", extra=extra):
        conn.execute(sql)
    conn.execute("""CREATE TABLE followup_index (
        key TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 1),
        data BLOB NOT NULL
    )""")
    note_upgrade(conn, from_version=4)


def note_upgrade(conn: sqlite3.Connection, *, from_version: int) -> None:
    """Record in ``vault_state`` the schema a sealed vault had before this migration
    (kept if an earlier migration of the same upgrade noted an older one)."""
    sealed = conn.execute("SELECT 1 FROM vault_state WHERE key = 'state'").fetchone()
    if sealed:
        conn.execute("INSERT OR IGNORE INTO vault_state (key, value) VALUES (?, ?)",
                     (UPGRADED_FROM, str(from_version)))


UPGRADED_FROM = "upgraded_from"

def m006_sync(conn: sqlite3.Connection) -> None:
    """The sync event log (issue 18, ``lantern.services.sync.events``).

    ``sync_events``: every change as a sealed event (an outbox written in the same
    transaction as the change, and the events received from other laptops), append
    only. ``sync_rows``: per record, the sealed clock of each field and the values
    that lost a concurrent edit. ``sync_marks``: watermarks and checkpoints
    (opaque ids and clocks only). ``sync_bundles``: USB bundles imported."""
    statements = [
        """CREATE TABLE sync_events (
            seq INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            device_id TEXT NOT NULL,
            hlc TEXT NOT NULL,
            ciphertext BLOB NOT NULL,
            stored_at TEXT NOT NULL
        )""",
        "CREATE INDEX idx_sync_events_hlc ON sync_events(hlc)",
        "CREATE INDEX idx_sync_events_device ON sync_events(device_id, hlc)",
        """CREATE TRIGGER sync_events_no_update BEFORE UPDATE ON sync_events
           BEGIN SELECT RAISE(ABORT, 'sync events are immutable'); END""",
        """CREATE TRIGGER sync_events_no_delete BEFORE DELETE ON sync_events
           BEGIN SELECT RAISE(ABORT, 'sync events are immutable'); END""",
        """CREATE TABLE sync_rows (
            record_table TEXT NOT NULL,
            record_id TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (record_table, record_id)
        )""",
        "CREATE TABLE sync_marks (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE sync_bundles (
            bundle_id TEXT PRIMARY KEY,
            device_id TEXT NOT NULL,
            hlc TEXT NOT NULL,
            imported_at TEXT NOT NULL
        )""",
    ]
    for sql in statements:
        conn.execute(sql)
    note_upgrade(conn, from_version=5)


def m007_alert_acks(conn: sqlite3.Connection) -> None:
    """Acknowledged surveillance alerts (issue 17, ``lantern.services.alerts``).

    A record table like the others (encrypted ``data``: the alert's condition, ISO week,
    rule and village, who acknowledged it and when), but owned by no patient: an alert
    is about a disease in a week, not about one person, so the table has no
    ``patient_id`` column (:data:`UNOWNED_TABLES`). Being a record table, it is sealed
    in the vault state, re-encrypted by a key rotation, checked by ``vault verify`` and
    carried by sync like every record (``docs/vault.md``, "Alert acknowledgements")."""
    for sql in _record_table("alert_acks"):
        conn.execute(sql)
    note_upgrade(conn, from_version=6)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_core,
    m002_clinical,
    m003_outputs,
    m004_sealed_state,
    m005_followups,
    m006_sync,
    m007_alert_acks,
]
SCHEMA_VERSION = len(MIGRATIONS)

RECORD_TABLES = (
    "patients", "encounters", "allergies", "medications", "problems", "assessments", "summaries",
    "followups", "alert_acks",
)
# Record tables owned by no patient: no ``patient_id`` column (a patient is its own owner).
UNOWNED_TABLES = ("patients", "alert_acks")
# Record tables whose rows also name an encounter (column ``encounter_id``, bound in the AAD).
ENCOUNTER_TABLES = ("assessments", "summaries", "followups")
# The schema version that added each record table after the first sealed schema (4).
TABLE_SINCE = {"followups": 5, "alert_acks": 7}
# The schema version that added each protective trigger after the first sealed schema.
TRIGGERS_SINCE = {"sync_events_no_update": 6, "sync_events_no_delete": 6}


def record_tables(version: int) -> tuple[str, ...]:
    """The record tables a vault of schema ``version`` has (version >= 4)."""
    return tuple(t for t in RECORD_TABLES if TABLE_SINCE.get(t, 0) <= version)


def owner_columns(table: str) -> str:
    """The owner (patient id, encounter id) columns of a record table, NULL where it has none."""
    if table in UNOWNED_TABLES:
        return "NULL, NULL"
    if table in ENCOUNTER_TABLES:
        return "patient_id, encounter_id"
    return "patient_id, NULL"


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply pending migrations up to ``target``; returns the numbers applied.

    The connection must be in autocommit mode (``isolation_level=None``).
    """
    applied = []
    current = schema_version(conn)
    for number in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
