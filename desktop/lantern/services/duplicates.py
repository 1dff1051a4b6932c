"""Is a patient being registered already in the vault? The matching rule.

A registered patient is a *possible duplicate* when all three hold:

- the names are similar: in Latin script word by word, in any order, each word of
  the shorter name equal to a word of the longer one after spelling folding
  ("Phiri"/"Firi", "Mary"/"Mari"), or one edit apart when both words have at least
  four letters ("Mwansa"/"Mwanza"); in Chinese the characters, equal or (names of
  three characters or more) one character apart ("王小明"/"王晓明"). Pinyin is not
  compared: no offline pinyin table ships with Lantern, so "Wang Xiaoming" and
  "王小明" are not matched;
- the birth years (a birth date's year, or the recorded year) are at most one year
  apart, or one of them is unknown;
- the village is the same (folded like the names, one edit allowed from five letters
  on), or the phone number is (its last nine digits, so "+260 977 123456" and
  "0977 123456" agree).

Folding reuses :mod:`lantern.clinical.language.lexicon` (``spelling_key``,
``one_edit``): one edit distance for the whole project.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lantern.clinical.language.lexicon import one_edit, spelling_key
from lantern.domain.records import Patient

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+")   # letters and digits: "Baby 1" and "Baby 2" differ
PHONE_DIGITS = 9          # the subscriber part: country and trunk prefixes differ
MIN_PHONE_DIGITS = 7
MIN_FUZZY_WORD = 4        # shorter words must agree after folding ("Tom" is not "Tim")
MIN_FUZZY_VILLAGE = 5
MIN_FUZZY_HANZI = 3       # two-character names one apart share only the surname


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class MatchKeys:
    """What the rule compares, computed once per patient (the index keeps them)."""

    hanzi: str                  # the Chinese characters of the name, "" if none
    words: tuple[str, ...]      # the Latin words (and numbers), spelling-folded
    birth_year: int | None
    village: str
    phone: str                  # the last PHONE_DIGITS digits, "" if too short


def match_keys(*, name: str, birth_year: int | None, village: str, phone: str) -> MatchKeys:
    folded = _fold(name)
    hanzi = "".join(_CJK.findall(folded))
    words = () if hanzi else tuple(w if w.isdigit() else spelling_key(w)
                                   for w in _WORD.findall(folded))
    digits = "".join(ch for ch in phone if ch.isdigit())
    return MatchKeys(hanzi=hanzi, words=words, birth_year=birth_year,
                     village=spelling_key(" ".join(_fold(village).split())),
                     phone=digits[-PHONE_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else "")


def keys_of(patient: Patient) -> MatchKeys:
    year = patient.birth_date.year if patient.birth_date else patient.birth_year
    return match_keys(name=patient.name, birth_year=year, village=patient.village,
                      phone=patient.phone)


def _word_match(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= MIN_FUZZY_WORD and one_edit(a, b))


def names_similar(a: MatchKeys, b: MatchKeys) -> bool:
    if a.hanzi or b.hanzi:
        if not (a.hanzi and b.hanzi):
            return False
        return a.hanzi == b.hanzi or (min(len(a.hanzi), len(b.hanzi)) >= MIN_FUZZY_HANZI
                                      and one_edit(a.hanzi, b.hanzi))
    if not a.words or not b.words:
        return False
    shorter, longer = sorted((a.words, b.words), key=len)
    unused = list(longer)
    for word in shorter:   # each word of the shorter name pairs with its own word
        hit = next((w for w in unused if w == word), None) or \
            next((w for w in unused if _word_match(word, w)), None)
        if hit is None:
            return False
        unused.remove(hit)
    return True


def years_close(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


def same_place_or_phone(a: MatchKeys, b: MatchKeys) -> bool:
    if a.phone and a.phone == b.phone:
        return True
    if not a.village or not b.village:
        return False
    return a.village == b.village or (min(len(a.village), len(b.village)) >= MIN_FUZZY_VILLAGE
                                      and one_edit(a.village, b.village))


def possible_duplicate(new: MatchKeys, known: MatchKeys) -> bool:
    """The rule of this module; cheapest test first (it runs over every patient)."""
    return (years_close(new.birth_year, known.birth_year) and same_place_or_phone(new, known)
            and names_similar(new, known))
