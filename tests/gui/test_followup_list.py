"""The start screen's follow-up list with real widgets over a real vault: rows and
phones, filters, an outcome recorded from the keyboard, the midnight refresh with an
injected clock, and the confirm step after signing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from lantern.domain.followups import Outcome
from lantern.domain.records import Caregiver
from lantern.gui.followup_list import ms_to_next_midnight
from lantern.services.session import VaultSession

from .helpers import ADMIN, PASSPHRASE, make_vault, show_and_unlock


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY
    TODAY = date.today()


refresh_dates()


def _seed(vault_dir) -> dict[str, str]:
    session = make_vault(vault_dir)
    try:
        mary = session.records.add_patient(name="Mary Phiri", sex="female", birth_year=1995,
                                           village="Nakonde", phone="0977 100 200",
                                           confirmed_new=True)
        baby = session.records.add_patient(
            name="Baby Banda", sex="male", birth_date=TODAY - timedelta(days=60),
            village="Chozi", caregiver=Caregiver(name="Ruth", relation="mother",
                                                 phone="0966 300 400"), confirmed_new=True)
        f1 = session.followups.add(patient_id=mary.id, due=TODAY, programme="anc",
                                   reason="ANC in 4 weeks")
        f2 = session.followups.add(patient_id=baby.id, due=TODAY + timedelta(days=1),
                                   programme="immunisation")
        return {"mary": mary.id, "baby": baby.id, "f1": f1.id, "f2": f2.id}
    finally:
        session.lock()


def _unlock(qtbot, window):
    with qtbot.waitSignal(window.followups.refreshed, timeout=60_000):
        show_and_unlock(qtbot, window)


def _texts(panel) -> list[list[str]]:
    m = panel.model
    return [[m.data(m.index(r, c), Qt.ItemDataRole.DisplayRole) for c in range(m.columnCount())]
            for r in range(m.rowCount())]


def test_the_week_list_shows_phones_and_filters(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    assert main_window.right.currentWidget() is main_window.start_page and panel.isVisible()
    rows = _texts(panel)
    assert [r[2] for r in rows] == ["Mary Phiri", "Baby Banda"]
    assert rows[0][4] == "0977 100 200" and rows[1][5] == "0966 300 400"
    assert rows[0][1] == "Today" and rows[1][1] == "In 1 d" and rows[0][6] == "Antenatal care"
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.programme.setCurrentIndex(panel.programme.findData("immunisation"))
    assert [r[2] for r in _texts(panel)] == ["Baby Banda"]
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.programme.setCurrentIndex(0)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.village.setText("nako")
    assert [r[2] for r in _texts(panel)] == ["Mary Phiri"]
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.village.setText("")
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.when.setCurrentIndex(panel.when.findData("today"))
    assert [r[2] for r in _texts(panel)] == ["Mary Phiri"]
    # Enter on a row opens the patient
    panel.table.setFocus()
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.patient_activated, timeout=60_000) as opened:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [ids["mary"]]


def test_an_outcome_from_the_keyboard(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    assert not panel.outcome_buttons[Outcome.CALLED].isEnabled()   # nothing selected yet
    panel.table.setFocus()
    panel.table.selectRow(0)
    assert panel.outcome_buttons[Outcome.CALLED].isEnabled()
    with qtbot.waitSignal(panel.outcome_recorded, timeout=60_000) as done, \
            qtbot.waitSignal(panel.refreshed, timeout=60_000):
        qtbot.keyClick(panel.table, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert done.args == [ids["f1"]]
    assert "called" in _texts(panel)[0][1]
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        qtbot.keyClick(panel.table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)   # moved
    assert [r[2] for r in _texts(panel)] == ["Baby Banda"]
    main_window.lock()
    session = VaultSession.unlock(vault_dir, username=ADMIN, passphrase=PASSPHRASE,
                                  sleep=lambda s: None)
    try:
        got = session.followups.get(ids["f1"])
        assert [o.outcome for o in got.outcomes] == [Outcome.CALLED, Outcome.MOVED]
        assert {o.by for o in got.outcomes} == {ADMIN}
    finally:
        session.lock()


def test_midnight_moves_today_to_overdue_with_an_injected_clock(qtbot, main_window, vault_dir):
    _seed(vault_dir)
    now = [datetime.combine(TODAY, datetime.min.time()).replace(hour=23, minute=59, second=30)]
    panel = main_window.followups
    panel.clock = lambda: now[0]
    _unlock(qtbot, main_window)
    assert panel.midnight.isActive() and panel.midnight.interval() == 31_000
    assert ms_to_next_midnight(now[0]) == 31_000
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.when.setCurrentIndex(panel.when.findData("overdue"))
    assert _texts(panel) == []
    now[0] = now[0] + timedelta(seconds=31)          # the clock passes midnight
    with qtbot.waitSignal(panel.refreshed, timeout=60_000):
        panel.midnight.timeout.emit()                # what the timer does at that time
    rows = _texts(panel)
    assert [r[2] for r in rows] == ["Mary Phiri"] and rows[0][1] == "Overdue 1 d"
    assert panel.midnight.isActive()                 # armed again for the next midnight
    main_window.lock()
    assert panel.model.rowCount() == 0 and not panel.midnight.isActive()


def test_signing_offers_the_note_follow_up_to_confirm_or_edit(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    session = main_window.bridge.session
    enc = session.records.new_encounter(ids["mary"])
    session.records.save_draft(enc.id, note="Cough. Review in 3 days, sooner if worse.",
                               vitals=enc.vitals)
    signed = session.records.sign_encounter(enc.id)
    main_window.offer_followup(signed)
    qtbot.waitUntil(lambda: main_window.followup_dialog is not None, timeout=60_000)
    dialog = main_window.followup_dialog
    assert dialog.due.date() == QDate(*(TODAY + timedelta(days=3)).timetuple()[:3])
    assert dialog.reason.text() == "Review in 3 days"
    dialog.due.setDate(dialog.due.date().addDays(1))          # the clinician edits it
    dialog.due.setDate(QDate(2000, 1, 1))                     # before the visit: not allowed
    assert dialog.due.date() >= QDate(*TODAY.timetuple()[:3])
    dialog.due.setDate(QDate(*(TODAY + timedelta(days=4)).timetuple()[:3]))
    with qtbot.waitSignal(main_window.followups.refreshed, timeout=60_000):
        dialog.done(QDialog.DialogCode.Accepted)
    [f] = [x for x in session.followups.for_patient(ids["mary"]) if x.encounter_id == enc.id]
    assert f.due == TODAY + timedelta(days=4) and f.reason == "Review in 3 days"


def test_ctrl_shift_u_brings_back_the_follow_up_list_from_a_chart(qtbot, main_window, vault_dir):
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    main_window.open_patient(ids["mary"])
    qtbot.waitUntil(lambda: main_window.right.currentWidget() is main_window.chart, timeout=60_000)
    with qtbot.waitSignal(main_window.followups.refreshed, timeout=60_000):
        qtbot.keyClick(main_window.chart, Qt.Key.Key_U,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert main_window.right.currentWidget() is main_window.start_page
    assert main_window.followups.table.hasFocus()


def test_the_confirm_step_shows_a_childs_age_in_days_and_the_birth_date(qtbot, main_window,
                                                                         vault_dir):
    born = TODAY - timedelta(days=20)
    session = make_vault(vault_dir)
    baby = session.records.add_patient(name="Tiny Tembo", sex="female", birth_date=born,
                                       village="Chozi", confirmed_new=True)
    session.lock()
    _unlock(qtbot, main_window)
    main_window.open_patient(baby.id)
    qtbot.waitUntil(lambda: main_window.chart.patient is not None, timeout=60_000)
    session = main_window.bridge.session
    enc = session.records.new_encounter(baby.id)
    session.records.save_draft(enc.id, note="Well baby. BCG given. Next vaccination at clinic.",
                               vitals=enc.vitals)
    main_window.offer_followup(session.records.sign_encounter(enc.id))
    qtbot.waitUntil(lambda: main_window.followup_dialog is not None, timeout=60_000)
    dialog = main_window.followup_dialog
    assert dialog.patient_label.text() == f"Tiny Tembo  ·  20 days  ·  born {born.isoformat()}"
    assert not dialog.patient_label.isHidden()
    # the birth date reached the schedule: the 6-week doses, dated from birth
    assert dialog.programme.currentData() == "immunisation"
    assert dialog.due.date() == QDate(*(born + timedelta(days=42)).timetuple()[:3])
    dialog.done(QDialog.DialogCode.Rejected)
    assert main_window.runner.wait_all(10)


def test_the_confirm_dialog_in_chinese_gives_months(qtbot, zh_ui):
    from lantern.clinical.followups import Proposal
    from lantern.domain.records import Patient
    from lantern.gui.followup_confirm import FollowupConfirmDialog

    child = Patient(id="PZH0001", name="小红", sex="female", birth_date=TODAY - timedelta(days=400))
    dialog = FollowupConfirmDialog(proposals=[Proposal(TODAY, "", "复诊", "note")], visit=TODAY,
                                   patient=child, lang="zh")
    qtbot.addWidget(dialog)
    assert dialog.patient_label.text().startswith("小红  ·  13个月  ·  出生于 ")


def test_programme_names_follow_the_interface_language(qtbot, zh_ui, main_window, vault_dir):
    """The Chinese interface (however it was chosen) shows the programmes' Chinese names."""
    ids = _seed(vault_dir)
    _unlock(qtbot, main_window)
    panel = main_window.followups
    assert panel.programme.itemText(panel.programme.findData("anc")) == "产前检查"
    assert [r[6] for r in _texts(panel)] == ["产前检查", "预防接种"]
    main_window.open_patient(ids["mary"])
    qtbot.waitUntil(lambda: main_window.chart.patient is not None, timeout=60_000)
    main_window.schedule_followup()
    form = main_window.scheduler.dialog
    assert form.programme.itemText(form.programme.findData("tb")) == "结核药物领取"
    form.reject()
    assert main_window.runner.wait_all(10)
