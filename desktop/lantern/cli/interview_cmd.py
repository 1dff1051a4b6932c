"""``lantern interview`` — the guided consultation (issue 15) from the command line.

``lantern interview --next [--batch] [FILE|-]`` reads one JSON object (JSON Lines with
``--batch``) with ``id``, ``age_years``, ``sex``, ``pregnant``, ``vitals``, ``note`` and
``answers`` (``[{"finding": id, "answer": "yes" | "no" | "unknown"}]``) and writes exactly
``id``, ``questions`` (``finding``, ``text`` in the note's language, ``kind``,
``danger_sign``, ``gain``), ``triage`` and ``differential`` (as ``lantern diagnose``,
with the answers applied). A bad line gives ``{"id", "error"}``; the next lines go on.
Contradictory answers: the later one wins.

Grouped screen questions (``resources/interview/groups.toml``, docs/interview.md): a
chart's danger signs asked together appear in ``questions`` with ``finding`` set to the
group id (``group:imci_general_danger_signs``, ``group:etat_emergency_signs``,
``group:obstetric_danger_signs``); ``answers`` take the same id. "no" answers every sign of
the group not otherwise known; "yes" lists its signs first, one by one; "unknown" leaves
them to be asked one by one.

``lantern interview --simulate FILE`` runs the simulation on a diagnosis set file
(JSON Lines with ``expected``) and prints its figures. Needs no vault.
"""

from __future__ import annotations

import argparse
import json

from lantern.cli.common import answer_json, clean_request
from lantern.domain.errors import LanternError, ValidationError


def register(subparsers: argparse._SubParsersAction) -> None:
    from lantern.clinical.interview.groups import read_groups

    groups = ", ".join(g.id for g in read_groups())
    p = subparsers.add_parser(
        "interview", help="the next questions to ask for a case (JSON in, JSON out)",
        description="Decision support only; the clinician decides. --next: the next best "
                    "questions, danger signs first; --simulate FILE: the simulation's figures. "
                    f"A chart's danger signs asked together have a group id as their finding "
                    f"({groups}); answers take it too: no = every sign absent, yes = each "
                    "sign next, to name the one present.",
    )
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--next", action="store_true",
                      help="read a case with its answers, write the next questions")
    mode.add_argument("--simulate", metavar="SETFILE",
                      help="simulate interviews from the chief complaint over a diagnosis set file")
    p.add_argument("file", nargs="?", default="-", help="input file for --next, or - for stdin")
    p.add_argument("--batch", action="store_true", help="read JSON Lines, write JSON Lines")
    p.add_argument("--limit", type=int, default=5, help="questions to return (1-20, default 5)")
    p.set_defaults(func=run)


def parse_answers(raw: object) -> list:
    """The ``answers`` list as :class:`Answer` objects; ValidationError naming the bad item."""
    from lantern.clinical.interview import ANSWERS, Answer

    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationError("answers must be a list of {finding, answer} objects")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("finding"), str):
            raise ValidationError(f"answers[{i}] must be an object with a finding id (a string)")
        if item.get("answer") not in ANSWERS:
            raise ValidationError(f'answers[{i}]: answer must be one of {", ".join(ANSWERS)}')
        out.append(Answer(finding=item["finding"], answer=item["answer"]))
    return out


def _one(line: str, limit: int) -> dict:
    from lantern.clinical.interview import next_questions
    from lantern.clinical.pipeline import parse_case

    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON ({exc.msg} at column {exc.colno})"}
    case_id = data.get("id") if isinstance(data, dict) else None
    try:
        clean_request(data)
        case = parse_case(data)
        answers = parse_answers(data.get("answers"))
        return next_questions(case=case, answers=answers, limit=limit).to_dict()
    except LanternError as exc:
        return {"id": case_id, "error": str(exc)}


def run(args: argparse.Namespace) -> int:
    if args.simulate:
        from lantern.clinical.interview.simulation import print_figures, simulate_file

        print_figures(simulate_file(args.simulate))
        return 0
    if not 1 <= args.limit <= 20:
        raise ValidationError("--limit must be between 1 and 20")
    return answer_json(args.file, batch=args.batch, handle=lambda line: _one(line, args.limit))
