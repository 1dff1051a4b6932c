"""How much drug an order gives, and how much the formulary allows for this patient.

An order's amount is in the drug's base unit (mg for drugs measured by mass): from mg,
g or mcg directly; from "tablet", "ml" or "sachet" through the form's strength. When the
strength is ambiguous (two tablet strengths, none in the name) the amount is a range,
and the checks alarm only on what is certain (the low end for a maximum, the high end
for a minimum).
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.clinical.prescribing.dose import TOLERANCE, UNDER, band_for, fits, unit_form
from lantern.clinical.prescribing.inputs import Order, Patient
from lantern.clinical.prescribing.model import MASS_TO_MG, DoseRule, Drug, Form


@dataclass(frozen=True)
class Amount:
    low: float
    high: float
    ambiguous: bool = False


def order_amount(order: Order, drug: Drug, strengths: tuple[float, ...],
                 per_ml: float | None = None) -> Amount | str | None:
    """The amount per dose, a reason it cannot be known, or None (no dose given).

    A strength written in the order ("drops 100mg/ml", "250 mg tablet") that no formulary form
    has is the product in the prescriber's hand: the amount is counted from it."""
    if order.dose is None or order.unit is None:
        return None
    if order.unit in MASS_TO_MG:
        if not drug.mass_unit:
            return f"{drug.name_en} is measured in {drug.forms[0].unit}, the order in {order.unit}"
        value = order.dose * MASS_TO_MG[order.unit]
        return Amount(value, value)
    if order.unit == "IU":
        if drug.mass_unit:
            return f"{drug.name_en} is measured by mass, the order in IU"
        return Amount(order.dose, order.dose)
    forms = unit_form(drug, order.unit, strengths)
    written = _written_strength(order.unit, drug, strengths, per_ml)
    if written is not None and not any(f for f in forms if _same_strength(f, strengths)):
        return Amount(order.dose * written, order.dose * written)
    if not forms:
        return f"the formulary has no {order.unit} form of {drug.name_en}"
    # an ml of a drug measured in ml (a 500 ml bag of glucose 10%) is 1 ml of it; an ml of a
    # syrup is its strength per ml
    per_unit = [(1.0 if f.unit == "ml" else f.base_strength / (f.per_ml or 1)) if order.unit == "ml"
                else f.base_strength for f in forms]
    return Amount(order.dose * min(per_unit), order.dose * max(per_unit), ambiguous=len(set(per_unit)) > 1)


def _written_strength(unit: str, drug: Drug, strengths: tuple[float, ...], per_ml: float | None) -> float | None:
    """mg in one ml, tablet or sachet by the strength written in the order. Single-ingredient
    medicines only: one number in a combination's name ("Rifafour e-275") is not its total."""
    if not drug.mass_unit or len(strengths) != 1 or any(f.components for f in drug.forms):
        return None
    if unit == "ml":
        return strengths[0] / per_ml if per_ml else None
    return strengths[0] if unit in ("tablet", "sachet") else None


def _same_strength(form: Form, strengths: tuple[float, ...]) -> bool:
    return not form.components and abs(form.base_strength - strengths[0]) < 1e-6


def _guideline_amount(rule: DoseRule, drug: Drug, weight: float | None) -> float | None:
    """The amount per dose a weight-based entry gives at this weight (None if not weight-based)."""
    if weight is None:
        return None
    if rule.mg_per_kg is not None:
        return rule.mg_per_kg * weight
    if rule.mg_per_kg_day is not None:
        return rule.mg_per_kg_day * weight / (rule.times_per_day or 1)
    if rule.weight_bands:
        band = band_for(rule.weight_bands, weight)
        if band is None:
            return None
        if band.dose_unit in ("mg", "mcg"):
            return band.dose / 1000 if band.dose_unit == "mcg" else band.dose
        forms = unit_form(drug, "tablet" if band.dose_unit == "tablet" else "ml")
        if not forms:
            return None
        f = forms[0]
        return band.dose * f.base_strength / (f.per_ml or 1)
    return None


