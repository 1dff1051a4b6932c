"""Vital signs and results in note text as a summary shows them, with their source spans.

Vital signs are read by the one reader of vital signs (``vitals.extract_vitals_from_text``);
obstetric readings (gravida/para, EDD, gestation, fundal height, fetal heart) and
laboratory results are read here. A summary shows every value exactly as the note wrote it. Plausibility comes from the
one range table (``lantern.domain.vitals``); whether a vital sign is abnormal comes from
the clinical thresholds that also feed triage (``vitals.derive``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lantern.clinical.language.text import Span, nfkc, split_sentences, word_alternation
from lantern.clinical.language.vitals import VitalReading, derive, extract_vitals_from_text
from lantern.clinical.language.vocabulary import load_wording
from lantern.domain.vitals import outside_reference, plausible, plausible_bp

_NUM = r"(\d{1,3}(?:\.\d{1,2})?)"
# name, regex (group 1 = value, optional group 2 = second value), unit shown, zh label
_DATE = (r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}年\d{1,2}月\d{1,2}日|"
         r"\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?")
_CREAT_UNIT = r"(?:umol|µmol|μmol)/l|mg/dl"

# A chemistry value told a few words after its name, as results come back by phone or
# later in the day: the words between start with a word of where or when the blood came
# from (so "sodium valproate level is 120" and "sodium in the drip" are no sodium), hold no
# number and no sentence end, and the value follows a colon or "is", "was", "came back (at)".
_VALUE_AFTER_WORDS = (r"(?<![A-Za-z]){name}\s+(?:from|result|results|level|this|yesterday|today|taken|sent|drawn)\b"
                      r"[^\d.;\n]{{0,50}}?(?::|\b(?:is|was|came back(?: at)?|back at|returned at)\b)\s*{value}")

_PATTERNS: list[tuple[str, str, str, str]] = [
    # Obstetric: gravida/para, expected date of delivery, gestational age, fundal height, fetal heart.
    ("gp", r"(?<![A-Za-z0-9])(G\d{1,2}\s?P\d{1,2}(?:\+\d{1,2})?(?:\s?A\d{1,2})?)(?![A-Za-z0-9])|(孕\d{1,2}产\d{1,2})",
     "", "孕产次"),
    ("edd", rf"\bEDD\s*(?:[:=]|is|of)?\s*({_DATE})|预产期\s*[:：]?\s*({_DATE})", "", "预产期"),
    ("ga", r"\b(?:GA|gestational age|gestation)\s*(?:[:=]|of|is)?\s*(\d{1,2}(?:\+\d)?\s*/\s*40|\d{1,2}(?:\+\d)?\s*(?:weeks?|wks?)\b)|"
           r"(?<!宫内)孕\s*(\d{1,2}(?:\+\d)?\s*周)", "", "孕周"),
    ("fh", r"\b(?:SFH|FH|fundal height|symphysis[- ]fundal height)\s*(?:[:=]|of|is)?\s*(\d{2})\s*cm|宫高\s*[:：]?\s*(\d{2})\s*(?:cm|厘米)",
     "cm", "宫高"),
    ("fhr", r"\b(?:FHR|FHS|FH rate|f(?:o)?etal heart(?: rate| sounds?)?)\s*(?:[:=]|of|was|is)?\s*(\d{2,3})|胎心(?:率)?\s*[:：]?\s*(\d{2,3})",
     "/min", "胎心"),
    ("hba1c", rf"\b(?:HbA1c|A1c|glycated ha?emoglobin)\s*(?:[:=]|of|was|is)?\s*{_NUM}\s*%?|糖化血红蛋白\s*[:：]?\s*{_NUM}\s*%?",
     "%", "糖化血红蛋白"),
    # ("VL 6/12: <50": the 6-month viral load is <50, not 6)
    ("vl", r"\b(?:VL|viral load)\s*(?:\d{1,2}\s*/\s*12\s*)?(?:[:=]|of|was|is)?\s*"
           r"([<>]?\s*\d{1,3}(?:,\d{3})+(?!\d)|[<>]?\s*\d{1,7})(?!\s*/\s*\d)"
           r"\s*(?:copies(?:/ml)?|cp/ml|c/ml)?|"
           r"病毒载量\s*[:：]?\s*([<>]?\s*\d{1,7})", "copies/mL", "病毒载量"),
    ("urine_protein", r"\b(?:urine\s+(?:dipstick\s*[:：]?\s*)?)?(?:protein(?:uria)?|prot|alb(?:umin)?)\s*[:=]?\s*"
                      r"((?<![A-Za-z0-9])(?:trace|neg(?:ative)?|nil|[1-4]\s*\+|\+\s*[1-4]|\+{1,4})(?![A-Za-z0-9]))|"
                      r"尿蛋白\s*[:：]?\s*[(（]?\s*(\+{1,4}|[1-4]\s*\+|阴性|阳性|弱阳性|±)",
     "", "尿蛋白"),
    ("cd4", r"\bCD4(?:\s*count)?\s*(?:[:=]|of|was|is)?\s*(\d{1,4})(?:\s*cells)?", "cells/µL", "CD4"),
    # Chemistry met in chronic-care and TB notes: potassium, sodium, creatinine, ALT.
    # (a series told in words starts at its first value: "sodium from 128 to 136", "血钠从128升到136")
    ("k", r"(?<![A-Za-z])(?:K\+?|serum K|potassium)\s*(?:[:=]|of|was|is|from)?\s*(\d(?:\.\d{1,2})?)(?!\d|\.\d|\s*(?:/|kg|mg|g\b|x|%))|"
          r"血钾\s*(?:[:：]|从|由)?\s*(\d(?:\.\d{1,2})?)|"
          + _VALUE_AFTER_WORDS.format(name=r"(?:K\+?|serum K|potassium)",
                                      value=r"(\d(?:\.\d{1,2})?)(?!\d|\.\d|\s*(?:/|kg|mg|g\b|x|%))"),
     "mmol/L", "血钾"),
    ("na", r"(?<![A-Za-z])(?:Na\+?|serum Na|sodium)\s*(?:[:=]|of|was|is|from)?\s*(\d{3})(?!\d|\.\d)|血钠\s*(?:[:：]|从|由)?\s*(\d{3})|"
           # the value a few words after the name, told as a result comes: "Na from the blood
           # taken yesterday just phoned through: 114", "sodium result this morning is 121"
           + _VALUE_AFTER_WORDS.format(name=r"(?:Na\+?|serum Na|sodium)", value=r"(\d{3})(?!\d|\.\d)"),
     "mmol/L", "血钠"),
    ("creatinine", rf"\b(?:creatinine|creat|SCr|Cr)\s*(?:[:=]|of|was|is)?\s*(\d{{1,4}}(?:\.\d{{1,2}})?)\s*({_CREAT_UNIT})?|"
                   rf"(?:血清?)?肌酐\s*[:：]?\s*(\d{{1,4}}(?:\.\d{{1,2}})?)\s*({_CREAT_UNIT})?", "", "肌酐"),
    # Renal, heart-failure and asthma follow-up: eGFR, NT-proBNP, ejection fraction, peak flow.
    # ("eGFR<30" is a threshold in reasoning, not a result: no "<" value.)
    ("egfr", r"(?<![A-Za-z])e?GFR\s*(?:[:=]|of|was|is)?\s*(\d{1,3})(?!\d|\.\d|\s*[<>])", "", "eGFR"),
    ("ntprobnp", r"(?<![A-Za-z])NT-?pro-?BNP\s*(?:[:=]|of|was|is)?\s*(\d{2,5})(?!\d|\.\d)", "pg/mL", "NT-proBNP"),
    ("ef", r"(?<![A-Za-z])(?:LV)?EF\s*(?:[:=]|of|was|is)?\s*(\d{2})\s*%|射血分数\s*[:：]?\s*(\d{2})\s*%", "%", "EF"),
    ("pef", r"(?<![A-Za-z])(?:PEFR?|peak flow)\s*(?:[:=]|of|was|is)?\s*(\d{2,3})(?!\d|\.\d)", "", "PEF"),
    # TB microscopy: a sputum smear's grade or result ("sputum AFB +++", "smear negative",
    # "痰涂片抗酸杆菌3+", "2月末痰涂片阴性"); a grade must stand apart from the word ("smear+ PTB" is
    # the diagnosis) (WHO, Implementing tuberculosis diagnostics, 2021: smear grading).
    ("smear", r"\b(?:sputum\s+)?(?:smears?|AFB|ZN)(?:\s+(?:for\s+)?AFB)?(?:\s+result)?(?:\s*[:=]\s*|\s+(?:was\s+|is\s+)?)"
              r"((?<![\w+])[1-4]\s*\+(?!\w)|\+{1,4}(?![\w+])|scanty|pos(?:itive)?\b|neg(?:ative)?\b|\+ve\b|-ve\b)|"
              r"痰(?:涂片)?(?:抗酸杆菌|AFB|找抗酸杆菌)?\s*[:：]?\s*([1-4]\s*\+|\+{1,4}|阳性|阴性)", "", "痰涂片"),
    # The 20-minute whole blood clotting test of a snakebite ("20WBCT: non-clotting", "20分钟全血凝固试验：
    # 不凝") (WHO, Guidelines for the management of snakebites, 2nd ed. 2016).
    ("wbct", r"(?:\b20\s*-?\s*(?:min(?:ute)?s?\s*)?WBCT\b|\bWBCT\s*-?\s*20\b|\bwhole blood clott?ing (?:time|test)\b)"
             r"\s*(?:[:=]|was|is|result)?\s*((?:non-?\s?|not\s+|un)?clott(?:ing|ed)|incoagulable|coagulable|"
             r"(?:no\s+)?clot(?:\s+formed)?\b)|"
             r"(?:20\s*分钟)?全血凝(?:固|血)(?:时间|试验)\s*[:：]?\s*(不凝(?:固)?|未凝(?:固)?|凝固)", "", "20分钟全血凝固试验"),
    # Seizure frequency as written ("~4/month", "1 seizure in 2 months", "seizure-free since May",
    # "每月发作2次", "无发作") (WHO mhGAP Intervention Guide 2.0: record seizure frequency at each visit).
    ("seizures", r"\b(?:seizures?|fits?|convulsions?|GTCS?)\b[^.;\n]{0,30}?[~≈]?\s*"
                 r"(\d{1,2}\s*(?:/|per|a|times?\s+(?:a|per))\s*(?:day|week|month|year|d|wk|mo|yr)s?)\b|"
                 r"\b(\d{1,2}\s+(?:seizures?|fits?|episodes?)\s+(?:in|over|per|/)\s+(?:the\s+)?(?:last\s+|past\s+)?"
                 r"(?:\d{1,2}\s+)?(?:days?|weeks?|months?|years?))\b|"
                 r"\b((?:seizure|fit)[- ]free(?:\s+(?:since|for)\s+[^.,;。\n]{1,20})?)|"
                 r"(?:发作|抽搐)\s*(\d{1,2}\s*次\s*/\s*(?:天|日|周|月|年))|((?:每|一)(?:天|日|周|个?月|年)(?:发作|抽搐)\s*\d{1,2}\s*次)|"
                 r"(无(?:癫痫)?(?:发作|抽搐)(?:\d{1,2}\s*个?(?:月|周|天))?)", "", "发作"),
    # Results written with their unit, shown as written (a value and its unit as one text):
    # the urine albumin-creatinine ratio of diabetic and chronic kidney disease follow-up
    # (KDIGO 2024: ACR in mg/mmol or mg/g), serum uric acid, a child's length or height
    # (WHO child growth standards) and its z-scores ("WAZ -2.2", "HAZ -1.8", "WHZ < -3").
    ("acr", r"(?<![A-Za-z])(?:u?ACR|urine (?:albumin|alb)[- /:]*(?:to[- ])?creatinine ratio)\s*(?:[:=]|of|was|is)?\s*"
            r"(\d{1,4}(?:\.\d{1,2})?\s*(?:mg/mmol|mg/g)?)(?!\d|\.\d|\s*[<>])|"
            r"尿(?:微量)?白蛋白\s*/?\s*肌酐(?:比值|比)\s*(?:\(UACR\)|（UACR）)?\s*[:：]?\s*(\d{1,4}(?:\.\d{1,2})?\s*(?:mg/mmol|mg/g)?)",
     "", "尿白蛋白/肌酐比"),
    ("urate", r"\b(?:uric acid|serum urate|urate)\s*(?:[:=]|of|was|is)?\s*(\d{1,3}(?:\.\d{1,2})?\s*(?:[uµμ]mol/L|mg/dL)?)(?!\d)|"
              r"(?<!尿)(?:血)?尿酸\s*[:：]?\s*(\d{1,3}(?:\.\d{1,2})?\s*(?:[uµμ]mol/L|mg/dL)?)(?!\d)", "", "尿酸"),
    ("length", r"\b(?:length|height|Ht)\s*(?:[:=]|of|was|is)?\s*(\d{2,3}(?:\.\d)?\s*cm)\b|"
               r"(?:身长|身高)\s*[:：]?\s*(\d{2,3}(?:\.\d)?\s*(?:cm|厘米))", "", "身长"),
    ("waz", r"(?<![A-Za-z])WAZ\s*(?:[:=]|of|was|is)?\s*([<>]?\s*[-−+]?\s*\d(?:\.\d{1,2})?)(?![\d.])", "", "WAZ"),
    ("haz", r"(?<![A-Za-z])(?:HAZ|LAZ)\s*(?:[:=]|of|was|is)?\s*([<>]?\s*[-−+]?\s*\d(?:\.\d{1,2})?)(?![\d.])", "", "HAZ"),
    ("whz", r"(?<![A-Za-z])(?:WHZ|WLZ)\s*(?:[:=]|of|was|is)?\s*([<>]?\s*[-−+]?\s*\d(?:\.\d{1,2})?)(?![\d.])", "", "WHZ"),
    # Serum calcium in mmol/L ("Ca 2.9", "corrected Ca 2.9", "adjusted calcium 3.1", "血钙2.9"): the
    # hypercalcaemia of myeloma and cancer (NICE CKS Hypercalcaemia: adjusted calcium above 2.6).
    ("ca", r"(?<![A-Za-z])(?:(?:corrected|adjusted|serum)\s+)?(?:Ca(?:2\+|\+\+)?|calcium)\s*(?:[:=]|of|was|is|from)?\s*"
           r"([1-4]\.\d{1,2})(?!\d)|(?:校正)?血钙\s*(?:[:：]|从|由)?\s*([1-4]\.\d{1,2})(?!\d)", "mmol/L", "血钙"),
    ("alt", r"\b(?:ALT|SGPT)\s*(?:[:=]|of|was|is)?\s*(\d{1,4})(?!\d|\.\d)|(?:谷丙转氨酶|丙氨酸氨基转移酶)\s*[:：]?\s*(\d{1,4})",
     "U/L", "ALT"),
]
_TEXT_VALUES = frozenset({"gp", "edd", "ga", "smear", "seizures", "wbct", "acr", "urate", "length", "waz", "haz", "whz"})
# Text values a document quotes as the note wrote them, label and unit included ("uACR 45 mg/mmol",
# "身长79.5cm", "WAZ -2.2"): the match is the label, the value and its unit.
QUOTED_AS_WRITTEN = frozenset({"acr", "urate", "length", "waz", "haz", "whz"})
_RXS = [(name, re.compile(p, re.IGNORECASE), unit, zh) for name, p, unit, zh in _PATTERNS]

LABELS_EN = {"bp": "BP", "hr": "HR", "rr": "RR", "temp": "T", "spo2": "SpO2", "weight": "Weight",
             "muac": "MUAC", "glucose": "Glucose", "hb": "Hb", "hba1c": "HbA1c", "vl": "Viral load",
             "cd4": "CD4", "urine_protein": "Urine protein", "gp": "Gravida/para", "edd": "EDD",
             "ga": "GA", "fh": "Fundal height", "fhr": "FHR", "k": "K", "na": "Na", "ca": "Ca", "creatinine": "Creatinine",
             "alt": "ALT", "egfr": "eGFR", "ntprobnp": "NT-proBNP", "ef": "EF", "pef": "PEF",
             "gcs": "GCS", "crt": "CRT", "smear": "Smear", "seizures": "Seizures",
             "wbct": "20WBCT", "acr": "uACR", "urate": "Uric acid", "length": "Length", "waz": "WAZ",
             "haz": "HAZ", "whz": "WHZ"}
# The vital signs come from the findings reader (``vitals.extract_vitals_from_text``, the
# one reader of vital signs in text): field -> (name here, zh label, unit shown).
_VITALS = {"temp_c": ("temp", "体温", "°C"), "resp_rate": ("rr", "呼吸", "/min"),
           "heart_rate": ("hr", "心率", "/min"), "sbp": ("bp", "血压", "mmHg"), "dbp": ("bp", "血压", "mmHg"),
           "spo2": ("spo2", "血氧饱和度", "%"), "weight_kg": ("weight", "体重", "kg"),
           "muac_mm": ("muac", "上臂围", ""), "glucose_mmol_l": ("glucose", "血糖", "mmol/L"),
           "hb_g_dl": ("hb", "血红蛋白", "g/dL"), "gcs": ("gcs", "GCS", ""),
           "crt_s": ("crt", "毛细血管再充盈时间", "s")}
# A unit the note wrote that is not the table's (the value is shown as written, with it).
_WRITTEN_UNITS = {"f": "°F", "degf": "°F", "degreesf": "°F", "mg/dl": "mg/dL", "mgdl": "mg/dL", "g/l": "g/L",
                  "gl": "g/L", "cm": "cm", "mm": "mm", "kPa": "kPa"}
# Short labels for compact text (a value that names itself, "G1P0", needs none).
COMPACT_LABELS_EN = {"weight": "Wt", "fh": "FH", "gp": "", "vl": "VL",
                     "seizures": "Seizures"}
COMPACT_LABELS_ZH = {"gp": "", "spo2": "SpO2"}
LABELS_ZH = {name: zh for name, _, _, zh in _PATTERNS} | {n: zh for n, zh, _ in _VITALS.values()}
UNITS = {name: unit for name, _, unit, _ in _PATTERNS} | {n: u for n, _, u in _VITALS.values()}


@dataclass(slots=True)
class Measurement:
    """A vital sign or result as a summary shows it: the value exactly as the note wrote
    it, with the unit shown and the span it rests on. Vital signs are the findings
    reader's ``VitalReading`` (one reader of vital signs in text), shown as written."""

    name: str
    value: str          # "150/95", "38.5" — digits exactly as in the note
    unit: str
    span: Span
    abnormal: bool = False
    qualifier: str = ""  # the note's word that dates the value ("baseline"), shown with it

    def render(self, lang: str = "en", *, compact: bool = False) -> str:
        label = compact_label(self.name, lang) if compact else (LABELS_ZH if lang == "zh" else LABELS_EN)[self.name]
        sep = "" if self.unit in ("%", "°C", "/min") else " "
        unit = self.unit
        if compact and self.name in _UNIT_GOES_WITHOUT_SAYING and unit == UNITS.get(self.name):
            unit = ""           # "BP 150/95", "HR 110", "T 38.4": the usual unit of a vital sign
        text = f"{label} {self.value}{sep}{unit}".strip()
        if label.lower().rstrip("s") in self.value.lower():
            text = f"{self.value}{sep}{unit}".strip()   # "Seizure-free since May" says its label
        if self.qualifier:
            text += f"（{self.qualifier}）" if lang == "zh" else f" ({self.qualifier})"
        return text + (" (!)" if self.abnormal else "")

    def numbers(self) -> list[float]:
        if self.name == "urine_protein":
            return [float(_protein_grade(self.value))]
        if self.name in QUOTED_AS_WRITTEN:
            # "45 mg/mmol", "79.5cm", "-2.2": the number of a value written with its unit
            return [float(x.replace("−", "-")) for x in re.findall(r"[-−]?\d+(?:\.\d+)?", self.value)[:1]]
        if self.name in _TEXT_VALUES:
            return []
        return [float(x.strip("<> ").replace(",", "")) for x in self.value.split("/")]


