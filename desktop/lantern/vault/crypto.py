"""Record encryption: AES-256-GCM with associated data binding each ciphertext
to its place (table, column, row id, row version).

A sealed blob is ``format byte || 96-bit nonce || ciphertext+tag``. The nonce is
fresh and random for every write. Keys live in ``bytearray`` objects so they can
be overwritten when the vault is locked (as far as Python allows: the AES
implementation keeps its own copy, which is released when the object is dropped).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lantern.domain.errors import DamagedRecord, Locked

KEY_BYTES = 32
NONCE_BYTES = 12
BLOB_FORMAT = 1

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


def seal_bytes(aead: AESGCM, plaintext: bytes, ad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return bytes([BLOB_FORMAT]) + nonce + aead.encrypt(nonce, plaintext, ad)


def open_bytes(aead: AESGCM, blob: bytes, ad: bytes) -> bytes:
    """Decrypt a sealed blob; raises ``InvalidTag`` on any mismatch."""
    if not blob or len(blob) < 1 + NONCE_BYTES + 16 or blob[0] != BLOB_FORMAT:
        raise InvalidTag()
    return aead.decrypt(bytes(blob[1:1 + NONCE_BYTES]), bytes(blob[1 + NONCE_BYTES:]), ad)


def hkdf(key: bytes | bytearray, *, info: bytes, length: int = 32) -> bytearray:
    out = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(bytes(key))
    return bytearray(out)


class RecordCipher:
    """Seals and opens JSON payloads of vault rows with the data key."""

    def __init__(self, data_key: bytearray) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("data key has the wrong length")
        self._key: bytearray | None = data_key
        self._aead: AESGCM | None = AESGCM(bytes(data_key))
        mac_key = hkdf(data_key, info=b"lantern audit chain v1")
        self._mac: hmac.HMAC | None = hmac.new(bytes(mac_key), digestmod=hashlib.sha256)  # copied per message
        wipe(mac_key)

    @property
    def closed(self) -> bool:
        return self._aead is None

    def _require(self) -> AESGCM:
        if self._aead is None:
            raise Locked("The vault is locked.")
        return self._aead

    def seal(self, payload: dict, *, table: str, column: str, row_id: str, version: int) -> bytes:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        return seal_bytes(self._require(), data, associated_data(table, column, row_id, version))

    def open(self, blob: bytes, *, table: str, column: str, row_id: str, version: int) -> dict:
        try:
            data = open_bytes(self._require(), blob, associated_data(table, column, row_id, version))
            payload = json.loads(data)
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord(
                f"Record {table}/{row_id} is damaged (it failed its integrity check)."
            ) from exc
        if not isinstance(payload, dict):
            raise DamagedRecord(f"Record {table}/{row_id} is damaged (unexpected content).")
        return payload

    def mac(self, message: bytes) -> bytes:
        if self._mac is None:
            raise Locked("The vault is locked.")
        h = self._mac.copy()
        h.update(message)
        return h.digest()

    def key_copy(self) -> bytearray:
        """A copy of the data key, to wrap it into a new key slot."""
        if self._key is None:
            raise Locked("The vault is locked.")
        return bytearray(self._key)

    def close(self) -> None:
        wipe(self._key)
        self._key = None
        self._mac = None
        self._aead = None
