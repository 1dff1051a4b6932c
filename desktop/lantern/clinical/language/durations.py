"""Durations ("x3d", "3/7", "for 2 weeks", "3天"), age ("2yo", "8 months old",
"3岁"), pregnancy gestation ("34/40", "36+2 weeks", "孕32周") and gravidity and parity
("G2P1", "second pregnancy with one previous birth", "孕2产1") written in a note.

A gestation is an age of the pregnancy, not a duration: "36+2 weeks" is 36 weeks and 2
days of gestation, never "2 weeks" of something (:func:`find_durations` leaves it out)."""

from __future__ import annotations

import re

from lantern.clinical.language.tokens import Span

_I = re.IGNORECASE
_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "few": 3, "couple": 2,
    "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30, "forty": 40,
    "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}
_ZH_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10, "半": 0.5, "数": 3, "几": 3}
_UNIT_DAYS = {"h": 1 / 24, "d": 1, "w": 7, "f": 14, "m": 30, "y": 365}

# "9/12 F", "5/52 baby", "3/7 old boy": British notation for an infant's age (months,
# weeks, days), not a duration, when a sex or age word follows.
_AGE_WORD_NEXT = (r"\s*,?\s*(?:[mf]\b|males?\b|females?\b|boys?\b|girls?\b|baby\b|infant\b|child\b|old\b"
                  r"|neonate\b|newborn\b)")
_AGE_AFTER_FRACTION = "(?=" + _AGE_WORD_NEXT + ")"
_EN_UNIT = (r"(?P<u>hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|mo|mths?|m|years?|yrs?|y)\b")
_DURATION_PATTERNS = [
    # "a year and a half", "two and a half weeks", "1 and a half years" (before the bare number and unit)
    re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:(?P<u>years?|months?|weeks?|days?|hours?)"
               r"\s+and\s+a\s+(?P<half>half)|and\s+a\s+(?P<half2>half)\s+(?P<u2>years?|months?|weeks?|days?|hours?))\b", _I),
    # "over the past year", "in the last month": one of the unit
    re.compile(r"\b(?:over|in|during|within|for)\s+(?:the\s+)?(?P<n>past|last)\s+(?P<u>year|month|week|fortnight)\b", _I),
    re.compile(r"\bx\s?(?P<n>\d+(?:\.\d+)?)\s?" + _EN_UNIT, _I),
    re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s?/\s?(?P<f>7|52|12)(?![\d/])(?!" + _AGE_WORD_NEXT + ")", _I),
    # ("a cough lasting three months" is "cough x3/12")
    re.compile(r"\b(?:for|since|x|past|last|over|about|of|lasting)\s+(?:the\s+)?(?:past\s+|last\s+)?"
               r"(?P<n>\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple)"
               r"(?:\s+of)?\s*" + _EN_UNIT, _I),
    re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>days?|weeks?|wks?|months?|hours?|hrs?)\b(?!\s*old)", _I),
    # a Chinese line's English unit letters ("腹痛4h" is 腹痛4小时, "发热2d" 发热2天): no word boundary
    # stands between a Chinese character and the number
    re.compile(r"(?<=[\u4e00-\u9fff，、：；（(,:;])(?P<n>\d+(?:\.\d+)?)\s*(?P<u>hours?|hrs?|h|days?|d)(?![A-Za-z/\d])"),
    # "three weeks of cough", "two days of fever": a number word, a unit and "of"
    re.compile(r"\b(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple)\s+"
               r"(?P<u>days?|weeks?|months?|hours?|years?)(?=\s+of\b)", _I),
    re.compile(r"(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十半数几]+)\s*(?:个)?(?:多|余)?(?:个)?(?P<u>小时|天|日|周|星期|个月|月|年)"
               # ("一天五到六次" is a count a day, not a day of it)
               r"(?P<half>半)?(?![大龄])(?!\s*[\d一二两三四五六七八九十]+(?:\s*(?:到|至|-|~)\s*[\d一二两三四五六七八九十]+)?\s*次)"),
    # no number: "for years", "for many months", "long-standing", 多年, 好多年 (counted as
    # three of the unit, as "several"; a year for "long-standing")
    re.compile(r"\b(?:for|over)\s+(?:many\s+|some\s+)?(?P<n>)(?P<u>months|years)\b", _I),
    re.compile(r"\b(?P<n>many)\s+(?P<u>months|years)\b", _I),
    # a fortnight is two weeks ("review in a fortnight" = "review in 2 weeks")
    re.compile(r"\b(?P<n>a|one|two|three)\s+(?P<u>fortnights?)\b", _I),
    re.compile(r"(?P<n>)(?P<u>多年|好多年|很多年)"),
    re.compile(r"\b(?P<n>)(?P<u>long-standing|longstanding)\b", _I),
    # how long ago, in words (issue 11: an old injury is no acute trauma): "two months ago",
    # "a year ago", "last year", "the year before", "last month"
    re.compile(r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple|many)\s*"
               r"(?P<u>weeks?|months?|years?|yrs?)\s+ago\b", _I),
    re.compile(r"\b(?P<n>last)\s+(?P<u>year|month)\b(?!\s+or\b)", _I),
]
_NO_NUMBER = {"": 3.0, "many": 3.0, "past": 1.0, "last": 1.0}
# words that are a whole duration: (count, unit)
_WHOLE_UNIT = {"多年": (3.0, "y"), "好多年": (3.0, "y"), "很多年": (3.0, "y"),
               "long-standing": (1.0, "y"), "longstanding": (1.0, "y")}


def _unit_key(unit: str) -> str:
    u = unit.lower()
    if u in ("小时",) or u.startswith("h"):
        return "h"
    if u in ("天", "日") or u.startswith("d"):
        return "d"
    if u.startswith("fortnight"):
        return "f"
    if u in ("周", "星期") or u.startswith("w"):
        return "w"
    if u in ("个月", "月") or u.startswith("mo") or u.startswith("mth") or u == "m":
        return "m"
    return "y"


