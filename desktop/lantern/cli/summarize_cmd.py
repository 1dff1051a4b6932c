"""``lantern summarize``: note / history / referral summaries as JSON, no vault needed.

Input: one JSON object (JSON Lines with ``--batch``) with ``id`` (optional),
``note`` or ``notes`` (list of ``{date, text}``), ``lang`` (optional),
``patient`` (optional, referral), ``chart``, ``vitals``, ``age_years``, ``sex``,
``pregnant``, ``accepted_diagnoses`` (condition ids; an unknown id is an error naming
it), ``added_diagnoses`` (free text) and, for a referral, ``vitals_time``. Output: one
JSON object per input line.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from typing import Any

from lantern.cli.common import clean_request, input_lines, read_text_input, shown
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
    """One input object → one output object (``{"id", "error"}`` on bad input); the
    summary's warnings (implausible values, the model not used and why) go to stderr."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError:
        return {"id": None, "error": "malformed JSON"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "each input must be a JSON object"}
    item_id = obj.get("id")
    try:
        clean_request(obj)
        summary = service.summarize(kind, obj)
    except LanternError as exc:
        return {"id": item_id, "error": str(exc)}
    out = service.cli_result(summary, item_id)
    who = shown(str(item_id), single_line=True) if item_id is not None else "-"
    for warning in summary.warnings:   # implausible values, why no model
        print(f"lantern summarize: {who}: {shown(warning)}", file=sys.stderr)
    return out


def _requests(args: argparse.Namespace) -> Iterator[tuple[str | None, str | None]]:
    """(request text, None) or (None, why the line could not be read)."""
    if args.batch:
        for line in input_lines(args.file):
            yield line.text, line.error
        return
    text = read_text_input(args.file)
    if not text.strip():
        raise ValidationError("No input: expected one JSON object.")
    yield text, None


def run(args: argparse.Namespace) -> int:
    requests = _requests(args)
    first = next(requests, None)   # a single request that cannot be read fails before any model starts
    service = _service(args.no_llm)
    failures = 0
    try:
        for text, error in itertools.chain([first] if first else [], requests):
            out = handle(service, text, args.kind) if text is not None else {"id": None, "error": error}
            failures += "error" in out
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        service.close()
    if not args.batch and failures:
        return 2
    return 0
