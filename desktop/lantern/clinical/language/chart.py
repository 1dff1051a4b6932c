"""Typed facts from outside the note: the chart's allergies, medications and problems,
and the vitals typed in the encounter form.

They reach summaries and letters as values, never as English written into the note
and parsed back. ``ChartDocument`` renders them once, for the reader to see where a
line came from and for verification to find its numbers; each fact keeps the span
of its own rendering.

A chart record that cannot be read (an ``UnreadableRecord`` in the records service's
list) is a fact too: ``ChartFacts.unreadable`` carries it, and documents say "record
damaged: cannot be read" on its line, never "None recorded" or "No known allergies".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from lantern.clinical.language.text import Span
from lantern.domain.errors import ValidationError
from lantern.domain.records import Allergy, Medication, Problem, UnreadableRecord, Vitals

CHART_KEYS = ("allergies", "medications", "problems")
UNREADABLE_TEXT = {"en": "⚠ record damaged: cannot be read", "zh": "⚠ 记录已损坏：无法读取"}
UNREADABLE_MANY = {"en": "⚠ {n} records damaged: cannot be read", "zh": "⚠ {n} 条记录已损坏：无法读取"}


def unreadable_text(count: int, lang: str) -> str:
    """The line that stands for ``count`` chart records of one list that cannot be read."""
    zh = "zh" if lang == "zh" else "en"
    return UNREADABLE_TEXT[zh] if count == 1 else UNREADABLE_MANY[zh].format(n=count)


_UNREADABLE_RE = re.compile("|".join(
    re.escape(t).replace(re.escape("{n}"), r"\d+") for t in (*UNREADABLE_TEXT.values(), *UNREADABLE_MANY.values())))


def is_unreadable_text(text: str) -> bool:
    """True for a document line made by :func:`unreadable_text` (shown in red on screen)."""
    return _UNREADABLE_RE.fullmatch(text.strip()) is not None


@dataclass(frozen=True, slots=True)
class ChartFacts:
    allergies: tuple[Allergy, ...] = ()
    medications: tuple[Medication, ...] = ()      # current ones (stopped are left out)
    problems: tuple[Problem, ...] = ()
    unreadable: tuple[UnreadableRecord, ...] = ()  # of any of the three lists

    def __bool__(self) -> bool:
        return bool(self.allergies or self.medications or self.problems or self.unreadable)

    def unreadable_in(self, table: str) -> int:
        """How many records of ``table`` ("allergies", …) cannot be read."""
        return sum(1 for u in self.unreadable if u.table == table)


def _texts(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"chart.{what} must be a list of strings")
    return [" ".join(v.split()) for v in value if v.strip()]


def chart_from_request(obj: object) -> ChartFacts:
    """The ``chart`` object of a summary request: ``{"allergies": [text], "medications":
    [text], "problems": [text]}``, each text kept as written."""
    if obj is None:
        return ChartFacts()
    if not isinstance(obj, dict):
        raise ValidationError("chart must be an object with allergies, medications and problems")
    unknown = set(obj) - set(CHART_KEYS)
    if unknown:
        raise ValidationError(f"unknown chart key {sorted(unknown)[0]!r}; expected {', '.join(CHART_KEYS)}")
    return ChartFacts(
        allergies=tuple(Allergy(id="", patient_id="", substance=t) for t in _texts(obj.get("allergies"), "allergies")),
        medications=tuple(Medication(id="", patient_id="", name=t)
                          for t in _texts(obj.get("medications"), "medications")),
        problems=tuple(Problem(id="", patient_id="", description=t) for t in _texts(obj.get("problems"), "problems")),
    )


def _field(item: Any, name: str) -> str:
    value = item.get(name) if isinstance(item, dict) else getattr(item, name, "")
    return " ".join(str(value or "").split())


def chart_from_records(*, allergies: Any = None, medications: Any = None, problems: Any = None,
                       unreadable: Any = None) -> ChartFacts:
    """The chart as the records service lists it (domain records, or their mappings, and
    ``UnreadableRecord`` entries, which are kept: in the three lists, or in
    ``unreadable``, e.g. notes); stopped medications and empty entries are left out."""
    unreadable = tuple(u for items in (allergies, medications, problems, unreadable) for u in items or ()
                       if isinstance(u, UnreadableRecord))
    allergies, medications, problems = ([i for i in items or () if not isinstance(i, UnreadableRecord)]
                                        for items in (allergies, medications, problems))
    return ChartFacts(
        unreadable=unreadable,
        allergies=tuple(Allergy(id=_field(a, "id"), patient_id="", substance=_field(a, "substance"),
                                reaction=_field(a, "reaction"), severity=_field(a, "severity"))
                        for a in allergies or () if _field(a, "substance")),
        medications=tuple(Medication(id=_field(m, "id"), patient_id="", name=_field(m, "name"),
                                     dose=_field(m, "dose"), route=_field(m, "route"),
                                     frequency=_field(m, "frequency"))
                          for m in medications or () if _field(m, "name") and not _field(m, "stopped")),
        problems=tuple(Problem(id=_field(p, "id"), patient_id="", description=_field(p, "description"))
                       for p in problems or () if _field(p, "description") and not _field(p, "resolved")),
    )


def vitals_of(value: object) -> Vitals | None:
    """Form vitals as ``Vitals`` (a ``Vitals``, its mapping, or None)."""
    if value is None or isinstance(value, Vitals):
        return value
    if not isinstance(value, dict):
        raise ValidationError("The vitals must be an object of numbers.")
    try:
        vitals = Vitals.from_dict(value)
    except (TypeError, ValueError):
        raise ValidationError("The vitals must be numbers.") from None
    for key, number in vitals.as_dict().items():
        if not math.isfinite(float(number)):
            raise ValidationError(f"vitals.{key} must be a finite number")
    return vitals


@dataclass
class ChartDocument:
    """The rendering of typed facts, line by line; ``add`` returns the span of one item."""

    doc: int
    lines: list[str] = field(default_factory=list)
    _size: int = 0

    def start_line(self, label: str) -> None:
        if self.lines:
            self._size += 1                        # the newline before this line
        self.lines.append(label)
        self._size += len(label)

    def add(self, text: str, *, separator: str = ", ") -> Span:
        if not self.lines[-1].endswith(": ") and not self.lines[-1].endswith("："):
            self.lines[-1] += separator
            self._size += len(separator)
        start = self._size
        self.lines[-1] += text
        self._size += len(text)
        return Span(start, self._size, doc=self.doc)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