_UNIT_GOES_WITHOUT_SAYING = frozenset({"bp", "hr", "rr", "temp"})


def compact_label(name: str, lang: str) -> str:
    """The short label of a reading in compact text ("Wt", "FH"; none for "G1P0")."""
    if lang == "zh":
        return COMPACT_LABELS_ZH.get(name, LABELS_ZH[name])
    return COMPACT_LABELS_EN.get(name, LABELS_EN[name])


def _protein_grade(value: str) -> int:
    """Dipstick protein as a whole grade: negative / trace 0, "+" … "++++" or "1+" … "4+"
    (the grade scale of :func:`dipstick_grade`, trace counted as none)."""
    grade = dipstick_grade(value)
    return int(grade) if grade is not None else 0


# A urine dipstick result: an analyte of ``wording.toml`` [dipstick] and its grade on the
# ordered scale (negative 0, trace 0.5, "+" 1 … "++++" 4; "2+" = "++" = "(++)"; a grade
# word of [dipstick_grade]). "白细胞(+++)" and "白细胞3+" are both (leucocytes, 3).
_PLUS = r"[1-4]\s*\+|\+\s*[1-4](?![\d.])|\+{1,4}(?![+\w])"


def dipstick_grade(written: str) -> float | None:
    """The grade ``written`` says on the dipstick scale, or None."""
    value = nfkc(written).strip().strip("()（）").strip().lower()
    for grade, words in load_wording().dipstick_grades.items():
        if value in words:
            return float(grade)
    if (m := re.fullmatch(r"([1-4])\s*\+|\+\s*([1-4])", value)):
        return float(m.group(1) or m.group(2))
    if re.fullmatch(r"\+{1,4}", value):
        return float(len(value))
    return None


