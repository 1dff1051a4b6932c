"""LLM wording on top of the skeleton, with verification and restoration.

The model only rewrites narrative sections. Every sentence it writes is checked
(:mod:`verify`) against the source and against the draft line(s) it stands in for
(:func:`replaced_lines`); failures are dropped and counted. A skeleton line the kept
sentences do not fully cover stays in the summary (critical ones are marked
``restored``), so a model can make a summary more fluent but never less complete.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from lantern.clinical.language.claims import Claims, claims_of, unsupported
from lantern.clinical.language.meaning import Meaning, meaning_of, missing_meaning
from lantern.clinical.language.text import split_sentences, strip_control_tokens
from lantern.clinical.summarize.model import DroppedSentence, Line, Summary
from lantern.clinical.summarize.prompts import PromptTemplate
from lantern.clinical.summarize.verify import SourceIndex, check_sentence, content_tokens
from lantern.domain.errors import Cancelled

NOTE_BUDGET_CHARS = 2000     # of source text per prompt; the skeleton carries the rest
MAX_TOKENS_PER_SECTION = 40
COVER_RATIO = 0.6


class TextGenerator(Protocol):
    def __call__(self, prompt: str, *, max_tokens: int, stop: list[str] | None = None,
                 json_schema: dict | None = None,
                 on_text: Callable[[str], None] | None = None) -> str: ...


def prompt_note(text: str, budget: int = NOTE_BUDGET_CHARS) -> str:
    """The source as it goes into a prompt: control markers made inert, long text cut."""
    text = strip_control_tokens(text)
    if len(text) > budget:
        text = text[: budget // 2] + "\n[…]\n" + text[-budget // 2:]
    return text


def reword(summary: Summary, generate: TextGenerator, *, prompt: PromptTemplate,
           sections: Sequence[str], source_text: str | None = None,
           on_text: Callable[[str], None] | None = None,
           cancelled: threading.Event | None = None,
           max_tokens: int = MAX_TOKENS_PER_SECTION) -> Summary:
    """Rewrite ``sections`` of ``summary`` in place with the model and return it."""
    index = SourceIndex.build(summary.docs, vocabulary_extra=summary.text)
    note = prompt_note(source_text if source_text is not None else "\n\n".join(summary.docs))
    summary.llm_used = True
    summary.prompt_id, summary.prompt_version = prompt.id, prompt.version
    for key in sections:
        skeleton = summary.sections.get(key) or []
        if not skeleton or not any(ln.sources for ln in skeleton):
            continue
        if cancelled is not None and cancelled.is_set():
            raise Cancelled("Summary cancelled.")
        title = summary.title(key)
        facts = "\n".join("- " + ln.text for ln in skeleton)
        if on_text:
            on_text(f"\n{title}: ")
        budget = max(max_tokens, min(3 * max_tokens, len(facts) // 3))   # long fact lists need room
        raw = generate(prompt.render(note=note, section=title, facts=facts),
                       max_tokens=budget, stop=["\n", "<<<", ">>>"],
                       on_text=on_text)
        summary.sections[key] = _merge(key, skeleton, raw, index, summary.dropped)
    return summary


def replaced_lines(sentence: str, skeleton: list[Line], meanings: list[Meaning]) -> list[str]:
    """The draft line a model sentence stands in for: the one it shares the most findings,
    numbers and drugs with; else the one it shares the most words with (none: no line).
    A sentence that joins two lines must keep all of the first; the second is replaced
    only if the kept sentences say all of it (:func:`_merge`)."""
    keys = meaning_of(sentence).keys()
    shared = [(len(keys & m.keys()), -i) for i, m in enumerate(meanings)]
    best = max(shared, default=(0, 0))
    if best[0]:
        return [skeleton[-best[1]].text]
    words = set(content_tokens(sentence))
    overlap = [(len(words & set(content_tokens(ln.text))), -i) for i, ln in enumerate(skeleton)]
    most = max(overlap, default=(0, 0))
    return [skeleton[-most[1]].text] if most[0] else []


def _merge(key: str, skeleton: list[Line], raw: str, index: SourceIndex,
           dropped: list[DroppedSentence]) -> list[Line]:
    kept: list[Line] = []
    section_words = set(content_tokens(" ".join(ln.text for ln in skeleton)))
    meanings = [meaning_of(ln.text) for ln in skeleton]
    pieces = split_sentences(raw.strip())
    for n, (sentence, _, _) in enumerate(pieces):
        sentence = sentence.strip(" -•*\"'")
        if not sentence:
            continue
        reasons = _form_problems(sentence, last=n == len(pieces) - 1, kept=kept)
        reasons += _off_topic(sentence, section_words)
        verdict = check_sentence(sentence, index, replaces=replaced_lines(sentence, skeleton, meanings))
        reasons += verdict.reasons
        if not reasons:
            kept.append(Line(sentence, verdict.spans, origin="llm"))
        else:
            dropped.append(DroppedSentence(key, sentence, reasons))
    covered_text = " ".join(ln.text for ln in kept)
    covered_claims = claims_of(covered_text)
    covered_tokens = set(content_tokens(covered_text))
    covered_meaning = Meaning()
    for ln in kept:
        covered_meaning.update(meaning_of(ln.text))
    out = list(kept)
    # a diagnosis is short and exact: the model's sentences cover it only if they
    # contain all of it ("低血糖症" is not covered by a sentence about "血糖")
    ratio = 1.0 if key == "assessment" else COVER_RATIO
    for line, meaning in zip(skeleton, meanings, strict=True):
        if kept and not missing_meaning(meaning, covered_meaning) \
                and _covered(line, covered_claims, covered_tokens, ratio):
            continue
        origin = "restored" if (kept and line.critical) else "skeleton"
        out.append(Line(line.text, line.sources, line.critical, origin))
    return out


_HEADER_ARTIFACT = re.compile(r"(?:^|\s)(?:[SOAP]|Hx|O/E|Imp|Rx|主诉|查体|诊断|处理)\s*[:：]", re.IGNORECASE)
MAX_SENTENCE_CHARS = 300


def _form_problems(sentence: str, *, last: bool, kept: list[Line]) -> list[str]:
    reasons = []
    if last and sentence[-1] not in ".!?。！？)）":
        reasons.append("incomplete sentence")
    if len(sentence) > MAX_SENTENCE_CHARS:
        reasons.append("too long")
    grams = re.findall(r"\S+", sentence.lower())
    trigrams = [tuple(grams[i:i + 3]) for i in range(len(grams) - 2)]
    if len(trigrams) != len(set(trigrams)) or re.search(r"(.{4,}?)\1{2,}", sentence):
        reasons.append("repetition")
    if _HEADER_ARTIFACT.search(sentence):
        reasons.append("copied note layout")
    if any(ln.text.lower() == sentence.lower() for ln in kept):
        reasons.append("duplicate")
    return reasons


def _off_topic(sentence: str, section_words: set[str]) -> list[str]:
    """A sentence must be about its own section's facts (no copying other sections in)."""
    words = content_tokens(sentence)
    if not words or not section_words:
        return []
    share = sum(1 for w in words if w in section_words) / len(words)
    return [] if share >= COVER_RATIO else ["not about this section"]


def _covered(line: Line, claims: Claims, tokens: set[str], ratio: float = COVER_RATIO) -> bool:
    if unsupported(claims_of(line.text), claims):
        return False
    words = content_tokens(line.text)
    if not words:
        return True
    return sum(1 for w in words if w in tokens) / len(words) >= ratio
