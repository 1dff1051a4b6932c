"""Patient history across visits: problems, medications (current and stopped),
allergies (union, never dropped), key results with trend, last plan and pending
follow-up.

Visits are folded into a :class:`HistoryFacts` part by part and parts are merged,
so a history longer than any model context is handled the same way as a short
one (and the model, when used, words each part separately).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lantern.clinical.language import sections as S
from lantern.clinical.language.allergies import AllergyFacts, extract_allergies
from lantern.clinical.language.chart import ChartDocument, ChartFacts, unreadable_text, vitals_of
from lantern.clinical.language.filler import drop_filler
from lantern.clinical.language.followup import FollowUp
from lantern.clinical.language.medications import Medication, extract_medications
from lantern.clinical.language.results import UNITS, Measurement, compact_label, reading_first
from lantern.clinical.language.text import Span, clean_line, detect_lang, nfkc
from lantern.clinical.summarize.evaluate import fact_present
from lantern.clinical.summarize.model import Line, Summary
from lantern.clinical.summarize.skeleton import (
    NoteFacts,
    add_chart,
    add_form_vitals,
    allergy_lines,
    as_written,
    followup_lines,
    fully_said_spans,
    open_items,
    parse_note,
    unsaid_clauses,
)
from lantern.domain.records import Vitals

PART_BUDGET_CHARS = 3000
TREND_KEYS = ("gp", "edd", "ga", "bp", "hr", "temp", "spo2", "weight", "fh", "fhr", "glucose", "hba1c", "hb", "muac",
              "rr", "urine_protein", "vl", "cd4", "k", "na", "creatinine", "egfr", "alt", "ntprobnp", "ef", "pef",
              "smear", "seizures", "wbct", "acr", "urate", "length", "waz", "haz", "whz")


@dataclass(slots=True)
class Visit:
    date: str
    text: str
    vitals: Vitals | None = None      # typed in that encounter's vitals form

    @property
    def doc_text(self) -> str:
        # The date is part of the source, so a summary may quote it.
        return f"[{self.date}]\n{self.text}" if self.date else self.text


@dataclass(slots=True)
class MedHistory:
    med: Medication
    date: str
    first_date: str
    doses: list[tuple[str, str]] = field(default_factory=list)   # (dose, date)
    first: Medication | None = None    # the first mention with a dose (the regimen a change starts from)


@dataclass(slots=True)
class HistoryFacts:
    lang: str = "en"
    dates: list[str] = field(default_factory=list)
    problems: dict[str, tuple[str, Span, list[str]]] = field(default_factory=dict)
    meds: dict[str, MedHistory] = field(default_factory=dict)
    allergies: AllergyFacts = field(default_factory=AllergyFacts)
    readings: dict[str, list[tuple[Measurement, str]]] = field(default_factory=dict)
    last_plan: list[Line] = field(default_factory=list)
    last_followups: list[FollowUp] = field(default_factory=list)
    last_index: int = -1
    events: list[tuple[str, str, Span]] = field(default_factory=list)   # (date, clause, span)

    def add_visit(self, index: int, visit: Visit, doc: str, typed: ChartDocument | None = None) -> None:
        facts = parse_note(doc, lang=self.lang, doc=index, baseline=True)
        if typed is not None:
            add_form_vitals(facts, visit.vitals, typed, when=visit.date)
        self.dates.append(visit.date)
        named = []
        for text, span in facts.lines_of(S.SUBJECTIVE)[:1]:
            # "T2DM review.", "高血压、2型糖尿病复诊。", "初诊：肺结核（涂阳）": the visit names a problem
            if (reason := S.visit_reason(text)) is not None:
                folded = nfkc(doc) if len(nfkc(doc)) == len(doc) else doc
                start = folded.find(reason[0], span.start)
                if start >= 0:
                    named.append((doc[start:start + len(reason[0])], Span(start, start + len(reason[0]), doc=span.doc)))
        stated = [(t, sp, "") for t, sp in named + facts.lines_of(S.ASSESSMENT)]
        actions: list[tuple[str, Span]] = []
        for text, span, known in stated + _known_diagnoses(facts):
            text = text.rstrip(".。")
            if reading_first(text):
                continue  # "Wt 78kg, ankle oedema ++, BP 150/95" after "Dx: ...": findings, not a problem
            if _allergy_only(text):
                continue  # allergies have their own section
            if not known:
                actions += action_clauses(text, doc, span)
            if not known and (problem := problem_part(text, doc, span)) is not None:
                text, span = problem
            elif not known:
                continue  # a line under the impression that only starts or stops drugs: the lists say it
            key = f"known:{known}" if known else _problem_key(text)
            if known and key in self.problems:
                # a diagnosis named in passing again: the first wording stays, the date is kept
                first_text, first_span, dates = self.problems[key]
                self.problems[key] = (first_text, first_span, dates + [visit.date])
            elif key in self.problems:
                # The latest wording (e.g. "controlled") describes the problem now.
                self.problems[key] = (text, span, self.problems[key][2] + [visit.date])
            else:
                self.problems[key] = (text, span, [visit.date])
        for text, span in _inline_diagnoses(facts):
            self.problems.setdefault(_problem_key(text), (text, span, []))[2].append(visit.date)
        said = _events(facts)
        said += [(text, span) for text, span in actions
                 if not any(sp.doc == span.doc and sp.start < span.end and span.start < sp.end for _, sp in said)]
        self.events += [(visit.date, text, span) for text, span in sorted(said, key=lambda row: row[1].start)]
        for med in facts.medications:
            self._add_med(med, visit.date)
        self.allergies.merge(facts.allergies)
        for reading in sorted(facts.vitals, key=lambda r: not r.qualifier):   # a baseline value first
            self.readings.setdefault(reading.name, []).append((reading, visit.date))
        if index >= self.last_index:
            # the last visit's plan and its open items (a test requested, a referral awaited),
            # without what the medication and follow-up lines say in full
            self.last_index = index
            follow = [f.span for f in facts.followups if f.span]
            # the visit's last value of a key measurement closes its trend under Results
            latest = {r.name: r.span for r in sorted(facts.vitals, key=lambda r: not r.qualifier)
                      if r.name in TREND_KEYS and r.span.end > r.span.start}
            self.last_plan = [ln for t, sp in open_items(facts) if not _allergy_only(t)
                              if (ln := unsaid_clauses(t, sp, fully_said_spans(facts) + follow + list(latest.values()),
                                                       facts.allergies.source, follow)) is not None]
            self.last_followups = facts.followups

    def _add_med(self, med: Medication, date: str) -> None:
        key = med.key.split("#")[0]
        hist = self.meds.get(key)
        if hist is None:
            self.meds[key] = MedHistory(med, date, date, [(med.dose, date)] if med.dose else [],
                                        med if med.dose else None)
            return
        if med.dose and (not hist.doses or hist.doses[-1][0] != med.dose):
            hist.doses.append((med.dose, date))
        # a drug said again as stopped ("Enalapril STOPPED", then "off enalapril"): stopped when first said so
        self.meds[key] = MedHistory(_combine(hist.med, med), _stop_date(hist, med, date), hist.first_date, hist.doses,
                                    hist.first or (med if med.dose else None))

    def merge(self, later: HistoryFacts) -> HistoryFacts:
        """Fold a later part into this one (parts must be merged in visit order)."""
        self.dates.extend(later.dates)
        for key, (text, span, dates) in later.problems.items():
            if key in self.problems:
                self.problems[key] = (text, span, self.problems[key][2] + dates)
            else:
                self.problems[key] = (text, span, list(dates))
        for key, hist in later.meds.items():
            mine = self.meds.get(key)
            if mine is None:
                self.meds[key] = hist
                continue
            doses = list(mine.doses)
            for dose, date in hist.doses:
                if not doses or doses[-1][0] != dose:
                    doses.append((dose, date))
            self.meds[key] = MedHistory(_combine(mine.med, hist.med), _stop_date(mine, hist.med, hist.date),
                                        mine.first_date, doses, mine.first or hist.first)
        self.allergies.merge(later.allergies)
        self.events.extend(later.events)
        for name, rows in later.readings.items():
            self.readings.setdefault(name, []).extend(rows)
        if later.last_index >= self.last_index:
            self.last_index = later.last_index
            self.last_plan = later.last_plan
            self.last_followups = later.last_followups
        return self


_QUALIFIERS = re.compile(
    r"\b(?:not|poorly|well|un)?\s*controlled\b|\b(?:stable|improving|improved|worse|worsening|resolved|"
    r"new|likely|probable|suspected|known|chronic|acute on chronic|on treatment)\b|控制(?:良好|不佳|欠佳)?|"
    r"好转|稳定|加重|可能|疑似", re.IGNORECASE)


def _stop_date(hist: MedHistory, later: Medication, date: str) -> str:
    """The date of a drug's later mention, unless it was stopped already and is said stopped again."""
    return hist.date if hist.med.status == "stopped" and later.status == "stopped" and hist.date else date


