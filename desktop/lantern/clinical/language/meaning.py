"""What a piece of text says, as comparable facts: findings with their polarity,
certainty and duration, drugs with their doses, frequencies and routes, measurements with
their values, sides of the body with the part they belong to, what it orders (tests,
imaging, referral, admission, procedures) and how urgently, whose history it tells (a relative), and
the plain numbers, dates and allergies of :mod:`claims`.

Two questions are asked of it (the summary's model wording checks):

- :func:`unsupported_meaning`: does a sentence say anything its source does not
  (a finding the source lacks or negates, a duration given to another finding, a
  dose given to another drug, a value given to another measurement, the other side)?
- :func:`missing_meaning`: does a sentence leave out any of these facts of the line
  it replaces?
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.knowledge_ids import (
    ARTHRALGIA,
    BURNS,
    GESTATION_STATED,
    HOT_RED_JOINT,
    JOINT_SITE,
    JOINT_STIFFNESS,
    JOINT_SWELLING,
    LARGE_BODY_REGION,
    WEIGHTBEARING_JOINT_PAIN,
)
from lantern.clinical.language.allergies import extract_allergies, names_a_reaction
from lantern.clinical.language.claims import (
    Claims,
    _num,
    claims_of,
    same_length_numbers,
    thresholds,
    unsupported,
)
from lantern.clinical.language.clock import clock_times, same_clock
from lantern.clinical.language.drugs import drug_parts, find_drugs
from lantern.clinical.language.durations import (
    age_fraction_spans,
    find_durations,
    find_gestations,
    gravida_para,
    time_amount_spans,
    time_amounts,
)
from lantern.clinical.language.findings import Finding, extract_findings
from lantern.clinical.language.followup import DATE_RE
from lantern.clinical.language.medications import (
    DOSE_RE,
    Medication,
    dose_in_mg,
    extract_medications,
    find_frequencies,
    find_routes,
)
from lantern.clinical.language.results import dipstick_grades, extract_vitals
from lantern.clinical.language.text import nfkc
from lantern.clinical.language.tokens import Span
from lantern.clinical.language.vocabulary import DEGREES, load_cues, load_wording

__all__ = ["Meaning", "meaning_of", "missing_meaning", "same_length_units", "same_person", "same_wording", "subject_parts",
           "unsupported_meaning", "wording_forms", "wording_keys", "wording_spans"]


@dataclass(slots=True)
class Meaning:
    claims: Claims = field(default_factory=Claims)
    findings: set[tuple[str, bool]] = field(default_factory=set)          # (id, negated)
    certain: set[tuple[str, bool, bool]] = field(default_factory=set)     # (id, negated, uncertain)
    durations: set[tuple[str, float]] = field(default_factory=set)        # (finding id, days)
    all_durations: set[float] = field(default_factory=set)                # every duration written
    doses: set[tuple[str, tuple[str, str]]] = field(default_factory=set)  # (drug, (value, unit))
    frequencies: set[tuple[str, str]] = field(default_factory=set)        # (drug, frequency)
    routes: set[tuple[str, str]] = field(default_factory=set)             # (drug, route): "oral", "IV"
    measurements: set[tuple[str, tuple[float, ...]]] = field(default_factory=set)
    sides: set[tuple[str, str]] = field(default_factory=set)              # (side, body part)
    sided: set[tuple[str, str, bool]] = field(default_factory=set)        # (side, finding id, negated): the
                                                                          # one side its clause names
    spans: list[tuple[int, int]] = field(default_factory=list)            # where these facts are written
    plain_numbers: set[str] = field(default_factory=set)                  # numbers outside durations, dates
    amounts: set[tuple[float, str]] = field(default_factory=set)          # (days, the number written) of
                                                                          # each amount of time
    labels: dict[str, str] = field(default_factory=dict)                  # finding id -> label (for reasons)
    hedged: int = 0             # certainty written: 0 none, 1 "possible" (疑似, 可能), 2 "probable" (likely, 考虑)
    times: set[str] = field(default_factory=set)                          # "before breakfast", "bedtime", 睡前
    units: set[tuple[str, str]] = field(default_factory=set)              # (number, unit) of a result
    orders: set[str] = field(default_factory=set)                         # "ct", "referral", "blood_count"
    worded: list[tuple[int, int]] = field(default_factory=list)           # where orders, relatives, certainty
                                                                          # and times of day are written
    relations: set[str] = field(default_factory=set)                      # whose history: "father", "family_history"
    subjects: set[tuple[str, str, bool]] = field(default_factory=set)     # (whose, finding id, negated):
                                                                          # "patient" or a [relation] key
    urgency: set[str] = field(default_factory=set)                        # how soon: "urgent" (urgent, stat, 紧急)
    points: set[str] = field(default_factory=set)                         # when: "day-1:evening" (last night, 昨晚)
    sequence: set[str] = field(default_factory=set)                       # "before" / "after" another event
    gestations: set[int] = field(default_factory=set)                     # days of gestation ("36+2/40": 254)
    # findings read from a drug's name only ("on isoniazid": a drug that can injure the liver),
    # with the drugs they are read from: the same drugs named backs them, in any form
    from_drugs: dict[tuple[str, bool], set[str]] = field(default_factory=dict)
    gravida_para: set[tuple[int | None, int | None]] = field(default_factory=set)  # ("G2P1": (2, 1))
    thresholds: set[tuple[str, str]] = field(default_factory=set)         # ("above", "38.5"): > 38.5, 超过38.5
    grades: set[tuple[str, float]] = field(default_factory=set)           # dipstick (analyte, grade): 白细胞(+++)
    pending: set[str] = field(default_factory=set)                        # "awaited": a result not back yet
    trend: set[str] = field(default_factory=set)                          # "improving" / "worsening" (好转, 加重)
    severity: set[str] = field(default_factory=set)                       # "mild" / "moderate" / "severe" (中度)
    clocks: set[frozenset[int]] = field(default_factory=set)              # clock times, as the minutes of the
                                                                          # day each can be ("10:15", 上午10点15分)
    courses: set[tuple[str, float]] = field(default_factory=set)          # (drug, days): how long it is taken
    timed: set[tuple[str, str]] = field(default_factory=set)              # (when, value) of a series of readings:
                                                                          # ("month:3", "8.9") for 3月8.9%
    timed_loose: set[tuple[str, str]] = field(default_factory=set)        # the same, read either way round
    stopped: set[str] = field(default_factory=set)                        # drugs stopped or held (停用, 暂停)
    going_on: set[str] = field(default_factory=set)                       # drugs taken, started or continued
    resistance: set[tuple[str, bool]] = field(default_factory=set)        # (drug, negated): "RIF resistance not
                                                                          # detected", 利福平耐药
    gcs_parts: set[tuple[str, str]] = field(default_factory=set)          # ("e", "3"): E3V4M6, "eyes 3", 睁眼3分
    moves: set[tuple[str, str]] = field(default_factory=set)              # (from, to) of a value that moved:
                                                                          # "down from 170/100 to 150/92"
    sided_values: set[tuple[str, str]] = field(default_factory=set)       # (side, value) of a clause that names
                                                                          # one side: 左侧肌力4级
    parts: set[str] = field(default_factory=set)                          # body parts named, with or without a side
    warnings: set[tuple[str, bool]] = field(default_factory=set)          # (finding id, negated) a safety-net
                                                                          # tells to come back for ("return if
                                                                          # unable to drink", 若出现抽搐立即返诊)
    sign_words: dict[tuple[str, bool], set[str]] = field(default_factory=dict)  # the words each such sign is
                                                                          # written in
    words: set[str] = field(default_factory=set)                          # every word written (_plain_words)
    destinations: set[str] = field(default_factory=set)                   # where a referral goes: "cardiology"

    def update(self, other: Meaning) -> None:
        self.claims.update(other.claims)
        for name in ("findings", "certain", "durations", "all_durations", "doses", "frequencies", "routes",
                     "measurements", "sides", "sided", "plain_numbers", "labels", "times", "units", "orders", "relations",
                     "subjects", "urgency", "points", "sequence", "gestations", "gravida_para", "thresholds", "grades",
                     "clocks", "pending", "courses", "stopped", "going_on", "timed", "timed_loose", "resistance",
                     "gcs_parts", "moves", "sided_values", "parts", "warnings", "words",
                     "destinations", "trend", "severity"):
            getattr(self, name).update(getattr(other, name))
        for key, drugs in other.from_drugs.items():
            self.from_drugs.setdefault(key, set()).update(drugs)
        for sign, words in other.sign_words.items():
            self.sign_words.setdefault(sign, set()).update(words)
        self.hedged = min((h for h in (self.hedged, other.hedged) if h), default=0)

    def keys(self) -> set[str]:
        """Fact keys for telling which line a sentence is about (not for checking it)."""
        return ({f"f:{i}" for i, _ in self.findings} | {f"n:{n}" for n in self.claims.numbers}
                | {f"d:{d}" for d in self.claims.drugs})


# The number of an item of a numbered list ("Plan: 1. start omeprazole 2) stop ibuprofen",
# "1、补液"): where the item is, not a fact of it.
_LIST_MARK = re.compile(r"(?:^|(?<=[:;!?：；。！？\n])|(?<=[:;.!?]\s))\s*(\d{1,2})\s*(?:[.)、]|\)(?=\s*\D)|\.(?=\s+[A-Za-z\u4e00-\u9fff]))")


_COUNTS = {"once": "1", "twice": "2", "thrice": "3"}
# a test's name, its value (and unit), then an arrow: "CRP 86 ↑", "ALT: 120 U/L↑"
# (or its flag in brackets: "TSH 0.02 mU/L (low)", "FT4 32pmol/L（↑）")
_RESULT_ARROW = re.compile(r"\b([A-Za-z][A-Za-z0-9-]{1,15})\s*[:=：]?\s*\d+(?:\.\d+)?\s*[A-Za-z/%µμ]*\s*"
                           r"(?:([↑↓])|[(（]\s*(↑|↓|(?i:high|low|raised|elevated))\s*[)）])")
_COUNT_WORD = re.compile(r"\b(once|twice|thrice)\b(?!\s*(?:a|per|daily|weekly|every)\b)", re.IGNORECASE)


# "每5分钟一次", "每6小时1次", "每2周一次": once in each such time (no count of one).
_RATE_ONCE = re.compile(r"每\s*[\d一二两三四五六七八九十]+(?:\.\d+)?\s*(?:个)?(?:分钟|小时|钟头|天|日|周|星期|个月|月)\s*(?P<once>一次|1次)")


_MONTH_DAYS = 365 / 12


def _word_end(text: str, numeric: str, end: int) -> int:
    """The end of the number word ``numeric`` wrote in digits up to ``end`` ("under two" read
    as "under 2": the whole "two")."""
    while end < len(text) and numeric[end] == " " and text[end].isalpha():
        end += 1
    return end


def _days(value: float) -> float:
    """A duration as compared: in days, and one counted in months or years, from two months on,
    in whole months (半年 = 6个月, though a note counts months in 30 days and years in 365); one
    in weeks stays in days (a gestation of 32 weeks is compared in weeks)."""
    if value >= 2 * _MONTH_DAYS - 1 and round(value, 3) % 7:
        return round(round(value / _MONTH_DAYS) * _MONTH_DAYS, 3)
    return round(value, 3)


def _dose_key(dose: str) -> tuple[str, str] | None:
    m = DOSE_RE.search(dose)
    if not m:
        return None
    value, unit = dose_in_mg(float(m.group(1)), m.group(3))
    return (f"{value:g}", unit)


# A dose changed from one to another: "from 5 mg to 10 mg", "由5mg加至10mg", "从5mg增到10mg"
# ("from 75 to 100 mcg": the first in the second's unit).
_DOSE_CHANGE = re.compile(rf"(?:\bfrom|由|从)\s*(?:(?P<a>{DOSE_RE.pattern})|(?P<bare>\d+(?:\.\d+)?))\s*(?:\bto\b|加至|增至|减至|调至|改为|至|到)\s*"
                          rf"(?P<b>{DOSE_RE.pattern})", re.IGNORECASE)


def _dose_changes(text: str) -> dict[tuple[str, str], tuple[str, str]]:
    """Each dose ``text`` changes from -> the dose it changes it to."""
    out = {}
    for m in _DOSE_CHANGE.finditer(text):
        after = _dose_key(m.group("b"))
        unit = DOSE_RE.search(m.group("b"))
        written = m.group("a") or (f"{m.group('bare')} {unit.group(3)}" if unit else "")
        before = _dose_key(written)
        if before and after:
            out[before] = after
    return out


# Words a finding's phrases share with how a value or a dose moves or goes on: a value that
# "fell"/"dropped" from or to a number (not a height: "fell from 2 m") is no fall, a dose "cut" by an amount no wound, a drug
# that "carries on" no caries, 血尿酸 (uric acid) no haematuria.
_VALUE_SENSE = re.compile(
    r"(?:fell|falls|fallen|falling|dropped|drops|dropping)\s+(?:back\s+)?(?:down\s+)?(?:from|to|by|under|below)\s+"
    r"(?:about\s+|around\s+)?\d+(?:\.\d+)?(?!\s*(?:m|metres?|meters?|feet|ft|foot|steps?|stairs)\b)|cut(?:s|ting)?\s+(?:it\s+|the\s+dose\s+|back\s+)?(?:by|to|down)\b|"
    r"carr(?:y|ies|ied|ying)\s+on\b|血尿酸", re.IGNORECASE)


# A series of readings over time: each value with the time it was taken ("HbA1c：3月8.9%，6月7.8%",
# "第1天体温39.0℃", "T 39.2 day 1", "265 umol/L at 72 hours", "at 84 hours it was 240"). A rewording
# that gives a value another time changes the series. The time: a month (3月, in March), a day
# (第1天, day 1), a week (第2周, week 2, 2周时), an hour of life or treatment (at 72 h, 72小时时).
_MONTHS = {m: i for i, names in enumerate((("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
                                           ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
                                           ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
                                           ("dec", "december")), start=1) for m in names}
_TIME_UNIT = {"天": "day", "日": "day", "周": "week", "小时": "hour", "h": "hour", "hr": "hour", "hrs": "hour",
              "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week",
              "wk": "week", "wks": "week"}
_TIME_LABEL = re.compile(
    r"(?P<zm>\d{1,2})月(?![份]?[后前内])|第\s*(?P<zn>\d+)\s*(?P<zu>天|日|周|小时)|(?P<zt>\d+)\s*(?P<ztu>周|小时|天|h)时|"
    r"\b(?:day|week|wk)\s+(?P<en>\d+)\b|\bat\s+(?P<at>\d+)\s*(?P<atu>hours?|hrs?|h|weeks?|wks?)\b|"
    r"\b(?:in\s+)?(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.IGNORECASE)
_SERIES_VALUE = re.compile(r"\d+(?:\.\d+)?")
# between a time and its value: words and units, no clause break and no other number
_SERIES_GAP = re.compile(r"[^\d,;，；。、→>\n()（）]{0,14}")
_TRAILING_TIME = re.compile(r"\b(?:on|at|in|by)\s*$", re.IGNORECASE)


def _series_time(m: re.Match[str]) -> str:
    if m.group("zm"):
        return f"month:{int(m.group('zm'))}"
    if m.group("month"):
        return f"month:{_MONTHS[m.group('month').lower()]}"
    for number, unit in (("zn", "zu"), ("zt", "ztu"), ("at", "atu")):
        if m.group(number):
            return f"{_TIME_UNIT[m.group(unit).lower()]}:{int(m.group(number))}"
    word = m.group(0).split()[0].lower()
    return f"{_TIME_UNIT.get(word, 'day')}:{int(m.group('en'))}"


def _timed_values(numeric: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(time, value) of each reading of a series in ``numeric`` (number words as digits): as the
    wording puts them (a time after "on"/"at" is the value's before it: "38.4 °C on day 2"; else
    the value after it: "3月8.9%", "day 1: 39.2"), and read either way round (for a source, whose
    shorthand may put the time either side: "T 39.2 day 1")."""
    strict: set[tuple[str, str]] = set()
    loose: set[tuple[str, str]] = set()
    for m in _TIME_LABEL.finditer(numeric):
        key = _series_time(m)
        after = before = None
        gap = _SERIES_GAP.match(numeric, m.end())
        if gap and (v := _SERIES_VALUE.match(numeric, gap.end())) and not (v.end() < len(numeric) and numeric[v.end()] in "月天周"):
            after = _num(v.group(0))
        head = numeric[max(0, m.start() - 30):m.start()]
        if (b := re.search(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)([^\d,;，；。、→>\n()（）]{0,14})$", head)) \
                and not re.search(r"[月天周]$", b.group(1) + b.group(2)[:1]) and not re.search(r"[.!?]\s", b.group(2)):
            before = _num(b.group(1))
        loose.update((key, v) for v in (after, before) if v)
        trailing = _TRAILING_TIME.search(numeric[max(0, m.start() - 4):m.start()]) or m.group(0).lower().startswith(("at", "in"))
        chosen = before if trailing else after
        if chosen:
            strict.add((key, chosen))
    return strict, loose


# Whether a drug is stopped or goes on, as its own clause says ("Naproxen 500 mg bd stopped",
# "ramipril stopped and losartan started", "二甲双胍0.5g tid继续", "格列美脲2mg qd暂停"): a rewording
# that stops a continued drug or continues a stopped one changes the plan. A clause is cut at
# punctuation and "and"/和/及/、, and a piece that names no drug goes with the one before
# ("二甲双胍每次0.5克、每日三次已停用"); a clause with words of both kinds, or a negated one, says neither.
_STOP_WORDS = re.compile(r"\b(?:stop(?:ped|s|ping)?|discontinu\w*|cease[ds]?|held|hold|withh[eo]ld\w*|paused?|"
                         r"suspended)\b|停用|停药|已停|停止|停服|暂停|停掉", re.IGNORECASE)
_GO_WORDS = re.compile(r"\b(?:continu\w*|carr(?:y|ies|ied)\s+on|unchanged|start(?:ed|s|ing)?|begins?|began|begun|"
                       r"commenc\w*|restart\w*|resum\w*|switch(?:ed)?\s+to|chang\w*\s+to|replaced?\s+(?:by|with)|"
                       r"keep|kept|remains?\s+on|stays?\s+on|added)\b|继续|开始|加用|维持|改为|改用|换用|换为|恢复", re.IGNORECASE)
_STATUS_NOT = re.compile(r"\b(?:not|n't|never|no)\b|不|未|勿|别", re.IGNORECASE)
_STATUS_CUT = re.compile(r"[,;:.，；：。、()（）\n]|\band\b|\bwhile\b|[和及]", re.IGNORECASE)


_SMALL_WORDS = re.compile(r"\b(?:then|at|and|is|are|was|were|be|been|being|to|will|all|has|have|now)\b|[已再均也]",
                          re.IGNORECASE)


def _regimen_only(piece: str) -> bool:
    """A piece of a clause that writes only a regimen and its status ("每日三次已停用"): it
    goes with the drug before it."""
    for rx in (DOSE_RE, _STOP_WORDS, _GO_WORDS, _SMALL_WORDS):
        piece = rx.sub(" ", piece)
    for _f, s, e in (*find_frequencies(piece), *find_routes(piece)):
        piece = piece[:s] + " " * (e - s) + piece[e:]
    return len(re.findall(r"[A-Za-z\u4e00-\u9fff]", piece)) <= 3


def _drug_statuses(text: str) -> tuple[set[str], set[str]]:
    """(drugs its clause says are stopped or held, drugs its clause says go on). What a plan
    continues or stops besides a drug ([activity] of wording.toml: breastfeeding, feeding) is
    read the same way ("继续患侧哺乳" / "患侧暂停哺乳"). A drug listed with another by "and" (和,
    及, 、) and no word of its own shares that one's ("继续华法林3mg qd及阿司匹林": both go on)."""
    drugs = [*find_drugs(text), *((f"activity:{key}", s, e) for s, e, key in wording_spans(text, "activities"))]
    cut_marks = list(_STATUS_CUT.finditer(text))
    cuts = [0, *(m.end() for m in cut_marks), len(text) + 1]
    # (whether each cut is a list word: "and", 和, 及, 、)
    listing = [False, *(_LIST_CUT.fullmatch(m.group(0)) is not None for m in cut_marks)]
    pieces: list[tuple[int, int, list[str], bool]] = []
    for a, b, joined in zip(cuts, cuts[1:], listing, strict=False):
        named = [d for d, s, _e in drugs if a <= s < b]
        if named or not pieces or not _regimen_only(text[a:b]):
            pieces.append((a, b, named, joined))
        else:
            pieces[-1] = (pieces[-1][0], b, pieces[-1][2], pieces[-1][3])
    status: list[str | None] = []
    for a, b, named, _joined in pieces:
        clause = text[a:b]
        if not named or _STATUS_NOT.search(clause):
            status.append("neither")
            continue
        stop, go = bool(_STOP_WORDS.search(clause)), bool(_GO_WORDS.search(clause))
        status.append(("stopped" if stop else "going_on") if stop != go else None if not (stop or go) else "neither")
    for order in (range(1, len(pieces)), range(len(pieces) - 2, -1, -1)):
        for k in order:
            other = k - 1 if order.step == 1 else k + 1
            joined = pieces[k][3] if order.step == 1 else pieces[k + 1][3]
            if status[k] is None and joined and status[other] in ("stopped", "going_on"):
                status[k] = status[other]
    stopped: set[str] = set()
    going_on: set[str] = set()
    for (_a, _b, named, _joined), how in zip(pieces, status, strict=True):
        if how == "stopped":
            stopped.update(named)
        elif how == "going_on":
            going_on.update(named)
    return stopped, going_on


_LIST_CUT = re.compile(r"、|and|[和及]", re.IGNORECASE)


# An amount of time that is a rate, not how long ("every three days", 每三天, "40 ml an hour",
# "two sachets a day"): no course. One written "a week" is a course only after "for", "over",
# "within" ("for a week").
_EVERY_BEFORE = re.compile(r"(?:\bevery|\beach|\bper|每|隔)\s*$", re.IGNORECASE)
_ARTICLE_AMOUNT = re.compile(r"an?\s", re.IGNORECASE)
_COURSE_BEFORE = re.compile(r"\b(?:for|over|within|in)\s+(?:about\s+)?$", re.IGNORECASE)
_POINT_BEFORE = re.compile(r"\b(?:in|after|at)\s+(?:about\s+)?$", re.IGNORECASE)
_POINT_AFTER = re.compile(r"\s*(?:后|前|以后|之后|\bago\b|\blater\b|\bafter\b)", re.IGNORECASE)
# Where the sentence of a drug's regimen ends (a later sentence's amount of time is not its course).
_REGIMEN_END = re.compile(r"[.;]\s+(?=[A-Z\u4e00-\u9fff])|[。；;\n]")


def _course_spans(text: str) -> list[tuple[float, int, int]]:
    """(days, start, end) of each amount of time of ``text`` that can be how long a drug is
    taken (not one inside a frequency, "every six hours", nor a rate, "every three days")."""
    frequencies = [(s, e) for _f, s, e in find_frequencies(text)]
    out = []
    for days, span in (*find_durations(text), *time_amount_spans(text)):
        before = text[max(0, span.start - 16):span.start]
        if any(s <= span.start < e for s, e in frequencies) or _EVERY_BEFORE.search(before[-8:]):
            continue
        if _ARTICLE_AMOUNT.match(text, span.start) and not _COURSE_BEFORE.search(before):
            continue
        if _POINT_BEFORE.search(before) or _POINT_AFTER.match(text, span.end):
            continue        # a point in time ("review in 2 days", "3天后复查"), not how long
        out.append((_days(days), span.start, span.end))
    return out


@lru_cache(maxsize=1)
def _drug_kind_table() -> dict[str, list[tuple[str, str]]]:
    """``wording.toml [drug_kind]``: drug -> [(how a kind is written, kind)], longest first."""
    out: dict[str, list[tuple[str, str]]] = {}
    for key, words in load_wording().drug_kinds.items():
        drug, kind = key.split(":", 1)
        out.setdefault(drug, []).extend((word, kind) for word in words)
    for kinds in out.values():
        kinds.sort(key=lambda wk: len(wk[0]), reverse=True)
    return out


_NAME_EDGE = re.compile(r"[\d,;:.，；：。、()（）\n]")


def _name_around(text: str, med: Medication) -> str:
    """A drug's name with the words next to it in its clause ("insulin detemir", 地特胰岛素), where
    a kind of the drug is written when the drug table reads only "insulin"."""
    if not med.spans:
        return med.name
    start = med.spans[0].start
    end = start + len(med.name)
    before = text[max(0, start - 8):start]
    if edges := list(_NAME_EDGE.finditer(before)):
        before = before[edges[-1].end():]
    after = text[end:end + 16]
    after = after[:m.start()] if (m := _NAME_EDGE.search(after)) else after
    return before + med.name + after


def _drug_kinds(drug: str, name: str) -> list[str]:
    """The kind of ``drug`` its name as written says (the longest wording found), if any."""
    low = name.lower()
    for form, kind in _drug_kind_table().get(drug, ()):
        if (re.search(rf"(?<![a-z]){re.escape(form)}(?![a-z])", low) if form.isascii() else form in low):
            return [kind]
    return []


# Findings that qualify another finding rather than say one of their own, and the finding they
# qualify: the large body region of a burn (triage_rules_quiet15.toml) is part of the burn's meaning
# ("burns to both legs"), and says nothing in "双下肢无水肿" (no oedema of the legs).
_QUALIFIES = {LARGE_BODY_REGION: (BURNS,),
              JOINT_SITE: (ARTHRALGIA, JOINT_SWELLING, JOINT_STIFFNESS, HOT_RED_JOINT, WEIGHTBEARING_JOINT_PAIN)}


def _allergy_statement_words(text: str) -> list[tuple[int, int, bool]]:
    """Where each allergy statement of ``text`` stands, and whether it says there is none
    ("no drug allergies") or denies one ("无青霉素过敏": the denial is the allergy claim)."""
    facts = extract_allergies(text)
    return [(span.start, span.end, True) for span in facts.none_spans] + [
        (span.start, span.end, True) for denial in facts.denied for span in denial.spans] + [
        (span.start, span.end, False) for allergy in facts.allergies for span in allergy.spans]


def _inside_allergy(f: Finding, statements: list[tuple[int, int, bool]]) -> bool:
    """``f`` is said inside an allergy statement of its own polarity and names no reaction (a
    reaction is a finding of its own, however the statement is worded). Inside a denial
    ("无海鲜过敏", "no penicillin allergy") the negated allergen is the denial claim."""
    span = f.span
    return (span is not None and not names_a_reaction(span.text)
            and any(s <= span.start and span.end <= e and (none or not f.negated) for s, e, none in statements))


def _regimen_months(text: str) -> str:
    """A TB regimen's "HR" after its months written "RH" (the same drugs, same length): the
    "4HR" of "2HRZE/4HR" is four months of isoniazid and rifampicin, not four hours."""
    for drug, start, end in find_drugs(text):
        if drug in ("rh", "rhze"):
            text = text[:start] + re.sub(r"(?<=\d)(\s?)HR(?![A-Za-z])", r"\1RH", text[start:end]) + text[end:]
    return text


def meaning_of(text: str, *, as_source: bool = False) -> Meaning:
    """The comparable facts of ``text``. ``as_source``: the text is only checked against
    (its numbers outside durations, needed of a draft line, are not worked out)."""
    written = nfkc(text or "")
    text = _regimen_months(same_length_units(written))
    # a value restated in another unit in brackets ("18.4 mmol/L (about 331 mg/dL)", "39.2 °C
    # (102.6 °F)") says the value again: read once, when the conversion is exact to its rounding
    restated = _restatements(text)
    text = _blank(text, restated)
    # a number inside a name the wording tables know ("type 2 diabetes", "12-lead ECG") is
    # part of the name, as it is in "T2DM": not a number of its own; and the numbers of an
    # obstetric reading ("G2P1", "32/40", "36+2 weeks") and of a dipstick grade are
    # compared as the reading (its value), not number by number
    read = _readings(text)
    # a clock time is compared as the time ("07:00" is "早上7点"), not number by number
    clocks = clock_times(text)
    clock_spans = [(c.start, c.end) for c in clocks]
    # and an infant's age written "3/12 infant" is compared as the amount of time ("three-month-old")
    ages = age_fraction_spans(text)
    # a GCS written by its parts ("E3V4M6", "eyes 3, verbal 4, motor 6", 睁眼3分) is compared part by
    # part, a drug's resistance ("RIF resistance not detected") as the result, a score's maximum
    # ("7分（满分10分）", "seven out of ten" for "7/10") as no number of its own
    gcs_parts, gcs_spans = _gcs_parts(same_length_numbers(text))
    resistance, resistance_spans = _resistances(text)
    names = (_named_spans(text) + read.spans + [m.span(1) for m in _LIST_MARK.finditer(text)] + clock_spans
             + [(span.start, span.end) for _days, span in ages] + gcs_spans + resistance_spans
             + [m.span("max") for m in _SCORE_MAX.finditer(same_length_numbers(text))])
    out = Meaning(claims=claims_of(_blank(text, names)))
    out.gcs_parts, out.resistance = gcs_parts, resistance
    out.spans.extend(restated + gcs_spans + resistance_spans)
    out.gestations, out.gravida_para, out.grades = read.gestations, read.gravida_para, read.grades
    out.clocks = {c.minutes for c in clocks}
    for gestation in read.gestations:      # (its weeks and days are numbers it writes: "36+2/40": 36 and 2)
        out.claims.numbers.update(_num(str(n)) for n in (gestation // 7, gestation % 7) if n)
    out.spans.extend(read.spans)
    # (a number written as a word is that number to a threshold and a reading: "under two
    # seconds" is "<2 s", "capillary refill time is under two seconds" the CRT of "CRT <2 s")
    numeric = same_length_numbers(text)
    thresholds_written = thresholds(numeric)
    out.thresholds = {(t.side, t.number) for t in thresholds_written}
    extraction = extract_findings(text)
    named = {f.id for f in extraction.mentions}
    not_findings = [m.span() for m in _NOT_FINDINGS.finditer(text)]
    allergy_words = _allergy_statement_words(text)
    mentions = [f for f in extraction.mentions
                # the allergy word and the allergen of an allergy statement ("无药物过敏",
                # "磺胺类药物过敏（皮疹）", "allergic to shellfish") are the allergy, compared as
                # the allergy claim, not a drug rash or an allergen met now; its reaction stays
                if f.span is None or not _inside_allergy(f, allergy_words)
                # a finding that only qualifies another counts only beside it (_QUALIFIES)
                if any(q in named for q in _QUALIFIES.get(f.id, (f.id,)))
                # "fever > 38.5" names the temperature the threshold is about (a condition, as
                # "temperature above 38.5"), not a fever the patient has
                if f.span is None or not any(t.subject and t.span[0] <= f.span.start < t.span[1]
                                             for t in thresholds_written)
                # a word that tells how a value or a dose moves ("weight fell from 82 kg", "cut it by
                # 5 mg", "carries on", 血尿酸 uric acid) is no finding
                if f.span is None or not _VALUE_SENSE.match(text, f.span.start)
                # nor a word of a scale's, a specimen's or a test's name (_NOT_FINDINGS)
                if f.span is None or not any(s <= f.span.start and f.span.end <= e for s, e in not_findings)]
    # (a duration between two findings parts them, however it is written: "sore throat 3 days
    # runny nose 1 day" is two complaints, "chest pain for 2 hours radiating" is as written)
    durations_marked = _blank(text, [(span.start, span.end) for _days, span in find_durations(text)], mark="#")
    marks = _subject_marks(text)
    side_words = _side_words(text)
    drug_spans = find_drugs(text)
    for f in mentions:
        fid, label = _sited(text, f.id, f.span)
        out.findings.add((fid, f.negated))
        if f.span is not None and (inside := {d for d, ds, de in drug_spans
                                              if ds <= f.span.start and f.span.end <= de}):
            out.from_drugs.setdefault((fid, f.negated), set()).update(inside)
        out.subjects.add((_subject_at(marks, f.span.start if f.span is not None else -1), fid, f.negated))
        if (side := _side_of_clause(text, f.span, side_words)) is not None:
            out.sided.add((side, fid, f.negated))
        out.labels.setdefault(fid, label or f.label)
        out.certain.add((fid, f.negated, f.uncertain))
        for days in _durations_of(f, mentions, durations_marked):
            out.durations.add((fid, _days(days)))
        if f.span is not None and f.source == "note" and f.span.end > f.span.start:
            out.spans.append((f.span.start, f.span.end))
            # a broader finding written inside a present one's words is said too: "maculopapular
            # rash" says "rash" (the reader keeps the longest phrase); "no maculopapular rash"
            # does not say "no rash", and "radiating to the left arm" writes no "chest pain"
            for broader in () if f.negated else _broader_written(fid, f.span.text):
                out.findings.add((broader, False))
                out.subjects.add((_subject_at(marks, f.span.start), broader, False))
                out.certain.add((broader, False, f.uncertain))
                out.labels.setdefault(broader, load_knowledge().label(broader))
    duration_spans = []
    for _days_written, span in find_durations(text):
        out.spans.append((span.start, span.end))
        duration_spans.append((span.start, span.end))
    out.all_durations = {_days(days) for days in time_amounts(text)} | {_days(days) for days, _span in ages}
    if not as_source:
        dates = [(m.start(), m.end()) for m in DATE_RE.finditer(text)]
        # an amount of time ("30 min ago" = "half an hour ago") is compared as an amount
        amounts = [(span.start, span.end) for _, span in time_amount_spans(text)]
        # (a frequency is read before its "a day" is taken for an amount of time: "three times a day";
        # the hours of "every six hours" are the frequency's, as those of "q6h")
        frequencies = [(s, e) for _f, s, e in find_frequencies(text)]
        for days, span in (*find_durations(text), *time_amount_spans(text)):
            if any(s <= span.start and span.end <= e for s, e in frequencies):
                continue
            numerals = claims_of(span.text).numbers
            out.amounts.update((_days(days), n) for n in numerals)    # ("a day" writes no number)
        out.spans.extend(amounts)
        out.plain_numbers = claims_of(_blank(text, duration_spans + dates + names + amounts + frequencies)).numbers
    # a result with its arrow says the finding its words would: "CRP 86 ↑" is a raised CRP
    # ("CRP raised at 86"), "Hb 7.2 ↓" a low Hb, however the knowledge base words that finding
    for m in _RESULT_ARROW.finditer(text):
        flag = (m.group(2) or m.group(3)).lower()
        word = "raised" if flag in ("↑", "high", "raised", "elevated") else "low"
        for f in extract_findings(f"{word} {m.group(1)}").findings:
            if not f.negated and (f.id, False) not in out.findings:
                out.findings.add((f.id, False))
                out.subjects.add((_subject_at(marks, m.start()), f.id, False))
                out.certain.add((f.id, False, False))
                out.labels.setdefault(f.id, f.label)
    # a dipstick result says its finding, with its polarity ("protein 2+" is proteinuria, "nitrite
    # neg" no nitrite), however the line words it ("urine negative for protein", "prot ++")
    for analyte, grade in out.grades:
        for fid in _DIPSTICK_FINDINGS.get(analyte, ()):
            out.findings.add((fid, grade == 0))
            out.certain.add((fid, grade == 0, False))
            out.subjects.add((_PATIENT, fid, grade == 0))
            out.labels.setdefault(fid, load_knowledge().label(fid))
    # a weight lower (higher) than before is weight loss (gain), however the line words it:
    # "Weight 2 kg less than last visit", "体重较上次就诊减轻2kg"
    for m in _WEIGHT_MOVE.finditer(text):
        fid = "weight_loss" if m.group("down") or m.group("zdown") else "weight_gain"
        if (fid, False) not in out.findings and not any((fid, True) == f for f in out.findings):
            out.findings.add((fid, False))
            out.certain.add((fid, False, False))
            out.subjects.add((_subject_at(marks, m.start()), fid, False))
            out.labels.setdefault(fid, load_knowledge().label(fid))
    # "vomited twice" says the 2 of "vomiting x2" (not "twice daily": a frequency)
    for m in _COUNT_WORD.finditer(text):
        out.claims.numbers.add(_COUNTS[m.group(1).lower()])
        out.plain_numbers.add(_COUNTS[m.group(1).lower()])
    # the "once" of a rate is no count ("每5分钟一次" is "every 5 minutes", "每6小时1次" "q6h")
    rate_spans = [m.span("once") for m in _RATE_ONCE.finditer(text)]
    if rate_spans:
        out.plain_numbers -= {"1"} - claims_of(_blank(text, rate_spans)).numbers
        out.claims.numbers -= {"1"} - claims_of(_blank(text, rate_spans)).numbers
    # "0.5 g" is the number 500 (mg): its written value is not a number of its own (nor is
    # the "one" of "one gram")
    for m in DOSE_RE.finditer(numeric):
        value, _unit = dose_in_mg(float(m.group(1)), m.group(3))
        written = _num(m.group(1))
        if _num(str(value)) != written:
            out.claims.numbers.discard(written)
            out.plain_numbers.discard(written)
    changed_to = _dose_changes(text)
    courses = _course_spans(text)
    for med in extract_medications(text):
        key = med.key
        # (a kind of the drug written in its name is that kind's too: "甘精胰岛素" is the long-acting insulin)
        keys = [key, *(f"{key}:{kind}" for kind in _drug_kinds(key, _name_around(text, med)))]
        if med.dose and (dose := _dose_key(med.dose)) is not None:
            # "increased from 5 mg to 10 mg": the drug's dose is now the second one
            out.doses.update((k, changed_to.get(dose, dose)) for k in keys)
            # a dose by weight with the dose it comes to ("50 mg/kg = 160 mg") is both doses
            for part in med.dose.split(" = ")[1:]:
                if (computed := _dose_key(part)) is not None:
                    out.doses.update((k, computed) for k in keys)
        # how long the drug is taken: an amount of time inside its regimen ("x 5/7", "for seven days", "服两周")
        for span in med.spans:
            cut = _REGIMEN_END.search(text, span.start, span.end)
            end = cut.start() if cut is not None else span.end
            out.courses.update((k, days) for days, s, e in courses if span.start <= s and e <= end for k in keys)
        if med.frequency:
            out.frequencies.add((key, med.frequency))
        if med.route:
            out.routes.add((key, med.route))
        out.spans.extend((s.start, s.end) for s in med.spans)
    for reading in extract_vitals(numeric):
        out.measurements.add((reading.name, tuple(reading.numbers())))
        out.spans.append((reading.span.start, reading.span.end))
    out.timed, out.timed_loose = _timed_values(numeric)
    out.moves = _moves(numeric)
    out.sided_values = _sided_values(numeric)
    out.parts = _parts_named(text)
    out.stopped, out.going_on = _drug_statuses(text)
    # (with every way of writing what it writes in the wording tables: "problems passing urine" backs
    # "difficulty passing urine")
    out.words = _plain_words(text) | _plain_words(" ".join(same_wording(text)))
    for f in extraction.watched:
        # (as a finding: "fever > 38 °C" names the temperature of the threshold, a condition itself)
        if f.span is not None and any(t.subject and t.span[0] <= f.span.start < t.span[1] for t in thresholds_written):
            continue
        out.warnings.add((f.id, f.negated))
        out.labels.setdefault(f.id, f.label)
        if f.span is not None:      # (its words stay for the word checks: their polarity is compared there)
            out.sign_words.setdefault((f.id, f.negated), set()).update(_plain_words(f.span.text))
    out.sides = sides_of(text)
    # the weakest certainty the text writes ("考虑…可能": possible)
    levels = [1 if m.group("possible") else 2 for m in _hedges().finditer(text)]
    out.hedged = min(levels, default=0)
    # (a time of day inside a day's time point is that point's: "last night" is compared as a day)
    points = [m.span() for m in _wording_table("time_points")[0].finditer(text)]
    # (nor one that is a clock time's half of the day: "早上7点", "7 in the morning")
    out.times = {_time_key(m.group(0)) for m in _TIME.finditer(text)
                 if not any(s <= m.start() and m.end() <= e for s, e in points + clock_spans)}
    out.units = {(_num(m.group(1)), _unit_key(m.group(2))) for m in _RESULT_UNIT.finditer(text)}
    out.units |= _units_left_bare(written)
    out.orders = wording_keys(text, "orders")
    if _REFER_ZH.search(text):
        out.orders.add("referral")
    out.relations = wording_keys(text, "relations")
    out.destinations = _destinations(text)
    # (the emergency department is a place, not how soon: "bring in via ED now" is "to the
    # emergency department now")
    out.urgency = wording_keys(_PLACE_NOT_URGENCY.sub(lambda m: " " * len(m.group(0)), text), "urgency")
    out.pending = wording_keys(text, "pending")
    # (a safety-net's condition is no course: "return if it is getting worse", 如病情加重)
    out.trend = wording_keys(_CONDITION_CLAUSE.sub(lambda m: " " * len(m.group(0)), text), "trend")
    out.severity = wording_keys(text, "severity")
    out.points = wording_keys(text, "time_points")
    out.sequence = wording_keys(text, "sequence") - {"neither"}
    out.worded = [m.span() for pattern in (_hedges(), _TIME, *(_wording_table(t)[0] for t in _FACT_TABLES))
                  for m in pattern.finditer(text)]
    out.worded.extend((t.span[0], _word_end(text, numeric, t.span[1])) for t in thresholds_written)
    out.worded.extend(clock_spans)
    # a frequency and a route are compared as the medication's ("每日三次" for "tid", "口服" for
    # "po", "by mouth"), and a free one as the text's (:func:`unsupported`), not word by word
    out.worded.extend((s, e) for _f, s, e in (*find_frequencies(text), *find_routes(text)))
    if out.relations:
        out.relations.add(_FAMILY_HISTORY)     # a relative's illness is a family history
    if out.gestations or out.gravida_para or any(fid in _gestation_bands() for fid, _neg in out.findings):
        # an obstetric reading or a gestational-age band ("at 32 weeks": late pregnancy) states
        # the gestation ("G2P1" is the lexicon's gestation_stated)
        out.findings.add((GESTATION_STATED, False))
        out.subjects.add((_PATIENT, GESTATION_STATED, False))
        out.labels.setdefault(GESTATION_STATED, load_knowledge().label(GESTATION_STATED))
    return out



# A value written again in another unit, in brackets after it: (unit, other unit) -> the
# conversions (glucose 1 mmol/L = 18.0 mg/dL (18.016 by molar mass); °F = °C x 9/5 + 32; 1 g/dL =
# 10 g/L; 1 kg = 2.2046 lb; 1 in = 2.54 cm). Kept only when exact to the rounding written.
_CONVERSIONS: dict[tuple[str, str], tuple[float, ...]] = {
    ("mmol/l", "mg/dl"): (18.0, 18.016), ("mg/dl", "mmol/l"): (1 / 18.0, 1 / 18.016),
    ("g/dl", "g/l"): (10.0,), ("g/l", "g/dl"): (0.1,), ("kg", "lb"): (2.2046,), ("lb", "kg"): (1 / 2.2046,),
    ("cm", "in"): (1 / 2.54,), ("in", "cm"): (2.54,)}
_UNIT_RE = r"mmol/l|mg/dl|g/dl|g/l|°c|°f|kg|lbs?|cm|in"
_RESTATED = re.compile(rf"(?<![\d.])(?P<a>\d+(?:\.\d+)?)\s*(?P<u1>{_UNIT_RE})\s*(?P<br>[（(]\s*(?:about|approx\.?|approximately|"
                       rf"around|roughly|~|≈|约)?\s*(?P<b>\d+(?:\.\d+)?)\s*(?P<u2>{_UNIT_RE})\s*[)）])", re.IGNORECASE)


def _converts(a: float, unit: str, b: str, other: str) -> bool:
    decimals = len(b.split(".")[1]) if "." in b else 0
    unit, other = unit.lower().rstrip("s"), other.lower().rstrip("s")
    if (unit, other) == ("°c", "°f"):
        values = [a * 9 / 5 + 32]
    elif (unit, other) == ("°f", "°c"):
        values = [(a - 32) * 5 / 9]
    else:
        values = [a * f for f in _CONVERSIONS.get((unit, other), ())]
    return any(abs(v - float(b)) <= 0.5 * 10 ** -decimals + 1e-9 for v in values)


def _restatements(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a value again in another unit, in brackets, exactly converted."""
    numeric = same_length_numbers(text)
    return [m.span("br") for m in _RESTATED.finditer(numeric)
            if _converts(float(m.group("a")), m.group("u1"), m.group("b"), m.group("u2"))]


# A dipstick result's finding (WHO Laboratory Manual, reagent-strip urinalysis): the analyte of
# [dipstick] -> the knowledge base's findings it says, present for a grade, absent for negative.
_DIPSTICK_FINDINGS = {"protein": ("proteinuria",), "glucose": ("glycosuria",), "ketones": ("ketonuria",),
                      "nitrite": ("urine_nitrite",), "leucocytes": ("urine_nitrite",), "blood": ("haematuria",)}

# A weight that moved, its direction in words ("Weight 2 kg less than last visit", "Wt up 3 kg",
# "体重较上次就诊减轻2kg"): weight loss or gain.
_WEIGHT_MOVE = re.compile(
    r"\b(?:weight|wt)\b(?!\s*-?\s*bear)[^.;,\n]{0,30}?\b(?:(?P<down>less|lower|down|lost|dropped|fallen|fell|decreased|reduced)|"
    r"(?:more|higher|up|gained|increased|risen|rose))\b"
    # (not a value moving from one reading to another, "weight fell from 82 kg to 79 kg": compared as the readings)
    r"(?!\s+(?:back\s+)?(?:down\s+|up\s+)?(?:from|to)\s+\d)|"
    r"体重[^，。；,;\n]{0,10}?(?:(?P<zdown>减轻|下降|减少|降低|轻了)|(?:增加|上升|增长|重了))", re.IGNORECASE)

# A value that moved from one reading to another ("BP down from 170/100 to 150/92", "come down to
# 150/92 from 170/100", "由上次170/100mmHg降至150/92mmHg", "现为150/92（上次170/100）"): which is
# the earlier reading. A rewording that turns it round changes the trend.
_VALUE = r"\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?"
_MOVE = re.compile(
    rf"(?:\bfrom|由|从)\s*(?:上次|last\s+time)?\s*(?P<a>{_VALUE})[^\d,;，；。]{{0,14}}?(?:\bto\b|至|到)\s*(?P<b>{_VALUE})|"
    rf"\bto\s+(?P<b2>{_VALUE})[^\d,;.]{{0,14}}?\bfrom\s+(?P<a2>{_VALUE})|"
    rf"(?:现为|现|\bnow\b)\s*(?P<b3>{_VALUE})[^\d,;，；。]{{0,12}}?[（(]\s*(?:上次|previously|was)\s*(?:为)?\s*(?P<a3>{_VALUE})",
    re.IGNORECASE)


def _moves(numeric: str) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for m in _MOVE.finditer(numeric):
        a, b = m.group("a") or m.group("a2") or m.group("a3"), m.group("b") or m.group("b2") or m.group("b3")
        out.add((a, b))
    return out


_NUMBER_VALUE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?:\s*/\s*\d+(?:\.\d+)?)?")


def _sided_values(numeric: str) -> set[tuple[str, str]]:
    """(side, value) of each clause that names one side, left or right, and values ("左侧肢体肌力4级",
    "power 4/5 L arm": the 4; a scale after a slash is not the value)."""
    out: set[tuple[str, str]] = set()
    at = 0
    for cut in [*(m.start() for m in _CLAUSE_CUT.finditer(numeric)), len(numeric)]:
        clause, at = numeric[at:cut], cut + 1
        sides = {side for _pos, side in _side_words(clause)}
        if len(sides) == 1 and sides <= {"left", "right"}:
            out.update((next(iter(sides)), _num(m.group(1))) for m in _NUMBER_VALUE.finditer(clause))
    return out


@lru_cache(maxsize=1)
def _part_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    part_of = {alias: part for part, aliases in load_wording().body_parts.items() for alias in aliases}
    words = sorted(part_of, key=len, reverse=True)
    return re.compile("|".join(_whole(a) if a.isascii() else re.escape(a) for a in words), re.IGNORECASE), part_of


def _parts_named(text: str) -> set[str]:
    pattern, part_of = _part_pattern()
    return {part_of[m.group(0).lower()] for m in pattern.finditer(text)}


# Paired organs a line examines as a pair when it names no side: "lungs clear" / "两肺听诊清晰",
# "pupils equal and reactive" / "双侧瞳孔等大等圆" (both is what it says).
_PAIRED_BY_DEFAULT = frozenset({"lung", "pupil"})


# The fetal position (lie of the occiput): LOA / 左枕前 / "left occipito-anterior". Its side is the
# occiput's, a part of its own, not a side of the mother's body.
_FETAL_POSITION = re.compile(r"(?<![A-Za-z])(?P<s>[LR])O(?P<p>[APT])(?![A-Za-z])|(?P<zs>[左右])枕(?P<zp>前|后|横)|"
                             r"\b(?P<ws>[Ll]eft|[Rr]ight)\s+occipit(?:o-?|al\s+|\s+)?(?P<wp>anterior|posterior|transverse)")
_FETAL_PART = {"A": "anterior", "P": "posterior", "T": "transverse", "前": "anterior", "后": "posterior", "横": "transverse",
               "anterior": "anterior", "posterior": "posterior", "transverse": "transverse"}
_FETAL_SIDE = {"l": "left", "r": "right", "左": "left", "右": "right", "left": "left", "right": "right"}


# Findings the knowledge base reads from a word that, here, is part of a name: a scale ("Glasgow
# Coma Scale" is no coma, 格拉斯哥昏迷评分), a specimen ("sputum smear", 痰涂片: no cough), a
# nucleic-acid test of a named organism ("结核分枝杆菌核酸检测" is no COVID test), a drug's
# resistance ("RIF resistance": no right iliac fossa, no drug given), a sign of a number
# ("JVP +4 cm" is no raised JVP).
_NOT_FINDINGS = re.compile(
    r"\bglasgow\s+coma\s+(?:scale|score)|格拉斯哥昏迷(?:评分|量表|指数)|昏迷评分|"
    r"\bsputum(?=\s*(?:afb|smears?|cultures?|samples?|specimens?|microscopy|genexpert|xpert|gene\s*xpert)\b)|"
    r"\bsputum\s+(?:afb\s+)?smears?|痰(?=涂片|抗酸|培养|标本|检)|"
    r"(?<=结核分枝杆菌)核酸检测|(?<=结核杆菌)核酸检测|(?<=乙肝病毒)核酸检测|(?<=HBV)\s*核酸检测|"
    r"\b(?:rif|rifampicin|rifampin|inh|isoniazid)\s*-?\s*resist\w*|(?:利福平|异烟肼)耐药|"
    r"\bjvp\s*(?:at\s+)?\+(?=\s*\d)", re.IGNORECASE)


# A drug's resistance as a test reports it (GeneXpert MTB/RIF: WHO consolidated guidelines on
# tuberculosis, module 3, 2021): the drug and whether the resistance is found. Its clause
# negates it ("RIF resistance not detected", "no rifampicin resistance detected", 利福平耐药未检出).
_RESISTANCE = re.compile(r"\b(?P<d>rif|rifampicin|rifampin|inh|isoniazid)\s*-?\s*resist\w*|(?P<z>利福平|异烟肼)耐药",
                         re.IGNORECASE)
_RESISTANT_DRUG = {"rif": "rifampicin", "rifampicin": "rifampicin", "rifampin": "rifampicin", "利福平": "rifampicin",
                   "inh": "isoniazid", "isoniazid": "isoniazid", "异烟肼": "isoniazid"}
# One side compared with the other ("weakness L>R", "left more than right", "R<L", 左>右,
# 左侧重于右侧): a fact of its own, the greater side first ("left>right"), not two sides of no
# part. Flipping it ("R>L") changes the meaning.
_SIDE_WORD = r"(?:\b(?:L|R|[Ll]eft|[Rr]ight|LT|RT|[Ll]t|[Rr]t)\b|左侧?|右侧?)"
_SIDE_COMPARE = re.compile(
    rf"(?P<a>{_SIDE_WORD})\s*(?:(?P<more>>|more\s+than|greater\s+than|worse\s+than|重于|较重于|大于)"
    rf"|(?P<less><|less\s+than|smaller\s+than|轻于|小于))\s*(?P<b>{_SIDE_WORD})")


def _compare_side(word: str) -> str:
    return "left" if word[:1].lower() == "l" or word.startswith("左") else "right"


_CLAUSE_CUT = re.compile(r"[,;:，；：。\n]|\.(?!\d)")
_RESULT_NOT = re.compile(r"\b(?:no|not|negative|without)\b|未|无|阴性|不", re.IGNORECASE)


def _clause_at(text: str, start: int, end: int) -> str:
    cuts = [m.end() for m in _CLAUSE_CUT.finditer(text, 0, start)]
    after = _CLAUSE_CUT.search(text, end)
    return text[cuts[-1] if cuts else 0:after.start() if after else len(text)]


def _resistances(text: str) -> tuple[set[tuple[str, bool]], list[tuple[int, int]]]:
    out: set[tuple[str, bool]] = set()
    spans: list[tuple[int, int]] = []
    for m in _RESISTANCE.finditer(text):
        drug = _RESISTANT_DRUG[(m.group("d") or m.group("z")).lower()]
        clause = _clause_at(text, m.start(), m.end())
        out.add((drug, bool(_RESULT_NOT.search(clause.replace(m.group(0), " ")))))
        spans.append(m.span())
    return out, spans


# The Glasgow Coma Scale by its parts (Teasdale & Jennett; E1-4, V1-5 or T, M1-6): "E3V4M6",
# "eyes 3, verbal 4, motor 6", "睁眼3分、语言4分、运动6分". Compared part by part.
_GCS_SHORT = re.compile(r"\bE\s*(?P<e>[1-4])\s*V\s*(?P<v>[1-5]|T)\s*M\s*(?P<m>[1-6])\b", re.IGNORECASE)
_GCS_WORDS = re.compile(r"(?P<k>\beyes?(?:\s+opening)?|\bverbal(?:\s+response)?|\bmotor(?:\s+response)?|睁眼|语言|言语|运动)"
                        r"\s*(?:[:=：]|score|of|is)?\s*(?P<n>[1-6])(?!\d)\s*分?", re.IGNORECASE)
_GCS_KEY = {"eye": "e", "eyes": "e", "睁眼": "e", "verbal": "v", "语言": "v", "言语": "v", "motor": "m", "运动": "m"}


def _gcs_parts(numeric: str) -> tuple[set[tuple[str, str]], list[tuple[int, int]]]:
    out: set[tuple[str, str]] = set()
    spans = []
    for m in _GCS_SHORT.finditer(numeric):
        out |= {("e", m.group("e")), ("v", m.group("v").upper()), ("m", m.group("m"))}
        spans.append(m.span())
    worded = [m for m in _GCS_WORDS.finditer(numeric)]
    keys = {_GCS_KEY[m.group("k").split()[0].lower()] for m in worded}
    if len(keys) == 3:          # (all three parts: "motor 6" alone may be something else)
        for m in worded:
            out.add((_GCS_KEY[m.group("k").split()[0].lower()], m.group("n")))
            spans.append(m.span())
    return out, spans


# A score's maximum written after it ("7分（满分10分）", "seven out of ten"): the scale, not a number
# of the line ("7/10" is read as the 7).
_SCORE_MAX = re.compile(r"(?<=\d)\s*(?:分?\s*[（(]\s*满分\s*|\s*out\s+of\s+)(?P<max>10)(?!\d)(?:\s*分?\s*[)）])?",
                        re.IGNORECASE)


def _broader_written(fid: str, words: str) -> list[str]:
    """The broader findings of ``fid`` (SCHEMA.md §2b) that one of their own phrases names inside
    ``words`` ("rash" in "maculopapular rash")."""
    kb = load_knowledge()
    words = words.lower()
    out = []
    for broader in sorted(kb.broader.get(fid, frozenset())):
        fd = kb.findings.get(broader)
        if fd is None:
            continue
        if any(re.search(rf"(?<![a-z]){re.escape(p.lower())}(?![a-z])", words) for p in fd.en if len(p) >= 3) \
                or any(p in words for p in fd.zh if len(p) >= 2):
            out.append(broader)
    return out


@lru_cache(maxsize=1)
def _gestation_bands() -> frozenset[str]:
    """The knowledge base's gestational-age bands: findings whose phrases write weeks of
    gestation ("32/40"): late_pregnancy, preterm_gestation, term_gestation..."""
    return frozenset(fd.id for fd in load_knowledge().findings.values() if any(p.endswith("/40") for p in fd.en))


def _durations_of(f: Finding, mentions: list[Finding], text: str) -> set[float]:
    """The durations of finding ``f``: its own, and those of the findings written as one
    complaint with it - read from the same words, or joined by words alone, no list word,
    conjunction, negation, duration or punctuation between (``text`` with its durations
    marked: "cough productive of green sputum x 1/52" and "one week of cough producing green
    sputum": the week is the cough's and the sputum's, whichever the reader gave it to)."""
    own = {f.duration_days} if f.duration_days is not None else set()
    if f.span is None or f.span.end <= f.span.start:
        return own
    for g in mentions:
        if g.duration_days is None or g.negated != f.negated or g.span is None or g.span.end <= g.span.start:
            continue
        first, second = sorted((f.span, g.span), key=lambda sp: sp.start)
        gap = text[first.end:second.start] if second.start > first.end else ""
        if len(gap) <= _ONE_COMPLAINT_GAP and not _NOT_ONE_COMPLAINT.search(gap):
            own.add(g.duration_days)
    return own


_ONE_COMPLAINT_GAP = 20     # characters between two findings of one complaint
_NOT_ONE_COMPLAINT = re.compile(
    r"[^\sA-Za-z\u4e00-\u9fff]|\b(?:and|or|nor|with|without|plus|but|also|then|no|not|nil|denies|after|before|"
    r"since|while|x)\b|[和及与伴并或且无不没未否后前]", re.IGNORECASE)


@dataclass(slots=True)
class _Readings:
    gestations: set[int] = field(default_factory=set)
    gravida_para: set[tuple[int | None, int | None]] = field(default_factory=set)
    grades: set[tuple[str, float]] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _readings(text: str) -> _Readings:
    """The obstetric readings and dipstick grades of ``text``, with where they are written."""
    out = _Readings()
    for days, span in find_gestations(text):
        out.gestations.add(days)
        out.spans.append((span.start, span.end))
    for gravida, para, span in gravida_para(text):
        out.gravida_para.add((gravida, para))
        out.spans.append((span.start, span.end))
    for analyte, grade, span in dipstick_grades(text):
        out.grades.add((analyte, grade))
        out.spans.append((span.start, span.end))
    return out


# Where a finding is: "crackles at the right base" is the lexicon's "right basal crackles",
# "swelling of the left calf" its "left calf swollen", 右肺底可闻及湿啰音 its 右肺底湿啰音. A
# finding of the knowledge base written as a body part and another finding ("basal" +
# "crackles", 小腿 + 肿胀) is read for that other finding when its clause names the part.
_CLAUSE_END = re.compile(r"[,.;:，。；：、\n]")


@lru_cache(maxsize=1)
def _sited_findings() -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    """(finding, body part) -> [(sited finding, the part's wording in its phrase, its label)],
    from the knowledge base's phrases and the body parts of ``wording.toml``."""
    kb = load_knowledge()
    part_of = {alias: part for part, aliases in load_wording().body_parts.items() for alias in aliases}
    owner: dict[str, set[str]] = {}
    for fd in kb.findings.values():
        for phrase in fd.en + fd.zh:
            owner.setdefault(phrase.lower(), set()).add(fd.id)
    # an English part is a whole first or last word run of the phrase, a Chinese one its
    # opening characters: look those up (in the order of ``part_of``) rather than trying
    # every part on each of the ~150,000 phrases
    order = {alias: i for i, alias in enumerate(part_of)}
    longest_zh = max((len(a) for a in part_of if not a.isascii()), default=0)
    out: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for fd in kb.findings.values():
        for phrase in (p.lower() for p in fd.en + fd.zh):
            found: dict[str, list[str]] = {}
            for k, char in enumerate(phrase):
                if char != " ":
                    continue
                head, tail = phrase[:k], phrase[k + 1:]
                if head in order and head.isascii():
                    found.setdefault(head, ["", ""])[0] = tail
                if tail in order and tail.isascii():
                    found.setdefault(tail, ["", ""])[1] = head
            for n in range(1, min(longest_zh, len(phrase)) + 1):
                head = phrase[:n]
                if head in order and not head.isascii():
                    found[head] = [phrase[n:]]
            for alias in sorted(found, key=order.__getitem__):
                part, rests = part_of[alias], found[alias]
                for rest in filter(None, rests):
                    for general in owner.get(rest, set()) - {fd.id}:
                        entry = (fd.id, alias, fd.label_en)
                        if entry not in out.setdefault((general, part), []):
                            out[(general, part)].append(entry)
    return out


def _sited(text: str, fid: str, span: Span | None) -> tuple[str, str | None]:
    """The sited finding ``fid`` written at ``span`` is, when its clause names the part in
    a form of the sited finding's own word for it (see ``_sited_findings``; exactly one
    such finding); else ``fid`` itself. Returns (id, its label or None)."""
    if span is None or span.end <= span.start:
        return fid, None
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, span.start)]
    end = _CLAUSE_END.search(text, span.end)
    clause = text[starts[-1] if starts else 0:end.start() if end else len(text)].lower()
    part_of = {alias: part for part, aliases in load_wording().body_parts.items() for alias in aliases}
    written = [alias for alias in part_of if (re.search(rf"\b{re.escape(alias)}\b", clause) if alias.isascii()
                                              else alias in clause)]
    choices = {(other, label) for alias in written for other, own, label in _sited_findings().get((fid, part_of[alias]), [])
               if _same_word(own, alias)}
    if len(choices) != 1:
        return fid, None
    return next(iter(choices))


def _same_word(a: str, b: str) -> bool:
    """One word of the part in two forms: "base" / "basal" / "bases", "calf" / "calves"
    (English: the same first three letters, one word each); Chinese as written."""
    if not (a.isascii() and b.isascii()):
        return a == b
    return a == b or (" " not in a + b and len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3])


_PATIENT = "patient"
# A sentence ends at its punctuation or a line break (not a decimal point: "38.5").
_SENTENCE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|[;!?\n。；！？]")


def _subject_marks(text: str) -> list[tuple[int, int, str]]:
    """Where whose findings start in ``text``: (start, end of the word that starts them,
    "patient" or a [relation] key), in order. A relative starts theirs, unless they only
    tell what the patient has ("mother reports", "according to his wife", 其母代诉) or are
    spoken to ("spoke to daughter"); the patient's words, the staff's ("nurse repeated temp")
    and a sentence's end start the patient's again (wording.toml [subject])."""
    relation, relative_of = _wording_table("relations")
    words = _subject_words()
    marks = [(m.start(), m.end(), _PATIENT) for m in _SENTENCE_END.finditer(text)]
    marks += [(m.start(), m.end(), _PATIENT) for m in words["patient"].finditer(text)]
    marks += [(m.start(), m.end(), _PATIENT) for m in words["staff"].finditer(text)]
    for m in relation.finditer(text):
        before = text[max(0, m.start() - 30):m.start()]
        teller = (words["teller_after"].match(text, m.end()) is not None
                  or words["teller_before"].search(before) is not None
                  or words["spoken_to"].search(before) is not None)
        marks.append((m.start(), m.end(), _PATIENT if teller else relative_of[m.group(0).lower()]))
    return sorted(marks)


def _subject_at(marks: list[tuple[int, int, str]], pos: int) -> str:
    """Whose finding is written at ``pos`` (the last mark ending at or before it; the
    patient's when there is none)."""
    whose = _PATIENT
    for _start, end, key in marks:
        if end > pos:
            break
        whose = key
    return whose


def subject_parts(text: str) -> list[tuple[str, str]]:
    """``text`` cut where whose words they are changes: (whose, the words), the words that
    name the person left out ("sibling at home has impetigo; patient's skin clear": the
    sibling's " at home has impetigo", the patient's " skin clear.")."""
    text = nfkc(text)
    parts, whose, at = [], _PATIENT, 0
    for start, end, key in _subject_marks(text):
        if start >= at:
            parts.append((whose, text[at:start]))
        whose, at = key, max(at, end)
    parts.append((whose, text[at:]))
    return [(w, words) for w, words in parts if words.strip()]


def same_person(subject: str, other: str) -> bool:
    """One person: the same key, or a family history and a relative."""
    return subject == other or (_PATIENT not in (subject, other) and _FAMILY_HISTORY in (subject, other))


@lru_cache(maxsize=1)
def _subject_words() -> dict[str, re.Pattern[str]]:
    """[subject] of wording.toml as patterns: the patient's words; the telling words right
    after a relative; the words right before one ("according to (his) mother")."""
    table = load_wording().subjects

    def alternation(key: str) -> str:
        return "|".join(_whole(a) if a.isascii() else re.escape(a) for a in sorted(table[key], key=len, reverse=True))
    return {"patient": re.compile(alternation("patient"), re.IGNORECASE),
            "teller_after": re.compile(rf"\s*(?:{alternation('teller_after')})", re.IGNORECASE),
            "teller_before": re.compile(rf"(?:{alternation('teller_before')})\s*(?:the|his|her|their|its|"
                                        r"patient's|pt's|患儿|患者)?\s*$", re.IGNORECASE),
            "staff": re.compile(alternation("staff"), re.IGNORECASE),
            "spoken_to": re.compile(rf"(?:{alternation('spoken_to')})\s*(?:(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*)?(?:to|with)?\s*"
                                    r"(?:the|his|her|their|its|patient's|pt's|患儿|患者)?\s*$", re.IGNORECASE)}


# A Chinese referral written as the move to a clinic or department ("转精神专科门诊", "转普外科",
# "转至上级医院"): a referral, as 转诊 is ("好转", "逆转" are no move; a clause ends it).
_REFER_ZH = re.compile(r"(?<![好逆旋翻运扭周流轮])转(?:诊)?(?:至|到|往)?[\u4e00-\u9fff]{0,8}?(?:门诊|专科|科|医院|中心)")


def _destinations(text: str) -> set[str]:
    """Where the referrals of ``text`` send the patient ([destination] of wording.toml), read in
    a clause that refers, transfers or admits ("refer memory clinic", "Urgent referral to paeds",
    "转上级医院心内科"): a department named elsewhere is no destination ("No focal neurology",
    "ENT: R TM bulging", "no psychiatric history")."""
    out: set[str] = set()
    at = 0
    for cut in [*(m.start() for m in _CLAUSE_CUT.finditer(text)), len(text)]:
        clause, at = text[at:cut], cut + 1
        if wording_keys(clause, "orders") & {"referral", "admission"} or _REFER_ZH.search(clause):
            out |= wording_keys(clause, "destinations")
    return out


_CONDITION_CLAUSE = re.compile(r"\b(?:if|unless|should)\b[^.;:\n]*|(?:如果|如|若|一旦)[^。；，\n]*", re.IGNORECASE)
_PLACE_NOT_URGENCY = re.compile(r"\bemergency\s+(?:department|dept|room|unit|ward)s?\b|急诊科", re.IGNORECASE)


_FAMILY_HISTORY = "family_history"
_FACT_TABLES = ("orders", "relations", "urgency", "time_points", "sequence", "pending", "activities",
                "trend", "severity")      # tables whose keys are facts of a line
# (a department's words are facts only in a referral's clause (_destinations): elsewhere they are words
# a source must back, "book a cystoscopy with urology colleagues")
_WORDING_TABLES = (*_FACT_TABLES, "destinations", "same_words", "thresholds", "thresholds_after")


@lru_cache(maxsize=len(_WORDING_TABLES))
def _wording_table(table: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One table of ``wording.toml`` ([order], [relation], [urgency], [same_words]) as a pattern of all
    its wordings (longest first; English as whole words) and wording -> key."""
    aliases: dict[str, tuple[str, ...]] = getattr(load_wording(), table)
    key_of = {alias: key for key, forms in aliases.items() for alias in forms}
    parts = [_whole(a) if a.isascii() else re.escape(a) for a in sorted(key_of, key=len, reverse=True)]
    return re.compile("|".join(parts), re.IGNORECASE), key_of


@lru_cache(maxsize=1)
def _unit_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """``wording.toml [unit_word]`` as one pattern of the written-out units right after a
    number (longest first; English as whole words), and written form -> symbol."""
    symbol_of = {form: symbol for symbol, forms in load_wording().unit_words.items() for form in forms}
    # (升 before 至/到/高/为 is the verb "rose": "肌酐从120升到185" is no litre)
    parts = [re.escape(f) + (r"(?![a-z])" if f[-1].isalpha() and f.isascii() else r"(?![至到高为])" if f == "升" else "")
             for f in sorted(symbol_of, key=len, reverse=True)]
    return re.compile(r"(?<=\d)\s*(" + "|".join(parts) + ")", re.IGNORECASE), symbol_of


# "138 over 84" is a blood pressure written as words: 138/84
_OVER = re.compile(r"(?<![\d.])(\d{2,3})\s+over\s+(\d{2,3})(?![\d.])", re.IGNORECASE)


def same_length_units(text: str) -> str:
    """``text`` with each unit written out after a number ("39.2 degrees Celsius", "88毫米汞柱",
    "nine grams" once the number is read) as its symbol, and "138 over 84" as "138/84",
    padded to the written length so every other reader's spans still hold."""
    pattern, symbol_of = _unit_words()
    chars = list(text)

    def put(start: int, end: int, new: str) -> bool:
        if len(new) <= end - start:
            chars[start:end] = list(new.ljust(end - start))
        return len(new) <= end - start

    for m in pattern.finditer(same_length_numbers(text)):
        # (a symbol longer than its Chinese name, 毫摩尔/升 for mmol/L, leaves the number bare)
        if not put(m.start(1), m.end(1), symbol_of[m.group(1).lower()]):
            put(m.start(1), m.end(1), "")
    for m in _OVER.finditer(text):
        put(m.start(), m.end(), f"{m.group(1)}/{m.group(2)}")
    for m in _PER_KG.finditer(text):
        unit = _PER_KG_UNIT.get(m.group("zu") or "", m.group("u") or "")
        put(m.start(), m.end(), f"{m.group('n') or m.group('zn')}{unit}/kg")
    # one unit of two written for one quantity, exactly converted: a haemoglobin (albumin) in g/dL is
    # ten times the value in g/L ("Hb 72 g/L" = "7.2 g/dL"), a height in metres a hundred times in cm
    # ("1.70 m" = "170 cm")
    for m in _HB_PER_LITRE.finditer("".join(chars)):
        for group in ("v", "w"):
            if m.group(group):
                put(m.start(group), m.end(f"{group}u"), f"{float(m.group(group)) / 10:.10g}")
    for m in _HEIGHT_METRES.finditer(text):
        if not put(m.start(), m.end(), f"{float(m.group(1)) * 100:.10g} cm"):
            put(m.start(), m.end(), f"{float(m.group(1)) * 100:.10g}cm")
    return "".join(chars)


# (a haemoglobin in g/L, after its name or in brackets after it, "Hb 72g/L（3月份为91g/L）", is
# written as the bare value in g/dL, the Hb reader's default, "7.2": "血红蛋白7.2g/dL"); the unit
# ends at any character but a Latin letter ("92 g/L偏低": a Chinese word after it is no part of it)
_HB_PER_LITRE = re.compile(r"(?:\b(?:hb|hgb|ha?emoglobin)|(?<!糖化)血红蛋白)\s*(?:[:=：]|is|was|为)?\s*(?P<v>\d{2,3}(?:\.\d)?)"
                           r"(?P<vu>\s*g\s*/\s*l)(?![a-z])(?:\s*[（(][^）)]{0,8}?(?<![\d.])(?P<w>\d{2,3}(?:\.\d)?)(?P<wu>\s*g\s*/\s*l)(?![a-z]))?",
                           re.IGNORECASE)
_HEIGHT_METRES = re.compile(r"(?<![\d.])([12]\.\d{1,2})\s*m\b(?![/²2])")


# A dose by weight written out: "按每公斤50毫克", "15 mg per kg" are 50 mg/kg and 15 mg/kg.
_PER_KG = re.compile(r"每(?:公斤|千克)\s*(?P<zn>\d+(?:\.\d+)?)\s*(?P<zu>毫克|毫升|微克|单位)|"
                     r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s*(?P<u>mg|ml|mcg)\s+(?:per|a|each)\s+(?:kg|kilogram)\b",
                     re.IGNORECASE)
_PER_KG_UNIT = {"毫克": "mg", "毫升": "ml", "微克": "μg", "单位": "U"}


_NUMBER_END = re.compile(r"(\d+(?:\.\d+)?)\s*$")


def _units_left_bare(text: str) -> set[tuple[str, str]]:
    """(number, unit) of each unit written out whose symbol is longer than its name, which
    :func:`same_length_units` leaves bare (85毫摩尔/升 is 85 mmol/L, not 85 μmol/L)."""
    pattern, symbol_of = _unit_words()
    out = set()
    numeric = same_length_numbers(text)
    for m in pattern.finditer(numeric):
        symbol = symbol_of[m.group(1).lower()]
        if len(symbol) > len(m.group(1)) and (number := _NUMBER_END.search(numeric[:m.start()])):
            out.add((_num(number.group(1)), _unit_key(symbol)))
    return out


def _whole(alias: str) -> str:
    """An English wording as whole words (a boundary only where the wording starts or ends
    with a letter or digit: "/min" in "20/min")."""
    before = r"(?<![a-z0-9])" if alias[0].isalnum() else ""
    after = r"(?![a-z0-9])" if alias[-1].isalnum() else ""
    return before + re.escape(alias) + after


def _named_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes a wording of the tables that has a digit in it (or a number word:
    "heart sounds one and two" for "HS I+II")."""
    return [m.span() for table in _WORDING_TABLES for m in _wording_table(table)[0].finditer(text)
            if any(ch.isdigit() for ch in same_length_numbers(m.group(0)))]


def wording_keys(text: str, table: str) -> set[str]:
    """The keys of ``table`` that ``text`` writes in any of their wordings."""
    pattern, key_of = _wording_table(table)
    return {key_of[m.group(0).lower()] for m in pattern.finditer(nfkc(text))}


def wording_spans(text: str, table: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of each wording of ``table`` that ``text`` writes."""
    pattern, key_of = _wording_table(table)
    return [(m.start(), m.end(), key_of[m.group(0).lower()]) for m in pattern.finditer(nfkc(text))]


def wording_forms(table: str, key: str) -> set[str]:
    """Every way of writing ``key`` of a wording table."""
    forms: dict[str, tuple[str, ...]] = getattr(load_wording(), table)
    return set(forms.get(key, ()))


def same_wording(text: str) -> set[str]:
    """Every way of writing what ``text`` writes in one of the wording tables ("FHx" in the
    text gives "family history" and 家族史 too): words a rewording may use for them."""
    out: set[str] = set()
    for table in _WORDING_TABLES:
        forms: dict[str, tuple[str, ...]] = getattr(load_wording(), table)
        for key in wording_keys(text, table):
            out.update(forms[key])
    return out


# How sure the writer is of a diagnosis or finding: a draft line that says "possible" or
# 疑似 is not the same as one that says it outright (and the other way round). The words of
# each degree are cue data (``cues.toml [uncertainty]``).
@lru_cache(maxsize=1)
def _hedges() -> re.Pattern[str]:
    """Every hedge of ``cues.toml [uncertainty]`` as one pattern, a named group per degree
    (longest wording first; English as whole words)."""
    degree_of = {word: degree for degree, words in load_cues().degrees.items() for word in words}
    groups: dict[str, list[str]] = {degree: [] for degree in DEGREES}
    for word in sorted(degree_of, key=len, reverse=True):
        groups[degree_of[word]].append(_whole(word) if word.isascii() else re.escape(word))
    return re.compile("|".join(f"(?P<{degree}>{'|'.join(words)})" for degree, words in groups.items()),
                      re.IGNORECASE)


# When a medicine is taken or a thing happens in the day: "before breakfast" is not "after
# dinner", 早餐前 is not 晚餐后. Read as words (spelling variants folded to one key).
_TIME = re.compile(
    r"\b(?:before|after|with)\s+(?:breakfast|lunch|dinner|supper|meals?|food)\b|\bbedtime\b|"
    r"\bin (?:the )?am\b|\bmornings?\b|\bevenings?\b|\bafternoons?\b|\bnights?\b|\bnocturnal\b|\bnocte\b|\bmane\b|\bon waking\b|"
    r"(?:(?<=mg )|(?<=mcg )|(?<=gel )|(?<=cream ))on\b(?=\s*(?:[,.;)]|$))|"
    r"\bempty stomach\b|[早午晚]餐[前后]|饭[前后]|餐[前后]|睡前|晨起|空腹|早上|晚上|中午|夜间",
    re.IGNORECASE)
_TIME_WORDS = {"in am": "morning", "in the am": "morning", "nocte": "night", "nights": "night", "mane": "morning", "mornings": "morning",
               "evenings": "evening", "afternoons": "afternoon", "supper": "dinner",
               "after supper": "after dinner", "before supper": "before dinner",
               "饭前": "餐前", "饭后": "餐后", "早上": "晨起", "夜间": "晚上", "nocturnal": "night",
               # a medicine taken "nocte" is taken at bedtime (睡前), "with food" with meals
               "bedtime": "night", "睡前": "晚上", "on": "night"}
_MEAL_WORDS = re.compile(r"\b(?:meal|food)\b", re.IGNORECASE)


def _time_key(written: str) -> str:
    """One key for the ways of writing one time of day ("nocte", "at night", "bedtime";
    "with food", "with meals")."""
    key = re.sub(r"\s+", " ", written.lower())
    key = _MEAL_WORDS.sub("meals", key)
    return _TIME_WORDS.get(key, key)
# A result with its unit: "creatinine 145 μmol/L" is not 145 mmol/L.
_RESULT_UNIT = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mmol/l|[μµu]mol/l|mg/dl|g/dl|g/l|mg/l|iu/l|u/l|mmhg|kpa|"
    r"mg|mcg|[μµ]g|g|ml|l|kg|cm|mm|"
    # the Chinese market weight (斤, half a kilogram: "体重减轻3斤" is not "3kg")
    r"斤)(?![a-z/])", re.IGNORECASE)


def _unit_key(unit: str) -> str:
    key = unit.lower().replace("µ", "u").replace("μ", "u")
    return "mcg" if key == "ug" else key


def _blank(text: str, spans: list[tuple[int, int]], *, mark: str = " ") -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = mark * (end - start)
    return "".join(chars)


@lru_cache(maxsize=1)
def _side_tables() -> tuple[re.Pattern[str], dict[str, str], list[tuple[str, str]]]:
    terms = load_wording()
    side_of = {alias: side for side, aliases in terms.sides.items() for alias in aliases}
    latin = sorted((a for a in side_of if a.isascii()), key=len, reverse=True)
    zh = sorted((a for a in side_of if not a.isascii()), key=len, reverse=True)
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, latin))})\b|{'|'.join(map(re.escape, zh))}",
                         re.IGNORECASE)
    parts = sorted(((alias, part) for part, aliases in terms.body_parts.items() for alias in aliases),
                   key=lambda ap: len(ap[0]), reverse=True)
    return pattern, side_of, parts


