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
