"""Calibration of the differential's scores, and the "no confident match" line.

For every scored diagnosis set (``SETS.toml``: development and blind, never sealed):
the Brier score over the five conditions shown and over the first one, and a reliability
table (score band -> n, mean shown score, observed frequency of "this condition is one the
writer expected"), before calibration (raw posterior) and after (the map of
``resources/knowledge/calibration.toml``), per set and overall; then how often the
confidence levels fire on cases whose condition is and is not among the first three.

``--fit`` refits the map and the thresholds on the development sets (never on a blind
one) and writes the file; it also prints a cross-check: fitted on half of those sets,
scored on the other half (and the reverse). The fit weighs the sets written by clinicians who had not read the knowledge
base as much, together, as the sets written with the code (``style_weights``). ``--first-run FILE`` scores one sealed set once, like bench_reach.py.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.bench_calibration [--fit] [--first-run FILE]``
"""

from __future__ import annotations

import datetime
import math
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from tests.benchmarks.bench_reach import answers, is_named_set
from tests.benchmarks.eval_sets import eval_set, sets

SHOWN = 5
BAND_EDGES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
MAX_GOOD_FLAGGED = 0.03   # "no confident match" on at most 3% of cases the first three answer


@dataclass
class CaseRow:
    set_name: str
    log_odds: list[float]          # the differential shown, best first
    right: list[bool]              # each one an expected condition?
    in_kb: bool                    # the knowledge base holds an expected condition
    explained: float
    few_findings: bool

    @property
    def top3_right(self) -> bool:
        return any(self.right[:3])


def collect(entry, service) -> list[CaseRow]:
    """Run every case of one set; keep what calibration needs."""
    items = entry.load()
    named = is_named_set(items)
    kb = service.kb
    rows = []
    for case in items:
        want = case["expected"]["conditions"]
        data = {k: case.get(k) for k in ("id", "note", "age_years", "sex", "pregnant", "vitals")}
        a = service.assess_dict(data)
        if named:
            right = [answers(c.condition, want) for c in a.differential]
            in_kb = any(answers(c, want) for c in kb.conditions.values())
        else:
            right = [c.condition.id in want for c in a.differential]
            in_kb = any(w in kb.conditions for w in want)
        few = any(w.startswith("few findings") for w in a.warnings)
        # the share explained does not depend on the calibration
        explained = a.confidence.explained if a.confidence is not None else 0.0
        rows.append(CaseRow(entry.file, [c.log_odds for c in a.differential], right, in_kb,
                            explained, few))
    return rows


# --- the map ---------------------------------------------------------------
def features(row: CaseRow) -> list[tuple[list[float], float]]:
    top = row.log_odds[0] if row.log_odds else 0.0
    out = []
    for lo, ok in zip(row.log_odds[:SHOWN], row.right[:SHOWN], strict=True):
        lo_c, top_c = max(-30.0, min(30.0, lo)), max(-30.0, min(30.0, top))
        out.append(([lo_c, lo_c - top_c, 1.0], 1.0 if ok else 0.0))
    return out


def fit_map(rows: list[CaseRow], *, ridge: float = 1e-3,
            weights: dict[str, float] | None = None) -> tuple[float, float, float]:
    """Weighted logistic regression (Newton) of "expected" on (log-odds, gap to the top, 1);
    ``weights``: set name -> weight of each of its cases (default 1)."""
    data = [(x, y, (weights or {}).get(r.set_name, 1.0)) for r in rows for x, y in features(r)]

    def loss(w: list[float]) -> float:
        total = ridge / 2 * sum(wi * wi for wi in w)
        for x, y, weight in data:
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True))
            # log(1 + e^z) - y z, written to stay finite for large |z|
            total += weight * (max(z, 0.0) + math.log1p(math.exp(-abs(z))) - y * z)
        return total

    w = [1.0, 0.0, 0.0]
    for _ in range(50):
        grad = [0.0] * 3
        hess = [[0.0] * 3 for _ in range(3)]
        for x, y, weight in data:
            z = max(-30.0, min(30.0, sum(wi * xi for wi, xi in zip(w, x, strict=True))))
            p = 1.0 / (1.0 + math.exp(-z))
            for i in range(3):
                grad[i] += weight * (p - y) * x[i]
                for j in range(3):
                    hess[i][j] += weight * p * (1 - p) * x[i] * x[j]
        for i in range(3):
            grad[i] += ridge * w[i]
            hess[i][i] += ridge
        step = _solve(hess, grad)
        # damped Newton: halve the step until the loss falls (a full step from the start
        # can overshoot when the scores span a wide range, and the fit then diverges)
        before, t = loss(w), 1.0
        while t > 1e-6 and loss([wi - t * si for wi, si in zip(w, step, strict=True)]) > before:
            t /= 2
        w = [wi - t * si for wi, si in zip(w, step, strict=True)]
        if max(abs(t * s) for s in step) < 1e-9:
            break
    return w[0], w[1], w[2]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def shown(rows: list[CaseRow], cal) -> list[tuple[int, float, bool]]:
    """(rank, shown probability, expected?) for every condition shown; ``cal`` None = raw."""
    out = []
    for r in rows:
        probs = ([1 / (1 + math.exp(-max(-30, min(30, lo)))) for lo in r.log_odds] if cal is None
                 else cal.probabilities(r.log_odds))
        out += [(i, p, ok) for i, (p, ok) in enumerate(zip(probs[:SHOWN], r.right[:SHOWN],
                                                           strict=True))]
    return out


