"""Danger signs and triage level for referral letters.

The diagnosis pipeline's triage is used when it is importable; this module's
small rule set is the fallback, so a referral always states a level. Negated
mentions ("no convulsions", "无抽搐") never count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.clinical.language.results import VitalReading
from lantern.clinical.language.text import Span

_EMERGENCY_TERMS = (
    r"convuls\w*|seizur\w*|fitting|unconscious\w*|unresponsive|coma\b|lethargic|lethargy|"
    r"unable to (?:drink|breastfeed|feed)|not able to drink|vomit\w* everything|"
    r"chest indrawing|stridor|severe respiratory distress|cyanos\w*|central cyanosis|"
    r"heavy (?:vaginal )?bleeding|haemorrhage|hemorrhage|stiff neck|neck stiffness|"
    r"altered (?:consciousness|mental status)|confus\w*|facial droop|slurred speech|"
    r"weakness of (?:the )?(?:left|right)|hemiparesis|anaphyla\w*|systemic envenoming|"
    r"bleeding (?:from )?gums|blood not clotted|not clotting|coagulopathy|shock\b|"
    r"obstructed labou?r|prolonged (?:second stage|labou?r)|uterine rupture|ruptured uterus|f(?:o)?etal distress|"
    r"cord prolapse|(?<!pre-)(?<!pre)eclampsia|severe pre-?eclampsia|ante-?partum ha?emorrhage|"
    r"post-?partum ha?emorrhage|\bAPH\b|\bPPH\b|retained placenta|sepsis|septic\b|diabetic ketoacidosis|\bDKA\b|"
    r"severe dehydration|cerebral malaria|severe malaria|hypoglyc(?:a)?emi\w*|acute stroke|suspected stroke|"
    r"梗阻性难产|产程停滞|子宫破裂|胎儿窘迫|脐带脱垂|子痫(?!前期)|重度子痫前期|产后出血|产前出血|胎盘滞留|脓毒症|"
    r"酮症酸中毒|重度脱水|脑型疟|重症疟疾|低血糖|急性脑卒中|急性脑梗死|"
    r"抽搐|惊厥|昏迷|意识不清|意识障碍|嗜睡|不能饮水|不能吃奶|呕吐一切|胸凹陷|胸廓凹陷|喘鸣|发绀|"
    r"大出血|阴道大量出血|颈项强直|颈强直|口角歪斜|偏瘫|过敏性休克|休克|意识模糊|牙龈出血|凝血障碍"
)
_URGENT_TERMS = (
    r"fast breathing|severe pallor|some dehydration|blood in (?:the )?stool|bloody diarrh\w*|"
    r"severe pain|ear discharge|rdt positive|positive rdt|pre-?eclampsia|gangrene|"
    r"jaundice[d]?|(?:drug[- ]induced )?hepatitis|hepatotoxic\w*|"
    r"呼吸急促|重度苍白|脱水|血便|剧烈疼痛|疟疾快速检测阳性|子痫前期|坏疽|黄疸|药物性肝(?:炎|损伤|损害)"
)
_EMERG_RE = re.compile(_EMERGENCY_TERMS, re.IGNORECASE)
_URGENT_RE = re.compile(_URGENT_TERMS, re.IGNORECASE)
_NEG_BEFORE = re.compile(r"(?:\bno\b|\bnot\b|\bdenies\b|\bwithout\b|\bnil\b|\bnegative for\b|无|否认|未见|未|没有)"
                         r"[^.;,\n。；，]{0,25}$", re.IGNORECASE)
LEVELS = ("routine", "urgent", "emergency")
_THRESHOLD = re.compile(
    r"\s*(?:>=|<=|≥|≤|<|>|\bbelow|\babove|\bover|\bunder|\bat least|低于|高于|超过|大于|小于|不足|达到)\s*"
    r"\d+(?:\.\d+)?(?:\s*/\s*\d+)?\s*"
    r"(?:%|°\s*C|℃|mmHg|mmol/L|/min|mm|kg|g/dL|years?|months?|s\b|次/分|次/min|秒|岁|个月|周)?", re.IGNORECASE)
_PREGNANT = re.compile(r"\bpregnan\w*|\bG\d+\s*P\d+|\b\d{1,2}\s*(?:weeks?|/40)\s*(?:gestation|pregnant)?\b.*\bG\d|"
                       r"\bat \d{1,2} weeks\b|\bgestation|孕\d|妊娠|怀孕", re.IGNORECASE)
LEVELS_ZH = {"routine": "常规", "urgent": "紧急", "emergency": "危急"}


@dataclass(slots=True)
class DangerSign:
    text: str
    level: str
    span: Span | None


# The referring clinician's own word for the urgency ("refer for emergency C/S", "转急诊").
_STATED_RE = re.compile(r"(?<![-\w])(?:emergency|emergent|urgent(?:ly)?|asap|immediately)\b|紧急|急诊|立即转|尽快转",
                        re.IGNORECASE)
_STATED_NEG = re.compile(r"(?:\bnon-?|\bnot\s+|\bno\s+)$|非$|不$", re.IGNORECASE)


def find_danger_signs(note: str, vitals: list[VitalReading], *, doc: int = 0,
                      age_years: float | None = None,
                      exclude: list[tuple[int, int]] | None = None) -> list[DangerSign]:
    """Danger signs in ``note``; text inside ``exclude`` ranges (allergy statements, where
    "anaphylaxis" is a past reaction, not today's sign) does not count."""
    exclude = exclude or []
    signs: list[DangerSign] = []
    for rx, level in ((_EMERG_RE, "emergency"), (_URGENT_RE, "urgent")):
        for m in rx.finditer(note):
            if _NEG_BEFORE.search(note[max(0, m.start() - 40):m.start()]):
                continue
            if any(s <= m.start() < e for s, e in exclude):
                continue
            if any(s.text.lower() == m.group(0).lower() for s in signs):
                continue
            if any(s.span and s.span.start <= m.start() and m.end() <= s.span.end for s in signs):
                continue  # "脱水" inside "重度脱水": already counted at the higher level
            signs.append(DangerSign(m.group(0), level, Span(m.start(), m.end(), doc=doc)))
    pregnant = bool(_PREGNANT.search(note))
    for v in vitals:
        level = _vital_level(v, age_years)
        if pregnant and v.name == "bp" and (v.numbers()[0] >= 160 or v.numbers()[1] >= 110):
            level = "emergency"
        if level != "routine":
            signs.append(DangerSign(v.render("en").replace(" (!)", ""), level, v.span))
    return signs


def _vital_level(v: VitalReading, age_years: float | None) -> str:
    nums = v.numbers()
    if not nums:
        return "routine"   # a text value (gravida/para, EDD) is no danger sign by itself
    adult = age_years is None or age_years >= 12
    if v.name == "spo2" and nums[0] < 90:
        return "emergency"
    if v.name == "bp" and adult and (nums[0] < 90 or nums[0] >= 180 or nums[1] >= 120):
        return "emergency" if nums[0] < 90 else "urgent"
    if v.name == "rr" and adult and nums[0] >= 30:
        return "emergency"
    if v.name == "rr" and not adult and age_years is not None:
        fast = 60 if age_years < 1 / 6 else 50 if age_years < 1 else 40 if age_years < 5 else 30
        if nums[0] >= fast:
            return "emergency" if age_years < 1 / 6 else "urgent"
    if v.name == "glucose" and (nums[0] < 3 or nums[0] >= 15):
        return "urgent"
    if v.name == "temp" and nums[0] >= 39:
        return "urgent"
    if v.name == "bp" and adult and (nums[0] >= 160 or nums[1] >= 110):
        return "urgent"
    return "routine"


def stated_urgency(note: str, *, doc: int = 0) -> list[DangerSign]:
    """Urgency the note itself states in a referral or transfer sentence."""
    out: list[DangerSign] = []
    for m in _STATED_RE.finditer(note):
        if _STATED_NEG.search(note[max(0, m.start() - 5):m.start()]):
            continue
        start = max(note.rfind(ch, 0, m.start()) for ch in ".;\n。；") + 1
        ends = [i for i in (note.find(ch, m.end()) for ch in ".;\n。；") if i != -1]
        end = min(ends) if ends else len(note)
        sentence = note[start:end].strip()
        if not re.search(r"refer|transfer|转|送|hospital|医院", sentence, re.IGNORECASE):
            continue
        word = m.group(0).lower()
        level = "emergency" if word in ("emergency", "emergent", "紧急", "急诊", "立即转") else "urgent"
        lead = len(note[start:end]) - len(note[start:end].lstrip())
        out.append(DangerSign(sentence, level, Span(start + lead, start + lead + len(sentence), doc=doc)))
    return out


# The clinician's own statement that the referral is NOT urgent ("Non-urgent", "routine
# referral", "elective", "非紧急", "择期", "常规转诊"). "no urgent signs" is not such a statement.
_STATED_ROUTINE_RE = re.compile(
    r"(?<![-\w])(?:non-?\s?urgent|not\s+urgent(?!\s+(?:sign|feature|finding))|"
    r"routine(?=\s+(?:referral|review|appointment|clinic|outpatient|follow))|"
    r"(?<=refer\s)routinely|(?<=referred\s)routinely|elective(?:ly)?(?=\s+(?:referral|review|"
    r"appointment|clinic|outpatient|surgery|repair|admission|assessment)))\b|"
    r"非紧急|非急诊|不紧急|择期|常规转诊|常规门诊|门诊随诊转诊",
    re.IGNORECASE)


def _sentence_of(note: str, start: int, end: int) -> tuple[int, int]:
    s = max(note.rfind(ch, 0, start) for ch in ".;\n。；") + 1
    ends = [i for i in (note.find(ch, end) for ch in ".;\n。；") if i != -1]
    e = min(ends) if ends else len(note)
    while s < e and note[s].isspace():
        s += 1
    while e > s and note[e - 1].isspace():
        e -= 1
    return s, e


def stated_level(note: str, *, doc: int = 0) -> DangerSign | None:
    """The urgency level the referring clinician states, with the sentence that states it:
    the most urgent of "urgent"/"emergency" statements, else a "non-urgent"/"routine
    referral" statement, else ``None`` (the clinician stated no level)."""
    stated = stated_urgency(note, doc=doc)
    if stated:
        return max(stated, key=lambda s: LEVELS.index(s.level))
    for m in _STATED_ROUTINE_RE.finditer(note):
        if re.search(r"\b(?:no|without)\s+$", note[max(0, m.start() - 8):m.start()], re.IGNORECASE):
            continue
        start, end = _sentence_of(note, m.start(), m.end())
        return DangerSign(note[start:end], "routine", Span(start, end, doc=doc))
    return None


def triage_level(signs: list[DangerSign]) -> str:
    best = "routine"
    for s in signs:
        if LEVELS.index(s.level) > LEVELS.index(best):
            best = s.level
    return best


def _not_in_note(label: str, note: str) -> bool:
    from lantern.clinical.language.claims import claims_of
    got, src = claims_of(label), claims_of(note)
    numbers = src.numbers | {n for n, _ in src.doses}
    return bool(got.numbers - numbers or got.doses - src.doses or got.drugs - src.drugs - src.allergies)


def pipeline_triage(note: str, age_years: float | None,
                    lang: str = "en") -> tuple[str, list[tuple[str, Span | None]]] | None:
    """Level and firing danger-sign rules from the diagnosis pipeline, when installed."""
    try:
        from lantern.clinical.knowledge import load_knowledge
        from lantern.clinical.language.findings import extract_findings
        from lantern.clinical.triage import triage
    except ImportError:
        return None
    try:
        kb = load_knowledge()
        result = triage(extract_findings(note, age_years=age_years, kb=kb), kb, age_years=age_years)
    except Exception:  # noqa: BLE001 - the fallback rules still give a level
        return None
    signs = []
    level = "routine"
    for sign in result.signs:
        if age_years is None and (sign.rule.age_min_years is not None or sign.rule.age_max_years is not None):
            continue  # an age-bound rule cannot be judged without the age
        label = sign.rule.label_zh if lang == "zh" and sign.rule.label_zh else sign.rule.label_en
        spans = [f.span for f in sign.evidence if f.span is not None]
        span = Span(spans[0].start, spans[0].end) if spans else None
        if _THRESHOLD.search(label):
            # Rule thresholds are not patient facts: show the note's own value instead.
            label = re.sub(r"\s+", " ", _THRESHOLD.sub(" ", label)).strip(" ,;")
            label = re.sub(r"\s+([)）])", r"\1", re.sub(r"([(（])\s+", r"\1", label))
            label = re.sub(r"[(（]\s*[)）]", "", label).strip()   # "低血压(成人收缩压<90)" → "低血压(成人收缩压)"
            if span is not None:
                label += f" ({note[span.start:span.end].strip()})"
        if re.search(r"\d", label) and span is not None and not re.search(r"\d", note[span.start:span.end]):
            label = note[span.start:span.end]
        if span is not None and _not_in_note(label, note):
            # "Low oxygen saturation (90-93%)": a rule's range or wording the note does not have
            # (numbers, drug names) is no patient fact; the note's own words are shown.
            label = note[span.start:span.end].strip()
        signs.append((label, span))
        if sign.rule.level in LEVELS and LEVELS.index(sign.rule.level) > LEVELS.index(level):
            level = sign.rule.level
    return level, signs
