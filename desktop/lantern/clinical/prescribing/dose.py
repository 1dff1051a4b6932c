"""The dose calculator: drug, indication and patient to the dose this patient should get.

The most specific dose entry of the formulary is used (``SCHEMA.md``: indication, then
bounds); the amount comes from its weight band, mg/kg or fixed dose, is capped at the
maximum single and daily dose, adjusted for the kidney (eGFR band), and rounded to what
can be given with the forms in the formulary (whole, half or quarter tablets; 2.5 ml
spoons). What cannot be computed is refused with a reason (:class:`DoseRefusal`), never
guessed: no weight for a per-kg dose is ``missing_data``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lantern.clinical.prescribing.inputs import Patient
from lantern.clinical.prescribing.model import (
    ROUTE_FORMS,
    DoseRule,
    Drug,
    Form,
    IngredientMax,
    RenalBand,
    WeightBand,
)

NEONATE_YEARS, CHILD_YEARS = 28 / 365.25, 12.0
SPOON_ML = 2.5
PUFF_FORMS = ("inhaler", "nasal_spray")
TOLERANCE = 1.25     # a weight-based dose this far above the guideline dose is above it (checks too)
UNDER = 0.5          # below half of every fitting guideline dose is under-dosing
MAX_TABLETS, MAX_ML = 4, 30.0
_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}
_TIMES = {1: "once daily", 2: "twice daily", 3: "three times daily", 4: "four times daily"}
_TIMES_ZH = {1: "每日1次", 2: "每日2次", 3: "每日3次", 4: "每日4次"}


# the calculator's own words in Chinese (basis and how to give it), longest first
_ZH_WORDS = (
    ("dispersible tablets", "分散片"), ("dispersible tablet", "分散片"), ("oral suspension", "口服混悬液"),
    ("oral solution", "口服溶液"), ("kg and over", "kg及以上"), ("weight band", "体重段"),
    ("fixed dose", "固定剂量"), ("mg/kg/day in", "mg/kg/日，分"), (" doses", "次"), ("tablets", "片"),
    ("tablet", "片"), ("capsule", "胶囊"), ("syrup", "糖浆"), ("injection", "注射剂"), ("sachet", "袋"),
    (" of ", " "),
)


def zh_words(text: str) -> str:
    for en, zh in _ZH_WORDS:
        text = text.replace(en, zh)
    return text


@dataclass(frozen=True)
class DoseRefusal:
    kind: str              # "missing_data" | "no_rule" | "renal" (avoid at this eGFR)
    message: str
    message_zh: str = ""

    def text(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" and self.message_zh else self.message


@dataclass(frozen=True)
class DoseResult:
    drug: str
    indication: str
    route: str
    dose: float                 # per dose, in `unit`
    unit: str                   # "mg", or the drug's own unit (IU, mmol, ml)
    times_per_day: int | None   # None: a single dose, or as needed
    days: int | None
    basis: str                  # "40 mg/kg", "weight band 10-15 kg: 1 tablet", "fixed dose"
    give: str                   # "1½ × 250 mg dispersible tablet", "17.5 ml of 125 mg/5 ml oral suspension"
    source: str
    notes: tuple[str, ...] = field(default=())
    rule: DoseRule | None = None
    amount_text: str = ""       # fixed-dose combinations by tablet: "80/480 mg" rather than the total
    count: tuple[float, str] | None = None    # what to order: (4, "tablet"), (17.5, "ml"); None: the amount


    @property
    def per_day(self) -> float:
        return self.dose * (self.times_per_day or 1)

    def text(self, drug_name: str, lang: str = "en") -> str:
        dose = self.amount_text or f"{self.dose:g} {self.unit}"
        if lang == "zh":
            days = f"，共{self.days}天" if self.days else ""
            times = _TIMES_ZH.get(self.times_per_day or 0, f"每日{self.times_per_day}次") \
                if self.times_per_day else "单次或按需"
            return f"{drug_name} {dose}（{zh_words(self.basis)}），{times}{days}：{zh_words(self.give)}"
        days = f" for {self.days} days" if self.days else ""
        times = _TIMES.get(self.times_per_day or 0, f"{self.times_per_day} times daily") \
            if self.times_per_day else "single dose or as needed"
        return f"{drug_name} {dose} ({self.basis}) {times}{days}: {self.give}"

    def to_dict(self) -> dict:
        return {"dose": self.dose, "unit": self.unit, "per_day": round(self.per_day, 3),
                "times_per_day": self.times_per_day, "days": self.days, "route": self.route,
                "indication": self.indication, "basis": self.basis, "give": self.give,
                "source": self.source, "notes": list(self.notes)}


def _population_ok(rule: DoseRule | IngredientMax, age: float | None) -> bool:
    if rule.age_min_years is not None or rule.age_max_years is not None:
        if age is None:
            return False
        return (rule.age_min_years or 0.0) <= age < (rule.age_max_years if rule.age_max_years is not None else 999)
    if rule.population == "any":
        return True
    if age is None:
        return False
    if rule.population == "neonate":
        return age < NEONATE_YEARS
    if rule.population == "child":
        return NEONATE_YEARS <= age < CHILD_YEARS
    return age >= CHILD_YEARS


def _weight_ok(rule: DoseRule | IngredientMax, weight: float | None) -> bool:
    if weight is None:
        return True
    return (rule.weight_min_kg or 0.0) <= weight <= (rule.weight_max_kg or 1e9)


def fits(rule: DoseRule | IngredientMax, patient: Patient) -> bool:
    """Does the entry's (or an ingredient cap's) population, age and weight fit the patient?"""
    return _population_ok(rule, patient.age_years) and _weight_ok(rule, patient.weight_kg)


def candidate_rules(drug: Drug, patient: Patient, *, route: str | None = None,
                    indication: str | None = None) -> list[DoseRule]:
    """The dose entries that fit this patient, most specific first."""
    rules = [r for r in drug.doses if (route is None or r.route == route) and fits(r, patient)]
    if indication:
        asked = [r for r in rules if r.indication == indication]
        rules = asked or [r for r in rules if r.indication == "default"] or rules
    elif any(r.indication == "default" for r in rules):
        rules = [r for r in rules if r.indication == "default"]

    def specificity(r: DoseRule) -> tuple:
        bounded = r.age_min_years is not None or r.age_max_years is not None or r.population != "any"
        weighed = r.weight_min_kg is not None or r.weight_max_kg is not None
        return (r.indication == indication, bounded, weighed)

    return sorted(rules, key=specificity, reverse=True)


def _kg_range(band: WeightBand) -> str:
    return f"{band.min_kg:g} kg and over" if band.max_kg == math.inf else f"{band.min_kg:g}-{band.max_kg:g} kg"


def band_for(bands: tuple[WeightBand, ...], weight: float) -> WeightBand | None:
    for i, b in enumerate(bands):
        if b.min_kg <= weight < b.max_kg or (i == len(bands) - 1 and weight == b.max_kg):
            return b
    return None


def unit_form(drug: Drug, kind: str, strengths: tuple[float, ...] = ()) -> list[Form]:
    """The forms an order unit means ("tablet", "ml", "sachet"), those matching the strengths first."""
    if kind == "tablet":
        forms = [f for f in drug.forms if f.is_tablet]
    elif kind == "ml":
        forms = [f for f in drug.forms if f.per_ml]
    elif kind == "puff":       # one actuation of an inhaler or a nasal spray (its strength per puff)
        forms = [f for f in drug.forms if f.form in PUFF_FORMS]
    else:
        forms = [f for f in drug.forms if f.form == kind]
    matching = [f for f in forms if strengths and _matches(f, strengths)]
    if not matching and len(strengths) == 1:
        # a combination named by another of its parts ("Seretide 125", "Symbicort 160": the inhaled
        # corticosteroid per puff), when no form has it as its first part or its total
        matching = [f for f in forms if any(abs(c.strength - strengths[0]) < 1e-6 for c in f.components)]
    return matching or forms


def _matches(form: Form, strengths: tuple[float, ...]) -> bool:
    if form.components:
        parts = tuple(c.strength for c in form.components)
        # "co-trimoxazole 960mg": one number is the sum of the components, as prescribers write it;
        # labels drop a fraction of a mg from it ("co-amoxiclav 228 mg/5 ml" is 200 + 28.5 mg)
        return parts[:len(strengths)] == strengths or (len(strengths) == 1 and total_is(sum(parts), strengths[0]))
    return abs(form.base_strength - strengths[0]) < 1e-6


def total_is(total: float, written: float) -> bool:
    """A written whole number is a combination's total, or that total without its fraction of a mg."""
    return abs(total - written) < 1e-6 or (written == int(written) and int(total) == written)


