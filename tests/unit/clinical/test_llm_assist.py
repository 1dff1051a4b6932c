"""The optional LLM step: verified against the note, never required."""

from __future__ import annotations

import json

from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.language.findings import extract_findings
from lantern.clinical.llm_assist import parse_llm_findings, verify_explanation
from lantern.services.assessment import AssessmentService


class FakeGenerator:
    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.calls: list[dict] = []

    def __call__(self, prompt, *, max_tokens, stop=None, json_schema=None, on_text=None):
        self.calls.append({"prompt": prompt, "json_schema": json_schema})
        text = self.answers.pop(0) if self.answers else ""
        if on_text:
            on_text(text)
        return text


NOTE = "Mother says the baby breathes noisily and will not take the breast. Cough."


def test_llm_findings_must_quote_the_note():
    kb = load_knowledge()
    ex = extract_findings(NOTE, kb=kb)
    raw = json.dumps({"findings": [
        {"id": "stridor", "quote": "breathes noisily", "negated": False},        # kept
        {"id": "convulsions", "quote": "had a fit yesterday", "negated": False},   # not in note
        {"id": "no_such_id", "quote": "Cough", "negated": False},                # unknown id
        {"id": "fever", "quote": "Cough", "negated": False},                     # overlaps lexicon
    ]})
    got = parse_llm_findings(raw, NOTE, kb, ex)
    assert [f.id for f in got] == ["stridor"]
    assert got[0].source == "llm" and NOTE[got[0].span.start:got[0].span.end] == "breathes noisily"
    assert parse_llm_findings("not json at all", NOTE, kb, ex) == []


def test_service_uses_verified_llm_findings_and_schema():
    gen = FakeGenerator(json.dumps({"findings": [
        {"id": "stridor", "quote": "breathes noisily", "negated": False}]}))
    svc = AssessmentService(use_llm=True, generator_factory=lambda: gen)
    res = svc.assess(note=NOTE, age_years=0.8)
    assert res.llm_used is True
    assert gen.calls and gen.calls[0]["json_schema"]["required"] == ["findings"]
    assert res.triage.level == "emergency"       # stridor found by the LLM, verified
    assert any(f.id == "stridor" and f.source == "llm" for f in res.extraction.findings)


def test_missing_model_falls_back_to_deterministic():
    def broken():
        raise FileNotFoundError("no model")

    svc = AssessmentService(use_llm=True, generator_factory=broken)
    res = svc.assess(note="fever, chills, RDT positive", age_years=30)
    assert res.llm_used is False
    assert res.differential[0].condition.id == "malaria_uncomplicated"
    assert any("language model not available" in w for w in res.warnings)


def test_default_is_deterministic_and_never_calls_a_model():
    def factory():
        raise AssertionError("must not be called")

    res = AssessmentService(generator_factory=factory).assess(note="cough", age_years=3)
    assert res.llm_used is False


def test_explanation_drops_unsupported_sentences():
    kb = load_knowledge()
    note = "fever and cough for 3 days"
    ex = extract_findings(note, kb=kb)
    text = ("Fever and cough suggest pneumonia. The rash suggests measles. "
            "Temperature 40.5 was recorded. Cough for 3 days is typical.")
    out = verify_explanation(text, note, kb, ex)
    assert "Fever and cough suggest pneumonia." in out
    assert "rash" not in out and "40.5" not in out
    assert "Cough for 3 days is typical." in out


def test_service_explain_streams_and_is_verified():
    gen = FakeGenerator("Fever and chills point to malaria. A rash was seen.")
    svc = AssessmentService(use_llm=False, generator_factory=lambda: gen)
    res = svc.assess(note="fever, chills, RDT positive", age_years=30)
    pieces: list[str] = []
    text = svc.explain(res, on_text=pieces.append)
    assert pieces and text == "Fever and chills point to malaria."


def test_service_explain_without_model_is_empty():
    def broken():
        raise FileNotFoundError

    svc = AssessmentService(generator_factory=broken)
    assert svc.explain(svc.assess(note="cough", age_years=3)) == ""
