"""Answers written after what they answer (``resources/language/answers.toml``, issue 11).

- A question answered later in the sentence ("Any fever? No.", "有无咳嗽？无。", "asked about
  fever or vomiting - says no", "问有没有发烧，她说没有"): :func:`answered_questions` gives
  the character range asked about and the answer; the findings extractor sets the polarity
  of the findings read in that range.
- A clinician's summary negative of a whole screen ("no danger signs", "无一般危险征象",
  "no red flags"): :func:`summary_negatives` gives each phrase's span and the findings of
  the screen it summarises (members of a grouped screen of ``resources/interview/groups.toml``
  or the ids listed), when the patient is one the screen is for.

The format is described at the top of the data file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.parsed_cache import read_toml
from lantern.domain.errors import KnowledgeBaseError
from lantern.paths import resources_dir

_WHENS = frozenset({"child", "pregnant", "back_pain", "any"})
_SENTENCE_END = re.compile(r"[.。;；!！?？\n]")
_COMMA = re.compile(r"[,，]")
_STRIP = " \t-–—:：,，"
_WINDOW = 300       # characters a question may take before its answer
_LEAD_MAX = 40      # characters of the answer's lead ("mother says", "家属说")
# words that say the patient is a child when the age is not written
_CHILD_WORDS = re.compile(r"\b(?:child|infant|baby|toddler|boy|girl)\b|患儿|婴儿|小儿|宝宝|幼儿", re.I)


@dataclass(frozen=True)
class Summary:
    pattern: re.Pattern[str]
    findings: tuple[str, ...]
    when: str


@dataclass(frozen=True)
class Answers:
    openers: re.Pattern[str]
    lead_at_end: re.Pattern[str]
    answer: re.Pattern[str]
    no_words: frozenset[str]
    summaries: tuple[Summary, ...]


def _alternation(phrases: list[str] | tuple[str, ...]) -> str:
    parts = []
    for p in sorted(phrases, key=len, reverse=True):
        body = re.escape(p.lower()).replace(r"\ ", r"\s+")
        parts.append(rf"\b{body}\b" if p.isascii() else body)
    return "|".join(parts)


def _strings(raw: dict, key: str, problems: list[str], where: str = "answers.toml") -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{where}: {key} must be a non-empty list of strings")
        return []
    return value


def read_answers(root: Path, problems: list[str]) -> Answers:
    """``answers.toml`` of the language directory ``root``, read and checked: each problem is
    added to ``problems`` (the grouped screens are those of ``resources/interview``)."""
    raw = read_toml(root / "answers.toml", problems)
    groups_raw = read_toml(resources_dir() / "interview" / "groups.toml", problems)
    if not raw.get("source"):
        problems.append("answers.toml: missing field 'source'")
    members = {g.get("id"): tuple(m["finding"] for m in g.get("member", []))
               for g in groups_raw.get("group", [])}
    openers = _strings(raw, "question_openers", problems)
    leads = _strings(raw, "answer_leads", problems)
    no_words = _strings(raw, "answer_no", problems)
    yes_words = _strings(raw, "answer_yes", problems)
    summaries = []
    for k, entry in enumerate(raw.get("summary", [])):
        where = f"answers.toml summary {k + 1}"
        phrases = _strings(entry, "phrases", problems, where)
        when = entry.get("when")
        if when not in _WHENS:
            problems.append(f"{where}: when must be one of {sorted(_WHENS)}")
        if not entry.get("source"):
            problems.append(f"{where}: no source")
        if "group" in entry:
            ids = members.get(entry["group"], ())
            if not ids:
                problems.append(f"{where}: unknown group {entry['group']!r}")
        else:
            ids = tuple(_strings(entry, "findings", problems, where))
        if phrases:
            summaries.append(Summary(re.compile(_alternation(phrases), re.I), ids, str(when)))
    return Answers(
        openers=re.compile(_alternation(openers), re.I),
        lead_at_end=re.compile(rf"(?:{_alternation(leads)})\s*$", re.I),
        answer=re.compile(rf"(?:{_alternation(no_words + yes_words)})(?=\s*(?:[.。;；!！,，)）\n]|$))", re.I),
        no_words=frozenset(w.lower() for w in no_words),
        summaries=tuple(summaries),
    )


@cache
def load_answers() -> Answers:
    """The validated answers data; KnowledgeBaseError naming every problem."""
    problems: list[str] = []
    answers = read_answers(resources_dir() / "language", problems)
    if problems:
        raise KnowledgeBaseError("; ".join(problems))
    return answers


def answered_questions(note: str) -> list[tuple[int, int, bool]]:
    """``(start, end, negated)`` for each question of the note answered after it: the
    findings read in ``note[start:end]`` are what was asked about."""
    data = load_answers()
    out: list[tuple[int, int, bool]] = []
    for m in data.answer.finditer(note):
        # the question is read in a window before its answer: a long note stays linear
        base = max(0, m.start() - _WINDOW)
        prefix = note[base:m.start()]
        lead = False
        while True:
            stripped = prefix.rstrip(_STRIP)
            found = data.lead_at_end.search(stripped, max(0, len(stripped) - _LEAD_MAX))
            if found and found.start() < len(stripped):
                prefix, lead = stripped[:found.start()], True
                continue
            prefix = stripped
            break
        if not prefix:
            continue
        qmark = prefix[-1] in "?？"
        body_end = base + len(prefix) - (1 if qmark else 0)
        if not qmark and not lead:
            continue
        ends = list(_SENTENCE_END.finditer(note, base, body_end))
        begin = ends[-1].end() if ends else base
        opener = data.openers.search(note, begin, body_end)
        if opener is not None:
            start = opener.start()
        elif qmark:
            commas = list(_COMMA.finditer(note, begin, body_end))
            start = commas[-1].end() if commas else begin
        else:
            continue
        out.append((start, body_end, re.sub(r"\s+", " ", m.group(0).lower()) in data.no_words))
    return out


def summary_negatives(note: str, *, child: bool | None, pregnant: bool,
                      back_pain: bool) -> list[tuple[int, int, tuple[str, ...]]]:
    """``(start, end, findings)`` for each summary negative whose screen applies: ``child``
    is the age under 5 (None when the age is not known: the note's words decide)."""
    holds = {"any": True, "pregnant": pregnant, "back_pain": back_pain,
             "child": child if child is not None else bool(_CHILD_WORDS.search(note))}
    out = []
    for s in load_answers().summaries:
        if not holds[s.when]:
            continue
        for m in s.pattern.finditer(note):
            out.append((m.start(), m.end(), s.findings))
    return out
