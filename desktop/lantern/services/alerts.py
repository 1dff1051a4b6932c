"""Surveillance alerts until acknowledged (issue 17).

The current alerts are the IDSR alerts (:func:`lantern.services.surveillance.idsr`,
confirmed diagnoses only) of the last :data:`ALERT_WEEKS` ISO weeks, today's included.
An alert stays on the start screen and in the chart of every patient involved until an
admin or clinician acknowledges it (``alert.acknowledge``).

An acknowledgement is a row of the record table ``alert_acks`` (schema 7): written
through the Repo like every record (encrypted, blob format 2, sealed in the vault
state), and audited as "acknowledge alert" with the alert's *key* only. The key names
condition, ISO week and rule, and for a village rule the village's place among that
week's villages of the rule (``/v1``, ``/v2``...), never the village itself: a village
belongs to patients and stays encrypted. Acknowledgements match alerts by what they
are (condition, week, rule, village: stored encrypted in the row), so a key is only a
handle for the person typing it.

Computing alerts only reads (``ctx.reading()``): it never writes to the vault.
"""

from __future__ import annotations

import dataclasses
import secrets
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lantern.domain.errors import NotFound, ValidationError
from lantern.services.context import ServiceContext
from lantern.services.gc_pauses import few_gc_pauses
from lantern.services.reports import (
    Visit,
    new_cases,
    read_visits,
    report_settings,
)
from lantern.services.roles import require
from lantern.services.surveillance import (
    HISTORY_YEARS,
    Disease,
    idsr,
    surveillance_list,
)
from lantern.vault.repo import RawRow, Row

