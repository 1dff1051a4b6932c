"""Record encryption: AES-256-GCM with associated data binding each ciphertext
to its identity and place.

A sealed blob is ``header || 96-bit nonce || ciphertext+tag``. Format 1 (the
header is the byte 1) binds table, column, row id and row version. Format 2
(header: the byte 2, then the payload format version) also binds the owning
patient and encounter and the payload format, so a row moved to another patient
no longer decrypts; format 1 is still read until the vault's data upgrade has
rewritten every row (``lantern.vault.blob_upgrade``). The nonce is
fresh and random for every write. Keys live in ``bytearray`` objects so they can
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
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lantern.domain.errors import DamagedRecord, Locked

KEY_BYTES = 32
NONCE_BYTES = 12
BLOB_FORMAT = 1  # legacy: bound to table, column, row id, version
BOUND_BLOB_FORMAT = 2  # also bound to the owner (patient, encounter) and the payload format

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


def seal_bytes(aead: AESGCM, plaintext: bytes, ad: bytes, *,
               header: bytes = bytes([BLOB_FORMAT])) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + aead.encrypt(nonce, plaintext, ad)


def open_bytes(aead: AESGCM, blob: bytes, ad: bytes, *,
               header: bytes = bytes([BLOB_FORMAT])) -> bytes:
    """Decrypt a sealed blob; raises ``InvalidTag`` on any mismatch."""
    start = len(header)
    if not blob or len(blob) < start + NONCE_BYTES + 16 or bytes(blob[:start]) != header:
        raise InvalidTag()
    return aead.decrypt(bytes(blob[start:start + NONCE_BYTES]),
                        bytes(blob[start + NONCE_BYTES:]), ad)


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
        state_key = hkdf(data_key, info=b"lantern vault state v1")
        self._state_key: bytes | None = bytes(state_key)
        wipe(state_key)

    @property
    def closed(self) -> bool:
        return self._aead is None

    def _require(self) -> AESGCM:
        if self._aead is None:
            raise Locked("The vault is locked.")
        return self._aead

    def seal(self, payload: dict, *, table: str, column: str, row_id: str, version: int,
             owner: tuple[str | None, str | None] | None = None,
             payload_format: int | None = None) -> bytes:
        """Format 2 when ``owner`` and ``payload_format`` are given, else format 1."""
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        if owner is None or payload_format is None:
            return seal_bytes(self._require(), data, associated_data(table, column, row_id, version))
        ad = bound_associated_data(table=table, column=column, row_id=row_id, version=version,
                                   owner=owner, payload_format=payload_format)
        return seal_bytes(self._require(), data, ad,
                          header=bytes([BOUND_BLOB_FORMAT, payload_format]))

    def open(self, blob: bytes, *, table: str, column: str, row_id: str, version: int,
             owner: tuple[str | None, str | None] | None = None, legacy: bool = True) -> dict:
        """Open a format-2 blob (bound to ``owner``), or a format-1 one while ``legacy``."""
        try:
            if owner is not None and blob and blob[0] == BOUND_BLOB_FORMAT and len(blob) > 1:
                payload_format = blob[1]
                ad = bound_associated_data(table=table, column=column, row_id=row_id,
                                           version=version, owner=owner,
                                           payload_format=payload_format)
                data = open_bytes(self._require(), blob, ad,
                                  header=bytes([BOUND_BLOB_FORMAT, payload_format]))
            elif legacy:
                payload_format = None
                data = open_bytes(self._require(), blob,
                                  associated_data(table, column, row_id, version))
            else:
                raise InvalidTag()
            payload = json.loads(data)
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord(
                f"Record {table}/{row_id} is damaged (it failed its integrity check)."
            ) from exc
        if not isinstance(payload, dict) or (
                payload_format is not None and payload.get("_v", 1) != payload_format):
            raise DamagedRecord(f"Record {table}/{row_id} is damaged (unexpected content).")
        return payload

    def row_hasher(self) -> Callable[[bytes], Any]:
        """Keyed BLAKE2b (a PRF) under the vault-state key: ``row_hasher()(msg).digest()``
        is the tag of one row of the sealed state, cheap enough for every row at unlock."""
        if self._state_key is None:
            raise Locked("The vault is locked.")
        return functools.partial(hashlib.blake2b, key=self._state_key, digest_size=32)

    def state_mac(self, message: bytes) -> bytes:
        """HMAC-SHA256 under the vault-state key (HKDF from the data key)."""
        if self._state_key is None:
            raise Locked("The vault is locked.")
        return hmac.digest(self._state_key, message, "sha256")

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
        self._state_key = None
        self._aead = None
