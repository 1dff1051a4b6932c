"""The patient instruction sheet in the real window over the real vault: the Orders
panel's "Instruction sheet…" button (keyboard reachable), refused while a stop alert is
open, then written as PDF through the prescription's Qt print path once the alert is
overridden, with the clinician's note, in the patient's language (the note's by
default, independent of the UI), and audited like the prescription."""

from __future__ import annotations

import re
import shutil
import subprocess

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from lantern.app import install_fonts
from lantern.domain.records import Vitals
from lantern.gui.extensions import install_orders

from .test_extensions import _open_encounter, window  # noqa: F401  (the real window over the real vault)
from .test_orders_override_and_print import _saved, _select_alert
from .test_orders_panel import _type


def _pdf_text(path) -> str:
    """The PDF's text, read back by pdftotext (poppler-utils, installed by make's system-deps)."""
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext is missing: run scripts/system-deps.sh test"
    out = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return re.sub(r"\s+", " ", out)


def test_the_sheet_is_refused_with_an_open_stop_then_printed_with_the_override(qtbot, window, tmp_path):  # noqa: F811
    w = window
    install_fonts(QApplication.instance())           # as the app starts: the bundled CJK font
    orders = install_orders(w)
    qtbot.waitUntil(lambda: orders._formulary is not None, timeout=60_000)
    records = w.bridge.session.records
    note = "3岁，咳嗽伴气促2天。计划：口服抗生素，2天后复诊。"
    patient, enc = _open_encounter(qtbot, w, note=note, vitals=Vitals(temp_c=38.9, resp_rate=52, weight_kg=12))
    assert orders.sheet_lang.currentData() == "zh"                   # the note's language, not the UI's
    records.add_allergy(patient.id, substance="penicillin", reaction="rash")
    w.chart.allergies.load(patient.id)
    qtbot.waitUntil(lambda: orders._allergies == ("penicillin rash",), timeout=60_000)
    assert not orders.sheet_button.isEnabled()                       # nothing saved yet

    _type(qtbot, orders, "amoxicillin 250mg/5ml")
    orders.dose.setValue(500)
    orders.unit.setCurrentText("mg")
    orders.days.setValue(5)
    orders.add_order()
    _saved(qtbot, orders)
    assert orders.sheet_button.isEnabled() and orders.sheet_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert [a.text() for a in orders.sheet_button.menu().actions()] == \
        ["Print instruction sheet…", "Instruction sheet as PDF…"]

    # the stop alert is open: no sheet, and the panel says why
    assert orders.export_sheet_pdf(str(tmp_path / "no.pdf")) is None
    assert not (tmp_path / "no.pdf").exists()
    assert orders.status.text().startswith("No instruction sheet: Order 1 has a stop alert not overridden")

    _select_alert(orders, "allergy")
    assert orders.override_selected(("Taken before without a reaction", "tolerated_before"))
    _saved(qtbot, orders)
    out = orders.export_sheet_pdf(str(tmp_path / "sheet.pdf"))
    assert out and (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF-")
    text = _pdf_text(tmp_path / "sheet.pdf")
    for part in ("用药说明", "MARKERNAME Grace", "阿莫西林", "每次10毫升", "5毫升小勺2勺", "每天2次：早晚各1次",
                 "共5天", "医生在核查了关于过敏的警示后开具了此药", "既往使用无不良反应", "立即停药",
                 "不能喝水或吃奶", "开药医生"):
        assert part.replace(" ", "") in text.replace(" ", ""), part        # (a wrapped Chinese line: no spaces in the words)
    qtbot.waitUntil(lambda: any(e.action == "export" for e in w.bridge.session.audit.entries(5)), timeout=60_000)
    export = next(e for e in w.bridge.session.audit.entries(5) if e.action == "export")
    assert (export.patient_id, export.record_id, export.detail) == (patient.id, enc.id, "")

    # the patient reads English: the same orders, in English
    orders.sheet_lang.setCurrentIndex(0)
    en = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", orders.instruction_html()))
    for part in ("How to take your medicines", "Amoxicillin", "10 ml (2 spoons of 5 ml)",
                 "Twice a day: morning and evening", "an allergy", "Taken before without a reaction"):
        assert part in en, part
    assert "阿莫西林" not in en


def test_a_long_sheet_keeps_each_medicine_table_on_one_page(qtbot):
    """Laid out for A4 by the print path: every medicine's table (shorter than a page)
    stays whole on one page, however many medicines."""
    from datetime import date, datetime

    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QImage, QTextTable

    from lantern.domain.records import DrugOrder
    from lantern.gui import letter_print
    from lantern.services.instruction_layout import instruction_sheet, instruction_sheet_html
    from lantern.services.letter_layout import LetterContext, Letterhead, Referrer

    orders = [DrugOrder(drug=d, drug_id=d, dose=n, unit=u, route="oral", times_per_day=t, days=days)
              for d, n, u, t, days in [("amoxicillin", 10, "ml", 2, 5), ("paracetamol", 5, "ml", 4, 3),
                                       ("oral_rehydration_salts", 1, "sachet", 1, 3), ("zinc_sulfate", 1, "tablet", 1, 10),
                                       ("metronidazole", 400, "mg", 3, 7), ("doxycycline", 100, "mg", 2, 7)]]
    ctx = LetterContext(letterhead=Letterhead("Clinic"), referrer=Referrer("Dr A"),
                        written_at=datetime(2026, 12, 5, 9, 0), patient={"name": "A B", "age_years": 3})
    html = instruction_sheet_html(context=ctx, sheet=instruction_sheet(orders, lang="en", start=date(2026, 12, 5),
                                                                        age_years=3))
    probe = QImage(8, 8, QImage.Format.Format_RGB32)
    probe.setDotsPerMeterX(3937)
    probe.setDotsPerMeterY(3937)
    page = QSizeF(708, 1051)                     # A4 less the print margins at 100 dpi
    split = letter_print.paginate(lambda _brk: html, probe, page)
    whole = letter_print.paginate(lambda _brk: html, probe, page, whole_tables=True)

    def crossing(doc) -> int:
        h = doc.pageSize().height()
        boxes = [doc.documentLayout().frameBoundingRect(f) for f in doc.rootFrame().childFrames()
                 if isinstance(f, QTextTable)]
        return sum(int(b.top() // h) != int((b.bottom() - 1) // h) for b in boxes)

    assert split.pageCount() >= 2 and crossing(split) >= 1       # without it a table is cut (this sheet)
    assert crossing(whole) == 0
