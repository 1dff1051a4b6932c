"""Keyboard use: visible mnemonics never clash, main shortcuts exist."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar

from .helpers import ADMIN, PASSPHRASE, make_vault, show_and_unlock

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
    with qtbot.waitSignal(w.session_opened, timeout=15_000):
        w.unlock_view.try_unlock()
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=5000)
    assert _clashes(w) == {}, "chart"
    with qtbot.waitSignal(w.encounter_changed, timeout=5000):
        w.chart.new_encounter()
    assert _clashes(w) == {}, "encounter"
    assert w.runner.wait_all(10)


def test_main_shortcuts(main_window):
    w = main_window
    shortcuts = {a.shortcut().toString() for a in w.actions()}
    assert {"Ctrl+L", "Ctrl+N", "Ctrl+F", "Ctrl+E", "F9"} <= shortcuts


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
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id == patient.id, timeout=5000)
    focus = QApplication.focusWidget()
    assert focus is not w.patient_list.search
    with qtbot.waitSignal(w.encounter_changed, timeout=5000):
        qtbot.keyClick(focus, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert w.runner.wait_all(10)
