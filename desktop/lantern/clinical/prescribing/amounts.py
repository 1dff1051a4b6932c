"""How much drug an order gives, and how much the formulary allows for this patient.

An order's amount is in the drug's base unit (mg for drugs measured by mass): from mg,
g or mcg directly; from "tablet", "ml" or "sachet" through the form's strength. When the
strength is ambiguous (two tablet strengths, none in the name) the amount is a range,
and the checks alarm only on what is certain (the low end for a maximum, the high end
for a minimum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from lantern.clinical.prescribing.dose import (
    CHILD_YEARS,
    SPOON_ML,
    TOLERANCE,
    UNDER,
    band_for,
    fits,
    total_is,
    unit_form,
)
from lantern.clinical.prescribing.inputs import Order, Patient
from lantern.clinical.prescribing.model import MASS_TO_MG, ROUTE_FORMS, DoseRule, Drug, Form

MEASURED = 1.02      # the rounding allowed on a maximum per kg (see limits_for)
MAX_UNITS = 8        # a mass read as whole or half units of a combination written by its total
PUFFS = 10           # the most puffs of an inhaler given as one dose (salbutamol in an attack: BNF, GINA)


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
        if drug.elemental is not None and any(w in order.drug.lower() for w in drug.elemental.words):
            value /= drug.elemental.fraction        # "葡萄糖酸锌 (含锌20mg)" 20 mg: 140 mg of the salt
        basis = _basis_of_total(drug, value)
        if basis is None:
            basis = _basis_of_written_total(drug, value, strengths)
        return Amount(basis, basis) if basis is not None else Amount(value, value)
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


def _basis_of_total(drug: Drug, mg: float) -> float | None:
    """A mass written as a combination's whole strength ("co-amoxiclav 625 mg", "1 g") when the
    formulary counts it by one component (``dose_basis``): that form's amount of the component."""
    for f in drug.forms:
        total = sum(c.strength * MASS_TO_MG.get(c.unit, 1.0) for c in f.components)
        if len(f.components) > 1 and f.base_strength < total - 1e-6 and total_is(total, mg):
            return f.base_strength
    return None


def _basis_of_written_total(drug: Drug, mg: float, strengths: tuple[float, ...]) -> float | None:
    """A mass that is a whole or half number of the combination's whole strength written in the
    order's name ("阿莫西林克拉维酸钾片 0.375g", 0.75 g: two 250/125 tablets, amoxicillin 500 mg, not
    750): that many units of the form, counted by its basis component."""
    if len(strengths) != 1:
        return None
    for f in drug.forms:
        total = sum(c.strength * MASS_TO_MG.get(c.unit, 1.0) for c in f.components)
        if len(f.components) > 1 and f.base_strength < total - 1e-6 and total_is(total, strengths[0]):
            count = mg / strengths[0]
            if count <= MAX_UNITS and abs(count * 2 - round(count * 2)) < 1e-6:
                return count * f.base_strength
    return None


def _written_strength(unit: str, drug: Drug, strengths: tuple[float, ...], per_ml: float | None) -> float | None:
    """mg in one ml, tablet or sachet by the strength written in the order. Single-ingredient
    medicines only: one number in a combination's name ("Rifafour e-275") is not its total."""
    if not drug.mass_unit or len(strengths) != 1 or any(f.components for f in drug.forms):
        return None
    if unit == "ml":
        return strengths[0] / per_ml if per_ml else None
    return strengths[0] if unit in ("tablet", "sachet", "puff", "suppository") else None


def _same_strength(form: Form, strengths: tuple[float, ...]) -> bool:
    return not form.components and abs(form.base_strength - strengths[0]) < 1e-6


def _guideline_amount(rule: DoseRule, drug: Drug, weight: float | None,
                      nearest: bool = False) -> tuple[float, float] | None:
    """The amount per dose a weight-based entry gives at this weight, and the top of the
    source's range for it (a weight band's ``max_dose``, "50-100 ml"; else the amount itself);
    None if not weight-based. ``nearest``: a weight outside the bands takes the nearest band
    (a ceiling for a child whom no entry fits)."""
    if weight is None:
        return None
    if nearest and rule.weight_bands:
        weight = min(max(weight, rule.weight_bands[0].min_kg), rule.weight_bands[-1].min_kg)
    if rule.mg_per_kg is not None:
        return rule.mg_per_kg * weight, rule.mg_per_kg * weight
    if rule.mg_per_kg_day is not None:
        amount = rule.mg_per_kg_day * weight / (rule.times_per_day or 1)
        return amount, amount
    if rule.weight_bands:
        band = band_for(rule.weight_bands, weight)
        if band is None:
            return None
        low = _band_base(drug, band.dose, band.dose_unit)
        high = _band_base(drug, band.max_dose, band.dose_unit) if band.max_dose is not None else low
        return (low, high) if low is not None and high is not None else None
    return None


