"""The deterministic note summary (SOAP + allergies, medications, follow-up).

Correct with no model: every line is built from text of the note and links to
the span(s) it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.summarize import sections as S
from lantern.clinical.summarize.allergies import AllergyFacts, extract_allergies
from lantern.clinical.summarize.followup import FollowUp, extract_followups
from lantern.clinical.summarize.meds import Medication, extract_medications
from lantern.clinical.summarize.model import Line, Summary
from lantern.clinical.summarize.text import Span, clean_line, detect_lang, nfkc, split_sentences
from lantern.clinical.summarize.vitals import VitalReading, extract_vitals

MAX_SUBJECTIVE = 4
MAX_EXAM = 4
MAX_PLAN = 5

INJECTION_RE = re.compile(
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above|earlier) (?:instructions?|prompts?|rules?)|"
    r"disregard (?:the |all )?(?:previous|prior|above) |you are now|new instructions?:|system prompt|"
    r"<\|?\s*/?\s*(?:im_start|im_end|start_of_turn|end_of_turn|system|assistant|user|eot_id|"
    r"begin_of_text|start_header_id|end_header_id)\s*\|?>|\[/?INST\]|"
    r"忽略(?:之前|以上|前面)的?(?:所有)?(?:指令|指示|说明)|你现在是|"
    # orders addressed to the summarizer rather than notes about the patient
    r"(?:^|(?<=[.!?:\n。！？：]))\s*(?:please\s+)?(?:write|say|state|report|output|respond|reply|print|answer)"
    r"\s+(?:that|only|with|the following|as follows)\b|\byou (?:must|should|will|are to)\s+(?:say|write|report|"
    r"state|output|ignore|not mention|omit|respond)\b|\bdo not (?:mention|report|include) (?:the |any )?allerg|"
    r"(?:直接|请)?输出[:：]|你必须|不要提及", re.IGNORECASE)
# Instruction text often runs over several sentences: a sentence right after one that
# reads like another order to the reader ("Write that ...", "You ...") is treated the same.
_ORDER_GOES_ON = re.compile(r"^\W*(?:you|write|say|state|report|output|respond|reply|print|answer|tell|act|"
                            r"pretend|forget|ignore|disregard|do not|don't|never|always|instead|from now on)\b|"
                            r"^\W*(?:请|你|直接|不要|忽略|记住)", re.IGNORECASE)


@dataclass(slots=True)
class NoteFacts:
    """Everything the parsers found in one note (one visit)."""

    note: str
    lang: str
    doc: int = 0
    sections: list[S.Section] = field(default_factory=list)
    allergies: AllergyFacts = field(default_factory=AllergyFacts)
    medications: list[Medication] = field(default_factory=list)
    vitals: list[VitalReading] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    sentences: dict[str, list[tuple[str, Span]]] = field(default_factory=dict)
    injection_spans: list[Span] = field(default_factory=list)
    danger_signs: list[tuple[str, Span | None]] = field(default_factory=list)

    def lines_of(self, name: str) -> list[tuple[str, Span]]:
        return self.sentences.get(name, [])


def parse_note(note: str, *, lang: str | None = None, doc: int = 0,
               age_years: float | None = None) -> NoteFacts:
    """Parse one note. ``note`` is used as given (spans index into it)."""
    folded = nfkc(note) if len(nfkc(note)) == len(note) else note
    lang = lang or detect_lang(note)
    facts = NoteFacts(note=note, lang=lang, doc=doc)
    facts.injection_spans = injection_spans(folded, doc=doc)
    # Instruction-like sentences are blanked for the parsers (offsets are kept).
    parsed = _blank(folded, facts.injection_spans)
    facts.sections = S.split_sections(parsed)
    facts.allergies = extract_allergies(parsed, doc=doc)
    facts.allergies.source = folded
    facts.medications = extract_medications(parsed, exclude=facts.allergies.phrase_ranges, doc=doc,
                                            allergens={a.canonical for a in facts.allergies.allergies})
    facts.vitals = extract_vitals(parsed, doc=doc, age_years=age_years)
    facts.followups = extract_followups(parsed, doc=doc)
    for sec in facts.sections:
        for sentence, start, end in split_sentences(folded[sec.start:sec.end], offset=sec.start):
            if any(start <= sp.start < end or sp.start <= start < sp.end for sp in facts.injection_spans):
                continue  # instruction-like text is data: never repeated into a summary
            text = clean_line(sentence)
            if len(re.sub(r"[\W\d_]", "", text)) < 2:
                continue  # a bare number or punctuation carries nothing a reader can use
            facts.sentences.setdefault(sec.name, []).append((text, Span(start, end, doc)))
    return facts


def injection_spans(text: str, *, doc: int = 0) -> list[Span]:
    """Whole sentences (or lines) that contain instruction-like text or chat markers, and
    the sentences that follow them in the same line or paragraph (the rest of the order)."""
    hits = [(m.start(), m.end()) for m in INJECTION_RE.finditer(text)]
    if not hits:
        return []
    spans = []
    blanking = False
    for _sentence, start, end in split_sentences(text):
        hit = any(start <= hs < end or hs <= start < he for hs, he in hits)
        blanking = hit or (blanking and bool(_ORDER_GOES_ON.match(_sentence)))
        if blanking:
            spans.append(Span(start, end, doc))
    return spans


def _blank(text: str, spans: list[Span]) -> str:
    if not spans:
        return text
    chars = list(text)
    for sp in spans:
        chars[sp.start:sp.end] = " " * (sp.end - sp.start)
    return "".join(chars)


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span.doc == s.doc and span.start < s.end and s.start < span.end for s in spans)


def _mostly_covered(span: Span, spans: list[Span], source: str) -> bool:
    """True when what is left of ``span`` outside ``spans`` carries no words: the line is
    fully said by the medication / follow-up lines, so repeating it in Plan adds nothing.
    A plan line that also says something else ("RDT for malaria, review tomorrow") is kept
    whole, so no plan item is lost."""
    if not _overlaps(span, spans):
        return False
    rest = _blank(source, [s for s in spans if s.doc == span.doc])[span.start:span.end]
    return not re.search(r"[A-Za-z]{3,}|[\u4e00-\u9fff]{2,}", rest)


def _vital_free(text: str) -> bool:
    return not extract_vitals(text)


def allergy_lines(facts: AllergyFacts, lang: str) -> list[Line]:
    if facts.allergies:
        return [Line(a.render(lang), list(a.spans), critical=True) for a in facts.allergies]
    if facts.none_known:
        return [Line(_none_known_text(facts, lang), list(facts.none_spans), critical=True)]
    return []


def _none_known_text(facts: AllergyFacts, lang: str) -> str:
    """'No known allergies' in the note's own words where they are a phrase."""
    span = facts.none_spans[0]
    phrase = re.sub(r"^(?:allerg(?:y|ies)|过敏史)\s*[:：-]?\s*", "", facts.source[span.start:span.end],
                    flags=re.I).strip()
    if lang == "zh":
        return phrase if phrase.startswith(("否认", "无")) else f"无已知药物过敏（{phrase}）"
    if phrase.lower().startswith(("no known", "nil known", "no allerg", "denies")):
        return phrase[0].upper() + phrase[1:]
    return f"No known drug allergies ({phrase})"


