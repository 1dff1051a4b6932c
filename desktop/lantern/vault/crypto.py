"""Record encryption: AES-256-GCM with associated data binding each ciphertext
to its identity and place.

A sealed blob is ``format byte || [epoch] || [payload format] || 96-bit nonce ||
ciphertext+tag``. The low 7 bits of the format byte say what the associated data
binds: format 1, table, column, row id and row version; format 2 (records since
issue 12), also the owning patient and encounter and the payload format, whose
version then follows in one byte, so a row moved to another patient no longer
decrypts. Format 1 record blobs are read until the vault's data upgrade has
rewritten every row (``lantern.vault.blob_upgrade``). The nonce is fresh and
random for every write. The data key changes when access is revoked
(:mod:`lantern.vault.keyring`); a blob sealed under the key of epoch ``n > 0``
has the high bit of its format byte set and ``n`` in the 4 bytes that follow, so
the key that opens it is found in the keyring. Epoch 0 blobs (every vault before
its first rotation) have no epoch bytes. Keys live in ``bytearray`` objects so they can
be overwritten when the vault is locked (as far as Python allows: the AES
implementation keeps its own copy, which is released when the object is dropped).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lantern.domain.errors import DamagedRecord, Locked

KEY_BYTES = 32
NONCE_BYTES = 12
BLOB_FORMAT = 1  # bound to table, column, row id, version
BOUND_BLOB_FORMAT = 2  # also bound to the owner (patient, encounter) and the payload format
EPOCH_FLAG = 0x80  # format byte bit: a 4-byte key epoch follows
EPOCH_BYTES = 4

_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


def random_key() -> bytearray:
    return bytearray(os.urandom(KEY_BYTES))


def new_record_id(prefix: str = "", *, length: int = 12) -> str:
    """An opaque random id (no patient data, no ordering information)."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length))


def wipe(buffer: bytearray | None) -> None:
    """Overwrite a key buffer in place."""
    if buffer is not None:
        for i in range(len(buffer)):
            buffer[i] = 0


def associated_data(table: str, column: str, row_id: str, version: int) -> bytes:
    return f"lantern|{table}|{column}|{row_id}|{int(version)}".encode()


def bound_associated_data(*, table: str, column: str, row_id: str, version: int,
                          owner: tuple[str | None, str | None], payload_format: int) -> bytes:
    """Format-2 associated data: the place and identity of a record, unambiguously encoded."""
    fields = ["lantern", BOUND_BLOB_FORMAT, table, column, row_id, owner[0], owner[1],
              int(version), int(payload_format)]
    return json.dumps(fields, separators=(",", ":")).encode()


def seal_bytes(aead: AESGCM, plaintext: bytes, ad: bytes, *, epoch: int = 0,
               payload_format: int | None = None) -> bytes:
    """Format 1, or format 2 when ``payload_format`` is given (``ad`` must bind it)."""
    nonce = os.urandom(NONCE_BYTES)
    base = BLOB_FORMAT if payload_format is None else BOUND_BLOB_FORMAT
    header = bytes([base | EPOCH_FLAG]) + epoch.to_bytes(EPOCH_BYTES, "big") if epoch \
        else bytes([base])
    if payload_format is not None:
        header += bytes([payload_format])
    return header + nonce + aead.encrypt(nonce, plaintext, ad)


def blob_epoch(blob: bytes) -> int:
    """The key epoch a sealed blob names in its header (0 when it names none)."""
    if blob and blob[0] & EPOCH_FLAG and len(blob) > EPOCH_BYTES:
        return int.from_bytes(blob[1:1 + EPOCH_BYTES], "big")
    return 0


def blob_format(blob: bytes) -> int:
    """The blob format (1 or 2, 0 for anything else) of a sealed blob."""
    return blob[0] & ~EPOCH_FLAG if blob else 0


def blob_payload_format(blob: bytes) -> int | None:
    """The payload format a format-2 blob declares in its header (None otherwise)."""
    if blob_format(blob) != BOUND_BLOB_FORMAT:
        return None
    at = 1 + (EPOCH_BYTES if blob[0] & EPOCH_FLAG else 0)
    return blob[at] if len(blob) > at else None


