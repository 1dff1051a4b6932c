"""The GUI's sync in a process of its own (issue 18: the GUI never stalls over 50 ms).

Run in a thread of the GUI's process, the sync shared the GUI's interpreter lock:
whenever the kernel took the thread that held it off a busy CPU, the GUI thread waited
with it (gaps of 88-150 ms under load, docs/sync.md "The GUI during a sync"). Here one
sync — :func:`~lantern.services.sync.server.sync_with_server`, or a USB bundle's
export or import (:mod:`~lantern.services.sync.bundle`), the very calls the CLI makes
(:func:`run_job`) — runs in a child process (``multiprocessing``, spawn: a fresh
interpreter), and the GUI's "sync" lane only waits on the pipe
(:func:`run_in_process`).

The child opens the same vault file itself (SQLite WAL; each write is a ``BEGIN
IMMEDIATE`` transaction that re-seals the stored vault state and appends to the audit
chain read from the file, so the GUI's own writes interleave with the sync's pages,
waiting at most for one page's transaction). The session's data keys reach it only
through the pipe (:mod:`lantern.services.child_keys`); it wipes them when it ends and
writes no login or lock entry (the user's session goes on). What it reports:
progress ``(phase, done, total)`` after each page, the new data key when a
``key.rotated`` event from another laptop moved the vault to it (the GUI's session
adopts it at once, as the in-process sync did), then the result, or the error as its
class and, for Lantern's own errors, its message (never another error's text: it may
hold patient data).

:func:`prestart` starts the next sync's process ahead (Settings → Sync shown): it
imports the sync services and waits, holding no key and no vault file until a sync
takes it. Cancel (or a lock) asks the child to stop between pages, as before; if it has not
ended :data:`STOP_WAIT_S` later it is killed. A kill at any point loses no
acknowledged event and applies no half event: each page, with its checkpoint, is
one transaction (tests/unit/sync_couch/test_sync_process.py). The child also ends
itself when its pipe closes before it finished (the GUI process gone).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from lantern.domain.errors import Cancelled, LanternError, Locked
from lantern.domain.records import User
from lantern.services.child_keys import error_of, error_reply, receive_cipher, send_cipher
from lantern.services.context import ServiceContext
from lantern.services.sync.couch import ServerAccount
from lantern.services.sync.server import Progress
from lantern.vault.crypto import RecordCipher
from lantern.vault.store import Store

STOP_WAIT_S = 3.0      # after a cancel: the time the child has to stop between pages
POLL_S = 0.1           # the lane's wait on the pipe between looks at the cancel flag
REAP_S = 5.0
CANCELLED_MESSAGE = "The operation was cancelled."
ENDED_MESSAGE = ("The sync process ended unexpectedly (exit code {code}); nothing acknowledged "
                 "is lost and the next sync continues.")
UNEXPECTED_MESSAGE = ("The sync stopped: something unexpected went wrong ({kind}). Nothing "
                      "acknowledged is lost and the next sync continues.")


@dataclass(frozen=True)
class ServerJob:
    """Sync with the clinic's server (``lantern sync --server``)."""
    account: ServerAccount
    retries: int = 5


@dataclass(frozen=True)
class ExportJob:
    """Write a USB bundle (``lantern sync export FILE``)."""
    path: Path
    peer: str | None = None


@dataclass(frozen=True)
class ImportJob:
    """Apply a USB bundle (``lantern sync import FILE``)."""
    path: Path


SyncJob = ServerJob | ExportJob | ImportJob


def run_job(ctx: ServiceContext, job: SyncJob, progress: Progress | None = None) -> Any:
    """Do ``job`` on ``ctx`` with the sync services (the child's work; also usable in
    the calling process)."""
    from lantern.services.sync.bundle import export_bundle, import_bundle
    from lantern.services.sync.server import sync_with_server, transport_for

    if isinstance(job, ServerJob):
        with transport_for(ctx, job.account, retries=job.retries) as transport:
            return sync_with_server(ctx, transport, progress=progress)
    if isinstance(job, ExportJob):
        return export_bundle(ctx, job.path, peer=job.peer)
    return import_bundle(ctx, job.path)