def _count(n: float) -> str:
    whole, frac = int(n), round(n - int(n), 2)
    return (str(whole) if whole else "") + _FRACTIONS.get(frac, "") if frac else str(whole)


def _give_options(drug: Drug, amount: float, route: str, cap: float | None, young: bool,
                  strengths: tuple[float, ...]) -> list[tuple[float, float, str, tuple[float, str] | None]]:
    """(score, givable amount, how to give it, count and unit) per form of the route, best first."""
    options: list[tuple[float, float, str, tuple[float, str] | None]] = []
    forms = [f for f in drug.forms if f.form in ROUTE_FORMS.get(route, ())]
    if strengths and any(_matches(f, strengths) for f in forms):
        forms = [f for f in forms if _matches(f, strengths)]
    for f in forms:
        if f.is_tablet or f.form == "sachet":
            step, limit = f.base_strength / f.divisible, MAX_TABLETS * f.base_strength
        elif f.is_liquid and f.per_ml:
            step, limit = f.base_strength / f.per_ml * SPOON_ML, f.base_strength / f.per_ml * MAX_ML
        else:
            step, limit = 0.0, 0.0
        if not step:     # injections and the rest: the amount itself, and its volume when known
            volume = f" = {amount / f.base_strength * f.per_ml:.1f} ml" if f.per_ml else ""
            options.append((0.05, amount, f"{amount:g} {_unit(drug)}{volume} of {f.label()}", None))
            continue
        n = round(amount / step)
        if cap is not None:
            n = min(n, int(cap / step + 1e-9))
        given = n * step
        if n <= 0 or given > limit:
            continue
        if f.per_ml:
            how, count = f"{n * SPOON_ML:g} ml of {f.label()}", (n * SPOON_ML, "ml")
        else:
            how = f"{_count(given / f.base_strength)} × {f.label()}"
            count = (given / f.base_strength, "sachet" if f.form == "sachet" else "tablet")
        penalty = 0.15 if (young and f.form in ("tablet", "capsule")) or (not young and f.per_ml) else 0.0
        options.append((abs(given - amount) / amount + penalty, given, how, count))
    return sorted(options, key=lambda o: o[0])


