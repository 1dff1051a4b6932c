"""Domain objects <-> the JSON payloads stored (encrypted) in vault rows.

Each record table has a payload format (``PAYLOAD_FORMATS``): the upgrade steps
from version 1 (payloads written before versions existed, without ``"_v"``) to
the current version, and the fields of the current version. The repository
applies the steps when it reads a row and stamps the current version when it
writes one (:mod:`lantern.vault.payload_format`), so the decoders below only
ever see the current format and index it plainly.

To change a payload's shape: add a step ``_<kind>_vN_to_vN1`` at the end of that
kind's list (a pure function with its own test), update the fields and the
encoder/decoder, and add the new version's example to
``tests/unit/services/test_payload_upgrades.py``. Never edit a released step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

from lantern.domain.errors import MalformedPayload
from lantern.domain.followups import Followup, Outcome, OutcomeEntry
from lantern.domain.records import (
    ORDER_ACTIONS,
    AlertOverride,
    Allergy,
    Amendment,
    Caregiver,
    DraftHandover,
    DrugOrder,
    Encounter,
    Medication,
    NoteStatus,
    OrderAlert,
    Patient,
    Problem,
    Sex,
    Vitals,
)
from lantern.vault.payload_format import PayloadFormat
from lantern.vault.repo import Row

_NONE = type(None)
_OPT_STR = (str, _NONE)


# -- upgrade steps: version 1 -> 2 makes explicit the defaults that version 1 read with .get()
def _patient_v1_to_v2(d: dict) -> dict:
    return {"birth_date": None, "birth_year": None, "village": "", "phone": "", **d}


def _patient_v2_to_v3(d: dict) -> dict:
    """Before registration checks (issue 16): no caregiver, never merged into another record."""
    return {"caregiver_name": "", "caregiver_relation": "", "caregiver_phone": "",
            "merged_into": "", "merged_records": [], **d}


def _encounter_v1_to_v2(d: dict) -> dict:
    """Encounters written before the pregnancy flag (b266d42) have no "pregnant"."""
    out = {"note": "", "vitals": {}, "pregnant": False, "status": "draft", "signed_by": None,
           "signed_at": None, "amendments": [], **d}
    out["vitals"] = dict(out["vitals"] or {})
    out["pregnant"] = bool(out["pregnant"])
    out["amendments"] = list(out["amendments"] or [])
    return out


def _encounter_v2_to_v3(d: dict) -> dict:
    """Drafts before hand-over (issue 13): the author holds the draft, nothing changed hands."""
    return {"holder": d.get("author", ""), "handovers": [], **d}


def _encounter_add_orders(d: dict) -> dict:
    """Encounters before orders were stored with them (issue 14, v3 -> v4): no drug orders."""
    return {"orders": [], **d}


def _encounter_add_clinical_date(d: dict) -> dict:
    """Before the clinical date (issue 17, v4 -> v5): the encounter took place the day it was entered
    (None here; :func:`encounter_from_row` reads it as the row's creation date)."""
    return {"clinical_date": None, **d}


def _allergy_v1_to_v2(d: dict) -> dict:
    """``removed_at`` / ``removed_by`` stay absent until an allergy is marked entered in error."""
    return {"reaction": "", "severity": "", **d}


def _medication_v1_to_v2(d: dict) -> dict:
    return {"dose": "", "route": "", "frequency": "", "started": None, "stopped": None, **d}


def _problem_v1_to_v2(d: dict) -> dict:
    return {"icd10": "", "onset": None, "resolved": None, **d}


def _output_v1_to_v2(d: dict) -> dict:
    """Assessments and summaries are an envelope ``{"payload": {...}, "author": name}``.

    A flat body (the document itself, no envelope, as in the saved test vault
    ``schema-v3.db``) becomes the envelope's payload with an unknown author.
    """
    if isinstance(d.get("payload"), dict):
        return {"author": "", **d}
    return {"payload": dict(d), "author": ""}


PAYLOAD_FORMATS: dict[str, PayloadFormat] = {
    "patients": PayloadFormat(
        steps=(_patient_v1_to_v2, _patient_v2_to_v3),
        fields={"name": str, "sex": str, "birth_date": _OPT_STR, "birth_year": (int, _NONE),
                "village": str, "phone": str, "caregiver_name": str, "caregiver_relation": str,
                "caregiver_phone": str, "merged_into": str, "merged_records": list}),
    "encounters": PayloadFormat(
        steps=(_encounter_v1_to_v2, _encounter_v2_to_v3, _encounter_add_orders,
               _encounter_add_clinical_date),
        fields={"author": str, "note": str, "vitals": dict, "pregnant": bool, "status": str,
                "signed_by": _OPT_STR, "signed_at": _OPT_STR, "amendments": list,
                "holder": str, "handovers": list, "orders": list, "clinical_date": _OPT_STR}),
    "allergies": PayloadFormat(
        steps=(_allergy_v1_to_v2,),
        fields={"substance": str, "reaction": str, "severity": str}),
    "medications": PayloadFormat(
        steps=(_medication_v1_to_v2,),
        fields={"name": str, "dose": str, "route": str, "frequency": str,
                "started": _OPT_STR, "stopped": _OPT_STR}),
    "problems": PayloadFormat(
        steps=(_problem_v1_to_v2,),
        fields={"description": str, "icd10": str, "onset": _OPT_STR, "resolved": _OPT_STR}),
    "assessments": PayloadFormat(steps=(_output_v1_to_v2,), fields={"payload": dict, "author": str}),
    "summaries": PayloadFormat(steps=(_output_v1_to_v2,), fields={"payload": dict, "author": str}),
    "followups": PayloadFormat(
        steps=(),
        fields={"due": str, "programme": str, "reason": str, "visit_date": _OPT_STR,
                "source": str, "created_by": str, "outcomes": list}),
    # an acknowledged surveillance alert (issue 17, lantern.services.alerts)
    "alert_acks": PayloadFormat(
        steps=(),
        fields={"key": str, "condition_id": str, "week": str, "rule": str, "village": _OPT_STR,
                "count": int, "acknowledged_by": str, "acknowledged_at": str}),
}

T = TypeVar("T")


def _decoded(table: str, row: Row, build: Callable[[dict], T]) -> T:
    """``build(row.payload)``; a value the domain rejects (a bad date, an unknown sex
    or status) is a MalformedPayload naming the record, never a silent default."""
    try:
        return build(row.payload)
    except (KeyError, TypeError, ValueError):
        raise MalformedPayload(table=table, record_id=row.id,
                               version=PAYLOAD_FORMATS[table].current) from None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def patient_payload(p: Patient) -> dict:
    return {"name": p.name, "sex": p.sex.value, "birth_date": _iso(p.birth_date),
            "birth_year": p.birth_year, "village": p.village, "phone": p.phone,
            "caregiver_name": p.caregiver.name, "caregiver_relation": p.caregiver.relation,
            "caregiver_phone": p.caregiver.phone, "merged_into": p.merged_into,
            "merged_records": list(p.merged_records)}


def patient_from_row(row: Row) -> Patient:
    return _decoded("patients", row, lambda d: Patient(
        id=row.id, name=d["name"], sex=Sex(d["sex"]), birth_date=_date(d["birth_date"]),
        birth_year=d["birth_year"], village=d["village"], phone=d["phone"],
        created_at=_ts(row.created_at), updated_at=_ts(row.updated_at), version=row.version,
        caregiver=Caregiver(name=d["caregiver_name"], relation=d["caregiver_relation"],
                            phone=d["caregiver_phone"]),
        merged_into=d["merged_into"], merged_records=tuple(str(r) for r in d["merged_records"])))


def encounter_payload(e: Encounter) -> dict:
    return {
        "author": e.author, "note": e.note, "vitals": e.vitals.as_dict(),
        "pregnant": e.pregnant,
        "status": e.status.value, "signed_by": e.signed_by, "signed_at": _iso(e.signed_at),
        "amendments": [{"author": a.author, "at": a.at.isoformat(), "text": a.text}
                       for a in e.amendments],
        "holder": e.editor,
        "handovers": [{"kind": h.kind, "from": h.from_user, "to": h.to_user, "at": h.at.isoformat(),
                       "note": h.note} for h in e.handovers],
        "orders": [order_payload(o) for o in e.orders],
        "clinical_date": _iso(e.date_of_care),
    }


def encounter_day(row: Row) -> date:
    """An encounter row's day of care: its clinical date, else (older rows) the day it was
    created. Reports read only this of each encounter."""
    return _decoded("encounters", row, lambda d: _date(d["clinical_date"])
                    or datetime.fromisoformat(row.created_at).date())


def order_payload(o: DrugOrder) -> dict:
    return {"drug": o.drug, "drug_id": o.drug_id, "dose": o.dose, "unit": o.unit, "route": o.route,
            "times_per_day": o.times_per_day, "days": o.days, "computed_from": o.computed_from, "action": o.action,
            "alerts": [{"kind": a.kind, "severity": a.severity, "message": a.message, "source": a.source}
                       for a in o.alerts],
            "overrides": [{"alert": v.alert, "kind": v.kind, "severity": v.severity, "reason": v.reason,
                           "reason_code": v.reason_code, "by": v.by, "at": v.at.isoformat()}
                          for v in o.overrides]}


def _order_action(value: object) -> str:
    """An order's action; absent in orders stored before actions were (they were all new)."""
    if value is None:
        return "new"
    if value not in ORDER_ACTIONS:
        raise ValueError(f"unknown order action {value!r}")
    return str(value)


def order_from_dict(d: dict) -> DrugOrder:
    """A stored order (KeyError / TypeError / ValueError when it is not one)."""
    return DrugOrder(
        drug=str(d["drug"]), drug_id=str(d["drug_id"]), dose=float(d["dose"]), unit=str(d["unit"]),
        route=str(d["route"]), times_per_day=int(d["times_per_day"]), days=int(d["days"]),
        computed_from=str(d["computed_from"]), action=_order_action(d.get("action")),
        alerts=tuple(OrderAlert(kind=a["kind"], severity=a["severity"], message=a["message"],
                                source=a["source"]) for a in d["alerts"]),
        overrides=tuple(AlertOverride(alert=v["alert"], kind=v["kind"], severity=v["severity"],
                                      reason=v["reason"], reason_code=v["reason_code"], by=v["by"],
                                      at=datetime.fromisoformat(v["at"])) for v in d["overrides"]))


def encounter_from_row(row: Row) -> Encounter:
    created = datetime.fromisoformat(row.created_at)
    return _decoded("encounters", row, lambda d: Encounter(
        id=row.id, patient_id=row.patient_id or "", author=d["author"],
        clinical_date=encounter_day(row),
        created_at=created, note=d["note"], vitals=Vitals.from_dict(d["vitals"]),
        pregnant=d["pregnant"], status=NoteStatus(d["status"]), signed_by=d["signed_by"],
        signed_at=_ts(d["signed_at"]),
        amendments=tuple(Amendment(author=a["author"], at=datetime.fromisoformat(a["at"]),
                                   text=a["text"]) for a in d["amendments"]),
        version=row.version, holder=d["holder"],
        handovers=tuple(DraftHandover(kind=h["kind"], from_user=h["from"], to_user=h["to"],
                                      at=datetime.fromisoformat(h["at"]), note=h["note"])
                        for h in d["handovers"]),
        orders=tuple(order_from_dict(o) for o in d["orders"])))


def allergy_from_row(row: Row) -> Allergy:
    return _decoded("allergies", row, lambda d: Allergy(
        id=row.id, patient_id=row.patient_id or "", substance=d["substance"],
        reaction=d["reaction"], severity=d["severity"]))


def medication_from_row(row: Row) -> Medication:
    return _decoded("medications", row, lambda d: Medication(
        id=row.id, patient_id=row.patient_id or "", name=d["name"], dose=d["dose"],
        route=d["route"], frequency=d["frequency"], started=_date(d["started"]),
        stopped=_date(d["stopped"])))


def problem_from_row(row: Row) -> Problem:
    return _decoded("problems", row, lambda d: Problem(
        id=row.id, patient_id=row.patient_id or "", description=d["description"],
        icd10=d["icd10"], onset=_date(d["onset"]), resolved=_date(d["resolved"])))


def followup_payload(f: Followup) -> dict:
    return {"due": f.due.isoformat(), "programme": f.programme, "reason": f.reason,
            "visit_date": _iso(f.visit_date), "source": f.source, "created_by": f.created_by,
            "outcomes": [{"outcome": o.outcome.value, "by": o.by, "at": o.at.isoformat(),
                          "auto": o.auto, "encounter_id": o.encounter_id} for o in f.outcomes]}


def followup_from_row(row: Row) -> Followup:
    return _decoded("followups", row, lambda d: Followup(
        id=row.id, patient_id=row.patient_id or "", encounter_id=row.encounter_id,
        due=date.fromisoformat(d["due"]), programme=d["programme"], reason=d["reason"],
        visit_date=_date(d["visit_date"]), source=d["source"], created_by=d["created_by"],
        outcomes=tuple(OutcomeEntry(outcome=Outcome(o["outcome"]), by=o["by"],
                                    at=datetime.fromisoformat(o["at"]), auto=bool(o["auto"]),
                                    encounter_id=o["encounter_id"]) for o in d["outcomes"]),
        version=row.version))
