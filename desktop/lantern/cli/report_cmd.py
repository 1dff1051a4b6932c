"""`lantern report --kind monthly|idsr --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv]`
(issue 17): aggregate counts, no names, no ids.

The vault is opened read-only (``VaultSession.unlock(read_only=True)``): a report
writes nothing, not even an audit entry. Exit codes: 0 done; 2 bad input, one line (``--from`` after ``--to``, a malformed
date, an unknown kind or format); 4 role refused; 5 some records could
not be read (the report is printed, its counts may be low; the records are named on
stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import timedelta
from pathlib import Path

from lantern.cli import common
from lantern.domain.errors import ValidationError
from lantern.services import dhis2, reports, surveillance
from lantern.services.roles import require

EXIT_DAMAGED = 5


def cmd_line_list(args: argparse.Namespace) -> int:
    """Cases of notifiable diseases with name, village and phone (clinician or admin):
    a normal session, each patient's record opened through ``get_patient`` (a "view
    patient" audit entry each) and one "line list" entry for the whole."""
    if args.format != "json" or args.suppress_small:
        raise ValidationError("The line list is JSON only (it names patients: never shared "
                              "outside the district).")
    diseases = surveillance.surveillance_list(name=args.list)
    notifiable = {cid for d in diseases for cid in d.condition_ids}
    with common.open_session(args) as session:
        require(session.user, "report.linelist")
        settings = reports.report_settings()
        data = reports.read_visits(session.context,
                                   since=args.date_from - timedelta(days=settings.revisit_days))
        cases = [(v, cid) for v, cid in reports.new_cases(data.visits,
                                                          revisit_days=settings.revisit_days)
                 if cid in notifiable and args.date_from <= v.day <= args.date_to]
        rows = []
        for v, cid in cases:
            patient = session.records.get_patient(v.patient_id)
            rows.append({"condition_id": cid, "date": v.day.isoformat(),
                         "week": surveillance.iso_week(v.day), "patient_id": v.patient_id,
                         "name": patient.name, "sex": v.sex,
                         "age_years": None if v.age_years is None else int(v.age_years),
                         "village": patient.village, "phone": patient.phone})
        with session.writing() as conn:
            session.context.log_event(conn, "line list", detail=(
                f"{args.list} {args.date_from.isoformat()}..{args.date_to.isoformat()}: "
                f"{len(rows)} case(s)"))
    sys.stdout.write(json.dumps({"kind": "linelist", "from": args.date_from.isoformat(),
                                 "to": args.date_to.isoformat(), "cases": rows},
                                ensure_ascii=False) + "\n")
    return EXIT_DAMAGED if data.damaged else 0


def cmd_report(args: argparse.Namespace) -> int:
    reports.check_period(args.date_from, args.date_to)
    if args.kind == "linelist":
        return cmd_line_list(args)
    mapping = None
    if args.format == "dhis2":
        if args.kind != "monthly":
            raise ValidationError("The DHIS2 export is for --kind monthly.")
        if args.suppress_small:
            raise ValidationError("--suppress-small is for sharing outside the district; the "
                                  "DHIS2 export goes to the district with exact counts.")
        if not args.mapping:
            raise ValidationError("--format dhis2 needs --mapping FILE (see "
                                  "resources/reports/dhis2_mapping.example.toml).")
        mapping = dhis2.load_mapping(Path(args.mapping))
        dhis2.month_period(args.date_from, args.date_to)
    from lantern.services.session import VaultSession

    session = VaultSession.unlock(common.data_dir(args), username=args.user, read_only=True,
                                  passphrase=common.passphrase(
                                      args, prompt=f"Passphrase for {args.user}: "))
    try:
        require(session.user, args.action)
        if not session.integrity.ok:
            print("lantern: WARNING: the vault's integrity check found changes made outside "
                  "Lantern (see 'lantern audit verify'); the report counts the vault as found.",
                  file=sys.stderr)
        settings = reports.report_settings()
        back = settings.revisit_days + (366 * surveillance.HISTORY_YEARS
                                        if args.kind == "idsr" else 0)
        data = reports.read_visits(session.context, since=args.date_from - timedelta(days=back))
        totals: dict[str, int] | None = None
        if args.kind == "idsr":
            report = surveillance.idsr(data.visits, start=args.date_from, end=args.date_to,
                                       revisit_days=settings.revisit_days,
                                       diseases=surveillance.surveillance_list(name=args.list))
        else:
            report = reports.monthly(data, start=args.date_from, end=args.date_to,
                                     clinic=session.clinic_name, settings=settings)
            totals = reports.outcomes(data, start=args.date_from, end=args.date_to)
    finally:
        session.lock()
    if mapping is not None:
        doc, unmapped = dhis2.data_value_set(report, mapping, allow_unmapped=args.allow_unmapped,
                                             totals=totals)
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        if unmapped:
            print("lantern: WARNING: not in the DHIS2 export (no data element in the mapping): "
                  + ", ".join(unmapped), file=sys.stderr)
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        rows = (surveillance.idsr_csv_rows(report, suppress=args.suppress_small)
                if args.kind == "idsr" else
                reports.monthly_csv_rows(report, suppress=args.suppress_small, totals=totals))
        for row in rows:
            writer.writerow([common.shown(c, single_line=True) for c in row])
    elif args.kind == "idsr":
        shown = surveillance.suppress_json(report) if args.suppress_small else report
        sys.stdout.write(json.dumps(shown, ensure_ascii=False) + "\n")
    else:
        shown = reports.suppress_json(report) if args.suppress_small else report
        sys.stdout.write(json.dumps(shown, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if data.damaged:
        print(f"lantern: {len(data.damaged)} record(s) could not be read; the counts may be "
              "low: " + ", ".join(data.damaged[:20]), file=sys.stderr)
        return EXIT_DAMAGED
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = common.add_leaf(subparsers, "report", cmd_report,
                        "aggregate report of confirmed diagnoses (read-only; no names or ids)",
                        action="report.aggregate")
    p.add_argument("--kind", required=True, choices=("monthly", "idsr", "linelist"),
                   help="monthly morbidity report, the weekly notifiable-disease (IDSR) "
                        "report with its alerts, or the case-based line list of notifiable "
                        "diseases (names, villages, phones: clinician or admin; audited)")
    p.add_argument("--from", dest="date_from", required=True, type=common.iso_date,
                   metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, type=common.iso_date,
                   metavar="YYYY-MM-DD")
    p.add_argument("--format", choices=("json", "csv", "dhis2"), default="json",
                   help="dhis2: a dataValueSets JSON document (monthly, one calendar month)")
    p.add_argument("--list", choices=tuple(surveillance.LISTS), default="idsr",
                   help="notifiable-disease list of --kind idsr: WHO AFRO IDSR (default) or "
                        "China's statutory list (甲类/乙类/丙类)")
    p.add_argument("--mapping", metavar="FILE",
                   help="DHIS2 mapping (see resources/reports/dhis2_mapping.example.toml)")
    p.add_argument("--allow-unmapped", action="store_true",
                   help="export although some conditions have no DHIS2 data element "
                        "(they are named on stderr)")
    p.add_argument("--suppress-small", action="store_true",
                   help='show counts 1-4 as "<5" (for sharing outside the district)')
