"""Split a note into sections by its headers (English and Chinese), or by
sentence content when the note has no headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.clinical.language.text import split_sentences

SUBJECTIVE, OBJECTIVE, ASSESSMENT, PLAN = "subjective", "objective", "assessment", "plan"
ALLERGIES, MEDICATIONS, FOLLOW_UP = "allergies", "medications", "follow_up"
REQUEST = "request"   # "Requested: ..." in a referral note; part of the plan elsewhere
SECTION_ORDER = (SUBJECTIVE, OBJECTIVE, ASSESSMENT, PLAN, ALLERGIES, MEDICATIONS, FOLLOW_UP)

_HEADERS: dict[str, tuple[str, ...]] = {
    SUBJECTIVE: ("subjective", "s", "cc", "c/o", "complaints?", "chief complaint", "presenting complaint",
                 "hpi", "hpc", "pc", "history(?: of presenting (?:complaint|illness))?", "hx", "pmh", "pmhx",
                 "past (?:medical )?history", "social history", "sh", "fh", "family history",
                 "主诉", "现病史", "病史", "既往史", "个人史", "家族史",
                 # the background a summary must not lose (see ``BACKGROUND_RE``)
                 "immuni[sz]ations?(?: history| status)?", "vaccinations?(?: history| status)?", "vaccines?",
                 "birth history", "birth hx", "perinatal history", "perinatal hx", "neonatal history",
                 "household(?: contacts?)?", "contact history", "obstetric history", "obs(?:tetric)? hx", "past obstetric history",
                 "gyn(?:ae|ecological)? history", "menstrual history", "developmental history", "feeding history",
                 "social hx", "family hx", "fhx", "shx", "family and social history", "family & social history",
                 "预防接种史", "疫苗接种史", "接种史", "出生史", "喂养史", "生长发育史", "月经史", "婚育史", "孕产史",
                 "社会史", "家族及社会史", "个人及社会史", "手术史", "输血史", "预防接种", "免疫接种"),
    OBJECTIVE: ("objective", "o", "o/e", "oe", "on examination", "on exam", "exam today", "exam(?:ination)?", "pe",
                "physical exam(?:ination)?", "vitals", "vital signs", "findings", "labs?", "investigations?",
                "ix", "results?", "bloods", "lab results", "exam findings", "primary survey", "secondary survey",
                "查体", "体格检查", "体检", "生命体征", "辅助检查", "专科检查", "实验室检查", "检查", "化验",
                # "查：T 38.5℃，咽红" (门诊病历 shorthand for 查体)
                "查"),
    ASSESSMENT: ("assessment", "a", "imp", "impression", "dx", "diagnos[ie]s", "ddx", "differentials?",
                 "working diagnosis", "provisional diagnosis", "ax", "a/p",
                 # the IMCI / IMAI chart's classification ("Class: PNEUMONIA", "Classify: ...")
                 "class", "classify", "classifications?", "imci classifications?",
                 "初步诊断", "入院诊断", "出院诊断", "临床诊断", "诊断", "印象", "评估"),
    PLAN: ("plan", "p", "mx", "management", "management plan", "treatment plan", "treatment given",
           "treatment", "tx", "rx", "disposition", "advice", "prescription",
           # the IMCI / IMAI chart's columns after the classification ("Treat: ...", "Counsel: ...")
           "treat", "counsel",
           # what was done before the letter ("Done: ...", "Treatment here: ...", "已处理：...")
           "done", "done here", "done so far", "actions? taken", "treatment here", "treatment so far",
           "given here", "management so far", "pre-?referral (?:treatment|management|rx|tx)(?: given)?",
           "诊疗计划", "处方", "治疗计划", "处理意见", "处理措施", "出院医嘱", "已给予治疗", "治疗方案",
           "已处理", "已予处理", "已做处理", "处理", "治疗", "计划", "处置", "医嘱", "建议", "调整"),
    ALLERGIES: ("allerg(?:y|ies)", "allergy status", "过敏史", "过敏"),
    MEDICATIONS: ("meds", "medications?", "current med(?:ication)?s", "drugs", "drug history", "dhx",
                  "用药", "目前用药", "用药史", "药物"),
    FOLLOW_UP: ("f/u", "fu", "follow[- ]?up", "review", "rtc", "复诊", "随访"),
    REQUEST: ("requested", "request(?:ed)? for", "request", "referral request", "转诊请求", "转诊目的"),
}


def _header_regex() -> re.Pattern[str]:
    alts = []
    for name, words in _HEADERS.items():
        latin = [w for w in words if re.match(r"[a-z(]", w)]
        zh = [w for w in words if not re.match(r"[a-z(]", w)]
        alts.append(rf"(?P<{name}>(?:{'|'.join(latin)})(?![A-Za-z])|{'|'.join(zh)})")
    body = "|".join(alts)
    # A header starts a line or follows a sentence end, and is followed by ':' / '-' / '：', after
    # a bracketed time or qualifier of its own ("体格检查（15:50）：", "Exam (on arrival):").
    return re.compile(rf"(?:^|(?<=[\n.;。；?!？！]))[ \t]*(?:{body})(?:[ \t]*[(（][^()（）\n]{{1,24}}[)）])?"
                      rf"[ \t]*(?:[:：]|-(?!\d)|—)[ \t]*", re.IGNORECASE)


def _qualified_header_regex() -> re.Pattern[str]:
    """A header word with a short qualifier, on its own line start: "Examination at 20:05:",
    "Plan today:", "Danger signs to watch:" is not one (no header word first)."""
    alts = []
    for name, words in _HEADERS.items():
        latin = [w for w in words if re.match(r"[a-z(]", w) and len(w) > 2]
        alts.append(rf"(?P<{name}>(?:{'|'.join(latin)}))")
    return re.compile(rf"^[ \t]*(?:{'|'.join(alts)})[ \t]+(?:\d{{1,2}}:\d{{2}}|[^\n:：.;]){{1,25}}?[ \t]*[:：](?=\s|$)[ \t]*",
                      re.IGNORECASE | re.MULTILINE)


_HEADER_RE = _header_regex()
_QUALIFIED_HEADER_RE = _qualified_header_regex()
# The history sections a note gives beside the presenting illness: past, birth, immunisation,
# obstetric, family and social history (issue 13: their facts are kept, not cut with the
# presenting illness's sentences).
BACKGROUND_RE = re.compile(
    r"(?:pmhx?|past (?:medical |obstetric )?history|social (?:history|hx)|sh|fh|fhx|shx|family (?:history|hx)|"
    r"family (?:and|&) social history|immuni[sz]ations?(?: history| status)?|vaccinations?(?: history| status)?|"
    r"vaccines?|birth (?:history|hx)|perinatal (?:history|hx)|neonatal history|household(?: contacts?)?|"
    r"contact history|obstetric history|obs(?:tetric)? hx|gyn(?:ae|ecological)? history|"
    r"menstrual history|developmental history|feeding history|"
    r"既往史|个人史|家族史|预防接种史|疫苗接种史|接种史|出生史|喂养史|生长发育史|月经史|婚育史|孕产史|社会史|"
    r"家族及社会史|个人及社会史|手术史|输血史|预防接种|免疫接种)(?:[ \t][^\n:：.;]{1,25}?)?[ \t]*(?:[:：]|-|—)[ \t]*$",
    re.IGNORECASE)
_BACKGROUND_HEAD = re.compile(r"(?:^|(?<=[\n.;。；?!？！]))[ \t]*(?:" + BACKGROUND_RE.pattern.removesuffix("$") + ")",
                              re.IGNORECASE | re.MULTILINE)
_LABEL_LINE = re.compile(r"\n[ \t]*(?:\d+[.、)]\s*)?[A-Za-z\u4e00-\u9fff][^\n:：.;。]{0,30}[:：]")
# A Chinese header with a qualifier before its word, at a line start ("产科检查：", "本次主诉：",
# "一般检查：", "既往检查回顾：", "入院前用药：").
_ZH_QUALIFIED_HEADER_RE = re.compile(
    r"^[ \t]*(?![^\n：:]{0,4}(?:建议|待|需|拟|复|下次))[\u4e00-\u9fff]{1,4}"
    r"(?:(?P<subjective>主诉|病史)|(?P<objective>检查|查体|化验|检验)|(?P<assessment>诊断|评估)|"
    r"(?P<plan>处理|治疗|医嘱))(?:回顾|结果|情况)?[ \t]*[:：][ \t]*", re.MULTILINE)
# "S) ... O) ... A) ... P)" at a line start.
_PAREN_HEADER_RE = re.compile(r"^[ \t]*(?:(?P<subjective>S)|(?P<objective>O)|(?P<assessment>A)|(?P<plan>P))\)[ \t]*",
                              re.MULTILINE)
# Abbreviated headers often written without a colon at the start of a line ("O/E BP 170/100").
# ... and also at a sentence start inside a run-on line ("... no weakness. imp uncontrolled HTN").
_BARE_HEADER_RE = re.compile(
    r"(?:^|(?<=[.;?!]\s))[ \t]*(?:(?P<subjective>c/o|hx|hpi|pmh)|(?P<objective>o/e|oe)|"
    r"(?P<assessment>imp|dx|ddx|ax|impression)|(?P<plan>rx|mx|plan)|(?P<follow_up>f/u|rtc))(?![A-Za-z/])[ \t]+",
    re.IGNORECASE | re.MULTILINE)
# "P: 88" or "T: 38.5" is a vital sign, not the Plan header.
_VITAL_AFTER = re.compile(r"\s*\d{2,3}(?:\.\d)?(?:\s*(?:/min|bpm|°|℃|c\b|次))?(?!\s*/\s*\d)", re.I)


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    start: int      # of the body in the note
    end: int

    def body(self, note: str) -> str:
        return note[self.start:self.end]


def split_sections(note: str) -> list[Section]:
    """Sections in note order. Text before the first header is ``subjective``.

    A note without any header is classified sentence by sentence.
    """
    heads: list[tuple[str, int, int]] = []
    weak: list[tuple[str, int, int]] = []   # bare headers met inside a run-on line: they refine a note with headers
    for m in _HEADER_RE.finditer(note):
        name = next(k for k, v in m.groupdict().items() if v)
        if name == PLAN and len(m.group(name)) == 1:
            if _VITAL_AFTER.match(note, m.end()):
                continue
        heads.append((name, m.start(), m.end()))
    for rx in (_QUALIFIED_HEADER_RE, _ZH_QUALIFIED_HEADER_RE, _PAREN_HEADER_RE, _BARE_HEADER_RE):
        for m in rx.finditer(note):
            if not any(s <= m.start() < e or m.start() <= s < m.end() for _, s, e in heads + weak):
                name = next(k for k, v in m.groupdict().items() if v)
                line_start = m.start() == 0 or note[m.start() - 1] == "\n" or not note[:m.start()].strip(" \t")
                (heads if rx is not _BARE_HEADER_RE or line_start else weak).append((name, m.start(), m.end()))
    background = [h for h in heads if BACKGROUND_RE.search(note[h[1]:h[2]])]
    if len(background) == len(heads):
        heads, weak = [], weak + background   # background headings alone refine, like bare headers
    if heads:
        heads += weak   # ... and do not by themselves turn a free-text note into a sectioned one
    heads.sort(key=lambda h: h[1])
    if not heads:
        return _classify_sentences(note)
    sections = []
    if note[:heads[0][1]].strip():
        sections.append(Section(SUBJECTIVE, 0, heads[0][1]))
    previous = SUBJECTIVE
    for i, (name, start, body_start) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(note)
        if not note[body_start:end].strip():
            continue
        inline = start > 0 and note[start - 1] not in "\n"
        if inline and name in _ONE_SENTENCE:
            # "... Allergies: none known. Refer to ..." — the header covers one sentence only.
            stop = _SENTENCE_STOP.search(note, body_start, end)
            if stop and note[stop.end():end].strip():
                sections.append(Section(name, body_start, stop.end()))
                sections.append(Section(previous, stop.end(), end))
                continue
        eol = note.find("\n", body_start, end)
        if name == ALLERGIES and not inline and eol > 0 and note[body_start:eol].strip() and note[eol:end].strip():
            # "Allergies: none known.\nDeparted 11:15 by ambulance.": an allergy line that says its
            # own text is a field of one line; the lines below go on with the section before it
            sections.append(Section(name, body_start, eol))
            sections.append(Section(previous, eol + 1, end))
            continue
        if name == ASSESSMENT and (cut := _plan_start(note, body_start, end)) is not None:
            # "Imp: HTN. Start amlodipine 5mg od. RV 1 month." — the plan follows the diagnosis.
            sections.append(Section(ASSESSMENT, body_start, cut))
            sections.append(Section(PLAN, cut, end))
            previous = PLAN
            continue
        sections.append(Section(name, body_start, end))
        if name not in _ONE_SENTENCE:
            previous = name
    return sections


def background_sections(note: str) -> list[Section]:
    """The history under a background heading (past, birth, immunisation, obstetric, family,
    social history), each as its body's range: the rest of its line, or, for a heading alone on
    its line, to the next line that opens with a label ("Screening: ...", "体格检查："), a blank
    line or the note's end."""
    out = []
    for m in _BACKGROUND_HEAD.finditer(note):
        eol = note.find("\n", m.end())
        eol = len(note) if eol < 0 else eol
        if note[m.end():eol].strip():
            end = eol        # "Birth history: born at 34 weeks ...": its own line
        else:                # "Immunisations:" over a list: to the next label or blank line
            nxt = _LABEL_LINE.search(note, m.end())
            blank = re.search(r"\n[ \t]*\n", note[m.end():])
            end = min(nxt.start() if nxt else len(note), m.end() + blank.start() if blank else len(note))
        if note[m.end():end].strip():
            out.append(Section(SUBJECTIVE, m.end(), end))
    return out