_PART_WINDOW = 24     # characters after a side word where its body part is looked for
_SINGLE_LETTER = frozenset({"l", "r"})


# A clause for the side of its findings: "右耳鼓膜充血、膨隆，左耳未见异常" gives the right side
# to the eardrum's findings (a list word such as 、 does not end it).
_SIDE_CLAUSE_END = re.compile(r"[,.;:，。；：\n]")


def _side_words(text: str) -> list[tuple[int, str]]:
    """(position, side) of each side word of ``text`` (single letters only before a part)."""
    pattern, side_of, parts = _side_tables()
    out = []
    for m in pattern.finditer(text):
        word = m.group(0).lower()
        if (word in _SINGLE_LETTER and _part_after(text[m.end():m.end() + _PART_WINDOW].lower(), parts) is None) \
                or _in_slash_short_form(text, m):
            continue
        out.append((m.start(), side_of[word]))
    return out


def _side_of_clause(text: str, span: Span | None, side_words: list[tuple[int, str]]) -> str | None:
    """The one side the clause of a finding written at ``span`` names, or None (none, or
    more than one)."""
    if span is None or span.end <= span.start:
        return None
    starts = [m.end() for m in _SIDE_CLAUSE_END.finditer(text, 0, span.start)]
    end = _SIDE_CLAUSE_END.search(text, span.end)
    lo, hi = starts[-1] if starts else 0, end.start() if end else len(text)
    sides = {side for at, side in side_words if lo <= at < hi}
    return next(iter(sides)) if len(sides) == 1 else None


