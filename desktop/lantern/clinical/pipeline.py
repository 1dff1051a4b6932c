"""The deterministic assessment pipeline: input case -> findings -> triage -> differential.

``parse_case(dict)`` validates CLI/GUI input; ``assess(case)`` returns an
:class:`Assessment` whose ``to_dict()`` is the CLI JSON contract.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lantern.clinical.calibration import load_calibration
from lantern.clinical.confidence import Confidence, judge_confidence
from lantern.clinical.differential import Candidate, rank
from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.clinical.language.durations import sex_from_text
from lantern.clinical.language.findings import (
    NO_AGE_WARNING,
    Extraction,
    Finding,
    extract_findings,
    word_count,
)
from lantern.clinical.language.text import looks_supported
from lantern.clinical.triage import TriageResult, floor_from_diagnosis, is_pregnant_context, triage
from lantern.domain.errors import ValidationError
from lantern.domain.records import Vitals

DISCLAIMER = ("Decision support only — not a diagnosis. The clinician examines the patient, "
              "decides and is responsible for care.")
DISCLAIMER_ZH = "仅供临床决策参考，不是诊断。由临床医生检查患者并作出决定。"
MAX_NOTE_CHARS = 200_000
DIFFERENTIAL_SIZE = 5
_VITAL_KEYS = frozenset(Vitals.__slots__)


@dataclass(frozen=True)
class Case:
    note: str = ""
    age_years: float | None = None
    sex: str | None = None
    pregnant: bool | None = None
    vitals: Vitals = field(default_factory=Vitals)
    id: object = None


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{what} must be a number")
    return float(value)


def parse_case(data: object) -> Case:
    """Validate one input object (CLI contract). Raises ValidationError."""
    if not isinstance(data, dict):
        raise ValidationError("input must be a JSON object")
    note = data.get("note", "")
    if note is None:
        note = ""
    if not isinstance(note, str):
        raise ValidationError("note must be a string")
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(f"note is longer than {MAX_NOTE_CHARS} characters")
    age = data.get("age_years")
    if age is not None:
        age = _number(age, "age_years")
        if not 0 <= age <= 125:
            raise ValidationError("age_years must be between 0 and 125")
    sex = data.get("sex")
    if sex is not None:
        if not isinstance(sex, str) or sex.lower() not in ("male", "female"):
            raise ValidationError('sex must be "male" or "female"')
        sex = sex.lower()
    pregnant = data.get("pregnant")
    if pregnant is not None and not isinstance(pregnant, bool):
        raise ValidationError("pregnant must be true or false")
    raw_vitals = data.get("vitals") or {}
    if not isinstance(raw_vitals, dict):
        raise ValidationError("vitals must be an object")
    clean: dict[str, float] = {}
    for key, value in raw_vitals.items():
        if key not in _VITAL_KEYS:
            raise ValidationError(f"unknown vital {key!r}; expected one of {sorted(_VITAL_KEYS)}")
        if value is not None:
            clean[key] = _number(value, f"vitals.{key}")
    return Case(note=note, age_years=age, sex=sex, pregnant=pregnant,
                vitals=Vitals.from_dict(clean), id=data.get("id"))


@dataclass
class Assessment:
    case: Case
    extraction: Extraction
    triage: TriageResult
    differential: list[Candidate]
    kb_version: str
    warnings: list[str] = field(default_factory=list)
    llm_used: bool = False
    explanation: str = ""
    probabilities: list[float] = field(default_factory=list)   # calibrated, one per candidate
    confidence: Confidence | None = None
    # every condition that applies to the patient, best first (``differential`` is its
    # head): the interview weighs its questions over more of them than the differential shows
    ranked: list[Candidate] = field(default_factory=list, repr=False, compare=False)

    @property
    def lang(self) -> str:
        """The note's language ("en" or "zh"), as the language layer read it."""
        return self.extraction.lang

    def band(self, probability: float) -> str:
        """"likely" / "possible" / "less likely" for a calibrated probability."""
        return load_calibration().band(probability)

    @property
    def low_confidence(self) -> bool:
        return any(w.startswith("few findings") for w in self.warnings)

    def to_dict(self, *, with_warnings: bool = False) -> dict:
        """The CLI contract's object (issue 4) with the keys added since (issue 11: each
        condition's calibrated ``probability`` and its ``band``, and ``confidence``);
        ``with_warnings`` adds the ``warnings`` list (implausible values, too few
        findings) for other callers."""
        out = {
            "id": self.case.id,
            "triage": self.triage.level,
            "danger_signs": [
                {"id": s.rule.id, "label": s.rule.label_en,
                 "evidence": [f.as_dict() for f in s.evidence]}
                for s in self.triage.signs
            ],
            "differential": [
                {
                    "condition_id": c.condition.id, "name": c.condition.name_en,
                    "icd10": c.condition.icd10, "score": round(c.score, 4),
                    "evidence_for": [e.as_dict() for e in c.evidence_for],
                    "evidence_against": [e.as_dict() for e in c.evidence_against],
                    "next_steps": list(c.condition.next_steps), "refer": c.condition.refer,
                    "source": c.condition.source,
                    "probability": round(p, 4), "band": self.band(p),
                }
                for c, p in zip(self.differential, self.probabilities, strict=True)
            ],
            "findings": [f.as_dict() for f in self.extraction.findings],
            "kb_version": self.kb_version,
            "llm_used": self.llm_used,
            "confidence": self.confidence.as_dict() if self.confidence is not None else None,
        }
        if with_warnings:
            out["warnings"] = list(self.warnings)
        return out


