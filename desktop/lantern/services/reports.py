"""Aggregate clinic reports (issue 17): the monthly morbidity report.

A report reads the vault through a read-only session (``VaultSession.unlock(...,
read_only=True)``): it writes nothing, not even an audit entry, so the vault file is
byte for byte the same afterwards. It counts only confirmed diagnoses, i.e. the
decisions "accepted" of each encounter's assessment record
(:func:`lantern.services.assessment_records.record_of`, the one reading of them),
never a suggestion. An encounter counts on its clinical date.

Decryption is limited by the clear ``created_at`` column: an encounter is never dated
after its entry (future clinical dates are refused), so one entered before the
period (less the revisit window and a day for time zones) cannot fall in it. Of those
entered since, the ones the sealed index of days of care
(:mod:`lantern.services.visit_index`) dates before the period are skipped undecrypted;
every encounter counted is dated by its own payload.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.domain.errors import ValidationError
from lantern.domain.followups import Outcome
from lantern.domain.records import Patient
from lantern.paths import resources_dir
from lantern.services import codec, visit_index
from lantern.services.assessment_records import accepted_of, record_of
from lantern.services.context import ServiceContext
from lantern.services.roles import require
from lantern.vault.repo import RawRow, Row

MAX_DAYS = 5 * 366


@dataclass(frozen=True, slots=True)
class AgeBand:
    key: str
    min_years: float
    max_years: float


@dataclass(frozen=True, slots=True)
class ReportSettings:
    age_bands: tuple[AgeBand, ...]
    revisit_days: int


def report_settings(path: Path | None = None) -> ReportSettings:
    path = path or resources_dir() / "reports" / "reports.toml"
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    bands = tuple(AgeBand(str(b["key"]), float(b["min_years"]), float(b["max_years"]))
                  for b in raw["age_band"])
    for a, b in zip(bands, bands[1:], strict=False):
        if a.max_years != b.min_years:
            raise ValueError(f"{path.name}: age bands {a.key} and {b.key} leave a gap or overlap")
    return ReportSettings(age_bands=bands, revisit_days=int(raw.get("revisit_days", 0)))


@dataclass(frozen=True, slots=True)
class Visit:
    """One encounter as a report sees it (no name, no text)."""

    encounter_id: str
    patient_id: str
    day: date
    sex: str
    age_years: float | None
    village: str
    diagnoses: tuple[str, ...]      # confirmed knowledge-base condition ids
    any_diagnosis: bool             # also true for a confirmed free-text diagnosis
    referred: bool = False          # a referral letter was signed for the encounter


@dataclass
class Visits:
    visits: list[Visit] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)    # "table/id" that could not be read
    deaths: list[tuple[str, date]] = field(default_factory=list)   # (patient id, day recorded)


def check_period(start: date, end: date) -> None:
    if start > end:
        raise ValidationError(f"--from {start.isoformat()} is after --to {end.isoformat()}.")
    if (end - start).days > MAX_DAYS:
        raise ValidationError("A report covers at most 5 years.")


def age_on(patient: Patient, day: date) -> float | None:
    if patient.birth_date:
        return (day - patient.birth_date).days / 365.25
    if patient.birth_year:
        return float(day.year - patient.birth_year)
    return None


@contextlib.contextmanager
def few_gc_pauses() -> Iterator[None]:
    """Hold back Python's cyclic garbage collector while a report builds its many small
    objects (freed by reference counting anyway): its full collections, each a pause of
    100-300 ms for every thread of the process, would stall the GUI thread while a report
    is computed in a worker. Collection resumes afterwards; nested uses are fine."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_visits(ctx: ServiceContext, *, since: date | None,
                history_before: date | None = None, outcomes: bool = True) -> Visits:
    """Every encounter dated on or after ``since`` (None: all), with its confirmed
    diagnoses and its patient's sex, age on that day and village.

    ``history_before``: encounters the sealed index dates before that day (the history
    a report compares with, not the period it counts) are taken with the index's day and
    the clear patient id, without decrypting the note; their diagnoses are read as
    always. Encounters from that day on are decrypted and dated by their own payload.

    ``outcomes``: also read referrals (signed referral letters of the encounters from
    ``history_before`` on) and deaths (follow-up outcomes), for :func:`outcomes`; the
    alerts, which never show them, leave them out."""
    with few_gc_pauses():
        return _read_visits(ctx, since=since, history_before=history_before, with_outcomes=outcomes)


