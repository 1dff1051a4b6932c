"""Chart list commands: ``allergy add``, ``medication add``, ``problem add``.

Each opens the vault as ``--user`` and is refused up front when the role table
(``lantern.services.roles``) does not allow its action for that role.
"""

from __future__ import annotations

import argparse

from lantern.cli import common


def cmd_allergy_add(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        item = session.records.add_allergy(args.patient, substance=args.substance,
                                           reaction=args.reaction, severity=args.severity)
    print(item.id, flush=True)
    return 0


def cmd_medication_add(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        item = session.records.add_medication(args.patient, name=args.name, dose=args.dose,
                                              route=args.route, frequency=args.frequency)
    print(item.id, flush=True)
    return 0


def cmd_problem_add(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        item = session.records.add_problem(args.patient, description=args.description,
                                           icd10=args.icd10)
    print(item.id, flush=True)
    return 0


def _group(subparsers: argparse._SubParsersAction, name: str, help_text: str
           ) -> argparse._SubParsersAction:
    return subparsers.add_parser(name, help=help_text).add_subparsers(
        dest=f"{name}_command", metavar="ACTION", required=True)


def register(subparsers: argparse._SubParsersAction) -> None:
    group = _group(subparsers, "allergy", "a patient's allergies")
    p = common.add_leaf(group, "add", cmd_allergy_add, "record an allergy (prints its id)",
                        action="allergy.write")
    p.add_argument("--patient", required=True, metavar="ID")
    p.add_argument("--substance", required=True)
    p.add_argument("--reaction", default="")
    p.add_argument("--severity", default="", choices=["", "mild", "moderate", "severe"])

    group = _group(subparsers, "medication", "a patient's medications")
    p = common.add_leaf(group, "add", cmd_medication_add,
                        "record a current medication (prints its id)", action="medication.write")
    p.add_argument("--patient", required=True, metavar="ID")
    p.add_argument("--name", required=True)
    p.add_argument("--dose", default="")
    p.add_argument("--route", default="")
    p.add_argument("--frequency", default="")

    group = _group(subparsers, "problem", "a patient's problem list")
    p = common.add_leaf(group, "add", cmd_problem_add, "add to the problem list (prints its id)",
                        action="problem.write")
    p.add_argument("--patient", required=True, metavar="ID")
    p.add_argument("--description", required=True)
    p.add_argument("--icd10", default="")