def medication_lines(meds: list[Medication], lang: str) -> list[Line]:
    return [Line(m.render(lang), list(m.spans), critical=m.status != "stopped") for m in meds]


def vitals_line(vitals: list[VitalReading], lang: str) -> Line | None:
    if not vitals:
        return None
    sep = "，" if lang == "zh" else ", "
    return Line(sep.join(v.render(lang) for v in vitals), [v.span for v in vitals],
                critical=any(v.abnormal for v in vitals))


def followup_lines(followups: list[FollowUp]) -> list[Line]:
    return [Line(f.text, [f.span] if f.span else [], critical=True) for f in followups]


def build_note_summary(note: str, *, lang: str | None = None,
                       age_years: float | None = None) -> Summary:
    facts = parse_note(note, lang=lang, age_years=age_years)
    lang = facts.lang
    med_spans = [sp for m in facts.medications for sp in m.spans]
    fu_spans = [f.span for f in facts.followups if f.span]

    subjective = [Line(t, [sp]) for t, sp in facts.lines_of(S.SUBJECTIVE)
                  if _vital_free(t) and not _is_allergy_only(t, facts)][:MAX_SUBJECTIVE]

    objective: list[Line] = []
    if (vl := vitals_line(facts.vitals, lang)) is not None:
        objective.append(vl)
    objective.extend(exam_lines(facts)[:MAX_EXAM])

    assessment = [Line(t, [sp]) for t, sp in facts.lines_of(S.ASSESSMENT) if not _is_allergy_only(t, facts)]
    plan = [Line(t, [sp]) for t, sp in facts.lines_of(S.PLAN) + facts.lines_of(S.REQUEST)
            if not _mostly_covered(sp, med_spans + fu_spans, facts.allergies.source)
            and not _is_allergy_only(t, facts)][:MAX_PLAN]
    if not plan and (facts.medications or facts.followups):
        plan = [Line("见用药及复诊" if lang == "zh" else "See medications and follow-up")]

    sections = {
        "subjective": subjective,
        "objective": objective,
        "assessment": assessment,
        "plan": plan,
        "allergies": allergy_lines(facts.allergies, lang),
        "medications": medication_lines(facts.medications, lang),
        "follow_up": followup_lines(facts.followups),
    }
    summary = Summary(kind="note", lang=lang, sections=sections, docs=[note])
    if facts.injection_spans:
        summary.warnings.append("The note contains instruction-like text; it was treated as data.")
    return summary


def exam_lines(facts: NoteFacts) -> list[Line]:
    """Examination findings; vitals are left to the vitals line."""
    exam: list[Line] = []
    for t, sp in facts.lines_of(S.OBJECTIVE):
        if _vital_free(t):
            exam.append(Line(t, [sp]))
        else:
            exam.extend(_exam_clauses(facts.note, sp))
    return exam


_CLAUSE_RE = re.compile(r"[^,，;；]+")


def _exam_clauses(note: str, span: Span) -> list[Line]:
    """The examination findings of a sentence that also lists vitals (shown apart)."""
    text = note[span.start:span.end]
    keep = []
    for m in _CLAUSE_RE.finditer(text):
        clause = clean_line(m.group(0)).rstrip(".。")
        if _vital_free(clause) and len(re.sub(r"[\W\d_]", "", clause)) >= 2:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            start = span.start + m.start() + lead
            keep.append((clause, Span(start, start + len(clause), span.doc)))
    if not keep:
        return []
    return [Line(", ".join(c for c, _ in keep), [sp for _, sp in keep])]


_CLAUSE_STOP = re.compile(r"[；;。]|(?<!\d)\.(?!\d)")


def _is_allergy_only(text: str, facts: NoteFacts) -> bool:
    """A short line that only states allergies (they have their own section). A line
    joining a diagnosis and an allergy ("肺炎可能；青霉素过敏") is not: each clause
    must be about allergies."""
    a = extract_allergies(text)
    if not (a.allergies or a.none_known):
        return False
    clauses = [c for c in _CLAUSE_STOP.split(text) if c.strip(" \t，,")]
    if len(clauses) > 1:
        return all(_is_allergy_only(c, facts) for c in clauses)
    return len(text) < 60
