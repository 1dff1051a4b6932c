"""Append-only audit trail with an HMAC hash chain.

Each entry's MAC covers the previous entry's MAC and every field of the entry
(including its sequence number), under a key derived from the data key of the
epoch the entry was written in (a key rotation starts a new epoch; the keyring
keeps the earlier keys and the first entry of each epoch). So an
edited, deleted, inserted or reordered entry breaks the chain at its position.
A MAC'd "head" kept in ``meta`` also reveals entries removed from the end.

Failed logins happen without the key. They are written in clear to
``pending_failures`` (time and user name only, and only names of existing
users) and folded into the chain by the next successful unlock. Since anyone
with the file can insert such rows, each is checked first (:func:`check_pending`):
a time that is not an ISO date with a time zone, lies in the future or before the
last login, or a user name that is not a user of the vault, is reported and
chained only as a count of rejected rows, never as a failed login.
"""

from __future__ import annotations

import hmac
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lantern.domain.records import AuditEntry
from lantern.vault.crypto import RecordCipher
from lantern.vault.state import mark_changed

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


CLOCK_SLACK = timedelta(minutes=5)
LOGIN_ACTIONS = ("create vault", "login", "recovery login")


@dataclass(frozen=True, slots=True)
class PendingCheck:
    valid: tuple[tuple[str, str], ...]  # (at, username) of plausible failed logins
    rejected: tuple[tuple[int, str], ...]  # (row id, reason)


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def check_pending(conn: sqlite3.Connection, *, now: datetime | None = None) -> PendingCheck:
    """Sort the pending failed logins into plausible ones and garbage (never raises)."""
    now = now or datetime.now(UTC)
    users = {r[0] for r in conn.execute("SELECT username FROM users")} | {UNKNOWN_USER}
    last = conn.execute(
        f"SELECT at FROM audit_log WHERE action IN ({', '.join('?' for _ in LOGIN_ACTIONS)})"
        " ORDER BY seq DESC LIMIT 1", LOGIN_ACTIONS).fetchone()
    not_before = _parse_time(last[0]) if last else None
    valid, rejected = [], []
    for row_id, at, username in conn.execute(
            "SELECT id, at, username FROM pending_failures ORDER BY id"):
        when = _parse_time(at)
        if when is None:
            rejected.append((row_id, "its time is not a date with a time zone"))
        elif when > now + CLOCK_SLACK:
            rejected.append((row_id, "its time lies in the future"))
        elif not_before is not None and when < not_before - CLOCK_SLACK:
            rejected.append((row_id, "its time is before the last login (back-dated)"))
        elif not isinstance(username, str) or username not in users:
            rejected.append((row_id, "its user name is not a user of this vault"))
        else:
            valid.append((at, username))
    return PendingCheck(tuple(valid), tuple(rejected))


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
        mark_changed(conn, "audit")
        mac = self._cipher.mac(_message(prev, seq, at, username, action, patient_id, record_id, detail))
        conn.execute(
            "INSERT INTO audit_log (seq, at, username, action, patient_id, record_id, detail, mac)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, at, username, action, patient_id, record_id, detail, mac),
        )
        head = f"{seq}:{self._cipher.mac(_head_message(seq, mac)).hex()}"
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)", (head,))
        return seq

    def fold_pending(self, conn: sqlite3.Connection, *, by: str) -> int:
        """Move plausible pending failed logins into the chain (inside a transaction);
        rows that fail :func:`check_pending` are chained as one count by ``by``."""
        check = check_pending(conn)
        for at, username in check.valid:
            self.append(conn, username=username, action="failed login", at=at)
        if check.rejected:
            self.append(conn, username=by, action="rejected failed-login records",
                        detail=f"{len(check.rejected)} row(s) failed validation")
        conn.execute("DELETE FROM pending_failures")
        return len(check.valid)

    def entries(self, conn: sqlite3.Connection, *, limit: int = 200, offset: int = 0,
                newest_first: bool = True) -> list[AuditEntry]:
        order = "DESC" if newest_first else "ASC"
        rows = conn.execute(
            "SELECT seq, at, username, action, patient_id, record_id, detail FROM audit_log"
            f" ORDER BY seq {order} LIMIT ? OFFSET ?", (int(limit), int(offset)),
        ).fetchall()
        return [
            AuditEntry(seq=r[0], at=_parse_time(r[1]) or datetime.min.replace(tzinfo=UTC),
                       username=str(r[2]), action=str(r[3]), patient_id=r[4], record_id=r[5],
                       detail=str(r[6]) if _parse_time(r[1]) else f"(unreadable time) {r[6]}")
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
