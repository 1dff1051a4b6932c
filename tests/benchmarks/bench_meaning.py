"""Meaning-change benchmark: model rewordings that change the meaning of a draft line
must be dropped by the summary's verification, faithful paraphrases kept.

Every ``kind = "meaning_change"`` set of ``tests/data/SETS.toml`` is scored through the
summarizer's own check (:func:`lantern.clinical.summarize.verify.check_sentence`, the
item's ``source`` being both the source text and the draft line the ``candidate``
replaces). Printed per set and language: changed sentences dropped, faithful ones kept,
and every miss with the reasons.

Sealed sets are scored only on purpose, for their first run:
``python -m tests.benchmarks.bench_meaning --first-run meaning_change_blind1.jsonl``.
Without arguments every scored set is printed (``make bench``), with its misses only
when it is a development set; ``--development`` prints the development sets only (for
work on the check, so blind totals stay unseen). Any other argument (``--help`` included)
prints this text and scores nothing.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from lantern.clinical.summarize.verify import SourceIndex, check_sentence
from tests.benchmarks.eval_sets import eval_set, sets


def judge(item: dict) -> list[str]:
    """Why the summarizer would drop ``item["candidate"]`` (empty: it would keep it)."""
    index = SourceIndex.build([item["source"]])
    return check_sentence(item["candidate"], index, replaces=[item["source"]]).reasons


def evaluate(items: list[dict]) -> dict:
    buckets: dict[str, dict[str, int]] = defaultdict(lambda: {"changed": 0, "dropped": 0, "faithful": 0, "kept": 0})
    misses = []
    for item in items:
        reasons = judge(item)
        dropped = bool(reasons)
        for key in ("all", item.get("lang", "en"), f"change:{item.get('change', '?')}"):
            b = buckets[key]
            if item["changed"]:
                b["changed"] += 1
                b["dropped"] += dropped
            else:
                b["faithful"] += 1
                b["kept"] += not dropped
        if dropped != item["changed"]:
            misses.append({"id": item["id"], "changed": item["changed"], "reasons": reasons,
                           "candidate": item["candidate"]})
    return {"buckets": dict(buckets), "misses": misses}


def _rate(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.1%})" if b else "-"


def report(name: str, fig: dict, *, show_misses: bool = True) -> None:
    print(f"\n{name}")
    for key, b in sorted(fig["buckets"].items(), key=lambda kv: (kv[0] != "all", kv[0])):
        print(f"  {key:28s} changed dropped {_rate(b['dropped'], b['changed']):16s} "
              f"faithful kept {_rate(b['kept'], b['faithful'])}")
    if show_misses:
        for m in fig["misses"]:
            print("   ", json.dumps(m, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in ([], ["--development"]) and not (len(argv) == 2 and argv[0] == "--first-run"):
        # an unknown flag (or --help) must never fall through to the default run, which
        # prints the blind sets' figures
        print(__doc__)
        return 0
    if argv[:1] == ["--first-run"]:
        entry = eval_set(argv[1])
        report(f"FIRST RUN {entry.file} ({entry.status}, sha256 {entry.sha256[:12]}…)", evaluate(entry.load()))
        return 0
    scored = sets(kind="meaning_change")
    if argv[:1] == ["--development"]:
        scored = [entry for entry in scored if entry.status == "development"]
    if not scored:
        print("no scored meaning-change set (sealed sets wait for their first run)")
    for entry in scored:
        # misses are listed for development sets only: a blind set's items stay unread
        report(f"{entry.file} ({entry.status}, {entry.origin})", evaluate(entry.load()),
               show_misses=entry.status == "development")
    return 0


if __name__ == "__main__":
    sys.exit(main())
