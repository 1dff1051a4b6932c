"""The CouchDB-protocol transport against a real server (pouchdb-server), never a mock."""

from __future__ import annotations

import threading

import pytest
from tests.couch_server import free_loopback_port
from tests.unit.sync_couch.events import events, open_event

from lantern.services.sync.couch import (
    CouchTransport,
    MemoryCheckpoints,
    ServerAccount,
    SyncAuthRefused,
    SyncServerError,
    SyncServerFull,
    SyncTlsError,
    SyncUnreachable,
)


def doc_count(clinic) -> int:
    info = clinic.couch.admin_client().get_database_information(db=clinic.database).get_result()
    return int(info["doc_count"])


def test_push_then_pull_round_trip_keeps_every_byte(clinic):
    sent = events("dev-a", 3)
    result = clinic.transport("a").push(sent)
    assert (result.sent, result.already) == (3, 0)

    got, checkpoint = clinic.transport("b").pull(None)
    assert sorted(got, key=lambda e: e.hlc) == sorted(sent, key=lambda e: e.hlc)
    assert checkpoint is not None
    assert [open_event(e)["text"] for e in sorted(got, key=lambda e: e.hlc)] == [
        "event 0 from dev-a", "event 1 from dev-a", "event 2 from dev-a"]


def test_pushing_the_same_events_again_stores_nothing_new(clinic):
    batch = events("dev-a", 4)
    a = clinic.transport("a")
    assert a.push(batch).sent == 4
    again = a.push(batch + events("dev-a", 1, start=4))
    assert (again.sent, again.already) == (1, 4)
    # a relay of the same events by another laptop is no new document either
    assert clinic.transport("b").push(batch).sent == 0
    assert doc_count(clinic) == 5


def test_pull_resumes_from_its_checkpoint_page_by_page(clinic):
    clinic.transport("a").push(events("dev-a", 5))
    b = clinic.transport("b", page_size=2)
    checkpoints = MemoryCheckpoints()
    first, cp = b.pull(checkpoints.load())
    assert len(first) == 2
    checkpoints.save(cp)  # the link drops here: a new transport resumes from the checkpoint

    resumed = clinic.transport("b", page_size=2)
    applied: list = []
    report = resumed.sync_once([], applied.extend, checkpoints)
    assert report.pulled == 3
    assert {e.event_id for e in first}.isdisjoint(e.event_id for e in applied)

    clinic.transport("a").push(events("dev-a", 1, start=5))
    newer, after = resumed.pull(checkpoints.load())
    assert [open_event(e)["text"] for e in newer] == ["event 5 from dev-a"]
    checkpoints.save(after)
    nothing, same = resumed.pull(checkpoints.load())
    assert nothing == [] and same == checkpoints.load()


def test_pull_returns_only_other_laptops_events(clinic):
    own = events("dev-a", 2)
    theirs = events("dev-b", 1)
    clinic.transport("a").push(own)
    clinic.transport("b").push(theirs)
    got, _ = clinic.transport("a").pull(None)
    assert got == theirs


def test_sync_once_pushes_pending_then_applies_the_rest(clinic):
    clinic.transport("b").push(events("dev-b", 2))
    c = clinic.transport("c")
    applied: list = []
    report = c.sync_once(events("dev-c", 3), applied.extend, MemoryCheckpoints())
    assert (report.pushed.sent, report.pulled) == (3, 2)
    assert {e.device_id for e in applied} == {"dev-b"}


def test_wrong_password_is_refused_with_a_clear_message(clinic):
    bad = clinic.connect(clinic.account("a", password="not-the-password"), device_id="dev-a",
                         sleep=clinic.sleeps.append)
    with pytest.raises(SyncAuthRefused) as err:
        bad.push(events("dev-a", 1))
    message = str(err.value)
    assert f"refused the login '{clinic.logins['a'].username}'" in message
    assert "not-the-password" not in message
    assert clinic.sleeps == []          # a refusal is not retried
    assert doc_count(clinic) == 0


def test_a_laptop_of_another_clinic_may_not_read_this_one(clinic, couch):
    stranger = couch.add_device_user(f"stranger-{clinic.database}")
    account = ServerAccount(url=couch.url, database=clinic.database,
                            username=stranger.username, password=stranger.password)
    with pytest.raises(SyncAuthRefused, match="device-stranger"):
        clinic.connect(account, device_id="dev-x").pull(None)


def test_server_down_gives_a_clear_error_after_backing_off(clinic):
    account = ServerAccount(url=f"http://127.0.0.1:{free_loopback_port()}",
                            database=clinic.database, username="device-a", password="x")
    sleeps: list[float] = []
    transport = clinic.connect(account, device_id="dev-a", retries=4, backoff=0.5,
                               sleep=sleeps.append)
    with pytest.raises(SyncUnreachable, match=r"Cannot reach the sync server at http://127\.0\.0\.1"):
        transport.push(events("dev-a", 1))
    assert len(sleeps) == 4
    # exponential backoff with jitter: each wait within [half, all] of 0.5, 1, 2, 4 s
    for wait, step in zip(sleeps, [0.5, 1, 2, 4], strict=True):
        assert step / 2 <= wait <= step