@lru_cache(maxsize=1)
def _dipstick_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    words = load_wording()
    analyte_of = {alias: key for key, aliases in words.dipstick.items() for alias in aliases}
    grade_words = sorted((w for ws in words.dipstick_grades.values() for w in ws), key=len, reverse=True)

    grade = rf"[(（]?\s*(?:{_PLUS}|{word_alternation(grade_words)})\s*[)）]?(?![A-Za-z0-9])"
    analytes = word_alternation(list(analyte_of))
    # the analyte, then its grade ("leucocytes ++", "白细胞(+++)"), a grade word for it
    # ("positive for nitrites", "negative for blood"), or the grade before it ("2+ protein")
    pattern = re.compile(rf"(?P<a>{analytes})\s*(?:[:：=]|示|为|is|was)?\s*(?P<g>{grade})"
                         rf"|(?P<g2>{word_alternation(grade_words)})\s+for\s+(?P<a2>{analytes})"
                         rf"|(?<![\w+])(?P<g3>[1-4]\s*\+|\+{{1,4}}|{word_alternation(grade_words)})\s+(?:of\s+)?(?P<a3>{analytes})",
                         re.IGNORECASE)
    return pattern, analyte_of


def dipstick_grades(text: str) -> list[tuple[str, float, Span]]:
    """(analyte, grade, span) for each urine dipstick result written in ``text``."""
    pattern, analyte_of = _dipstick_pattern()
    text = nfkc(text)
    out: list[tuple[str, float, Span]] = []
    worded_first: list[tuple[str, float, Span]] = []       # a grade word before its analyte: "no blood", "negative for sugar"
    for m in pattern.finditer(text):
        grade = dipstick_grade(m.group("g") or m.group("g2") or m.group("g3"))
        if grade is not None:
            analyte = analyte_of[(m.group("a") or m.group("a2") or m.group("a3")).lower()]
            reading = (analyte, grade, Span(m.start(), m.end(), m.group()))
            word_first = (m.group("g2") or (m.group("g3") and "+" not in m.group("g3"))) and \
                (m.group("a2") or m.group("a3")).lower() in load_wording().dipstick_context.get("everyday", ())
            (worded_first if word_first else out).append(reading)
    if worded_first and not out:
        # (the urine word in the reading's sentence or the one before it: "Urine dip done. No
        # blood." - not a later one: "Loose stools, no blood. Passing urine normally.")
        sentences = split_sentences(text)
        worded_first = [r for r in worded_first if any(
            _urine_context().search(text[sentences[max(0, i - 1)][1]:end])
            for i, (_s, start, end) in enumerate(sentences) if start <= r[2].start < end)]
    if worded_first:
        out = sorted(out + worded_first, key=lambda r: r[2].start)
    return out