_OTHER_SIDE = {"left": "right", "right": "left"}


def _in_slash_short_form(text: str, m: re.Match[str]) -> bool:
    """Is the side letter at ``m`` a letter of a short form written with a slash ("r/v if not
    improving" is a review, "n/v", "o/e"), not a side?"""
    return m.group(0).lower() in _SINGLE_LETTER and (text[m.end():m.end() + 1] == "/" or text[m.start() - 1:m.start()] == "/")


def sides_of(text: str) -> set[tuple[str, str]]:
    """(side, body part) for each side of the body written in ``text`` ("left arm",
    "L arm", "左上肢", "双下肢", "RIF"). A side with no known part gets the word after it."""
    pattern, side_of, parts = _side_tables()
    found: set[tuple[str, str]] = set()
    # (a fetal position's side is the occiput's: "LOA" is "左枕前"; a drug's resistance, "RIF
    # resistance", is no right iliac fossa)
    for m in _FETAL_POSITION.finditer(text):
        side = _FETAL_SIDE[(m.group("s") or m.group("zs") or m.group("ws")).lower()]
        found.add((side, "occiput_" + _FETAL_PART[m.group("p") or m.group("zp") or m.group("wp").lower()]))
    for m in _SIDE_COMPARE.finditer(text):
        a, b = _compare_side(m.group("a")), _compare_side(m.group("b"))
        if a != b:
            found.add((f"{a}>{b}" if m.group("more") else f"{b}>{a}", ""))
    text = _blank(text, [m.span() for m in (*_FETAL_POSITION.finditer(text), *_RESISTANCE.finditer(text),
                                            *_SIDE_COMPARE.finditer(text))])
    for m in pattern.finditer(text):
        word = m.group(0).lower()
        if _in_slash_short_form(text, m):
            continue
        after = text[m.end():m.end() + _PART_WINDOW].lower()
        # (a side before a shared limb list, "左侧上、下肢", is both limbs')
        if not word.isascii() and re.match(r"\s*(?:肢体)?\s*上\s*[、，,及和与]?\s*下肢", after):
            found |= {(side_of[word], "arm"), (side_of[word], "leg")}
            continue
        part = _part_after(after, parts)
        if part is None:
            # (a single letter before a value, "VA R 6/9, L 6/60", or after "on" at a clause's end,
            # "5/5 on R", is a side of no part named)
            if word in _SINGLE_LETTER and (
                    (re.match(r"\s*\d+(?:\.\d+)?\s*/\s*\d", after) and not re.search(r"\d\s*$", text[:m.start()]))
                    or (re.search(r"\bon\s+(?:the\s+)?$", text[max(0, m.start() - 8):m.start()], re.IGNORECASE)
                        and re.match(r"\s*(?:[.,;)]|$)", after))):
                found.add((side_of[word], ""))
                continue
            if word in _SINGLE_LETTER or word in ("两", "both"):
                continue       # "L" / "R" / "两" / "both" alone are too often something else ("both once daily")
            nxt = re.match(r"\s*(?:the\s+|sided\s+|side\s+of\s+the\s+)?([a-z]+|[\u4e00-\u9fff]{1,2})", after)
            # (a side at the end of its clause, "present bilaterally.", is of no part)
            part = nxt.group(1) if nxt is not None else ""
        found.add((side_of[word], part))
    sided = load_wording().sided_parts       # "RIF": the right iliac fossa in one word
    for m in re.finditer(r"[a-z]+", text.lower()):
        if m.group(0) in sided:
            found.add(sided[m.group(0)])
    return found


