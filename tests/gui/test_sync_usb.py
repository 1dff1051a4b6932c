"""Settings → Sync → USB stick (issue 18, part 4 in the GUI): "Import a file…" applies
another laptop's bundle in the sync lane and the patient is found by search; "Export to
a file…" writes a bundle the other laptop imports; a refused file is one clear line and
nothing changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.domain.records import Sex
from lantern.gui.sync_settings import SyncSettingsPage
from lantern.services.session import VaultSession
from lantern.services.sync.bundle import export_bundle, import_bundle

from .helpers import ADMIN, PASSPHRASE, outreach_laptop, show_and_unlock


@pytest.fixture
def outreach(vault_dir, tmp_path, monkeypatch):
    """The GUI's vault and an outreach laptop that registered a patient and wrote a bundle."""
    with outreach_laptop(vault_dir, tmp_path, monkeypatch) as b:
        (tmp_path / "stick").mkdir()
        export_bundle(b.context, tmp_path / "stick" / "from-outreach.bundle")
    return tmp_path


def _page(qtbot, window) -> SyncSettingsPage:
    show_and_unlock(qtbot, window)
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=60_000)
    page = SyncSettingsPage(controller=window.sync)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.export_button.isEnabled() and "Last export" in page.usb_status.text(),
                    timeout=60_000)
    return page


def test_import_applies_the_other_laptops_bundle_and_search_finds_it(qtbot, main_window, outreach):
    w = main_window
    page = _page(qtbot, w)
    assert "last import: never" in page.usb_status.text()
    with qtbot.waitSignal(w.sync.records_changed, timeout=60_000), \
            qtbot.waitSignal(w.sync.usb_finished, timeout=60_000) as done:
        page.import_from(outreach / "stick" / "from-outreach.bundle")
        assert not page.import_button.isEnabled() and page.progress.isVisible()
    assert done.args[0].startswith("Imported: ") and "0 conflicting" in done.args[0]
    assert page.result_label.text() == done.args[0] and not page.error_label.isVisible()
    assert [p.name for p in w.bridge.session.records.search_patients("Outreach")] == ["Outreach Visit"]
    qtbot.waitUntil(lambda: "last import: never" not in page.usb_status.text(), timeout=60_000)
    assert page.import_button.isEnabled()
    # the same file again: refused in one line, nothing changed
    with qtbot.waitSignal(w.sync.failed, timeout=60_000):
        page.import_from(outreach / "stick" / "from-outreach.bundle")
    assert page.error_label.isVisible() and "imported already" in page.error_label.text()


def test_export_writes_a_bundle_the_other_laptop_imports(qtbot, main_window, outreach, monkeypatch):
    w = main_window
    page = _page(qtbot, w)
    w.bridge.session.records.add_patient(name="Typed Here", sex=Sex.FEMALE, birth_year=1999)
    target = outreach / "stick" / "to-outreach.bundle"
    with qtbot.waitSignal(w.sync.usb_finished, timeout=60_000) as done:
        page.export_to(target)
    assert target.exists() and "to-outreach.bundle" in done.args[0]
    qtbot.waitUntil(lambda: "last export: never" not in page.usb_status.text().lower()
                    and "0 events written here" in page.usb_status.text(), timeout=60_000)
    # a file that is already there is not overwritten
    with qtbot.waitSignal(w.sync.failed, timeout=60_000):
        page.export_to(target)
    assert "already exists" in page.error_label.text()
    # the outreach laptop imports it and has the new patient
    monkeypatch.setenv("LANTERN_STATE_DIR", str(outreach / "outreach-state"))
    b = VaultSession.unlock(outreach / "outreach", username=ADMIN, passphrase=PASSPHRASE,
                            sleep=lambda s: None)
    try:
        assert import_bundle(b.context, target).applied >= 1
        b.records.rebuild_index()       # what the GUI does after an import that applied events
        assert [p.name for p in b.records.search_patients("Typed")] == ["Typed Here"]
    finally:
        b.lock()


