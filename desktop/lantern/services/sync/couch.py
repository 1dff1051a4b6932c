"""Sync transport over the CouchDB replication protocol (issue 18, part 2).

Moves :class:`~lantern.services.sync.envelope.SealedEvent` s between this laptop
and the clinic's database on an Apache CouchDB 3 server (or anything speaking its
protocol, such as pouchdb-server in the tests), through the ``ibmcloudant``
client library (see docs/ARCHITECTURE.md, "Sync").

A server document is exactly ``{_id: event_id, device, hlc, ct}`` (``ct`` = the
ciphertext in base64): opaque ids, a clock and ciphertext, nothing else. Its
revision is derived from its content (``1-`` + 32 hex digits of SHA-256), so the
push works like CouchDB's own replicator: ``_revs_diff`` tells which events the
server lacks, ``_bulk_docs`` with ``new_edits=false`` stores exactly those, and
sending an event again (after a dropped link, or from another laptop that relays
it) stores nothing new. Pull reads ``_changes`` from a checkpoint; the caller
saves the new checkpoint only after it applied the page (``sync_once``).

Every failure becomes a :class:`SyncServerError` with one clear line that names
the server but never the password; the local vault is never touched here.
Dropped links, timeouts and busy answers (429, 5xx) are retried with
exponential backoff and jitter before giving up.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import requests
from ibm_cloud_sdk_core import ApiException
from ibm_cloud_sdk_core.authenticators import BasicAuthenticator
from ibmcloudant.cloudant_v1 import BulkDocs, CloudantV1, Document

from lantern.domain.errors import LanternError
from lantern.services.sync.envelope import SealedEvent

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DOC_KEYS = frozenset({"_id", "_rev", "device", "hlc", "ct", "_revisions"})


class SyncServerError(LanternError):
    """The sync server could not be used; nothing local was changed."""

    exit_code = 5


class SyncUnreachable(SyncServerError):
    """No answer: wrong address, server down, or the link dropped for good."""


class SyncTlsError(SyncServerError):
    """The TLS handshake failed (untrusted certificate, or not HTTPS)."""


class SyncAuthRefused(SyncServerError):
    """Wrong device credentials, or the device was revoked."""

    exit_code = 3


class SyncNotFound(SyncServerError):
    """No such database or document on the server (HTTP 404)."""


class SyncServerFull(SyncServerError):
    """The server has no room for the upload (full disk or size limit)."""


@dataclass(frozen=True)
class ServerAccount:
    """Where the clinic's database is and this laptop's login to it."""

    url: str
    database: str
    username: str
    password: str = field(repr=False)
    ca_file: str | None = None   # a district server's own certificate authority

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SyncServerError(
                f"Sync server address must start with https:// and name a host, not {self.url!r}.")
        if parts.username or parts.password:
            raise SyncServerError(
                "Put the sync login in the credentials file, not in the server address.")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise SyncServerError(
                f"Sync server {parts.hostname} must be reached over https:// "
                "(plain http is allowed only on this machine).")
        if not self.database or not self.username or not self.password:
            raise SyncServerError("The sync credentials need a database, a user name and a password.")

    @property
    def where(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/{self.database}"


class CheckpointStore(Protocol):
    """Where the last ``_changes`` sequence read from a server is kept."""

    def load(self) -> str | None: ...

    def save(self, checkpoint: str) -> None: ...


class MemoryCheckpoints:
    """Checkpoints held in memory (the event store persists them in the vault)."""

    def __init__(self, checkpoint: str | None = None) -> None:
        self.checkpoint = checkpoint

    def load(self) -> str | None:
        return self.checkpoint

    def save(self, checkpoint: str) -> None:
        self.checkpoint = checkpoint


@dataclass(frozen=True)
class PushResult:
    sent: int          # stored on the server by this push
    already: int       # the server had them already


@dataclass(frozen=True)
class SyncReport:
    pushed: PushResult
    pulled: int
    checkpoint: str | None


def to_document(event: SealedEvent) -> dict[str, str]:
    """The server document of an event, with its content-derived revision."""
    body = {"_id": event.event_id, "device": event.device_id, "hlc": event.hlc,
            "ct": base64.b64encode(event.ciphertext).decode("ascii")}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return {**body, "_rev": "1-" + digest[:32]}


def from_document(doc: dict[str, Any]) -> SealedEvent | None:
    """The event a server document holds, or None if it is not one of ours."""
    if not set(doc) <= DOC_KEYS:
        return None
    fields = (doc.get("_id"), doc.get("device"), doc.get("hlc"), doc.get("ct"))
    if not all(isinstance(v, str) and v for v in fields):
        return None
    try:
        ciphertext = base64.b64decode(doc["ct"], validate=True)
    except (binascii.Error, ValueError):
        return None
    return SealedEvent(event_id=doc["_id"], device_id=doc["device"], hlc=doc["hlc"],
                       ciphertext=ciphertext)


class CouchTransport:
    """Push and pull sealed events to one clinic database on a CouchDB server."""

    def __init__(self, account: ServerAccount, *, device_id: str, timeout: float = 30.0,
                 retries: int = 5, backoff: float = 0.5, max_backoff: float = 30.0,
                 page_size: int = 1000, sleep: Callable[[float], None] = time.sleep) -> None:
        self.account = account
        self.device_id = device_id
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.page_size = page_size
        self._sleep = sleep
        self._client = CloudantV1(
            authenticator=BasicAuthenticator(account.username, account.password))
        self._client.set_service_url(account.url)
        http: dict[str, Any] = {"timeout": timeout}
        if account.ca_file:
            http["verify"] = account.ca_file
        self._client.set_http_config(http)

    def close(self) -> None:
        """Close the kept-alive connections to the server."""
        self._client.get_http_client().close()

    def __enter__(self) -> CouchTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the protocol -------------------------------------------------------

    def check(self) -> None:
        """Reach the server and the clinic database with this login, or explain why not."""
        self._call(lambda: self._client.get_database_information(db=self.account.database))

    def push(self, events: Iterable[SealedEvent]) -> PushResult:
        """Store on the server the events it lacks; events it has are not sent again."""
        docs = {e.event_id: to_document(e) for e in events}
        sent = 0
        ids = list(docs)
        for start in range(0, len(ids), self.page_size):
            page = {i: docs[i] for i in ids[start:start + self.page_size]}
            diff = self._call(partial(
                self._client.post_revs_diff, db=self.account.database,
                document_revisions={i: [d["_rev"]] for i, d in page.items()}))
            missing = [page[i] for i in page if i in (diff or {})]
            if not missing:
                continue
            bulk = BulkDocs(docs=[Document.from_dict(d) for d in missing], new_edits=False)
            answer = self._call(partial(
                self._client.post_bulk_docs, db=self.account.database, bulk_docs=bulk))
            errors = [r for r in (answer or []) if isinstance(r, dict) and r.get("error")]
            if errors:
                raise SyncServerError(
                    f"The sync server at {self.account.where} refused {len(errors)} of "
                    f"{len(missing)} events ({errors[0].get('error')}); they stay on this "
                    "laptop and are sent at the next sync.")
            sent += len(missing)
        return PushResult(sent=sent, already=len(docs) - sent)

    def pull(self, since: str | None = None, *, stop: threading.Event | None = None
             ) -> tuple[list[SealedEvent], str | None]:
        """One page of other laptops' events after ``since``, and the checkpoint after it.

        The page is empty (and the checkpoint unchanged) when there is nothing new.
        ``stop``: once set, a failed request is not retried.
        """
        answer = self._call(lambda: self._client.post_changes(
            db=self.account.database, since=since or "0", include_docs=True,
            limit=self.page_size), stop=stop)
        results = (answer or {}).get("results", [])
        events: list[SealedEvent] = []
        for row in results:
            doc = row.get("doc")
            if row.get("deleted") or not isinstance(doc, dict) or str(row.get("id", "")).startswith("_"):
                continue
            event = from_document(doc)
            if event is None:
                # an opaque id only: server documents carry no patient data
                log.warning("sync: skipped server document %s: not a sealed event",
                            str(row.get("id"))[:80])
                continue
            if event.device_id != self.device_id:
                events.append(event)
        checkpoint = str(answer["last_seq"]) if results and "last_seq" in answer else since
        return events, checkpoint

    def pull_pages(self, since: str | None = None) -> Iterator[tuple[list[SealedEvent], str | None]]:
        """Pages until the server has nothing newer; save each checkpoint after applying.

        While the caller applies a page, the next one is already being read (one
        request ahead, in a helper thread), so the server's work and this laptop's
        overlap. Nothing changes for the caller: pages come in order, a failed read
        is raised where the caller asks for that page, and a caller that stops early
        leaves the read ahead to end on its own (its retries stop at once)."""
        checkpoint = since
        stop = threading.Event()
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lantern-sync-pull")
        try:
            ahead = pool.submit(self.pull, checkpoint, stop=stop)
            while True:
                events, new = ahead.result()
                if new == checkpoint:
                    return
                checkpoint = new
                ahead = pool.submit(self.pull, checkpoint, stop=stop)
                yield events, checkpoint
        finally:
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)

    def sync_once(self, outgoing: Iterable[SealedEvent],
                  apply: Callable[[list[SealedEvent]], None],
                  checkpoints: CheckpointStore) -> SyncReport:
        """Push what is pending, then pull and apply what others wrote.

        A checkpoint is saved only after ``apply`` returned for its page, so a sync
        cut at any point is resumed from the last applied page.
        """
        pushed = self.push(outgoing)
        pulled = 0
        for events, checkpoint in self.pull_pages(checkpoints.load()):
            if events:
                apply(events)
            pulled += len(events)
            if checkpoint is not None:
                checkpoints.save(checkpoint)
        return SyncReport(pushed=pushed, pulled=pulled, checkpoint=checkpoints.load())

    # -- retries and messages -------------------------------------------------

    def _call(self, request: Callable[[], Any], *, stop: threading.Event | None = None) -> Any:
        delay = self.backoff
        for attempt in range(self.retries + 1):
            try:
                return request().get_result()
            except (requests.ConnectionError, requests.Timeout, ApiException) as exc:
                error = self._explain(exc)
                retryable = not isinstance(exc, requests.exceptions.SSLError) and (
                    not isinstance(exc, ApiException) or exc.status_code in RETRYABLE_STATUS)
            # raised outside the handler: the library's exception (its traceback holds the
            # request, its connection and the server's answer) is not kept as the context
            if not retryable or attempt == self.retries or (stop is not None and stop.is_set()):
                raise error
            log.info("sync: %s; retry %d of %d", type(error).__name__, attempt + 1,
                     self.retries)
            self._sleep(min(self.max_backoff, delay) * random.uniform(0.5, 1.0))
            delay *= 2
        raise AssertionError("unreachable")

    def _explain(self, exc: Exception) -> SyncServerError:
        where = self.account.where
        if isinstance(exc, requests.exceptions.SSLError):
            return SyncTlsError(
                f"TLS failed with the sync server at {where}: its certificate is not trusted "
                "here or it does not speak https. Check the address and the server's "
                "certificate; nothing was sent.")
        if isinstance(exc, requests.Timeout):
            return SyncUnreachable(
                f"The sync server at {where} did not answer in time; events stay on this "
                "laptop and are sent at the next sync.")
        if isinstance(exc, requests.ConnectionError):
            return SyncUnreachable(
                f"Cannot reach the sync server at {where}: check the address and the "
                "network; events stay on this laptop and are sent at the next sync.")
        assert isinstance(exc, ApiException)
        status = exc.status_code
        body = _error_body(exc)
        if status == 401:
            return SyncAuthRefused(
                f"The sync server at {where} refused the login {self.account.username!r}: "
                "wrong password, or this laptop's access was revoked.")
        if status == 403:
            return SyncAuthRefused(
                f"The login {self.account.username!r} may not use the clinic database at "
                f"{where}: ask the district administrator to add this laptop.")
        if status == 404:
            return SyncNotFound(
                f"No clinic database at {where}: check the server address and the "
                "database name in the credentials.")
        if status == 507 or "insufficient_storage" in body or "enospc" in body \
                or "no space" in body:
            return SyncServerFull(
                f"The sync server at {where} is out of disk space; events stay on this "
                "laptop and are sent once the server has room.")
        if status == 413:
            return SyncServerFull(
                f"The sync server at {where} refused an upload as too large (HTTP 413); "
                "events stay on this laptop. Ask the administrator to raise "
                "max_document_size / max_http_request_size.")
        return SyncServerError(
            f"The sync server at {where} answered HTTP {status}; events stay on this "
            "laptop and are sent at the next sync.")


def _error_body(exc: ApiException) -> str:
    """The server's error text, lower-cased, for classifying (never shown)."""
    response = exc.http_response
    try:
        return (response.text if response is not None else str(exc.message or "")).lower()[:2000]
    except (AttributeError, ValueError):
        return ""
