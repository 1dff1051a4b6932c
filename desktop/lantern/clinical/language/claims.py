"""Checkable facts in a piece of text: numbers, doses, drugs, frequencies,
allergies and dates, each normalised so that equal facts compare equal
("500mg" = "500 mg" = "0.5 g"; "BD" = "twice daily"; "三" = "3")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.language.drugs import (
    NOT_DRUGS,
    find_drugs,
    is_arv_letters,
    with_regimen_parts,
)
from lantern.clinical.language.followup import DATE_RE
from lantern.clinical.language.medications import DOSE_RE, dose_in_mg, find_frequencies
from lantern.clinical.language.text import nfkc, word_alternation
from lantern.clinical.language.vocabulary import load_wording

_WORD_NUMS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20",
    "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
    "九": "9", "十": "10",
    # an ordinal is its number ("third day after" is "day 3"; "first" and "second" are not read:
    # "first pregnancy", "second opinion"), a decade its tens ("in his seventies" is "in his 70s")
    "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7", "eighth": "8", "ninth": "9",
    "tenth": "10", "twenties": "20", "thirties": "30", "forties": "40", "fifties": "50", "sixties": "60",
    "seventies": "70", "eighties": "80", "nineties": "90",
}
_WORD_NUM_RE = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                          r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
                          r"eighty|ninety|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twenties|thirties|"
                          r"forties|fifties|sixties|seventies|eighties|nineties)\b"
                          # (Chinese tens are written with 十: 二十 is 20, 四十二 42, 十五 15)
                          r"|(?<![一二两三四五六七八九十])(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
                          r"(?=\s*(?:(?:到|至|或)\s*[一二两三四五六七八九十]+\s*)?"
                          r"(?:天|日|周|个月|次|片|粒|小时|岁|年|包|支|袋|瓶|分钟|个))",
                          re.IGNORECASE)


def _word_value(word: str) -> str:
    """The digits of a number written as a word ("six", 六, 四十二)."""
    word = word.lower()
    if "十" in word and len(word) > 1:
        tens, ones = word.split("十")
        return str(int(_WORD_NUMS[tens] if tens else 1) * 10 + int(_WORD_NUMS[ones] if ones else 0))
    return _WORD_NUMS[word]
# A number glued to a word is part of a name ("T2DM", "SpO2"), except after a lone
# "x" / "×", which is a count or a duration ("x3d", "x5/7").
_NUM_RE = re.compile(r"(?:(?<![A-Za-z0-9_.])|(?<=(?<![A-Za-z])[xX×]))\d+(?:\.\d+)?(?![\d])")
_UNKNOWN_DRUG_BEFORE_DOSE = re.compile(r"\b([A-Z][a-z]{3,})\s+\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|iu)\b")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def _num(value: str) -> str:
    f = float(value)
    return str(int(f)) if f.is_integer() else repr(round(f, 4))


# A grade written as plus signs is its number: "leucocytes ++" is "leucocytes 2+", "(+++)" is "(3+)".
_PLUS_GRADE = re.compile(r"(?<![+\w])\+{2,4}(?![+\w])")


# A threshold: a number with the side of it a line means ("temp > 38", "above 38",
# "超过38.5℃", "38℃以上"): the words of ``wording.toml`` [threshold] before the number,
# [threshold_after] after it (after its unit). An amount of time ("over 2 weeks") is a
# duration, read by the durations reader, not a threshold; "140 over 90" is a pressure.
_THRESHOLD_UNIT = r"(?:\s*(?:°\s*c|℃|度|%|mmhg|mmol/l|mg/dl|kg|g|/min|bpm|次/分|次))?"
_TIME_AFTER = re.compile(r"\s*(?:minutes?|mins?|hours?|hrs?|h\b|days?|d\b|weeks?|wks?|months?|years?|yrs?|/7|/52|/12"
                         r"|分钟|小时|天|日|周|个月|月|年)", re.IGNORECASE)

_NUMBER_BEFORE = re.compile(r"(?<![A-Za-z\d.])\d+(?:\.\d+)?\s*$")


@lru_cache(maxsize=1)
def _threshold_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str], dict[str, str]]:
    words = load_wording()
    before = {alias: key for key, aliases in words.thresholds.items() for alias in aliases}
    after = {alias: key for key, aliases in words.thresholds_after.items() for alias in aliases}
    pre = re.compile(rf"(?P<w>{word_alternation(before)})\s*(?P<n>\d+(?:\.\d+)?)", re.IGNORECASE)
    post = re.compile(rf"(?<![\d.])(?P<n>\d+(?:\.\d+)?){_THRESHOLD_UNIT}\s*(?P<w>{word_alternation(after)})",
                      re.IGNORECASE)
    return pre, post, before, after


# "max" after a fever in its clause is the highest temperature reached, not a limit set
# ("fever x2/7 (max 39.2)" is a peak of 39.2, like "Tmax 39.2"; "paracetamol max 4 g" stays a limit).
_PEAK_WORDS = frozenset({"max", "maximum"})
_FEVER_PEAK = re.compile(r"(?:\b(?:fever|febrile|pyrexia|pyrexial)|发热|发烧)[^.;。；!?！？\n\d]{0,20}"
                         r"(?:\d+(?:/\d+)?[^.;。；!?！？\n\d]{0,12})?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Threshold:
    side: str                   # "above" | "below"
    number: str
    subject: str                # what it measures when the words before it name it ("temperature"), else ""
    span: tuple[int, int]       # the threshold, its subject words included


def thresholds(text: str) -> list[Threshold]:
    """Each threshold ``text`` writes: "> 38", "above 38", "超过38", "38℃以上" are all above
    38; "fever > 38.5" and "体温超过38.5℃" are both the temperature above 38.5."""
    pre, post, before, after = _threshold_patterns()
    text = nfkc(text)
    found: list[Threshold] = []
    for pattern, side_of in ((pre, before), (post, after)):
        for m in pattern.finditer(text):
            if pattern is pre and (_TIME_AFTER.match(text, m.end())
                                   or (m.group("w")[0].isalpha() and _NUMBER_BEFORE.search(text, 0, m.start()))):
                continue
            if pattern is pre and m.group("w").startswith(">") and text[max(0, m.start() - 1):m.start()] in ("-", "=", "–", "—"):
                continue        # an arrow ("9.1% -> 8.0%", "=> 150/94": went to), no threshold
            if any(t.span[0] < m.end() and m.start() < t.span[1] for t in found):
                continue
            if (pattern is pre and m.group("w").lower() in _PEAK_WORDS and 35 <= float(m.group("n")) < 43
                    and _FEVER_PEAK.search(text, 0, m.start())):
                continue        # "fever x2/7 (max 39.2)": the peak reached, no upper limit
            subject, start = _subject_before(text, m.start())
            found.append(Threshold(side_of[m.group("w").lower()], _num(m.group("n")), subject, (start, m.end())))
    return sorted(found, key=lambda t: t.span)


@lru_cache(maxsize=1)
def _subject_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    subject_of = {alias: key for key, aliases in load_wording().threshold_subjects.items() for alias in aliases}
    words = "|".join(rf"(?<![a-z]){re.escape(a)}" if a.isascii() else re.escape(a)
                     for a in sorted(subject_of, key=len, reverse=True))
    return re.compile(rf"(?:{words})(?:\s*(?:is|was|of|[:：=]))?\s*$", re.IGNORECASE), subject_of


def _subject_before(text: str, end: int) -> tuple[str, int]:
    """The quantity named right before ``end`` (and where its name starts), or ("", end)."""
    pattern, subject_of = _subject_pattern()
    m = pattern.search(text, max(0, end - 16), end)
    if m is None:
        return "", end
    word = re.match(r"[^\s:：=]+", m.group(0))
    key = subject_of.get(word.group(0).lower(), "") if word else ""
    return (key, m.start()) if key else ("", end)


# "一天五到六次" is "每天5到6次": a count a day, not the number one (same length, spans kept)
_PER_DAY_ZH = re.compile(r"一(?=[天日]\s*[\d一二两三四五六七八九十]+(?:\s*(?:到|至|-|~)\s*[\d一二两三四五六七八九十]+)?\s*次)")


def same_length_numbers(text: str) -> str:
    """``text`` with its numbers written as words in digits, padded to the word's length, so
    every other reader's spans still hold ("under two seconds" -> "under 2   seconds")."""
    text = nfkc(text)
    def digits(m: re.Match[str]) -> str:
        value = _word_value(m.group(0))
        return value.ljust(len(m.group(0))) if len(value) <= len(m.group(0)) else m.group(0)   # (十 stays)
    return _WORD_NUM_RE.sub(digits, text)