def test_the_buttons_follow_the_lock_and_the_keyboard(qtbot, main_window, outreach):
    w = main_window
    page = _page(qtbot, w)
    assert page.export_button.text().replace("&", "") == "Export to a file…"
    assert "&" in page.import_button.text()          # Alt+I
    page.import_button.setFocus()
    assert page.import_button.hasFocus()
    w.lock()
    qtbot.waitUntil(lambda: not page.export_button.isEnabled() and not page.import_button.isEnabled(),
                    timeout=60_000)
    assert page.usb_status.text() == "(vault locked)"
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)    # disabled: nothing starts
    assert not w.sync.running


def test_a_concurrent_edit_from_another_laptop_shows_in_the_chart(qtbot, main_window, vault_dir,
                                                                   tmp_path, monkeypatch):
    import dataclasses

    with outreach_laptop(vault_dir, tmp_path, monkeypatch) as b:
        shared = b.records.search_patients("Clinic Patient")[0]
        b.records.update_patient(dataclasses.replace(b.records.get_patient(shared.id), village="Upper"))
        (tmp_path / "stick").mkdir()
        export_bundle(b.context, tmp_path / "stick" / "from-outreach.bundle")
    w = main_window
    page = _page(qtbot, w)
    records = w.bridge.session.records
    records.update_patient(dataclasses.replace(records.get_patient(shared.id), village="Lower"))
    with qtbot.waitSignal(w.sync.usb_finished, timeout=60_000) as done:
        page.import_from(tmp_path / "stick" / "from-outreach.bundle")
    assert "1 conflicting" in done.args[0]
    chart = w.chart
    chart.open_patient(shared.id)
    qtbot.waitUntil(lambda: not chart.conflict_label.isHidden(), timeout=60_000)
    kept = records.get_patient(shared.id).village
    lost = {"Upper", "Lower"} - {kept}
    text = chart.conflict_label.text()
    assert text.startswith("Also changed on ") and f"village “{lost.pop()}”" in text
    assert "kept in the sync history" in text
    chart.clear()
    assert chart.conflict_label.isHidden() and chart.conflict_label.text() == ""


def test_the_chart_names_each_record_whose_value_was_lost_and_keeps_all_in_the_tooltip(
        qtbot, main_window, outreach):
    from lantern.services.sync.events import Conflict

    w = main_window
    show_and_unlock(qtbot, w)
    records = w.bridge.session.records
    patient = records.add_patient(name="Many Edits", sex=Sex.FEMALE, birth_year=1980)
    chart = w.chart
    chart.open_patient(patient.id)
    qtbot.waitUntil(lambda: chart._patient is not None and chart._patient.id == patient.id,
                    timeout=60_000)

    def lost(table: str, subject: str, field: str, value: object, hlc: str) -> Conflict:
        return Conflict(table, "r-" + hlc, field, value, "d" * 16, "outreach", "nurse", hlc,
                        "e-" + hlc, subject=subject)

    chart.show_conflicts(patient.id, [
        lost("patients", "", "village", "Upper", "01"),
        lost("encounters", "2026-12-01", "note", "typed on after signing", "02"),
        lost("medications", "amoxicillin", "stopped", "2026-11-30", "03"),
        lost("allergies", "penicillin", "reaction", "hives", "04"),
        lost("problems", "asthma", "resolved", "2026-10-01", "05"),
    ])
    lines = chart.conflict_label.text().split("\n")
    assert lines[0] == ("Also changed on outreach by nurse: problem asthma: resolved "
                        "“2026-10-01” (kept in the sync history).")
    assert "allergy penicillin: reaction “hives”" in lines[1]
    assert "medication amoxicillin: stopped “2026-11-30”" in lines[2]
    assert lines[3] == "… and 2 more (hover to see all)."
    tip = chart.conflict_label.toolTip()
    assert "note of 2026-12-01: text “typed on after signing”" in tip and "village “Upper”" in tip
    # another patient's conflicts never show on this chart
    chart.show_conflicts("someone-else", [lost("patients", "", "village", "X", "06")])
    assert chart.conflict_label.isHidden() and chart.conflict_label.toolTip() == ""