# -- the GUI's side -------------------------------------------------------------------
def run_in_process(ctx: ServiceContext, job: SyncJob, *, progress: Progress | None = None,
                   cancelled: Callable[[], bool] = lambda: False,
                   started: Callable[[int], None] | None = None) -> Any:
    """Run ``job`` in a new sync process on the vault of ``ctx`` (its file, user and
    keys) and return its result; raises its error. Blocks the calling thread (the
    GUI's "sync" lane, never the GUI thread) on the pipe; ``cancelled()`` is looked at
    every :data:`POLL_S`. ``started(pid)`` is told the child's process id."""
    process, parent = _take()
    try:
        send_cipher(parent, ctx.repo.cipher, {"path": str(ctx.store.path), "user": ctx.user,
                                              "read_only": ctx.read_only, "job": job})
        if started is not None and process.pid is not None:
            started(process.pid)
        return _wait(ctx, parent, process, progress, cancelled)
    except (EOFError, OSError) as exc:
        _reap(process)
        raise LanternError(ENDED_MESSAGE.format(code=process.exitcode)) from exc
    finally:
        parent.close()
        _reap(process)
        process.close()


# A sync process started ahead of a sync (Settings → Sync shown): it has imported the
# sync services and waits for its opening message, holding no key and no vault file.
_spare: tuple[BaseProcess, Connection] | None = None
_spare_lock = threading.Lock()


def _spawn() -> tuple[BaseProcess, Connection]:
    spawn = multiprocessing.get_context("spawn")
    parent, child = spawn.Pipe()
    process = spawn.Process(target=serve, args=(child,), name="lantern-sync", daemon=True)
    process.start()
    child.close()
    return process, parent


def prestart() -> None:
    """Start the next sync's process now, so that a sync started soon does not wait
    for a fresh interpreter to import the sync services (about 1 s; more under load).
    It receives keys and a job only when :func:`run_in_process` takes it."""
    global _spare
    with _spare_lock:
        if _spare is not None and _spare[0].is_alive():
            return
    spare = _spawn()                 # outside the lock: discard_spare never waits on a start
    with _spare_lock:
        old, _spare = _spare, spare
    if old is not None:
        _end(*old)


def discard_spare() -> None:
    """End a process :func:`prestart` started (a lock, the window closed)."""
    global _spare
    with _spare_lock:
        old, _spare = _spare, None
    if old is not None:
        _end(*old)


def _take() -> tuple[BaseProcess, Connection]:
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is not None:
        if spare[0].is_alive():
            return spare
        _end(*spare)
    return _spawn()


def _end(process: BaseProcess, conn: Connection) -> None:
    conn.close()                 # it holds nothing: its pipe closed, it ends
    process.kill()
    process.join(REAP_S)
    process.close()


def _wait(ctx: ServiceContext, conn: Connection, process: BaseProcess,
          progress: Progress | None, cancelled: Callable[[], bool]) -> Any:
    stop_by: float | None = None
    while True:
        if stop_by is None and cancelled():
            try:
                conn.send(("cancel",))
            except OSError:
                pass
            stop_by = time.monotonic() + STOP_WAIT_S
        if stop_by is not None and time.monotonic() > stop_by:
            process.kill()              # as safe as any kill -9 of a sync
            raise Cancelled(CANCELLED_MESSAGE)
        if not conn.poll(POLL_S):
            continue
        message = conn.recv()
        kind = message[0]
        if kind == "progress":
            if progress is not None and stop_by is None:
                progress(*message[1:])
        elif kind == "rekeyed":
            _adopt_key(ctx, conn)
        elif kind == "done":
            return message[1]
        elif kind == "error":
            raise error_of(message[1], message[2], otherwise=UNEXPECTED_MESSAGE)


def _adopt_key(ctx: ServiceContext, conn: Connection) -> None:
    """The child moved the vault to a new data key (a ``key.rotated`` event for this
    laptop, committed): the GUI's session takes it too, so its next write is under it."""
    header = conn.recv()
    new = receive_cipher(conn, header)
    try:
        cipher = ctx.repo.cipher
        if new.epoch > cipher.epoch:
            with ctx.reading():          # between two of the session's transactions
                cipher.adopt(new)
    except Locked:                       # locked meanwhile: the next unlock reads the keyring
        pass
    finally:
        new.close()


