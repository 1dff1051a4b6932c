"""The interview simulation (issue 15): how fast asking recovers what the full note says.

For each case of a diagnosis set: start from the age, the sex, the pregnancy flag and the
chief complaint only (the note's first sentence); ask the first question, answer it from
the full case, and go on. An answer is "yes" when the full note's reading (with its
vitals) has the finding present, or a narrower one (the knowledge base's broader /
narrower relation, read as the engine reads it), "no" when it has it or a broader one
negated or does not mention it (a writer records what is there), and "unknown" for a
measurement or bedside test the full case never took or a finding only whose broader one the case names. Figures: top-3 after 0, 4, 8 and 12 answers beside the full note's top-3; the
answers needed to reach the full note's triage level (emergencies within 6); the IMCI
general danger signs asked within the first 5 questions of every child under 5 whose
status was unknown; the time of each ``next_questions`` call.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lantern.clinical.broader import implied
from lantern.clinical.interview.engine import complaint_points_nowhere, next_questions
from lantern.clinical.interview.model import Answer
from lantern.clinical.interview.screens import load_screens
from lantern.clinical.interview.settled import settled_by
from lantern.clinical.interview.wording import wording
from lantern.clinical.knowledge import Condition, KnowledgeBase, load_knowledge
from lantern.clinical.pipeline import Assessment, Case, assess, parse_case
from lantern.domain.errors import ValidationError
from lantern.domain.records import Vitals

CHECKPOINTS = (0, 4, 8, 12)
EMERGENCY_WITHIN = 6
DANGER_WITHIN = 5
IMCI_SCREEN = "imci_general_danger_signs"
_SENTENCE_END = re.compile(r"[。！？；\n]|[.!?;](?=\s|$)")

EMERGENCY_GROUPS = ("children under 5", "complaint pointing nowhere", "others")
_COMPLAINT_KINDS = frozenset({"symptom", "sign"})

Matcher = Callable[[Condition, list], bool]


def chief_complaint(note: str, *, kb: KnowledgeBase | None = None) -> str:
    """The note's first sentence (up to . ! ? ; or a line break) that names a complaint:
    a note opening with the patient's identity alone ("M 52.", "男，70岁。") gets the
    sentences up to the first one with a symptom or sign (the whole note if none has)."""
    from lantern.clinical.language.findings import extract_findings

    kb = kb or load_knowledge()
    end = 0
    while end < len(note):
        m = _SENTENCE_END.search(note, end)
        end = m.end() if m else len(note)
        head = note[:end].strip()
        if any(kb.findings[f.id].kind in _COMPLAINT_KINDS
               for f in extract_findings(head, kb=kb).findings):
            return head.rstrip(".;!?。；！？").strip()
    return note.strip()


def matches_expected(condition: Condition, expected: list) -> bool:
    """A condition answers an expected one given by id (the project's own sets)."""
    return any(isinstance(e, str) and e == condition.id for e in expected)


@dataclass
class Figures:
    n: int = 0
    top3_full: int = 0
    top3_at: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CHECKPOINTS, 0))
    triage_steps: list[int | None] = field(default_factory=list)      # every case
    emergency_steps: list[int | None] = field(default_factory=list)   # full-note emergencies
    emergency_groups: list[str] = field(default_factory=list)         # ... their EMERGENCY_GROUPS
    children: int = 0            # children under 5 with a general danger sign unknown at the start
    children_screened: int = 0   # ... all of whose unknown signs came in the first 5 questions
    latencies_ms: list[float] = field(default_factory=list)
    questions_asked: int = 0
    findings_asked: int = 0      # the findings those questions asked about (a group's members each)

    def add(self, other: Figures) -> None:
        """Add another run's figures to these (one set's to the total)."""
        self.n += other.n
        self.top3_full += other.top3_full
        for cp, k in other.top3_at.items():
            self.top3_at[cp] += k
        self.triage_steps += other.triage_steps
        self.emergency_steps += other.emergency_steps
        self.emergency_groups += other.emergency_groups
        self.children += other.children
        self.children_screened += other.children_screened
        self.latencies_ms += other.latencies_ms
        self.questions_asked += other.questions_asked
        self.findings_asked += other.findings_asked

    def p95_ms(self) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


