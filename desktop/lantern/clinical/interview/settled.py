"""Findings a normal statement settles (``resources/interview/settled.toml``, issue 15).

The note says "alert and oriented" (神志清): "is he confused?", "is he muddled?" are
answered. The lexicon reads such a statement as findings absent (altered consciousness)
or a calm finding present (oriented_answers); an entry names what the statement is read
as and the findings it settles, and the engine never asks a settled finding that is not
itself present. The narrower findings of a settled one are settled with it (the broader /
narrower relation). Only the questions change: the differential and the triage read the
note as written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.interview.screens import interview_dir
from lantern.clinical.knowledge import KnowledgeBase
from lantern.domain.errors import KnowledgeBaseError

SETTLED_FILE = "settled.toml"


@dataclass(frozen=True, slots=True)
class Settle:
    id: str
    settles: tuple[str, ...]
    source: str
    when_absent: tuple[str, ...] = ()       # one of these absent ...
    when_all_absent: tuple[str, ...] = ()   # ... or all of these ...
    when_present: tuple[str, ...] = ()      # ... or one of these present
    statements_en: tuple[str, ...] = ()
    statements_zh: tuple[str, ...] = ()

    def holds(self, present: Iterable[str] | set[str] | frozenset[str],
              absent: Iterable[str] | set[str] | frozenset[str]) -> bool:
        present, absent = set(present), set(absent)
        return (any(f in absent for f in self.when_absent)
                or (bool(self.when_all_absent) and all(f in absent for f in self.when_all_absent))
                or any(f in present for f in self.when_present))


def read_settled(path: Path | None = None) -> tuple[Settle, ...]:
    path = path or interview_dir() / SETTLED_FILE
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return tuple(Settle(
        id=str(item.get("id", "")), settles=tuple(item.get("settles", ())),
        source=str(item.get("source", "")), when_absent=tuple(item.get("when_absent", ())),
        when_all_absent=tuple(item.get("when_all_absent", ())),
        when_present=tuple(item.get("when_present", ())),
        statements_en=tuple(item.get("statements_en", ())),
        statements_zh=tuple(item.get("statements_zh", ()))) for item in raw.get("settle", []))


def validate_settled(kb: KnowledgeBase, entries: tuple[Settle, ...]) -> list[str]:
    """Problems: unknown ids, no condition or nothing settled, no source, and a statement
    that does not read back as the entry's condition."""
    from lantern.clinical.language.findings import extract_findings

    problems: list[str] = []
    seen: set[str] = set()
    for e in entries:
        where = f"{SETTLED_FILE}: settle {e.id!r}"
        if not e.id or e.id in seen:
            problems.append(f"{where}: the id must be given and unique")
        seen.add(e.id)
        for fid in e.settles + e.when_absent + e.when_all_absent + e.when_present:
            if fid not in kb.findings:
                problems.append(f"{where}: unknown finding id {fid!r}")
        if not e.settles:
            problems.append(f"{where}: settles nothing")
        if not (e.when_absent or e.when_all_absent or e.when_present):
            problems.append(f"{where}: needs when_absent, when_all_absent or when_present")
        if not e.source.strip():
            problems.append(f"{where}: missing source")
        if not (e.statements_en and e.statements_zh):
            problems.append(f"{where}: needs statements_en and statements_zh")
        if any(p.startswith(where) for p in problems):
            continue
        for text in e.statements_en + e.statements_zh:
            ex = extract_findings(text, age_years=30.0, kb=kb)
            present = {f.id for f in ex.findings if not f.negated and not f.uncertain}
            absent = {f.id for f in ex.findings if f.negated and not f.uncertain}
            if not e.holds(present, absent):
                problems.append(f"{where}: the statement {text!r} does not read back as its condition")
    return problems


@cache
def load_settled() -> tuple[Settle, ...]:
    """The entries, validated against the knowledge base (KnowledgeBaseError otherwise)."""
    from lantern.clinical.knowledge import load_knowledge

    entries = read_settled()
    problems = validate_settled(load_knowledge(), entries)
    if problems:
        raise KnowledgeBaseError(f"{len(problems)} problem(s) in the settled findings; "
                                 f"first: {problems[0]}")
    return entries


def settled_by(present: Iterable[str], absent: Iterable[str], *,
               narrower: Mapping[str, frozenset[str]],
               entries: tuple[Settle, ...] | None = None) -> frozenset[str]:
    """The findings the statements known so far settle (``present`` and ``absent``, the
    broader / narrower relation already applied), with their narrower findings; never one
    that is present."""
    present, absent = set(present), set(absent)
    out: set[str] = set()
    for e in load_settled() if entries is None else entries:
        if e.holds(present, absent):
            for fid in e.settles:
                out.add(fid)
                out |= narrower.get(fid, frozenset())
    return frozenset(out - present)
