"""Key rotation benchmark on the 10k-patient / 100k-note vault of bench_vault.

Deactivates a user (which rotates the data key), then re-encrypts every record
the way the GUI does: in the ``rekey`` lane of a real TaskRunner, while the GUI
thread runs a 5 ms timer (the longest gap between its ticks is the GUI stall)
and the vault lane serves a patient search every 100 ms (its latency includes
waiting for the chunk transaction in progress).

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.run_all rotation``
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LANTERN_KDF_PROFILE", "test")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from lantern.gui.runner import TaskContext, TaskRunner  # noqa: E402
from lantern.services.rotation import CHUNK_ROWS  # noqa: E402
from lantern.services.session import VaultSession  # noqa: E402
from tests.benchmarks.bench_vault import PASSPHRASE, cached_vault  # noqa: E402

TICK_MS = 5
SEARCH_EVERY_MS = 100
BASELINE_MS = 3000


def _ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> dict:
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-rotation-"))
    runner = TaskRunner()
    try:
        shutil.copytree(cached_vault(), work, dirs_exist_ok=True)
        session = VaultSession.unlock(work, username="bench", passphrase=PASSPHRASE)
        session.users.add_user(username="leaver", role="assistant",
                               passphrase="leaver passphrase")
        start = time.perf_counter()
        rotation = session.users.deactivate_user("leaver").rotation
        rotate_s = time.perf_counter() - start

        chunk_ends: list[float] = []
        ticks: list[float] = []
        searches: list[float] = []
        loop = QEventLoop()
        result: dict = {}

        def work_fn(ctx: TaskContext) -> object:
            return session.reencrypt(after_chunk=lambda n: chunk_ends.append(time.perf_counter()),
                                     cancelled=ctx.cancelled.is_set)

        def done(report: object) -> None:
            result["report"] = report
            result["end"] = time.perf_counter()
            loop.quit()

        def failed(exc: BaseException) -> None:
            result["error"] = exc
            loop.quit()

        def search() -> None:
            asked = time.perf_counter()
            runner.submit(lambda ctx: session.records.search_patients("ka"),
                          on_success=lambda _r: searches.append(time.perf_counter() - asked))

        tick = QTimer()
        tick.setInterval(TICK_MS)
        tick.timeout.connect(lambda: ticks.append(time.perf_counter()))
        searcher = QTimer()
        searcher.setInterval(SEARCH_EVERY_MS)
        searcher.timeout.connect(search)
        # baseline: the same ticks and searches for 3 s without re-encryption
        ticks.append(time.perf_counter())
        tick.start()
        searcher.start()
        QTimer.singleShot(BASELINE_MS, loop.quit)
        loop.exec()
        runner.wait_all(30)
        base_gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        base_searches = list(searches)
        ticks.clear()
        searches.clear()
        began = time.perf_counter()
        ticks.append(began)
        runner.submit(work_fn, on_success=done, on_failure=failed, lane="rekey")
        loop.exec()
        tick.stop()
        searcher.stop()
        runner.wait_all(30)
        app.processEvents()
        if "error" in result:
            raise result["error"]
        report = result["report"]
        elapsed = result["end"] - began
        gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
        chunks = [b - a for a, b in zip([began, *chunk_ends], chunk_ends, strict=False)]
        verified = session.audit.verify().ok
        session.lock()

        rate = report.done / elapsed if elapsed else 0.0
        out = {"records": report.done, "rotate_s": rotate_s, "reencrypt_s": elapsed,
               "records_per_s": rate, "gui_longest_stall_s": max(gaps, default=0.0),
               "chunk_median_s": statistics.median(chunks), "chunk_max_s": max(chunks),
               "search_p95_s": _p95(searches), "search_max_s": max(searches, default=0.0),
               "baseline_longest_stall_s": max(base_gaps, default=0.0),
               "audit_ok": verified}
        print(f"rotation: deactivating a user rotated the key to epoch {rotation.epoch} "
              f"({len(rotation.carried)} slots carried) in {_ms(rotate_s)}")
        print(f"  re-encryption of {report.done} records in the background: {elapsed:.1f} s, "
              f"{rate:,.0f} records/s  [target >= 2,000/s]")
        print(f"  GUI thread: longest gap between {TICK_MS} ms timer ticks {_ms(out['gui_longest_stall_s'])}"
              f" over {len(gaps)} ticks  [target < 50 ms]")
        print(f"  the same without re-encryption (baseline, {BASELINE_MS // 1000} s): longest gap "
              f"{_ms(max(base_gaps, default=0.0))}, search p95 {_ms(_p95(base_searches))}")
        print(f"  chunks of {CHUNK_ROWS} rows: {len(chunks)}, median {_ms(out['chunk_median_s'])},"
              f" longest {_ms(out['chunk_max_s'])} (a vault-lane call waits at most this long)")
        print(f"  patient search on the vault lane during it: {len(searches)} searches, p95 "
              f"{_ms(out['search_p95_s'])}, longest {_ms(out['search_max_s'])}")
        print(f"  audit chain after rotation: {'intact' if verified else 'BROKEN'}")
        return out
    finally:
        runner.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
