"""Resume after a lock (issue 16 item 4), in the real window over the real vault:
the same user comes back to the patient, chart tab, encounter and note cursor they
had, and to input dialogs with what they had typed; another user starts at the
start screen and sees none of it. Auto-lock is triggered through its timer's
signal, not by waiting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lantern.domain.records import Sex, Vitals
from lantern.gui.clinical_lists import FieldsDialog
from lantern.gui.duplicate_dialog import DuplicateCandidatesDialog
from lantern.gui.encounter_view import AmendDialog
from lantern.gui.patient_chart import PAGE_ENCOUNTER
from lantern.gui.patient_dialog import PatientDialog

from .helpers import ADMIN, PASSPHRASE, all_widget_text, make_vault, show_and_unlock

DOC, DOC_PASS = "drbanda", "doctor banda passphrase 9"
NOTE = "RESUMENOTE fever 2 days, cough. Plan: "


@pytest.fixture
def setup(vault_dir):
    session = make_vault(vault_dir)
    session.users.add_user(username=DOC, role="clinician", passphrase=DOC_PASS)
    patient = session.records.add_patient(name="RESUMEPATIENT Phiri", sex=Sex.FEMALE,
                                          birth_year=1990, village="RESUMEVILLAGE")
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=NOTE, vitals=Vitals(temp_c=38.2))
    session.lock()
    return patient, enc


def _open(qtbot, w, patient_id):
    w.open_patient(patient_id)
    qtbot.waitUntil(lambda: w.chart.patient is not None and bool(w.chart._encounters),
                    timeout=60_000)


def _autolock(qtbot, w):
    """What the inactivity timer does when it fires."""
    with qtbot.waitSignal(w.session_locked, timeout=60_000):
        w.autolock.timeout.emit()
    assert w.runner.wait_all(10)


def _unlock_and_resume(qtbot, w, *, username=ADMIN, passphrase=PASSPHRASE, on_restored=None):
    """Unlock through the unlock screen; wait until the keeper has put everything back
    (``on_restored`` runs then, inside a reopened dialog's exec if there is one)."""
    seen = []

    def restored():
        seen.append(QApplication.activeModalWidget())
        if on_restored is not None:
            on_restored(seen[-1])

    w.resume.restored.connect(restored)
    try:
        with qtbot.waitSignal(w.resume.restored, timeout=60_000):
            show_and_unlock(qtbot, w, username=username, passphrase=passphrase)
    finally:
        w.resume.restored.disconnect(restored)
    return seen[0]


def test_same_user_returns_to_patient_encounter_and_note_cursor(qtbot, main_window, setup):
    patient, enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.open_encounter_row(0)
    note = w.encounter_view.note
    cursor = note.textCursor()
    cursor.setPosition(len("RESUMENOTE fever"))
    note.setTextCursor(cursor)
    note.insertPlainText(" (typed just before the lock)")
    at = note.textCursor().position()
    w.lock_action.trigger()                 # Ctrl+L: the draft is saved, then the lock
    assert w.runner.wait_all(10)
    assert w.pages.currentIndex() == 0
    assert "RESUMENOTE" not in all_widget_text()
    blob = w.resume.sealed_blob(ADMIN)
    assert blob and b"RESUMENOTE" not in blob and patient.id.encode() not in blob

    _unlock_and_resume(qtbot, w)
    assert w.chart.patient is not None and w.chart.patient.id == patient.id
    assert w.right.currentIndex() == 1 and w.chart.pages.currentIndex() == PAGE_ENCOUNTER
    assert w.encounter_view.encounter.id == enc.id
    assert "(typed just before the lock)" in note.toPlainText()
    assert note.textCursor().position() == at
    assert QApplication.focusWidget() is note
    assert w.resume.sealed_users == []       # opened once, then forgotten
    assert w.runner.wait_all(10)


def test_chart_tab_comes_back_without_an_encounter(qtbot, main_window, setup):
    patient, _enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)
    w.chart.tabs.setCurrentWidget(w.chart.problems)
    _autolock(qtbot, w)
    _unlock_and_resume(qtbot, w)
    assert w.chart.patient.id == patient.id
    assert w.chart.tabs.currentWidget() is w.chart.problems
    assert w.chart.pages.currentIndex() != PAGE_ENCOUNTER
    assert w.runner.wait_all(10)


