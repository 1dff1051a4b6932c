"""Check a prescription: every order against the patient, the current medications and
the other orders (issue 14, item 3). An unknown drug is an alert, never silence.

:func:`check_prescription` returns the alerts (each with its order index, kind,
severity, message and source) and, per order, the normalised drug id and the dose the
calculator recommends for this patient (or None).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from lantern.clinical.prescribing.amounts import Amount, Limits, limits_for, order_amount
from lantern.clinical.prescribing.dose import (
    TOLERANCE,
    DoseResult,
    calculate_dose,
    fits,
    total_is,
    unit_form,
)
from lantern.clinical.prescribing.inputs import MAX_ORDER_BY_UNIT, MAX_ORDER_MG, Order, Patient
from lantern.clinical.prescribing.model import (
    MASS_TO_MG,
    SEVERITIES,
    Drug,
    Form,
    Formulary,
    Interaction,
)
from lantern.clinical.prescribing.names import NameIndex, Resolved, strengths_in
from lantern.clinical.prescribing.patient_checks import (
    Alert,
    ChartAllergies,
    age_alerts,
    allergy_alerts,
    breastfeeding_alerts,
    pregnancy_alerts,
    read_allergies,
    renal_alerts,
)

KINDS = ("allergy", "cross_reactivity", "pregnancy", "breastfeeding", "age", "dose_above_max",
         "dose_below_min", "daily_max", "renal", "interaction", "duplicate", "unknown_drug", "missing_data")
DUPLICATE_CLASSES = frozenset({
    "nsaid", "opioid", "ace_inhibitor", "angiotensin_receptor_blocker", "beta_blocker", "statin", "penicillin",
    "cephalosporin", "macrolide", "fluoroquinolone", "tetracycline", "artemisinin", "benzodiazepine",
    # a sulfonamide with a diaminopyrimidine (co-trimoxazole, sulfadoxine-pyrimethamine): one antifolate
    # at a time; WHO: no IPTp-SP for women on co-trimoxazole prophylaxis (Guidelines for malaria 2023)
    "sulfonamide_antifolate",
    # breadth review 2026-12-06: one medicine of each of these classes at a time. Two SSRIs or two
    # antipsychotics: WHO mhGAP Intervention Guide 2.0 (one antidepressant; avoid combining
    # antipsychotics); two sulfonylureas, two potassium-sparing diuretics, two dihydropyridine calcium-
    # channel blockers, two xanthines: BNF (same mechanism, added toxicity: hypoglycaemia,
    # hyperkalaemia, hypotension, theophylline toxicity); two heparins (unfractionated and low-molecular-
    # weight): BNF, heparin - never together (warfarin started under heparin cover is a planned bridge,
    # not a duplicate: its class is anticoagulant, not heparin)
    "ssri", "antipsychotic", "sulfonylurea", "potassium_sparing_diuretic", "calcium_channel_blocker", "xanthine",
    "heparin",
    # chronic-care entries 2026-12-06: two direct oral anticoagulants, two DPP-4 inhibitors, two SGLT2
    # inhibitors, allopurinol with febuxostat, verapamil with diltiazem: BNF (same mechanism; bleeding,
    # heart block, no added benefit)
    "doac", "dpp4_inhibitor", "sglt2_inhibitor", "xanthine_oxidase_inhibitor", "rate_limiting_ccb",
    # session 16: two non-sedating antihistamines (loratadine with cetirizine, or with its own metabolite
    # desloratadine): one H1 antihistamine at a time, a second adds side effects, not relief (BNF,
    # antihistamines; ARIA guideline on allergic rhinitis). Sedating ones in cold remedies are read
    # by their ingredients (chlorphenamine twice is the same drug twice)
    "non_sedating_antihistamine",
    # session 21: two ongoing hormonal methods of contraception (a combined or progestogen-only pill,
    # an injectable, an implant): one method at a time; a switch starts the new method when the old
    # one is due or removed (WHO Family planning: a global handbook for providers 2018, "switching
    # from another method"). Emergency contraception is not an ongoing method (not in the class)
    "contraceptive_method",
    # two thiazide or thiazide-like diuretics (hydrochlorothiazide, bendroflumethiazide, indapamide, and the
    # products that hold one): one at a time - same site of action, added hypokalaemia, hyponatraemia and
    # hyperuricaemia, no added lowering (BNF 2023-24, thiazides and related diuretics)
    "thiazide_diuretic",
})
LIMIT_SOURCE = "Lantern plausibility limit (no medicine is given at this dose)"


@dataclass(frozen=True)
class CheckedOrder:
    text: str
    drug: str | None
    recommended: DoseResult | None

    def to_dict(self) -> dict:
        return {"input": self.text, "drug": self.drug,
                "recommended": self.recommended.to_dict() if self.recommended else None}


@dataclass(frozen=True)
class CheckResult:
    alerts: tuple[Alert, ...]
    orders: tuple[CheckedOrder, ...]


def build_index(formulary: Formulary, *, generic_only: bool = False) -> NameIndex:
    """The name index of the formulary (``generic_only``: for scanning curated running text)."""
    names = {d.id: [d.id, d.name_en, d.name_zh, *d.aliases, *d.shared_aliases] for d in formulary.drugs.values()}
    primary = {d.id: [d.id, d.name_en, d.name_zh] for d in formulary.drugs.values()}
    carriers = frozenset(d.id for d in formulary.drugs.values() if {"iv_fluid", "carbohydrate"} & set(d.classes))
    products: dict[str, list[tuple[str, tuple[float, ...]]]] = {}
    for d in formulary.drugs.values():
        for f in d.forms:
            strengths = tuple(c.strength for c in f.components) if f.components else (f.base_strength,)
            for n in f.names:
                names[d.id].append(n)
                products.setdefault(d.id, []).append((n, strengths))
    # the strengths that name a composition: a fixed-dose combination's total or its components'
    # ("960" is co-trimoxazole's 800 + 160); a plain 500 mg or 1 g is the strength of countless medicines
    form_strengths = {d.id: frozenset(x for f in d.forms if f.components for x in (
        f.base_strength, *(c.strength * MASS_TO_MG.get(c.unit, 1.0) for c in f.components))) for d in formulary.drugs.values()}
    combinations = {d.id: frozenset(ingredients(d.id, formulary)) - {d.id} for d in formulary.drugs.values()
                    if any(f.components for f in d.forms)}
    return NameIndex(names=names, agreed=formulary.agreed, generic_only=generic_only, primary=primary,
                     carriers=carriers, products=products, form_strengths=form_strengths,
                     combinations=combinations)


def _classes(drug_id: str, formulary: Formulary) -> tuple[str, ...]:
    drug = formulary.drugs.get(drug_id)
    return drug.classes if drug else formulary.agreed_classes.get(drug_id, ())


def _duplicate_class(cls: str, formulary: Formulary) -> bool:
    known = formulary.classes.get(cls)
    if known is not None and known.duplicate_therapy is not None:
        return known.duplicate_therapy
    return cls in DUPLICATE_CLASSES


def ingredients(drug_id: str, formulary: Formulary) -> tuple[str, ...]:
    """The drug and, for a fixed-dose combination, each ingredient its forms name
    (co-codamol: itself, paracetamol, codeine) or its ``contains`` line names."""
    drug = formulary.drugs.get(drug_id)
    out = [drug_id]
    for form in drug.forms if drug else ():
        out += [c.drug for c in form.components if c.drug not in out]
    out += [x for x in (drug.contains if drug else ()) if x not in out]
    return tuple(out)


def named_parts(text: str, drug_id: str, index: NameIndex, formulary: Formulary) -> tuple[str, ...]:
    """``drug_id`` with its ingredients and the other medicines its text names beside it: a
    combination the formulary does not hold, written out ("Tylenol #3 (paracetamol 300mg/codeine
    30mg)" resolves to paracetamol and names codeine)."""
    parts = ingredients(drug_id, formulary)
    return parts + tuple(d for d, _ in index.mentions(text, typos=False, agreed_cjk=True)
                         if d in formulary.drugs and d not in parts and d not in index.carriers)


def _class_set(ids: tuple[str, ...], formulary: Formulary) -> frozenset[str]:
    return frozenset(c for x in ids for c in _classes(x, formulary))


def beside(drug: Drug, classes: frozenset[str]) -> Drug:
    """The drug with only the dose entries that hold beside medicines of these classes (an entry
    with ``with_class`` holds only beside that class: levonorgestrel 3 mg with an enzyme inducer)."""
    extra = tuple(r for r in drug.doses_beside if r.with_class in classes)
    return replace(drug, doses=drug.doses + extra) if extra else drug


