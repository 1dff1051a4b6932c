"""Medications with dose, unit, route, frequency and duration (English and Chinese).

Frequencies and units are normalised to one canonical form so that "500mg BD",
"500 mg bid" and "500 mg twice daily" compare equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.language.drugs import NOT_DRUGS, find_drugs
from lantern.clinical.language.text import Span
from lantern.clinical.language.vitals import SATURATION_AFTER_O2
from lantern.clinical.language.vocabulary import load_medication_terms

# The unit, frequency and route tables are data: resources/language/medication_terms.toml,
# loaded once and validated by lantern.clinical.language.vocabulary.
_TERMS = load_medication_terms()

# --- units -------------------------------------------------------------------------
_UNIT_ALIASES = _TERMS.unit_aliases
_UNIT_RE = _TERMS.unit_pattern
# (a dose sits on one line: "11:08\n- 10% dextrose" is a time, then a list item's dose, not a range)
DOSE_RE = re.compile(
    # (not a concentration: "85 g/L", "5 μg/L偏低" - a Chinese word may follow the litre)
    rf"(?<![\d.A-Za-z])(\d+(?:\.\d+)?)[ \t]*(?:(?:-|–|to)[ \t]*(\d+(?:\.\d+)?)[ \t]*)?({_UNIT_RE})(?![A-Za-z]|\s*/\s*d?l(?![A-Za-z]))",
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
_FREQ_PATTERNS: list[tuple[str, str]] = [(t.canonical, t.pattern) for t in _TERMS.frequencies]
# ASCII word boundaries: a Chinese character is no letter ("1g tid口服" writes "tid")
_FREQ_RES = [(canon, re.compile(p, re.IGNORECASE | re.ASCII)) for canon, p in _FREQ_PATTERNS]

FREQ_ZH = {t.canonical: t.zh for t in _TERMS.frequencies}
# The abbreviation clinicians write ("BD"), for compact English text; the canonical words otherwise.
FREQ_SHORT = {t.canonical: t.short or t.canonical for t in _TERMS.frequencies}


def split_frequency(canon: str) -> list[str]:
    """A combined frequency ("three times daily as needed") as its canonical parts."""
    if canon.endswith(" as needed") and canon != "as needed":
        return [canon[: -len(" as needed")], "as needed"]
    return [canon]


# A frequency written as a Latin abbreviation ("qd", "bid", "q8h", "qn", "prn").
_LATIN_FREQ = re.compile(r"q\.?\d{1,2}h|[A-Za-z]{1,3}(?:\.[A-Za-z]{1,2}){0,2}\.?", re.IGNORECASE)


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
_ROUTES = [(t.canonical, t.pattern) for t in _TERMS.routes]
_ROUTE_RES = [(canon, re.compile(p, re.IGNORECASE)) for canon, p in _ROUTES]
ROUTE_ZH = {t.canonical: t.zh for t in _TERMS.routes}

def find_routes(text: str) -> list[tuple[str, int, int]]:
    """Routes of administration written in ``text`` as ``(canon, start, end)``."""
    return sorted((canon, m.start(), m.end()) for canon, rx in _ROUTE_RES for m in rx.finditer(text))


# Where another item begins in a clause ("O2 and IV antibiotics", "ORS + IV fluids").
_CONJ_RE = re.compile(r"\s(?:and|&|plus|\+)\s|[和及与并]", re.IGNORECASE)
_O2_DEVICE_RE = re.compile(r"nasal\s+(?:prongs?|cannula[e]?|catheter)|(?:non-?rebreather|face|venturi|simple)?\s?mask|"
                           r"head\s?box|鼻导管|鼻塞|面罩|储氧面罩|头罩", re.IGNORECASE)

_DURATION_RE = re.compile(
    r"(?:\bx\s*|for\s+|×\s*|共|连用|用)(\d+)\s*(days?|d\b|/7|weeks?|wks?|/52|months?|天|日|周|个月)", re.IGNORECASE)
_FORM_RE = re.compile(r"(?:钙|钠|钾|镁)?(?:肠溶|缓释|控释|分散|咀嚼|泡腾)?(?:片|胶囊|注射液|颗粒|口服液|混悬液|干混悬剂|"
                      r"糖浆|气雾剂|吸入剂|滴丸|软膏|乳膏)|\s(?:SR|XL|MR|CR|ER|XR|LA|EC|retard)\b")
_BARE_DURATION_RE = re.compile(r"\s*,?\s*(\d+)\s*(days?|d\b|/7|weeks?|wks?|/52|months?|天|日|周|个月)", re.IGNORECASE)
_STOPPED_RE = re.compile(
    r"\b(?:stop(?:ped|s)?|discontinue[ds]?|d/c'?d?|cease[ds]?|held|hold|withh[eo]ld|paused|suspended|"
    r"course completed|completed (?:the |a |his |her )?course|finished|ran out|run out|not taking|defaulted)\b|"
    # "K 5.0 off enalapril", "now off metformin": said right before the drug
    r"\boff(?=\s*$)|"
    r"停用|停药|已停|停止|停服|暂停|停了|停掉|自行停|完成疗程|疗程结束|已完成|停(?=\s*$)", re.I)
# How a stop was worded, for the reader: withheld for now, finished, or not being taken.
_STOP_KINDS = (("held", re.compile(r"\b(?:held|hold|withh[eo]ld|paused|suspended)\b|暂停", re.I)),
               ("completed", re.compile(r"\bcompleted\b|完成疗程|疗程结束|已完成", re.I)),
               ("not taking", re.compile(r"\b(?:finished|ran out|run out|not taking|defaulted)\b|停了|自行停", re.I)))
# A drug to be started later ("then 4HR continuation phase", "下一步进入继续期4HR").
_PLANNED_RE = re.compile(r"(?:\bnext\b|\blater\b|\bwill (?:start|begin|switch to|change to)\b|"
                         r"\bto (?:start|begin|switch to) |\bplan(?:ned)? to (?:start|switch to|change to)\b)[^.;,]{0,12}$|"
                         r"(?:下一步|拟|计划)[^。；，,]{0,8}$", re.I)
# "then X" is a later phase only when a phase is named ("then 4HR continuation phase");
# "then zinc 20 mg OD x 10 days" is simply the next thing prescribed.
_THEN_RE = re.compile(r"(?:\bthen\b|之后|然后)[^.;,。；，]{0,12}$", re.I)
_PHASE_RE = re.compile(r"\b(?:phase|continuation|maintenance)\b|继续期|巩固期|维持期", re.I)
# "On AZT/3TC/NVP, switched to TDF/3TC/EFV": the drug named first is the one replaced.
_REPLACED_AFTER = re.compile(r"^\W*(?:switched|changed|converted)\s+(?:over\s+)?to\s+(?![\d.])|^\W*replaced\s+(?:by|with)\b|"
                             r"^\W*(?:改为|换为|换用|改用)(?![\d.])", re.I)
# A dose put into a bag or a drip: its route is not the route of the dose before.
_DILUTED_RE = re.compile(r"\bin\s+\d+(?:\.\d+)?\s*(?:ml|mls|l|litres?|liters?)\b|\b(?:NS|N/S|saline|D5W?|infusion|drip)\b|"
                         r"静滴|静脉滴注|加入", re.I)
# "继以硫酸镁5g", "followed by ...": the next dose of a sequence of treatments given.
_SEQUENCE_RE = re.compile(r"(?:\bfollowed by|继以|续以|随后|接着)\s*$", re.I)
# "Next MgSO4 5 g IM due 14:40 if not yet given": a dose still to come, whatever word follows.
_NOT_GIVEN_YET = re.compile(r"\b(?:due|not\s+(?:yet\s+)?(?:been\s+)?given|to\s+be\s+given)\b|待给|未给|尚未", re.I)
_GIVEN_RE = re.compile(r"\b(?:given|administered|received|gave|stat|started at|commenced)\b|"
                       r"已给|已予|给予|已用|已(?=[\u4e00-\u9fff]|$)(?!停)|立即|开始", re.I)
# Verbs that put a drug on the current list (they end the reach of an earlier "stop").
_CURRENT_RE = re.compile(
    r"\b(?:start(?:ed)?|restart(?:ed)?|cont(?:inue[ds]?)?|add(?:ed)?|increase[ds]?|decrease[ds]?|reduce[ds]?|"
    r"switch(?:ed)?(?: to)?|change[ds]?(?: to)?|replaced? (?:by|with)|prescribed?|home on|discharged? on)\b|"
    r"\buse\b|->|→|=>|改为|改用|改成|换为|换用|换成|加用|继续|开始|加量|减量|调整为|调至|增至|加至|减至", re.I)
# A later mention that changes the dose of an earlier one ("increase to 10 mg").
_CHANGE_RE = re.compile(
    r"\b(?:increase[ds]?|decrease[ds]?|reduce[ds]?|titrate[ds]?|change[ds]?|up to|down to|double[ds]?|halve[ds]?)\b|"
    r"加量|减量|增至|加至|减至|调至|调整|改为|[增加减]为|[增加减]到|增加到|减少到|减少至", re.I)
def said_by_medication_line(text: str) -> str:
    """``text`` without the verbs a medication line says by itself (its status and the dose
    before a change: "start", "continue", "increase ... to", "stop", 加量至, 停用), its route
    ("PO", 口服) and the small words that join them: what is left is what a plan sentence adds
    to its medication lines."""
    for rx in (_CURRENT_RE, _CHANGE_RE, _STOPPED_RE, *(r for _, r in _ROUTE_RES)):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    # (a line shows a dose given as "(given)": "gave", "given", "administered" say the same)
    return re.sub(r"\b(?:to|from|and|with|on|at|the|gave|given|administered)\b", lambda m: " " * len(m.group(0)),
                  text, flags=re.I)



# "then 40 mg od", "plus 10 g IM": a second regimen of the same drug.
_CONTINUATION_RE = re.compile(
    r"\b(?:then|plus|followed by|thereafter|and then)\s+(?:(?:re)?start(?:ed)?\s+(?:at\s+)?|give\s+|"
    r"(?:increase|decrease|reduce|change|switch)\s+to\s+|continue\s+(?:at\s+)?)?(?=\d)|(?:然后|之后|再)\s*(?=\d)", re.I)
# "penicillin skin test negative", "青霉素皮试阴性": a test, not a medication.
_TEST_AFTER_RE = re.compile(r"\s*(?:skin test|test dose|sensitivity|level|皮试|血药浓度)", re.I)
# "2 mg/kg = 44 mg": the computed dose belongs with the per-kg dose.
_COMPUTED_RE = re.compile(r"[^=\n;。；]{0,20}?\s*(?:=|->|→|\bi\.e\.?|\bie\b)\s*(?=\d)")
_COMPUTED_BRACKET_RE = re.compile(r"\s*[(（]\s*(?:=\s*)?(?=\d[\d.]*\s*[A-Za-zµμ毫微克]+\s*[)）])")
# A time after a clause break with nothing after it in the window ("氟哌啶醇 5mg 肌注，11:25 地西泮
# 10mg", "haloperidol 5mg IM, 11:25 diazepam"): the next drug's time, written before it.
_NEXT_LEAD_TIME = re.compile(r"[,;，；]\s*(?:at\s+)?(?:\d{1,2}:\d{2}|\d{4}\s*(?:h|hrs))\s*$", re.IGNORECASE)
_TIME_RE = re.compile(r"(?<!\d)(?<!\d:)(\d{1,2}:\d{2})(?![\d:])|\b(\d{4})\s*(?:h|hrs)\b|(\d{1,2})点")
# "诉硝苯地平后面红、心慌，换成氨氯地平": the drug before a switch to another drug is stopped.
_SWITCH_END = re.compile(r"(?:换成|换为|换用|改为|改用|改成|\bswitch(?:ed)?\s+(?:over\s+)?to|\bchange[ds]?\s+to|"
                         r"\breplaced?\s+(?:by|with))\s*$", re.I)
# "加替米沙坦40mg qd？→ 暂不加", "metformin – not started (eGFR)": considered, not prescribed.
_DECLINED_RE = re.compile(r"[^。；;\n]{0,25}?(?:暂不(?:加|用|开|服)?|暂缓|\bnot (?:started|added|prescribed)\b|"
                          r"\bdeferred\b|\bdecided against\b)", re.I)
# "Stop amlodipine (ankle oedema)": the reason written with the stop.
_REASON_PAREN = re.compile(r"\s*[(（]\s*([^()（）\n]{2,40}?)\s*[)）]")
_NEG_MED_RE = re.compile(r"\b(?:no|not on|nil|denies)\b[^.;\n]{0,20}$|未用|未服|没有用|"
                         r"\b(?:do not|don't|never|avoid(?:ing)?|contraindicated|instead of|not)\s+"
                         r"(?:(?:give|use|prescribe|start|take|to give|to use)\s+)?(?:any\s+)?$|"
                         r"(?:禁用|忌用|避免使用|避免|不用|勿用)\s*$", re.I)
# Drug classes are named in reasoning ("NSAID related") far more often than prescribed.
_CLASS_NAMES = frozenset({"nsaid", "cephalosporin", "sulfonamide", "ace-inhibitor"})
# An unknown word before a dose counts as a drug only when it looks like one.
_DRUG_SUFFIX_RE = re.compile(
    r"(?:cillin|mycin|micin|cycline|floxacin|azole|idazole|pril|sartan|olol|dipine|statin|tidine|prazole|"
    r"vir|caine|sone|olone|parin|triptyline|pramine|azepam|azolam|barbital|amide|azide|thiazide|profen|"
    r"fenac|done|pine|zine|xine|oxetine|terol|amol|ast|ate|ium|ine)$")


@dataclass(slots=True)
class Medication:
    name: str                  # as written in the note
    canonical: str | None      # lexicon key, None for unknown names
    dose: str = ""             # "500 mg" (normalised spacing, unit as canonical)
    route: str = ""            # canonical route
    frequency: str = ""        # canonical frequency
    duration: str = ""         # "5 days" as written (normalised spacing)
    status: str = "current"    # current | stopped | given | previous (dose changed later) | planned
    time: str = ""             # time of administration when recorded ("14:30")
    spans: list[Span] = field(default_factory=list)
    doc: int = 0
    continuation: bool = False  # a second regimen of the drug named just before ("then 40 mg od")
    stop_kind: str = ""        # for a stopped drug: "" | held | completed | not taking
    regimen: str = ""          # a regimen of several steps, as written ("3 tabs stat, 3 tabs at 8h then BD")
    reason: str = ""           # why it was stopped, as written ("ankle oedema")
    frequency_written: str = ""  # a Latin abbreviation as the note wrote it ("qn", "bid"), else ""

    @property
    def key(self) -> str:
        return self.canonical or self.name.lower()

    def render(self, lang: str = "en", *, compact: bool = False) -> str:
        """The medication as a line of a document; ``compact``: English frequencies as the
        abbreviations clinicians write ("BD", "PRN")."""
        parts = [self.name]
        if self.regimen:
            parts.append(self.regimen)
        elif self.dose:
            parts.append(self.dose)
        if self.route and not self.regimen:
            parts.append(ROUTE_ZH.get(self.route, self.route) if lang == "zh" else self.route)
        if self.frequency and not self.regimen:
            parts.append(self.frequency_written if lang == "zh" and compact and self.frequency_written
                         # a Chinese note's "20mg qn" keeps its abbreviation in compact text
                         else "".join(FREQ_ZH.get(f, f) for f in split_frequency(self.frequency)) if lang == "zh"
                         else " ".join(FREQ_SHORT.get(f, f) for f in split_frequency(self.frequency)) if compact
                         else self.frequency)
        if self.duration and not self.regimen:
            parts.append(("共" + self.duration) if lang == "zh" else "for " + self.duration)
        text = " ".join(parts)
        if self.time:
            text += (f"（{self.time}）" if lang == "zh" else f" at {self.time}")
        if self.status == "stopped":
            text += _STOP_TEXT[self.stop_kind][1 if lang == "zh" else 0]
            if self.reason:
                text = text[:-1] + (f"：{self.reason}）" if lang == "zh" else f": {self.reason})")
        elif self.status == "planned":
            text += "（计划）" if lang == "zh" else " (planned)"
        elif self.status == "given":
            text += "（已给予）" if lang == "zh" else " (given)"
        elif self.status == "previous":
            text += "（调整前剂量）" if lang == "zh" else " (dose before the change)"
        return text


_STOP_TEXT = {"": (" (stopped)", "（已停用）"), "held": (" (withheld)", "（暂停）"),
              "completed": (" (course completed)", "（疗程已完成）"), "not taking": (" (not taking)", "（未在服用）")}


def _fmt_dose(m: re.Match) -> str:
    unit = norm_unit(m.group(3))
    if re.fullmatch(r"[µμ]g(?:/kg)?", m.group(3).strip()):
        # The note's own "200μg" is kept as written (a reader searching the note finds it).
        unit = m.group(3).strip().replace("µ", "μ")
    sep = "" if unit == "%" or (unit.startswith("μ") and not re.search(r"\d\s+[µμ]", m.group(0))) else " "
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


def _unknown_drug_ok(word: str) -> bool:
    """An unknown word before a dose is taken for a drug when it is capitalised as a name
    ("Foobarin 10 mg") or ends like one ("clindamycin"), and is not an ordinary word."""
    if word.lower() in NOT_DRUGS:
        return False
    return word[0].isupper() or bool(_DRUG_SUFFIX_RE.search(word.lower()))


def _sentence_start(text: str, pos: int) -> int:
    best = text.rfind("\n", 0, pos)
    for m in re.finditer(r"\.(?=\s)|[;。；!?！？]", text[max(0, pos - 300):pos]):
        best = max(best, max(0, pos - 300) + m.start())
    return best + 1


def _last_verb(pre: str) -> str | None:
    """The status a verb right before a drug gives it: the last of stop / given / current."""
    found = []
    for status, rx in (("stopped", _STOPPED_RE), ("given", _GIVEN_RE), ("current", _CURRENT_RE)):
        for m in rx.finditer(pre):
            found.append((m.start(), status))
    if not found:
        return None
    return max(found)[1]


def _parse_regimen(med: Medication, window: str, before: str, lead: str = "") -> None:
    """Dose, route, frequency, duration and time of one regimen from the text after the name."""
    if window.lstrip().startswith("/"):
        window = ""  # "4.3% dextrose/0.18% saline": what follows the slash is the other component
    if (m := DOSE_RE.search(window)) and not _too_far(window, m.start()):
        med.dose = _fmt_dose(m)
        if "/kg" in med.dose and (c := _COMPUTED_RE.match(window, m.end())):
            if (m2 := DOSE_RE.match(window, c.end())) and "/kg" not in m2.group(3):
                med.dose += " = " + _fmt_dose(m2)
        elif "/kg" in med.dose and (c := _COMPUTED_BRACKET_RE.match(window, m.end())):
            # "furosemide 1 mg/kg (6 mg)": the dose given, in brackets after the per-kg dose
            if (m2 := DOSE_RE.match(window, c.end())) and "/kg" not in m2.group(3):
                med.dose += " = " + _fmt_dose(m2)
    elif (m := DOSE_RE.search(before)) and before[m.end():].strip() == "":
        med.dose = _fmt_dose(m)  # Chinese style "0.5g阿莫西林" is rare; keeps "2 tabs paracetamol"
    # The route written nearest the name: "IV artesunate ... until able to take orally" is IV.
    near = before[-8:]
    near = re.split(r"[,;，；。\n]", near)[-1]
    # ... and only what follows the last "+" or "and": in "salbutamol nebs x3 + prednisone"
    # (沙丁胺醇雾化3次 + 泼尼松) the nebuliser is salbutamol's route, not prednisone's.
    near = re.split(r"\+|" + _CONJ_RE.pattern, near, flags=re.IGNORECASE)[-1]
    # Only the drug's own clause: in "O2 and IV antibiotics" the IV belongs to the antibiotics.
    if (conj := _CONJ_RE.search(window)):
        window_route = window[:conj.start()]
    else:
        window_route = window
    best: tuple[int, str] | None = None
    if med.canonical == "oxygen":
        # Oxygen's route is its delivery device as written, never a drug route (IV/IM/PO).
        if (dev := _O2_DEVICE_RE.search(window_route) or _O2_DEVICE_RE.search(near)):
            word = re.sub(r"\s+", " ", dev.group(0)).strip()
            med.route = word if re.search(r"[\u4e00-\u9fff]", word) else "via " + word
        window_route, near = "", ""
    for canon_route, rx in _ROUTE_RES:
        if (rb := list(rx.finditer(near))):
            dist = len(near) - rb[-1].end()
            if best is None or dist < best[0]:
                best = (dist, canon_route)
        if (rw := rx.search(window_route)):
            if best is None or rw.start() < best[0]:
                best = (rw.start(), canon_route)
    if best is not None:
        med.route = best[1]
    freqs = find_frequencies(window)
    if freqs:
        med.frequency = freqs[0][0]
        if len(freqs) > 1 and freqs[1][0] == "as needed" and med.frequency != "as needed":
            med.frequency += " as needed"
        elif _LATIN_FREQ.fullmatch(written := window[freqs[0][1]:freqs[0][2]].strip()):
            med.frequency_written = written
    if (m := _DURATION_RE.search(window)):
        med.duration = _fmt_duration(m)
    elif freqs and (m := _BARE_DURATION_RE.match(window, freqs[-1][2])):
        med.duration = _fmt_duration(m)  # "BD 3 days": a bare count right after the frequency
    if (t := _TIME_RE.search(window)):
        med.time = t.group(1) or t.group(2) or (t.group(3) + "点")
    elif (times := list(_TIME_RE.finditer(re.split(r"[,;，；]", lead)[-1]))):
        t = times[-1]   # "11:15开始静脉补液 林格液 240ml", "at 14:10 gave diazepam"
        med.time = t.group(1) or t.group(2) or (t.group(3) + "点")
    steps = [f for f in freqs if f[0] not in ("as needed",)]
    if len(steps) > 1 and steps[0][0] == "once (stat)" and any(f[0] != "once (stat)" for f in steps[1:]):
        # "3 tabs stat, 3 tabs at 8h then BD for 2 days": shown as written, not as one frequency
        stop = steps[-1][2]
        if (d := _DURATION_RE.search(window, stop)) and d.start() - stop < 4:
            stop = d.end()
        med.regimen = re.sub(r"\s+", " ", window[:stop]).strip(" ,;，")


_SATURATION_AFTER = re.compile(SATURATION_AFTER_O2)


def extract_medications(text: str, *, exclude: list[tuple[int, int]] | None = None,
                        doc: int = 0, base: int = 0, allergens: set[str] | None = None) -> list[Medication]:
    """Medication mentions in ``text``. ``exclude`` ranges (e.g. allergy phrases) are skipped.

    ``base`` is added to every span (the offset of ``text`` in its document). A drug in
    ``allergens`` (canonical keys) mentioned without a dose is the allergy being talked
    about, not a medication; with a dose it is kept, so a conflict stays visible.
    """
    exclude = exclude or []
    allergens = allergens or set()
    mentions: list[tuple[str | None, int, int]] = [(c, s, e) for c, s, e in find_drugs(text)
                if not any(s < xe and xs < e for xs, xe in exclude)]
    # "O2 94%", "O2 91% RA": a saturation written after "O2" (a reading, see ``vitals``), no oxygen given
    mentions = [(c, s, e) for c, s, e in mentions if not (c == "oxygen" and _SATURATION_AFTER.match(text, e))]
    known_ranges = [(s, e) for _, s, e in mentions]
    for m in _UNKNOWN_DRUG_RE.finditer(text):
        word = m.group(1)
        if not _unknown_drug_ok(word) or any(m.start(1) < e and s < m.end(1) for s, e in known_ranges):
            continue
        if any(0 <= m.start(1) - e <= 1 for _, e in known_ranges):
            continue  # "insulin glargine 10 units": part of the known drug's name
        if any(m.start(1) < xe and xs < m.end(1) for xs, xe in exclude):
            continue
        mentions.append((None, m.start(1), m.end(1)))
    mentions.sort(key=lambda x: x[1])
    # The name as written includes its form: "阿司匹林肠溶片", "阿托伐他汀钙片", "nifedipine SR".
    mentions = [(c, s, (f.end() if (f := _FORM_RE.match(text, e)) else e)) for c, s, e in mentions]
    # ... and its strength when written first: "50%葡萄糖", "10% dextrose".
    mentions = [(c, _strength_start(text, s), e) for c, s, e in mentions]

    meds: list[Medication] = []
    prev_end, prev_status, prev_governed, prev_sentence = 0, "current", False, -1
    prev_window_end = 0
    for i, (canon, s, e) in enumerate(mentions):
        nxt = mentions[i + 1][1] if i + 1 < len(mentions) else len(text)
        end = min(nxt, _clause_end(text, e))
        if end == nxt and i + 1 < len(mentions) and (lead_time := _NEXT_LEAD_TIME.search(text, e, end)):
            end = lead_time.start()     # the time before the next drug is the next drug's
        window = text[e:end]
        sent_start = _sentence_start(text, s)
        before = text[max(sent_start, prev_end, s - 40):s]
        line_start = max(text.rfind("\n", 0, s), text.rfind(".", 0, s - 1) if s > 1 else -1) + 1
        if (_NEG_MED_RE.search(text[line_start:s]) or _NEG_MED_RE.search(before)
                or _TEST_AFTER_RE.match(text, e) or _DECLINED_RE.match(text, e)):
            prev_end = e
            continue
        med = Medication(name=text[s:e], canonical=canon, doc=doc)
        cont = _CONTINUATION_RE.search(window)
        first_window = window[:cont.start()] if cont else window
        # (a time between the previous drug's regimen and this name is this drug's)
        _parse_regimen(med, first_window, before, text[max(sent_start, prev_window_end, s - 40):s])
        # Status: the verb governing this drug (between the previous drug and this one), else
        # the one governing a list it continues ("Gave A, B and C"), else words right after it.
        # Only the clause that leads to this drug counts: "Furosemide 40 mg IV stat given at 11:20,
        # then furosemide 40 mg PO OD" — the "given" belongs to the first regimen.
        pre_full = text[max(sent_start, prev_end):s]
        pre = re.split(r"[,，、]", re.sub(r"\([^()]*\)|（[^（）]*）", " ", pre_full))[-1]
        verb = _last_verb(pre)
        governed = verb is not None
        if (verb is None and meds and _SEQUENCE_RE.search(pre) and prev_sentence == sent_start
                and (meds[-1].status == "given" or meds[-1].time) and not med.frequency):
            verb = "given"   # "硫酸镁4g 静推（9:40），继以硫酸镁5g 肌注": the next step of what was given
            governed = True
        if (verb is None and prev_governed and prev_sentence == sent_start
                and not re.search(r"[.;。；\n]", pre_full)):
            verb = prev_status
            governed = True
        post = text[e:min(nxt, _sentence_end(text, e))]
        if verb is None:
            if _STOPPED_RE.search(post) or _REPLACED_AFTER.match(post):
                verb = "stopped"
            elif (_SWITCH_END.search(post) and i + 1 < len(mentions) and mentions[i + 1][0] != canon
                  and mentions[i + 1][1] - e == len(post)):
                verb = "stopped"
            elif (_GIVEN_RE.search(re.sub(r"\bstat\b", " ", post, flags=re.I) if med.regimen else post)
                  and not _NOT_GIVEN_YET.search(post) and not _PLANNED_RE.search(pre)):
                verb = "given"   # (a course that starts "stat" goes on: it is not only given)
        if verb in ("stopped", "given"):
            med.status = verb
        elif verb is None and med.frequency == "once (stat)" and not med.regimen:
            med.status = "given"
        elif _PLANNED_RE.search(pre) or (_THEN_RE.search(pre) and _PHASE_RE.search(post)):
            med.status = "planned"
        if med.status == "stopped":
            said = pre + " " + post
            med.stop_kind = next((kind for kind, rx in _STOP_KINDS if rx.search(said)), "")
            if (r := _REASON_PAREN.match(text, e)) and not DOSE_RE.search(r.group(1)):
                med.reason = r.group(1)
        prev_end, prev_status, prev_governed, prev_sentence = e, med.status, governed, sent_start
        prev_window_end = end
        if canon is None and not med.dose:
            continue
        if not med.dose and (canon in _CLASS_NAMES or (canon in allergens and med.status != "stopped")):
            # ("STOP carbamazepine – allergy documented": the stop is kept, so a history shows it stopped)
            continue
        med.spans = [Span(base + s, base + end, doc=doc)]
        meds.append(med)
        if cont and (m2 := DOSE_RE.search(window, cont.end())) and m2.start() - cont.end() < 3:
            then = Medication(name=med.name, canonical=canon, doc=doc, continuation=True)
            _parse_regimen(then, window[cont.end():], "")
            if not then.route and not _DILUTED_RE.search(window[cont.end():]):
                then.route = med.route   # ("then 20 IU in 1L NS": an infusion, not the first dose's route)
            if _STOPPED_RE.search(window[cont.end():]):
                then.status = "stopped"
            elif _GIVEN_RE.search(window[cont.end():]) or then.frequency == "once (stat)":
                then.status = "given"
            elif med.status == "given" and not then.frequency and not then.duration:
                then.status = "given"   # "4 g IV given at 14:05, then 5 g IM each buttock": one loading dose
            then.spans = [Span(base + e + cont.start(), base + end, doc=doc)]
            meds.append(then)
    _mark_changed_doses(text, meds, base)
    return _dedupe(_join_written_twice(text, meds, base))


def _strength_start(text: str, s: int) -> int:
    """Where a drug name starts when its strength is written before it ("10% dextrose")."""
    m = re.search(r"(?<![\d.])(\d+(?:\.\d+)?\s?%\s?)$", text[max(0, s - 8):s])
    if not m:
        return s
    start = s - len(m.group(1))
    if re.search(r"(?:spo2|sao2|sats?|o2|hba1c|a1c|血氧|饱和度)\s*[:=：]?\s*$", text[max(0, start - 12):start], re.I):
        return s  # "SpO2 98% ORS ...": the percentage is a reading
    return start


def _join_written_twice(text: str, meds: list[Medication], base: int) -> list[Medication]:
    """One drug written two ways, the second in brackets ("甲硝唑（灭滴灵）0.4g", "TLD (TDF/3TC/DTG)"):
    one entry named both ways."""
    out: list[Medication] = []
    for med in meds:
        prev = out[-1] if out else None
        if (prev is not None and prev.key == med.key and not prev.dose and prev.spans and med.spans
                and prev.name.lower() != med.name.lower() and not med.continuation):
            name_end = prev.spans[0].start - base + len(prev.name)
            if re.fullmatch(r"\s*[(（]\s*", text[name_end:med.spans[0].start - base]):
                close = "）" if "（" in text[name_end:med.spans[0].start - base] else ")"
                open_ = "（" if close == "）" else " ("
                med.name = f"{prev.name}{open_}{med.name}{close}"
                med.spans = prev.spans + med.spans
                if prev.status != "current" and med.status == "current":
                    med.status = prev.status
                out[-1] = med
                continue
        out.append(med)
    return out


def _mark_changed_doses(text: str, meds: list[Medication], base: int) -> None:
    """An earlier dose of a drug whose dose a later mention changes ("increase to 10 mg")."""
    for j, later in enumerate(meds):
        if not later.dose or later.continuation or not later.spans:
            continue
        s = later.spans[0].start - base
        pre = text[max(_sentence_start(text, s), s - 40):later.spans[0].end - base]
        if not _CHANGE_RE.search(pre):
            continue
        for earlier in meds[:j]:
            changed = earlier.dose != later.dose or (earlier.frequency and later.frequency
                                                     and earlier.frequency != later.frequency)
            if (earlier.key == later.key and earlier.dose and changed
                    and earlier.status == "current" and not earlier.continuation):
                earlier.status = "previous"


_CLAUSE_END_RE = re.compile(
    r"\n|\.(?=\s|$)|(?<!\d)\.(?!\d)|;|。|；|"
    # ", paracetamol 1g": the next item of a list (but ", then 20 IU", ", for 5 days" go on)
    r",\s*(?!(?:then|plus|followed|thereafter|and|for|over|until|via|increasing|reducing|repeat)\b)"
    r"(?=[A-Za-z\u4e00-\u9fff]{3,}\s+\d)|"
    # "，泰诺 1片": a Chinese list item with its own quantity
    r"，\s*(?!(?:每|一日|共|连用|用|服|口服|静|肌|皮下|饭|餐|睡前|早|晚|必要|然后|之后|再|继以|续以))"
    r"(?=[\u4e00-\u9fff]{2,}\s*\d)")
_SENTENCE_END_RE = re.compile(r"\n|\.(?=\s|$)|;|。|；")


def _abbrev_dot(text: str, i: int) -> bool:
    """A dot of a dotted abbreviation ("o.d.", "b.i.d.", "p.o."), which ends nothing."""
    return (text[i] == "." and i > 0 and text[i - 1].isalpha() and text[i - 1].isascii()
            and (i < 2 or not text[i - 2].isalnum()))


def _first_end(rx: re.Pattern[str], text: str, pos: int) -> int:
    for m in rx.finditer(text, pos):
        if not _abbrev_dot(text, m.start()):
            return m.start()
    return len(text)


def _clause_end(text: str, pos: int) -> int:
    return _first_end(_CLAUSE_END_RE, text, pos)


def _sentence_end(text: str, pos: int) -> int:
    return _first_end(_SENTENCE_END_RE, text, pos)


def _too_far(window: str, idx: int) -> bool:
    return idx > 25


def _strength(name: str) -> str:
    m = re.match(r"\d+(?:\.\d+)?\s?%", name)
    return m.group(0).replace(" ", "") if m else ""


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
        if ((med.dose and prev.dose and med.dose != prev.dose) or med.continuation
                or _strength(med.name) != _strength(prev.name)
                or (med.dose and med.route and prev.route and med.route != prev.route)
                or (med.dose and med.frequency and prev.frequency and med.frequency != prev.frequency)):
            # A genuinely different regimen (a new dose, "then 40 mg od", IV stat then PO daily): keep both.
            key = f"{med.key}#{len(order)}"
            by_key[key] = med
            order.append(key)
            continue
        for attr in ("dose", "route", "frequency", "duration", "time"):
            if not getattr(prev, attr) and getattr(med, attr):
                setattr(prev, attr, getattr(med, attr))
        if med.status == "stopped":
            prev.status = "stopped"
            prev.stop_kind, prev.reason = med.stop_kind, med.reason or prev.reason
        prev.spans.extend(med.spans)
    return [by_key[k] for k in order]
