"""``lantern alert list | ack KEY | withdraw KEY``: surveillance alerts until acknowledged (issue 17).

``list`` prints the alerts of the last weeks (``lantern.services.alerts.ALERT_WEEKS``)
computed from confirmed diagnoses, one per line (key, week, condition, rule, count,
threshold, village, who acknowledged it) or ``--json``; it never names a patient.
``ack KEY`` (admin or clinician) records that the alert was seen and acted on, audited
as "acknowledge alert" with the key. Exit codes: 0 done; 1 no current alert has that
key; 2 bad input or already acknowledged (one line); 4 role refused. ``withdraw KEY``
takes back an acknowledgement made by mistake (the alert shows again; audited as
"withdraw alert acknowledgement"); 2 if the alert is not acknowledged.
"""

from __future__ import annotations

import argparse
import json

from lantern.cli import common
from lantern.services import surveillance
from lantern.services.alerts import Alert


def _as_json(a: Alert) -> dict:
    return {"key": a.key, "condition_id": a.condition_id, "name": a.name_en, "week": a.week,
            "rule": a.rule, "count": a.count, "threshold": a.threshold, "village": a.village,
            "source": a.source, "acknowledged_by": a.acknowledged_by or None,
            "acknowledged_at": a.acknowledged_at or None}


def cmd_alert_list(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        alerts = session.alerts.all_current(list_name=args.list)
    if not args.all:
        alerts = [a for a in alerts if not a.acknowledged]
    if args.json:
        print(json.dumps([_as_json(a) for a in alerts], ensure_ascii=False, indent=1), flush=True)
        return 0
    for a in alerts:
        fields = (a.key, a.week, a.name_en, a.rule, str(a.count), str(a.threshold),
                  a.village or "-", a.acknowledged_by or "")
        print("\t".join(common.shown(x, single_line=True) for x in fields), flush=True)
    return 0


def cmd_alert_ack(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        alert = session.alerts.acknowledge(args.key, list_name=args.list)
    print(f"{alert.key}\tacknowledged by {alert.acknowledged_by}", flush=True)
    return 0


def cmd_alert_withdraw(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        alert = session.alerts.withdraw(args.key, list_name=args.list)
    print(f"{alert.key}\tacknowledgement withdrawn: the alert shows again", flush=True)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser(
        "alert", help="surveillance alerts (outbreaks) until acknowledged").add_subparsers(
        dest="alert_command", metavar="ACTION", required=True)
    p = common.add_leaf(group, "list", cmd_alert_list,
                        "current surveillance alerts of the last weeks (no patient names)",
                        action="report.aggregate")
    p.add_argument("--all", action="store_true", help="acknowledged alerts too")
    p.add_argument("--json", action="store_true", help="a JSON list instead of tab-separated lines")
    p.add_argument("--list", choices=tuple(surveillance.LISTS), default="idsr",
                   help="notifiable-disease list: WHO AFRO IDSR (default) or China's")
    p = common.add_leaf(group, "ack", cmd_alert_ack,
                        "acknowledge an alert by its key (admin or clinician; audited)",
                        action="alert.acknowledge")
    p.add_argument("key", metavar="KEY", help="as 'lantern alert list' prints it")
    p.add_argument("--list", choices=tuple(surveillance.LISTS), default="idsr")
    p = common.add_leaf(group, "withdraw", cmd_alert_withdraw,
                        "take back an acknowledgement made by mistake (admin or clinician; audited)",
                        action="alert.acknowledge")
    p.add_argument("key", metavar="KEY", help="as 'lantern alert list --all' prints it")
    p.add_argument("--list", choices=tuple(surveillance.LISTS), default="idsr")