def first_line_of(note: str, names: tuple[str, ...] = (ASSESSMENT, PLAN, FOLLOW_UP, REQUEST)) -> int | None:
    """The number of the first line of ``note`` that opens one of these sections with its header
    at the line's start ("Plan: ...", "诊断：..."); None when no line does. (An answer added to
    the note's history and examination is written above it.)"""
    for section in split_sections(note):
        if section.name not in names:
            continue
        line_start = note.rfind("\n", 0, section.start) + 1
        for rx in (_HEADER_RE, _QUALIFIED_HEADER_RE, _ZH_QUALIFIED_HEADER_RE, _PAREN_HEADER_RE, _BARE_HEADER_RE):
            m = rx.match(note, line_start)
            if m is not None and m.end() == section.start:
                return note.count("\n", 0, line_start)
    return None


_PLAN_START = re.compile(
    r"(?:rx|mx|tx|plan|start(?:ed)?|restart(?:ed)?|cont(?:inue[ds]?)?|stop(?:ped)?|increase[ds]?|decrease[ds]?|"
    r"reduce[ds]?|add(?:ed)?|give|given|gave|refer(?:red|ral)?|admit(?:ted)?|review|rv|r/v|f/?u|rtc|tca|"
    r"return|come back|counsel(?:l?ed)?|advi[sc]ed?|discharge[ds]?|prescribed?|commence[ds]?|switch(?:ed)?|"
    r"change[ds]?|repeat|recheck|encourage[ds]?|home on|next (?:visit|review|anc|appointment)|"
    r"inj\.?|tab\.?|cap\.?|syr\.?|iv|im|po)\b|"
    r"予|给予|加用|继续|停用|改为|调整|嘱|建议|复诊|复查|随访|转诊|口服|治疗|处理|开始|住院|"
    r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:天|周|个?月)后",
    re.IGNORECASE)