@dataclass
class CaseTrace:
    """One simulated case, for reading its misses: what was asked and answered, the triage
    level reached after each answer, the top 3 after ``TOP3_MISS_AT`` answers and with the
    full note."""

    id: str | None
    expected: list
    full_level: str
    start: str = ""               # age, sex and the chief complaint the interview starts from
    levels: list[str] = field(default_factory=list)                # level after 0, 1, ... answers
    asked: list[tuple[str, str]] = field(default_factory=list)     # (finding, answer or value)
    top3_at: list[str] = field(default_factory=list)               # condition ids, after TOP3_MISS_AT
    top3_full: list[str] = field(default_factory=list)
    hit_at: bool = False          # an expected condition in the top 3 after TOP3_MISS_AT answers
    hit_full: bool = False        # ... with the full note

    def emergency_missed(self) -> bool:
        """A full-note emergency not reached within ``EMERGENCY_WITHIN`` answers."""
        return self.full_level == "emergency" and "emergency" not in self.levels[:EMERGENCY_WITHIN + 1]

    def top3_missed(self) -> bool:
        """The full note's top 3 has the expected condition, the interview's does not."""
        return self.hit_full and not self.hit_at


TOP3_MISS_AT = 8


def answer_from_case(fid: str, full: Assessment, vital: str | None, kb: KnowledgeBase) -> str:
    """The answer the full case gives to a question about ``fid``, through the knowledge
    base's broader / narrower relation (SCHEMA.md §2b) as the engine reads it: "yes" when
    the finding or a narrower one is present ("abdominal pain?" with right lower abdominal
    pain), "no" when it or a broader one is negated ("productive cough?" with no cough);
    "unknown" when only a broader one is present (the case says "cough" and not whether
    it brings up sputum) or for a measurement or bedside test (a malaria RDT, a urine
    dipstick) the case never took; "no" otherwise (a writer records what is there)."""
    ex = full.extraction
    yes, no = implied(ex.present(), ex.negated(), broader=kb.broader, narrower=kb.narrower)
    if fid in yes:
        return "yes"
    if fid in no:
        return "no"
    if vital is not None and vital not in ex.vitals:
        return "unknown"
    if kb.findings[fid].kind == "test":
        return "unknown"    # a bedside test the case never reports was not done
    if kb.broader.get(fid, frozenset()) & yes:
        return "unknown"
    return "no"


def answer_group_from_case(members: tuple[str, ...], full: Assessment, kb: KnowledgeBase) -> str:
    """The answer the full case gives to a grouped question: "yes" when it has one of the
    members, "no" when every member's answer is "no", "unknown" otherwise."""
    got = [answer_from_case(fid, full, None, kb) for fid in members]
    return "yes" if "yes" in got else "no" if all(a == "no" for a in got) else "unknown"


def _step(start: Case, answers: list[Answer], q_finding: str, vital: str | None,
          full: Assessment, kb: KnowledgeBase, trace: CaseTrace | None = None,
          members: tuple[str, ...] = ()) -> Case:
    """Answer one question from the full case: a measurement the full case took fills
    its vitals field (as the GUI does); a grouped question gets the group's answer
    (``members``: :func:`answer_group_from_case`); anything else becomes an answer."""
    if members:
        answers.append(Answer(q_finding, answer_group_from_case(members, full, kb)))
        if trace is not None:
            trace.asked.append((q_finding, answers[-1].answer))
        return start
    value = full.extraction.vitals.get(vital) if vital is not None else None
    if value is not None:
        if trace is not None:
            trace.asked.append((q_finding, f"{vital}={value:g}"))
        return replace(start, vitals=Vitals.from_dict({**start.vitals.as_dict(), vital: value}))
    answers.append(Answer(q_finding, answer_from_case(q_finding, full, vital, kb)))
    if trace is not None:
        trace.asked.append((q_finding, answers[-1].answer))
    return start


