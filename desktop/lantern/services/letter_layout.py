"""The printed referral letter: letterhead, receiving facility, the letter's text, the
referring clinician's signature block and a tear-off return slip, as HTML for Qt's
rich-text printing (``gui/letter_print.py``). The printed prescription
(:func:`prescription_html`) is laid out the same way, under the same letterhead.

The body is the summary text as the clinician left it in the editor (edits print);
section headings are recognised by the summary's section titles. Print is black: no
colour is written anywhere in the HTML (model-written lines may be coloured on screen
only). Every value is escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from lantern.domain.ages import age_text

FACILITY_KINDS = ("hospital", "health_centre", "clinic", "laboratory", "other")
KIND_LABELS = {"hospital": ("Hospital", "医院"), "health_centre": ("Health centre", "卫生院/中心"),
               "clinic": ("Clinic", "诊所"), "laboratory": ("Laboratory", "检验机构"),
               "other": ("Other", "其他")}
ROLE_LABELS = {"admin": ("Administrator", "管理员"), "clinician": ("Clinician", "临床医生"),
               "assistant": ("Clinical assistant", "医疗助理")}
MAX_NAME = 120
MAX_ADDRESS = 300
MAX_PHONE = 40
MAX_FACILITIES = 100
_PHONE_RE = re.compile(r"^[0-9+()\-./ ]*(?:(?:ext|x|转)\.?\s*[0-9]+)?$", re.IGNORECASE)

_LABELS = {
    "title": ("Referral letter", "转诊单"),
    "date": ("Date", "日期"),
    "to": ("To", "转往"),
    "tel": ("Tel", "电话"),
    "not_chosen": ("(receiving facility not stated)", "（未注明接收单位）"),
    "referrer": ("Referring clinician", "转诊医生"),
    "signature": ("Signature", "签名"),
    "cut": ("cut here and return to the referring clinic", "沿此线剪下，交回转出单位"),
    "slip": ("Feedback to the referring clinic", "回执（反馈至转出单位）"),
    "return_to": ("Please return to", "请交回"),
    "patient": ("Patient", "患者"),
    "id": ("ID", "编号"),
    "age": ("Age", "年龄"),
    "referred_on": ("Referred on", "转诊日期"),
    "seen_on": ("Seen on", "接诊日期"),
    "seen_by": ("Seen by", "接诊医生"),
    "diagnosis": ("Diagnosis", "诊断"),
    "treatment": ("Treatment given", "处理"),
    "advice": ("Recommendations and follow-up", "建议及随访"),
    "rx_title": ("Prescription", "处方笺"),
    "sex": ("Sex", "性别"),
    "weight": ("Weight", "体重"),
    "allergies": ("Allergies", "过敏史"),
    "none_recorded": ("none recorded", "无记录"),
    "not_weighed": ("not recorded", "未记录"),
    "medicine": ("Medicine", "药品"),
    "dose": ("Dose", "剂量"),
    "route": ("Route", "用法"),
    "frequency": ("How often", "频次"),
    "duration": ("Duration", "疗程"),
    "quantity": ("Quantity to dispense", "发药数量"),
    "prescriber": ("Prescriber", "处方医生"),
    "overridden": ("Alert overridden", "已越过警示"),
}
ROUTE_LABELS = {"oral": ("by mouth", "口服"), "iv": ("intravenous", "静脉注射"), "im": ("intramuscular", "肌内注射"),
                "sc": ("subcutaneous", "皮下注射"), "rectal": ("rectal", "直肠给药"), "inhaled": ("inhaled", "吸入"),
                "topical": ("on the skin", "外用"), "vaginal": ("vaginal", "阴道给药"),
                "sublingual": ("under the tongue", "舌下含服"), "eye": ("in the eye", "滴眼"), "ear": ("in the ear", "滴耳")}
SEX_LABELS = {"male": ("male", "男"), "female": ("female", "女")}
BLANK = "_" * 24


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The referring clinic as its letters print it (Settings)."""

    name: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Facility:
    """A receiving facility of the Settings list (or typed for one letter)."""

    name: str
    address: str = ""
    phone: str = ""
    kind: str = "hospital"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Referrer:
    name: str
    role: str = ""         # a Role value ("clinician") or free text


@dataclass(slots=True)
class LetterContext:
    letterhead: Letterhead
    referrer: Referrer
    facility: Facility | None = None
    written_at: datetime = field(default_factory=datetime.now)
    # name, id, birth_date / birth_year / age_years (the return slip and page footers)
    patient: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """What a stored letter records about its addressing (no patient data)."""
        return {"facility": self.facility.to_dict() if self.facility else None,
                "letterhead": asdict(self.letterhead), "referrer": asdict(self.referrer),
                "written_at": self.written_at.isoformat(timespec="minutes")}


