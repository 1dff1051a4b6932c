"""Shared by the clinical-reach development tests (tests/unit/clinical/test_reach_*.py):
one assessment service, and the check each of their notes makes — the expected condition
is in the top 3 and the triage level is the agreed policy's."""

from __future__ import annotations

from functools import cache

from lantern.services.assessment import AssessmentService


@cache
def service() -> AssessmentService:
    return AssessmentService(use_llm=False)


def assess(note: str, *, age: float | None = None, sex: str | None = None,
           pregnant: bool | None = None, vitals: dict | None = None) -> dict:
    case: dict = {"note": note, "age_years": age, "sex": sex}
    if pregnant is not None:
        case["pregnant"] = pregnant
    if vitals:
        case["vitals"] = vitals
    return service().assess_dict(case).to_dict()


def check(condition: str, level: str, note: str, **case) -> None:
    out = assess(note, **case)
    top3 = [d["condition_id"] for d in out["differential"][:3]]
    assert condition in top3, (condition, top3, note)
    assert out["triage"] == level, (out["triage"], [s["id"] for s in out["danger_signs"]], note)



def case_ids(cases: list[tuple]) -> list[str]:
    """pytest ids for (condition, triage, age, sex, note) rows: the condition and the note's language."""
    return [f"{c[0]}-{'zh' if any(ord(ch) > 0x3000 for ch in c[4]) else 'en'}" for c in cases]


def expressions_read_as_their_findings(filename: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Each expression of one findings file (its findings and lay families), read alone (a test
    result with a positive cue), and those that do not yield their finding: a Chinese phrase
    that shares a prefix with another can be cut short by the reader's trie."""
    import tomllib

    from lantern.clinical.knowledge import knowledge_dir, load_knowledge
    from lantern.clinical.language.findings import extract_findings

    kb = load_knowledge()
    data = tomllib.loads((knowledge_dir() / filename).read_text(encoding="utf-8"))
    cue = {"en": " positive", "zh": "阳性"}
    entries = [(f["id"], e + (cue[key] if f["kind"] == "test" else ""))
               for f in data.get("finding", []) for key in ("en", "zh") for e in f.get(key, [])]
    entries += [(f["id"], e) for f in data.get("lay", []) for key in ("en", "zh") for e in f.get(key, [])]
    missed = [(fid, e) for fid, e in entries
              if fid not in {x.id for x in extract_findings(e, kb=kb).findings if not x.negated}]
    return entries, missed
