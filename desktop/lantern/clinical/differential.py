"""Differential diagnosis: naive Bayes over likelihood ratios from the knowledge base.

log-odds(condition) = logit(prior) + Σ log LR, with
- present finding: the condition's ``lr_pos``, or ``kb.unlisted_lr`` for symptoms,
  signs, vitals and tests the condition does not list (history/context: no effect);
- explicitly negated finding: ``lr_neg``; finding never mentioned: ``lr_absent``;
- no ``requires_any`` finding present: ``kb.requires_penalty``;
- uncertain findings count ``LR ** kb.uncertain_weight``.
Score = posterior probability in [0, 1]. Conditions are filtered by age, sex and
pregnancy before scoring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lantern.clinical.knowledge import Condition, KnowledgeBase
from lantern.clinical.language.findings import Extraction, Finding
from lantern.clinical.triage import YOUNG_INFANT_YEARS

_PENALISED_KINDS = frozenset({"symptom", "sign", "vital", "test"})


@dataclass(frozen=True, slots=True)
class Evidence:
    finding: Finding
    lr: float

    def as_dict(self) -> dict:
        d = self.finding.as_dict()
        d["lr"] = round(self.lr, 3)
        return d


@dataclass
class Candidate:
    condition: Condition
    log_odds: float
    evidence_for: list[Evidence] = field(default_factory=list)
    evidence_against: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float:
        lo = max(-30.0, min(30.0, self.log_odds))
        return 1.0 / (1.0 + math.exp(-lo))


def applicable(cond: Condition, *, age_years: float | None, sex: str | None,
               pregnant_context: bool, pregnant_flag: bool | None) -> bool:
    if age_years is not None and not (cond.age_min_years <= age_years < cond.age_max_years):
        return False
    if age_years is None and cond.age_max_years <= YOUNG_INFANT_YEARS:
        return False    # as in triage: a note with no age is no young infant's

    if cond.sex != "any" and sex is not None and sex != cond.sex:
        return False
    if cond.pregnancy == "required" and not pregnant_context:
        return False
    return not (cond.pregnancy == "excluded" and pregnant_flag)


def score_condition(cond: Condition, present: dict[str, Finding], negated: dict[str, Finding],
                    kb: KnowledgeBase) -> Candidate:
    """The condition's log-odds given the findings present and negated (the extraction's,
    read once by :func:`rank` for every condition)."""
    cand = Candidate(cond, math.log(cond.prior / (1.0 - cond.prior)))
    listed = {w.id: w for w in cond.findings}
    for fid, f in present.items():
        w = listed.get(fid)
        if w is not None:
            lr = w.lr_pos
        elif kb.findings[fid].kind in _PENALISED_KINDS:
            lr = kb.unlisted_lr
        else:
            continue
        if f.uncertain:
            lr = lr ** kb.uncertain_weight
        cand.log_odds += math.log(lr)
        if w is not None and lr > 1:
            cand.evidence_for.append(Evidence(f, lr))
        elif w is not None and lr < 1:
            cand.evidence_against.append(Evidence(f, lr))
    for fid, w in listed.items():
        if fid in negated:
            cand.log_odds += math.log(w.lr_neg)
            if w.lr_neg < 1:
                cand.evidence_against.append(Evidence(negated[fid], w.lr_neg))
        elif fid not in present and w.lr_absent != 1.0:
            cand.log_odds += math.log(w.lr_absent)
    if cond.requires_any and not any(fid in present for fid in cond.requires_any):
        cand.log_odds += math.log(kb.requires_penalty)
    cand.evidence_for.sort(key=lambda e: -e.lr)
    cand.evidence_against.sort(key=lambda e: e.lr)
    return cand


def rank(extraction: Extraction, kb: KnowledgeBase, *, age_years: float | None, sex: str | None,
         pregnant_context: bool, pregnant_flag: bool | None) -> list[Candidate]:
    """Every applicable condition, best first."""
    present, negated = extraction.present(), extraction.negated()
    cands = [score_condition(c, present, negated, kb) for c in kb.conditions.values()
             if applicable(c, age_years=age_years, sex=sex, pregnant_context=pregnant_context,
                           pregnant_flag=pregnant_flag)]
    cands.sort(key=lambda c: (-c.log_odds, c.condition.id))
    return cands