def _unit(drug: Drug) -> str:
    return "mg" if drug.mass_unit else next((f.unit for f in drug.forms), "mg")


def _band_amount(drug: Drug, band: WeightBand, strengths: tuple[float, ...]) -> tuple[float, str, str] | None:
    """(amount, how to give it, the amount as components for a fixed-dose combination)."""
    if band.dose_unit in ("mg", "mcg"):
        amount = band.dose / 1000 if band.dose_unit == "mcg" else band.dose
        return amount, "", ""          # rounded to the forms below
    forms = unit_form(drug, "tablet" if band.dose_unit == "tablet" else "ml", strengths)
    if not forms:
        return None
    f = forms[0]
    count = band.dose / (f.per_ml or 1) if band.dose_unit == "ml" else band.dose
    parts = "/".join(f"{c.strength * count:g}" for c in f.components)
    parts = f"{parts} {f.components[0].unit}" if parts else ""
    if band.dose_unit == "tablet":
        return band.dose * f.base_strength, f"{_count(band.dose)} × {f.label()}", parts
    return band.dose * f.base_strength / (f.per_ml or 1), f"{band.dose:g} ml of {f.label()}", parts


def _band_count(band: WeightBand) -> tuple[float, str] | None:
    return (band.dose, band.dose_unit) if band.dose_unit in ("tablet", "ml") else None