def _part_after(after: str, parts: list[tuple[str, str]]) -> str | None:
    """The body part named first in ``after`` (within a few words of the side)."""
    best: tuple[int, str] | None = None
    for alias, part in parts:
        if alias.isascii():
            m = re.search(rf"\b{re.escape(alias)}\b", after)
            pos = m.start() if m else -1
        else:
            pos = after.find(alias)
        if pos < 0 or (best is not None and pos >= best[0]):
            continue
        gap = after[:pos]
        if alias.isascii() and len(re.findall(r"[a-z]+", gap)) > 2:
            continue
        if not alias.isascii() and len(gap.strip()) > 2:
            continue
        best = (pos, part)
    return None if best is None else best[1]


def unsupported_meaning(said: Meaning, source: Meaning) -> list[str]:
    """Why ``said`` is not all backed by ``source`` (empty: all backed, same polarity and
    attachment)."""
    # (a number inside an amount of time is compared as the amount, in days: "一周后" is "7天后",
    # "for a fortnight" "x2/52")
    reasons = unsupported(replace(said.claims, numbers=set(said.plain_numbers)), source.claims)
    # an amount of time the source writes neither as an amount nor as a number is new ("every
    # eight hours" for "qds"; "for a week" for "x7/7" is the same amount)
    if any(days not in source.all_durations | source.gestations and number not in source.claims.numbers
           for days, number in said.amounts):
        reasons.append("number not in source")
    for fid, negated in sorted(said.findings - source.findings):
        if _implied(fid, negated, source.findings) or _drugs_named(said, (fid, negated), source):
            continue
        if (fid, not negated) in source.findings:
            reasons.append(f"negation differs from the source ({said.labels.get(fid, fid)})")
        else:
            reasons.append(f"finding not in source ({said.labels.get(fid, fid)})")
    for whose, fid, negated in sorted(said.subjects):
        if (fid, negated) in source.findings and not _said_of(whose, fid, negated, source):
            reasons.append(f"said of another person than in the source ({said.labels.get(fid, fid)})")
    # A finding's own certainty is the hedge's scope as the extractor reads it, and a hedge on a
    # diagnosis reaches the findings that support it or not as the clause is built ("Probable
    # BPPV (R) - Dix-Hallpike positive" and "Likely BPPV: the Dix-Hallpike test is positive"):
    # when both write a hedge of the same degree, the degree is the certainty compared
    # (:func:`missing_meaning`), not where its scope ends.
    same_degree = said.hedged and said.hedged == source.hedged
    for fid, negated, uncertain in sorted(said.certain):
        if same_degree:
            break
        if (fid, negated) in source.findings and (fid, negated, uncertain) not in source.certain:
            reasons.append(f"certainty differs from the source ({said.labels.get(fid, fid)})")
    attached_elsewhere = {d for _, d in source.durations}
    for fid, days in sorted(said.durations - source.durations):
        if (fid, False) not in source.findings and _drugs_named(said, (fid, False), source):
            continue        # (the time a drug is taken for: compared as a number)
        own = {d for f, d in source.durations if f == fid}
        # a source that gives the duration without tying it to any finding backs it
        if own or days not in source.all_durations | source.gestations or days in attached_elsewhere:
            reasons.append(f"duration attached to another finding ({said.labels.get(fid, fid)})")
    # a source that writes a dose (a frequency) without tying it to any drug backs it for a
    # drug it names without one ("Warfarin: INR 2.6, continue 5 mg daily")
    free_doses = {d for d in source.claims.doses if d not in {dose for _, dose in source.doses}}
    for drug, dose in sorted(said.doses - source.doses):
        if not _untied(drug, dose, source.doses, free_doses, source.claims.drugs):
            reasons.append(f"dose not given for this drug in the source ({drug})")
    free_frequencies = source.claims.frequencies - {f for _, f in source.frequencies}
    for drug, freq in sorted(said.frequencies - source.frequencies):
        if not _untied(drug, freq, source.frequencies, free_frequencies, source.claims.drugs):
            reasons.append(f"frequency not given for this drug in the source ({drug})")
    # (a route is compared only where the source gives the drug one: "oral" -> "IV" is a change)
    for drug, route in sorted(said.routes - source.routes):
        if any(d == drug for d, _ in source.routes):
            reasons.append(f"route not given for this drug in the source ({drug} {route})")
    # a reading of a series given another time than the source gives it ("3月8.9% ... 9月7.1%" ->
    # "3月7.1% ... 9月8.9%"); a time the source gives no value is not compared
    for when, _value in sorted(said.timed - source.timed_loose):
        if any(w == when for w, _v in source.timed_loose):
            reasons.append(f"a reading given another time than in the source ({when})")
    # how long a drug is taken: a course the source gives another length ("x 5/7" -> "for seven days")
    for drug, days in sorted(said.courses - source.courses):
        # (a regimen's course is the course of each of its drugs: "RHZE for 2 months")
        own = {d for k, d in source.courses if k == drug or drug in drug_parts(k, "/")}
        if days in own:
            continue
        if own or any(d == days for _k, d in source.courses):
            reasons.append(f"course length not given for this drug in the source ({drug})")
    # a drug stopped or held that the source continues, or the other way round
    for drug in sorted(said.stopped - source.stopped):
        if drug in source.going_on:
            reasons.append(f"says a drug or activity is stopped that the source continues ({drug})")
    for drug in sorted(said.going_on - source.going_on):
        if drug in source.stopped:
            reasons.append(f"says a drug or activity goes on that the source stops ({drug})")
    # (a reading with no value read, "seizure-free for two years", writes no value)
    for name, values in sorted(said.measurements - source.measurements):
        if values:
            reasons.append(f"value not in source ({name})")
    # (a side the source writes of no part it knows, "red reflex present bilaterally", backs
    # that side of any part: "in both eyes"; the other side is never backed)
    parts = load_wording().body_parts
    unplaced = {side for side, part in source.sides if part not in parts}
    for side, part in sorted(said.sides - source.sides):
        # (both lungs, both pupils: what a line that names the organ without a side examines)
        if side == "both" and part in _PAIRED_BY_DEFAULT and part in source.parts \
                and not any(p == part for _s, p in source.sides):
            continue
        if side not in unplaced:
            reasons.append(f"side not in source ({side} {part})")
    for side, value in sorted(said.sided_values - source.sided_values):
        if (_OTHER_SIDE.get(side), value) in source.sided_values:
            reasons.append(f"value given to the other side than in the source ({side} {value})")
    for before, after in sorted(said.moves - source.moves):
        if (after, before) in source.moves:
            reasons.append(f"turns a change of value round ({before} -> {after})")
    for drug, negated in sorted(said.resistance - source.resistance):
        reasons.append(f"resistance result not in source ({drug}{' not' if negated else ''} resistant)")
    if said.gcs_parts - source.gcs_parts:
        reasons.append("GCS part not in source (" + ", ".join(f"{k.upper()}{v}" for k, v in sorted(
            said.gcs_parts - source.gcs_parts)) + ")")
    for side, fid, negated in sorted(said.sided - source.sided):
        if (_OTHER_SIDE.get(side), fid, negated) in source.sided:
            reasons.append(f"side differs from the source ({side}: {said.labels.get(fid, fid)})")
    for order in sorted(said.orders - source.orders):
        reasons.append(f"orders what the source does not ({order})")
    # a sign to come back for that the source neither warns of nor writes (a sign swapped in the
    # safety-net: "return if vomiting" -> "return if diarrhoea")
    for fid, negated in sorted(said.warnings - source.warnings):
        if not _sign_kept((fid, negated), said, source):
            reasons.append(f"warning sign not in source ({said.labels.get(fid, fid)})")
    for place in sorted(said.destinations - source.destinations):
        reasons.append(f"sends the patient where the source does not ({place})")
    for relative in sorted(said.relations - source.relations):
        reasons.append(f"names a relative the source does not ({relative})")
    if said.urgency - source.urgency:
        reasons.append("urgency not in source")
    if said.pending - source.pending:
        reasons.append("says a result is awaited that the source does not")
    if said.trend - source.trend:
        reasons.append("course not in source (" + ", ".join(sorted(said.trend - source.trend)) + ")")
    if said.severity - source.severity:
        reasons.append("severity not in source (" + ", ".join(sorted(said.severity - source.severity)) + ")")
    for point in sorted(said.points):
        # (a reading the source sets against an earlier one, "Hb 7.2 (was 9.1 in March)", is today's)
        if point == "day0" and not source.points and (source.timed_loose or source.moves):
            continue
        # ("stridor at night x1" is the night just gone: "overnight", "last night")
        if point == "day-1:evening" and not source.points and source.times & {"night", "晚上"}:
            continue
        if not any(_same_time(point, p) for p in source.points) and not _point_as_amount(point, source):
            reasons.append(f"time not in source ({point})")
    # (a gestation the other side writes as bare weeks, "at 32 weeks", is the same gestation)
    if said.gestations - source.gestations - source.all_durations:
        reasons.append("gestation not in source")
    if not _gravida_para_backed(said.gravida_para, source.gravida_para):
        reasons.append("gravidity or parity not in source")
    if said.thresholds - source.thresholds:
        reasons.append("threshold not in source (" + ", ".join(" ".join(t) for t in sorted(
            said.thresholds - source.thresholds)) + ")")
    for analyte, grade in sorted(said.grades - source.grades):
        reasons.append(f"dipstick grade not in source ({analyte} {grade:g})")
    if any(not any(same_clock(c, s) for s in source.clocks) for c in said.clocks):
        reasons.append("clock time not in source")
    return list(dict.fromkeys(reasons))