_CLAUSE_BREAK = re.compile(r"[,，;；]\s*")


def _plan_start(note: str, start: int, end: int) -> int | None:
    """Where a plan begins inside an assessment section: the first sentence after the
    first that starts like a plan (a plan verb, or a drug name with a dose)."""
    from lantern.clinical.language.drugs import find_drugs
    from lantern.clinical.language.medications import DOSE_RE

    sentences = split_sentences(note[start:end], offset=start)
    if sentences:
        # "A/P: viral URTI, advise fluids, ...": the plan starts at a clause of the first sentence
        first, f_start, _ = sentences[0]
        for m in _CLAUSE_BREAK.finditer(first):
            if _PLAN_START.match(first, m.end()) and first[:m.start()].strip():
                return f_start + m.end()
    for sentence, s_start, _s_end in sentences[1:]:
        if _PLAN_START.match(sentence):
            return s_start
        drugs = find_drugs(sentence[:40])
        if drugs and drugs[0][1] == 0 and DOSE_RE.search(sentence[drugs[0][2]:drugs[0][2] + 25]):
            return s_start
    return None


# A plan item that is a referral, an investigation or advice: kept in the plan as written,
# never folded into the medication or follow-up lines ("建议转诊上级医院进一步检查").
PLAN_ACTION_RE = re.compile(
    r"\b(?:refer(?:red|ral)?|transfer(?:red)?|admit(?:ted)?|send to|sent to|investigat\w*|x-?ray|cxr|ecg|"
    r"ultrasound|usg|scan|bloods?|fbc|cbc|test(?:s|ed)?|check|recheck|repeat|advi[sc]ed?|counsel(?:l?ed)?|"
    r"educat\w*|told|instruct\w*|encourage[ds]?|avoid|diet|rest|fluids)\b|"
    r"转诊|转上级|转院|上级医院|住院|进一步检查|检查|化验|复查|拍片|胸片|心电图|B超|超声|建议|嘱|告知|宣教|注意|避免|饮食|休息|多饮水",
    re.IGNORECASE)