# what a prescriber writes for a modified-release product (EN and ZH)
_MODIFIED_RELEASE_RE = re.compile(
    r"缓释|控释|长效片|\b(?:mr|sr|xl|er|cr|la|retard|continus)\b|(?:modified|extended|prolonged|sustained|slow|"
    r"controlled)[- ]release", re.IGNORECASE)


def released(drug: Drug, text: str, strengths: tuple[float, ...]) -> Drug:
    """The drug with the dose entries of the form its order names, for a medicine whose
    modified-release forms have entries of their own (``release = "modified"``): an order naming a
    modified-release product (its words, or a strength only such a form has) takes those entries, an
    order naming a strength only the other forms have takes the others, and an order that says
    neither keeps all of them (gliclazide MR: 120 mg a day; standard tablets: 320 mg)."""
    if not any(r.release for r in drug.doses):
        return drug
    def only(release: str) -> bool:
        return bool(strengths) and all(
            any(s in (f.strength, f.base_strength) for f in drug.forms if f.release == release)
            and not any(s in (f.strength, f.base_strength) for f in drug.forms if f.release != release)
            for s in strengths)
    if _MODIFIED_RELEASE_RE.search(text) or only("modified"):
        keep = tuple(r for r in drug.doses if r.release)
    elif only(""):
        keep = tuple(r for r in drug.doses if not r.release)
    else:
        return drug
    return replace(drug, doses=keep) if keep else drug


def _sides(ids: tuple[str, ...], formulary: Formulary) -> set[str]:
    """What the interaction table may name for these ingredients: their ids and "class:<id>"."""
    return set(ids) | {f"class:{c}" for x in ids for c in _classes(x, formulary)}


def _interaction(mine: tuple[str, ...], theirs: tuple[str, ...], formulary: Formulary,
                 low: bool = False) -> Interaction | None:
    """The most severe interaction of the table between any ingredient of one and any of the
    other (the first in the table among equals): a pair met by a broad class entry (two
    QT-prolonging drugs, warn) and by a stricter one of its own (ritonavir with amiodarone, stop)
    is a stop. For one pair of ingredients, an entry naming both by id is the table's word on
    that pair and wins over the class entries that also meet it, even when milder (rifapentine
    with dolutegravir, info, though rifapentine is an enzyme inducer; ondansetron with tramadol).
    ``low``: one of the two is at its low dose, so entries marked ``not_low_dose`` do not hold."""
    best: tuple[int, int] | None = None             # (minus the severity rank, position in the table)
    for x in mine:
        xs = _sides((x,), formulary)
        for y in theirs:
            ys = _sides((y,), formulary)
            met = set()
            for side in xs:
                for n in formulary.interactions_by_side.get(side, ()):
                    it = formulary.interactions[n]
                    if not (it.not_low_dose and low) and (
                            (it.a in xs and it.b in ys) or (it.b in xs and it.a in ys)):
                        met.add(n)
            own = {n for n in met if {formulary.interactions[n].a, formulary.interactions[n].b} == {x, y}}
            for n in own or met:
                rank = (-SEVERITIES.index(formulary.interactions[n].severity), n)
                best = rank if best is None or rank < best else best
    return formulary.interactions[best[1]] if best is not None else None


def _name(drug_id: str, formulary: Formulary) -> str:
    if drug_id in formulary.drugs:
        return formulary.drugs[drug_id].name_en
    # DRUGS.md: "Metoprolol / 美托洛尔 / 倍他乐克" - its first name
    return formulary.agreed.get(drug_id, drug_id).split(" / ")[0]


# (drug id, "order N" / "current medication", one schedule with the order, its ingredients, whether
# it is at its low dose: see :func:`low_dose`)
Partner = tuple[str, str, bool, tuple[str, ...], bool]


def low_dose(drug: Drug | None, daily: float | None) -> bool:
    """Whether an amount a day of ``drug`` is within its ``low_dose`` table (aspirin up to 300 mg a
    day, the antiplatelet dose)."""
    low = drug.low_dose if drug else None
    return low is not None and daily is not None and daily <= low.daily_mg_at_most * 1.001


# How often a line says a medicine is taken, in the ways charts and prescriptions write it: one
# reader (written_times) for a current medication's line, a renewal of a chart line, and the
# frequency text Lantern itself signs ("twice daily for 5 days", "每日2次，共5天").
# Abbreviations (BNF/WHO Model Formulary "Latin abbreviations"): od/qd/mane/nocte once, bd/bid
# twice, tds/tid three times, qds/qid four times a day.
# The summary's reader (language.medications.find_frequencies, the [[frequency]] tables of
# resources/language/medication_terms.toml) is a different job and stays separate: it gives the span
# and one of nine canonical labels ("twice daily", "at night", "as needed", "once (stat)", "weekly"),
# which the meaning check blanks and compares between a note and its rewording; this reader gives a
# count (the most a day when a line writes several: "every 4-6 hours" is six) and reads counts the
# labels have none for ("6 times daily", "3x/d", "每日6次", "每十二小时"). One set of patterns for both
# would change the meaning check's spans and labels (session 22: left as two readers, each tested).
_TIMES_WORDS = {"od": 1, "qd": 1, "daily": 1, "nocte": 1, "qn": 1, "mane": 1, "om": 1, "on": 1, "qam": 1,
                "qpm": 1, "qhs": 1, "hs": 1, "bd": 2, "bid": 2, "tds": 3, "tid": 3, "qds": 4, "qid": 4}
_NUM_EN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12,
           "twenty-four": 24, "once": 1, "twice": 2, "thrice": 3}
_NUM_ZH = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_N = r"(\d{1,2}|one|two|three|four|five|six|eight|twelve|twenty-four)"
_ZH_N = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
_DAY_EN = r"\s*(?:a|per|each|every|/|-)?\s*(?:day|daily|d)\b"
# (pattern, what its number is): "times" counts doses a day, "hours" the hours between doses
_FREQUENCIES = (
    (re.compile(r"\b(once|twice|thrice)[\s-]*" + _DAY_EN, re.IGNORECASE), "times"),
    (re.compile(r"\b" + _EN_N + r"\s*(?:x|times?)" + _DAY_EN, re.IGNORECASE), "times"),
    (re.compile(r"\bq\s*(\d{1,2})(?:\s*-\s*\d{1,2})?\s*(?:h|hrs?|hours?|hourly)\b", re.IGNORECASE), "hours"),
    (re.compile(r"\bevery\s+" + _EN_N + r"(?:\s*(?:-|to)\s*\d{1,2})?\s*(?:h|hrs?|hours?)\b", re.IGNORECASE),
     "hours"),
    (re.compile(r"\b" + _EN_N + r"(?:\s*-\s*|\s+)?(?:hourly|hrly)\b", re.IGNORECASE), "hours"),
    (re.compile(r"(?:每日|每天|一日|一天|日)\s*" + _ZH_N + r"\s*次"), "times"),
    (re.compile(_ZH_N + r"\s*次\s*[/／每]\s*[日天]"), "times"),
    (re.compile(r"每\s*" + _ZH_N + r"\s*(?:个)?\s*小时"), "hours"),
)
_TWICE_ZH = ("早晚各", "早晚一次")
_THRICE_ZH = ("早中晚各", "三餐")


def _number(text: str) -> int:
    """"12", "twelve", "十二", "两" as a number (0 when it is none)."""
    text = text.lower()
    if text.isdigit():
        return int(text)
    if text in _NUM_EN:
        return _NUM_EN[text]
    if "十" in text:                                    # 十 10, 十二 12, 二十四 24
        tens, _, units = text.partition("十")
        return _NUM_ZH.get(tens, 1) * 10 + _NUM_ZH.get(units, 0)
    return _NUM_ZH.get(text, 0)


