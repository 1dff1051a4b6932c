"""Carrying a new data key to the clinic's other laptops after a revocation.

Every laptop has a **device key**: an X25519 key pair of its own, drawn on that
laptop (never copied: a vault copied from another laptop — an enrolment package, a
backup restored elsewhere — drops it with its device id). The private half is kept
in the vault's ``meta``, sealed under the data key with the device id and public key
as associated data; the public half travels as a ``device.key`` event (sealed with
the clinic key like any event), published at the laptop's next server sync or USB
export. A laptop keeps the first key it receives for a device and ignores later
ones (a holder of the old clinic key cannot replace a key already known here).

When an administrator revokes a laptop (``enrol.revoke``), the transaction that
rotates the data key also writes one ``key.rotated`` event: the new key sealed to
the device key of every laptop known here that published one and is not revoked
(``keyslots.seal_to``: ephemeral X25519 + HKDF + AES-GCM, bound to the clinic, the
device and the epoch), and the list of known laptops that had published none
(they must join again). That event itself is sealed under the **previous** key, so
laptops still on it can open it; the wrapped keys inside open only with a
recipient's device key. The revoked laptop (and anyone holding only the old key)
sees the event but can unwrap nothing.

A laptop that receives it (``events.apply_events``) unwraps its copy with its device
key and, in the same transaction as the rest of the input, makes it its data key
(``rotation.adopt_received_key``: its own key slots get it, the old key stays in the
keyring for old events and rows, re-encryption starts). Events sealed under the new
key in the same input open then. See docs/sync.md, "Revoking a lost laptop".

**Two revocations at the same epoch.** Two laptops that each rotate from epoch n
(both revoke, before either has the other's change) make two keys labelled n+1.
Each ``key.rotated`` event carries its key to the laptops its author did not
revoke, so a laptop that neither revoked can unwrap both. Such a laptop takes the
first one it meets as its key n+1 (or keeps its own), then, on meeting the other,
moves to epoch n+2 whose key is :func:`merged_key` of the two: HKDF of both keys in
clock order of their events, bound to the clinic, the epochs and the event ids. It
depends only on the set of rotations, so every laptop that holds both arrives at
the same key n+2, whatever order it met them in; three rotations of one epoch give
n+3 from all three, and so on. Only a laptop that holds every key of the set can
compute it, so the union of the revocations holds without a further rotation: a
laptop revoked by either author lacks that author's key. Events sealed under one of
the labels in between (n+1 under A's key on one laptop, under B's on another)
open with :func:`candidate_keys`.
"""

from __future__ import annotations

import base64
import itertools
import json
import sqlite3
from collections.abc import Iterable, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from lantern.vault import accounts
from lantern.vault.crypto import KEY_BYTES, RecordCipher, hkdf, wipe
from lantern.vault.keyslots import open_sealed, seal_to

SECRET_KEY = "sync_device_secret"      # meta: this laptop's device key (private half sealed)
KNOWN_KEY = "sync_device_keys"         # meta: device id -> public key (hex) received
KEY_TABLE = "sync_keys"                # the ``table`` of key events (no record row)
PUBLISHED = "device.key"
ROTATED = "key.rotated"
KEY_KINDS = frozenset({PUBLISHED, ROTATED})
_RAW = serialization.Encoding.Raw


def _secret_ad(device: str, public: bytes) -> bytes:
    return f"lantern|device key|{device}|{public.hex()}".encode()


def _recipient(clinic: str, device: str) -> str:
    return f"device|{clinic}|{device}"


def _own(conn: sqlite3.Connection, device: str) -> dict | None:
    doc = accounts.get_meta_dict(conn, SECRET_KEY)
    return doc if doc.get("device") == device else None


def own_doc(conn: sqlite3.Connection, device: str) -> dict | None:
    """This laptop's key record (its signing key lives there too: ``signing``)."""
    return _own(conn, device)


def own_public(conn: sqlite3.Connection, device: str) -> bytes | None:
    """This laptop's device public key (None before it made one)."""
    doc = _own(conn, device)
    return None if doc is None else bytes.fromhex(doc["public"])


def create(conn: sqlite3.Connection, cipher: RecordCipher, device: str) -> bytes | None:
    """Make this laptop's device key if it has none (inside the caller's write
    transaction); returns the new public key to publish, or None if it had one."""
    if _own(conn, device) is not None:
        return None
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    raw = bytearray(private.private_bytes(_RAW, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption()))
    try:
        sealed = cipher.seal_raw(bytes(raw), _secret_ad(device, public))
    finally:
        wipe(raw)
    accounts.set_meta(conn, SECRET_KEY, json.dumps({
        "device": device, "public": public.hex(), "sealed": base64.b64encode(sealed).decode()}))
    return public


