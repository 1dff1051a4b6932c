"""Medications with dose, unit, route, frequency and duration (English and Chinese).

Frequencies and units are normalised to one canonical form so that "500mg BD",
"500 mg bid" and "500 mg twice daily" compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.summarize.lexicon import NOT_DRUGS, find_drugs
from lantern.clinical.summarize.text import Span

# --- units -------------------------------------------------------------------------
_UNIT_ALIASES = {
    "mg/kg": "mg/kg", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "ug": "mcg", "mg": "mg", "g": "g",
    "gm": "g", "grams": "g", "ml": "ml", "mls": "ml", "iu": "IU", "units": "units", "unit": "units",
    "u": "units", "mmol": "mmol", "tab": "tab", "tabs": "tab", "tablet": "tab", "tablets": "tab",
    "cap": "cap", "caps": "cap", "capsule": "cap", "capsules": "cap", "puff": "puff", "puffs": "puff",
    "drop": "drop", "drops": "drop", "l": "L", "litre": "L", "liter": "L", "sachet": "sachet",
    "sachets": "sachet", "%": "%", "vial": "vial", "vials": "vial", "amp": "ampoule",
    "amps": "ampoule", "ampoule": "ampoule", "ampoules": "ampoule",
    "毫克": "mg", "克": "g", "微克": "mcg", "毫升": "ml", "片": "tab", "粒": "cap", "袋": "sachet",
    "支": "ampoule", "单位": "units", "喷": "puff", "滴": "drop", "升": "L",
}
_UNIT_RE = (r"mg/kg|mcg|µg|μg|ug|mg|gm|grams|g|mls|ml|iu|units?|u|tablets?|tabs?|capsules?|"
            r"caps?|puffs?|drops?|vials?|amps?|ampoules?|litre|liter|l|sachets?|%|毫克|微克|克|毫升|片|粒|袋|支|单位|喷|滴|升")
DOSE_RE = re.compile(
    rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:-|–|to)?\s*(?:(\d+(?:\.\d+)?)\s*)?({_UNIT_RE})(?![A-Za-z]|\s*/\s*d?l\b)",
    re.IGNORECASE,
)


def norm_unit(unit: str) -> str:
    return _UNIT_ALIASES.get(unit.lower(), unit.lower())


def dose_in_mg(value: float, unit: str) -> tuple[float, str]:
    """Mass doses compared in mg (0.5 g == 500 mg); other units unchanged."""
    unit = norm_unit(unit)
    if unit == "g":
        return value * 1000, "mg"
    if unit == "mcg":
        return value / 1000, "mg"
    return value, unit


# --- frequency ---------------------------------------------------------------------
_FREQ_PATTERNS: list[tuple[str, str]] = [
    ("four times daily", r"\bqid\b|\bq\.i\.d\.?|\bqds\b|four times (?:a|per) day|four times daily|"
                         r"\b6[- ]?hourly\b|\bq6h\b|every 6 hours|每日四次|一日四次|每日4次|一日4次|每天4次|每天四次"),
    ("three times daily", r"\btds\b|\btid\b|\bt\.i\.d\.?|\bt\.d\.s\.?|three times (?:a|per) day|"
                          r"three times daily|thrice daily|\b8[- ]?hourly\b|\bq8h\b|every 8 hours|"
                          r"每日三次|一日三次|每日3次|一日3次|每天3次|每天三次|日三次"),
    ("twice daily", r"\bbd\b|\bbid\b|\bb\.i\.d\.?|\bb\.d\.?(?![A-Za-z])|twice (?:a|per) day|twice daily|"
                    r"two times (?:a|per) day|\b12[- ]?hourly\b|\bq12h\b|every 12 hours|"
                    r"每日两次|一日两次|每日二次|一日二次|每日2次|一日2次|每天2次|每天两次|日两次"),
    ("once daily", r"\bod\b|\bqd\b|\bo\.d\.?(?![A-Za-z])|once (?:a|per) day|once daily|\bdaily\b|"
                   r"\bmane\b|every morning|\b24[- ]?hourly\b|\bq24h\b|每日一次|一日一次|每日1次|一日1次|"
                   r"每天1次|每天一次|每日|每天"),
    ("at night", r"\bnocte\b|\bqhs\b|\bhs\b|at night|at bedtime|每晚|睡前"),
    ("as needed", r"\bprn\b|\bp\.r\.n\.?|as needed|as required|when required|if needed|必要时|需要时"),
    ("once (stat)", r"\bstat\b|immediately|single dose|once only|立即|立刻|顿服"),
    ("weekly", r"\bweekly\b|once a week|每周一次|每周"),
    ("every 4 hours", r"\b4[- ]?hourly\b|\bq4h\b|every 4 hours|每4小时"),
]
_FREQ_RES = [(canon, re.compile(p, re.IGNORECASE)) for canon, p in _FREQ_PATTERNS]

FREQ_ZH = {
    "four times daily": "每日四次", "three times daily": "每日三次", "twice daily": "每日两次",
    "once daily": "每日一次", "at night": "每晚", "as needed": "必要时", "once (stat)": "立即（单次）",
    "weekly": "每周一次", "every 4 hours": "每4小时",
}


def split_frequency(canon: str) -> list[str]:
    """A combined frequency ("three times daily as needed") as its canonical parts."""
    if canon.endswith(" as needed") and canon != "as needed":
        return [canon[: -len(" as needed")], "as needed"]
    return [canon]


def find_frequencies(text: str) -> list[tuple[str, int, int]]:
    """Canonical frequencies found in ``text`` as ``(canon, start, end)``; no overlaps."""
    found: list[tuple[str, int, int]] = []
    for canon, rx in _FREQ_RES:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for _, s, e in found):
                continue
            found.append((canon, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


# --- route -------------------------------------------------------------------------
_ROUTES = [
    ("oral", r"\bpo\b|\bp\.o\.?|\boral(?:ly)?\b|by mouth|口服"),
    ("IV", r"\biv\b|\bi\.v\.?|intravenous(?:ly)?|静脉|静滴|静注"),
    ("IM", r"\bim\b|\bi\.m\.?|intramuscular(?:ly)?|肌注|肌肉注射"),
    ("SC", r"\bsc\b|\bs/c\b|subcut(?:aneous(?:ly)?)?|皮下"),
    ("inhaled", r"\binhaled?\b|\binhaler\b|\bneb(?:ulised|ulized|s)?\b|吸入|雾化"),
    ("topical", r"\btopical(?:ly)?\b|\bcream\b|\bointment\b|外用|外涂"),
    ("rectal", r"\bpr\b|\brectal(?:ly)?\b|直肠|肛塞"),
    ("sublingual", r"\bsl\b|sublingual(?:ly)?|舌下"),
]
_ROUTE_RES = [(canon, re.compile(p, re.IGNORECASE)) for canon, p in _ROUTES]
ROUTE_ZH = {"oral": "口服", "IV": "静脉", "IM": "肌注", "SC": "皮下", "inhaled": "吸入",
            "topical": "外用", "rectal": "直肠", "sublingual": "舌下"}

_DURATION_RE = re.compile(
    r"(?:\bx\s*|for\s+|×\s*|共|连用|用)(\d+)\s*(days?|d\b|/7|weeks?|wks?|/52|months?|天|日|周|个月)", re.IGNORECASE)
_STOPPED_RE = re.compile(
    r"\b(?:stop(?:ped)?|discontinue[d]?|d/c'?d?|cease[d]?|held|withh[eo]ld)\b|停用|停药|已停|停止|停服", re.I)
_GIVEN_RE = re.compile(r"\b(?:given|administered|received|gave|stat|started at|commenced)\b|"
                       r"已给|已予|给予|已用|立即|开始", re.I)
_TIME_RE = re.compile(r"(?<![\d:])(\d{1,2}:\d{2})(?![\d:])|\b(\d{4})\s*(?:h|hrs)\b|(\d{1,2})点")
_NEG_MED_RE = re.compile(r"\b(?:no|not on|nil|denies)\b[^.;\n]{0,20}$|未用|未服|没有用", re.I)


@dataclass(slots=True)
class Medication:
    name: str                  # as written in the note
    canonical: str | None      # lexicon key, None for unknown names
    dose: str = ""             # "500 mg" (normalised spacing, unit as canonical)
    route: str = ""            # canonical route
    frequency: str = ""        # canonical frequency
    duration: str = ""         # "5 days" as written (normalised spacing)
    status: str = "current"    # current | stopped | given
    time: str = ""             # time of administration when recorded ("14:30")
    spans: list[Span] = field(default_factory=list)
    doc: int = 0

    @property
    def key(self) -> str:
        return self.canonical or self.name.lower()

    def render(self, lang: str = "en") -> str:
        parts = [self.name]
        if self.dose:
            parts.append(self.dose)
        if self.route:
            parts.append(ROUTE_ZH.get(self.route, self.route) if lang == "zh" else self.route)
        if self.frequency:
            parts.append("".join(FREQ_ZH.get(f, f) for f in split_frequency(self.frequency))
                         if lang == "zh" else self.frequency)
        if self.duration:
            parts.append(("共" + self.duration) if lang == "zh" else "for " + self.duration)
        text = " ".join(parts)
        if self.time:
            text += (f"（{self.time}）" if lang == "zh" else f" at {self.time}")
        if self.status == "stopped":
            text += "（已停用）" if lang == "zh" else " (stopped)"
        elif self.status == "given":
            text += "（已给予）" if lang == "zh" else " (given)"
        return text


def _fmt_dose(m: re.Match) -> str:
    unit = norm_unit(m.group(3))
    sep = "" if unit == "%" else " "
    if m.group(2):
        return f"{m.group(1)}-{m.group(2)}{sep}{unit}"
    return f"{m.group(1)}{sep}{unit}"


def _fmt_duration(m: re.Match) -> str:
    unit = m.group(2).lower()
    zh = {"天": "天", "日": "天", "周": "周", "个月": "个月"}
    if unit in zh:
        return f"{m.group(1)}{zh[unit]}"
    unit = {"d": "days", "/7": "days", "wk": "weeks", "wks": "weeks", "/52": "weeks"}.get(unit, unit)
    if m.group(1) == "1":
        unit = unit.rstrip("s")
    elif not unit.endswith("s"):
        unit += "s"
    return f"{m.group(1)} {unit}"


_UNKNOWN_DRUG_RE = re.compile(
    r"(?<![A-Za-z])([A-Z][a-z]{3,})\s+(?=\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|iu|units)\b)",
    re.IGNORECASE)


def extract_medications(text: str, *, exclude: list[tuple[int, int]] | None = None,
                        doc: int = 0, base: int = 0) -> list[Medication]:
    """Medication mentions in ``text``. ``exclude`` ranges (e.g. allergy phrases) are skipped.

    ``base`` is added to every span (the offset of ``text`` in its document).
    """
    exclude = exclude or []
    mentions = [(c, s, e) for c, s, e in find_drugs(text)
                if not any(s < xe and xs < e for xs, xe in exclude)]
    known_ranges = [(s, e) for _, s, e in mentions]
    for m in _UNKNOWN_DRUG_RE.finditer(text):
        word = m.group(1)
        if word.lower() in NOT_DRUGS or any(m.start(1) < e and s < m.end(1) for s, e in known_ranges):
            continue
        if any(m.start(1) < xe and xs < m.end(1) for xs, xe in exclude):
            continue
        mentions.append((None, m.start(1), m.end(1)))
    mentions.sort(key=lambda x: x[1])

    meds: list[Medication] = []
    for i, (canon, s, e) in enumerate(mentions):
        nxt = mentions[i + 1][1] if i + 1 < len(mentions) else len(text)
        end = min(nxt, _clause_end(text, e))
        window = text[e:end]
        before = text[max(0, s - 40):s]
        line_start = max(text.rfind("\n", 0, s), text.rfind(".", 0, s - 1) if s > 1 else -1) + 1
        if _NEG_MED_RE.search(text[line_start:s]):
            continue
        med = Medication(name=text[s:e], canonical=canon, doc=doc)
        if (m := DOSE_RE.search(window)) and not _too_far(window, m.start()):
            med.dose = _fmt_dose(m)
        elif (m := DOSE_RE.search(before)) and before[m.end():].strip() == "":
            med.dose = _fmt_dose(m)  # Chinese style "0.5g阿莫西林" is rare; keeps "2 tabs paracetamol"
        for canon_route, rx in _ROUTE_RES:
            if rx.search(window) or rx.search(before[-8:]):
                med.route = canon_route
                break
        freqs = find_frequencies(window)
        if freqs:
            med.frequency = freqs[0][0]
            if len(freqs) > 1 and freqs[1][0] == "as needed" and med.frequency != "as needed":
                med.frequency += " as needed"
        if (m := _DURATION_RE.search(window)):
            med.duration = _fmt_duration(m)
        sentence_end = _sentence_end(text, e)
        context = text[max(line_start, s - 30):min(nxt, sentence_end)]
        if _STOPPED_RE.search(context):
            med.status = "stopped"
        elif _GIVEN_RE.search(context) or med.frequency == "once (stat)":
            med.status = "given"
        if (t := _TIME_RE.search(window)):
            med.time = t.group(1) or t.group(2) or (t.group(3) + "点")
        if canon is None and not med.dose:
            continue
        med.spans = [Span(base + s, base + end, doc)]
        meds.append(med)
    return _dedupe(meds)


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"\n|\.(?=\s|$)|(?<!\d)\.(?!\d)|;|。|；|,\s*(?=[A-Za-z\u4e00-\u9fff]{3,}\s+\d)").search(text, pos)
    return m.start() if m else len(text)


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"\n|\.(?=\s|$)|;|。|；").search(text, pos)
    return m.start() if m else len(text)


def _too_far(window: str, idx: int) -> bool:
    return idx > 25


def _dedupe(meds: list[Medication]) -> list[Medication]:
    """One entry per drug: later, more complete mentions update earlier ones."""
    by_key: dict[str, Medication] = {}
    order: list[str] = []
    for med in meds:
        prev = by_key.get(med.key)
        if prev is None:
            by_key[med.key] = med
            order.append(med.key)
            continue
        if med.dose and prev.dose and med.dose != prev.dose and med.status == prev.status:
            # A genuinely different dose (e.g. a change): keep both.
            key = f"{med.key}#{len(order)}"
            by_key[key] = med
            order.append(key)
            continue
        for attr in ("dose", "route", "frequency", "duration", "time"):
            if not getattr(prev, attr) and getattr(med, attr):
                setattr(prev, attr, getattr(med, attr))
        if med.status == "stopped":
            prev.status = "stopped"
        prev.spans.extend(med.spans)
    return [by_key[k] for k in order]