def _combine(earlier: Medication, later: Medication) -> Medication:
    """The later mention wins; what it leaves out (dose, route, frequency) is carried over."""
    # "TLD (TDF/3TC/DTG)" then "Continue TLD": the fuller name as first written is kept.
    name = earlier.name if earlier.name.lower().startswith(later.name.lower() + " ") or \
        earlier.name.lower().startswith(later.name.lower() + "（") else later.name
    return Medication(name, later.canonical, later.dose or earlier.dose,
                      later.route or earlier.route, later.frequency or earlier.frequency,
                      later.duration, later.status, later.time, earlier.spans + later.spans, later.doc,
                      stop_kind=later.stop_kind,
                      regimen=later.regimen or ("" if later.dose else earlier.regimen),
                      reason=(later.reason or (earlier.reason if earlier.status == "stopped" else ""))
                      if later.status == "stopped" else "",
                      frequency_written=later.frequency_written if later.frequency
                      else earlier.frequency_written)


def _known_diagnoses(facts: NoteFacts) -> list[tuple[str, Span, str]]:
    """Chronic diagnoses a visit names in passing ("62F, HTN + CKD 3a", "CKD 3b."), read as the
    knowledge base's known-condition findings (``known_ckd``, ``known_hypertension`` ...), with
    the note's own words."""
    from lantern.clinical.language.findings import extract_findings

    note = facts.allergies.source or facts.note
    out = []
    for f in extract_findings(note).mentions:
        if f.id.startswith("known_") and not f.negated and f.span is not None:
            out.append((note[f.span.start:f.span.end], Span(f.span.start, f.span.end, doc=facts.doc), f.id))
    return out


def _known_ids(text: str) -> set[str]:
    from lantern.clinical.language.findings import extract_findings

    return {f.id for f in extract_findings(text).mentions if f.id.startswith("known_") and not f.negated}


def _problem_lines(problems: dict[str, tuple[str, Span, list[str]]]) -> list[Line]:
    """One line a problem with the date it was first recorded. A diagnosis named only in
    passing ("HTN + CKD 3a") is shown unless a stated diagnosis says it (its dates join)."""
    rows = {key: (text, span, list(dates)) for key, (text, span, dates) in problems.items()}
    stated = {key: _known_ids(text) for key, (text, _, _) in rows.items() if not key.startswith("known:")}
    for key in [k for k in rows if k.startswith("known:")]:
        owner = next((k for k, ids in stated.items() if key[6:] in ids), None)
        if owner is not None:
            rows[owner][2].extend(rows.pop(key)[2])
    out = []
    for text, span, dates in rows.values():
        first = min((d for d in dates if d), default="")
        out.append(Line(f"{text} ({first})" if first else text, [span]))
    return out


