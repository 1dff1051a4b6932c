"""The follow-up wording tables (``resources/followup/wording_en.toml``, ``wording_zh.toml``)
compiled into patterns. Validated on load: a table that is missing a part or names a
unit or programme the code does not know raises KnowledgeBaseError."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.followups.schedules import PROGRAMME_IDS, followup_dir
from lantern.domain.errors import KnowledgeBaseError

UNITS = ("day", "week", "month")
LANGUAGES = ("en", "zh")


@dataclass(frozen=True, slots=True)
class Wording:
    language: str
    trigger: re.Pattern[str]
    conditional: re.Pattern[str]
    safety_net: re.Pattern[str]
    interval: re.Pattern[str]            # groups: n1..n3 with unit1..unit3 / sn, sd / rel
    numbers: dict[str, int]
    units: dict[str, str]                # word (folded) -> unit
    shorthand: dict[str, str]            # "7" -> "day"
    relative: dict[str, tuple[int, str]]
    programmes: dict[str, re.Pattern[str]]
    gestation: tuple[re.Pattern[str], ...]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _words(pattern: str, *, zh: bool) -> str:
    """Whole words in English; anywhere in Chinese (no spaces between words)."""
    return f"(?:{pattern})" if zh else rf"(?<![\w/])(?:{pattern})(?![\w/])"


def _strings(raw: dict, key: str, path: Path) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise KnowledgeBaseError(f"{path.name}: '{key}' must be a list of words.")
    return value


def read_wording(path: Path, *, programme_ids: frozenset[str]) -> Wording:
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KnowledgeBaseError(f"{path.name} cannot be read ({type(exc).__name__}).") from exc
    language = raw.get("language")
    if language not in LANGUAGES:
        raise KnowledgeBaseError(f"{path.name}: language must be one of {LANGUAGES}.")
    zh = language == "zh"
    units: dict[str, str] = {}
    for unit in raw.get("units") or {}:
        if unit not in UNITS:
            raise KnowledgeBaseError(f"{path.name}: unknown unit '{unit}'.")
        for w in _strings(raw["units"], unit, path):
            units[w.casefold()] = unit
    if set(units.values()) != set(UNITS):
        raise KnowledgeBaseError(f"{path.name}: every unit ({', '.join(UNITS)}) needs words.")
    shorthand = {str(k): str(v) for k, v in (raw.get("shorthand") or {}).items()}
    if not set(shorthand.values()) <= set(UNITS):
        raise KnowledgeBaseError(f"{path.name}: a shorthand names an unknown unit.")
    numbers = {str(k).casefold(): int(v) for k, v in (raw.get("numbers") or {}).items()}
    relative: dict[str, tuple[int, str]] = {}
    for phrase, value in (raw.get("relative") or {}).items():
        if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
                or value[1] not in UNITS):
            raise KnowledgeBaseError(f"{path.name}: relative '{phrase}' must be [count, unit].")
        relative[phrase.casefold()] = (value[0], value[1])
    programmes = {}
    for pid in raw.get("programmes") or {}:
        if pid not in programme_ids:
            raise KnowledgeBaseError(f"{path.name}: unknown programme '{pid}'.")
        programmes[pid] = re.compile(_words(_alternation(_strings(raw["programmes"], pid, path)),
                                            zh=zh), re.I)
    if set(programmes) != programme_ids:
        raise KnowledgeBaseError(f"{path.name}: every programme needs its words "
                                 f"(missing: {', '.join(sorted(programme_ids - set(programmes)))}).")
    num = r"\d{1,3}" + (f"|{_alternation(list(numbers))}" if numbers else "")
    if zh:
        num = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
    unit = _alternation(list(units))
    lead = _alternation(_strings(raw, "interval_lead", path))
    tail = _alternation(_strings(raw, "interval_tail", path))
    trigger = _alternation(_strings(raw, "triggers", path))
    rel = _alternation(list(relative)) if relative else "(?!)"
    sep = r"\s*" if zh else r"[\s-]*"

    def counted(i: int) -> str:
        return rf"(?P<n{i}>{num}){sep}(?P<unit{i}>{unit})"

    if zh:
        forms = [rf"(?:{lead})\s*{counted(1)}",                 # 过3天
                 rf"{counted(2)}\s*(?:{tail})",                  # 3天后, 两周内
                 rf"{counted(3)}\s*(?={trigger})"]               # 3天复诊
    else:
        forms = [rf"(?<![\w/])(?:{lead})\s+{counted(1)}(?![\w/])",       # in 3 days
                 rf"(?<![\w/]){counted(2)}\s+(?:{tail})(?![\w/])"]       # 3 days later
    if shorthand:
        forms.append(rf"(?<![\w/])(?P<sn>\d{{1,2}})\s*/\s*(?P<sd>{_alternation(list(shorthand))})"
                     r"(?![\w/])")
    forms.append(_words(f"(?P<rel>{rel})", zh=zh))
    return Wording(
        language=language,
        trigger=re.compile(_words(trigger, zh=zh), re.I),
        conditional=re.compile(_words(_alternation(_strings(raw, "conditional", path)), zh=zh),
                               re.I),
        safety_net=re.compile(_words(_alternation(_strings(raw, "safety_net", path)), zh=zh),
                              re.I),
        interval=re.compile("|".join(f"(?:{f})" for f in forms), re.I),
        numbers=numbers, units=units, shorthand=shorthand, relative=relative,
        programmes=programmes, gestation=_gestation(raw, path))


def _gestation(raw: dict, path: Path) -> tuple[re.Pattern[str], ...]:
    out = []
    for text in _strings(raw, "gestation", path):
        try:
            rx = re.compile(text, re.I)
        except re.error as exc:
            raise KnowledgeBaseError(f"{path.name}: gestation pattern does not compile.") from exc
        if "w" not in rx.groupindex:
            raise KnowledgeBaseError(f"{path.name}: a gestation pattern needs group 'w'.")
        out.append(rx)
    return tuple(out)


@cache
def load_wordings() -> tuple[Wording, ...]:
    return tuple(read_wording(followup_dir() / f"wording_{lang}.toml",
                              programme_ids=frozenset(PROGRAMME_IDS)) for lang in LANGUAGES)


_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}


def number_value(text: str, numbers: dict[str, int]) -> int | None:
    """'3', 'three', '三', '十二', '二十' -> int (None when it is not a number)."""
    if text.isdigit():
        return int(text)
    if text.casefold() in numbers:
        return numbers[text.casefold()]
    if text and all(ch in _ZH_DIGITS or ch == "十" for ch in text):
        if "十" not in text:
            return _ZH_DIGITS[text] if len(text) == 1 else None
        tens, _, ones = text.partition("十")
        if "十" in ones:
            return None
        return (_ZH_DIGITS.get(tens, 0) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
    return None