def _band_base(drug: Drug, dose: float, dose_unit: str) -> float | None:
    """A weight band's amount in the drug's base unit (mg for drugs measured by mass)."""
    if dose_unit in ("mg", "mcg"):
        return dose / 1000 if dose_unit == "mcg" else dose
    forms = unit_form(drug, "tablet" if dose_unit == "tablet" else "ml")
    if not forms:
        return None
    f = forms[0]
    return dose * f.base_strength / (f.per_ml or 1)


@dataclass(frozen=True)
class EntryLimit:
    """What one dose entry allows: a dose, and how often. An order is within the formulary
    when one entry allows both its amount per dose and its schedule (issue 14): "azithromycin
    500 mg three times a day" fits the 500 mg once-daily entry's dose but not its day, and the
    1-2 g single-dose entries' total but not their one dose."""

    max_single: float | None
    max_daily: float | None            # None: the entry gives no daily limit (as needed)
    floor: float | None                # below it, under-dosing by this entry (None: unknown)
    times_per_day: int | None
    single_dose: bool                  # days = 0: the entry is one dose, not a course
    floor_given: bool = False          # the formulary gives the minimum (min_single_mg)
    per_kg: bool = False               # dosed by weight (its limits need the weight)

    def fits_dose(self, amount: float) -> bool:
        return self.max_single is None or amount <= self.max_single * 1.001

    def fits_schedule(self, amount: float, order: Order) -> bool:
        if not self.fits_course(order):
            return False
        if order.times_per_day is None:
            return True
        if self.max_daily is None:
            # no daily maximum: the entry's own frequency, or its own day in smaller doses
            # (nitrofurantoin 50 mg four times a day for 100 mg twice a day); an entry without a
            # maximum dose is titrated (insulin, levothyroxine) and does not limit the frequency
            if self.times_per_day is None or self.max_single is None or order.times_per_day <= self.times_per_day:
                return True
            return amount * order.times_per_day <= self.max_single * self.times_per_day * 1.001
        return amount * order.times_per_day <= self.max_daily * 1.001

    def as_course(self) -> EntryLimit:
        """A one-dose entry read as a course of such doses, for a medicine the formulary gives
        only as single doses (albendazole 400 mg, once or for 3 days): its dose and any daily
        maximum it gives still hold."""
        return replace(self, single_dose=False, times_per_day=None)

    def fits_course(self, order: Order) -> bool:
        """A single-dose entry says nothing of a course of daily doses."""
        return not self.single_dose or ((order.times_per_day or 1) <= 1 and (order.days is None or order.days <= 1))

    def under(self, amount: float, order: Order, *, by_day: bool) -> bool:
        """Below this entry's minimum. ``by_day``: a smaller dose given more often counts by
        the day (pyrazinamide 500 mg twice a day against 25 mg/kg once a day); so does the dose
        the source sets a minimum for given fewer times a day than its schedule (levonorgestrel
        0.75 mg once, where the regimen is 0.75 mg twice)."""
        if self.floor is None:
            return False
        times, own = order.times_per_day, self.times_per_day
        if not (by_day and times and own and not self.single_dose):
            return amount < self.floor * 0.999
        short_day = amount * times < self.floor * own * 0.999
        if amount >= self.floor * 0.999:
            return self.floor_given and times < own and short_day
        return short_day


