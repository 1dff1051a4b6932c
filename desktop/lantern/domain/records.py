"""Patient-record data types. Frozen dataclasses; no I/O."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from lantern.domain.ages import Age, AgeError, age_of, age_years_for_rules


class Role(enum.StrEnum):
    ADMIN = "admin"
    CLINICIAN = "clinician"
    ASSISTANT = "assistant"


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class NoteStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


@dataclass(frozen=True, slots=True)
class User:
    username: str
    role: Role
    display_name: str = ""
    active: bool = True


@dataclass(frozen=True, slots=True)
class Vitals:
    """Structured vital signs. Every field optional; units are in the names."""

    temp_c: float | None = None
    resp_rate: float | None = None
    heart_rate: float | None = None
    sbp: float | None = None
    dbp: float | None = None
    spo2: float | None = None
    weight_kg: float | None = None
    muac_mm: float | None = None
    height_cm: float | None = None      # length lying under 2 years, height standing from 2 (WHO)
    glucose_mmol_l: float | None = None
    hb_g_dl: float | None = None

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}

    @classmethod
    def from_dict(cls, data: dict | None) -> Vitals:
        data = data or {}
        return cls(**{k: (None if data.get(k) is None else float(data[k]))
                      for k in cls.__slots__ if k in data})


@dataclass(frozen=True, slots=True)
class Caregiver:
    """Who brings a child (or cares for a patient): for referrals and tracing calls."""

    name: str = ""
    relation: str = ""
    phone: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.relation or self.phone)

    def line(self) -> str:
        """"Grace Phiri (mother), 0977 123456"; "" when nothing is recorded."""
        who = self.name + (f" ({self.relation})" if self.relation and self.name else self.relation)
        return ", ".join(x for x in (who, self.phone) if x)


@dataclass(frozen=True, slots=True)
class Patient:
    id: str
    name: str
    sex: Sex
    birth_date: date | None = None
    birth_year: int | None = None
    village: str = ""
    phone: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    caregiver: Caregiver = field(default_factory=Caregiver)
    merged_into: str = ""                   # the kept patient's id after an admin merge
    merged_records: tuple[str, ...] = ()    # "table/id" of the records the merge moved

    def age_years(self, today: date | None = None) -> float | None:
        today = today or date.today()
        if self.birth_date:
            if self.birth_date > today:
                return None
            return age_years_for_rules(self.birth_date, today)
        if self.birth_year:
            return float(today.year - self.birth_year)
        return None

    def age(self, today: date | None = None) -> Age | None:
        """The age as it is shown ("12 days", "38 months", "7 years"); None when unknown
        or when the recorded birth date is after ``today``."""
        try:
            return age_of(birth_date=self.birth_date, birth_year=self.birth_year, today=today)
        except AgeError:
            return None


@dataclass(frozen=True, slots=True)
class Allergy:
    id: str
    patient_id: str
    substance: str
    reaction: str = ""
    severity: str = ""  # mild | moderate | severe | ""


@dataclass(frozen=True, slots=True)
class Medication:
    id: str
    patient_id: str
    name: str
    dose: str = ""
    route: str = ""
    frequency: str = ""
    started: date | None = None
    stopped: date | None = None

    @property
    def active(self) -> bool:
        return self.stopped is None


@dataclass(frozen=True, slots=True)
class Problem:
    id: str
    patient_id: str
    description: str
    icd10: str = ""
    onset: date | None = None
    resolved: date | None = None


@dataclass(frozen=True, slots=True)
class UnreadableRecord:
    """A record of a patient's list that cannot be shown: in a list it stands where
    the record would be, so "none recorded" is never said over a record that exists.

    ``kind`` "damaged": the row is there but failed decryption (tampered, swapped,
    moved or corrupted). "missing": the authenticated vault state says the row
    should exist and it is gone (fed by the vault-state check). Only the table and
    the id are kept: the record's content is unknown, and nothing here is patient
    data, so it may go to the audit trail and to messages.
    """

    table: str            # allergies | medications | problems | encounters | assessments | summaries
    id: str
    patient_id: str | None = None
    kind: str = "damaged"  # damaged | missing

    def __post_init__(self) -> None:
        if self.kind not in UNREADABLE_KINDS:
            raise ValueError(f"unknown unreadable-record kind {self.kind!r}")

    @property
    def ref(self) -> str:
        """``table/id``, as the audit trail and ``lantern vault verify`` name a record."""
        return f"{self.table}/{self.id}"


UNREADABLE_KINDS = ("damaged", "missing")


@dataclass(frozen=True, slots=True)
class Amendment:
    author: str
    at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class DraftHandover:
    """A draft changing hands: handed over by its holder, or taken over by a colleague."""

    kind: str            # "hand over" | "take over"
    from_user: str
    to_user: str
    at: datetime
    note: str = ""       # the note as it stood then: what was written before this step


@dataclass(frozen=True, slots=True)
class OrderAlert:
    """An alert of the prescription checks as it was shown on an order."""

    kind: str
    severity: str          # stop | warn | info
    message: str
    source: str

    @property
    def key(self) -> str:
        """The alert's identity within its order: what an override names."""
        return f"{self.kind}: {self.message}"


