"""Checks of one order against the patient: allergy and cross-reactivity, pregnancy,
breastfeeding, age, kidney. Each returns alerts naming their source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lantern.clinical.language.allergies import extract_allergies, names_a_reaction
from lantern.clinical.prescribing.amounts import MEASURED
from lantern.clinical.prescribing.dose import TOLERANCE, renal_band, renal_daily_cap
from lantern.clinical.prescribing.inputs import Patient
from lantern.clinical.prescribing.model import (
    ADVICE,
    TRIMESTERS,
    Advice,
    Drug,
    Formulary,
)
from lantern.clinical.prescribing.names import NameIndex

_NO_ALLERGY = re.compile(r"^(none|nil|nkda|nka|no known( drug)? allerg(y|ies)|no allerg(y|ies)|无|否认.*|无已知.*)$")
_ADVICE_SEVERITY = {"caution": "info", "avoid": "warn", "contraindicated": "stop"}


@dataclass(frozen=True)
class Alert:
    order: int | None
    drug: str
    kind: str
    severity: str
    message: str
    source: str
    message_zh: str = ""

    def to_dict(self) -> dict:
        return {"order": self.order, "drug": self.drug, "kind": self.kind, "severity": self.severity,
                "message": self.message, "source": self.source}


@dataclass(frozen=True)
class ChartAllergies:
    classes: dict[str, str]          # allergy class id -> the chart text that named it
    drugs: dict[str, str]            # drug id -> the chart text
    unknown: tuple[str, ...]         # chart allergies nothing in the formulary matched
    # ingredient id -> the chart text naming a product that holds it ("allergy: 泰诺"): which of its
    # ingredients caused the reaction is not known, so each is suspect
    suspects: dict[str, str] = field(default_factory=dict)


def read_allergies(texts: tuple[str, ...], formulary: Formulary, index: NameIndex) -> ChartAllergies:
    classes: dict[str, str] = {}
    drugs: dict[str, str] = {}
    suspects: dict[str, str] = {}
    unknown = []
    for text in texts:
        allergic = _without_denials(text)     # what the text says the patient is allergic to
        low = allergic.lower().strip()
        if _NO_ALLERGY.match(low) or not re.search(r"\w", low):
            continue
        hit = False
        for cls in formulary.classes.values():
            words = (cls.id.replace("_", " "), cls.name_en.lower(), cls.name_zh, *cls.terms)
            if any(w and _contains(low, w) for w in words):
                classes.setdefault(cls.id, text)
                hit = True
        for drug_id, _how in index.mentions(allergic):
            drugs.setdefault(drug_id, text)
            hit = True
            for cls_id in narrowest_classes(drug_id, formulary):
                classes.setdefault(cls_id, text)
            for part in product_parts(drug_id, formulary):
                suspects.setdefault(part, text)
        if not hit:
            unknown.append(text)
    return ChartAllergies(classes=classes, drugs=drugs, unknown=tuple(unknown), suspects=suspects)


def _without_denials(text: str) -> str:
    """``text`` with each denial blanked, of a named substance ("no penicillin allergy",
    "否认青霉素过敏", "not allergic to sulfa") or of all ("过敏史：无"): no allergy to check
    against; an allergy written beside one stays, and so does a hedged one ("?penicillin allergy")."""
    read = extract_allergies(text)
    chars = list(text)
    for span in [*read.none_spans, *(span for denial in read.denied for span in denial.spans)]:
        chars[span.start:span.end] = " " * (span.end - span.start)
    return "".join(chars)


def product_parts(drug_id: str, formulary: Formulary) -> tuple[str, ...]:
    """The ingredients of a combination (its forms' components and its ``contains`` line), not itself."""
    drug = formulary.drugs.get(drug_id)
    if drug is None:
        return ()
    parts = [c.drug for f in drug.forms for c in f.components] + list(drug.contains)
    return tuple(dict.fromkeys(p for p in parts if p != drug_id))


def _contains(text: str, term: str) -> bool:
    if re.search(r"[\u3400-\u9fff]", term):
        return term in text
    return re.search(rf"(?<![a-z]){re.escape(term)}", text) is not None


def side_effect_only(text: str, reactions: tuple[str, ...]) -> bool:
    """The chart's allergy ``text`` names one of ``reactions`` (a class's side effect: an ACE
    inhibitor's cough) and, those words aside, no allergic reaction ("cough, angioedema" is one)."""
    low = text.lower()
    if not any(_contains(low, t) for t in reactions):
        return False
    for t in reactions:
        low = low.replace(t, " ")
    return not names_a_reaction(low)


def narrowest_classes(drug_id: str, formulary: Formulary) -> list[str]:
    """A drug's allergy classes with the fewest members (amoxicillin: penicillin, not beta_lactam)."""
    drug = formulary.drugs.get(drug_id)
    if drug is None:
        return []
    own = [c for c in drug.classes if c in formulary.classes]
    if not own:
        return []
    size = {c: len(formulary.class_members.get(c, ())) for c in own}
    smallest = min(size.values())
    return [c for c in own if size[c] == smallest]


def allergy_alerts(i: int, drug: Drug, chart: ChartAllergies, formulary: Formulary) -> list[Alert]:
    if drug.id in chart.drugs:
        return [Alert(i, drug.id, "allergy", "stop", f"{drug.name_en}: the chart records an allergy to it "
                      f"({chart.drugs[drug.id]!r})", "patient chart", f"{drug.name_zh}：病历记录对此药过敏")]
    for cls_id in drug.classes:
        if cls_id in chart.classes:
            cls = formulary.classes[cls_id]
            if side_effect_only(chart.classes[cls_id], cls.except_reactions):
                return [Alert(i, drug.id, "allergy", "warn",
                              f"{drug.name_en} is one of the {cls.name_en}; the chart records "
                              f"{chart.classes[cls_id]!r}, a side effect of the class, not an allergy: "
                              "it is likely to recur", cls.except_source or cls.source or "patient chart",
                              f"{drug.name_zh}属于{cls.name_zh}；病历记录：{chart.classes[cls_id]}，"
                              "为该类药物的副作用而非过敏，可能再次出现")]
            return [Alert(i, drug.id, "allergy", "stop",
                          f"{drug.name_en} is one of the {cls.name_en}; the chart records "
                          f"{chart.classes[cls_id]!r}", cls.source or "patient chart",
                          f"{drug.name_zh}属于{cls.name_zh}；病历记录过敏：{chart.classes[cls_id]}")]
    if drug.id in chart.suspects:
        return [Alert(i, drug.id, "allergy", "warn", f"{drug.name_en}: the chart records an allergy to a product "
                      f"that contains it ({chart.suspects[drug.id]!r}); which ingredient caused it is not known",
                      "patient chart", f"{drug.name_zh}：病历记录对含此成分的药品过敏（{chart.suspects[drug.id]}），"
                      "致敏成分不明")]
    out = []
    for allergic in chart.classes:
        crosses = [(allergic, cr) for cr in formulary.classes[allergic].cross_reactive if cr.cls in drug.classes]
        crosses += [(allergic, cr) for c in drug.classes if c in formulary.classes
                    for cr in formulary.classes[c].cross_reactive if cr.cls == allergic]
        text = chart.classes[allergic]
        crosses = [(a, cr) for a, cr in crosses if not side_effect_only(text, cr.except_reactions)]
        for _, cr in crosses[:1]:
            out.append(Alert(i, drug.id, "cross_reactivity", cr.severity,
                             f"{drug.name_en}: possible cross-reaction with the chart allergy "
                             f"{chart.classes[allergic]!r}. {cr.note_en}".strip(), cr.source, cr.note_zh))
    return out[:1]


def _advice_alert(i: int, drug: Drug, kind: str, advice: Advice | None, keys: tuple[str, ...],
                  situation: str) -> list[Alert]:
    if advice is None:
        return [Alert(i, drug.id, kind, "info", f"{drug.name_en}: no {kind} advice in the formulary; "
                      "check a reference", "formulary")]
    values = [advice.by_trimester[k] for k in keys if k in advice.by_trimester]
    if not values:
        return []
    worst = max(values, key=ADVICE.index)
    severity = _ADVICE_SEVERITY.get(worst)
    if severity is None:
        return []
    note = f" {advice.note_en}" if advice.note_en else ""
    return [Alert(i, drug.id, kind, severity, f"{drug.name_en}: {worst} {situation}.{note}", advice.source,
                  advice.note_zh)]


def pregnancy_alerts(i: int, drug: Drug, patient: Patient, daily: float | None = None) -> list[Alert]:
    """The pregnancy advice of the trimester (the strictest when the gestation is unknown). ``daily``:
    the order's amount a day; within the advice's ``safe_daily_mg`` (low-dose aspirin to prevent
    pre-eclampsia) the advice is of other doses and is said as info."""
    if not patient.pregnant:
        return []
    trimester = patient.trimester
    if trimester is None:
        out = _advice_alert(i, drug, "pregnancy", drug.pregnancy, TRIMESTERS,
                            "in pregnancy (gestation unknown: the strictest trimester applies)")
    else:
        out = _advice_alert(i, drug, "pregnancy", drug.pregnancy, (trimester,), f"in the {trimester} trimester")
    most = drug.pregnancy.safe_daily_mg if drug.pregnancy else None
    if most is not None and daily is not None and daily <= most * 1.001:
        out = [replace(a, severity="info", message=f"{a.message} This order ({daily:g} mg a day) is within the "
                       f"{most:g} mg a day the advice leaves out.") for a in out]
    return out


def breastfeeding_alerts(i: int, drug: Drug, patient: Patient) -> list[Alert]:
    if not patient.breastfeeding:
        return []
    return _advice_alert(i, drug, "breastfeeding", drug.breastfeeding, ("any",), "while breastfeeding")


OLD_AGE_YEARS = 60     # an upper age limit from here on is a caution of old age (WHO EML: glibenclamide)


def age_alerts(i: int, drug: Drug, patient: Patient) -> list[Alert]:
    age = patient.age_years
    if age is None:
        return []
    out = []
    for limit in drug.age:
        if limit.min_years is not None and age < limit.min_years:
            why = f"not for patients under {limit.min_years:g} years"
        elif limit.max_years is not None and age >= limit.max_years:
            # a caution of old age (the medicines of the Beers and STOPP lists) is said as one; an
            # upper limit of childhood (caffeine citrate: apnoea of prematurity) as a limit
            why = f"avoid or use with care in patients {limit.max_years:g} years and over" \
                if limit.severity != "stop" and limit.max_years >= OLD_AGE_YEARS \
                else f"not for patients {limit.max_years:g} years and over"
        else:
            continue
        note = f" {limit.note_en}" if limit.note_en else ""
        out.append(Alert(i, drug.id, "age", limit.severity, f"{drug.name_en}: {why} (patient {age:g}).{note}",
                         limit.source, limit.note_zh))
    return out


def renal_alerts(i: int, drug: Drug, patient: Patient, *, ordered: float | None,
                 recommended: float | None, times_per_day: int | None, rule_times: int | None) -> list[Alert]:
    """The kidney advice of the eGFR band the patient is in. A reduce or extend-interval band is a
    ``warn`` only when the order is above the adjusted dose: the calculator's reduced dose or fewer
    times a day, or, when the band gives one, its own daily maximum (``max_daily_mg``,
    ``max_daily_mg_per_kg`` times the weight: the adjusted dose of whichever indication)."""
    band = renal_band(drug, patient.egfr)
    if band is None:
        return []
    egfr = f"eGFR {patient.egfr:g} (below {band.egfr_below:g})"
    note = f" {band.note_en}" if band.note_en else ""
    severity = {"avoid": "stop", "caution": "info"}.get(band.action, "warn")
    if band.action == "reduce" and band.factor and ordered is not None and recommended is not None \
            and ordered <= recommended * 1.01:   # the calculator has already reduced it
        severity = "info"
    if band.action == "extend_interval" and band.factor and times_per_day and rule_times \
            and times_per_day <= round(rule_times * band.factor):   # once daily x0.5 is every 48 h: no daily order fits
        severity = "info"
    cap = renal_daily_cap(band, patient.weight_kg)
    if cap is not None and ordered is not None and band.factor and band.max_daily_mg_per_kg and band.max_daily_mg is None \
            and recommended is not None and ordered * (times_per_day or 1) * TOLERANCE < cap:
        # a cap per kg is the weight-based (treatment) dose's: an order more than 25% below it is no
        # weight-based dose for this patient but a fixed one (enoxaparin 40 mg prophylaxis at eGFR
        # below 30: 20 mg, BNF), judged by the band's factor above
        cap = None
    if cap is not None and ordered is not None and band.action in ("reduce", "extend_interval"):
        daily = ordered * (times_per_day or 1)
        severity = "info" if daily <= cap * MEASURED else "warn"
        note += f"{'' if note.endswith('.') else '.'} At most {cap:g}{' mg' if drug.mass_unit else ''} a day in this " \
            f"band; {daily:g} ordered."
    action = band.action.replace("_", " ")
    factor = f" (x{band.factor:g})" if band.factor else ""
    return [Alert(i, drug.id, "renal", severity, f"{drug.name_en}: {action}{factor} at {egfr}.{note}",
                  band.source, band.note_zh)]
