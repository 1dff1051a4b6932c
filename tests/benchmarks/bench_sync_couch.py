"""Sync transport over the CouchDB protocol against a local pouchdb-server (issue 18).

Figures: pushing N sealed events (``_revs_diff`` + ``_bulk_docs``), pulling them on a
second laptop (``_changes`` pages), re-pushing them (nothing sent), and the
incremental sync of 100 new events (issue target: < 2 s; printed as a ratio).
The issue's 100,000-note initial sync target is over a LAN to Apache CouchDB; this
measures the client and protocol cost on loopback with pouchdb-server.
Run: ``python -m tests.benchmarks.run_all sync_couch`` (BENCH_SYNC_EVENTS=N, default 10000).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from lantern.services.sync.couch import CouchTransport, MemoryCheckpoints, ServerAccount
from tests.couch_server import CouchServer
from tests.unit.sync_couch.events import seal

INCREMENTAL_TARGET_S = 2.0


def _events(device: str, n: int, start: int = 0) -> list:
    text = "Cough for three weeks, night sweats, weight loss. " * 10   # ~500 bytes
    return [seal({"kind": "note.signed", "text": text, "n": i}, device=device, counter=i)
            for i in range(start, start + n)]


def main() -> None:
    n = int(os.environ.get("BENCH_SYNC_EVENTS", "10000"))
    with tempfile.TemporaryDirectory() as tmp:
        server = CouchServer(Path(tmp))
        server.start()
        try:
            logins = server.create_clinic("clinic-bench", ["a", "b"])

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
        finally:
            server.stop()
    print(f"push {n} events: {push_s:.2f} s ({n / push_s:.0f} events/s)")
    print(f"re-push {n} events (server has them; _revs_diff only): {repush_s:.2f} s")
    print(f"initial pull of {n} events on a second laptop: {pull_s:.2f} s "
          f"({n / pull_s:.0f} events/s)")
    print(f"incremental sync (push 100, pull 100): {incr_s:.2f} s; target "
          f"{INCREMENTAL_TARGET_S:.0f} s; ratio {incr_s / INCREMENTAL_TARGET_S:.2f}")


if __name__ == "__main__":
    main()
