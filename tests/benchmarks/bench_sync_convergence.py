"""The three-laptop sync convergence property (issue 18 target): at least 200
generated runs of the state machine in ``tests/unit/sync_couch/convergence.py``
(random edits, offline periods, syncs cut part-way, USB bundles) against a real
pouchdb-server; after a final sync the three vaults must be identical with nothing
acknowledged lost. Prints examples run, failures (must be 0), total and per-example
time. Run: ``python -m tests.benchmarks.run_all sync_convergence``
(BENCH_CONVERGENCE_EXAMPLES=N, default 200).
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

os.environ.setdefault("LANTERN_KDF_PROFILE", "test")   # fast key derivation: not measured

STEPS = 25


def main() -> None:
    from tests.couch_server import running_server
    from tests.unit.sync_couch.convergence import STATS, configure, make_template

    wanted = int(os.environ.get("BENCH_CONVERGENCE_EXAMPLES", "200"))
    saved = os.environ.get("LANTERN_STATE_DIR")
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "couch") as couch:
        template = make_template(Path(tmp))
        machine = configure(couch, template, Path(tmp))
        runs = [0]
        init = machine.__init__

        def counted(self) -> None:
            runs[0] += 1
            if runs[0] % 10 == 0:       # progress, so a run cut short still gives figures
                print(f"  example {runs[0]}: {time.perf_counter() - start:.1f} s", flush=True)
            init(self)

        machine.__init__ = counted  # type: ignore[method-assign]
        start = time.perf_counter()
        failures = 0
        try:
            run_state_machine_as_test(machine, settings=settings(
                max_examples=wanted, stateful_step_count=STEPS, deadline=None,
                derandomize=False, database=None, suppress_health_check=list(HealthCheck)))
        except Exception:  # noqa: BLE001 - a counterexample: print it, count it
            traceback.print_exc()
            failures = 1
        total = time.perf_counter() - start
    if saved is not None:
        os.environ["LANTERN_STATE_DIR"] = saved
    print(f"examples run: {runs[0]} (asked {wanted}, up to {STEPS} steps each)")
    print(f"failures: {failures} (must be 0)")
    print("what the runs did: " + ", ".join(f"{k} {v}" for k, v in STATS.items()))
    print(f"total {total:.1f} s; per example {total / max(1, runs[0]):.2f} s")
    if failures:
        raise RuntimeError("the convergence property failed")


if __name__ == "__main__":
    main()
