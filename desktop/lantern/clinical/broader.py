"""Broader / narrower findings (``[[broader]]`` tables, SCHEMA.md §2b).

A narrower finding is a kind of its broader one: right lower abdominal pain is abdominal
pain, a productive cough is a cough. So a narrower finding present makes its broader ones
present, and a broader finding absent makes its narrower ones absent. The relation is
transitive and must have no cycle; :func:`read_broader` checks it while the knowledge base
loads, :func:`implied` applies it to what is known of a patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def read_broader(tables: list[tuple[str, dict]], known: Iterable[str],
                 problems: list[str]) -> dict[str, frozenset[str]]:
    """finding -> every broader finding (transitive), from the ``[[broader]]`` tables
    (file name, table). Problems: an unknown or missing id, no narrower findings, a
    missing ``family``, a finding narrower than itself, a cycle."""
    ids = set(known)
    direct: dict[str, set[str]] = {}
    for name, raw in tables:
        broad = raw.get("id")
        where = f"{name}: broader {broad!r}"
        if not isinstance(broad, str) or broad not in ids:
            problems.append(f"{where}: unknown finding id")
            continue
        if not str(raw.get("family", "")).strip():
            problems.append(f"{where}: missing family (what the narrower findings have in common)")
        narrower = raw.get("narrower", [])
        if not isinstance(narrower, list) or not narrower:
            problems.append(f"{where}: narrower must be a non-empty list of finding ids")
            continue
        for fid in narrower:
            if fid not in ids:
                problems.append(f"{where}: unknown narrower finding id {fid!r}")
            elif fid == broad:
                problems.append(f"{where}: a finding cannot be narrower than itself")
            else:
                direct.setdefault(fid, set()).add(broad)
    out: dict[str, frozenset[str]] = {}
    for fid in direct:
        seen: set[str] = set()
        stack = list(direct[fid])
        while stack:
            b = stack.pop()
            if b in seen:
                continue
            seen.add(b)
            stack += direct.get(b, ())
        if fid in seen:
            problems.append(f"broader findings: cycle through {fid!r}")
            seen.discard(fid)
        out[fid] = frozenset(seen)
    return out


def narrower_of(broader: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The inverse: finding -> every narrower finding (transitive)."""
    out: dict[str, set[str]] = {}
    for fid, bs in broader.items():
        for b in bs:
            out.setdefault(b, set()).add(fid)
    return {b: frozenset(ns) for b, ns in out.items()}


def implied(present: Iterable[str], absent: Iterable[str], *,
            broader: Mapping[str, frozenset[str]], narrower: Mapping[str, frozenset[str]]
            ) -> tuple[frozenset[str], frozenset[str]]:
    """(findings present, findings absent) once the relation is applied: the broader
    findings of each present one are present, the narrower findings of each absent one
    absent. A finding known present is never made absent (a note that says "abdominal
    pain in the right lower quadrant" and, later, "no abdominal pain" keeps what it
    says of the narrower one)."""
    yes = set(present)
    for fid in list(yes):
        yes |= broader.get(fid, frozenset())
    no = set(absent)
    for fid in list(no):
        no |= narrower.get(fid, frozenset())
    return frozenset(yes), frozenset(no - yes)