def calculate_dose(drug: Drug, patient: Patient, *, indication: str | None = None, route: str | None = None,
                   strengths: tuple[float, ...] = ()) -> DoseResult | DoseRefusal:
    """The dose of ``drug`` for ``patient`` (see the module docstring)."""
    if patient.age_years is None:
        return DoseRefusal("missing_data", f"{drug.name_en}: the age is needed to choose the dose",
                           f"{drug.name_zh}：需要年龄才能确定剂量")
    rules = candidate_rules(drug, patient, route=route, indication=indication)
    if not rules:
        return DoseRefusal("no_rule", f"the formulary gives no {drug.name_en} dose for this patient"
                                      + (f" by the {route} route" if route else ""),
                           f"处方集中没有适合该患者的{drug.name_zh}剂量")
    rule, w, notes = rules[0], patient.weight_kg, []
    if rule.per_kg and w is None:
        return DoseRefusal("missing_data", f"{drug.name_en} is dosed by weight: the weight is needed",
                           f"{drug.name_zh}按体重给药：需要体重")
    cap = rule.max_single_mg
    if rule.max_single_mg_per_kg is not None and w is not None:
        cap = min(cap or 1e12, rule.max_single_mg_per_kg * w)
    tpd, given_how, amount_text = rule.times_per_day, "", ""
    count: tuple[float, str] | None = None
    if rule.weight_bands and w is not None:
        band = band_for(rule.weight_bands, w)
        picked = _band_amount(drug, band, strengths) if band else None
        if band is None or picked is None:
            return DoseRefusal("no_rule", f"{w:g} kg is outside the weight bands for {drug.name_en}",
                               f"{w:g} kg不在{drug.name_zh}的体重段内")
        amount, given_how, amount_text = picked
        count = _band_count(band) if given_how else None
        plural = "s" if band.dose_unit == "tablet" and band.dose > 1 else ""
        upto = f"-{_count(band.max_dose)}" if band.max_dose is not None else ""
        basis = f"weight band {_kg_range(band)}: {_count(band.dose)}{upto} {band.dose_unit}{plural}"
    elif rule.mg_per_kg is not None and w is not None:
        amount, basis = rule.mg_per_kg * w, f"{rule.mg_per_kg:g} mg/kg"
    elif rule.mg_per_kg_day is not None and w is not None:
        amount, basis = rule.mg_per_kg_day * w / (tpd or 1), f"{rule.mg_per_kg_day:g} mg/kg/day in {tpd} doses"
    else:
        amount, basis = float(rule.dose_mg or 0), "fixed dose"
    daily_cap = rule.max_daily_mg
    if rule.max_daily_mg_per_kg is not None and w is not None:
        daily_cap = min(daily_cap or 1e12, rule.max_daily_mg_per_kg * w)
    if daily_cap is not None:
        cap = min(cap if cap is not None else 1e12, daily_cap / (tpd or 1))
    if cap is not None and amount > cap + 1e-9:
        notes.append(f"capped at the maximum of {cap:g} {_unit(drug)} per dose")
        amount = cap
    band_ = renal_band(drug, patient.egfr)
    if band_ is not None:
        if band_.action == "reduce" and band_.factor:
            amount *= band_.factor
            notes.append(f"reduced to {band_.factor:g}x for eGFR {patient.egfr:g}")
        elif band_.action == "reduce" and (day := renal_daily_cap(band_, w)) is not None and amount * (tpd or 1) > day:
            # a band that reduces by its daily maximum alone (magnesium sulfate: the loading dose in
            # full, the maintenance within the day)
            amount = day / (tpd or 1)
            notes.append(f"reduced to {day:g} {_unit(drug)} a day for eGFR {patient.egfr:g}")
        elif band_.action == "extend_interval" and band_.factor and tpd:
            tpd = max(1, round(tpd * band_.factor))
            notes.append(f"interval extended for eGFR {patient.egfr:g}")
        elif band_.action == "avoid":
            return DoseRefusal("renal", f"{drug.name_en}: avoid at eGFR {patient.egfr:g} "
                                        f"(below {band_.egfr_below:g}; {band_.source})",
                               f"{drug.name_zh}：eGFR {patient.egfr:g}（低于{band_.egfr_below:g}）时避免使用")
    if not given_how or notes:
        upper = cap if cap is not None else 1e12
        if rule.per_kg:        # round to the forms, never beyond what the checks call too much
            upper = min(upper, amount * TOLERANCE)
        options = _give_options(drug, amount, rule.route, upper, (patient.age_years or 0) < 6, strengths)
        if options:
            _, amount, given_how, count = options[0]
        else:
            given_how = f"{amount:g} {_unit(drug)}"
    return DoseResult(drug=drug.id, indication=rule.indication, route=rule.route, dose=round(amount, 3),
                      unit=_unit(drug), times_per_day=tpd, days=rule.days, basis=basis, give=given_how,
                      source=rule.source, notes=tuple(notes + ([rule.note_en] if rule.note_en else [])),
                      rule=rule, amount_text="" if notes else amount_text, count=count)


def renal_band(drug: Drug, egfr: float | None) -> RenalBand | None:
    if egfr is None:
        return None
    return next((b for b in drug.renal if egfr < b.egfr_below), None)


def renal_daily_cap(band: RenalBand, weight_kg: float | None) -> float | None:
    """The most a day a renal band allows for this weight (its ``max_daily_mg_per_kg`` times the
    weight, within its ``max_daily_mg``), or None when the band gives none (or needs the weight)."""
    per_kg = band.max_daily_mg_per_kg * weight_kg if band.max_daily_mg_per_kg and weight_kg else None
    caps = [c for c in (per_kg, band.max_daily_mg) if c is not None]
    if band.max_daily_mg_per_kg and not weight_kg:
        return None
    return min(caps) if caps else None
