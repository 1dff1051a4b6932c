"""How much to dispense for an order (issue 14, the printed prescription): the whole
course in what the pharmacy hands over, from the formulary's forms and strengths.

Tablets and sachets ordered as such are counted; a dose in mg, g or mcg taken by mouth
is counted in the tablet strength that gives it in whole (or, for a scored tablet,
half) tablets, else in ml of an oral liquid; anything else (injections, inhalers) is
the number of doses. The count is rounded up: a course is never short.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lantern.clinical.prescribing.model import MASS_TO_MG, Drug, Form
from lantern.clinical.prescribing.names import strengths_in

_EPS = 1e-6


@dataclass(frozen=True)
class Quantity:
    amount: float
    what: str            # "tablet", "sachet", "ml", "dose"
    form: str = ""       # the form it is counted in: "250 mg dispersible tablet"
    form_id: str = ""    # its kind: "dispersible_tablet"

    def text(self, lang: str = "en") -> str:
        n = f"{self.amount:g}"
        if lang == "zh":
            what = {"tablet": "片", "sachet": "袋", "ml": " ml", "dose": "次剂量"}[self.what]
            form = self.form.replace(self.form_id.replace("_", " "), FORM_ZH.get(self.form_id, self.form_id))
            return f"{n}{what}" + (f"（{form}）" if self.form else "")
        plural = "" if self.amount == 1 or self.what == "ml" else "s"
        what = f"{self.what}{plural}"
        return f"{n} {what}" + (f" ({self.form})" if self.form else "")


FORM_ZH = {"tablet": "片剂", "dispersible_tablet": "分散片", "capsule": "胶囊", "oral_suspension": "口服混悬液",
           "syrup": "糖浆", "oral_solution": "口服溶液"}


def _per_dose(dose_mg: float, form: Form) -> float | None:
    """Tablets per dose in this form, when they give the dose in whole (or divisible) parts."""
    if form.base_strength <= 0:
        return None
    count = dose_mg / form.base_strength
    parts = count * max(form.divisible, 1)
    if count < 1 / max(form.divisible, 1) - _EPS or abs(parts - round(parts)) > 1e-3:
        return None
    return count


def dispense_quantity(drug: Drug | None, *, dose: float, unit: str, route: str, times_per_day: int,
                      days: int, typed: str = "") -> Quantity:
    """``typed``: the medicine as the prescriber typed it; a liquid or a strength written
    there ("amoxicillin 250mg/5ml") is what is dispensed when the formulary has it."""
    doses = times_per_day * days
    if unit in ("tablet", "sachet"):
        return Quantity(math.ceil(dose * doses - _EPS), unit)
    if unit == "ml":
        return Quantity(math.ceil(dose * doses - _EPS), "ml")
    if drug is not None and route == "oral" and unit in MASS_TO_MG and drug.mass_unit:
        form = dose_form(drug, dose * MASS_TO_MG[unit], typed)
        if form is not None:
            per_dose = dose * MASS_TO_MG[unit] / form.base_strength * (form.per_ml or 1)
            what = "tablet" if form.is_tablet else "ml"
            return Quantity(math.ceil(per_dose * doses - _EPS), what, form.label(), form.form)
    return Quantity(doses, "dose")


_LIQUID_WORDS = re.compile(r"syrup|suspension|solution|elixir|mixture|/\s*\d*\s*ml|糖浆|混悬|口服液|溶液", re.IGNORECASE)


def dose_form(drug: Drug, dose_mg: float, typed: str = "") -> Form | None:
    """The oral form a dose in mg is given in: the largest tablet strength that gives it in
    whole (or, scored, divided) tablets, else an oral liquid; a liquid first when ``typed``
    names one, and a strength written in ``typed`` when the formulary has it."""
    strengths, _per_ml = strengths_in(typed) if typed else ((), None)
    tablets = sorted((f for f in drug.forms if f.is_tablet and not f.components and f.unit in MASS_TO_MG),
                     key=lambda f: -f.base_strength)
    liquids = [f for f in drug.forms
               if f.is_liquid and f.per_ml and f.unit in MASS_TO_MG and f.base_strength > 0]
    if strengths:
        tablets = [f for f in tablets if f.strength in strengths] or tablets
        liquids = [f for f in liquids if f.strength in strengths] or liquids
    fit = [f for f in tablets if _per_dose(dose_mg, f) is not None]
    order = liquids + fit if typed and _LIQUID_WORDS.search(typed) else fit + liquids
    return order[0] if order else None
