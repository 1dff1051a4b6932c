"""Entry points: note summary, patient history, referral letter / handover.

Each builds the deterministic skeleton first; when ``generate`` (a
``TextGenerator``) is given, narrative sections are reworded by the model and
verified (see :mod:`wording`).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from lantern.clinical.diagnoses import diagnoses_from_request
from lantern.clinical.language.chart import ChartFacts, chart_from_request
from lantern.clinical.language.text import Span, detect_lang
from lantern.clinical.pipeline import Case, parse_case
from lantern.clinical.summarize.history import (
    Visit,
    build_history_summary,
    parse_visits,
    split_parts,
)
from lantern.clinical.summarize.implausible import flag_implausible
from lantern.clinical.summarize.model import Summary
from lantern.clinical.summarize.prompts import PromptTemplate, load_prompt
from lantern.clinical.summarize.referral import build_referral
from lantern.clinical.summarize.skeleton import build_note_summary
from lantern.clinical.summarize.wording import TextGenerator, reword
from lantern.domain.errors import ValidationError
from lantern.domain.records import Vitals

MAX_CHARS = 200_000
NOTE_SECTIONS = ("subjective", "objective", "assessment", "plan")
REFERRAL_SECTIONS = ("reason", "findings")
KINDS = ("note", "history", "referral")

OnText = Callable[[str], None]


def _check_text(text: object, what: str = "note") -> str:
    if not isinstance(text, str):
        raise ValidationError(f"The {what} must be text.")
    if not text.strip():
        raise ValidationError(f"The {what} is empty; there is nothing to summarize.")
    if len(text) > MAX_CHARS:
        raise ValidationError(f"The {what} is longer than {MAX_CHARS} characters; split it first.")
    return text


def _check_lang(lang: str | None) -> str | None:
    if lang not in (None, "", "en", "zh"):
        raise ValidationError("lang must be 'en' or 'zh'.")
    return lang or None


def _note_prompt(lang: str, prompt: PromptTemplate | None) -> PromptTemplate:
    return prompt or load_prompt("summary_note_section_zh" if lang == "zh" else "summary_note_section")


def summarize_note(note: str, *, lang: str | None = None, generate: TextGenerator | None = None,
                   prompt: PromptTemplate | None = None, on_text: OnText | None = None,
                   cancelled: threading.Event | None = None, age_years: float | None = None,
                   chart: ChartFacts | None = None, vitals: Vitals | None = None) -> Summary:
    note = _check_text(note)
    summary = build_note_summary(note, lang=_check_lang(lang), age_years=age_years, chart=chart, vitals=vitals)
    if generate is not None:
        # accepted diagnoses are the clinician's exact words and codes: never reworded
        sections = tuple(s for s in NOTE_SECTIONS if not (chart and chart.diagnoses and s == "assessment"))
        reword(summary, generate, prompt=_note_prompt(summary.lang, prompt), sections=sections,
               on_text=on_text, cancelled=cancelled)
    return summary


def summarize_history(notes: list[dict], *, lang: str | None = None, generate: TextGenerator | None = None,
                      prompt: PromptTemplate | None = None, on_text: OnText | None = None,
                      cancelled: threading.Event | None = None, chart: ChartFacts | None = None) -> Summary:
    if not isinstance(notes, list) or not notes:
        raise ValidationError("The history needs a non-empty list of visits ({date, text}).")
    try:
        visits = parse_visits(notes)
    except TypeError as exc:
        raise ValidationError(str(exc)) from None
    if not visits:
        raise ValidationError("Every visit note is empty; there is nothing to summarize.")
    for v in visits:
        _check_text(v.text, "visit note")
    summary = build_history_summary(visits, lang=_check_lang(lang), chart=chart)
    if generate is not None:
        _word_history(summary, visits, generate, prompt, on_text, cancelled)
    return summary


def _word_history(summary: Summary, visits: list[Visit], generate: TextGenerator,
                  prompt: PromptTemplate | None, on_text: OnText | None,
                  cancelled: threading.Event | None) -> None:
    """One narrative per part of the history (each part fits the model context), merged."""
    from lantern.clinical.summarize.model import Line

    prompt = prompt or load_prompt("summary_note_section_zh" if summary.lang == "zh" else "summary_history_part")
    course: list[Line] = []
    for part in split_parts(visits):
        docs = [visits[i].doc_text for i in part]
        part_summary = build_history_summary([visits[i] for i in part], lang=summary.lang)
        # (the timeline's lines carry a part's values before the last: "events" with "results")
        facts = [ln for key in ("problems", "events", "current_medications", "results")
                 for ln in part_summary.sections.get(key, [])]
        part_summary.sections = {"course": facts}
        reword(part_summary, generate, prompt=prompt, sections=("course",),
               source_text="\n\n".join(docs), on_text=on_text, cancelled=cancelled)
        for line in part_summary.sections["course"]:
            if line.origin == "llm":
                # Re-point spans from the part's documents to the whole history.
                line.sources = [Span(s.start, s.end, doc=part[s.doc]) for s in line.sources]
                course.append(line)
        summary.dropped.extend(part_summary.dropped)
    summary.llm_used = True
    summary.prompt_id, summary.prompt_version = prompt.id, prompt.version
    if course:
        summary.sections = {"course": course, **summary.sections}


def referral_letter(note: str | None = None, *, notes: list[dict] | None = None,
                    patient: dict | None = None, lang: str | None = None, handover: bool = False,
                    case: Case | None = None, chart: ChartFacts | None = None,
                    generate: TextGenerator | None = None, prompt: PromptTemplate | None = None,
                    on_text: OnText | None = None, cancelled: threading.Event | None = None,
                    vitals_time: str = "") -> Summary:
    """``case`` carries the age, sex, pregnancy and vitals (as ``lantern diagnose`` reads
    them): the letter's triage is the assessment of the same note and case."""
    if note is None and notes:
        visits = parse_visits(notes)
        note = visits[-1].text if visits else ""
    note = _check_text(note if note is not None else "")
    case = case or Case()
    summary = build_referral(note, patient=patient, lang=_check_lang(lang) or detect_lang(note),
                             handover=handover, age_years=case.age_years, sex=case.sex,
                             pregnant=case.pregnant, vitals=case.vitals, chart=chart,
                             vitals_time=vitals_time)
    if generate is not None and not handover:
        default = "summary_note_section_zh" if summary.lang == "zh" else "referral_letter"
        reword(summary, generate, prompt=prompt or load_prompt(default),
               sections=REFERRAL_SECTIONS, source_text=note, on_text=on_text, cancelled=cancelled)
    return summary


