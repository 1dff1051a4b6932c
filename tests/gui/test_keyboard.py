"""Keyboard use: visible mnemonics never clash, main shortcuts exist."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar

from .helpers import ADMIN, PASSPHRASE, make_vault, on_next_modal, show_and_unlock

_MNEMONIC = re.compile(r"&([^&\s])")


def _visible_mnemonics(window) -> Counter:
    texts = [a.text() for a in window.menuBar().actions()]
    for w in window.findChildren(QLabel):
        if w.isVisible() and w.buddy() is not None:
            texts.append(w.text())
    for w in window.findChildren(QAbstractButton):
        if w.isVisible():
            texts.append(w.text())
    for w in window.findChildren(QGroupBox):
        if w.isVisible():
            texts.append(w.title())
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            texts.extend(bar.tabText(i) for i in range(bar.count()))
    return Counter(m.lower() for t in texts for m in _MNEMONIC.findall(t))


def _clashes(window) -> dict:
    return {k: n for k, n in _visible_mnemonics(window).items() if n > 1}


def test_mnemonics_are_unique_on_every_screen(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Key Board", sex="female", birth_year=1990)
    session.lock()
    w = main_window
    w.show()
    w.start()
    assert _clashes(w) == {}, "unlock screen"
    w.unlock_view.username.setText(ADMIN)
    w.unlock_view.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(w.session_opened, timeout=60_000):
        w.unlock_view.try_unlock()
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    assert _clashes(w) == {}, "chart"
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000):
        w.chart.new_encounter()
    assert _clashes(w) == {}, "encounter"
    assert w.runner.wait_all(10)


def test_main_shortcuts(main_window):
    w = main_window
    shortcuts = {a.shortcut().toString() for a in w.actions()}
    assert {"Ctrl+L", "Ctrl+N", "Ctrl+F", "Ctrl+E", "Ctrl+Shift+F", "F9", "Ctrl+Shift+U",
            "Ctrl+Shift+R"} <= shortcuts


def test_enter_in_the_search_box_opens_the_patient_and_ctrl_e_starts_an_encounter(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Search Enter", sex="female", birth_year=1990)
    session.lock()
    w = main_window
    show_and_unlock(qtbot, w)
    w.activateWindow()
    w.focus_search()
    # typed and Enter at once, before the search has run (as a quick typist does)
    qtbot.keyClicks(w.patient_list.search, "Search Enter")
    qtbot.keyClick(w.patient_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id == patient.id, timeout=60_000)
    focus = QApplication.focusWidget()
    assert focus is not w.patient_list.search
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000):
        qtbot.keyClick(focus, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert w.runner.wait_all(10)


# --- every shortcut in the README, from the state the user would be in --------------------
# (README "Using it": Ctrl+F find, Ctrl+N register, Ctrl+E new encounter, Ctrl+Shift+A
# assessment, Ctrl+L lock; and F9 and Ctrl+Shift+S named in the menus and tooltips.)
# Keys go to the widget that has the focus, as a keyboard user's would.

def _press(qtbot, key, modifiers=None):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    focus = QApplication.focusWidget()
    assert focus is not None, "nothing has the keyboard focus"
    qtbot.keyClick(focus, key, modifiers if modifiers is not None else Qt.KeyboardModifier.NoModifier)
    return focus


def _ctrl(shift=False):
    from PySide6.QtCore import Qt

    mods = Qt.KeyboardModifier.ControlModifier
    return mods | Qt.KeyboardModifier.ShiftModifier if shift else mods


def _window_with_patient(qtbot, w, vault_dir, *, note="cough 3 days, fever, RR 48"):
    from lantern.domain.records import Vitals

    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Keys Mwale", sex="female", birth_year=2022)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=note, vitals=Vitals(temp_c=38.5, resp_rate=48))
    session.lock()
    show_and_unlock(qtbot, w)
    w.activateWindow()
    return patient, enc


def _open_from_search(qtbot, w, patient):
    """What a user does after unlocking: type the name in the search box, Enter."""
    from PySide6.QtCore import Qt

    qtbot.keyClicks(w.patient_list.search, "Keys Mwale")
    qtbot.keyClick(w.patient_list.search, Qt.Key.Key_Return)
    _chart_ready(qtbot, w, patient)


def _chart_ready(qtbot, w, patient):
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id == patient.id
                    and w.chart.encounter_table.currentRow() == 0, timeout=60_000)


def _in_the_note(qtbot, w, vault_dir):
    """Unlocked, the patient opened from the search box, the encounter opened with Enter,
    the cursor in the note."""
    patient, enc = _window_with_patient(qtbot, w, vault_dir)
    _open_from_search(qtbot, w, patient)
    _open_encounter_by_keyboard(qtbot, w)
    return patient, enc


def _open_encounter_by_keyboard(qtbot, w):
    from PySide6.QtCore import Qt

    assert w.chart.encounter_table.hasFocus()
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        qtbot.keyClick(w.chart.encounter_table, Qt.Key.Key_Return)
    w.encounter_view.note.setFocus()


def test_ctrl_f_from_the_chart_and_from_the_note_goes_to_the_search_box(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    w = main_window
    patient, _enc = _window_with_patient(qtbot, w, vault_dir)
    _open_from_search(qtbot, w, patient)
    assert QApplication.focusWidget() is not w.patient_list.search
    _press(qtbot, Qt.Key.Key_F, _ctrl())
    assert QApplication.focusWidget() is w.patient_list.search
    assert w.patient_list.search.selectedText() == "Keys Mwale"   # typing replaces it
    qtbot.keyClick(w.patient_list.search, Qt.Key.Key_Return)      # back to the chart
    _chart_ready(qtbot, w, patient)
    _open_encounter_by_keyboard(qtbot, w)
    _press(qtbot, Qt.Key.Key_F, _ctrl())
    assert QApplication.focusWidget() is w.patient_list.search
    assert w.runner.wait_all(10)


def test_ctrl_n_opens_registration_from_the_start_screen_and_from_a_chart(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from lantern.gui.patient_dialog import PatientDialog

    w = main_window
    patient, _enc = _window_with_patient(qtbot, w, vault_dir)
    opened = []

    def seen_then_cancel(dialog):
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=60_000)
        opened.append((type(dialog), QApplication.focusWidget() is getattr(dialog, "name", None)))
        dialog.reject()

    assert QApplication.focusWidget() is w.patient_list.search      # right after unlock
    on_next_modal(seen_then_cancel)
    _press(qtbot, Qt.Key.Key_N, _ctrl())
    w.activateWindow()                 # the window manager gives the window back its focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=60_000)
    _open_from_search(qtbot, w, patient)
    on_next_modal(seen_then_cancel)
    _press(qtbot, Qt.Key.Key_N, _ctrl())
    assert [kind for kind, _focus in opened] == [PatientDialog, PatientDialog]
    assert all(focus for _kind, focus in opened), "the name field should have the focus"
    assert w.runner.wait_all(10)


def test_ctrl_e_from_each_chart_tab(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt

    w = main_window
    patient, _enc = _window_with_patient(qtbot, w, vault_dir)
    _open_from_search(qtbot, w, patient)
    w.chart.tabs.setCurrentWidget(w.chart.allergies)
    w.chart.allergies.table.setFocus()
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        _press(qtbot, Qt.Key.Key_E, _ctrl())
    assert w.chart.pages.currentIndex() == 1
    assert w.encounter_view.vitals.edits["temp_c"].hasFocus()     # ready to type vitals
    assert len(w.bridge.session.records.list_encounters(patient.id)) == 2
    assert w.runner.wait_all(10)


def test_ctrl_shift_a_from_the_note_assesses_and_shows_the_assessment(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt

    from lantern.gui.extensions import install_assessment, install_summary
    from lantern.services.assessment import AssessmentService
    from lantern.services.summaries import SummaryService

    w = main_window
    w.assessment_panel = install_assessment(w, assessment=AssessmentService())
    w.summary_panel = install_summary(w, summaries=SummaryService())
    _in_the_note(qtbot, w, vault_dir)
    w.encounter_view.side_tabs.setCurrentWidget(w.summary_panel)   # looking at the summary
    with qtbot.waitSignal(w.assessment_panel.assessed, timeout=60_000):
        _press(qtbot, Qt.Key.Key_A, _ctrl(shift=True))
    assert w.encounter_view.side_tabs.currentWidget() is w.assessment_panel
    assert w.assessment_panel.differential.count() > 0
    assert w.runner.wait_all(10)


def test_ctrl_l_locks_from_the_note_and_from_the_search_box(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt

    w = main_window
    _patient, enc = _in_the_note(qtbot, w, vault_dir)
    qtbot.keyClicks(w.encounter_view.note, " LOCKTYPED")
    with qtbot.waitSignal(w.session_locked, timeout=60_000):
        _press(qtbot, Qt.Key.Key_L, _ctrl())
    assert w.pages.currentIndex() == 0 and w.runner.wait_all(10)
    assert w.unlock_view.passphrase.hasFocus()
    with qtbot.waitSignal(w.resume.restored, timeout=60_000):
        show_and_unlock(qtbot, w)
    assert "LOCKTYPED" in w.encounter_view.note.toPlainText()      # saved before the lock
    w.focus_search()
    with qtbot.waitSignal(w.session_locked, timeout=60_000):
        _press(qtbot, Qt.Key.Key_L, _ctrl())
    assert w.runner.wait_all(10)


def test_f9_hides_and_shows_the_patient_list_from_the_note(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt

    w = main_window
    _in_the_note(qtbot, w, vault_dir)
    visible = w.patient_list.isVisible()
    _press(qtbot, Qt.Key.Key_F9)
    assert w.patient_list.isVisible() is not visible
    _press(qtbot, Qt.Key.Key_F9)
    assert w.patient_list.isVisible() is visible
    assert w.runner.wait_all(10)


def test_ctrl_shift_s_signs_from_the_note(qtbot, main_window, vault_dir):
    from PySide6.QtCore import Qt

    from lantern.domain.records import NoteStatus
    from lantern.gui.errors import Button, MessageBox

    w = main_window
    _patient, enc = _in_the_note(qtbot, w, vault_dir)
    MessageBox.set_next_answer(Button.Yes)       # "Sign this note?" — yes
    with qtbot.waitSignal(w.encounter_view.signed, timeout=60_000):
        _press(qtbot, Qt.Key.Key_S, _ctrl(shift=True))
    assert w.bridge.session.records.get_encounter(enc.id).status == NoteStatus.SIGNED
    assert w.runner.wait_all(10)