def brier(pairs: list[tuple[int, float, bool]], *, top1: bool = False) -> float:
    sel = [(p, ok) for i, p, ok in pairs if i == 0 or not top1]
    return sum((p - ok) ** 2 for p, ok in sel) / max(1, len(sel))


def reliability(pairs: list[tuple[int, float, bool]]) -> list[str]:
    lines = []
    for lo, hi in zip(BAND_EDGES, BAND_EDGES[1:], strict=False):
        sel = [(p, ok) for _i, p, ok in pairs if lo <= p < hi]
        if sel:
            lines.append(f"      {lo:.1f}-{min(hi, 1.0):.1f}  n={len(sel):4d}  mean shown "
                         f"{sum(p for p, _ in sel) / len(sel):.2f}  observed "
                         f"{sum(ok for _, ok in sel) / len(sel):.2f}")
    return lines


def print_calibration(title: str, rows: list[CaseRow], cal, *, table: bool = True) -> None:
    for label, c in (("before (raw posterior)", None), ("after (calibrated)", cal)):
        pairs = shown(rows, c)
        print(f"  {title} {label}: n cases {len(rows)}, Brier top-5 {brier(pairs):.4f}, "
              f"top-1 {brier(pairs, top1=True):.4f}")
        if table:
            print("\n".join(reliability(pairs)))


# --- the levels --------------------------------------------------------------
def level_of(row: CaseRow, cal) -> str:
    from lantern.clinical.confidence import confidence_level

    p = cal.probabilities(row.log_odds)[0] if row.log_odds else 0.0
    return confidence_level(top_probability=p, explained=row.explained,
                            few_findings=row.few_findings, calibration=cal)


def print_levels(title: str, rows: list[CaseRow], cal) -> None:
    groups = {"top-3 right": [r for r in rows if r.top3_right],
              "top-3 wrong, in KB": [r for r in rows if not r.top3_right and r.in_kb],
              "not in KB": [r for r in rows if not r.in_kb]}
    print(f"  {title} confidence levels (low = 'no confident match'):")
    for name, grp in groups.items():
        if grp:
            counts = {lv: sum(level_of(r, cal) == lv for r in grp) for lv in ("low", "moderate", "high")}
            top1 = sum(r.right[0] for r in grp if r.right and level_of(r, cal) == "high")
            print(f"    {name:20s} n={len(grp):4d}  low {counts['low']:4d}  moderate "
                  f"{counts['moderate']:4d}  high {counts['high']:4d}  (top-1 right among high: {top1})")


def choose_thresholds(rows: list[CaseRow], cal):
    """confident_from: the threshold that best separates cases whose condition is among the
    first three from those where it is not (Youden's J), flagging at most
    ``MAX_GOOD_FLAGGED`` of the first. explained_min is kept as written in the file: it
    guards notes whose condition the knowledge base does not hold, which the development
    sets barely contain (a fit on them would switch the guard off)."""
    good = [r for r in rows if r.top3_right]
    bad = [r for r in rows if not r.top3_right]
    best = (-1.0, cal.confident_from)
    for conf in [x / 100 for x in range(5, 51)]:
        c = replace(cal, confident_from=conf)
        flag_good = sum(level_of(r, c) == "low" for r in good) / max(1, len(good))
        flag_bad = sum(level_of(r, c) == "low" for r in bad) / max(1, len(bad))
        if flag_good <= MAX_GOOD_FLAGGED and flag_bad - flag_good > best[0]:
            best = (flag_bad - flag_good, conf)
    return replace(cal, confident_from=best[1])