def written_frequency(text: str) -> int | None:
    """The times a day a line writes its medicine is taken, or None when it writes none: "twice
    daily", "three times a day", "2 times a day", "3x/d", "every 8 hours", "q6h", "8-hourly",
    "bd"/"bid"/"tds"/"tid"/"qds"/"qid"/"od"/"nocte"/"mane", "每日2次", "一日三次", "3次/日",
    "每8小时", "早晚各一次". When a line writes more than one, the most a day (a dose every 4-6
    hours is six doses a day)."""
    found: list[int] = []
    for pattern, what in _FREQUENCIES:
        for m in pattern.finditer(text):
            n = _number(m.group(1))
            if what == "hours" and 1 <= n <= 24:
                found.append(24 // n)
            elif what == "times" and 1 <= n <= 24:
                found.append(n)
    words = set(re.split(r"[^a-z0-9]+", text.lower().replace(".", "")))
    found += [n for w, n in _TIMES_WORDS.items() if w in words]
    found += [2 for w in _TWICE_ZH if w in text] + [3 for w in _THRICE_ZH if w in text]
    return max(found, default=None)


# Less often than once a day, as orders and charts write it ("once weekly x12", "3HP weekly",
# "monthly, supervised", "every other day", "three times a week", "每周一次", "隔日一次", "每月一次监服"):
# (pattern, days between doses, or None to take 7 / the number written: "N times a week")
_INTERVALS = (
    (re.compile(r"\b(?:" + _EN_N + r"|once|twice|thrice)\s*(?:x\s*|times?\s*)?(?:a|per|each|every|/)?\s*(?:weekly|week|wk)\b|"
                r"\b(\d)\s*x\s*/\s*(?:week|wk)\b|\b(?:tiw|biw)\b", re.IGNORECASE), None),
    (re.compile(r"每\s*周\s*" + _ZH_N + r"\s*次|周\s*" + _ZH_N + r"\s*次"), None),
    (re.compile(r"\b(?:weekly|every\s+week|qw|q\s*1\s*w)\b", re.IGNORECASE), 7.0),
    (re.compile(r"\b(?:every\s+(?:other|second|2nd)\s+day|alternate\s+days?|on\s+alternate\s+days|qod|eod)\b|隔日|隔天",
                re.IGNORECASE), 2.0),
    (re.compile(r"\b(?:fortnightly|every\s+(?:2|two)\s+weeks)\b|每\s*(?:2|两|二)\s*周", re.IGNORECASE), 14.0),
    (re.compile(r"\b(?:monthly|once\s+a\s+month|every\s+(?:4|four)\s+weeks|every\s+month)\b|每\s*月|每\s*(?:4|四)\s*周",
                re.IGNORECASE), 28.0),
)


# "every N weeks / months" and their short and Chinese forms, a range at its shorter end ("every 3-4
# weeks": 21 days, the most a day it can give): depot injections every 3 months or 12-13 weeks
# (DMPA, WHO FP Handbook 2022), vitamin B12 every 3 months, benzathine benzylpenicillin every 3-4 weeks
_EVERY_N = (
    re.compile(r"\b(?:every|q)\s*" + _EN_N + r"(?:\s*(?:-|to)\s*\d{1,2})?\s*(weeks?|wks?|w|months?|mo|mths?)\b",
               re.IGNORECASE),
    re.compile(r"每\s*" + _ZH_N + r"(?:\s*(?:-|~|至|到)\s*\d{1,2})?\s*(个\s*月|月|周|星期)"),
)
_DAYS_PER = {"w": 7.0, "m": 365.25 / 12}


def written_interval(text: str) -> float | None:
    """The days between doses when a line says a medicine is given less often than once a day
    ("once weekly", "weekly", "every other day", "three times a week", "monthly", "每周一次", "隔日一次",
    "每周3次", "每月一次", "every 12 weeks", "q3 months", "每3个月一次"), else None. "Twice weekly" is
    every 3.5 days, "three times a week" every 7/3, "every 3 months" 91 days."""
    for every in _EVERY_N:
        m = every.search(text)
        if m is not None and (n := _number(m.group(1))) >= 1:
            unit = m.group(2).lower()
            return n * _DAYS_PER["w" if unit[0] in "w周星" else "m"]
    for pattern, days in _INTERVALS:
        m = pattern.search(text)
        if m is None:
            continue
        if days is not None:
            return days
        word = next((g for g in m.groups() if g), None)
        low = m.group(0).lower()
        n = _number(word) if word else 3 if "tiw" in low else 2 if "biw" in low else \
            {"once": 1, "twice": 2, "thrice": 3}.get(low.split()[0] if low.split() else "", 1)
        if 1 <= n <= 6:
            return 7.0 / n
    return None


def written_times(text: str) -> int:
    """The times a day a current medication's line gives (once a day when none is written):
    :func:`written_frequency`."""
    return written_frequency(text) or 1


def without_frequency(text: str) -> str:
    """A line with its frequency's words taken out: their numbers ("3次/日", "every 12 hours",
    "2 times a day", "every 3 months") are not strengths."""
    for pattern, _what in _FREQUENCIES:
        text = pattern.sub(" ", text)
    for every in _EVERY_N:
        text = every.sub(" ", text)
    return text


def written_daily(text: str, drug: Drug | None) -> float | None:
    """The amount a day a current medication's text gives ("Aspirin 75mg od": 75 mg; "拜阿司匹灵
    100mg qd": 100 mg): its one written strength times its written frequency (once a day when none
    is written), over the days between doses when it is given less often ("利福平 600mg 每月一次"),
    or None when no single strength is written. The frequency's own numbers ("3次/日",
    "每12小时") are not strengths."""
    strengths, _per_ml = strengths_in(without_frequency(text))
    if drug is None or not drug.mass_unit or len(strengths) != 1:
        return None
    return strengths[0] * written_times(text) / (written_interval(text) or 1.0)


# a count of tablets written in a current medication ("TLD 1 tab od", "TLD 1片 qd")
_COUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:tabs?|tablets?|caps?|capsules?|片|粒)(?![a-z])", re.IGNORECASE)


def written_daily_parts(text: str, drug: Drug | None) -> dict[str, float]:
    """The mg a day of each ingredient a current medication's text gives: its written strength
    (:func:`written_daily`), or, for a fixed-dose combination written as a count of tablets
    ("TLD 1 tab od"), that count times each component of its tablet."""
    if drug is None:
        return {}
    form = next((f for f in drug.forms if f.components and f.form in ("tablet", "dispersible_tablet", "capsule")),
                None)
    own = written_daily(text, drug) if form is None else None
    if own is not None:
        return {drug.id: own}
    count = _COUNT.search(text)
    if count is None or form is None:
        return {}
    n = float(count.group(1)) * written_times(text) / (written_interval(text) or 1.0)
    return {c.drug: n * c.strength * MASS_TO_MG.get(c.unit, 0.0) for c in form.components
            if c.unit in MASS_TO_MG}


def written_days(taking: list[tuple[str, str]], formulary: Formulary) -> dict[str, float]:
    """The mg a day of each ingredient the current medications give as written (over every line that
    holds it: "TLD 1 tab od" and "DTG 50mg nocte" are 100 mg of dolutegravir)."""
    day: dict[str, float] = {}
    for text, d in taking:
        for part, mg in written_daily_parts(text, formulary.drugs.get(d)).items():
            day[part] = day.get(part, 0.0) + mg
    return day


def order_days(orders: tuple[Order, ...], resolved: list[Resolved | None], formulary: Formulary) -> dict[str, float]:
    """The mg a day of each ingredient the orders give together (a combination counted by its
    components: TLD 1 tablet is 50 mg of dolutegravir); a single dose counts as its day."""
    day: dict[str, float] = {}
    for order, res in zip(orders, resolved, strict=True):
        drug = formulary.drugs.get(res.drug) if res else None
        if drug is None or res is None:
            continue
        times = order.times_per_day or 1
        parts = _ingredient_doses(drug, order, res.strengths) if any(f.components for f in drug.forms) else None
        if parts is None and drug.mass_unit and \
                isinstance(amount := order_amount(order, drug, res.strengths, res.per_ml), Amount):
            parts = {drug.id: amount.low}
        for part, mg in (parts or {}).items():
            day[part] = day.get(part, 0.0) + mg * times
    return day


def adjusted_days(day: dict[str, float], present: frozenset[str], formulary: Formulary) -> dict[str, frozenset[str]]:
    """The medicines given at a dose adjusted for an interaction, as drug id -> the classes it is
    adjusted for: the day of the medicine over every order and current medication (``day``) within a
    ``with_class`` entry's day (its dose times its times a day, up to its daily maximum), that class
    being in the prescription (``present``): dolutegravir 50 mg twice daily (TLD and a second 50 mg
    tablet) beside rifampicin; levonorgestrel 3 mg beside an enzyme inducer."""
    out: dict[str, frozenset[str]] = {}
    for part, mg in day.items():
        drug = formulary.drugs.get(part)
        classes = frozenset(
            r.with_class for r in (drug.doses_beside if drug else ())
            if r.with_class in present and r.dose_mg is not None
            and r.dose_mg * (r.times_per_day or 1) * 0.999 <= mg
            <= (r.max_daily_mg or r.dose_mg * (r.times_per_day or 1)) * 1.001)
        if classes:
            out[part] = classes
    return out


