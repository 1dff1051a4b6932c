"""``lantern summarize``: note / history / referral summaries as JSON, no vault needed.

Input: one JSON object (JSON Lines with ``--batch``) with ``id`` (optional),
``note`` or ``notes`` (list of ``{date, text}``), ``lang`` (optional),
``patient`` (optional, referral), ``chart``, ``vitals``, ``age_years``, ``sex``,
``pregnant`` and, for a referral, ``accepted_diagnoses`` (condition ids; unknown ids
are left out with a warning in the output's ``warnings`` and on stderr) and
``vitals_time``. Output: one JSON object per input line.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lantern.cli.common import read_text_input
from lantern.domain.errors import LanternError, ValidationError
from lantern.services.summaries import SummaryService, default_generator


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "summarize", help="summarize a note, a patient history or draft a referral letter (JSON in/out)",
        description="Reads one JSON object (JSON Lines with --batch) and writes one JSON object per input.")
    p.add_argument("--batch", action="store_true", help="input is JSON Lines, one request per line")
    p.add_argument("--no-llm", action="store_true", help="deterministic summary only (no model)")
    p.add_argument("--kind", choices=("note", "history", "referral"), default="note")
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="input file, or - for stdin")
    p.set_defaults(func=run)




def _service(no_llm: bool) -> SummaryService:
    if no_llm:
        return SummaryService()
    made = default_generator()
    return SummaryService(generator=made) if made is not None else SummaryService()


def handle(service: SummaryService, raw: str, kind: str) -> dict[str, Any]:
    """One input object → one output object (``{"id", "error"}`` on bad input)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError:
        return {"id": None, "error": "malformed JSON"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "each input must be a JSON object"}
    item_id = obj.get("id")
    try:
        summary = service.summarize(kind, obj)
    except LanternError as exc:
        return {"id": item_id, "error": str(exc)}
    out = service.cli_result(summary, item_id)
    for warning in out.get("warnings", []):
        sys.stderr.write(f"warning ({'input' if item_id is None else 'id ' + str(item_id)[:40]}): {warning}\n")
    return out


def run(args: argparse.Namespace) -> int:
    text = read_text_input(args.file)
    service = _service(args.no_llm)
    if args.batch:
        lines = [ln for ln in text.splitlines() if ln.strip()]
    else:
        if not text.strip():
            raise ValidationError("No input: expected one JSON object.")
        lines = [text]
    failures = 0
    try:
        for line in lines:
            out = handle(service, line, args.kind)
            failures += "error" in out
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        service.close()
    if not args.batch and failures:
        return 2
    return 0
