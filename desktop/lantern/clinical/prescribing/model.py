"""The formulary as typed, immutable data (``resources/formulary/SCHEMA.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

FORMS = frozenset({
    "tablet", "dispersible_tablet", "capsule", "oral_suspension", "syrup", "oral_solution",
    "injection", "suppository", "inhaler", "nebuliser_solution", "cream", "ointment",
    "eye_drops", "eye_ointment", "ear_drops", "sachet", "patch", "implant", "nasal_spray",
})
TABLET_FORMS = ("tablet", "dispersible_tablet", "capsule")
LIQUID_FORMS = ("oral_suspension", "syrup", "oral_solution")
# forms put where they act (skin, eye, ear, nose): not dosed by kidney function
LOCAL_FORMS = frozenset({"cream", "ointment", "eye_drops", "eye_ointment", "ear_drops", "nasal_spray"})
UNITS = frozenset({"mg", "mcg", "g", "IU", "mmol", "ml", "percent"})
MASS_TO_MG = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}
ROUTES = frozenset({"oral", "iv", "im", "sc", "rectal", "inhaled", "topical", "vaginal",
                    "sublingual", "eye", "ear"})
ROUTE_FORMS = {
    "oral": TABLET_FORMS + LIQUID_FORMS + ("sachet",),
    "iv": ("injection",), "im": ("injection",), "sc": ("injection",),
    "rectal": ("suppository",), "inhaled": ("inhaler", "nebuliser_solution"),
}
POPULATIONS = frozenset({"adult", "child", "neonate", "any"})
BAND_UNITS = frozenset({"mg", "tablet", "ml", "mcg"})
ADVICE = ("safe", "caution", "avoid", "contraindicated")     # mildest first
RENAL_ACTIONS = frozenset({"avoid", "reduce", "caution", "extend_interval"})
SEVERITIES = ("info", "warn", "stop")                         # mildest first
DOSE_WAYS = ("mg_per_kg", "mg_per_kg_day", "dose_mg", "weight_bands")
TRIMESTERS = ("first", "second", "third")


@dataclass(frozen=True, slots=True)
class Component:
    drug: str
    strength: float
    unit: str


@dataclass(frozen=True, slots=True)
class Form:
    form: str
    strength: float            # per tablet / per `per_ml` ml / per vial; FDC: the dose-basis amount
    unit: str
    per_ml: float | None = None
    divisible: int = 1
    components: tuple[Component, ...] = ()
    supply: bool = False       # a packet made up into a solution and drunk over the day (ORS)
    # the products this form is sold as ("999感冒灵颗粒", "Panadol Cold & Flu"): a name that means
    # this composition, so an order of "1 sachet" of it is counted from these components
    names: tuple[str, ...] = ()
    # "modified": a modified-release form (缓释/控释, MR, SR, XL, retard), whose own dose entries
    # (``DoseRule.release``) hold for an order that names it (gliclazide MR: at most 120 mg a day)
    release: str = ""

    @property
    def base_strength(self) -> float:
        """The strength in mg for mass units (1 g vial: 1000), else in its own unit."""
        return self.strength * MASS_TO_MG.get(self.unit, 1.0)

    @property
    def is_tablet(self) -> bool:
        return self.form in TABLET_FORMS

    @property
    def is_liquid(self) -> bool:
        return self.form in LIQUID_FORMS

    def label(self) -> str:
        """"250 mg dispersible tablet", "125 mg/5 ml oral suspension", "20/120 mg tablet"."""
        if self.components:
            amount = "/".join(_num(c.strength) for c in self.components) + f" {self.components[0].unit}"
        else:
            amount = f"{_num(self.strength)} {self.unit}"
        if self.per_ml:
            amount += f"/{_num(self.per_ml)} ml"
        return f"{amount} {self.form.replace('_', ' ')}"


@dataclass(frozen=True, slots=True)
class WeightBand:
    min_kg: float
    max_kg: float
    dose: float
    dose_unit: str
    max_dose: float | None = None      # the top of the source's range for this band ("50-100 ml"), same unit


@dataclass(frozen=True, slots=True)
class DoseRule:
    indication: str
    population: str
    route: str
    times_per_day: int | None          # None: a single dose, or as needed
    source: str
    days: int | None = None
    age_min_years: float | None = None
    age_max_years: float | None = None
    weight_min_kg: float | None = None
    weight_max_kg: float | None = None
    mg_per_kg: float | None = None
    mg_per_kg_day: float | None = None
    dose_mg: float | None = None
    weight_bands: tuple[WeightBand, ...] = ()
    max_single_mg: float | None = None
    max_daily_mg: float | None = None
    min_single_mg: float | None = None
    # the source's lowest dose per kg (phenobarbital 2 mg/kg): a child who has grown past the dose
    min_single_mg_per_kg: float | None = None
    max_single_mg_per_kg: float | None = None
    max_daily_mg_per_kg: float | None = None
    every_days: int | None = None      # once every N days (7: a once-weekly medicine); max_daily_mg is then per dose
    # the entry holds only beside a medicine of this class (levonorgestrel 3 mg with an enzyme inducer):
    # a dose adjusted for an interaction, which the interaction's alert then says is taken care of
    with_class: str | None = None
    release: str = ""                  # "modified": the entry of the modified-release forms only
    note_en: str = ""
    note_zh: str = ""

    @property
    def per_kg(self) -> bool:
        return self.mg_per_kg is not None or self.mg_per_kg_day is not None or bool(self.weight_bands)


@dataclass(frozen=True)
class IngredientMax:
    """``[[drug.ingredient_max]]``: the most of one ingredient of a combination per dose and per
    day, for a population and route (the clavulanic acid of co-amoxiclav: two 250/125 tablets are
    not one 500/125; the salmeterol of an inhaler), whatever the product's own dose entries allow.
    Amounts in mg, as the dose entries' (0.05 for 50 micrograms)."""

    ingredient: str
    population: str
    route: str
    source: str
    age_min_years: float | None = None
    age_max_years: float | None = None
    weight_min_kg: float | None = None
    weight_max_kg: float | None = None
    max_single_mg: float | None = None
    max_daily_mg: float | None = None
    max_daily_mg_per_kg: float | None = None
    note_en: str = ""
    note_zh: str = ""