# words that begin a comment in a current medication's line or an order, not another medicine it
# holds ("DTG 50mg evening - extra dose while on rifampicin", "多替拉韦 50mg qn(利福平期间加量)",
# "dolutegravir 50mg (extra dose 12 h after TLD while on rifampicin)"); a bracket naming the parts
# of a combination ("Tylenol #3 (paracetamol 300mg/codeine 30mg)") is no comment
_COMMENT = re.compile(r"\s[-–—]\s|[;；]|\b(?:while|during|because|since|due to)\b|"
                      r"[(（][^()（）]*?\b(?:extra|additional|after|before|instead|until)\b|"
                      r"[(（][^()（）]*(?:期间|加量|因为|合用)", re.IGNORECASE)


def medication_text(text: str) -> str:
    """A current medication's line (or an order's text) without its comment (what it is for, why
    its dose is changed)."""
    return _COMMENT.split(text, maxsplit=1)[0]


def written_parts(text: str, drug_id: str, index: NameIndex, formulary: Formulary) -> tuple[str, ...]:
    """The ingredients a current medication's line or an order's text names, its comment left out:
    what a renewal shares with the medication it replaces."""
    return named_parts(medication_text(text), drug_id, index, formulary)


def _pair_alerts(i: int, drug: Drug, mine: tuple[str, ...], partners: list[Partner],
                 formulary: Formulary, adjusted: dict[str, frozenset[str]] | None = None,
                 low: bool = False) -> list[Alert]:
    """Interactions and duplicates of order ``i`` (its ingredients ``mine``) with (partner drug
    id, "order N" / "current medication", whether the two orders read as one schedule, see
    :func:`_schedule`, the partner's ingredients, whether it is at its low dose). ``adjusted``:
    drug id of an order -> the classes its dose is adjusted for (a ``with_class`` entry it fits):
    their interaction is said, as info. ``low``: this order is at its low dose."""
    adjusted = adjusted or {}
    out = []
    for other, where, other_route, theirs, their_low in partners:
        other_name = _name(other, formulary)
        if other == drug.id:
            # the same medicine again: a duplicate, never an interaction with itself. Read as one
            # schedule (:func:`_schedule`: a loading dose then the maintenance doses, magnesium
            # sulfate IV + IM; IV then by mouth): said, not alarmed. Already a current medication: a second
            # supply or a change of dose, which the prescriber must settle (stop the old one).
            why = "already a current medication: a change of dose or a second supply? Stop the current " \
                "one if this replaces it" if where == "current medication" else \
                "ordered twice, as one schedule (a loading and a maintenance dose?)" if other_route else \
                "ordered twice for the same time: a double dose"
            if adjusted.get(drug.id):
                why += "; together the day adjusted for an interaction (the planned double dose)"
            out.append(Alert(i, drug.id, "duplicate", "info" if other_route or adjusted.get(drug.id) else "warn",
                             f"{drug.name_en} is {why} ({where})", "formulary: same drug"))
            continue
        it = _interaction(mine, theirs, formulary, low or their_low)
        if it is not None:
            advice = f" {it.advice_en}" if it.advice_en else ""
            eased = any(adjusted.get(x, frozenset()) & _class_set(theirs, formulary) for x in {drug.id, *mine}) or \
                any(adjusted.get(x, frozenset()) & _class_set(mine, formulary) for x in {other, *theirs})
            if eased:
                advice += " The dose ordered is the one adjusted for this combination."
            out.append(Alert(i, drug.id, "interaction", "info" if eased else it.severity,
                             f"{drug.name_en} with {other_name} ({where}): {it.effect_en}.{advice}",
                             it.source, it.effect_zh))
        common = [x for x in mine if x in theirs]
        if common:
            planned = [x for x in common if adjusted.get(x)]
            if planned and len(planned) == len(common):
                # the second supply is the dose adjusted for an interaction (a second dolutegravir
                # 50 mg beside TLD while on rifampicin): said, not alarmed
                why = ", ".join(sorted(c.replace("_", " ") for c in adjusted[planned[0]]))
                out.append(Alert(i, drug.id, "duplicate", "info",
                                 f"{drug.name_en} and {other_name} ({where}) both contain {_name(planned[0], formulary)}: "
                                 f"together the day adjusted for a {why} (the planned double dose)",
                                 "formulary: dose adjusted for an interaction"))
            else:
                out.append(Alert(i, drug.id, "duplicate", "warn",
                                 f"{drug.name_en} and {other_name} ({where}) both contain "
                                 f"{_name(common[0], formulary)}: a double dose", "formulary: ingredients"))
            continue
        shared = [c for c in drug.classes if c in _classes(other, formulary) and _duplicate_class(c, formulary)]
        if shared:
            out.append(Alert(i, drug.id, "duplicate", "warn",
                             f"{drug.name_en} and {other_name} ({where}) are both {shared[0].replace('_', ' ')}: "
                             "duplicate therapy", "formulary: therapeutic class"))
    return out


def _ingredient_alerts(i: int, drug: Drug, parts: tuple[str, ...], chart: ChartAllergies, patient: Patient,
                       formulary: Formulary, own: list[Alert]) -> list[Alert]:
    """The patient checks of each ingredient of a combination that the combination's own
    entry did not raise as loudly (the codeine of co-codamol in a breastfeeding mother; the
    pseudoephedrine of a cold capsule whose own entry only says "caution"; the ibuprofen of an
    ibuprofen-paracetamol tablet at an eGFR below 30). A renal band of the combination's own that
    covers this eGFR is the word for its fixed dose, its ingredients' bands are not added (Descovy at
    a creatinine clearance of 30-49 needs no change, though emtricitabine alone is given every 48 hours)."""
    loudest: dict[str, int] = {}
    for a in own:
        loudest[a.kind] = max(loudest.get(a.kind, -1), SEVERITIES.index(a.severity))
    kidney_said = any(a.kind == "renal" for a in own)
    out: list[Alert] = []
    for part_id in parts[1:]:
        part = formulary.drugs.get(part_id)
        if part is None:
            continue
        for a in (allergy_alerts(i, part, chart, formulary) + pregnancy_alerts(i, part, patient)
                  + breastfeeding_alerts(i, part, patient) + age_alerts(i, part, patient)
                  + ([] if kidney_said else
                     renal_alerts(i, part, patient, ordered=None, recommended=None, times_per_day=None,
                                  rule_times=None))):
            if SEVERITIES.index(a.severity) > loudest.get(a.kind, -1):
                loudest[a.kind] = SEVERITIES.index(a.severity)
                out.append(Alert(i, drug.id, a.kind, a.severity, f"{drug.name_en} contains {a.message}",
                                 a.source, a.message_zh))
    return out


def _ingredient_doses(drug: Drug, order: Order, strengths: tuple[float, ...]) -> dict[str, float] | None:
    """mg of each ingredient in one dose of a combination ordered by the tablet, sachet or ml
    (2 tablets of 酚麻美敏: paracetamol 650, pseudoephedrine 60, ...); the smallest amount when
    the forms differ (what is certain). None when the order is not counted in units of a
    combination."""
    if order.dose is None or order.unit not in ("tablet", "sachet", "ml", "puff"):
        return None
    forms = [f for f in unit_form(drug, order.unit, strengths) if f.components]
    if not forms or (order.unit == "ml" and not all(f.per_ml for f in forms)):
        return None
    out: dict[str, float] = {}
    for f in forms:
        count = order.dose / (f.per_ml or 1) if order.unit == "ml" else order.dose
        names = {c.drug for c in f.components}
        for c in f.components:
            amount = count * c.strength * MASS_TO_MG.get(c.unit, 0.0)
            out[c.drug] = min(out.get(c.drug, amount), amount)
        for other in set(out) - names:
            out[other] = 0.0
    return {k: v for k, v in out.items() if v > 0}


