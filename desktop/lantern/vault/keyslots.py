"""Key slots: how a passphrase (or the recovery key) reaches the data key.

There is one slot per user and one recovery slot opened by the recovery key
printed once at vault creation. A slot is self-describing: KDF parameters and
salt travel with it, so changing a passphrase (or raising the cost) rewrites
only that slot.

A slot (format 2) holds an X25519 key pair: the private key wrapped
(AES-256-GCM) under the Argon2id key of the passphrase, the public key in clear,
and an *envelope*: the current data key sealed to that public key (ephemeral
X25519 + HKDF + AES-GCM), with the key epoch it belongs to. Whoever holds the
data key can therefore put a *new* data key into every slot without knowing
anyone's passphrase, while only the slot's owner can open it (see
:mod:`lantern.vault.keyring` and ``docs/vault.md``, "Key rotation").

Format 1 slots (vaults made before rotation existed) wrap the data key itself
under the passphrase key; they open as epoch 0 and are rewritten as format 2 at
their owner's next unlock.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern.vault.crypto import KEY_BYTES, hkdf, open_bytes, seal_bytes, wipe
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


@dataclass(frozen=True, slots=True)
class OpenedSlot:
    key: bytearray      # the data key of ``epoch``
    epoch: int
    legacy: bool        # a format 1 slot (to be rewritten at this unlock)


SLOT_FORMAT = 2
_RAW = serialization.Encoding.Raw


def _ad(slot_id: str) -> bytes:
    return f"lantern|key_slot|{slot_id}".encode()


def _private_ad(slot_id: str, public: bytes) -> bytes:
    return f"lantern|key_slot|{slot_id}|{public.hex()}".encode()


def _envelope_ad(slot_id: str, epoch: int) -> bytes:
    return f"lantern|key_envelope|{slot_id}|{int(epoch)}".encode()


def _envelope_kek(shared: bytes, ephemeral: bytes, public: bytes, slot_id: str) -> bytearray:
    return hkdf(shared + ephemeral + public, info=b"lantern key envelope v1|" + slot_id.encode())


def _fields(slot: WrappedSlot) -> dict | None:
    """The parts of a format 2 slot; None for format 1; SlotOpenFailed if garbled."""
    if slot.wrapped[:1] != b"{":
        return None
    try:
        data = json.loads(slot.wrapped)
        public, epoch = bytes.fromhex(data["public"]), int(data["epoch"])
        fields = {"public": public, "private": bytes.fromhex(data["private"]),
                  "envelope": bytes.fromhex(data["envelope"]), "epoch": epoch}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SlotOpenFailed() from exc
    if data.get("format") != SLOT_FORMAT or len(public) != 32 or epoch < 0:
        raise SlotOpenFailed()
    return fields


def seal_to(data_key: bytearray, *, public: bytes, slot_id: str, epoch: int) -> bytes:
    """``data_key`` of ``epoch`` sealed to the X25519 ``public`` key (ephemeral X25519 +
    HKDF + AES-GCM; ``slot_id`` names the recipient in the KDF and associated data).
    Also used for a laptop's device key (``services/sync/device_keys.py``)."""
    return _envelope(data_key, public=public, slot_id=slot_id, epoch=epoch)


def open_sealed(private: X25519PrivateKey, *, public: bytes, envelope: bytes, slot_id: str,
                epoch: int) -> bytearray:
    """The key :func:`seal_to` sealed to ``public``; ``InvalidTag`` or ValueError if it
    was not sealed to this key, for this recipient and epoch, or was altered."""
    eph_public = envelope[:32]
    env_kek = _envelope_kek(private.exchange(X25519PublicKey.from_public_bytes(eph_public)),
                            eph_public, public, slot_id)
    try:
        return bytearray(open_bytes(AESGCM(bytes(env_kek)), envelope[32:],
                                    _envelope_ad(slot_id, epoch)))
    finally:
        wipe(env_kek)


def _envelope(data_key: bytearray, *, public: bytes, slot_id: str, epoch: int) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    eph_public = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    kek = _envelope_kek(ephemeral.exchange(X25519PublicKey.from_public_bytes(public)),
                        eph_public, public, slot_id)
    try:
        return eph_public + seal_bytes(AESGCM(bytes(kek)), bytes(data_key),
                                       _envelope_ad(slot_id, epoch))
    finally:
        wipe(kek)


