"""The diagnoses a clinician accepted or added for an encounter, as typed values.

A summary request carries them as ``"accepted_diagnoses": [condition_id]`` (knowledge
base conditions, suggested or chosen by name) and ``"added_diagnoses": [text]``
(free text the knowledge base does not name). They are the Assessment section of a
note summary with their ICD-10 codes, and the diagnoses of a referral letter;
suggestions that were not accepted never reach a document.
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.domain.errors import ValidationError

MAX_DIAGNOSES = 30
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class AcceptedDiagnosis:
    name_en: str
    name_zh: str = ""
    icd10: str = ""
    condition_id: str | None = None       # None: added as free text

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en

    def render(self, lang: str) -> str:
        """"Pneumonia (ICD-10 J18.9)" / "肺炎（ICD-10 J18.9）"; free text as written."""
        if not self.icd10:
            return self.name(lang)
        return f"{self.name(lang)}（ICD-10 {self.icd10}）" if lang == "zh" \
            else f"{self.name(lang)} (ICD-10 {self.icd10})"


def _strings(value: object, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"{key} must be a list of strings")
    if len(value) > MAX_DIAGNOSES:
        raise ValidationError(f"{key} has more than {MAX_DIAGNOSES} items")
    return [" ".join(v.split()) for v in value if v.strip()]


def diagnoses_from_request(payload: dict, *, kb: KnowledgeBase | None = None
                           ) -> tuple[AcceptedDiagnosis, ...]:
    """``accepted_diagnoses`` (condition ids; an unknown id is a ValidationError naming it)
    then ``added_diagnoses`` (free text), without repeats, in the order given."""
    ids = _strings(payload.get("accepted_diagnoses"), "accepted_diagnoses")
    texts = _strings(payload.get("added_diagnoses"), "added_diagnoses")
    if not ids and not texts:
        return ()
    kb = kb or load_knowledge()
    out: list[AcceptedDiagnosis] = []
    for cid in dict.fromkeys(ids):
        cond = kb.conditions.get(cid)
        if cond is None:
            raise ValidationError(f"accepted_diagnoses: unknown condition id {cid[:60]!r}")
        out.append(AcceptedDiagnosis(cond.name_en, cond.name_zh, cond.icd10, cond.id))
    for text in dict.fromkeys(texts):
        if len(text) > MAX_TEXT:
            raise ValidationError(f"added_diagnoses: an item is longer than {MAX_TEXT} characters")
        if not any(d.name_en.casefold() == text.casefold() for d in out):
            out.append(AcceptedDiagnosis(text))
    return tuple(out)