def _number(text: str) -> float | None:
    text = text.lower()
    if text in _WORDS:
        return float(_WORDS[text])
    try:
        return float(text)
    except ValueError:
        pass
    if all(ch in _ZH_NUM for ch in text):
        if text.startswith("十"):
            return 10 + (_ZH_NUM.get(text[1:], 0) if len(text) > 1 else 0)
        if len(text) == 2 and text[1] == "十":
            return _ZH_NUM[text[0]] * 10
        return float(_ZH_NUM[text[0]])
    return None


def find_durations(note: str) -> list[tuple[float, Span]]:
    """(days, span) for each duration in ``note``, in order, without overlaps (a gestation
    of :func:`find_gestations` is not a duration)."""
    found: list[tuple[float, Span]] = []
    taken = bytearray(len(note))
    for _days, span in find_gestations(note):
        taken[span.start:span.end] = b"\x01" * (span.end - span.start)
    for pattern in _DURATION_PATTERNS:
        for m in pattern.finditer(note):
            if 1 in taken[m.start():m.end()]:
                continue
            word = m.group("n").lower()
            n = _NO_NUMBER[word] if word in _NO_NUMBER else _number(word)
            if n is None:
                continue
            groups = m.groupdict()
            written_unit = groups.get("u") or groups.get("u2") or ""
            if _day_label(note, written_unit, m.end()):
                continue
            if groups.get("half") or groups.get("half2"):
                n += 0.5
            if groups.get("f"):
                unit = {"7": "d", "52": "w", "12": "m"}[m.group("f")]
            elif written_unit.lower() in _WHOLE_UNIT:
                n, unit = _WHOLE_UNIT[written_unit.lower()]
            else:
                unit = _unit_key(written_unit)
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            found.append((n * _UNIT_DAYS[unit], Span(m.start(), m.end(), m.group())))
    found.sort(key=lambda item: item[1].start)
    return found


# A day or week named by its number after a value ("T 39.2 day 1, 38.4 day 2", "CRP 180 day 1"): a
# reading's day, not an amount of time ("1 week 2 days" is still one: its second number has a unit).
_LABEL_NUMBER_AFTER = re.compile(r"[ \t]*\d+(?!\.\d|\s*(?:days?|d\b|weeks?|wks?|w\b|months?|hours?|hrs?|h\b|/))", _I)


def _day_label(note: str, unit: str, end: int) -> bool:
    return unit.lower() in ("day", "week", "wk") and _LABEL_NUMBER_AFTER.match(note, end) is not None


# An amount of time anywhere, not only a duration: "review in two weeks", "fell 2 days ago",
# "onset 30 min ago" = "half an hour ago", 30分钟前.
_AMOUNT = re.compile(r"\b(?P<n>\d+(?:\.\d+)?|half\s+an?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple|"
                     r"eleven|twelve|fifteen|eighteen|twenty|thirty|forty-five|forty|fifty|sixty|ninety)"
                     r"(?:\s+of)?\s*-?\s*(?P<u>minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|mths?|years?|yrs?)\b"
                     r"|(?P<zn>\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?P<zu>分钟)", _I)
_MINUTE = 1 / 1440


def time_amount_spans(note: str) -> list[tuple[float, Span]]:
    """Every amount of time ``note`` writes that is not a duration of :func:`find_durations`,
    in days, with where it is written."""
    found = []
    gestations = [span for _days, span in find_gestations(note)]
    for m in _AMOUNT.finditer(note):
        if any(g.start < m.end() and m.start() < g.end for g in gestations):
            continue
        written, unit = (m.group("n"), m.group("u")) if m.group("u") else (m.group("zn"), "分钟")
        if _day_label(note, unit, m.end()):
            continue
        n = 0.5 if written.lower().startswith("half") else _number(written)
        if n is not None:
            days = _MINUTE if unit.lower().startswith("min") or unit == "分钟" else _UNIT_DAYS[_unit_key(unit)]
            found.append((n * days, Span(m.start(), m.end(), m.group())))
    return found


_AGE_FRACTION = re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s?/\s?(?P<f>12|52|7)(?![\d/])" + _AGE_AFTER_FRACTION, _I)
_FRACTION_DAYS = {"12": 365 / 12, "52": 7.0, "7": 1.0}


def age_fraction_spans(note: str) -> list[tuple[float, Span]]:
    """Each infant's age in the British notation ("3/12 infant", "9/12 boy", "4/52 baby"), in
    days, with where it is written: the age a rewording writes as "three-month-old"."""
    return [(int(m.group("n")) * _FRACTION_DAYS[m.group("f")], Span(m.start(), m.end(), m.group(0)))
            for m in _AGE_FRACTION.finditer(note)]


def time_amounts(note: str) -> set[float]:
    """Every amount of time ``note`` writes, in days: its durations, and the other amounts
    ("in 2/52" and "in two weeks" are both 14)."""
    return {days for days, _ in find_durations(note)} | {days for days, _ in time_amount_spans(note)}


# Words that introduce an age: "age 60", "aged 2", "Age: 8 months" (not a gestational,
# bone or mental age).
_AGE_LABEL = r"(?<!gestational )(?<!bone )(?<!mental )(?<!reading )\bage[d]?\s*[:=]?\s*"
# A patient named by sex or age group, and one named by a title.
_PERSON = r"\b(?:man|woman|male|female|boy|girl|lady|gentleman|gent)\b"
_TITLED = r"\b(?:mr|mrs|ms|miss|mx|master|baby|man|woman|boy|girl|lady|gentleman|male|female|patient|pt)\b\.?"
# A number that is a quantity, not an age: units, times, doses, ratios, decimals.
_NOT_A_QUANTITY = (r"(?![.,]\d|\s*(?:%|/\s*\d|kg|g\b|cm|mm|ml|mmol|mg|mcg|units?|iu|minutes?|mins?|hours?|hrs?|h\b"
                   r"|days?|d\b|weeks?|wks?|w\b|months?|mo\b|times|x\b|bpm|/min|mmhg|°|℃|degrees?|c\b|kids|children|pregnanc))")

# Counts written as words, for ages ("six weeks old"); "a"/"an" only before a unit.
_AGE_WORD_VALUES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
_AGE_WORDS = "|".join(sorted(_AGE_WORD_VALUES, key=len, reverse=True))
# "a week-old wound", "two-day-old rash": the age of a lesion, not of the patient
_NOT_A_PERSON_AFTER = (r"(?![\s-]+(?:wounds?|burns?|cuts?|injur(?:y|ies)|ulcers?|bites?|rash|lesions?|fractures?"
                       r"|dressings?|scars?|swellings?|lumps?|cough|fever|pain|bleeding|history|symptoms?)\b)")


