"""The vault file: opening, checks, pragmas, transactions, backups.

One SQLite file per clinic. Before SQLite touches a file we read its header
ourselves, so a foreign file, a truncated copy or a vault written by a newer
Lantern is refused with a clear message and left byte-for-byte untouched.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlite_utils

from lantern.domain.errors import (
    NotAVault,
    StorageFull,
    VaultError,
    VaultExists,
    VaultNotFound,
    VaultTooNew,
)
from lantern.vault.schema import (
    APPLICATION_ID,
    RECORD_TABLES,
    SCHEMA_VERSION,
    migrate,
    schema_version,
)
from lantern.vault.state import VaultState, forget_changes

log = logging.getLogger(__name__)

VAULT_FILENAME = "lantern-vault.db"
_MAGIC = b"SQLite format 3\x00"
_SQLITE_FULL = 13
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_IOERR_WRITE = 778  # a short or refused write: no space, or a file size limit (EFBIG)
REQUIRED_TABLES = frozenset({"meta", "users", "key_slots", "audit_log", "pending_failures",
                             "vault_state", "followup_index", *RECORD_TABLES})


def vault_path(data_dir: Path) -> Path:
    return Path(data_dir) / VAULT_FILENAME


def _observe(path: Path) -> tuple[int, bytes, int | None]:
    """(file size, first 100 bytes, size of the write-ahead log or None). The log is looked
    at first and the size last: a checkpoint of another connection of this process writes
    the header's page count before the pages, and deletes the log only after them."""
    try:
        wal_size: int | None = path.with_name(path.name + "-wal").stat().st_size
    except OSError:
        wal_size = None
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise VaultNotFound("No vault found in the data directory.") from exc
    except OSError as exc:
        raise VaultError(f"The vault file cannot be read ({errno.errorcode.get(exc.errno or 0, 'I/O error')}).") from exc
    return size, header, wal_size


def _truncated(size: int, header: bytes, wal_size: int | None, page_size: int) -> bool:
    change_counter = int.from_bytes(header[24:28], "big")
    page_count = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    # With a non-empty write-ahead log the header may already count pages that a
    # checkpoint interrupted by a crash had not yet written to the main file; SQLite
    # completes them from the log on open, so "shorter than the header says" is only
    # truncation when there is no log to recover from.
    recoverable = bool(wal_size)
    return bool(size % page_size or (change_counter == valid_for and not recoverable
                                     and size < page_count * page_size))


def check_header(path: Path) -> None:
    """Refuse files that are not (whole) Lantern vaults, without opening them in SQLite.

    A file seen while another connection of this process checkpoints can look short for a
    moment, so "truncated" is said only when two looks in a row agree."""
    seen = _observe(path)
    for _ in range(5):
        size, header, wal_size = seen
        if len(header) < 100 or not header.startswith(_MAGIC):
            raise NotAVault("The vault file is not a Lantern vault (it is not an SQLite database).")
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        if page_size < 512 or page_size & (page_size - 1):
            raise NotAVault("The vault file is damaged (bad page size in its header).")
        if not _truncated(size, header, wal_size, page_size):
            break
        again = _observe(path)
        if again == seen:
            raise NotAVault("The vault file is truncated; restore it from a backup.")
        seen = again
    else:
        raise NotAVault("The vault file is truncated; restore it from a backup.")
    _, header, wal_size = seen
    has_wal = wal_size is not None
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID and not (app_id == 0 and has_wal):
        raise NotAVault("The file is an SQLite database but not a Lantern vault.")
    if int.from_bytes(header[60:64], "big", signed=True) > SCHEMA_VERSION:
        raise VaultTooNew(
            "This vault was written by a newer version of Lantern; update Lantern to open it."
        )


# Lantern's own statements meet its own schema: these mean the stored schema text changed.
_SCHEMA_DAMAGE = re.compile(r"^(?:malformed database schema|no such (?:column|table))")
DAMAGED_MESSAGE = "The vault file is damaged; run 'lantern vault verify' or restore a backup."


def storage_error(exc: BaseException) -> VaultError | None:
    """Map a low-level error to a typed, patient-data-free error (or None)."""
    if isinstance(exc, sqlite3.Error):
        return sqlite_error(exc)
    if isinstance(exc, UnicodeDecodeError):   # SQLite reporting a damaged schema text
        return NotAVault(DAMAGED_MESSAGE)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return StorageFull("The disk is full: the last change was not saved. "
                           "Free some space; everything saved before is intact.")
    return None