def normalise_numbers(text: str) -> str:
    text = _PLUS_GRADE.sub(lambda m: f"{len(m.group(0))}+", nfkc(text))
    text = _PER_DAY_ZH.sub("每", text)
    return _WORD_NUM_RE.sub(lambda m: _word_value(m.group(0)), text)


def _dates(text: str) -> set[str]:
    out = set()
    for m in DATE_RE.finditer(text):
        out.add(_date_key(m.group(0)))
    return out


def _date_key(raw: str) -> str:
    """A comparable key (day-month[-year]) for the common ways of writing a date."""
    raw = raw.lower()
    nums = [int(x) for x in re.findall(r"\d+", raw)]
    month = next((v for k, v in _MONTHS.items() if k in raw), None)
    if "年" in raw or "月" in raw:
        if len(nums) == 3:
            return f"{nums[2]}-{nums[1]}-{nums[0]}"
        return f"{nums[-1]}-{nums[-2]}"
    if month is not None:
        day = nums[0] if nums else 0
        year = next((n for n in nums if n > 31), None)
        return f"{day}-{month}" + (f"-{year}" if year else "")
    if re.match(r"\d{4}-", raw):
        return f"{nums[2]}-{nums[1]}-{nums[0]}"
    if len(nums) == 3:
        year = nums[2] + 2000 if nums[2] < 100 else nums[2]
        return f"{nums[0]}-{nums[1]}-{year}"
    return raw


