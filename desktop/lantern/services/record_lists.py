"""Allergies, medications, problems, assessments and summaries of a patient.

Mixed into :class:`lantern.services.records.RecordsService`; every write is one
transaction with its audit entry, and role checks come first.

Lists never drop a record they cannot show: a row that fails decryption (or one
the vault-state check reports missing, see :meth:`ClinicalListsMixin.note_missing`)
comes first in its list as an :class:`~lantern.domain.records.UnreadableRecord`,
so every reader (chart, ``patient show``, summaries, letters) has to say "record
damaged" where it would otherwise say "none recorded".
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

from lantern.domain.errors import NotFound, ValidationError
from lantern.domain.records import Allergy, Medication, Problem, UnreadableRecord
from lantern.services import codec
from lantern.services.context import ServiceContext
from lantern.services.roles import require
from lantern.vault.crypto import new_record_id
from lantern.vault.repo import Row


def now_utc() -> datetime:
    return datetime.now(UTC)


def text_field(value: str, *, label: str, required: bool = False, max_len: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{label} is required.")
    if len(value) > max_len:
        raise ValidationError(f"{label} is too long (at most {max_len} characters).")
    return value


class ClinicalListsMixin:
    _ctx: ServiceContext
    _missing: dict[tuple[str, str], list[UnreadableRecord]]

    def note_missing(self, *, records: list[UnreadableRecord]) -> None:
        """Records the authenticated vault state says exist but whose rows are gone
        (``kind`` "missing", with their table, id and patient). The vault-state check
        calls this after unlock; from then on they stand in their patient's lists like
        damaged rows. A record without a patient id cannot be placed in a list: the
        vault-level warning is its place. Replaces what was noted before."""
        missing: dict[tuple[str, str], list[UnreadableRecord]] = {}
        for record in records:
            if record.patient_id:
                missing.setdefault((record.table, record.patient_id), []).append(record)
        self._missing = missing

    def _require_patient(self, conn: sqlite3.Connection, patient_id: str) -> None:
        if not self._ctx.repo.exists(conn, "patients", patient_id):
            raise NotFound(f"No such patient: {patient_id}.")

    def _patient_of_encounter(self, conn: sqlite3.Connection, encounter_id: str) -> str:
        patient_id = self._ctx.repo.get(conn, "encounters", encounter_id).patient_id
        if patient_id is None:  # NOT NULL in the schema: such a row is no encounter
            raise NotFound(f"No such encounter: {encounter_id}.")
        return patient_id

    # -- allergies, medications, problems ------------------------------------------
    def _add_item(self, table: str, patient_id: str, payload: dict, *, permission: str,
                  action: str) -> Row:
        require(self._ctx.user, permission)
        item_id = new_record_id(table[0].upper())
        with self._ctx.writing() as conn:
            self._require_patient(conn, patient_id)
            row = self._ctx.repo.insert(conn, table, row_id=item_id, patient_id=patient_id,
                                    payload=payload)
            self._ctx.log_event(conn, action, patient_id=patient_id, record_id=item_id)
        return row

    def _change_item(self, table: str, item_id: str, changes: dict, *, permission: str,
                     action: str) -> Row:
        require(self._ctx.user, permission)
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, table, item_id)
            row = self._ctx.repo.update(conn, table, row=row, payload={**row.payload, **changes})
            self._ctx.log_event(conn, action, patient_id=row.patient_id, record_id=item_id)
        return row

    def _list_items(self, table: str, patient_id: str) -> tuple[list[Row], list[UnreadableRecord]]:
        """The readable rows, newest first, and the records that cannot be read."""
        require(self._ctx.user, "patient.read")
        with self._ctx.reading() as conn:
            rows, damaged = self._ctx.repo.for_patient(conn, table, patient_id)
        present = {r.id for r in rows} | set(damaged)
        unreadable = [UnreadableRecord(table=table, id=row_id, patient_id=patient_id)
                      for row_id in damaged]
        unreadable += [m for m in self._missing.get((table, patient_id), ())
                       if m.id not in present]
        return rows, unreadable

    def add_allergy(self, patient_id: str, *, substance: str, reaction: str = "",
                    severity: str = "") -> Allergy:
        if severity not in ("", "mild", "moderate", "severe"):
            raise ValidationError("Severity must be mild, moderate or severe.")
        payload = {"substance": text_field(substance, label="Substance", required=True),
                   "reaction": text_field(reaction, label="Reaction"), "severity": severity}
        row = self._add_item("allergies", patient_id, payload, permission="allergy.write",
                             action="add allergy")
        return codec.allergy_from_row(row)

    def remove_allergy(self, allergy_id: str) -> None:
        """Mark an allergy as entered in error (kept, encrypted, for the record)."""
        self._change_item("allergies", allergy_id, {"removed_at": now_utc().isoformat(),
                                                    "removed_by": self._ctx.user.username},
                          permission="allergy.write", action="remove allergy")

    def list_allergies(self, patient_id: str) -> list[Allergy | UnreadableRecord]:
        """Current allergies (not those removed as entered in error); records that
        cannot be read come first (a damaged one may be an allergy or a removed one)."""
        rows, unreadable = self._list_items("allergies", patient_id)
        return [*unreadable, *(codec.allergy_from_row(r) for r in rows
                               if not r.payload.get("removed_at"))]

    def add_medication(self, patient_id: str, *, name: str, dose: str = "", route: str = "",
                       frequency: str = "", started: date | None = None) -> Medication:
        payload = {"name": text_field(name, label="Medication", required=True),
                   "dose": text_field(dose, label="Dose"), "route": text_field(route, label="Route"),
                   "frequency": text_field(frequency, label="Frequency"),
                   "started": (started or date.today()).isoformat(), "stopped": None}
        row = self._add_item("medications", patient_id, payload, permission="medication.write",
                             action="add medication")
        return codec.medication_from_row(row)

    def stop_medication(self, medication_id: str, *, stopped: date | None = None) -> Medication:
        row = self._change_item("medications", medication_id,
                                {"stopped": (stopped or date.today()).isoformat()},
                                permission="medication.write", action="stop medication")
        return codec.medication_from_row(row)

    def list_medications(self, patient_id: str) -> list[Medication | UnreadableRecord]:
        rows, unreadable = self._list_items("medications", patient_id)
        return [*unreadable, *(codec.medication_from_row(r) for r in rows)]

    def add_problem(self, patient_id: str, *, description: str, icd10: str = "",
                    onset: date | None = None) -> Problem:
        payload = {"description": text_field(description, label="Problem", required=True),
                   "icd10": text_field(icd10, label="ICD-10 code", max_len=10),
                   "onset": onset.isoformat() if onset else None, "resolved": None}
        row = self._add_item("problems", patient_id, payload, permission="problem.write",
                             action="add problem")
        return codec.problem_from_row(row)

    def resolve_problem(self, problem_id: str, *, resolved: date | None = None) -> Problem:
        row = self._change_item("problems", problem_id,
                                {"resolved": (resolved or date.today()).isoformat()},
                                permission="problem.write", action="resolve problem")
        return codec.problem_from_row(row)

    def list_problems(self, patient_id: str) -> list[Problem | UnreadableRecord]:
        rows, unreadable = self._list_items("problems", patient_id)
        return [*unreadable, *(codec.problem_from_row(r) for r in rows)]

    # -- assessments and summaries -------------------------------------------------
    def save_assessment(self, encounter_id: str, payload: dict) -> str:
        """Store a diagnosis suggestion and the clinician's choice; returns its id."""
        require(self._ctx.user, "assessment.write")
        with self._ctx.reading() as conn:
            patient_id = self._patient_of_encounter(conn, encounter_id)
        return self._save_output("assessments", encounter_id, patient_id, payload, "save assessment")

    def save_summary(self, encounter_id: str | None, patient_id: str, payload: dict) -> str:
        """Store a summary; returns its id. A signed one (``status`` "signed") takes
        over this user's unsigned draft of the same encounter and kind: that row
        becomes the signed summary (a new version), so no stale draft is left."""
        require(self._ctx.user, "summary.write")
        if isinstance(payload, dict) and payload.get("status") == "signed":
            return self._store_summary(encounter_id, patient_id, payload, "save summary")
        return self._save_output("summaries", encounter_id, patient_id, payload, "save summary")

    def save_summary_draft(self, encounter_id: str | None, patient_id: str, payload: dict) -> str:
        """Store an unsigned summary draft, encrypted like notes; returns its id.

        One row per encounter, kind and author: a later save updates that row (a
        new version, audited "save summary draft" like each note draft save), and
        a signed summary is never touched.
        """
        require(self._ctx.user, "summary.write")
        if not isinstance(payload, dict):
            raise ValidationError("The payload must be a mapping.")
        if payload.get("status", "draft") != "draft" or payload.get("signed_by"):
            raise ValidationError("A draft is unsigned; store a signed summary with save_summary.")
        return self._store_summary(encounter_id, patient_id, {**payload, "status": "draft"},
                                   "save summary draft")

    def latest_summary_draft(self, encounter_id: str) -> dict | None:
        """This user's most recently saved unsigned summary draft of an encounter
        (the shape of :meth:`list_summaries`, plus ``updated_at``), or None."""
        require(self._ctx.user, "patient.read")
        with self._ctx.reading() as conn:
            patient_id = self._patient_of_encounter(conn, encounter_id)
            rows, _damaged = self._ctx.repo.for_patient(conn, "summaries", patient_id)
        drafts = [r for r in rows if r.encounter_id == encounter_id and self._is_my_draft(r)]
        if not drafts:
            return None
        row = max(drafts, key=lambda r: r.updated_at)
        return {"id": row.id, "encounter_id": row.encounter_id, "created_at": row.created_at,
                "updated_at": row.updated_at, **row.payload}

    def _is_my_draft(self, row: Row) -> bool:
        inner = row.payload.get("payload")
        return (row.payload.get("author") == self._ctx.user.username and isinstance(inner, dict)
                and inner.get("status") == "draft")

    def _store_summary(self, encounter_id: str | None, patient_id: str, payload: dict,
                       action: str) -> str:
        """Update this user's draft row of (encounter, kind), or insert a new row."""
        body = {"payload": payload, "author": self._ctx.user.username}
        with self._ctx.writing() as conn:
            self._require_patient(conn, patient_id)
            rows, _damaged = self._ctx.repo.for_patient(conn, "summaries", patient_id)
            draft = next((r for r in rows if r.encounter_id == encounter_id and self._is_my_draft(r)
                          and r.payload["payload"].get("kind") == payload.get("kind")), None)
            if draft is None:
                out_id = new_record_id("S")
                self._ctx.repo.insert(conn, "summaries", row_id=out_id, patient_id=patient_id,
                                     encounter_id=encounter_id, payload=body)
            else:
                out_id = draft.id
                self._ctx.repo.update(conn, "summaries", row=draft, payload=body)
            self._ctx.log_event(conn, action, patient_id=patient_id, record_id=out_id)
        return out_id

    def _save_output(self, table: str, encounter_id: str | None, patient_id: str,
                     payload: dict, action: str) -> str:
        if not isinstance(payload, dict):
            raise ValidationError("The payload must be a mapping.")
        out_id = new_record_id(table[0].upper())
        body = {"payload": payload, "author": self._ctx.user.username}
        with self._ctx.writing() as conn:
            self._require_patient(conn, patient_id)
            self._ctx.repo.insert(conn, table, row_id=out_id, patient_id=patient_id,
                              encounter_id=encounter_id, payload=body)
            self._ctx.log_event(conn, action, patient_id=patient_id, record_id=out_id)
        return out_id

    def list_assessments(self, patient_id: str) -> list[dict | UnreadableRecord]:
        return self._outputs("assessments", patient_id)

    def list_summaries(self, patient_id: str) -> list[dict | UnreadableRecord]:
        return self._outputs("summaries", patient_id)

    def _outputs(self, table: str, patient_id: str) -> list[dict | UnreadableRecord]:
        rows, unreadable = self._list_items(table, patient_id)
        return [*unreadable, *({"id": r.id, "encounter_id": r.encounter_id,
                                "created_at": r.created_at, **r.payload} for r in rows)]
