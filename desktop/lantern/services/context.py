"""What a service may use of an unlocked vault: the service context.

:class:`~lantern.services.session.VaultSession` opens the store and the data
key, builds one :class:`ServiceContext` and hands it to each service (records,
users, audit, key administration). A service sees the current user, the
repository of encrypted rows, read and write transactions, the audit trail, and
one narrow key operation: wrapping the data key into a new key slot. It never
holds the session, the cipher or the data key itself. Key slots are stored with
:meth:`ServiceContext.put_slot`, which registers them in the keyring so that a
later key rotation carries them over (:mod:`lantern.services.rotation`).

The session owns the store and the cipher and wipes them at lock; it first
closes the context, after which every use of it (and building a service on it)
raises :class:`~lantern.domain.errors.Locked`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from lantern.domain.errors import Locked, ReadOnlyVault
from lantern.domain.records import User
from lantern.services.codec import PAYLOAD_FORMATS
from lantern.vault import keyring
from lantern.vault.audit import AuditChain
from lantern.vault.crypto import RecordCipher, wipe
from lantern.vault.kdf import KdfParams
from lantern.vault.keyslots import WrappedSlot, wrap
from lantern.vault.repo import Repo
from lantern.vault.store import Store

LOCKED_MESSAGE = "The vault is locked; unlock it first."
READ_ONLY_MESSAGE = ("The vault is open read-only: its integrity check found changes made "
                     "outside Lantern. An administrator must review them "
                     "('lantern vault accept-state') before anything can be saved.")


class ServiceContext:
    """One user's view of one unlocked vault, shared by that session's services."""

    def __init__(self, *, store: Store, cipher: RecordCipher, user: User,
                 read_only: bool = False) -> None:
        self._store: Store | None = store
        self._cipher: RecordCipher | None = cipher
        self._user = user
        # the repository tells the store's sealed state about every row it writes
        self._repo = Repo(cipher, formats=PAYLOAD_FORMATS, state=store.state)
        self._chain = AuditChain(cipher)
        # set when the unlock's integrity check found something: nothing is written
        self.read_only = read_only

    # -- state ---------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._store is None or self._cipher is None

    def ensure_unlocked(self) -> None:
        """Raise Locked once the session has locked (every service call starts here)."""
        if self.locked:
            raise Locked(LOCKED_MESSAGE)

    def close(self) -> None:
        """Revoke the context (the session wipes the key and closes the file). Idempotent."""
        self._store = None
        self._cipher = None

    # -- what services use ------------------------------------------------------
    @property
    def user(self) -> User:
        return self._user

    @property
    def store(self) -> Store:
        if self._store is None or self._cipher is None:
            raise Locked(LOCKED_MESSAGE)
        return self._store

    @property
    def repo(self) -> Repo:
        self.ensure_unlocked()
        return self._repo

    @property
    def audit_chain(self) -> AuditChain:
        """The HMAC-chained audit trail (reading and verifying; write with :meth:`log_event`)."""
        self.ensure_unlocked()
        return self._chain

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise ReadOnlyVault(READ_ONLY_MESSAGE)
        with self.store.transaction() as conn:
            # another Lantern on this file rotated the data key: never write under the old one
            if self._cipher is not None and keyring.stored_epoch(conn) != self._cipher.epoch:
                raise Locked("The vault's key was changed in another Lantern window; "
                             "lock and unlock again.")
            yield conn

    @contextlib.contextmanager
    def viewing(self) -> Iterator[sqlite3.Connection]:
        """For a read that is audited (opening a chart): a write transaction, or in a
        read-only session a plain read (its view entry cannot be written)."""
        if self.read_only:
            with self.reading() as conn:
                yield conn
        else:
            with self.writing() as conn:
                yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self.store.reading() as conn:
            yield conn

    def log_event(self, conn: sqlite3.Connection, action: str, *, patient_id: str | None = None,
                  record_id: str | None = None, detail: str = "") -> None:
        """Append an audit entry by the current user inside the caller's transaction
        (nothing in a read-only session, whose only "transactions" are views)."""
        if self.read_only:
            return
        self._chain.append(conn, username=self._user.username, action=action,
                           patient_id=patient_id, record_id=record_id, detail=detail)

    def wrap_data_key(self, *, slot_id: str, secret: str, params: KdfParams) -> WrappedSlot:
        """A new key slot holding the data key under ``secret``; the key copy is wiped."""
        if self._cipher is None:
            raise Locked(LOCKED_MESSAGE)
        key = self._cipher.key_copy()
        try:
            return wrap(key, slot_id=slot_id, secret=secret, params=params,
                        epoch=self._cipher.epoch)
        finally:
            wipe(key)

    def put_slot(self, conn: sqlite3.Connection, slot: WrappedSlot, *, username: str | None
                 ) -> None:
        """Store a slot from :meth:`wrap_data_key` and register it in the keyring."""
        if self._cipher is None:
            raise Locked(LOCKED_MESSAGE)
        keyring.put_member_slot(conn, self._cipher, slot, username=username)

    def seal_transient(self, plaintext: bytes, ad: bytes) -> bytes:
        """Seal bytes that never reach the disk (``services/resume.py``: what a user had
        on screen when the vault locked) under the data key; opened with
        :meth:`open_transient` in a later session of the same vault."""
        if self._cipher is None:
            raise Locked(LOCKED_MESSAGE)
        return self._cipher.seal_raw(plaintext, ad)

    def open_transient(self, blob: bytes, ad: bytes) -> bytes:
        """Open what :meth:`seal_transient` sealed; ``InvalidTag`` if ``ad`` or the key differ."""
        if self._cipher is None:
            raise Locked(LOCKED_MESSAGE)
        return self._cipher.open_raw(blob, ad)

    def remove_slot(self, conn: sqlite3.Connection, slot_id: str) -> None:
        """Delete a key slot and its registration (the next key rotation skips it)."""
        if self._cipher is None:
            raise Locked(LOCKED_MESSAGE)
        keyring.remove_member_slot(conn, self._cipher, slot_id)