@lru_cache(maxsize=1)
def _urine_context() -> re.Pattern[str]:
    """A word of ``wording.toml [dipstick_context]``: the line speaks of urine."""
    return re.compile(word_alternation(load_wording().dipstick_context.get("urine", ())), re.IGNORECASE)


# Each name's quantity in the one table of plausible ranges (``lantern.domain.vitals``).
_QUANTITY = {"hr": "heart_rate", "rr": "resp_rate", "temp": "temp_c", "spo2": "spo2",
             "weight": "weight_kg", "muac": "muac_mm", "glucose": "glucose_mmol_l", "hb": "hb_g_dl",
             "hba1c": "hba1c_pct", "vl": "viral_load", "cd4": "cd4", "urine_protein": "urine_protein",
             "fh": "fundal_height_cm", "fhr": "fetal_heart_rate", "k": "potassium", "na": "sodium", "ca": "calcium",
             "alt": "alt", "egfr": "egfr", "ntprobnp": "nt_probnp", "ef": "ejection_fraction",
             "pef": "peak_flow"}


def _quantities(name: str, nums: list[float], unit: str) -> list[tuple[str, float]]:
    """The reading as (quantity, value) pairs of the range table, in its units."""
    if name == "bp":
        return [("sbp", nums[0]), ("dbp", nums[1])]
    if name == "muac" and (unit == "cm" or (not unit and nums[0] < 30)):
        return [("muac_mm", nums[0] * 10)]
    if name == "creatinine":
        mg = "mg" in unit.lower() or (not unit and nums[0] <= 20)
        return [("creatinine_mg_dl" if mg else "creatinine_umol_l", nums[0])]
    return [(_QUANTITY[name], nums[0])]


