"""The referral letter printed through Qt: every part on the page, black only (a
model-written line is coloured on screen, never on paper or in the PDF), one page when
it fits, the return slip whole on its own page when it does not, and every print and
PDF export audited in the real vault (action, patient id, record id; no detail)."""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtPrintSupport import QPrintDialog

from lantern.domain import ages
from lantern.gui import letter_print
from lantern.gui.errors import MessageBox
from lantern.gui.runner import TaskRunner
from lantern.gui.summary_panel import SummaryPanel
from lantern.services.letter_layout import Facility, Letterhead, Referrer
from lantern.services.summaries import SummaryService

from .test_extensions import _open_encounter, window  # noqa: F401  (the real window over the real vault)

NOTE = ("3 yr old with cough and fast breathing 2 days, brought by her mother. No convulsions. "
        "O/E: RR 52, SpO2 88%, T 39.2, chest indrawing present. A: severe pneumonia. "
        "P: Gave amoxicillin 250 mg PO stat at 10:15. Refer to district hospital for oxygen.")
PATIENT = {"name": "Child A", "id": "P-0012", "birth_date": "2023-05-02"}
HEAD = Letterhead("Hillside Health Post", "Km 12, River Road", "+254 700 123 456")
FACILITY = Facility("County Referral Hospital", "Off Station Rd", "057 202 0801", "hospital")


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    r.shutdown()


def _letter_panel(qtbot, runner, *, note=NOTE, lang=None):
    panel = SummaryPanel(summarize=SummaryService(), runner=runner, username="dr_a")
    qtbot.addWidget(panel)
    panel.set_source(note=note, patient=PATIENT, case={"age_years": 3, "sex": "female"},
                     accepted_diagnoses=["severe_pneumonia"], vitals={"temp_c": 39.2, "heart_rate": 150},
                     vitals_time="2026-12-04 10:05")
    panel.set_letter_source(lambda: (HEAD, "Vault clinic", Referrer("Dr Amina Odhiambo", "clinician")))
    panel.letter_bar.set_facilities([FACILITY])
    panel.letter_bar.set_facility_name(FACILITY.name)
    panel.letter_bar.set_language(lang)
    panel.set_kind("referral")
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    return panel


def _pdf_colours(path) -> list[tuple[bytes, bytes]]:
    """Every fill / stroke colour the PDF's content streams set: (operands, operator)."""
    data = path.read_bytes()
    found = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            raw = zlib.decompress(m.group(1))
        except zlib.error:
            continue                                     # fonts, images
        found += re.findall(rb"((?:-?[\d.]+\s+){1,4})(rg|RG|scn|SCN|sc|SC|k|K|g|G)\b", raw)
    return found


