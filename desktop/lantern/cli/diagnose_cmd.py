"""``lantern diagnose [--batch] [--no-llm] [FILE|-]`` — assisted diagnosis as JSON.

Reads one JSON object (or JSON Lines with ``--batch``) and writes one JSON
object per input to stdout, in input order, with exactly the keys of the
contract; warnings (implausible values, too few findings) go to stderr. A
malformed input yields ``{"id", "error"}`` for that line; processing continues.
Needs no vault.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from lantern.cli.common import answer_json, clean_request, shown
from lantern.domain.errors import LanternError

if TYPE_CHECKING:
    from lantern.services.assessment import AssessmentService


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "diagnose", help="triage and differential diagnosis for a case (JSON in, JSON out)",
        description="Decision support only; the clinician decides. Input: one JSON object "
                    "(or JSON Lines with --batch) with note, age_years, sex, pregnant, vitals.",
    )
    p.add_argument("file", nargs="?", default="-", help="input file, or - for stdin (default)")
    p.add_argument("--batch", action="store_true", help="read JSON Lines, write JSON Lines")
    p.add_argument("--no-llm", action="store_true", help="never use a language model")
    p.add_argument("--llm", action="store_true",
                   help="use the language model step if a model is available (off by default)")
    p.set_defaults(func=run)




def _one(service: AssessmentService, line: str) -> dict:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON ({exc.msg} at column {exc.colno})"}
    case_id = data.get("id") if isinstance(data, dict) else None
    try:
        clean_request(data)
        assessment = service.assess_dict(data)
    except LanternError as exc:
        return {"id": case_id, "error": str(exc)}
    # stdout carries exactly the contract's keys; warnings go to stderr
    who = shown(str(case_id), single_line=True) if case_id is not None else "-"
    for warning in assessment.warnings:
        print(f"lantern diagnose: {who}: {shown(warning)}", file=sys.stderr)
    return assessment.to_dict()


def run(args: argparse.Namespace) -> int:
    from lantern.services.assessment import AssessmentService

    service = AssessmentService(use_llm=bool(args.llm and not args.no_llm))
    return answer_json(args.file, batch=args.batch, handle=lambda line: _one(service, line))
