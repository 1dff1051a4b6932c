"""USB bundles: the events another laptop lacks, sealed and authenticated.

File layout: a magic line, then one JSON header line in clear (format version,
clinic id, bundle id, sending device id, the sender's clock when it wrote the
bundle), then one AES-GCM blob (the vault's blob crypto under the clinic's data
key) whose associated data is the magic and the header bytes. The blob holds the
sealed events and the sender's seen-vector. A flipped byte anywhere fails the
AES-GCM tag; a bundle of another clinic is named as such from its header; a
bundle already imported, or older than the last one imported from the same
laptop, is refused as a replay. Nothing of a refused bundle is applied.

The bundle is authenticated with the clinic's key: any laptop of the clinic can
write a valid bundle, nobody else can. Each event inside also carries the
signature of the laptop that wrote it, checked on import (``signing``).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag

from lantern.services.gc_pauses import few_gc_pauses
from lantern.services.roles import require
from lantern.services.sync.envelope import SealedEvent
from lantern.services.sync.events import (
    ApplyResult,
    Clock,
    SyncRefused,
    apply_events,
    clinic_id,
    device_id,
    last_clock,
    pending_events,
    publish_device_key,
    seen_vector,
    set_mark,
)
from lantern.vault.audit import now_iso
from lantern.vault.crypto import blob_epoch

if TYPE_CHECKING:
    from lantern.services.context import ServiceContext

MAGIC = b"LANTERN-SYNC-BUNDLE 1\n"
MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024
LAST_EXPORT, LAST_IMPORT = "usb.last_export", "usb.last_import"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    events: int
    bundle_id: str


def _peer_key(peer: str) -> str:
    return f"usb.peer.{peer}"


def export_bundle(ctx: ServiceContext, path: Path, *, peer: str | None = None) -> ExportResult:
    """Write the events ``peer`` lacks (by the seen-vector its last bundle brought;
    all events when unknown) to ``path``, a new file (written whole, then renamed)."""
    require(ctx.user, "sync.usb")
    path = Path(path)
    if path.exists():
        raise SyncRefused("The bundle file already exists; choose a new file name.")
    with ctx.writing() as conn:
        dev = device_id(conn)
        assert dev is not None
        publish_device_key(conn, ctx.repo.cipher, ctx.user.username)
        since = None
        if peer:
            row = conn.execute("SELECT value FROM sync_marks WHERE key = ?",
                               (_peer_key(peer),)).fetchone()
            since = json.loads(row[0]) if row else None
        events = pending_events(conn, since)
        clock = Clock(dev, last=last_clock(conn)).tick()
        bundle_id = secrets.token_hex(16)
        header = json.dumps({"v": 1, "clinic": clinic_id(conn), "bundle": bundle_id,
                             "device": dev, "hlc": str(clock)}, sort_keys=True).encode() + b"\n"
        body = json.dumps({"seen": seen_vector(conn), "events": [
            [e.event_id, e.device_id, e.hlc, base64.b64encode(e.ciphertext).decode()]
            for e in events]}, separators=(",", ":")).encode()
        # sealed under the oldest key an event inside needs: a laptop still on the key
        # a revocation replaced opens it, and the key.rotated event inside gives it the new one
        blob = ctx.repo.cipher.seal_raw(body, MAGIC + header, epoch=min(
            (blob_epoch(e.ciphertext) for e in events), default=None))
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "xb") as fh:
            fh.write(MAGIC + header + blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        set_mark(conn, LAST_EXPORT, now_iso())
        ctx.log_event(conn, "sync export", detail=f"{len(events)} event(s), bundle {bundle_id}")
    return ExportResult(path, len(events), bundle_id)


def import_bundle(ctx: ServiceContext, path: Path) -> ApplyResult:
    """Apply a bundle (same merge rules as any sync); SyncRefused and nothing
    applied if it is damaged, altered, replayed or from another clinic."""
    require(ctx.user, "sync.usb")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SyncRefused("The bundle file cannot be read.") from exc
    if len(data) > MAX_BUNDLE_BYTES or not data.startswith(MAGIC):
        raise SyncRefused("The file is not a Lantern sync bundle.")
    rest = data[len(MAGIC):]
    end = rest.find(b"\n")
    try:
        header = json.loads(rest[:end])
        assert isinstance(header, dict) and header.get("v") == 1
        clinic, bundle_id, peer, hlc = (str(header[k]) for k in ("clinic", "bundle", "device", "hlc"))
    except (ValueError, KeyError, AssertionError) as exc:
        raise SyncRefused("The sync bundle is damaged or was altered (bad header); "
                          "nothing was imported.") from exc
    with ctx.reading() as conn:
        mine, own = clinic_id(conn), device_id(conn, create=False)
        seen = conn.execute("SELECT 1 FROM sync_bundles WHERE bundle_id = ?", (bundle_id,)).fetchone()
        last = conn.execute("SELECT max(hlc) FROM sync_bundles WHERE device_id = ?",
                            (peer,)).fetchone()[0]
    if clinic != mine:
        raise SyncRefused("This bundle comes from another clinic; nothing was imported.")
    try:
        body = json.loads(ctx.repo.cipher.open_raw(rest[end + 1:], MAGIC + rest[:end + 1]))
        events = [SealedEvent(str(e[0]), str(e[1]), str(e[2]), base64.b64decode(e[3], validate=True))
                  for e in body["events"]]
        peer_seen = {str(k): str(v) for k, v in body["seen"].items()}
    except (InvalidTag, ValueError, KeyError, TypeError, IndexError) as exc:
        raise SyncRefused("The sync bundle is damaged or was altered; nothing was imported.") from exc
    if peer == own:
        raise SyncRefused("This bundle was written by this laptop; nothing was imported.")
    if seen:
        raise SyncRefused("This bundle was imported already; nothing was changed.")
    if last is not None and hlc <= last:
        raise SyncRefused("This bundle is older than the last one imported from that laptop "
                          "(a replayed bundle); nothing was imported.")
    # the events, the replay mark and the peer's vector: one transaction; the collector is
    # held back meanwhile, as for a server sync (its full collections stall the GUI thread)
    with few_gc_pauses(), ctx.writing() as conn:
        result = apply_events(ctx, events)
        conn.execute("INSERT INTO sync_bundles (bundle_id, device_id, hlc, imported_at)"
                     " VALUES (?, ?, ?, ?)", (bundle_id, peer, hlc, now_iso()))
        set_mark(conn, _peer_key(peer), json.dumps(peer_seen, sort_keys=True))
        set_mark(conn, LAST_IMPORT, now_iso())
        ctx.log_event(conn, "sync import", detail=f"bundle {bundle_id}: {result.applied} applied, "
                      f"{result.skipped} already held, {result.conflicts} conflict(s)")
    return result


def status(ctx: ServiceContext) -> dict:
    """Device id, events written here and not yet exported, last export/import."""
    require(ctx.user, "sync.usb")
    with ctx.reading() as conn:
        dev = device_id(conn, create=False)
        marks = dict(conn.execute("SELECT key, value FROM sync_marks"))
        last_export = marks.get(LAST_EXPORT)
        pending = conn.execute(
            "SELECT count(*) FROM sync_events WHERE device_id = ? AND stored_at > ?",
            (dev or "", last_export or "")).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM sync_events").fetchone()[0]
    return {"device_id": dev, "events": total, "pending_events": pending,
            "last_export": last_export, "last_import": marks.get(LAST_IMPORT)}
