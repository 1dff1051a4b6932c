"""Sync events: every change of a record becomes one immutable, sealed event.

Recording (the outbox). The repository (``lantern.vault.repo.Repo``) calls
:meth:`EventRecorder.record` for every row it inserts or updates, inside the
caller's transaction: the event is stored in ``sync_events`` in the same
transaction as the change and the audit entry, so a change and its event are
saved together or not at all. An event holds the fields that changed (all of
them for a new record, and for a signed note its whole content), the clock of
the value each field replaced on this laptop (its *base*), the author and the
kind (``patient.created``, ``note.signed``, ``note.amended``, ``allergy.added``,
``assessment.accepted``, ...).

Sealing. The event's JSON is sealed with the vault's blob crypto (AES-GCM under
the clinic's data key, ``RecordCipher.seal_raw``); the associated data binds the
event id, the device id, the clock and the clinic (vault) id, so nobody without
the key can move a ciphertext to another id, laptop, time or clinic. Inside, the
event carries the Ed25519 signature of the laptop that wrote it (``signing``), so
someone holding only the data key cannot write in another laptop's name.

Applying. :func:`apply_events` opens every event first (one that fails refuses
the whole batch, nothing written), then applies them in clock order in ONE
transaction: an event already stored is skipped (applying twice changes
nothing); every other field is merged last-writer-wins by clock; a value that
lost a concurrent edit (the writer had not seen it) is kept in the record's
sync history (:func:`conflicts_for`: "also changed on laptop X"). Amendments are
a grow-only set; a signed note's content is frozen (the earliest signature
stands: a later draft edit from another laptop is kept in history, never
applied). The merge depends only on the set of events, not their order, so all
laptops that hold the same events hold the same records.

Users, roles and key slots are not events yet (they come with enrolment, issue
18 part 3).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag

from lantern.domain.errors import DamagedRecord, NotFound, ValidationError
from lantern.services.roles import require
from lantern.services.sync import device_keys, signing
from lantern.services.sync.envelope import SealedEvent
from lantern.services.sync.hlc import Clock, ClockError, Timestamp
from lantern.vault import accounts
from lantern.vault.audit import now_iso
from lantern.vault.crypto import RecordCipher, blob_epoch, wipe
from lantern.vault.repo import Repo, Row
from lantern.vault.schema import RECORD_TABLES, UNOWNED_TABLES

if TYPE_CHECKING:   # the context is handed in; sync never builds one (no import cycle)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from lantern.services.context import ServiceContext

DEVICE_KEY = "sync_device_id"
DEVICE_NAME_KEY = "sync_device_name"
DEVICES_KEY = "sync_devices"    # meta: device id -> {name, status, ...} (services/sync/enrol.py)
ROTATIONS_KEY = "sync_rotations"  # meta: epoch -> ids of the key.rotated events from it whose key this laptop took
OWNER = "_owner"          # pseudo-field: the patient a record belongs to (moved by a merge)
AMENDMENTS = "amendments"
SIGNED = "signed"
APPLY_ACTION = "sync apply"
MAX_EVENT_BYTES = 4 * 1024 * 1024
PARKED = "parked"         # row clock key: fields received before the record's creation
_CREATION_KINDS = frozenset({"allergy.added", "assessment.accepted", "alert.acknowledged"})

_KIND_NOUN = {"patients": "patient", "encounters": "note", "allergies": "allergy",
              "medications": "medication", "problems": "problem",
              "assessments": "assessment", "summaries": "summary", "followups": "followup",
              "alert_acks": "alert"}


class SyncRefused(ValidationError):
    """A sync input (event, bundle) that is refused as a whole; nothing was applied."""


@dataclass(frozen=True)
class Event:
    """An event in clear (only ever inside the vault process)."""
    event_id: str
    device_id: str
    hlc: str
    author: str
    kind: str
    table: str
    record_id: str
    patient_id: str | None
    encounter_id: str | None
    fields: dict
    base: dict
    device_name: str = ""
    sig: str = ""          # hex Ed25519 signature of its laptop (``signing``); "" before keys

    def to_json(self) -> bytes:
        doc = {
            "v": 1, "id": self.event_id, "device": self.device_id, "hlc": self.hlc,
            "author": self.author, "kind": self.kind, "table": self.table,
            "record": self.record_id, "patient": self.patient_id,
            "encounter": self.encounter_id, "fields": self.fields, "base": self.base,
            "device_name": self.device_name,
        }
        if self.sig:
            doc["sig"] = self.sig
        return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def signed_message(self, clinic: str) -> bytes:
        """What the writing laptop signs: the clinic and this event without its signature."""
        return signing.event_message(clinic, replace(self, sig="").to_json())

    def signed_by(self, key: Ed25519PrivateKey | None, clinic: str) -> Event:
        return self if key is None else replace(self, sig=key.sign(self.signed_message(clinic)).hex())

    @classmethod
    def from_json(cls, data: bytes) -> Event:
        doc = json.loads(data)
        keys = isinstance(doc, dict) and doc.get("table") == device_keys.KEY_TABLE \
            and doc.get("kind") in device_keys.KEY_KINDS
        if (not isinstance(doc, dict) or doc.get("v") != 1
                or (doc.get("table") not in RECORD_TABLES and not keys)
                or not isinstance(doc.get("fields"), dict) or not isinstance(doc.get("base"), dict)):
            raise ValueError("not a sync event")
        return cls(event_id=str(doc["id"]), device_id=str(doc["device"]), hlc=str(doc["hlc"]),
                   author=str(doc["author"]), kind=str(doc["kind"]), table=doc["table"],
                   record_id=str(doc["record"]), patient_id=doc.get("patient"),
                   encounter_id=doc.get("encounter"), fields=doc["fields"], base=doc["base"],
                   device_name=str(doc.get("device_name") or ""), sig=str(doc.get("sig") or ""))


@dataclass(frozen=True)
class Conflict:
    """A value that lost a concurrent edit of the same field on another laptop."""
    table: str
    record_id: str
    field: str
    value: object
    device_id: str
    device_name: str
    author: str
    hlc: str
    event_id: str
    subject: str = ""       # which of a patient's records (patient_conflicts): "penicillin"

    @property
    def laptop(self) -> str:
        return self.device_name or self.device_id[:8]


@dataclass
class ApplyResult:
    applied: int = 0
    skipped: int = 0            # already held (idempotent)
    conflicts: int = 0          # values kept in history after losing a concurrent edit
    revoked: int = 0            # events of a revoked laptop left out (``skip_refused``)
    unverified: int = 0         # events left out for their signature (``skip_refused``)
    deferred: list[SealedEvent] = field(default_factory=list)   # ``defer_unknown``: retry later
    keys: int = 0               # device-key and key-change events stored (no record changed)
    rekeyed: int | None = None  # the key epoch a received ``key.rotated`` event moved this vault to
    records: set[tuple[str, str]] = field(default_factory=set)


# -- sealing ---------------------------------------------------------------------------
def _ad(event_id: str, device_id: str, hlc: str, clinic_id: str) -> bytes:
    parts = [b"lantern sync event v1"] + [p.encode() for p in (event_id, device_id, hlc, clinic_id)]
    return b"|".join(f"{len(p)}:".encode() + p for p in parts)


def seal_event(cipher: RecordCipher, clinic_id: str, event: Event) -> SealedEvent:
    """Seal under the current key; a ``key.rotated`` event under the key it replaces
    (the laptops that still hold only that key must open it to get the new one)."""
    epoch = int(event.fields["from_epoch"]) if event.kind == device_keys.ROTATED else None
    ct = cipher.seal_raw(event.to_json(), _ad(event.event_id, event.device_id, event.hlc, clinic_id),
                         epoch=epoch)
    return SealedEvent(event.event_id, event.device_id, event.hlc, ct)


def open_event(cipher: RecordCipher, clinic_id: str, sealed: SealedEvent) -> Event:
    """The event in clear; SyncRefused if it does not authenticate or does not match
    its envelope (a server or a bundle cannot rename, re-date or move it)."""
    try:
        if len(sealed.ciphertext) > MAX_EVENT_BYTES:
            raise ValueError("event too large")
        Timestamp.parse(sealed.hlc)
        event = Event.from_json(cipher.open_raw(bytes(sealed.ciphertext), _ad(
            sealed.event_id, sealed.device_id, sealed.hlc, clinic_id)))
    except (InvalidTag, ValueError, KeyError, TypeError, ClockError) as exc:
        raise SyncRefused("A sync event failed its authenticity check (it was altered, or it "
                          "belongs to another clinic); nothing was applied.") from exc
    if (event.event_id, event.device_id, event.hlc) != (sealed.event_id, sealed.device_id, sealed.hlc):
        raise SyncRefused("A sync event does not match its envelope; nothing was applied.")
    return event


# -- device and clock ---------------------------------------------------------------------
def clinic_id(conn: sqlite3.Connection) -> str:
    value = accounts.get_meta(conn, "vault_id")
    if not value:
        raise ValidationError("This vault has no clinic id; unlock it once to finish its upgrade.")
    return value


def device_id(conn: sqlite3.Connection, *, create: bool = True) -> str | None:
    """This vault's device id, created (once) inside the caller's write transaction."""
    value = accounts.get_meta(conn, DEVICE_KEY)
    if value is None and create:
        value = secrets.token_hex(8)
        accounts.set_meta(conn, DEVICE_KEY, value)
    return value


def new_device_identity(conn: sqlite3.Connection, *, name: str = "", device: str | None = None,
                        cipher: RecordCipher | None = None,
                        endorsement: signing.Endorsement | None = None,
                        author: str = "enrolment") -> str:
    """Give a vault copied from another laptop (a backup restored there) its own device
    id, inside the caller's write transaction. Enrolment (``enrol.join``) calls this on
    the joining laptop with the fresh id the administrator's laptop drew for it, and
    the endorsement it signed (``enrol.endorse``): the new laptop's keys are drawn,
    bound to it and queued for publication (``device.key``, before any event it
    writes) here. Without one, its keys are made later with a legacy link, which
    the other laptops accept only if they knew this device before (``signing``)."""
    value = endorsement.device if endorsement is not None else (device or secrets.token_hex(8))
    accounts.set_meta(conn, DEVICE_KEY, value)
    accounts.set_meta(conn, DEVICE_NAME_KEY, name.strip()[:60])
    device_keys.forget_own(conn)        # the other laptop's keys: this one makes its own
    if endorsement is not None:
        if cipher is None:
            raise ValueError("binding a laptop's keys needs the vault's cipher")
        signing.bind(conn, cipher, clinic=clinic_id(conn), device=value, endorsement=endorsement)
        publish_device_key(conn, cipher, author)
    return value


def _record_key_event(conn: sqlite3.Connection, cipher: RecordCipher, *, author: str, kind: str,
                      record_id: str, fields: dict) -> Event:
    dev = device_id(conn)
    assert dev is not None
    clinic = clinic_id(conn)
    event = Event(event_id=secrets.token_hex(16), device_id=dev,
                  hlc=str(Clock(dev, last=last_clock(conn)).tick()), author=author, kind=kind,
                  table=device_keys.KEY_TABLE, record_id=record_id, patient_id=None,
                  encounter_id=None, fields=fields, base={},
                  device_name=accounts.get_meta(conn, DEVICE_NAME_KEY) or ""
                  ).signed_by(signing.signer(conn, cipher, dev), clinic)
    _store_event(conn, seal_event(cipher, clinic, event))
    return event


def publish_device_key(conn: sqlite3.Connection, cipher: RecordCipher, author: str) -> bool:
    """Inside the caller's write transaction (a server sync, a USB export, an
    enrolment): give this laptop its device and signing keys if it has none yet (a
    new clinic's first laptop, or one from before these keys) and queue the
    ``device.key`` event that publishes them with their enrolment chain, signed."""
    dev = device_id(conn)
    assert dev is not None
    signing.ensure_own(conn, cipher, dev)
    fields = signing.publication(conn, dev)
    if fields is None:
        return False
    _record_key_event(conn, cipher, author=author, kind=device_keys.PUBLISHED, record_id=dev,
                      fields=fields)
    signing.mark_published(conn, dev)
    return True


def announce_rotation(conn: sqlite3.Connection, new_cipher: RecordCipher, previous_epoch: int, *,
                      author: str, revoked: set[str], laptops: Iterable[str]) -> dict:
    """Inside the rotating transaction: the ``key.rotated`` event carrying the new key
    to every other laptop known here with a device key (see ``device_keys``).
    Returns its body (who received the key, who must join again)."""
    own = device_id(conn)
    assert own is not None
    fields = device_keys.rotation_fields(conn, new_cipher, clinic=clinic_id(conn), own=own,
                                         previous_epoch=previous_epoch, revoked=revoked,
                                         laptops=laptops)
    note_rotation(conn, _record_key_event(conn, new_cipher, author=author,
                                          kind=device_keys.ROTATED,
                                          record_id=str(new_cipher.epoch), fields=fields))
    return fields


def note_rotation(conn: sqlite3.Connection, event: Event) -> None:
    """Record that this laptop's keys come from the ``key.rotated`` ``event`` (its own,
    or one it took), inside the transaction that changes the key: a second rotation
    from the same epoch met later is merged with it (``device_keys``)."""
    rotations = accounts.get_meta_dict(conn, ROTATIONS_KEY)
    ids = rotations.setdefault(str(int(event.fields["from_epoch"])), [])
    if event.event_id not in ids:
        ids.append(event.event_id)
    accounts.set_meta(conn, ROTATIONS_KEY, json.dumps(rotations, sort_keys=True))


def revoked_devices(conn: sqlite3.Connection) -> set[str]:
    """Device ids revoked on this laptop (``lantern device revoke``): their events are refused."""
    return {str(d) for d, info in accounts.get_meta_dict(conn, DEVICES_KEY).items()
            if isinstance(info, dict) and info.get("status") == "revoked"}


def last_clock(conn: sqlite3.Connection) -> Timestamp | None:
    """The largest clock this vault holds: its own events and every one received
    (which is the receive rule of the clock: the next local event orders after all)."""
    row = conn.execute("SELECT max(hlc) FROM sync_events").fetchone()
    return Timestamp.parse(row[0]) if row and row[0] else None


# -- per-record clocks and history ----------------------------------------------------------
def _row_ad(table: str, record_id: str) -> bytes:
    return f"lantern sync row v1|{len(table)}:{table}|{len(record_id)}:{record_id}".encode()


def _load_rowclock(conn: sqlite3.Connection, cipher: RecordCipher, table: str, record_id: str
                   ) -> dict:
    row = conn.execute("SELECT data FROM sync_rows WHERE record_table = ? AND record_id = ?",
                       (table, record_id)).fetchone()
    if row is None:
        return {"fields": {}, "lost": []}
    return json.loads(cipher.open_raw(bytes(row[0]), _row_ad(table, record_id)))


def _store_rowclock(conn: sqlite3.Connection, cipher: RecordCipher, table: str, record_id: str,
                    clock: dict) -> None:
    clock["lost"].sort(key=lambda c: (c["field"], c["hlc"], c["event"]))
    blob = cipher.seal_raw(json.dumps(clock, sort_keys=True, ensure_ascii=False).encode(),
                           _row_ad(table, record_id))
    conn.execute("INSERT OR REPLACE INTO sync_rows (record_table, record_id, data) VALUES (?, ?, ?)",
                 (table, record_id, blob))


def _entry(event: Event, field_name: str) -> dict:
    return {"hlc": event.hlc, "device": event.device_id, "base": event.base.get(field_name, ""),
            "author": event.author, "name": event.device_name, "event": event.event_id}


def _kind(table: str, before: dict | None, after: dict, fields: dict) -> str:
    noun = _KIND_NOUN[table]
    if before is None:
        return {"allergies": "allergy.added", "assessments": "assessment.accepted",
                "alert_acks": "alert.acknowledged"}.get(
            table, f"{noun}.created")
    if table == "encounters":
        if after.get("status") == SIGNED and before.get("status") != SIGNED:
            return "note.signed"
        if AMENDMENTS in fields:
            return "note.amended"
    if OWNER in fields:
        return f"{noun}.moved"
    return f"{noun}.edited"


class EventRecorder:
    """Writes the outbox: one sealed event per row change, in the row's transaction."""

    def __init__(self, cipher: RecordCipher, author: str) -> None:
        self._cipher = cipher
        self.author = author
        self._signing: tuple[str, Ed25519PrivateKey | None] | None = None

    def _signer(self, conn: sqlite3.Connection, dev: str) -> Ed25519PrivateKey | None:
        """This laptop's signing key, opened once per session (and again if it changes)."""
        token = signing.sealed_id(conn, dev)
        if token is None:
            return None
        if self._signing is None or self._signing[0] != token:
            self._signing = (token, signing.signer(conn, self._cipher, dev))
        return self._signing[1]

    def record(self, conn: sqlite3.Connection, table: str, before: Row | None, after: Row) -> None:
        old = None if before is None else before.payload
        new = after.payload
        if old is None:
            fields = dict(new)
            if after.patient_id is not None and table != "patients":
                fields[OWNER] = after.patient_id
        else:
            fields = {k: new.get(k) for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
            if before is not None and after.patient_id != before.patient_id:
                fields[OWNER] = after.patient_id
        if not fields:
            return
        kind = _kind(table, old, new, fields)
        if kind == "note.signed":
            fields = dict(new)     # a signature seals the whole content it signed
        dev = device_id(conn)
        assert dev is not None
        ts = Clock(dev, last=last_clock(conn)).tick()
        rowclock = _load_rowclock(conn, self._cipher, table, after.id)
        base = {f: rowclock["fields"].get(f, {}).get("hlc", "") for f in fields}
        event = Event(event_id=secrets.token_hex(16), device_id=dev, hlc=str(ts),
                      author=self.author, kind=kind, table=table, record_id=after.id,
                      patient_id=after.patient_id, encounter_id=after.encounter_id,
                      fields=fields, base=base,
                      device_name=accounts.get_meta(conn, DEVICE_NAME_KEY) or "")
        for f in fields:
            rowclock["fields"][f] = _entry(event, f)
            if not (table == "encounters" and f == AMENDMENTS):
                _note_value(rowclock, f, rowclock["fields"][f], fields[f])
        _store_rowclock(conn, self._cipher, table, after.id, rowclock)
        clinic = clinic_id(conn)
        _store_event(conn, seal_event(self._cipher, clinic,
                                      event.signed_by(self._signer(conn, dev), clinic)))


def _store_event(conn: sqlite3.Connection, sealed: SealedEvent) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO sync_events (event_id, device_id, hlc, ciphertext, stored_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (sealed.event_id, sealed.device_id, sealed.hlc, sealed.ciphertext, now_iso()))
    return cur.rowcount == 1


# -- reading the log -----------------------------------------------------------------------
def _sealed(rows: Iterable[tuple]) -> list[SealedEvent]:
    return [SealedEvent(r[0], r[1], r[2], bytes(r[3])) for r in rows]


def pending_events(conn: sqlite3.Connection, since: dict[str, str] | None = None) -> list[SealedEvent]:
    """Events this vault holds that a peer with the seen-vector ``since`` (device id ->
    largest clock seen from it) lacks, in clock order; all of them when ``since`` is
    None or empty."""
    since = since or {}
    rows = conn.execute("SELECT event_id, device_id, hlc, ciphertext FROM sync_events"
                        " ORDER BY hlc").fetchall()
    return _sealed(r for r in rows if r[2] > since.get(r[1], ""))


def events_after(conn: sqlite3.Connection, seq: int, *, limit: int = 500
                 ) -> tuple[list[SealedEvent], int]:
    """Events stored after the local sequence number ``seq`` (a transport's push
    checkpoint), oldest first, and the sequence number to resume from."""
    rows = conn.execute("SELECT event_id, device_id, hlc, ciphertext, seq FROM sync_events"
                        " WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)).fetchall()
    return _sealed(rows), (rows[-1][4] if rows else seq)


def seen_vector(conn: sqlite3.Connection) -> dict[str, str]:
    """Device id -> the largest clock of that device's events held here."""
    return dict(conn.execute("SELECT device_id, max(hlc) FROM sync_events GROUP BY device_id"))


def get_mark(conn: sqlite3.Connection, key: str) -> str | None:
    """A transport's checkpoint or watermark (opaque, in clear: ids and clocks only)."""
    row = conn.execute("SELECT value FROM sync_marks WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_mark(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a checkpoint inside the caller's transaction (with the events it covers)."""
    conn.execute("INSERT OR REPLACE INTO sync_marks (key, value) VALUES (?, ?)", (key, value))


# -- applying ------------------------------------------------------------------------------
@dataclass
class _Received:
    """A new data key a ``key.rotated`` event of the input carried to this laptop."""
    cipher: RecordCipher       # the new key, holding every earlier key too (to open the input)
    key: bytearray             # for ``rotation.adopt_received_key``
    epoch: int
    event: Event               # the ``key.rotated`` event that carried it
    merged: bool = False       # the key of concurrent rotations merged (``device_keys``)


Member = tuple[str, str, bytearray]      # a rotation taken here: (clock, event id, its key)


def _key_at(cipher: RecordCipher, epoch: int) -> bytearray | None:
    if cipher.epoch == epoch:
        return cipher.key_copy()
    older = cipher.older_key_copies()
    found = older.pop(epoch, None)
    for key in older.values():
        wipe(key)
    return found


class _Rotations:
    """The ``key.rotated`` events this laptop's keys came from, by the epoch they
    rotated from, with their keys (``ROTATIONS_KEY``; loaded when first needed).
    Two or more from one epoch: concurrent revocations, merged (``device_keys``)."""

    def __init__(self, conn: sqlite3.Connection, clinic: str, own: str | None) -> None:
        self._conn, self._clinic, self._own = conn, clinic, own
        self._groups: dict[int, list[Member]] | None = None

    def _load(self, cipher: RecordCipher) -> dict[int, list[Member]]:
        if self._groups is not None:
            return self._groups
        self._groups = {}
        for start, ids in accounts.get_meta_dict(self._conn, ROTATIONS_KEY).items():
            members: list[Member] = []
            for event_id in ids if isinstance(ids, list) else []:
                rows = self._conn.execute("SELECT event_id, device_id, hlc, ciphertext FROM "
                                          "sync_events WHERE event_id = ?", (event_id,))
                for sealed in _sealed(rows):
                    event = open_event(cipher, self._clinic, sealed)
                    key = (_key_at(cipher, int(start) + 1) if event.device_id == self._own
                           else device_keys.unwrap_rotation(self._conn, cipher,
                                                            clinic=self._clinic, own=str(self._own),
                                                            fields=event.fields))
                    if key is not None:
                        members.append((event.hlc, event.event_id, key))
            self._groups[int(start)] = members
        return self._groups

    def group(self, cipher: RecordCipher, start: int) -> list[Member]:
        return self._load(cipher).setdefault(start, [])

    def open_elsewhere(self, cipher: RecordCipher, sealed: SealedEvent) -> Event | None:
        """``sealed`` opened with a key another laptop holds under the same epoch
        label after concurrent rotations (None if none of them opens it)."""
        try:
            label = blob_epoch(bytes(sealed.ciphertext))
        except (ValueError, IndexError):
            return None
        for start, members in self._load(cipher).items():
            if len(members) < 2:
                continue
            for key in device_keys.candidate_keys(self._clinic, start, members, label):
                other = RecordCipher(key, epoch=label)
                try:
                    return open_event(other, self._clinic, sealed)
                except SyncRefused:
                    continue
                finally:
                    other.close()
        return None

    def close(self) -> None:
        for members in (self._groups or {}).values():
            for _, _, key in members:
                wipe(key)
        self._groups = None


def _verdict(trust: signing.Trust, clinic: str, event: Event) -> str | None:
    """None if ``event``'s signature is accepted here, else why it is refused."""
    return trust.check(event.event_id, event.device_id, event.hlc, event.kind, event.sig,
                       event.signed_message(clinic))


def _learn(trust: signing.Trust, clinic: str, events: list[Event]) -> None:
    """Take the enrolment chains of the input's ``device.key`` events (in memory)."""
    for event in events:
        if event.kind == device_keys.PUBLISHED and event.record_id == event.device_id:
            trust.learn(event.event_id, event.device_id, event.hlc, event.fields, event.sig,
                        event.signed_message(clinic))


def _receive_key(conn: sqlite3.Connection, cipher: RecordCipher, clinic: str, event: Event,
                 revoked: set[str], trust: signing.Trust, rotations: _Rotations
                 ) -> _Received | None:
    """This laptop's new data key, if ``event`` is a rotation signed by a laptop
    trusted and not revoked here, that carries one for this laptop, and is either
    to the epoch after ``cipher``'s, or concurrent with the rotation(s) this
    laptop's key came from (the same starting epoch, no other key change here
    since): then the new key is the merge of them all (``device_keys``)."""
    own = device_id(conn, create=False)
    fields = event.fields
    start = fields.get("from_epoch")
    if (event.kind != device_keys.ROTATED or own is None or event.device_id in revoked
            or not isinstance(start, int) or fields.get("epoch") != start + 1
            or start > cipher.epoch or _verdict(trust, clinic, event) is not None):
        return None
    members = [] if start == cipher.epoch else rotations.group(cipher, start)
    if start != cipher.epoch and (not members or cipher.epoch != start + len(members)
                                  or any(m[1] == event.event_id for m in members)):
        return None     # held already, or the key changed again here since (docs/sync.md)
    key = device_keys.unwrap_rotation(conn, cipher, clinic=clinic, own=own, fields=fields)
    if key is None:
        return None
    members.append((event.hlc, event.event_id, key))
    if start == cipher.epoch:
        rotations.group(cipher, start)[:] = members
    new_key = device_keys.merged_key(clinic, start, members)
    older = cipher.older_key_copies()
    older[cipher.epoch] = cipher.key_copy()
    try:
        return _Received(RecordCipher(bytearray(new_key), epoch=cipher.epoch + 1, older=older),
                         new_key, cipher.epoch + 1, event, merged=len(members) > 1)
    finally:
        for k in older.values():
            wipe(k)


def _open_input(conn: sqlite3.Connection, cipher: RecordCipher, clinic: str,
                sealed: Sequence[SealedEvent], trust: signing.Trust, *, defer: bool = False
                ) -> tuple[list[Event], list[_Received], list[SealedEvent]]:
    """Open every event, or refuse them all (SyncRefused) before anything is written.
    With ``defer`` (a server page) the events that do not open are returned instead,
    to be offered again with the next pages: a server's ``_changes`` may list an
    event sealed under a new key before the ``key.rotated`` that carries the key
    (several laptops upload their copies of the same events; one upload's documents
    need not keep their order), found by the convergence property.

    An input may carry a ``key.rotated`` event for this laptop and events sealed
    under the key it carries: those open once the key is unwrapped (several passes,
    one rotation at a time; a rotation counts only if its signature is accepted,
    with the enrolment chains of the input's ``device.key`` events taken first).
    Returns the events in clock order and the keys received, oldest epoch first
    (each one's cipher holds the earlier keys)."""
    received: list[_Received] = []
    current, opened, waiting = cipher, [], list(sealed)
    revoked = revoked_devices(conn)
    failure: SyncRefused | None = None
    rotations = _Rotations(conn, clinic, device_id(conn, create=False))
    try:
        while waiting:
            still: list[SealedEvent] = []
            new: list[Event] = []
            for item in waiting:
                try:
                    new.append(open_event(current, clinic, item))
                except SyncRefused as exc:
                    # sealed by another laptop under another key of the same epoch
                    # label (concurrent rotations, merged here since)
                    other = rotations.open_elsewhere(current, item)
                    if other is not None:
                        new.append(other)
                        continue
                    failure = exc
                    still.append(item)
            new.sort(key=lambda e: e.hlc)
            _learn(trust, clinic, new)
            for event in new:
                got = _receive_key(conn, current, clinic, event, revoked, trust, rotations)
                if got is not None:
                    received.append(got)
                    current = got.cipher
            opened.extend(new)
            if len(still) == len(waiting):
                assert failure is not None
                refusal = _refusal(conn, opened, failure, trust, clinic, current.epoch)
                if defer and refusal is failure:    # no key change here explains it: wait
                    break
                _close(received)
                raise refusal
            waiting = still
        else:
            still = []
    finally:
        rotations.close()
    ids = [e.event_id for e in opened]
    if len(set(ids)) != len(ids):
        _close(received)
        raise SyncRefused("The sync input holds the same event twice; nothing was applied.")
    return sorted(opened, key=lambda e: e.hlc), received, still


def _close(received: list[_Received]) -> None:
    for got in received:
        got.cipher.close()
        wipe(got.key)


def _refusal(conn: sqlite3.Connection, opened: list[Event], failure: SyncRefused,
             trust: signing.Trust, clinic: str, epoch: int) -> SyncRefused:
    """Say so plainly when the events that do not open follow a key change that
    was refused for its signature, or carried no key for this laptop (revoked, or
    without a published device key), or could not be merged with this laptop's
    (made at the same time as a key change here after which the key changed again)."""
    rotations = [e for e in opened if e.kind == device_keys.ROTATED]
    for event in rotations:
        why = _verdict(trust, clinic, event)
        if why is not None:
            return SyncRefused(f"{why}: the key change is refused, and the events sealed under "
                               "the key it carries cannot be opened. Nothing was applied.")
    own = device_id(conn, create=False)
    if any(own not in (e.fields.get("wrapped") or {}) for e in rotations):
        return SyncRefused("The sync input holds events sealed under a new data key that was "
                           "not given to this laptop (it was revoked, or it had not published "
                           "its device key before the change); join it again from a new "
                           "enrolment package. Nothing was applied.")
    taken = {i for ids in accounts.get_meta_dict(conn, ROTATIONS_KEY).values()
             if isinstance(ids, list) for i in ids}
    for event in rotations:
        start = event.fields.get("from_epoch")
        if isinstance(start, int) and start + 1 < epoch and event.event_id not in taken:
            return SyncRefused(
                f"The sync input holds a key change made on laptop {event.device_id} from key "
                f"epoch {start} at the same time as key changes on this laptop, which changed "
                f"its key again since (now epoch {epoch}), so the two cannot be merged; join "
                "one of the two laptops again from a new enrolment package. Nothing was applied.")
    return failure


def open_all(cipher: RecordCipher, clinic: str, sealed: Sequence[SealedEvent]) -> list[Event]:
    """Open every event with ``cipher``, or refuse them all (SyncRefused)."""
    events = [open_event(cipher, clinic, s) for s in sealed]
    ids = [e.event_id for e in events]
    if len(set(ids)) != len(ids):
        raise SyncRefused("The sync input holds the same event twice; nothing was applied.")
    return sorted(events, key=lambda e: e.hlc)


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _lost(event_or_entry: dict, field_name: str, value: object) -> dict:
    return {"field": field_name, "value": value, "hlc": event_or_entry["hlc"],
            "device": event_or_entry["device"], "name": event_or_entry["name"],
            "author": event_or_entry["author"], "event": event_or_entry["event"]}


def _note_value(clock: dict, name: str, entry: dict, value: object) -> None:
    """Keep every value a field ever had (with its clock) and recompute which ones
    lost a concurrent edit: not the winner's, and never replaced by a writer who
    held it (see :func:`_replaced`). A function of the set of events only,
    so every laptop shows the same history whatever order events arrived in."""
    history = clock.setdefault("history", {}).setdefault(name, [])
    if all(h["event"] != entry["event"] for h in history):
        history.append({**entry, "value": value})
    winner = clock["fields"].get(name)
    if winner is None:
        return
    won = next((h["value"] for h in history if h["event"] == winner["event"]), None)
    clock["lost"] = [c for c in clock["lost"] if c["field"] != name] + [
        _lost(h, name, h["value"]) for h in history
        if h["event"] != winner["event"] and _key(h["value"]) != _key(won)
        and not _replaced(history, h)]


def _replaced(history: list[dict], value: dict) -> bool:
    """Whether a writer who held ``value`` replaced it: an edit whose base is its
    clock, or a later edit on its own laptop. Comparing with the winner's base alone
    hid a value that lost to a concurrent edit which itself was overwritten later
    (the later writer's base is newer than the value, though it never saw it)."""
    return any(h["base"] == value["hlc"] or (h["device"] == value["device"]
                                             and h["hlc"] > value["hlc"]) for h in history)


def _merge(table: str, current: dict | None, clock: dict, event: Event) -> dict:
    """The record's payload (and owner under ``OWNER``) after ``event``; updates
    ``clock`` (field winners and history) in place. Depends only on the set of events."""
    payload = dict(current or {})
    fields_clock = clock["fields"]
    signed_now = table == "encounters" and payload.get("status") == SIGNED
    signs = table == "encounters" and event.kind == "note.signed"
    sign_clock = fields_clock.get("status", {}).get("hlc", "")
    for name, value in event.fields.items():
        mine = _entry(event, name)
        if name == AMENDMENTS and table == "encounters":    # a grow-only set: never conflicts
            merged = {_key(a): a for a in [*(payload.get(name) or []), *(value or [])]}
            payload[name] = sorted(merged.values(), key=lambda a: (str(a.get("at")), _key(a)))
            if fields_clock.get(name, {}).get("hlc", "") < event.hlc:
                fields_clock[name] = mine
            continue
        cur = fields_clock.get(name)
        if signed_now or signs:
            # a signed note's content is frozen: the earliest signature stands
            wins = signs and (not signed_now or event.hlc < sign_clock)
        else:
            wins = cur is None or event.hlc > cur["hlc"]
        if wins:
            payload[name] = value
            fields_clock[name] = mine
        _note_value(clock, name, mine, value)
    return payload


def apply_events(ctx: ServiceContext, sealed: Sequence[SealedEvent], *,
                 skip_refused: bool = False, defer_unknown: bool = False) -> ApplyResult:
    """Apply remote events to the vault of ``ctx`` in one transaction, with an audit
    entry each. Idempotent; all or nothing (SyncRefused: nothing applied).

    New events of a revoked laptop (``lantern device revoke``), and new events whose
    signature is missing or wrong or whose laptop no trusted laptop enrolled
    (``signing``), refuse the whole input (a USB bundle), or with ``skip_refused`` (a
    server page, which would otherwise stop every later sync at that page) are left
    out and counted in ``revoked`` and ``unverified``. With ``defer_unknown`` (a server
    page) an event signed by a laptop whose key is not known yet is not applied but
    returned in ``deferred``, to be offered again with the next page."""
    result = ApplyResult()
    with ctx.writing() as conn:
        clinic = clinic_id(conn)
        signing.begin(conn)       # before anything of this input is stored
        trust = signing.Trust(conn, clinic, revoked=revoked_devices(conn))
        events, received, unopened = _open_input(conn, ctx.repo.cipher, clinic, sealed, trust,
                                                 defer=defer_unknown)
        try:
            _apply_all(ctx, conn, events, received, result, trust, skip_refused=skip_refused,
                       defer={s.event_id: s for s in sealed} if defer_unknown else None)
        finally:
            _close(received)
        result.deferred.extend(unopened)
    return result


def _refused(event: Event, *, own: str | None, revoked: set[str],
             trust: signing.Trust, clinic: str) -> tuple[str, str] | None:
    """Why a new ``event`` is refused (the ``ApplyResult`` counter, the message), or None."""
    if event.device_id in revoked:
        return "revoked", (f"The sync input holds events of a revoked laptop (device "
                           f"{event.device_id}); nothing was applied.")
    if event.device_id == own:
        return "own", ("The sync input holds an event of this laptop that this "
                       "laptop never wrote; nothing was applied.")
    why = _verdict(trust, clinic, event)
    return None if why is None else ("unverified", f"{why}; nothing was applied.")


def _apply_all(ctx: ServiceContext, conn: sqlite3.Connection, events: list[Event],
               received: list[_Received], result: ApplyResult, trust: signing.Trust, *,
               skip_refused: bool, defer: dict[str, SealedEvent] | None = None) -> None:
    """The body of :func:`apply_events`. With a ``received`` key, events and
    histories are stored under it and, at the end of the same transaction, it
    becomes the vault's key (rows written meanwhile are re-encrypted with the rest)."""
    cipher = received[-1].cipher if received else ctx.repo.cipher
    own = device_id(conn)
    revoked = revoked_devices(conn)
    clinic = clinic_id(conn)
    repo: Repo = ctx.repo
    # the derived index (reports' diagnoses) is told of the page's rows once, at the end
    with repo.index_batch(conn):
        _apply_each(ctx, conn, cipher, events, result, trust, own=own, revoked=revoked,
                    clinic=clinic, skip_refused=skip_refused, defer=defer)
    from lantern.services.rotation import adopt_received_key  # rotation needs the context
    for got in received:        # one epoch after the other
        key, got.key = got.key, bytearray()
        # first: the key switch seals the vault state, settings included (noted after
        # it, the revocations were outside the seal and the next write refused)
        _note_revoked(conn, got.event, own)
        note_rotation(conn, got.event)
        adopt_received_key(ctx, conn, key, epoch=got.epoch,
                           reason="data keys of concurrent key changes merged" if got.merged
                           else "data key received from another laptop")
        result.rekeyed = got.epoch


def _apply_each(ctx: ServiceContext, conn: sqlite3.Connection, cipher: RecordCipher,
                events: list[Event], result: ApplyResult, trust: signing.Trust, *,
                own: str | None, revoked: set[str], clinic: str, skip_refused: bool,
                defer: dict[str, SealedEvent] | None) -> None:
    """Store and merge each new event of an input (the loop of :func:`_apply_all`)."""
    repo: Repo = ctx.repo
    # key events are stored first: what this laptop passes on (its push order) then
    # holds the keys that verify an event before the event (``signing``)
    for event in sorted(events, key=lambda e: e.table != device_keys.KEY_TABLE):
        if conn.execute("SELECT 1 FROM sync_events WHERE event_id = ?",
                        (event.event_id,)).fetchone() is not None:
            result.skipped += 1         # held already (applied twice changes nothing)
            continue
        refused = _refused(event, own=own, revoked=revoked, trust=trust, clinic=clinic)
        if refused is not None and defer is not None and refused[0] == "unverified" \
                and trust.unknown_signer(event.event_id, event.device_id, event.sig):
            result.deferred.append(defer[event.event_id])
            continue
        if refused is not None:
            counter, message = refused
            if not skip_refused or counter == "own":
                raise SyncRefused(message)
            setattr(result, counter, getattr(result, counter) + 1)
            continue
        _store_event(conn, seal_event(cipher, clinic, event))
        if event.table == device_keys.KEY_TABLE:
            if event.kind == device_keys.PUBLISHED and event.record_id == event.device_id:
                trust.keep(conn, event.device_id)
                device_keys.note_published(conn, event.device_id, event.fields)
            ctx.log_event(conn, APPLY_ACTION, detail=f"{event.kind} from device {event.device_id}")
            result.keys += 1
            continue
        _apply_one(conn, cipher, repo, event, result)
        ctx.log_event(conn, APPLY_ACTION, patient_id=event.patient_id if event.table != "patients"
                      else event.record_id, record_id=event.record_id,
                      detail=f"{event.kind} from device {event.device_id}")
        result.applied += 1


def _note_revoked(conn: sqlite3.Connection, rotation: Event, own: str | None) -> None:
    """The laptops the adopted rotation revoked are revoked here too: their events
    not held yet are refused from now on (those of this input were applied first, as
    the revoking laptop had them; a bundle from it holds them)."""
    registry = accounts.get_meta_dict(conn, DEVICES_KEY)
    for dev in rotation.fields.get("revoked") or []:
        info = registry.get(dev) if isinstance(dev, str) and dev != own else None
        info = info if isinstance(info, dict) else {}
        if isinstance(dev, str) and dev != own and info.get("status") != "revoked":
            registry[dev] = {**info, "status": "revoked", "revoked_at": now_iso(),
                             "revoked_by": f"{rotation.author} on device {rotation.device_id}"}
    accounts.set_meta(conn, DEVICES_KEY, json.dumps(registry, sort_keys=True, ensure_ascii=False))


@contextlib.contextmanager
def _unrecorded(repo: Repo) -> Iterator[None]:
    """Rows written by :func:`apply_events` carry no new event (theirs is stored).
    Safe: the caller holds the store's write lock for the whole transaction."""
    saved, repo.recorder = repo.recorder, None
    try:
        yield
    finally:
        repo.recorder = saved


def _creates(event: Event) -> bool:
    """Whether ``event`` made its record (see ``_kind``); other events only change one."""
    return event.kind in _CREATION_KINDS or event.kind.endswith(".created")


def _apply_one(conn: sqlite3.Connection, cipher: RecordCipher, repo: Repo,
               event: Event, result: ApplyResult) -> None:
    table = event.table
    exists = repo.exists(conn, table, event.record_id)
    row = repo.get(conn, table, event.record_id) if exists else None
    clock = _load_rowclock(conn, cipher, table, event.record_id)
    # a record not here yet: start from the fields of it that arrived before its creation
    current = clock.pop(PARKED, None) if row is None else {**row.payload, OWNER: row.patient_id}
    lost_before = len(clock["lost"])
    merged = _merge(table, current, clock, event)
    lost = max(0, len(clock["lost"]) - lost_before)
    if row is None and not _creates(event):
        # an edit that arrived before the record's creation (another page, another
        # laptop): keep the merged fields (sealed, with the clock) until it comes
        clock[PARKED] = merged
        _store_rowclock(conn, cipher, table, event.record_id, clock)
        result.conflicts += lost
        return
    owner = merged.pop(OWNER, None)
    with _unrecorded(repo):
        if row is None:
            repo.insert(conn, table, row_id=event.record_id, payload=merged,
                        patient_id=owner if owner is not None else event.patient_id,
                        encounter_id=event.encounter_id)
        elif merged != row.payload or (owner is not None and owner != row.patient_id):
            repo.update(conn, table, row=row, payload=merged,
                        new_owner=owner if table != "patients" and owner != row.patient_id
                        else None)
    _store_rowclock(conn, cipher, table, event.record_id, clock)
    result.conflicts += lost
    result.records.add((table, event.record_id))


# -- history for the chart ------------------------------------------------------------------
def conflicts_for(conn: sqlite3.Connection, cipher: RecordCipher, table: str, record_id: str
                  ) -> list[Conflict]:
    """Values of this record that lost a concurrent edit on another laptop."""
    clock = _load_rowclock(conn, cipher, table, record_id)
    return [Conflict(table, record_id, c["field"], c["value"], c["device"], c["name"],
                     c["author"], c["hlc"], c["event"]) for c in clock["lost"]]


def record_conflicts(ctx: ServiceContext, table: str, record_id: str) -> list[Conflict]:
    """For the chart: values of a record that lost a concurrent edit on another
    laptop ("also changed on laptop X"), oldest first."""
    require(ctx.user, "patient.read")
    with ctx.reading() as conn:
        return sorted(conflicts_for(conn, ctx.repo.cipher, table, record_id), key=lambda c: c.hlc)


# what names a record of each table in the chart's line ("allergy penicillin"); the
# note's date for encounters (their text may be long)
_SUBJECT_FIELD = {"allergies": "substance", "medications": "name", "problems": "description",
                  "followups": "reason"}


def _bookkeeping(field_name: str) -> bool:
    """Who/when fields (``removed_at``, ``signed_by``): both laptops did the same thing at
    different moments; the audit trail keeps each, the chart would only show noise."""
    return field_name.endswith(("_at", "_by"))


def patient_conflicts(ctx: ServiceContext, patient_id: str) -> list[Conflict]:
    """For the chart: the values that lost a concurrent edit on another laptop in ANY
    of this patient's records (details, notes, allergies, medications, problems, ...),
    each named by its ``subject``, oldest first. Who/when fields are left out."""
    require(ctx.user, "patient.read")
    found: list[Conflict] = []
    with ctx.reading() as conn:
        cipher = ctx.repo.cipher
        found += [c for c in conflicts_for(conn, cipher, "patients", patient_id)
                  if not _bookkeeping(c.field)]
        for table in RECORD_TABLES:
            if table in UNOWNED_TABLES:
                continue
            ids = [r[0] for r in conn.execute(
                f"SELECT s.record_id FROM sync_rows s JOIN {table} t ON t.id = s.record_id "
                "WHERE s.record_table = ? AND t.patient_id = ?", (table, patient_id))]
            for record_id in ids:
                lost = [c for c in conflicts_for(conn, cipher, table, record_id)
                        if not _bookkeeping(c.field)]
                if not lost:
                    continue
                subject = _subject(conn, ctx.repo, table, record_id)
                found += [replace(c, subject=subject) for c in lost]
    return sorted(found, key=lambda c: c.hlc)


def _subject(conn: sqlite3.Connection, repo: Repo, table: str, record_id: str) -> str:
    try:
        row = repo.get(conn, table, record_id)
    except (DamagedRecord, NotFound):      # still shown, named by its kind only
        return ""
    if table == "encounters":
        return str(row.created_at)[:10]
    return str(row.payload.get(_SUBJECT_FIELD.get(table, ""), "") or "")
