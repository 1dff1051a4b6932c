"""The authenticated state of the whole vault (issue 12).

Record ciphertexts prove their own content; they cannot prove that a row is
still there, that it is the newest version, or that the clear-text tables
(users, key slots, settings, the audit log) were not edited. This module keeps
one *sealed state* in the table ``vault_state``: a small JSON document and an
HMAC-SHA256 over it, under a key derived (HKDF) from the data key.

The document holds, for each record table, the row count and the XOR of one
keyed tag per row over ``(table, id, version, patient id, encounter id)``, so a
write updates it in O(1) (old tag out, new tag in) and an unlock recomputes it
from the clear columns only (no decryption). Beside it: the users (name, role,
active flag, display name), the key slots (id, kind, user, KDF parameters and a
hash of salt and wrapped key), the ``meta`` settings (KDF parameters, vault id,
audit head, ...), the audit log's entry count and last MAC, the schema version,
the triggers, and a *generation* counted up by every sealed write (the rollback
counter outside the file compares against it).

Records are never deleted (an allergy marked "entered in error" is a new
version of its row), so "deleted" is not a separate flag: a deleted row changes
the table's count. Sealing happens inside the transaction of each write
(``Store.transaction`` calls :meth:`VaultState.seal` before COMMIT); checking
happens at unlock, before anything is appended (:meth:`VaultState.verify`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from lantern.domain.errors import IntegrityError
from lantern.vault.crypto import RecordCipher
from lantern.vault.schema import (
    RECORD_TABLES,
    TABLE_SINCE,
    TRIGGERS_SINCE,
    UPGRADED_FROM,
    owner_columns,
    record_tables,
    schema_version,
)

STATE_DOC = "state"
STATE_MAC = "mac"
STATUS = "status"
UNSEALED = "unsealed"  # set by the schema migration; sealed at the first unlock with a key
STATE_VERSION = 1


# Which clear-text parts ("users", "slots", "meta", "audit") the current write
# transaction of each connection changed through Lantern's own functions
# (accounts.py, audit.py mark them). Sealing recomputes only those; any other
# difference was made by another program while the vault was open.
_CHANGED: dict[int, set[str]] = {}


def mark_changed(conn: sqlite3.Connection, part: str) -> None:
    """Declare that this transaction changes ``part`` on purpose (see ``_CHANGED``)."""
    _CHANGED.setdefault(id(conn), set()).add(part)


def forget_changes(conn: sqlite3.Connection) -> set[str]:
    return _CHANGED.pop(id(conn), set())


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the integrity check found; the message names no patient data."""
    kind: str
    message: str
    table: str | None = None
    record_id: str | None = None


def _row_message(table: str, row_id: object, version: object, patient_id: object,
                 encounter_id: object) -> bytes:
    """One row's manifest entry, unambiguous: every field carries its length (a
    missing owner is "-"). Written out for speed: it runs for every row at unlock."""
    r, v = str(row_id), str(version)
    p = "-" if patient_id is None else f"{len(str(patient_id))}:{patient_id}"
    e = "-" if encounter_id is None else f"{len(str(encounter_id))}:{encounter_id}"
    return f"{table}|{len(r)}:{r}|{len(v)}:{v}|{p}|{e}".encode()


def _small_components(conn: sqlite3.Connection, *, sealed_audit: object = None) -> dict:
    """Everything but the record tables: cheap to recompute at every write.

    The audit entry count is counted (O(entries)) at unlock and re-sealing; a write
    passes ``sealed_audit`` (count, last seq, last MAC, as sealed) and gets it as
    the sealed count plus the entries after the sealed last one, provided that
    entry is still there with its MAC (else the count is left at -1: a mismatch)."""
    users = [list(r) for r in conn.execute(
        "SELECT username, role, active, display_name FROM users ORDER BY username")]
    slots = [[r[0], r[1], r[2], r[3], hashlib.sha256(bytes(r[4]) + bytes(r[5])).hexdigest()]
             for r in conn.execute("SELECT slot_id, kind, username, kdf, salt, wrapped"
                                   " FROM key_slots ORDER BY slot_id")]
    meta = {k: v for k, v in conn.execute("SELECT key, value FROM meta ORDER BY key")}
    [last_seq] = conn.execute("SELECT max(seq) FROM audit_log").fetchone()
    last = conn.execute("SELECT mac FROM audit_log WHERE seq = ?", (last_seq,)).fetchone()
    count = _audit_count(conn, sealed_audit, int(last_seq or 0))
    triggers = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")]
    return {
        "schema": schema_version(conn), "triggers": triggers, "meta": meta, "users": users,
        "slots": slots,
        "audit": [int(count), int(last_seq or 0), bytes(last[0]).hex() if last and last[0] else ""],
    }