def _plausible(name: str, nums: list[float], unit: str) -> bool:
    if name == "bp":
        return plausible_bp(nums[0], nums[1])
    return all(plausible(q, v) for q, v in _quantities(name, nums, unit))


def _abnormal_finding(finding: str, negated: bool) -> bool:
    """A finding derived from a reading that makes it abnormal: present, and not the finding
    that the value is normal ("spo2_normal" for SpO2 98%: no "(!)")."""
    return not negated and not finding.endswith("_normal")


def _abnormal(name: str, nums: list[float], unit: str, age_years: float | None) -> bool:
    """A vital sign is abnormal when the clinical thresholds for the age derive a finding
    from it (fever, fast breathing, hypoxaemia, raised BP...: ``vitals.derive``, the one
    definition); a laboratory result when it lies outside its reference interval."""
    for quantity, value in _quantities(name, nums, unit):
        if outside_reference(quantity, value):
            return True
        reading = VitalReading(quantity, value, None, "note")
        if any(_abnormal_finding(f, negated) for f, negated in derive(reading, age_years=age_years)):
            return True
    return False


# A number followed by these is a time, a count or a dipstick grade, not the reading
# ("RBG 30 min", "blood sugar 6 hrly", "glucose 1+", "P 20:20").
# (Case matters: "hrs" after a number is a time, "HR" is the next reading's label.)
_NOT_A_READING = re.compile(r"\s*(?:[Mm]ins?\b|[Mm]inutes?\b|hrs?\b|Hrs\b|[Hh]ourly\b|[Hh]rly\b|[Hh]ours?\b|h\b|"
                            r"[Dd]ays?\b|[Ss]ecs?\b|[Ss]econds?\b|\+|:\d|x\s*\d|"
                            # "Repeat K 2 wks", "复查血钾 2周": a time until a test, not its value
                            r"[Ww](?:ee)?ks?\b|[Mm]onths?\b|[Mm]o\b|/7\b|/52\b|周|天|个月)")