def _text_problems(value: str, limit: int, what: str) -> list[str]:
    if len(value) > limit:
        return [f"{what} is longer than {limit} characters."]
    if any(ord(ch) < 32 and ch not in "\n" for ch in value):
        return [f"{what} contains control characters."]
    return []


def phone_problems(phone: str, what: str = "The phone number") -> list[str]:
    if len(phone) > MAX_PHONE:
        return [f"{what} is longer than {MAX_PHONE} characters."]
    if phone and not _PHONE_RE.match(phone):
        return [f"{what} may contain digits, spaces, + - ( ) . / and an extension only."]
    return []


def letterhead_problems(head: Letterhead) -> list[str]:
    """What is wrong with a letterhead (empty list: fine). All fields may be empty: the
    letter then prints the vault's clinic name."""
    return (_text_problems(head.name, MAX_NAME, "The clinic name")
            + _text_problems(head.address, MAX_ADDRESS, "The clinic address")
            + phone_problems(head.phone, "The clinic phone number"))


def facility_problems(facility: Facility) -> list[str]:
    out = []
    if not facility.name.strip():
        out.append("A receiving facility needs a name.")
    out += _text_problems(facility.name, MAX_NAME, "The facility name")
    out += _text_problems(facility.address, MAX_ADDRESS, "The facility address")
    out += phone_problems(facility.phone, "The facility phone number")
    if facility.kind not in FACILITY_KINDS:
        out.append("Unknown facility kind.")
    return out


def facility_list_problems(facilities: list[Facility]) -> list[str]:
    out = [p for f in facilities for p in facility_problems(f)]
    names = [f.name.strip().casefold() for f in facilities]
    if len(set(names)) != len(names):
        out.append("Two receiving facilities have the same name.")
    if len(facilities) > MAX_FACILITIES:
        out.append(f"At most {MAX_FACILITIES} receiving facilities.")
    return out


def facilities_from_data(raw: Any) -> list[Facility]:
    """Facilities from stored data (a list of mappings); malformed entries are skipped."""
    out: list[Facility] = []
    if not isinstance(raw, list):
        return out
    for item in raw[:MAX_FACILITIES]:
        if not isinstance(item, dict):
            continue
        fac = Facility(name=str(item.get("name") or "").strip(), address=str(item.get("address") or "").strip(),
                       phone=str(item.get("phone") or "").strip(), kind=str(item.get("kind") or "hospital"))
        if not facility_problems(fac):
            out.append(fac)
    return out


def _e(text: str) -> str:
    # "℃" is missing from common print fonts; "°C" says the same
    return html.escape(text.replace("℃", "°C"), quote=True).replace("\n", "<br>")


def _paren(text: str, zh: bool) -> str:
    return f"（{text}）" if zh else f" ({text})"


def _label(key: str, zh: bool) -> str:
    return _LABELS[key][zh]


def role_label(role: str, lang: str) -> str:
    pair = ROLE_LABELS.get(role)
    return pair[lang == "zh"] if pair else role


def kind_label(kind: str, lang: str) -> str:
    pair = KIND_LABELS.get(kind)
    return pair[lang == "zh"] if pair else kind


def _item(line: str) -> str:
    return (f'<p style="margin-top:0px; margin-bottom:0px; margin-left:14px">'
            f"• {_e(line.lstrip()[2:])}</p>")


def body_html(text: str, headings: list[str]) -> str:
    """The summary text as paragraphs; a line that starts with a section title (then ":" or
    "：") gets the title in bold; "- item" lines are list items."""
    titles = sorted({h for h in headings if h}, key=len, reverse=True)
    head_re = re.compile(r"^(" + "|".join(re.escape(t) for t in titles) + r")\s*([:：])") if titles else None
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = head_re.match(line) if head_re else None
        if m:
            rest = line[m.end():]
            item = rest.lstrip().startswith("- ")     # the editor puts a list's first item on the heading line
            out.append(f'<p style="margin-top:5px; margin-bottom:0px"><b>{_e(m.group(1) + m.group(2))}</b>'
                       f"{'' if item else _e(rest)}</p>")
            if item:
                out.append(_item(rest))
        elif line.lstrip().startswith("- "):
            out.append(_item(line))
        else:
            out.append(f'<p style="margin-top:0px; margin-bottom:0px">{_e(line)}</p>')
    return "\n".join(out)


