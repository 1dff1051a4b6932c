"""``lantern prescribe --check [--batch] [FILE|-]`` and ``lantern dose`` (issue 14, item 5).

``prescribe --check`` reads one JSON object (or JSON Lines with ``--batch``): ``{"id",
"patient": {...}, "orders": [...]}`` and writes one JSON object per input, in input
order, with exactly the keys ``id``, ``alerts`` and ``orders``. A line that cannot be
read yields ``{"id", "error"}`` and the other lines are still answered. ``dose`` prints
the dose the calculator gives for one patient. Neither needs a vault: they read the
formulary (``resources/formulary``, or ``--formulary DIR`` for a formulary being written).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from lantern.cli.common import answer_json
from lantern.clinical.knowledge import agreed_condition_names
from lantern.clinical.prescribing import (
    DoseResult,
    Formulary,
    Patient,
    build_index,
    calculate_dose,
    load_formulary,
)
from lantern.clinical.prescribing.inputs import LIMITS
from lantern.clinical.prescribing.names import NameIndex
from lantern.clinical.prescribing.request import check_request
from lantern.domain.errors import ValidationError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "prescribe", help="check a prescription against the patient and the formulary (JSON in, JSON out)",
        description="Decision support only; the prescriber decides. Input: one JSON object (or JSON Lines "
                    "with --batch) with id, patient and orders; output: id, alerts, orders.",
    )
    p.add_argument("file", nargs="?", default="-", help="input file, or - for stdin (default)")
    p.add_argument("--check", action="store_true", required=True, help="check the orders (required)")
    p.add_argument("--batch", action="store_true", help="read JSON Lines, write JSON Lines")
    p.add_argument("--formulary", metavar="DIR", help=argparse.SUPPRESS)
    p.set_defaults(func=run_check)
    d = subparsers.add_parser(
        "dose", help="the dose of a drug for a patient (weight bands, mg/kg, caps, kidney)",
        description="Decision support only; the prescriber decides.",
    )
    d.add_argument("--drug", required=True, metavar="NAME", help="generic or brand name, English or Chinese")
    d.add_argument("--indication", metavar="ID", help="a knowledge-base condition id (e.g. pneumonia)")
    d.add_argument("--age-years", required=True, type=float, metavar="N")
    d.add_argument("--weight-kg", type=float, metavar="N")
    d.add_argument("--pregnant", action="store_true")
    d.add_argument("--egfr", type=float, metavar="N", help="eGFR in ml/min/1.73m2")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.add_argument("--formulary", metavar="DIR", help=argparse.SUPPRESS)
    d.set_defaults(func=run_dose)


def _formulary(args: argparse.Namespace) -> tuple[Formulary, NameIndex]:
    f = load_formulary(Path(args.formulary) if args.formulary else None)
    return f, build_index(f)


def _one(formulary: Formulary, index: NameIndex, text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"invalid JSON ({exc.msg} at column {exc.colno})"}
    return check_request(data, formulary=formulary, index=index)


def run_check(args: argparse.Namespace) -> int:
    formulary, index = _formulary(args)
    return answer_json(args.file, batch=args.batch, handle=lambda text: _one(formulary, index, text))


def _checked(value: float | None, key: str, flag: str) -> float | None:
    if value is None:
        return None
    lo, hi = LIMITS[key]
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValidationError(f"{flag} {value:g} is impossible (expected {lo:g}-{hi:g}); no dose computed.")
    return value


def run_dose(args: argparse.Namespace) -> int:
    formulary, index = _formulary(args)
    patient = Patient(age_years=_checked(args.age_years, "age_years", "--age-years"),
                      weight_kg=_checked(args.weight_kg, "weight_kg", "--weight-kg"),
                      pregnant=args.pregnant, egfr=_checked(args.egfr, "egfr", "--egfr"))
    res = index.resolve(args.drug)
    drug = formulary.drugs.get(res.drug) if res else None
    if drug is None:
        why = "is agreed but not in the formulary yet" if res else "is not a drug in the formulary"
        raise ValidationError(f"{args.drug!r} {why}.")
    if args.indication and args.indication not in agreed_condition_names():
        raise ValidationError(f"--indication {args.indication!r} is not a knowledge-base condition id.")
    dose = calculate_dose(drug, patient, indication=args.indication, strengths=res.strengths if res else ())
    if not isinstance(dose, DoseResult):
        if args.json:
            print(json.dumps({"drug": drug.id, "dose": None, "refused": dose.kind, "message": dose.message},
                             ensure_ascii=False))
        else:
            print(f"lantern dose: no dose ({dose.kind}): {dose.message}", file=sys.stderr)
        return 2 if dose.kind == "missing_data" else 1
    if args.json:
        print(json.dumps({"drug": drug.id, **dose.to_dict()}, ensure_ascii=False))
        return 0
    print(dose.text(drug.name_en))
    print(dose.text(drug.name_zh or drug.name_en, "zh"))
    for note in dose.notes:
        print(f"  note: {note}")
    print(f"  source: {dose.source}")
    return 0