# An item still open, wherever the note wrote it: a test requested or a result awaited, a
# referral made, something booked or due ("EEG requested – result pending", "annual VL due",
# "nephrology referral made – awaiting appt", "已申请胃镜", "待结果", "已预约").
OPEN_ITEM_RE = re.compile(
    r"\b(?:pending|awaiting|awaited|await|requested|ordered|booked?|due|sent for|referr(?:al|ed)|to be done|"
    r"next visit|outstanding|not yet (?:done|back))\b|"
    r"待(?:结果|回报|复查|检查|转诊)|结果未回|已申请|已预约|预约|已转诊|转诊|下次(?:复诊|就诊)时", re.IGNORECASE)

# A sentence that is only a queried working diagnosis ("?VSD.", "? pre-eclampsia", "query TB",
# "疑似肺结核。"): the clinician's impression, wherever it was written.
QUERIED_DIAGNOSIS_RE = re.compile(r"^\s*(?:\?\s*|query\s+|疑似|疑为)[^\s,;，；.。][^,;，；.。]{0,40}[.。]?\s*$", re.I)

_ONE_SENTENCE = {ALLERGIES, FOLLOW_UP}
_SENTENCE_STOP = re.compile(r"(?<!\d)\.(?=\s)|。|；|;")


_OBJ_CUES = re.compile(
    r"\b(?:o/e|on exam|examination|exam|bp|hr|rr|temp|spo2|sats|pulse|chest|lungs?|abdomen|abdo|"
    r"crackles|wheeze|tender|soft|afebrile|febrile|alert|pale|jaundice|oedema|edema|rash|mmhg|"
    r"rdt|hb|glucose|rbs|muac|weight|°c|℃|bpm|auscultation|clear|normal)\b|查体|体温|血压|脉搏|"
    r"心率|呼吸|两肺|双肺|腹部|压痛|啰音|血氧|化验|血常规", re.I)