def slot_kdf_params(slot: WrappedSlot) -> KdfParams:
    """The slot's KDF parameters, checked against the bounds before any KDF runs;
    SlotParamsInvalid when they are unreadable or out of bounds (the file was edited)."""
    try:
        data = json.loads(slot.kdf_json)
        return KdfParams.from_dict(data if isinstance(data, dict) else {})
    except (ValueError, KeyError, TypeError) as exc:
        raise SlotParamsInvalid() from exc


def _pack(slot: WrappedSlot, *, public: bytes, private: bytes, envelope: bytes,
          epoch: int) -> WrappedSlot:
    body = {"format": SLOT_FORMAT, "epoch": int(epoch), "public": public.hex(),
            "private": private.hex(), "envelope": envelope.hex()}
    return WrappedSlot(slot.slot_id, slot.kdf_json, slot.salt,
                       json.dumps(body, separators=(",", ":")).encode())


def wrap(data_key: bytearray, *, slot_id: str, secret: str, params: KdfParams,
         epoch: int = 0) -> WrappedSlot:
    """A new format 2 slot (fresh key pair) opened by ``secret``, holding ``data_key``."""
    salt = new_salt()
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    raw_private = bytearray(private.private_bytes(_RAW, serialization.PrivateFormat.Raw,
                                                  serialization.NoEncryption()))
    kek = derive_key(secret, salt, params)
    try:
        sealed = seal_bytes(AESGCM(bytes(kek)), bytes(raw_private), _private_ad(slot_id, public))
    finally:
        wipe(kek)
        wipe(raw_private)
    bare = WrappedSlot(slot_id, json.dumps(params.as_dict()), salt, b"")
    return _pack(bare, public=public, private=sealed, epoch=epoch,
                 envelope=_envelope(data_key, public=public, slot_id=slot_id, epoch=epoch))


def readdress(slot: WrappedSlot, data_key: bytearray, *, epoch: int) -> WrappedSlot:
    """The same slot (same passphrase, same key pair) holding ``data_key`` of ``epoch``."""
    fields = _fields(slot)
    if fields is None:
        raise ValueError("a format 1 key slot cannot receive a new data key")
    return _pack(slot, public=fields["public"], private=fields["private"], epoch=epoch,
                 envelope=_envelope(data_key, public=fields["public"], slot_id=slot.slot_id,
                                    epoch=epoch))


def public_key(slot: WrappedSlot) -> bytes | None:
    """The slot's public key (None for a format 1 slot); SlotOpenFailed if garbled."""
    fields = _fields(slot)
    return None if fields is None else fields["public"]


def slot_epoch(slot: WrappedSlot) -> int:
    """The key epoch a slot's envelope holds (0 for a format 1 slot)."""
    fields = _fields(slot)
    return 0 if fields is None else fields["epoch"]


def open_slot(slot: WrappedSlot, *, secret: str) -> OpenedSlot:
    """The data key a slot holds and its epoch; SlotOpenFailed for a wrong secret."""
    fields = _fields(slot)
    params = slot_kdf_params(slot)
    kek = derive_key(secret, slot.salt, params)
    try:
        if fields is None:
            key = bytearray(open_bytes(AESGCM(bytes(kek)), slot.wrapped, _ad(slot.slot_id)))
            epoch = 0
        else:
            key, epoch = _open_envelope(fields, kek, slot.slot_id), fields["epoch"]
    except (InvalidTag, ValueError) as exc:
        raise SlotOpenFailed() from exc
    finally:
        wipe(kek)
    if len(key) != KEY_BYTES:
        raise SlotOpenFailed()
    return OpenedSlot(key, epoch, legacy=fields is None)


def _open_envelope(fields: dict, kek: bytearray, slot_id: str) -> bytearray:
    public, envelope = fields["public"], fields["envelope"]
    raw = bytearray(open_bytes(AESGCM(bytes(kek)), fields["private"], _private_ad(slot_id, public)))
    try:
        private = X25519PrivateKey.from_private_bytes(bytes(raw))
    finally:
        wipe(raw)
    return open_sealed(private, public=public, envelope=envelope, slot_id=slot_id,
                       epoch=fields["epoch"])


def unwrap(slot: WrappedSlot, *, secret: str) -> bytearray:
    """The data key a slot holds (whatever its epoch); SlotOpenFailed for a wrong secret."""
    return open_slot(slot, secret=secret).key


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
