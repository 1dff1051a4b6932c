"""Key slots: the data key wrapped (AES-256-GCM) under a passphrase-derived key.

There is one slot per user and one recovery slot opened by the recovery key
printed once at vault creation. A slot is self-describing: KDF parameters and
salt travel with it, so changing a passphrase (or raising the cost) rewrites
only that slot.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern.vault.crypto import KEY_BYTES, open_bytes, seal_bytes, wipe
from lantern.vault.kdf import KdfParams, derive_key, new_salt

RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols, no 0/O/1/I/L
RECOVERY_GROUPS = 6
RECOVERY_GROUP_LEN = 4


class SlotOpenFailed(Exception):
    """The passphrase (or recovery key) does not open this slot."""


class SlotParamsInvalid(Exception):
    """The slot's stored KDF parameters are unreadable or out of bounds (the file was edited)."""


@dataclass(frozen=True, slots=True)
class WrappedSlot:
    slot_id: str
    kdf_json: str
    salt: bytes
    wrapped: bytes


def _ad(slot_id: str) -> bytes:
    return f"lantern|key_slot|{slot_id}".encode()


def wrap(data_key: bytearray, *, slot_id: str, secret: str, params: KdfParams) -> WrappedSlot:
    salt = new_salt()
    kek = derive_key(secret, salt, params)
    try:
        blob = seal_bytes(AESGCM(bytes(kek)), bytes(data_key), _ad(slot_id))
    finally:
        wipe(kek)
    return WrappedSlot(slot_id, json.dumps(params.as_dict()), salt, blob)


def slot_kdf_params(slot: WrappedSlot) -> KdfParams:
    """The slot's KDF parameters, checked against the bounds before any KDF runs."""
    try:
        data = json.loads(slot.kdf_json)
        return KdfParams.from_dict(data if isinstance(data, dict) else {})
    except (ValueError, KeyError, TypeError) as exc:
        raise SlotParamsInvalid() from exc


def unwrap(slot: WrappedSlot, *, secret: str) -> bytearray:
    params = slot_kdf_params(slot)
    kek = derive_key(secret, slot.salt, params)
    try:
        key = bytearray(open_bytes(AESGCM(bytes(kek)), slot.wrapped, _ad(slot.slot_id)))
    except InvalidTag as exc:
        raise SlotOpenFailed() from exc
    finally:
        wipe(kek)
    if len(key) != KEY_BYTES:
        raise SlotOpenFailed()
    return key


def new_recovery_key() -> str:
    """24 symbols in groups of 4, e.g. ``7KQM-3XHT-...`` (about 119 bits)."""
    groups = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LEN))
        for _ in range(RECOVERY_GROUPS)
    ]
    return "-".join(groups)


def normalize_recovery_key(text: str) -> str:
    """Accept lower case, spaces and missing or extra dashes."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    groups = [cleaned[i:i + RECOVERY_GROUP_LEN] for i in range(0, len(cleaned), RECOVERY_GROUP_LEN)]
    return "-".join(groups)