def _header(ctx: LetterContext, zh: bool, clinic_fallback: str, title: str = "title", title_text: str = "") -> str:
    head = ctx.letterhead
    name = head.name or clinic_fallback
    lines = [f'<span style="font-size:14pt"><b>{_e(name)}</b></span>'] if name else []
    if head.address:
        lines.append(_e(head.address))
    if head.phone:
        lines.append(f"{_label('tel', zh)}: {_e(head.phone)}" if not zh else f"电话：{_e(head.phone)}")
    when = ctx.written_at.strftime("%Y-%m-%d %H:%M")
    sep = "：" if zh else ": "
    return (f'<table width="100%" cellspacing="0" cellpadding="0"><tr><td>{"<br>".join(lines)}</td>'
            f'<td align="right" valign="top">{_label("date", zh)}{sep}{_e(when)}</td></tr></table>'
            f'<hr>'
            f'<p align="center" style="font-size:15pt; margin-top:4px; margin-bottom:6px">'
            f'<b>{_e(title_text) if title_text else _label(title, zh)}</b></p>')


def _recipient(ctx: LetterContext, zh: bool) -> str:
    sep = "：" if zh else ": "
    fac = ctx.facility
    if fac is None:
        return f"<p><b>{_label('to', zh)}{sep}</b>{_label('not_chosen', zh)}</p>"
    lang = "zh" if zh else "en"
    kind = _paren(_e(kind_label(fac.kind, lang)), zh) if fac.kind != "other" else ""
    parts = [f"<b>{_label('to', zh)}{sep}</b>{_e(fac.name)}{kind}"]
    details = [x for x in (_e(fac.address) if fac.address else "",
                           f"{_label('tel', zh)}{sep}{_e(fac.phone)}" if fac.phone else "") if x]
    if details:
        parts.append(" · ".join(details))
    return f'<p style="margin-bottom:4px">{"<br>".join(parts)}</p>'


def _signature(ctx: LetterContext, zh: bool, who_key: str = "referrer") -> str:
    sep = "：" if zh else ": "
    lang = "zh" if zh else "en"
    who = _e(ctx.referrer.name)
    if ctx.referrer.role:
        who += _paren(_e(role_label(ctx.referrer.role, lang)), zh)
    return (f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:12px"><tr>'
            f"<td>{_label(who_key, zh)}{sep}{who}</td>"
            f"<td>{_label('signature', zh)}{sep}{BLANK}</td>"
            f"<td align=\"right\">{_label('date', zh)}{sep}{ctx.written_at.strftime('%Y-%m-%d')}</td>"
            f"</tr></table>")


def _age(ctx: LetterContext, zh: bool) -> str:
    """The patient's age on the letter's date, as ``lantern.domain.ages`` writes it."""
    born, year, years = (ctx.patient.get(k) for k in ("birth_date", "birth_year", "age_years"))
    try:
        birth = date.fromisoformat(born) if isinstance(born, str) and born else None
    except ValueError:
        birth = None
    return age_text(birth_date=birth, birth_year=year if isinstance(year, int) else None,
                    age_years=years if isinstance(years, (int, float)) and not isinstance(years, bool) else None,
                    lang="zh" if zh else "en", today=ctx.written_at.date())


def _slip(ctx: LetterContext, zh: bool, clinic_fallback: str, new_page: bool) -> str:
    sep = "：" if zh else ": "
    head = ctx.letterhead
    clinic = ", ".join(_e(x) for x in (head.name or clinic_fallback, head.address) if x)
    if head.phone:
        clinic += f" · {_label('tel', zh)}{sep}{_e(head.phone)}"
    patient = _e(str(ctx.patient.get("name") or BLANK))
    if (age := _age(ctx, zh)):
        patient += f" · {_label('age', zh)}{sep}{_e(age)}"
    if ctx.patient.get("id"):
        patient += f" · {_label('id', zh)}{sep}{_e(str(ctx.patient['id']))}"
    brk = ' style="page-break-before:always"' if new_page else ""
    rows = [
        f"{_label('patient', zh)}{sep}{patient} &nbsp; {_label('referred_on', zh)}{sep}"
        f"{ctx.written_at.strftime('%Y-%m-%d')}",
        f"{_label('seen_on', zh)}{sep}{BLANK} &nbsp; {_label('seen_by', zh)}{sep}{BLANK}",
        f"{_label('diagnosis', zh)}{sep}{BLANK * 3}",
        f"{_label('treatment', zh)}{sep}{BLANK * 3}",
        f"{_label('advice', zh)}{sep}{BLANK * 2}",
        f"{_label('signature', zh)}{sep}{BLANK} &nbsp; {_label('date', zh)}{sep}{BLANK}",
    ]
    cut = "- " * 18 + f"✂ {_label('cut', zh)} " + "- " * 18
    return (f'<p align="center"{brk} style="margin-top:14px; font-size:8pt">{cut}</p>'
            f'<p style="margin-top:4px"><b>{_label("slip", zh)}</b> — {_label("return_to", zh)}{sep}'
            f"{clinic}</p>"
            + "".join(f'<p style="margin-top:6px; margin-bottom:0px">{row}</p>' for row in rows))


