"""The guided consultation's simulation (issue 15) over the development diagnosis sets.

Each case starts from its age, sex and chief complaint (the note's first sentence) and is
interviewed by ``lantern.clinical.interview``; every question is answered from the full
case (see :mod:`lantern.clinical.interview.simulation`). Only sets with status
"development" are used: the blind and sealed ones measure work like this and stay unread.
Expected conditions named by ICD-10 (blind7/8) are matched as ``bench_reach`` does.
Figures are printed beside the issue's targets, never asserted.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.bench_interview [--quick]``.
"""

from __future__ import annotations

import sys
import time

from tests.benchmarks.bench_reach import answers as named_answer
from tests.benchmarks.eval_sets import sets


def matches(condition, expected: list) -> bool:
    ids = [e for e in expected if isinstance(e, str)]
    named = [e for e in expected if isinstance(e, dict)]
    return condition.id in ids or (bool(named) and named_answer(condition, named))


def main(argv: list[str] | None = None) -> int:
    from lantern.clinical.interview.simulation import Figures, figure_lines, simulate_case
    from lantern.clinical.knowledge import load_knowledge

    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv          # every 4th case: a faster look while tuning
    kb = load_knowledge()
    total = Figures()
    start = time.perf_counter()
    for entry in sets(kind="diagnosis"):
        if entry.status != "development":
            continue                    # blind sets are never read here
        items = entry.load()[::4] if quick else entry.load()
        fig = Figures()
        for item in items:
            simulate_case(item, fig, matches=matches, kb=kb)
        total.add(fig)
        print(f"{entry.file}: n={fig.n} top-3 full {fig.top3_full} | after 0/4/8/12: "
              + "/".join(str(fig.top3_at[c]) for c in sorted(fig.top3_at))
              + f" | emergencies within 6: {sum(1 for s in fig.emergency_steps if s is not None and s <= 6)}"
              f"/{len(fig.emergency_steps)}", flush=True)
    print(f"\nall development diagnosis sets{' (every 4th case)' if quick else ''}:")
    for line in figure_lines(total):
        print("  " + line)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
