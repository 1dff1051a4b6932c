"""Parse and check one ``[[drug]]`` table: forms, dose entries, pregnancy, breastfeeding, age, renal.

Every problem names the file, the drug and the field. A number needs a source: the
entry's own ``source`` or the drug's.
"""

from __future__ import annotations

import math
import re

from lantern.clinical.prescribing.model import (
    ADVICE,
    BAND_UNITS,
    DOSE_WAYS,
    FORMS,
    MASS_TO_MG,
    POPULATIONS,
    RENAL_ACTIONS,
    ROUTES,
    TRIMESTERS,
    UNITS,
    Advice,
    AgeLimit,
    Component,
    DoseRule,
    Drug,
    EgfrNeeded,
    Elemental,
    Form,
    IngredientMax,
    LowDose,
    RenalBand,
    WeightBand,
)

_ID_RE = re.compile(r"^[a-z0-9_]+$")
_OPTIONAL_NUMBERS = ("age_min_years", "age_max_years", "weight_min_kg", "weight_max_kg", "max_single_mg",
                     "max_daily_mg", "min_single_mg", "min_single_mg_per_kg", "max_single_mg_per_kg",
                     "max_daily_mg_per_kg")


def _text(raw: dict, key: str) -> str:
    value = raw.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _number(raw: dict, key: str, where: str, problems: list[str], *, positive: bool = True) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (positive and value == 0):
        problems.append(f"{where}: {key}={value!r} must be a {'positive' if positive else 'non-negative'} number")
        return None
    return float(value)


def _notes(raw: dict, where: str, problems: list[str]) -> tuple[str, str]:
    en, zh = _text(raw, "note_en"), _text(raw, "note_zh")
    if en and not zh:
        problems.append(f"{where}: note_en without note_zh (Chinese text is required)")
    return en, zh


def _source(raw: dict, drug_source: str, where: str, problems: list[str]) -> str:
    source = _text(raw, "source") or drug_source
    if not source:
        problems.append(f"{where}: numbers without a source (give source here or on the drug)")
    return source


def _parse_form(raw: dict, where: str, basis: str | None, problems: list[str]) -> Form | None:
    form = raw.get("form")
    if form not in FORMS:
        problems.append(f"{where}: unknown form {form!r}")
        return None
    where = f"{where} {form}"
    comps = []
    for c in raw.get("components", []):
        strength, unit = c.get("strength"), c.get("unit")
        if not isinstance(c.get("drug"), str) or not isinstance(strength, int | float) or strength <= 0:
            problems.append(f"{where}: component {c!r} needs drug and a positive strength")
            continue
        if unit not in UNITS:
            problems.append(f"{where}: component {c.get('drug')}: unknown unit {unit!r}")
            continue
        comps.append(Component(drug=str(c["drug"]), strength=float(strength), unit=str(unit)))
    if comps:
        picked = [c for c in comps if c.drug == basis] if basis else comps
        if basis and not picked:
            problems.append(f"{where}: dose_basis {basis!r} is not one of its components")
            picked = comps
        strength, unit = sum(c.strength for c in picked), comps[0].unit
    else:
        strength = _number(raw, "strength", where, problems) or 0.0
        unit = raw.get("unit")
        if not strength:
            problems.append(f"{where}: needs strength (or components)")
            return None
        if unit not in UNITS:
            problems.append(f"{where}: unknown unit {unit!r}")
            return None
    per_ml = _number(raw, "per_ml", where, problems)
    divisible = raw.get("divisible", 1)
    if divisible not in (1, 2, 4):
        problems.append(f"{where}: divisible must be 1, 2 or 4")
        divisible = 1
    supply = raw.get("supply", False)
    if not isinstance(supply, bool):
        problems.append(f"{where}: supply must be true or false")
        supply = False
    names = raw.get("names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        problems.append(f"{where}: names must be a list of product names")
        names = []
    release = _release(raw, where, problems)
    return Form(form=str(form), strength=float(strength), unit=str(unit), per_ml=per_ml,
                divisible=int(divisible), components=tuple(comps), supply=supply,
                names=tuple(n.strip() for n in names), release=release)


def _release(raw: dict, where: str, problems: list[str]) -> str:
    """The optional ``release`` of a form or a dose entry: "modified" or nothing."""
    release = raw.get("release", "")
    if release not in ("", "modified"):
        problems.append(f"{where}: release {release!r} must be \"modified\" (or left out)")
        return ""
    return str(release)


def _bands(raw: dict, where: str, problems: list[str]) -> tuple[WeightBand, ...]:
    bands = []
    for b in raw.get("weight_bands", []):
        lo, hi, dose = b.get("min_kg"), b.get("max_kg", math.inf), b.get("dose")   # no max_kg: "and above"
        if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (lo, hi, dose)):
            problems.append(f"{where}: weight band {b!r} needs min_kg, max_kg and dose numbers")
            continue
        if not 0 <= lo < hi or dose <= 0:
            problems.append(f"{where}: weight band {lo}-{hi} kg: bounds contradict or dose not positive")
            continue
        if b.get("dose_unit") not in BAND_UNITS:
            problems.append(f"{where}: weight band {lo}-{hi} kg: unknown dose_unit {b.get('dose_unit')!r}")
            continue
        top = b.get("max_dose")
        if top is not None and (not isinstance(top, int | float) or isinstance(top, bool) or top < dose):
            problems.append(f"{where}: weight band {lo}-{hi} kg: max_dose must be a number not below dose")
            top = None
        bands.append(WeightBand(min_kg=float(lo), max_kg=float(hi), dose=float(dose), dose_unit=b["dose_unit"],
                                max_dose=float(top) if top is not None else None))
    bands.sort(key=lambda b: b.min_kg)
    for prev, nxt in zip(bands, bands[1:], strict=False):
        if nxt.min_kg < prev.max_kg:
            problems.append(f"{where}: weight bands {prev.min_kg:g}-{prev.max_kg:g} and "
                            f"{nxt.min_kg:g}-{nxt.max_kg:g} kg overlap")
    return tuple(bands)


