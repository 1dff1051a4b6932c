"""An unlocked vault for one user: the entry point of the GUI and the CLI.

``VaultSession.create`` / ``unlock`` / ``recover`` return a session whose
``records``, ``users`` and ``audit`` services do the work. The services receive
a :class:`~lantern.services.context.ServiceContext`, never the session.
``lock()`` closes that context, wipes the keys (as far as Python allows) and
drops the in-memory search index.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn

from lantern.domain.errors import (
    AuthError,
    IntegrityError,
    PermissionDenied,
    ValidationError,
    VaultError,
    VaultExists,
)
from lantern.domain.records import Role, User
from lantern.services import diagnosis_index, integrity
from lantern.services.alerts import AlertService
from lantern.services.audit import AuditService
from lantern.services.context import ServiceContext
from lantern.services.credentials import (
    check_passphrase,
    check_username,
    is_valid_username,
    normalize_username,
    slot_params,
)
from lantern.services.followups import FollowupService
from lantern.services.key_admin import raise_kdf, rotate_recovery_key, upgrade_slot_if_weaker
from lantern.services.records import RecordsService
from lantern.services.roles import require
from lantern.services.rotation import (
    CHUNK_ROWS,
    ReencryptionReport,
    pending_reencryption,
    reencrypt,
)
from lantern.services.sync.events import EventRecorder
from lantern.services.users import UsersService
from lantern.vault import accounts, keyring
from lantern.vault.audit import UNKNOWN_USER, AuditChain, pending_failures, record_failed_login
from lantern.vault.blob_upgrade import upgrade_blobs, upgrade_done
from lantern.vault.crypto import RecordCipher, random_key, wipe
from lantern.vault.kdf import FLOOR, KdfParams, derive_key, new_salt, params_for_new_slot
from lantern.vault.keyslots import (
    OpenedSlot,
    SlotOpenFailed,
    SlotParamsInvalid,
    WrappedSlot,
    new_recovery_key,
    normalize_recovery_key,
    open_slot,
    unwrap,
    wrap,
)
from lantern.vault.rekey import Progress
from lantern.vault.state import VaultState
from lantern.vault.store import Store, vault_path

log = logging.getLogger(__name__)

AUTH_MESSAGE = "Wrong user name or passphrase."
SLOT_EDITED_MESSAGE = ("The key-derivation settings of this key slot are unreadable or out of "
                       "range: the vault file was edited. Use another account or the recovery "
                       "key, or restore a backup.")


def login_delay(failures: int, *, base_s: float = 0.25, cap_s: float = 30.0) -> float:
    """Seconds to wait before the next attempt after ``failures`` failed ones."""
    if failures <= 0:
        return 0.0
    return min(cap_s, base_s * 2 ** (failures - 1))


class VaultSession:
    """One unlocked vault, one user."""

    def __init__(self, *, store: Store, cipher: RecordCipher, user: User, clinic_name: str,
                 check: integrity.IntegrityCheck | None = None, read_only: bool = False) -> None:
        # the session owns the open store and the data key; its services see them
        # only through the context, which lock() closes before wiping the key
        self._store: Store | None = store
        self._cipher: RecordCipher | None = cipher
        self.integrity = check or integrity.IntegrityCheck((), 0, "")
        self._ctx = ServiceContext(store=store, cipher=cipher, user=user,
                                   read_only=read_only or not self.integrity.ok)
        # every row written also becomes a sealed sync event, in the same transaction
        self._ctx.repo.recorder = EventRecorder(cipher, user.username)
        # and updates the sealed index of confirmed diagnoses the reports read (issue 17)
        self._ctx.repo.index = diagnosis_index.IndexKeeper(self._ctx.repo)
        self.user = user
        self.clinic_name = clinic_name
        self.path = store.path
        self.users = UsersService(self._ctx)
        self.records = RecordsService(self._ctx, role_of=self.users.role_of)
        self.audit = AuditService(self._ctx)
        self.followups = FollowupService(self._ctx, patient=self.records.patient_summary)
        self.alerts = AlertService(self._ctx)     # surveillance alerts (issue 17)

    # -- opening -----------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return vault_path(Path(data_dir)).exists()

    @classmethod
    def create(cls, data_dir: Path, *, clinic_name: str, admin_username: str,
               passphrase: str, kdf_target_s: float | None = None) -> tuple[VaultSession, str]:
        """Create the clinic vault; returns ``(session, recovery_key)``."""
        clinic_name = clinic_name.strip()
        if not clinic_name:
            raise ValidationError("The clinic needs a name.")
        username = check_username(admin_username)
        check_passphrase(passphrase)
        path = vault_path(Path(data_dir))
        if path.exists():
            raise VaultExists("A vault already exists in this data directory.")
        params = params_for_new_slot(kdf_target_s)
        data_key = random_key()
        recovery_key = new_recovery_key()
        user_slot = wrap(data_key, slot_id=accounts.user_slot_id(username), secret=passphrase,
                         params=params)
        recovery_slot = wrap(data_key, slot_id=accounts.RECOVERY_SLOT_ID,
                             secret=normalize_recovery_key(recovery_key), params=params)
        store = Store.create(path)
        cipher = RecordCipher(data_key)
        try:
            chain = AuditChain(cipher)
            store.state = VaultState(cipher)  # sealed at the first commit below
            with store.transaction() as conn:
                accounts.set_meta(conn, "clinic_name", clinic_name)
                accounts.set_meta(conn, "kdf_params", json.dumps(params.as_dict()))
                accounts.set_meta(conn, "record_blob_format", "2")  # no older blobs to upgrade
                user = accounts.insert_user(conn, username=username, role=Role.ADMIN)
                keyring.put_member_slot(conn, cipher, user_slot, username=username)
                keyring.put_member_slot(conn, cipher, recovery_slot, username=None)
                chain.append(conn, username=username, action="create vault")
                chain.append(conn, username=username, action=integrity.SEAL_ACTION)
                chain.append(conn, username=username, action="user change",
                             detail=f"added {username} (admin)")
                chain.append(conn, username=username, action="login")
            integrity.remember_generation(store, store.state)
        except BaseException:
            cipher.close()
            store.close()
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    path.with_name(path.name + suffix).unlink()
            raise
        session = cls(store=store, cipher=cipher, user=user, clinic_name=clinic_name)
        session._start()
        session.refresh_diagnosis_index()       # empty: kept from the first record on
        return session, recovery_key

    @classmethod
    def unlock(cls, data_dir: Path, *, username: str, passphrase: str,
               sleep: Callable[[float], None] = time.sleep, read_only: bool = False
               ) -> VaultSession:
        """Open the vault as ``username``. AuthError (audited, throttled) when refused.

        ``read_only``: a session that changes nothing in the vault (reports): no login or
        lock entry, no re-sealing, no format upgrade; only a refused passphrase is still
        recorded, as for any unlock."""
        store = Store.open(vault_path(Path(data_dir)))
        try:
            return cls._unlock_open_store(store, username=username, passphrase=passphrase,
                                          sleep=sleep, read_only=read_only)
        except BaseException:
            store.close()
            raise

    @classmethod
    def _unlock_open_store(cls, store: Store, *, username: str, passphrase: str,
                           sleep: Callable[[float], None], read_only: bool = False
                           ) -> VaultSession:
        with store.reading() as conn:
            delay = login_delay(pending_failures(conn))
        if delay:
            sleep(delay)
        name = normalize_username(username)
        with store.reading() as conn:
            user = accounts.get_user(conn, name) if is_valid_username(name) else None
            slot = accounts.get_slot(conn, accounts.user_slot_id(name)) if user else None
            dummy_params = slot_params(conn) if slot is None else FLOOR
        if user is None or not user.active or slot is None:
            wipe(derive_key(passphrase, new_salt(), dummy_params))  # similar timing either way
            cls._failed(store, user.username if user else UNKNOWN_USER)
        try:
            opened = open_slot(slot, secret=passphrase)
        except SlotOpenFailed:
            cls._failed(store, user.username)
        except SlotParamsInvalid:
            raise IntegrityError(SLOT_EDITED_MESSAGE) from None
        cipher = cls._open_cipher(store, opened, slot=slot, username=user.username)
        session = cls._finish_login(store, cipher, user, action="login", read_only=read_only)
        if session.read_only:
            return session
        try:   # after the integrity check, so the re-wrapped slot is sealed with the state
            upgrade_slot_if_weaker(store, user=user, slot=slot, passphrase=passphrase,
                                   cipher=cipher, legacy=opened.legacy)
        except BaseException:
            session.lock()
            raise
        return session

    @classmethod
    def recover(cls, data_dir: Path, *, recovery_key: str, username: str,
                new_passphrase: str, sleep: Callable[[float], None] = time.sleep) -> VaultSession:
        """Open with the recovery key and set a new passphrase for ``username``."""
        check_passphrase(new_passphrase)
        store = Store.open(vault_path(Path(data_dir)))
        try:
            with store.reading() as conn:
                delay = login_delay(pending_failures(conn))
                name = normalize_username(username)
                user = accounts.get_user(conn, name) if is_valid_username(name) else None
                slot = accounts.get_slot(conn, accounts.RECOVERY_SLOT_ID)
            if delay:
                sleep(delay)
            if slot is None or user is None or not user.active:
                cls._failed(store, user.username if user else UNKNOWN_USER,
                            message="The recovery key or user name is not correct.")
            try:
                opened = open_slot(slot, secret=normalize_recovery_key(recovery_key))
            except SlotOpenFailed:
                cls._failed(store, user.username,
                            message="The recovery key or user name is not correct.")
            except SlotParamsInvalid:
                raise IntegrityError(SLOT_EDITED_MESSAGE) from None
            cipher = cls._open_cipher(store, opened, slot=slot, username=user.username)
            try:
                with store.reading() as conn:
                    params = slot_params(conn)
                new_slot = wrap(opened.key, slot_id=accounts.user_slot_id(user.username),
                                secret=new_passphrase, params=params, epoch=opened.epoch)
            except BaseException:
                cipher.close()
                raise

            def set_passphrase(conn: sqlite3.Connection) -> None:
                keyring.put_member_slot(conn, cipher, new_slot, username=user.username)

            return cls._finish_login(store, cipher, user, action="recovery login",
                                     before_login=set_passphrase)
        except BaseException:
            store.close()
            raise

    @classmethod
    def _open_cipher(cls, store: Store, opened: OpenedSlot, *, slot: WrappedSlot,
                     username: str) -> RecordCipher:
        """The cipher for the key a slot opened; a slot from before a key rotation (or
        one the keyring never issued) is refused and audited like a failed login."""
        try:
            with store.reading() as conn:
                return keyring.open_cipher(conn, opened, slot=slot)
        except keyring.StaleKeySlot as exc:
            wipe(opened.key)
            cls._failed(store, username, message=exc.message)
        except BaseException:
            wipe(opened.key)
            raise

    @staticmethod
    def _failed(store: Store, username: str, *, message: str = AUTH_MESSAGE) -> NoReturn:
        with store.transaction() as conn:
            record_failed_login(conn, username=username)
        raise AuthError(message)

    @classmethod
    def _finish_login(cls, store: Store, cipher: RecordCipher, user: User, *, action: str,
                      before_login: Callable[[sqlite3.Connection], None] | None = None,
                      read_only: bool = False) -> VaultSession:
        """Check the vault against its sealed state, then (only if it is intact)
        write the login. A finding opens the session read-only, writing nothing
        (except, for a recovery, the new passphrase's slot)."""
        try:
            chain = AuditChain(cipher)
            state = VaultState(cipher)
            check = integrity.check_vault(store, state, chain)
            if not check.ok:
                log.warning("vault opened read-only: %d integrity finding(s)", len(check.findings))
                if before_login is not None:
                    with store.transaction() as conn:
                        before_login(conn)
            elif read_only:   # checked, nothing written (no sealed state: nothing to seal)
                pass
            else:
                store.state = state
                with store.transaction() as conn:
                    if check.unsealed:
                        chain.append(conn, username=user.username, action=integrity.SEAL_ACTION)
                        state.reseal(conn)
                    elif check.upgraded is not None:
                        chain.append(conn, username=user.username,
                                     action=integrity.UPGRADE_ACTION,
                                     detail="schema {} -> {}".format(*check.upgraded))
                        state.reseal(conn)
                    if before_login is not None:
                        before_login(conn)
                    chain.fold_pending(conn, by=user.username)
                    chain.append(conn, username=user.username, action=action)
                integrity.remember_generation(store, state)
            with store.reading() as conn:
                clinic = accounts.get_meta(conn, "clinic_name") or ""
        except BaseException:
            store.state = None
            cipher.close()
            raise
        session = cls(store=store, cipher=cipher, user=user, clinic_name=clinic, check=check,
                      read_only=read_only)
        session._start()
        return session

    def _upgrade_record_blobs(self) -> None:
        """Rewrite older record blobs in blob format 2 (resumable; see blob_upgrade)."""
        store = self._ctx.store
        if upgrade_done(store):
            self._ctx.repo.legacy_blobs = False
            return
        try:
            count = upgrade_blobs(store, self._ctx.repo)
        except VaultError as exc:   # e.g. a full disk: older blobs stay readable, resumed later
            log.warning("record format upgrade paused (%s)", type(exc).__name__)
            return
        with self.writing() as conn:
            self._ctx.log_event(conn, "upgrade record format", detail=f"{count} record(s)")
        self._ctx.repo.legacy_blobs = False

    def _start(self) -> None:
        """Finish an older vault's data upgrade and build the search index; lock
        again if that fails."""
        try:
            if not self.read_only:
                self._upgrade_record_blobs()
            self.records.rebuild_index()
        except BaseException:
            self.lock()
            raise

    # -- state ---------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self._ctx.locked

    @property
    def context(self) -> ServiceContext:
        """What services built beside this session's own receive; Locked once locked."""
        self._ctx.ensure_unlocked()
        return self._ctx

    def lock(self) -> None:
        """Audit the lock, wipe keys, drop the index, close the file. Idempotent."""
        if self._cipher is None or self._store is None:
            return
        try:
            if not self._ctx.read_only:
                with self._ctx.writing() as conn:
                    self._ctx.log_event(conn, "lock")
                if self._store.state is not None:
                    integrity.remember_generation(self._store, self._store.state)
        except Exception:  # noqa: BLE001 - locking must always succeed
            log.warning("could not record the lock in the audit trail")
        finally:
            self._store.state = None
            self.records.drop_index()
            self.followups.drop_index()
            self._ctx.close()
            self._cipher.close()
            self._cipher = None
            self._store.close()
            self._store = None

    # -- transactions (tests and scripts read through the session) ---------------
    def writing(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._ctx.writing()

    def reading(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._ctx.reading()

    # -- passphrase and backup ------------------------------------------------
    def change_passphrase(self, old: str, new: str) -> None:
        """Rewrite only this user's key slot under ``new``."""
        require(self.user, "passphrase.change")
        check_passphrase(new)
        slot_id = accounts.user_slot_id(self.user.username)
        with self.reading() as conn:
            slot = accounts.get_slot(conn, slot_id)
            params = slot_params(conn)
        if slot is None:
            raise AuthError("This account has no key slot; ask an administrator.")
        try:
            wipe(unwrap(slot, secret=old))
        except (SlotOpenFailed, TypeError) as exc:
            raise AuthError("The current passphrase is not correct.") from exc
        new_slot = self._ctx.wrap_data_key(slot_id=slot_id, secret=new, params=params)
        with self.writing() as conn:
            self._ctx.put_slot(conn, new_slot, username=self.user.username)
            self._ctx.log_event(conn, "change passphrase")

    def backup_to(self, path: Path, progress: Callable[[int, int], None] | None = None) -> Path:
        """Copy the (encrypted) vault to ``path`` with SQLite's online backup API."""
        require(self.user, "vault.backup")
        store = self._ctx.store
        target = store.backup_to(Path(path), progress=progress)
        with self.writing() as conn:
            self._ctx.log_event(conn, "backup")
        return target

    def bulk_insert(self, table: str, items: Iterable[dict], *, batch_size: int = 1000) -> int:
        """Insert many new records at once (imports, benchmarks); not audited per row."""
        require(self.user, "users.manage")
        store = self._ctx.store
        with store.transaction():
            count = self._ctx.repo.insert_many(store.db, table, items, batch_size=batch_size)
            self._ctx.log_event(store.conn, "bulk import", detail=f"{table}: {count}")
        if table == "patients":
            self.records.rebuild_index()
        return count

    def refresh_diagnosis_index(self, *, on_progress: Callable[[int, int], None] | None = None,
                                cancelled: Callable[[], bool] | None = None) -> int:
        """Build the sealed index of confirmed diagnoses, or bring it up to date (see
        :func:`lantern.services.diagnosis_index.refresh`); nothing in a read-only session."""
        if self._ctx.read_only:
            return 0
        return diagnosis_index.refresh(self._ctx, on_progress=on_progress, cancelled=cancelled)

    def raise_kdf(self, *, target_s: float | None = None, params: KdfParams | None = None
                  ) -> KdfParams:
        """Admin: stronger Argon2id parameters; each slot upgrades at its next unlock."""
        return raise_kdf(self._ctx, target_s=target_s, params=params)

    def rotate_recovery_key(self) -> str:
        """Admin: a new recovery key (returned, show it once); the old one stops working.
        The data key changes with it; re-encrypt afterwards (:meth:`reencrypt`)."""
        return rotate_recovery_key(self._ctx)

    def pending_reencryption(self) -> Progress | None:
        """Rows still under an earlier data key after a rotation (None: none)."""
        return pending_reencryption(self._ctx)

    def reencrypt(self, *, chunk_rows: int = CHUNK_ROWS,
                  on_progress: Callable[[int, int], None] | None = None,
                  after_chunk: Callable[[int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> ReencryptionReport:
        """Re-encrypt rows left under earlier keys, in resumable chunks (any user:
        it changes no record, only the key it is sealed with)."""
        return reencrypt(self._ctx, chunk_rows=chunk_rows, on_progress=on_progress,
                         after_chunk=after_chunk, cancelled=cancelled)

    def integrity_problems(self) -> list[str]:
        return self._ctx.store.integrity_check()

    @property
    def read_only(self) -> bool:
        """True when the unlock's integrity check found something (see ``integrity``), or
        the session was opened read-only (``unlock(read_only=True)``, e.g. for a report)."""
        return self._ctx.read_only

    def accept_integrity_findings(self) -> None:
        """Admin: record the findings in the audit trail, seal the vault as it is now,
        and make this session writable again."""
        require(self.user, "users.manage")
        if self.integrity.ok:
            return
        admins = self.integrity.sealed_admins
        if admins is not None and self.user.username not in admins:
            # the role in the users table may be the edit under review
            raise PermissionDenied("Only a user who was an administrator in the vault's "
                                   "sealed state may accept these findings.")
        store, cipher = self._ctx.store, self._cipher
        assert cipher is not None
        state = VaultState(cipher)
        integrity.accept_findings(store, state, AuditChain(cipher), self.integrity,
                                  username=self.user.username)
        store.state = state
        self._ctx.repo.state = state
        self.integrity = integrity.IntegrityCheck((), 0, self.integrity.vault_id)
        self._ctx.read_only = False
        self._upgrade_record_blobs()
