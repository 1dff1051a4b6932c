"""The assessment and summary panels and the model tools, plugged into the real
main window over the real vault: what is suggested, chosen and signed is stored
encrypted, and nothing of the patient stays on screen after a lock."""

from __future__ import annotations

import re

import pytest

from lantern.domain.records import Caregiver, Sex, Vitals
from lantern.gui.extensions import install_assessment, install_model_tools, install_summary
from lantern.gui.summary_panel import DRAFT_SAVE_MS
from lantern.llm.fake import FakeInferenceClient
from lantern.llm.store import ModelStore
from lantern.services.assessment import AssessmentService
from lantern.services.models import ModelService
from lantern.services.summaries import SummaryService

from .helpers import ADMIN, PASSPHRASE, all_widget_text, make_vault, show_and_unlock

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
    with qtbot.waitSignal(main_window.session_opened, timeout=60_000):
        view.unlock_button.click()
    return main_window


def _open_encounter(qtbot, w, *, note=NOTE, vitals=None):
    session = w.bridge.session
    patient = session.records.add_patient(name="MARKERNAME Grace", sex=Sex.FEMALE,
                                          birth_year=2023)
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=note,
                               vitals=Vitals(temp_c=38.9, resp_rate=52) if vitals is None else vitals)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    enc = session.records.list_encounters(patient.id)[0]
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.encounter_view.open_encounter(enc, w.chart.patient)
    return patient, enc


def test_tools_menu_and_status_bar_gain_the_model_tools(qtbot, window):
    titles = [a.text().replace("&", "") for a in window.tools_menu.actions()]
    assert "Models…" in titles and "Check this laptop…" in titles
    assert "Assess this encounter" in titles
    assert window.model_status.isVisibleTo(window)
    # the knowledge base is loaded off the GUI thread, then offered for "Add diagnosis"
    combo = window.assessment_panel.add_combo
    qtbot.waitUntil(lambda: combo.count() >= 60, timeout=60_000)


