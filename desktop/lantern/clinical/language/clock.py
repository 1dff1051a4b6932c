"""Clock times: when in the day a thing was done ("given at 10:15", "0900 hrs", "7 pm",
"a quarter past ten", "上午10点15分", "下午两点半", "早上7点").

A handover or a referral letter times what was given and done; a rewording writes the time
another way ("10:15" -> "at a quarter past ten", "7:00" -> "早上7点"). A clock time is one
fact, compared as the minutes of the day it can be, not as the numbers it is written with
(the "00" of "07:00" is no number of its own). A time written without its half of the day
("at 7", "7:00", "7点") is read as written, on the 24-hour clock notes keep (07:00, never
19:00); one written with it ("7 pm", 晚上7点) is that half's. The words of the half of the
day that belong to a clock time ("in the morning", 上午) are part of it, not a time of day of
their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.clinical.language.claims import _word_value, same_length_numbers
from lantern.clinical.language.text import nfkc

__all__ = ["ClockTime", "clock_times", "same_clock"]

_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class ClockTime:
    start: int
    end: int
    minutes: frozenset[int]      # the minute of the day


_HALF = r"(?P<half>a\.m\.|p\.m\.|am|pm|hrs|hr|h|hours)?"
_AFTER = (r"(?:\s*(?P<part>in the morning|in the afternoon|in the evening|at night|tonight|"
          r"this morning|this afternoon|this evening))?")
# 24-hour "10:15", "07:00h", "7.30 pm" (a dot only with its half of the day: "10.15" is a number)
_COLON = re.compile(r"(?<![\d.:/])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d)(?![\d/]|:\d)\s*" + _HALF
                    + r"|\.(?P<m2>[0-5]\d)\s*(?P<half2>a\.m\.|p\.m\.|am|pm)(?![a-z]))" + _AFTER, re.IGNORECASE)
# military "0900 hrs", "1430h"
_HOURS = re.compile(r"(?<![\d.:/])(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s*(?:hrs|hr|h|hours)(?![a-z])" + _AFTER,
                    re.IGNORECASE)
# "7 pm", "10 o'clock", "at 7 in the morning"
_HOUR = re.compile(r"(?<![\d.:/])(?P<at>\bat\s+)?(?P<h>1[0-2]|0?[1-9])\s*(?:(?P<half>a\.m\.|p\.m\.|am|pm)(?![a-z])|"
                   r"(?P<oc>o'clock))?" + _AFTER, re.IGNORECASE)
# "a quarter past ten", "half past nine", "quarter to eight", "20 minutes past 3" (never "2 to 3": a range)
_PAST = re.compile(r"\b(?:(?P<q>(?:a )?quarter|half)|(?P<mins>[1-5]?\d)\s+minutes?)\s+(?P<dir>past|to)\s+"
                   r"(?P<h>1[0-2]|0?[1-9])(?![\d:])(?:\s*(?P<half>a\.m\.|p\.m\.|am|pm)(?![a-z]))?" + _AFTER, re.IGNORECASE)
_ZH_NUM = r"\d{1,2}|[一二两三四五六七八九十]{1,3}"
# "上午10点15分", "下午两点半", "14时20分", "早上7点" (a bare Chinese numeral needs the half of the
# day or its minutes: "好一点" is "a little better")
_ZH = re.compile(r"(?P<part>凌晨|清晨|早晨|早上|上午|中午|下午|傍晚|晚上|夜间|夜里)?\s*(?P<h>" + _ZH_NUM + r")\s*[点时]"
                 r"(?:\s*(?P<m>" + _ZH_NUM + r")\s*分|(?P<half>半)|(?P<quarter>一刻|三刻)|整)?(?!钟|间|左右)")

_AM = {"am", "a.m.", "in the morning", "this morning", "凌晨", "清晨", "早晨", "早上", "上午"}
_PM = {"pm", "p.m.", "in the afternoon", "in the evening", "at night", "tonight", "this afternoon", "this evening",
       "下午", "傍晚", "晚上", "夜间", "夜里"}


def _zh_value(written: str) -> int:
    return int(written) if written.isdigit() else int(_word_value(written))


def _minutes(hour: int, minute: int, half: str | None) -> frozenset[int]:
    """The minutes of the day ``hour:minute`` can be, with its half of the day if written."""
    half = (half or "").lower()
    if half in _AM:
        return frozenset({(hour % 12) * 60 + minute})
    if half in _PM or (half == "中午" and hour < 6):
        return frozenset({(hour % 12 + 12) * 60 + minute})
    if half == "中午":
        return frozenset({hour * 60 + minute})
    # (a time written without its half of the day is read as written, on the 24-hour clock the
    # notes keep: "7:00" is not "19:00", and "at 10 o'clock" not 22:00)
    return frozenset({(hour % 24) * 60 + minute})


def clock_times(text: str) -> list[ClockTime]:
    """Each clock time ``text`` writes, with where it stands (its half of the day included)."""
    text = nfkc(text)
    numeric = same_length_numbers(text)
    out: list[ClockTime] = []
    taken: list[tuple[int, int]] = []

    def add(span: tuple[int, int], hour: int, minute: int, half: str | None) -> None:
        start, end = span
        # (a number written as a word ends where the word does: "ten" read as "10 "; no trailing space)
        while end < len(text) and numeric[end] == " " and text[end].isalpha():
            end += 1
        while end > start and numeric[end - 1].isspace():
            end -= 1
        if any(s < end and start < e for s, e in taken) or hour > 24 or minute > 59:
            return
        taken.append(span)
        out.append(ClockTime(start, end, _minutes(hour, minute, half)))

    for m in _COLON.finditer(numeric):
        minute = m.group("m") or m.group("m2")
        half = m.group("half") or m.group("half2") or m.group("part")
        add(m.span(), int(m.group("h")), int(minute), half)
    for m in _HOURS.finditer(numeric):
        add(m.span(), int(m.group("h")), int(m.group("m")), "h")
    for m in _PAST.finditer(numeric):
        hour = int(m.group("h"))
        minute = 15 if (m.group("q") or "").endswith("quarter") else 30 if m.group("q") else int(m.group("mins") or 0)
        if m.group("dir").lower() == "to":
            hour, minute = (hour - 1) % 12 or 12, 60 - minute
        add(m.span(), hour, minute, m.group("half") or m.group("part"))
    for m in _HOUR.finditer(numeric):
        # (a bare number is a clock time only with its half of the day: "at 7 in the morning")
        if m.group("half") or m.group("oc") or (m.group("at") and m.group("part")):
            add(m.span("h")[:1] + m.span()[1:], int(m.group("h")), 0, m.group("half") or m.group("part"))
    for m in _ZH.finditer(numeric):
        if not (m.group("h").isdigit() or m.group("part") or m.group("m") or m.group("half")):
            continue
        minute = (_zh_value(m.group("m")) if m.group("m") else 30 if m.group("half")
                  else 15 * (1 if m.group("quarter") == "一刻" else 3) if m.group("quarter") else 0)
        start = m.start("part") if m.group("part") else m.start("h")
        add((start, m.end()), _zh_value(m.group("h")), minute, m.group("part"))
    return sorted(out, key=lambda c: c.start)


def same_clock(a: frozenset[int], b: frozenset[int]) -> bool:
    """Can two clock times be the same time of day?"""
    return bool(a & b)
