"""Data-key epochs, the keyring and the list of key slots allowed to receive a new key.

Each revocation (a user deactivated, the recovery key replaced) starts a new
*epoch* with a fresh random data key. The ``keyring`` row of ``meta`` is one
AES-GCM blob sealed under the **current** data key (its header names the
epoch). It holds:

* the data keys of every earlier epoch, so rows not yet re-encrypted and backups'
  worth of old audit entries still open and verify;
* ``audit_from``: the first audit entry MAC'd under each epoch's key;
* ``members``: slot id -> public key of every key slot that may receive the next
  data key. Only a holder of the current key can change it, so a key slot copied
  back from a backup is never given a new key.

A vault that was never rotated may have no keyring: it is epoch 0 and its slots
are checked only by their passphrase. SQL for ``meta`` and ``key_slots`` stays in
:mod:`lantern.vault.accounts`; the decisions (who is carried over) are in
:mod:`lantern.services.rotation`.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag

from lantern.domain.errors import ConflictError, VaultError
from lantern.vault import accounts
from lantern.vault.crypto import RecordCipher, blob_epoch, wipe
from lantern.vault.keyslots import (
    OpenedSlot,
    SlotOpenFailed,
    WrappedSlot,
    public_key,
    slot_epoch,
)

META_KEYRING = "keyring"
STALE_SLOT_MESSAGE = ("This key slot is from before the vault's key was changed (a user was "
                      "deactivated or the recovery key replaced); it no longer opens the vault. "
                      "Ask an administrator.")
UNREGISTERED_SLOT_MESSAGE = ("This key slot is not one the vault issued; it does not open the "
                             "vault. Ask an administrator.")
DAMAGED_MESSAGE = "The vault's keyring is damaged; restore a backup."


class StaleKeySlot(Exception):
    """A slot that opens, but not to the vault's current key (or was never issued)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class KeyringState:
    epoch: int
    older: dict[int, bytearray] = field(default_factory=dict)
    audit_from: dict[int, int] = field(default_factory=dict)
    members: dict[str, bytes] = field(default_factory=dict)
    stored: bool = False     # False: a vault never rotated and without a keyring yet


def _ad(epoch: int) -> bytes:
    return f"lantern|keyring|{int(epoch)}".encode()


def _stored_blob(conn: sqlite3.Connection) -> bytes | None:
    text = accounts.get_meta(conn, META_KEYRING)
    if text is None:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise VaultError(DAMAGED_MESSAGE) from exc


def stored_epoch(conn: sqlite3.Connection) -> int:
    """The current epoch as the stored keyring names it (0 without a keyring)."""
    blob = _stored_blob(conn)
    return 0 if blob is None else blob_epoch(blob)


def _decode(data: bytes, epoch: int) -> KeyringState:
    body = json.loads(data)
    if int(body["epoch"]) != epoch:
        raise ValueError("keyring epoch mismatch")
    return KeyringState(
        epoch=epoch,
        older={int(e): bytearray(bytes.fromhex(k)) for e, k in body["older"].items()},
        audit_from={int(e): int(s) for e, s in body["audit_from"].items()},
        members={str(s): bytes.fromhex(p) for s, p in body["members"].items()},
        stored=True)


def open_cipher(conn: sqlite3.Connection, opened: OpenedSlot, *, slot: WrappedSlot
                ) -> RecordCipher:
    """The record cipher for an unlock through ``slot``; StaleKeySlot when the slot
    holds an earlier epoch's key or is not a registered member."""
    blob = _stored_blob(conn)
    if blob is None:
        if opened.epoch != 0:
            raise VaultError(DAMAGED_MESSAGE)
        return RecordCipher(opened.key)
    probe = RecordCipher(bytearray(opened.key), epoch=opened.epoch)
    try:
        state = _decode(probe.open_raw(blob, _ad(opened.epoch)), opened.epoch)
    except (InvalidTag, ValueError, KeyError, TypeError, AttributeError) as exc:
        if opened.epoch < blob_epoch(blob):
            raise StaleKeySlot(STALE_SLOT_MESSAGE) from exc
        raise VaultError(DAMAGED_MESSAGE) from exc
    finally:
        probe.close()
    try:
        public = public_key(slot)
    except SlotOpenFailed as exc:
        raise StaleKeySlot(UNREGISTERED_SLOT_MESSAGE) from exc
    if public is not None and state.members.get(slot.slot_id) != public:
        wipe_state(state)
        raise StaleKeySlot(UNREGISTERED_SLOT_MESSAGE)
    cipher = RecordCipher(opened.key, epoch=opened.epoch, older=state.older,
                          audit_from=state.audit_from)
    wipe_state(state)
    return cipher


def wipe_state(state: KeyringState) -> None:
    for key in state.older.values():
        wipe(key)
    state.older.clear()


def read(conn: sqlite3.Connection, cipher: RecordCipher) -> KeyringState:
    """The keyring as ``cipher`` (current key) sees it; a vault without one is epoch 0."""
    blob = _stored_blob(conn)
    if blob is None:
        if cipher.epoch != 0:
            raise VaultError(DAMAGED_MESSAGE)
        return KeyringState(epoch=0, audit_from={0: 1})
    if blob_epoch(blob) != cipher.epoch:
        raise ConflictError("The vault's key was changed by another Lantern window; "
                            "lock and unlock again.")
    try:
        return _decode(cipher.open_raw(blob, _ad(cipher.epoch)), cipher.epoch)
    except (InvalidTag, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VaultError(DAMAGED_MESSAGE) from exc


def write(conn: sqlite3.Connection, cipher: RecordCipher, *, members: dict[str, bytes]) -> None:
    """Seal the keyring under ``cipher``'s current key: its older keys, audit starts, members."""
    older = cipher.older_key_copies()
    try:
        body = {"epoch": cipher.epoch,
                "older": {str(e): bytes(k).hex() for e, k in sorted(older.items())},
                "audit_from": {str(e): s for e, s in sorted(cipher.audit_starts().items())},
                "members": {s: p.hex() for s, p in sorted(members.items())}}
        data = json.dumps(body, separators=(",", ":")).encode()
    finally:
        for key in older.values():
            wipe(key)
    blob = cipher.seal_raw(data, _ad(cipher.epoch))
    accounts.set_meta(conn, META_KEYRING, base64.b64encode(blob).decode())


def put_member_slot(conn: sqlite3.Connection, cipher: RecordCipher, slot: WrappedSlot, *,
                    username: str | None) -> None:
    """Store ``slot`` and register its public key (inside the caller's transaction)."""
    public = public_key(slot)
    if public is None:
        raise ValueError("only format 2 key slots can be registered")
    if slot_epoch(slot) != cipher.epoch:
        raise ConflictError("The vault's key changed while this key slot was made; try again.")
    state = read(conn, cipher)
    wipe_state(state)
    state.members[slot.slot_id] = public
    accounts.put_slot(conn, slot, username=username)
    write(conn, cipher, members=state.members)


def remove_member_slot(conn: sqlite3.Connection, cipher: RecordCipher, slot_id: str) -> None:
    """Delete a slot and its registration (the next rotation skips it either way)."""
    state = read(conn, cipher)
    wipe_state(state)
    state.members.pop(slot_id, None)
    accounts.delete_slot(conn, slot_id)
    if state.stored:
        write(conn, cipher, members=state.members)
