"""Record encryption: AES-256-GCM with associated data binding each ciphertext
to its place (table, column, row id, row version).

A sealed blob is ``format byte || [epoch] || 96-bit nonce || ciphertext+tag``.
The nonce is fresh and random for every write. The data key changes when access
is revoked (:mod:`lantern.vault.keyring`); a blob sealed under the key of epoch
``n > 0`` has the high bit of its format byte set and ``n`` in the 4 bytes that
follow, so the key that opens it is found in the keyring. Epoch 0 blobs (every
vault before its first rotation) keep the plain header. Keys live in ``bytearray`` objects so they can
be overwritten when the vault is locked (as far as Python allows: the AES
implementation keeps its own copy, which is released when the object is dropped).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lantern.domain.errors import DamagedRecord, Locked

KEY_BYTES = 32
NONCE_BYTES = 12
BLOB_FORMAT = 1
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


def seal_bytes(aead: AESGCM, plaintext: bytes, ad: bytes, *, epoch: int = 0) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    header = bytes([BLOB_FORMAT | EPOCH_FLAG]) + epoch.to_bytes(EPOCH_BYTES, "big") if epoch \
        else bytes([BLOB_FORMAT])
    return header + nonce + aead.encrypt(nonce, plaintext, ad)


def blob_epoch(blob: bytes) -> int:
    """The key epoch a sealed blob names in its header (0 when it names none)."""
    if blob and blob[0] & EPOCH_FLAG and len(blob) > EPOCH_BYTES:
        return int.from_bytes(blob[1:1 + EPOCH_BYTES], "big")
    return 0


def open_bytes(aead: AESGCM, blob: bytes, ad: bytes) -> bytes:
    """Decrypt a sealed blob; raises ``InvalidTag`` on any mismatch."""
    start = 1 + (EPOCH_BYTES if blob and blob[0] & EPOCH_FLAG else 0)
    if not blob or len(blob) < start + NONCE_BYTES + 16 or blob[0] & ~EPOCH_FLAG != BLOB_FORMAT:
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

    @property
    def closed(self) -> bool:
        return self._aeads is None

    def _require(self, epoch: int | None = None) -> AESGCM:
        if self._aeads is None:
            raise Locked("The vault is locked.")
        return self._aeads[self.epoch if epoch is None else epoch]

    def seal_raw(self, plaintext: bytes, ad: bytes) -> bytes:
        """Seal bytes under the current key (its epoch goes into the header)."""
        return seal_bytes(self._require(), plaintext, ad, epoch=self.epoch)

    def open_raw(self, blob: bytes, ad: bytes) -> bytes:
        """Open bytes sealed under any key of the keyring; ``InvalidTag`` on failure."""
        self._require()
        epoch = blob_epoch(blob)
        if self._aeads is None or epoch not in self._aeads:
            raise InvalidTag()
        return open_bytes(self._aeads[epoch], blob, ad)

    def seal(self, payload: dict, *, table: str, column: str, row_id: str, version: int) -> bytes:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return self.seal_raw(data, associated_data(table, column, row_id, version))

    def open(self, blob: bytes, *, table: str, column: str, row_id: str, version: int) -> dict:
        try:
            data = self.open_raw(blob, associated_data(table, column, row_id, version))
            payload = json.loads(data)
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord(
                f"Record {table}/{row_id} is damaged (it failed its integrity check)."
            ) from exc
        if not isinstance(payload, dict):
            raise DamagedRecord(f"Record {table}/{row_id} is damaged (unexpected content).")
        return payload

    def reseal(self, blob: bytes, *, table: str, column: str, row_id: str, version: int) -> bytes:
        """The same plaintext under the current key (re-encryption after a rotation)."""
        ad = associated_data(table, column, row_id, version)
        try:
            return self.seal_raw(self.open_raw(blob, ad), ad)
        except InvalidTag as exc:
            raise DamagedRecord(
                f"Record {table}/{row_id} is damaged (it failed its integrity check)."
            ) from exc

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
        other._key, other._older, other._aeads, other._macs = None, {}, None, None
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


def _chain_hmac(key: bytes | bytearray) -> hmac.HMAC:
    mac_key = hkdf(key, info=b"lantern audit chain v1")
    try:
        return hmac.new(bytes(mac_key), digestmod=hashlib.sha256)  # copied per message
    finally:
        wipe(mac_key)
