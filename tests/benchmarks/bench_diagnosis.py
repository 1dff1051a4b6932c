"""Assisted-diagnosis evaluation on the diagnosis sets of ``tests/data/SETS.toml``.

Figures: top-1 / top-3 accuracy (a hit = a predicted condition in the case's
expected list), triage exact, emergency under-triage, per language, and the p95
latency of the deterministic pipeline, first on ``diagnosis_dev_eval.jsonl``, then
on every other diagnosis set with its status and its first-run figures (the only
honest estimate for unseen notes; a development set's figures today are not).
``--llm`` also runs the optional LLM step with the default model (if it can be
loaded) on the first set and reports the same figures.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.bench_diagnosis [--misses]
[--llm [--llm-limit=N]]``
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from tests.benchmarks.bench_reach import is_named_set
from tests.benchmarks.eval_sets import describe_first_run, eval_set, sets

EVAL_PATH = eval_set("diagnosis_dev_eval.jsonl").path
LEVELS = {"routine": 0, "urgent": 1, "emergency": 2}


def load_cases(path: Path = EVAL_PATH) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _bucket() -> dict:
    return {"n": 0, "top1": 0, "top3": 0, "triage": 0, "emerg": 0, "under": 0, "over": 0}


def evaluate(cases: list[dict], service) -> dict:
    """Run every case through ``service.assess_dict``; return figures and misses."""
    buckets: dict[str, dict] = defaultdict(_bucket)
    latencies: list[float] = []
    misses: list[dict] = []
    llm_kept = 0
    for case in cases:
        expected = case["expected"]
        data = {k: v for k, v in case.items() if k not in ("expected", "lang", "source")}
        t0 = time.perf_counter()
        result = service.assess_dict(data)
        latencies.append((time.perf_counter() - t0) * 1000)
        llm_kept += sum(1 for f in result.extraction.findings if f.source == "llm")
        ranked = [c.condition.id for c in result.differential]
        want = set(expected["conditions"])
        top1 = bool(ranked) and ranked[0] in want
        top3 = bool(want & set(ranked[:3]))
        got_level, want_level = result.triage.level, expected["triage"]
        for key in ("all", case.get("lang", "en")):
            b = buckets[key]
            b["n"] += 1
            b["top1"] += top1
            b["top3"] += top3
            b["triage"] += got_level == want_level
            if want_level == "emergency":
                b["emerg"] += 1
                b["under"] += got_level != "emergency"
            b["over"] += LEVELS[got_level] > LEVELS[want_level]
        if not (top1 and got_level == want_level):
            misses.append({"id": case.get("id"), "want": sorted(want), "got": ranked[:3],
                           "triage": f"{want_level}->{got_level}"})
    latencies.sort()
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)] if latencies else 0.0
    return {"buckets": dict(buckets), "p95_ms": p95,
            "median_ms": statistics.median(latencies) if latencies else 0.0,
            "misses": misses, "llm_used": getattr(service, "use_llm", False),
            "llm_findings": llm_kept}


def rates(bucket: dict) -> dict:
    n = max(bucket["n"], 1)
    return {"n": bucket["n"], "top1": bucket["top1"] / n, "top3": bucket["top3"] / n,
            "triage_exact": bucket["triage"] / n, "emergency_under": bucket["under"],
            "emergencies": bucket["emerg"], "over_triage": bucket["over"]}


def print_report(title: str, figures: dict, *, show_misses: bool = False) -> None:
    print(f"{title}")
    for key in ("all", "en", "zh"):
        if key not in figures["buckets"]:
            continue
        r = rates(figures["buckets"][key])
        print(f"  {key:3s} n={r['n']:3d}  top-1 {r['top1']:.1%}  top-3 {r['top3']:.1%}  "
              f"triage exact {r['triage_exact']:.1%}  emergency under-triage "
              f"{r['emergency_under']}/{r['emergencies']}  over-triage {r['over_triage']}")
    print(f"  latency per case: median {figures['median_ms']:.2f} ms, p95 {figures['p95_ms']:.2f} ms "
          f"(target p95 < 100 ms)")
    if show_misses:
        for m in figures["misses"]:
            print(f"    miss {m['id']}: want {m['want']} got {m['got']} triage {m['triage']}")


_LOAD_PROBE = """
import time
t0 = time.perf_counter()
from lantern.clinical.knowledge import load_knowledge
from lantern.services.assessment import AssessmentService
t1 = time.perf_counter()
load_knowledge()
t2 = time.perf_counter()
AssessmentService(use_llm=False).assess_dict({"note": "fever and cough for 3 days"})
t3 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f}")
"""


def print_load_times() -> None:
    """Knowledge-base load in a fresh process (target < 0.5 s), without and with the parsed-file cache."""
    import os
    import subprocess

    for label, env in (("no parse cache", {"LANTERN_NO_PARSE_CACHE": "1"}), ("parse cache", {})):
        out = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True,
                             env={**os.environ, **env}, check=False)
        if out.returncode != 0:
            print(f"  knowledge base load ({label}): failed: {out.stderr.strip().splitlines()[-1:]}")
            continue
        imp, load, first = (float(x) for x in out.stdout.split())
        print(f"  knowledge base load ({label}): {load:.2f} s (target < 0.5 s); import {imp:.2f} s; "
              f"first assessment (lexicon index) {first:.2f} s")


def print_long_note_time() -> None:
    """Reading a note of the longest size accepted (50,000 characters): target < 1 s on a
    2-core laptop, and close to linear (printed as the ratio to 50 times a 1,000-character note)."""
    from lantern.clinical.language.findings import extract_findings

    chunk = "c/o cough x3d, no fever, denies vomiting. RR 44, T 38.2. 咳嗽，无发热。 "

    def timed(size: int) -> float:
        note = (chunk * (size // len(chunk) + 1))[:size]
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            extract_findings(note, age_years=3)
            best = min(best, time.perf_counter() - t0)
        return best

    extract_findings("warm up")
    short, long = timed(1_000), timed(50_000)
    print(f"  long note (50,000 characters) read in {long:.2f} s (target < 1 s); "
          f"50 x a 1,000-character note {50 * short:.2f} s (ratio {long / max(50 * short, 1e-9):.2f}, linear ~ 1)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from lantern.services.assessment import AssessmentService

    print_load_times()
    print_long_note_time()

    if not EVAL_PATH.exists():
        print(f"no evaluation file at {EVAL_PATH}")
        return 0
    cases = load_cases()
    service = AssessmentService(use_llm=False)
    service.assess_dict({"note": "warm up"})        # load the knowledge base outside the timing
    print(f"knowledge base {service.kb_version}; {len(cases)} cases from {EVAL_PATH.name}")
    print_report("deterministic (default, --no-llm):", evaluate(cases, service),
                 show_misses="--misses" in argv)
    for entry in sets(kind="diagnosis"):
        if entry.path != EVAL_PATH and not is_named_set(entry.load()):   # named sets: bench_reach
            print_report(f"{entry.file} ({entry.status}; {describe_first_run(entry)}):",
                         evaluate(entry.load(), service), show_misses="--misses" in argv)
    if "--llm" in argv:
        # The LLM step is slow on CPU: --llm-limit N measures on every k-th case (N cases).
        limit = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--llm-limit=")), 0)
        subset = cases[:: max(1, len(cases) // limit)][:limit] if limit else cases
        llm_service = AssessmentService(use_llm=True)
        t0 = time.perf_counter()
        figures = evaluate(subset, llm_service)
        used = llm_service._get_generator() is not None
        print_report(f"same {len(subset)} cases, deterministic:", evaluate(subset, service))
        print_report(f"same {len(subset)} cases with the LLM findings step (model available: "
                     f"{used}, {time.perf_counter() - t0:.0f} s, verified LLM findings kept: "
                     f"{figures.get('llm_findings', 0)}):", figures, show_misses="--misses" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
