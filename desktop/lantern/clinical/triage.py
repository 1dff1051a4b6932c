"""Rule-based triage (emergency / urgent / routine). Never uses a language model.

Rules are data (``resources/knowledge/triage_rules.toml``); see SCHEMA.md §4.
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.clinical.knowledge import Condition, KnowledgeBase, TriageRule
from lantern.clinical.knowledge_ids import LATE_PREGNANCY, POSTPARTUM, PREGNANT
from lantern.clinical.language.findings import Extraction, Finding

LEVEL_ORDER = {"routine": 0, "urgent": 1, "emergency": 2}
YOUNG_INFANT_YEARS = 2 / 12 + 1e-3     # WHO IMCI: a young infant is up to 2 months old
# A delivery long ago is no context for the rules of pregnancy and the puerperium ("delivered a
# baby 9 months ago", issue 11, session 17): WHO (2022) counts the postnatal period as 6 weeks;
# the window is the 12 weeks of secondary postpartum haemorrhage (RCOG Green-top 52), the
# longest of the puerperal emergencies. Diagnosis keeps the wider context (postnatal depression
# is up to a year).
PUERPERAL_RULE_DAYS = 84


@dataclass(frozen=True, slots=True)
class DangerSign:
    rule: TriageRule
    evidence: tuple[Finding, ...]

    def as_dict(self) -> dict:
        return {"id": self.rule.id, "label": self.rule.label_en, "level": self.rule.level,
                "evidence": [f.as_dict() for f in self.evidence], "source": self.rule.source}


@dataclass(frozen=True, slots=True)
class TriageResult:
    level: str
    signs: tuple[DangerSign, ...]   # firing rules, most severe first


def is_pregnant_context(extraction: Extraction, pregnant: bool | None) -> bool:
    """Pregnant or just delivered: the flag, or the note saying so (safer when a form
    defaults ``pregnant`` to false but the note reads "34/40", or "bleeding PV, 34 weeks":
    a gestation of 22 weeks or more is a pregnancy)."""
    present = extraction.present()
    return bool(pregnant) or PREGNANT in present or POSTPARTUM in present or LATE_PREGNANCY in present


def _remote_delivery(extraction: Extraction, pregnant: bool | None) -> bool:
    """Only a delivery said to be ``PUERPERAL_RULE_DAYS`` or more ago makes the context."""
    present = extraction.present()
    post = present.get(POSTPARTUM)
    return (not pregnant and PREGNANT not in present and LATE_PREGNANCY not in present
            and post is not None and post.duration_days is not None
            and post.duration_days >= PUERPERAL_RULE_DAYS)


def _applies(rule: TriageRule, *, age: float | None, sex: str | None, preg: bool,
             pregnant_flag: bool | None, min_age: float | None = None) -> bool:
    if age is None:
        # Without the age, the rules for children and adults apply (conservative), but never
        # those for young infants only: a note with no age is no "young infant who is ill";
        # nor those for children when the text shows an adult (``min_age``: her own
        # pregnancy, "Mr", "her husband", "retired"; Extraction.min_age_years).
        if rule.age_max_years is not None and rule.age_max_years <= max(YOUNG_INFANT_YEARS, min_age or 0.0):
            return False
    else:
        if rule.age_min_years is not None and age < rule.age_min_years:
            return False
        if rule.age_max_years is not None and age >= rule.age_max_years:
            return False
    if rule.sex != "any" and sex is not None and sex != rule.sex:
        return False
    if rule.pregnancy == "required" and not preg:
        return False
    return not (rule.pregnancy == "excluded" and pregnant_flag)


def rule_applies(rule: TriageRule, *, age_years: float | None, sex: str | None,
                 pregnant_context: bool, pregnant_flag: bool | None,
                 min_age_years: float | None = None) -> bool:
    """Does ``rule`` apply to this patient (age, sex, pregnancy), whatever the findings?"""
    return _applies(rule, age=age_years, sex=sex, preg=pregnant_context,
                    pregnant_flag=pregnant_flag, min_age=min_age_years)


def triage(extraction: Extraction, kb: KnowledgeBase, *, age_years: float | None = None,
           sex: str | None = None, pregnant: bool | None = None) -> TriageResult:
    all_present = extraction.present()
    age = age_years if age_years is not None else extraction.age_years
    preg = is_pregnant_context(extraction, pregnant) and not _remote_delivery(extraction, pregnant)
    signs: list[DangerSign] = []
    for rule in kb.rules:
        if not _applies(rule, age=age, sex=sex, preg=preg, pregnant_flag=pregnant,
                        min_age=extraction.min_age_years):
            continue
        present = all_present if rule.acute_days is None else _acute(all_present, rule.acute_days,
                                                                    rule.acute_of)
        if any(fid not in present for fid in rule.all) or any(fid in present for fid in rule.none):
            continue
        hits = [present[fid] for fid in rule.any if fid in present]
        if rule.any and len(hits) < rule.min_any:
            continue
        evidence = tuple([present[fid] for fid in rule.all] + hits)
        signs.append(DangerSign(rule, evidence))
    signs.sort(key=lambda s: -LEVEL_ORDER[s.rule.level])
    level = signs[0].rule.level if signs else "routine"
    return TriageResult(level, tuple(signs))


def _acute(present: dict[str, Finding], days: float, only: tuple[str, ...] = ()) -> dict[str, Finding]:
    """The findings not said to have lasted ``days`` or more ("lethargic for several weeks"
    is tiredness, not the emergency sign of an acute illness); with ``only`` (a rule's
    ``acute_of``), just those findings are timed ("on warfarin for 5 years" still counts)."""
    return {fid: f for fid, f in present.items()
            if f.duration_days is None or f.duration_days < days or (only and fid not in only)}


def floor_from_diagnosis(result: TriageResult, leading: Condition, probability: float,
                         evidence: tuple[Finding, ...], kb: KnowledgeBase) -> TriageResult:
    """The danger-sign level, raised to the leading condition's ``triage_floor`` when the
    calibrated probability of that condition is at least ``kb.floor_probability``: a
    condition whose own referral line sends every suspected case the same day or sooner is
    not "routine" because no danger-sign rule fired. Never lowers the level; the reason is
    shown like a danger sign, with the condition's source."""
    floor = leading.triage_floor
    if (floor is None or probability < kb.floor_probability
            or LEVEL_ORDER[floor] <= LEVEL_ORDER[result.level]):
        return result
    rule = TriageRule(
        id=f"leading_diagnosis:{leading.id}", level=floor,
        label_en=f"Leading diagnosis {leading.name_en}: referral or treatment the same day",
        label_zh=f"首位诊断{leading.name_zh}：需当天转诊或治疗",
        source=leading.source)
    sign = DangerSign(rule, evidence)
    return TriageResult(floor, (sign, *result.signs))