_ASSESS_CUES = re.compile(
    r"\b(?:impression|diagnosis|diagnosed|likely|probable|suspected|consistent with|dx|"
    r"assessment|working diagnosis|r/o|rule out|\?\s*[a-z])|诊断|考虑|印象|疑似|可能为", re.I)
_PLAN_CUES = re.compile(
    r"\b(?:plan|start(?:ed)?|give|given|prescribed?|continue|stop|refer(?:red|ral)?|advised?|"
    r"counsel(?:led)?|review|follow[- ]?up|rtc|admit|discharge|return|mg|ml|stat|tds|bd|od|prn|"
    r"told to|asked to|instructed|revisit|will (?:revisit|review|see|return|come|visit))\b|"
    r"处理|治疗|给予|口服|转诊|建议|复诊|随访|嘱|予", re.I)
# Only these plan cues: a dose or a frequency, which history sentences have too ("on nifedipine 20mg bd").
_WEAK_PLAN_CUES = re.compile(r"\b(?:mg|ml|stat|tds|bd|od|prn)\b", re.I)
# What the patient reports or takes already: history, not plan or examination.
_SUBJ_CUES = re.compile(
    r"^\W*(?:c/o|complain(?:s|ed|ing)?(?: of)?|reports?|says|states|hx|history|presents? with|brought (?:by|with)|"
    r"mother (?:says|reports)|主诉|诉|自诉|自述|家属诉|患者诉)(?![A-Za-z])|\bknown (?!allerg)\w+", re.I)
