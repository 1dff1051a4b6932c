"""The assessment and summary panels and the model tools, plugged into the real
main window over the real vault: what is suggested, chosen and signed is stored
encrypted, and nothing of the patient stays on screen after a lock."""

from __future__ import annotations

import pytest

from lantern.domain.records import Sex, Vitals
from lantern.gui.extensions import install_assessment, install_model_tools, install_summary
from lantern.llm.fake import FakeInferenceClient
from lantern.llm.store import ModelStore
from lantern.services.assessment import AssessmentService
from lantern.services.models import ModelService
from lantern.services.summaries import SummaryService

from .helpers import ADMIN, PASSPHRASE, all_widget_text, make_vault

NOTE = ("MARKERNOTE 3 yo c/o cough and fever x3d. RR 52, chest indrawing present. "
        "Allergic to penicillin. Plan: amoxicillin 250 mg TDS x5d, review in 2 days.")


@pytest.fixture
def window(qtbot, main_window, vault_dir, tmp_path):
    make_vault(vault_dir).lock()
    models = ModelService(store=ModelStore(models_dir=tmp_path / "models"),
                          client=FakeInferenceClient())
    install_model_tools(main_window, models=models)
    main_window.assessment_panel = install_assessment(main_window,
                                                      assessment=AssessmentService())
    main_window.summary_panel = install_summary(main_window, summaries=SummaryService())
    main_window.show()
    main_window.start()
    view = main_window.unlock_view
    view.username.setText(ADMIN)
    view.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(main_window.session_opened, timeout=15_000):
        view.unlock_button.click()
    return main_window


def _open_encounter(qtbot, w):
    session = w.bridge.session
    patient = session.records.add_patient(name="MARKERNAME Grace", sex=Sex.FEMALE,
                                          birth_year=2023)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=NOTE, vitals=Vitals(temp_c=38.9, resp_rate=52))
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=5000)
    enc = session.records.list_encounters(patient.id)[0]
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=5000):
        w.encounter_view.open_encounter(enc, w.chart.patient)
    return patient, enc


def test_tools_menu_and_status_bar_gain_the_model_tools(qtbot, window):
    titles = [a.text().replace("&", "") for a in window.tools_menu.actions()]
    assert "Models…" in titles and "Check this laptop…" in titles
    assert "Assess this encounter" in titles
    assert window.model_status.isVisibleTo(window)
    # the knowledge base is loaded off the GUI thread, then offered for "Add diagnosis"
    combo = window.assessment_panel.add_combo
    qtbot.waitUntil(lambda: combo.count() >= 60, timeout=5000)


def test_assess_then_accept_is_stored_with_the_encounter(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.assessment_panel
    with qtbot.waitSignal(panel.assessed, timeout=10_000):
        panel.run_assessment()
    assert panel.assessment.triage.level == "emergency"   # chest indrawing in a child
    assert "emergency" in panel.banner.text().lower() or "红" in panel.banner.text()
    panel.differential.setCurrentRow(0)
    with qtbot.waitSignal(panel.decision_made, timeout=5000):
        panel.accept_button.click()
    qtbot.waitUntil(lambda: len(window.bridge.session.records.list_assessments(patient.id)) == 1,
                    timeout=5000)


def test_summary_is_signed_and_stored_and_cleared_on_lock(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.summary_panel
    with qtbot.waitSignal(panel.summary_ready, timeout=10_000):
        panel.start()
    text = panel.editor.toPlainText().lower()
    assert "penicillin" in text and "250 mg" in text
    panel.sign()
    qtbot.waitUntil(lambda: len(window.bridge.session.records.list_summaries(patient.id)) == 1,
                    timeout=5000)
    stored = window.bridge.session.records.list_summaries(patient.id)[0]
    assert "penicillin" in str(stored).lower()

    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=5000)
    screen = all_widget_text()
    for marker in ("MARKERNOTE", "MARKERNAME", "amoxicillin"):
        assert marker not in screen


def test_assessment_is_cleared_on_lock(qtbot, window):
    """The detail view quotes the note (highlighted evidence): it must go on lock."""
    _open_encounter(qtbot, window)
    panel = window.assessment_panel
    with qtbot.waitSignal(panel.assessed, timeout=10_000):
        panel.run_assessment()
    panel.differential.setCurrentRow(0)
    assert "MARKERNOTE" in panel.details.toPlainText()
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=5000)
    assert panel.assessment is None and panel.differential.count() == 0
    screen = all_widget_text()
    for marker in ("MARKERNOTE", "MARKERNAME", "chest indrawing"):
        assert marker not in screen
