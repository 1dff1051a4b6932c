"""Drug names to formulary ids: generic names, aliases and brands in English and Chinese,
a strength in the name ("artemether-lumefantrine 20/120", "amoxicillin 250mg"), form
words ("tabs", "syrup", "片") and typos (one edit, with the project's spelling fold from
:mod:`lantern.clinical.language.lexicon`). A typo that could be two drugs is not guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lantern.clinical.language.lexicon import one_edit, spelling_key

_NUMBER_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug|g|iu|units?|ml|mmol|%)?", re.IGNORECASE)
_SEP_RE = re.compile(r"[\s\-_/+,;:()\[\].]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_NOISE = frozenset({
    "mg", "mcg", "g", "iu", "ml", "unit", "units", "tab", "tabs", "tablet", "tablets", "cap", "caps",
    "capsule", "capsules", "syrup", "syr", "susp", "suspension", "inj", "injection", "dt", "dispersible",
    "oral", "po", "iv", "im", "sc", "sachet", "sachets", "solution", "soln", "drops", "cream", "ointment",
    "vial", "amp", "ampoule", "paediatric", "pediatric", "ped", "forte", "sr", "xr", "er", "x", "kg",
})
_MIN_TYPO = 5          # shorter words are not typo-matched ("amox" is an alias or nothing)
_MAX_WINDOW = 4


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


def _words(text: str) -> list[str]:
    return [w for w in _SEP_RE.split(_fold(text)) if w]


def _key(words: list[str]) -> str:
    return spelling_key("".join(words))


def name_keys(name: str) -> set[str]:
    """The lookup keys of one name or alias (used for the index and for clash checks)."""
    if _CJK_RE.search(name):
        compact = "".join(_words(name))
        return {compact} if compact else set()
    words = [w for w in _words(name) if w not in _NOISE]
    return {_key(words)} if words else set()


@dataclass(frozen=True, slots=True)
class Resolved:
    drug: str
    how: str                      # "name" | "typo" | "agreed" (in DRUGS.md, not written yet)
    strengths: tuple[float, ...] = ()
    per_ml: float | None = None


def strengths_in(text: str) -> tuple[tuple[float, ...], float | None]:
    """The strengths written in a name: "20/120" -> (20, 120); "125mg/5ml" -> (125,), per 5 ml."""
    found: list[float] = []
    per_ml = None
    for m in _NUMBER_RE.finditer(unicodedata.normalize("NFKC", text)):
        value, unit = float(m.group(1)), (m.group(2) or "").lower()
        if unit == "ml":
            per_ml = value
        elif unit == "g":
            found.append(value * 1000)
        elif unit in ("mcg", "µg", "ug"):
            found.append(value / 1000)
        elif unit != "%":
            found.append(value)
    return tuple(found), per_ml


class NameIndex:
    """Every formulary name and alias (and the agreed names of DRUGS.md) by key."""

    def __init__(self, *, names: dict[str, list[str]], agreed: dict[str, str]) -> None:
        self._keys: dict[str, set[str]] = {}
        self._agreed_keys: dict[str, set[str]] = {}
        self._cjk: list[tuple[str, str]] = []
        for drug_id, drug_names in names.items():
            for name in drug_names:
                for key in name_keys(name):
                    self._keys.setdefault(key, set()).add(drug_id)
                    if _CJK_RE.search(key):
                        self._cjk.append((key, drug_id))
        for drug_id, name in agreed.items():
            # the DRUGS.md name of a written drug is one more name of it ("Combined oral contraceptive")
            table = self._keys if drug_id in names else self._agreed_keys
            for variant in (name, drug_id, *name.split(" / ")):
                for key in name_keys(variant):
                    if drug_id in names and key in self._keys:
                        continue
                    table.setdefault(key, set()).add(drug_id)
        self._cjk.sort(key=lambda kv: -len(kv[0]))

    def _exact(self, key: str) -> tuple[str, str] | None:
        for table, how in ((self._keys, "name"), (self._agreed_keys, "agreed")):
            ids = table.get(key)
            if ids and len(ids) == 1:
                return next(iter(ids)), how
        return None

    def _typo(self, key: str) -> str | None:
        if len(key) < _MIN_TYPO:
            return None
        near = {d for k, ids in self._keys.items() if abs(len(k) - len(key)) <= 1 and one_edit(key, k)
                for d in ids}
        return next(iter(near)) if len(near) == 1 else None

    def _windows(self, words: list[str]) -> list[list[str]]:
        """Word windows, longest first, left to right (the whole name first)."""
        out = []
        for size in range(min(len(words), _MAX_WINDOW), 0, -1):
            out += [words[i:i + size] for i in range(len(words) - size + 1)]
        return out

    def resolve(self, text: str) -> Resolved | None:
        """The drug a name means, or None (never a guess between two drugs)."""
        strengths, per_ml = strengths_in(text)
        for drug_id, how in self.mentions(text, first=True):
            return Resolved(drug=drug_id, how=how, strengths=strengths, per_ml=per_ml)
        return None

    def mentions(self, text: str, *, first: bool = False) -> list[tuple[str, str]]:
        """(drug id, how) for every drug named in free text ("allergic to amoxil, sulfa")."""
        found: list[tuple[str, str]] = []
        compact = "".join(_words(text))
        if _CJK_RE.search(text):
            for key, drug_id in self._cjk:
                if key in compact and all(d != drug_id for d, _ in found):
                    found.append((drug_id, "name"))
                    compact = compact.replace(key, " ")
                    if first:
                        return found
        words = [w for w in _words(_NUMBER_RE.sub(" ", _fold(text))) if w not in _NOISE]
        used: set[int] = set()
        for how_typo in (False, True):
            for size in range(min(len(words), _MAX_WINDOW), 0, -1):
                for i in range(len(words) - size + 1):
                    span = set(range(i, i + size))
                    if span & used:
                        continue
                    key = _key(words[i:i + size])
                    hit = (lambda d: (d, "typo") if d else None)(self._typo(key)) if how_typo else self._exact(key)
                    if hit and all(d != hit[0] for d, _ in found):
                        found.append(hit)
                        used |= span
                        if first:
                            return found
        return found