def _reap(process: BaseProcess) -> None:
    process.join(REAP_S)
    if process.is_alive():
        process.kill()
        process.join(REAP_S)


# -- the child ------------------------------------------------------------------------
def serve(conn: Connection) -> None:
    """The sync process: open the vault with the keys read from ``conn``, run the job,
    send back progress, a new key, and the result or error."""
    from lantern.services import diagnosis_index  # noqa: F401 - imported before a job comes
    from lantern.services.sync import bundle, events  # noqa: F401 - (a process started ahead)
    from lantern.vault import keyring

    try:
        opening = conn.recv()
        cipher = receive_cipher(conn, opening)
    except (EOFError, OSError):
        return
    stop = threading.Event()
    finished = threading.Event()
    send_lock = threading.Lock()

    def watch() -> None:
        """Reads the pipe: a cancel, or its close by a GUI process that is gone."""
        try:
            while True:
                if conn.recv() == ("cancel",):
                    stop.set()
        except (EOFError, OSError):
            if not finished.is_set():
                os._exit(1)             # as a kill -9: nothing half applied, nothing acknowledged lost

    threading.Thread(target=watch, name="lantern-sync-pipe", daemon=True).start()
    epoch = cipher.epoch
    ctx: ServiceContext | None = None

    def send(message: tuple[Any, ...]) -> None:
        with send_lock:
            conn.send(message)

    def key_changed() -> None:
        """Hand a new data key on once the file names it (committed: a page that
        rolled back after taking a key leaves the file, and the GUI, on the old one)."""
        nonlocal epoch
        if ctx is None or cipher.closed or cipher.epoch == epoch:
            return
        with ctx.reading() as db:
            stored = keyring.stored_epoch(db)
        if stored == cipher.epoch:
            with send_lock:
                conn.send(("rekeyed",))
                send_cipher(conn, cipher, {})
            epoch = cipher.epoch

    def report(phase: str, done: int, total: int | None) -> None:
        if stop.is_set():
            raise Cancelled(CANCELLED_MESSAGE)     # between pages, as the lane's cancel did
        key_changed()
        send(("progress", phase, done, total))

    store: Store | None = None
    try:
        try:
            store = Store.open(Path(opening["path"]))
            ctx = _context(store, cipher, opening["user"], read_only=bool(opening["read_only"]))
            result = run_job(ctx, opening["job"], report)
            key_changed()
            reply: tuple[Any, ...] = ("done", _slim(result))
        except Exception as exc:  # noqa: BLE001 - every failure goes back, without data
            key_changed_safely(key_changed)
            reply = ("error", *error_reply(exc))
        finished.set()
        send(reply)
    except (EOFError, OSError):
        pass
    finally:
        if ctx is not None:
            ctx.close()
        cipher.close()
        if store is not None:
            store.close()


def _context(store: Store, cipher: RecordCipher, user: User, *, read_only: bool
             ) -> ServiceContext:
    """The services' view of the vault the GUI's session unlocked and checked, wired as
    ``VaultSession`` wires its own (every write re-seals the stored state, becomes a
    sealed event and updates the diagnosis index), without a second check, a login
    entry or a search index; closed without a lock entry (the user's session goes on)."""
    from lantern.services import diagnosis_index
    from lantern.services.sync.events import EventRecorder
    from lantern.vault.state import VaultState

    if not read_only:
        store.state = VaultState(cipher)
    ctx = ServiceContext(store=store, cipher=cipher, user=user, read_only=read_only)
    ctx.repo.recorder = EventRecorder(cipher, user.username)
    ctx.repo.index = diagnosis_index.IndexKeeper(ctx.repo)
    return ctx


def key_changed_safely(key_changed: Callable[[], None]) -> None:
    """After a failure the key may still have moved on (a page that committed it)."""
    try:
        key_changed()
    except Exception:  # noqa: BLE001 - the error reply matters more
        pass


def _slim(result: Any) -> Any:
    """What the GUI needs of a result: an import's deferred events stay here."""
    if hasattr(result, "deferred") and isinstance(result.deferred, list):
        result.deferred = []
    return result
