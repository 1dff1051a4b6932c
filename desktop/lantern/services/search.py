"""In-memory patient search index, built after unlock and dropped on lock.

Matches names, ids, villages and phone numbers, partially and
case-insensitively (``casefold``, so it also works for non-Latin scripts).
Nothing here ever touches the disk.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from datetime import date

from lantern.domain.records import Patient, PatientSummary
from lantern.services.duplicates import MatchKeys, keys_of, possible_duplicate


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass(slots=True)
class _Entry:
    summary: PatientSummary
    haystack: str
    digits: str
    name_key: str
    id_key: str
    match: MatchKeys


class PatientIndex:
    """Thread-safe: the GUI may search from a worker while another one saves."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._ordered: list[_Entry] | None = None
        self._merged: dict[str, str] = {}      # merged record -> the record it was merged into
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, patient: Patient, *, today: date | None = None) -> None:
        """Index ``patient``; a record merged into another one leaves the index."""
        if patient.merged_into:
            self.remove(patient.id)
            with self._lock:
                self._merged[patient.id] = patient.merged_into
            return
        summary = PatientSummary(
            id=patient.id, name=patient.name, sex=patient.sex,
            age_years=patient.age_years(today), village=patient.village, phone=patient.phone,
            age=patient.age(today),
            caregiver_phone=patient.caregiver.phone,
        )
        haystack = "\n".join((_fold(patient.id), _fold(patient.name),
                              _fold(patient.village), _fold(patient.phone)))
        entry = _Entry(summary, haystack, _digits(patient.phone), _fold(patient.name),
                       _fold(patient.id), keys_of(patient))
        with self._lock:
            self._entries[patient.id] = entry
            self._merged.pop(patient.id, None)
            self._ordered = None

    def remove(self, patient_id: str) -> None:
        with self._lock:
            if self._entries.pop(patient_id, None) is not None:
                self._ordered = None

    def summary(self, patient_id: str) -> PatientSummary | None:
        """The indexed patient (None when unknown, damaged or merged into another)."""
        with self._lock:
            entry = self._entries.get(patient_id)
        return entry.summary if entry else None

    def merged_into(self, patient_id: str) -> list[str]:
        """The records merged into ``patient_id`` (which an admin may unmerge)."""
        with self._lock:
            return sorted(m for m, kept in self._merged.items() if kept == patient_id)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._merged.clear()
            self._ordered = None

    def _sorted(self) -> list[_Entry]:
        with self._lock:
            if self._ordered is None:
                self._ordered = sorted(self._entries.values(),
                                       key=lambda e: (e.name_key, e.summary.id))
            return self._ordered

    def similar(self, keys: MatchKeys, *, limit: int = 20) -> list[PatientSummary]:
        """Registered patients who may be the one described by ``keys``
        (:func:`lantern.services.duplicates.possible_duplicate`), by name."""
        return [e.summary for e in self._sorted() if possible_duplicate(keys, e.match)][:limit]

    def search(self, query: str = "", *, limit: int = 200) -> list[PatientSummary]:
        tokens = _fold(query).split()
        entries = self._sorted()
        if not tokens:
            return [e.summary for e in entries[:limit]]
        hits = entries
        for token in tokens:  # narrow down token by token (each pass is a plain scan)
            digits = _digits(token) if len(_digits(token)) >= 3 else ""
            if digits:
                hits = [e for e in hits if token in e.haystack or digits in e.digits]
            else:
                hits = [e for e in hits if token in e.haystack]
        first = tokens[0]
        # exact id first, then names starting with the query, then the rest (by name)
        exact = [e for e in hits if e.id_key == first]
        prefix = [e for e in hits if e.name_key.startswith(first) and e.id_key != first]
        ranked = exact + prefix
        if len(ranked) < limit:
            ranked += [e for e in hits
                       if not e.name_key.startswith(first) and e.id_key != first]
        return [e.summary for e in ranked[:limit]]