def simulate_case(item: dict, figures: Figures, *, matches: Matcher = matches_expected,
                  kb: KnowledgeBase | None = None) -> CaseTrace:
    """Run one case and add it to ``figures``; its trace. ValidationError for a bad item."""
    kb = kb or load_knowledge()
    data = {k: item.get(k) for k in ("id", "note", "age_years", "sex", "pregnant", "vitals")}
    full = assess(parse_case(data), kb=kb)
    expected = item.get("expected", {}).get("conditions", [])
    start = Case(note=chief_complaint(str(item.get("note") or ""), kb=kb), age_years=item.get("age_years"),
                 sex=full.case.sex, pregnant=full.case.pregnant, id=item.get("id"))
    imci = next((s for s in load_screens() if s.id == IMCI_SCREEN), None)
    answers: list[Answer] = []
    asked: list[str] = []          # the questions, a group by its id
    covered: list[tuple[str, ...]] = []   # per question, what it asked: a group's members too
    reached: int | None = None
    top3_at: dict[int, bool] = {}
    trace = CaseTrace(id=item.get("id"), expected=expected, full_level=full.triage.level,
                      top3_full=[c.condition.id for c in full.differential[:3]],
                      start=f"{start.age_years} {start.sex or '?'}"
                            f"{' pregnant' if start.pregnant else ''}: {start.note}")
    for step in range(max(CHECKPOINTS) + 1):
        t0 = time.perf_counter()
        iv = next_questions(case=start, answers=answers, limit=1, kb=kb)
        figures.latencies_ms.append((time.perf_counter() - t0) * 1000)
        if step == 0:
            group = _group(start.age_years, iv.assessment)
        if step == 0 and imci is not None:
            start_ex = iv.assessment.extraction
            # known as the engine knows it: what the complaint says, through the relation
            # (no vomiting: not vomiting everything either)
            yes, no = implied(start_ex.present(), start_ex.negated(), broader=kb.broader,
                              narrower=kb.narrower)
            # ... and what a normal statement settles ("playful and active": not lethargic)
            initially_known = {f.id for f in start_ex.findings} | yes | no | settled_by(
                yes, no, narrower=kb.narrower)
            age = start.age_years
            # ... and asked at this age (vomiting everything is no young-infant sign)
            unknown_signs = [f for f in imci.findings if f not in initially_known
                             and (w := wording(f, kb)) is not None and w.fits_age(age)]
            is_child = age is not None and age < 5
        if reached is None and iv.assessment.triage.level == full.triage.level:
            reached = step
        trace.levels.append(iv.assessment.triage.level)
        now = any(matches(c.condition, expected) for c in iv.assessment.differential[:3])
        if step in CHECKPOINTS:
            top3_at[step] = now
        if step <= TOP3_MISS_AT:
            trace.top3_at = [c.condition.id for c in iv.assessment.differential[:3]]
        if not iv.questions or step == max(CHECKPOINTS):
            for later in CHECKPOINTS:
                top3_at.setdefault(later, now)     # no more questions: it stays as it is
            break
        q = iv.questions[0]
        asked.append(q.finding)
        covered.append((q.finding, *q.members))
        start = _step(start, answers, q.finding, q.vital, full, kb, trace, q.members)
    if reached is None:
        # past the last checkpoint: ask on until the questions run out (at most 40)
        reached = _steps_to_level(start, answers, full, kb, asked=len(asked))
    figures.n += 1
    figures.questions_asked += len(asked)
    figures.findings_asked += sum(max(1, len(c) - 1) for c in covered)
    trace.hit_full = any(matches(c.condition, expected) for c in full.differential[:3])
    trace.hit_at = top3_at[TOP3_MISS_AT]
    figures.top3_full += trace.hit_full
    for cp in CHECKPOINTS:
        figures.top3_at[cp] += top3_at[cp]
    figures.triage_steps.append(reached)
    if full.triage.level == "emergency":
        figures.emergency_steps.append(reached)
        figures.emergency_groups.append(group)
    if imci is not None and is_child and unknown_signs:
        figures.children += 1
        # a grouped question asks each of its members
        within = set().union(*covered[:DANGER_WITHIN])
        figures.children_screened += all(f in within for f in unknown_signs)
    return trace