def _counted_parts(drug: Drug, order: Order, res: Resolved) -> dict[str, float] | None:
    """mg of each ingredient in one dose: counted in units of a combination (tablets, ml, puffs),
    or a mass of a combination whose written strength names one form ("co-amoxiclav 375mg"
    750 mg is amoxicillin 750 mg: three 250/125 tablets, as the checks read a mass)."""
    counted = _ingredient_doses(drug, order, res.strengths)
    if counted is not None or order.unit not in MASS_TO_MG or not res.strengths:
        return counted
    forms = [f for f in drug.forms if f.components and _named_form(f, res.strengths)]
    amount = order_amount(order, drug, res.strengths, res.per_ml)
    if len(forms) != 1 or not isinstance(amount, Amount) or not forms[0].base_strength:
        return None
    count = amount.low / forms[0].base_strength
    return {c.drug: count * c.strength * MASS_TO_MG.get(c.unit, 0.0) for c in forms[0].components}


def _named_form(form: Form, strengths: tuple[float, ...]) -> bool:
    parts = tuple(c.strength for c in form.components)
    return parts[:len(strengths)] == strengths or (len(strengths) == 1 and total_is(sum(parts), strengths[0]))


def _ingredient_cap_alerts(i: int, drug: Drug, order: Order, patient: Patient, res: Resolved,
                           formulary: Formulary, own: list[Alert]) -> list[Alert]:
    """One ingredient of a combination above its own cap (``[[drug.ingredient_max]]``): per dose
    (`dose_above_max`) and per day (`daily_max`), whatever the product's entries allow for its
    basis - two co-amoxiclav 250/125 tablets give 500 mg of amoxicillin, as one 500/125 does, but
    twice its clavulanic acid (BNF). Kinds already raised are not repeated."""
    caps = [c for c in drug.ingredient_max if (order.route is None or c.route == order.route) and fits(c, patient)]
    parts = _counted_parts(drug, order, res) if caps else None
    if not parts:
        return []
    raised, out = {a.kind for a in own}, []
    tpd = order.times_per_day or 1
    for cap in caps:
        mg = parts.get(cap.ingredient)
        if mg is None:
            continue
        name = _name(cap.ingredient, formulary)
        # a cap per kg allows what a weight-based dose does (TOLERANCE): doses given by age reach it
        # at the lightest weight of their band (BNFc: 10 ml of 125/31 three times daily at 1-5 years)
        day_caps = [x for x in (cap.max_daily_mg, cap.max_daily_mg_per_kg * patient.weight_kg * TOLERANCE
                                if cap.max_daily_mg_per_kg and patient.weight_kg else None) if x]
        note = f" ({cap.note_en})" if cap.note_en else ""
        if cap.max_single_mg and mg > cap.max_single_mg * 1.001 and "dose_above_max" not in raised:
            raised.add("dose_above_max")
            out.append(Alert(i, drug.id, "dose_above_max", "stop" if mg > 2 * cap.max_single_mg else "warn",
                             f"{drug.name_en}: {_mass(mg)} of {name} per dose is above its maximum of "
                             f"{_mass(cap.max_single_mg)}{note}", cap.source,
                             f"{drug.name_zh}：每次含{name} {_mass(mg)}，超过其上限{_mass(cap.max_single_mg)}"
                             + (f"（{cap.note_zh}）" if cap.note_zh else "")))
        if day_caps and mg * tpd > min(day_caps) * 1.001 and "daily_max" not in raised \
                and "dose_above_max" not in raised:
            most = min(day_caps)
            raised.add("daily_max")
            out.append(Alert(i, drug.id, "daily_max", "stop" if mg * tpd > 2 * most else "warn",
                             f"{drug.name_en}: {_mass(mg * tpd)} of {name} a day ({_mass(mg)} {tpd} times) is above "
                             f"its daily maximum of {_mass(most)}{note}", cap.source,
                             f"{drug.name_zh}：每日含{name} {_mass(mg * tpd)}，超过每日上限{_mass(most)}"
                             + (f"（{cap.note_zh}）" if cap.note_zh else "")))
    return out


def _mass(mg: float) -> str:
    """50 micrograms as '50 mcg', 125 mg as '125 mg'."""
    return f"{mg * 1000:g} mcg" if mg < 1 else f"{mg:g} mg"


def _ingredient_dose_alerts(i: int, drug: Drug, order: Order, patient: Patient, res: Resolved,
                            formulary: Formulary, own: list[Alert]) -> list[Alert]:
    """Each ingredient of a combination that gives no dose of its own by this route, against the
    ingredient's own maxima (too many sachets of a cold remedy give too much paracetamol,
    pseudoephedrine or chlorphenamine). The maxima only: an ingredient's share of a combination
    is often below its own single-medicine dose by design. A combination with dose entries of
    its own is checked by them (a combined pill holds more progestogen than a progestogen-only
    pill, by design). Kinds already raised are not repeated."""
    route = order.route
    if any(r.route == route or route is None for r in drug.doses):
        return []
    amounts = _ingredient_doses(drug, order, res.strengths)
    if not amounts:
        return []
    raised = {a.kind for a in own}
    out: list[Alert] = []
    for part_id, mg in amounts.items():
        part = formulary.drugs.get(part_id)
        if part is None or not part.doses or not part.mass_unit or part_id == drug.id:
            continue
        as_mg = Order(drug=part.name_en, dose=mg, unit="mg", route=order.route,
                      times_per_day=order.times_per_day, days=order.days)
        for a in _dose_alerts(i, part, as_mg, patient, Resolved(drug=part_id, how="name")):
            if a.kind in ("dose_above_max", "daily_max") and a.kind not in raised:
                raised.add(a.kind)
                out.append(Alert(i, drug.id, a.kind, a.severity, f"{drug.name_en} contains {a.message}", a.source,
                                 a.message_zh))
    return out


def _dose_alerts(i: int, drug: Drug, order: Order, patient: Patient, res: Resolved) -> list[Alert]:
    amount = order_amount(order, drug, res.strengths, res.per_ml)
    if amount is None:
        return []
    if isinstance(amount, str):
        return [Alert(i, drug.id, "missing_data", "info", f"{amount}: dose not checked", "formulary")]
    if order.unit and (forms := unit_form(drug, order.unit, res.strengths)) and all(f.supply for f in forms):
        # "ORS 2 sachets": packets to make up and drink over the day, as the plan says; the
        # amount per drink is the plan's, so an order in packets is a supply, not a dose
        return []
    unit = _amount_unit(drug, order, res.strengths)
    if amount.low > MAX_ORDER_BY_UNIT.get(unit.lower(), MAX_ORDER_MG):
        return [Alert(i, drug.id, "dose_above_max", "stop",
                      f"{drug.name_en}: {amount.low:g} {unit} in one dose is impossible", LIMIT_SOURCE)]
    limits = limits_for(drug, patient, order.route, order.unit)
    if limits is None and not drug.doses:
        # no dose entry at all (noradrenaline: infusion rates titrated to the blood pressure; a
        # cream applied thinly) - said, so that the amount is never taken as checked
        return [Alert(i, drug.id, "missing_data", "info", f"{drug.name_en}: the formulary gives no dose to check "
                      f"{amount.low:g} {unit} against: dose not checked", "formulary")]
    if limits is None:
        # entries for other routes only (paracetamol suppositories): said, never taken as checked
        return [Alert(i, drug.id, "missing_data", "info", f"{drug.name_en}: the formulary gives no dose by the "
                      f"{order.route} route to check {amount.low:g} {unit} against: dose not checked", "formulary",
                      f"{drug.name_zh}：处方集中没有{order.route}途径的剂量，{amount.low:g} {unit}未经核对")]
    k = _volume_per_ml(drug, order)
    if k != 1.0:
        unit = "ml"         # a medicine the formulary doses by volume (ORS) is spoken of in ml
    if patient.weight_kg is None and any(e.per_kg for e in limits.entries) \
            and not limits.within(amount.low, order, fixed_only=True):
        # above every fixed dose, and only a dose by weight could allow it (enoxaparin 80 mg
        # twice daily: 1 mg/kg, or far too much): the weight decides
        return [_missing(i, drug.id, f"{drug.name_en}: {_fmt(amount, k)} {unit} is more than any fixed dose; "
                         "it is dosed by weight and the weight is not known", limits.source)]
    out = []
    basis = f" ({limits.basis})" if limits.basis and k == 1.0 else ""
    low, tpd = amount.low, order.times_per_day
    if limits.unfitted_child:
        return _unfitted_child(i, drug, patient, limits, low, order, unit, k)
    if not limits.within(low, order):
        courses = limits.courses(order)
        if not any(e.fits_dose(low) for e in courses):
            cap = max((e.max_single for e in courses if e.max_single is not None), default=0.0)
            out.append(Alert(i, drug.id, "dose_above_max", "stop" if low > 2 * cap else "warn",
                             f"{drug.name_en}: {_fmt(amount, k)} {unit} per dose is above the maximum of "
                             f"{cap / k:g} {unit}{basis}", limits.source))
        elif tpd:
            # the dose fits an entry, its frequency or day none: one kind per problem (daily_max)
            day = limits.daily_for_dose(low, order)
            most = f"the most for a day is {day / k:g} {unit}" if day is not None else "more often than any dose entry"
            out.append(Alert(i, drug.id, "daily_max", "stop" if day and low * tpd > 2 * day else "warn",
                             f"{drug.name_en}: {low * tpd / k:g} {unit} a day ({_fmt(amount, k)} {unit} {tpd} times) "
                             f"is above the daily maximum: {most}{basis}", limits.source))
    if limits.max_week is not None and tpd:
        # doses in 7 days: days 0 is one single dose; no days given, the order goes on
        interval = written_interval(order.drug)
        doses = 1 if order.days == 0 else \
            tpd * math.ceil(7 / interval - 1e-9) if interval else tpd * min(order.days or 7, 7)
        if doses > 1 and low * doses > limits.max_week * 1.001:
            out = [a for a in out if a.kind != "daily_max"]
            out.append(Alert(i, drug.id, "daily_max", "stop",
                             f"{drug.name_en} is given once a week: this order gives {doses} doses "
                             f"({low * doses / k:g} {unit}) in 7 days, above the most for a week, "
                             f"{limits.max_week / k:g} {unit}. A daily order of a weekly medicine is a known fatal error",
                             limits.source))
            return out
    floor = limits.under(amount.high, order)
    if floor is not None:
        what = f"{_fmt(amount, k)} {unit} per dose is below the minimum of {floor / k:g} {unit}{basis}" \
            if amount.high < floor * 0.999 else \
            f"{_fmt(amount, k)} {unit} {'once' if tpd == 1 else f'{tpd} times'} a day is fewer doses than its regimen gives"
        out.append(Alert(i, drug.id, "dose_below_min", "warn", f"{drug.name_en}: {what}: under-dosing",
                         limits.source))
    return out


