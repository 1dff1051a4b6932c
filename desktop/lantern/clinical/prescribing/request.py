"""One prescription-check request as the CLI contract gives it (issue 14, item 5): a JSON
value in, ``{"id", "alerts", "orders"}`` or ``{"id", "error"}`` out."""

from __future__ import annotations

from lantern.clinical.prescribing.checks import check_prescription
from lantern.clinical.prescribing.inputs import parse_request
from lantern.clinical.prescribing.model import Formulary
from lantern.clinical.prescribing.names import NameIndex
from lantern.domain.errors import ValidationError


def check_request(data: object, *, formulary: Formulary, index: NameIndex) -> dict:
    case_id = data.get("id") if isinstance(data, dict) else None
    try:
        case_id, patient, orders = parse_request(data)
    except ValidationError as exc:
        return {"id": case_id, "error": str(exc)}
    result = check_prescription(formulary, index, patient, orders)
    return {"id": case_id, "alerts": [a.to_dict() for a in result.alerts],
            "orders": [o.to_dict() for o in result.orders]}
