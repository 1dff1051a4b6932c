"""View → Reports… (Ctrl+Shift+R) with real widgets over a real vault (issue 17): the
numbers shown are the service's, the village table colours alert villages, computing
writes nothing to the vault, and the PDF, CSV and DHIS2 exports are the services'
outputs. English and Chinese."""

from __future__ import annotations

import json
import os
import re
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor

from lantern.gui.errors import Button, MessageBox
from lantern.gui.report_window import default_month, month_bounds
from lantern.paths import resources_dir
from lantern.services import dhis2, reports
from lantern.services.surveillance import iso_week
from tests.data_dir_snapshot import snapshot

from .helpers import make_vault, show_and_unlock


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY, START, END
    TODAY = date.today()
    START, END = month_bounds(default_month(TODAY))


refresh_dates()
MID = START + timedelta(days=14)


def _seed(vault_dir) -> None:
    session = make_vault(vault_dir)
    try:
        rec = session.records

        def case(name, sex, year, village, day, *cids):
            pid = rec.add_patient(name=name, sex=sex, birth_year=year, village=village,
                                  confirmed_new=True).id
            enc = rec.new_encounter(pid, clinical_date=day)
            if cids:
                rec.confirm_diagnoses(enc.id, list(cids))
            return pid, enc.id

        for i in range(3):      # a bloody-diarrhoea cluster in Hill (an alert)
            case(f"Hill child {i}", "male", TODAY.year - 3, "Hill", MID, "dysentery")
        for i in range(4):
            case(f"Malaria {i}", "female" if i % 2 else "male", TODAY.year - 30, "Kisoro",
                 MID + timedelta(days=i % 3), "malaria_uncomplicated")
        kid, visit = case("Pneumonia kid", "female", TODAY.year - 1, "Kisoro", START, "pneumonia")
        rec.save_summary(visit, kid, {"kind": "referral", "text": "Referred.", "status": "signed",
                                      "signed_by": "admin"})
        case("No diagnosis", "male", TODAY.year - 50, "Kisoro", MID)
        case("Before month", "male", TODAY.year - 20, "Bukavu", START - timedelta(days=2),
             "malaria_uncomplicated")
    finally:
        session.lock()


def _files(vault_dir):
    return snapshot(vault_dir)


def _open_reports(qtbot, window):
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.report_window is not None, timeout=60_000)
    dialog = window.report_window
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        pass
    return dialog


def _expected(window) -> dict:
    ctx = window.bridge.session.context
    data = reports.read_visits(ctx, since=None)
    return reports.monthly(data, start=START, end=END, clinic=window.bridge.clinic_name)


def test_ctrl_shift_r_opens_reports_and_the_numbers_are_the_services(qtbot, main_window,
                                                                     vault_dir):
    _seed(vault_dir)
    show_and_unlock(qtbot, main_window)
    assert main_window.runner.wait_all(30)
    before = _files(vault_dir)
    dialog = _open_reports(qtbot, main_window)
    assert main_window.runner.wait_all(30)
    assert _files(vault_dir) == before            # computing wrote nothing at all
    expected = _expected(main_window)
    assert dialog.report.monthly == expected
    assert dialog.top_items() == [(c["name"], c["total"]) for c in expected["by_condition"][:10]]
    assert [n for _name, n in dialog.top_items()] == [4, 3, 1]
    age_sex = dialog.report.age_sex()
    assert age_sex["under5"] == {"male": 3, "female": 1}
    assert age_sex["age15plus"] == {"male": 2, "female": 2}
    assert "9 encounters" in dialog.summary.text() and "8 new cases" in dialog.summary.text()
    assert "1 referred" in dialog.summary.text() and "0 death(s)" in dialog.summary.text()
    # the village table: counts, and the alert village in the alert colour
    cells = [[dialog.villages.item(r, c).text() for c in range(4)]
             for r in range(dialog.villages.rowCount())]
    assert cells == [["Kisoro", "5", "4", ""], ["Hill", "3", "3", "village cluster"]]
    assert dialog.villages.item(1, 0).background().color() == QColor("#e65100")
    assert dialog.villages.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    assert dialog.alert_lines() == [
        f"Bloody diarrhoea (shigellosis) — village cluster (3) — {iso_week(MID)} · Hill"]
    assert dialog.alert_list.text() == "⚠ " + dialog.alert_lines()[0]
    # the curve of the chosen disease (malaria by default), then another disease
    assert dialog.disease.currentData() == "malaria"
    assert dialog.month_weeks() >= {w for w, _n in dialog.curve_points()[-4:]}
    assert sum(n for _w, n in dialog.curve_points()) == 5     # the one before the month too
    assert not dialog.curve_image.pixmap().isNull() and not dialog.top_image.pixmap().isNull()
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        dialog.disease.setCurrentIndex(dialog.disease.findData("bloody_diarrhoea"))
    assert sum(n for _w, n in dialog.curve_points()) == 3
    # another month: recomputed
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        dialog.month.setDate(QDate(START.year, START.month, 1).addMonths(-1))
    before_start, before_end = month_bounds(START - timedelta(days=1))
    ctx = main_window.bridge.session.context
    assert dialog.report.monthly == reports.monthly(
        reports.read_visits(ctx, since=None), start=before_start, end=before_end,
        clinic=main_window.bridge.clinic_name)
    assert dialog.report.monthly["total_encounters"] == 1
    assert main_window.runner.wait_all(30)


