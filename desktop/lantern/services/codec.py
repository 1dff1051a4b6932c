"""Domain objects <-> the JSON payloads stored (encrypted) in vault rows."""

from __future__ import annotations

from datetime import date, datetime

from lantern.domain.records import (
    Allergy,
    Amendment,
    Encounter,
    Medication,
    NoteStatus,
    Patient,
    Problem,
    Sex,
    Vitals,
)
from lantern.vault.repo import Row


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def patient_payload(p: Patient) -> dict:
    return {"name": p.name, "sex": p.sex.value, "birth_date": _iso(p.birth_date),
            "birth_year": p.birth_year, "village": p.village, "phone": p.phone}


def patient_from_row(row: Row) -> Patient:
    d = row.payload
    return Patient(id=row.id, name=d["name"], sex=Sex(d["sex"]),
                   birth_date=_date(d.get("birth_date")), birth_year=d.get("birth_year"),
                   village=d.get("village", ""), phone=d.get("phone", ""),
                   created_at=_ts(row.created_at), updated_at=_ts(row.updated_at),
                   version=row.version)


def encounter_payload(e: Encounter) -> dict:
    return {
        "author": e.author, "note": e.note, "vitals": e.vitals.as_dict(),
        "pregnant": e.pregnant,
        "status": e.status.value, "signed_by": e.signed_by, "signed_at": _iso(e.signed_at),
        "amendments": [{"author": a.author, "at": a.at.isoformat(), "text": a.text}
                       for a in e.amendments],
    }


def encounter_from_row(row: Row) -> Encounter:
    d = row.payload
    return Encounter(
        id=row.id, patient_id=row.patient_id or "", author=d["author"],
        created_at=_ts(row.created_at), note=d.get("note", ""),
        vitals=Vitals.from_dict(d.get("vitals")), pregnant=bool(d.get("pregnant", False)),
        status=NoteStatus(d.get("status", "draft")),
        signed_by=d.get("signed_by"), signed_at=_ts(d.get("signed_at")),
        amendments=tuple(Amendment(author=a["author"], at=datetime.fromisoformat(a["at"]),
                                   text=a["text"]) for a in d.get("amendments", [])),
        version=row.version,
    )


def allergy_from_row(row: Row) -> Allergy:
    d = row.payload
    return Allergy(id=row.id, patient_id=row.patient_id or "", substance=d["substance"],
                   reaction=d.get("reaction", ""), severity=d.get("severity", ""))


def medication_from_row(row: Row) -> Medication:
    d = row.payload
    return Medication(id=row.id, patient_id=row.patient_id or "", name=d["name"],
                      dose=d.get("dose", ""), route=d.get("route", ""),
                      frequency=d.get("frequency", ""), started=_date(d.get("started")),
                      stopped=_date(d.get("stopped")))


def problem_from_row(row: Row) -> Problem:
    d = row.payload
    return Problem(id=row.id, patient_id=row.patient_id or "", description=d["description"],
                   icd10=d.get("icd10", ""), onset=_date(d.get("onset")),
                   resolved=_date(d.get("resolved")))
