"""Follow-up dates proposed from a note and from programme schedules.

A note is cut into clauses (at sentence ends and commas). A clause proposes a date
when it holds a return instruction (a trigger word: "review", "refill", "ANC",
"复诊", ...) and an interval in one of the written forms of the wording tables
("in 3 days", "2/52", "next week", "1 周后", "3天后", "两周内"). A clause with a
conditional word ("return if worse", "如有不适随诊") proposes nothing; a safety net
("review in 3 days, sooner if worse") keeps the instruction before it.

The programme is the one whose words appear in the sentence ("TB drugs refill in
1 month" -> tb). When the note names a programme but gives no interval, the
programme's schedule proposes the date (ANC from the gestational age, immunisation
from the birth date, refills and OTP from their intervals). The proposal date is the
visit date plus the interval; the clinician confirms, edits or declines it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from lantern.clinical.followups.schedules import add_months, load_schedules, next_visit
from lantern.clinical.followups.wording import Wording, load_wordings, number_value

_SENTENCE = re.compile(r"(?<!\d)[.!?](?!\d)|[。！？;；\n]")
_CLAUSE = re.compile(r"[,，、]")
MAX_REASON = 120


@dataclass(frozen=True, slots=True)
class Proposal:
    due: date
    programme: str          # a programme id, or ""
    reason: str             # the instruction as written, or the schedule's visit
    source: str             # "note" or "schedule"
    start: int = -1         # where in the note (note proposals)
    end: int = -1


@dataclass(frozen=True, slots=True)
class _Interval:
    count: int
    unit: str


def _due(visit: date, interval: _Interval) -> date:
    if interval.unit == "month":
        return add_months(visit, interval.count)
    return visit + timedelta(days=interval.count * (7 if interval.unit == "week" else 1))


def _interval(m: re.Match[str], w: Wording) -> _Interval | None:
    groups = m.groupdict()
    if groups.get("rel"):
        return _Interval(*w.relative[groups["rel"].casefold()])
    if groups.get("sn"):
        return _Interval(int(groups["sn"]), w.shorthand[groups["sd"]])
    for i in (1, 2, 3):
        if groups.get(f"n{i}"):
            count = number_value(groups[f"n{i}"], w.numbers)
            unit = w.units.get(groups[f"unit{i}"].casefold())
            if count is None or unit is None:
                return None
            return _Interval(count, unit)
    return None


def _pieces(text: str, splitter: re.Pattern[str], base: int = 0) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in splitter.finditer(text):
        out.append((base + start, text[start:m.start()]))
        start = m.end()
    out.append((base + start, text[start:]))
    return [(s, t) for s, t in out if t.strip()]


def _programme(sentence: str, wordings: tuple[Wording, ...]) -> str:
    found = [(m.start(), pid) for w in wordings for pid, rx in w.programmes.items()
             if (m := rx.search(sentence))]
    return min(found)[1] if found else ""


def _clause_proposal(clause: str, at: int, visit: date, w: Wording) -> tuple[date, str, int, int] | None:
    if (net := w.safety_net.search(clause)):
        clause = clause[:net.start()]
    if w.conditional.search(clause) or not w.trigger.search(clause):
        return None
    m = w.interval.search(clause)
    if m is None or (interval := _interval(m, w)) is None or not 0 < interval.count <= 400:
        return None
    reason = " ".join(clause.split())[:MAX_REASON]
    lead = len(clause) - len(clause.lstrip())
    return _due(visit, interval), reason, at + lead, at + len(clause.rstrip())


def propose_from_note(note: str, visit: date) -> list[Proposal]:
    """Dates the note itself gives, earliest first (one per clause)."""
    wordings = load_wordings()
    out: list[Proposal] = []
    for s_at, sentence in _pieces(note, _SENTENCE):
        programme = _programme(sentence, wordings)
        for c_at, clause in _pieces(sentence, _CLAUSE, s_at):
            for w in wordings:
                found = _clause_proposal(clause, c_at, visit, w)
                if found:
                    due, reason, start, end = found
                    out.append(Proposal(due, programme, reason, "note", start, end))
                    break
    out.sort(key=lambda p: (p.due, p.start))
    unique: list[Proposal] = []
    for p in out:
        if not any(u.due == p.due and u.programme == p.programme for u in unique):
            unique.append(p)
    return unique


def gestation_weeks(note: str) -> int | None:
    """The gestational age the note states (weeks), if it states one."""
    for w in load_wordings():
        for rx in w.gestation:
            m = rx.search(note)
            if m and 4 <= int(m.group("w")) <= 44:
                return int(m.group("w"))
    return None


def programmes_named(note: str) -> list[str]:
    """Programme ids whose words appear anywhere in the note, in order of appearance."""
    wordings = load_wordings()
    found = sorted((m.start(), pid) for w in wordings for pid, rx in w.programmes.items()
                   if (m := rx.search(note)))
    out: list[str] = []
    for _at, pid in found:
        if pid not in out:
            out.append(pid)
    return out


def propose(note: str, visit: date, *, birth_date: date | None = None,
            programmes: tuple[str, ...] = ()) -> list[Proposal]:
    """Everything to offer the clinician for one visit, earliest first: the note's own
    dates; else, for each programme the note names (or ``programmes`` given), the
    schedule's next visit. A note that only says "return if worse" proposes nothing."""
    from_note = propose_from_note(note, visit)
    if from_note:
        return from_note
    schedules = load_schedules()
    out: list[Proposal] = []
    for pid in (*programmes, *programmes_named(note)):
        if pid not in schedules or any(p.programme == pid for p in out):
            continue
        nxt = next_visit(schedules[pid], visit=visit, gestation_weeks=gestation_weeks(note),
                         birth_date=birth_date)
        if nxt is not None:
            out.append(Proposal(nxt.due, pid, nxt.reason, "schedule"))
    return sorted(out, key=lambda p: p.due)
