"""The patient and the orders of a prescription check, from the CLI's JSON (issue 14, item 5).

A shape that cannot be read (orders not a list, a patient that is not an object) is a
:class:`ValidationError` for the whole input. An impossible value (weight 400 kg, a
negative dose) is not an error of the input: it is dropped as unknown and reported
(``problems``), so the other checks still run and no dose is ever computed from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lantern.domain.errors import ValidationError
from lantern.domain.records import ORDER_ACTIONS

ORDER_UNITS = ("mg", "g", "mcg", "IU", "ml", "tablet", "sachet", "puff", "suppository")
_UNIT_ALIASES = {"tablets": "tablet", "tab": "tablet", "tabs": "tablet", "sachets": "sachet",
                 "iu": "IU", "units": "IU", "unit": "IU", "µg": "mcg", "ug": "mcg", "片": "tablet",
                 "毫克": "mg", "毫升": "ml", "袋": "sachet", "capsule": "tablet", "capsules": "tablet",
                 "cap": "tablet", "caps": "tablet", "粒": "tablet", "包": "sachet", "mls": "ml", "克": "g",
                 "supp": "suppository", "supps": "suppository", "suppositories": "suppository", "枚": "suppository",
                 # an inhaler or nasal spray counted in actuations, as clinicians write it
                 "puffs": "puff", "inhalation": "puff", "inhalations": "puff", "actuation": "puff",
                 "actuations": "puff", "spray": "puff", "sprays": "puff", "喷": "puff", "揿": "puff", "吸": "puff"}
_CANONICAL = {u.lower(): u for u in ORDER_UNITS}          # "mL", "MG", "Tablet"
# a spoon as prescribers write it: the 5 ml medicine spoon (BNF: doses of oral liquids by the 5 ml spoon)
SPOONS = {"tsp": 5.0, "tsps": 5.0, "teaspoon": 5.0, "teaspoons": 5.0, "teaspoonful": 5.0, "5ml spoon": 5.0,
          "5 ml spoon": 5.0, "spoon": 5.0, "spoons": 5.0, "spoonful": 5.0}
# plausible limits: outside them a value is impossible, not a patient to compute for
LIMITS = {"age_years": (0.0, 125.0), "weight_kg": (0.3, 300.0), "gestation_weeks": (1.0, 45.0),
          "egfr": (0.0, 200.0)}
_ROUTE_ALIASES = {"po": "oral", "by mouth": "oral", "orally": "oral", "口服": "oral", "intravenous": "iv",
                  "静脉": "iv", "静注": "iv", "静滴": "iv", "intramuscular": "im", "肌注": "im", "肌内注射": "im",
                  "subcutaneous": "sc", "皮下": "sc", "pr": "rectal", "直肠": "rectal", "inhalation": "inhaled",
                  "吸入": "inhaled", "nebulised": "inhaled", "nebulized": "inhaled", "sl": "sublingual",
                  "舌下": "sublingual", "外用": "topical",
                  # a nasal spray is dosed by the topical route (SCHEMA.md: form nasal_spray)
                  "nasal": "topical", "intranasal": "topical", "鼻用": "topical", "喷鼻": "topical",
                  "滴鼻": "topical", "inhaled (mdi)": "inhaled", "mdi": "inhaled", "inh": "inhaled", "neb": "inhaled",
                  "雾化": "inhaled", "雾化吸入": "inhaled"}
MAX_ORDER_MG = 100_000.0       # 100 g in one dose is not a dose of any medicine
# The same bound for drugs measured in other units: benzathine benzylpenicillin is given as
# 2.4 million IU, vitamin A as 200,000 IU; no medicine is 100 million IU, 10 litres or 1 mol.
MAX_ORDER_BY_UNIT = {"mg": MAX_ORDER_MG, "iu": 100_000_000.0, "ml": 10_000.0, "mmol": 1_000.0}
ACTIONS = ORDER_ACTIONS          # new / renew / revise (lantern.domain.records)


@dataclass(frozen=True)
class Patient:
    age_years: float | None = None
    weight_kg: float | None = None
    sex: str = ""
    pregnant: bool = False
    gestation_weeks: float | None = None
    breastfeeding: bool = False
    allergies: tuple[str, ...] = ()
    egfr: float | None = None
    current_medications: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()          # impossible values, dropped as unknown

    @property
    def trimester(self) -> str | None:
        """first / second / third from the gestation weeks; None when unknown."""
        if not self.pregnant or self.gestation_weeks is None:
            return None
        return "first" if self.gestation_weeks < 14 else "second" if self.gestation_weeks < 28 else "third"


@dataclass(frozen=True)
class Order:
    drug: str
    dose: float | None = None
    unit: str | None = None
    route: str | None = None
    times_per_day: int | None = None
    days: int | None = None
    problems: tuple[str, ...] = field(default=())
    action: str = "new"                     # one of ACTIONS

    @property
    def continues(self) -> bool:
        """A renewal or revision: it replaces the current medication of its ingredient."""
        return self.action in ("renew", "revise")


def _number(data: dict, key: str, problems: list[str], *, label: str) -> float | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(f"{label} {value!r} is not a number; treated as unknown")
        return None
    lo, hi = LIMITS[key]
    if not lo <= value <= hi:
        problems.append(f"{label} {value:g} is impossible (expected {lo:g}-{hi:g}); treated as unknown")
        return None
    return float(value)


def _texts(value: object, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"{what} must be a list of texts")
    return tuple(v.strip() for v in value if v.strip())


def parse_patient(data: object) -> Patient:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError("patient must be a JSON object")
    problems: list[str] = []
    age = _number(data, "age_years", problems, label="age_years")
    return Patient(
        age_years=age, weight_kg=_number(data, "weight_kg", problems, label="weight_kg"),
        sex=str(data.get("sex") or "").lower(), pregnant=data.get("pregnant") is True,
        gestation_weeks=_number(data, "gestation_weeks", problems, label="gestation_weeks"),
        breastfeeding=data.get("breastfeeding") is True,
        allergies=_texts(data.get("allergies"), "allergies"), egfr=_number(data, "egfr", problems, label="egfr"),
        current_medications=_texts(data.get("current_medications"), "current_medications"),
        problems=tuple(problems),
    )


def _whole(value: object, key: str, problems: list[str], *, low: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or value < low:
        problems.append(f"{key} {value!r} must be a whole number of at least {low}")
        return None
    return int(value)


def parse_action(value: object, what: str) -> str:
    """``new`` (absent), ``renew`` or ``revise``; ValidationError naming ``what`` for anything else."""
    if value is None:
        return "new"
    said = value.strip().lower() if isinstance(value, str) else value
    if said not in ACTIONS:
        raise ValidationError(f"{what} {value!r} must be one of {', '.join(ACTIONS)} (absent: new)")
    return str(said)


def parse_order(data: object, index: int) -> Order:
    if not isinstance(data, dict):
        raise ValidationError(f"orders[{index}] must be a JSON object")
    drug = data.get("drug")
    if not isinstance(drug, str) or not drug.strip():
        raise ValidationError(f"orders[{index}] needs a drug name")
    problems: list[str] = []
    dose = data.get("dose")
    if dose is not None and (isinstance(dose, bool) or not isinstance(dose, int | float)
                             or not math.isfinite(dose) or dose <= 0):
        problems.append(f"dose {dose!r} is impossible (must be a positive number); not checked")
        dose = None
    unit = data.get("unit")
    if unit is not None:
        said = str(unit).strip().lower()
        unit = _UNIT_ALIASES.get(said) or _CANONICAL.get(said, str(unit).strip())
        if said in SPOONS and dose is not None:       # "1 tsp": a 5 ml spoon, counted in ml
            dose, unit = float(dose) * SPOONS[said], "ml"
        if unit not in ORDER_UNITS:
            problems.append(f"unit {data.get('unit')!r} is not one of {', '.join(ORDER_UNITS)}; dose not checked")
            unit = None
    elif dose is not None:
        problems.append("dose given without a unit; dose not checked")
    route = data.get("route")
    if isinstance(route, str):
        route = _ROUTE_ALIASES.get(route.strip().lower(), route)
    return Order(drug=drug.strip(), dose=float(dose) if dose is not None else None, unit=unit,
                 route=str(route).strip().lower() if isinstance(route, str) and route.strip() else None,
                 times_per_day=_whole(data.get("times_per_day"), "times_per_day", problems, low=1),
                 days=_whole(data.get("days"), "days", problems, low=0), problems=tuple(problems),
                 action=parse_action(data.get("action"), f"orders[{index}].action"))


def parse_request(data: object) -> tuple[object, Patient, tuple[Order, ...]]:
    """(id, patient, orders) of one check request."""
    if not isinstance(data, dict):
        raise ValidationError("expected a JSON object with id, patient and orders")
    orders = data.get("orders")
    if not isinstance(orders, list):
        raise ValidationError("orders must be a list")
    return data.get("id"), parse_patient(data.get("patient")), tuple(
        parse_order(o, i) for i, o in enumerate(orders))