def _read_visits(ctx: ServiceContext, *, since: date | None,
                 history_before: date | None, with_outcomes: bool) -> Visits:
    require(ctx.user, "report.aggregate")
    cutoff = None if since is None else (since - timedelta(days=1)).isoformat()
    out = Visits()
    with ctx.reading() as conn:
        patients: dict[str, Patient] = {}
        for row in ctx.repo.all_rows(conn, "patients"):
            if isinstance(row, RawRow):
                out.damaged.append(f"patients/{row.id}")
            else:
                patients[row.id] = codec.patient_from_row(row)
        encounters: list[tuple[str, str, date]] = []   # (id, patient id, day of care)
        # skip, undecrypted, the encounters the sealed index dates before the period
        known = {} if since is None else visit_index.days_entered_since(
            conn, ctx.repo.cipher, cutoff)
        first = "" if since is None else since.isoformat()

        trusted_to = "" if history_before is None else history_before.isoformat()

        def wanted_row(r: tuple) -> bool:
            day = known.get(r[0])
            if day is None:
                return True
            if day < trusted_to and day >= first:   # history: dated by the index
                encounters.append((r[0], r[5] or "", date.fromisoformat(day)))
                return False
            return day >= first

        for row in ctx.repo.rows_since(conn, "encounters", created_since=cutoff,
                                       keep=wanted_row if known else None):
            if isinstance(row, RawRow):
                out.damaged.append(f"encounters/{row.id}")
                continue
            day = codec.encounter_day(row)
            if since is None or day >= since:
                encounters.append((row.id, row.patient_id or "", day))
        wanted = {e[0] for e in encounters}
        by_encounter: dict[str, list[Row]] = defaultdict(list)
        for arow in ctx.repo.rows_since(conn, "assessments", created_since=cutoff,
                                        keep=lambda r: r[6] in wanted):
            if isinstance(arow, RawRow):
                out.damaged.append(f"assessments/{arow.id}")
            elif arow.encounter_id:
                by_encounter[arow.encounter_id].append(arow)
        referred = _read_outcomes(ctx, conn, out, cutoff=cutoff, counted={
            e[0] for e in encounters if e[2].isoformat() >= trusted_to}) if with_outcomes else set()
    for enc_id, patient_id, day in encounters:
        accepted = accepted_of(record_of(by_encounter.get(enc_id, [])))
        patient = patients.get(patient_id)
        if patient is None:
            out.damaged.append(f"patients/{patient_id}")
            continue
        out.visits.append(Visit(
            encounter_id=enc_id, patient_id=patient_id, day=day, sex=patient.sex.value,
            age_years=age_on(patient, day), village=patient.village,
            diagnoses=tuple(dict.fromkeys(d["condition_id"] for d in accepted
                                          if d.get("condition_id"))),
            any_diagnosis=bool(accepted), referred=enc_id in referred))
    # (day, id) order by one string each: a sort of 100,000 tuples of dates holds the GIL
    # for about 0.1 s, strings (ISO day first, fixed width) a fraction of it
    out.visits.sort(key=lambda v: v.day.isoformat() + v.encounter_id)
    return out


def _read_outcomes(ctx: ServiceContext, conn: sqlite3.Connection, out: Visits, *, cutoff: str | None,
                   counted: set[str]) -> set[str]:
    """The encounters of ``counted`` with a signed referral letter; the deaths go to ``out``."""
    referred: set[str] = set()
    for srow in ctx.repo.rows_since(conn, "summaries", created_since=cutoff, keep=lambda r: r[6] in counted):
        if isinstance(srow, RawRow):
            out.damaged.append(f"summaries/{srow.id}")
        elif srow.encounter_id and _signed_referral(srow):
            referred.add(srow.encounter_id)
    # a death is recorded as the outcome of a follow-up (tracing), whenever it was set up
    for frow in ctx.repo.all_rows(conn, "followups"):
        if isinstance(frow, RawRow):
            out.damaged.append(f"followups/{frow.id}")
            continue
        followup = codec.followup_from_row(frow)
        died = [o for o in followup.outcomes if o.outcome == Outcome.DIED]
        if died:
            out.deaths.append((followup.patient_id, died[-1].at.date()))
    return referred


def _signed_referral(row: Row) -> bool:
    inner = row.payload.get("payload")
    return isinstance(inner, dict) and inner.get("kind") == "referral" and inner.get("status") == "signed"