@dataclass(frozen=True, slots=True)
class Advice:
    """Pregnancy (per trimester) or breastfeeding advice, with its note and source."""

    by_trimester: dict[str, str]       # breastfeeding: {"any": advice}
    source: str
    note_en: str = ""
    note_zh: str = ""
    # optional: up to this amount a day the advice is of other doses (aspirin 75-150 mg a day for the
    # prevention of pre-eclampsia, WHO 2011): an order within it is said as info, not alarmed
    safe_daily_mg: float | None = None


@dataclass(frozen=True, slots=True)
class AgeLimit:
    min_years: float | None
    max_years: float | None
    severity: str
    source: str
    note_en: str = ""
    note_zh: str = ""


@dataclass(frozen=True, slots=True)
class LowDose:
    """Up to this amount a day the medicine is given at a low dose: the interactions marked
    ``not_low_dose`` do not hold for it (aspirin 75-300 mg a day is an antiplatelet: the NSAID
    interaction with ACE inhibitors is of anti-inflammatory doses). Every other check is unchanged."""

    daily_mg_at_most: float
    source: str
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class Elemental:
    """``[drug.elemental]``: a salt that prescriptions also dose as its element (zinc gluconate 140 mg
    is 20 mg of zinc, as IMCI doses it): an order whose name says so (one of ``words``: "含锌20mg",
    "elemental zinc") is in mg of the element, its salt that amount / ``fraction``."""

    fraction: float
    words: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class EgfrNeeded:
    """The kidney function must be known before this medicine is given to a patient of this
    age (metformin: eGFR before starting; dose and interval depend on it)."""

    min_age_years: float
    source: str
    note_en: str = ""
    note_zh: str = ""
    above_daily_mg: float | None = None    # only for orders above this amount a day (high-dose co-trimoxazole)


@dataclass(frozen=True, slots=True)
class RenalBand:
    egfr_below: float
    action: str
    source: str
    factor: float | None = None
    note_en: str = ""
    note_zh: str = ""
    # optional: the most a day the source allows in this band (enoxaparin below 30: 1 mg/kg once
    # daily; gabapentin by creatinine clearance): an order within it is the adjusted dose (info)
    max_daily_mg: float | None = None
    max_daily_mg_per_kg: float | None = None