def test_exports_are_the_services_outputs(qtbot, main_window, vault_dir, tmp_path):
    _seed(vault_dir)
    show_and_unlock(qtbot, main_window)
    dialog = _open_reports(qtbot, main_window)
    expected = _expected(main_window)
    totals = reports.outcomes(reports.read_visits(main_window.bridge.session.context, since=None),
                              start=START, end=END)
    assert dialog.report.totals == totals
    csv_path = tmp_path / "report.csv"
    dialog.export_csv(csv_path)
    assert csv_path.read_text(encoding="utf-8").splitlines() == \
        [",".join(row) for row in reports.monthly_csv_rows(expected, totals=totals)]
    # DHIS2: the example mapping lacks some conditions: named, asked, then the rest exported
    mapping = resources_dir() / "reports" / "dhis2_mapping.example.toml"
    out = tmp_path / "dhis2.json"
    doc, unmapped = dhis2.data_value_set(expected, dhis2.load_mapping(mapping),
                                         allow_unmapped=True, totals=totals)
    MessageBox.set_next_answer(Button.Yes)
    dialog.export_dhis2_with_checks(mapping, out)
    assert json.loads(out.read_text(encoding="utf-8")) == doc
    if unmapped:
        assert any(", ".join(unmapped) in text for _t, text in MessageBox.history)
    # PDF: the report with its charts, fonts embedded
    pdf = tmp_path / "report.pdf"
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as written:
        dialog.export_pdf(pdf)
    assert written.args == [str(pdf)]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) >= 2
    assert b"/FontFile2" in data
    assert main_window.runner.wait_all(30)


def test_lock_closes_the_reports_window(qtbot, main_window, vault_dir):
    _seed(vault_dir)
    show_and_unlock(qtbot, main_window)
    dialog = _open_reports(qtbot, main_window)
    assert dialog.isVisible()
    pid = dialog._process.pid
    assert pid is not None and pid != os.getpid()
    main_window.lock()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=60_000)
    assert main_window.report_window is None or not main_window.report_window.isVisible()
    assert not _running(pid)       # the process that held the keys is gone (and reaped)


def test_chinese_reports_window(qtbot, zh_ui, main_window, vault_dir, tmp_path):
    _seed(vault_dir)
    show_and_unlock(qtbot, main_window)
    main_window.open_reports()
    dialog = main_window.report_window
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        pass
    assert dialog.windowTitle() == "报告"
    assert "新病例" in dialog.summary.text()
    names = [name for name, _n in dialog.top_items()]
    assert "疟疾" in "".join(names) and dialog.disease.currentText() == "疟疾"
    assert dialog.villages.horizontalHeaderItem(0).text() == "村庄"
    pdf = tmp_path / "zh.pdf"
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        dialog.export_pdf(pdf)
    assert b"WenQuanYi" in pdf.read_bytes()      # the bundled CJK font, embedded
    assert main_window.runner.wait_all(30)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_report_and_its_charts_are_computed_in_a_process_of_their_own(
        qtbot, main_window, vault_dir, monkeypatch):
    """Whatever the speed of the machine: the month is computed and every chart drawn
    in the window's child process, never in the GUI's (whose interpreter lock the GUI
    thread needs); closing the window ends that process."""
    from lantern.gui import charts
    from lantern.gui.charts import reports as chart_reports
    from lantern.services import surveillance

    def not_here(name):
        def call(*args, **kwargs):
            raise AssertionError(f"{name} called in the GUI's process")
        return call

    monkeypatch.setattr(surveillance, "month_report", not_here("month_report"))
    monkeypatch.setattr(charts, "to_png", not_here("to_png"))
    for name in ("curve_figure", "top_figure", "age_sex_figure", "report_pdf"):
        monkeypatch.setattr(chart_reports, name, not_here(name))
    _seed(vault_dir)
    show_and_unlock(qtbot, main_window)
    dialog = _open_reports(qtbot, main_window)
    assert dialog.report.monthly == _expected(main_window)
    assert not dialog.curve_image.pixmap().isNull() and not dialog.age_sex_image.pixmap().isNull()
    before = dialog.curve_image.pixmap().toImage()
    with qtbot.waitSignal(dialog.ready, timeout=60_000):
        dialog.disease.setCurrentIndex(dialog.disease.findData("bloody_diarrhoea"))
    assert dialog.curve_image.pixmap().toImage() != before     # redrawn for the new disease
    pdf = vault_dir.parent / "in-child.pdf"
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        dialog.export_pdf(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pid = dialog._process.pid
    assert pid is not None and pid != os.getpid()
    dialog.close()
    assert not _running(pid)
    assert main_window.runner.wait_all(30)
