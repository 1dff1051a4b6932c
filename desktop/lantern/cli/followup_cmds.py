"""``lantern followup add | list | outcome``: the follow-up list and tracing outcomes
(issue 16). Dates are YYYY-MM-DD; bad input (an impossible date, a date before the
visit, an unknown patient, programme or outcome) is one line on stderr, exit 2 (1 for
an unknown patient or follow-up), and nothing is saved."""

from __future__ import annotations

import argparse
import json
from datetime import date

from lantern.cli import common
from lantern.clinical.followups import PROGRAMME_IDS
from lantern.domain.errors import ValidationError
from lantern.domain.followups import FollowupRow, Outcome, Window
from lantern.services.followups import parse_due


def _outcome(text: str) -> Outcome:
    try:
        return Outcome(text)
    except ValueError:
        raise ValidationError(f"Unknown outcome '{text[:30]}' (one of: "
                              f"{', '.join(o.value for o in Outcome)}); nothing was saved.") from None


def _programme(text: str) -> str:
    if text and text not in PROGRAMME_IDS:
        raise ValidationError(f"Unknown programme '{text[:40]}' (one of: "
                              f"{', '.join(PROGRAMME_IDS)}); nothing was saved.")
    return text


def cmd_followup_add(args: argparse.Namespace) -> int:
    due = parse_due(args.due)          # checked before the vault is opened
    programme = _programme(args.programme)
    with common.open_session(args) as session:
        f = session.followups.add(patient_id=args.patient, due=due, programme=programme,
                                  reason=args.reason)
    print(f.id, flush=True)
    return 0


def _status(row: FollowupRow) -> str:
    if row.overdue_days > 0:
        return f"overdue {row.overdue_days} d"
    return "today" if row.overdue_days == 0 else f"in {-row.overdue_days} d"


def _as_json(row: FollowupRow) -> dict:
    f = row.followup
    return {"id": f.id, "patient_id": f.patient_id, "due": f.due.isoformat(),
            "overdue_days": row.overdue_days, "programme": f.programme, "reason": f.reason,
            "outcome": f.outcome.value if f.outcome else None, "name": row.name,
            "village": row.village, "phone": row.phone, "caregiver_phone": row.caregiver_phone}


def cmd_followup_list(args: argparse.Namespace) -> int:
    when = Window(args.when)
    programme = _programme(args.programme)
    with common.open_session(args) as session:
        session.followups.record_visits()
        rows = session.followups.worklist(when=when, programme=programme, village=args.village,
                                          today=date.today())
    if args.json:
        print(json.dumps([_as_json(r) for r in rows], ensure_ascii=False, indent=1), flush=True)
        return 0
    for r in rows:
        f = r.followup
        fields = (f.id, f.due.isoformat(), _status(r), f.programme or "-", r.name, r.village,
                  r.phone, r.caregiver_phone, f.outcome.value if f.outcome else "", f.reason)
        print("\t".join(common.shown(x, single_line=True) for x in fields), flush=True)
    return 0


def cmd_followup_outcome(args: argparse.Namespace) -> int:
    outcome = _outcome(args.outcome)
    with common.open_session(args) as session:
        f = session.followups.record_outcome(args.followup, outcome)
    print(f"{f.id}\t{outcome.value}", flush=True)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("followup", help="follow-ups and defaulter tracing").add_subparsers(
        dest="followup_command", metavar="ACTION", required=True)
    p = common.add_leaf(group, "add", cmd_followup_add,
                        "schedule a follow-up visit (prints its id)", action="followup.write")
    p.add_argument("--patient", required=True, metavar="ID")
    p.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--programme", default="", metavar="P",
                   help=f"one of: {', '.join(PROGRAMME_IDS)}")
    p.add_argument("--reason", default="", metavar="TEXT")
    p = common.add_leaf(group, "list", cmd_followup_list,
                        "open follow-ups with phone numbers for tracing (sets 'came' for "
                        "patients seen since)", action="followup.read")
    p.add_argument("--when", default="all", choices=[w.value for w in Window])
    p.add_argument("--programme", default="", metavar="P")
    p.add_argument("--village", default="", metavar="V", help="part of the village name")
    p.add_argument("--json", action="store_true", help="a JSON list instead of tab-separated lines")
    p = common.add_leaf(group, "outcome", cmd_followup_outcome,
                        "record a tracing outcome", action="followup.outcome")
    p.add_argument("followup", metavar="ID")
    p.add_argument("--outcome", required=True, metavar="OUTCOME",
                   help=", ".join(o.value for o in Outcome))