ALERT_WEEKS = 4
TABLE = "alert_acks"
WITHDRAW_ACTION = "withdraw alert acknowledgement"
AUDIT_ACTION = "acknowledge alert"


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as the start screen and the chart show it. ``patient_ids`` stays in
    memory (it decides in which charts the alert shows); it is never written out."""

    key: str
    condition_id: str
    name_en: str
    name_zh: str
    week: str
    count: int
    threshold: float
    rule: str
    village: str | None
    source: str
    patient_ids: frozenset[str]
    acknowledged_by: str = ""
    acknowledged_at: str = ""

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.condition_id, self.week, self.rule, self.village or "")

    @property
    def acknowledged(self) -> bool:
        return bool(self.acknowledged_by)

    def name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") and self.name_zh else self.name_en


def week_monday(week: str) -> date:
    return date.fromisocalendar(int(week[:4]), int(week[6:]), 1)


def alert_keys(alerts: list[dict]) -> list[str]:
    """The key of each IDSR alert dict, in the same order (see the module doc)."""
    villages: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for a in alerts:
        if a["village"]:
            villages[a["condition_id"], a["week"], a["rule"]].append(a["village"])
    out = []
    for a in alerts:
        key = f"{a['condition_id']}/{a['week']}/{a['rule']}"
        if a["village"]:
            group = sorted(set(villages[a["condition_id"], a["week"], a["rule"]]))
            key += f"/v{group.index(a['village']) + 1}"
        out.append(key)
    return out


def _involved(a: dict, cases: dict[str, list[Visit]], disease: Disease | None) -> frozenset[str]:
    """The patients whose cases make the alert: the week's cases of the condition (of
    the village for a village rule; for a cluster, the window that ends in the week).
    ``cases``: the new cases by condition id."""
    monday = week_monday(a["week"])
    first = monday
    if a["rule"] == "village_cluster" and disease is not None:
        first = monday - timedelta(days=disease.cluster_days - 1)
    last = monday + timedelta(days=6)
    return frozenset(v.patient_id for v in cases.get(a["condition_id"], ())
                     if first <= v.day <= last and (not a["village"] or v.village == a["village"]))


class AlertService:
    """Current alerts and their acknowledgement, for one session's context."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def all_current(self, *, today: date | None = None, list_name: str = "idsr") -> list[Alert]:
        """Every alert of the last ALERT_WEEKS weeks, acknowledged ones included (with
        who and when), newest week first."""
        ctx = self._ctx
        require(ctx.user, "report.aggregate")
        today = today or date.today()
        start = today - timedelta(days=today.weekday() + 7 * (ALERT_WEEKS - 1))
        settings = report_settings()
        diseases = surveillance_list(name=list_name)
        with few_gc_pauses():
            data = read_visits(ctx, since=start - timedelta(
                days=settings.revisit_days + 366 * HISTORY_YEARS), outcomes=False)
            report = idsr(data.visits, start=start, end=today,
                          revisit_days=settings.revisit_days, diseases=diseases)
            cases: dict[str, list[Visit]] = defaultdict(list)
            for v, cid in new_cases(data.visits, revisit_days=settings.revisit_days):
                cases[cid].append(v)
        acks = self.acknowledgements()
        by_condition = {cid: d for d in diseases for cid in d.condition_ids}
        out = []
        for a, key in zip(report["alerts"], alert_keys(report["alerts"]), strict=True):
            d = by_condition.get(a["condition_id"])
            ack = acks.get((a["condition_id"], a["week"], a["rule"], a["village"] or ""), {})
            out.append(Alert(
                key=key, condition_id=a["condition_id"], name_en=d.name_en if d else a["condition_id"],
                name_zh=d.name_zh if d else "", week=a["week"], count=int(a["count"]),
                threshold=a["threshold"], rule=a["rule"], village=a["village"], source=a["source"],
                patient_ids=_involved(a, cases, d),
                acknowledged_by=str(ack.get("acknowledged_by", "")),
                acknowledged_at=str(ack.get("acknowledged_at", ""))))
        out.sort(key=lambda x: (x.week, x.key), reverse=True)
        return out

    def current(self, *, today: date | None = None, list_name: str = "idsr") -> list[Alert]:
        """The alerts not yet acknowledged."""
        return [a for a in self.all_current(today=today, list_name=list_name)
                if not a.acknowledged]

    def acknowledgements(self) -> dict[tuple[str, str, str, str], dict]:
        """Stored acknowledgements by alert identity (condition, week, rule, village).
        A damaged row acknowledges nothing (its alert shows again: the safe side)."""
        out: dict[tuple[str, str, str, str], dict] = {}
        with self._ctx.reading() as conn:
            for row in self._ctx.repo.all_rows(conn, TABLE):
                if isinstance(row, RawRow) or row.payload.get("withdrawn_at"):
                    continue        # a withdrawn acknowledgement acknowledges nothing
                p = row.payload
                out[p["condition_id"], p["week"], p["rule"], p["village"] or ""] = p
        return out

    def _current(self, key: str, *, today: date | None, list_name: str) -> Alert:
        """The current alert ``key`` (acknowledged or not); NotFound if none has it."""
        found = [a for a in self.all_current(today=today, list_name=list_name) if a.key == key]
        if not found:
            raise NotFound(f"No current alert has the key {key!r} ('lantern alert list' "
                           "lists them).")
        return found[0]

    def acknowledge(self, key: str, *, today: date | None = None, list_name: str = "idsr"
                    ) -> Alert:
        """Acknowledge the current alert ``key`` (:meth:`acknowledge_alert`); NotFound
        if no current alert has that key."""
        require(self._ctx.user, "alert.acknowledge")
        return self.acknowledge_alert(self._current(key.strip(), today=today, list_name=list_name))

    def acknowledge_alert(self, alert: Alert) -> Alert:
        """Acknowledge ``alert`` (as computed by :meth:`all_current`, e.g. in the GUI's
        report process): one encrypted row, one audit entry naming its key (no village,
        no patient). ValidationError if it is already acknowledged."""
        require(self._ctx.user, "alert.acknowledge")
        key = alert.key
        at = datetime.now().astimezone().isoformat(timespec="seconds")
        payload = {"key": key, "condition_id": alert.condition_id, "week": alert.week,
                   "rule": alert.rule, "village": alert.village, "count": alert.count,
                   "acknowledged_by": self._ctx.user.username, "acknowledged_at": at}
        with self._ctx.writing() as conn:
            done = self._acknowledgement_rows(conn, alert)
            if done:
                raise ValidationError(f"Alert {key} was already acknowledged by "
                                      f"{done[0].payload.get('acknowledged_by', '')}.")
            row = self._ctx.repo.insert(conn, TABLE, row_id="K" + secrets.token_hex(8),
                                        payload=payload)
            self._ctx.log_event(conn, AUDIT_ACTION, record_id=row.id, detail=f"alert {key}")
        return dataclasses.replace(alert, acknowledged_by=self._ctx.user.username,
                                   acknowledged_at=at)

    def withdraw(self, key: str, *, today: date | None = None, list_name: str = "idsr") -> Alert:
        """Take back the acknowledgement of the current alert ``key`` (:meth:`withdraw_alert`)."""
        require(self._ctx.user, "alert.acknowledge")
        return self.withdraw_alert(self._current(key.strip(), today=today, list_name=list_name))

    def withdraw_alert(self, alert: Alert) -> Alert:
        """Take back the acknowledgement of ``alert`` (acknowledged by mistake): its row
        is kept with who withdrew it and when, the alert shows again, and the audit trail
        names the key. ValidationError if it is not acknowledged."""
        require(self._ctx.user, "alert.acknowledge")
        key = alert.key
        at = datetime.now().astimezone().isoformat(timespec="seconds")
        with self._ctx.writing() as conn:
            rows = self._acknowledgement_rows(conn, alert)
            if not rows:
                raise ValidationError(f"Alert {key} is not acknowledged.")
            for row in rows:
                self._ctx.repo.update(conn, TABLE, row=row, payload={
                    **row.payload, "withdrawn_by": self._ctx.user.username, "withdrawn_at": at})
                self._ctx.log_event(conn, WITHDRAW_ACTION, record_id=row.id, detail=f"alert {key}")
        return dataclasses.replace(alert, acknowledged_by="", acknowledged_at="")

    def _acknowledgement_rows(self, conn: sqlite3.Connection, alert: Alert) -> list[Row]:
        """The acknowledgements in force of ``alert`` (matched by what it is)."""
        return [r for r in self._ctx.repo.all_rows(conn, TABLE)
                if not isinstance(r, RawRow) and not r.payload.get("withdrawn_at")
                and (r.payload["condition_id"], r.payload["week"], r.payload["rule"],
                     r.payload["village"] or "") == alert.identity]
