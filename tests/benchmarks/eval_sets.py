"""The evaluation sets in ``tests/data/`` as their manifest, ``tests/data/SETS.toml``, lists them.

Every set file is frozen by its sha256; the manifest also says what kind of set it
is (diagnosis, summary, meaning_change or prescribing), its status ("blind": scored once and never used for
fixing; "development": used for fixing, or written with the code), its first-run
figures and the floors the regression tests hold it to. ``tests/data/README.md``
explains the rules. Standard library only, so the benchmarks and the tests share it.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
MANIFEST = DATA / "SETS.toml"
KINDS = ("diagnosis", "summary", "meaning_change", "prescribing")
# "sealed": written before the code it measures was read, frozen, and not scored yet: it
# waits for its first run after the work it measures (a later issue); nothing scores it
# before then, so its first run stays honest.
STATUSES = ("blind", "development", "sealed")


@dataclass(frozen=True)
class EvalSet:
    """One set file of ``tests/data/`` as the manifest describes it."""

    file: str
    kind: str
    status: str
    origin: str
    n: int
    date: str
    sha256: str
    commit: str
    written_by: str
    floor: dict = field(default_factory=dict)
    first_run: dict = field(default_factory=dict)
    first_run_record: str = ""
    first_run_record_sha256: str = ""
    note: str = ""
    # prescribing: the action (new / renew / revise) of every order that gives none, when the set's
    # brief has its orders continue the current medications they repeat (set 10: "a refill is not a
    # duplicate ... the order replaces it"); "" keeps the contract's default, new
    order_action: str = ""

    @property
    def path(self) -> Path:
        return DATA / self.file

    def load(self) -> list[dict]:
        """The set's items, one JSON object per non-empty line."""
        text = self.path.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


@cache
def manifest() -> tuple[EvalSet, ...]:
    with MANIFEST.open("rb") as fh:
        return tuple(EvalSet(**entry) for entry in tomllib.load(fh)["set"])


def sets(*, kind: str, sealed: bool = False) -> list[EvalSet]:
    """Every set of one kind, in manifest order; sealed sets (not scored yet) only when asked."""
    return [s for s in manifest() if s.kind == kind and (sealed or s.status != "sealed")]


def eval_set(file: str) -> EvalSet:
    """The manifest entry of ``tests/data/<file>``; KeyError if it is not listed."""
    for entry in manifest():
        if entry.file == file:
            return entry
    raise KeyError(f"{file} is not in {MANIFEST.name}")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def describe_first_run(entry: EvalSet) -> str:
    """The first-run figures in one line, as the set's first-run record reports them."""
    fr = entry.first_run
    if not fr:
        return "written with the code: no first run"
    if entry.kind == "prescribing":
        return (f"first run: alerts found {fr['alerts_found']}/{fr['alerts_expected']}, "
                f"false alarms {fr['false_alarms']}/{fr['safe_cases']}")
    if entry.kind == "diagnosis":
        return (f"first run: top-1 {fr['top1']}/{entry.n}, top-3 {fr['top3']}/{entry.n}, "
                f"triage exact {fr['triage_exact']}/{entry.n}, emergency under-triage "
                f"{fr['emergency_under']}/{fr['emergencies']}")
    if entry.kind == "meaning_change":
        return (f"first run: changed dropped {fr['changed_dropped']}/{fr['changed']}, "
                f"faithful kept {fr['faithful_kept']}/{fr['faithful']}")
    return (f"first run: facts {fr['facts_found']}/{fr['required_facts']} "
            f"(recall {fr['facts_found'] / fr['required_facts']:.3f}), invented {fr['invented']}")