def _unfitted_child(i: int, drug: Drug, patient: Patient, limits: Limits, low: float, order: Order,
                    unit: str, k: float) -> list[Alert]:
    """A child (or newborn) whom no dose entry fits by age and weight (omeprazole at 4 kg and 2
    months, under the children's lowest band): the other entries are an adult's or an older
    child's, so the dose is never passed by them. Above the most any of them allows per dose (the
    children's entries of other ages and weights at this weight; an adult's only when there is no
    child entry) it is `dose_above_max`, above the most any allows in a day `daily_max`; else it is
    not checked, and said so (`missing_data` info, as for a medicine without any dose entry)."""
    cap = max((e.max_single for e in limits.entries if e.max_single is not None), default=None)
    if cap is not None and low > cap * 1.001:
        return [Alert(i, drug.id, "dose_above_max", "stop" if low > 2 * cap else "warn",
                      f"{drug.name_en}: {low / k:g} {unit} per dose is above the most any entry for another age or "
                      f"weight allows ({cap / k:g} {unit}), and the formulary gives no dose for a child of this age "
                      "and weight",
                      limits.source, f"{drug.name_zh}：每次{low / k:g} {unit}超过任何剂量条目的上限"
                      f"（{cap / k:g} {unit}），且处方集中没有该年龄、体重儿童的剂量")]
    days = [e.max_daily for e in limits.entries]
    tpd = order.times_per_day or 1
    if days and None not in days and low * tpd > max(d for d in days if d is not None) * 1.001:
        most = max(d for d in days if d is not None)
        return [Alert(i, drug.id, "daily_max", "stop" if low * tpd > 2 * most else "warn",
                      f"{drug.name_en}: {low * tpd / k:g} {unit} a day is above the most any entry for another age "
                      f"or weight allows in a day ({most / k:g} {unit}), and the formulary gives no dose for a child "
                      "of this age and weight", limits.source,
                      f"{drug.name_zh}：每日{low * tpd / k:g} {unit}超过任何剂量条目的每日上限（{most / k:g} {unit}），"
                      "且处方集中没有该年龄、体重儿童的剂量")]
    age = patient.age_years or 0.0
    who = f"{age * 12:.0f} months" if age < 2 else f"{age:g} years"
    weight = f", {patient.weight_kg:g} kg" if patient.weight_kg is not None else ""
    return [Alert(i, drug.id, "missing_data", "info",
                  f"{drug.name_en}: the formulary gives no dose for a child of {who}{weight} (its entries are for "
                  f"other ages or weights): {order.dose:g} {order.unit} not checked - check a children's formulary "
                  "(BNFc) before giving", limits.source,
                  f"{drug.name_zh}：处方集中没有适合该年龄、体重儿童的剂量（现有条目适用于其他年龄或体重），"
                  f"{order.dose:g} {order.unit}未经核对，请查儿童用药手册后再用")]


def _amount_unit(drug: Drug, order: Order, strengths: tuple[float, ...]) -> str:
    """The unit an order's amount is counted in: mg for a medicine measured by mass; else the
    unit of the form the order's unit means (1 ml of nystatin 100,000 IU/ml is 100,000 IU, not
    100,000 ml), or the order's own unit (IU, mmol, a fluid in ml)."""
    if drug.mass_unit:
        return "mg"
    if order.unit in ("IU", "mmol") or not order.unit:
        return order.unit or ""
    forms = unit_form(drug, order.unit, strengths)
    return forms[0].unit if forms else order.unit


def _fmt(amount: Amount, per: float = 1.0) -> str:
    low, high = amount.low / per, amount.high / per
    return f"{low:g}" if not amount.ambiguous else f"{low:g}-{high:g}"


def _volume_per_ml(drug: Drug, order: Order) -> float:
    """The amount in one ml when an order in ml is of a medicine the formulary doses only by
    volume (every entry in weight bands of ml: oral rehydration solution), else 1: its amounts
    are then said in ml, as the plans give them, not in mg of powder."""
    if order.unit != "ml" or not drug.doses or not all(
            r.weight_bands and all(b.dose_unit == "ml" for b in r.weight_bands) for r in drug.doses):
        return 1.0
    forms = unit_form(drug, "ml")
    return forms[0].base_strength / (forms[0].per_ml or 1) if forms else 1.0


def _daily(order: Order, drug: Drug, res: Resolved) -> float | None:
    """The amount a day an order gives (its low end), or None."""
    amount = order_amount(order, drug, res.strengths, res.per_ml)
    return amount.low * (order.times_per_day or 1) if isinstance(amount, Amount) else None


def _missing(i: int, drug_id: str, message: str, source: str = "input") -> Alert:
    return Alert(i, drug_id, "missing_data", "warn", message, source)