def _sign_kept(sign: tuple[str, bool], signs: Meaning, other: Meaning) -> bool:
    """Does ``other`` warn of the sign ``signs`` tells to come back for: the sign or a broader or
    narrower one (SCHEMA.md §2b: "return if high fever", "if fever persists"), or all the words
    it is written in ("leg weakness" / "weakness in the legs", 乳房红肿疼痛 / 乳房出现红肿疼痛,
    where the lexicon reads two phrasings as two findings)?"""
    fid, negated = sign
    kb = load_knowledge()
    kin = {fid} | kb.broader.get(fid, frozenset()) | kb.narrower.get(fid, frozenset())
    if any((k, negated) in other.warnings for k in kin):
        return True
    if any((k, not negated) in other.warnings for k in kin):
        return False        # (the sign turned round: "return if fits" -> "if no fits")
    words = signs.sign_words.get(sign, set())
    return bool(words) and words <= other.words


_WORD = re.compile(r"[a-z]{3,}|[\u4e00-\u9fff]", re.IGNORECASE)


def _plain_words(text: str) -> set[str]:
    """The words of ``text`` for telling whether a sign is written in another's words: English
    words of three letters or more in a plain stem ("legs", "fainting": "leg", "faint"), Chinese
    characters one by one."""
    out = set()
    for w in _WORD.findall(text.lower()):
        for end in ("ing", "es", "s"):
            if len(w) - len(end) >= 3 and w.endswith(end):
                w = w[:-len(end)]
                break
        out.add(w)
    return out


