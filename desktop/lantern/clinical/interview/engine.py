"""The next-question engine: mandatory screens first, then the questions with the
highest expected information gain over the calibrated differential.

Answers are findings: "yes" present, "no" absent, applied on top of the note's reading
(a later answer to the same finding wins). A finding already known - in the note,
from the vitals, or answered (even "unknown") - is never asked; nor is one the knowledge
base's broader / narrower relation answers (a broader finding of one present, "abdominal
pain?" after right lower abdominal pain; a narrower finding of one absent, "productive
cough?" after no cough), nor one a normal statement settles (settled.toml: "muddled?" after
"alert and oriented" / 神志清). The relation also decides which screens apply (a barking cough
is a cough), but not the differential's scores nor the triage, which read the findings
as written (a broader finding's likelihood ratio would count the narrower one twice).

Gain of asking finding f, with p the calibrated probabilities of the conditions in
play (the top ``IN_PLAY``, renormalised) and H a danger-weighted entropy (a dangerous
condition's term weighs ``1 + DANGER_WEIGHT``):

    gain(f) = H(p) - P(yes) H(p | yes) - P(no) H(p | no)  [+ triage bonus]

p | yes and p | no move each condition's log-odds by the knowledge base's own
likelihood ratios (as ``differential.score_condition`` would) and calibrate again.
P(yes | condition) = min(0.95, BASE_RATE * lr_pos) (BASE_RATE for an unlisted
finding; for a bedside test TEST_BASE_RATE, a false positive being rare). Where the
condition gives both likelihood ratios (LR+ > 1 > LR-) P(yes | condition) is at least the
sensitivity they imply (``sensitivity``): a urine dipstick of LR+ 5, LR- 0.5 is positive in
56% of cystitis, not the 10% the base rate gives; a sudden severe headache with neck
stiffness got its follow-up question asked within the six answers. A bedside
test read positive / negative (a malaria RDT, a urine dipstick, a pregnancy test: a
"measure" without a vitals field, questions.toml) is ranked by its gain like any question:
it is asked when it splits the conditions in play. The triage bonus: a "yes" that would fire a triage rule above the current
level adds ``P(yes) * TRIAGE_BONUS[level]``: a missed emergency costs more than a
missed cold. When the rule's other findings are already present (a wound, then "stiff
jaw?"; a groin lump, then "can it still be pushed back?"), the finding is that rule's
own follow-up question and P(yes) is taken as at least ``CONTEXT_P``. Only a specific
finding makes that context, one named by at most ``CONTEXT_MAX_RULES`` rules (fever or
vomiting, part of dozens of rules, would make every rule's follow-up pressing), and only
a symptom or sign is such a follow-up, not an exposure or a measurement. The conditions
in play may not yet include the emergency the rule stands for: their likelihood ratios
alone would leave the one question that reveals it behind the differential's questions.

Measure first: a measurement not yet taken whose value alone would raise the triage level
and that one of the first ``MEASURE_IN_PLAY`` conditions names goes ahead of every
question worth less than ``EARLY_GAIN``, after the early screens' questions. A question carrying
an age range (questions.toml) is not asked outside it. A state that can change into an
emergency (questions.toml ``changes``: a hernia that goes back in when lying down may be
stuck today) is asked about now even when the note reads it absent.

A vague complaint (a screen marked ``vague``: an older person 'off her legs', 'muddled',
'not herself', 'gone off food') whose words are the whole complaint points nowhere whatever
the differential says: the early screens go first, the quick check and then the vague
screen in its file's order (the danger signs of the causes first), because such a
differential (worms for 'gone off food', a cold for 'muddled') asks for causes the picture
never named.

The early screens (ETAT, the IMAI quick check) are interleaved with the history: their
first ``EARLY_AHEAD`` answers go ahead, then one early-screen question per ``EARLY_EVERY``
answers to other questions; out of turn an early sign is ranked by its own gain (triage
bonus included) and is never dropped. They took five of the first eight answers of an
adult with knee pain, and 73% of the first eight answers over the development simulation.
An early sign whose every emergency rule the answers have put out of reach (severe
dehydration's "two of" with the others answered no) is no screen question any more. The
"first" screens (IMCI general danger signs, the obstetric signs) are never interleaved.

Within a screen the questions go by their gain over the picture (the differential's split
and the triage bonus; a sign one finding short of a rule above the level, ``two_steps``,
adds ``TWO_STEP`` of that rule's bonus at its P(yes)): the danger sign the picture makes
likeliest first (vaginal bleeding before visual disturbance in a pregnant woman with
sudden lower abdominal pain), a broader finding before its narrower ones. The triage
bonus reads P(yes) from the picture: in a condition in play that does not name the
sign it is ``UNNAMED_FLAG_RATE``, not ``BASE_RATE`` (a cord prolapse or a burn weighed
the same for everybody and came before the picture's own questions). A red flag of the
complaint (a sign that alone makes an emergency, ``RED_FLAG_P`` likely or more over the
conditions in play) is asked right after the first screen's signs, by its gain. A screen's sign asked earlier in the list holds its narrower signs back, whichever
screen they belong to: "convulsions" (IMCI, ask) and "convulsing now" (ETAT, look) are not
asked together; a "no" to the broader answers both, and after a "yes" the narrower one is
asked on its own. When the complaint points nowhere (the first condition below ``NOWHERE_P``: "feeling
unwell", "brought by family"), the early screens' danger signs go first as well: a flat
differential makes every question's gain large and kept the quick check back.

A partly answered danger group is completed first (:func:`_follow_ups`): after a "yes" to
one of a screen's signs, the screen's other signs still unknown and the findings that
would complete an emergency rule that sign is part of come at the head, together by their
gain (vaginal bleeding in a pregnancy: a fast pulse, fainting, before the screen's fever
and headache; thoughts of suicide: a plan or act, agitation, a poison). A rule's finding
goes there only when the picture makes it likely (``FLAG_LIFT``), and the same test keeps
a settled differential from asking the danger signs no condition in play names (trismus,
a board-like abdomen or a burn after a pneumonia: every one weighed ``UNNAMED_FLAG_RATE``
and asked in turn).

Grouped screen questions (groups.toml, :mod:`lantern.clinical.interview.groups`): when a
group's screen applies and two or more of its members are still unknown, one question
asks them together ("Any of these: unable to drink or breastfeed, vomits everything,
convulsions, lethargic or unconscious?"), at the place of its first member, the others
taken out of the list. Its "no" answers every member not otherwise known (the note, a
single answer: a sign named on its own wins over the group's "no" whatever the order);
its "yes" brings its unknown members to the head of the list one by one, so the sign
present is named; "unknown" leaves them to be asked one by one where they stand.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from operator import mul, sub

from lantern.clinical.broader import implied
from lantern.clinical.calibration import CLAMP, Calibration, load_calibration
from lantern.clinical.differential import Candidate
from lantern.clinical.interview.groups import Group, is_group_id, load_groups
from lantern.clinical.interview.model import ANSWERS, Answer, Interview, Question
from lantern.clinical.interview.screens import Screen, load_screens
from lantern.clinical.interview.settled import settled_by
from lantern.clinical.interview.wording import Wording, wording
from lantern.clinical.knowledge import (
    Condition,
    KnowledgeBase,
    TriageRule,
    load_knowledge,
)
from lantern.clinical.language.durations import sex_from_text
from lantern.clinical.language.findings import Finding
from lantern.clinical.pipeline import Assessment, Case, assess
from lantern.clinical.triage import LEVEL_ORDER, is_pregnant_context, rule_applies
from lantern.domain.errors import ValidationError

IN_PLAY = 20              # conditions the gain is computed over (12 until 2026-12-05: with the
                          # sharper differential of unlisted_lr 0.4 an emergency sat outside them)
DANGER_WEIGHT = 1.0       # extra entropy weight of an emergency / urgent-referral condition
BASE_RATE = 0.08          # P(finding) in a patient without the condition
TEST_BASE_RATE = 0.02     # ... for a bedside test (kind "test": a malaria RDT, a urine dipstick):
                          # its false-positive rate, a specificity of about 98% (a symptom is common
                          # without the condition, a positive test is not)
TRIAGE_BONUS = {"urgent": 0.35, "emergency": 1.4}   # emergency 0.8 until 2026-12-06: the
                          # adult quick check then held back the one follow-up that shows the emergency
CONTEXT_P = 0.4           # P(yes) at least, for the finding completing a rule already in part present
CONTEXT_MAX_RULES = 3     # ... in part by a finding named by at most this many rules (not fever)
UNNAMED_FLAG_RATE = 0.02  # P(yes) of a danger sign in a condition in play that does not name it, for
                          # the triage bonus (BASE_RATE, 0.08, until 2026-12-07: every sign that alone
                          # makes an emergency - cord prolapse, trismus, a burn - then weighed the same
                          # in a man with a cough and came before the questions the picture asks)
FLAG_LIFT = 2.0           # a danger sign the picture names makes it at least this many times as
                          # likely as UNNAMED_FLAG_RATE: asked once the differential is settled and
                          # as a follow-up (a condition in play at 0.1% naming trismus is no reason)
RED_FLAG_P = 0.3          # a sign that alone makes an emergency, this likely over the conditions in
                          # play, is asked right after the first screen (a red flag of the complaint)
TWO_STEP = 0.5            # a screen's danger sign one finding short of a rule weighs half the rule's
                          # bonus in the screen's order, at the picture's P(yes): vaginal bleeding
                          # in a pregnancy with sudden lower abdominal pain before visual disturbance
EARLY_GAIN = 0.3          # an "early" screen question goes before any worth less (bits)
EARLY_AHEAD = 2           # interleave: the first early-screen answers go ahead unconditionally ...
EARLY_EVERY = 3           # ... then one early-screen question per this many other answers
NOWHERE_P = 0.3           # first condition's calibrated probability below which the complaint
                          # points nowhere: the early screens' danger signs come first (a flat
                          # differential makes every question's gain large, and the quick
                          # check came after the first 9 questions in 4 of 4 such misses)
MEASURE_IN_PLAY = 5       # measure first: a measurement one of the first conditions names
BEDSIDE_VITALS = frozenset({"resp_rate", "spo2", "sbp", "temp_c", "muac_mm", "glucose_mmol_l"})
                          # ... one taken at the bedside in any clinic (not a laboratory Hb)
TEST_TOP_P = 0.2          # a bedside test is asked only for a condition at this calibrated
                          # probability or more among the first MEASURE_IN_PLAY (the top ones)
MIN_GAIN = 0.01           # below this no question is worth asking (bits)
SETTLED_P = 0.85          # first condition's calibrated probability that settles it ...
SETTLED_GAP = 0.5         # ... when the second is this far below
_PENALISED = frozenset({"symptom", "sign", "vital", "test"})
_FOLLOW_UP_KINDS = frozenset({"symptom", "sign"})   # a rule's follow-up: the patient's state
_COMPLAINT_KINDS = _FOLLOW_UP_KINDS   # what a complaint says (a vague screen's words)
_URGENT_WORDS = ("immediately", "urgent", "emergency")


def dangerous(cond: Condition) -> bool:
    """An emergency condition, or one whose referral advice is urgent."""
    first = cond.refer.split(".")[0].lower()
    return cond.group == "emergency" or any(w in first for w in _URGENT_WORDS)


def resolve_answers(answers: list[Answer], kb: KnowledgeBase) -> dict[str, str]:
    """finding -> answer, the later answer to a finding winning; ValidationError naming
    the first unknown finding id or answer. Answers to a group are left out (see
    :func:`resolve_all`)."""
    return resolve_all(answers, kb)[0]


def resolve_all(answers: list[Answer], kb: KnowledgeBase) -> tuple[dict[str, str], dict[str, str]]:
    """(finding -> answer, group id -> answer), the later answer winning in each; a group
    id is one of groups.toml. ValidationError naming the first unknown id or answer."""
    out: dict[str, str] = {}
    groups: dict[str, str] = {}
    group_ids = {g.id for g in load_groups()}
    for i, a in enumerate(answers):
        target = groups if a.finding in group_ids else out
        if target is out and a.finding not in kb.findings:
            what = "group id" if is_group_id(a.finding) else "finding id"
            raise ValidationError(f"answers[{i}]: unknown {what} {a.finding!r}")
        if a.answer not in ANSWERS:
            raise ValidationError(f'answers[{i}]: answer must be one of {", ".join(ANSWERS)}')
        target.pop(a.finding, None)
        target[a.finding] = a.answer
    return out, groups


@dataclass
class _State:
    kb: KnowledgeBase
    cal: Calibration
    in_play: list[Candidate]
    ids: list[str]              # ... their condition ids
    present: set[str]
    raises: dict[str, str]      # finding -> the triage level a "yes" would reach
    two_step: dict[str, str] = field(default_factory=dict)   # ... with one more finding
    in_context: frozenset[str] = frozenset()   # ... of a rule with other findings present
    base_entropy: float = 0.0   # the weighted entropy of the differential before the answer
    # finding -> (place in play, its shifts) of each condition in play that names it; a
    # condition that does not name it shifts as any other (:func:`_unnamed_shifts`)
    named: dict[str, list[tuple[int, tuple[float, float, float]]]] = field(default_factory=dict)
    # finding -> the places in play of the conditions whose ``requires_any`` it is, still unmet
    unmet: dict[str, list[int]] = field(default_factory=dict)
    # the weighted entropy after an answer, by the log-odds change of each condition in play:
    # the findings no condition in play names change them alike, and are weighed once a call
    after: dict[tuple[float, ...], float] = field(default_factory=dict)


def _calibrated(log_odds: list[float], cal: Calibration) -> list[float]:
    """``cal.probability`` of each against the best, normalised: the same arithmetic,
    written out (called for every answer of every candidate question)."""
    # each value held within +-CLAMP as max(-CLAMP, min(CLAMP, v)) would, without the calls
    c = CLAMP
    top = max(log_odds)
    top = c if top > c else -c if top < -c else top
    slope, gap_slope, intercept, exp = cal.slope, cal.gap_slope, cal.intercept, math.exp
    ps = []
    for raw in log_odds:
        lo = c if raw > c else -c if raw < -c else raw
        x = slope * lo + gap_slope * (lo - top) + intercept
        ps.append(1.0 / (1.0 + exp(-(c if x > c else -c if x < -c else x))))
    total = sum(ps) or 1.0
    return [p / total for p in ps]


def _entropy(ps: list[float], weights: list[float]) -> float:
    log2 = math.log2
    return -sum([w * p * log2(p) for p, w in zip(ps, weights, strict=True) if p > 0])


def _index_shifts(state: _State) -> None:
    """Fill ``state.named`` and ``state.unmet`` for the conditions in play: each one's shifts
    by the findings it names (kept for the process), and whether its ``requires_any`` is
    still unmet (a "yes" to one of them then pays the penalty back)."""
    for i, cand in enumerate(state.in_play):
        cond = cand.condition
        for fid, shifts in _table(cond, state.kb).items():
            state.named.setdefault(fid, []).append((i, shifts))
        if cond.requires_any and not any(r in state.present for r in cond.requires_any):
            for fid in dict.fromkeys(cond.requires_any):
                state.unmet.setdefault(fid, []).append(i)


_TABLES: dict[tuple[int, int], tuple[KnowledgeBase, Condition, dict[str, tuple[float, float, float]]]] = {}


def _table(cond: Condition, kb: KnowledgeBase) -> dict[str, tuple[float, float, float]]:
    """finding -> (log-odds change if yes, if no, P(yes | condition)) of every finding
    the condition names, before the requires-penalty: fixed by the knowledge base, so kept
    for the process (the same logarithms every call were half of a call's time). The entry
    holds the knowledge base and the condition, so their ids are never reused."""
    hit = _TABLES.get((id(kb), id(cond)))
    if hit is None:
        table = {w.id: _lr_shifts(w.id, cond, kb) for w in cond.findings}
        hit = _TABLES[(id(kb), id(cond))] = (kb, cond, table)
    return hit[2]


def _lr_shifts(fid: str, cond: Condition, kb: KnowledgeBase) -> tuple[float, float, float]:
    weight = None
    for w in cond.findings:          # the first weight for the id, as Condition.weight
        if w.id == fid:
            weight = w
            break
    if weight is None:
        return _unnamed_shifts(fid, kb)
    base_rate = TEST_BASE_RATE if kb.findings[fid].kind == "test" else BASE_RATE
    base = math.log(weight.lr_absent)
    yes = math.log(weight.lr_pos) - base
    no = math.log(weight.lr_neg) - base
    p_yes = weight.lr_pos * base_rate
    if weight.lr_neg < 1.0 < weight.lr_pos:
        # expected at least at the sensitivity its two ratios imply
        p_yes = max(p_yes, sensitivity(weight.lr_pos, weight.lr_neg))
    return yes, no, min(0.95, max(0.01, p_yes))


def _unnamed_shifts(fid: str, kb: KnowledgeBase) -> tuple[float, float, float]:
    """``_lr_shifts`` for a condition that does not name the finding: a "yes" to a symptom,
    sign, vital or test counts against it (``kb.unlisted_lr``), a "no" changes nothing."""
    kind = kb.findings[fid].kind
    yes = math.log(kb.unlisted_lr) if kind in _PENALISED else 0.0
    return yes, 0.0, min(0.95, max(0.01, TEST_BASE_RATE if kind == "test" else BASE_RATE))


def sensitivity(lr_pos: float, lr_neg: float) -> float:
    """A test's sensitivity from its two likelihood ratios (LR+ = sens / (1 - spec),
    LR- = (1 - sens) / spec): a malaria RDT of LR+ 25, LR- 0.05 is positive in 95% of
    malaria. Needs LR+ > 1 > LR-."""
    return lr_pos * (1.0 - lr_neg) / (lr_pos - lr_neg)


def completing(rules: list[TriageRule], present: set[str], level: str) -> dict[str, str]:
    """finding -> the highest level a "yes" to it alone would raise the triage to (above
    ``level``), over the rules that apply to the patient."""
    return completing_in_context(rules, present, level)[0]


def completing_in_context(rules: list[TriageRule], present: set[str], level: str,
                          common: frozenset[str] = frozenset()
                          ) -> tuple[dict[str, str], frozenset[str]]:
    """``completing``, and the findings among them that complete a rule one of whose
    other findings is present and not ``common`` (the rule's follow-up question, not a
    bare danger sign)."""
    out: dict[str, str] = {}
    context: set[str] = set()
    for rule in rules:
        if LEVEL_ORDER[rule.level] <= LEVEL_ORDER[level] or any(n in present for n in rule.none):
            continue
        missing = [x for x in rule.all if x not in present]
        have = sum(x in present for x in rule.any)
        if len(missing) == 1 and (not rule.any or have >= rule.min_any):
            found = missing
        elif not missing and rule.any and have == rule.min_any - 1:
            found = [x for x in rule.any if x not in present]
        else:
            continue
        partly = any(x in present and x not in common for x in rule.all + rule.any)
        for fid in found:
            if fid in rule.none:
                continue
            if LEVEL_ORDER[rule.level] > LEVEL_ORDER[out.get(fid, "routine")]:
                out[fid] = rule.level
                context.discard(fid)
            if partly and rule.level == out[fid]:
                context.add(fid)
    return out, frozenset(context)


def two_steps(rules: list[TriageRule], present: set[str], negated: set[str], level: str
              ) -> dict[str, str]:
    """finding -> the highest level (above ``level``) of a rule that a "yes" to it would
    leave one finding short of: vaginal bleeding in a pregnancy, before fainting or a fast
    pulse (bleeding_pregnancy_shock). A rule none of whose findings may still come
    (``none`` present, an ``all`` finding or too many ``any`` findings absent) is left out."""
    out: dict[str, str] = {}
    for rule in rules:
        if LEVEL_ORDER[rule.level] <= LEVEL_ORDER[level] or any(n in present for n in rule.none):
            continue
        if any(x in negated for x in rule.all):
            continue
        missing = [x for x in rule.all if x not in present]
        need = max(0, rule.min_any - sum(x in present for x in rule.any)) if rule.any else 0
        open_any = [x for x in rule.any if x not in present and x not in negated]
        if len(open_any) < need or len(missing) + need != 2:
            continue
        for fid in missing + (open_any if need else []):
            if fid not in rule.none and LEVEL_ORDER[rule.level] > LEVEL_ORDER[out.get(fid, "routine")]:
                out[fid] = rule.level
    return out


def _gain(fid: str, state: _State, ps: list[float], weights: list[float]
          ) -> tuple[float, tuple[str, ...], float, float]:
    """(gain, the conditions it separates best first, its triage bonus: the expected
    raise of the triage level, P(yes) * TRIAGE_BONUS, and its danger: the bonus, or for a
    sign one finding short of a rule (``two_step``) P(yes) * TRIAGE_BONUS * TWO_STEP,
    the order of the screens' danger signs)."""
    # each condition's (log-odds change if yes, if no, P(yes)) as lists in play order: those
    # of a condition that does not name the finding, then those of the ones that do
    n = len(state.in_play)
    unnamed = _unnamed_shifts(fid, state.kb)
    yes, no, p_if = [unnamed[0]] * n, [unnamed[1]] * n, [unnamed[2]] * n
    named = state.named.get(fid, ())
    for i, s in named:
        yes[i], no[i], p_if[i] = s[0], s[1], s[2]
    if fid in state.unmet:
        penalty = math.log(state.kb.requires_penalty)
        for i in state.unmet[fid]:
            yes[i] -= penalty
    p_yes = sum(map(mul, ps, p_if))
    gain = state.base_entropy
    for change, p_ans in ((tuple(yes), p_yes), (tuple(no), 1.0 - p_yes)):
        if not any(change):
            gain -= p_ans * state.base_entropy     # the answer moves nothing
            continue
        after = state.after.get(change)
        if after is None:
            lo = [c.log_odds + x for c, x in zip(state.in_play, change, strict=True)]
            after = state.after[change] = _entropy(_calibrated(lo, state.cal), weights)
        gain -= p_ans * after
    bonus = danger = 0.0
    if fid in state.raises or fid in state.two_step:
        # the picture's P(yes): a danger sign no condition in play names is unlikely
        p_named = [UNNAMED_FLAG_RATE] * n
        for i, s in named:
            p_named[i] = s[2]
        p_flag = sum(map(mul, ps, p_named))
        if fid in state.raises:
            p_rule = max(p_flag, CONTEXT_P) if fid in state.in_context else p_flag
            bonus = danger = p_rule * TRIAGE_BONUS[state.raises[fid]]
        if fid in state.two_step:
            danger = max(danger, p_flag * TRIAGE_BONUS[state.two_step[fid]] * TWO_STEP)
    moved = [(apart, cid) for apart, cid in zip(map(abs, map(sub, yes, no)), state.ids, strict=True)
             if apart > 0.5]
    moved.sort(reverse=True)
    return max(0.0, gain + bonus), tuple(cid for _, cid in moved[:3]), bonus, danger


def _question(w: Wording, *, gain: float, why: tuple[str, ...], danger: bool,
              screen: str | None = None) -> Question:
    return Question(finding=w.finding, text_en=w.en, text_zh=w.zh, kind=w.kind,
                    danger_sign=danger, gain=gain, why=why, screen=screen, vital=w.vital)


def next_questions(*, case: Case, answers: list[Answer], limit: int = 5,
                   kb: KnowledgeBase | None = None) -> Interview:
    """The ``limit`` best questions for ``case`` given the ``answers`` so far.

    Unanswered mandatory screens come first (IMCI general danger signs under 5, ETAT
    emergency signs in children, obstetric danger signs in a pregnant or recently
    delivered woman, the IMAI quick check for adults, the blood glucose of anyone
    unconscious, confused or convulsing); then the questions by gain, as
    long as the differential is not settled and the gain is above ``MIN_GAIN``.
    ValidationError for an unknown finding id or answer."""
    kb = kb or load_knowledge()
    answered, group_answers = resolve_all(answers, kb)
    overrides = [Finding(fid, kb.label(fid), negated=(a == "no"), source="answer")
                 for fid, a in answered.items() if a != "unknown"]
    # a group's "no": each member absent, unless the note or a single answer says otherwise
    group_no = list(dict.fromkeys(
        fid for g in load_groups() if group_answers.get(g.id) == "no"
        for fid in g.findings if fid not in answered))
    denied = [Finding(fid, kb.label(fid), negated=True, source="answer") for fid in group_no]
    assessment = assess(case, kb=kb, extra_findings=denied or None, answered=overrides)
    questions = _rank(assessment, answered, kb, limit, group_answers=group_answers,
                      group_no=frozenset(group_no))
    return Interview(questions=questions[0][:limit], assessment=assessment,
                     settled=questions[1], answered=answered, groups=group_answers)


def _rank(assessment: Assessment, answered: dict[str, str], kb: KnowledgeBase,
          limit: int, *, group_answers: dict[str, str] | None = None,
          group_no: frozenset[str] = frozenset()) -> tuple[list[Question], bool]:
    ex, case = assessment.extraction, assessment.case
    present = set(ex.present())
    # a narrower finding present answers its broader ones, a broader one absent its
    # narrower ones (SCHEMA.md §2b): neither is asked
    implied_yes, implied_no = implied(present, ex.negated(), broader=kb.broader, narrower=kb.narrower)
    known = {f.id for f in ex.findings} | set(answered) | implied_yes | implied_no
    # ... nor what a normal statement settles ("alert and oriented": not "muddled?")
    known |= settled_by(implied_yes, implied_no, narrower=kb.narrower)
    # ... but a state that can change into an emergency (questions.toml ``changes``: a
    # hernia that went back in may be stuck now) is asked about now whatever the note says
    # it was; only an answer settles it
    known -= {f.id for f in ex.findings if f.negated and f.id not in answered
              and (w := wording(f.id, kb)) is not None and w.changes}
    age = case.age_years if case.age_years is not None else ex.age_years
    sex = case.sex or sex_from_text(case.note)
    preg_ctx = is_pregnant_context(ex, case.pregnant)
    measured = set(ex.vitals)
    # a measurement answered "unknown" could not be taken: its field is not asked again
    measured |= {w.vital for fid, a in answered.items() if a == "unknown"
                 for w in [wording(fid, kb)] if w is not None and w.vital}
    rule_ids = _rule_findings(kb)

    @cache       # asked for every candidate at each step of the ranking
    def askable(fid: str) -> Wording | None:
        if fid in known:
            return None
        w = wording(fid, kb)
        if w is None or (w.kind == "measure" and w.vital in measured) or not w.fits_age(age):
            return None     # ... nor a question for another age (a fontanelle in an adult)
        return w

    first: list[tuple[str, str]] = []     # (finding, screen id), screens in file order
    early: list[tuple[str, str]] = []     # (finding, screen id), in file order
    applying: list[Screen] = []
    for screen in load_screens():
        if not screen.applies(age_years=age, pregnant_context=preg_ctx, present=set(implied_yes),
                              sex=sex):
            continue
        applying.append(screen)
        for fid in screen.findings:
            if askable(fid) is None or fid in {e[0] for e in first + early}:
                continue
            (first if screen.priority == "first" else early).append((fid, screen.id))
    first_ids = {e[0] for e in first}
    early = [e for e in early if e[0] not in first_ids]
    ranked = assessment.ranked[:IN_PLAY]     # the conditions that apply, as assess ranked them
    cal = load_calibration()
    top = cal.probabilities([c.log_odds for c in ranked[:2]])
    settled = bool(top) and top[0] >= SETTLED_P and (len(top) < 2 or top[0] - top[1] >= SETTLED_GAP)
    rules = [r for r in kb.rules if rule_applies(r, age_years=age, sex=sex, pregnant_context=preg_ctx,
                                                 pregnant_flag=case.pregnant,
                                                 min_age_years=ex.min_age_years)]
    raises, in_context = completing_in_context(rules, present, assessment.triage.level,
                                               _common_findings(kb))
    in_context = frozenset(f for f in in_context if kb.findings[f].kind in _FOLLOW_UP_KINDS)
    state = _State(kb=kb, cal=cal, in_play=ranked, ids=[c.condition.id for c in ranked],
                   present=present, raises=raises,
                   in_context=in_context,
                   two_step=two_steps(rules, present | implied_yes, set(ex.negated()) | implied_no,
                                      assessment.triage.level))
    ps = _calibrated([c.log_odds for c in ranked], cal) if ranked else []
    weights = [1.0 + DANGER_WEIGHT * dangerous(c.condition) for c in ranked]
    candidates = {w.id for c in ranked for w in c.condition.findings} | set(raises)
    state.base_entropy = _entropy(ps, weights) if ranked else 0.0
    _index_shifts(state)
    testing = _test_candidates(ranked[:MEASURE_IN_PLAY], cal, kb)
    gains = {fid: _gain(fid, state, ps, weights) if ranked else (0.0, (), 0.0, 0.0)
             for fid in (candidates | {e[0] for e in first + early})
             if askable(fid) is not None and (kb.findings[fid].kind != "test" or fid in testing)}
    complaints = {f for f in present if kb.findings[f].kind in _COMPLAINT_KINDS}
    vague = {s.id for s in applying if s.only_vague(complaints)}
    if vague or complaint_points_nowhere(assessment):
        # nothing to go on yet: the emergency signs a "yes" to which raises the level first
        # (WHO IMAI quick check, ETAT triage: every patient, before the history); a vague
        # complaint (an older person 'off her legs', 'muddled') points nowhere whatever its
        # differential says: every early screen's sign first, the quick check and then the
        # vague complaint's own screen, whose questions are the history
        first += [e for e in early if gains[e[0]][2] > 0 or vague]
        first_ids = {e[0] for e in first}
        early = [e for e in early if e[0] not in first_ids]
    first = _screen_order(first, gains, kb)
    first = _with_red_flags(first, gains, raises, askable)
    follow = _follow_ups(rules, present, answered, applying, assessment.triage.level, gains,
                         askable)
    first = _with_follow_ups(first, follow, answered, applying)
    first_ids = {e[0] for e in first}
    # an early sign whose every rule is out of reach (severe dehydration's "two of" with
    # the others answered no) or an interleaved screen's turn not yet come: by its gain
    negated = set(ex.negated()) | implied_no
    early = [e for e in early if _can_still_fire(e[0], rules, present | implied_yes, negated)]
    # a group's "no" counts as an answer to each member it answered (the interleave)
    if not _early_turn({**dict.fromkeys(group_no, "no"), **answered}, applying):
        early = [e for e in early if gains[e[0]][0] >= EARLY_GAIN]
    early_rank = {e[0]: r for r, e in enumerate(_screen_order(early, gains, kb))}
    early_ids = dict(early)
    deciding = _deciding_measurements(ranked[:MEASURE_IN_PLAY], raises, askable)
    named_bonus = {fid: _named_floor(level) for fid, level in raises.items()}
    scored: list[tuple[float, Question]] = []
    for fid in sorted(set(gains) - first_ids):
        w = askable(fid)
        if w is None:
            continue
        gain, why = gains[fid][:2]
        if fid in early_ids:
            # a mandatory screen: always asked, ahead of questions worth less than EARLY_GAIN
            order = EARLY_GAIN - early_rank[fid] * 1e-3
            scored.append((max(gain, order), _question(w, gain=gain, why=why, danger=True,
                                                        screen=early_ids[fid])))
        elif fid in deciding:
            # measure first: a measurement that alone decides the level for a condition
            # in play goes ahead of the questions worth less than EARLY_GAIN (after the
            # early screens' danger signs)
            order = EARLY_GAIN - (len(early_rank) + 1) * 1e-3
            scored.append((max(gain, order), _question(w, gain=gain, why=why, danger=True)))
        elif gain > MIN_GAIN and (not settled or gains[fid][2] > named_bonus.get(fid, math.inf)):
            # settled: only what could still raise the triage level is worth asking, and
            # only a sign the picture makes likely (_named_floor): not trismus, a board-like
            # abdomen or a burn once a pneumonia is settled
            scored.append((gain, _question(w, gain=gain, why=why, danger=fid in rule_ids)))
    scored.sort(key=lambda sq: (-sq[0], sq[1].finding))
    head = [_question(w, gain=gains[fid][0], why=gains[fid][1], danger=True, screen=sid or None)
            for fid, sid in first for w in [askable(fid)] if w is not None]
    questions = head + [q for _, q in scored]
    screen_ids = {s.id for s in applying}
    groups = [g for g in load_groups() if g.screen in screen_ids]
    if groups:
        gain_of: dict[str, float] = {fid: v[0] for fid, v in gains.items()}
        questions = _grouped(questions, groups, group_answers or {}, askable, gain_of,
                             present | implied_yes, kb,
                             screen_signs={f for s in applying for f in s.findings},
                             follow=frozenset(follow))
    return questions, settled


def _group_members(group: Group, askable: Callable[[str], Wording | None],
                   kb: KnowledgeBase, taken: set[str], asked: dict[str, int]) -> list[str]:
    """The members of ``group`` still to ask, in its order: unknown and asked at this age,
    not in an earlier group, and not a narrower finding of another member or of a finding
    asked earlier in the list (a "no" to the broader one answers it)."""
    members = [f for f in group.findings if f not in taken and askable(f) is not None]
    at = _group_place(group, members, asked)
    return [f for f in members
            if not any(b in members or asked.get(b, at) < at for b in kb.broader.get(f, ()))]


def _group_place(group: Group, members: list[str], asked: dict[str, int]) -> int:
    """Where a group stands in the list: at its first member's place."""
    return min((asked[f] for f in members if f in asked), default=len(asked) + 1)


def _asked_places(questions: list[Question], groups: list[Group], answers: dict[str, str],
                  askable: Callable[[str], Wording | None]) -> dict[str, int]:
    """Every finding the list will ask, with its place: a single question where it stands,
    the unknown members of a group not answered "no" or "unknown" at the group's place (the
    group asks them together, or opens them at the head)."""
    asked = {q.finding: i for i, q in enumerate(questions)}
    for group in groups:
        answer = answers.get(group.id)
        if answer in (None, "yes"):
            members = [f for f in group.findings if askable(f) is not None]
            at = -1 if answer == "yes" else _group_place(group, members, asked)
            for f in members:
                asked[f] = min(asked.get(f, at), at)
    return asked


def _screen_places(questions: list[Question], groups: list[Group], answers: dict[str, str],
                   askable: Callable[[str], Wording | None],
                   screen_signs: frozenset[str] | set[str]
                   ) -> dict[str, int]:
    """The places of the screens' signs the list asks (see :func:`_asked_places`): only a
    danger sign of a screen holds back a narrower sign; a broader finding asked for the
    differential ("difficult breathing") does not hold back "severe respiratory distress"."""
    return {f: i for f, i in _asked_places(questions, groups, answers, askable).items()
            if f in screen_signs}


def _without_narrower(questions: list[Question], asked: dict[str, int], kb: KnowledgeBase
                      ) -> list[Question]:
    """``questions`` without a narrower finding whose broader one is asked before it:
    "convulsing now" waits while "convulsions" is asked (a "no" answers both; after a "yes"
    it is asked on its own), so one sign is never asked twice in two words. A broader
    finding asked later does not hold a danger sign back ("vomits everything" is asked
    although "vomiting" comes further down)."""
    return [q for i, q in enumerate(questions)
            if not any(asked.get(b, i) < i for b in kb.broader.get(q.finding, ()))]


def _grouped(questions: list[Question], groups: list[Group], answers: dict[str, str],
             askable: Callable[[str], Wording | None], gain_of: dict[str, float],
             present: set[str], kb: KnowledgeBase,
             screen_signs: frozenset[str] | set[str] = frozenset(),
             follow: frozenset[str] = frozenset()) -> list[Question]:
    """``questions`` with the groups of the screens that apply: an opened group's members
    (answered "yes") at the head, one by one; a group not yet answered as one question at
    its first member's place when two or more members are unknown. A screen's sign asked
    earlier holds back its narrower signs (``screen_signs``: the applying screens' findings).
    Once a member of an opened group is present (the sign named), its other members and
    the follow-ups of the sign (``follow``, :func:`_follow_ups`) come next, by gain."""
    asked = _screen_places(questions, groups, answers, askable, screen_signs)
    questions = _without_narrower(questions, asked, kb)
    asked = _screen_places(questions, groups, answers, askable, screen_signs)
    taken: set[str] = set()
    opened: list[Question] = []
    named: list[Question] = []
    for group in groups:
        members = _group_members(group, askable, kb, taken, asked)
        taken.update(members)
        answer = answers.get(group.id)
        listed = {q.finding: q for q in questions}
        if answer == "yes":
            # the sign present must be named: each member, in the list's order first,
            # then by its gain over the picture (lethargy before cyanosis in a thirsty,
            # drowsy child)
            order = [q.finding for q in questions if q.finding in members]
            order += sorted((f for f in members if f not in order),
                            key=lambda f: (-gain_of.get(f, 0.0), group.findings.index(f)))
            for fid in order:
                q = listed.get(fid)
                if q is None and (w := askable(fid)) is not None:
                    q = _question(w, gain=gain_of.get(fid, 0.0), why=(), danger=True,
                                  screen=group.screen)
                if q is not None:
                    # the sign present named: the others go with the follow-ups, by gain
                    (named if any(f in present for f in group.findings) else opened).append(
                        replace(q, danger_sign=True, screen=q.screen or group.screen))
            questions = [q for q in questions if q.finding not in members]
            continue
        at = next((i for i, q in enumerate(questions) if q.finding in members), None)
        if answer is not None or len(members) < 2 or at is None:
            continue        # "no" answered them; "unknown": asked one by one where they stand
        first = questions[at]
        gain = max(gain_of.get(f, 0.0) for f in members)
        ask = Question(finding=group.id, text_en=group.text(tuple(members), "en"),
                       text_zh=group.text(tuple(members), "zh"), kind=group.kind,
                       danger_sign=True, gain=gain, why=first.why, screen=group.screen,
                       members=tuple(members),
                       others_present=any(f in present for f in group.findings))
        questions = [ask if i == at else q for i, q in enumerate(questions)
                     if i == at or q.finding not in members]
    # ... at the place of the first follow-up (after the screens before the sign's)
    at = next((i for i, q in enumerate(questions) if q.finding in follow), 0 if named else len(questions))
    block = sorted(named + [q for q in questions if q.finding in follow], key=lambda q: -q.gain)
    rest = [q for q in questions if q.finding not in follow]
    at = sum(q.finding not in follow for q in questions[:at])
    return opened + rest[:at] + block + rest[at:]


def _can_still_fire(fid: str, rules: list[TriageRule], present: set[str], negated: set[str]
                    ) -> bool:
    """Could a "yes" to ``fid`` still count towards an emergency triage rule (what the
    early screens look for): one that names it, none of whose ``all``
    findings is absent or ``none`` findings present, and with enough of its ``any``
    findings not absent? A finding named by no emergency rule keeps its place (True).
    Once the answers rule the screen's emergency out (ETAT severe dehydration, two of
    lethargy, sunken eyes and a very slow skin pinch, with the others answered no), its
    last sign is no screen question any more."""
    named = [r for r in rules if r.level == "emergency" and (fid in r.all or fid in r.any)]
    if not named:
        return True
    for rule in named:
        if any(n in present for n in rule.none) or any(x in negated for x in rule.all):
            continue
        if rule.any and sum(x not in negated for x in rule.any) < rule.min_any:
            continue
        return True
    return False


def _early_turn(answered: dict[str, str], screens: list[Screen]) -> bool:
    """Interleave the early screens (ETAT, the IMAI quick check) with the history: their
    first ``EARLY_AHEAD`` answers go ahead of every question worth less than EARLY_GAIN,
    then one early-screen question per ``EARLY_EVERY`` answers to other questions (the
    "first" screens' answers do not count: they are the charts' fixed order). Whatever
    its turn, an early sign worth EARLY_GAIN or more keeps its place, and none is ever
    dropped: out of turn it is ranked by its gain, triage bonus included."""
    first_f = {f for s in screens if s.priority == "first" for f in s.findings}
    early_f = {f for s in screens if s.priority == "early" for f in s.findings} - first_f
    n_early = sum(f in early_f for f in answered)
    n_other = sum(f not in early_f and f not in first_f for f in answered)
    return n_early < EARLY_AHEAD + n_other // EARLY_EVERY


def _deciding_measurements(top: list[Candidate], raises: dict[str, str],
                           askable: Callable[[str], Wording | None]) -> frozenset[str]:
    """The bedside measurements not yet taken whose value alone would raise the triage level
    (``raises``) and that one of the ``top`` conditions names (SpO2 in a pneumonia, the
    blood pressure in pre-eclampsia, the glucose in diabetic ketoacidosis)."""
    named = {w.id for c in top for w in c.condition.findings}
    return frozenset(fid for fid in raises if fid in named
                     and (w := askable(fid)) is not None and w.vital in BEDSIDE_VITALS)


def _test_candidates(top: list[Candidate], cal: Calibration, kb: KnowledgeBase) -> frozenset[str]:
    """The bedside tests worth ranking: those a condition among ``top`` names, one whose
    calibrated probability is ``TEST_TOP_P`` or more (a malaria RDT for a fever where
    malaria is among the leading conditions, not for every patient in whose long tail it
    sits: a test's "yes" overturns the differential, so its gain is large even for a
    condition that is barely in play)."""
    ps = cal.probabilities([c.log_odds for c in top]) if top else []
    return frozenset(w.id for c, p in zip(top, ps, strict=True) if p >= TEST_TOP_P
                     for w in c.condition.findings if kb.findings[w.id].kind == "test")


def complaint_points_nowhere(assessment: Assessment) -> bool:
    """The first condition of the differential is below ``NOWHERE_P``: what is known so
    far ("feeling unwell", "brought by family") does not point to any condition."""
    return not assessment.probabilities or assessment.probabilities[0] < NOWHERE_P


def _screen_order(entries: list[tuple[str, str]],
                  gains: dict[str, tuple[float, tuple[str, ...], float, float]],
                  kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Screen questions (finding, screen id), the screens in the file's order and within a
    screen the danger sign most likely to raise the triage level first (its triage bonus:
    a "yes" settles the level at once), the file's order between equals. A broader
    finding goes before its narrower ones (a "no" answers them), whatever their bonus."""
    pending = {e[0] for e in entries}
    screen_order = [s.id for s in load_screens()]
    in_file_order = {s.id for s in load_screens() if s.vague}

    def bonus(fid: str) -> float:
        above = [_danger_key(gains[b]) for b in kb.broader.get(fid, ()) if b in pending]
        return min([_danger_key(gains[fid]), *above])

    def key(ie: tuple[int, tuple[str, str]]) -> tuple[int, float, int, int]:
        i, (fid, sid) = ie
        depth = sum(b in pending for b in kb.broader.get(fid, ()))
        if sid in in_file_order:
            # a vague complaint's screen: the clinician's order, its danger signs first
            # (the picture's gains say nothing yet)
            return screen_order.index(sid), 0.0, depth, i
        return screen_order.index(sid), -bonus(fid), depth, i

    return [e for _, e in sorted(enumerate(entries), key=key)]


def _with_red_flags(first: list[tuple[str, str]],
                    gains: dict[str, tuple[float, tuple[str, ...], float, float]],
                    raises: dict[str, str], askable: Callable[[str], Wording | None]
                    ) -> list[tuple[str, str]]:
    """``first`` with the red flags the picture makes likely: a sign a "yes" to which alone
    makes an emergency (``raises``) and whose P(yes) over the conditions in play is
    ``RED_FLAG_P`` or more (its triage bonus), by their gain, right after the first
    screen's signs (the general danger signs keep the head): a unilateral wheeze or
    reduced breath sounds in a child who choked on a peanut before the breathing screen's
    less likely signs."""
    taken = {e[0] for e in first}
    floor = RED_FLAG_P * TRIAGE_BONUS["emergency"]
    likely = sorted((fid for fid, level in raises.items()
                     if level == "emergency" and fid not in taken and fid in gains
                     and gains[fid][2] >= floor and askable(fid) is not None),
                    key=lambda fid: (-gains[fid][0], fid))
    if not likely:
        return first
    at = next((i for i, e in enumerate(first) if e[1] != first[0][1]), len(first)) if first else 0
    return first[:at] + [(fid, "") for fid in likely] + first[at:]   # "": no screen's


def _follow_ups(rules: list[TriageRule], present: set[str], answered: dict[str, str],
                applying: list[Screen], level: str,
                gains: dict[str, tuple[float, tuple[str, ...], float, float]],
                askable: Callable[[str], Wording | None]) -> dict[str, str]:
    """A screen's danger sign answered "yes" completes its group first: the screen's other
    signs still unknown and the findings that would complete an emergency rule the sign
    is part of (vaginal bleeding in a pregnancy, then a fast pulse and fainting: bleeding
    with shock; thoughts of suicide, then a plan or act, agitation or a poison), together
    by gain, at the head of the list (finding -> its screen id, "" for a rule's). Only a
    rule's finding the picture makes likely (:func:`_named_floor`), not every sign it lists."""
    signs = {f for s in applying for f in s.findings}
    said = {f for f, a in answered.items() if a == "yes" and f in signs}
    if not said:
        return {}
    out = {f: s.id for s in applying if said & set(s.findings) for f in s.findings
           if f in gains and askable(f) is not None}
    opened = [r for r in rules if r.level == "emergency" and said & set(r.all + r.any)]
    for fid, lvl in completing(opened, present, level).items():
        if lvl == "emergency" and fid in gains and gains[fid][2] > _named_floor(lvl):
            # ... as a sign of a screen that applies where it is one (fainting after a
            # missed period: the early-pregnancy screen's)
            out.setdefault(fid, next((s.id for s in applying if fid in s.findings), ""))
    return {fid: out[fid] for fid in sorted(out, key=lambda fid: (-gains[fid][0], fid))}


def _with_follow_ups(first: list[tuple[str, str]], follow: dict[str, str],
                     answered: dict[str, str], applying: list[Screen]) -> list[tuple[str, str]]:
    """``first`` with ``follow`` (:func:`_follow_ups`) ahead of every screen sign but those
    of the screens before the one answered "yes" whose other signs it completes
    (screens.toml's order: the general danger signs of a child with chest indrawing are
    still asked first). A sign whose screen is complete (a missed period) leaves every
    screen it opened ahead (the early-pregnancy screen's signs, in their order)."""
    if not follow:
        return first
    order = {s.id: i for i, s in enumerate(load_screens())}
    said = min((order[s.id] for s in applying if s.id in follow.values()
                and any(answered.get(f) == "yes" for f in s.findings)), default=len(order))
    ahead = [e for e in first if e[0] not in follow and e[1] and order.get(e[1], len(order)) < said]
    return ahead + list(follow.items()) + [e for e in first if e[0] not in follow and e not in ahead]


def _named_floor(level: str) -> float:
    """The triage bonus a danger sign must pass to be worth asking for the picture's sake:
    ``FLAG_LIFT`` times that of a sign no condition in play names (``UNNAMED_FLAG_RATE``)."""
    return FLAG_LIFT * UNNAMED_FLAG_RATE * TRIAGE_BONUS[level]


def _danger_key(g: tuple[float, tuple[str, ...], float, float]) -> float:
    """A screen sign's place: its gain over the picture (the differential's split and the
    triage bonus), a sign one finding short of a rule adding its share (``TWO_STEP``)."""
    return g[0] + g[3] - g[2]


_RULE_FINDINGS: dict[str, frozenset[str]] = {}
_COMMON_FINDINGS: dict[str, frozenset[str]] = {}


def _common_findings(kb: KnowledgeBase) -> frozenset[str]:
    """The findings named by more than ``CONTEXT_MAX_RULES`` triage rules."""
    if kb.version not in _COMMON_FINDINGS:
        counts = Counter(fid for r in kb.rules for fid in set(r.all + r.any))
        _COMMON_FINDINGS[kb.version] = frozenset(f for f, n in counts.items() if n > CONTEXT_MAX_RULES)
    return _COMMON_FINDINGS[kb.version]


def _rule_findings(kb: KnowledgeBase) -> frozenset[str]:
    """Every finding a triage rule names: a danger sign."""
    if kb.version not in _RULE_FINDINGS:
        _RULE_FINDINGS[kb.version] = frozenset(fid for r in kb.rules for fid in r.all + r.any)
    return _RULE_FINDINGS[kb.version]
