"""Aggregate clinic reports (issue 17): the monthly morbidity report.

A report reads the vault through a read-only session (``VaultSession.unlock(...,
read_only=True)``): it writes nothing, not even an audit entry, so the vault file is
byte for byte the same afterwards. It counts only confirmed diagnoses, i.e. the
decisions "accepted" of each encounter's assessment record
(:func:`lantern.services.assessment_records.record_of`, the one reading of them),
never a suggestion. An encounter counts on its clinical date.

What a report needs of each encounter, patient and follow-up comes from the sealed
index of confirmed diagnoses (:mod:`lantern.services.diagnosis_index`), checked
against the rows' clear versions; only what it lacks is decrypted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.domain.errors import ValidationError
from lantern.paths import resources_dir
from lantern.services import diagnosis_index
from lantern.services.context import ServiceContext
from lantern.services.gc_pauses import few_gc_pauses
from lantern.services.roles import require

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


def read_visits(ctx: ServiceContext, *, since: date | None, outcomes: bool = True) -> Visits:
    """Every encounter dated on or after ``since`` (None: all), with its confirmed
    diagnoses and its patient's sex, age on that day and village, from the sealed
    index of confirmed diagnoses (:mod:`lantern.services.diagnosis_index`: what it
    lacks or has outdated is recomputed from the rows, so it changes no count).

    ``outcomes``: also the deaths (follow-up outcomes), for :func:`outcomes`; the
    alerts, which never show them, leave them out. Referrals come with the visits."""
    with few_gc_pauses():
        return _read_visits(ctx, since=since, with_outcomes=outcomes)


def _read_visits(ctx: ServiceContext, *, since: date | None, with_outcomes: bool) -> Visits:
    require(ctx.user, "report.aggregate")
    with ctx.reading() as conn:
        snap = diagnosis_index.snapshot(conn, ctx.repo)
    out = Visits(damaged=list(snap.damaged))
    first = "" if since is None else since.isoformat()
    patients = snap.patients
    for enc_id, e in snap.encounters.items():
        if e[2] < first:
            continue
        patient = patients.get(e[1])
        if patient is None:
            out.damaged.append(f"patients/{e[1]}")
            continue
        day = date.fromisoformat(e[2])
        out.visits.append(Visit(
            encounter_id=enc_id, patient_id=e[1], day=day, sex=patient[1],
            age_years=diagnosis_index.age_years(patient, day), village=patient[4],
            diagnoses=tuple(e[4]), any_diagnosis=e[5], referred=e[7]))
    if with_outcomes:
        # a death is recorded as the outcome of a follow-up (tracing), whenever it was set up
        out.deaths = [(f[1], date.fromisoformat(f[2])) for f in snap.followups.values() if f[2]]
    out.damaged = list(dict.fromkeys(out.damaged))
    # (day, id) order by one string each: a sort of 100,000 tuples of dates holds the GIL
    # for about 0.1 s, strings (ISO day first, fixed width) a fraction of it
    out.visits.sort(key=lambda v: v.day.isoformat() + v.encounter_id)
    return out


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

