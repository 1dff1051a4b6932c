"""Records damaged in the real vault file (bytes flipped, data swapped, with sqlite3)
shown in the real chart offscreen: red "record damaged: cannot be read" in the allergy
banner beside the intact allergies, a red row in each list and in the encounters,
"record damaged" on the summary's allergy line; never "none recorded"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from lantern.domain.records import Sex, Vitals
from lantern.gui.clinical_lists import DAMAGED_COLOR
from lantern.gui.extensions import install_summary
from lantern.gui.main_window import MainWindow
from lantern.services.session import VaultSession
from lantern.services.summaries import SummaryService
from lantern.vault.store import vault_path
from tests.unit.vault_edits import flip_byte, swap_data

from .helpers import all_widget_text, make_vault, show_and_unlock

DAMAGED = "record damaged: cannot be read"


@pytest.fixture
def chart_vault(vault_dir):
    """A patient with two allergies, a medication, a problem and two notes; locked."""
    session = make_vault(vault_dir)
    rec = session.records
    p = rec.add_patient(name="MARKERNAME Grace", sex=Sex.FEMALE, birth_year=2022)
    ids = {"patient": p.id,
           "pen": rec.add_allergy(p.id, substance="MARKERPEN Penicillin", reaction="anaphylaxis",
                                  severity="severe").id,
           "sulfa": rec.add_allergy(p.id, substance="Sulfonamides", reaction="rash").id,
           "med": rec.add_medication(p.id, name="Salbutamol", dose="100 mcg").id,
           "prob": rec.add_problem(p.id, description="Asthma").id}
    for key, note in (("old_note", "MARKERNOTE wheeze for two days."),
                      ("new_note", "Cough for 3 days. NKDA. Plan: review in 2 days.")):
        enc = rec.new_encounter(p.id)
        rec.save_draft(enc.id, note=note, vitals=Vitals(temp_c=37.8))
        ids[key] = enc.id
    session.lock()
    return vault_path(vault_dir), ids


def _open(qtbot, vault_dir, patient_id, *, summary=False):
    window = MainWindow(data_dir=vault_dir, vault=VaultSession)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    if summary:
        window.summary_panel = install_summary(window, summaries=SummaryService())
    show_and_unlock(qtbot, window)
    window.open_patient(patient_id)
    chart = window.chart
    qtbot.waitUntil(lambda: chart.banner.property("state") in ("none", "allergies")
                    and chart.encounter_table.rowCount() == 2 and chart.problems.table.rowCount() == 1,
                    timeout=60_000)
    return window


@pytest.fixture
def opened(qtbot, vault_dir):
    windows = []

    def _opened(patient_id, **kw):
        windows.append(_open(qtbot, vault_dir, patient_id, **kw))
        return windows[-1]
    yield _opened
    for w in windows:
        w.close()
        w.runner.shutdown()


def test_a_damaged_allergy_is_red_in_the_banner_beside_the_intact_one(qtbot, chart_vault, opened, vault_dir):
    db, ids = chart_vault
    flip_byte(db, "allergies", ids["pen"])
    chart = opened(ids["patient"]).chart
    assert chart.banner.text() == f"⚠ ALLERGIES: {DAMAGED}; Sulfonamides (rash)"
    assert chart.banner.property("state") == "allergies"             # the red style
    assert f"allergies/{ids['pen']}" in chart.banner.toolTip() and "MARKERPEN" not in all_widget_text()
    panel = chart.allergies
    assert panel.table.item(0, 0).text() == f"⚠ {DAMAGED}"
    assert panel.table.item(0, 0).foreground().color() == DAMAGED_COLOR
    assert panel.table.item(1, 0).text() == "Sulfonamides"
    assert not panel.empty_label.isVisibleTo(panel)
    panel.table.selectRow(0)
    assert not panel.remove_button.isEnabled()                     # a damaged row cannot be removed
    panel.table.selectRow(1)
    assert panel.remove_button.isEnabled()
    assert chart.tabs.tabText(1).endswith("(2)")


def test_the_only_allergy_damaged_never_reads_none_recorded(qtbot, vault_dir, opened):
    session = make_vault(vault_dir)
    p = session.records.add_patient(name="Li Wei", sex=Sex.MALE, birth_year=1990)
    allergy = session.records.add_allergy(p.id, substance="Penicillin")
    session.records.new_encounter(p.id)
    session.records.new_encounter(p.id)
    session.records.add_problem(p.id, description="Asthma")
    session.lock()
    flip_byte(vault_path(vault_dir), "allergies", allergy.id)
    chart = opened(p.id).chart
    assert chart.banner.text() == f"⚠ ALLERGIES: {DAMAGED}"
    assert chart.banner.property("state") == "allergies"
    assert "none recorded" not in chart.banner.text().lower()
    assert not chart.allergies.empty_label.isVisibleTo(chart.allergies)


def test_an_empty_intact_list_says_none_recorded_never_no_known_allergies(qtbot, vault_dir, opened):
    session = make_vault(vault_dir)
    p = session.records.add_patient(name="Li Wei", sex=Sex.MALE, birth_year=1990)
    session.records.new_encounter(p.id)
    session.records.new_encounter(p.id)
    session.records.add_problem(p.id, description="Asthma")
    session.lock()
    chart = opened(p.id).chart
    assert chart.banner.text() == "Allergies: none recorded" and chart.banner.property("state") == "none"
    assert "no known" not in all_widget_text().lower()


def test_damaged_lists_and_a_damaged_note_keep_their_rows(qtbot, chart_vault, opened):
    db, ids = chart_vault
    flip_byte(db, "medications", ids["med"])
    flip_byte(db, "problems", ids["prob"])
    flip_byte(db, "encounters", ids["old_note"])
    window = opened(ids["patient"])
    chart = window.chart
    for panel in (chart.medications, chart.problems):
        qtbot.waitUntil(lambda p=panel: p.table.rowCount() == 1, timeout=60_000)
        assert panel.table.item(0, 0).text() == f"⚠ {DAMAGED}"
        assert not panel.empty_label.isVisibleTo(panel)
    table = chart.encounter_table
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(2)]
    assert rows[0][2:] == ["damaged", f"⚠ {DAMAGED}"]
    assert rows[1][3].startswith("Cough for 3 days")
    assert f"encounters/{ids['old_note']}" in table.item(0, 3).toolTip()
    assert "MARKERNOTE" not in all_widget_text()
    chart.open_encounter_row(0)                                  # nothing to open
    assert chart.pages.currentIndex() == 0
    chart.open_encounter_row(1)
    assert chart.pages.currentIndex() == 1


def test_swapped_allergies_both_show_damaged_and_the_summary_says_so(qtbot, chart_vault, opened):
    db, ids = chart_vault
    swap_data(db, "allergies", ids["pen"], ids["sulfa"])
    window = opened(ids["patient"], summary=True)
    chart = window.chart
    assert chart.banner.text() == f"⚠ ALLERGIES: {DAMAGED} (2 records)"
    row = next(r for r in range(chart.encounter_table.rowCount())
               if chart.encounter_table.item(r, 3).text().startswith("Cough"))
    with qtbot.waitSignal(window.encounter_view.encounter_opened, timeout=60_000):
        chart.open_encounter_row(row)
    panel = window.summary_panel
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    allergies = panel.summary.section_text("allergies")
    assert allergies == "⚠ 2 records damaged: cannot be read"   # the note's "NKDA" is not repeated over it
    assert "None recorded" not in allergies and "No known" not in panel.summary.text
    shown = panel.editor.toPlainText()
    cursor = QTextCursor(panel.editor.document())
    cursor.setPosition(shown.index("⚠ 2 records damaged") + 2)
    assert cursor.charFormat().foreground().color() == DAMAGED_COLOR      # red on screen
    cursor.setPosition(shown.index("Cough for 3 days") + 2)
    assert cursor.charFormat().foreground().color() != DAMAGED_COLOR


def test_chinese_banner_and_row(qtbot, chart_vault, opened, qapp):
    from lantern.app import install_translations

    db, ids = chart_vault
    flip_byte(db, "allergies", ids["pen"])
    install_translations(qapp, "zh_CN")
    try:
        chart = opened(ids["patient"]).chart
        assert chart.banner.text() == "⚠ 过敏：记录已损坏：无法读取; Sulfonamides (rash)"
        assert chart.allergies.table.item(0, 0).text() == "⚠ 记录已损坏：无法读取"
    finally:
        for name in ("_lantern_translator", "_lantern_qt_translator"):
            translator = getattr(qapp, name, None)
            if translator is not None:
                QApplication.removeTranslator(translator)
                delattr(qapp, name)


def test_a_history_summary_names_the_damaged_note(qtbot, chart_vault, opened):
    db, ids = chart_vault
    flip_byte(db, "encounters", ids["old_note"])
    window = opened(ids["patient"], summary=True)
    with qtbot.waitSignal(window.encounter_view.encounter_opened, timeout=60_000):
        window.chart.open_encounter_row(1)
    panel = window.summary_panel
    qtbot.waitUntil(lambda: "notes" in panel._payload, timeout=60_000)    # the visits are loaded
    panel.set_kind("history")
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    assert "⚠ record damaged: cannot be read" in [ln.text for ln in panel.summary.sections["visits"]]
    assert "MARKERNOTE" not in panel.editor.toPlainText()


def test_a_missing_allergy_reported_by_the_vault_state_shows_like_a_damaged_one(
        qtbot, chart_vault, opened):
    from lantern.domain.records import UnreadableRecord
    from tests.unit.vault_edits import delete_row

    db, ids = chart_vault
    delete_row(db, "allergies", ids["pen"])
    window = opened(ids["patient"])
    chart = window.chart
    assert chart.banner.text() == "⚠ ALLERGIES: Sulfonamides (rash)"     # nothing knows yet
    window.bridge.session.records.note_missing(records=[
        UnreadableRecord("allergies", ids["pen"], ids["patient"], kind="missing")])
    chart.allergies.load(ids["patient"])
    qtbot.waitUntil(lambda: chart.allergies.table.rowCount() == 2, timeout=60_000)
    assert chart.banner.text() == f"⚠ ALLERGIES: {DAMAGED}; Sulfonamides (rash)"
    assert f"Record allergies/{ids['pen']} is missing from the vault." in chart.banner.toolTip()
