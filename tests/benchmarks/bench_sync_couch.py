"""Sync transport over the CouchDB protocol against a local pouchdb-server (issue 18).

Figures: pushing N sealed events (``_revs_diff`` + ``_bulk_docs``), pulling them on a
second laptop (``_changes`` pages), re-pushing them (nothing sent), and the
incremental sync of 100 new events (issue target: < 2 s; printed as a ratio), and
that same incremental sync end to end between two real vaults through
``sync_with_server`` (100 new patients written on laptop A: A sends them, B receives,
opens and applies them with their audit entries).
The issue's 100,000-note initial sync target is over a LAN to Apache CouchDB; this
measures the client and protocol cost on loopback with pouchdb-server.
Initial sync with real vaults and GUI stall (issue targets: 10,000 patients and
100,000 notes in < 3 min; the GUI never stalls over 50 ms during a sync): laptop A
gets BENCH_SYNC_VAULT_PATIENTS (default 2000) patients and BENCH_SYNC_VAULT_NOTES
(default 2000) signed notes (``bench_vault.fill``: bulk inserts, one event per
record) and sends them; laptop B receives and applies them through
``sync_with_server`` in the sync process (``lantern.services.sync.worker``) waited
on by the "sync" lane of a real TaskRunner, as Settings -> Sync runs it
(BENCH_SYNC_IN_THREAD=1: in the lane's own thread, as before the sync process),
while the GUI thread runs a 5 ms timer: the longest gap between its ticks
is the stall (and the same timer alone for 2 s as a baseline). The issue's size:
BENCH_SYNC_VAULT_PATIENTS=10000 BENCH_SYNC_VAULT_NOTES=100000.
Run: ``python -m tests.benchmarks.run_all sync_couch`` (BENCH_SYNC_EVENTS=N, default 10000).
Beside the GUI's timer, a lone process (no threads, no GIL) sleeps 5 ms at a time
during the same sync: its longest gap is the machine's own scheduling noise (on a
shared machine a thread is sometimes not run for tens of ms whatever it does).
BENCH_SYNC_STALL_TRACE=FILE: whenever the GUI's timer has not ticked for 30 ms, the
stacks of every thread are written to FILE (``faulthandler``, from a C thread: it
shows where the sync lane is even while a C call holds the GIL), one dump per gap,
and at its end each such gap's start and end in CLOCK_MONOTONIC seconds (the clock of
``time.perf_counter`` here), to lay over the kernel's scheduler trace of the same run
(``perf record -k CLOCK_MONOTONIC -e sched:sched_switch -p PID``, docs/sync.md).
"""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lantern.services.sync.couch import CouchTransport, MemoryCheckpoints, ServerAccount
from tests.couch_server import CouchServer, DeviceLogin
from tests.unit.sync_couch.events import seal

os.environ.setdefault("LANTERN_KDF_PROFILE", "test")   # fast key derivation: not measured

INCREMENTAL_TARGET_S = 2.0
STALL_TARGET_S = 0.050
TRACE_AFTER_S = 0.030       # BENCH_SYNC_STALL_TRACE: dump the stacks after this long without a tick
TICK_MS = 5
BASELINE_MS = 2000
PASSPHRASE = "bench sync passphrase"
# the noise probe: sleeps 5 ms at a time until its stdin closes, then prints its longest gap
NOISE_PROBE = ("import select, sys, time\n"
               "last = time.perf_counter(); worst = 0.0\n"
               "while not select.select([sys.stdin], [], [], 0.005)[0]:\n"
               "    now = time.perf_counter(); worst = max(worst, now - last); last = now\n"
               "print(worst)\n")


def _events(device: str, n: int, start: int = 0) -> list:
    text = "Cough for three weeks, night sweats, weight loss. " * 10   # ~500 bytes
    return [seal({"kind": "note.signed", "text": text, "n": i}, device=device, counter=i)
            for i in range(start, start + n)]