def forget_own(conn: sqlite3.Connection) -> None:
    """Drop the device key of a vault copied from another laptop (it is that laptop's).
    Its public half stays, as that laptop's published key: the copy holds that
    laptop's ``device.key`` event already (so it is never received again), and a key
    the new laptop rotates must reach the laptop it came from too."""
    doc = accounts.get_meta_dict(conn, SECRET_KEY)
    if isinstance(doc.get("device"), str) and isinstance(doc.get("public"), str):
        note_published(conn, doc["device"], {"public": doc["public"]})
    accounts.delete_meta(conn, SECRET_KEY)


def _private(conn: sqlite3.Connection, cipher: RecordCipher, device: str
             ) -> tuple[X25519PrivateKey, bytes] | None:
    doc = _own(conn, device)
    if doc is None:
        return None
    public = bytes.fromhex(doc["public"])
    raw = bytearray(cipher.open_raw(base64.b64decode(doc["sealed"]), _secret_ad(device, public)))
    try:
        return X25519PrivateKey.from_private_bytes(bytes(raw)), public
    finally:
        wipe(raw)


def known(conn: sqlite3.Connection) -> dict[str, bytes]:
    """Device id -> the device public key received from it (first one kept)."""
    return {str(d): bytes.fromhex(p) for d, p in accounts.get_meta_dict(conn, KNOWN_KEY).items()
            if isinstance(p, str)}


def note_published(conn: sqlite3.Connection, device: str, fields: dict) -> bool:
    """Keep a device's published public key unless one is known for it already."""
    try:
        public = bytes.fromhex(str(fields.get("public", "")))
    except ValueError:
        return False
    found = known(conn)
    if len(public) != 32 or device in found:
        return False
    found[device] = public
    accounts.set_meta(conn, KNOWN_KEY, json.dumps({d: p.hex() for d, p in sorted(found.items())}))
    return True


def rotation_fields(conn: sqlite3.Connection, new_cipher: RecordCipher, *, clinic: str,
                    own: str, previous_epoch: int, revoked: set[str],
                    laptops: Iterable[str]) -> dict:
    """The body of a ``key.rotated`` event: the new key sealed to each known, not
    revoked laptop's device key; ``laptops`` (known here) without one are listed."""
    keys = known(conn)
    targets = {d: p for d, p in keys.items() if d not in revoked and d != own}
    key = new_cipher.key_copy()
    try:
        wrapped = {d: base64.b64encode(seal_to(key, public=p, slot_id=_recipient(clinic, d),
                                               epoch=new_cipher.epoch)).decode()
                   for d, p in sorted(targets.items())}
    finally:
        wipe(key)
    missing = sorted(set(laptops) - set(keys) - revoked - {own})
    return {"epoch": new_cipher.epoch, "from_epoch": previous_epoch,
            "revoked": sorted(revoked), "wrapped": wrapped, "without_key": missing}


def unwrap_rotation(conn: sqlite3.Connection, cipher: RecordCipher, *, clinic: str,
                    own: str, fields: dict) -> bytearray | None:
    """This laptop's copy of the new key a ``key.rotated`` event carries (None when
    the event holds none for it, e.g. it had not published its device key)."""
    blob = (fields.get("wrapped") or {}).get(own)
    found = _private(conn, cipher, own)
    if not isinstance(blob, str) or found is None:
        return None
    private, public = found
    try:
        key = open_sealed(private, public=public, envelope=base64.b64decode(blob),
                          slot_id=_recipient(clinic, own), epoch=int(fields["epoch"]))
    except (InvalidTag, ValueError, KeyError, TypeError):
        return None
    if len(key) != KEY_BYTES:
        wipe(key)
        return None
    return key


def merged_key(clinic: str, from_epoch: int, members: Sequence[tuple[str, str, bytes | bytearray]]
               ) -> bytearray:
    """The data key of epoch ``from_epoch + len(members)`` for the concurrent
    rotations ``members`` from ``from_epoch`` ((clock, event id, key) each): the one
    key itself for one rotation, else HKDF of all their keys in clock order. A
    function of the set only (see the module's docstring)."""
    ordered = sorted(members)
    if len(ordered) == 1:
        return bytearray(ordered[0][2])
    material = bytearray(b"".join(bytes(k) for _, _, k in ordered))
    info = (f"lantern|merged data key|{clinic}|{from_epoch}|{from_epoch + len(ordered)}|"
            + ",".join(event_id for _, event_id, _ in ordered)).encode()
    try:
        return hkdf(material, info=info)
    finally:
        wipe(material)


def candidate_keys(clinic: str, from_epoch: int, members: Sequence[tuple[str, str, bytes | bytearray]],
                   epoch: int) -> list[bytearray]:
    """Every key another laptop may hold under the label ``epoch`` after meeting some
    of the concurrent rotations ``members`` (in another order than this laptop):
    the merged key of each subset of ``epoch - from_epoch`` of them."""
    size = epoch - from_epoch
    if not 1 <= size <= len(members):
        return []
    return [merged_key(clinic, from_epoch, subset)
            for subset in itertools.combinations(sorted(members), size)]
