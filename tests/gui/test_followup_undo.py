"""Undo of a tracing outcome on the start screen's list, with real widgets over a real
vault: Ctrl+Z in the list and the Undo button take the outcome back through the
service (audited), "Died" is asked about first, and a lock leaves no name in the bar."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lantern.domain.followups import Outcome
from lantern.gui.errors import Button, MessageBox

from .helpers import all_widget_text
from .test_followup_list import _seed, _texts, _unlock


def _names(panel) -> list[str]:
    return [r[2] for r in _texts(panel)]


def _ctrl_z(qtbot, widget):
    qtbot.keyClick(widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def _undo_actions(session) -> list:
    return [e for e in session.audit.entries() if e.action == "undo follow-up outcome"]


def test_ctrl_z_in_the_list_brings_a_moved_patient_back(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    session = main_window.bridge.session
    assert panel.undo_button.isHidden()                   # nothing to undo yet
    panel.table.setFocus()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)   # moved
    assert _names(panel) == ["Baby Banda"]
    assert panel.undo_label.text() == "Mary Phiri: Moved recorded."
    assert not panel.undo_button.isHidden() and panel.table.hasFocus()
    with qtbot.waitSignal(panel.outcome_undone, timeout=60_000) as undone, \
            qtbot.waitSignal(panel.refreshed, timeout=60_000):
        _ctrl_z(qtbot, panel.table)
    assert undone.args == [ids["f1"]]
    assert _names(panel) == ["Mary Phiri", "Baby Banda"]
    assert panel.selected_id() == ids["f1"] and panel.table.hasFocus()
    assert panel.undo_button.isHidden() and panel.undo_label.text() == "Outcome undone."
    assert session.followups.get(ids["f1"]).outcomes == ()
    [entry] = _undo_actions(session)
    assert (entry.record_id, entry.patient_id) == (ids["f1"], ids["mary"])
    _ctrl_z(qtbot, panel.table)                          # once only: a second Ctrl+Z does nothing
    assert main_window.runner.wait_all(10)
    assert len(_undo_actions(session)) == 1 and session.followups.get(ids["f1"]).open


def test_the_undo_button_restores_the_earlier_outcome(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    for outcome in (Outcome.NOT_REACHABLE, Outcome.CALLED):
        panel.table.selectRow(0)
        with qtbot.waitSignal(panel.refreshed, timeout=60_000):
            panel.outcome_buttons[outcome].click()
    assert "called" in _texts(panel)[0][1]
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.undo_button.click()
    assert "not reachable" in _texts(panel)[0][1]
    got = main_window.bridge.session.followups.get(ids["f1"])
    assert [o.outcome for o in got.outcomes] == [Outcome.NOT_REACHABLE]


def test_died_is_asked_first_and_can_be_undone(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    session = main_window.bridge.session
    audit_before = len(session.audit.entries())
    panel.table.setFocus()
    panel.table.selectRow(1)                              # Baby Banda
    MessageBox.set_next_answer(Button.No)
    asked = len(MessageBox.history)
    qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(MessageBox.history) > asked, timeout=60_000)   # (animated click)
    assert MessageBox.history[-1][1].startswith("Record that Baby Banda has died?")
    assert main_window.runner.wait_all(10)
    assert session.followups.get(ids["f2"]).outcomes == ()
    assert len(session.audit.entries()) == audit_before and panel.undo_button.isHidden()
    assert _names(panel) == ["Mary Phiri", "Baby Banda"] and panel.table.hasFocus()
    MessageBox.set_next_answer(Button.Yes)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert session.followups.get(ids["f2"]).outcome is Outcome.DIED
    assert _names(panel) == ["Mary Phiri"]
    assert panel.undo_label.text() == "Baby Banda: Died recorded."
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        _ctrl_z(qtbot, panel.table)
    assert session.followups.get(ids["f2"]).open and _names(panel) == ["Mary Phiri", "Baby Banda"]


def test_a_lock_clears_the_undo_bar(qtbot, main_window, vault_dir):
    _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.outcome_buttons[Outcome.CALLED].click()
    assert "Mary Phiri" in panel.undo_label.text()
    main_window.lock()
    assert panel.undo_label.text() == "" and panel.undo_button.isHidden()
    assert "Mary Phiri" not in all_widget_text()
    _unlock(qtbot, main_window)
    assert panel.undo_button.isHidden()                  # nothing to undo after the unlock
