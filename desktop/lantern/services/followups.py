"""Follow-ups and defaulter tracing (issue 16): proposals from the note and the
programme schedules, the clinician's confirmation, the start screen's list
(today / overdue / this week) and tracing outcomes.

Every follow-up is a row of the encrypted ``followups`` table (owner: the patient and,
when it came from a note, the encounter), written through the repository with its audit
entry in one transaction, like every record. The list is built from a compact index
(:data:`INDEX_KEY` in ``followup_index``): one encrypted document of (version, patient,
due date, programme, status) per follow-up, opened with one decryption and checked
against the rows' clear ids and versions, so only rows that changed since (a merge, a
write by another window) are decrypted again. Names, villages and phone numbers come
from the patient search index that the unlock already built; whether a patient came
comes from the encounters' clear ``created_at``. ``docs/vault.md`` ("Follow-ups")
says what is kept in clear and why.

"Came" is set automatically (:meth:`FollowupService.record_visits`, at start-up, at
midnight and when the list is refreshed) when the patient has an encounter created
after the follow-up was recorded and dated on or after its due date; an earlier
return is left to the clinician (the list shows the last visit).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta

from lantern.clinical.followups import PROGRAMME_IDS, Proposal, propose
from lantern.domain.errors import DamagedRecord, MalformedPayload, NotFound, ValidationError
from lantern.domain.followups import (
    CLOSING,
    Followup,
    FollowupRow,
    Outcome,
    OutcomeEntry,
    Window,
)
from lantern.domain.records import PatientSummary
from lantern.services import codec
from lantern.services.context import ServiceContext
from lantern.services.record_lists import now_utc, text_field
from lantern.services.roles import require
from lantern.vault.crypto import new_record_id
from lantern.vault.repo import clear_columns, last_created, read_cache, write_cache

INDEX_KEY = "followups"
MAX_AHEAD_DAYS = 2 * 366       # a follow-up more than two years ahead is a typing error
WEEK_DAYS = 7
AUTO_USER = ""                 # "by" of an outcome set automatically
_CLOSING_VALUES = frozenset(o.value for o in CLOSING)


def local_date(stamp: str) -> date:
    """The local calendar date of a stored UTC timestamp."""
    return datetime.fromisoformat(stamp).astimezone().date()


def _entry(f: Followup, created_at: str) -> list:
    last = f.outcomes[-1] if f.outcomes else None
    return [f.version, f.patient_id, f.due.isoformat(), f.programme, f.reason,
            last.outcome.value if last else "", last.by if last else "",
            last.at.isoformat() if last else "", created_at, f.encounter_id or ""]


def _from_entry(fid: str, e: list) -> tuple[Followup, str]:
    outcomes: tuple[OutcomeEntry, ...] = ()
    if e[5]:
        outcomes = (OutcomeEntry(outcome=Outcome(e[5]), by=e[6], at=datetime.fromisoformat(e[7])),)
    return Followup(id=fid, patient_id=e[1], due=date.fromisoformat(e[2]), programme=e[3],
                    reason=e[4], outcomes=outcomes, version=int(e[0]),
                    encounter_id=e[9] or None), e[8]


def due_problem(due: date, *, visit: date, today: date | None = None) -> str | None:
    """What is wrong with ``due`` for a follow-up of the visit on ``visit``: "past"
    (before ``today``, when given: a follow-up scheduled by hand), "before_visit",
    "too_far" (more than two years after the visit), or None. The one rule; the
    service words it in English, the GUI in the interface language."""
    if due < visit:
        return "before_visit"
    if today is not None and due < today:
        return "past"
    if due > visit + timedelta(days=MAX_AHEAD_DAYS):
        return "too_far"
    return None


def parse_due(text: str) -> date:
    """A YYYY-MM-DD date as typed; ValidationError naming the problem in one line."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"Not a valid date: '{text.strip()[:20]}' (use YYYY-MM-DD, a "
                              "day that exists). Nothing was saved.") from None


