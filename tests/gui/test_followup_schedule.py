"""Patient → Schedule follow-up… (Ctrl+Shift+F) with real widgets over a real vault:
opened from the chart by the keyboard, bad dates refused in the form with nothing
saved, a programme proposing its date, the save audited, the draft kept through an
auto-lock, and the action hidden from a role that may not schedule."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from lantern.clinical.followups.schedules import add_months
from lantern.domain.records import Caregiver
from lantern.gui.audit_dialog import action_label
from lantern.gui.followup_schedule import ScheduleFollowupDialog
from lantern.gui.patient_chart import PAGE_ENCOUNTER
from lantern.vault.store import VAULT_FILENAME

from .helpers import ADMIN, all_widget_text, make_vault, show_and_unlock


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY
    TODAY = date.today()


refresh_dates()
NURSE, NURSE_PASS = "nurse1", "nurse one passphrase 7"


def _q(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _seed(vault_dir):
    session = make_vault(vault_dir)
    session.users.add_user(username=NURSE, role="assistant", passphrase=NURSE_PASS)
    p = session.records.add_patient(name="Sched Mwale", sex="female", birth_year=1990,
                                    village="Chozi", phone="0977 111 222", confirmed_new=True)
    enc = session.records.new_encounter(p.id)
    session.records.save_draft(enc.id, note="cough", vitals=enc.vitals)
    session.lock()
    return p, enc


def _rows(vault_dir) -> int:
    with sqlite3.connect(vault_dir / VAULT_FILENAME) as conn:
        return conn.execute("SELECT COUNT(*) FROM followups").fetchone()[0]


def _open_from_search(qtbot, w, patient):
    qtbot.keyClicks(w.patient_list.search, "Sched Mwale")
    qtbot.keyClick(w.patient_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id == patient.id
                    and w.chart.encounter_table.currentRow() == 0, timeout=60_000)


def _chart_open(qtbot, w, vault_dir):
    patient, enc = _seed(vault_dir)
    show_and_unlock(qtbot, w)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: bool(w.chart._encounters), timeout=60_000)
    return patient, enc


def _ctrl_shift_f(qtbot, w):
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.scheduler.dialog is not None and w.scheduler.dialog.isVisible(),
                    timeout=60_000)
    return w.scheduler.dialog


def test_ctrl_shift_f_from_the_chart_refuses_bad_dates_and_saves_an_audited_follow_up(
        qtbot, main_window, vault_dir):
    patient, _enc = _seed(vault_dir)
    w = main_window
    show_and_unlock(qtbot, w)
    w.activateWindow()
    # on the start screen (focus in the search box) there is no chart: it says so
    qtbot.keyClick(w.patient_list.search, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert w.scheduler.dialog is None
    assert w.statusBar().currentMessage() == "Open a patient's chart to schedule a follow-up."
    _open_from_search(qtbot, w, patient)
    assert w.schedule_action.isVisible() and w.schedule_action.shortcut().toString() == "Ctrl+Shift+F"
    dialog = _ctrl_shift_f(qtbot, w)
    assert isinstance(dialog, ScheduleFollowupDialog)
    who = dialog.findChild(type(dialog.error_label), "followupPatient").text()
    assert who.startswith("Sched Mwale  ·  ") and "born 1990" in who
    assert dialog.due.date() == _q(TODAY + timedelta(days=7))
    audit_before = len(w.bridge.session.audit.entries())

    dialog.due.setDate(_q(TODAY - timedelta(days=1)))          # yesterday
    dialog.accept()
    assert dialog.isVisible() and not dialog.error_label.isHidden()
    assert "before the visit" in dialog.error_label.text()
    dialog.due.setDate(_q(TODAY + timedelta(days=800)))         # a typing error in the year
    dialog.accept()
    assert dialog.isVisible() and "more than two years" in dialog.error_label.text()
    assert _rows(vault_dir) == 0 and len(w.bridge.session.audit.entries()) == audit_before

    # choosing a programme proposes its next visit while the date was not set by hand
    fresh = ScheduleFollowupDialog(patient=patient, visit=TODAY, parent=w)
    fresh.programme.setCurrentIndex(fresh.programme.findData("tb"))
    assert fresh.due.date() == _q(add_months(TODAY, 1))
    assert fresh.reason.text() == "TB treatment refill"
    fresh.deleteLater()

    dialog.due.setDate(_q(TODAY + timedelta(days=14)))
    dialog.programme.setCurrentIndex(dialog.programme.findData("hiv_art"))   # keeps the date
    assert dialog.due.date() == _q(TODAY + timedelta(days=14))
    dialog.reason.setText("ART adherence check")
    with qtbot.waitSignal(w.scheduler.scheduled, timeout=60_000) as saved, \
            qtbot.waitSignal(w.followups.refreshed, timeout=60_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)        # Enter saves
    f = saved.args[0]
    assert (f.due, f.programme, f.reason, f.source, f.encounter_id, f.created_by) == (
        TODAY + timedelta(days=14), "hiv_art", "ART adherence check", "manual", None, ADMIN)
    assert w.scheduler.dialog is None and _rows(vault_dir) == 1
    [entry] = [e for e in w.bridge.session.audit.entries() if e.action == "add follow-up"]
    assert (entry.record_id, entry.patient_id, entry.detail) == (f.id, patient.id, "manual")
    assert "ART adherence" not in repr(w.bridge.session.audit.entries())
    assert w.runner.wait_all(10)


def test_from_an_open_encounter_the_follow_up_is_that_visit_s(qtbot, main_window, vault_dir):
    w = main_window
    patient, enc = _chart_open(qtbot, w, vault_dir)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.open_encounter_row(0)
    assert w.chart.pages.currentIndex() == PAGE_ENCOUNTER
    w.encounter_view.note.setFocus()
    dialog = _ctrl_shift_f(qtbot, w)
    with qtbot.waitSignal(w.scheduler.scheduled, timeout=60_000) as saved:
        dialog.accept()
    assert saved.args[0].encounter_id == enc.id and saved.args[0].visit_date == TODAY
    assert w.runner.wait_all(10)


def test_the_form_survives_an_auto_lock(qtbot, main_window, vault_dir):
    w = main_window
    patient, _enc = _chart_open(qtbot, w, vault_dir)
    w.schedule_action.trigger()
    dialog = w.scheduler.dialog
    dialog.due.setDate(_q(TODAY + timedelta(days=3)))
    dialog.programme.setCurrentIndex(dialog.programme.findData("malnutrition_otp"))
    dialog.reason.setText("SCHEDDRAFT weigh again")
    with qtbot.waitSignal(w.session_locked, timeout=60_000):
        w.autolock.timeout.emit()
    assert w.runner.wait_all(10)
    assert w.scheduler.dialog is None and "SCHEDDRAFT" not in all_widget_text()
    assert _rows(vault_dir) == 0                        # closed by the lock: nothing saved
    blob = w.resume.sealed_blob(ADMIN)
    assert blob and b"SCHEDDRAFT" not in blob
    with qtbot.waitSignal(w.resume.restored, timeout=60_000):
        show_and_unlock(qtbot, w)
    qtbot.waitUntil(lambda: w.scheduler.dialog is not None, timeout=60_000)
    back = w.scheduler.dialog
    assert back is not dialog
    assert back.values() == {"due": TODAY + timedelta(days=3), "programme": "malnutrition_otp",
                             "reason": "SCHEDDRAFT weigh again"}
    with qtbot.waitSignal(w.scheduler.scheduled, timeout=60_000):
        back.accept()
    assert _rows(vault_dir) == 1
    assert w.runner.wait_all(10)


def test_an_assistant_has_no_schedule_action(qtbot, main_window, vault_dir):
    patient, _enc = _seed(vault_dir)
    w = main_window
    show_and_unlock(qtbot, w, username=NURSE, passphrase=NURSE_PASS)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    assert not w.schedule_action.isVisible()
    w.schedule_followup()
    assert w.scheduler.dialog is None
    assert w.runner.wait_all(10)


def test_a_childs_form_in_chinese_words_its_error(qtbot, zh_ui):
    child = make_child()
    dialog = ScheduleFollowupDialog(patient=child, visit=TODAY, lang="zh")
    qtbot.addWidget(dialog)
    dialog.due.setDate(_q(TODAY - timedelta(days=2)))
    dialog.accept()
    assert dialog.error_label.text() and "before" not in dialog.error_label.text()
    dialog.programme.setCurrentIndex(dialog.programme.findData("tb"))
    assert dialog.programme.currentText() == "结核药物领取"
    # the audit log names the follow-up actions in Chinese too
    assert [action_label(a) for a in ("add follow-up", "undo follow-up outcome")] == [
        "添加随访", "撤销随访结果"]


def make_child():
    from lantern.domain.records import Patient

    return Patient(id="PCHILD001", name="小明", sex="male", birth_date=TODAY - timedelta(days=50),
                   caregiver=Caregiver(name="母亲", relation="mother", phone="123"))
