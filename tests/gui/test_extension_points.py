"""The hooks other panels use: side panel, Tools menu, status bar, context signal."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from .helpers import make_vault, show_and_unlock


def test_extension_points(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Ext Patient", sex="female", birth_year=2000)
    session.lock()
    w = main_window
    panel = QLabel("assessment goes here")
    index = w.add_side_panel(panel, "Assessment")
    assert index == 0 and w.encounter_view.side_tabs.tabText(0) == "Assessment"
    action = QAction("Model manager…", w)
    w.add_tool_action(action)
    assert action in w.tools_menu.actions()
    status = QLabel("model: none")
    w.add_permanent_status_widget(status)
    assert status.parent() is w.statusBar()

    show_and_unlock(qtbot, w)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000) as blocker:
        w.chart.new_encounter()
    note, vitals, age, sex, pregnant = blocker.args
    assert note == "" and sex == "female" and 24 <= age <= 27 and pregnant is False
    assert w.encounter_view.pregnant.isEnabled()
    w.encounter_view.pregnant.setChecked(True)
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000) as blocker:
        w.encounter_view.note.setPlainText("cough")
    assert blocker.args[0] == "cough" and blocker.args[4] is True
    assert panel.isVisibleTo(w)
    # With side panels, the encounter gets the full width; the list returns with the chart.
    assert not w.patient_list.isVisible() and not w.list_action.isChecked()
    w.encounter_view.back_button.click()
    assert w.patient_list.isVisible() and w.list_action.isChecked()
    w.list_action.trigger()                       # F9 toggles it by hand
    assert not w.patient_list.isVisible()
    assert w.runner.wait_all(10)