def sqlite_error(exc: sqlite3.Error) -> VaultError:
    """The typed, patient-data-free error for an SQLite error (every one has one)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF == _SQLITE_FULL:
        return StorageFull("The disk is full: the last change was not saved. "
                           "Free some space; everything saved before is intact.")
    if code == _SQLITE_IOERR_WRITE:
        return StorageFull("The vault could not be written (the disk is full or the file reached "
                           "its size limit): the last change was not saved; everything saved "
                           "before is intact.")
    if (code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)) or (
            _SCHEMA_DAMAGE.search(str(exc))):
        return NotAVault(DAMAGED_MESSAGE)
    name = getattr(exc, "sqlite_errorname", type(exc).__name__)
    return VaultError(f"The vault could not complete the operation ({name}).")


class Store:
    """An open vault file. Thread-safe: one connection behind a re-entrant lock."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        self._lock = threading.RLock()
        self._depth = 0
        # set by the session once the sealed state was verified: every write
        # transaction then re-seals it before COMMIT (lantern.vault.state)
        self.state: VaultState | None = None

    # -- opening -----------------------------------------------------------
    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=15)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    @classmethod
    def create(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(path.parent, 0o700)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError as exc:
            raise VaultExists("A vault already exists in this data directory.") from exc
        os.close(fd)
        try:
            conn = cls._connect(path)
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException as exc:
            with contextlib.suppress(OSError):
                path.unlink()
            mapped = storage_error(exc)
            if mapped is not None:
                raise mapped from exc
            raise
        return cls(path, conn)

    @classmethod
    def open(cls, path: Path) -> Store:
        check_header(path)
        try:
            conn = cls._connect(path)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise storage_error(exc) or VaultError("The vault cannot be opened.") from exc
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise NotAVault("The file is an SQLite database but not a Lantern vault.")
            version = schema_version(conn)
            if version > SCHEMA_VERSION:
                raise VaultTooNew(
                    "This vault was written by a newer version of Lantern; update Lantern to open it."
                )
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            applied = migrate(conn)
            if applied:
                log.info("vault upgraded to schema %d", SCHEMA_VERSION)
            missing = REQUIRED_TABLES - set(sqlite_utils.Database(conn, execute_plugins=False)
                                            .table_names())
            if missing:
                raise NotAVault("The vault file is damaged (tables are missing); restore a backup.")
        except BaseException as exc:
            conn.close()
            mapped = storage_error(exc)
            if mapped is not None and not isinstance(exc, VaultError):
                raise mapped from exc
            raise
        return cls(path, conn)

    # -- transactions ------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE); nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise sqlite_error(exc) from exc
            self._depth = 1
            try:
                yield self.conn
                if self.state is not None:
                    self.state.seal(self.conn)
                self.conn.execute("COMMIT")
            except BaseException as exc:
                if self.state is not None:
                    self.state.discard_pending(self.conn)
                if self.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                mapped = storage_error(exc)
                if mapped is not None:
                    raise mapped from exc
                raise
            finally:
                self._depth = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self.conn
            except sqlite3.Error as exc:
                raise sqlite_error(exc) from exc

    # -- maintenance -------------------------------------------------------
    def integrity_check(self) -> list[str]:
        with self.reading() as conn:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def backup_to(self, target: Path, *, progress: Callable[[int, int], None] | None = None,
                  pages_per_step: int = 256) -> Path:
        """Copy the vault (still encrypted) with SQLite's online backup API.

        ``progress(done_pages, total_pages)`` is called after each step.
        """
        target = Path(target)
        if target.exists():
            raise VaultExists("The backup target already exists; choose a new file name.")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dest = sqlite3.connect(target)
        try:
            def _step(status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            with self._lock:
                self.conn.backup(dest, pages=pages_per_step, progress=_step)
            dest.execute("PRAGMA journal_mode = WAL")
        except BaseException as exc:
            dest.close()
            with contextlib.suppress(OSError):
                target.unlink()
            mapped = storage_error(exc)
            if mapped is not None:
                raise mapped from exc
            raise
        dest.close()
        return target

    def close(self) -> None:
        with self._lock:
            forget_changes(self.conn)
            try:
                self.conn.close()
            except sqlite3.Error:  # pragma: no cover - closing is best effort
                log.warning("vault connection did not close cleanly")