# "最高血压 200/110", "highest BP 200/110": a past extreme, not today's reading.
_PAST_EXTREME = re.compile(r"(?:最高|最低|既往最高|出生|基线|highest|lowest|max(?:imum)?|baseline|usual(?:ly)?|"
                           r"(?:at )?birth)\s*$", re.I)


_BASELINE = re.compile(r"baseline|基线", re.I)


def extract_vitals(text: str, *, doc: int = 0, base: int = 0,
                   age_years: float | None = None, baseline: bool = False) -> list[Measurement]:
    """The readings of ``text``; ``baseline``: also a result the note dates as the baseline
    ("baseline VL 85,000"), with that word (a history's first value), else it is left out."""
    readings = _vital_signs(text, doc=doc, base=base, age_years=age_years)
    taken: list[tuple[int, int]] = [(r.span.start - base, r.span.end - base) for r in readings]
    for name, rx, unit, _ in _RXS:
        for m in rx.finditer(text):
            if name in ("k", "na", "ca") and not _lower_ok(m.group(0)):
                continue
            groups = [g for g in m.groups() if g]
            if not groups or any(m.start() < e and s < m.end() for s, e in taken):
                continue
            last = max(i for i, g in enumerate(m.groups(), start=1) if g)
            if _NOT_A_READING.match(text, m.end(last)):
                continue
            qualifier = ""
            if past := _PAST_EXTREME.search(text[max(0, m.start() - 12):m.start()]):
                if not (baseline and _BASELINE.fullmatch(past.group(0).strip())):
                    continue
                qualifier = past.group(0).strip()   # "baseline VL 85,000": a result, dated by its word
            value = "/".join(groups[:2]) if name == "bp" else re.sub(r"\s+", "", groups[0])
            if name in _TEXT_VALUES:
                value = re.sub(r"\s+", " ", groups[0]).strip()
                taken.append((m.start(), m.end()))
                readings.append(Measurement(name, value, "", Span(base + m.start(), base + m.end(), doc=doc)))
                continue
            if name == "urine_protein":
                taken.append((m.start(), m.end()))
                readings.append(Measurement(name, value, "", Span(base + m.start(), base + m.end(), doc=doc),
                                             _protein_grade(value) >= 1))
                continue
            shown_unit = unit
            if name == "muac":
                shown_unit = next((g for g in groups[1:] if g in ("mm", "cm")), "")
            if name == "creatinine":
                shown_unit = groups[1] if len(groups) > 1 else ""
            try:
                nums = [float(x.strip("<>").replace(",", "")) for x in value.split("/")]
            except ValueError:
                continue
            if not _plausible(name, nums, shown_unit):
                continue
            taken.append((m.start(), m.end()))
            readings.append(Measurement(name, value, shown_unit, Span(base + m.start(), base + m.end(), doc=doc),
                                         _abnormal(name, nums, shown_unit, age_years), qualifier=qualifier))
    readings.sort(key=lambda r: r.span.start)
    return readings


