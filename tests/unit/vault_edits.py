"""Edits to a vault file as anyone holding it could make them with sqlite3: a byte
flipped in a row's ciphertext, ciphertexts swapped between two rows. Use them while
no session is writing (a reading session may stay open)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _blob(conn: sqlite3.Connection, table: str, row_id: str) -> bytes:
    return conn.execute(f"SELECT data FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]


def flip_byte(db: Path, table: str, row_id: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        data = bytearray(_blob(conn, table, row_id))
        data[len(data) // 2] ^= 0x01
        conn.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (bytes(data), row_id))
    finally:
        conn.close()


def swap_data(db: Path, table: str, a: str, b: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        blob_a, blob_b = _blob(conn, table, a), _blob(conn, table, b)
        conn.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (blob_b, a))
        conn.execute(f"UPDATE {table} SET data = ? WHERE id = ?", (blob_a, b))
    finally:
        conn.close()


def delete_row(db: Path, table: str, row_id: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    finally:
        conn.close()
