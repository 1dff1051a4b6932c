"""USB sync benchmark (issue 18): laptop A registers patients and notes (each
change one sealed event), laptop B (a copy of A's empty vault with its own device
id) imports A's bundle; then an incremental bundle of 100 new events. Prints the
times and the events per second; the issue's targets (initial sync of 10,000
patients and 100,000 notes in < 3 min, 100 new events in < 2 s) are for the
server transport and are printed beside the figures for comparison.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.run_all sync_usb``
(``LANTERN_BENCH_SYNC_PATIENTS`` sets the size, default 1,000 patients with 2 notes each).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LANTERN_KDF_PROFILE", "test")

from lantern.domain.records import Sex  # noqa: E402
from lantern.services.backup import restore_backup  # noqa: E402
from lantern.services.session import VaultSession  # noqa: E402
from lantern.services.sync.bundle import export_bundle, import_bundle  # noqa: E402
from lantern.services.sync.enrol import endorse  # noqa: E402
from lantern.services.sync.events import new_device_identity  # noqa: E402

PASS = "bench sync passphrase"


def _fill(session: VaultSession, n: int, tag: str) -> None:
    for i in range(n):
        p = session.records.add_patient(name=f"Sync {tag} {i}", sex=Sex.FEMALE,
                                        birth_year=1950 + i % 60, confirmed_new=True)
        session.records.new_encounter(p.id)


def main() -> dict:
    n = int(os.environ.get("LANTERN_BENCH_SYNC_PATIENTS", "1000"))
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-sync-"))
    os.environ["LANTERN_STATE_DIR"] = str(work / "state")
    a = VaultSession.create(work / "a", clinic_name="Bench", admin_username="admin",
                            passphrase=PASS)[0]
    b = None
    try:
        endorsement = endorse(a.context)      # A lets B in, as `lantern device enrol` does
        restore_backup(a.backup_to(work / "copy.db"), work / "b")
        t = time.perf_counter()
        _fill(a, n, "A")
        write_s = time.perf_counter() - t
        os.environ["LANTERN_STATE_DIR"] = str(work / "state-b")
        b = VaultSession.unlock(work / "b", username="admin", passphrase=PASS, sleep=lambda s: None)
        with b.context.writing() as conn:
            new_device_identity(conn, name="B", cipher=b.context.repo.cipher,
                                endorsement=endorsement)
        t = time.perf_counter()
        done = export_bundle(a.context, work / "initial.bundle")
        export_s = time.perf_counter() - t
        t = time.perf_counter()
        result = import_bundle(b.context, done.path)
        import_s = time.perf_counter() - t
        _fill(a, 50, "inc")          # 100 events: 50 patients, 50 notes
        t = time.perf_counter()
        inc = export_bundle(a.context, work / "inc.bundle", peer=None)
        inc_result = import_bundle(b.context, inc.path)
        inc_s = time.perf_counter() - t
        figures = {
            "events": done.events, "applied": result.applied,
            "write_s (A, with outbox)": round(write_s, 2),
            "export_s": round(export_s, 2), "import_s": round(import_s, 2),
            "import_events_per_s": round(result.applied / import_s),
            "bundle_mb": round(done.path.stat().st_size / 1e6, 2),
            "incremental (all-events bundle, 100 new) s": round(inc_s, 2),
            "incremental applied": inc_result.applied,
        }
        for key, value in figures.items():
            print(f"{key}: {value}")
        return figures
    finally:
        if b is not None:
            b.lock()
        a.lock()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
