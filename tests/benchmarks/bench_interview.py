"""The guided consultation's simulation (issue 15) over the development diagnosis sets.

Each case starts from its age, sex and chief complaint (the note's first sentence) and is
interviewed by ``lantern.clinical.interview``; every question is answered from the full
case (see :mod:`lantern.clinical.interview.simulation`). Only sets with status
"development" are used: the blind and sealed ones measure work like this and stay unread.
Expected conditions named by ICD-10 (blind7/8) are matched as ``bench_reach`` does.
Figures are printed beside the issue's targets, never asserted.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.bench_interview [--development | --set FILE]
[--quick] [--misses]``. ``--development`` (the default) runs every development diagnosis set;
``--set FILE`` one of them (``diagnosis_dev_eval.jsonl``; a set whose status is not
"development" is refused). The figures include the questions asked in all, a grouped screen
question (groups.toml) counting as one.
``--misses`` also lists, case by case, the emergencies not reached within 6 answers and the
cases whose top 3 after 8 answers misses the expected condition the full note's top 3 has:
the id, what was expected, the start, each question with its answer and the level reached.
``--first-run FILE`` simulates one sealed set once, on purpose (its first run, like
``bench_reach --first-run``): figures only, never its cases.
"""

from __future__ import annotations

import sys
import time

from lantern.clinical.interview.simulation import EMERGENCY_WITHIN, TOP3_MISS_AT, CaseTrace
from tests.benchmarks.bench_reach import answers as named_answer
from tests.benchmarks.eval_sets import eval_set, sets


def matches(condition, expected: list) -> bool:
    ids = [e for e in expected if isinstance(e, str)]
    named = [e for e in expected if isinstance(e, dict)]
    return condition.id in ids or (bool(named) and named_answer(condition, named))


def main(argv: list[str] | None = None) -> int:
    from lantern.clinical.interview.simulation import Figures, figure_lines, simulate_case
    from lantern.clinical.knowledge import load_knowledge

    argv = sys.argv[1:] if argv is None else argv
    known = {"--quick", "--misses", "--development", "--first-run", "--set"}
    values = {argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--first-run", "--set")}
    if any(a not in known and a not in values for a in argv):
        print(__doc__)                  # --help or a typo: the usage, not a 12-minute run
        return 0
    quick = "--quick" in argv          # every 4th case: a faster look while tuning
    show_misses = "--misses" in argv   # list the misses (development sets only, as always)
    first_run = argv[argv.index("--first-run") + 1] if "--first-run" in argv else None
    only = argv[argv.index("--set") + 1] if "--set" in argv else None
    if only and (first_run or eval_set(only).status != "development"):
        raise SystemExit("--set takes a development set only (a sealed set: --first-run)")
    if first_run and (quick or show_misses):
        raise SystemExit("--first-run scores a whole sealed set, figures only: no --quick or --misses")
    misses: list[tuple[str, CaseTrace]] = []
    kb = load_knowledge()
    total = Figures()
    start = time.perf_counter()
    chosen = ([eval_set(first_run)] if first_run else [eval_set(only)] if only
              else sets(kind="diagnosis"))
    for entry in chosen:
        if entry.status != "development" and not first_run:
            continue                    # blind sets are never read here
        items = entry.load()[::4] if quick else entry.load()
        fig = Figures()
        for item in items:
            trace = simulate_case(item, fig, matches=matches, kb=kb)
            if show_misses and (trace.emergency_missed() or trace.top3_missed()):
                misses.append((entry.file, trace))
        total.add(fig)
        print(f"{entry.file}: n={fig.n} top-3 full {fig.top3_full} | after 0/4/8/12: "
              + "/".join(str(fig.top3_at[c]) for c in sorted(fig.top3_at))
              + f" | emergencies within 6: {sum(1 for s in fig.emergency_steps if s is not None and s <= 6)}"
              f"/{len(fig.emergency_steps)} | questions {fig.questions_asked}", flush=True)
    title = (f"FIRST RUN {entry.file} ({entry.status}, sha256 {entry.sha256[:12]}…)" if first_run
             else f"{only or 'all development diagnosis sets'}{' (every 4th case)' if quick else ''}")
    print(f"\n{title}:")
    for line in figure_lines(total):
        print("  " + line)
    print(f"  ({time.perf_counter() - start:.0f} s)")
    if show_misses:
        print_misses(misses)
    return 0


def print_misses(misses: list[tuple[str, CaseTrace]]) -> None:
    """Each miss: the case, what was expected, the start, the questions with their answers
    and the triage level after each (the level changes marked)."""
    for title, pick in (
            (f"emergencies not reached within {EMERGENCY_WITHIN} answers", CaseTrace.emergency_missed),
            (f"top-3 after {TOP3_MISS_AT} answers wrong, full note right", CaseTrace.top3_missed)):
        chosen = [(f, t) for f, t in misses if pick(t)]
        print(f"\n{title}: {len(chosen)}")
        for file, t in chosen:
            expected = ", ".join(e if isinstance(e, str) else str(e.get("icd10") or e) for e in t.expected)
            print(f"- {t.id} ({file}) expected [{expected}] full-note level {t.full_level}")
            print(f"    start: {t.start}")
            steps = []
            for i, (fid, ans) in enumerate(t.asked[:max(EMERGENCY_WITHIN, TOP3_MISS_AT)]):
                level = t.levels[i + 1] if i + 1 < len(t.levels) else "?"
                mark = f" ->{level}" if i + 1 < len(t.levels) and level != t.levels[i] else ""
                steps.append(f"{fid}={ans}{mark}")
            print(f"    asked: {'; '.join(steps) or '-'}")
            print(f"    level at start {t.levels[0] if t.levels else '?'}, after "
                  f"{EMERGENCY_WITHIN}: {t.levels[min(EMERGENCY_WITHIN, len(t.levels) - 1)]}"
                  f" | top-3 after {TOP3_MISS_AT}: {', '.join(t.top3_at)}"
                  f" | full note: {', '.join(t.top3_full)}")


if __name__ == "__main__":
    sys.exit(main())
