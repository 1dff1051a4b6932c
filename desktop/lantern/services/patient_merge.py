"""Merging two records of one patient (admin only), and undoing it.

Mixed into :class:`lantern.services.records.RecordsService`. A merge moves every
record of the *merged* patient (encounters, allergies, medications, problems,
assessments, summaries, and any record table added later) to the *kept* one, each
through the repository's normal update: a new version of the row sealed under its
new owner, so the vault's sealed state follows row by row. The merged patient row
stays (records are never deleted), marked ``merged_into`` with the list of what
moved, and leaves the patient list. Unmerging moves exactly those records back.
Both are one transaction with their audit entry; the messages name only ids.
"""

from __future__ import annotations

import dataclasses
import sqlite3

from lantern.domain.errors import ValidationError
from lantern.domain.records import Patient
from lantern.services import codec
from lantern.services.context import ServiceContext
from lantern.services.roles import require
from lantern.services.search import PatientIndex
from lantern.vault.repo import Row
from lantern.vault.schema import RECORD_TABLES, UNOWNED_TABLES

MOVED_TABLES = tuple(t for t in RECORD_TABLES if t not in UNOWNED_TABLES)


class PatientMergeMixin:
    _ctx: ServiceContext
    _index: PatientIndex

    def _patient_row(self, conn: sqlite3.Connection, patient_id: str) -> tuple[Row, Patient]:
        row = self._ctx.repo.get(conn, "patients", patient_id)
        return row, codec.patient_from_row(row)

    def merge_patients(self, *, keep_id: str, merged_id: str) -> Patient:
        """Move everything of ``merged_id`` to ``keep_id``; returns the kept patient."""
        require(self._ctx.user, "patient.merge")
        if keep_id == merged_id:
            raise ValidationError("A patient record cannot be merged with itself: choose two "
                                  "different records. Nothing was changed.")
        repo = self._ctx.repo
        with self._ctx.writing() as conn:
            _, keep = self._patient_row(conn, keep_id)
            merged_row, merged = self._patient_row(conn, merged_id)
            for p in (keep, merged):
                if p.merged_into:
                    raise ValidationError(f"Record {p.id} was already merged into {p.merged_into}; "
                                          "nothing was changed.")
            moving: list[tuple[str, Row]] = []
            for table in MOVED_TABLES:
                rows, damaged = repo.for_patient(conn, table, merged_id)
                if damaged:
                    raise ValidationError(
                        f"{len(damaged)} record(s) of {merged_id} cannot be read ({table}), so "
                        "they cannot move; nothing was changed. Run 'lantern vault verify'.")
                moving += [(table, r) for r in rows]
            for table, r in moving:
                repo.update(conn, table, row=r, payload=r.payload, new_owner=keep_id)
            merged = dataclasses.replace(merged, merged_into=keep_id,
                                         merged_records=tuple(f"{t}/{r.id}" for t, r in moving))
            merged_row = repo.update(conn, "patients", row=merged_row,
                                     payload=codec.patient_payload(merged))
            self._ctx.log_event(conn, "merge patients", patient_id=keep_id, record_id=merged_id,
                                detail=f"{merged_id} merged into {keep_id}; "
                                       f"{len(moving)} record(s) moved")
        self._index.put(codec.patient_from_row(merged_row))
        return keep

    def unmerge_patient(self, *, merged_id: str) -> Patient:
        """Undo the merge of ``merged_id``: the records it brought go back to it."""
        require(self._ctx.user, "patient.merge")
        repo = self._ctx.repo
        with self._ctx.writing() as conn:
            merged_row, merged = self._patient_row(conn, merged_id)
            keep_id = merged.merged_into
            if not keep_id:
                raise ValidationError(f"Record {merged_id} is not merged into another record; "
                                      "nothing was changed.")
            _, keep = self._patient_row(conn, keep_id)
            if keep.merged_into:
                raise ValidationError(f"Record {keep_id} was itself merged into {keep.merged_into}"
                                      f" since; unmerge {keep_id} first. Nothing was changed.")
            back: list[tuple[str, Row]] = []
            for ref in merged.merged_records:
                table, _, record_id = ref.partition("/")
                if table not in MOVED_TABLES:
                    raise ValidationError(f"Record {merged_id} lists an unknown record {ref}; "
                                          "nothing was changed.")
                row = repo.get(conn, table, record_id)
                if row.patient_id == keep_id:
                    back.append((table, row))
            for table, r in back:
                repo.update(conn, table, row=r, payload=r.payload, new_owner=merged_id)
            merged = dataclasses.replace(merged, merged_into="", merged_records=())
            merged_row = repo.update(conn, "patients", row=merged_row,
                                     payload=codec.patient_payload(merged))
            self._ctx.log_event(conn, "unmerge patients", patient_id=merged_id, record_id=keep_id,
                                detail=f"{merged_id} separated from {keep_id}; "
                                       f"{len(back)} record(s) moved back")
        restored = codec.patient_from_row(merged_row)
        self._index.put(restored)
        return restored

    def merged_into(self, patient_id: str) -> list[str]:
        """Ids of the records merged into ``patient_id`` (what an admin may unmerge)."""
        require(self._ctx.user, "patient.read")
        return self._index.merged_into(patient_id)
