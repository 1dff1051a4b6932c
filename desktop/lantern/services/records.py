"""Patient records: demographics, encounters (notes + vitals), allergies,
medications, problems, assessments and summaries.

Every write goes through one transaction together with its audit entry. Role
checks live in :mod:`lantern.services.roles`. A row that fails decryption stands
in its patient's lists as an ``UnreadableRecord`` (never left out: "none recorded"
and "record damaged" are opposite facts for a clinician), is reported by
:meth:`RecordsService.damaged_records` (and ``lantern vault verify``), and
fetching it directly raises ``DamagedRecord``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from lantern.clinical import growth
from lantern.domain.ages import age_in_days
from lantern.domain.errors import PermissionDenied, PossibleDuplicate, ValidationError
from lantern.domain.records import (
    Amendment,
    Caregiver,
    DuplicateCandidate,
    Encounter,
    NoteStatus,
    Patient,
    PatientSummary,
    Role,
    Sex,
    UnreadableRecord,
    Vitals,
)
from lantern.domain.typed_text import clean_text
from lantern.domain.vitals import validate as validate_vitals
from lantern.services import codec
from lantern.services.assessment_records import AssessmentRecordsMixin
from lantern.services.context import ServiceContext
from lantern.services.draft_handover import DraftAccess, DraftHandoverMixin, draft_access, refusal
from lantern.services.duplicates import keys_of
from lantern.services.orders import EncounterOrdersMixin
from lantern.services.patient_merge import PatientMergeMixin
from lantern.services.record_lists import now_utc, text_field
from lantern.services.roles import require
from lantern.services.search import PatientIndex
from lantern.vault.crypto import new_record_id
from lantern.vault.repo import RawRow
from lantern.vault.schema import RECORD_TABLES

log = logging.getLogger(__name__)


def _check_demographics(name: str, sex: Sex | str, birth_date: date | None,
                        birth_year: int | None) -> tuple[str, Sex]:
    name = text_field(name, label="Name", required=True)
    try:
        sex = Sex(sex)
    except ValueError as exc:
        raise ValidationError("Sex must be 'male' or 'female'.") from exc
    today = date.today()
    if birth_date is not None and birth_date > today:
        raise ValidationError("The date of birth is in the future.")
    if birth_date is not None and not (date(1900, 1, 1) <= birth_date <= today):
        raise ValidationError("Date of birth must be between 1900-01-01 and today.")
    if birth_year is not None and not (1900 <= int(birth_year) <= today.year):
        raise ValidationError(f"Birth year must be between 1900 and {today.year}.")
    return name, sex


def _check_caregiver(caregiver: Caregiver) -> Caregiver:
    return Caregiver(name=text_field(caregiver.name, label="Caregiver name"),
                     relation=text_field(caregiver.relation, label="Caregiver relation"),
                     phone=text_field(caregiver.phone, label="Caregiver phone"))


def check_clinical_date(day: date | None) -> date:
    """The day of care: today when not given; never in the future, never before 1900."""
    today = date.today()
    if day is None:
        return today
    if day > today:
        raise ValidationError(f"The clinical date {day.isoformat()} is in the future; "
                              "an encounter is recorded on the day it took place.")
    if day < date(1900, 1, 1):
        raise ValidationError("The clinical date must be after 1900-01-01.")
    return day


def _ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class RecordsService(DraftHandoverMixin, AssessmentRecordsMixin, EncounterOrdersMixin, PatientMergeMixin):
    """``role_of(username)`` gives any user's role (the users service's
    :meth:`~lantern.services.users.UsersService.role_of`): who may take over a draft."""

    def __init__(self, ctx: ServiceContext, *, role_of: Callable[[str], Role | None]) -> None:
        ctx.ensure_unlocked()
        self._ctx = ctx
        self._role_of = role_of
        self._index = PatientIndex()
        self._damaged_patients: list[str] = []
        self._missing = {}

    # -- index -----------------------------------------------------------------
    def rebuild_index(self) -> int:
        """Decrypt every patient row (not notes) into the in-memory index."""
        self._index.clear()
        damaged = []
        today = date.today()
        with self._ctx.reading() as conn:
            for row in self._ctx.repo.all_rows(conn, "patients"):
                if isinstance(row, RawRow):
                    damaged.append(row.id)
                    continue
                self._index.put(codec.patient_from_row(row), today=today)
        self._damaged_patients = damaged
        if damaged:
            log.warning("%d patient record(s) failed decryption", len(damaged))
        return len(self._index)

    def drop_index(self) -> None:
        self._index.clear()
        self._damaged_patients = []

    def patient_summary(self, patient_id: str) -> PatientSummary | None:
        """One indexed patient (name, village, phones) without a vault read; None if unknown."""
        return self._index.summary(patient_id)

    def search_patients(self, query: str = "", *, limit: int = 200) -> list[PatientSummary]:
        require(self._ctx.user, "patient.read")
        self._ctx.ensure_unlocked()
        return self._index.search(query, limit=limit)

    # -- patients ----------------------------------------------------------------
    def add_patient(self, *, name: str, sex: Sex | str, birth_date: date | None = None,
                    birth_year: int | None = None, village: str = "", phone: str = "",
                    caregiver: Caregiver | None = None, confirmed_new: bool = False) -> Patient:
        """Register a patient. A possible duplicate (:meth:`find_duplicates`) is refused
        with PossibleDuplicate unless ``confirmed_new``: the user saw the candidates and
        said this is a new patient, which the audit entry records with their ids."""
        require(self._ctx.user, "patient.write")
        name, sex = _check_demographics(name, sex, birth_date, birth_year)
        patient = Patient(id=new_record_id("P", length=8), name=name, sex=sex,
                          birth_date=birth_date, birth_year=birth_year,
                          village=text_field(village, label="Village"), phone=text_field(phone, label="Phone"),
                          caregiver=_check_caregiver(caregiver or Caregiver()))
        candidates = self.find_duplicates(patient)
        if candidates and not confirmed_new:
            raise PossibleDuplicate(candidates)
        detail = ("confirmed new patient; possible duplicates: "
                  + ", ".join(c.summary.id for c in candidates)) if candidates else ""
        with self._ctx.writing() as conn:
            row = self._ctx.repo.insert(conn, "patients", row_id=patient.id,
                                    payload=codec.patient_payload(patient))
            self._ctx.log_event(conn, "create patient", patient_id=patient.id, detail=detail)
        patient = codec.patient_from_row(row)
        self._index.put(patient)
        return patient

    def find_duplicates(self, patient: Patient, *, limit: int = 20) -> list[DuplicateCandidate]:
        """Registered patients who may be ``patient`` (the rule is in
        :mod:`lantern.services.duplicates`), with their last visit; ``patient``
        itself is never its own candidate."""
        require(self._ctx.user, "patient.read")
        self._ctx.ensure_unlocked()
        found = [s for s in self._index.similar(keys_of(patient), limit=limit + 1)
                 if s.id != patient.id][:limit]
        if not found:
            return []
        with self._ctx.reading() as conn:
            return [DuplicateCandidate(summary=s, last_visit=_ts(
                self._ctx.repo.latest_created(conn, "encounters", s.id))) for s in found]

    def update_patient(self, patient: Patient) -> Patient:
        """Save edited demographics; ConflictError if someone saved in between."""
        require(self._ctx.user, "patient.write")
        name, sex = _check_demographics(patient.name, patient.sex, patient.birth_date,
                                        patient.birth_year)
        patient = dataclasses.replace(patient, name=name, sex=sex,
                                      village=text_field(patient.village, label="Village"),
                                      phone=text_field(patient.phone, label="Phone"),
                                      caregiver=_check_caregiver(patient.caregiver))
        with self._ctx.writing() as conn:
            current = self._ctx.repo.get(conn, "patients", patient.id)
            stale = dataclasses.replace(current, version=patient.version)
            row = self._ctx.repo.update(conn, "patients", row=stale,
                                    payload=codec.patient_payload(patient))
            self._ctx.log_event(conn, "update patient", patient_id=patient.id)
        updated = codec.patient_from_row(row)
        self._index.put(updated)
        return updated

    def get_patient(self, patient_id: str) -> Patient:
        require(self._ctx.user, "patient.read")
        with self._ctx.viewing() as conn:
            row = self._ctx.repo.get(conn, "patients", patient_id)
            self._ctx.log_event(conn, "view patient", patient_id=patient_id)
        return codec.patient_from_row(row)

    # -- encounters --------------------------------------------------------------
    def list_encounters(self, patient_id: str) -> list[Encounter | UnreadableRecord]:
        """Notes newest first; notes that cannot be read come first."""
        rows, unreadable = self._list_items("encounters", patient_id)
        return [*unreadable, *(codec.encounter_from_row(r) for r in rows)]

    def get_encounter(self, encounter_id: str) -> Encounter:
        require(self._ctx.user, "patient.read")
        with self._ctx.reading() as conn:
            return codec.encounter_from_row(self._ctx.repo.get(conn, "encounters", encounter_id))

    def new_encounter(self, patient_id: str, *, clinical_date: date | None = None) -> Encounter:
        """A draft encounter on ``clinical_date`` (the day of care; default today). An
        earlier day is a back-entered paper register: the audit entry keeps that day, its
        own time is the time of entry. A day in the future is refused."""
        require(self._ctx.user, "encounter.draft")
        day = check_clinical_date(clinical_date)
        enc_id = new_record_id("E")
        draft = Encounter(id=enc_id, patient_id=patient_id, author=self._ctx.user.username,
                          created_at=now_utc(), clinical_date=day)
        with self._ctx.writing() as conn:
            self._require_patient(conn, patient_id)
            row = self._ctx.repo.insert(conn, "encounters", row_id=enc_id, patient_id=patient_id,
                                    payload=codec.encounter_payload(draft))
            self._ctx.log_event(conn, "create encounter", patient_id=patient_id, record_id=enc_id,
                                detail=f"clinical date {day.isoformat()}")
        return codec.encounter_from_row(row)

    def draft_access(self, encounter: Encounter) -> DraftAccess:
        """What this user may do with the encounter (edit, take over, read only)."""
        return draft_access(self._ctx.user, encounter)

    def _may_edit_draft(self, enc: Encounter) -> bool:
        return draft_access(self._ctx.user, enc) is DraftAccess.EDIT

    def save_draft(self, encounter_id: str, *, note: str, vitals: Vitals,
                   pregnant: bool | None = None) -> Encounter:
        """Save the draft as typed (drafts may hold implausible vitals; signing checks them)."""
        require(self._ctx.user, "encounter.draft")
        note = clean_text(note, label="The note")
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, "encounters", encounter_id)
            enc = codec.encounter_from_row(row)
            if enc.status is not NoteStatus.DRAFT:
                raise ValidationError("This note is signed; add an amendment instead of editing it.")
            if not self._may_edit_draft(enc):
                raise PermissionDenied(refusal(enc))
            enc = dataclasses.replace(enc, note=note, vitals=vitals,
                                      pregnant=enc.pregnant if pregnant is None else pregnant)
            row = self._ctx.repo.update(conn, "encounters", row=row, payload=codec.encounter_payload(enc))
            self._ctx.log_event(conn, "save draft", patient_id=enc.patient_id, record_id=encounter_id)
        return codec.encounter_from_row(row)

    def _growth_problems(self, conn: Any, enc: Encounter) -> list[str]:
        """A child's weight or length out of range for the age (WHO growth standards'
        plausibility limits): the messages, empty when plausible or not a child."""
        patient = codec.patient_from_row(self._ctx.repo.get(conn, "patients", enc.patient_id))
        when = enc.created_at.date() if enc.created_at else date.today()
        return growth.measurement_problems(
            sex=patient.sex.value, weight_kg=enc.vitals.weight_kg, height_cm=enc.vitals.height_cm,
            age_days=age_in_days(birth_date=patient.birth_date, today=when))

    def sign_encounter(self, encounter_id: str) -> Encounter:
        require(self._ctx.user, "encounter.sign")
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, "encounters", encounter_id)
            enc = codec.encounter_from_row(row)
            if enc.status is not NoteStatus.DRAFT:
                raise ValidationError("This note is already signed.")
            if not self._may_edit_draft(enc):
                raise PermissionDenied(refusal(enc))
            problems = validate_vitals(enc.vitals)
            if not problems:
                problems = self._growth_problems(conn, enc)
            if problems:
                raise ValidationError("Cannot sign: " + " ".join(problems))
            if not enc.note.strip():
                raise ValidationError("Cannot sign an empty note.")
            enc = self._sign_orders(conn, enc)      # refuses an open stop alert; orders -> chart
            enc = dataclasses.replace(enc, status=NoteStatus.SIGNED,
                                      signed_by=self._ctx.user.username, signed_at=now_utc())
            row = self._ctx.repo.update(conn, "encounters", row=row, payload=codec.encounter_payload(enc))
            self._ctx.log_event(conn, "sign", patient_id=enc.patient_id, record_id=encounter_id)
        return codec.encounter_from_row(row)

    def amend_encounter(self, encounter_id: str, text: str) -> Encounter:
        require(self._ctx.user, "encounter.amend")
        text = text_field(text, label="Amendment", required=True, max_len=20000)
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, "encounters", encounter_id)
            enc = codec.encounter_from_row(row)
            if enc.status is not NoteStatus.SIGNED:
                raise ValidationError("Only signed notes are amended; edit the draft instead.")
            amendment = Amendment(author=self._ctx.user.username, at=now_utc(), text=text)
            enc = dataclasses.replace(enc, amendments=(*enc.amendments, amendment))
            row = self._ctx.repo.update(conn, "encounters", row=row, payload=codec.encounter_payload(enc))
            self._ctx.log_event(conn, "amend", patient_id=enc.patient_id, record_id=encounter_id)
        return codec.encounter_from_row(row)

    # -- integrity ----------------------------------------------------------------------
    def damaged_records(self) -> list[tuple[str, str]]:
        """Decrypt every record; return ``(table, id)`` of those that fail."""
        require(self._ctx.user, "vault.verify")
        bad: list[tuple[str, str]] = []
        with self._ctx.reading() as conn:
            for table in RECORD_TABLES:
                bad.extend((table, r.id) for r in self._ctx.repo.all_rows(conn, table)
                           if isinstance(r, RawRow))
        return bad

    def damaged_patient_ids(self) -> list[str]:
        """Patients left out of the search index because they failed decryption."""
        return list(self._damaged_patients)
