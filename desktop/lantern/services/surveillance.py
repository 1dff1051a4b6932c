"""Notifiable-disease surveillance (issue 17): the weekly IDSR report and its alerts.

The list of diseases, their rules and sources are data
(``resources/surveillance/idsr.toml``). Counts are new cases of confirmed diagnoses
(:func:`lantern.services.reports.new_cases`) by ISO week of the clinical date. Alert
rules, each with its threshold in the data:

- ``single_case``: one case of an immediately notifiable disease;
- ``weekly_threshold``: a week's count at or above the threshold;
- ``village_cluster``: ``cluster_cases`` or more from one village within ``cluster_days``;
- ``historical``: a week's count above the mean + 2 SD of the same ISO weeks (week +-1)
  of up to 5 earlier years, when at least 3 such weeks are in the vault.
"""

from __future__ import annotations

import statistics
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from lantern.paths import resources_dir
from lantern.services.context import ServiceContext
from lantern.services.gc_pauses import few_gc_pauses
from lantern.services.reports import (
    Visit,
    check_period,
    monthly,
    new_cases,
    outcomes,
    read_visits,
    report_settings,
    suppressed,
)

HISTORY_YEARS = 5
MIN_HISTORY_WEEKS = 3


@dataclass(frozen=True, slots=True)
class Disease:
    id: str
    name_en: str
    name_zh: str
    condition_ids: tuple[str, ...]
    source: str
    case_definition: str
    immediate: bool = False
    weekly_threshold: int | None = None
    cluster_cases: int | None = None
    cluster_days: int = 7
    historical: bool = False
    category: str = ""                  # China: 甲类 / 乙类 / 丙类
    report_within_hours: int | None = None


LISTS = {"idsr": "idsr.toml", "china": "china_notifiable.toml"}


def surveillance_list(path: Path | None = None, *, name: str = "idsr") -> tuple[Disease, ...]:
    """The diseases of ``resources/surveillance/<LISTS[name]>`` (or of ``path``)."""
    path = path or resources_dir() / "surveillance" / LISTS[name]
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    out = []
    for d in raw["disease"]:
        if not d.get("source") or not d.get("case_definition"):
            raise ValueError(f"{path.name}: {d.get('id')} needs a source and a case definition")
        out.append(Disease(
            id=str(d["id"]), name_en=str(d["name_en"]), name_zh=str(d.get("name_zh", "")),
            condition_ids=tuple(d.get("condition_ids", ())), source=str(d["source"]),
            case_definition=str(d["case_definition"]), immediate=bool(d.get("immediate")),
            weekly_threshold=d.get("weekly_threshold"), cluster_cases=d.get("cluster_cases"),
            cluster_days=int(d.get("cluster_days", 7)), historical=bool(d.get("historical")),
            category=str(d.get("category", "")), report_within_hours=d.get("report_within_hours")))
    return tuple(out)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(start: date, end: date) -> list[str]:
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= end:
        out.append(iso_week(monday))
        monday += timedelta(days=7)
    return out


def _alert(cid: str, week: str, count: int, threshold: float, rule: str, village: str | None,
           source: str) -> dict:
    return {"condition_id": cid, "week": week, "count": count, "threshold": threshold,
            "rule": rule, "village": village, "source": source}


def _historical_threshold(counts: Counter, week: str) -> float | None:
    year, num = int(week[:4]), int(week[6:])
    history = []
    for back in range(1, HISTORY_YEARS + 1):
        for offset in (-1, 0, 1):
            w = num + offset
            if 1 <= w <= 52:
                key = f"{year - back}-W{w:02d}"
                if key in counts:
                    history.append(counts[key])
    if len(history) < MIN_HISTORY_WEEKS:
        return None
    return round(statistics.mean(history) + 2 * statistics.stdev(history), 2)