# The clauses of an impression line that are not a problem (issue 13: problem lists that include
# non-diagnoses): a decision to start, stop, change or continue a drug ("停用地高辛", "改氯沙坦 50mg
# qd", "起始二甲双胍 500mg bid"), which the medication lists say with its date, and a bare
# duration ("4 wk"). Other clauses stay: a result or a decision the lists do not show
# ("OGTT 5.0/10.8/8.9mmol/L", "Pyrazinamide NOT restarted") is said nowhere else.
_DRUG_DECISION = re.compile(
    r"^\W*(?:停用?|停药|改用?|改为|换用|加用|起始|开始|继续|予|给予|减量|加量|暂停|"
    r"(?:stop(?:ped)?|start(?:ed)?|continue[ds]?|switch(?:ed)?|add(?:ed)?|commenced)\b)", re.IGNORECASE)
_BARE_DURATION = re.compile(r"^\W*\d+\s?(?:wks?|weeks?|days?|months?|mo|/52|/12|/7|周|天|个?月)\W*$", re.IGNORECASE)


# A clause of an impression line that says an act of care, not a problem (issue 13: actions filed
# as diagnoses): a programme entered or left, a referral or an admission ("Enrolled supplementary
# feeding - RUSF 1 sachet/day", "Referred to district hospital", "转诊上级医院", "纳入慢病管理"), or a
# drug named first and then what was done with it, done or not ("Pyrazinamide NOT restarted
# (likely culprit)", "Ethambutol added", "二甲双胍未加量"). The timeline keeps it under its date.
_CARE_ACTION = re.compile(
    r"^\W*(?:(?:re-?)?enrol(?:l?ed|ment)?|referred|referral|admitted|discharged|transferred|counsell?ed|"
    r"advised|vaccinated)\b|^\W*(?:已?转诊|转至|转入|收入|收住|纳入|入组|出院)", re.IGNORECASE)
_DRUG_THEN_ACT = re.compile(
    r"^\W*[\w/+().-]+(?:\s+[\w/+().-]+){0,2}\s+(?:(?:was|were|is)\s+)?(?:not\s+|never\s+)?"
    r"(?:re-?)?(?:started|introduced|added|stopped|withheld|held|continued|given|increased|reduced)\b|"
    r"^\W*[\u4e00-\u9fff]{2,8}(?:未|不|暂不)?(?:再)?(?:重新)?(?:启用|加用|停用|加量|减量|继续)", re.IGNORECASE)


def _care_action(clause: str) -> bool:
    """A clause that says an act of care the lists do not show (see :data:`_CARE_ACTION`)."""
    if _CARE_ACTION.search(clause):
        return True
    return bool(_DRUG_THEN_ACT.search(clause)) and bool(extract_medications(clause))


def _not_a_problem(clause: str) -> bool:
    if _BARE_DURATION.match(clause) or _care_action(clause):
        return True
    return bool(_DRUG_DECISION.search(clause)) and bool(extract_medications(clause)) \
        and not re.search(r"\bnot\b|\bno\b|未|不", clause, re.IGNORECASE)


def action_clauses(text: str, doc: str, span: Span) -> list[tuple[str, Span]]:
    """The clauses of an impression line that say an act of care (:func:`_care_action`), each
    with its place in the note: events of the visit, not problems."""
    out = []
    for clause in (c.strip().rstrip(".。") for c in re.split(r"[,，;；]", text)):
        if clause and _care_action(clause) and (start := doc.find(clause, span.start, span.end)) >= 0:
            out.append((clause, Span(start, start + len(clause), doc=span.doc)))
    return out


def problem_part(text: str, doc: str, span: Span) -> tuple[str, Span] | None:
    """The problem an impression line names, without its clauses that start, stop or change a
    drug ("考虑地高辛中毒，停用地高辛" → "考虑地高辛中毒"); None when no clause is left."""
    clauses = [c.strip() for c in re.split(r"[,，;；]", text) if c.strip()]
    kept = [c for c in clauses if not _not_a_problem(c)]
    if len(kept) == len(clauses):
        return text, span
    if not kept:
        return None
    sep = "，" if re.search(r"[\u4e00-\u9fff]", text) else ", "
    start = doc.find(kept[0], span.start, span.end)
    end = doc.find(kept[-1], max(start, span.start), span.end)
    if start >= 0 and end >= 0:
        span = Span(start, end + len(kept[-1]), doc=span.doc)
    return sep.join(kept), span


def _problem_key(text: str) -> str:
    """Same problem across visits: first clause without status words."""
    head = re.split(r"[,，(（:：-]", text, maxsplit=1)[0]
    return re.sub(r"[\W_]+", " ", _QUALIFIERS.sub(" ", head.lower())).strip() or text.lower()


def parse_visits(notes: list[dict]) -> list[Visit]:
    visits = []
    for item in notes:
        if not isinstance(item, dict):
            raise TypeError("each visit must be an object with 'date' and 'text'")
        visits.append(Visit(str(item.get("date") or ""), str(item.get("text") or ""),
                            vitals_of(item.get("vitals"))))
    if all(re.match(r"\d{4}-\d{2}-\d{2}", v.date) for v in visits):
        visits.sort(key=lambda v: v.date)
    return [v for v in visits if v.text.strip()]


def split_parts(visits: list[Visit], budget: int = PART_BUDGET_CHARS) -> list[list[int]]:
    """Visit indexes grouped into parts of at most ``budget`` characters (one visit minimum)."""
    parts: list[list[int]] = [[]]
    size = 0
    for i, v in enumerate(visits):
        n = len(v.doc_text)
        if parts[-1] and size + n > budget:
            parts.append([])
            size = 0
        parts[-1].append(i)
        size += n
    return [p for p in parts if p]


