"""Honest limits: how well the differential fits the case, said in words.

The level is "low" (no confident match in the knowledge base) when the calibrated
probability of the first condition is below ``confident_from`` or when the first three
conditions explain too few of the case's positive findings (``explained_min``); "high"
when the first condition is "likely" (``likely_from``); else "moderate". A note with too
few recognised findings is never "high" (its warning says why). The thresholds are data
(``calibration.toml``), chosen on the development diagnosis sets. Triage never
depends on this: the danger-sign rules stand whatever the level.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lantern.clinical.calibration import Calibration
from lantern.clinical.knowledge import KnowledgeBase
from lantern.clinical.language.findings import Extraction

EXPLAINING_CONDITIONS = 3      # the findings must be explained by the first three
_CLINICAL_KINDS = frozenset({"symptom", "sign", "vital", "test"})
_POINTING_LR = 2.0             # a condition "points to" its system through findings with LR >= 2

# ICD-10 chapters as organ systems (first and last category; the first match wins, so
# cerebrovascular disease, in the circulatory chapter, and the infections ICD-10 names as
# infections of the nervous system — A17 tuberculosis of the nervous system, A80-A89 viral
# infections of the central nervous system — count as the nervous system)
_SYSTEMS: tuple[tuple[str, str, str, str], ...] = (
    ("I60", "I69", "nervous system", "神经系统"),
    ("A17", "A17", "nervous system", "神经系统"), ("A80", "A89", "nervous system", "神经系统"),
    ("A00", "B99", "infection", "感染"), ("C00", "D49", "cancer", "肿瘤"),
    ("D50", "D89", "blood", "血液系统"), ("E00", "E90", "endocrine and metabolic", "内分泌代谢"),
    ("F00", "F99", "mental health", "精神心理"), ("G00", "G99", "nervous system", "神经系统"),
    ("H00", "H59", "eye", "眼"), ("H60", "H95", "ear", "耳"),
    ("I00", "I99", "heart and circulation", "心血管"), ("J00", "J99", "respiratory", "呼吸系统"),
    ("K00", "K93", "digestive", "消化系统"), ("L00", "L99", "skin", "皮肤"),
    ("M00", "M99", "musculoskeletal", "肌肉骨骼"), ("N00", "N99", "kidney and urinary/genital",
                                                      "泌尿生殖"),
    ("O00", "O99", "pregnancy", "妊娠"), ("P00", "P96", "newborn", "新生儿"),
    ("S00", "T98", "injury and poisoning", "损伤中毒"),
)


def system_of(icd10: str) -> tuple[str, str] | None:
    """The organ system (EN, ZH) of an ICD-10 code's chapter; None for symptom codes (R)."""
    code = icd10.strip().upper()[:3]
    for first, last, en, zh in _SYSTEMS:
        if first <= code <= last:
            return en, zh
    return None


@dataclass(frozen=True, slots=True)
class Confidence:
    level: str                           # "low" | "moderate" | "high"
    top_probability: float               # calibrated, of the first condition (0 if none)
    explained: float                     # share of positive findings the top conditions explain
    unexplained: tuple[tuple[str, str, str], ...]   # (id, EN, ZH) of findings no top condition
    #                                               explains
    systems: tuple[tuple[str, str], ...]  # (EN, ZH) systems the unexplained findings point to
    message_en: str
    message_zh: str

    @property
    def no_confident_match(self) -> bool:
        return self.level == "low"

    def as_dict(self) -> dict:
        return {"level": self.level, "no_confident_match": self.no_confident_match,
                "top_probability": round(self.top_probability, 4),
                "explained": round(self.explained, 4),
                "unexplained_findings": [{"id": fid, "label": en, "label_zh": zh}
                                         for fid, en, zh in self.unexplained],
                "systems": [en for en, _zh in self.systems],
                "message_en": self.message_en, "message_zh": self.message_zh}


