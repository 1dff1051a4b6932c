"""Referral letter (and optional I-PASS handover) built from a note."""

from __future__ import annotations

import re
from dataclasses import replace

from lantern.clinical.language import sections as S
from lantern.clinical.language.chart import ChartDocument, ChartFacts
from lantern.clinical.language.clock import clock_times
from lantern.clinical.language.results import extract_vitals
from lantern.clinical.language.text import Span, detect_lang
from lantern.clinical.pipeline import Case, assess
from lantern.clinical.summarize.danger import LEVELS_ZH, sign_lines, stated_level
from lantern.clinical.summarize.model import Line, Summary
from lantern.clinical.summarize.patient_ident import caregiver_in_note, is_child, patient_line
from lantern.clinical.summarize.skeleton import (
    LONG_NOTE_CHARS,
    RESULT_RE,
    WrittenSource,
    _is_allergy_only,
    _shown_in,
    _without_vitals,
    add_chart,
    add_form_vitals,
    allergy_lines,
    birth_fact,
    diagnosis_lines,
    exam_lines,
    followup_lines,
    fully_said_spans,
    medication_lines,
    parse_note,
    unsaid_clauses,
    vitals_line,
)
from lantern.domain.records import Vitals

_REQUEST_RE = re.compile(
    r"\brefer(?:red|ral|ring)?\b|\brequest\w*\b|\bplease\b|\bpl[sz]\b|\bfor (?:further|specialist|surgical|x-?ray|"
    r"ultrasound|admission|review|assessment|management)\b|转诊|转上级|请|建议上级|进一步|"
    r"转(?:至|往|到|入|送)?[^\s，。；,;]{0,8}(?:医院|卫生院|中心|科)|送(?:往|至|到)?[^\s，。；]{0,8}医院|"
    r"住院|终止妊娠", re.IGNORECASE)
NOT_STATED = {"en": "Not stated in the note.", "zh": "病历中未注明。"}
# The label that opens a field of a referral form rather than a sentence of the history.
_FORM_FIELD = re.compile(r"\s*(?:转出单位|转入单位|转诊单位|接收单位|转出医院|转入医院|转诊时间|转诊日期|就诊时间|"
                         r"(?:患者|患儿|病人)?姓名|性别|年龄|门诊号|住院号|联系电话|住址|"
                         r"(?:to|from|date|name|dob|sex|age|mrn|hospital (?:no|number)|referring (?:unit|facility|clinic)|"
                         r"receiving (?:unit|facility|hospital))\b)\s*[:：]", re.IGNORECASE)
MAX_HISTORY = 4     # sentences of the history of the presenting problem
MAX_FINDINGS = 6    # examination findings besides the vitals line
MAX_REQUEST = 4
MAX_ACTIONS = 6     # treatment given before referral besides drugs