def check_prescription(formulary: Formulary, index: NameIndex, patient: Patient,
                       orders: tuple[Order, ...]) -> CheckResult:
    resolved = [index.resolve(o.drug) for o in orders]
    parts = [written_parts(o.drug, r.drug, index, formulary) if r else () for o, r in zip(orders, resolved, strict=True)]
    taking = [(text, r.drug) for text in patient.current_medications if (r := index.resolve(text))]
    current = [(d, written_parts(text, d, index, formulary), low_dose(formulary.drugs.get(d),
                                                                    written_daily(text, formulary.drugs.get(d))))
               for text, d in taking]
    lows = [low_dose(d, _daily(o, d, r)) if r and (d := formulary.drugs.get(r.drug)) else False
            for o, r in zip(orders, resolved, strict=True)]
    # a renewal or revision replaces the current medication of its ingredient: that line is no
    # longer beside the orders (no duplicate with it, its day not added to the order's)
    replaced, alerts = continued(orders, resolved, parts, [p for _, p, _ in current], formulary)
    taking = [t for k, t in enumerate(taking) if k not in replaced]
    current = [c for k, c in enumerate(current) if k not in replaced]
    for text in patient.current_medications:
        if index.resolve(text) is None:
            alerts.append(Alert(None, "", "unknown_drug", "info", f"current medication {text!r} is not in the "
                                "formulary: its interactions are not checked", "formulary"))
    chart = read_allergies(patient.allergies, formulary, index)
    for text in chart.unknown:
        alerts.append(Alert(None, "", "allergy", "info", f"chart allergy {text!r} is not recognised: check "
                            "every order against it by hand", "patient chart"))
    checked = []
    partners = [_partners(i, orders, resolved, parts, current, formulary, lows) for i in range(len(orders))]
    # the classes of what each order sits beside (its partners and their ingredients)
    near = [frozenset(c for other, _, _, theirs, _ in mine for c in _class_set((other, *theirs), formulary))
            for mine in partners]
    # the day of each ingredient over the orders and the current medications, against the doses
    # adjusted for an interaction (``with_class`` entries) whose class is in the prescription
    day = order_days(orders, resolved, formulary)
    for part, mg in written_days(taking, formulary).items():
        day[part] = day.get(part, 0.0) + mg
    present = frozenset(c for ids in [*parts, *(p for _, p, _ in current)] for c in _class_set(ids, formulary))
    adjusted = adjusted_days(day, present, formulary)
    for i, (order, res) in enumerate(zip(orders, resolved, strict=True)):
        drug = formulary.drugs.get(res.drug) if res else None
        if drug is not None and res is not None:
            drug = released(beside(drug, near[i]), order.drug, res.strengths)
        alerts += [_missing(i, drug.id if drug else "", f"{order.drug}: {p}") for p in order.problems]
        if res is None or drug is None:
            shared = index.shared(order.drug) if res is None else ()
            why = (f"names more than one medicine ({', '.join(_name(d, formulary) for d in shared)}): write the "
                   "medicine's name (or its strength) so that it can be checked") if shared \
                else "is not in the agreed list nor the formulary: nothing about it can be checked" if res is None \
                else f"is {_name(res.drug, formulary)}, listed but not in the formulary yet: its dose, " \
                "pregnancy, age and kidney checks cannot be done (interactions, duplicates and allergies by name " \
                "and class only)"
            alerts.append(Alert(i, res.drug if res else "", "unknown_drug", "warn", f"{order.drug!r} {why}",
                                "formulary"))
            checked.append(CheckedOrder(order.drug, res.drug if res else None, None))
            if res is not None:
                alerts += _pair_alerts_unwritten(i, res.drug, parts[i], partners[i], formulary, adjusted)
                alerts += _allergy_unwritten(i, res.drug, chart, formulary)
            continue
        calc = calculate_dose(drug, patient, route=order.route, strengths=res.strengths)
        rec = calc if isinstance(calc, DoseResult) else None
        if not isinstance(calc, DoseResult) and calc.kind == "no_rule" and order.route:
            calc = calculate_dose(drug, patient, strengths=res.strengths)     # what any route would need
        if not isinstance(calc, DoseResult) and (
                calc.kind == "missing_data" or (patient.weight_kg is None and _needs_weight(drug))):
            alerts.append(_missing(i, drug.id, calc.message))
        amount = order_amount(order, drug, res.strengths, res.per_ml)
        daily = amount.low * (order.times_per_day or 1) if isinstance(amount, Amount) else None
        alerts += _egfr_missing(i, drug, patient, formulary, daily)
        checked.append(CheckedOrder(order.drug, drug.id, rec))
        own = allergy_alerts(i, drug, chart, formulary) + pregnancy_alerts(i, drug, patient, daily) \
            + breastfeeding_alerts(i, drug, patient) + age_alerts(i, drug, patient)
        kidney = renal_alerts(i, drug, patient, ordered=amount.low if isinstance(amount, Amount) else None,
                              recommended=rec.dose if rec else None, times_per_day=order.times_per_day,
                              rule_times=rec.rule.times_per_day if rec and rec.rule else None)
        alerts += own + _ingredient_alerts(i, drug, parts[i], chart, patient, formulary, own + kidney)
        dosed = _dose_alerts(i, drug, order, patient, res)
        by_part = _ingredient_dose_alerts(i, drug, order, patient, res, formulary, dosed)
        by_part += _ingredient_cap_alerts(i, drug, order, patient, res, formulary, dosed + by_part)
        if by_part or (not drug.doses and _ingredient_doses(drug, order, res.strengths)):
            # a combination without a dose of its own is checked by its ingredients' doses
            dosed = [a for a in dosed if not (a.kind == "missing_data" and not drug.doses)]
        alerts += dosed + by_part + kidney
        alerts += _pair_alerts(i, drug, parts[i], partners[i], formulary, adjusted, lows[i])
    alerts += _first_day_alerts(orders, resolved, patient, formulary, alerts)
    alerts += _ingredient_day_alerts(orders, resolved, patient, formulary, alerts, taking)
    for p in patient.problems:      # impossible values, dropped as unknown: said on every order
        where: list[int | None] = list(range(len(orders))) or [None]
        alerts += [Alert(i, "", "missing_data", "warn", f"patient: {p}", "input") for i in where]
    return CheckResult(alerts=tuple(alerts), orders=tuple(checked))


def continued(orders: tuple[Order, ...], resolved: list[Resolved | None], parts: list[tuple[str, ...]],
              current: list[tuple[str, ...]], formulary: Formulary) -> tuple[set[int], list[Alert]]:
    """The current medications (by position in ``current``, each its ingredients) that the
    renewals and revisions among the orders replace: those sharing an ingredient with the order,
    however either is written (a brand, a combination tablet, a Chinese name: Glucophage renews
    "metformin 1 g bd", TLD renews "TDF/3TC/DTG"). A renewal or revision of a medicine the chart
    does not list is said (``missing_data`` info): it is checked as a new medicine, every check
    applies, and the chart's list may be incomplete - nothing is unsafe in it by itself, so it is
    not a warning."""
    replaced: set[int] = set()
    alerts: list[Alert] = []
    for i, (order, res) in enumerate(zip(orders, resolved, strict=True)):
        if not order.continues or res is None:
            continue
        mine = set(parts[i])
        matched = {k for k, theirs in enumerate(current) if mine & set(theirs)}
        replaced |= matched
        if not matched:
            name = _name(res.drug, formulary)
            what = "a renewal" if order.action == "renew" else "a revision"
            alerts.append(Alert(i, res.drug, "missing_data", "info",
                                f"{name} is ordered as {what} but is not among the current medications: checked as a "
                                "new medicine (add it to the chart's medications, or order it as new)", "patient chart",
                                f"{_name_zh(res.drug, formulary)}按{'续用' if order.action == 'renew' else '调整'}开具，"
                                "但不在当前用药中：按新药核对（请在病历中补记，或按新开处方）"))
    return replaced, alerts


def _name_zh(drug_id: str, formulary: Formulary) -> str:
    drug = formulary.drugs.get(drug_id)
    return drug.name_zh or drug.name_en if drug else _name(drug_id, formulary)


def _first_day_alerts(orders: tuple[Order, ...], resolved: list[Resolved | None], patient: Patient,
                      formulary: Formulary, raised: list[Alert]) -> list[Alert]:
    """A stat dose (``days`` 0) and a course of the same medicine in one prescription: the first
    day gives both ("paracetamol 1 g stat, then 1 g four times daily" is 5 g in the first 24
    hours). The course's order is a ``daily_max`` when that day is above the daily maximum the
    course's entries allow, unless the formulary gives the stat dose as a single (loading) dose
    of its own (clopidogrel 300 mg, then 75 mg daily). Orders already with a dose alert are
    left as they are (one kind per problem)."""
    dosed = {a.order for a in raised if a.kind in ("dose_above_max", "daily_max", "missing_data")}
    out: list[Alert] = []
    for i, (order, res) in enumerate(zip(orders, resolved, strict=True)):
        drug = formulary.drugs.get(res.drug) if res else None
        if drug is None or res is None or i in dosed or order.days == 0 or not order.times_per_day:
            continue
        amount = order_amount(order, drug, res.strengths, res.per_ml)
        limits = limits_for(drug, patient, order.route)
        if not isinstance(amount, Amount) or limits is None:
            continue
        stat = 0.0
        for j, (other, r) in enumerate(zip(orders, resolved, strict=True)):
            if j == i or j in dosed or r is None or r.drug != drug.id or other.days != 0:
                continue
            given = order_amount(other, drug, r.strengths, r.per_ml)
            stat_limits = limits_for(drug, patient, other.route)
            if not isinstance(given, Amount) or (stat_limits is not None and any(
                    e.single_dose and e.fits_dose(given.low) for e in stat_limits.entries)):
                continue        # a loading dose the formulary gives
            stat += given.low * (other.times_per_day or 1)
        day = limits.daily_for_dose(amount.low, order) if stat else None
        total = amount.low * order.times_per_day + stat
        if day is not None and total > day * 1.001:
            unit = _amount_unit(drug, order, res.strengths)
            out.append(Alert(i, drug.id, "daily_max", "stop" if total > 2 * day else "warn",
                             f"{drug.name_en}: with the stat dose ordered beside it, the first day gives {total:g} {unit} "
                             f"({stat:g} {unit} stat and {amount.low:g} {unit} {order.times_per_day} times), above the "
                             f"daily maximum of {day:g} {unit}", limits.source))
    return out