def _vital_signs(text: str, *, doc: int, base: int, age_years: float | None) -> list[Measurement]:
    """The vital signs of ``text`` as the findings reader reads them, shown as written; a
    BP's two readings (one span) are one value; abnormal by the clinical thresholds."""
    out: list[Measurement] = []
    by_span: dict[tuple[int, int], list[VitalReading]] = {}
    for r in extract_vitals_from_text(text):
        if r.plausible and r.name in _VITALS and r.span is not None:
            by_span.setdefault((r.span.start, r.span.end), []).append(r)
    for (start, end), group in by_span.items():
        name, _zh, unit = _VITALS[group[0].name]
        if name == "bp":
            pair = {r.name: r for r in group}
            if set(pair) != {"sbp", "dbp"}:
                continue
            group = [pair["sbp"], pair["dbp"]]
        value = "/".join(r.written for r in group)
        shown = _WRITTEN_UNITS.get(group[0].unit, unit) if group[0].unit else unit
        abnormal = any(_abnormal_finding(f, negated) for r in group for f, negated in derive(r, age_years=age_years))
        out.append(Measurement(name, value, shown, Span(base + start, base + end, doc=doc), abnormal))
    return out


def reading_first(text: str) -> bool:
    """True when ``text`` opens with a reading, after at most a short label ("RR 48, no chest
    indrawing", "Mother: T 37.0, BP 124/80, lochia normal", "体温37.9℃，切口红肿"): an examination
    line, wherever the note put it."""
    m = re.match(r"^\W*(?:[A-Za-z]{2,12}\s*[:：]\s*)?", text)
    head = text[m.end():] if m else text
    found = [r for r in extract_vitals(head[:40]) if r.name not in _TEXT_VALUES]   # ("G2P1 at 28 weeks, ...": history)
    return bool(found) and found[0].span.start == 0