def _ticking_while(work_fn: Callable[[], object]
                   ) -> tuple[float, list[float], list[float], float]:
    """Run ``work_fn`` in the "sync" lane of a real TaskRunner while the GUI thread
    ticks every 5 ms: (seconds it took, gaps between ticks, baseline gaps without it,
    the noise probe's longest gap meanwhile)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from lantern.gui.runner import TaskRunner

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    loop = QEventLoop()
    ticks: list[float] = []
    outcome: dict = {}
    tick = QTimer()
    tick.setInterval(TICK_MS)
    trace_path = os.environ.get("BENCH_SYNC_STALL_TRACE")
    trace = open(trace_path, "w") if trace_path else None    # noqa: SIM115 - closed below

    def ticked() -> None:
        ticks.append(time.perf_counter())
        if trace is not None:   # re-armed at every tick: a dump means a gap of 30 ms or more
            faulthandler.dump_traceback_later(TRACE_AFTER_S, file=trace)

    tick.timeout.connect(ticked)
    probe: subprocess.Popen[str] | None = None
    try:
        ticks.append(time.perf_counter())
        tick.start()
        QTimer.singleShot(BASELINE_MS, loop.quit)
        loop.exec()
        baseline = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        ticks.clear()
        began = time.perf_counter()
        ticks.append(began)

        def ended(**what: object) -> None:
            outcome.update(what)
            loop.quit()

        probe = subprocess.Popen([sys.executable, "-c", NOISE_PROBE], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
        runner.submit(lambda _ctx: work_fn(), lane="sync",
                      on_success=lambda _r: ended(end=time.perf_counter()),
                      on_failure=lambda e: ended(error=e))
        loop.exec()
        tick.stop()
        noise = float(probe.communicate("", timeout=30)[0])
        runner.wait_all(30)
        app.processEvents()
    finally:
        runner.shutdown()
        if probe is not None and probe.poll() is None:
            probe.kill()
        if trace is not None:
            faulthandler.cancel_dump_traceback_later()
            for a, b in zip(ticks, ticks[1:], strict=False):
                if b - a >= TRACE_AFTER_S:
                    trace.write(f"gap {(b - a) * 1000:.1f} ms from {a:.6f} to {b:.6f}\n")
            trace.close()
    if "error" in outcome:
        raise outcome["error"]
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    return outcome["end"] - began, gaps, baseline, noise


def _vault_incremental(server: CouchServer, logins: dict[str, DeviceLogin], work: Path,
                       n_new: int = 100, n_gui: int = 2000, notes: int = 2000
                       ) -> tuple[tuple[float, float, float],
                                                                     tuple[int, float, list[float],
                                                                           list[float], float]]:
    """Seconds for A to send ``n_new`` new events, for B to receive and apply them,
    and for both together, each through ``sync_with_server`` with real vaults; then
    the initial sync of ``n_gui`` patients and ``notes`` notes written on A, B's side
    in a runner lane with the GUI ticking (events, seconds, tick gaps, baseline gaps;
    A's writing and push times are printed)."""
    from lantern.domain.records import Sex
    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync.enrol import endorse
    from lantern.services.sync.events import new_device_identity
    from lantern.services.sync.server import sync_with_server, transport_for
    from lantern.services.sync.worker import ServerJob, prestart, run_in_process
    from tests.benchmarks.bench_vault import fill
    from tests.unit.sync_couch.vaults import records_of

    def account(device: str) -> ServerAccount:
        return ServerAccount(url=server.url, database="clinic-bench-vaults",
                             username=logins[device].username, password=logins[device].password)

    os.environ["LANTERN_STATE_DIR"] = str(work / "state-a")
    a, _ = VaultSession.create(work / "a", clinic_name="Bench Clinic", admin_username="bench",
                               passphrase=PASSPHRASE)
    a.records.add_patient(name="Bench Seed", sex=Sex.FEMALE, birth_year=1990)
    endorsement = endorse(a.context)      # A lets B in, as `lantern device enrol` does
    restore_backup(a.backup_to(work / "copy.db"), work / "b")
    os.environ["LANTERN_STATE_DIR"] = str(work / "state-b")
    b = VaultSession.unlock(work / "b", username="bench", passphrase=PASSPHRASE,
                            sleep=lambda s: None)
    try:
        with b.context.writing() as conn:
            new_device_identity(conn, name="bench B", cipher=b.context.repo.cipher,
                                endorsement=endorsement)
        with transport_for(a.context, account("a")) as ta, \
                transport_for(b.context, account("b")) as tb:
            sync_with_server(a.context, ta)        # the starting point: both up to date
            sync_with_server(b.context, tb)
            for i in range(n_new):
                a.records.add_patient(name=f"Incremental {i}", sex=Sex.MALE, birth_year=1980)
            t = time.perf_counter()
            sent = sync_with_server(a.context, ta)
            send_s = time.perf_counter() - t
            t = time.perf_counter()
            got = sync_with_server(b.context, tb)
            receive_s = time.perf_counter() - t
            assert sent.pushed == n_new and got.applied == n_new, (sent, got)
            for i in range(n_new):      # once more, B's side through the sync process
                a.records.add_patient(name=f"Through {i}", sex=Sex.MALE, birth_year=1981)
            sync_with_server(a.context, ta)
            t = time.perf_counter()
            got = run_in_process(b.context, ServerJob(account("b")))
            process_s = time.perf_counter() - t
            assert got.applied == n_new, got
            for i in range(n_new):      # and with the process started ahead (Settings shown)
                a.records.add_patient(name=f"Ahead {i}", sex=Sex.MALE, birth_year=1982)
            sync_with_server(a.context, ta)
            prestart()
            time.sleep(2.0)
            t = time.perf_counter()
            got = run_in_process(b.context, ServerJob(account("b")))
            ahead_s = time.perf_counter() - t
            assert got.applied == n_new, got
            print(f"incremental sync of {n_new} new events: laptop B receives and applies "
                  f"them through the sync process (as Settings -> Sync) in {process_s:.2f} s "
                  f"with its start, {ahead_s:.2f} s with the process started ahead (the page "
                  f"shown); target {INCREMENTAL_TARGET_S:.0f} s", flush=True)
            t = time.perf_counter()
            fill(a, patients=n_gui, notes=notes)
            written_s = time.perf_counter() - t
            t = time.perf_counter()
            events = sync_with_server(a.context, ta).pushed
            print(f"laptop A wrote {n_gui} patients and {notes} notes in {written_s:.1f} s "
                  f"and sent their {events} events in {time.perf_counter() - t:.1f} s", flush=True)
            if os.environ.get("BENCH_SYNC_IN_THREAD"):   # as before issue 18's sync process
                gui_s, gaps, baseline, noise = _ticking_while(
                    lambda: sync_with_server(b.context, tb))
            else:       # as Settings -> Sync runs it: the lane waits on the sync process
                gui_s, gaps, baseline, noise = _ticking_while(
                    lambda: run_in_process(b.context, ServerJob(account("b"))))
            assert records_of(a) == records_of(b)
    finally:
        b.lock()
        a.lock()
    return (send_s, receive_s, send_s + receive_s), (events, gui_s, gaps, baseline, noise)


def main() -> None:
    n = int(os.environ.get("BENCH_SYNC_EVENTS", "10000"))
    with tempfile.TemporaryDirectory() as tmp:
        server = CouchServer(Path(tmp))
        server.start()
        try:
            logins = server.create_clinic("clinic-bench", ["a", "b"])
            vault_logins = server.create_clinic("clinic-bench-vaults", ["a", "b"])

            def transport(device: str) -> CouchTransport:
                login = logins[device]
                account = ServerAccount(url=server.url, database="clinic-bench",
                                        username=login.username, password=login.password)
                return CouchTransport(account, device_id=f"dev-{device}")

            a, b = transport("a"), transport("b")
            batch = _events("dev-a", n)
            t = time.perf_counter()
            pushed = a.push(batch)
            push_s = time.perf_counter() - t
            t = time.perf_counter()
            again = a.push(batch)
            repush_s = time.perf_counter() - t
            checkpoints = MemoryCheckpoints()
            got: list = []
            t = time.perf_counter()
            b.sync_once([], got.extend, checkpoints)
            pull_s = time.perf_counter() - t
            assert pushed.sent == n and again.sent == 0 and len(got) == n
            new = _events("dev-a", 100, start=n)
            a.push(new)
            got.clear()
            t = time.perf_counter()
            report = b.sync_once(_events("dev-b", 100), got.extend, checkpoints)
            incr_s = time.perf_counter() - t
            assert len(got) == 100 and report.pushed.sent == 100
            a.close()
            b.close()
            n_gui = int(os.environ.get("BENCH_SYNC_VAULT_PATIENTS", "2000"))
            notes = int(os.environ.get("BENCH_SYNC_VAULT_NOTES", "2000"))
            (send_s, receive_s, vault_s), (gui_events, gui_s, gaps, baseline, noise) = \
                _vault_incremental(server, vault_logins, Path(tmp), n_gui=n_gui, notes=notes)
        finally:
            server.stop()
    print(f"push {n} events: {push_s:.2f} s ({n / push_s:.0f} events/s)")
    print(f"re-push {n} events (server has them; _revs_diff only): {repush_s:.2f} s")
    print(f"initial pull of {n} events on a second laptop: {pull_s:.2f} s "
          f"({n / pull_s:.0f} events/s)")
    print(f"incremental sync (push 100, pull 100): {incr_s:.2f} s; target "
          f"{INCREMENTAL_TARGET_S:.0f} s; ratio {incr_s / INCREMENTAL_TARGET_S:.2f}")
    print(f"incremental sync of 100 new events end to end (sync_with_server, real vaults): "
          f"laptop A sends {send_s:.2f} s, laptop B receives and applies {receive_s:.2f} s, "
          f"together {vault_s:.2f} s; target {INCREMENTAL_TARGET_S:.0f} s; "
          f"ratio {vault_s / INCREMENTAL_TARGET_S:.2f}")
    stall = max(gaps, default=0.0)
    print(f"initial sync with real vaults: laptop B receives and applies {gui_events} events "
          f"({n_gui} patients, {notes} notes) "
          f"{'in the runner sync lane' if os.environ.get('BENCH_SYNC_IN_THREAD') else 'in the sync process'}"
          f" in {gui_s:.1f} s "
          f"(target 180 s; ratio {gui_s / 180:.2f}); GUI stall: longest gap between "
          f"{TICK_MS} ms timer ticks {stall * 1000:.1f} ms over {len(gaps)} ticks; target "
          f"{STALL_TARGET_S * 1000:.0f} ms; ratio {stall / STALL_TARGET_S:.2f}; gaps over "
          f"{STALL_TARGET_S * 1000:.0f} ms: {sum(g > STALL_TARGET_S for g in gaps)}, over "
          f"{TRACE_AFTER_S * 1000:.0f} ms: {sum(g > TRACE_AFTER_S for g in gaps)}; the timer alone "
          f"({BASELINE_MS // 1000} s): {max(baseline, default=0.0) * 1000:.1f} ms; a lone process "
          f"sleeping {TICK_MS} ms at a time during the sync (noise): {noise * 1000:.1f} ms; load "
          f"average after it {os.getloadavg()[0]:.1f}")
    print("longest gaps (ms): " + ", ".join(f"{g * 1000:.0f}" for g in sorted(gaps)[-10:][::-1]))


if __name__ == "__main__":
    main()
