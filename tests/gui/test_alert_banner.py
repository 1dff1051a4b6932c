"""Surveillance alerts with real widgets over a real vault (issue 17): shown on the start
screen and in the chart of each patient involved until a clinician acknowledges them;
an assistant sees them but cannot acknowledge; lock clears them."""

from __future__ import annotations

import os
from datetime import date, timedelta

from PySide6.QtCore import Qt

from lantern.services.surveillance import iso_week

from .helpers import ADMIN, make_vault, show_and_unlock
from .test_keyboard import _clashes


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY, DAY
    TODAY = date.today()
    DAY = TODAY - timedelta(days=1) if TODAY.weekday() else TODAY


refresh_dates()


def _seed(vault_dir) -> dict[str, str]:
    session = make_vault(vault_dir)
    try:
        rec = session.records
        asha = rec.add_patient(name="Asha Mwangi", sex="female", birth_year=1990,
                               village="Kisoro", confirmed_new=True).id
        juma = rec.add_patient(name="Juma Ali", sex="male", birth_year=1980, village="Bukavu",
                               confirmed_new=True).id
        rec.confirm_diagnoses(rec.new_encounter(asha, clinical_date=DAY).id, ["cholera"])
        rec.confirm_diagnoses(rec.new_encounter(juma, clinical_date=DAY).id, ["common_cold"])
        session.users.add_user(username="nurse", role="assistant",
                               passphrase="nurse passphrase 1")
        return {"asha": asha, "juma": juma}
    finally:
        session.lock()


def _unlock(qtbot, window, **kw):
    with qtbot.waitSignal(window.alert_center.changed, timeout=60_000):
        show_and_unlock(qtbot, window, **kw)


def test_alert_on_start_screen_and_chart_until_acknowledged(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.alert_panel
    assert panel.isVisible() and panel.list.count() == 1
    line = panel.list.item(0).text()
    assert line.startswith("Cholera") and iso_week(DAY) in line and "Kisoro" in line
    assert "Asha" not in line
    assert panel.ack_button.isVisible() and panel.ack_button.isEnabled()
    assert _clashes(main_window) == {}, "start screen with an alert"

    banner = main_window.patient_alerts
    with qtbot.waitSignal(main_window.chart.patient_loaded, timeout=60_000):
        main_window.open_patient(ids["juma"])
    assert banner.isHidden()                     # not one of the cases
    with qtbot.waitSignal(main_window.chart.patient_loaded, timeout=60_000):
        main_window.open_patient(ids["asha"])
    assert banner.isVisible() and "Cholera" in banner.label.text()
    assert _clashes(main_window) == {}, "chart with an alert"

    with qtbot.waitSignal(main_window.alert_center.acknowledged, timeout=60_000) as acked:
        qtbot.mouseClick(banner.ack_button, Qt.MouseButton.LeftButton)
    assert acked.args == [f"cholera/{iso_week(DAY)}/single_case/v1"]
    qtbot.waitUntil(lambda: banner.isHidden() and not main_window.alert_center.alerts,
                    timeout=60_000)
    main_window.show_followups()
    # the start screen keeps only the Undo bar for the acknowledgement just made
    qtbot.waitUntil(lambda: panel.list.isHidden() and panel.undo_button.isVisible(), timeout=60_000)
    assert panel.undo_label.text().startswith("Acknowledged: Cholera")
    entries = main_window.bridge.session.audit.entries(20)
    [entry] = [e for e in entries if e.action == "acknowledge alert"]
    assert entry.username == ADMIN and entry.detail == f"alert {acked.args[0]}"
    # Undo: the alert is back on the start screen and in the chart, the withdrawal audited
    with qtbot.waitSignal(main_window.alert_center.changed, timeout=60_000):
        qtbot.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.list.count() == 1 and panel.list.isVisible(), timeout=60_000)
    assert panel.undo_button.isHidden() and not banner.isHidden()    # back in the chart too
    entries = main_window.bridge.session.audit.entries(20)
    assert [e.detail for e in entries if e.action == "withdraw alert acknowledgement"] == [
        f"alert {acked.args[0]}"]
    # acknowledged again, then a lock: nothing left to undo, the panel is gone
    with qtbot.waitSignal(main_window.alert_center.acknowledged, timeout=60_000):
        qtbot.mouseClick(panel.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not main_window.alert_center.alerts, timeout=60_000)
    main_window.lock()
    assert panel.isHidden() and main_window.alert_center.undoable == []


