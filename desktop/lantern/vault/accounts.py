"""Users, key slots and vault metadata (SQL lives here, policy in services)."""

from __future__ import annotations

import json
import sqlite3

from lantern.domain.records import Role, User
from lantern.vault.audit import now_iso
from lantern.vault.keyslots import WrappedSlot
from lantern.vault.state import mark_changed

RECOVERY_SLOT_ID = "recovery"


def user_slot_id(username: str) -> str:
    return f"user:{username}"


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def get_meta_dict(conn: sqlite3.Connection, key: str) -> dict:
    """A ``meta`` value holding a JSON object; {} when absent or not one."""
    raw = get_meta(conn, key)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    mark_changed(conn, "meta")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def delete_meta(conn: sqlite3.Connection, key: str) -> None:
    mark_changed(conn, "meta")
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))


def _user(row: tuple) -> User:
    return User(username=row[0], role=Role(row[1]), display_name=row[2], active=bool(row[3]))


def get_user(conn: sqlite3.Connection, username: str) -> User | None:
    row = conn.execute(
        "SELECT username, role, display_name, active FROM users WHERE username = ?", (username,)
    ).fetchone()
    return None if row is None else _user(row)


def list_users(conn: sqlite3.Connection) -> list[User]:
    rows = conn.execute(
        "SELECT username, role, display_name, active FROM users ORDER BY username"
    ).fetchall()
    return [_user(r) for r in rows]


def insert_user(conn: sqlite3.Connection, *, username: str, role: Role, display_name: str = "") -> User:
    mark_changed(conn, "users")
    conn.execute(
        "INSERT INTO users (username, role, display_name, active, created_at) VALUES (?, ?, ?, 1, ?)",
        (username, role.value, display_name, now_iso()),
    )
    return User(username=username, role=role, display_name=display_name, active=True)


def set_active(conn: sqlite3.Connection, username: str, *, active: bool) -> None:
    mark_changed(conn, "users")
    conn.execute("UPDATE users SET active = ? WHERE username = ?", (int(active), username))


def count_active_admins(conn: sqlite3.Connection) -> int:
    return int(conn.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1").fetchone()[0])


def put_slot(conn: sqlite3.Connection, slot: WrappedSlot, *, username: str | None) -> None:
    kind = "recovery" if username is None else "user"
    mark_changed(conn, "slots")
    conn.execute(
        "INSERT OR REPLACE INTO key_slots (slot_id, kind, username, kdf, salt, wrapped, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (slot.slot_id, kind, username, slot.kdf_json, slot.salt, slot.wrapped, now_iso()),
    )


def get_slot(conn: sqlite3.Connection, slot_id: str) -> WrappedSlot | None:
    row = conn.execute(
        "SELECT slot_id, kdf, salt, wrapped FROM key_slots WHERE slot_id = ?", (slot_id,)
    ).fetchone()
    return None if row is None else WrappedSlot(row[0], row[1], bytes(row[2]), bytes(row[3]))


def delete_slot(conn: sqlite3.Connection, slot_id: str) -> None:
    mark_changed(conn, "slots")
    conn.execute("DELETE FROM key_slots WHERE slot_id = ?", (slot_id,))


def list_slots(conn: sqlite3.Connection) -> list[tuple[WrappedSlot, str | None]]:
    """Every key slot with its user name (None for the recovery slot)."""
    rows = conn.execute(
        "SELECT slot_id, kdf, salt, wrapped, username FROM key_slots ORDER BY slot_id").fetchall()
    return [(WrappedSlot(r[0], r[1], bytes(r[2]), bytes(r[3])), r[4]) for r in rows]
