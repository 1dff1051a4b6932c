"""Sync with the clinic's server: the event log (``events.py``) over the CouchDB
transport (``couch.py``), in one function (issue 18, parts 2 and 5).

:func:`sync_with_server`:

1. **Push.** The outbox is every event stored here after the *push mark* (a local
   ``sync_events.seq``), own events and events received by USB alike; page by page
   the transport stores on the server those it lacks (``_revs_diff``, so a page
   sent twice after a dropped link stores nothing new), and the mark moves past a
   page only after the server acknowledged it.
2. **Pull.** ``_changes`` pages after the stored server checkpoint; each page is
   applied with :func:`events.apply_events` and its checkpoint stored in the SAME
   transaction, so a sync cut anywhere resumes from the last applied page and an
   event is never half applied. Events that came from the server need not go back:
   when everything before them was pushed already the push mark moves past them.
3. **Audit.** One entry per sync (also for a failed one) with counts and an opaque
   server key only; :func:`events.apply_events` audits every applied event.

Marks are kept per server (``sha256(url/database)``, so pointing a laptop at
another server starts that server's checkpoints afresh) in ``sync_marks``.
Nothing here writes the vault outside ``ServiceContext.writing`` and nothing
here holds a key: the transport carries sealed events only.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lantern.domain.errors import LanternError
from lantern.services.gc_pauses import few_gc_pauses
from lantern.services.roles import require
from lantern.services.sync.couch import CouchTransport, ServerAccount
from lantern.services.sync.envelope import SealedEvent
from lantern.services.sync.events import (
    DEVICE_NAME_KEY,
    ApplyResult,
    apply_events,
    device_id,
    events_after,
    get_mark,
    publish_device_key,
    set_mark,
)
from lantern.vault import accounts
from lantern.vault.audit import now_iso

if TYPE_CHECKING:
    from lantern.services.context import ServiceContext

ACTION = "sync.server"
AUDIT_ACTION = "sync server"
LAST_SERVER_SYNC = "server.last_sync"      # ISO time of the last complete server sync
LAST_SERVER = "server.last"                # key of the server that sync used
MAX_DEVICE_NAME = 60

# progress(phase, done, total): phase "push" (total known) or "pull" (total None)
Progress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class ServerSyncResult:
    pushed: int          # events the server stored from this laptop in this sync
    pulled: int          # other laptops' events read from the server
    applied: int         # of those, new to this vault and applied
    conflicts: int       # values kept in history after losing a concurrent edit
    finished_at: str
    revoked: int = 0     # events of a revoked laptop refused (docs/sync.md, "Revoking")
    unverified: int = 0  # events refused for their signature (docs/sync.md, "Signatures")
    rekeyed: int = 0     # the key epoch a key.rotated event from the server moved this vault to

    def summary(self) -> str:
        return (f"sync: {self.pushed} event(s) sent, {self.pulled} received, "
                f"{self.applied} applied, {self.conflicts} conflicting value(s) kept in history"
                + (f", {self.revoked} event(s) of a revoked laptop refused" if self.revoked
                   else "")
                + (f", {self.unverified} event(s) refused for a missing or wrong signature or "
                   "a laptop no laptop of this clinic enrolled" if self.unverified else "")
                + (f"; the clinic's new data key was received (key epoch {self.rekeyed})"
                   if self.rekeyed else ""))


def server_key(where: str) -> str:
    """The opaque key of a server's marks: no address in the vault's sync tables."""
    return hashlib.sha256(where.encode()).hexdigest()[:16]


def _push_key(key: str) -> str:
    return f"server.{key}.pushed_seq"


def _pull_key(key: str) -> str:
    return f"server.{key}.checkpoint"


def _max_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM sync_events").fetchone()[0])


def _pushed_seq(conn: sqlite3.Connection, key: str) -> int:
    value = get_mark(conn, _push_key(key))
    return int(value) if value and value.isdigit() else 0


def pending_count(conn: sqlite3.Connection, key: str | None) -> int:
    """Events stored here after the push mark of server ``key`` (all, if never synced)."""
    seq = _pushed_seq(conn, key) if key else 0
    return int(conn.execute("SELECT count(*) FROM sync_events WHERE seq > ?", (seq,)).fetchone()[0])


def transport_for(ctx: ServiceContext, account: ServerAccount, **options: object
                  ) -> CouchTransport:
    """The transport of this laptop (its device id: its own events are not pulled back)."""
    with ctx.reading() as conn:
        dev = device_id(conn, create=False)
    if dev is None:
        with ctx.writing() as conn:     # a vault that never wrote an event gets its id now
            dev = device_id(conn)
    assert dev is not None
    return CouchTransport(account, device_id=dev, **options)  # type: ignore[arg-type]


def sync_with_server(ctx: ServiceContext, transport: CouchTransport, *,
                     progress: Progress | None = None) -> ServerSyncResult:
    """Push what the server lacks, pull and apply what is new; see the module text.

    Raises the transport's :class:`~lantern.services.sync.couch.SyncServerError`
    (nothing acknowledged is lost, the next sync resumes) or
    :class:`~lantern.services.sync.events.SyncRefused` (a page that failed its
    authenticity check: nothing of it applied). The vault stays usable either way.
    """
    require(ctx.user, ACTION)
    key = server_key(transport.account.where)
    report = progress or (lambda phase, done, total: None)
    counts = {"pushed": 0, "pulled": 0, "applied": 0, "conflicts": 0, "revoked": 0, "unverified": 0,
              "rekeyed": 0}
    try:
        transport.check()
        with ctx.writing() as conn:     # the server whose pending count the status shows
            set_mark(conn, LAST_SERVER, key)
            publish_device_key(conn, ctx.repo.cipher, ctx.user.username)
        with few_gc_pauses():   # its full collections stalled the GUI thread 100-200 ms
            _push(ctx, transport, key, counts, report)
            _pull(ctx, transport, key, counts, report)
    except LanternError as exc:
        _audit(ctx, key, counts, failed=type(exc).__name__)
        raise
    finished = now_iso()
    with ctx.writing() as conn:
        set_mark(conn, LAST_SERVER_SYNC, finished)
        _log(ctx, conn, key, counts, failed=None)
    return ServerSyncResult(finished_at=finished, **counts)


def _push(ctx: ServiceContext, transport: CouchTransport, key: str, counts: dict[str, int],
          report: Progress) -> None:
    with ctx.reading() as conn:
        seq = _pushed_seq(conn, key)
        total = pending_count(conn, key)
    done = 0
    report("push", 0, total)
    while True:
        with ctx.reading() as conn:
            page, after = events_after(conn, seq, limit=transport.page_size)
        if not page:
            return
        result = transport.push(page)
        with ctx.writing() as conn:     # acknowledged by the server: never sent again
            set_mark(conn, _push_key(key), str(after))
        counts["pushed"] += result.sent
        seq = after
        done += len(page)
        report("push", min(done, total), total)


def _pull(ctx: ServiceContext, transport: CouchTransport, key: str, counts: dict[str, int],
          report: Progress) -> None:
    with ctx.reading() as conn:
        checkpoint = get_mark(conn, _pull_key(key))
    report("pull", 0, None)
    # events signed by a laptop whose device.key is not here yet ride along with the
    # next pages (one upload's documents need not keep their order in ``_changes``);
    # the checkpoint stays before them until they are applied, so a cut sync reads
    # them again; those still unknown at the end are refused (``unverified``)
    carried: list[SealedEvent] = []
    last: str | None = None
    for events, new in transport.pull_pages(checkpoint):
        with ctx.writing() as conn:     # the page, its checkpoint, the push mark: one transaction
            before = _max_seq(conn)
            caught_up = _pushed_seq(conn, key) >= before
            if events or carried:
                result = apply_events(ctx, carried + events, skip_refused=True, defer_unknown=True)
                _count(counts, result)
                carried = result.deferred
            last = new if new is not None else last
            if new is not None and not carried:
                set_mark(conn, _pull_key(key), new)
            if caught_up:   # what was just stored came from the server: nothing to send back
                set_mark(conn, _push_key(key), str(_max_seq(conn)))
        counts["pulled"] += len(events)
        report("pull", counts["pulled"], None)
    if carried:
        with ctx.writing() as conn:
            _count(counts, apply_events(ctx, carried, skip_refused=True))
            if last is not None:
                set_mark(conn, _pull_key(key), last)


def _count(counts: dict[str, int], result: ApplyResult) -> None:
    counts["applied"] += result.applied
    counts["conflicts"] += result.conflicts
    counts["revoked"] += result.revoked
    counts["unverified"] += result.unverified
    counts["rekeyed"] = result.rekeyed or counts["rekeyed"]


def _log(ctx: ServiceContext, conn: sqlite3.Connection, key: str, counts: dict[str, int], *,
         failed: str | None) -> None:
    detail = (f"server {key}: {counts['pushed']} sent, {counts['pulled']} received, "
              f"{counts['applied']} applied, {counts['conflicts']} conflict(s)")
    if counts.get("revoked"):
        detail += f", {counts['revoked']} of a revoked laptop refused"
    if counts.get("unverified"):
        detail += f", {counts['unverified']} refused for their signature"
    if counts.get("rekeyed"):
        detail += f", new data key received (key epoch {counts['rekeyed']})"
    if failed:
        detail += f"; stopped: {failed}"
    ctx.log_event(conn, AUDIT_ACTION, detail=detail)


def _audit(ctx: ServiceContext, key: str, counts: dict[str, int], *, failed: str) -> None:
    """The audit entry of a sync that stopped (best effort: a read-only or locked
    vault cannot take it, and the sync's own error is what the user must see)."""
    try:
        with ctx.writing() as conn:
            _log(ctx, conn, key, counts, failed=failed)
    except LanternError:
        pass


# -- status and the device name ------------------------------------------------------------
def server_status(ctx: ServiceContext) -> dict:
    """Last complete server sync and the events not yet sent to that server."""
    require(ctx.user, ACTION)
    with ctx.reading() as conn:
        key = get_mark(conn, LAST_SERVER)
        return {"last_server_sync": get_mark(conn, LAST_SERVER_SYNC),
                "server_pending_events": pending_count(conn, key),
                "device_name": accounts.get_meta(conn, DEVICE_NAME_KEY) or ""}


def set_device_name(ctx: ServiceContext, name: str) -> str:
    """Name this laptop as other laptops see it ("also changed on laptop X")."""
    require(ctx.user, ACTION)
    clean = " ".join(name.split())[:MAX_DEVICE_NAME]
    with ctx.writing() as conn:
        device_id(conn)
        if (accounts.get_meta(conn, DEVICE_NAME_KEY) or "") != clean:
            accounts.set_meta(conn, DEVICE_NAME_KEY, clean)
            ctx.log_event(conn, "sync device name", detail=f"{len(clean)} character(s)")
    return clean