def _coloured_pixels(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 8:
                count += 1
    return count


def test_the_printed_letter_has_every_part(qtbot, runner):
    panel = _letter_panel(qtbot, runner)
    html = panel.document_html()
    text = re.sub(r"<[^>]+>", " ", html)
    for part in ("Hillside Health Post", "Km 12, River Road", "+254 700 123 456",      # letterhead
                 "Referral letter", "County Referral Hospital", "057 202 0801",      # title, recipient
                 "Child A", "Sex: Female", "Age: " + ages.age_text(birth_date=date(2023, 5, 2)), "DOB: 2023-05-02", "P-0012",
                 "Caregiver: mother",
                 "Reason for referral", "severe pneumonia", "Triage level: EMERGENCY",
                 "Chest indrawing", "RR 52/min", "HR 150", "visit of 2026-12-04 10:05",   # vitals with time
                 "Severe pneumonia (ICD-10 J18.9)",                                   # accepted diagnosis
                 "amoxicillin 250 mg", "at 10:15",                                    # pre-referral treatment
                 "Refer to district hospital for oxygen",                             # request
                 "Referring clinician", "Dr Amina Odhiambo (Clinician)", "Signature",
                 "Feedback to the referring clinic", "Seen on", "Recommendations and follow-up"):
        assert part in text, part
    assert "Please assess and manage" not in text
    written = datetime.now().strftime("%Y-%m-%d")
    assert f"Date: {written}" in text


def test_the_chinese_letter_says_nan_nv_never_male(qtbot, runner):
    note = "患儿2岁，母亲陪同，发热3天，咳嗽。查体：T 39.5℃，RR 52次/分，胸凹陷。诊断：重症肺炎。处理：阿莫西林250 mg 口服（10:15）。"
    panel = _letter_panel(qtbot, runner, note=note)
    text = re.sub(r"<[^>]+>", " ", panel.document_html())
    assert "转诊单" in text and "性别：女" in text and "年龄：" + ages.age_text(birth_date=date(2023, 5, 2), lang="zh") in text
    assert "male" not in text.lower()
    assert "重症肺炎（ICD-10 J18.9）" in text and "病历中未注明" in text      # no request written: said so
    assert "回执" in text and "转诊医生" in text and "临床医生" in text


def test_letter_language_can_be_chosen_for_an_english_note(qtbot, runner):
    panel = _letter_panel(qtbot, runner, lang="zh")
    assert panel.summary.lang == "zh"
    assert "性别：女" in panel.editor.toPlainText() and "转诊单" in panel.document_html()


def test_pdf_is_black_even_where_the_screen_colours_a_model_line(qtbot, runner, tmp_path):
    panel = _letter_panel(qtbot, runner)
    # a model-written line: coloured on screen
    panel.summary.sections["reason"][0].origin = "llm"
    panel._show(panel.summary)
    cursor = panel.editor.document().find("severe pneumonia")
    assert cursor.charFormat().foreground().color().name() != "#000000"
    out = panel.export_pdf(str(tmp_path / "letter.pdf"))
    assert out is not None
    colours = _pdf_colours(tmp_path / "letter.pdf")
    assert colours, "the PDF sets its text colour"
    assert all(float(v) == 0.0 for operands, _op in colours for v in operands.split()), colours
    pages = letter_print.page_images(lambda brk: panel.document_html(slip_on_new_page=brk), dpi=60)
    assert len(pages) == 1
    assert _coloured_pixels(pages[0]) == 0


def test_print_html_has_no_colour_and_escapes_text(qtbot, runner):
    panel = _letter_panel(qtbot, runner)
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    panel.editor.insertPlainText("\nClinician's addition <b style='color:red'>x</b>")   # edits print, as text
    html = panel.document_html()
    assert "Clinician&#x27;s addition" in html
    html = html.replace("&lt;b style=&#x27;color:red&#x27;&gt;", "")
    assert not re.search(r"color|#[0-9a-fA-F]{3,6}\b|rgb\(", html)


def test_a_long_letter_puts_the_return_slip_whole_on_its_own_page(qtbot, runner):
    long_note = NOTE + " " + " ".join(f"Day {i}: cough persisted, fed poorly, reviewed by CHW." for i in range(60))
    panel = _letter_panel(qtbot, runner, note=long_note)
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    panel.editor.insertPlainText("\n" + "\n".join(f"- extra finding line {i}" for i in range(80)))
    probe = QImage(8, 8, QImage.Format.Format_RGB32)
    page = QSizeF(600, 800)
    doc = letter_print.paginate(lambda brk: panel.document_html(slip_on_new_page=brk), probe, page)
    assert doc.pageCount() >= 2
    block = doc.find("Feedback to the referring clinic").block().previous()     # the cut line
    top = doc.documentLayout().blockBoundingRect(block).top()
    height = doc.pageSize().height()
    assert top >= height and top % height < 30             # the slip starts a page of its own
    assert letter_print.layout(panel.document_html(), probe, page).pageCount() >= 2   # it did not fit


def test_one_page_when_it_fits(qtbot, runner):
    panel = _letter_panel(qtbot, runner)
    pages = letter_print.page_images(lambda brk: panel.document_html(slip_on_new_page=brk), dpi=60)
    assert len(pages) == 1


def test_a_refused_role_prints_nothing(qtbot, runner, tmp_path):
    panel = _letter_panel(qtbot, runner)
    panel.set_output_guard(lambda: False)
    MessageBox.clear()
    made = []
    panel.output_made.connect(made.append)
    assert panel.export_pdf(str(tmp_path / "no.pdf")) is None
    assert not (tmp_path / "no.pdf").exists() and made == []
    assert MessageBox.history and "may not print" in MessageBox.history[-1][1]


def test_an_unwritable_pdf_path_says_so_and_is_not_audited(qtbot, runner, tmp_path):
    panel = _letter_panel(qtbot, runner)
    MessageBox.clear()
    made = []
    panel.output_made.connect(made.append)
    assert panel.export_pdf(str(tmp_path / "missing-dir" / "x.pdf")) is None
    assert made == [] and "could not be written" in MessageBox.history[-1][1]


# -- audited in the real vault ---------------------------------------------------------------


def _audit(w, action):
    return [e for e in w.bridge.session.audit.entries(50) if e.action == action]


def test_print_and_pdf_export_are_audited_with_the_stored_record(qtbot, window, tmp_path,  # noqa: F811
                                                                 monkeypatch):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.summary_panel
    panel.set_kind("referral")
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    records = window.bridge.session.records
    qtbot.waitUntil(lambda: len(records.list_summaries(patient.id)) == 1, timeout=60_000)
    stored = records.list_summaries(patient.id)[0]
    assert stored["payload"]["letter"]["referrer"]["name"]                     # who wrote it

    out = panel.export_pdf(str(tmp_path / "letter.pdf"))
    assert out is not None
    qtbot.waitUntil(lambda: len(_audit(window, "export")) == 1, timeout=60_000)
    entry = _audit(window, "export")[0]
    assert (entry.patient_id, entry.record_id, entry.detail) == (patient.id, stored["id"], "")

    def accept(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    panel.print_dialog()
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF-")
    qtbot.waitUntil(lambda: len(_audit(window, "print")) == 1, timeout=60_000)
    entry = _audit(window, "print")[0]
    assert (entry.patient_id, entry.record_id, entry.detail) == (patient.id, stored["id"], "")
    assert "MARKERNAME" not in str([(e.detail, e.record_id) for e in window.bridge.session.audit.entries(50)])


def test_a_dark_screen_palette_still_prints_black_text(qtbot, runner, qapp):
    from PySide6.QtGui import QColor, QPalette

    panel = _letter_panel(qtbot, runner)

    def page() -> QImage:
        return letter_print.page_images(lambda brk: panel.document_html(slip_on_new_page=brk), dpi=60)[0]

    light = page()
    old = qapp.palette()
    dark = QPalette(old)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        dark.setColor(role, QColor(255, 255, 255))
    qapp.setPalette(dark)
    try:
        on_dark = page()
    finally:
        qapp.setPalette(old)
    assert on_dark == light                         # the same black page whatever the screen's colours
    assert sum(1 for y in range(0, light.height(), 2) for x in range(0, light.width(), 2)
               if light.pixelColor(x, y).lightness() < 60) > 500      # and it has text
