"""Switching the UI language in Settings rebuilds the window in the new language
and loses nothing: the session stays unlocked, the open patient and encounter
come back with the note as typed (even unsaved), and the assessment and the
edited summary draft carry over. Real vault, real services, real widgets."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from lantern.app import WindowHost, install_translations
from lantern.domain.records import Sex, Vitals
from lantern.gui.extensions import install_assessment, install_model_tools, install_summary
from lantern.gui.settings_dialog import GuiSettings
from lantern.llm.fake import FakeInferenceClient
from lantern.llm.store import ModelStore
from lantern.services.assessment import AssessmentService
from lantern.services.models import ModelService
from lantern.services.summaries import SummaryService

from .helpers import ADMIN, PASSPHRASE, make_vault

NOTE = ("3 yo c/o cough and fever x3d. RR 52, chest indrawing present. "
        "Allergic to penicillin. Plan: amoxicillin 250 mg TDS x5d, review in 2 days.")
TYPED = " Mother reports poor feeding since yesterday."


@pytest.fixture
def host(qtbot, qapp, vault_dir, tmp_path):
    make_vault(vault_dir).lock()
    models = ModelService(store=ModelStore(models_dir=tmp_path / "models"),
                          client=FakeInferenceClient())
    assessment, summaries = AssessmentService(), SummaryService()
    extensions = [
        lambda w: install_model_tools(w, models=models),
        lambda w: setattr(w, "assessment_panel", install_assessment(w, assessment=assessment)),
        lambda w: setattr(w, "summary_panel", install_summary(w, summaries=summaries)),
    ]
    install_translations(qapp, "en")
    host = WindowHost(qapp, data_dir=vault_dir, extensions=extensions)
    host.window.resize(1200, 760)
    host.window.show()
    host.window.start()
    yield host
    host.window.close()
    host.window.runner.shutdown()
    install_translations(qapp, "en")      # leave the app in English for other tests
    models.close()


def _unlock(qtbot, window):
    view = window.unlock_view
    view.username.setText(ADMIN)
    view.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.session_opened, timeout=60_000):
        view.unlock_button.click()


def test_switch_to_chinese_and_back_keeps_the_open_work(qtbot, host, vault_dir):
    old = host.window
    _unlock(qtbot, old)
    session = old.bridge.session
    patient = session.records.add_patient(name="Grace Atieno", sex=Sex.FEMALE, birth_year=2023)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=NOTE, vitals=Vitals(temp_c=38.9, resp_rate=52))
    old.open_patient(patient.id)
    qtbot.waitUntil(lambda: old.chart.patient is not None and bool(old.chart._encounters),
                    timeout=60_000)
    with qtbot.waitSignal(old.encounter_view.encounter_opened, timeout=60_000):
        old.chart.open_encounter_row(0)
    # typed but not yet autosaved
    old.encounter_view.note.moveCursor(old.encounter_view.note.textCursor().MoveOperation.End)
    old.encounter_view.note.insertPlainText(TYPED)
    assert old.encounter_view.has_unsaved_changes
    with qtbot.waitSignal(old.assessment_panel.assessed, timeout=60_000):
        old.assessment_panel.run_assessment()
    with qtbot.waitSignal(old.summary_panel.summary_ready, timeout=60_000):
        old.summary_panel.start()
    old.summary_panel.editor.setPlainText(old.summary_panel.editor.toPlainText()
                                          + "\nEDITED BY CLINICIAN")
    old.encounter_view.side_tabs.setCurrentWidget(old.summary_panel)
    GuiSettings(vault_dir).language = "zh_CN"

    new = host.switch_language("zh_CN")
    assert new is not old and host.window is new
    qtbot.waitUntil(lambda: new.encounter_view.encounter is not None, timeout=60_000)
    qtbot.waitUntil(lambda: new.summary_panel.summary is not None, timeout=60_000)

    # in Chinese
    assert [a.text() for a in new.menuBar().actions()][0] == "文件(&F)"
    assert new.lock_action.text() == "锁定(&L)"
    # still unlocked, same user, no unlock screen
    assert new.bridge.is_open and new.bridge.username == ADMIN
    assert new.pages.currentIndex() == 1
    # the same encounter, with the typed text (the draft was saved before the rebuild)
    assert new.encounter_view.encounter.id == enc.id
    assert new.encounter_view.note.toPlainText() == NOTE + TYPED
    assert session.records.list_encounters(patient.id)[0].note == NOTE + TYPED
    # the assessment and the edited summary draft came along; the summary tab is in front
    assert new.assessment_panel.assessment is not None
    assert new.assessment_panel.assessment.triage.level == "emergency"
    assert "EDITED BY CLINICIAN" in new.summary_panel.editor.toPlainText()
    # ... and the edited draft was stored before the rebuild
    draft = session.records.latest_summary_draft(enc.id)
    assert draft is not None and "EDITED BY CLINICIAN" in draft["payload"]["text"]
    assert new.encounter_view.side_tabs.currentWidget() is new.summary_panel
    # the old window is deleted (its widgets, and the patient text in them, are gone)
    qtbot.waitUntil(lambda: not shiboken6.isValid(old), timeout=60_000)

    # work continues in the new window: an edit autosaves through the same session
    new.encounter_view.note.moveCursor(new.encounter_view.note.textCursor().MoveOperation.End)
    new.encounter_view.note.insertPlainText(" Zinc given.")
    new.encounter_view.save_now()
    qtbot.waitUntil(lambda: session.records.list_encounters(patient.id)[0].note.endswith(
        "Zinc given."), timeout=60_000)

    back = host.switch_language("en")
    qtbot.waitUntil(lambda: back.encounter_view.encounter is not None, timeout=60_000)
    assert [a.text() for a in back.menuBar().actions()][0] == "&File"
    assert back.encounter_view.note.toPlainText().endswith("Zinc given.")
    assert back.bridge.is_open

    # locking the new window still locks the vault
    back.lock()
    qtbot.waitUntil(lambda: session.locked, timeout=60_000)


def test_switch_on_the_unlock_screen_keeps_the_typed_username(qtbot, host):
    old = host.window
    old.unlock_view.username.setText("amina")
    new = host.switch_language("zh_CN")
    assert new.pages.currentIndex() == 0
    assert new.unlock_view.username.text() == "amina"
    assert new.unlock_view.subtitle.text() == "数据库已锁定。"
    _unlock(qtbot, new)
    assert new.bridge.is_open


def test_switch_while_locked_keeps_where_the_user_was(qtbot, host):
    """Locked with an allergy half typed, the language switched on the unlock screen:
    the rebuilt window still returns the same user to the chart and the dialog."""
    from PySide6.QtCore import QTimer

    from lantern.gui.clinical_lists import FieldsDialog

    old = host.window
    _unlock(qtbot, old)
    patient = old.bridge.session.records.add_patient(name="Lock Switch", sex=Sex.MALE,
                                                     birth_year=1980)
    old.open_patient(patient.id)
    qtbot.waitUntil(lambda: old.chart.patient is not None, timeout=60_000)

    def type_then_autolock():
        QApplication.activeModalWidget().editors["substance"].setText("磺胺 sulfa")
        old.autolock.timeout.emit()

    QTimer.singleShot(0, type_then_autolock)
    old.chart.allergies.add_item()
    assert old.runner.wait_all(10)
    new = host.switch_language("zh_CN")
    assert new.resume.sealed_users == [ADMIN]
    typed = []

    def back():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FieldsDialog)
        typed.append(dialog.values()["substance"])
        dialog.reject()

    new.resume.restored.connect(back)
    with qtbot.waitSignal(new.resume.restored, timeout=60_000):
        _unlock(qtbot, new)
    assert typed == ["磺胺 sulfa"]
    assert new.chart.patient.id == patient.id
    assert new.chart.tabs.currentWidget() is new.chart.allergies
    assert new.runner.wait_all(10)


def test_settings_rebuilds_the_window_only_when_the_language_changes(qtbot, host, vault_dir,
                                                                    monkeypatch):
    from lantern.gui.settings_dialog import SettingsDialog

    window = host.window
    _unlock(qtbot, window)
    seen = []
    window.language_chosen.connect(seen.append)

    def accept_with(code):
        def exec_(dialog):
            dialog.language.setCurrentIndex(dialog.language.findData(code))
            return SettingsDialog.DialogCode.Accepted
        return exec_

    monkeypatch.setattr(SettingsDialog, "exec", accept_with("zh_CN"))
    window.open_settings()
    qtbot.waitUntil(lambda: host.window is not window, timeout=60_000)
    assert seen == ["zh_CN"]
    assert GuiSettings(vault_dir).language == "zh_CN"       # and remembered for next start
    rebuilt = host.window
    assert rebuilt.lock_action.text() == "锁定(&L)" and rebuilt.bridge.is_open
    rebuilt.open_settings()                     # the same language again: nothing to rebuild
    for _ in range(3):
        QApplication.processEvents()
    assert host.window is rebuilt
