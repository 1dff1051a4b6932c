"""``make bench``: run every ``tests/benchmarks/bench_*.py`` module's ``main()``.

Benchmarks print their own figures; this runner times each one and keeps going
when one fails, so a single broken benchmark does not hide the others.
Run one: ``python -m tests.benchmarks.run_all vault llm``.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    wanted = set(argv if argv is not None else sys.argv[1:])
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    failed = []
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted:
            continue
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"tests.benchmarks.{name}")
            module.main()
        except Exception:  # noqa: BLE001 - report and continue with the next one
            traceback.print_exc()
            failed.append(name)
        print(f"--- {name}: {time.perf_counter() - start:.1f} s", flush=True)
    if failed:
        print(f"\nbenchmarks failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
