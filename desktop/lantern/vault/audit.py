"""Append-only audit trail with an HMAC hash chain.

Each entry's MAC covers the previous entry's MAC and every field of the entry
(including its sequence number), under a key derived from the data key of the
epoch the entry was written in (a key rotation starts a new epoch; the keyring
keeps the earlier keys and the first entry of each epoch). So an
edited, deleted, inserted or reordered entry breaks the chain at its position.
A MAC'd "head" kept in ``meta`` also reveals entries removed from the end.

Failed logins happen without the key. They are written in clear to
``pending_failures`` (time and user name only, and only names of existing
users) and folded into the chain by the next successful unlock.
"""

from __future__ import annotations

import hmac
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from lantern.domain.records import AuditEntry
from lantern.vault.crypto import RecordCipher

GENESIS = b"\x00" * 32
UNKNOWN_USER = "(unknown user)"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class AuditCheck:
    ok: bool
    checked: int
    first_bad_position: int | None = None  # sequence number where the chain breaks
    reason: str = ""


def _message(prev: bytes, seq: int, at: str, username: str, action: str,
             patient_id: str | None, record_id: str | None, detail: str) -> bytes:
    fields = [seq, at, username, action, patient_id, record_id, detail]
    return prev + json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def _head_message(seq: int, mac: bytes) -> bytes:
    return b"lantern audit head|" + str(seq).encode() + b"|" + mac


def record_failed_login(conn: sqlite3.Connection, *, username: str) -> None:
    """Remember a failed login (no key needed). ``username`` must be safe to store."""
    conn.execute("INSERT INTO pending_failures (at, username) VALUES (?, ?)", (now_iso(), username))


def pending_failures(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM pending_failures").fetchone()[0])


class AuditChain:
    def __init__(self, cipher: RecordCipher) -> None:
        self._cipher = cipher

    def append(self, conn: sqlite3.Connection, *, username: str, action: str,
               patient_id: str | None = None, record_id: str | None = None,
               detail: str = "", at: str | None = None) -> int:
        """Add one entry; call inside the transaction of the change it records."""
        last = conn.execute("SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, bytes(last[1])) if last else (1, GENESIS)
        at = at or now_iso()
        mac = self._cipher.mac(_message(prev, seq, at, username, action, patient_id, record_id, detail))
        conn.execute(
            "INSERT INTO audit_log (seq, at, username, action, patient_id, record_id, detail, mac)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, username, action, patient_id, record_id, detail, mac),
        )
        head = f"{seq}:{self._cipher.mac(_head_message(seq, mac)).hex()}"
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", (head,))
        return seq

    def fold_pending(self, conn: sqlite3.Connection) -> int:
        """Move pending failed logins into the chain (inside a transaction)."""
        rows = conn.execute("SELECT id, at, username FROM pending_failures ORDER BY id").fetchall()
        for _id, at, username in rows:
            self.append(conn, username=username, action="failed login", at=at)
        conn.execute("DELETE FROM pending_failures")
        return len(rows)

    def entries(self, conn: sqlite3.Connection, *, limit: int = 200, offset: int = 0,
                newest_first: bool = True) -> list[AuditEntry]:
        order = "DESC" if newest_first else "ASC"
        rows = conn.execute(
            "SELECT seq, at, username, action, patient_id, record_id, detail FROM audit_log"
            f" ORDER BY seq {order} LIMIT ? OFFSET ?", (int(limit), int(offset)),
        ).fetchall()
        return [
            AuditEntry(seq=r[0], at=datetime.fromisoformat(r[1]), username=r[2], action=r[3],
                       patient_id=r[4], record_id=r[5], detail=r[6])
            for r in rows
        ]

    def verify(self, conn: sqlite3.Connection) -> AuditCheck:
        prev, expected, checked = GENESIS, 1, 0
        cursor = conn.execute(
            "SELECT seq, at, username, action, patient_id, record_id, detail, mac"
            " FROM audit_log ORDER BY seq"
        )
        for seq, at, username, action, patient_id, record_id, detail, mac in cursor:
            if seq != expected:
                return AuditCheck(False, checked, expected,
                                  f"audit entry {expected} is missing (chain jumps to {seq})")
            # each entry under the chain key of the data-key epoch it was written in
            want = self._cipher.chain_mac(seq, _message(prev, seq, at, username, action,
                                                        patient_id, record_id, detail))
            if not hmac.compare_digest(want, bytes(mac or b"")):
                return AuditCheck(False, checked, seq,
                                  f"audit entry {seq} was altered, removed or moved")
            prev, expected, checked = bytes(mac), expected + 1, checked + 1
        head = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        if head is None:
            if checked:
                return AuditCheck(False, checked, checked, "the audit head record is missing")
            return AuditCheck(True, 0)
        head_seq, _, head_mac = head[0].partition(":")
        try:
            head_seq_int = int(head_seq)
        except ValueError:
            return AuditCheck(False, checked, checked, "the audit head record is malformed")
        if head_seq_int != checked:
            return AuditCheck(False, checked, checked + 1,
                              f"audit entries after {checked} were removed")
        want_head = self._cipher.mac(_head_message(checked, prev)).hex()
        if not hmac.compare_digest(want_head, head_mac):
            return AuditCheck(False, checked, checked, "the audit head does not match the chain")
        return AuditCheck(True, checked)
