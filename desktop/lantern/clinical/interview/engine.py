"""The next-question engine: mandatory screens first, then the questions with the
highest expected information gain over the calibrated differential.

Answers are findings: "yes" present, "no" absent, applied on top of the note's reading
(a later answer to the same finding wins). A finding already known - in the note,
from the vitals, or answered (even "unknown") - is never asked.

Gain of asking finding f, with p the calibrated probabilities of the conditions in
play (the top ``IN_PLAY``, renormalised) and H a danger-weighted entropy (a dangerous
condition's term weighs ``1 + DANGER_WEIGHT``):

    gain(f) = H(p) - P(yes) H(p | yes) - P(no) H(p | no)  [+ triage bonus]

p | yes and p | no move each condition's log-odds by the knowledge base's own
likelihood ratios (as ``differential.score_condition`` would) and calibrate again.
P(yes | condition) = min(0.95, BASE_RATE * lr_pos) (BASE_RATE for an unlisted
finding). The triage bonus: a "yes" that would fire a triage rule above the current
level adds ``P(yes) * TRIAGE_BONUS[level]``: a missed emergency costs more than a
missed cold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lantern.clinical.calibration import Calibration, load_calibration
from lantern.clinical.differential import Candidate, rank
from lantern.clinical.interview.model import ANSWERS, Answer, Interview, Question
from lantern.clinical.interview.screens import load_screens
from lantern.clinical.interview.wording import Wording, wording
from lantern.clinical.knowledge import Condition, KnowledgeBase, TriageRule, load_knowledge
from lantern.clinical.language.durations import sex_from_text
from lantern.clinical.language.findings import Finding
from lantern.clinical.pipeline import Assessment, Case, assess
from lantern.clinical.triage import LEVEL_ORDER, is_pregnant_context, rule_applies
from lantern.domain.errors import ValidationError

IN_PLAY = 12              # conditions the gain is computed over
DANGER_WEIGHT = 1.0       # extra entropy weight of an emergency / urgent-referral condition
BASE_RATE = 0.08          # P(finding) in a patient without the condition
TRIAGE_BONUS = {"urgent": 0.35, "emergency": 0.8}
MIN_GAIN = 0.01           # below this no question is worth asking (bits)
SETTLED_P = 0.85          # first condition's calibrated probability that settles it ...
SETTLED_GAP = 0.5         # ... when the second is this far below
_PENALISED = frozenset({"symptom", "sign", "vital", "test"})
_URGENT_WORDS = ("immediately", "urgent", "emergency")


def dangerous(cond: Condition) -> bool:
    """An emergency condition, or one whose referral advice is urgent."""
    first = cond.refer.split(".")[0].lower()
    return cond.group == "emergency" or any(w in first for w in _URGENT_WORDS)


def resolve_answers(answers: list[Answer], kb: KnowledgeBase) -> dict[str, str]:
    """finding -> answer, the later answer to a finding winning; ValidationError naming
    the first unknown finding id or answer."""
    out: dict[str, str] = {}
    for i, a in enumerate(answers):
        if a.finding not in kb.findings:
            raise ValidationError(f"answers[{i}]: unknown finding id {a.finding!r}")
        if a.answer not in ANSWERS:
            raise ValidationError(f'answers[{i}]: answer must be one of {", ".join(ANSWERS)}')
        out.pop(a.finding, None)
        out[a.finding] = a.answer
    return out


@dataclass
class _State:
    kb: KnowledgeBase
    cal: Calibration
    in_play: list[Candidate]
    present: set[str]
    level: str
    rules: list[TriageRule]


def _calibrated(log_odds: list[float], cal: Calibration) -> list[float]:
    top = max(log_odds)
    ps = [cal.probability(lo, top_log_odds=top) for lo in log_odds]
    total = sum(ps) or 1.0
    return [p / total for p in ps]


def _entropy(ps: list[float], weights: list[float]) -> float:
    return -sum(w * p * math.log2(p) for p, w in zip(ps, weights, strict=True) if p > 0)


def _shifts(fid: str, cand: Candidate, state: _State) -> tuple[float, float, float]:
    """(log-odds change if yes, if no, P(yes | condition))."""
    cond, kb = cand.condition, state.kb
    w = cond.weight(fid)
    if w is not None:
        base = math.log(w.lr_absent)
        yes, no, p_yes = math.log(w.lr_pos) - base, math.log(w.lr_neg) - base, w.lr_pos * BASE_RATE
    else:
        yes = math.log(kb.unlisted_lr) if kb.findings[fid].kind in _PENALISED else 0.0
        no, p_yes = 0.0, BASE_RATE
    if fid in cond.requires_any and not any(r in state.present for r in cond.requires_any):
        yes -= math.log(kb.requires_penalty)
    return yes, no, min(0.95, max(0.01, p_yes))


def _fires(fid: str, rule: TriageRule, present: set[str]) -> bool:
    if fid in rule.none or any(n in present for n in rule.none):
        return False
    have = present | {fid}
    if any(x not in have for x in rule.all):
        return False
    return not rule.any or sum(x in have for x in rule.any) >= rule.min_any


def _gain(fid: str, state: _State, ps: list[float], weights: list[float]) -> tuple[float, tuple[str, ...]]:
    lo = [c.log_odds for c in state.in_play]
    shifts = [_shifts(fid, c, state) for c in state.in_play]
    p_yes = sum(p * s[2] for p, s in zip(ps, shifts, strict=True))
    gain = _entropy(ps, weights)
    for k, p_ans in ((0, p_yes), (1, 1.0 - p_yes)):
        after = _calibrated([x + s[k] for x, s in zip(lo, shifts, strict=True)], state.cal)
        gain -= p_ans * _entropy(after, weights)
    for rule in state.rules:
        if LEVEL_ORDER[rule.level] > LEVEL_ORDER[state.level] and _fires(fid, rule, state.present):
            gain += p_yes * TRIAGE_BONUS[rule.level]
            break
    moved = sorted(((abs(s[0] - s[1]), c.condition.id) for c, s in zip(state.in_play, shifts, strict=True)
                    if abs(s[0] - s[1]) > 0.5), reverse=True)
    return max(0.0, gain), tuple(cid for _, cid in moved[:3])


def _question(w: Wording, *, gain: float, why: tuple[str, ...], danger: bool,
              screen: str | None = None) -> Question:
    return Question(finding=w.finding, text_en=w.en, text_zh=w.zh, kind=w.kind,
                    danger_sign=danger, gain=gain, why=why, screen=screen, vital=w.vital)


def next_questions(*, case: Case, answers: list[Answer], limit: int = 5,
                   kb: KnowledgeBase | None = None) -> Interview:
    """The ``limit`` best questions for ``case`` given the ``answers`` so far.

    Unanswered mandatory screens come first (IMCI general danger signs under 5, ETAT
    emergency signs in children, obstetric danger signs in a pregnant or recently
    delivered woman, the IMAI quick check for adults); then the questions by gain, as
    long as the differential is not settled and the gain is above ``MIN_GAIN``.
    ValidationError for an unknown finding id or answer."""
    kb = kb or load_knowledge()
    answered = resolve_answers(answers, kb)
    overrides = [Finding(fid, kb.label(fid), negated=(a == "no"), source="answer")
                 for fid, a in answered.items() if a != "unknown"]
    assessment = assess(case, kb=kb, answered=overrides)
    questions = _rank(assessment, answered, kb, limit)
    return Interview(questions=questions[0][:limit], assessment=assessment,
                     settled=questions[1], answered=answered)


def _rank(assessment: Assessment, answered: dict[str, str], kb: KnowledgeBase,
          limit: int) -> tuple[list[Question], bool]:
    ex, case = assessment.extraction, assessment.case
    known = {f.id for f in ex.findings} | set(answered)
    present = set(ex.present())
    age = case.age_years if case.age_years is not None else ex.age_years
    sex = case.sex or sex_from_text(case.note)
    preg_ctx = is_pregnant_context(ex, case.pregnant)
    measured = set(ex.vitals)
    rule_ids = {fid for r in kb.rules for fid in r.all + r.any}

    def askable(fid: str) -> Wording | None:
        if fid in known:
            return None
        w = wording(fid, kb)
        if w is None or (w.kind == "measure" and w.vital in measured):
            return None
        return w

    out: list[Question] = []
    for screen in load_screens():
        if not screen.applies(age_years=age, pregnant_context=preg_ctx, present=present):
            continue
        for fid in screen.findings:
            w = askable(fid)
            if w is not None and fid not in {q.finding for q in out}:
                out.append(_question(w, gain=0.0, why=(), danger=True, screen=screen.id))
    ranked = rank(ex, kb, age_years=age, sex=sex, pregnant_context=preg_ctx,
                  pregnant_flag=case.pregnant)[:IN_PLAY]
    if not ranked:
        return out, False
    cal = load_calibration()
    ps = _calibrated([c.log_odds for c in ranked], cal)
    top = cal.probabilities([c.log_odds for c in ranked[:2]])
    settled = len(top) > 0 and top[0] >= SETTLED_P and (len(top) < 2 or top[0] - top[1] >= SETTLED_GAP)
    rules = [r for r in kb.rules if rule_applies(r, age_years=age, sex=sex, pregnant_context=preg_ctx,
                                                 pregnant_flag=case.pregnant)]
    state = _State(kb=kb, cal=cal, in_play=ranked, present=present,
                   level=assessment.triage.level, rules=rules)
    weights = [1.0 + DANGER_WEIGHT * dangerous(c.condition) for c in ranked]
    candidates = {w.id for c in ranked for w in c.condition.findings}
    candidates |= {fid for r in rules if LEVEL_ORDER[r.level] > LEVEL_ORDER[state.level]
                   for fid in r.all + r.any}
    scored: list[Question] = []
    taken = {q.finding for q in out}
    for fid in sorted(candidates - taken):
        w = askable(fid)
        if w is None:
            continue
        gain, why = _gain(fid, state, ps, weights)
        if gain > MIN_GAIN and not settled:
            scored.append(_question(w, gain=gain, why=why, danger=fid in rule_ids))
        elif gain > MIN_GAIN and fid in rule_ids and any(_fires(fid, r, present) for r in rules
                                                          if LEVEL_ORDER[r.level] > LEVEL_ORDER[state.level]):
            scored.append(_question(w, gain=gain, why=why, danger=True))
    scored.sort(key=lambda q: (-q.gain, q.finding))
    return out + scored, settled
