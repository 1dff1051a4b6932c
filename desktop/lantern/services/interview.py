"""Guided consultation for the GUI (issue 15): the next questions for the open note, with
the answers read back from the note itself.

The note is the single record. An answer the clinician gives is a line appended to the
note (``answer_sentence``: "No neck stiffness." / "无颈项强直。"); reading the note finds
those lines again (:func:`note_answers`), so undoing the edit undoes the answer. When a
later answer contradicts an earlier one, the earlier line stays and is marked
"(corrected)" / "（已更正）" (:func:`answer_edit`): the note shows both, and only the later
one counts. "Unknown" writes nothing (an unknown finding is no finding); the panel only
stops asking it while the encounter is open.

A grouped screen question ("Any of these: ...", ``Question.members``): "no" writes one
line, the group's sentence ("No general danger signs: able to drink or breastfeed; ..."),
read back as an answer "no" to each member; "yes" writes nothing (the panel opens the
members as single questions while the encounter is open, so the sign present is named
and written as its own line); "unknown" writes nothing, as for a single question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lantern.clinical.interview import Answer, Interview, Question, answer_sentence, next_questions
from lantern.clinical.interview.groups import group_by_id, no_sentence, parse_no_sentence
from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.clinical.language.findings import extract_findings
from lantern.clinical.language.sections import first_line_of
from lantern.clinical.language.text import detect_lang
from lantern.clinical.pipeline import Assessment, Case, assess, parse_case
from lantern.domain.records import Vitals

CORRECTED_MARK = {"en": " (corrected)", "zh": "（已更正）"}
_MAX_ANSWER_CHARS = 120        # an answer line is one short sentence
_ENDINGS = (".", "。")


@dataclass(frozen=True, slots=True)
class NoteAnswer:
    """An answer line of the note."""

    finding: str
    answer: str            # "yes" | "no"
    line: int              # 0-based line number in the note
    text: str              # the sentence, without a correction mark
    corrected: bool        # marked as corrected: a later answer replaced it


@dataclass(frozen=True, slots=True)
class NoteEdit:
    """How an answer changes the note: lines to mark corrected, then a line to append."""

    mark_lines: tuple[int, ...]
    marks: tuple[str, ...]          # the mark added at the end of each of those lines
    append: str


@dataclass(frozen=True, slots=True)
class Change:
    """What the answers did to the differential (the panel's counter)."""

    answers: int                   # yes / no answers in force
    corrections: int               # answer lines marked corrected
    top_before: str | None         # condition id of the first condition without the answers
    top_after: str | None
    p_before: float | None         # the current first condition's probability before / after
    p_after: float | None
    triage_before: str
    triage_after: str

    @property
    def top_changed(self) -> bool:
        return self.top_before != self.top_after


@dataclass
class InterviewResult:
    interview: Interview
    lang: str                                   # the note's language (answers are written in it)
    answers: list[NoteAnswer]                   # the answer lines in force, in note order
    change: Change
    sentences: dict[str, tuple[str, str]] = field(default_factory=dict)  # finding -> (yes, no)

    @property
    def questions(self) -> list[Question]:
        return self.interview.questions

    @property
    def assessment(self) -> Assessment:
        return self.interview.assessment


def _strip_mark(line: str) -> tuple[str, bool]:
    for mark in CORRECTED_MARK.values():
        if line.endswith(mark.strip()):
            return line[: -len(mark.strip())].rstrip(), True
    return line, False


def note_answers(note: str, *, kb: KnowledgeBase) -> list[NoteAnswer]:
    """Every answer line in ``note`` (a line that is exactly the sentence
    ``answer_sentence`` gives for a finding, in either language, or a grouped question's
    "no" line, one answer per member it names), corrected or not."""
    out: list[NoteAnswer] = []
    for number, raw in enumerate(note.split("\n")):
        text, corrected = _strip_mark(raw.strip())
        if not text.endswith(_ENDINGS):
            continue
        group = parse_no_sentence(text, kb=kb)      # a group's line may be longer
        if group is not None:
            out += [NoteAnswer(fid, "no", number, text, corrected) for fid in group[1]]
            continue
        if len(text) > _MAX_ANSWER_CHARS:
            continue
        lang = detect_lang(text)
        for f in extract_findings(text, age_years=30.0, kb=kb).findings:
            answer = "no" if f.negated else "yes"
            if not f.uncertain and answer_sentence(f.id, answer, lang, kb=kb) == text:
                out.append(NoteAnswer(f.id, answer, number, text, corrected))
                break
    return out


def answers_in_force(lines: Iterable[NoteAnswer]) -> list[NoteAnswer]:
    """The uncorrected answer lines, the later one winning for a finding, in note order."""
    latest: dict[str, NoteAnswer] = {}
    for a in lines:
        if not a.corrected:
            latest.pop(a.finding, None)
            latest[a.finding] = a
    return sorted(latest.values(), key=lambda a: a.line)


def answer_edit(note: str, *, finding: str, answer: str, lang: str,
                kb: KnowledgeBase | None = None, question: Question | None = None
                ) -> NoteEdit | None:
    """The edit that records ``answer`` in ``note`` (None: nothing to write, i.e. an
    "unknown", a measurement, a group's "yes", or the same answer already in force).
    Earlier answer lines of the finding that say otherwise are marked corrected in their
    own language. ``question``: the grouped question when ``finding`` is a group id (its
    "no" writes the group's sentence over the members it asked)."""
    kb = kb or load_knowledge()
    if question is not None and question.is_group:
        return _group_edit(note, question, answer, lang, kb)
    sentence = answer_sentence(finding, answer, lang, kb=kb)
    if answer == "unknown" or not sentence or sentence in Vitals.__slots__:
        return None
    lines = note_answers(note, kb=kb)
    current = {a.finding: a.answer for a in answers_in_force(lines)}
    if current.get(finding) == answer:
        return None
    return _edit(lines, {finding}, answer, sentence)


def group_no_sentence(question: Question, lang: str, *, kb: KnowledgeBase) -> str:
    """The line a "no" to the grouped ``question`` writes ("" for an unknown group)."""
    group = group_by_id(question.finding)
    if group is None:
        return ""
    return no_sentence(group, question.members, lang, others_present=question.others_present, kb=kb)


def _group_edit(note: str, question: Question, answer: str, lang: str,
                kb: KnowledgeBase) -> NoteEdit | None:
    sentence = group_no_sentence(question, lang, kb=kb) if answer == "no" else ""
    if not sentence:
        return None
    lines = note_answers(note, kb=kb)
    current = {a.finding: a.answer for a in answers_in_force(lines)}
    if all(current.get(fid) == "no" for fid in question.members):
        return None
    return _edit(lines, set(question.members), "no", sentence)


def _edit(lines: list[NoteAnswer], findings: set[str], answer: str, sentence: str) -> NoteEdit:
    stale = [a for a in lines if a.finding in findings and not a.corrected and a.answer != answer]
    stale = list({a.line: a for a in stale}.values())       # a line once, a group's too
    return NoteEdit(mark_lines=tuple(a.line for a in stale),
                    marks=tuple(CORRECTED_MARK[detect_lang(a.text)] for a in stale),
                    append=sentence)


def answer_line(note: str) -> int | None:
    """Where an answer line goes: above the line that opens the note's assessment, plan or
    follow-up ("Plan: ..."), so the answer stays with the history and examination it belongs to
    and a summary files it there, not under the plan; None: at the end (a note without those)."""
    return first_line_of(note)


def apply_edit(note: str, edit: NoteEdit) -> str:
    """``note`` with ``edit`` made (the panel makes the same edit in the editor, undoably)."""
    lines = note.split("\n")
    for number, mark in zip(edit.mark_lines, edit.marks, strict=True):
        keep = len(lines[number].rstrip())
        lines[number] = lines[number][:keep] + mark + lines[number][keep:]
    text = "\n".join(lines)
    at = answer_line(text)
    if at is not None:
        return "\n".join(lines[:at] + [edit.append] + lines[at:])
    if text.strip() and not text.endswith("\n"):
        text += "\n"
    return text + edit.append


def _without_answers(note: str, lines: list[NoteAnswer]) -> str:
    drop = {a.line for a in lines}
    return "\n".join(line for i, line in enumerate(note.split("\n")) if i not in drop)


class InterviewService:
    """``next(...)``: the questions, the assessment with the note's answers applied and
    what the answers changed. Thread-safe to call from one worker lane."""

    def __init__(self, *, kb: KnowledgeBase | None = None) -> None:
        self._kb = kb
        self._baseline: tuple[Any, Assessment] | None = None   # (key, assessment) cache

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_knowledge()
        return self._kb

    def _case(self, note: str, vitals: Any, age_years: float | None, sex: str | None,
              pregnant: bool | None) -> Case:
        if isinstance(vitals, Vitals):
            vitals = vitals.as_dict()
        return parse_case({"note": note, "vitals": vitals or {}, "age_years": age_years,
                           "sex": sex if sex in ("male", "female") else None,
                           "pregnant": bool(pregnant)})

    def _before(self, case: Case, lines: list[NoteAnswer]) -> Assessment:
        """The assessment of the note without its answer lines (cached: an answer appends
        a line, the rest of the note is the same)."""
        bare = Case(note=_without_answers(case.note, lines), age_years=case.age_years,
                    sex=case.sex, pregnant=case.pregnant, vitals=case.vitals)
        key = (bare.note, bare.age_years, bare.sex, bare.pregnant,
               tuple(sorted(bare.vitals.as_dict().items())))
        if self._baseline is None or self._baseline[0] != key:
            self._baseline = (key, assess(bare, kb=self.kb))
        return self._baseline[1]

    def next(self, *, note: str, vitals: Any = None, age_years: float | None = None,
             sex: str | None = None, pregnant: bool | None = None,
             skipped: Iterable[str] = (), fallback_lang: str = "en",
             limit: int = 5, opened: Iterable[str] = ()) -> InterviewResult:
        """The next questions for the note; ``skipped``: findings (or groups) answered
        "unknown"; ``opened``: groups answered "yes" (their members are asked first);
        ``fallback_lang``: the language to write answers in while the note is empty."""
        kb = self.kb
        case = self._case(note, vitals, age_years, sex, pregnant)
        lines = note_answers(note, kb=kb)
        in_force = answers_in_force(lines)
        said = {a.finding for a in in_force}
        answers = [Answer(a.finding, a.answer) for a in in_force]
        answers += [Answer(f, "unknown") for f in skipped if f not in said
                    and (f in kb.findings or group_by_id(f) is not None)]
        answers += [Answer(g, "yes") for g in opened if group_by_id(g) is not None]
        interview = next_questions(case=case, answers=answers, limit=limit, kb=kb)
        lang = detect_lang(note) if note.strip() else ("zh" if fallback_lang == "zh" else "en")
        before = self._before(case, lines)
        after = interview.assessment
        top_after = after.differential[0].condition.id if after.differential else None
        change = Change(
            answers=len(in_force), corrections=sum(a.corrected for a in lines),
            top_before=before.differential[0].condition.id if before.differential else None,
            top_after=top_after,
            p_before=_probability(before, top_after), p_after=_probability(after, top_after),
            triage_before=before.triage.level, triage_after=after.triage.level)
        sentences = {q.finding: _sentences(q, lang, kb) for q in interview.questions}
        return InterviewResult(interview=interview, lang=lang, answers=in_force, change=change,
                               sentences=sentences)

    def assess(self, **kwargs: Any) -> Assessment:
        """``AssessmentService.assess``'s keywords: the assessment with the note's answer
        lines applied the way the panel applies them (a correction wins)."""
        return self.next(note=kwargs.get("note") or "", vitals=kwargs.get("vitals"),
                         age_years=kwargs.get("age_years"), sex=kwargs.get("sex"),
                         pregnant=kwargs.get("pregnant"), limit=0).assessment

    def condition_name(self, condition_id: str, lang: str) -> str:
        cond = self.kb.conditions.get(condition_id)
        if cond is None:
            return condition_id
        return cond.name_zh if lang == "zh" and cond.name_zh else cond.name_en


def _sentences(q: Question, lang: str, kb: KnowledgeBase) -> tuple[str, str]:
    """What "yes" and "no" write; a group's "yes" writes nothing: what it does instead."""
    if q.is_group:
        group = group_by_id(q.finding)
        return (group.yes_hint(lang) if group else "", group_no_sentence(q, lang, kb=kb))
    return answer_sentence(q.finding, "yes", lang, kb=kb), answer_sentence(q.finding, "no", lang, kb=kb)


def _probability(assessment: Assessment, condition_id: str | None) -> float | None:
    for i, cand in enumerate(assessment.differential):
        if cand.condition.id == condition_id:
            probs = assessment.probabilities
            return probs[i] if i < len(probs) else cand.score
    return None