def test_another_user_starts_at_the_start_screen_and_the_first_gets_back_later(
        qtbot, main_window, setup):
    patient, enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.open_encounter_row(0)
    _autolock(qtbot, w)

    show_and_unlock(qtbot, w, username=DOC, passphrase=DOC_PASS)
    assert w.runner.wait_all(10)
    QApplication.processEvents()
    assert w.right.currentIndex() == 0 and w.chart.patient is None
    assert QApplication.activeModalWidget() is None
    # the start screen's list shows every patient to any user; the chart and note stay closed
    assert w.chart.name_label.text() == "" and "RESUMENOTE" not in all_widget_text()
    assert w.resume.sealed_users == [ADMIN]            # still sealed, for its owner only
    # the colleague's session cannot open it either (sealed to the user name)
    from lantern.services.resume import open_state
    assert open_state(w.bridge.session.context, w.resume.sealed_blob(ADMIN)) is None
    w.lock_action.trigger()
    assert w.runner.wait_all(10)
    assert w.resume.sealed_users == [ADMIN]            # the colleague had nothing open

    _unlock_and_resume(qtbot, w)
    assert w.chart.patient.id == patient.id and w.encounter_view.encounter.id == enc.id
    assert w.runner.wait_all(10)


def test_half_typed_allergy_survives_auto_lock(qtbot, main_window, setup):
    """The issue's example: an allergy half typed in its dialog when auto-lock struck."""
    patient, _enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)
    w.chart.tabs.setCurrentWidget(w.chart.allergies)
    opened = []

    def type_then_autolock():
        dialog = QApplication.activeModalWidget()
        opened.append(dialog)
        assert isinstance(dialog, FieldsDialog)
        qtbot.keyClicks(dialog.editors["substance"], "Penicil")
        dialog.editors["reaction"].setText("RESUMERASH")
        dialog.editors["severity"].setCurrentIndex(3)     # severe
        w.autolock.timeout.emit()

    QTimer.singleShot(0, type_then_autolock)
    w.chart.allergies.add_button.click()      # modal: the auto-lock closes it
    assert len(opened) == 1
    assert w.pages.currentIndex() == 0 and w.runner.wait_all(10)
    assert "RESUMERASH" not in all_widget_text() and "Penicil" not in all_widget_text()
    blob = w.resume.sealed_blob(ADMIN)
    assert blob and b"RESUMERASH" not in blob and b"Penicil" not in blob

    values = {}

    def finish(dialog):
        assert isinstance(dialog, FieldsDialog) and dialog is not opened[0]
        values.update(dialog.values())
        dialog.editors["substance"].setText("Penicillin")     # carries on typing, then OK
        dialog.accept()

    _unlock_and_resume(qtbot, w, on_restored=finish)
    assert values == {"substance": "Penicil", "reaction": "RESUMERASH", "severity": "severe"}
    assert w.chart.tabs.currentWidget() is w.chart.allergies
    qtbot.waitUntil(lambda: "Penicillin" in w.chart.banner.text(), timeout=60_000)
    [allergy] = w.bridge.session.records.list_allergies(patient.id)
    assert (allergy.substance, allergy.reaction, allergy.severity) == (
        "Penicillin", "RESUMERASH", "severe")
    assert w.runner.wait_all(10)


def test_another_user_never_sees_the_dialog_draft(qtbot, main_window, setup):
    patient, _enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)

    def type_then_lock():
        QApplication.activeModalWidget().editors["substance"].setText("RESUMESUBSTANCE")
        w.autolock.timeout.emit()

    QTimer.singleShot(0, type_then_lock)
    w.chart.allergies.add_item()
    assert w.runner.wait_all(10)
    show_and_unlock(qtbot, w, username=DOC, passphrase=DOC_PASS)
    assert w.runner.wait_all(10)
    QApplication.processEvents()
    assert QApplication.activeModalWidget() is None
    assert "RESUMESUBSTANCE" not in all_widget_text()
    assert w.right.currentIndex() == 0
    assert w.runner.wait_all(10)


def test_registration_form_survives_a_lock(qtbot, main_window, setup):
    w = main_window
    show_and_unlock(qtbot, w)

    def type_then_lock():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        dialog.name.setText("RESUMENEW Tembo")
        dialog.sex.setCurrentIndex(1)
        dialog.birth_kind.setCurrentIndex(1)        # year of birth
        dialog.birth_year.setValue(1984)
        dialog.village.setText("Chipata")
        dialog.caregiver_relation.setCurrentText("neighbour")
        w.autolock.timeout.emit()

    QTimer.singleShot(0, type_then_lock)
    w.register_action.trigger()
    assert w.runner.wait_all(10)
    assert "RESUMENEW" not in all_widget_text()
    got = {}

    def check(dialog):
        assert isinstance(dialog, PatientDialog)
        got.update(name=dialog.name.text(), village=dialog.village.text(),
                   relation=dialog.caregiver_relation.currentText(), **{
                       k: v for k, v in dialog.values().items() if k in ("sex", "birth_year")})
        dialog.reject()

    _unlock_and_resume(qtbot, w, on_restored=check)
    assert got == {"name": "RESUMENEW Tembo", "village": "Chipata", "relation": "neighbour",
                   "sex": Sex.MALE, "birth_year": 1984}
    assert w.runner.wait_all(10)