def open_bytes(aead: AESGCM, blob: bytes, ad: bytes) -> bytes:
    """Decrypt a sealed blob; raises ``InvalidTag`` on any mismatch."""
    base = blob_format(blob)
    start = 1 + (EPOCH_BYTES if blob and blob[0] & EPOCH_FLAG else 0) + (base == BOUND_BLOB_FORMAT)
    if not blob or len(blob) < start + NONCE_BYTES + 16 or base not in (BLOB_FORMAT,
                                                                          BOUND_BLOB_FORMAT):
        raise InvalidTag()
    return aead.decrypt(bytes(blob[start:start + NONCE_BYTES]),
                        bytes(blob[start + NONCE_BYTES:]), ad)


def hkdf(key: bytes | bytearray, *, info: bytes, length: int = 32) -> bytearray:
    out = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(bytes(key))
    return bytearray(out)


class RecordCipher:
    """Seals and opens JSON payloads of vault rows with the data key.

    ``epoch`` names the current data key; ``older`` holds the keys of earlier
    epochs (from the keyring) so rows not yet re-encrypted still open, and
    ``audit_from`` maps each epoch to the first audit entry MAC'd under it.
    """

    def __init__(self, data_key: bytearray, *, epoch: int = 0,
                 older: Mapping[int, bytes | bytearray] | None = None,
                 audit_from: Mapping[int, int] | None = None) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key has the wrong length")
        self._key: bytearray | None = data_key
        self.epoch = epoch
        self._older = {e: bytearray(k) for e, k in (older or {}).items() if e != epoch}
        self._aeads: dict[int, AESGCM] | None = {epoch: AESGCM(bytes(data_key))}
        for e, k in self._older.items():
            self._aeads[e] = AESGCM(bytes(k))
        self._macs: dict[int, hmac.HMAC] | None = {
            e: _chain_hmac(k) for e, k in ((epoch, data_key), *self._older.items())}
        self._audit_from = sorted((int(s), int(e)) for e, s in (audit_from or {}).items())
        self._state_key: bytes | None = _state_key(data_key)

    @property
    def closed(self) -> bool:
        return self._aeads is None

    def _require(self, epoch: int | None = None) -> AESGCM:
        if self._aeads is None:
            raise Locked("The vault is locked.")
        return self._aeads[self.epoch if epoch is None else epoch]

    def seal_raw(self, plaintext: bytes, ad: bytes, *, payload_format: int | None = None,
                 epoch: int | None = None) -> bytes:
        """Seal bytes under the current key (its epoch goes into the header), or under
        the key of an earlier ``epoch`` this cipher holds (a sync event that laptops
        still on that key must open: ``services/sync/device_keys.py``)."""
        at = self.epoch if epoch is None else epoch
        if self._aeads is not None and at not in self._aeads:
            raise KeyError(f"no data key of epoch {at}")
        return seal_bytes(self._require(at), plaintext, ad, epoch=at,
                          payload_format=payload_format)

    def open_raw(self, blob: bytes, ad: bytes) -> bytes:
        """Open bytes sealed under any key of the keyring; ``InvalidTag`` on failure."""
        self._require()
        epoch = blob_epoch(blob)
        if self._aeads is None or epoch not in self._aeads:
            raise InvalidTag()
        return open_bytes(self._aeads[epoch], blob, ad)

    @staticmethod
    def _record_ad(blob_or_format: int | None, *, table: str, column: str, row_id: str,
                   version: int, owner: tuple[str | None, str | None] | None) -> bytes:
        if owner is None or blob_or_format is None:
            return associated_data(table, column, row_id, version)
        return bound_associated_data(table=table, column=column, row_id=row_id, version=version,
                                     owner=owner, payload_format=blob_or_format)

    def seal(self, payload: dict, *, table: str, column: str, row_id: str, version: int,
             owner: tuple[str | None, str | None] | None = None,
             payload_format: int | None = None) -> bytes:
        """Format 2 when ``owner`` and ``payload_format`` are given, else format 1."""
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        if owner is None:
            payload_format = None
        ad = self._record_ad(payload_format, table=table, column=column, row_id=row_id,
                             version=version, owner=owner)
        return self.seal_raw(data, ad, payload_format=payload_format)

    def open(self, blob: bytes, *, table: str, column: str, row_id: str, version: int,
             owner: tuple[str | None, str | None] | None = None, legacy: bool = True) -> dict:
        """Open a format-2 blob (bound to ``owner``), or a format-1 one while ``legacy``."""
        payload_format = blob_payload_format(blob) if owner is not None else None
        try:
            if payload_format is None and not (legacy and blob_format(blob) == BLOB_FORMAT):
                raise InvalidTag()
            ad = self._record_ad(payload_format, table=table, column=column, row_id=row_id,
                                 version=version, owner=owner)
            payload = json.loads(self.open_raw(blob, ad))
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord(
                f"Record {table}/{row_id} is damaged (it failed its integrity check)."
            ) from exc
        if not isinstance(payload, dict) or (
                payload_format is not None and payload.get("_v", 1) != payload_format):
            raise DamagedRecord(f"Record {table}/{row_id} is damaged (unexpected content).")
        return payload

    def reseal(self, blob: bytes, *, table: str, column: str, row_id: str, version: int,
               owner: tuple[str | None, str | None] | None = None) -> bytes:
        """The same plaintext under the current key (re-encryption after a rotation),
        in the same blob format."""
        payload_format = blob_payload_format(blob) if owner is not None else None
        ad = self._record_ad(payload_format, table=table, column=column, row_id=row_id,
                             version=version, owner=owner)
        try:
            return self.seal_raw(self.open_raw(blob, ad), ad, payload_format=payload_format)
        except InvalidTag as exc:
            raise DamagedRecord(
                f"Record {table}/{row_id} is damaged (it failed its integrity check)."
            ) from exc

    def row_hasher(self) -> Callable[[bytes], Any]:
        """Keyed BLAKE2b (a PRF) under the vault-state key: ``row_hasher()(msg).digest()``
        is the tag of one row of the sealed state, cheap enough for every row at unlock."""
        if self._state_key is None:
            raise Locked("The vault is locked.")
        return functools.partial(hashlib.blake2b, key=self._state_key, digest_size=32)

    def state_mac(self, message: bytes) -> bytes:
        """HMAC-SHA256 under the vault-state key (HKDF from the current data key)."""
        if self._state_key is None:
            raise Locked("The vault is locked.")
        return hmac.digest(self._state_key, message, "sha256")

    def mac(self, message: bytes) -> bytes:
        """MAC under the current epoch's chain key."""
        return self._mac_at(self.epoch, message)

    def chain_mac(self, seq: int, message: bytes) -> bytes:
        """MAC of audit entry ``seq`` under the key of the epoch it was written in."""
        epoch = 0
        for start, e in self._audit_from:
            if seq >= start:
                epoch = e
        return self._mac_at(epoch, message)

    def _mac_at(self, epoch: int, message: bytes) -> bytes:
        if self._macs is None:
            raise Locked("The vault is locked.")
        if epoch not in self._macs:
            return b""  # a key the keyring does not hold: the entry cannot verify
        h = self._macs[epoch].copy()
        h.update(message)
        return h.digest()

    def key_copy(self) -> bytearray:
        """A copy of the data key, to wrap it into a new key slot."""
        if self._key is None:
            raise Locked("The vault is locked.")
        return bytearray(self._key)

    def older_key_copies(self) -> dict[int, bytearray]:
        """Copies of the keys of earlier epochs (to re-seal the keyring)."""
        if self._key is None:
            raise Locked("The vault is locked.")
        return {e: bytearray(k) for e, k in self._older.items()}

    def audit_starts(self) -> dict[int, int]:
        return {e: s for s, e in self._audit_from}

    def adopt(self, other: RecordCipher) -> None:
        """Take over ``other``'s keys (after a rotation committed); ``other`` is emptied."""
        if self._key is None or other._key is None:
            raise Locked("The vault is locked.")
        retired = [self._key, *self._older.values()]
        # no moment without a key: a reader in another thread sees the old or the new state
        self._aeads, self._macs, self._audit_from = other._aeads, other._macs, other._audit_from
        self._key, self.epoch, self._older = other._key, other.epoch, other._older
        self._state_key = other._state_key
        other._key, other._older, other._aeads, other._macs = None, {}, None, None
        other._state_key = None
        for key in retired:
            wipe(key)

    def close(self) -> None:
        wipe(self._key)
        for key in self._older.values():
            wipe(key)
        self._key = None
        self._older = {}
        self._macs = None
        self._aeads = None
        self._state_key = None


def _state_key(key: bytes | bytearray) -> bytes:
    derived = hkdf(key, info=b"lantern vault state v1")
    try:
        return bytes(derived)
    finally:
        wipe(derived)


def _chain_hmac(key: bytes | bytearray) -> hmac.HMAC:
    mac_key = hkdf(key, info=b"lantern audit chain v1")
    try:
        return hmac.new(bytes(mac_key), digestmod=hashlib.sha256)  # copied per message
    finally:
        wipe(mac_key)
