"""The whole first-version flow with the REAL services and a temp vault:
create vault → lock → unlock → register patient → allergy → new encounter with
vitals and note (Chinese too) → autosave → sign → amend → lock → no patient
text left in any widget."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from lantern.domain.records import NoteStatus, Sex
from lantern.gui.errors import Button, MessageBox
from lantern.services.session import VaultSession

from .helpers import ADMIN, PASSPHRASE, all_widget_text

MARKERS = ("MARKERNAME Chanda", "MARKERVILLAGE", "MARKERALLERGY", "MARKERNOTE",
           "咳嗽三天", "MARKERAMEND")


def _create_through_dialog(qtbot, window):
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window._create_dialog is not None, timeout=60_000)
    dialog = window._create_dialog
    dialog.clinic.setText("Mbala Test Clinic")
    dialog.username.setText(ADMIN)
    dialog.passphrase.setText(PASSPHRASE)
    dialog.confirm.setText(PASSPHRASE)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=60_000)
    dialog.written_down.setChecked(True)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        dialog.continue_button.click()


def _unlock(qtbot, window, *, remembered=True):
    view = window.unlock_view
    if remembered:
        assert view.username.text() == ADMIN      # the last user name is remembered
    else:
        view.username.setText(ADMIN)
    view.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        qtbot.keyClick(view.passphrase, Qt.Key.Key_Return)


def test_full_flow_leaves_no_patient_text_after_lock(qtbot, main_window, vault_dir):
    w = main_window
    _create_through_dialog(qtbot, w)
    assert VaultSession.exists(vault_dir)
    assert w.pages.currentIndex() == 1

    w.lock_action.trigger()                      # Ctrl+L
    assert w.pages.currentIndex() == 0
    _unlock(qtbot, w)

    # Register a patient (the dialog's values go straight to the service call).
    w.submit_new_patient({"name": MARKERS[0], "sex": Sex.FEMALE, "birth_date": None,
                          "birth_year": 1994, "village": MARKERS[1], "phone": "+260 977 000"})
    qtbot.waitUntil(lambda: w.chart.name_label.text() == MARKERS[0], timeout=60_000)
    qtbot.waitUntil(lambda: w.patient_list.model.rowCount() == 1, timeout=60_000)
    qtbot.waitUntil(lambda: w.chart.banner.text() == "Allergies: none recorded", timeout=60_000)

    # An allergy turns the banner red.
    w.chart.allergies.submit_add({"substance": MARKERS[2], "reaction": "rash",
                                  "severity": "severe"})
    qtbot.waitUntil(lambda: MARKERS[2] in w.chart.banner.text(), timeout=60_000)
    assert w.chart.banner.property("state") == "allergies"

    # Search finds her by village, case-insensitively.
    qtbot.keyClicks(w.patient_list.search, "markervill")
    qtbot.waitUntil(lambda: w.patient_list.count_label.text() == "Patients: 1", timeout=60_000)

    # New encounter, vitals typed, note typed, Chinese committed through an input method.
    view = w.encounter_view
    changes = []
    w.encounter_changed.connect(lambda *args: changes.append(args))
    w.encounter_action.trigger()                 # Ctrl+E
    qtbot.waitUntil(lambda: view.encounter is not None and view.isVisible(), timeout=60_000)
    qtbot.keyClicks(view.vitals.edits["temp_c"], "38,6")
    qtbot.keyClicks(view.vitals.edits["heart_rate"], "112")
    qtbot.keyClicks(view.vitals.edits["spo2"], "94")
    qtbot.keyClicks(view.note, f"{MARKERS[3]} fever and cough. ")
    view.note.setFocus()
    ime = QInputMethodEvent()
    ime.setCommitString(MARKERS[4])
    QApplication.sendEvent(view.note, ime)
    assert MARKERS[4] in view.note.toPlainText()
    assert view.has_unsaved_changes

    with qtbot.waitSignal(view.saved, timeout=60_000):   # autosave after typing stops
        pass
    session = w.bridge.session
    stored = session.records.get_encounter(view.encounter.id)
    assert MARKERS[3] in stored.note and MARKERS[4] in stored.note
    assert stored.vitals.temp_c == 38.6 and stored.vitals.heart_rate == 112
    qtbot.waitUntil(lambda: bool(changes), timeout=60_000)
    note, vitals, age, sex, pregnant = changes[-1]
    assert MARKERS[4] in note and vitals.spo2 == 94 and sex == "female"
    assert 30 <= age <= 33 and pregnant is False

    # Sign (confirmation preset to Yes), then the note is read-only; amend it.
    MessageBox.set_next_answer(Button.Yes)
    with qtbot.waitSignal(view.signed, timeout=60_000):
        view.sign_button.click()
    assert view.encounter.status == NoteStatus.SIGNED
    assert view.note.isReadOnly() and view.amend_button.isVisible()
    assert not view.sign_button.isVisible()
    with qtbot.waitSignal(view.signed, timeout=60_000):
        view.submit_amendment(f"{MARKERS[5]} SpO2 rechecked")
    assert MARKERS[5] in view.amendments.toPlainText()
    assert len(session.records.get_encounter(view.encounter.id).amendments) == 1

    text_before = all_widget_text()
    assert all(m in text_before for m in MARKERS), "markers should be on screen before lock"

    # Lock: every marker gone from every widget, session locked.
    with qtbot.waitActive(w, timeout=60_000):
        w.activateWindow()
    qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.pages.currentIndex() == 0
    assert w.runner.wait_all(10)
    assert session.locked
    text_after = all_widget_text()
    leaked = [m for m in MARKERS if m in text_after]
    assert not leaked, f"patient text left after lock: {leaked}"


def test_draft_saved_on_lock_before_autosave(qtbot, main_window, vault_dir):
    """Typing then locking at once still saves the draft (power-cut safety)."""
    from .helpers import make_vault

    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Draft Patient", sex="male", birth_year=1970)
    enc = session.records.new_encounter(patient.id)
    session.lock()
    w = main_window
    w.show()
    w.start()
    _unlock(qtbot, w, remembered=False)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    qtbot.waitUntil(lambda: w.chart.encounter_table.rowCount() == 1, timeout=60_000)
    w.chart.open_encounter_row(0)
    assert w.encounter_view.encounter.id == enc.id
    qtbot.keyClicks(w.encounter_view.note, "typed just before the lock")
    w.lock()
    assert w.runner.wait_all(10)
    again = VaultSession.unlock(vault_dir, username=ADMIN, passphrase=PASSPHRASE)
    assert again.records.get_encounter(enc.id).note == "typed just before the lock"
    again.lock()


def test_failed_autosave_is_reported(qtbot, main_window, vault_dir, monkeypatch):
    from lantern.domain.errors import StorageFull

    from .helpers import make_vault

    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="Disk Full", sex="male", birth_year=1980)
    session.lock()
    w = main_window
    w.show()
    w.start()
    _unlock(qtbot, w, remembered=False)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    with qtbot.waitSignal(w.encounter_changed, timeout=60_000):
        w.chart.new_encounter()

    def full(*args, **kwargs):
        raise StorageFull("The disk is full; the draft was not saved.")

    monkeypatch.setattr(w.bridge.session.records, "save_draft", full)
    view = w.encounter_view
    qtbot.keyClicks(view.note, "x")
    view.save_now()
    qtbot.waitUntil(lambda: view.status.text() == "Draft NOT saved", timeout=60_000)
    assert ("Disk full", "The disk is full; the draft was not saved.") in MessageBox.history
    assert view.has_unsaved_changes
    monkeypatch.undo()


def test_search_is_debounced(qtbot, main_window, vault_dir, monkeypatch):
    from .helpers import make_vault

    session = make_vault(vault_dir)
    for name in ("Ann Banda", "Anna Phiri", "Bob Zulu"):
        session.records.add_patient(name=name, sex="female", birth_year=1990)
    session.lock()
    w = main_window
    w.show()
    w.start()
    _unlock(qtbot, w, remembered=False)
    qtbot.waitUntil(lambda: w.patient_list.model.rowCount() == 3, timeout=60_000)
    records = w.bridge.session.records
    queries = []
    real = records.search_patients
    monkeypatch.setattr(records, "search_patients",
                        lambda q="", **kw: (queries.append(q), real(q, **kw))[1])
    qtbot.keyClicks(w.patient_list.search, "anna")       # four keystrokes
    qtbot.waitUntil(lambda: w.patient_list.model.rowCount() == 1, timeout=60_000)
    assert queries == ["anna"]                           # one search, after typing paused
    assert w.patient_list.model.row_at(0).name == "Anna Phiri"
    assert w.runner.wait_all(10)
    monkeypatch.undo()