def build_history_summary(visits: list[Visit], *, lang: str | None = None,
                          budget: int = PART_BUDGET_CHARS, chart: ChartFacts | None = None) -> Summary:
    """The history of ``visits``; each visit's form vitals and the chart's allergies and
    current medications come in as values and show with their source (the last document)."""
    docs = [v.doc_text for v in visits]
    lang = lang or detect_lang(" ".join(v.text for v in visits))
    typed = ChartDocument(doc=len(docs))
    total: HistoryFacts | None = None
    for part in split_parts(visits, budget):
        facts = HistoryFacts(lang=lang)
        for i in part:
            facts.add_visit(i, visits[i], docs[i], typed)
        total = facts if total is None else total.merge(facts)
    assert total is not None
    if chart:
        named = NoteFacts(note="", lang=lang, allergies=total.allergies,
                          medications=[h.med for h in total.meds.values()])
        known = len(named.medications)
        # (a history's medication lines tell the doses over time; the chart's line as typed stays,
        # unless a medication line of the history says it as typed: "lisinopril 5 mg od" beside
        # "lisinopril 5 mg OD (since 2024-02-12)" - one fact said once, issue 13)
        add_chart(named, chart, typed, same_dose_once=False)
        shown = [h.med.render(lang, compact=True) for h in total.meds.values()]
        for med in named.medications[known:]:
            if med.name.strip() and any(fact_present(med.name, line) for line in shown):
                continue
            total._add_med(med, visits[-1].date)
    sections, notes = _sections(total, visits, lang)
    if chart and (damaged := chart.unreadable_in("encounters")):
        # a visit note that cannot be read: the history says so instead of leaving it out
        typed.start_line("就诊记录（病历）：" if lang == "zh" else "Visit notes (chart): ")
        text = unreadable_text(damaged, lang)
        sections = {"visits": [*sections.get("visits", []), Line(text, [typed.add(text)], critical=True)],
                    **{key: lines for key, lines in sections.items() if key != "visits"}}
    if typed.lines:
        docs.append(typed.text)
    return Summary(kind="history", lang=lang, sections=sections, docs=docs, title_notes=notes)


def _sections(h: HistoryFacts, visits: list[Visit], lang: str) -> tuple[dict[str, list[Line]], dict[str, str]]:
    """A timeline, not the visits retold: the diagnoses with the date first made, medications
    with the dates they started, changed and stopped, the first and last value of each key
    measurement, allergies, and what the last visit left open."""
    zh = lang == "zh"
    sources = [v.doc_text for v in visits]
    first, last = visits[0].date, visits[-1].date
    if first and last:
        visit_line = (f"{first} 至 {last}（未注日期者为末次就诊）" if zh
                      else f"{first} to {last} (undated = last visit)")
    else:
        visit_line = ""
    current, stopped = [], []
    step_said, relied = _dose_steps_in_events(h)
    running = [hist for key, hist in h.meds.items() if not _phase_over(key, hist, h.meds)
               and hist.med.status not in ("stopped", "given")
               and not (hist.med.duration and hist.med.doc != h.last_index and not _course_running(hist, last))]
    since_first = _since_first_visit(running, len(visits), first, last)
    for key, hist in h.meds.items():
        course_over = hist.med.duration and hist.med.doc != h.last_index and not _course_running(hist, last)
        if _phase_over(key, hist, h.meds):
            line = Line(_med_text(hist, lang, last_visit=last, ended=True) +
                        ("（已转入下一阶段）" if zh else " (next phase started)"), list(hist.med.spans))
            stopped.append(line)
        elif hist.med.status in ("stopped", "given") or course_over:
            stopped.append(Line(_med_text(hist, lang, last_visit=last, ended=True), list(hist.med.spans)))
        else:
            current.append(Line(_med_text(hist, lang, last_visit=last, said_dates=step_said.get(key, set()),
                                          undated=first if since_first else ""),
                                list(hist.med.spans), critical=True))
    trends = []
    for name in TREND_KEYS:
        rows = h.readings.get(name)
        if not rows:
            continue
        # the first value (when it differs), an abnormal peak or nadir between (the value that
        # made a diagnosis or changed a treatment: "Hb 98g/L", "K 5.6") and the last, each as
        # the note wrote it
        trends.append((_trend(rows), compact_label(name, lang), rows[-1][0].abnormal))
    problems = _problem_lines(h.problems)
    # Every visit dated: a timeline, one line a visit with what was new (a result, an event), and
    # the last value of each measurement closing it (issue 13: a value's date said once a visit,
    # not once a value). A visit without a date keeps the trend lines ("BP 150/94 → BP 136/82").
    dated = all(v.date for v in visits)
    values = [(_value_text(reading, _label(label, reading), sources, lang), reading, when, i == len(shown) - 1,
               len(shown), abnormal)
              for shown, label, abnormal in trends for i, (reading, when) in enumerate(shown)]
    results = [] if dated else [
        Line(" → ".join(_value_text(reading, _label(label, reading) if i == 0 else "", sources, lang)
                        + (f" ({when})" if when and (when != last or i < len(shown) - 1) else "")
                        for i, (reading, when) in enumerate(shown)).strip(),
             [r.span for r, _ in shown], critical=abnormal) for shown, label, abnormal in trends]
    said_results = " ".join(t for t, *_ in values) if dated else " ".join(ln.text for ln in results)
    visit_rows = _event_rows(h, [sp for ln in h.last_plan[:MAX_PLAN] for sp in ln.sources], zh, sources,
                       said_text=" ".join(ln.text for ln in problems + current + stopped) + " " + said_results,
                       relied=relied)
    # a single value an event shows in its clause ("25 yo G2P1, LMP ..." beside "G2P1 (date)";
    # "HIV neg" beside a result "HIV neg"): said once, in the event with its date
    in_events = [sp for _, row in visit_rows for _, sp in row]

    def in_an_event(span: Span) -> bool:
        return any(sp.doc == span.doc and sp.start <= span.start and span.end <= sp.end for sp in in_events)

    if dated:
        events, results = _timeline(visit_rows, values, last, zh, in_an_event)
        if results and results[0].text.startswith(last) and (events or problems):
            visit_line = ""     # the timeline's first date and the last values' date say the span
    else:
        events = _dated_lines(visit_rows, zh)
        results = [ln for ln in results if len(ln.sources) != 1 or not in_an_event(ln.sources[0])]
    # (no line of visits when the timeline says the span: the key is left out, so no reader shows
    # "Visits: None recorded")
    notes = {"current_medications": (f"未注明者自 {first}" if zh else f"since {first} unless dated")} \
        if since_first else {}
    return {
        **({"visits": [Line(visit_line, [])]} if visit_line else {}),
        "problems": problems,
        "events": events,
        "current_medications": current,
        "stopped_medications": stopped,
        "allergies": allergy_lines(h.allergies, lang, compact=True),
        "results": results,
        "last_plan": h.last_plan[:MAX_PLAN],
        "follow_up": followup_lines(h.last_followups),
    }, notes