def outcomes(data: Visits, *, start: date, end: date) -> dict[str, int]:
    """Referrals (encounters of the period with a signed referral letter) and deaths
    (patients whose death a follow-up recorded in the period): the HMIS form's lines
    beside the morbidity table. Not in ``monthly``'s JSON, whose keys the CLI contract fixes."""
    return {"referrals": sum(1 for v in data.visits if v.referred and start <= v.day <= end),
            "deaths": len({pid for pid, day in data.deaths if start <= day <= end})}


def new_cases(visits: list[Visit], *, revisit_days: int) -> list[tuple[Visit, str]]:
    """``(visit, condition_id)`` of each new case, in date order: a diagnosis is a
    revisit when the same patient had the same condition confirmed within
    ``revisit_days`` before it."""
    last: dict[tuple[str, str], date] = {}
    out = []
    for v in visits:
        for cid in v.diagnoses:
            key = (v.patient_id, cid)
            before = last.get(key)
            last[key] = v.day
            if before is not None and revisit_days and (v.day - before).days <= revisit_days:
                continue
            out.append((v, cid))
    return out


def band_of(age: float | None, bands: tuple[AgeBand, ...]) -> str | None:
    if age is None:
        return None
    for b in bands:
        if b.min_years <= age < b.max_years:
            return b.key
    return None


def monthly(data: Visits, *, start: date, end: date, clinic: str,
            settings: ReportSettings | None = None, kb: KnowledgeBase | None = None) -> dict:
    """The monthly morbidity report (the issue's exact JSON keys)."""
    check_period(start, end)
    settings = settings or report_settings()
    kb = kb or load_knowledge()
    inside = [v for v in data.visits if start <= v.day <= end]
    cells: dict[str, dict] = {}
    for v, cid in new_cases(data.visits, revisit_days=settings.revisit_days):
        if not start <= v.day <= end:
            continue
        cell = cells.get(cid)
        if cell is None:
            cond = kb.conditions.get(cid)
            cell = cells[cid] = {
                "condition_id": cid, "name": cond.name_en if cond else cid,
                "icd10": cond.icd10 if cond else "",
                **{b.key: {"male": 0, "female": 0} for b in settings.age_bands}, "total": 0}
        band = band_of(v.age_years, settings.age_bands)
        if band is not None and v.sex in ("male", "female"):
            cell[band][v.sex] += 1
        cell["total"] += 1
    return {"kind": "monthly", "from": start.isoformat(), "to": end.isoformat(),
            "clinic": clinic, "total_encounters": len(inside),
            "no_diagnosis": sum(1 for v in inside if not v.any_diagnosis),
            "by_condition": sorted(cells.values(), key=lambda c: (-c["total"], c["condition_id"]))}


def suppressed(value: int) -> int | str:
    """Small-cell suppression for sharing outside the district: 1-4 become "<5"."""
    return "<5" if 1 <= value <= 4 else value


def monthly_csv_rows(report: dict, *, suppress: bool = False,
                     totals: dict[str, int] | None = None) -> list[list[str]]:
    """The CSV of a monthly report; ``totals`` (:func:`outcomes`) adds its referral and
    death lines after the encounter totals."""
    bands = [k for k in report["by_condition"][0] if isinstance(report["by_condition"][0][k], dict)] \
        if report["by_condition"] else [b.key for b in report_settings().age_bands]
    fmt = (lambda n: str(suppressed(n))) if suppress else str
    rows = [["condition_id", "name", "icd10", *(f"{b}_{s}" for b in bands for s in ("male", "female")),
             "total"]]
    for c in report["by_condition"]:
        rows.append([c["condition_id"], c["name"], c["icd10"],
                     *(fmt(c[b][s]) for b in bands for s in ("male", "female")), fmt(c["total"])])
    lines = {"total_encounters": report["total_encounters"], "no_diagnosis": report["no_diagnosis"],
             **(totals or {})}
    rows += [[key, "", "", *([""] * (2 * len(bands))), fmt(n)] for key, n in lines.items()]
    return rows


def suppress_json(report: dict) -> dict:
    out = dict(report)
    out["total_encounters"] = suppressed(report["total_encounters"])
    out["no_diagnosis"] = suppressed(report["no_diagnosis"])
    out["by_condition"] = [{k: ({s: suppressed(n) for s, n in v.items()} if isinstance(v, dict)
                                else suppressed(v) if k == "total" else v) for k, v in c.items()}
                           for c in report["by_condition"]]
    return out