def assess(case: Case, *, kb: KnowledgeBase | None = None,
           extra_findings: list[Finding] | None = None,
           answered: list[Finding] | None = None) -> Assessment:
    """Run the deterministic pipeline. ``extra_findings`` (e.g. verified LLM
    findings) are merged in before triage and scoring; ``answered`` findings (the
    interview's yes / no answers, issue 15) replace what the note says of the same id."""
    kb = kb or load_knowledge()
    # the form's sex wins; else the note's own words ("this 70 year old lady", "45M", "患者男")
    sex = case.sex or sex_from_text(case.note)
    ex = extract_findings(case.note, vitals=case.vitals, age_years=case.age_years,
                          sex=sex, pregnant=case.pregnant, kb=kb)
    if extra_findings:
        known = {f.id for f in ex.findings}
        ex.findings.extend(f for f in extra_findings if f.id not in known and f.id in kb.findings)
    if answered:
        replaced = {f.id for f in answered}
        ex.findings = [f for f in ex.findings if f.id not in replaced] + list(answered)
    age = case.age_years if case.age_years is not None else ex.age_years
    tri = triage(ex, kb, age_years=age, sex=sex, pregnant=case.pregnant)
    preg_ctx = is_pregnant_context(ex, case.pregnant)
    ranked = rank(ex, kb, age_years=age, sex=sex, pregnant_context=preg_ctx,
                  pregnant_flag=case.pregnant)
    diff = ranked[:DIFFERENTIAL_SIZE]
    warnings = list(ex.warnings)
    if case.age_years is None and ex.age_years is not None:
        warnings = [w for w in warnings if w != NO_AGE_WARNING]
        warnings.append(f"age taken from the note: {ex.age_years:g} years")
    if case.sex is None and sex is not None:
        warnings.append(f"sex taken from the note: {sex}")
    # context findings count when a triage rule uses them ("bitten by a dog", "drank pesticide")
    rule_ids = {fid for r in kb.rules for fid in r.all + r.any}
    recognised = [f for f in ex.findings
                  if kb.findings[f.id].kind != "context" or f.id in rule_ids]
    words = word_count(case.note)
    if not case.note.strip() and not case.vitals.as_dict():
        warnings.append("few findings recognised: empty note and no vitals — nothing to assess")
    elif len(recognised) < 2 or (words >= 12 and len(recognised) * 8 < words):
        why = ("" if looks_supported(case.note)
               else " — the note may be in an unsupported language")
        warnings.append(f"few findings recognised ({len(recognised)} in {words} words); "
                        f"low confidence{why}")
    probabilities = load_calibration().probabilities([c.log_odds for c in diff])
    if diff:
        tri = floor_from_diagnosis(tri, diff[0].condition, probabilities[0],
                                   tuple(e.finding for e in diff[0].evidence_for), kb)
    confidence = judge_confidence(
        extraction=ex, differential=diff, probabilities=probabilities, kb=kb,
        calibration=load_calibration(),
        few_findings=any(w.startswith("few findings") for w in warnings), applicable=ranked)
    return Assessment(case=case, extraction=ex, triage=tri, differential=diff,
                      kb_version=kb.version, warnings=warnings, probabilities=probabilities,
                      confidence=confidence, ranked=ranked)