def _group(age: float | None, start: Assessment) -> str:
    """The emergency's group in the breakdown: a child under 5 (the IMCI danger-sign screen
    takes the first questions), a complaint pointing nowhere (the engine's own test), or
    any other. The age is the case's, else the one the note gives (as the engine reads it)."""
    age = age if age is not None else start.extraction.age_years
    if age is not None and age < 5:
        return EMERGENCY_GROUPS[0]
    return EMERGENCY_GROUPS[1] if complaint_points_nowhere(start) else EMERGENCY_GROUPS[2]


def _steps_to_level(start: Case, answers: list[Answer], full: Assessment,
                    kb: KnowledgeBase, *, asked: int, cap: int = 40) -> int | None:
    answers = list(answers)
    while asked < cap:
        iv = next_questions(case=start, answers=answers, limit=1, kb=kb)
        if iv.assessment.triage.level == full.triage.level:
            return asked
        if not iv.questions:
            return None
        q = iv.questions[0]
        start = _step(start, answers, q.finding, q.vital, full, kb, members=q.members)
        asked += 1
    return None


def simulate(items: list[dict], *, matches: Matcher = matches_expected) -> Figures:
    figures = Figures()
    kb = load_knowledge()
    for item in items:
        simulate_case(item, figures, matches=matches, kb=kb)
    return figures


def simulate_file(path: str) -> Figures:
    """The simulation over a JSON Lines set file; ValidationError for an unreadable file or line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"cannot read the set file ({type(exc).__name__})") from None
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise ValidationError(f"line {number}: expected a JSON object")
        items.append(item)
    return simulate(items)


def _share(k: int, n: int) -> str:
    return f"{k}/{n} ({k / n:.1%})" if n else "0/0 (-)"


def _within(f: Figures, group: str) -> tuple[int, int]:
    steps = [s for s, g in zip(f.emergency_steps, f.emergency_groups, strict=True) if g == group]
    return sum(1 for s in steps if s is not None and s <= EMERGENCY_WITHIN), len(steps)


def figure_lines(f: Figures) -> list[str]:
    """The figures with their targets (issue 15), one per line."""
    within = sum(1 for s in f.emergency_steps if s is not None and s <= EMERGENCY_WITHIN)
    reached = [s for s in f.triage_steps if s is not None]
    mean = sum(reached) / len(reached) if reached else 0.0
    full = f.top3_full / f.n if f.n else 0.0
    after8 = f.top3_at[8] / f.n if f.n else 0.0
    lines = [f"cases {f.n}; questions asked {f.questions_asked} (about {f.findings_asked} findings)",
             f"top-3 with the full note: {_share(f.top3_full, f.n)}"]
    for cp in CHECKPOINTS:
        lines.append(f"top-3 after {cp:2d} answers: {_share(f.top3_at[cp], f.n)}")
    lines += [
        f"  target: top-3 after 8 answers within 5 points of the full note: "
        f"{(after8 - full) * 100:+.1f} points -> {'met' if after8 >= full - 0.05 else 'NOT met'}",
        f"full-note triage level reached: {_share(len(reached), len(f.triage_steps))}, "
        f"mean {mean:.1f} answers",
        f"emergencies reaching emergency within {EMERGENCY_WITHIN} answers: "
        f"{_share(within, len(f.emergency_steps))}",
        f"  target: >= 95% -> "
        f"{'met' if f.emergency_steps and within >= 0.95 * len(f.emergency_steps) else 'NOT met'}",
        *(f"  {g}: {_share(*_within(f, g))}" for g in EMERGENCY_GROUPS),
        f"children under 5 with every unknown general danger sign asked in the first "
        f"{DANGER_WITHIN} questions: {_share(f.children_screened, f.children)}",
        f"  target: every child -> {'met' if f.children_screened == f.children else 'NOT met'}",
        f"next_questions p95 {f.p95_ms():.1f} ms over {len(f.latencies_ms)} calls",
        f"  target: p95 < 50 ms -> {'met' if f.p95_ms() < 50 else 'NOT met'}",
    ]
    return lines


def print_figures(f: Figures) -> None:
    for line in figure_lines(f):
        print(line)