def build_referral(note: str, *, patient: dict | None = None, lang: str | None = None,
                   handover: bool = False, age_years: float | None = None, sex: str | None = None,
                   pregnant: bool | None = None, vitals: Vitals | None = None,
                   chart: ChartFacts | None = None, vitals_time: str = "") -> Summary:
    """The letter for ``note``. Its triage level is the assessment's for the same note,
    vitals, age, sex and pregnancy (``lantern diagnose`` gives the same); the urgency the
    referring clinician states is shown beside it, never instead of it. The diagnoses are the
    clinician's accepted and added ones (``chart.diagnoses``, typed, with ICD-10);
    ``vitals_time`` is the time of the visit whose form gave the vitals."""
    lang = lang or detect_lang(note)
    zh = lang == "zh"
    if age_years is None and patient:
        age_years = parse_age(patient.get("age"))
    facts = parse_note(note, lang=lang, age_years=age_years)
    caregiver = caregiver_in_note(note) if is_child(age_years) else None
    ident = patient_line(patient, lang, sex=sex, age_years=age_years,
                         caregiver=caregiver.text if caregiver else "")
    docs = [note] + ([ident] if ident else [])
    typed = ChartDocument(doc=len(docs))
    add_form_vitals(facts, vitals, typed, age_years=age_years, when=vitals_time)
    add_chart(facts, chart, typed)
    diagnoses = diagnosis_lines(chart, typed, lang)
    if typed.lines:
        docs.append(typed.text)

    case_assessment = assess(Case(note=note, age_years=age_years, sex=sex, pregnant=pregnant,
                                  vitals=vitals or Vitals()))
    level = case_assessment.triage.level
    stated = stated_level(note)
    # the signs that set the level: a sign of a lower level than the letter's adds no reason for
    # its urgency (issue 13: a one-page letter; the findings keep the note's own words)
    top = replace(case_assessment.triage, signs=tuple(
        sg for sg in case_assessment.triage.signs if sg.rule.level == level))
    rule_lines = [Line(label, [span] if span else [], critical=True)
                  for label, span in sign_lines(top, note, lang)]

    def _name(lv: str) -> str:
        return LEVELS_ZH.get(lv, lv) if zh else lv.upper()

    head = ("分诊级别：" if zh else "Triage level: ") + _name(level)
    if stated is not None and stated.level != level:
        # The danger signs and the clinician disagree: both are shown, neither overrides.
        head = (f"分诊级别：危险征象提示{_name(level)}；转诊医生注明{_name(stated.level)}，请核实" if zh else
                f"Triage level: {_name(level)} by danger signs; the referring clinician states "
                f"{_name(stated.level)} – please reconcile")
    sign_spans = [sp for ln in rule_lines for sp in ln.sources]
    triage = [Line(head, sign_spans + ([stated.span] if stated and stated.span else []), critical=True)]
    if stated is not None:
        triage.append(Line(("转诊医生原话：" if zh else "Referring clinician: ") + stated.text,
                           [stated.span] if stated.span else [], critical=True))
    triage += rule_lines

    # a long note's letter keeps fewer lines of each kind (half), so it stays shorter than the note
    long_note = len(note) + 2 * len(re.findall(r"[\u4e00-\u9fff]", note)) >= LONG_NOTE_CHARS
    share = 2 if long_note else 1
    # the history of the presenting problem (its readings go to the findings)
    # the sentence that states the urgency is quoted in the triage section, not again
    quoted = [stated.span] if stated is not None and stated.span else []
    request = [Line(t, [sp]) for t, sp in facts.lines_of(S.REQUEST)]
    request += [Line(t, [sp]) for name in (S.PLAN, S.ASSESSMENT, S.SUBJECTIVE)
                for t, sp in facts.lines_of(name) if _REQUEST_RE.search(t)]
    request = [ln for ln in request if not all(_inside(sp, quoted) for sp in ln.sources)][:MAX_REQUEST]
    # ... and the request is said once, in its own section (issue 13: a fact said once)
    asked_spans = [sp for ln in request for sp in ln.sources]
    history = [ln for t, sp in facts.lines_of(S.SUBJECTIVE) if not _inside(sp, quoted + asked_spans)
               if (ln := Line(t, [sp]) if not extract_vitals(t) else _without_vitals(facts.note, sp)) is not None]
    # the background (birth, immunisation, obstetric, family, social history) is not cut with
    # the presenting problem's sentences: the receiver reads it nowhere else (issue 13)
    background = [ln for ln in history if _inside_any(ln.sources[0], facts.background)
                  or birth_fact(ln.text)]
    # a referral form's fields (referring and receiving unit, time, the patient's name, sex and
    # age) are kept but take no place of the presenting problem's sentences (issue 13)
    form = [ln for ln in history if _FORM_FIELD.match(ln.text) and ln not in background]
    presenting = [ln for ln in history if ln not in background and ln not in form][:MAX_HISTORY // share]
    complaint = [ln for ln in history if ln in presenting or ln in background or ln in form]
    # the note's impression, with a working diagnosis it queries among the findings ("?VSD.")
    assessment = [Line(t, [sp]) for t, sp in facts.lines_of(S.ASSESSMENT)] + [
        Line(t, [sp]) for name in (S.SUBJECTIVE, S.OBJECTIVE) for t, sp in facts.lines_of(name)
        if S.QUERIED_DIAGNOSIS_RE.match(t)]
    findings: list[Line] = []
    # test results are counted apart from the examination findings (a long note's findings do
    # not push its results out), and a reading a kept line quotes is not on the vitals line again
    exam = exam_lines(facts)
    results = [ln for ln in exam if RESULT_RE.search(ln.text)]
    cap = MAX_FINDINGS - 2 * (share - 1)
    kept = [ln for ln in exam if ln not in results][:cap] + results[:cap]
    exam = [ln for ln in exam if ln in kept]
    if (vl := vitals_line([r for r in facts.vitals if not _shown_in(r, exam, facts.note)], lang,
                          sources=docs)) is not None:
        findings.append(vl)
        if vitals_time and (when := _form_time(typed, vitals_time)) is not None:
            findings.append(Line((f"表单生命体征，就诊时间：{vitals_time}" if zh else f"Form vitals, visit of {vitals_time}"),
                                 [when]))
    findings += exam
    request_spans = [sp for ln in request for sp in ln.sources]
    meds = [m for m in facts.medications if m.status != "stopped"
            and not all(_inside(sp, request_spans) for sp in m.spans)]
    # (a dose given shows as the note wrote it, "metoclopramide 10mg IV 14:20", under its heading)
    written = WrittenSource(facts.allergies.source, avoid=tuple(facts.injection_spans),
                            statuses=frozenset({"current", "given"}))
    treatment = medication_lines([m for m in meds if m.status == "given" or m.time], lang, written=written)
    # what was done before referral besides drugs (C-collar, gastric lavage, kept warm, NBM),
    # without what the medication lines and the request say
    said = fully_said_spans(facts) + [f.span for f in facts.followups if f.span] + request_spans
    actions = [ln for t, sp in facts.lines_of(S.PLAN)
               if not _inside(sp, request_spans) and not _REQUEST_RE.search(t) and not _is_allergy_only(t, facts)
               if (ln := unsaid_clauses(t, sp, said, facts.allergies.source)) is not None]
    # (an action the note timed - "Departed 11:15 by ambulance", "GCS 12 at 19:40" - is kept
    # beyond the cap: the receiver needs what was done when; issue 13, point 4)
    actions = [ln for i, ln in enumerate(actions) if i < MAX_ACTIONS // share or clock_times(ln.text)]
    # a drug the kept sentence says in the note's own words ("MgSO4 4 g IV over 15 min started
    # 10:35") is not listed a second time as "MgSO4 4 g IV at 10:35" (issue 13: one fact once)
    action_spans = [sp for ln in actions for sp in ln.sources]
    treatment = [ln for ln in treatment if not (ln.sources and all(_inside(sp, action_spans) for sp in ln.sources))]
    treatment += actions
    regular = medication_lines([m for m in meds if not (m.status == "given" or m.time)], lang,
                               written=replace(written, statuses=frozenset({"current"})))
    asked = request
    if not request:
        # the note asks for nothing in particular: the letter says so, it invents no request
        request = [Line(NOT_STATED[lang])]
    patient_lines = [Line(ident, [Span(0, len(ident), doc=1)])] if ident else []

    sections = {
        "patient": patient_lines,
        # the reason: the note's impression and complaint; a note of findings only is
        # referred for its danger signs (or its first finding), never "None recorded"
        "reason": (assessment + complaint if assessment else complaint) or rule_lines[:1] or findings[:1],
        "triage": triage,
        "findings": findings,
        "diagnoses": diagnoses,
        "treatment_given": treatment,
        "allergies": allergy_lines(facts.allergies, lang),
        "medications": regular,
        "request": request,
    }
    if handover:
        sections = {
            "illness_severity": triage,
            "patient_summary": patient_lines + (assessment or complaint) + diagnoses + findings,
            "action_list": treatment + regular + asked + followup_lines(facts.followups),
            "allergies": allergy_lines(facts.allergies, lang),
            "situation_awareness": rule_lines + followup_lines([f for f in facts.followups if f.conditional]),
            "synthesis": [Line("由接收方复述并确认" if zh else "To be completed by the receiving clinician")],
        }
    summary = Summary(kind="handover" if handover else "referral", lang=lang, sections=sections, docs=docs,
                      triage=level)
    if facts.injection_spans:
        summary.warnings.append("The note contains instruction-like text; it was treated as data.")
    return summary


_AGE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(y(?:ears?|rs?|o)?|岁|m(?:onths?|o)?|个?月|w(?:eeks?|k)?|周|d(?:ays?)?|天)?\s*"
                     r"(?:old)?\s*$", re.IGNORECASE)


def parse_age(value: object) -> float | None:
    """Age in years from a caller's age field: 34, "34", "2 yr", "7 months", "3周", "5天"."""
    if isinstance(value, (int, float)):
        return float(value)
    m = _AGE_RE.match(str(value or ""))
    if not m:
        return None
    n, unit = float(m.group(1)), (m.group(2) or "y").lower()
    if unit.startswith(("m", "个", "月")):
        return n / 12
    if unit.startswith(("w", "周")):
        return n / 52
    if unit.startswith(("d", "天")):
        return n / 365
    return n


def _form_time(typed: ChartDocument, when: str) -> Span | None:
    """The span of ``when`` in the form vitals' label of the typed document, if it is there."""
    start = typed.text.find(when)
    return Span(start, start + len(when), doc=typed.doc) if start >= 0 else None


def _inside_any(span: Span, sections: list[S.Section]) -> bool:
    return any(sec.start <= span.start < sec.end for sec in sections)


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(s.doc == span.doc and s.start <= span.start < s.end for s in spans)
