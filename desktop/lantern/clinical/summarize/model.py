"""The summary data model: sections of lines, each line linked to source spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from lantern.clinical.language.text import Span

TITLES_EN = {
    "subjective": "Subjective", "objective": "Objective", "assessment": "Assessment", "plan": "Plan",
    "allergies": "Allergies", "medications": "Medications", "follow_up": "Follow-up",
    "problems": "Problems", "current_medications": "Current medications",
    "stopped_medications": "Stopped medications", "results": "Key results and trend",
    "last_plan": "Last plan", "visits": "Visits", "events": "Timeline",
    "patient": "Patient", "reason": "Reason for referral", "triage": "Triage level and danger signs",
    "findings": "Findings", "treatment_given": "Treatment given", "request": "Requested",
    "course": "Course", "diagnoses": "Diagnoses (accepted by the clinician)",
    "illness_severity": "Illness severity", "patient_summary": "Patient summary",
    "action_list": "Action list", "situation_awareness": "Situation awareness and contingency",
    "synthesis": "Synthesis by receiver",
}
TITLES_ZH = {
    "subjective": "主观资料", "objective": "客观资料", "assessment": "评估", "plan": "计划",
    "allergies": "过敏史", "medications": "用药", "follow_up": "复诊",
    "problems": "问题列表", "current_medications": "目前用药", "stopped_medications": "已停用药物",
    "results": "主要结果及趋势", "last_plan": "最近计划", "visits": "就诊次数", "events": "病程",
    "patient": "患者", "reason": "转诊原因", "triage": "分诊级别及危险征象", "findings": "检查所见",
    "treatment_given": "已给予治疗", "request": "转诊请求", "course": "病程",
    "diagnoses": "诊断（医生已确认）",
    "illness_severity": "病情严重程度", "patient_summary": "患者概要", "action_list": "待办事项",
    "situation_awareness": "情况预判及应对", "synthesis": "接收方复述",
}
# The text of a note summary or a history uses short headings (a note's SOAP letters); the GUI
# and the JSON keep the full titles above.
COMPACT_TITLES = {
    ("note", "en"): {"subjective": "S", "objective": "O", "assessment": "A", "plan": "P", "follow_up": "F/U"},
    ("history", "en"): {"problems": "Diagnoses", "current_medications": "Medications", "stopped_medications": "Stopped",
                        "results": "Results", "last_plan": "Open", "follow_up": "F/U"},
    # (a Chinese note's own headings: 病史 / 查体 / 评估 / 处理)
    ("note", "zh"): {"subjective": "病史", "objective": "查体", "plan": "处理"},
    ("history", "zh"): {"visits": "就诊", "problems": "诊断", "current_medications": "用药",
                        "stopped_medications": "已停药", "results": "结果", "last_plan": "待办", "follow_up": "复诊"},
}
NONE_RECORDED = {"en": "None recorded.", "zh": "未记录。"}


@dataclass(slots=True)
class Line:
    text: str
    sources: list[Span] = field(default_factory=list)
    critical: bool = False
    origin: str = "skeleton"          # skeleton | llm | restored

    def as_dict(self, docs: list[str]) -> dict:
        return {
            "sentence": self.text, "origin": self.origin, "critical": self.critical,
            "spans": [{**s.located(), "text": docs[s.doc][s.start:s.end] if s.doc < len(docs) else ""}
                      for s in self.sources],
        }


@dataclass(slots=True)
class DroppedSentence:
    section: str
    text: str
    reasons: list[str]


@dataclass(slots=True)
class Summary:
    kind: str                          # note | history | referral | handover
    lang: str                          # en | zh
    sections: dict[str, list[Line]]
    docs: list[str]                    # source documents (one note, or one per visit)
    dropped: list[DroppedSentence] = field(default_factory=list)
    llm_used: bool = False
    prompt_id: str = ""
    prompt_version: str = ""
    warnings: list[str] = field(default_factory=list)
    triage: str | None = None          # letters: the assessment's triage level of the same note
    model_problem: str = ""            # why the language model was wanted but not used
    # what a heading says for all its lines, said once ("Medications (since 2024-02-12 unless dated)")
    title_notes: dict[str, str] = field(default_factory=dict)

    def title(self, key: str) -> str:
        return self._noted(key, (TITLES_ZH if self.lang == "zh" else TITLES_EN).get(key, key))

    def text_title(self, key: str) -> str:
        """The heading in the text: short, as clinicians write them ("S:", "Stopped:")."""
        compact = COMPACT_TITLES.get((self.kind, "zh" if self.lang == "zh" else "en"), {}).get(key)
        return self._noted(key, compact) if compact else self.title(key)

    def _noted(self, key: str, title: str) -> str:
        note = self.title_notes.get(key)
        return (f"{title}（{note}）" if self.lang == "zh" else f"{title} ({note})") if note else title

    def section_text(self, key: str) -> str:
        lines = self.sections.get(key) or []
        if not lines:
            return NONE_RECORDED[self.lang]
        if key in _LIST_SECTIONS:
            return "\n".join(_as_sentence(ln.text, self.lang, key) for ln in lines)
        # sentences run on as written: a Chinese sentence ends with its "。", no space after it
        out = ""
        for ln in lines:
            sentence = _as_sentence(ln.text, self.lang, key)
            out += ("" if not out or out.endswith(("。", "！", "？", "；")) else " ") + sentence
        return out

    @property
    def text(self) -> str:
        """The whole summary as a clinician reads it."""
        sep = "：" if self.lang == "zh" else ": "
        blocks = []
        for key in self.sections:
            if key in _SAID_WHEN_EMPTY_ONLY_IN_JSON.get(self.kind, ()) and not self.sections.get(key):
                continue     # an empty heading says nothing (the allergy status always shows)
            body = self.section_text(key)
            if (self.kind, key) in _ONE_A_LINE and self.sections.get(key):
                # a history's timeline: one line a visit, as a clinician reads a course of care
                blocks.append(self.text_title(key) + sep.rstrip() + "\n" + "\n".join(
                    ln.text.strip() for ln in self.sections[key]))
            elif key in _LIST_SECTIONS and self.sections.get(key) and self.kind in _INLINE_LISTS:
                # a note or a history is read at a glance: a list is one line, items apart by ";"
                blocks.append(self.text_title(key) + sep + ("；" if self.lang == "zh" else "; ").join(
                    ln.text.strip().rstrip("；;") for ln in self.sections[key]))
            elif key in _LIST_SECTIONS and self.sections.get(key):
                blocks.append(self.title(key) + sep.rstrip() + "\n" + "\n".join(
                    "- " + ln.text for ln in self.sections[key]))
            else:
                blocks.append(self.text_title(key) + sep + body)
        return "\n".join(blocks)

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "sections": {k: [ln.text for ln in v] or [NONE_RECORDED[self.lang]]
                         for k, v in self.sections.items()},
        }

    def sources_json(self) -> list[dict]:
        out = []
        for key, lines in self.sections.items():
            for ln in lines:
                out.append({"section": key, **ln.as_dict(self.docs)})
        return out

    def verification(self) -> dict:
        lines = [ln for v in self.sections.values() for ln in v]
        return {
            "checked": self.llm_used,
            "dropped_sentences": len(self.dropped),
            "llm_sentences_kept": sum(1 for ln in lines if ln.origin == "llm"),
            "restored_lines": sum(1 for ln in lines if ln.origin == "restored"),
            "dropped": [{"section": d.section, "reasons": d.reasons} for d in self.dropped],
        }


# Sections whose heading is left out of a summary's text when they are empty, by kind.
# (A note summary's allergy status always shows, "None recorded" included: a reader must see that
# none was written. An empty medication list is a heading that says nothing: left out, issue 13.)
_SAID_WHEN_EMPTY_ONLY_IN_JSON = {"note": frozenset({"subjective", "objective", "assessment", "plan", "follow_up",
                                                    "medications"}),
                                 "history": frozenset({"problems", "events", "stopped_medications", "results", "last_plan",
                                                       "follow_up"})}
# Sections printed one item a line under their heading (a history's timeline: one line a visit).
_ONE_A_LINE = frozenset({("history", "events")})
# Kinds whose lists print on one line (letters keep one item a line, as printed).
_INLINE_LISTS = frozenset({"note", "history"})
_LIST_SECTIONS = {"medications", "allergies", "current_medications", "stopped_medications", "events",
                  "results", "problems", "follow_up", "treatment_given", "action_list", "triage", "diagnoses",
                  "illness_severity", "situation_awareness"}


def _as_sentence(text: str, lang: str, key: str) -> str:
    text = text.strip()
    if key in _LIST_SECTIONS or not text:
        return text
    if text[-1] in ".!?。！？":
        return text
    return text + ("。" if lang == "zh" else ".")