def style_weights(rows: list[CaseRow], independent: set[str]) -> dict[str, float]:
    """Sets written by clinicians who had not read the knowledge base (their conditions named,
    not given as ids) weigh as much, together, as the sets written with the code: notes in
    the field read like the first, and the second flatter the scores they were fixed on."""
    n_ind = sum(r.set_name in independent for r in rows)
    n_own = len(rows) - n_ind
    return {r.set_name: (n_own / n_ind if n_ind and n_own else 1.0) if r.set_name in independent
            else 1.0 for r in rows}


def fitted(rows: list[CaseRow], base, *, independent: set[str]):
    slope, gap, intercept = fit_map(rows, weights=style_weights(rows, independent))
    return choose_thresholds(rows, replace(base, slope=slope, gap_slope=gap, intercept=intercept))


def write_file(cal, *, set_names: list[str], kb_version: str, path: Path) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip() or "unknown"
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    names = ", ".join(f'"{n}"' for n in set_names)
    path.write_text(f"""# Calibration of the differential's scores (lantern.clinical.calibration).
# p = sigmoid(slope * log_odds + gap_slope * (log_odds - top_log_odds) + intercept)
# Refit when the knowledge base or the reading of notes changes; figures: make bench.

[map]
slope = {cal.slope:.6f}
gap_slope = {cal.gap_slope:.6f}
intercept = {cal.intercept:.6f}

[levels]
likely_from = {cal.likely_from}       # calibrated probability bands shown beside the %;
                        # a "likely" first condition with its findings explained: high
possible_from = {cal.possible_from}
confident_from = {cal.confident_from}     # first condition below this: no confident match
explained_min = {cal.explained_min}      # share of positive findings the first three must explain

[provenance]
fitted_on = [{names}]
weighting = "sets whose writers had not read the knowledge base weigh as much, together, as the others"
kb_version = "{kb_version}"
date = "{today}"
commit = "{commit}"
command = "PYTHONPATH=desktop python -m tests.benchmarks.bench_calibration --fit"
""", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    from lantern.clinical.calibration import CALIBRATION_FILE, IDENTITY, load_calibration
    from lantern.clinical.knowledge import knowledge_dir
    from lantern.services.assessment import AssessmentService

    argv = sys.argv[1:] if argv is None else argv
    service = AssessmentService(use_llm=False)
    cal = load_calibration()
    print(f"knowledge base {service.kb_version}; calibration: {cal.provenance or 'none'}")
    if cal.fitted_kb_version and cal.fitted_kb_version != service.kb_version:
        print(f"NOTE: the calibration was fitted with knowledge base {cal.fitted_kb_version}; "
              f"refit it (--fit) once the knowledge base settles")
    if argv[:1] == ["--first-run"]:
        entry = eval_set(argv[1])
        rows = collect(entry, service)
        print(f"FIRST RUN {entry.file} ({entry.status}, sha256 {entry.sha256[:12]}…)")
        print_calibration(entry.file, rows, cal)
        print_levels(entry.file, rows, cal)
        return 0
    entries = sets(kind="diagnosis")
    by_set = {e.file: collect(e, service) for e in entries}
    independent = {e.file for e in entries if is_named_set(e.load())}
    every = [r for rows in by_set.values() for r in rows]
    if "--fit" in argv:
        # fitted on development sets only: fitting on a blind set would spend it
        base = IDENTITY if cal is IDENTITY else cal
        dev = [e for e in entries if e.status == "development"]
        half_a = [e.file for e in dev[0::2]]
        half_b = [e.file for e in dev[1::2]]
        for fit_on, held in ((half_a, half_b), (half_b, half_a)):
            part = fitted([r for n in fit_on for r in by_set[n]], base, independent=independent)
            held_rows = [r for n in held for r in by_set[n]]
            print(f"\ncross-check: fitted on {', '.join(fit_on)} (slope {part.slope:.3f}, gap "
                  f"{part.gap_slope:.3f}, intercept {part.intercept:.3f}, confident_from "
                  f"{part.confident_from}, explained_min {part.explained_min})")
            print_calibration("held-out half", held_rows, part)
            print_levels("held-out half", held_rows, part)
        cal = fitted([r for e in dev for r in by_set[e.file]], base, independent=independent)
        path = knowledge_dir() / CALIBRATION_FILE
        write_file(cal, set_names=[e.file for e in dev], kb_version=service.kb_version, path=path)
        print(f"\nwrote {path}")
    for name, rows in by_set.items():
        print(f"\n{name}")
        print_calibration(name, rows, cal, table=False)
    print("\nall scored diagnosis sets")
    print_calibration("all", every, cal)
    print_levels("all", every, cal)
    return 0


if __name__ == "__main__":
    sys.exit(main())