@dataclass(frozen=True)
class Drug:
    id: str
    name_en: str
    name_zh: str
    source: str
    file: str
    aliases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    atc: str = ""
    forms: tuple[Form, ...] = ()
    doses: tuple[DoseRule, ...] = ()
    # entries that hold only beside a medicine of their ``with_class`` (added to ``doses`` by the checks
    # when one is ordered or taken: prescribing.checks.beside)
    doses_beside: tuple[DoseRule, ...] = ()
    # ingredients a label names without amounts we can cite (a Chinese patent medicine's Western
    # ingredients): checked as ingredients (duplicates, allergy, interactions, pregnancy), never dosed
    contains: tuple[str, ...] = ()
    # abbreviations this medicine shares with others on purpose ("CTX": co-trimoxazole, cefotaxime,
    # cyclophosphamide): never read alone, only with a strength that one medicine alone comes in
    shared_aliases: tuple[str, ...] = ()
    low_dose: LowDose | None = None
    ingredient_max: tuple[IngredientMax, ...] = ()
    pregnancy: Advice | None = None
    breastfeeding: Advice | None = None
    # each limit of the medicine: a child's lower limit and an older person's caution are two
    # (`[[drug.age]]`; a single `[drug.age]` table is one)
    age: tuple[AgeLimit, ...] = ()
    renal: tuple[RenalBand, ...] = ()
    egfr_needed: EgfrNeeded | None = None
    elemental: Elemental | None = None
    mass_unit: bool = True             # forms in mg/mcg/g: amounts are mg

    def name(self, lang: str = "en") -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en

    @property
    def local_only(self) -> bool:
        """Every form is put on the skin, eye, ear or nose (tobramycin eye drops)."""
        return bool(self.forms) and all(f.form in LOCAL_FORMS for f in self.forms)


@dataclass(frozen=True, slots=True)
class CrossReaction:
    cls: str
    severity: str
    source: str
    note_en: str = ""
    note_zh: str = ""
    # chart reactions that are no allergy of this kind: the cross-reaction does not hold when the
    # chart's allergy text names one (an ACE inhibitor's cough is no angioedema: an ARB is its switch)
    except_reactions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AllergyClass:
    id: str
    name_en: str
    name_zh: str
    source: str
    terms: tuple[str, ...] = ()
    cross_reactive: tuple[CrossReaction, ...] = ()
    duplicate_therapy: bool | None = None
    egfr_needed: EgfrNeeded | None = None     # every member needs the eGFR (aminoglycosides, glycopeptides)
    # reactions that are a side effect of the class, no allergy (an ACE inhibitor's cough): when the
    # chart's text names one and no allergic reaction, another member is a warn that it may recur
    except_reactions: tuple[str, ...] = ()
    except_source: str = ""


@dataclass(frozen=True, slots=True)
class Interaction:
    a: str
    b: str
    severity: str
    source: str
    effect_en: str
    effect_zh: str = ""
    advice_en: str = ""
    advice_zh: str = ""
    # not met by a medicine at its low dose (a `[drug.low_dose]`: aspirin at antiplatelet doses)
    not_low_dose: bool = False


@dataclass(frozen=True)
class Formulary:
    drugs: dict[str, Drug]
    classes: dict[str, AllergyClass]
    interactions: tuple[Interaction, ...]
    agreed: dict[str, str]                    # DRUGS.md: id -> English name (drugs and ingredients)
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()               # not problems: e.g. a drug id not in DRUGS.md
    class_members: dict[str, frozenset[str]] = field(default_factory=dict)
    # DRUGS.md: the therapeutic classes of a listed medicine not written yet, for class
    # interactions and duplicates (levamlodipine with amlodipine)
    agreed_classes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @cached_property
    def interactions_by_side(self) -> dict[str, tuple[int, ...]]:
        """Each side of the interaction table (a drug id or "class:<id>") -> the positions of its entries."""
        out: dict[str, list[int]] = {}
        for n, it in enumerate(self.interactions):
            for side in dict.fromkeys((it.a, it.b)):
                out.setdefault(side, []).append(n)
        return {k: tuple(v) for k, v in out.items()}


def _num(x: float) -> str:
    return f"{x:g}"