def test_assess_then_accept_is_stored_with_the_encounter(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.assessment_panel
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        panel.run_assessment()
    assert panel.assessment.triage.level == "emergency"   # chest indrawing in a child
    assert "emergency" in panel.banner.text().lower() or "红" in panel.banner.text()
    panel.differential.setCurrentRow(0)
    with qtbot.waitSignal(panel.decision_made, timeout=60_000):
        panel.accept_button.click()
    qtbot.waitUntil(lambda: len(window.bridge.session.records.list_assessments(patient.id)) == 1,
                    timeout=60_000)


def test_assess_pressed_right_after_typing_reads_the_note_on_screen(qtbot, window):
    # the editor tells the panels about a change after a debounce; Assess pressed
    # before it elapses must still read the note as typed, not the one before
    _open_encounter(qtbot, window, note="MARKERNOTE 3 yo runny nose x2d, playful, feeding well.",
                    vitals=Vitals(temp_c=37.0, resp_rate=28))
    panel = window.assessment_panel
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        panel.run_assessment()
    assert panel.assessment.triage.level != "emergency"
    note = window.encounter_view.note
    cursor = note.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    note.setTextCursor(cursor)
    note.insertPlainText(" Convulsed twice this morning, now lethargic.")
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        panel.run_assessment()          # at once: the debounce has not elapsed
    assert panel.assessment.triage.level == "emergency"


def test_summary_is_signed_and_stored_and_cleared_on_lock(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.summary_panel
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()
    text = panel.editor.toPlainText().lower()
    assert "penicillin" in text and "250 mg" in text
    panel.sign()
    qtbot.waitUntil(lambda: len(window.bridge.session.records.list_summaries(patient.id)) == 1,
                    timeout=60_000)
    stored = window.bridge.session.records.list_summaries(patient.id)[0]
    assert "penicillin" in str(stored).lower()

    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    screen = all_widget_text()
    for marker in ("MARKERNOTE", "MARKERNAME", "amoxicillin"):
        assert marker not in screen


def test_assessment_is_cleared_on_lock(qtbot, window):
    """The detail view quotes the note (highlighted evidence): it must go on lock."""
    _open_encounter(qtbot, window)
    panel = window.assessment_panel
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        panel.run_assessment()
    panel.differential.setCurrentRow(0)
    assert "MARKERNOTE" in panel.details.toPlainText()
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    assert panel.assessment is None and panel.differential.count() == 0
    screen = all_widget_text()
    for marker in ("MARKERNOTE", "MARKERNAME", "chest indrawing"):
        assert marker not in screen


# -- summary drafts: stored without signing, kept over a lock, back on reopening -------------
def _summaries(w, patient_id):
    return w.bridge.session.records.list_summaries(patient_id)


def _summarize(qtbot, panel):
    with qtbot.waitSignal(panel.summary_ready, timeout=60_000):
        panel.start()


def _type_in_summary(panel, text):
    panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
    panel.editor.insertPlainText(text)


def _unlock(qtbot, w):
    show_and_unlock(qtbot, w)


def _reopen(qtbot, w, patient_id, encounter_id):
    w.open_patient(patient_id)
    qtbot.waitUntil(lambda: w.chart.patient is not None and bool(w.chart._encounters),
                    timeout=60_000)
    [row] = [i for i, e in enumerate(w.chart._encounters) if e.id == encounter_id]
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.open_encounter_row(row)


def test_a_generated_summary_is_stored_as_a_draft_and_edits_after_the_debounce(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.summary_panel
    _summarize(qtbot, panel)
    qtbot.waitUntil(lambda: len(_summaries(window, patient.id)) == 1, timeout=60_000)
    [stored] = _summaries(window, patient.id)
    assert stored["encounter_id"] == enc.id and stored["payload"]["status"] == "draft"
    assert stored["payload"]["signed_by"] is None and "penicillin" in stored["payload"]["text"]
    qtbot.waitUntil(lambda: panel.status_label.text().startswith("Draft saved"), timeout=60_000)

    emitted: list[dict] = []
    panel.draft_changed.connect(emitted.append)
    _type_in_summary(panel, "\nEDITED AFTER")
    _type_in_summary(panel, " SUMMARY")                 # two edits, one pause
    assert panel.has_unsaved_draft and emitted == []    # nothing is stored while typing
    assert "EDITED AFTER" not in _summaries(window, patient.id)[0]["payload"]["text"]
    with qtbot.waitSignal(panel.draft_changed, timeout=DRAFT_SAVE_MS + 10_000):
        pass                                            # the debounce timer fired
    assert len(emitted) == 1 and "EDITED AFTER SUMMARY" in emitted[0]["text"]
    qtbot.waitUntil(lambda: "EDITED AFTER SUMMARY" in
                    _summaries(window, patient.id)[0]["payload"]["text"], timeout=60_000)
    assert not panel.has_unsaved_draft
    [stored] = _summaries(window, patient.id)           # the same row, updated
    assert stored["id"] == _summaries(window, patient.id)[0]["id"]
    actions = [e.action for e in window.bridge.session.audit.entries(limit=50)
               if e.record_id == stored["id"]]
    assert actions == ["save summary draft", "save summary draft"]


def test_summarize_pressed_right_after_typing_summarizes_the_note_on_screen(qtbot, window):
    _open_encounter(qtbot, window)
    note = window.encounter_view.note
    cursor = note.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    note.setTextCursor(cursor)
    note.insertPlainText(" Also gave paracetamol 180 mg PO stat.")
    panel = window.summary_panel
    _summarize(qtbot, panel)            # at once: the editor's debounce has not elapsed
    assert "paracetamol" in panel.editor.toPlainText().lower()


def test_lock_keeps_an_unsaved_summary_edit_and_reopening_shows_the_draft(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.summary_panel
    _summarize(qtbot, panel)
    qtbot.waitUntil(lambda: len(_summaries(window, patient.id)) == 1, timeout=60_000)
    _type_in_summary(panel, "\nMARKEREDIT before lock")
    assert panel.has_unsaved_draft
    window.lock_action.trigger()                          # well within the 2 s debounce
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    assert "MARKEREDIT" not in all_widget_text() and panel.summary is None

    _unlock(qtbot, window)
    draft = window.bridge.session.records.latest_summary_draft(enc.id)
    assert draft is not None and "MARKEREDIT before lock" in draft["payload"]["text"]
    assert len(_summaries(window, patient.id)) == 1

    _reopen(qtbot, window, patient.id, enc.id)
    qtbot.waitUntil(lambda: panel.summary is not None, timeout=60_000)
    assert "MARKEREDIT before lock" in panel.editor.toPlainText()
    assert "penicillin" in panel.editor.toPlainText()
    assert "draft" in panel.status_label.text().lower()
    assert not panel.has_unsaved_draft and panel.sign_button.isEnabled()
    # the restored lines still know their sources
    text = panel.editor.toPlainText()
    line = panel.line_at(text.index("amoxicillin 250 mg"))
    assert line is not None and "amoxicillin 250 mg TDS" in panel.source_text(line)


def test_signing_stores_a_signed_row_that_a_later_draft_does_not_overwrite(qtbot, window):
    patient, enc = _open_encounter(qtbot, window)
    panel = window.summary_panel
    _summarize(qtbot, panel)
    qtbot.waitUntil(lambda: len(_summaries(window, patient.id)) == 1, timeout=60_000)
    _type_in_summary(panel, "\nSIGNED EDIT")
    panel.sign()
    qtbot.waitUntil(lambda: _summaries(window, patient.id)[0]["payload"]["status"] == "signed",
                    timeout=60_000)
    [signed] = _summaries(window, patient.id)          # the draft became the signed summary
    assert "SIGNED EDIT" in signed["payload"]["text"] and signed["payload"]["signed_by"] == ADMIN

    _summarize(qtbot, panel)                            # a new draft, then edited
    assert not panel.editor.isReadOnly()
    _type_in_summary(panel, "\nLATER DRAFT EDIT")
    panel.save_draft_now()
    qtbot.waitUntil(lambda: any("LATER DRAFT EDIT" in s["payload"]["text"]
                                for s in _summaries(window, patient.id)), timeout=60_000)
    rows = {s["id"]: s for s in _summaries(window, patient.id)}
    assert len(rows) == 2 and rows[signed["id"]] == signed
    [draft] = [s for s in rows.values() if s["id"] != signed["id"]]
    assert draft["payload"]["status"] == "draft"
    assert window.bridge.session.records.latest_summary_draft(enc.id)["id"] == draft["id"]


def test_form_vitals_are_in_the_summary_when_the_note_has_none(qtbot, window):
    note = ("MARKERNOTE 3 yo c/o cough and fever x3d. Chest indrawing present. "
            "Plan: amoxicillin 250 mg TDS x5d, review in 2 days.")
    patient, enc = _open_encounter(qtbot, window, note=note, vitals=Vitals())
    form = window.encounter_view.vitals
    with qtbot.waitSignal(window.encounter_changed, timeout=60_000):
        form.edits["temp_c"].setText("38.9")
        form.edits["resp_rate"].setText("52")
    panel = window.summary_panel
    _summarize(qtbot, panel)
    objective = panel.summary.section_text("objective")
    # a note summary is compact: the usual unit of a vital sign goes without saying (issue 13)
    assert "T 38.9" in objective and "RR 52" in objective
    text = panel.editor.toPlainText()
    assert "T 38.9" in text and "RR 52" in text
    assert "38.9" not in note and "52" not in note
    assert panel.summary.docs[0] == note                 # the note itself is never extended
    assert "Vitals (form): T 38.9°C, RR 52/min" in panel.summary.docs[1]   # the typed values' source
    # the vitals line has no span in the note view: nothing wrong is highlighted
    panel.highlight(panel.line_at(text.index("T 38.9")))
    assert window.encounter_view.note.extraSelections() == []


def test_chart_allergies_and_medications_are_in_the_summary_when_the_note_omits_them(
        qtbot, window):
    session = window.bridge.session
    note = "MARKERNOTE 3 yo c/o cough x3d. Plan: review in 2 days."
    patient = session.records.add_patient(name="MARKERNAME Grace", sex=Sex.FEMALE,
                                          birth_year=2023)
    session.records.add_allergy(patient.id, substance="Sulfonamides", reaction="rash",
                                severity="moderate")
    session.records.add_medication(patient.id, name="Ferrous sulfate", dose="200 mg",
                                   route="oral", frequency="once daily")
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note=note, vitals=Vitals())
    window.open_patient(patient.id)
    qtbot.waitUntil(lambda: bool(window.chart.allergies._items)
                    and bool(window.chart.medications._items), timeout=60_000)
    enc = session.records.list_encounters(patient.id)[0]
    with qtbot.waitSignal(window.encounter_view.encounter_opened, timeout=60_000):
        window.encounter_view.open_encounter(enc, window.chart.patient)
    panel = window.summary_panel
    _summarize(qtbot, panel)
    allergies = panel.summary.section_text("allergies")
    assert "Sulfonamides" in allergies and "rash" in allergies
    assert "Ferrous sulfate" in panel.summary.section_text("medications")
    assert "Sulfonamides" not in note


def test_the_referral_letter_has_the_assessment_panels_triage(qtbot, window):
    # RR 45 is fast breathing for a 3-year-old but "very fast" by adult thresholds: the letter
    # must judge it with the same age, sex and pregnancy as the Assessment panel.
    patient, enc = _open_encounter(qtbot, window, note="MARKERNOTE cough for 2 days, eating well.",
                                   vitals=Vitals(resp_rate=45))
    assessment = window.assessment_panel
    with qtbot.waitSignal(assessment.assessed, timeout=60_000):
        assessment.run_assessment()
    panel = window.summary_panel
    panel.set_kind("referral")
    _summarize(qtbot, panel)
    assert panel.summary.triage == assessment.assessment.triage.level == "urgent"
    assert panel.summary.sections["triage"][0].text == "Triage level: URGENT"


def test_the_referral_letter_names_the_registered_caregiver(qtbot, window):
    session = window.bridge.session
    patient = session.records.add_patient(
        name="MARKERNAME Grace", sex=Sex.FEMALE, birth_year=2023,
        caregiver=Caregiver(name="Ruth Banda", relation="grandmother", phone="0977 555164"))
    enc = session.records.new_encounter(patient.id)
    session.records.save_draft(enc.id, note="MARKERNOTE cough 2 days.", vitals=Vitals())
    window.open_patient(patient.id)
    qtbot.waitUntil(lambda: window.chart.patient is not None, timeout=60_000)
    enc = session.records.list_encounters(patient.id)[0]
    with qtbot.waitSignal(window.encounter_view.encounter_opened, timeout=60_000):
        window.encounter_view.open_encounter(enc, window.chart.patient)
    panel = window.summary_panel
    panel.set_kind("referral")
    _summarize(qtbot, panel)
    text = re.sub(r"<[^>]+>", " ", panel.document_html())
    assert "Caregiver: Ruth Banda (grandmother), 0977 555164" in text