def test_registration_waiting_on_the_duplicates_list_survives_a_lock(qtbot, main_window, setup):
    patient, _enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    with qtbot.waitSignal(w.runner.busy_changed, timeout=60_000, check_params_cb=lambda b, _l: not b):
        w.submit_new_patient({"name": "RESUMEPATIENT Phiri", "sex": Sex.FEMALE,
                              "birth_date": None, "birth_year": 1990,
                              "village": "RESUMEVILLAGE", "phone": "0977 123456"})
    qtbot.waitUntil(lambda: isinstance(w.duplicate_dialog, DuplicateCandidatesDialog), timeout=60_000)
    _autolock(qtbot, w)
    assert "0977 123456" not in all_widget_text()
    got = {}

    def check(dialog):
        assert isinstance(dialog, PatientDialog)
        got.update(name=dialog.name.text(), phone=dialog.phone.text(),
                   village=dialog.village.text())
        dialog.reject()

    _unlock_and_resume(qtbot, w, on_restored=check)
    assert got == {"name": "RESUMEPATIENT Phiri", "phone": "0977 123456",
                   "village": "RESUMEVILLAGE"}
    assert len(w.bridge.session.records.search_patients("RESUMEPATIENT")) == 1    # nothing half-saved
    assert w.runner.wait_all(10)


def test_edit_patient_and_amendment_dialogs_survive_a_lock(qtbot, main_window, setup):
    patient, enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)

    def edit_then_lock():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PatientDialog)
        dialog.phone.setText("0966 000111")
        w.autolock.timeout.emit()

    QTimer.singleShot(0, edit_then_lock)
    w.edit_action.trigger()
    assert w.runner.wait_all(10)
    phones = []

    def check_edit(dialog):
        assert isinstance(dialog, PatientDialog)
        phones.append(dialog.phone.text())
        assert dialog.name.text() == "RESUMEPATIENT Phiri"    # the record, then the typing
        dialog.reject()

    _unlock_and_resume(qtbot, w, on_restored=check_edit)
    assert phones == ["0966 000111"]

    # a signed note being amended
    session = w.bridge.session
    session.records.sign_encounter(enc.id)
    _open(qtbot, w, patient.id)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.open_encounter_row(0)

    def amend_then_lock():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AmendDialog)
        dialog.text.setPlainText("RESUMEAMEND result of malaria RDT: negative")
        w.autolock.timeout.emit()

    QTimer.singleShot(0, amend_then_lock)
    w.encounter_view.request_amend()
    assert w.runner.wait_all(10)
    assert "RESUMEAMEND" not in all_widget_text()

    def check_amend(dialog):
        assert isinstance(dialog, AmendDialog)
        assert dialog.text.toPlainText() == "RESUMEAMEND result of malaria RDT: negative"
        dialog.accept()

    _unlock_and_resume(qtbot, w, on_restored=check_amend)
    qtbot.waitUntil(lambda: "RESUMEAMEND" in w.encounter_view.amendments.toPlainText(),
                    timeout=60_000)
    assert w.runner.wait_all(10)


def test_a_lock_before_the_chart_is_back_leaves_nothing_waiting(qtbot, main_window, setup):
    """Locking again while the chart is being put back: no waiting slot of the first
    resume lingers (they hold what was to be put back), and the next unlock still
    returns to the encounter, not to the half-restored chart."""
    patient, enc = setup
    w = main_window
    show_and_unlock(qtbot, w)
    _open(qtbot, w, patient.id)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.open_encounter_row(0)
    _autolock(qtbot, w)
    with qtbot.waitSignal(w.chart.patient_loaded, timeout=60_000):
        show_and_unlock(qtbot, w)
    w.lock_action.trigger()          # the encounter has not been opened again yet
    assert w._going_to == []
    assert w.runner.wait_all(10)
    _unlock_and_resume(qtbot, w)
    assert w.chart.patient.id == patient.id and w.encounter_view.encounter.id == enc.id
    assert w._going_to == []
    assert w.runner.wait_all(10)