@dataclass(frozen=True)
class Limits:
    entries: tuple[EntryLimit, ...]
    source: str
    basis: str
    max_week: float | None = None       # only for a medicine given once every N days (every_days)
    # no entry fits this child's age and weight: the entries are other ages' (an adult's dose
    # is never a child's), good only as a ceiling - what is above every one of them
    unfitted_child: bool = False

    @property
    def max_single(self) -> float | None:
        """The most lenient maximum per dose (None: an entry without one)."""
        caps = [e.max_single for e in self.entries]
        return None if None in caps or not caps else max(c for c in caps if c is not None)

    def within(self, amount: float, order: Order, *, fixed_only: bool = False) -> bool:
        """One entry allows both the dose and the schedule (``fixed_only``: one not dosed by weight)."""
        return any(e.fits_dose(amount) and e.fits_schedule(amount, order) for e in self.courses(order)
                   if not (fixed_only and e.per_kg))

    def courses(self, order: Order) -> tuple[EntryLimit, ...]:
        """The entries that could describe this order's course (a course of daily doses is
        judged by the course entries, not by a one-dose entry such as azithromycin 1 g once)."""
        return tuple(e for e in self.entries if e.fits_course(order)) or \
            tuple(e.as_course() if e.single_dose else e for e in self.entries)

    def daily_for_dose(self, amount: float, order: Order) -> float | None:
        """The most lenient daily limit of the course entries whose dose allows ``amount``
        (an entry without a daily maximum: its dose times its frequency); None if unknown."""
        days: list[float | None] = []
        for e in self.courses(order):
            if not e.fits_dose(amount):
                continue
            if e.single_dose:
                days.append(amount)
            elif e.max_daily is not None:
                days.append(e.max_daily)
            else:
                days.append(amount * e.times_per_day if e.times_per_day else None)
        return None if None in days or not days else max(d for d in days if d is not None)

    def under(self, amount: float, order: Order) -> float | None:
        """The lowest minimum of the entries when ``amount`` is under every one of them, else
        None. With an entry whose minimum is unknown, only the minimums the formulary gives
        count. The day counts only when no entry has the order's own frequency: when one has
        (artesunate twice on the first day), each dose must reach its minimum. Entries whose
        maximum the amount is above are not this order's (levonorgestrel 0.75 mg once is not a
        30-microgram daily pill but half an emergency dose), unless no entry's maximum allows it."""
        entries = tuple(e for e in self.entries if e.fits_dose(amount)) or self.entries
        pool = entries if all(e.floor is not None for e in entries) else \
            tuple(e for e in entries if e.floor_given)
        by_day = not any(e.times_per_day == order.times_per_day for e in entries)
        if pool and all(e.under(amount, order, by_day=by_day) for e in pool):
            return min(e.floor for e in pool if e.floor is not None)
        return None


def limits_for(drug: Drug, patient: Patient, route: str | None, unit: str | None = None) -> Limits | None:
    """The limits of each entry that fits the patient (so that no indication's legitimate
    dose alarms); every entry of the route when none fits. An order in puffs is judged by the
    entries a puff of the medicine's inhalers can give (:func:`by_puff`)."""
    route = parenteral_route(drug, route)
    doses = [r for r in drug.doses if by_puff(r, drug)] if unit == "puff" else list(drug.doses)
    rules = [r for r in doses if (route is None or r.route == route) and fits(r, patient)]
    fitted = bool(rules)
    if not rules:
        rules = [r for r in doses if route is None or r.route == route]
    unfitted_child = not fitted and patient.age_years is not None and patient.age_years < CHILD_YEARS
    if unfitted_child:
        # the ceiling for a child whom no entry fits: the children's entries of other ages and
        # weights (at this child's weight), an adult's only when there are none
        rules = [r for r in rules if r.population in ("child", "neonate")
                 or (r.age_max_years is not None and r.age_max_years <= CHILD_YEARS)] or rules
    if not rules:
        return None
    w = patient.weight_kg
    # a maximum per kg times the weight rarely lands on an amount that can be measured: the
    # prescriber rounds to the syringe or spoon (15 mg/kg for 15 kg is 225 mg = 9.375 ml of
    # 120 mg/5 ml, written 9.4 ml), so such a cap allows MEASURED above it
    kg_w = w * MEASURED if w else None
    entries, basis = [], []
    for r in rules:
        single = [x for x in (r.max_single_mg,
                              r.max_single_mg_per_kg * kg_w if r.max_single_mg_per_kg and kg_w else None) if x]
        daily = [x for x in (r.max_daily_mg,
                             r.max_daily_mg_per_kg * kg_w if r.max_daily_mg_per_kg and kg_w else None) if x]
        amounts = _guideline_amount(r, drug, w, nearest=unfitted_child)
        guide = amounts[0] if amounts else None
        if amounts is not None:
            # the 25% allowance stands in for a maximum the source does not give, above the top
            # of the range it gives for the band (ORS 50-100 ml: 125 ml); a maximum per kg that
            # it gives (ethambutol 15 mg/kg, range 15-20) is the limit itself
            per_dose = r.max_single_mg_per_kg * kg_w if r.max_single_mg_per_kg and kg_w else amounts[1] * TOLERANCE
            if not r.max_single_mg_per_kg:
                # never stricter than the daily maximum the source gives, in the entry's doses
                # (phenobarbital 2 mg/kg/day, up to 6 mg/kg/day, once daily)
                day_kg = r.max_daily_mg_per_kg * kg_w / r.times_per_day \
                    if r.max_daily_mg_per_kg and r.times_per_day and kg_w else 0.0
                single.append(max(per_dose, day_kg))
            if not r.max_daily_mg_per_kg and r.times_per_day:
                daily.append(per_dose * r.times_per_day)
            basis.append(f"{guide:g} mg for {w:g} kg")
        cap = min(single) if single else None
        max_daily = min(daily) if daily else None
        entries.append(EntryLimit(
            max_single=cap if cap is not None else max_daily,     # one dose above the day is above any dose
            max_daily=max_daily,
            floor=_floor(r, guide, w, drug) if fitted or r.min_single_mg is not None else None,
            times_per_day=r.times_per_day, single_dose=r.days == 0 and not r.times_per_day,
            floor_given=r.min_single_mg is not None or (r.min_single_mg_per_kg is not None and w is not None),
            per_kg=r.per_kg,
        ))
    return Limits(entries=tuple(entries), max_week=_max_week(rules), source=rules[0].source,
                  basis="; ".join(dict.fromkeys(basis)), unfitted_child=unfitted_child)