# A note that opens with a very old patient's age and sex, "90F," "93 F with", "92F lives
# alone": no note begins with a temperature, unless a word of temperature follows ("99F
# fever", "98 F axillary"); the vitals reader leaves this span alone too.
OPENING_AGE_SEX = re.compile(
    r"\A\s*(?P<n>9\d)\s?F\b(?!\s*[°(])(?=\s*(?:[,;:]|[-–—]\s|(?!(?:temp\w*|t\b|fever\w*|febrile|pyrex\w*"
    r"|hyperpyrex\w*|axill\w*|oral(?:ly)?|rectal(?:ly)?|tympanic|deg\w*|and\b|or\b|to\b|at\b|on\b|in\b))[a-z]))", _I)

_AGE_PATTERNS = [
    (re.compile(r"\b(?P<n>\d{1,3}(?:\.\d)?)[\s-]*(?:yo|y/o|y\.o\.?|yrs?[\s-]*old|years?[\s-]*old|yr|yrs|years?|y(?![/.\w]))"
                r"(?:[\s-]*old)?\b(?!\s*(?:ago|history|hx))", _I), 1.0),
    (re.compile(r"\b(?P<n>\d{1,2})[\s-]*(?:months?|mo|mos|m/o|mths?)[\s-]*old\b|\b(?P<n2>\d{1,2})\s*(?:m/o|mo\b)", _I), 1 / 12),
    (re.compile(r"\b(?P<n>\d{1,2})[\s-]*(?:weeks?|wks?)[\s-]*old\b", _I), 7 / 365),
    (re.compile(r"\b(?P<n>\d{1,2})[\s-]*(?:days?|d)[\s-]*old\b", _I), 1 / 365),
    # the child named, then the months: "an infant of 3 months", "baby, 5 months, not feeding"
    (re.compile(r"\b(?:infant|baby|child|boy|girl|neonate)\s*(?:,\s*|\s+of\s+|\s+aged?\s+)(?P<n>\d{1,2})\s*"
                r"(?:months?|mths?|mo)\b(?!\s*(?:of|ago|history|hx)\b)", _I), 1 / 12),
    # ages in words: "six weeks old", "a month old", "two-year-old", "born three days ago"
    (re.compile(r"\b(?P<w>" + _AGE_WORDS + r")[\s-]+(?:years?|yrs?)[\s-]*old\b" + _NOT_A_PERSON_AFTER, _I), 1.0),
    (re.compile(r"\b(?P<w>" + _AGE_WORDS + r")[\s-]+(?:months?|mths?)[\s-]*old\b" + _NOT_A_PERSON_AFTER, _I), 1 / 12),
    (re.compile(r"\b(?P<w>" + _AGE_WORDS + r")[\s-]+(?:weeks?|wks?)[\s-]*old\b" + _NOT_A_PERSON_AFTER, _I), 7 / 365),
    (re.compile(r"\b(?P<w>" + _AGE_WORDS + r")[\s-]+days?[\s-]*old\b" + _NOT_A_PERSON_AFTER, _I), 1 / 365),
    (re.compile(r"\bborn\b[^.;\n]{0,20}?\b(?P<n>\d{1,2})\s*days?\s+ago\b|\bborn\b[^.;\n]{0,20}?\b(?P<w>"
                + _AGE_WORDS + r")\s+days?\s+ago\b", _I), 1 / 365),
    (re.compile(r"\bborn\b[^.;\n]{0,20}?\b(?P<n>\d{1,2})\s*weeks?\s+ago\b|\bborn\b[^.;\n]{0,20}?\b(?P<w>"
                + _AGE_WORDS + r")\s+weeks?\s+ago\b", _I), 7 / 365),
    # "出生3天", "生后5天", "出生后2周"
    (re.compile(r"(?:出生|生后|出生后)\s*(?P<n>\d{1,2})\s*天"), 1 / 365),
    (re.compile(r"(?:出生|生后|出生后)\s*(?P<n>\d{1,2})\s*周"), 7 / 365),

    (re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s?/\s?12" + _AGE_AFTER_FRACTION, _I), 1 / 12),
    (re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s?/\s?52" + _AGE_AFTER_FRACTION, _I), 7 / 365),
    (re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s?/\s?7" + _AGE_AFTER_FRACTION, _I), 1 / 365),
    (re.compile(r"(?P<n>\d{1,3})\s*岁"), 1.0),
    # lay accounts: "he is 58", "she is about 70", "(he is 71)"
    (re.compile(r"\b(?:he|she)\s+is\s+(?:about\s+|around\s+|nearly\s+|almost\s+)?(?P<n>\d{1,3})\b"
                r"(?![.,]\d|\s*(?:%|/|kg|cm|mmol|mg|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|times)\b)", _I), 1.0),
    # the patient's own words: "I'm 34", "im 14", "I am 76", "我七十四了"
    (re.compile(r"\b(?:i\s+am|i['’]?m)\s+(?:about\s+|nearly\s+|almost\s+|only\s+)?(?P<n>\d{1,3})\b"
                + _NOT_A_QUANTITY, _I), 1.0),
    # the writer's own relative, who is the patient: "my son is 9", "our little girl is 3"
    (re.compile(r"\b(?:my|our)\s+(?:\w+\s+)?(?:son|daughter|boy|girl|baby|child|kid|husband|wife|dad|father|mum|mom"
                r"|mother|grandson|granddaughter|brother|sister)\s+is\s+(?:about\s+|nearly\s+|almost\s+|only\s+)?"
                r"(?P<n>\d{1,3})\b" + _NOT_A_QUANTITY, _I), 1.0),
    (re.compile(r"我(?:都|已经|今年)?(?P<zh>[一二两三四五六七八九]?十[一二三四五六七八九]?)了"), 1.0),
    # Chinese numerals: "七十三岁", "今年六岁", "今年七十三"
    (re.compile(r"(?P<zh>[一二两三四五六七八九十]{1,3})\s*岁|今年\s*(?P<zh2>[一二两三四五六七八九十]{1,3})(?![个月天周])"), 1.0),
    (re.compile(r"(?P<n>\d{1,2})\s*个?半?月(?:大|龄)"), 1 / 12),
    # the child named, then the months: "患儿3月龄", "宝宝3个月", "孩子，8个月了" (not "3个月前")
    (re.compile(r"(?:患儿|男婴|女婴|婴儿|宝宝|小孩|孩子|男孩|女孩)\s*[，,]?\s*(?:才|刚)?(?P<n>\d{1,2})\s*个?半?月"
                r"(?!前|以来|内|后|余|多|来)"), 1 / 12),
    (re.compile(r"(?:患儿|男婴|女婴|婴儿|宝宝|小孩|孩子|男孩|女孩)\s*[，,]?\s*(?:才|刚)?(?P<zh>[一二两三四五六七八九十]{1,2})"
                r"\s*个月(?!前|以来|内|后|余|多|来)"), 1 / 12),
    (re.compile(r"(?P<n>\d{1,2})\s*天(?:大|龄)"), 1 / 365),
    # the day of life: "day 5 of life", "D5 of life", "DOL 3", "日龄5天", "生后第3天", "出生第3天"
    # (a bare "第5天", "day 5 of illness" is the day of the illness, not an age)
    (re.compile(r"\b(?:day|d)\s*(?P<n>\d{1,2})\s+of\s+life\b|\bDOL\s*[:#]?\s*(?P<n2>\d{1,2})\b", _I), 1 / 365),
    (re.compile(r"日龄\s*(?P<n>\d{1,2})\s*天|(?:出生|生后|出生后)\s*第\s*(?P<n2>\d{1,2})\s*天"), 1 / 365),
    # an age given by its decade: "a man in his sixties", "in her late 50s", "in his mid-forties"
    (re.compile(r"\bin\s+(?:his|her|their)\s+(?P<when>early|mid|late)?[\s-]*(?P<dec>(?:twent|thirt|fort|fift|sixt|sevent"
                r"|eight|ninet)ies|[2-9]0['’]?s)\b", _I), 1.0),
    # a Chinese approximate age: "六十多岁", "50多岁", "七十来岁", "60余岁"
    (re.compile(r"(?P<n>[1-9]0)\s*(?:多|余|来)\s*岁|(?P<zh>[二三四五六七八九]?十)\s*(?:多|余|来)\s*岁"), 1.0),
    # a form line or a register: "Age: 60", "aged 2", "age 8 months", "年龄：65"
    (re.compile(_AGE_LABEL + r"(?P<n>\d{1,3}(?:\.\d)?)\b(?!\s*(?:months?|mo|mths?|weeks?|wks?|days?|/12|/52))", _I), 1.0),
    (re.compile(_AGE_LABEL + r"(?P<n>\d{1,2})\s*(?:months?|mo|mths?|/12)\b", _I), 1 / 12),
    (re.compile(_AGE_LABEL + r"(?P<n>\d{1,2})\s*(?:weeks?|wks?|/52)\b", _I), 7 / 365),
    (re.compile(_AGE_LABEL + r"(?P<n>\d{1,2})\s*days?\b", _I), 1 / 365),
    (re.compile(r"年龄\s*[:：]?\s*(?P<n>\d{1,3})(?!\s*(?:个月|月|天|周|\d))"), 1.0),
    # the sex, then the age: "man 60", "Female, 45", "male/34", "a woman of 60", "男，65"
    (re.compile(_PERSON + r"\s*(?:[,:/]\s*|\s+of\s+|\s+)(?:aged?\s+)?(?P<n>\d{1,3})\b" + _NOT_A_QUANTITY, _I), 1.0),
    (re.compile(r"(?<![A-Za-z])[MF]\s*[/,]\s*(?P<n>\d{1,3})\b" + _NOT_A_QUANTITY), 1.0),
    (re.compile(r"[男女]性?\s*[，,、/／\s]\s*(?P<n>\d{1,3})\s*岁?(?![\d.]|\s*(?:kg|公斤|次|分|mmHg|天|周|个?月|年|小时|cm|℃|度))"), 1.0),
    # the age, then the sex: "45F", "60 M" (a 9x F is a temperature in Fahrenheit)
    (re.compile(r"(?<![\w.])(?P<n>\d{1,2})\s?M\b(?!\s*(?:dose|doses))"), 1.0),
    (re.compile(r"(?<![\w.])(?P<n>[1-8]?\d)\s?F\b"), 1.0),
    # ... but a note that opens with "90F," or "93 F with" names the patient: no note begins
    # with a temperature, and the very old are the ones whose age matters most
    # ("92F lives alone", "95 F found on the floor"); a word of temperature after it keeps it one
    (OPENING_AGE_SEX, 1.0),
    # a person named or titled with the age in brackets: "Mr Banda (81)", "the patient (6 yrs)"
    (re.compile(_TITLED + r"[^()\n.;]{0,25}?[(（]\s*(?P<n>\d{1,3})\s*(?:y|yo|yrs?|years?|岁)?\s*[)）]", _I), 1.0),
    (re.compile(r"\A\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s*[(（]\s*(?P<n>\d{1,3})\s*(?:y|yo|yrs?|years?)?\s*[)）]"
                r"(?!\s*(?:mg|mcg|g\b|ml|daily|od|bd|bid|tds|tid|qds|once|twice|tabs?))"), 1.0),
    # "Mrs K, 72, fell", "Mr John Banda, 58"
    (re.compile(r"\b(?:[Mm]rs?|[Mm]s|[Mm]iss|[Mm]aster)\b\.?\s+[A-Z]\w*(?:\s+[A-Z]\w*){0,2}\s*,\s*(?P<n>\d{1,3})\b"
                + _NOT_A_QUANTITY), 1.0),
]


# "on tablets for 6 years", "since 3 years", "diabetic of 15 years": a duration, not an age
_DURATION_BEFORE = re.compile(r"\b(?:for|since|past|last|over|of|within|after)\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+)?$", _I)
_AGE_WORD = re.compile(r"old|yo|y/o|y\.o", _I)


# The age of someone else: "one child aged 3", "her son, 5,", "孩子（2岁）"
_RELATIVE_BEFORE = re.compile(
    r"(?:\b(?:child|children|kids?|son|daughter|wife|husband|mother|father|mum|mom|dad|sister|brother"
    r"|grand\w+|neighbou?r|friend|partner|twin|sibling)s?\b|孩子|儿子|女儿|丈夫|妻子|母亲|父亲|老伴|孙\w?)"
    r"[\s,，(（]*(?:aged?|of|is|was)?[\s:,，(（]*$", _I)


# The one who writes names the patient as their own relative: "my son is 9", "our daughter,
# 10", "我家孩子三岁", or a lay note that opens with the relative ("孩子五岁，拉肚子"): that age is
# the patient's, not someone else's (issue 11: relative-speaker cues).
_REPORTER_BEFORE = re.compile(r"(?:\b(?:my|our)\s+(?:\w+\s+)?|我家|我的|我们家|咱家|我|"
                              # a caller's message: "奶奶打电话来：孙子一岁半", "妈妈说：儿子三岁"
                              r"(?:打电话来|打来电话|来电|说|讲|代诉|代述)\s*[：:]\s*|\A\s*)$", _I)


# A nursing mother who writes about her own body names her baby's age as the object of her
# nursing ("I'm breastfeeding my 5 week old. My right breast ...", "我在给两个月的宝宝喂奶，我右边
# 乳房红肿"): she is the patient and that age is her baby's. Without a word of her own body the
# age stays the patient's ("I'm feeding my 3 week old and she won't latch": the baby's note).
_NURSING_BEFORE = re.compile(r"\b(?:i'?m|i\s+am|i'?ve\s+been|i\s+have\s+been)\s+(?:still\s+|exclusively\s+|only\s+)?"
                             r"(?:breast-?\s?feeding|nursing|feeding)\s+(?:my\s+|our\s+)?$|给\s*(?:我家|我的|我)?\s*$", _I)
_WRITER_BODY = re.compile(r"\bmy\s+(?:(?:right|left|both|other)\s+)?(?:breasts?|nipples?|stitches|perineum|"
                          r"c-?section\s+(?:scar|wound)|womb|bleeding|period)\b|我的?(?:左边|右边|左侧|右侧|左|右|两侧|双侧)?"
                          r"(?:乳房|乳头|奶|伤口|下面)", _I)


def _nursing_writers_baby(note: str, m: re.Match) -> bool:
    before = note[max(0, m.start() - 40):m.start()]
    if not _NURSING_BEFORE.search(before):
        return False
    if before.rstrip().endswith("给") or re.search(r"给\s*(?:我家|我的|我)?\s*$", before):
        if not re.match(r"[^。；;，,]{0,4}?的?(?:宝宝|孩子|婴儿|娃|小孩)\s*(?:喂奶|哺乳|吃奶)", note[m.end():m.end() + 12]):
            return False
    return bool(_WRITER_BODY.search(note))


def _reporter_relative(note: str, start: int) -> bool:
    return bool(_REPORTER_BEFORE.search(note[max(0, start - 20):start]) if start else True)


_RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|to)\s*$", _I)


def _first_age_match(pattern: re.Pattern, note: str) -> re.Match | None:
    """The first match that reads as the patient's age: a bare "N years" after "for"/"since"/"of"
    is a duration, and a number right after "her son", "one child aged" is someone else's age."""
    for m in pattern.finditer(note):
        window_start = max(0, m.start() - 30)
        rel = _RELATIVE_BEFORE.search(note[window_start:m.start()])
        if rel and not _reporter_relative(note, window_start + rel.start()):
            continue
        if _nursing_writers_baby(note, m):
            continue
        bare_years = "n" in pattern.groupindex and re.search(r"y", m.group(0), _I) \
            and not _AGE_WORD.search(m.group(0)) and not re.search(r"\b(?:he|she)\s+is", m.group(0), _I)
        if bare_years and _DURATION_BEFORE.search(note[max(0, m.start() - 20):m.start()]):
            continue
        # the end of a range ("over the last 2-3 years", "5 to 10 yrs") is a duration
        if bare_years and _RANGE_BEFORE.search(note[max(0, m.start() - 8):m.start()]):
            continue
        return m
    return None


def _zh_number(text: str) -> float | None:
    """一 .. 九十九 written in Chinese numerals ("七十三" = 73, "十二" = 12, "六" = 6)."""
    if "十" in text:
        tens, _, units = text.partition("十")
        t = _ZH_NUM.get(tens, 0) if tens else 1
        u = _ZH_NUM.get(units, 0) if units else 0
        if (tens and tens not in _ZH_NUM) or (units and units not in _ZH_NUM):
            return None
        return t * 10 + u
    return _ZH_NUM.get(text) if len(text) == 1 else None


# "2岁3个月", "一岁两个月": the months after the years
_ZH_MONTHS_AFTER = re.compile(r"(?:零)?(?:(?P<n>\d{1,2})|(?P<zh>[一二两三四五六七八九十]{1,2}))\s*个月")
# The middle of a decade, or its early or late part ("in her late 50s": 58)
_DECADES = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70, "eight": 80, "ninet": 90}
_DECADE_PART = {"early": 2, "mid": 5, "late": 8, None: 5}


def _decade_age(decade: str, when: str | None) -> int:
    low = decade.lower()
    base = next((v for k, v in _DECADES.items() if low.startswith(k)), None)
    if base is None:
        base = int(low[:2])
    return base + _DECADE_PART[when.lower() if when else None]


def _month_count(m: re.Match) -> float:
    if m.group("n"):
        return float(m.group("n"))
    return float(_zh_number(m.group("zh")) or 0)


def age_from_text(note: str) -> float | None:
    """The first age written in ``note`` ("2yo", "8 months old", "3岁"), in years."""
    best: tuple[int, float] | None = None
    for pattern, factor in _AGE_PATTERNS:
        m = _first_age_match(pattern, note)
        if m is None:
            continue
        zh = m.groupdict().get("zh") or m.groupdict().get("zh2")
        n = m.groupdict().get("n") or m.groupdict().get("n2")
        word = m.groupdict().get("w")
        decade = m.groupdict().get("dec")
        if word:
            n = str(_AGE_WORD_VALUES[word.lower()])
        if zh:
            value = _zh_number(zh)
            if value is None:
                continue
            n = str(value)
        if decade:
            n = str(_decade_age(decade, m.group("when")))
        if n is None:
            continue
        age = float(n) * factor
        if re.search(r"(?:多|余|来)\s*岁$", m.group(0)):
            age += 5            # 六十多岁: in the sixties, counted as the middle of the decade
        after = note[m.end():m.end() + 6]
        if factor == 1.0 and after[:1] == "半":
            age += 0.5          # 一岁半: one and a half years
        elif factor == 1.0 and m.group(0).endswith("岁"):
            months = _ZH_MONTHS_AFTER.match(after)   # 2岁3个月: two years and three months
            if months:
                age += _month_count(months) / 12
        elif factor == 1 / 12 and "半月" in m.group(0):
            age += 0.5 / 12     # 3个半月: three and a half months
        if 0 <= age <= 120 and (best is None or m.start() < best[0]):
            best = (m.start(), age)
    if best is None and _NEWBORN.search(note) and not _DELIVERY.search(note):
        return round(3 / 365, 3)      # "newborn", "neonate", "新生儿" with no number: days old
    return None if best is None else round(best[1], 3)


# A patient named a newborn with no age in numbers; not a mother's note about her baby.
_NEWBORN = re.compile(r"\b(?:new-?born|neonate|baby\s+born)\b|新生儿", _I)
_DELIVERY = re.compile(r"\b(?:deliver(?:ed|y)|gave birth|postpartum|post-partum|caesarean|c-section|lochia)\b|"
                       r"分娩|产后|产妇|剖宫产|顺产", _I)


_PREG_PATTERNS = [
    re.compile(r"(?<![\d/])(?:[4-9]|[1-3]\d|4[0-2])(?:\+\d)?\s*/\s*40(?![\d/])"),
    re.compile(r"\b\d{1,2}\s*(?:weeks?|wks?)(?:['’]s?)?\s*(?:pregnant|gestation|of\s+gestation|ga\b|of\s+pregnancy)", _I),
    re.compile(r"\bga\s*[:=]?\s*\d{1,2}\s*(?:weeks?|wks?|/40)?", _I),
    re.compile(r"\bg\d{1,2}\s*p\d{1,2}\b", _I),
    # gravida written with the weeks: "G1 at 34 weeks", "primigravida, 30 wks", "gravida 3 at 28/52"
    re.compile(r"\b(?:g\d{1,2}|gravida\s*\d{1,2}|primi\s?gravida|multi\s?gravida|primip|multip)\b"
               r"[^.;\n]{0,25}?\b\d{1,2}(?:\+\d)?\s*(?:weeks?|wks?|/52)\b", _I),
    re.compile(r"\b(?:primi\s?gravida|multi\s?gravida|gravida\s*\d{1,2})\b", _I),
    re.compile(r"孕\s*\d{1,2}(?:\+\d)?\s*周"),
    re.compile(r"妊娠\s*\d{1,2}\s*周"),
    # months of pregnancy, as mothers and relatives say them: "2 months pregnant", "pregnant
    # (for) about two months", "three months into her pregnancy", "怀孕两个多月", "孕3月"
    re.compile(r"\b(?:\d|one|two|three|four|five|six|seven|eight|nine)\s*months?\s+(?:pregnant|gone\b|"
               r"into\s+(?:her\s+|the\s+)?pregnancy|of\s+pregnancy)", _I),
    re.compile(r"\bpregnant\s+(?:for\s+)?(?:about\s+|around\s+|nearly\s+|almost\s+)?"
               r"(?:\d|one|two|three|four|five|six|seven|eight|nine)\s*months?\b", _I),
    re.compile(r"(?:怀孕|孕|妊娠)\s*(?:\d|[一二两三四五六七八九])\s*个?多?月"),
]


def pregnancy_spans(note: str) -> list[Span]:
    out = []
    for pattern in _PREG_PATTERNS:
        for m in pattern.finditer(note):
            out.append(Span(m.start(), m.end(), m.group()))
    return out


_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1}
_N = r"(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?)"
_LMP_PATTERNS = [
    # "LMP 7 weeks ago", "last period was about 7 weeks ago", "last menses two months ago"
    re.compile(r"\b(?:lmp|last\s+(?:normal\s+)?(?:menstrual\s+)?period|last\s+menses|last\s+menstruation)\b"
               r"[^.;\n]{0,25}?\b" + _N + r"\s*(?P<u>weeks?|wks?|/52|months?|/12|days?)\s+ago", _I),
    # "no period for 2 months", "hasn't had her period in six weeks", "period is 3 weeks late"
    re.compile(r"\b(?:no|not\s+had\s+(?:a|her|my)?|hasn'?t\s+had\s+(?:a|her|my)?|missed\s+(?:her|my)?)\s*"
               r"(?:menstrual\s+)?periods?\s+(?:for|in|since)\s+(?:about\s+|around\s+)?" + _N +
               r"\s*(?P<u>weeks?|wks?|months?|days?)", _I),
    # "停经50天", "停经7周", "月经推迟2周", "末次月经是7周前"
    re.compile(r"(?:停经|月经(?:推迟|未来|没来|过期))\s*(?:约|大约)?\s*(?P<n>\d{1,3})\s*(?P<u>天|周|个月|月)"),
    re.compile(r"末次月经[^。；，,\n]{0,12}?(?P<n>\d{1,2})\s*(?P<u>周|个月|月|天)前"),
]
_LMP_DAYS = {"w": 7, "/52": 7, "周": 7, "m": 30, "/12": 30, "个": 30, "月": 30, "d": 1, "天": 1}