# "村医随访：张大爷，68岁，...", "Home visit: ...": a visit label opening the history.
_VISIT_LABEL = re.compile(r"^\W*[^\s,，:：.。]{0,8}(?:随访|复诊|家访|visit|review|f/u)\s*[:：]", re.I)
# "on nifedipine ...", "takes metformin": a drug the patient is on (checked against the lexicon).
_ON_DRUG = re.compile(r"\b(?:on|takes|taking|was on|has been on|finished|ran out of)\s+(?:his |her |the )?(?=\w)", re.I)
# "Depression f/u.", "HIV随访。", "高血压、2型糖尿病复诊。": the reason for the visit.
VISIT_REASON_RE = re.compile(
    r"^\s*(?:初诊[:：]\s*)?(?:(?:routine|regular|monthly|annual|quarterly|scheduled)\s+)?"
    r"(?P<problem>[^.。;；:：,，]{2,30}?)\s*(?:review|f/u|follow[- ]?up|clinic|check-?up|"
    r"复诊|随访|复查|门诊)\s*[.。]?\s*$|^\s*初诊[:：]\s*(?P<first>[^.。;；]{2,40}?)\s*[.。]?\s*$", re.I)
# Visit kinds and services, not problems ("ART clinic", "ANC review", "BP check").
_NOT_A_PROBLEM = re.compile(
    r"^(?:art|anc|pnc|opd|mch|ncd|epi|chronic|general|routine|booking|well[- ]?baby|child|nurse|chw|home|"
    r"pharmacy|refill|bp|sugar|mother|baby|weekly|monthly|\d+\s*(?:week|month|day)s?|[\w ]*visit)$", re.I)


def visit_reason(sentence: str) -> tuple[str, int] | None:
    """The problem a short opening line names as the reason for the visit ("T2DM review." →
    "T2DM", "初诊：肺结核（涂阳）" → "肺结核（涂阳）"), with its offset in ``sentence``."""
    m = VISIT_REASON_RE.match(sentence)
    if not m:
        return None
    group = "problem" if m.group("problem") else "first"
    text = m.group(group).strip()
    if _NOT_A_PROBLEM.match(text) or re.search(r"[\d一二两三四五六七八九十]+\s*(?:days?|weeks?|months?|ago|天|日|周|个?月)|"
                                                r"\d/\d|后$|嘱|到|去|回|明天|下周|\b(?:tomorrow|next|in|after)\b", text, re.I):
        return None
    return text, m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))


def _on_drug(sentence: str) -> bool:
    from lantern.clinical.language.drugs import find_drugs

    starts = {s for _, s, _ in find_drugs(sentence)}
    return any(m.end() in starts for m in _ON_DRUG.finditer(sentence))


def _complaint_first(sentence: str) -> bool:
    """A sentence that opens with a complaint and its duration ("胸痛2小时，BP 150/90",
    "Cough x3d, T 38.2") is history, whatever readings follow it."""
    from lantern.clinical.language.durations import find_durations

    first = re.split(r"[,，;；]", sentence, maxsplit=1)[0]
    return bool(find_durations(first)) and not _OBJ_CUES.search(first) and not _PLAN_CUES.search(first) \
        and not _PLAN_START.search(first)


def follow_up_first(text: str) -> bool:
    """A sentence or clause that opens with a dated follow-up or recheck ("两周后复查血压",
    "Review BP in 2/52", "Recheck Hb in 1 month", "BP recheck in 2 weeks"): a plan item,
    whatever reading it names (issue 13: the reading's name does not make it examination)."""
    from lantern.clinical.language.followup import extract_followups

    lead = len(text) - len(text.lstrip(" \t\n,，;；:：-"))
    return any(f.when and not f.conditional and f.span is not None and f.span.start <= lead + 2
               for f in extract_followups(text))


def _classify_sentences(note: str) -> list[Section]:
    sections: list[Section] = []
    for sentence, start, end in split_sentences(note):
        label = _VISIT_LABEL.match(sentence)
        body = sentence[label.end():] if label else sentence
        plan_cue = _PLAN_CUES.search(body)
        strong_plan = plan_cue and _PLAN_CUES.search(_WEAK_PLAN_CUES.sub(" ", body))
        if not label and follow_up_first(body):
            name = PLAN
        elif visit_reason(sentence) or ((label or _SUBJ_CUES.search(body) or _on_drug(body) or _complaint_first(body))
                                      and not strong_plan):
            name = SUBJECTIVE
        elif plan_cue and not _OBJ_CUES.search(re.split(r"[\s,，:：;；]", sentence.strip())[0][:8]):
            name = PLAN
        elif _ASSESS_CUES.search(sentence):
            name = ASSESSMENT
        elif _OBJ_CUES.search(sentence):
            name = OBJECTIVE
        else:
            name = SUBJECTIVE
        if sections and sections[-1].name == name:
            sections[-1] = Section(name, sections[-1].start, end)
        else:
            sections.append(Section(name, start, end))
    return sections
