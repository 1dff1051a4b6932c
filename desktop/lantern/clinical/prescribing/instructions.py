"""The patient instruction sheet (issue 14, item 4): per medicine of an encounter's saved
orders, in plain words in the patient's language (English or Chinese), what it is for,
how much each time in countable units, when, for how many days and until when, what to
do about a forgotten dose, the warnings a patient needs, and when to come back at once.

Deterministic, no model. All wording is data (``resources/instructions/``: ``sheet.toml``
the phrases, ``counselling.toml`` per medicine, ``return_advice.toml`` the danger signs),
each clinical line citing its source. What the data does not know is left out, never
invented: a medicine without counselling data prints without "what it is for" or
warnings; a patient of unknown age gets no danger-sign list.

Doses are counted as a patient counts them: whole or half tablets ("1 and a half
tablets"), capsules, sachets, ml with 5 ml spoons when the volume is a multiple of
2.5 ml. A quarter tablet (or any other part) is not asked of a patient: the dose is said
in mg with a line that the pharmacist shows how much that is. The form a dose in mg is
counted in is the one the prescription dispenses (``dispense.dose_form``).

An order with a ``stop`` alert nobody overrode is never put on the sheet as if it were
safe: :func:`build_sheet` refuses the whole sheet (the note cannot be signed with it
either). An overridden alert, and an allergy warning left standing, print as a plain
"your clinician's note" line naming what was weighed and the reason; for an allergy,
with what to do if a reaction comes. The patient then takes the medicine knowing it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from lantern.clinical.prescribing.dispense import dose_form
from lantern.clinical.prescribing.model import MASS_TO_MG, Drug, Formulary
from lantern.clinical.prescribing.names import strengths_in
from lantern.domain.errors import ValidationError
from lantern.domain.records import DrugOrder
from lantern.paths import resources_dir

ALLERGY_KINDS = ("allergy", "cross_reactivity")
SPOON_ML = 5.0
FOODS = ("with_food", "empty_stomach", "any")


def instructions_dir() -> Path:
    return resources_dir() / "instructions"


@dataclass(frozen=True)
class Wording:
    """The three files of ``resources/instructions`` as read."""

    sheet: dict[str, Any]
    drugs: dict[str, dict[str, Any]]
    warnings: dict[str, dict[str, Any]]
    groups: tuple[dict[str, Any], ...]

    def text(self, table: str, key: str, lang: str, **values: object) -> str:
        pair = self.sheet[table][key]
        return str(pair[lang == "zh"]).format(**values)


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=4)
def _wording_cached(root: str) -> Wording:
    base = Path(root)
    counsel = _read(base / "counselling.toml")
    advice = _read(base / "return_advice.toml")
    return Wording(sheet=_read(base / "sheet.toml"),
                   drugs={d["id"]: d for d in counsel.get("drug", [])},
                   warnings={w["id"]: w for w in counsel.get("warning", [])},
                   groups=tuple(advice.get("group", [])))


def load_wording(root: Path | None = None) -> Wording:
    return _wording_cached(str((root or instructions_dir()).resolve()))


def wording_problems(wording: Wording, formulary: Formulary) -> list[str]:
    """What is wrong with the data (empty: fine): unknown drug or warning ids, a clinical
    item without a source, a phrase without both languages."""
    out = []
    for table in ("labels", "counting", "schedule", "missed", "caution", "kinds"):
        for key, value in wording.sheet.get(table, {}).items():
            if isinstance(value, list) and (len(value) != 2 or not all(isinstance(v, str) and v for v in value)):
                out.append(f"sheet.toml [{table}] {key}: needs an English and a Chinese text.")
    for table in ("schedule", "missed", "caution"):
        if not wording.sheet.get(table, {}).get("source"):
            out.append(f"sheet.toml [{table}]: no source.")
    for drug_id, d in wording.drugs.items():
        if drug_id not in formulary.drugs:
            out.append(f"counselling.toml: {drug_id!r} is not in the formulary.")
        if not d.get("source"):
            out.append(f"counselling.toml: {drug_id!r} has no source.")
        if "food" in d and d["food"] not in FOODS:
            out.append(f"counselling.toml: {drug_id!r} food must be one of {', '.join(FOODS)}.")
        out += [f"counselling.toml: {drug_id!r} names unknown warning {w!r}."
                for w in d.get("warnings", []) if w not in wording.warnings]
    for w in wording.warnings.values():
        if not (w.get("en") and w.get("zh") and w.get("source")):
            out.append(f"counselling.toml: warning {w.get('id')!r} needs en, zh and source.")
    for g in wording.groups:
        if not g.get("source") or not g.get("signs"):
            out.append(f"return_advice.toml: group {g.get('id')!r} needs signs and a source.")
    return out


# --- counting --------------------------------------------------------------------------

def _n(x: float) -> str:
    return f"{x:g}"


def count_text(count: float, what: str, lang: str, w: Wording) -> str | None:
    """"2 tablets", "1 and a half tablets", "half a tablet", "1 sachet" (``what``: tablet,
    capsule, sachet); None when the count is not whole or (tablets only) a half."""
    whole = int(count + 1e-9)
    rest = count - whole
    if abs(rest) < 1e-6 and whole >= 1:
        return w.text("counting", f"{what}_one" if whole == 1 else f"{what}_many", lang, n=whole)
    if what == "tablet" and abs(rest - 0.5) < 1e-6:
        return (w.text("counting", "tablet_half", lang) if whole == 0
                else w.text("counting", "tablet_and_half", lang, n=whole))
    return None


def ml_text(ml: float, lang: str, w: Wording) -> str:
    """"10 ml (2 spoons of 5 ml)"; the spoons only when the volume is whole or half spoons."""
    text = w.text("counting", "ml", lang, n=_n(round(ml, 2)))
    spoons = ml / SPOON_ML
    if abs(spoons * 2 - round(spoons * 2)) > 1e-6 or spoons <= 0:
        return text
    whole, half = int(spoons + 1e-9), abs(spoons - int(spoons + 1e-9) - 0.5) < 1e-6
    if half:
        key = "spoon_half" if whole == 0 else "spoons_and_half"
    else:
        key = "spoon_one" if whole == 1 else "spoons"
    return f"{text} {w.text('counting', key, lang, n=whole)}".replace(" （", "（")


@dataclass(frozen=True)
class Countable:
    text: str
    dispersible: bool = False       # a dispersible tablet: dissolved before it is given


def countable_dose(drug: Drug | None, *, dose: float, unit: str, route: str, typed: str, lang: str,
                   w: Wording | None = None) -> Countable:
    """One dose as a patient counts it (see the module's docstring)."""
    w = w or load_wording()
    if unit in ("tablet", "sachet"):
        tablets = [f for f in drug.forms if f.is_tablet] if drug else []
        what = "capsule" if unit == "tablet" and tablets and all(f.form == "capsule" for f in tablets) else unit
        said = count_text(dose, what, lang, w)
        if said is not None:
            return Countable(said, dispersible=bool(tablets) and all(f.form == "dispersible_tablet"
                                                                     for f in tablets))
        strengths = {f.base_strength for f in tablets if f.unit in MASS_TO_MG and not f.components}
        written = set(strengths_in(typed)[0]) & strengths          # "paracetamol 500mg": that tablet
        strengths = written or strengths
        if unit == "tablet" and len(strengths) == 1:
            return Countable(w.text("counting", "mass_fallback", lang, n=_n(dose * strengths.pop()), unit="mg"))
        return Countable(w.text("counting", "mass_fallback", lang, n=_n(dose), unit=_unit_word(unit, lang, w)))
    if unit == "ml":
        return Countable(ml_text(dose, lang, w))
    if unit in MASS_TO_MG and drug is not None and route == "oral" and drug.mass_unit:
        dose_mg = dose * MASS_TO_MG[unit]
        form = dose_form(drug, dose_mg, typed)
        if form is not None and form.is_liquid and form.per_ml:
            return Countable(ml_text(dose_mg / form.base_strength * form.per_ml, lang, w))
        if form is not None:
            what = "capsule" if form.form == "capsule" else "tablet"
            said = count_text(dose_mg / form.base_strength, what, lang, w)
            if said is not None:
                each = w.text("counting", f"{what}_strength", lang, s=_n(form.strength), unit=form.unit)
                return Countable(f"{said} {each}".replace(" （", "（"), dispersible=form.form == "dispersible_tablet")
            return Countable(w.text("counting", "mass_fallback", lang, n=_n(dose), unit=unit))
    if unit == "puff":        # an inhaler or nasal spray: "2 puff(s)" / "2 喷"
        return Countable(w.text("counting", "mass", lang, n=_n(dose), unit=_unit_word(unit, lang, w)))
    return Countable(w.text("counting", "mass", lang, n=_n(dose), unit=unit))


def _unit_word(unit: str, lang: str, w: Wording) -> str:
    return {"tablet": ("tablet", "片"), "sachet": ("sachet", "袋"), "puff": ("puff(s)", "喷")}.get(
        unit, (unit, unit))[lang == "zh"]


# --- when and for how long ------------------------------------------------------------

def schedule_text(times_per_day: int, lang: str, w: Wording | None = None) -> str:
    """"twice a day: morning and evening" / "每天2次：早晚各1次"."""
    w = w or load_wording()
    key = str(times_per_day)
    if key in w.sheet["schedule"]:
        return w.text("schedule", key, lang)
    if 24 % times_per_day == 0:
        return w.text("schedule", "every", lang, n=times_per_day, h=24 // times_per_day)
    return w.text("schedule", "many", lang, n=times_per_day)


def end_date(start: date, days: int) -> date:
    """The last day of a course that starts on ``start`` (day 1) and lasts ``days`` days."""
    return start + timedelta(days=max(days, 1) - 1)


def date_text(day: date, lang: str, w: Wording | None = None) -> str:
    w = w or load_wording()
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    month = w.sheet["months"]["en"][day.month - 1]
    return f"{day.day} {month} {day.year}"


def duration_text(days: int, start: date, lang: str, w: Wording | None = None) -> str:
    w = w or load_wording()
    end = date_text(end_date(start, days), lang, w)
    if days == 1:
        return w.text("schedule", "day_one", lang, end=end)
    return w.text("schedule", "days", lang, n=days, end=end)


# --- the sheet -------------------------------------------------------------------------

@dataclass(frozen=True)
class MedicineLines:
    """One medicine on the sheet; an empty text is a line the data does not know."""

    name: str
    purpose: str
    how_much: str
    when: tuple[str, ...]
    how_long: str
    missed: str
    warnings: tuple[str, ...]
    cautions: tuple[str, ...]


@dataclass(frozen=True)
class InstructionSheet:
    lang: str
    medicines: tuple[MedicineLines, ...]
    return_signs: tuple[str, ...]
    sources: tuple[str, ...]


def _cautions(order: DrugOrder, lang: str, w: Wording, reason_text: Callable[[str, str], str]) -> list[str]:
    out: list[str] = []
    allergy = False
    for v in order.overrides:
        kind = w.text("kinds", v.kind, lang) if v.kind in w.sheet["kinds"] else v.kind
        line = w.text("caution", "text", lang, kind=kind)
        reason = reason_text(v.reason_code, v.reason)
        if reason:
            line += ("" if lang == "zh" else " ") + w.text("caution", "reason", lang, reason=reason)
        out.append(line)
        allergy |= v.kind in ALLERGY_KINDS
    for a in order.alerts:          # an allergy warning left standing is said too
        if a.kind in ALLERGY_KINDS and order.override_of(a) is None:
            out.append(w.text("caution", "text", lang, kind=w.text("kinds", a.kind, lang)))
            allergy = True
    if allergy:
        out.append(w.text("caution", "allergy", lang))
    return list(dict.fromkeys(out))


def build_sheet(orders: tuple[DrugOrder, ...] | list[DrugOrder], formulary: Formulary, *, lang: str,
                start: date, age_years: float | None,
                reason_text: Callable[[str, str], str] = lambda _code, typed: typed,
                w: Wording | None = None) -> InstructionSheet:
    """The sheet for these saved orders, in ``lang`` ("en" or "zh"). ``start``: day 1 of
    every course; ``reason_text(code, typed)``: an override's reason as the patient reads
    it. ValidationError when an order has a stop alert nobody overrode."""
    w = w or load_wording()
    lang = "zh" if lang == "zh" else "en"
    for n, order in enumerate(orders, 1):
        if order.open_stops:
            raise ValidationError(f"Order {n} has a stop alert not overridden: the instruction sheet is printed "
                                  "once the prescriber resolves it.")
    sources: list[str] = [w.sheet["schedule"]["source"], w.sheet["missed"]["source"]]
    medicines = []
    for order in orders:
        drug = formulary.drugs.get(order.drug_id)
        counsel = w.drugs.get(order.drug_id, {})
        name = drug.name(lang) if drug else order.drug
        count = countable_dose(drug, dose=order.dose, unit=order.unit, route=order.route, typed=order.drug,
                               lang=lang, w=w)
        how_much = count.text
        if count.dispersible:
            how_much += "\n" + w.text("counting", "dissolve", lang)
            sources.append(w.sheet["counting"]["dispersible_source"])
        when = [schedule_text(order.times_per_day, lang, w)]
        if order.action in ("renew", "revise"):     # a medicine already taken: said first
            when.insert(0, w.text("schedule", order.action, lang))
        if counsel.get("food") in FOODS:
            when.append(w.text("schedule", "any_food" if counsel["food"] == "any" else counsel["food"], lang))
        warnings = tuple(w.warnings[k][lang] for k in counsel.get("warnings", []) if k in w.warnings)
        cautions = _cautions(order, lang, w, reason_text)
        if cautions:
            sources.append(w.sheet["caution"]["source"])
        if counsel:
            sources.append(counsel["source"])
            sources += [w.warnings[k]["source"] for k in counsel.get("warnings", []) if k in w.warnings]
        medicines.append(MedicineLines(
            name=name, purpose=counsel["purpose"][lang == "zh"] if counsel.get("purpose") else "",
            how_much=how_much, when=tuple(when), how_long=duration_text(order.days, start, lang, w),
            missed=w.text("missed", "text", lang) if order.times_per_day > 1 or order.days > 1 else "",
            warnings=warnings, cautions=tuple(cautions)))
    signs: tuple[str, ...] = ()
    if age_years is not None:
        group = next((g for g in w.groups if g.get("age_max_years") is None or age_years < g["age_max_years"]),
                     None)
        if group is not None:
            signs = tuple(s[lang == "zh"] for s in group["signs"])
            sources.append(group["source"])
    return InstructionSheet(lang=lang, medicines=tuple(medicines), return_signs=signs,
                            sources=tuple(dict.fromkeys(sources)))