@dataclass(frozen=True, slots=True)
class AlertOverride:
    """A prescriber's decision to give an order despite an alert, and why."""

    alert: str             # the OrderAlert.key it overrides
    kind: str
    severity: str
    reason: str            # as picked (in the prescriber's language) or typed
    reason_code: str       # one of the listed reasons, or "other" when typed
    by: str
    at: datetime


# what an order does to the current medications (OpenMRS drug orders: NEW, RENEW, REVISE): "new" adds
# a medicine; "renew" continues a current medication unchanged and "revise" continues it with a changed
# dose, frequency or product - both replace the current medication of the same ingredient
ORDER_ACTIONS = ("new", "renew", "revise")


@dataclass(frozen=True, slots=True)
class DrugOrder:
    """One medicine ordered in an encounter."""

    drug: str              # as the prescriber typed it (it may carry a strength)
    drug_id: str           # the formulary id it resolved to
    dose: float
    unit: str
    route: str
    times_per_day: int
    days: int
    computed_from: str = ""        # the calculator's basis ("40 mg/kg", "weight band ..."), "" if typed
    alerts: tuple[OrderAlert, ...] = ()
    overrides: tuple[AlertOverride, ...] = ()
    # "new", or "renew" / "revise": a current medication continued (unchanged / changed), which
    # the order replaces in the chart when the note is signed
    action: str = "new"

    def override_of(self, alert: OrderAlert) -> AlertOverride | None:
        return next((o for o in self.overrides if o.alert == alert.key), None)

    @property
    def open_stops(self) -> tuple[OrderAlert, ...]:
        """Stop alerts nobody has overridden yet: the note cannot be signed with them."""
        return tuple(a for a in self.alerts if a.severity == "stop" and self.override_of(a) is None)


@dataclass(frozen=True, slots=True)
class Encounter:
    id: str
    patient_id: str
    author: str
    created_at: datetime
    note: str = ""
    vitals: Vitals = field(default_factory=Vitals)
    pregnant: bool = False
    status: NoteStatus = NoteStatus.DRAFT
    signed_by: str | None = None
    signed_at: datetime | None = None
    amendments: tuple[Amendment, ...] = ()
    version: int = 1
    holder: str = ""                 # who may edit the draft now ("" = its author)
    handovers: tuple[DraftHandover, ...] = ()
    orders: tuple[DrugOrder, ...] = ()
    # the day of care (clinic's calendar); it may precede created_at (the time of entry)
    # when a paper register is back-entered. None only before it is decoded or set.
    clinical_date: date | None = None

    @property
    def date_of_care(self) -> date:
        return self.clinical_date or self.created_at.date()

    @property
    def editor(self) -> str:
        """The one user who may edit (and sign) this draft."""
        return self.holder or self.author


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """One row of the patient list / search results."""

    id: str
    name: str
    sex: Sex
    age_years: float | None
    village: str
    phone: str
    caregiver_phone: str = ""     # for tracing calls (the follow-up list)
    age: Age | None = None      # as shown: days under 2 months, months under 5 years

    def shown_age(self) -> Age | float | None:
        """The age to display: ``age`` when the index computed it, else ``age_years``."""
        return self.age if self.age is not None else self.age_years


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    """An already registered patient who may be the one being registered."""

    summary: PatientSummary
    last_visit: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    username: str
    action: str
    patient_id: str | None = None
    record_id: str | None = None
    detail: str = ""