def _bounds(rule: DoseRule, where: str, problems: list[str]) -> None:
    pairs = (("age_min_years", rule.age_min_years, "age_max_years", rule.age_max_years),
             ("weight_min_kg", rule.weight_min_kg, "weight_max_kg", rule.weight_max_kg),
             ("min_single_mg", rule.min_single_mg, "max_single_mg", rule.max_single_mg),
             ("min_single_mg_per_kg", rule.min_single_mg_per_kg, "max_single_mg_per_kg", rule.max_single_mg_per_kg),
             ("dose_mg", rule.dose_mg, "max_single_mg", rule.max_single_mg),
             ("max_single_mg", rule.max_single_mg, "max_daily_mg", rule.max_daily_mg))
    for lo_key, lo, hi_key, hi in pairs:
        if lo is not None and hi is not None and lo > hi:
            problems.append(f"{where}: {lo_key} {lo:g} is above {hi_key} {hi:g}")
    if rule.dose_mg is not None and rule.max_daily_mg is not None \
            and rule.dose_mg * (rule.times_per_day or 1) > rule.max_daily_mg:
        problems.append(f"{where}: dose_mg x times_per_day is above max_daily_mg")


def _parse_dose(raw: dict, where: str, drug_source: str, conditions: set[str],
                problems: list[str]) -> DoseRule | None:
    indication = raw.get("indication", "default")
    where = f"{where} dose[{indication}/{raw.get('population')}]"
    if indication != "default" and conditions and indication not in conditions:
        problems.append(f"{where}: indication {indication!r} is not a knowledge-base condition id")
    if raw.get("population") not in POPULATIONS:
        problems.append(f"{where}: population {raw.get('population')!r} not one of {sorted(POPULATIONS)}")
        return None
    if raw.get("route") not in ROUTES:
        problems.append(f"{where}: unknown route {raw.get('route')!r}")
        return None
    ways = [w for w in DOSE_WAYS if raw.get(w) is not None]
    if len(ways) != 1:
        problems.append(f"{where}: give exactly one of {', '.join(DOSE_WAYS)} (found {ways or 'none'})")
        return None
    tpd = raw.get("times_per_day")        # absent: a single dose, or as needed
    if tpd is not None and (not isinstance(tpd, int) or isinstance(tpd, bool) or not 1 <= tpd <= 24):
        problems.append(f"{where}: times_per_day {tpd!r} must be a whole number 1-24")
        return None
    if tpd is None and raw.get("mg_per_kg_day") is not None:
        problems.append(f"{where}: mg_per_kg_day needs times_per_day")
        return None
    days = raw.get("days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
        problems.append(f"{where}: days {days!r} must be a whole number >= 0")
        days = None
    every = raw.get("every_days")
    if every is not None and (not isinstance(every, int) or isinstance(every, bool) or not 2 <= every <= 28
                              or tpd not in (None, 1)):
        problems.append(f"{where}: every_days {every!r} must be a whole number 2-28, with at most one dose a day")
        every = None
    with_class = raw.get("with_class")
    if with_class is not None and (not isinstance(with_class, str) or not _ID_RE.match(with_class)):
        problems.append(f"{where}: with_class {with_class!r} must be a class id")
        with_class = None
    nums = {k: _number(raw, k, where, problems, positive=k not in ("age_min_years", "weight_min_kg"))
            for k in _OPTIONAL_NUMBERS}
    note_en, note_zh = _notes(raw, where, problems)
    rule = DoseRule(
        indication=str(indication), population=str(raw["population"]), route=str(raw["route"]),
        times_per_day=tpd, days=days, every_days=every, with_class=with_class,
        release=_release(raw, where, problems), source=_source(raw, drug_source, where, problems),
        mg_per_kg=_number(raw, "mg_per_kg", where, problems),
        mg_per_kg_day=_number(raw, "mg_per_kg_day", where, problems),
        dose_mg=_number(raw, "dose_mg", where, problems),
        weight_bands=_bands(raw, where, problems) if "weight_bands" in raw else (),
        note_en=note_en, note_zh=note_zh, **nums,
    )
    _bounds(rule, where, problems)
    return rule


def _parse_advice(raw: dict, keys: tuple[str, ...], where: str, drug_source: str,
                  problems: list[str]) -> Advice | None:
    by: dict[str, str] = {}
    for key in keys:
        value = raw.get(key)
        if value not in ADVICE:
            problems.append(f"{where}: {key} {value!r} not one of {list(ADVICE)}")
            continue
        by["any" if key == "advice" else key] = value
    if not by:
        return None
    en, zh = _notes(raw, where, problems)
    return Advice(by_trimester=by, source=_source(raw, drug_source, where, problems), note_en=en, note_zh=zh,
                  safe_daily_mg=_number(raw, "safe_daily_mg", where, problems))


def _parse_age(raw: dict, where: str, drug_source: str, problems: list[str]) -> AgeLimit | None:
    lo = _number(raw, "min_years", where, problems, positive=False)
    hi = _number(raw, "max_years", where, problems)
    if lo is None and hi is None:
        problems.append(f"{where}: needs min_years or max_years")
        return None
    if lo is not None and hi is not None and lo >= hi:
        problems.append(f"{where}: min_years must be below max_years")
    sev = raw.get("severity", "warn")
    if sev not in ("stop", "warn", "info"):
        problems.append(f"{where}: severity {sev!r} must be stop, warn or info")
        sev = "warn"
    en, zh = _notes(raw, where, problems)
    return AgeLimit(min_years=lo, max_years=hi, severity=sev,
                    source=_source(raw, drug_source, where, problems), note_en=en, note_zh=zh)


def _parse_ages(raw: object, where: str, drug_source: str, problems: list[str]) -> tuple[AgeLimit, ...]:
    """``[drug.age]`` (one limit) or ``[[drug.age]]`` (several: a child's lower limit and the
    caution of old age, each with its own severity and source)."""
    if not raw:
        return ()
    rows = raw if isinstance(raw, list) else [raw]
    limits = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append(f"{where}: must be a table or a list of tables")
            continue
        if (limit := _parse_age(row, f"{where}[{i}]" if len(rows) > 1 else where, drug_source, problems)):
            limits.append(limit)
    return tuple(limits)


def _parse_renal(rows: list, where: str, drug_source: str, problems: list[str]) -> tuple[RenalBand, ...]:
    bands = []
    for i, raw in enumerate(rows):
        w = f"{where}[{i}]"
        below = _number(raw, "egfr_below", w, problems)
        action = raw.get("action")
        if below is None or action not in RENAL_ACTIONS:
            problems.append(f"{w}: needs egfr_below and action one of {sorted(RENAL_ACTIONS)}")
            continue
        factor = _number(raw, "factor", w, problems)
        caps = {k: _number(raw, k, w, problems) for k in ("max_daily_mg", "max_daily_mg_per_kg")}
        # a reduce band may say its adjustment as its daily maximum alone (no factor)
        if (factor is not None and factor >= 1) or (factor is None and (
                action == "extend_interval" or (action == "reduce" and all(v is None for v in caps.values())))):
            problems.append(f"{w}: {action} needs a factor below 1" + (" or a daily maximum" if action == "reduce"
                                                                       else ""))
        if any(v is not None for v in caps.values()) and action not in ("reduce", "extend_interval"):
            problems.append(f"{w}: a daily maximum belongs to a reduce or extend_interval band")
        en, zh = _notes(raw, w, problems)
        bands.append(RenalBand(egfr_below=below, action=str(action), factor=factor, note_en=en, note_zh=zh,
                               source=_source(raw, drug_source, w, problems), **caps))
    if [b.egfr_below for b in bands] != sorted(b.egfr_below for b in bands):
        problems.append(f"{where}: bands must be listed lowest egfr_below first")
    return tuple(sorted(bands, key=lambda b: b.egfr_below))


def parse_egfr_needed(raw: dict, where: str, drug_source: str, problems: list[str]) -> EgfrNeeded:
    """``[drug.egfr_needed]`` or ``[class.egfr_needed]``: from what age, and above what amount a
    day (optional), an order of the medicine needs a known eGFR."""
    age = _number(raw, "min_age_years", where, problems, positive=False)
    en, zh = _notes(raw, where, problems)
    return EgfrNeeded(min_age_years=age if age is not None else 18.0, note_en=en, note_zh=zh,
                      source=_source(raw, drug_source, where, problems),
                      above_daily_mg=_number(raw, "above_daily_mg", where, problems))


def _low_dose(raw: object, where: str, drug_source: str, problems: list[str]) -> LowDose | None:
    """``[drug.low_dose]``: up to ``daily_mg_at_most`` a day, the interactions marked ``not_low_dose``
    do not hold for the drug."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}: must be a table")
        return None
    most = _number(raw, "daily_mg_at_most", where, problems)
    if most is None:
        problems.append(f"{where}: missing daily_mg_at_most")
        return None
    return LowDose(daily_mg_at_most=most, source=_source(raw, drug_source, where, problems),
                   note_en=_text(raw, "note_en"))


def _elemental(raw: object, where: str, drug_source: str, problems: list[str]) -> Elemental | None:
    """``[drug.elemental]``: the element's share of the salt and the words that say an order is of it."""
    if raw is None:
        return None
    fraction = _number(raw, "fraction", where, problems) if isinstance(raw, dict) else None
    words = raw.get("words") if isinstance(raw, dict) else None
    if fraction is None or not 0 < fraction < 1 or not isinstance(words, list) or not words \
            or not all(isinstance(w, str) and w.strip() for w in words):
        problems.append(f"{where}: needs a fraction between 0 and 1 and a list of words")
        return None
    assert isinstance(raw, dict)
    return Elemental(fraction=fraction, words=tuple(w.strip().lower() for w in words),
                     source=_source(raw, drug_source, where, problems))


def _ingredient_max(raw: object, where: str, drug_source: str, components: set[str],
                    problems: list[str]) -> tuple[IngredientMax, ...]:
    """``[[drug.ingredient_max]]`` tables: one ingredient's cap inside a combination (SCHEMA.md)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        problems.append(f"{where}: ingredient_max must be a list of tables")
        return ()
    out = []
    for r in raw:
        part = r.get("ingredient")
        at = f"{where}: ingredient_max[{part}]"
        if part not in components:
            problems.append(f"{at}: ingredient must be a component of one of its forms")
            continue
        population, route = r.get("population", "any"), r.get("route")
        if population not in POPULATIONS or route not in ROUTES:
            problems.append(f"{at}: population {population!r} or route {route!r} not allowed")
            continue
        nums = {k: _number(r, k, at, problems) for k in (
            "age_min_years", "age_max_years", "weight_min_kg", "weight_max_kg", "max_single_mg",
            "max_daily_mg", "max_daily_mg_per_kg")}
        if nums["max_single_mg"] is None and nums["max_daily_mg"] is None and nums["max_daily_mg_per_kg"] is None:
            problems.append(f"{at}: needs max_single_mg, max_daily_mg or max_daily_mg_per_kg")
            continue
        en, zh = _notes(r, at, problems)
        out.append(IngredientMax(ingredient=str(part), population=str(population), route=str(route),
                                 source=_source(r, drug_source, at, problems), note_en=en, note_zh=zh, **nums))
    return tuple(out)


def _contains(raw: dict, where: str, problems: list[str]) -> tuple[str, ...]:
    items = raw.get("contains", [])
    if not isinstance(items, list) or not all(isinstance(x, str) and _ID_RE.match(x) for x in items):
        problems.append(f"{where}: contains must be a list of drug or ingredient ids")
        return ()
    return tuple(items)


def parse_drug(raw: dict, file: str, conditions: set[str], problems: list[str]) -> Drug | None:
    did = raw.get("id")
    if not isinstance(did, str) or not _ID_RE.match(did):
        problems.append(f"{file}: drug with bad id {did!r}")
        return None
    where = f"{file}: drug {did}"
    for key in ("name_en", "name_zh"):
        if not _text(raw, key):
            problems.append(f"{where}: missing {key}")
    source = _text(raw, "source")
    basis = raw.get("dose_basis")
    forms = [f for i, r in enumerate(raw.get("forms", []))
             if (f := _parse_form(r, f"{where}: forms[{i}]", basis, problems)) is not None]
    doses = [d for r in raw.get("dose", [])
             if (d := _parse_dose(r, where, source, conditions, problems)) is not None]
    if any(d.release for d in doses) and not any(f.release for f in forms):
        problems.append(f"{where}: a dose entry of release \"modified\" needs a form of release \"modified\"")
    preg = raw.get("pregnancy")
    bf = raw.get("breastfeeding")
    age = raw.get("age")
    return Drug(
        id=did, name_en=_text(raw, "name_en") or did, name_zh=_text(raw, "name_zh"), source=source,
        file=file, aliases=tuple(str(a) for a in raw.get("aliases", []) if str(a).strip()),
        classes=tuple(str(c) for c in raw.get("classes", [])), atc=_text(raw, "atc"),
        forms=tuple(forms), doses=tuple(d for d in doses if d.with_class is None),
        doses_beside=tuple(d for d in doses if d.with_class is not None),
        pregnancy=_parse_advice(preg, TRIMESTERS, f"{where}: pregnancy", source, problems) if preg else None,
        breastfeeding=_parse_advice(bf, ("advice",), f"{where}: breastfeeding", source, problems) if bf else None,
        age=_parse_ages(age, f"{where}: age", source, problems),
        renal=_parse_renal(raw.get("renal", []), f"{where}: renal", source, problems),
        contains=_contains(raw, where, problems),
        shared_aliases=tuple(str(a) for a in raw.get("shared_aliases", []) if str(a).strip()),
        low_dose=_low_dose(raw.get("low_dose"), f"{where}: low_dose", source, problems),
        ingredient_max=_ingredient_max(raw.get("ingredient_max"), where, source,
                                       {c.drug for f in forms for c in f.components}, problems),
        egfr_needed=parse_egfr_needed(raw["egfr_needed"], f"{where}: egfr_needed", source, problems)
        if isinstance(raw.get("egfr_needed"), dict) else None,
        elemental=_elemental(raw.get("elemental"), f"{where}: elemental", source, problems),
        # a cream or eye drop in percent says nothing of the unit of a dose (aciclovir 5% cream
        # beside its tablets): the dose forms decide
        mass_unit=all(f.unit in MASS_TO_MG for f in dosed) if (dosed := [f for f in forms if f.unit != "percent"])
        else True,
    )