def missed_period_spans(note: str) -> list[Span]:
    """A last menstrual period 5 weeks ago or more, however it is written: a missed period,
    so a possible pregnancy (WHO MCPC: think of pregnancy in any woman of reproductive age)."""
    out = []
    for pattern in _LMP_PATTERNS:
        for m in pattern.finditer(note):
            raw = m.group("n").lower()
            n = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
            unit = m.group("u").lower()
            days = n * next(v for k, v in _LMP_DAYS.items() if unit.startswith(k))
            if days >= 35:
                out.append(Span(m.start(), m.end(), m.group()))
    return out


# Words that describe the patient (not a relative: "mother says the baby ..." is about the
# baby), in the opening of the note where the patient is introduced.
_SEX_PATTERNS = [
    (re.compile(r"\b(?i:woman|lady|girl|female|pregnant|primigravida|multigravida|gravida)\b|"
                r"(?<![A-Za-z])\d{1,3}\s*(?i:yo|y/o|y\.o\.|yrs?|years?(?:[- ]old)?)?\s*F\b|\bF\s*/?\s*\d{1,3}\b|"
                r"(?:^|[\s，,。:：])女(?:性|孩|童|婴|患者)?(?=[，,、\s\d]|$)|患者女|性别[:：]?\s*女|"
                # a girl, an old woman named the way relatives and Chinese notes name them
                r"女孩|女婴|女童|女宝|小姑娘"), "female"),
    (re.compile(r"\b(?i:man|gentleman|boy|male)\b|"
                r"(?<![A-Za-z])\d{1,3}\s*(?i:yo|y/o|y\.o\.|yrs?|years?(?:[- ]old)?)?\s*M\b|\bM\s*/?\s*\d{1,3}\b|"
                r"(?:^|[\s，,。:：])男(?:性|孩|童|婴|患者)?(?=[，,、\s\d]|$)|患者男|性别[:：]?\s*男|"
                r"男孩|男婴|男童|男宝"), "male"),
]
# An older man or woman named the way relatives and Chinese notes name them ("大爷胸痛",
# "老太太头晕"): the patient's sex unless a child is named too (then the elder is the one
# who brought the child).
_ELDER_SEX = [
    (re.compile(r"老太太|老奶奶|大妈|大娘|老阿姨|老婆婆"), "female"),
    (re.compile(r"小伙子|大爷|老爷子|老爷爷|老大爷|老头|老伯|大叔"), "male"),
]
_INTRO_CHARS = 160