@dataclass(slots=True)
class Claims:
    numbers: set[str] = field(default_factory=set)
    doses: set[tuple[str, str]] = field(default_factory=set)
    drugs: set[str] = field(default_factory=set)
    frequencies: set[str] = field(default_factory=set)
    allergies: set[str] = field(default_factory=set)
    no_allergies: bool = False
    dates: set[str] = field(default_factory=set)
    # of ``allergies``: those hedged ("?sulfa allergy") and those said outright (one may be both
    # in a text that says it twice)
    hedged_allergies: set[str] = field(default_factory=set)
    sure_allergies: set[str] = field(default_factory=set)
    # substances the text says the patient is not allergic to ("no penicillin allergy")
    denied_allergies: set[str] = field(default_factory=set)

    def update(self, other: Claims) -> None:
        for name in ("numbers", "doses", "drugs", "frequencies", "allergies", "dates", "hedged_allergies",
                     "sure_allergies", "denied_allergies"):
            getattr(self, name).update(getattr(other, name))
        self.no_allergies = self.no_allergies or other.no_allergies


def _mask_frequencies(text: str) -> tuple[str, set[str]]:
    """Frequencies found, and the text with them blanked ("three times daily" is not a 3)."""
    found = find_frequencies(text)
    chars = list(text)
    for _, s, e in found:
        chars[s:e] = " " * (e - s)
    return "".join(chars), {f for f, _, _ in found}


def claims_of(text: str) -> Claims:
    text, frequencies = _mask_frequencies(nfkc(text))
    text = normalise_numbers(text)
    c = Claims()
    allergy = extract_allergies(text)
    allergy_ranges = allergy.phrase_ranges
    c.allergies = {a.canonical for a in allergy.allergies}
    c.hedged_allergies = {a.canonical for a in allergy.allergies if a.uncertain}
    c.sure_allergies = {a.canonical for a in allergy.allergies if not a.uncertain}
    c.denied_allergies = {d.canonical for d in allergy.denied}
    c.no_allergies = allergy.none_known and not allergy.allergies
    mentions = [(canon, s, e) for canon, s, e in find_drugs(text)
                if not any(s < xe and xs < e for xs, xe in allergy_ranges)]
    c.drugs = {canon for canon, _, _ in mentions}
    for m in _UNKNOWN_DRUG_BEFORE_DOSE.finditer(text):
        word = m.group(1).lower()
        if word not in NOT_DRUGS and not find_drugs(m.group(1)):
            c.drugs.add(word)
    c.drugs = with_regimen_parts(c.drugs, mentions, text)
    for _, s, e in mentions:
        if is_arv_letters(text[s:e]):       # the 3 of "3TC" is no number
            text = text[:s] + " " * (e - s) + text[e:]
    for m in DOSE_RE.finditer(text):
        value, unit = dose_in_mg(float(m.group(1)), m.group(3))
        c.doses.add((_num(str(value)), unit))
        if m.group(2):
            value2, _ = dose_in_mg(float(m.group(2)), m.group(3))
            c.doses.add((_num(str(value2)), unit))
            c.numbers.add(_num(str(value2)))
        c.numbers.add(_num(str(value)))
    c.frequencies = frequencies
    c.dates = _dates(text)
    for m in _NUM_RE.finditer(text):
        c.numbers.add(_num(m.group(0)))
    return c


def unsupported(claims: Claims, source: Claims) -> list[str]:
    """Reasons why ``claims`` are not all backed by ``source`` (empty list: all backed)."""
    reasons = []
    extra_numbers = claims.numbers - source.numbers - {n for n, _ in source.doses}
    if extra_numbers:
        reasons.append("number not in source")
    if claims.doses - source.doses:
        reasons.append("dose not in source")
    if claims.drugs - source.drugs - source.allergies:
        reasons.append("drug not in source")
    if claims.frequencies - source.frequencies:
        reasons.append("frequency not in source")
    if claims.allergies - source.allergies:
        reasons.append("allergy not in source")
    if (claims.no_allergies and source.allergies) or claims.denied_allergies & source.allergies:
        reasons.append("denies an allergy the source records")
    elif claims.denied_allergies - source.denied_allergies and not source.no_allergies:
        reasons.append("allergy denial not in source")
    if claims.no_allergies and not source.no_allergies and source.denied_allergies:
        # "no penicillin allergy" says nothing of other allergies: not "no known allergies"
        reasons.append("widens a denial of one allergy to none known")
    if (claims.sure_allergies - claims.hedged_allergies) & source.hedged_allergies - source.sure_allergies:
        reasons.append("states a hedged allergy as certain")
    if (claims.hedged_allergies - claims.sure_allergies) & source.sure_allergies - source.hedged_allergies:
        reasons.append("hedges an allergy the source states")
    if claims.dates - source.dates:
        reasons.append("date not in source")
    return reasons
