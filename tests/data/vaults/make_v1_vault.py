"""Build ``schema-v1.db``: a vault as written by schema version 1 (upgrade tests).

Run from the repository root: ``PYTHONPATH=desktop python tests/data/vaults/make_v1_vault.py``.
User ``legacy`` (admin), passphrase ``legacy passphrase``; one patient named
"Legacy Patient" from "Old Village". Regenerate only if schema 1 itself changes.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from make_vaults import UnversionedRows  # this folder is on sys.path when run

from lantern.domain.records import Role
from lantern.vault import accounts
from lantern.vault.audit import AuditChain
from lantern.vault.crypto import RecordCipher, random_key
from lantern.vault.kdf import FLOOR
from lantern.vault.keyslots import wrap
from lantern.vault.schema import migrate

USERNAME = "legacy"
PASSPHRASE = "legacy passphrase"
PATIENT_ID = "PLEGACY01"


def build(path: Path) -> None:
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=1)
    key = random_key()
    slot = wrap(key, slot_id=accounts.user_slot_id(USERNAME), secret=PASSPHRASE, params=FLOOR)
    cipher = RecordCipher(key)
    conn.execute("BEGIN IMMEDIATE")
    accounts.set_meta(conn, "clinic_name", "Legacy Clinic")
    accounts.insert_user(conn, username=USERNAME, role=Role.ADMIN)
    accounts.put_slot(conn, slot, username=USERNAME)
    UnversionedRows(cipher).insert(conn, "patients", row_id=PATIENT_ID, payload={
        "name": "Legacy Patient", "sex": "female", "birth_date": None, "birth_year": 1970,
        "village": "Old Village", "phone": ""})
    AuditChain(cipher).append(conn, username=USERNAME, action="create vault")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.chmod(path, 0o600)


if __name__ == "__main__":
    build(Path(__file__).with_name("schema-v1.db"))
