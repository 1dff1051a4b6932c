"""The patient instruction sheet as HTML for Qt's rich-text printing (``gui/letter_print``,
the prescription's print path): the clinic letterhead and date, the patient, then one
table per medicine in large type (what it is for, how much, when, for how long, a
forgotten dose, warnings, the clinician's note), the danger signs to come back for, the
prescriber and the sources in small type. Black only, no pictograms; every value escaped.

The sheet's content is :func:`lantern.clinical.prescribing.instructions.build_sheet`;
this module only lays it out under the letterhead the referral letter and prescription
use (:mod:`lantern.services.letter_layout`).
"""

from __future__ import annotations

from datetime import date

from lantern.clinical.prescribing.instructions import (
    InstructionSheet,
    Wording,
    build_sheet,
    load_wording,
)
from lantern.domain.records import DrugOrder
from lantern.services.letter_layout import LetterContext, _age, _e, _header, role_label
from lantern.services.orders import _formulary, reason_label

BODY_PT = 13
CELL = 'style="padding:5px"'
TABLE = '<table width="100%" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse; border-color:black">'


def instruction_sheet(orders: tuple[DrugOrder, ...] | list[DrugOrder], *, lang: str, start: date,
                      age_years: float | None) -> InstructionSheet:
    """The sheet for an encounter's saved orders (ValidationError for an open stop alert)."""
    return build_sheet(orders, _formulary()[0], lang=lang, start=start, age_years=age_years,
                       reason_text=lambda code, typed: reason_label(code, lang) or typed)


def _row(label: str, values: list[str]) -> str:
    shown = [v for v in values if v]
    if not shown:
        return ""          # what the data does not know is left out
    return (f'<tr><td width="27%" valign="top" {CELL}><b>{_e(label)}</b></td>'
            f'<td valign="top" {CELL}>{"<br>".join(_e(v) for v in shown)}</td></tr>')


def instruction_sheet_html(*, context: LetterContext, sheet: InstructionSheet, clinic_fallback: str = "",
                           wording: Wording | None = None) -> str:
    """The whole sheet (black only) in ``sheet.lang``."""
    w = wording or load_wording()
    lang = sheet.lang
    zh = lang == "zh"
    sep = "：" if zh else ": "

    def label(key: str) -> str:
        return w.text("labels", key, lang)

    p = context.patient
    who = _e(str(p.get("name") or "_" * 24))
    if (age := _age(context, zh)):
        who += f" &nbsp; ({_e(age)})" if not zh else f"（{_e(age)}）"
    parts = [f'<p style="margin-bottom:6px"><b>{label("patient")}{sep}</b>{who}</p>']
    # the same forgotten-dose advice for every medicine is said once, after them
    missed = {m.missed for m in sheet.medicines if m.missed}
    once = missed.pop() if len(missed) == 1 else ""
    for n, med in enumerate(sheet.medicines, 1):
        rows = [_row(label("for_what"), [med.purpose]), _row(label("how_much"), [med.how_much]),
                _row(label("when"), list(med.when)), _row(label("how_long"), [med.how_long]),
                _row(label("missed"), [] if once else [med.missed]), _row(label("warnings"), list(med.warnings)),
                _row(label("caution"), list(med.cautions))]
        parts.append(f'<p style="margin-top:10px; margin-bottom:3px; font-size:{BODY_PT + 2}pt">'
                     f"<b>{n}. {_e(med.name)}</b></p>{TABLE}{''.join(rows)}</table>")
    if once:
        parts.append(f'<p style="margin-top:12px; margin-bottom:0px"><b>{label("missed")}{sep}</b>{_e(once)}</p>')
    if sheet.return_signs:
        parts.append(f'<p style="margin-top:12px; margin-bottom:2px"><b>{label("return_title")}{sep}</b></p>'
                     + "".join(f'<p style="margin:0px 0px 0px 14px">• {_e(s)}</p>' for s in sheet.return_signs))
    parts.append(f'<p style="margin-top:8px">{_e(label("review"))}<br>{_e(label("footer"))}</p>')
    prescriber = _e(context.referrer.name)
    if context.referrer.role:
        role = _e(role_label(context.referrer.role, lang))
        prescriber += f"（{role}）" if zh else f" ({role})"
    parts.append(f'<p style="margin-top:8px">{label("prescriber")}{sep}{prescriber} &nbsp; '
                 f'{context.written_at.strftime("%Y-%m-%d")}</p>')
    parts.append('<p style="margin-top:10px; font-size:7pt">' + "; ".join(_e(s) for s in sheet.sources) + "</p>")
    return (f'<html><body style="font-size:{BODY_PT}pt">'
            + _header(context, zh, clinic_fallback, title_text=label("title"))
            + "".join(parts) + "</body></html>")