def _ingredient_day_alerts(orders: tuple[Order, ...], resolved: list[Resolved | None], patient: Patient,
                           formulary: Formulary, raised: list[Alert], taking: list[tuple[str, str]]) -> list[Alert]:
    """One ingredient from two or more products, one of them a combination that hides it (a cold
    remedy's paracetamol beside paracetamol, or beside a current "paracetamol 1g qds"): their
    amounts a day together against the ingredient's daily maximum for this patient. Said on each
    later order holding it (a ``daily_max``) that has no dose alert of its own; the duplicate is
    said as well, by the pair checks. Stat doses are the first day's (see :func:`_first_day_alerts`)."""
    uses: dict[str, list[tuple[int | None, float, bool]]] = {}      # ingredient -> (order, mg a day, hidden)
    for i, (order, res) in enumerate(zip(orders, resolved, strict=True)):
        drug = formulary.drugs.get(res.drug) if res else None
        if drug is None or res is None or not order.times_per_day or order.days == 0:
            continue
        if any(f.components for f in drug.forms):
            for part_id, mg in (_ingredient_doses(drug, order, res.strengths) or {}).items():
                if mg > 0 and part_id != drug.id:
                    uses.setdefault(part_id, []).append((i, mg * order.times_per_day, True))
        elif drug.mass_unit and isinstance(amount := order_amount(order, drug, res.strengths, res.per_ml), Amount):
            uses.setdefault(drug.id, []).append((i, amount.low * order.times_per_day, False))
    for text, drug_id in taking:          # a current medication of the ingredient alone, as written
        if drug_id in uses and (day := written_daily(text, formulary.drugs.get(drug_id))) is not None:
            uses[drug_id].append((None, day, False))
    dosed = {a.order for a in raised if a.kind in ("dose_above_max", "daily_max")}
    out: list[Alert] = []
    for part_id, found in uses.items():
        part = formulary.drugs.get(part_id)
        if part is None or len(found) < 2 or not any(hidden for _, _, hidden in found):
            continue
        first = next(i for i, _, _ in found if i is not None)
        limits = limits_for(part, patient, orders[first].route)
        days = [e.max_daily for e in limits.entries] if limits else []
        ceiling = max(d for d in days if d is not None) if days and None not in days else None
        total = sum(mg for _, mg, _ in found)
        if limits is None or ceiling is None or total <= ceiling * 1.001:
            continue
        where = ", ".join(f"order {i + 1}" if i is not None else "current medication" for i, _, _ in found)
        later = [i for i, _, _ in found if i is not None][1:] if found[0][0] is not None else \
            [i for i, _, _ in found if i is not None]
        for i in later or [first]:
            if i in dosed:
                continue
            out.append(Alert(i, part.id, "daily_max", "stop" if total > 2 * ceiling else "warn",
                             f"{part.name_en} from {len(found)} products together ({where}): {total:g} mg a day, "
                             f"above the daily maximum of {ceiling:g} mg", limits.source))
    return out


def _egfr_missing(i: int, drug: Drug, patient: Patient, formulary: Formulary, daily: float | None) -> list[Alert]:
    """A patient of the age the formulary gives (adults) on a medicine dosed by kidney function,
    with no eGFR: the medicine's own ``egfr_needed`` or its class's (aminoglycosides and
    glycopeptides, dosed by kidney function and drug levels; in newborns the neonatal doses
    already allow for it), above its daily amount when it gives one (co-trimoxazole at
    treatment doses, not the prophylactic 960 mg a day). A medicine only put on the eye, ear or skin
    (tobramycin eye drops, an aminoglycoside) is not dosed by kidney function."""
    if patient.egfr is not None or patient.age_years is None or drug.local_only:
        return []
    needs = [drug.egfr_needed] + [formulary.classes[c].egfr_needed for c in drug.classes if c in formulary.classes]
    for need in needs:
        if need is None or patient.age_years < need.min_age_years:
            continue
        if need.above_daily_mg is not None and (daily is None or daily <= need.above_daily_mg * 1.001):
            continue
        note = f" {need.note_en}" if need.note_en else ""
        return [Alert(i, drug.id, "missing_data", "warn",
                      f"{drug.name_en}: kidney function (eGFR) is not known.{note}", need.source, need.note_zh)]
    return []


def _needs_weight(drug: Drug) -> bool:
    return bool(drug.doses) and all(r.per_kg for r in drug.doses)


def _pair_alerts_unwritten(i: int, drug_id: str, mine: tuple[str, ...], partners: list[Partner],
                           formulary: Formulary, adjusted: dict[str, frozenset[str]]) -> list[Alert]:
    """Interactions by id for an agreed drug whose entry is not written yet."""
    stand_in = Drug(id=drug_id, name_en=_name(drug_id, formulary), name_zh="", source="", file="",
                    classes=formulary.agreed_classes.get(drug_id, ()))
    return [a for a in _pair_alerts(i, stand_in, mine, partners, formulary, adjusted)
            if a.kind in ("interaction", "duplicate")]


def _allergy_unwritten(i: int, drug_id: str, chart: ChartAllergies, formulary: Formulary) -> list[Alert]:
    """The chart's allergies against a medicine not written yet, by the classes DRUGS.md gives it
    (an NSAID allergy meets "Mobic", meloxicam, before its entry is written)."""
    classes = formulary.agreed_classes.get(drug_id, ())
    if not classes:
        return []
    stand_in = Drug(id=drug_id, name_en=_name(drug_id, formulary), name_zh="", source="", file="", classes=classes)
    return allergy_alerts(i, stand_in, chart, formulary)


def _partners(i: int, orders: tuple[Order, ...], resolved: list[Resolved | None], parts: list[tuple[str, ...]],
              current: list[tuple[str, tuple[str, ...], bool]], formulary: Formulary,
              lows: list[bool]) -> list[Partner]:
    """The other orders and the current medications, as (drug id, where, one schedule with it,
    its ingredients, whether it is at its low dose)."""
    return [(r.drug, f"order {j + 1}", _schedule(orders[i], orders[j], formulary.drugs.get(r.drug)), parts[j],
             lows[j]) for j, r in enumerate(resolved) if r and j != i] + \
        [(d, "current medication", False, p, low) for d, p, low in current]


def _schedule(a: Order, b: Order, drug: Drug | None = None) -> bool:
    """Two orders of one medicine that read as one planned schedule: a loading dose (one dose, on
    one day, or as needed) then the maintenance doses, by another route, amount or frequency; two
    courses of different lengths (IV for two days, then by mouth for five); one of them to the skin,
    eye, ear or vagina beside the medicine by mouth or injection; or two single doses of different
    amounts of a medicine the formulary gives as steps of single doses by that route (acetylcysteine's
    three infusions: 150, 50 and 100 mg/kg). Two courses of more than one dose over the same days are
    the same medicine twice, whatever the amount, frequency or route of each (an ibuprofen syrup six
    times a day beside another brand's three times; inhaled salbutamol beside salbutamol syrup)."""
    routes = {a.route, b.route} - {None}
    if len(routes) > 1 and routes & _LOCAL_ROUTES:
        return True
    if len(routes) <= 1 and (a.times_per_day, a.days) == (b.times_per_day, b.days):
        return drug is not None and _one_dose(a) and _one_dose(b) and (a.dose, a.unit) != (b.dose, b.unit) and sum(
            1 for r in drug.doses if r.days == 0 and not r.times_per_day and (a.route is None or r.route == a.route)) >= 2
    return _one_dose(a) or _one_dose(b) or a.days != b.days


# routes that act where the medicine is put, not through the blood: beside the same medicine by
# mouth or injection they are another treatment, not a second dose
_LOCAL_ROUTES = frozenset({"topical", "eye", "ear", "vaginal"})


def _one_dose(order: Order) -> bool:
    return (order.times_per_day or 1) <= 1 and (order.days is None or order.days <= 1)