def idsr(visits: list[Visit], *, start: date, end: date, revisit_days: int,
         diseases: tuple[Disease, ...] | None = None) -> dict:
    """The weekly report of ``start``..``end`` (the issue's exact JSON keys). ``visits``
    should reach back 5 years before ``start`` for the historical rule; weeks of earlier
    years without any visit in the vault are not history (a vault younger than that has
    less)."""
    check_period(start, end)
    diseases = diseases or surveillance_list()
    visits = [v for v in visits if v.day <= end]   # a week cut by --to counts up to --to
    weeks = weeks_between(start, end)
    first_visit = min((v.day for v in visits), default=start)
    cases = new_cases(visits, revisit_days=revisit_days)
    by_cid: dict[str, list[Visit]] = defaultdict(list)
    for v, cid in cases:
        by_cid[cid].append(v)
    counted = sorted({cid for d in diseases for cid in d.condition_ids})
    weekly: dict[str, Counter] = {cid: Counter(iso_week(v.day) for v in by_cid[cid])
                                  for cid in counted}
    report_weeks = [{"week": w, "counts": {cid: weekly[cid][w] for cid in counted}} for w in weeks]
    alerts: list[dict] = []
    for d in diseases:
        for cid in d.condition_ids:
            in_range = [v for v in by_cid[cid] if start <= v.day <= end]
            for w in weeks:
                n = weekly[cid][w]
                if d.immediate and n >= 1:
                    villages = {v.village for v in in_range if iso_week(v.day) == w}
                    alerts.append(_alert(cid, w, n, 1, "single_case",
                                         villages.pop() if len(villages) == 1 else None, d.source))
                if d.weekly_threshold is not None and n >= d.weekly_threshold:
                    alerts.append(_alert(cid, w, n, d.weekly_threshold, "weekly_threshold", None,
                                         d.source))
                if d.historical:
                    limit = _historical_threshold(_known_weeks(weekly[cid], first_visit), w)
                    if limit is not None and n > limit:
                        alerts.append(_alert(cid, w, n, limit, "historical", None, d.source))
            if d.cluster_cases:
                alerts.extend(_clusters(cid, by_cid[cid], d, start=start, end=end))
    alerts.sort(key=lambda a: (a["week"], a["condition_id"], a["rule"], a["village"] or ""))
    return {"kind": "idsr", "from": start.isoformat(), "to": end.isoformat(),
            "weeks": report_weeks, "alerts": alerts}


def _known_weeks(counts: Counter, first_visit: date) -> Counter:
    """Counts of every week since the vault's first visit, zero weeks included."""
    out: Counter = Counter()
    monday = first_visit - timedelta(days=first_visit.weekday())
    last = date.today()
    while monday <= last:
        w = iso_week(monday)
        out[w] = counts.get(w, 0)
        monday += timedelta(days=7)
    return out


def _clusters(cid: str, cases: list[Visit], d: Disease, *, start: date, end: date) -> list[dict]:
    """One alert per village and ISO week in which a window of ``cluster_days`` days
    ending that week holds ``cluster_cases`` or more cases from the village."""
    assert d.cluster_cases is not None
    by_village: dict[str, list[date]] = defaultdict(list)
    for v in cases:
        if v.village:
            by_village[v.village].append(v.day)
    out: dict[tuple[str, str], dict] = {}
    for village, days in by_village.items():
        days.sort()
        for i, day in enumerate(days):
            if not start <= day <= end:
                continue
            window = [x for x in days[: i + 1] if (day - x).days < d.cluster_days]
            if len(window) >= d.cluster_cases:
                key = (village, iso_week(day))
                best = out.get(key)
                if best is None or best["count"] < len(window):
                    out[key] = _alert(cid, key[1], len(window), d.cluster_cases,
                                      "village_cluster", village, d.source)
    return list(out.values())


def idsr_csv_rows(report: dict, *, suppress: bool = False) -> list[list[str]]:
    """One row per week and condition: its count and the alert rules that fired."""
    fired: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in report["alerts"]:
        fired[a["week"], a["condition_id"]].append(
            a["rule"] + (f" ({a['village']})" if a["village"] else ""))
    rows = [["week", "condition_id", "count", "alerts"]]
    for w in report["weeks"]:
        for cid, n in w["counts"].items():
            rows.append([w["week"], cid, str(suppressed(n) if suppress else n),
                         "; ".join(fired.get((w["week"], cid), []))])
    return rows


def suppress_json(report: dict) -> dict:
    return {**report,
            "weeks": [{"week": w["week"], "counts": {c: suppressed(n) for c, n in w["counts"].items()}}
                      for w in report["weeks"]],
            "alerts": [{**a, "count": suppressed(a["count"])} for a in report["alerts"]]}


# -- the Reports window's month (issue 17) ---------------------------------------------
CURVE_WEEKS = 13     # the epidemic curve: the weeks of the month and the ~2 months before