def sex_from_text(note: str) -> str | None:
    """The patient's sex when the opening of the note states it ("this 70 year old lady",
    "45M", "患者男，45岁"); None when it says nothing, or both."""
    head = note[:_INTRO_CHARS]
    found = {sex for pattern, sex in _SEX_PATTERNS if pattern.search(head)}
    if not found and not _CHILD_WORDS.search(note):
        found = {sex for pattern, sex in _ELDER_SEX if pattern.search(head)}
    return found.pop() if len(found) == 1 else None


# Gestation, however it is written: "32/40", "36+2/40", "36+2 weeks", "32 weeks' gestation",
# "32 weeks pregnant", "GA 32 weeks", "born at 36 weeks and 2 days", "孕32周", "孕36+2周",
# "妊娠32周3天", "胎龄36周". Weeks from 4 to 44, days 0 to 6 (a "+2" after the weeks is days).
_GA_WEEKS = r"(?P<w>[4-9]|[1-3]\d|4[0-4])"
_GA_DAYS = r"(?:\s*\+\s*(?P<d>[0-6]))"
_GA_AND_DAYS = r"(?:\s*(?:and|\+|,)\s*(?P<d2>[0-6]|one|two|three|four|five|six)\s*days?\b)"
_GESTATION_PATTERNS = [
    re.compile(r"(?<![\d/+])" + _GA_WEEKS + _GA_DAYS + r"?\s*/\s*40(?![\d/])"),
    re.compile(r"(?<![\d/+])" + _GA_WEEKS + _GA_DAYS + r"\s*(?:weeks?|wks?|w|/52)\b", _I),
    re.compile(r"(?<![\d/+])" + _GA_WEEKS + r"\s*(?:weeks?|wks?)" + _GA_AND_DAYS + r"?(?:['’]s?)?\s*(?:of\s+)?"
               r"(?:gestation|pregnant|pregnancy|ga)\b", _I),
    re.compile(r"\b(?:born|delivered)\s+at\s+(?:about\s+)?" + _GA_WEEKS + _GA_DAYS
               + r"?\s*(?:weeks?|wks?|/52|/40)\b" + _GA_AND_DAYS + "?", _I),
    re.compile(r"\b(?:gestation|gestational\s+age|ga)\s*(?:at|of|is|was|[:=])?\s*(?:about\s+)?"
               + _GA_WEEKS + _GA_DAYS + r"?(?:\s*(?:weeks?|wks?|/52|/40))?(?![\d/])" + _GA_AND_DAYS + "?", _I),
    re.compile(r"(?:孕|妊娠|怀孕|胎龄|宫内孕)\s*" + _GA_WEEKS + _GA_DAYS + r"?\s*周(?:\s*(?:又|零)?\s*(?P<d2>[0-6])\s*天)?"),
    re.compile(r"(?:孕|妊娠|胎龄)\s*" + _GA_WEEKS + _GA_DAYS),
    # the age of a lost pregnancy, after the loss ("miscarried 12 days ago at ~14 wks"): only
    # the "at ..." part (group ``at``) is the gestation (issue 11, session 19)
    re.compile(r"\b(?:miscarried|miscarriage|aborted|abortion|lost\s+(?:the|her)\s+(?:pregnancy|baby)|stillbirth|"
               r"stillborn)\b[^.;\n]{0,40}?(?P<at>\bat\s*[~≈]?\s*(?:about\s+|around\s+|approx\.?\s*)?"
               + _GA_WEEKS + _GA_DAYS + r"?\s*(?:weeks?|wks?|/40|/52)\b)", _I),
]
_DAY_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def find_gestations(note: str) -> list[tuple[int, Span]]:
    """(days of gestation, span) for each gestation written in ``note``, in order, without
    overlaps ("36+2 weeks" and "36 weeks and 2 days" are both 254)."""
    found: list[tuple[int, Span]] = []
    for pattern in _GESTATION_PATTERNS:
        for m in pattern.finditer(note):
            start = m.start("at") if m.groupdict().get("at") else m.start()
            if any(s.start < m.end() and start < s.end for _, s in found):
                continue
            extra = m.groupdict().get("d") or m.groupdict().get("d2") or "0"
            days = int(extra) if extra.isdigit() else _DAY_WORDS[extra.lower()]
            found.append((int(m.group("w")) * 7 + days, Span(start, m.end(), note[start:m.end()])))
    found.sort(key=lambda item: item[1].start)
    return found


