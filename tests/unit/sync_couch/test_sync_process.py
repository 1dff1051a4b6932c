"""The sync in a process of its own (issue 18, ``lantern.services.sync.worker``) against
a real pouchdb-server: progress and the result come back through the pipe, the
caller's session writes on during and after the sync, errors come back as one clear
line without data, cancel stops it between pages, and a kill -9 of the process at any
point loses no acknowledged event and applies no half event."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from tests.benchmarks.bench_vault import fill
from tests.unit.sync_couch.vaults import records_of, sync, unlocked_again

from lantern.domain.errors import Cancelled, LanternError, Locked
from lantern.domain.records import Sex
from lantern.services.session import VaultSession
from lantern.services.sync import events as ev
from lantern.services.sync import worker
from lantern.services.sync.server import sync_with_server, transport_for
from lantern.services.sync.worker import ExportJob, ServerJob, run_in_process


def _held(session: VaultSession) -> set[str]:
    with session.context.reading() as conn:
        return {r[0] for r in conn.execute("SELECT event_id FROM sync_events")}


def _sync_audit(session: VaultSession) -> list[tuple[str, str]]:
    with session.context.reading() as conn:
        return [(e.username, e.detail) for e in session.context.audit_chain.entries(
            conn, limit=10_000, newest_first=False) if e.action == "sync server"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:       # reaped or a zombie: not running
        return fh.read().split(") ", 1)[1][0] != "Z"


def test_the_process_syncs_with_progress_and_the_session_writes_on(clinic, laptops):
    a, b, _patient, _enc = laptops
    for i in range(5):
        a.records.add_patient(name=f"Sent {i}", sex=Sex.MALE, birth_year=1980 + i)
    sync(clinic, a, "a")
    b.records.add_patient(name="Typed On B", sex=Sex.FEMALE, birth_year=1999)
    seen: list[tuple[str, int, int | None]] = []
    pids: list[int] = []
    result = run_in_process(b.context, ServerJob(clinic.account("b"), retries=0),
                            progress=lambda *p: seen.append(p), started=pids.append)
    assert pids and pids[0] != os.getpid() and not _alive(pids[0])
    assert result.applied >= 5 and result.pushed >= 1
    assert seen[0][0] == "push" and seen[-1] == ("pull", result.pulled, None)
    assert any(p == "push" and t and d == t for p, d, t in seen)   # every pending event offered
    assert _sync_audit(b)[-1][0] == "admin"          # written by the process, as the user
    sync(clinic, a, "a")
    assert records_of(a) == records_of(b)
    # the session goes on writing after the process wrote: sealed state, audit chain and
    # clock all read from the file, so the next unlock finds nothing
    b.records.add_patient(name="After The Process", sex=Sex.MALE, birth_year=1970)
    again = unlocked_again(b)
    try:
        assert again.integrity.ok and not again.read_only
        assert [p.name for p in again.records.search_patients("After The")] == [
            "After The Process"]
    finally:
        again.lock()


def test_the_session_writes_while_the_process_applies(clinic, laptops):
    a, b, _patient, _enc = laptops
    fill(a, patients=2500, notes=0)
    sync(clinic, a, "a")
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = run_in_process(b.context, ServerJob(clinic.account("b")))
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    written = 0
    while thread.is_alive():        # a user typing on meanwhile: each save its own transaction
        b.records.add_patient(name=f"Meanwhile {written}", sex=Sex.FEMALE, birth_year=1990)
        written += 1
        time.sleep(0.005)
    thread.join()
    assert "error" not in outcome, outcome
    assert outcome["result"].applied >= 2500 and written > 0
    sync(clinic, b, "b")
    sync(clinic, a, "a")
    assert records_of(a) == records_of(b)
    assert sum('"Meanwhile ' in payload for _id, payload, _owner in records_of(a)["patients"]
               ) == written
    again = unlocked_again(b)
    try:
        assert again.integrity.ok
    finally:
        again.lock()


def test_a_refused_login_is_the_same_clear_line_as_in_process(clinic, laptops):
    _a, b, _patient, _enc = laptops
    wrong = clinic.account("b", password="not the password")
    with pytest.raises(LanternError) as here:
        with transport_for(b.context, wrong, retries=0) as transport:
            sync_with_server(b.context, transport)
    with pytest.raises(LanternError) as there:
        run_in_process(b.context, ServerJob(wrong, retries=0))
    assert str(there.value) == str(here.value) and str(here.value)
    b.records.add_patient(name="Still Working", sex=Sex.MALE, birth_year=1970)


def test_an_unexpected_error_comes_back_without_its_text(tmp_path, laptops):
    _a, b, _patient, _enc = laptops
    target = tmp_path / "no folder Amina Server" / "out.bundle"    # a patient's name in the path
    with pytest.raises(LanternError) as failed:
        run_in_process(b.context, ExportJob(target))
    text = str(failed.value)
    assert "FileNotFoundError" in text and "Amina" not in text and str(tmp_path) not in text
    assert "Nothing acknowledged is lost" in text


def test_cancel_stops_the_process_between_pages_and_the_next_sync_completes(clinic, laptops):
    a, b, _patient, _enc = laptops
    fill(a, patients=2500, notes=0)      # three pages of 1,000
    sync(clinic, a, "a")
    pids: list[int] = []
    pages: list[int] = []

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "pull" and done:
            pages.append(done)

    with pytest.raises(Cancelled):
        run_in_process(b.context, ServerJob(clinic.account("b")), progress=progress,
                       cancelled=lambda: bool(pages), started=pids.append)
    assert not _alive(pids[0])
    assert "Cancelled" in _sync_audit(b)[-1][1]      # it stopped by itself, between pages
    resumed = sync(clinic, b, "b")
    assert resumed.applied > 0 and records_of(a) == records_of(b)


def test_a_process_that_does_not_stop_is_killed(clinic, laptops, monkeypatch):
    a, b, _patient, _enc = laptops
    monkeypatch.setattr(worker, "STOP_WAIT_S", 0.0)
    pids: list[int] = []
    with pytest.raises(Cancelled):
        run_in_process(b.context, ServerJob(clinic.account("b")), cancelled=lambda: True,
                       started=pids.append)
    assert not _alive(pids[0])
    sync(clinic, b, "b")
    sync(clinic, a, "a")
    assert records_of(a) == records_of(b)


@pytest.mark.parametrize("phase", ["push", "pull"])
def test_kill_9_of_the_process_loses_no_acknowledged_event_and_applies_no_half(
        clinic, laptops, phase):
    a, b, _patient, _enc = laptops
    fill(a, patients=2500, notes=0)
    fill(b, patients=2500, notes=0)
    sync(clinic, a, "a")
    killed: list[int] = []
    pids: list[int] = []

    def progress(now: str, done: int, total: int | None) -> None:
        if now == phase and done and not killed:     # after the first acknowledged page
            os.kill(pids[0], signal.SIGKILL)
            killed.append(done)

    with pytest.raises(LanternError) as ended:
        run_in_process(b.context, ServerJob(clinic.account("b")), progress=progress,
                       started=pids.append)
    assert not isinstance(ended.value, (Cancelled, Locked))
    assert "ended unexpectedly (exit code -9)" in str(ended.value)
    # nothing half written: the vault opens without a finding, every event B holds
    # has its record, and the pages acknowledged before the kill are kept
    b = unlocked_again(b)
    try:
        assert b.integrity.ok and not b.read_only
        with a.context.reading() as conn:
            a_events = {e.event_id for e in ev.pending_events(conn)}
        held = _held(b)
        if phase == "pull":
            assert len(held & a_events) >= killed[0]
        sync(clinic, b, "b")
        sync(clinic, a, "a")
        assert records_of(a) == records_of(b)
        assert a_events <= _held(b) and _held(a) == _held(b)
    finally:
        b.lock()


def test_a_new_data_key_received_by_the_process_is_the_sessions_at_once(clinic, three):
    """A ``key.rotated`` event from the server moves the vault to the next key in the
    process; the caller's session takes that key too, so its next write goes on under
    it (not "lock and unlock again") and the next unlock finds nothing."""
    from tests.unit.sync_couch.conftest import own_device

    from lantern.services.sync.enrol import revoke
    from lantern.vault import keyring

    a, b, c = three
    for name, laptop in (("b", b), ("c", c), ("a", a)):
        sync(clinic, laptop, name)
    revoke(a.context, own_device(c))
    a.records.add_patient(name="After Revoke", sex=Sex.FEMALE, birth_year=1988)
    sync(clinic, a, "a")
    assert b.context.repo.cipher.epoch == 0
    got = run_in_process(b.context, ServerJob(clinic.account("b")))
    assert got.rekeyed == 1
    assert b.context.repo.cipher.epoch == 1
    with b.context.reading() as conn:
        assert keyring.stored_epoch(conn) == 1
    b.records.add_patient(name="Written Under The New Key", sex=Sex.MALE, birth_year=1977)
    sync(clinic, b, "b")
    sync(clinic, a, "a")
    assert records_of(a) == records_of(b)
    again = unlocked_again(b)
    try:
        assert again.integrity.ok and again.context.repo.cipher.epoch == 1
    finally:
        again.lock()


def test_a_process_started_ahead_holds_nothing_until_a_sync_takes_it(clinic, laptops):
    a, b, _patient, _enc = laptops
    a.records.add_patient(name="Ahead", sex=Sex.MALE, birth_year=1980)
    sync(clinic, a, "a")
    worker.prestart()
    assert worker._spare is not None
    pid = worker._spare[0].pid
    assert pid is not None
    time.sleep(1.0)           # it has imported the sync services and waits
    files = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
    assert not any(str(b.path) in f for f in files)       # no vault file open
    pids: list[int] = []
    result = run_in_process(b.context, ServerJob(clinic.account("b")), started=pids.append)
    assert pids == [pid] and worker._spare is None and result.applied >= 1
    assert records_of(a) == records_of(b)
    worker.prestart()
    assert worker._spare is not None
    spare = worker._spare[0].pid
    assert spare is not None and spare != pid
    worker.discard_spare()
    assert worker._spare is None and not _alive(spare)