MAX_PLAN = 6


def _since_first_visit(running: list[MedHistory], n_visits: int, first: str, last: str) -> bool:
    """True when the current medicines on since the first visit are better said once, in the
    heading ("Medications (since 2024-02-12 unless dated)"), than on each (issue 13: a date said
    once): two or more of them more than those the heading would leave to be dated (started at
    the last visit), and none without a visit of its own (a chart's medicine has no start date)."""
    if not first or first == last:
        return False
    if any(not hist.first_date or all(sp.doc >= n_visits for sp in hist.med.spans) for hist in running):
        return False
    on_from_first = sum(1 for hist in running if hist.first_date == first and len(hist.doses) <= 1)
    started_last = sum(1 for hist in running if hist.first_date == last and len(hist.doses) <= 1)
    return on_from_first - started_last >= 2


_DUR_RE = re.compile(r"(\d+)\s*(days?|weeks?|months?|天|周|个月)", re.IGNORECASE)


def _course_running(hist: MedHistory, last_date: str) -> bool:
    """A course ("HR … 4 months" started 2023-10-03) that has not yet run out at the last visit."""
    import datetime as dt
    m = _DUR_RE.search(hist.med.duration or "")
    try:
        start, last = dt.date.fromisoformat(hist.date), dt.date.fromisoformat(last_date)
    except (TypeError, ValueError):
        return False
    if m is None:
        return False
    n, unit = int(m.group(1)), m.group(2).lower()
    days = n * (30 if unit.startswith(("month", "个")) else 7 if unit.startswith(("week", "周")) else 1)
    return start + dt.timedelta(days=days) >= last


# A treatment phase ended by the next phase's regimen (TB: intensive RHZE, then continuation RH).
_NEXT_PHASE = {"rhze": ("rh",)}


def _phase_over(key: str, hist: MedHistory, meds: dict[str, MedHistory]) -> bool:
    last = max((sp.doc for sp in hist.med.spans), default=-1)
    for nxt in _NEXT_PHASE.get(key, ()):
        later = meds.get(nxt)
        if later is not None and later.med.status not in ("stopped", "planned") and \
                min((sp.doc for sp in later.med.spans), default=-1) > last:
            return True
    return False


# Readings whose unit goes without saying in a timeline when it is the usual one (BP in mmHg,
# K in mmol/L, CD4 in cells/µL, VL in copies/mL ...); a unit the note wrote otherwise is shown.
_USUAL_UNIT = frozenset({"bp", "hr", "rr", "temp", "k", "na", "cd4", "vl", "alt"})


# Events of a course of care that no list of a timeline keeps, in the words a clinician writes
# across notes: vaccines given (EPI schedule names, "接种…疫苗"), birth data, the obstetric
# history (LMP, EDD, G/P), a change of care (a drug stopped or switched, a programme entered or
# left, an illness controlled or cured, a result that decided something: "MTB detected",
# "smear negative") and a family or social fact that changes care.
EVENT_RE = re.compile(
    r"\b(?:BCG|OPV\s?\d|IPV\d?|Penta\s?\d|PCV\s?\d|Rota\s?\d|MR\s?\d|MMR\s?\d?|DTP\s?\d?|DPT\s?\d?|HepB|"
    r"Td\s?\d|TT\s?\d|HPV\d?|measles|vaccin\w*|immuni[sz]\w*|"
    r"BW|birth ?weight|born at|preterm|LBW|LMP|EDD|G\d\s?P\d|"
    r"stopped|stop|switch(?:ed)?|changed to|discontinued|withdrawn|held|"
    r"enrolled|discharged|cured|defaulted|transferred|(?:well|poorly|un)\s?controlled|"
    r"detected|not detected|sensitive|resistan\w+|smear|positive|negative|"
    r"not using|non-?adheren\w+|adherence|family history|FHx|smok\w+|alcohol|"
    # growth, a missed visit or dose, who cares for a child (session 16)
    r"[WLH]AZ|WLZ|WHZ|stunt\w*|wast\w*|underweight|missed|not available|stock-?out|not given|"
    # a test's result in a word ("HIV neg", "hCG negative", "CrAg POSITIVE", "VDRL non-reactive"),
    # a preventive dose of antenatal care ("IPTp-SP dose 2") (session 19)
    r"neg|pos|non-?reactive|reactive|IPTp\w*|"
    r"(?:grand)?(?:mother|father|parent)s? (?:cares?|is (?:the )?(?:main )?carer)|(?:main )?carer|cared for by)\b|"
    r"疫苗|接种|卡介苗|百白破|麻腮风|脊灰|出生体重|足月|早产|末次月经|预产期|孕\d+周|"
    r"阴性|阳性|停用|停药|停(?=[\u4e00-\u9fff]{2,6}(?:[，,。；;]|$))|改为|换用|加用|减量|已纠正|治愈|控制(?:良好|不佳|欠佳)|"
    r"不良反应|胃肠道反应|干咳|低血糖|家族史|吸烟|饮酒|戒烟|戒酒|未接种|漏种|生长迟缓|低体重|消瘦|发育落后", re.IGNORECASE)
