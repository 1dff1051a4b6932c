"""Handing an unlocked vault's keys to a helper process, and its errors back.

The GUI runs some long work in child processes of its own (``multiprocessing``,
spawn: a fresh interpreter), so that work never holds the GUI process's interpreter
lock: the reports and alerts (``lantern.gui.report_process``, issue 17) and the sync
(``lantern.services.sync.worker``, issue 18). Both open the vault file themselves and
need the session's data keys. Those travel only through the child's pipe, after it
started (never an argument, an environment variable, a file or a log): a header
(epochs, audit starts and whatever the caller adds) and then each key as raw bytes,
received straight into a ``bytearray`` that is wiped once the cipher holds its copy.
The child wipes its cipher when it ends (``RecordCipher.close``), as a locking session does.

An error goes back to the GUI as its class name and, for Lantern's own errors (written
to be shown), its message; any other error as its class name only, since its text may
hold patient data.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

from lantern.domain import errors
from lantern.vault.crypto import KEY_BYTES, RecordCipher, wipe


def send_cipher(conn: Connection, cipher: RecordCipher, header: dict[str, Any]) -> None:
    """Send ``header`` with the cipher's epochs, then its keys (copies, wiped here)."""
    key, older = cipher.key_copy(), cipher.older_key_copies()
    try:
        conn.send({**header, "epoch": cipher.epoch, "older": sorted(older),
                   "audit_from": cipher.audit_starts()})
        conn.send_bytes(key)
        for epoch in sorted(older):
            conn.send_bytes(older[epoch])
    finally:
        wipe(key)
        for k in older.values():
            wipe(k)


def _receive_key(conn: Connection) -> bytearray:
    key = bytearray(KEY_BYTES)
    try:
        if conn.recv_bytes_into(key) != KEY_BYTES:
            raise errors.VaultError("A helper process received a damaged key.")
    except BaseException:
        wipe(key)
        raise
    return key


def receive_cipher(conn: Connection, header: dict[str, Any]) -> RecordCipher:
    """The cipher whose keys follow ``header`` (from :func:`send_cipher`) on ``conn``."""
    key = _receive_key(conn)
    older: dict[int, bytearray] = {}
    try:
        for epoch in header["older"]:
            older[int(epoch)] = _receive_key(conn)
        return RecordCipher(key, epoch=int(header["epoch"]), older=older,   # keeps ``key``
                            audit_from=header.get("audit_from") or None)
    except BaseException:
        wipe(key)
        raise
    finally:
        for k in older.values():   # copied by the cipher
            wipe(k)


def error_reply(exc: BaseException) -> tuple[str, str]:
    """(class name, message shown) for the parent; no message unless a LanternError."""
    return type(exc).__name__, str(exc) if isinstance(exc, errors.LanternError) else ""


def error_of(kind: str, message: str, *, otherwise: str) -> Exception:
    """The exception for an :func:`error_reply`: the same Lantern error class when there
    is one of that name, else a ``VaultError`` with ``message`` or ``otherwise``
    (``{kind}`` in it is replaced by the class name)."""
    cls = getattr(errors, kind, None)
    if isinstance(cls, type) and issubclass(cls, errors.LanternError):
        try:
            return cls(message)
        except TypeError:
            pass
    return errors.VaultError(message or otherwise.replace("{kind}", kind))
