"""Checkable facts in a piece of text: numbers, doses, drugs, frequencies,
allergies and dates, each normalised so that equal facts compare equal
("500mg" = "500 mg" = "0.5 g"; "BD" = "twice daily"; "三" = "3")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.language.drugs import NOT_DRUGS, find_drugs
from lantern.clinical.language.followup import DATE_RE
from lantern.clinical.language.medications import DOSE_RE, dose_in_mg, find_frequencies
from lantern.clinical.language.text import nfkc

_WORD_NUMS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "twelve": "12", "fourteen": "14", "twenty": "20",
    "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
    "九": "9", "十": "10",
}
_WORD_NUM_RE = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fourteen|twenty)\b"
                          r"|(?<![一二两三四五六七八九十])[一二两三四五六七八九十](?=\s*(?:天|日|周|个月|次|片|粒|小时|岁|年|包|支|袋|瓶|分钟|个))",
                          re.IGNORECASE)
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


def normalise_numbers(text: str) -> str:
    text = _PLUS_GRADE.sub(lambda m: f"{len(m.group(0))}+", nfkc(text))
    return _WORD_NUM_RE.sub(lambda m: _WORD_NUMS[m.group(0).lower()], text)


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

    def update(self, other: Claims) -> None:
        for name in ("numbers", "doses", "drugs", "frequencies", "allergies", "dates"):
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
    c.no_allergies = allergy.none_known and not allergy.allergies
    for canon, s, e in find_drugs(text):
        if not any(s < xe and xs < e for xs, xe in allergy_ranges):
            c.drugs.add(canon)
    for m in _UNKNOWN_DRUG_BEFORE_DOSE.finditer(text):
        word = m.group(1).lower()
        if word not in NOT_DRUGS and not find_drugs(m.group(1)):
            c.drugs.add(word)
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
    if claims.no_allergies and source.allergies:
        reasons.append("denies an allergy the source records")
    if claims.dates - source.dates:
        reasons.append("date not in source")
    return reasons