def _audit_count(conn: sqlite3.Connection, sealed: object, last_seq: int) -> int:
    if sealed is None:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    try:
        count, seq, mac = int(sealed[0]), int(sealed[1]), str(sealed[2])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return -1
    if seq:
        row = conn.execute("SELECT mac FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        if row is None or bytes(row[0] or b"").hex() != mac:
            return -1
    return count + (last_seq - seq) if last_seq >= seq else -1


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class VaultState:
    """Seals and checks the vault state with the keys of one ``RecordCipher``."""

    def __init__(self, cipher: RecordCipher) -> None:
        self._cipher = cipher   # its keys may change (a rotation): read them at each use
        self._pending: dict[str, list[int]] = {}
        self._sealed_by_rekey = False
        self._rekeyed_with: VaultState | None = None     # the state of a key switch

    # -- row tags ---------------------------------------------------------------
    def row_tag(self, table: str, row_id: str, version: int, patient_id: str | None,
                encounter_id: str | None) -> int:
        return int.from_bytes(self._cipher.row_hasher()(_row_message(table, row_id, version, patient_id,
                                                        encounter_id)).digest(), "big")

    def table_digest(self, conn: sqlite3.Connection, table: str) -> tuple[int, int]:
        """(row count, XOR of the row tags) recomputed from the clear columns."""
        acc = count = 0
        hasher, from_bytes, message = self._cipher.row_hasher(), int.from_bytes, _row_message
        for row_id, version, patient_id, encounter_id in conn.execute(
                f"SELECT id, version, {owner_columns(table)} FROM {table}"):
            acc ^= from_bytes(hasher(message(table, row_id, version, patient_id,
                                             encounter_id)).digest(), "big")
            count += 1
        return count, acc

    def note_rows(self, table: str, *, removed: Iterable[int] = (), added: Iterable[int] = ()
                  ) -> None:
        """Record row tags leaving and entering ``table`` in the current transaction."""
        entry = self._pending.setdefault(table, [0, 0])
        for tag in removed:
            entry[0] -= 1
            entry[1] ^= tag
        for tag in added:
            entry[0] += 1
            entry[1] ^= tag

    def discard_pending(self, conn: sqlite3.Connection) -> None:
        """The transaction rolled back: forget its changes."""
        self._pending.clear()
        self._sealed_by_rekey = False
        self._rekeyed_with = None
        forget_changes(conn)

    # -- sealing ------------------------------------------------------------------
    def _mac(self, doc: dict) -> str:
        return self._cipher.state_mac(b"lantern vault state|" + _canonical(doc)).hex()

    @staticmethod
    def load(conn: sqlite3.Connection) -> tuple[dict | None, str | None, str | None]:
        """(document, mac, status) as stored; the document is None when absent or unreadable."""
        stored = dict(conn.execute("SELECT key, value FROM vault_state").fetchall())
        try:
            doc = json.loads(stored[STATE_DOC]) if STATE_DOC in stored else None
        except ValueError:
            doc = None
        return (doc if isinstance(doc, dict) else None), stored.get(STATE_MAC), stored.get(STATUS)

    def _write(self, conn: sqlite3.Connection, doc: dict) -> None:
        conn.execute("INSERT OR REPLACE INTO vault_state (key, value) VALUES (?, ?)",
                     (STATE_DOC, _canonical(doc).decode()))
        conn.execute("INSERT OR REPLACE INTO vault_state (key, value) VALUES (?, ?)",
                     (STATE_MAC, self._mac(doc)))
        conn.execute("DELETE FROM vault_state WHERE key IN (?, ?)", (STATUS, UPGRADED_FROM))

    def seal(self, conn: sqlite3.Connection) -> int:
        """Fold this transaction's row changes into the stored state and re-MAC it.

        Call inside the write transaction, after its last change. The stored
        document was verified at unlock. Returns the new generation."""
        if self._sealed_by_rekey:       # sealed already, under the new key
            self._sealed_by_rekey = False
            later, self._rekeyed_with = self._rekeyed_with, None
            if not _CHANGED.get(id(conn)) and not self._pending:
                return -1
            # written after the key switch (an import's audit entry and marks, the
            # revocations it carried): seal those too, under the new key - held by
            # the switch's cipher until it is adopted, by this state's after
            sealer = later if later is not None and not later._cipher.closed else self
            if sealer is not self:
                sealer._pending = self._pending
            try:
                return sealer.seal(conn)
            finally:
                self._pending = {}
        doc, _mac, _status = self.load(conn)
        if doc is None:
            return self.reseal(conn)
        actual = self._checked_components(conn, doc)
        rows = doc.get("rows", {})
        for table, (dcount, dacc) in self._pending.items():
            count, acc = rows.get(table, [0, "0"])
            rows[table] = [int(count) + dcount, format(int(acc, 16) ^ dacc, "x")]
        self._pending.clear()
        generation = int(doc.get("generation", 0)) + 1
        self._write(conn, {"v": STATE_VERSION, **actual, "rows": rows, "generation": generation})
        return generation

    def _checked_components(self, conn: sqlite3.Connection, doc: dict) -> dict:
        """The clear-text parts now; IntegrityError if another program changed any."""
        actual = _small_components(conn, sealed_audit=doc.get("audit"))
        outside = _changed_outside(doc, actual, forget_changes(conn))
        if outside:
            self._pending.clear()
            raise IntegrityError(
                f"The vault was changed by another program while it was open ({outside}); "
                "nothing was saved. Lock and unlock it to see what changed.")
        return actual

    def rekeyed(self, conn: sqlite3.Connection, new_cipher: RecordCipher) -> int:
        """Inside the transaction that switches the data key: check as a write would,
        then seal the whole state under ``new_cipher``'s key (every row tag changes
        with the key). The commit then does not seal again. Returns the generation."""
        doc, _mac, _status = self.load(conn)
        if doc is not None:
            self._checked_components(conn, doc)
        self._rekeyed_with = VaultState(new_cipher)
        generation = self._rekeyed_with.reseal(conn)
        self._pending.clear()
        self._sealed_by_rekey = True
        return generation

    def reseal(self, conn: sqlite3.Connection, *, generation: int | None = None) -> int:
        """Recompute the whole state from the tables and seal it (first unlock of an
        older vault, an accepted alarm, or after the data key was rotated)."""
        self._pending.clear()
        forget_changes(conn)
        if generation is None:
            doc, _mac, _status = self.load(conn)
            generation = int(doc.get("generation", 0)) + 1 if doc else 1
        rows = {}
        for table in record_tables(schema_version(conn)):
            count, acc = self.table_digest(conn, table)
            rows[table] = [count, format(acc, "x")]
        self._write(conn, {"v": STATE_VERSION, **_small_components(conn), "rows": rows,
                           "generation": generation})
        return generation

    # -- checking ---------------------------------------------------------------
    @staticmethod
    def upgrade_of(conn: sqlite3.Connection, doc: dict | None) -> tuple[int, int] | None:
        """(sealed schema, current schema) when the sealed state is of an older schema
        and the migrations that upgraded the file noted that schema (``UPGRADED_FROM``);
        else None (a schema that differs otherwise is a finding)."""
        if doc is None:
            return None
        [note] = conn.execute("SELECT count(*) FROM vault_state WHERE key = ?",
                              (UPGRADED_FROM,)).fetchone()
        if not note:
            return None
        [text] = conn.execute("SELECT value FROM vault_state WHERE key = ?",
                              (UPGRADED_FROM,)).fetchone()
        sealed, now = doc.get("schema"), schema_version(conn)
        if not isinstance(sealed, int) or text != str(sealed) or not sealed < now:
            return None
        return sealed, now

    def sealed_admins(self, conn: sqlite3.Connection) -> frozenset[str] | None:
        """The active administrators according to the sealed state, or None when the
        state is missing or fails its MAC (then nothing authenticated names them)."""
        doc, mac, _status = self.load(conn)
        if doc is None or mac is None or not hmac.compare_digest(self._mac(doc), mac):
            return None
        return frozenset(u[0] for u in doc.get("users") or []
                         if isinstance(u, list) and len(u) == 4 and u[1] == "admin" and u[2])

    def verify(self, conn: sqlite3.Connection) -> tuple[list[Finding], int]:
        """Compare the tables with the sealed state; (findings, sealed generation)."""
        doc, mac, _status = self.load(conn)
        if doc is None or mac is None:
            return [Finding("state missing", "the vault's sealed state record is missing "
                            "or unreadable (it was removed or edited)")], 0
        findings = []
        if not hmac.compare_digest(self._mac(doc), mac):
            findings.append(Finding("state forged", "the vault's sealed state record was "
                                    "edited outside Lantern (its MAC does not match)"))
        actual = _small_components(conn)
        upgraded = self.upgrade_of(conn, doc)
        if upgraded is not None:   # the newer schema is this Lantern's own migration
            added = {t for t, since in TRIGGERS_SINCE.items() if since > upgraded[0]}
            doc = {**doc, "schema": actual["schema"],   # its new triggers must be there
                   "triggers": sorted(set(doc.get("triggers") or []) | added)}
        findings += _diff_small(doc, actual)
        stored_rows = dict(doc.get("rows", {}))
        for table in RECORD_TABLES:
            if upgraded is not None and TABLE_SINCE.get(table, 0) > upgraded[0]:
                stored_rows.setdefault(table, [0, "0"])   # new since the seal: must be empty
            count, acc = self.table_digest(conn, table)
            findings += _diff_rows(table, stored_rows.get(table), count, acc)
        generation = doc.get("generation")
        return findings, generation if isinstance(generation, int) else 0


def _changed_outside(doc: dict, actual: dict, changed: set[str]) -> str:
    """The clear-text parts that differ from the sealed state although this
    transaction did not change them ('' if none)."""
    parts = [name for name in ("schema", "triggers", "users", "slots")
             if name not in changed and doc.get(name) != actual[name]]
    meta, sealed_meta = dict(actual["meta"]), dict(doc.get("meta") or {})
    if "audit" in changed:
        meta.pop("audit_head", None)
        sealed_meta.pop("audit_head", None)
    if "meta" not in changed and meta != sealed_meta:
        parts.append("settings")
    try:
        count, last_seq, last_mac = doc["audit"]
    except (KeyError, TypeError, ValueError):
        return "the sealed state"
    if actual["audit"][0] < 0 or ("audit" not in changed
                                  and [count, last_seq, last_mac] != actual["audit"]):
        parts.append("audit log")
    return ", ".join(parts)


def _diff_rows(table: str, stored: object, count: int, acc: int) -> list[Finding]:
    try:
        want_count, want_acc = int(stored[0]), int(stored[1], 16)  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return [Finding("state forged", f"the sealed state has no valid entry for {table}",
                        table=table)]
    if count < want_count:
        return [Finding("rows deleted", f"{want_count - count} row(s) of {table} were deleted "
                        f"outside Lantern ({want_count} sealed, {count} present)", table=table)]
    if count > want_count:
        return [Finding("rows added", f"{count - want_count} row(s) were added to {table} "
                        f"outside Lantern ({want_count} sealed, {count} present)", table=table)]
    if acc != want_acc:
        return [Finding("record rolled back", f"a record of {table} was rolled back to an older "
                        "version, replaced or moved to another patient outside Lantern",
                        table=table)]
    return []


def _diff_small(doc: dict, actual: dict) -> list[Finding]:
    out: list[Finding] = []
    if doc.get("schema") != actual["schema"]:
        out.append(Finding("schema changed", "the schema version was changed outside Lantern "
                           f"(sealed {doc.get('schema')}, now {actual['schema']})"))
    missing = sorted(set(doc.get("triggers") or []) - set(actual["triggers"]))
    if missing or sorted(actual["triggers"]) != sorted(doc.get("triggers") or []):
        out.append(Finding("triggers changed", "the audit log's protective triggers were "
                           f"dropped or changed ({', '.join(missing) or 'changed'})",
                           table="audit_log"))
    audit = _diff_audit(doc.get("audit"), actual["audit"])
    out += audit
    out += _diff_users(doc.get("users") or [], actual["users"])
    out += _diff_slots(doc.get("slots") or [], actual["slots"])
    sealed_meta, meta = doc.get("meta") or {}, actual["meta"]
    for key in sorted(set(sealed_meta) | set(meta)):
        if sealed_meta.get(key) != meta.get(key) and not (key == "audit_head" and audit):
            kind = "kdf params edited" if key == "kdf_params" else "setting changed"
            out.append(Finding(kind, f"the vault setting '{key}' was changed outside Lantern",
                               table="meta", record_id=key))
    return out


def _diff_audit(sealed: object, actual: list) -> list[Finding]:
    try:
        count, last_seq, last_mac = int(sealed[0]), int(sealed[1]), str(sealed[2])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return [Finding("state forged", "the sealed state has no valid audit entry count")]
    now_count, now_seq, now_mac = actual
    if now_count == 0 and count:
        return [Finding("audit wiped", f"the audit log was wiped ({count} entries sealed, "
                        "none present)", table="audit_log")]
    if now_count < count or now_seq < last_seq:
        return [Finding("audit truncated", f"the audit log was cut ({count} entries sealed, "
                        f"{now_count} present; last sealed entry {last_seq})", table="audit_log")]
    if (now_count, now_seq, now_mac) != (count, last_seq, last_mac):
        return [Finding("audit changed", "audit entries were added or replaced outside Lantern "
                        f"({count} entries sealed, {now_count} present)", table="audit_log")]
    return []


def _membership(before: dict, now: dict, *, what: str, table: str, verb_noun: str
                ) -> tuple[list[Finding], list[str]]:
    """Findings for entries only in ``before`` or only in ``now``; and the shared keys."""
    out = []
    for key in sorted(set(before) - set(now)):
        out.append(Finding(f"{verb_noun} removed", f"{what} '{key}' was removed outside Lantern",
                           table=table, record_id=key))
    for key in sorted(set(now) - set(before)):
        out.append(Finding(f"{verb_noun} added", f"{what} '{key}' was added outside Lantern",
                           table=table, record_id=key))
    return out, sorted(set(before) & set(now))


def _diff_users(sealed: list, actual: list) -> list[Finding]:
    before = {u[0]: u for u in sealed if isinstance(u, list) and len(u) == 4}
    now = {u[0]: u for u in actual}
    out, common = _membership(before, now, what="user", table="users", verb_noun="user")
    for name in common:
        b, a = before[name], now[name]
        if b[1] != a[1]:
            out.append(Finding("role edited", f"the role of user '{name}' was changed outside "
                               f"Lantern ({b[1]} -> {a[1]})", table="users", record_id=name))
        if b[2] != a[2]:
            state = "active" if a[2] else "inactive"
            out.append(Finding("active flag edited", f"user '{name}' was set {state} outside "
                               "Lantern", table="users", record_id=name))
        if b[3] != a[3]:
            out.append(Finding("user edited", f"the display name of user '{name}' was changed "
                               "outside Lantern", table="users", record_id=name))
    return out


def _diff_slots(sealed: list, actual: list) -> list[Finding]:
    before = {s[0]: s for s in sealed if isinstance(s, list) and len(s) == 5}
    now = {s[0]: s for s in actual}
    out, common = _membership(before, now, what="key slot", table="key_slots",
                              verb_noun="key slot")
    for slot_id in common:
        b, a = before[slot_id], now[slot_id]
        if b[3] != a[3]:
            out.append(Finding("kdf params edited", "the key-derivation parameters of key slot "
                               f"'{slot_id}' were changed outside Lantern",
                               table="key_slots", record_id=slot_id))
        elif b != a:
            out.append(Finding("key slot replaced", f"key slot '{slot_id}' was replaced outside "
                               "Lantern (for example by an older copy)",
                               table="key_slots", record_id=slot_id))
    return out


def reseal_state(conn: sqlite3.Connection, cipher: RecordCipher) -> int:
    """Recompute and seal the vault state under ``cipher``'s key, trusting the
    tables as they are (a vault opened without a session, e.g. by a tool). Inside
    a session's write use ``store.state.rekeyed``. Returns the new generation."""
    return VaultState(cipher).reseal(conn)