# Gravidity and parity: "G2P1", "G3 P2+1", "gravida 2 para 1", "primigravida" (G1 P0),
# "second pregnancy with one previous birth", "孕2产1". (gravida, para) - either may be
# unknown (None) when the text writes only one of them.
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6,
             "7th": 7, "8th": 8, "9th": 9, "10th": 10}
_COUNTS = {"no": 0, "none": 0, "zero": 0, "one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5,
           "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_BIRTHS = r"(?:previous|prior|earlier)\s+(?:births?|deliver(?:y|ies)|childbirths?|live\s+births?)"
_GP_PATTERNS = [
    re.compile(r"(?<![A-Za-z0-9])G\s?(?P<g>\d{1,2})\s?P\s?(?P<p>\d{1,2})(?:\s?\+\s?\d{1,2})?(?![0-9])", _I),
    re.compile(r"\bgravida\s*(?P<g>\d{1,2})\s*,?\s*(?:para\s*(?P<p>\d{1,2}))?", _I),
    re.compile(r"\b(?:para|parity)\s*(?P<p>\d{1,2})\b", _I),
    re.compile(r"\b(?P<primi>primi\s?gravida|primigravid|primigravidae?)\b", _I),
    re.compile(r"\b(?P<nulli>nullipara|nulliparous|nullip)\b", _I),
    re.compile(r"\b(?P<go>" + "|".join(_ORDINALS) + r")\s+pregnancy\b(?:[^.;\n]{0,20}?\b(?P<pw>"
               + "|".join(_COUNTS) + r"|\d{1,2})\s+" + _BIRTHS + r")?", _I),
    re.compile(r"\b(?P<pw>" + "|".join(_COUNTS) + r"|\d{1,2})\s+" + _BIRTHS, _I),
    re.compile(r"孕\s*(?P<g>\d{1,2})\s*产\s*(?P<p>\d{1,2})"),
]


def gravida_para(note: str) -> list[tuple[int | None, int | None, Span]]:
    """(gravida, para, span) for each gravidity or parity written in ``note``, in order,
    without overlaps ("G2P1" and "second pregnancy with one previous birth" are both (2, 1))."""
    found: list[tuple[int | None, int | None, Span]] = []
    for pattern in _GP_PATTERNS:
        for m in pattern.finditer(note):
            if any(s.start < m.end() and m.start() < s.end for _, _, s in found):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            gravida = int(groups["g"]) if "g" in groups else None
            para = int(groups["p"]) if "p" in groups else None
            if "primi" in groups:
                gravida, para = 1, 0
            if "nulli" in groups:
                para = 0
            if "go" in groups:
                gravida = _ORDINALS[groups["go"].lower()]
            if "pw" in groups:
                word = groups["pw"].lower()
                para = int(word) if word.isdigit() else _COUNTS[word]
            if gravida == 1 and para is None:
                para = 0            # a first pregnancy has no birth before it
            found.append((gravida, para, Span(m.start(), m.end(), m.group())))
    found.sort(key=lambda item: item[2].start)
    return found


# --- an adult the text shows when no age is written --------------------------------------
# The youngest age the evidence below plausibly shows (a pregnancy of her own, a spouse, a
# title, an occupation, retirement): above every child-only triage band (WHO IMCI: under 5;
# the Pocket Book's childhood rules), so those rules are switched off; adult rules apply
# without an age anyway.
ADULT_MIN_AGE = 12.0
_ADULT_WORDS = re.compile(
    r"(?-i:\b(?:Mr|Mrs|Ms|MR|MRS)\b\.?\s*[A-Z])|"
    r"\b(?:her|his|my)\s+(?:husband|wife|boyfriend|girlfriend|fianc[ée]e?|employer|boss)\b|"
    r"\b(?:husband|wife)\s+(?:says|said|reports|brought|noticed|called)\b|"
    r"\b(?:retired|pensioner)\b|\bworks\s+as\b|"
    r"\b(?:is|was|as|i'?m|i\s+am)\s+an?\s+(?:farmer|teacher|labourer|laborer|driver|miner|"
    r"fisherman|trader|shopkeeper|nurse|builder|factory worker|housewife|soldier|mechanic|"
    r"carpenter)\b|"
    r"先生|女士|她丈夫|她老公|他老婆|他妻子|他爱人|她爱人|我老公|我老婆|我丈夫|我妻子|"
    r"退休|务农|个体户|家庭主妇|老头子|老太太|"
    # an older man or woman named as relatives and neighbours name them; an elderly patient
    r"大爷|老爷子|老爷爷|老大爷|老伯|老奶奶|大妈|大娘|老人家|老年人|小伙子|\belderly\b",
    _I | re.MULTILINE)
# A child named anywhere in the note: the adult words may be the parent's ("her husband
# brought the baby"), so nothing is inferred.
_CHILD_WORDS = re.compile(
    r"\b(?:baby|babies|infant|child|children|kid|kids|toddler|newborn|neonate|son|daughter|"
    r"boy|girl|schoolboy|schoolgirl|pupil|grandson|granddaughter|grandchild|nappy|diaper|"
    r"breastfe\w*|school|mother|mum|mom|mummy|father|dad|daddy|parents?|"
    r"grandmother|grandfather|grandma|granny|grandpa)\b|孩子|小孩|宝宝|婴儿|儿子|女儿|男孩|女孩|孙子|孙女|患儿|个仔|个女|细路|幼儿|学生|上学|妈妈|爸爸|母亲|父亲|阿妈|阿爸|(?<!老)奶奶|(?<!老)爷爷|外婆|外公|家长",
    _I)


def adult_from_text(note: str, *, pregnant: bool = False) -> bool:
    """Does the text show an adult patient ("Mr K", "her husband says", "retired",
    "a farmer", 先生, 退休, her own pregnancy) while naming no child?"""
    if _CHILD_WORDS.search(note):
        return False
    return pregnant or bool(_ADULT_WORDS.search(note))
