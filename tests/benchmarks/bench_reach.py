"""Clinical reach: the diagnosis sets whose expected conditions are written by name and
ICD-10 code (their writers had not read the knowledge base, so they could not name its ids).

A knowledge-base condition answers an expected one when their ICD-10 codes agree to
the category (the first three characters: "O00.1" and "O00.9"), when the expected code
is one the condition covers in ``resources/knowledge/icd10_scope.toml`` (sibling codes
of the same entity: "I21" STEMI for acute coronary syndrome), or when their English
names are the same. Figures: the share of cases whose condition the knowledge base holds,
top-1 / top-3, triage exact, emergencies called urgent or routine, by language and
by writing style, and the mean score when the top-1 is right and when it is wrong.

Sealed sets (``SETS.toml`` status "sealed") are scored only on purpose, for their
first run: ``python -m tests.benchmarks.bench_reach --first-run diagnosis_blind9.jsonl``.
Without arguments, every *scored* set of this kind is printed (``make bench``). One
development set, with its misses: ``--set diagnosis_dev_blind10.jsonl`` (a set that is not
"development" is refused: fixing against a blind set would spend it). Any other argument (``--help`` included) prints this text and scores nothing.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

from tests.benchmarks.eval_sets import describe_first_run, eval_set, sets

LEVELS = {"routine": 0, "urgent": 1, "emergency": 2}


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("/", " ").split())


def _category(code: str) -> str:
    return code.strip().upper()[:3]


def is_named_set(items: list[dict]) -> bool:
    conds = items[0]["expected"]["conditions"] if items else []
    return bool(conds) and isinstance(conds[0], dict)


SCOPE_FILE = Path(__file__).resolve().parents[2] / "resources" / "knowledge" / "icd10_scope.toml"


@cache
def icd10_scope() -> dict[str, tuple[str, ...]]:
    """Condition id -> ICD-10 code prefixes naming the same entity (see the file's header)."""
    with open(SCOPE_FILE, "rb") as fh:
        table = tomllib.load(fh)["scope"]
    return {cid: tuple(p.upper() for p in prefixes) for cid, prefixes in table.items()}


def answers(condition, expected: list[dict]) -> bool:
    """Does a knowledge-base condition answer one of the expected (name, ICD-10) pairs?"""
    prefixes = icd10_scope().get(getattr(condition, "id", ""), ())
    for want in expected:
        code = str(want.get("icd10") or "").strip().upper()
        if code and condition.icd10 and _category(code) == _category(condition.icd10):
            return True
        if code and any(code.startswith(p) for p in prefixes):
            return True
        if _norm(str(want.get("name") or "")) == _norm(condition.name_en):
            return True
    return False


def _bucket() -> dict:
    return {"n": 0, "in_kb": 0, "top1": 0, "top3": 0, "triage": 0, "emerg": 0, "under": 0, "over": 0}


def evaluate(items: list[dict], service) -> dict:
    kb = service.kb
    buckets: dict[str, dict] = defaultdict(_bucket)
    misses: list[dict] = []
    right_scores: list[float] = []
    wrong_scores: list[float] = []
    for case in items:
        expected = case["expected"]
        data = {k: case.get(k) for k in ("id", "note", "age_years", "sex", "pregnant", "vitals")}
        result = service.assess_dict(data)
        ranked = result.differential
        in_kb = any(answers(c, expected["conditions"]) for c in kb.conditions.values())
        top1 = bool(ranked) and answers(ranked[0].condition, expected["conditions"])
        top3 = any(answers(c.condition, expected["conditions"]) for c in ranked[:3])
        got, want = result.triage.level, expected["triage"]
        if ranked:
            (right_scores if top1 else wrong_scores).append(ranked[0].score)
        for key in ("all", case.get("lang", "en"), f"style:{case.get('style', '-')}"):
            b = buckets[key]
            b["n"] += 1
            b["in_kb"] += in_kb
            b["top1"] += top1
            b["top3"] += top3
            b["triage"] += got == want
            b["over"] += LEVELS[got] > LEVELS[want]
            if want == "emergency":
                b["emerg"] += 1
                b["under"] += got != "emergency"
        if not (top3 and got == want):
            misses.append({"id": case["id"], "expected": [c.get("name") for c in expected["conditions"]],
                           "in_kb": in_kb, "got": [c.condition.id for c in ranked[:3]],
                           "triage": f"{want}->{got}"})
    return {"buckets": dict(buckets), "misses": misses,
            "mean_score_right": sum(right_scores) / max(1, len(right_scores)),
            "mean_score_wrong": sum(wrong_scores) / max(1, len(wrong_scores))}


def report(name: str, fig: dict, *, show_misses: bool = False) -> None:
    print(f"\n{name}")
    for key, b in sorted(fig["buckets"].items(), key=lambda kv: (kv[0] != "all", kv[0])):
        n = b["n"]
        print(f"  {key:18s} n={n:3d}  in KB {b['in_kb'] / n:5.1%}  top-1 {b['top1'] / n:5.1%}  "
              f"top-3 {b['top3'] / n:5.1%}  triage exact {b['triage'] / n:5.1%}  "
              f"over-triaged {b['over']}  emergencies under-triaged {b['under']}/{b['emerg']}")
    print(f"  mean top-1 score when right {fig['mean_score_right']:.2f}, when wrong {fig['mean_score_wrong']:.2f}")
    if show_misses:
        for m in fig["misses"]:
            print("   ", json.dumps(m, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    from lantern.services.assessment import AssessmentService

    argv = sys.argv[1:] if argv is None else argv
    if not (argv in ([], ["--misses"]) or (len(argv) == 2 and argv[0] in ("--first-run", "--set"))):
        # --help or a typo must not fall through to the default run, which prints blind figures
        print(__doc__)
        return 0
    service = AssessmentService(use_llm=False)
    if argv[:1] == ["--first-run"]:
        entry = eval_set(argv[1])
        report(f"FIRST RUN {entry.file} ({entry.status}, sha256 {entry.sha256[:12]}…)",
               evaluate(entry.load(), service), show_misses=True)
        return 0
    if argv[:1] == ["--set"]:
        entry = eval_set(argv[1])
        if entry.status != "development":
            print(f"{entry.file} is {entry.status}: only a development set is scored with --set")
            return 2
        report(f"{entry.file} ({entry.status}; {describe_first_run(entry)})",
               evaluate(entry.load(), service), show_misses=True)
        return 0
    named = [e for e in sets(kind="diagnosis") if is_named_set(e.load())]
    if not named:
        print("no scored diagnosis set with named conditions yet (sealed sets wait for their first run)")
    for entry in named:
        report(f"{entry.file} ({entry.status}; {describe_first_run(entry)}, in KB "
               f"{entry.first_run.get('in_kb', '?')}/{entry.n})", evaluate(entry.load(), service),
               show_misses="--misses" in argv and entry.status == "development")
    return 0


if __name__ == "__main__":
    sys.exit(main())
