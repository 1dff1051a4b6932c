"""`lantern patient merge` / `unmerge` (admin), and the possible duplicates that
`lantern patient add` refuses to register without ``--new-patient``."""

from __future__ import annotations

import argparse
import sys

from lantern.cli import common
from lantern.domain.errors import PossibleDuplicate

EXIT_POSSIBLE_DUPLICATE = 6   # 5 is `patient show` with unreadable records


def report_duplicates(exc: PossibleDuplicate) -> int:
    """List the candidates (one tab-separated line each) and say how to go on."""
    print("lantern: this patient may already be registered:", file=sys.stderr)
    for c in exc.candidates:
        s = c.summary
        age = common.summary_age(s)
        last = c.last_visit.date().isoformat() if c.last_visit else "no visit"
        fields = (s.id, s.name, s.sex.value, age, s.village, s.phone, last)
        print("  " + "\t".join(common.shown(f, single_line=True) for f in fields), file=sys.stderr)
    print("lantern: nothing was saved. Check them with 'lantern patient show ID'; if this is "
          "a different person, run the command again with --new-patient.", file=sys.stderr)
    return EXIT_POSSIBLE_DUPLICATE


def cmd_patient_merge(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        session.records.merge_patients(keep_id=args.keep, merged_id=args.merged)
        moved = len(session.records.get_patient(args.merged).merged_records)
    print(common.shown(f"Merged {args.merged} into {args.keep}: {moved} record(s) moved. "
                       f"Undo with 'lantern patient unmerge {args.merged}'."), flush=True)
    return 0


def cmd_patient_unmerge(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        kept = session.records.get_patient(args.merged).merged_into
        session.records.unmerge_patient(merged_id=args.merged)
    print(common.shown(f"Separated {args.merged} from {kept} again."), flush=True)
    return 0


def register(patient: argparse._SubParsersAction) -> None:
    p = common.add_leaf(patient, "merge", cmd_patient_merge,
                        "merge two records of one patient (admin; undo with unmerge)",
                        action="patient.merge")
    p.add_argument("--keep", required=True, metavar="ID", help="the record that stays")
    p.add_argument("--merged", required=True, metavar="ID",
                   help="the record whose encounters and lists move to --keep")
    p = common.add_leaf(patient, "unmerge", cmd_patient_unmerge,
                        "undo a merge: the merged record gets its records back (admin)",
                        action="patient.merge")
    p.add_argument("merged", metavar="ID")
