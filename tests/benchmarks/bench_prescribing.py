"""Prescribing checks (issue 14): sensitivity per alert kind and language, false alarms on
safe prescriptions, the time of a 5-order check and the formulary load time, each beside
its target.

Every scored set of kind "prescribing" (``tests/data/SETS.toml``) is read; a case is one
JSON line ``{"id", "lang", "style", "patient", "orders", "expected": {"safe", "alerts":
[{"order", "kind"}]}}`` and goes through the same request function as ``lantern prescribe
--check``. An expected alert is found when an output alert has the same order index and
kind at severity warn or stop. A safe case (``expected.safe``) with any warn or stop alert
is a false alarm. A set whose brief has its orders renew the current medications they repeat
says so in the manifest (``order_action = "renew"``): its orders are checked as renewals.

Sealed sets are scored only on purpose, for their first run:
``python -m tests.benchmarks.bench_prescribing --first-run prescribing_blind1.jsonl``.
``--formulary DIR`` scores against another formulary directory; ``--misses`` lists the misses
and false alarms of the development sets and scores nothing else (blind totals stay unseen);
``--development`` scores the development sets only (for work that must not score the blind ones);
``--set FILE`` scores one development set (with ``--misses``, its misses only); ``--help`` prints this
text and scores nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from tests.benchmarks.eval_sets import describe_first_run, eval_set, sets

TARGET_SENSITIVITY, TARGET_FALSE_ALARMS, TARGET_CHECK_MS, TARGET_LOAD_S = 1.0, 0.05, 50.0, 0.3
LOUD = ("warn", "stop")


def evaluate(items: list[dict], formulary, index, *, order_action: str = "") -> dict:
    """``order_action``: the action of every order that gives none (the set's convention,
    ``EvalSet.order_action``); "" leaves them new."""
    from lantern.clinical.prescribing.request import check_request

    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])      # key -> [found, expected]
    safe, false_alarms, misses, alarms = 0, 0, [], []
    for case in items:
        orders = case.get("orders")
        if order_action and isinstance(orders, list):
            orders = [{"action": order_action, **o} if isinstance(o, dict) else o for o in orders]
        out = check_request({"id": case["id"], "patient": case.get("patient"), "orders": orders},
                            formulary=formulary, index=index)
        loud = {(a["order"], a["kind"]) for a in out.get("alerts", []) if a["severity"] in LOUD}
        lang = case.get("lang", "?")
        for want in case["expected"]["alerts"]:
            hit = (want["order"], want["kind"]) in loud
            for key in ("all", f"kind {want['kind']}", f"lang {lang}"):
                found[key][0] += hit
                found[key][1] += 1
            if not hit:
                misses.append((case["id"], want, out.get("error") or sorted(loud)))
        if case["expected"]["safe"]:
            safe += 1
            if loud:
                false_alarms += 1
                alarms.append((case["id"], sorted(loud)))
    return {"found": dict(found), "safe": safe, "false_alarms": false_alarms, "misses": misses, "alarms": alarms}


def report(title: str, r: dict, *, show_misses: bool) -> None:
    print(title)
    for key in sorted(r["found"], key=lambda k: (k != "all", k)):
        got, want = r["found"][key]
        print(f"  sensitivity {key:<24} {got}/{want} = {got / want:.3f}   (target {TARGET_SENSITIVITY:.2f})")
    rate = r["false_alarms"] / r["safe"] if r["safe"] else 0.0
    print(f"  false alarms on safe cases     {r['false_alarms']}/{r['safe']} = {rate:.3f}   "
          f"(target <= {TARGET_FALSE_ALARMS:.2f})")
    if show_misses:
        for cid, want, got in r["misses"]:
            print(f"    MISS {cid}: expected order {want['order']} {want['kind']}; warn/stop alerts {got}")
        for cid, loud in r["alarms"]:
            print(f"    FALSE ALARM {cid}: {loud}")


def _five_orders(formulary) -> dict:
    names = [d.name_en for d in list(formulary.drugs.values())[:5]]
    names += [n for n in ("Amoxicillin", "Paracetamol", "Ibuprofen", "Co-trimoxazole", "Metformin")][:5 - len(names)]
    return {"id": "timing", "patient": {
        "age_years": 34, "weight_kg": 60, "sex": "female", "pregnant": True, "gestation_weeks": 20,
        "breastfeeding": False, "allergies": ["penicillin", "sulfa", "青霉素"], "egfr": 45,
        "current_medications": ["warfarin 5 mg", "enalapril 10 mg", "metformin 500 mg bd"]},
        "orders": [{"drug": n, "dose": 500, "unit": "mg", "route": "oral", "times_per_day": 3, "days": 5}
                   for n in names]}


def timings(root: Path | None) -> None:
    from lantern.clinical.prescribing import build_index, read_formulary
    from lantern.clinical.prescribing.request import check_request

    loads = []
    for _ in range(5):
        start = time.perf_counter()
        formulary = read_formulary(root)
        build_index(formulary)
        loads.append(time.perf_counter() - start)
    print(f"formulary: {len(formulary.drugs)} drugs, {len(formulary.classes)} allergy classes, "
          f"{len(formulary.interactions)} interactions; agreed, not yet written: "
          f"{len(set(formulary.agreed) - set(formulary.drugs))} ids of DRUGS.md (ingredients included)")
    print(f"formulary load + name index: first {loads[0]:.3f} s, median {statistics.median(loads):.3f} s "
          f"(target < {TARGET_LOAD_S} s)")
    index = build_index(formulary)
    case = _five_orders(formulary)
    times = []
    for _ in range(200):
        start = time.perf_counter()
        check_request(case, formulary=formulary, index=index)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"check of a 5-order prescription: median {statistics.median(times):.2f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.2f} ms (target < {TARGET_CHECK_MS:.0f} ms)")


def main(argv: list[str] | None = None) -> int:
    from lantern.clinical.prescribing import build_index, read_formulary

    argv = sys.argv[1:] if argv is None else argv
    if "--help" in argv or "-h" in argv:
        print(__doc__)
        return 0
    root = Path(argv[argv.index("--formulary") + 1]) if "--formulary" in argv else None
    timings(root)
    formulary = read_formulary(root)
    if formulary.problems:
        print(f"the formulary has {len(formulary.problems)} problem(s); first: {formulary.problems[0]}")
        return 1
    index = build_index(formulary)
    if "--first-run" in argv:
        entry = eval_set(argv[argv.index("--first-run") + 1])
        report(f"FIRST RUN {entry.file} ({entry.status}, sha256 {entry.sha256[:12]}…)",
               evaluate(entry.load(), formulary, index, order_action=entry.order_action), show_misses=True)
        return 0
    # --misses is for work on the checks: development sets only, so blind totals stay unseen
    development_only = "--development" in argv or "--misses" in argv
    scored = [e for e in sets(kind="prescribing") if e.status == "development" or not development_only]
    if "--set" in argv:         # one set, and only a development one
        wanted = argv[argv.index("--set") + 1]
        scored = [e for e in sets(kind="prescribing") if e.status == "development" and e.file == wanted]
        if not scored:
            print(f"{wanted}: no development prescribing set of that name")
            return 1
    if not scored:
        print("no scored prescribing set yet (sealed sets wait for their first run)")
    for entry in scored:
        report(f"{entry.file} ({entry.status}, n={entry.n}; {describe_first_run(entry)})",
               evaluate(entry.load(), formulary, index, order_action=entry.order_action),
               show_misses="--misses" in argv and entry.status == "development")    # a blind set: figures only
    return 0


if __name__ == "__main__":
    sys.exit(main())