def _implied(fid: str, negated: bool, findings: set[tuple[str, bool]]) -> bool:
    """Do ``findings`` say finding ``fid`` (with this polarity) through the knowledge base's
    broader and narrower findings (SCHEMA.md §2b)? A narrower finding present makes its
    broader ones present ("a blanching maculopapular rash" says "rash"), a broader one absent
    its narrower ones absent ("no respiratory symptoms" says "no cough"). The other way is
    not implied: "cough" does not say "productive cough", "no cough" not "no respiratory symptoms"."""
    kb = load_knowledge()
    kin = kb.broader.get(fid, frozenset()) if negated else kb.narrower.get(fid, frozenset())
    return any((other, negated) in findings for other in kin)


def _gravida_para_backed(said: set[tuple[int | None, int | None]],
                         source: set[tuple[int | None, int | None]]) -> bool:
    """Each gravidity and parity ``said`` writes is one the source writes (a part the
    sentence leaves unknown is not compared)."""
    def fits(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
        return all(x is None or x == y for x, y in zip(a, b, strict=True))
    return all(any(fits(s, src) for src in source) for s in said)


# A day, week, month or year back is the amount of time the other text writes ("a week ago"
# and "7/7 ago"; "last year" and "in the past year").
_POINT_DAYS = {"day-1": {1.0}, "day-2": {2.0}, "week-1": {7.0}, "month-1": {30.0, round(_MONTH_DAYS, 3)},
               "year-1": {365.0}}


def _point_as_amount(point: str, other: Meaning) -> bool:
    return bool(_POINT_DAYS.get(point, set()) & other.all_durations)


def _same_time(a: str, b: str) -> bool:
    """One time: the same key, or one day (week...) with and without its part ("yesterday"
    and "last night")."""
    return a == b or (":" in a) != (":" in b) and a.split(":")[0] == b.split(":")[0]


def _said_of(whose: str, fid: str, negated: bool, other: Meaning) -> bool:
    """Does ``other`` say finding ``fid`` (with this polarity) of the same person?"""
    return any(f == fid and n == negated and same_person(whose, w) for w, f, n in other.subjects)


def _told_of_relative(finding: tuple[str, bool], line: Meaning, said: Meaning) -> bool:
    """Is ``finding`` of ``line`` said only of relatives whom ``said`` names, and does ``said``
    write the finding (of anyone, as a pronoun may stand for it)?"""
    fid, negated = finding
    whose = {w for w, f, n in line.subjects if f == fid and n == negated}
    return (bool(whose) and _PATIENT not in whose and whose <= said.relations
            and any(f == fid for f, _ in said.findings))


def _untied(drug: str, value: object, tied: set, free: set, drugs: set[str]) -> bool:
    """The source names ``drug`` with no dose (frequency) of its own and writes ``value``
    tied to no drug, or ties ``value`` to a regimen ``drug`` is part of ("RH 3 tabs daily":
    rifampicin and isoniazid, 3 tablets daily)."""
    if any(v == value and drug in drug_parts(k, "/")
           for k, v in tied):
        return True
    return drug in drugs and value in free and not any(k == drug for k, _ in tied)


def _drugs_named(said: Meaning, finding: tuple[str, bool], other: Meaning) -> bool:
    """``said`` reads ``finding`` from drug names only, and ``other`` names those drugs
    (a regimen's name names its drugs)."""
    drugs = said.from_drugs.get(finding)
    return bool(drugs) and all(d in other.claims.drugs or drug_parts(d, "/") <= other.claims.drugs
                               for d in drugs or ())


def missing_meaning(line: Meaning, said: Meaning) -> list[str]:
    """Facts of ``line`` (the draft line replaced) that ``said`` leaves out."""
    reasons = []
    # (a relative's finding the rewording tells with a pronoun is kept: "sister had chickenpox;
    # patient has not had it" -> "patient has never had chickenpox; their sister had it")
    # (a broader finding absent says its narrower ones absent; a narrower finding present is
    # not taken to keep a broader one the line writes: "radiating to the left arm" reads as
    # radiating chest pain without saying "chest pain")
    lost = sorted(f for f in line.findings - said.findings
                  if not _told_of_relative(f, line, said) and not (f[1] and _implied(*f, said.findings))
                  and not _drugs_named(line, f, said))
    if lost:
        reasons.append("leaves out a finding of the draft line (" + ", ".join(line.labels.get(f, f) for f, _ in lost) + ")")
    numbers = (line.plain_numbers - said.claims.numbers - {n for n, _ in said.claims.doses}
               - {n for n, _ in said.units})     # "from 75 to 100 mcg" = "from 75 mcg to 100 mcg"
    if numbers or line.all_durations - said.all_durations - said.gestations:
        reasons.append("leaves out a number of the draft line")
    # (a drug the medication reader reads with its dose or frequency is named: "started sertraline 50 mg")
    if line.claims.drugs - said.claims.drugs - {drug for drug, _ in said.doses | said.frequencies}:
        reasons.append("leaves out a drug of the draft line")
    # a duration the rewording writes without tying it to the finding ("worse over the past
    # two weeks") is kept; one tied to another finding is a change (unsupported_meaning)
    tied = {fid for fid, _ in said.durations}
    if any(fid in tied or days not in said.all_durations | said.gestations
           for fid, days in line.durations - said.durations):
        reasons.append("leaves out a duration of the draft line")
    # (a side of no known part is kept when the rewording writes that side of a part)
    parts = load_wording().body_parts
    if any(part in parts or side not in {s for s, _ in said.sides} for side, part in line.sides - said.sides):
        reasons.append("leaves out a side of the draft line")
    # every sign the draft line's safety-net tells to come back for ("return if unable to drink,
    # convulsions or blood in stool" -> "return if unable to drink")
    lost_signs = sorted(line.labels.get(fid, fid) for fid, negated in line.warnings - said.warnings
                        if not _sign_kept((fid, negated), line, said))
    if lost_signs:
        reasons.append("leaves out a warning sign of the draft line (" + ", ".join(lost_signs) + ")")
    if line.orders - said.orders:
        reasons.append("leaves out an order of the draft line (" + ", ".join(sorted(line.orders - said.orders)) + ")")
    moved = sorted({line.labels.get(fid, fid) for whose, fid, negated in line.subjects
                    if (fid, negated) in said.findings and not _said_of(whose, fid, negated, said)
                    and not (whose != _PATIENT and whose in said.relations)})
    if moved:
        reasons.append("says of another person what the draft line says (" + ", ".join(moved) + ")")
    if line.destinations - said.destinations:
        reasons.append("leaves out where the draft line sends the patient ("
                       + ", ".join(sorted(line.destinations - said.destinations)) + ")")
    if line.relations - said.relations:
        reasons.append("leaves out whose history the draft line tells ("
                       + ", ".join(sorted(line.relations - said.relations)) + ")")
    if line.urgency - said.urgency:
        reasons.append("leaves out the urgency of the draft line")
    if line.pending - said.pending:
        reasons.append("leaves out that a result is awaited")
    if line.trend - said.trend:
        reasons.append("leaves out the course of the draft line (" + ", ".join(sorted(line.trend - said.trend)) + ")")
    if line.severity - said.severity:
        reasons.append("leaves out the severity of the draft line (" + ", ".join(sorted(line.severity - said.severity)) + ")")
    # (the visit's own day may go: "seen today with cough" -> "cough")
    for point in sorted(line.points - {"day0"}):
        if not any(_same_time(point, p) for p in said.points) and not _point_as_amount(point, said):
            reasons.append(f"leaves out when the draft line says it happened ({point})")
    if said.sequence and line.sequence and said.sequence.isdisjoint(line.sequence):
        reasons.append("turns before and after round (" + ", ".join(sorted(said.sequence)) + ")")
    if line.gestations - said.gestations - said.all_durations:
        reasons.append("leaves out the gestation of the draft line")
    if not _gravida_para_backed(line.gravida_para, said.gravida_para):
        reasons.append("leaves out the gravidity or parity of the draft line")
    if line.thresholds - said.thresholds:
        reasons.append("leaves out a threshold of the draft line")
    if line.grades - said.grades:
        reasons.append("leaves out a dipstick result of the draft line")
    if line.resistance - said.resistance:
        reasons.append("leaves out a resistance result of the draft line")
    if line.gcs_parts - said.gcs_parts:
        reasons.append("leaves out a GCS part of the draft line")
    if any(not any(same_clock(c, s) for s in said.clocks) for c in line.clocks):
        reasons.append("leaves out a clock time of the draft line")
    if line.claims.allergies - said.claims.allergies:
        reasons.append("leaves out an allergy of the draft line")
    if line.claims.denied_allergies - said.claims.denied_allergies and not said.claims.no_allergies:
        reasons.append("leaves out an allergy denial of the draft line")
    # ("过敏史：无" -> "有过敏史": no known allergy is a fact of the line, as an allergy is)
    if line.claims.no_allergies and not said.claims.no_allergies:
        reasons.append("leaves out that the draft line knows no allergy")
    if line.hedged != said.hedged:
        how = {0: "sure", 1: "says possible", 2: "says probable"}
        reasons.append(f"certainty differs from the draft line (the draft line {how[line.hedged]})")
    if said.times - line.times:
        reasons.append("time of day differs from the draft line (" + ", ".join(sorted(said.times - line.times)) + ")")
    line_numbers = {number for number, _unit in line.units}
    for number, unit in sorted(said.units - line.units):
        if number in line_numbers:
            reasons.append(f"unit differs from the draft line ({number} {unit})")
    return reasons