MAX_EVENTS = 12


def _clauses(note: str, span: Span) -> list[tuple[str, Span]]:
    """The clauses of a sentence (split at commas and semicolons outside brackets)."""
    out, depth, start = [], 0, span.start
    for i in range(span.start, span.end + 1):
        c = note[i] if i < span.end else ","
        depth += c in "(（[" and 1 or (-1 if c in ")）]" and depth else 0)
        if depth == 0 and c in ",;，；":
            text = note[start:i].strip(" \t\n.。")
            if text:
                lead = note[start:i].find(text)
                out.append((text, Span(start + lead, start + lead + len(text), doc=span.doc)))
            start = i + 1
    return out


def _events(facts: NoteFacts) -> list[tuple[str, Span]]:
    """The clauses of a visit that say an event of :data:`EVENT_RE`, in the note's words."""
    note = facts.allergies.source or facts.note
    out = []
    for name, rows in facts.sentences.items():
        if name in (S.ALLERGIES, S.MEDICATIONS):
            continue
        for _text, span in rows:
            for clause, sp in _clauses(note, span):
                if EVENT_RE.search(clause) and not _allergy_only(clause) and len(clause) <= 90 \
                        and (words := drop_filler(clause)):
                    out.append((words, sp))
    return sorted(out, key=lambda row: row[1].start)


# "Dx: MAM", "诊断：妊娠合并缺铁性贫血", "diagnosed with TB": a diagnosis written inside a sentence.
_INLINE_DX = re.compile(r"(?:(?<![A-Za-z])(?:Dx|diagnosis|diagnosed with|diagnosed)\s*[:：]?\s*|诊断(?:为)?\s*[:：]?\s*)"
                        r"(?P<dx>[^,;，；。.\n]{2,40})", re.IGNORECASE)


def _inline_diagnoses(facts: NoteFacts) -> list[tuple[str, Span]]:
    note = facts.allergies.source or facts.note
    out = []
    for name, rows in facts.sentences.items():
        for text, span in rows:
            if name == S.ASSESSMENT and not reading_first(text):
                continue      # the visit's stated diagnosis already (a line of readings is not)
            for m in _INLINE_DX.finditer(note, span.start, span.end):
                dx = m.group("dx").strip()
                start = note.find(dx, m.start("dx"))
                out.append((dx, Span(start, start + len(dx), doc=facts.doc)))
    return out


# The words of an event that say a change the medication lists show by themselves ("changed to
# losartan 50mg od" beside "Medications: losartan 50 mg OD"; "换用氯沙坦 50mg qd" beside "氯沙坦
# 50 mg qd"). A stop keeps its event: the Stopped list gives the drug and date, not the words.
_CHANGE_WORDS = re.compile(
    r"\b(?:changed to|switched to|started|starting|start|continued?|added|increased to|decreased to|"
    r"reduced to|then|now|od|bd|tds|qds|daily)\b|改为|换用|加用|开始|继续", re.IGNORECASE)


def _said_elsewhere(event: str, said: str) -> bool:
    """True when each part of ``event`` (between punctuation) but its words of change is written,
    as it stands, in ``said`` (the other sections): the event repeats a line of the medication
    lists, problems or results."""
    from lantern.clinical.summarize.evaluate import normalise_for_match

    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", normalise_for_match(text))

    norm = squeeze(_CHANGE_WORDS.sub(" ", said))
    parts = [squeeze(p) for p in re.split(r"[,，;；:：。()（）]|\s-\s|->|→", _CHANGE_WORDS.sub(" ", event))]
    parts = [p for p in parts if re.search(r"[a-z0-9\u4e00-\u9fff]", p)]
    return bool(parts) and all(p in norm for p in parts)


def _event_rows(h: HistoryFacts, said: list[Span], zh: bool, sources: list[str], *,
                said_text: str = "", relied: frozenset[tuple[int, int]] = frozenset()
                ) -> list[tuple[str, list[tuple[str, Span]]]]:
    """One line a visit: its date and its events, without what the open items say nor an
    event the other sections already say in full (issue 13: one fact said once). An event a
    medication line relies on for a dose change (``relied``: doc and start) is always kept."""
    by_date: dict[str, list[tuple[str, Span]]] = {}
    problem_spans = [span for _, span, _ in h.problems.values()]
    latest = {text.casefold(): i for i, (_, text, _) in enumerate(h.events)}
    events = [row for i, row in enumerate(h.events) if latest[row[1].casefold()] == i]   # a repeat: its latest
    kept: list[tuple[str, str, Span]] = []
    drugs = {n for hist in h.meds.values() for n in (hist.med.name.casefold(), (hist.med.canonical or "").casefold())
             if len(n) >= 3}
    events = [(date, *_without_listed_start(text, span, drugs)) for date, text, span in events]
    for date, text, span in events:
        if any(sp.doc == span.doc and sp.start < span.end and span.start < sp.end for sp in said + problem_spans):
            continue
        if said_text and (span.doc, span.start) not in relied and _said_elsewhere(text, said_text):
            continue
        if kept and kept[-1][0] == date and (joined := _next_to(kept[-1][2], span, sources)) is not None:
            kept[-1] = (date, *joined)     # clauses written one after the other: one event, as written
        else:
            kept.append((date, text, span))
    for i, (date, text, span) in enumerate(kept):
        if i < len(kept) - MAX_EVENTS and (span.doc, span.start) not in relied:
            continue
        by_date.setdefault(date, []).append((text, span))
    return list(by_date.items())


