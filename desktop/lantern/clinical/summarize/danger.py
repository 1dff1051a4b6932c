"""Urgency lines of referral letters: the triage of the diagnosis pipeline (the same
rules and level as the Assessment panel and ``lantern diagnose``), shown with the
note's own words, and the urgency the referring clinician states.

There is no second triage here: the level of a letter is the assessment's level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.clinical.language.claims import claims_of
from lantern.clinical.language.text import Span
from lantern.clinical.triage import LEVEL_ORDER, TriageResult

_THRESHOLD = re.compile(
    r"\s*(?:>=|<=|≥|≤|<|>|\bbelow|\babove|\bover|\bunder|\bat least|低于|高于|超过|大于|小于|不足|达到)\s*"
    r"\d+(?:\.\d+)?(?:\s*/\s*\d+)?\s*"
    r"(?:%|°\s*C|℃|mmHg|mmol/L|/min|mm|kg|g/dL|years?|months?|s\b|次/分|次/min|秒|岁|个月|周)?", re.IGNORECASE)
LEVELS_ZH = {"routine": "常规", "urgent": "紧急", "emergency": "危急"}


@dataclass(slots=True)
class StatedUrgency:
    """The urgency the referring clinician writes ("refer urgently", "非紧急转诊"): shown
    beside the triage level, never instead of it."""

    text: str
    level: str
    span: Span | None


# The referring clinician's own word for the urgency ("refer for emergency C/S", "转急诊").
_STATED_RE = re.compile(r"(?<![-\w])(?:emergency|emergent|urgent(?:ly)?|asap|immediately)\b|紧急|急诊|立即转|尽快转",
                        re.IGNORECASE)
_STATED_NEG = re.compile(r"(?:\bnon-?|\bnot\s+|\bno\s+)$|非$|不$", re.IGNORECASE)


def stated_urgency(note: str, *, doc: int = 0) -> list[StatedUrgency]:
    """Urgency the note itself states in a referral or transfer sentence."""
    out: list[StatedUrgency] = []
    for m in _STATED_RE.finditer(note):
        if _STATED_NEG.search(note[max(0, m.start() - 5):m.start()]):
            continue
        start = max(note.rfind(ch, 0, m.start()) for ch in ".;\n。；") + 1
        ends = [i for i in (note.find(ch, m.end()) for ch in ".;\n。；") if i != -1]
        end = min(ends) if ends else len(note)
        sentence = note[start:end].strip()
        if not re.search(r"refer|transfer|转|送|hospital|医院", sentence, re.IGNORECASE):
            continue
        word = m.group(0).lower()
        level = "emergency" if word in ("emergency", "emergent", "紧急", "急诊", "立即转") else "urgent"
        lead = len(note[start:end]) - len(note[start:end].lstrip())
        out.append(StatedUrgency(sentence, level, Span(start + lead, start + lead + len(sentence), doc=doc)))
    return out


# The clinician's own statement that the referral is NOT urgent ("Non-urgent", "routine
# referral", "elective", "非紧急", "择期", "常规转诊"). "no urgent signs" is not such a statement.
_STATED_ROUTINE_RE = re.compile(
    r"(?<![-\w])(?:non-?\s?urgent|not\s+urgent(?!\s+(?:sign|feature|finding))|"
    r"routine(?=\s+(?:referral|review|appointment|clinic|outpatient|follow))|"
    r"(?<=refer\s)routinely|(?<=referred\s)routinely|elective(?:ly)?(?=\s+(?:referral|review|"
    r"appointment|clinic|outpatient|surgery|repair|admission|assessment)))\b|"
    r"非紧急|非急诊|不紧急|择期|常规转诊|常规门诊|门诊随诊转诊",
    re.IGNORECASE)


def _sentence_of(note: str, start: int, end: int) -> tuple[int, int]:
    s = max(note.rfind(ch, 0, start) for ch in ".;\n。；") + 1
    ends = [i for i in (note.find(ch, end) for ch in ".;\n。；") if i != -1]
    e = min(ends) if ends else len(note)
    while s < e and note[s].isspace():
        s += 1
    while e > s and note[e - 1].isspace():
        e -= 1
    return s, e


def stated_level(note: str, *, doc: int = 0) -> StatedUrgency | None:
    """The urgency level the referring clinician states, with the sentence that states it:
    the most urgent of "urgent"/"emergency" statements, else a "non-urgent"/"routine
    referral" statement, else ``None`` (the clinician stated no level)."""
    stated = stated_urgency(note, doc=doc)
    if stated:
        return max(stated, key=lambda s: LEVEL_ORDER[s.level])
    for m in _STATED_ROUTINE_RE.finditer(note):
        if re.search(r"\b(?:no|without)\s+$", note[max(0, m.start() - 8):m.start()], re.IGNORECASE):
            continue
        start, end = _sentence_of(note, m.start(), m.end())
        return StatedUrgency(note[start:end], "routine", Span(start, end, doc=doc))
    return None


def _not_in_note(label: str, note: str) -> bool:
    got, src = claims_of(label), claims_of(note)
    numbers = src.numbers | {n for n, _ in src.doses}
    # (a rule's advice - "需立即静脉补液": "立即" reads as a stat dose - is no fact of the note either)
    return bool(got.numbers - numbers or got.doses - src.doses or got.drugs - src.drugs - src.allergies
                or got.frequencies - src.frequencies)


def sign_lines(result: TriageResult, note: str, lang: str = "en") -> list[tuple[str, Span | None]]:
    """The firing danger-sign rules of ``result`` (most severe first) as letter lines: the
    rule's label in the letter's language, with the note's own value where the label
    states a threshold, and the span of the note that made the rule fire."""
    lines: list[tuple[str, Span | None]] = []
    seen: set[str] = set()
    for sign in result.signs:
        label = sign.rule.label_zh if lang == "zh" and sign.rule.label_zh else sign.rule.label_en
        spans = [f.span for f in sign.evidence if f.span is not None and f.source == "note"]
        span = Span(spans[0].start, spans[0].end) if spans else None
        if _THRESHOLD.search(label):
            # Rule thresholds are not patient facts: show the note's own value instead.
            label = re.sub(r"\s+", " ", _THRESHOLD.sub(" ", label)).strip(" ,;")
            label = re.sub(r"\s+([)）])", r"\1", re.sub(r"([(（])\s+", r"\1", label))
            label = re.sub(r"[(（]\s*[)）]", "", label).strip()   # "低血压(成人收缩压<90)" → "低血压(成人收缩压)"
            if span is not None:
                label += f" ({note[span.start:span.end].strip()})"
        if re.search(r"\d", label) and span is not None and not re.search(r"\d", note[span.start:span.end]):
            label = note[span.start:span.end]
        if span is not None and _not_in_note(label, note):
            # "Low oxygen saturation (90-93%)": a rule's range or wording the note does not have
            # (numbers, drug names) is no patient fact; the note's own words are shown.
            label = note[span.start:span.end].strip()
        if label not in seen:
            seen.add(label)
            lines.append((label, span))
    return lines