@dataclass(frozen=True, slots=True)
class MonthReport:
    """Everything the Reports window shows for one month, computed in one read-only
    pass by :func:`month_report` from the same functions as ``lantern report``:
    ``monthly`` is :func:`monthly`'s report, ``weekly`` is
    :func:`idsr` over the curve's weeks (its alerts within
    the month are ``alerts``)."""

    monthly: dict
    weekly: dict
    alerts: list[dict]
    villages: list[dict]
    damaged: list[str]
    totals: dict[str, int] = field(default_factory=dict)   # referrals and deaths (reports.outcomes)

    def top(self, n: int = 10) -> list[dict]:
        """The ``n`` conditions with most new cases (the monthly report's order)."""
        return self.monthly["by_condition"][:n]

    def age_sex(self) -> dict[str, dict[str, int]]:
        """New cases of the month by age band and sex (all conditions)."""
        out: dict[str, dict[str, int]] = {}
        for c in self.monthly["by_condition"]:
            for band, cell in c.items():
                if isinstance(cell, dict):
                    slot = out.setdefault(band, {"male": 0, "female": 0})
                    for sex, n in cell.items():
                        slot[sex] += n
        return out

    def unbanded(self) -> int:
        """New cases without an age band or a male/female sex (counted in the totals)."""
        banded = sum(n for cell in self.age_sex().values() for n in cell.values())
        return sum(c["total"] for c in self.monthly["by_condition"]) - banded

    def curve(self, condition_ids: tuple[str, ...]) -> list[tuple[str, int]]:
        """(ISO week, new cases of these conditions) for the curve's weeks."""
        return [(w["week"], sum(w["counts"].get(cid, 0) for cid in condition_ids))
                for w in self.weekly["weeks"]]


def village_table(visits: list[Visit], *, start: date, end: date, revisit_days: int,
                  notifiable: set[str], alerts: list[dict]) -> list[dict]:
    """Per village (most cases first): new cases of the period, of them notifiable, and
    the alert rules that name the village; ``""`` is "village not recorded"."""
    rows: dict[str, dict] = {}
    for v, cid in new_cases(visits, revisit_days=revisit_days):
        if not start <= v.day <= end:
            continue
        row = rows.setdefault(v.village, {"village": v.village, "cases": 0, "notifiable": 0,
                                          "alerts": []})
        row["cases"] += 1
        row["notifiable"] += cid in notifiable
    for a in alerts:
        if a["village"] is not None and a["village"] in rows \
                and a["rule"] not in rows[a["village"]]["alerts"]:
            rows[a["village"]]["alerts"].append(a["rule"])
    return sorted(rows.values(), key=lambda r: (-r["cases"], r["village"]))


def month_report(ctx: ServiceContext, *, start: date, end: date, clinic: str,
                 list_name: str = "idsr") -> MonthReport:
    """The Reports window's month: reads (``ctx.reading()``), never writes."""

    check_period(start, end)
    with few_gc_pauses():
        return _month_report(ctx, start=start, end=end, clinic=clinic, list_name=list_name)


def _month_report(ctx: ServiceContext, *, start: date, end: date, clinic: str,
                  list_name: str) -> MonthReport:
    settings = report_settings()
    diseases = surveillance_list(name=list_name)
    curve_start = end - timedelta(days=end.weekday() + 7 * (CURVE_WEEKS - 1))
    curve_start = min(curve_start, start)
    data = read_visits(ctx, since=curve_start - timedelta(
        days=settings.revisit_days + 366 * HISTORY_YEARS))
    report = monthly(data, start=start, end=end, clinic=clinic, settings=settings)
    weekly = idsr(data.visits, start=curve_start, end=end, revisit_days=settings.revisit_days,
                  diseases=diseases)
    first_week = iso_week(start)
    alerts = [a for a in weekly["alerts"] if a["week"] >= first_week]
    notifiable = {cid for d in diseases for cid in d.condition_ids}
    villages = village_table(data.visits, start=start, end=end,
                             revisit_days=settings.revisit_days, notifiable=notifiable,
                             alerts=alerts)
    return MonthReport(monthly=report, weekly=weekly, alerts=alerts, villages=villages,
                       damaged=list(data.damaged), totals=outcomes(data, start=start, end=end))