def _systems(finding_ids: tuple[str, ...],
             candidates: list) -> tuple[tuple[str, str], ...]:
    """The (at most three) systems whose conditions, among those that apply to this patient,
    list the most of these findings as pointing to them."""
    votes: Counter[tuple[str, str]] = Counter()
    for cond in (c.condition for c in candidates):
        system = system_of(cond.icd10)
        if system is None:
            continue
        votes.update(system for w in cond.findings
                     if w.id in finding_ids and w.lr_pos >= _POINTING_LR)
    return tuple(s for s, _n in votes.most_common(3))


def _messages(level: str, *, top_name: tuple[str, str], top_p: float,
              unexplained: list[tuple[str, str]], systems: tuple[tuple[str, str], ...],
              few_findings: bool) -> tuple[str, str]:
    if level == "high":
        return "", ""
    if level == "moderate":
        en = "Possible match only: confirm with the examination and tests before acting on it."
        zh = "仅为可能的匹配：请结合查体和检查确认后再处理。"
        if few_findings:
            en += " Few findings were recognised in the note."
            zh += "病历中识别出的表现很少。"
        return en, zh
    en = "No confident match in the knowledge base"
    zh = "知识库中没有可信的匹配"
    if top_name[0]:
        en += f" (the best, {top_name[0]}, about {top_p:.0%})"
        zh += f"（最接近的是{top_name[1] or top_name[0]}，约{top_p:.0%}）"
    en += "; consider other causes, examine fully and refer if unsure."
    zh += "；请考虑其他病因，全面查体，不确定时转诊。"
    if few_findings:
        en += " Few findings were recognised in the note."
        zh += "病历中识别出的表现很少。"
    if unexplained:
        en += " Not explained by the listed conditions: " + ", ".join(e for e, _ in unexplained)
        zh += "以下表现未被所列疾病解释：" + "、".join(z for _, z in unexplained)
        if systems:
            en += f" (pointing to: {', '.join(s for s, _ in systems)})"
            zh += f"（提示：{'、'.join(z for _, z in systems)}）"
        en += "."
        zh += "。"
    en += " The triage level still applies."
    zh += "分诊级别仍然适用。"
    return en, zh


def confidence_level(*, top_probability: float, explained: float, few_findings: bool,
                     calibration: Calibration) -> str:
    if top_probability < calibration.confident_from or explained < calibration.explained_min:
        return "low"
    if top_probability >= calibration.likely_from and not few_findings:
        return "high"
    return "moderate"


def judge_confidence(*, extraction: Extraction, differential: list, probabilities: list[float],
                     kb: KnowledgeBase, calibration: Calibration, few_findings: bool,
                     applicable: list | None = None) -> Confidence:
    """The confidence level of a differential (best first) with its calibrated probabilities;
    ``applicable``: every candidate that applies to the patient (for the systems named)."""
    present = extraction.present()
    positive = [fid for fid, f in present.items()
                if not f.uncertain and kb.findings[fid].kind in _CLINICAL_KINDS]
    explaining = {w.id for c in differential[:EXPLAINING_CONDITIONS]
                  for w in c.condition.findings if w.lr_pos > 1}
    missing = tuple(fid for fid in positive if fid not in explaining)
    explained = 1.0 - len(missing) / len(positive) if positive else 0.0
    top_p = probabilities[0] if probabilities else 0.0
    level = confidence_level(top_probability=top_p, explained=explained,
                             few_findings=few_findings, calibration=calibration)
    top = differential[0].condition if differential else None
    systems = _systems(missing, applicable or differential) if level == "low" else ()
    unexplained = tuple((f, kb.findings[f].label_en, kb.findings[f].label_zh) for f in missing)
    en, zh = _messages(level, top_name=(top.name_en, top.name_zh) if top else ("", ""),
                       top_p=top_p, unexplained=[(e, z) for _f, e, z in unexplained],
                       systems=systems, few_findings=few_findings)
    return Confidence(level=level, top_probability=top_p, explained=explained,
                      unexplained=unexplained, systems=systems, message_en=en, message_zh=zh)