def _vitals_time(payload: dict) -> str:
    value = payload.get("vitals_time")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError("vitals_time must be a short text such as '2026-12-04 10:15'.")
    return value.strip()


def case_of(payload: dict) -> Case:
    """Age, sex, pregnancy and vitals of a summary request, validated exactly as
    ``lantern diagnose`` validates them (the same keys)."""
    return parse_case({key: payload.get(key) for key in ("age_years", "sex", "pregnant", "vitals")})


def summarize(kind: str, payload: dict, *, generate: TextGenerator | None = None,
              on_text: OnText | None = None, cancelled: threading.Event | None = None,
              chart: ChartFacts | None = None) -> Summary:
    """Dispatch on ``kind`` with a CLI-style payload: ``note`` / ``notes`` (visits may carry
    ``vitals``), ``lang``, ``patient``, ``chart`` ({allergies, medications, problems}: lists
    of text), ``vitals``, ``age_years``, ``sex``, ``pregnant``, ``accepted_diagnoses``
    (condition ids; an unknown id is a ValidationError) and ``added_diagnoses`` (free text),
    which become ``chart.diagnoses``; for letters also ``vitals_time``. ``chart`` (typed)
    wins over the payload's."""
    summary = _dispatch(kind, payload, generate=generate, on_text=on_text, cancelled=cancelled,
                        chart=chart)
    notes = payload.get("notes")
    visits = [n for n in notes if isinstance(n, dict)] if isinstance(notes, list) else []
    texts = [payload.get("note"), *(v.get("text") for v in visits)]
    flag_implausible(summary, texts=[t for t in texts if isinstance(t, str)],
                     vitals=[payload.get("vitals"), *(v.get("vitals") for v in visits)])
    return summary


def _dispatch(kind: str, payload: dict, *, generate: TextGenerator | None,
              on_text: OnText | None, cancelled: threading.Event | None,
              chart: ChartFacts | None) -> Summary:
    lang = payload.get("lang")
    chart = chart if chart is not None else chart_from_request(payload.get("chart"))
    if diagnoses := diagnoses_from_request(payload):
        chart = dataclasses.replace(chart, diagnoses=diagnoses)
    case = case_of(payload)
    if kind == "note":
        note = payload.get("note")
        if note is None and payload.get("notes"):
            raise ValidationError("kind 'note' needs 'note'; use kind 'history' for 'notes'.")
        return summarize_note(note if note is not None else "", lang=lang, generate=generate,
                              on_text=on_text, cancelled=cancelled, age_years=case.age_years,
                              chart=chart, vitals=case.vitals if case.vitals.as_dict() else None)
    if kind == "history":
        notes = payload.get("notes")
        if notes is None and isinstance(payload.get("note"), str):
            notes = [{"date": "", "text": payload["note"], "vitals": payload.get("vitals")}]
        return summarize_history(notes or [], lang=lang, generate=generate, on_text=on_text,
                                 cancelled=cancelled, chart=chart)
    if kind in ("referral", "handover"):
        return referral_letter(payload.get("note"), notes=payload.get("notes"),
                               patient=payload.get("patient"), lang=lang, case=case, chart=chart,
                               handover=kind == "handover" or bool(payload.get("handover")),
                               generate=generate, on_text=on_text, cancelled=cancelled,
                               vitals_time=_vitals_time(payload))
    raise ValidationError(f"Unknown summary kind; use one of {', '.join(KINDS)}.")