def test_assistant_sees_the_alert_without_acknowledge_and_lock_clears_it(qtbot, main_window,
                                                                         vault_dir):
    _seed(vault_dir)
    _unlock(qtbot, main_window, username="nurse", passphrase="nurse passphrase 1")
    panel = main_window.alert_panel
    assert panel.isVisible() and panel.list.count() == 1
    assert panel.ack_button.isHidden()
    main_window.lock()
    assert panel.isHidden() and panel.list.count() == 0
    assert main_window.alert_center.alerts == []


def test_chinese_alert_names_the_disease_in_chinese(qtbot, zh_ui, main_window, vault_dir):
    _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.alert_panel
    assert panel.list.item(0).text().startswith("霍乱 — 需立即报告疾病的单个病例")
    assert panel.title.text().startswith("监测预警（1）")
    assert panel.ack_button.text() == "确认预警(&A)"


def test_the_clinic_chooses_its_notifiable_disease_list_in_settings(qtbot, main_window, vault_dir):
    from lantern.gui.settings_dialog import GuiSettings, SettingsDialog

    from .helpers import on_next_modal

    session = make_vault(vault_dir)
    try:
        rec = session.records
        pid = rec.add_patient(name="Measles child", sex="male", birth_year=TODAY.year - 3,
                              village="Kisoro", confirmed_new=True).id
        rec.confirm_diagnoses(rec.new_encounter(pid, clinical_date=DAY).id, ["measles"])
    finally:
        session.lock()
    _unlock(qtbot, main_window)
    panel = main_window.alert_panel
    assert panel.list.count() == 1      # WHO AFRO IDSR: measles is immediately notifiable
    assert "single case of an immediately notifiable disease" in panel.list.item(0).text()

    def choose_china(dialog):
        assert isinstance(dialog, SettingsDialog)
        assert dialog.surveillance.currentData() == "idsr"
        dialog.surveillance.setCurrentIndex(dialog.surveillance.findData("china"))
        dialog.accept()

    on_next_modal(choose_china)
    with qtbot.waitSignal(main_window.alert_center.changed, timeout=60_000):
        main_window.settings_action.trigger()
    # China reports measles within 24 hours (乙类) with a weekly threshold of 1, not as an
    # immediately notifiable single case (甲类)
    assert main_window.alert_center.list_name == "china" and panel.list.count() == 1
    assert "1 cases this week (threshold 1)" in panel.list.item(0).text()
    assert GuiSettings(vault_dir).surveillance_list == "china"
    main_window.open_reports()
    qtbot.waitUntil(lambda: main_window.report_window is not None, timeout=60_000)
    assert main_window.report_window.list_name == "china"


def test_alerts_are_computed_in_the_report_process_not_the_gui_process(qtbot, main_window,
                                                                      vault_dir, monkeypatch):
    """The start screen's alerts come from the child process (its own interpreter lock):
    computing them in the GUI's process is made to fail, and they come all the same; the
    child ends at lock (it holds the keys)."""
    from lantern.services.alerts import AlertService

    def not_here(*_a, **_k):
        raise AssertionError("alerts computed in the GUI process")

    monkeypatch.setattr(AlertService, "all_current", not_here)
    _seed(vault_dir)
    _unlock(qtbot, main_window)
    center = main_window.alert_center
    assert [a.condition_id for a in center.alerts] == ["cholera"]
    process = center._process
    assert process.pid is not None and process.pid != os.getpid()
    main_window.lock()
    qtbot.waitUntil(lambda: not process.is_alive(), timeout=60_000)
    assert center.alerts == []
