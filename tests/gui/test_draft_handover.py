"""Drafts across colleagues in the real window over the real vault: a colleague's
draft opens read-only with a message before any typing (never a refusal at the
first autosave), "Take over" asks first, hand-over and take-over are audited, and
the encounter says who wrote what."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from lantern.domain.records import Sex, Vitals
from lantern.gui.errors import Button, MessageBox
from lantern.services.session import VaultSession

from .helpers import ADMIN, PASSPHRASE, make_vault, show_and_unlock

DOC, DOC_PASS = "drli", "doctor li passphrase 7"
NURSE, NURSE_PASS = "nurse", "nurse passphrase 42"
NOTE = "Triage: fever 2 days, T 38.9."


@pytest.fixture
def setup(vault_dir):
    session = make_vault(vault_dir)
    session.users.add_user(username=DOC, role="clinician", passphrase=DOC_PASS)
    session.users.add_user(username=NURSE, role="assistant", passphrase=NURSE_PASS)
    patient = session.records.add_patient(name="Grace Banda", sex=Sex.FEMALE, birth_year=1990)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=NOTE, vitals=Vitals(temp_c=38.9))
    session.lock()
    return patient, enc


@pytest.fixture
def window(qtbot, main_window):
    main_window.show()
    main_window.start()
    return main_window


def _open_as(qtbot, w, username, passphrase, patient, enc):
    show_and_unlock(qtbot, w, username=username, passphrase=passphrase)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.show_encounter(w.bridge.session.records.get_encounter(enc.id))
    return w.encounter_view


def _audit(vault_dir):
    admin = VaultSession.unlock(vault_dir, username=ADMIN, passphrase=PASSPHRASE)
    try:
        return [(e.username, e.action, e.detail) for e in admin.audit.entries(50)]
    finally:
        admin.lock()


def test_a_colleagues_draft_is_read_only_before_typing_then_taken_over(qtbot, window, setup, vault_dir):
    patient, enc = setup
    view = _open_as(qtbot, window, DOC, DOC_PASS, patient, enc)
    # refused before typing starts: read-only, a message, and the Take over button
    assert view.note.isReadOnly() and view.draft_bar.isVisible()
    assert ADMIN in view.draft_bar.message.text()
    assert view.draft_bar.take_over_button.isVisible() and not view.sign_button.isVisible()
    QTest.keyClicks(view.note, " extra")
    assert view.note.toPlainText() == NOTE and not view.has_unsaved_changes
    assert MessageBox.history == []          # no "Only the author..." error, now or later

    MessageBox.set_next_answer(Button.No)    # asked first; No changes nothing
    view.draft_bar.take_over_button.click()
    assert view.note.isReadOnly()
    MessageBox.set_next_answer(Button.Yes)
    with qtbot.waitSignal(view.saved, timeout=60_000):
        view.draft_bar.take_over_button.click()
    assert not view.note.isReadOnly() and not view.draft_bar.isVisible() and view.sign_button.isVisible()
    view.note.moveCursor(view.note.textCursor().MoveOperation.End)
    QTest.keyClicks(view.note, " Malaria RDT positive.")
    with qtbot.waitSignal(view.saved, timeout=60_000):
        view.save_now()
    stored = window.bridge.session.records.get_encounter(enc.id)
    assert stored.note == NOTE + " Malaria RDT positive." and stored.editor == DOC
    assert [(h.kind, h.from_user, h.to_user, h.note) for h in stored.handovers] == [
        ("take over", ADMIN, DOC, NOTE)]
    # the note says who wrote what
    assert view.authorship.isVisible()
    text = view.authorship.text()
    assert f"{ADMIN} ({len(NOTE)} characters)" in text and f"{DOC}, taken over" in text
    assert "22 characters" in text
    window.lock()
    assert (DOC, "take over draft", f"{ADMIN} -> {DOC}") in _audit(vault_dir)


def test_hand_over_to_a_named_clinician(qtbot, window, setup, vault_dir):
    patient, enc = setup
    view = _open_as(qtbot, window, ADMIN, PASSPHRASE, patient, enc)
    assert not view.note.isReadOnly() and view.hand_over_button.isVisible()
    view.note.moveCursor(view.note.textCursor().MoveOperation.End)
    QTest.keyClicks(view.note, " Seen by admin.")
    with qtbot.waitSignal(view.saved, timeout=60_000):
        view.hand_over_to(DOC)
    qtbot.waitUntil(lambda: view.encounter.editor == DOC, timeout=60_000)
    assert view.note.isReadOnly() and view.draft_bar.isVisible() and DOC in view.draft_bar.message.text()
    stored = window.bridge.session.records.get_encounter(enc.id)
    assert stored.note.endswith("Seen by admin.")           # typed text saved before handing over
    assert stored.handovers[0].kind == "hand over" and stored.handovers[0].to_user == DOC
    window.lock()
    assert (ADMIN, "hand over draft", f"{ADMIN} -> {DOC}") in _audit(vault_dir)
    view = _open_as(qtbot, window, DOC, DOC_PASS, patient, enc)
    assert not view.note.isReadOnly() and not view.draft_bar.isVisible()


def test_an_assistant_sees_a_clinicians_draft_read_only_without_take_over(qtbot, window, setup):
    patient, enc = setup
    view = _open_as(qtbot, window, NURSE, NURSE_PASS, patient, enc)
    assert view.note.isReadOnly() and view.draft_bar.isVisible()
    assert not view.draft_bar.take_over_button.isVisible()
    assert not view.hand_over_button.isVisible()