def _descending(date: str) -> tuple[int, ...]:
    """A sort key putting ISO dates latest first."""
    return tuple(-int(x) for x in re.findall(r"\d+", date))


def _dated_lines(rows: list[tuple[str, list[tuple[str, Span]]]], zh: bool) -> list[Line]:
    """One line a visit: its date and what it says, each apart by ";"."""
    sep = "；" if zh else "; "
    return [Line((f"{date}：" if zh else f"{date}: ") * bool(date) + sep.join(t for t, _ in parts),
                 [sp for _, sp in parts]) for date, parts in rows]


def _timeline(rows: list[tuple[str, list[tuple[str, Span]]]],
              values: list[tuple[str, Measurement, str, bool, int, bool]], last: str, zh: bool,
              in_an_event: Callable[[Span], bool]) -> tuple[list[Line], list[Line]]:
    """The visits as a timeline and the last values closing it. A visit's line has its results
    before the last value of each (as the note wrote them, in the note's order) and its events;
    the closing lines have each measurement's last value under the date it was taken (the last
    visit's first, then the latest first). A value an event of the visit says in its clause is
    said once."""
    comma, sep = ("，", "；") if zh else (", ", "; ")
    by_date: dict[str, list[tuple[str, list[Span]]]] = {}
    earlier = sorted((v for v in values if not v[3] and not in_an_event(v[1].span)),
                     key=lambda v: (v[2], v[1].span.doc, v[1].span.start))
    for text, reading, when, *_ in earlier:
        slot = by_date.setdefault(when, [("", [])])
        slot[0] = (slot[0][0] + comma * bool(slot[0][0]) + text, slot[0][1] + [reading.span])
    for date, parts in rows:
        by_date.setdefault(date, [("", [])]).extend((t, [sp]) for t, sp in parts)
    events = [Line((f"{date}：" if zh else f"{date}: ") + sep.join(t for t, _ in parts if t),
                   [sp for _, sps in parts for sp in sps]) for date, parts in sorted(by_date.items())]
    # the last values by the date they were taken, the last visit's first: each date said once
    closing: dict[str, list[tuple[str, Measurement, str, bool, int, bool]]] = {}
    for v in sorted((v for v in values if v[3] and not in_an_event(v[1].span)),
                    key=lambda v: (v[2] != last, _descending(v[2]), v[1].span.doc, v[1].span.start)):
        closing.setdefault(v[2], []).append(v)
    results = [Line((f"{when}：" if zh else f"{when}: ") + comma.join(v[0] for v in taken), [v[1].span for v in taken],
                    critical=any(v[5] for v in taken)) for when, taken in closing.items()]
    return events, results


# Two statements an event clause links with a dash or an arrow ("TB screen neg - started IPT
# 300mg OD x 6 months", "Uncontrolled -> start beclometasone 100 mcg bd").
_LINK_RE = re.compile(r"\s+[-–—]\s+|\s*(?:->|=>|→)\s*")


def _without_listed_start(text: str, span: Span, drugs: set[str]) -> tuple[str, Span]:
    """The event without what follows its last event word when that names a medication the
    lists show with its dose and dates ("TB screen neg - started isoniazid 300mg OD" -> "TB
    screen neg"); a reason before the event ("K 5.8 - spironolactone stopped") and an outcome
    with no drug ("measles not given -> given today") stay."""
    cuts = [m for m in _LINK_RE.finditer(text)]
    if not cuts or not drugs:
        return text, span
    bounds = [0, *(m.start() for m in cuts), len(text)]
    starts = [0, *(m.end() for m in cuts)]
    segments = [text[starts[i]:bounds[i + 1]] for i in range(len(starts))]
    last = max((i for i, seg in enumerate(segments) if EVENT_RE.search(seg)), default=-1)
    if last < 0 or last == len(segments) - 1:
        return text, span
    tail = " ".join(segments[last + 1:]).casefold()
    if not any(re.search(rf"(?<!\w){re.escape(d)}(?!\w)", tail) for d in drugs):
        return text, span
    head = text[:bounds[last + 1]].rstrip()
    return head, Span(span.start, min(span.end, span.start + len(head)), doc=span.doc)


def _next_to(before: Span, span: Span, sources: list[str]) -> tuple[str, Span] | None:
    """The two event clauses as the note wrote them ("Penta3, OPV3, PCV3, IPV given today",
    not "Penta3; OPV3; ..."), when only a comma or a semicolon parts them; else None."""
    if before.doc != span.doc or not 0 <= span.doc < len(sources) or span.start < before.end:
        return None
    source = sources[span.doc]
    if span.end > len(source) or not re.fullmatch(r"\s*[,，、]\s*", source[before.end:span.start]):
        return None
    text = drop_filler(clean_line(source[before.start:span.end]))
    return (text, Span(before.start, span.end, doc=span.doc)) if text and len(text) <= 160 else None


MAX_TREND_BETWEEN = 2   # abnormal values shown between the first and the last


def _trend(rows: list[tuple[Measurement, str]]) -> list[tuple[Measurement, str]]:
    """The values a timeline shows: the first (when it differs), up to ``MAX_TREND_BETWEEN``
    abnormal peaks or nadirs between (the latest), and the last."""
    if len(rows) == 1:
        return rows
    between = [row for row in rows[1:-1] if row[0].abnormal and _beyond(row[0], rows[0][0], rows[-1][0])]
    between = between[-MAX_TREND_BETWEEN:]
    shown: list[tuple[Measurement, str]] = []
    for row in [rows[0], *between, rows[-1]]:
        if not shown or _with_unit(shown[-1][0]) != _with_unit(row[0]):
            shown.append(row)
        elif row is rows[-1]:
            shown[-1] = row       # the same value again: shown once, at its latest date
    return shown