class FollowupService:
    """``patient(patient_id)``: the patient's summary from the search index (name,
    village, phones), None when unknown."""

    def __init__(self, ctx: ServiceContext, *,
                 patient: Callable[[str], PatientSummary | None]) -> None:
        ctx.ensure_unlocked()
        self._ctx = ctx
        self._patient = patient
        self._entries: dict[str, list] = {}    # the index as last read (memory only)

    # -- proposals ---------------------------------------------------------------
    def proposals(self, encounter_id: str, *, birth_date: date | None = None) -> list[Proposal]:
        """What the encounter's note and the programme schedules propose (nothing saved)."""
        require(self._ctx.user, "patient.read")
        with self._ctx.reading() as conn:
            enc = codec.encounter_from_row(self._ctx.repo.get(conn, "encounters", encounter_id))
        return propose(enc.note, local_date(enc.created_at.isoformat()), birth_date=birth_date)

    def confirm(self, encounter_id: str, *, due: date, programme: str = "", reason: str = "",
                source: str = "note") -> Followup:
        """The clinician's confirmed (possibly edited) proposal for this encounter."""
        require(self._ctx.user, "followup.write")
        with self._ctx.reading() as conn:
            enc = codec.encounter_from_row(self._ctx.repo.get(conn, "encounters", encounter_id))
        return self.add(patient_id=enc.patient_id, due=due, programme=programme, reason=reason,
                        encounter_id=encounter_id, source=source,
                        visit_date=local_date(enc.created_at.isoformat()))

    def decline(self, encounter_id: str) -> None:
        """The clinician declined the proposal: nothing is stored but the audit entry."""
        require(self._ctx.user, "followup.write")
        with self._ctx.writing() as conn:
            row = self._ctx.repo.get(conn, "encounters", encounter_id)
            self._ctx.log_event(conn, "decline follow-up", patient_id=row.patient_id,
                                record_id=encounter_id)

    # -- writing -----------------------------------------------------------------
    def add(self, *, patient_id: str, due: date, programme: str = "", reason: str = "",
            encounter_id: str | None = None, visit_date: date | None = None,
            source: str = "manual") -> Followup:
        """Store a follow-up. ``visit_date`` (default today) is the visit it follows: a
        due date before it, or more than two years after it, is refused; one scheduled
        by hand (``source`` "manual") is also refused before today."""
        require(self._ctx.user, "followup.write")
        today = date.today()
        visit = visit_date or today
        problem = due_problem(due, visit=visit, today=today if source == "manual" else None)
        if problem == "before_visit":
            raise ValidationError(f"The follow-up date {due.isoformat()} is before the visit "
                                  f"({visit.isoformat()}); nothing was saved.")
        if problem == "past":
            raise ValidationError(f"The follow-up date {due.isoformat()} is before today "
                                  f"({today.isoformat()}); nothing was saved.")
        if problem == "too_far":
            raise ValidationError(f"The follow-up date {due.isoformat()} is more than two years "
                                  "after the visit; nothing was saved.")
        if programme and programme not in PROGRAMME_IDS:
            raise ValidationError(f"Unknown programme '{programme[:40]}' (one of: "
                                  f"{', '.join(PROGRAMME_IDS)}); nothing was saved.")
        followup = Followup(id=new_record_id("F"), patient_id=patient_id, due=due,
                            programme=programme, reason=text_field(reason, label="Reason"),
                            encounter_id=encounter_id, visit_date=visit, source=source,
                            created_by=self._ctx.user.username)
        repo = self._ctx.repo
        with self._ctx.writing() as conn:
            if not repo.exists(conn, "patients", patient_id):
                raise NotFound(f"No such patient: {patient_id[:40]}. Nothing was saved.")
            if encounter_id is not None:
                enc = repo.get(conn, "encounters", encounter_id)
                if enc.patient_id != patient_id:
                    raise ValidationError("That encounter belongs to another patient; "
                                          "nothing was saved.")
            row = repo.insert(conn, "followups", row_id=followup.id, patient_id=patient_id,
                              encounter_id=encounter_id, payload=codec.followup_payload(followup))
            self._ctx.log_event(conn, "add follow-up", patient_id=patient_id,
                                record_id=followup.id, detail=source)
            saved = codec.followup_from_row(row)
            self._save_index(conn, {followup.id: _entry(saved, row.created_at)})
        return saved

    def record_outcome(self, followup_id: str, outcome: Outcome | str) -> Followup:
        """A tracing outcome (came, called, not reachable, moved, died), by the user, now."""
        require(self._ctx.user, "followup.outcome")
        try:
            outcome = Outcome(outcome)
        except ValueError:
            raise ValidationError(f"Unknown outcome '{str(outcome)[:30]}' (one of: "
                                  f"{', '.join(o.value for o in Outcome)}); nothing was saved.") from None
        entry = OutcomeEntry(outcome=outcome, by=self._ctx.user.username, at=now_utc())
        with self._ctx.writing() as conn:
            saved = self._append_outcome(conn, followup_id, entry)
        return saved

    def undo_outcome(self, followup_id: str, *, at: datetime) -> Followup:
        """Take back the outcome this user recorded at ``at`` (the list's Undo): the
        follow-up returns to the state before it (open again, or the earlier outcome),
        audited as an undo. Refused when a later outcome was recorded since, when the
        outcome was someone else's or automatic: nothing is changed then."""
        require(self._ctx.user, "followup.outcome")
        repo = self._ctx.repo
        with self._ctx.writing() as conn:
            if not repo.exists(conn, "followups", followup_id):
                raise NotFound(f"No such follow-up: {followup_id[:40]}. Nothing was changed.")
            row = repo.get(conn, "followups", followup_id)
            current = codec.followup_from_row(row)
            last = current.outcomes[-1] if current.outcomes else None
            if last is None or last.at != at:
                raise ValidationError(f"Follow-up {followup_id} has changed since (another "
                                      "outcome was recorded); nothing was undone.")
            if last.auto or last.by != self._ctx.user.username:
                raise ValidationError("Only the user who recorded an outcome can undo it; "
                                      "nothing was undone.")
            updated = dataclasses.replace(current, outcomes=current.outcomes[:-1])
            new_row = repo.update(conn, "followups", row=row,
                                  payload=codec.followup_payload(updated))
            # which outcome was undone stays out of the clear-text audit log, as for the outcome
            self._ctx.log_event(conn, "undo follow-up outcome", patient_id=current.patient_id,
                                record_id=followup_id)
            saved = codec.followup_from_row(new_row)
            self._save_index(conn, {followup_id: _entry(saved, row.created_at)})
        return saved

    def _append_outcome(self, conn: sqlite3.Connection, followup_id: str,
                        entry: OutcomeEntry) -> Followup:
        repo = self._ctx.repo
        if not repo.exists(conn, "followups", followup_id):
            raise NotFound(f"No such follow-up: {followup_id[:40]}. Nothing was saved.")
        row = repo.get(conn, "followups", followup_id)
        current = codec.followup_from_row(row)
        if not current.open:
            raise ValidationError(f"Follow-up {followup_id} is closed already "
                                  f"({current.outcome.value if current.outcome else ''}); "
                                  "nothing was saved.")
        updated = dataclasses.replace(current, outcomes=(*current.outcomes, entry))
        new_row = repo.update(conn, "followups", row=row, payload=codec.followup_payload(updated))
        # the outcome itself stays in the encrypted row (the audit log is clear text)
        detail = "automatic: new encounter" if entry.auto else ""
        self._ctx.log_event(conn, "follow-up outcome", patient_id=current.patient_id,
                            record_id=followup_id, detail=detail)
        saved = codec.followup_from_row(new_row)
        self._save_index(conn, {followup_id: _entry(saved, row.created_at)})
        return saved

    def record_visits(self) -> int:
        """Set "came" on open follow-ups whose patient has an encounter created after the
        follow-up and dated on or after its due date. Returns how many; writes nothing
        (and audits nothing) when there are none or the vault is read-only."""
        require(self._ctx.user, "followup.read")
        if self._ctx.read_only:
            return 0
        with self._ctx.reading() as conn:
            entries = self._load_index(conn)
            came = self._came(conn, entries)
        if not came:
            return 0
        count = 0
        with self._ctx.writing() as conn:
            for fid, (encounter_id, at) in came.items():
                entry = OutcomeEntry(outcome=Outcome.CAME, by=AUTO_USER, at=at, auto=True,
                                     encounter_id=encounter_id)
                self._append_outcome(conn, fid, entry)
                count += 1
        return count

    def _came(self, conn: sqlite3.Connection, entries: dict[str, list]) -> dict[str, tuple[str, datetime]]:
        """Open follow-ups whose patient has an encounter created after the follow-up
        and dated on or after its due date: id -> (encounter id, its time). Reads only
        index entries and clear columns (the ISO UTC stamps compare as text)."""
        last = last_created(conn, "encounters")
        out: dict[str, tuple[str, datetime]] = {}
        for fid, e in entries.items():
            seen = last.get(e[1])
            if (seen is None or e[5] in _CLOSING_VALUES or seen <= e[8]
                    or local_date(seen).isoformat() < e[2]):
                continue
            [enc_id] = conn.execute("SELECT id FROM encounters WHERE patient_id = ? AND "
                                    "created_at = ? LIMIT 1", (e[1], seen)).fetchone()
            out[fid] = (enc_id, datetime.fromisoformat(seen))
        return out

    # -- the index ---------------------------------------------------------------
    def _load_index(self, conn: sqlite3.Connection) -> dict[str, list]:
        """Every follow-up's index entry, current with the rows: the stored index (one
        decryption) or the memory copy, with changed rows decrypted again."""
        clear = clear_columns(conn, "followups")
        entries = self._entries
        if not entries and clear:
            stored = read_cache(conn, self._ctx.repo.cipher, INDEX_KEY)
            entries = dict(stored[1].get("rows", {})) if stored else {}
        fresh: dict[str, list] = {}
        for fid, version, created_at, _patient in clear:
            e = entries.get(fid)
            if e is not None and e[0] == version and e[8] == created_at:
                fresh[fid] = e
                continue
            try:
                f = codec.followup_from_row(self._ctx.repo.get(conn, "followups", fid))
            except (DamagedRecord, MalformedPayload):   # left out; 'vault verify' names it
                continue
            fresh[fid] = _entry(f, created_at)
        self._entries = fresh
        return fresh

    def _save_index(self, conn: sqlite3.Connection, changed: dict[str, list]) -> None:
        entries = self._load_index(conn)
        entries.update(changed)
        write_cache(conn, self._ctx.repo.cipher, INDEX_KEY, {"rows": entries})

    def rebuild_index(self) -> int:
        """Store the index afresh from the rows (after a bulk import or a key rotation,
        whose rows the index does not know yet); audited. Returns the entries."""
        require(self._ctx.user, "followup.read")
        with self._ctx.writing() as conn:
            self._entries = {}
            entries = self._load_index(conn)
            write_cache(conn, self._ctx.repo.cipher, INDEX_KEY, {"rows": entries})
            self._ctx.log_event(conn, "rebuild follow-up index", detail=str(len(entries)))
        return len(entries)

    def drop_index(self) -> None:
        self._entries = {}

    # -- reading -----------------------------------------------------------------
    def worklist(self, *, when: Window | str = Window.ALL, programme: str = "", village: str = "",
             today: date | None = None) -> list[FollowupRow]:
        """Open follow-ups by due date (overdue first), with the phones for tracing."""
        require(self._ctx.user, "followup.read")
        when = Window(when)
        today = today or date.today()
        with self._ctx.reading() as conn:
            entries = self._load_index(conn)
            came = self._came(conn, entries)
        village_key = village.casefold().strip()
        today_iso, week_end = today.isoformat(), (today + timedelta(days=WEEK_DAYS - 1)).isoformat()
        rows = []
        for fid, e in entries.items():
            due = e[2]     # ISO dates compare as text: filter before building anything
            if (e[5] in _CLOSING_VALUES or fid in came or (programme and e[3] != programme)
                    or (when is Window.TODAY and due != today_iso)
                    or (when is Window.OVERDUE and due >= today_iso)
                    or (when is Window.WEEK and not today_iso <= due <= week_end)):
                continue
            p = self._patient(e[1])
            if p is None or (village_key and village_key not in p.village.casefold()):
                continue
            f, _created = _from_entry(fid, e)
            rows.append(FollowupRow(followup=f, name=p.name, village=p.village, phone=p.phone,
                                    caregiver_phone=p.caregiver_phone,
                                    overdue_days=(today - f.due).days))
        rows.sort(key=lambda r: (r.followup.due, r.name, r.followup.id))
        return rows

    def for_patient(self, patient_id: str) -> list[Followup]:
        """A patient's follow-ups, newest first, with their whole outcome history."""
        require(self._ctx.user, "followup.read")
        with self._ctx.reading() as conn:
            rows, _damaged = self._ctx.repo.for_patient(conn, "followups", patient_id)
        return [codec.followup_from_row(r) for r in rows]

    def get(self, followup_id: str) -> Followup:
        require(self._ctx.user, "followup.read")
        with self._ctx.reading() as conn:
            if not self._ctx.repo.exists(conn, "followups", followup_id):
                raise NotFound(f"No such follow-up: {followup_id[:40]}.")
            return codec.followup_from_row(self._ctx.repo.get(conn, "followups", followup_id))

    def villages(self) -> list[str]:
        """The villages of patients with open follow-ups (for the list's filter)."""
        require(self._ctx.user, "followup.read")
        with self._ctx.reading() as conn:
            entries = self._load_index(conn)
        out = set()
        for fid, e in entries.items():
            f, _c = _from_entry(fid, e)
            p = self._patient(f.patient_id) if f.open else None
            if p is not None and p.village:
                out.add(p.village)
        return sorted(out, key=str.casefold)
