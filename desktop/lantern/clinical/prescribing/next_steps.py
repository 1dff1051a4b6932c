"""The dose for this patient of each medicine a condition's next steps name (issue 14, item 2).

The knowledge base's next steps say "oral amoxicillin (IMCI dose by weight)"; the
formulary knows the dose. For each formulary drug named in the steps, the calculator
gives the dose for this patient with the condition as the indication ("Amoxicillin 500
mg (weight band 10-14 kg: 2 tablets) twice daily for 5 days"), or says what it needs
("the weight is needed"). A formulary that cannot be loaded gives no lines, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lantern.clinical.prescribing.checks import build_index
from lantern.clinical.prescribing.dose import DoseResult, calculate_dose
from lantern.clinical.prescribing.inputs import LIMITS, Patient
from lantern.clinical.prescribing.loader import load_formulary
from lantern.clinical.prescribing.model import Formulary
from lantern.clinical.prescribing.names import NameIndex
from lantern.domain.errors import KnowledgeBaseError


@dataclass(frozen=True)
class StepDose:
    drug: str
    text: str              # the dose line, or what is missing
    computed: bool
    source: str = ""


@lru_cache(maxsize=1)
def _shipped() -> tuple[Formulary, NameIndex] | None:
    try:
        formulary = load_formulary()
    except (KnowledgeBaseError, OSError):
        return None
    return formulary, build_index(formulary, generic_only=True)


def _plausible(value: float | None, key: str) -> float | None:
    lo, hi = LIMITS[key]
    return value if value is not None and lo <= value <= hi else None


def next_step_doses(*, condition_id: str, steps: tuple[str, ...], age_years: float | None,
                    weight_kg: float | None, pregnant: bool = False, lang: str = "en",
                    formulary: Formulary | None = None, index: NameIndex | None = None) -> list[StepDose]:
    """One line per formulary drug the steps name, in the order they are named (``index``: built
    with ``generic_only=True``, so that "Plan B" of ORS is not levonorgestrel)."""
    if formulary is None or index is None:
        shipped = _shipped()
        if shipped is None:
            return []
        formulary, index = shipped
    patient = Patient(age_years=_plausible(age_years, "age_years"),
                      weight_kg=_plausible(weight_kg, "weight_kg"), pregnant=pregnant)
    out = []
    for drug_id, _how in index.mentions(" ; ".join(steps), typos=False):
        drug = formulary.drugs.get(drug_id)
        if drug is None:
            continue
        name = drug.name(lang)
        dose = calculate_dose(drug, patient, indication=condition_id)
        if isinstance(dose, DoseResult):
            out.append(StepDose(drug_id, dose.text(name, lang), True, dose.source))
        else:
            out.append(StepDose(drug_id, dose.text(lang), False))
    return out