def _label(label: str, reading: Measurement) -> str:
    """The measurement's label, unless its value names it ("Seizure-free since May")."""
    return "" if label and label.lower().rstrip("s") in reading.value.lower() else label


def _beyond(reading: Measurement, first: Measurement, last: Measurement) -> bool:
    """The value lies outside the first and the last (a peak or a nadir the trend hides:
    "K 4.9 → 5.6 → 4.8"); a value on the way from the first to the last is not shown."""
    try:
        value, ends = reading.numbers()[0], (first.numbers()[0], last.numbers()[0])
    except (IndexError, ValueError):
        return False
    return value < min(ends) or value > max(ends)


def _value_text(reading: Measurement, label: str, sources: list[str], lang: str) -> str:
    """A timeline value as the note wrote it ("Hb 98g/L", "eGFR 42") when it wrote a label,
    else ``label`` (on the first value only) and the value with its unit."""
    written = as_written(reading, sources, lang, compact=True, usual=_USUAL_UNIT)
    return written if written is not None else f"{label} {_with_unit(reading)}".strip()


def _with_unit(reading: Measurement) -> str:
    text = reading.value
    if reading.unit and not (reading.name in _USUAL_UNIT and reading.unit == UNITS.get(reading.name)):
        text += ("" if reading.unit in ("%", "°C", "/min") else " ") + reading.unit
    return text + (f" ({reading.qualifier})" if reading.qualifier else "")


def _allergy_only(text: str) -> bool:
    found = extract_allergies(text)
    return bool(found.allergies or found.none_known or found.denied) and len(text) < 60


def _dose_steps_in_events(h: HistoryFacts) -> tuple[dict[str, set[str]], frozenset[tuple[int, int]]]:
    """The dose changes the events say in the note's words ("Allopurinol reduced to 100 mg OD",
    "氨氯地平加量至10mg"): per medication the dates of its changed doses an event of that date
    names with the drug and the new dose's number, and those events (doc, start)."""
    said: dict[str, set[str]] = {}
    relied: set[tuple[int, int]] = set()
    for key, hist in h.meds.items():
        names = {n.casefold() for n in (hist.med.name, (hist.first or hist.med).name) if n}
        for dose, date in hist.doses[1:]:
            number = re.match(r"[\d.]+", dose)
            if not number or not date:
                continue
            for when, text, span in h.events:
                folded = text.casefold()
                if when == date and any(n in folded for n in names) and \
                        re.search(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d.])", folded):
                    said.setdefault(key, set()).add(date)
                    relied.add((span.doc, span.start))
                    break
    return said, frozenset(relied)


def _med_text(hist: MedHistory, lang: str, *, last_visit: str = "", ended: bool = False,
              said_dates: set[str] | frozenset[str] = frozenset(), undated: str = "") -> str:
    """A medication with the date it started and its dose changes; a stopped one with the
    date it stopped (and the reason the note gave). ``undated``: the start date the heading
    says (the first visit), left out here and said on a medicine started at the last visit."""
    zh = lang == "zh"
    med = hist.med
    text = med.render(lang, compact=True)
    if ended:
        base = dataclasses.replace(med, status="current").render(lang, compact=True)
        tail = text[len(base):] if text.startswith(base) else ""
        when = hist.date
        if tail and when:
            # " (stopped: reason)" -> " (2023-03-01: reason)" under "Stopped"; " (course completed
            # 2023-05-10)", " (withheld 2023-05-10)" keep their words
            cut = next((i for i, c in enumerate(tail) if c in ":：)）"), len(tail))
            head = tail[:cut].replace(" (stopped", " (").replace("（已停用", "（").replace("( ", "(").replace("（ ", "（")
            text = base + head + ("" if head.endswith(("(", "（")) else " ") + when + tail[cut:]
        elif when:
            text += f"（{when}）" if zh else f" ({when})"
        return text
    if len(hist.doses) > 1:
        # a dose changed: the current regimen, then the regimen it started from in full (with
        # its name when it was written otherwise: "二甲双胍 0.5g bid" before "二甲双胍缓释片 1g qd")
        # and each later dose with its date: "amlodipine 10 mg OD (5 mg OD 2025-02-11 → 10 mg
        # 2025-03-13)"; a change an event says in the note's words ("Increased amlodipine to
        # 10 mg") is not said again: "amlodipine 10 mg OD (from 5 mg OD 2025-02-11)"
        first = hist.first or med
        full = dataclasses.replace(first, status="current", duration="", time="", regimen="").render(
            lang, compact=True)
        start = full
        if first.name.casefold() == med.name.casefold():
            # the same drug as now written: its first dose, and its frequency when that changed too
            start = dataclasses.replace(first, name="", status="current", duration="", time="", regimen="",
                                        route="" if first.route == med.route else first.route,
                                        frequency="" if first.frequency == med.frequency else first.frequency
                                        ).render(lang, compact=True).strip()
        steps = [f"{start} {hist.doses[0][1]}".strip()]
        steps += [f"{d} {when}".strip() for d, when in hist.doses[1:] if when not in said_dates]
        if len(steps) > 1:
            return text + (f"（{' → '.join(steps)}）" if zh else f" ({' → '.join(steps)})")
        if full == text:
            # every change said by an event, back at the starting regimen: its first date only
            return text + (f"（自 {hist.doses[0][1]}）" if zh else f" (since {hist.doses[0][1]})")
        return text + (f"（起始 {steps[0]}）" if zh else f" (from {steps[0]})")
    if hist.first_date and (hist.first_date != last_visit or undated) and hist.first_date != undated:
        text += f"（自 {hist.first_date}）" if zh else f" (since {hist.first_date})"
    return text
