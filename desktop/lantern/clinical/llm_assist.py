"""Optional language-model step, checked against the note.

The model is only a ``TextGenerator`` callable (docs/ARCHITECTURE.md); this
module never imports ``lantern.llm``. Two uses:

1. ``llm_findings``: ask for findings the lexicon missed, as JSON constrained by
   a schema. Each item must quote text that really is in the note, and the
   quote must not contradict the lexicon; otherwise it is dropped.
2. ``llm_explanation``: a short explanation of the top conditions. Every
   sentence is checked: a sentence naming a finding that is not in the note, or
   a number that is not in the note, is dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from lantern.clinical.knowledge import KnowledgeBase
from lantern.clinical.knowledge_ids import STRIDOR, UNABLE_TO_DRINK
from lantern.clinical.language.findings import Extraction, Finding, extract_findings
from lantern.clinical.language.tokens import Span

PROMPT_ID = "diagnosis-findings"
PROMPT_VERSION = 1
MAX_LLM_FINDINGS = 8

TextGenerator = Callable[..., str]


def findings_schema(kb: KnowledgeBase) -> dict:
    # Ids are checked after generation: an enum of ~300 ids makes the grammar very slow.
    return {
        "type": "object",
        "properties": {"findings": {
            "type": "array", "maxItems": MAX_LLM_FINDINGS,
            "items": {"type": "object", "properties": {
                "id": {"type": "string", "maxLength": 40},
                "quote": {"type": "string", "maxLength": 80},
                "negated": {"type": "boolean"}},
                "required": ["id", "quote", "negated"]},
        }},
        "required": ["findings"],
    }


def findings_prompt(note: str, kb: KnowledgeBase, already: list[str]) -> str:
    ids = sorted(fid for fid, fd in kb.findings.items() if fd.kind in ("symptom", "sign"))
    return (
        f"Finding ids: {', '.join(ids)}.\n"
        "Task: list clinical findings written in the note. For each, give the finding id, "
        "the exact words from the note (quote), and whether the note says it is absent "
        "(negated). Only use words that appear in the note.\n\n"
        'Example note: "Mother says baby breathes noisily and will not take the breast."\n'
        f'Example answer: {{"findings": [{{"id": "{STRIDOR}", "quote": "breathes noisily", '
        f'"negated": false}}, {{"id": "{UNABLE_TO_DRINK}", "quote": "will not take the breast", '
        '"negated": false}]}\n\n'
        f"Already found: {', '.join(already) or 'none'}.\n"
        f"Note: \"{note}\"\nAnswer: "
    )


def parse_llm_findings(raw: str, note: str, kb: KnowledgeBase, extraction: Extraction) -> list[Finding]:
    """Keep only well-formed items whose quote is really in the note (case-insensitive)."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        return []
    items = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    lower = note.lower()
    known = {f.id for f in extraction.findings}
    out: list[Finding] = []
    for item in items[:MAX_LLM_FINDINGS]:
        if not isinstance(item, dict):
            continue
        fid, quote, negated = item.get("id"), item.get("quote"), item.get("negated")
        if fid not in kb.findings or fid in known or not isinstance(quote, str):
            continue
        quote = quote.strip()
        if len(quote) < 3 or not isinstance(negated, bool):
            continue
        pos = lower.find(quote.lower())
        if pos < 0:
            continue
        # the quote must not be something the lexicon already read differently
        overlaps = [f for f in extraction.mentions if f.span and f.span.start < pos + len(quote)
                    and pos < f.span.end]
        if overlaps:
            continue
        span = Span(pos, pos + len(quote), note[pos:pos + len(quote)])
        out.append(Finding(fid, kb.label(fid), negated, False, span, "llm"))
        known.add(fid)
    return out


def llm_findings(generate: TextGenerator, note: str, kb: KnowledgeBase,
                 extraction: Extraction) -> list[Finding]:
    if not note.strip():
        return []
    prompt = findings_prompt(note[:4000], kb, sorted(f.id for f in extraction.findings))
    raw = generate(prompt, max_tokens=160, json_schema=findings_schema(kb))
    return parse_llm_findings(raw, note, kb, extraction)


_SENTENCE_RE = re.compile(r"[^.!?。！？\n]+[.!?。！？]?")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_CHECKED_KINDS = frozenset({"symptom", "sign", "vital", "test"})


def explanation_prompt(note: str, names: list[str], evidence: list[str]) -> str:
    return (
        "Write two short sentences for a clinician explaining why these conditions are "
        "considered, using only the findings listed.\n"
        f"Conditions: {', '.join(names)}\nFindings in the note: {', '.join(evidence)}\n"
        "Explanation:"
    )


def verify_explanation(text: str, note: str, kb: KnowledgeBase, extraction: Extraction) -> str:
    """Drop sentences that mention findings or numbers the note does not contain."""
    present = {f.id for f in extraction.findings if not f.negated}
    note_numbers = set(_NUMBER_RE.findall(note))
    kept: list[str] = []
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group().strip()
        if not sentence:
            continue
        if any(n not in note_numbers for n in _NUMBER_RE.findall(sentence)):
            continue
        named = extract_findings(sentence, kb=kb)
        if any(f.id not in present for f in named.findings if not f.negated and f.source == "note"
               and kb.findings[f.id].kind in _CHECKED_KINDS):
            continue
        kept.append(sentence)
    return " ".join(kept)


def llm_explanation(generate: TextGenerator, note: str, kb: KnowledgeBase, extraction: Extraction,
                    names: list[str], on_text: Callable[[str], None] | None = None) -> str:
    evidence = [f.label for f in extraction.findings if not f.negated][:12]
    if not names or not evidence:
        return ""
    raw = generate(explanation_prompt(note, names, evidence), max_tokens=120, stop=["\n\n"],
                   on_text=on_text)
    return verify_explanation(raw, note, kb, extraction)