def by_puff(rule: DoseRule, drug: Drug) -> bool:
    """Can this entry's dose be given in puffs of the medicine's inhalers (at most PUFFS of the
    strongest)? A nebulised dose (salbutamol 5 mg: 50 puffs) is not an inhaler's, so an order in
    puffs is neither under it nor allowed by it. Entries not of a fixed dose are kept."""
    strongest = max((f.base_strength for f in unit_form(drug, "puff")), default=0.0)
    return rule.dose_mg is None or rule.dose_mg <= PUFFS * strongest + 1e-9


def parenteral_route(drug: Drug, route: str | None) -> str | None:
    """The route whose entries apply: an IM order of a medicine the formulary doses only IV
    takes the IV entries - the WHO formularies give one dose "IM or IV" (gentamicin,
    ceftriaxone, artesunate). Not the reverse: an IM-only entry is often a loading dose
    (phenobarbital 15 mg/kg IM), not the IV maintenance."""
    routes = {r.route for r in drug.doses}
    return "iv" if route == "im" and "im" not in routes and "iv" in routes else route


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


def _floor(rule: DoseRule, guide: float | None, weight_kg: float | None = None,
           drug: Drug | None = None) -> float | None:
    """The entry's minimum: as the formulary gives it (a minimum per kg times the weight / 1.25,
    the rounding to half tablets and spoons a weight band allows, as far as the forms can give
    it: :func:`_givable`); else a weight band's dose / 1.25; else half the guideline dose (fixed
    or per kg) - well below any dose range a source gives."""
    if rule.min_single_mg is not None:
        return rule.min_single_mg
    if rule.min_single_mg_per_kg is not None and weight_kg is not None:
        floor = rule.min_single_mg_per_kg * weight_kg / TOLERANCE
        return _givable(drug, rule.route, floor, guide * TOLERANCE) if drug is not None and guide else floor
    if guide is not None:
        return guide / TOLERANCE if rule.weight_bands else guide * UNDER
    return rule.dose_mg * UNDER if rule.dose_mg is not None else None


def _givable(drug: Drug, route: str, floor: float, upper: float) -> float:
    """A minimum the forms of the route can give: itself when a measurable amount (half tablets,
    2.5 ml spoons) lies between it and the top of the dose (the guideline dose x 1.25, as the
    calculator rounds); else the most that can be given below it (phenobarbital at 11 kg: the
    minimum 17.6 mg lies between half a 30 mg tablet and a whole one, above 27.5 mg; 15 mg is what
    can be given, not under-dosing)."""
    steps = []
    for f in drug.forms:
        if f.form not in ROUTE_FORMS.get(route, ()):
            continue
        if f.is_tablet or f.form == "sachet":
            steps.append(f.base_strength / f.divisible)
        elif f.is_liquid and f.per_ml:
            steps.append(f.base_strength / f.per_ml * SPOON_ML)
    if not steps or any(math.ceil(floor / s - 1e-9) * s <= upper * 1.001 for s in steps):
        return floor
    return max(math.floor(floor / s + 1e-9) * s for s in steps)
