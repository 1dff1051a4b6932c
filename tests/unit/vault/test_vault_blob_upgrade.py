"""The resumable upgrade of older record blobs to blob format 2 (issue 12)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from lantern.services import session as session_module
from lantern.vault import accounts
from lantern.vault.blob_upgrade import FORMAT_KEY, upgrade_blobs

SAVED_APP_VAULT = Path(__file__).parents[2] / "data" / "vaults" / "schema-v3-app-5e68646.db"
APP_USER, APP_PASS = "appadmin", "app vault passphrase"


class Crash(Exception):
    pass


def formats(path) -> dict[bytes, int]:
    conn = sqlite3.connect(path)
    try:
        out: dict[bytes, int] = {}
        for table in ("patients", "encounters", "allergies", "medications", "problems",
                      "assessments", "summaries"):
            for (first,) in conn.execute(f"SELECT substr(data, 1, 1) FROM {table}"):
                out[first] = out.get(first, 0) + 1
        return out
    finally:
        conn.close()


def test_upgrade_interrupted_after_a_batch_resumes_at_the_next_unlock(data_dir, vault_file, unlock,
                                                                     monkeypatch):
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_APP_VAULT, vault_file)
    before = formats(vault_file)
    assert set(before) == {b"\x01"}
    total = before[b"\x01"]

    def crash_after_first_batch(done: int) -> None:
        raise Crash()

    def interrupted(store, repo):
        return upgrade_blobs(store, repo, batch_rows=2, progress=crash_after_first_batch)

    monkeypatch.setattr(session_module, "upgrade_blobs", interrupted)
    with pytest.raises(Crash):
        unlock(APP_USER, APP_PASS)          # the first unlock dies after one batch
    monkeypatch.undo()
    half = formats(vault_file)
    assert half == {b"\x02": 2, b"\x01": total - 2}     # one batch committed, the rest not
    session = unlock(APP_USER, APP_PASS)
    try:
        assert session.integrity.ok
        assert session.records.damaged_records() == []
        names = {p.name for p in session.records.search_patients("")}
        assert {"Amina Old", "李小梅", "Baraka Newname"} <= names
        with session.reading() as conn:
            assert accounts.get_meta(conn, FORMAT_KEY) == "2"
        actions = [e.action for e in session.audit.entries(5)]
        assert "upgrade record format" in actions
    finally:
        session.lock()
    assert formats(vault_file) == {b"\x02": total}


def test_after_the_upgrade_an_old_format_blob_put_back_is_damaged(data_dir, vault_file, unlock):
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_APP_VAULT, vault_file)
    conn = sqlite3.connect(vault_file)
    row_id, old_blob = conn.execute("SELECT id, data FROM allergies LIMIT 1").fetchone()
    conn.close()
    unlock(APP_USER, APP_PASS).lock()                    # upgrades every blob
    conn = sqlite3.connect(vault_file, isolation_level=None)
    conn.execute("UPDATE allergies SET data = ? WHERE id = ?", (old_blob, row_id))
    conn.close()
    session = unlock(APP_USER, APP_PASS)
    try:
        assert session.records.damaged_records() == [("allergies", row_id)]
    finally:
        session.lock()
