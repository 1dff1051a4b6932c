"""Vital signs written in a note ("RR 52", "BP 160/110", "体温39.5"), their
plausibility, and the findings derived from them (fever, fast breathing for age,
hypoxaemia ...).

Thresholds:
- fever >= 37.5 °C, high fever >= 39, very high >= 40, hypothermia < 35.5 (WHO IMCI 2014);
- fast breathing: < 2 months >= 60, 2–12 months >= 50, 1–5 years >= 40 (IMCI),
  5–12 years >= 30, >= 12 years >= 24; very fast: >= 60 under 2 months, >= 30
  from 12 years (WHO IMAI / ETAT);
- SpO2 < 90% hypoxaemia, 90–93% low (WHO oxygen therapy for children 2016);
- SBP < 90 hypotension (adults; children < 70 + 2 x age in years);
- BP >= 140/90 raised, >= 160/110 severe, >= 180/120 crisis range (WHO HEARTS,
  WHO pre-eclampsia recommendations);
- glucose < 3.0 mmol/L (< 3.9 from 12 years) low, >= 11.1 high, >= 15 very high;
- Hb < 7 g/dL severe anaemia (< 8 in non-pregnant people from 15 years); anaemia < 11 (under 5 /
  pregnant), < 11.5 at 5-11 years, < 12 at 12-14 years and in women, < 13 men (WHO 2011);
- MUAC < 115 mm severe, 115–124 moderate (children under 5, IMCI);
- heart rate < 50 from 12 years a slow pulse, < 40 a very slow one (Resuscitation Council UK /
  ERC 2021 adult bradycardia algorithm);
- sodium < 130 mmol/L low, < 125 severe; potassium >= 5.5 high, >= 6.0 needing same-day care,
  >= 6.5 severe; adjusted calcium > 2.6 high (NICE CKS Hyponatraemia, Hyperkalaemia,
  Hypercalcaemia; UK Kidney Association hyperkalaemia guideline 2023).
Values outside the plausible ranges (``lantern.domain.vitals``, the one table) are
flagged and never used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lantern.clinical import knowledge_ids as K
from lantern.clinical.language.durations import OPENING_AGE_SEX
from lantern.clinical.language.tokens import Span
from lantern.domain.records import Vitals
from lantern.domain.vitals import plausible, plausible_bp


@dataclass(frozen=True, slots=True)
class VitalReading:
    name: str                 # a Vitals field name, or "gcs" / "crt_s"
    value: float              # in the unit of the range table (°C, mmHg, mmol/L, g/dL, mm...)
    span: Span | None         # None for structured vitals
    source: str               # "note" | "vitals"
    plausible: bool = True
    written: str = ""         # the number as the note wrote it ("101.8", "10.7")
    unit: str = ""            # the unit the note wrote, when it gave one ("F", "mg/dl", "kpa")


_NUM = r"(\d{1,3}(?:[.,]\d{1,2})?)"
# (a reading's name and its number may have a time or a plain word between them: "BP today
# 138/84", "blood pressure remains high, at 168/102", "血红蛋白为102g/L")
_SEP = (r"\s*(?:(?:today|now|currently|on arrival|(?:taken\s+|checked\s+)?at\s+home)\s*)?"
        r"(?:[:=]|of|is|was|at|为|是|(?:is|was|remains?|remained)\s+(?:high|raised|elevated|low)\s*,?\s*at)?\s*")


def _f(text: str) -> float:
    return float(text.replace(",", "."))


def _temp(m: re.Match) -> list[tuple[str, float]]:
    value = _f(m.group("v"))
    unit = (m.group("u") or "").lower()
    if unit == "f" and not 80 <= value <= 115:
        return []          # "30F", "34F": age and sex ("30-year-old female"), not 30 °F
    if "f" in unit or (not unit and 93 <= value <= 110):
        value = round((value - 32) * 5 / 9, 1)
    return [("temp_c", value)]


def _bp(m: re.Match) -> list[tuple[str, float]]:
    return [("sbp", _f(m.group("s"))), ("dbp", _f(m.group("d")))]


def _bp_kpa(m: re.Match) -> list[tuple[str, float]]:
    # Older Chinese records write BP in kPa ("血压10.7/6.7kPa"); 1 kPa = 7.50 mmHg.
    return [("sbp", round(_f(m.group("s")) * 7.5)), ("dbp", round(_f(m.group("d")) * 7.5))]


def _simple(name: str) -> Callable[[re.Match], list[tuple[str, float]]]:
    return lambda m: [(name, _f(m.group("v")))]


def _muac(m: re.Match) -> list[tuple[str, float]]:
    value, unit = _f(m.group("v")), (m.group("u") or "").lower()
    return [("muac_mm", value * 10 if unit == "cm" or (not unit and value < 30) else value)]


def _glucose(m: re.Match) -> list[tuple[str, float]]:
    value, unit = _f(m.group("v")), (m.group("u") or "").lower().replace(" ", "")
    if "mg" in unit or (not unit and value > 40):
        value = round(value / 18.0, 1)
    return [("glucose_mmol_l", value)]


def _hb(m: re.Match) -> list[tuple[str, float]]:
    value, unit = _f(m.group("v")), (m.group("u") or "").lower().replace(" ", "")
    if unit in ("g/l", "gl") or (not unit and value > 30):
        value = value / 10
    return [("hb_g_dl", value)]


def _crt(m: re.Match) -> list[tuple[str, float]]:
    value = _f(m.group("v"))
    if m.group("op") and m.group("op") in (">", "≥", ">="):
        value += 0.5
    return [("crt_s", value)]


_I = re.IGNORECASE
# the saturation written after "O2" ("O2 94%", "O2: 91% RA"): 70-99 %, so "O2 40%" (an oxygen
# concentration) is none; the medication reader leaves such an "O2" out of the oxygen given
SATURATION_AFTER_O2 = r"\s*[:=]?\s*(?P<v>[7-9]\d)\s*%"


_PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], list[tuple[str, float]]]]] = [
    (re.compile(r"(?:\b(?:bp|b/p|blood\s*pressure)|血压)(?:\s*\(?(?:lying|standing|sitting|supine|seated|erect)\)?)?"
                + _SEP + r"(?P<s>\d{2,3})\s*(?:/|\bover\b)\s*(?P<d>\d{2,3})", _I), _bp),
    (re.compile(r"\b(?P<s>\d{2,3})\s*/\s*(?P<d>\d{2,3})\s*mm\s*hg", _I), _bp),
    (re.compile(r"(?<![\d.])(?P<s>\d{1,2}(?:[.,]\d{1,2})?)\s*/\s*(?P<d>\d{1,2}(?:[.,]\d{1,2})?)\s*kpa\b", _I), _bp_kpa),
    (re.compile(r"(?:\b(?:t|temp|temperature|tmax|axillary\s*temp(?:erature)?)|体温(?:不升)?)" + _SEP
                + r"(?P<v>\d{2,3}(?:[.,]\d{1,2})?)\s*(?P<u>°\s*[cf]\b|℃|[cf]\b(?!\s*/)|deg(?:rees)?\s*[cf]?\b|度)?", _I), _temp),
    (re.compile(r"\b(?P<v>3\d(?:[.,]\d)?|4[0-3](?:[.,]\d)?|9\d(?:[.,]\d)?|10\d(?:[.,]\d)?)\s*(?P<u>°\s*[cf]\b|℃|[cf]\b(?!\s*/))", _I), _temp),
    # "fever 39", "febrile 38,5", "pyrexial to 39.4", "发热39.2" (no unit; only 35-42 so
    # "fever 3 days" is not read as a temperature)
    (re.compile(r"(?:\b(?:fever|febrile|pyrexia|pyrexial|spiking|spiked)|发热|发烧|高热|低热|体温高)"
                r"\s*(?:[:=]|of|to|at|up\s*to|till|最高|达|至|到|有)?\s*"
                r"(?P<v>3[5-9](?:[.,]\d{1,2})?|4[0-2](?:[.,]\d{1,2})?)(?![\d.,]*\s*(?:h\b|hrs?\b|hours?|d\b|days?|天|日|小时|次|/|%))"
                r"\s*(?P<u>°\s*c\b|℃|c\b|度)?", _I), _temp),
    # the peak of this fever, written after it in the same clause: "fever x2/7 (max 39.2)",
    # "febrile for 3 days, peaking at 39.5", "发热3天，最高体温39.2": the highest temperature reached
    # (a bare "发烧，最高40.0℃" after a comma stays unread: it is often the peak before an
    # antipyretic, told beside the value after it)
    (re.compile(r"(?:\b(?:fever|febrile|pyrexia|pyrexial)|发热|发烧)[^.;。；!?！？\n]{0,20}?"
                r"(?:\b(?:max(?:imum)?|peak(?:ed|ing)?|highest)\s*(?:[:=]|of|at|to)?|最高体温(?:达|至|到)?)\s*"
                r"(?P<v>3[5-9](?:[.,]\d{1,2})?|4[0-2](?:[.,]\d{1,2})?)(?![\d.,]*\s*(?:h\b|hrs?\b|hours?|d\b|days?|天|日|小时|次|/|%))"
                r"\s*(?P<u>°\s*c\b|℃|c\b|度)?", _I), _temp),
    (re.compile(r"(?:\b(?:rr|resp(?:iratory)?\s*rate|resp|respirations|breathing\s*rate)|呼吸频率|呼吸)" + _SEP
                + r"(?P<v>\d{1,3})(?!\s*[/.]\s*\d)", _I), _simple("resp_rate")),
    (re.compile(r"\b(?P<v>\d{1,3})\s*(?:breaths?\s*(?:/|per)\s*min|bpm\s*resp)", _I), _simple("resp_rate")),
    # counted by a parent or a health worker: "46 breaths in one minute", "breathing 46 times a
    # minute", "呼吸每分钟55次", "呼吸好快，一分钟30多次"
    (re.compile(r"\b(?P<v>\d{1,3})\s*breaths?\s*(?:in|per|a|each|/)\s*(?:one|1|a|the)?\s*min(?:ute)?s?\b", _I),
     _simple("resp_rate")),
    (re.compile(r"\bbreathing\s*(?:[:=]|at|of|is|about)?\s*(?P<v>\d{1,3})\s*(?:/\s*min|per\s*min)", _I),
     _simple("resp_rate")),
    (re.compile(r"\bbreath(?:ing|es)?\s*(?:at|of|is|about)?\s*(?P<v>\d{1,3})\s*times\s*(?:in|per|a|each|/)\s*"
                r"(?:one|1|a|the)?\s*min(?:ute)?s?\b", _I), _simple("resp_rate")),
    (re.compile(r"呼吸[^。；;！!？?\d]{0,8}?(?:每分钟|每分|一分钟|1分钟)\s*(?P<v>\d{1,3})\s*(?:多|余)?\s*次"),
     _simple("resp_rate")),
    (re.compile(r"(?:心率|心跳|脉搏)[^。；;！!？?\d]{0,6}?(?:每分钟|每分|一分钟|1分钟)\s*(?P<v>\d{2,3})\s*(?:多|余)?\s*次"),
     _simple("heart_rate")),
    # "T 38.5℃ P 110次/分 R 24次/分 BP 120/80": a bare R with a unit or before BP
    (re.compile(r"\bR\s*[:=]?\s*(?P<v>\d{1,3})(?=\s*(?:次|/\s*min|bpm|breaths|[,，;]?\s*(?:BP\b|血压)))"),
     _simple("resp_rate")),
    (re.compile(r"(?:\b(?:hr|pr|pulse(?:\s*rate)?|heart\s*rate|p)|心率|脉搏)" + _SEP
                + r"(?P<v>\d{2,3})(?!\s*[/.]\s*\d)(?!\s*%)", _I), _simple("heart_rate")),
    (re.compile(r"\b(?P<v>\d{2,3})\s*(?:bpm|beats\s*(?:/|per)\s*min)", _I), _simple("heart_rate")),
    # a bare "rate" is the heart's ("ECG: sinus rhythm, rate 72"); a respiratory rate is read
    # above, an infusion's or a flow's is no vital sign
    (re.compile(r"(?<!infusion )(?<!flow )(?<!drip )(?<!drop )\brate\s*(?:[:=]|of|is|was|at)?\s*"
                r"(?P<v>\d{2,3})(?!\s*[/.]\s*\d)(?!\s*(?:%|ml|l\b|l/|mg|mcg|units?|drops?|gtt))", _I),
     _simple("heart_rate")),
    (re.compile(r"(?:\b(?:spo2|sp02|sao2|spo₂|o2\s*sats?|sats?|oxygen\s*saturation|saturation|satn)|血氧饱和度|血氧)"
                + r"\s*(?:[:=]|of|is|was)?\s*(?P<v>\d{2,3})\s*%?", _I), _simple("spo2")),
    # "O2 94%", "O2 91% RA": a saturation written after "O2" (70-99 %: "O2 40%" is an oxygen
    # concentration, a flow is in litres; "FiO2 40%" is no saturation)
    (re.compile(r"(?<![A-Za-z])O2" + SATURATION_AFTER_O2, _I), _simple("spo2")),
    (re.compile(r"\b(?P<v>\d{2,3})\s*%\s*(?:on\s*(?:room\s*air|ra|air)|ra\b)", _I), _simple("spo2")),
    (re.compile(r"(?:\b(?:wt|weight|weighs)|体重)" + _SEP + r"(?P<v>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:kgs?|公斤|千克)?", _I), _simple("weight_kg")),
    (re.compile(r"(?:\bmuac|\b(?:mid-?\s?)?upper\s+arm\s+circumference|上臂围)" + _SEP + r"(?P<v>\d{1,3}(?:[.,]\d)?)\s*(?P<u>mm|cm)?", _I), _muac),
    # also lay wording: "the glucose machine said 22", "sugar level was 22", "血糖仪显示22"
    (re.compile(r"(?:\b(?:rbs|fbs|rbg|fbg|cbg|hgt|glucometer|gluc(?:ose)?|blood\s*(?:sugar|glucose)|bs|sugar|dextrostix)|血糖)"
                r"(?:\s*(?:machine|meter|metre|level|reading|test|check|strip|result)s?|仪)?"
                r"\s*(?:[:=]|of|is|was|at|said|says|showed|shows|read|reads|gave|came\s+out(?:\s+at|\s+as)?"
                r"|显示|测得|为|是)?\s*"
                r"(?P<v>\d{1,3}(?:[.,]\d{1,2})?)(?![.,]?\d)(?!\s*(?:years?|yrs?|months?|days?|weeks?|年|个月|月|天))"
                r"\s*(?P<u>mmol\s*/?\s*l|mg\s*/?\s*dl)?", _I), _glucose),
    (re.compile(r"(?:\b(?:hb|hgb|haemoglobin|hemoglobin)|(?<!糖化)血红蛋白)" + _SEP
                + r"(?P<v>\d{1,3}(?:[.,]\d{1,2})?)\s*(?P<u>g\s*/\s*dl|g\s*/\s*l|gdl)?", _I), _hb),
    # (the scale written out: "Glasgow Coma Scale 13 out of 15", 格拉斯哥昏迷评分13分)
    (re.compile(r"(?:\bgcs|\bglasgow\s+coma\s+(?:scale|score)|格拉斯哥昏迷(?:评分|量表|指数))" + _SEP
                + r"(?P<v>\d{1,2})(?:\s*(?:/|out\s+of)\s*15)?", _I), _simple("gcs")),
    (re.compile(r"(?:\b(?:crt|cap(?:illary)?\s*refill(?:\s*time)?)|毛细血管再充盈时间)" + r"\s*(?:[:=]|of|is|was)?\s*"
                + r"(?P<op>>=|[<>≥≤])?\s*(?P<v>\d{1,2}(?:[.,]\d)?)\s*(?:s\b|secs?\b|seconds?\b|秒)?", _I), _crt),
]


# A number followed by these is a time, a count or a dipstick grade, not the reading
# ("RBG 30 min", "blood sugar 6 hrly", "glucose 1+", "P 20:20", "glucose 6 x2"; not "fever
# 39.2 x2 days", where the x2 is how long).
# (Case matters: "hrs" after a number is a time, "HR" is the next reading's label.)
_NOT_A_READING = re.compile(r"\s*(?:[Mm]ins?\b|[Mm]inutes?\b|hrs?\b|Hrs\b|[Hh]ourly\b|[Hh]rly\b|[Hh]ours?\b|h\b|"
                            r"[Ww]eeks?\b|[Ww]ks?\b|[Mm]onths?\b|[Mm]ths?\b|个月|周后|周复查|"   # "recheck Hb 3 months"
                            r"m[Ll]\b|毫升|"                                # "10% glucose 40 mL": a volume
                            r"[Dd]ays?\b|[Ss]ecs?\b|[Ss]econds?\b|\+|:\d|x\s*\d+(?!\s*(?:/\s*(?:7|52|12)\b|days?\b|d\b|"
                            r"weeks?\b|wks?\b|months?\b|hours?\b|hrs?\b|天|日|周|月)))")
# "最高血压 200/110", "highest BP 200/110", "birth weight 3.1 kg": a past or usual value,
# not today's reading.
_PAST_EXTREME = re.compile(r"(?:最高|最低|既往最高|出生|highest|lowest|max(?:imum)?|baseline|usual(?:ly)?|"
                           r"(?:at )?birth)\s*$", re.I)
# The highest temperature is the peak of this illness's fever, not a past extreme ("最高体温
# 39.2℃" is "Tmax 39.2"); a highest BP or weight stays a past value.
_PEAK_TEMPERATURE = re.compile(r"(?:(?<!既往)最高|highest|max(?:imum)?|peak)\s*$", re.I)
# A value after a comparison is a threshold in a plan, not a reading ("treat if BP above
# 220/120", "血压超过 220/120mmHg 时再处理", "SpO2 < 90%").
_THRESHOLD_BEFORE = re.compile(r"(?:超过|大于|小于|低于|高于|不足|达到|(?<![-=])>=?|<=?|≥|≤|\babove|\bbelow|\bover|\bunder|"
                               r"\bexceeds?|\bexceeding|\bat least|\bless than|\bmore than|\bgreater than)\s*$", re.I)
# A glucose after a concentration is a fluid, not a reading ("10% glucose 40 mL", "50% glucose";
# the word glucose only: in "SpO2 95% RBS 6.1" the percent is the reading before).
_CONCENTRATION_BEFORE = re.compile(r"\d+(?:\.\d+)?\s*%\s*$")
# A heart rate written for the fetus is not the patient's ("FHR 142 bpm", "胎心 140次/分").
_FETAL = re.compile(r"(?:\bFH[RS]?|fetal|foetal|胎心(?:率)?)\W{0,3}$|胎$", re.I)


def _value_end(m: re.Match) -> int:
    groups = m.groupdict()
    return m.end("d") if groups.get("d") is not None else m.end("v")


def _written(m: re.Match, name: str) -> str:
    groups = m.groupdict()
    if name in ("sbp", "dbp") and groups.get("s") is not None:
        return groups["s" if name == "sbp" else "d"]
    return groups.get("v") or ""


def _unit_written(m: re.Match) -> str:
    if "kpa" in m.group().lower():
        return "kPa"
    return re.sub(r"[\s°]", "", m.groupdict().get("u") or "").lower()


_WHOLE_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _cut_short(m: re.Match, text: str) -> dict[str, tuple[float, int]]:
    """Value groups the pattern ended inside a longer number ("T 9999" matched as "T 999"):
    group name -> (the whole number, where it ends). The whole number is the reading."""
    out = {}
    for group in ("v", "s", "d"):
        if m.groupdict().get(group) is None or not text[m.end(group):m.end(group) + 1].isdigit():
            continue
        whole = _WHOLE_NUMBER.match(text, m.start(group))
        if whole is not None:
            out[group] = (_f(whole.group()), whole.end())
    return out


def _whole_values(pairs: list[tuple[str, float]], cut: dict[str, tuple[float, int]]
                  ) -> list[tuple[str, float]]:
    if not cut:
        return pairs
    names = {"sbp": "s", "dbp": "d"}
    return [(name, cut[names.get(name, "v")][0]) if names.get(name, "v") in cut else (name, value)
            for name, value in pairs]


def implausible_warning(reading: VitalReading) -> str:
    """How ``diagnose`` and ``summarize`` both say that a value was flagged and not used."""
    return f"implausible value ignored: {reading.name} {reading.value:g}"


def extract_vitals_from_text(text: str) -> list[VitalReading]:
    """Every vital sign written in ``text``, in order of appearance.

    Implausible values ("RR 500", "T 60") are returned with ``plausible=False``. A
    number that is a time, a count or a dipstick grade ("RBG 30 min", "glucose 1+"), a
    past or usual extreme ("highest BP 200/110") and a fetal heart rate are no reading.
    """
    out: list[tuple[int, VitalReading]] = []
    taken = bytearray(len(text))          # 1 where an earlier pattern already matched
    opening = OPENING_AGE_SEX.match(text)   # "92F lives alone": the patient's age, no 92 °F
    if opening:
        taken[opening.start("n"):opening.end()] = b"\x01" * (opening.end() - opening.start("n"))
    for pattern, convert in _PATTERNS:
        for m in pattern.finditer(text):
            if 1 in taken[m.start():m.end()]:
                continue
            before = text[max(0, m.start() - 12):m.start()]
            if ((convert is not _crt and _NOT_A_READING.match(text, _value_end(m))) or (_PAST_EXTREME.search(before)
                                                                             and not (convert is _temp and _PEAK_TEMPERATURE.search(before)))
                    or _FETAL.search(before) or _THRESHOLD_BEFORE.search(before)
                    or (convert is _glucose and m.group().lower().startswith("gluc")
                        and _CONCENTRATION_BEFORE.search(before))):
                taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())   # no other pattern reads it
                continue
            try:
                cut = _cut_short(m, text)
                pairs = _whole_values(convert(m), cut)
            except ValueError:
                continue
            end = max([m.end(), *(e for _, e in cut.values())])
            taken[m.start():end] = b"\x01" * (end - m.start())
            span = Span(m.start(), end, text[m.start():end])
            values = dict(pairs)
            pair_ok = "sbp" not in values or "dbp" not in values or plausible_bp(values["sbp"], values["dbp"])
            for name, value in pairs:
                ok = plausible(name, value) and pair_ok
                out.append((m.start(), VitalReading(name, value, span, "note", ok, _written(m, name),
                                                    _unit_written(m))))
    out.sort(key=lambda item: item[0])
    return [r for _, r in out]


def readings_from_vitals(vitals: Vitals | dict | None) -> list[VitalReading]:
    if vitals is None:
        return []
    if isinstance(vitals, dict):
        vitals = Vitals.from_dict(vitals)
    return [VitalReading(k, float(v), None, "vitals", plausible(k, float(v)))
            for k, v in vitals.as_dict().items()]


@dataclass(frozen=True, slots=True)
class DerivedFinding:
    id: str
    negated: bool
    reading: VitalReading


def _fast_rr(age: float | None) -> float:
    if age is None or age >= 12:
        return 24
    if age < 2 / 12:
        return 60
    if age < 1:
        return 50
    if age < 5:
        return 40
    return 30


def _fast_hr(age: float | None) -> float:
    if age is None or age >= 12:
        return 100
    if age < 1:
        return 160
    if age < 5:
        return 140
    return 120


def _low_sbp(age: float | None) -> float:
    if age is None or age >= 10:
        return 90
    if age < 1:
        return 60
    return 70 + 2 * age


def derive(reading: VitalReading, *, age_years: float | None = None,
           sex: str | None = None, pregnant: bool | None = None) -> list[tuple[str, bool]]:
    """Findings (id, negated) implied by one plausible reading."""
    if not reading.plausible:
        return []
    v, age, name = reading.value, age_years, reading.name
    out: list[tuple[str, bool]] = []
    if name == "temp_c":
        out.append((K.FEVER, v < 37.5))
        if v >= 39.0:
            out.append((K.HIGH_FEVER, False))
        if v >= 40.0:
            out.append((K.VERY_HIGH_FEVER, False))
        if v < 35.5:
            out.append((K.HYPOTHERMIA, False))
    elif name == "resp_rate":
        out.append((K.FAST_BREATHING, v < _fast_rr(age)))
        if (age is not None and age < 2 / 12 and v >= 60) or ((age is None or age >= 12) and v >= 30):
            out.append((K.VERY_FAST_BREATHING, False))
    elif name == "heart_rate":
        out.append((K.TACHYCARDIA, v <= _fast_hr(age)))
        if (age is None or age >= 12) and v < 50:
            out.append((K.BRADYCARDIA, False))
            if v < 40:
                out.append((K.SEVERE_BRADYCARDIA, False))
    elif name == "sodium" and v < 130:
        out.append((K.HYPONATRAEMIA, False))
        out.append((K.SODIUM_BELOW_130, False))
        if v < 125:
            out.append((K.SODIUM_BELOW_125, False))
    elif name == "potassium" and v >= 5.5:
        out.append((K.HYPERKALAEMIA, False))
        if v >= 6.0:
            out.append((K.POTASSIUM_6_OR_MORE, False))
        if v >= 6.5:
            out.append((K.POTASSIUM_6_5_OR_MORE, False))
    elif name == "calcium" and v > 2.6:
        out.append((K.HYPERCALCAEMIA, False))
    elif name == "spo2":
        out.append((K.HYPOXAEMIA, v >= 90))
        if 90 <= v < 94:
            out.append((K.LOW_SPO2, False))
        if v >= 95:
            out.append((K.SPO2_NORMAL, False))
    elif name == "sbp":
        if v < _low_sbp(age):
            out.append((K.HYPOTENSION, False))
        out.extend(_bp_findings(v, None))
    elif name == "dbp":
        out.extend(_bp_findings(None, v))
    elif name == "glucose_mmol_l":
        low = 3.9 if age is None or age >= 12 else 3.0
        if v < low:
            out.append((K.HYPOGLYCAEMIA, False))
        out.append((K.HYPERGLYCAEMIA, v < 11.1))
        if v >= 15:
            out.append((K.VERY_HIGH_GLUCOSE, False))
    elif name == "hb_g_dl":
        # WHO (2011) haemoglobin cut-offs: < 11 at 6-59 months and in pregnancy, < 11.5 at
        # 5-11 years, < 12 at 12-14 years and in women, < 13 in men; severe < 7 (children,
        # pregnancy), < 8 in non-pregnant people from 15 years.
        adult = age is None or age >= 15
        if pregnant or (age is not None and age < 5):
            cut = 11.0
        elif age is not None and age < 12:
            cut = 11.5
        elif not adult:
            cut = 12.0
        else:
            cut = 13.0 if sex == "male" else 12.0
        out.append((K.ANAEMIA_LAB, v >= cut))
        if v < 7 or (adult and not pregnant and v < 8):
            out.append((K.SEVERE_ANAEMIA_LAB, False))
    elif name == "muac_mm" and (age is None or age < 5):
        out.append((K.MUAC_SEVERE, v >= 115))
        if 115 <= v < 125:
            out.append((K.MUAC_MODERATE, False))
    elif name == "gcs":
        if v <= 8:
            out.append((K.UNCONSCIOUS, False))
        elif v < 15:
            out.append((K.ALTERED_CONSCIOUSNESS, False))
    elif name == "crt_s" and v > 3:
        out.append((K.CRT_PROLONGED, False))
    return out


def _bp_findings(sbp: float | None, dbp: float | None) -> list[tuple[str, bool]]:
    # SBP and DBP are judged separately; either one crossing a line is enough.
    value, lines = (sbp, (140, 160, 180)) if sbp is not None else (dbp, (90, 110, 120))
    if value is None:
        return []
    out = [(K.RAISED_BP, value < lines[0])]
    if value >= lines[1]:
        out.append((K.SEVERE_HYPERTENSION, False))
    if value >= lines[2]:
        out.append((K.HYPERTENSIVE_CRISIS, False))
    return out


def merge_readings(structured: Iterable[VitalReading], from_text: Iterable[VitalReading]) -> dict[str, float]:
    """The vitals to report: structured values win; otherwise the last plausible note value."""
    merged: dict[str, float] = {}
    for r in from_text:
        if r.plausible:
            merged[r.name] = r.value
    for r in structured:
        if r.plausible:
            merged[r.name] = r.value
    return merged