def test_a_dropped_link_is_retried_and_the_push_completes(clinic, couch):
    batch = events("dev-a", 3)
    couch.stop()
    restarted: list[float] = []

    def sleep_then_server_returns(seconds: float) -> None:
        restarted.append(seconds)
        if len(restarted) == 2:
            couch.start()

    transport = clinic.connect(clinic.account("a"), device_id="dev-a",
                               sleep=sleep_then_server_returns)
    assert transport.push(batch).sent == 3
    assert len(restarted) == 2
    got, _ = clinic.transport("b").pull(None)
    assert {e.event_id for e in got} == {e.event_id for e in batch}


def test_tls_error_is_named(clinic):
    account = ServerAccount(url=clinic.couch.url.replace("http://", "https://"),
                            database=clinic.database, username="device-a", password="x")
    with pytest.raises(SyncTlsError, match="TLS failed"):
        clinic.connect(account, device_id="dev-a", sleep=clinic.sleeps.append).check()
    assert clinic.sleeps == []


def test_wrong_database_and_bad_addresses_say_so(clinic):
    account = ServerAccount(url=clinic.couch.url, database="no-such-clinic",
                            username="device-a", password=clinic.logins["a"].password)
    with pytest.raises(SyncServerError, match="No clinic database|refused the login"):
        clinic.connect(account, device_id="dev-a").check()
    for url, words in [("ftp://server/x", "must start with https://"),
                       ("http://district.example.org", "must be reached over https://"),
                       ("https://dev:pw@district.example.org", "not in the server address")]:
        with pytest.raises(SyncServerError, match=words):
            ServerAccount(url=url, database="c", username="u", password="p")


def test_server_refusing_the_upload_size_is_reported_and_nothing_is_half_stored(clinic, couch):
    couch.set_config("couchdb", "max_document_size", "2000")
    try:
        big = events("dev-a", 1)[0]
        big = type(big)(event_id=big.event_id, device_id=big.device_id, hlc=big.hlc,
                        ciphertext=b"\0" * 50_000)
        with pytest.raises(SyncServerFull, match="too large"):
            clinic.transport("a").push([big])
        assert doc_count(clinic) == 0
    finally:
        couch.set_config("couchdb", "max_document_size", str(4 * 1024 * 1024))


class _Watched(CouchTransport):
    """The real transport, noting each page read (and where), cut after ``cut_after`` reads."""

    def __init__(self, *args, cut_after: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cut_after = cut_after
        self.reads: list[tuple[str | None, str]] = []
        self.noted = threading.Condition()

    def pull(self, since=None, **options):
        if self.cut_after is not None and len(self.reads) == self.cut_after:
            raise SyncUnreachable("link cut (test)")
        got = super().pull(since, **options)
        with self.noted:
            self.reads.append((since, threading.current_thread().name))
            self.noted.notify_all()
        return got


def test_pull_pages_reads_the_next_page_while_the_caller_applies_one(clinic):
    clinic.transport("a").push(events("dev-a", 6))
    b = _Watched(clinic.account("b"), device_id="dev-b", page_size=2,
                 sleep=clinic.sleeps.append)
    clinic.transports.append(b)
    pages, checkpoints = [], []
    for page, checkpoint in b.pull_pages(None):
        with b.noted:       # the page after this one is read while this one is "applied"
            assert b.noted.wait_for(lambda c=checkpoint: (c, ) in {r[:1] for r in b.reads}, 30)
        pages.append(len(page))
        checkpoints.append(checkpoint)
    assert pages == [2, 2, 2]
    assert [since for since, _ in b.reads] == [None, *checkpoints]   # each once, in order
    assert all(name.startswith("lantern-sync-pull") for _, name in b.reads)


def test_a_read_ahead_that_fails_is_raised_where_the_caller_asks_for_that_page(clinic):
    clinic.transport("a").push(events("dev-a", 6))
    b = _Watched(clinic.account("b"), device_id="dev-b", page_size=2, cut_after=2,
                 sleep=clinic.sleeps.append)
    clinic.transports.append(b)
    got = []
    with pytest.raises(SyncUnreachable, match="link cut"):
        for page, _checkpoint in b.pull_pages(None):
            got.append(len(page))
    assert got == [2, 2]                 # both pages read before the cut reached the caller
    pages = b.pull_pages(None)           # a caller that stops early is not kept waiting
    b.cut_after = None
    assert len(next(pages)[0]) == 2
    pages.close()