def letter_html(*, body: str, headings: list[str], context: LetterContext, lang: str,
                clinic_fallback: str = "", slip_on_new_page: bool = False) -> str:
    """The whole letter as HTML (black only). ``body``: the letter's text as edited;
    ``headings``: its section titles; ``clinic_fallback``: the vault's clinic name, used
    when Settings have no letterhead name."""
    zh = lang == "zh"
    return ("<html><body>"
            + _header(context, zh, clinic_fallback)
            + _recipient(context, zh)
            + body_html(body, headings)
            + _signature(context, zh)
            + _slip(context, zh, clinic_fallback, slip_on_new_page)
            + "</body></html>")


def document_html(*, title: str, body: str, headings: list[str]) -> str:
    """A summary that is not a letter (note, history, handover), black only."""
    return (f'<html><body><p style="font-size:13pt; margin-bottom:6px"><b>{_e(title)}</b></p>'
            + body_html(body, headings) + "</body></html>")


@dataclass(frozen=True, slots=True)
class PrescriptionLine:
    """One medicine as the prescription prints it (texts already in the print language)."""

    medicine: str
    dose: str
    route: str               # a route id ("oral") or text
    frequency: str
    duration: str
    quantity: str
    overridden: tuple[str, ...] = ()     # "allergy (stop): taken before without a reaction"


def prescription_html(*, context: LetterContext, lines: list[PrescriptionLine], lang: str,
                      clinic_fallback: str = "", weight_kg: float | None = None,
                      allergies: list[str] | None = None) -> str:
    """The printed prescription (black only): letterhead and date, the patient (name, id,
    age, sex, weight, allergies from the chart), one row per medicine with dose, route,
    how often, duration and the quantity to dispense, any alert the prescriber overrode,
    and the prescriber's name, signature line and date. ``context.patient``: name, id,
    birth_date / birth_year / age_years (the age as ``lantern.domain.ages`` writes it), sex."""
    zh = lang == "zh"
    sep = "：" if zh else ": "
    p = context.patient
    sex = SEX_LABELS.get(str(p.get("sex") or ""))
    facts = [f"<b>{_label('patient', zh)}{sep}</b>{_e(str(p.get('name') or BLANK))}"]
    if p.get("id"):
        facts.append(f"{_label('id', zh)}{sep}{_e(str(p['id']))}")
    facts.append(f"{_label('age', zh)}{sep}{_e(_age(context, zh) or BLANK)}")
    if sex:
        facts.append(f"{_label('sex', zh)}{sep}{sex[zh]}")
    weight = f"{weight_kg:g} kg" if weight_kg else _label("not_weighed", zh)
    facts.append(f"{_label('weight', zh)}{sep}{_e(weight)}")
    known = [a for a in allergies or [] if a.strip()]
    allergy = ("、" if zh else ", ").join(_e(a) for a in known) if known else _label("none_recorded", zh)
    heads = ("medicine", "dose", "route", "frequency", "duration", "quantity")
    cell = 'style="padding:3px; border-bottom:1px solid black"'
    rows = []
    for n, line in enumerate(lines, 1):
        route = ROUTE_LABELS.get(line.route)
        values = (f"{n}. {line.medicine}", line.dose, route[zh] if route else line.route, line.frequency,
                  line.duration, line.quantity)
        rows.append("<tr>" + "".join(f"<td {cell}>{_e(v)}</td>" for v in values) + "</tr>")
        for note in line.overridden:
            rows.append(f'<tr><td colspan="6" style="padding:1px 3px 3px 14px; font-size:8pt">'
                        f"{_label('overridden', zh)}{sep}{_e(note)}</td></tr>")
    table = ('<table width="100%" cellspacing="0" cellpadding="0" style="margin-top:8px"><tr>'
             + "".join(f'<th align="left" {cell}>{_label(h, zh)}</th>' for h in heads) + "</tr>"
             + "".join(rows) + "</table>")
    return ("<html><body>"
            + _header(context, zh, clinic_fallback, title="rx_title")
            + f'<p style="margin-bottom:2px">{" &nbsp; ".join(facts)}</p>'
            + f'<p style="margin-top:0px"><b>{_label("allergies", zh)}{sep}</b>{allergy}</p>'
            + table
            + _signature(context, zh, who_key="prescriber")
            + "</body></html>")