@dataclass(frozen=True)
class Limits:
    max_single: float | None
    max_daily: float | None
    min_single: float | None
    source: str
    basis: str
    max_week: float | None = None       # only for a medicine given once every N days (every_days)


def limits_for(drug: Drug, patient: Patient, route: str | None) -> Limits | None:
    """The most lenient limits of the entries that fit the patient (so that no indication's
    legitimate dose alarms); every entry of the route when none fits."""
    rules = [r for r in drug.doses if (route is None or r.route == route) and fits(r, patient)]
    fitted = bool(rules)
    if not rules:
        rules = [r for r in drug.doses if route is None or r.route == route]
    if not rules:
        return None
    w = patient.weight_kg
    singles, dailies, basis = [], [], []
    floors: list[float | None] = []          # per entry: its minimum, given or derived
    for r in rules:
        single = [x for x in (r.max_single_mg,
                              r.max_single_mg_per_kg * w if r.max_single_mg_per_kg and w else None) if x]
        daily = [x for x in (r.max_daily_mg, r.max_daily_mg_per_kg * w if r.max_daily_mg_per_kg and w else None)
                 if x]
        guide = _guideline_amount(r, drug, w)
        if guide is not None:
            # the 25% allowance stands in for a maximum the source does not give; a maximum
            # per kg that it gives (ethambutol 15 mg/kg, range 15-20) is the limit itself
            per_dose = r.max_single_mg_per_kg * w if r.max_single_mg_per_kg and w else guide * TOLERANCE
            if not r.max_single_mg_per_kg:
                single.append(per_dose)
            if not r.max_daily_mg_per_kg:
                daily.append(per_dose * (r.times_per_day or 1))
            basis.append(f"{guide:g} mg for {w:g} kg")
        floors.append(_floor(r, guide) if fitted or r.min_single_mg is not None else None)
        singles.append(min(single) if single else None)
        dailies.append(min(daily) if daily else None)
    return Limits(
        max_week=_max_week(rules),
        max_single=None if None in singles or not singles else max(s for s in singles if s is not None),
        max_daily=None if None in dailies or not dailies else max(d for d in dailies if d is not None),
        min_single=_lowest(floors, [r.min_single_mg for r in rules if r.min_single_mg is not None]),
        source=rules[0].source, basis="; ".join(dict.fromkeys(basis)),
    )


def _max_week(rules: list[DoseRule]) -> float | None:
    """The most any fitting entry allows in 7 days, when one of them is given once every N days
    (methotrexate weekly; alendronic acid 70 mg weekly or 10 mg daily); else None."""
    if not any(r.every_days for r in rules):
        return None
    weeks = []
    for r in rules:
        per_dose = r.max_daily_mg or r.max_single_mg
        if r.every_days:
            weeks.append(per_dose * -(-7 // r.every_days) if per_dose else None)
        else:
            weeks.append(r.max_daily_mg * 7 if r.max_daily_mg else None)
    return None if None in weeks else max(w for w in weeks if w is not None)


def _floor(rule: DoseRule, guide: float | None) -> float | None:
    """The entry's minimum: as the formulary gives it; else a weight band's dose / 1.25; else
    half the guideline dose (fixed or per kg) - well below any dose range a source gives."""
    if rule.min_single_mg is not None:
        return rule.min_single_mg
    if guide is not None:
        return guide / TOLERANCE if rule.weight_bands else guide * UNDER
    return rule.dose_mg * UNDER if rule.dose_mg is not None else None


def _lowest(floors: list[float | None], given: list[float]) -> float | None:
    """Below every entry's minimum is under-dosing; with an entry whose minimum is unknown,
    only the minimums the formulary gives count."""
    if floors and None not in floors:
        return min(f for f in floors if f is not None)
    return min(given) if given else None