# The chemistry whose value is also a finding for diagnosis and triage (``vitals.derive``):
# sodium, potassium and calcium.
_CHEMISTRY = ("k", "na", "ca")


def chemistry_readings(text: str) -> list[VitalReading]:
    """Sodium, potassium and calcium written in ``text`` ("Na 114", "血钾6.4mmol/L", "corrected
    Ca 2.9") as readings of the range table, for the findings they imply (hyponatraemia,
    hyperkalaemia, hypercalcaemia); a past or usual value ("prev 138", "baseline") is none."""
    out: list[VitalReading] = []
    for m in extract_vitals(text):
        if m.name not in _CHEMISTRY or m.qualifier:
            continue
        try:
            value = float(m.value)
        except ValueError:
            continue
        out.append(VitalReading(_QUANTITY[m.name], value, m.span, "note", written=m.value))
    return out


def _lower_ok(matched: str) -> bool:
    # Single letters "P"/"R" must be upper case; words may be any case.
    head = re.match(r"[A-Za-z]+", matched)
    return not head or len(head.group(0)) > 1 or head.group(0).isupper()


# The vitals form's fields as the readings a summary shows (name, unit shown).
FORM_FIELDS = (("temp_c", "temp"), ("resp_rate", "rr"), ("heart_rate", "hr"), ("bp", "bp"), ("spo2", "spo2"),
               ("weight_kg", "weight"), ("muac_mm", "muac"), ("glucose_mmol_l", "glucose"), ("hb_g_dl", "hb"))


def form_reading(name: str, numbers: list[float], span: Span, *,
                 age_years: float | None = None) -> Measurement | None:
    """A reading typed in the vitals form (not read from text), or None when implausible."""
    unit = "mm" if name == "muac" else UNITS[name]
    if not _plausible(name, numbers, unit):
        return None
    value = "/".join(f"{n:g}" for n in numbers)
    return Measurement(name, value, unit, span, _abnormal(name, numbers, unit, age_years))
