"""The clinician's decision in the Assessment panel, over the real window and vault:
accept gives a tick and the list at the top, undo takes it back, reopening the
encounter (also after a lock and a fresh unlock) shows the same assessment and
decisions, and the SOAP summary's Assessment is the accepted diagnoses with their
ICD-10 codes, never a suggestion that was not accepted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from lantern.domain.records import Sex, Vitals
from lantern.gui.diagnosis_decisions import TICK
from lantern.gui.extensions import install_assessment, install_summary
from lantern.gui.problem_offers import ProblemOffers
from lantern.services.assessment import AssessmentService
from lantern.services.summaries import SummaryService

from .helpers import ADMIN, make_vault, show_and_unlock

NOTE = ("3 yo c/o cough and fever x3d. RR 52, chest indrawing present. "
        "Plan: amoxicillin 250 mg TDS x5d, review in 2 days.")


def _unlock(qtbot, w):
    show_and_unlock(qtbot, w)


@pytest.fixture
def window(qtbot, main_window, vault_dir):
    make_vault(vault_dir).lock()
    install_assessment(main_window, assessment=AssessmentService())
    main_window.summary_panel = install_summary(main_window, summaries=SummaryService())
    main_window.show()
    main_window.start()
    _unlock(qtbot, main_window)
    return main_window


def _open(qtbot, w, patient_id, enc_id):
    w.open_patient(patient_id)
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id == patient_id, timeout=60_000)
    enc = w.bridge.session.records.get_encounter(enc_id)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.chart.show_encounter(enc)


def _new_encounter(qtbot, w):
    records = w.bridge.session.records
    patient = records.add_patient(name="Grace Banda", sex=Sex.FEMALE, birth_year=2023)
    enc = records.new_encounter(patient.id)
    records.save_draft(enc.id, note=NOTE, vitals=Vitals(temp_c=38.9, resp_rate=52))
    _open(qtbot, w, patient.id, enc.id)
    return patient, enc


def _assess(qtbot, panel):
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        panel.run_assessment()
    return panel.assessment


def _stored(w, enc_id):
    return w.bridge.session.records.encounter_assessment(enc_id)


def _row_marks(panel):
    return [panel.differential.itemWidget(panel.differential.item(i)).mark.text()
            for i in range(panel.differential.count())]


def test_accept_ticks_lists_and_undo_takes_it_back(qtbot, window):
    patient, enc = _new_encounter(qtbot, window)
    panel = window.assessment_panel
    result = _assess(qtbot, panel)
    top = result.differential[0].condition
    assert panel.accepted_box.empty.isVisibleTo(panel)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=60_000)
    panel.differential.setFocus()
    panel.differential.setCurrentRow(0)
    QTest.keyClick(panel.differential, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # immediate feedback: the tick on the row, the list at the top, the status line
    assert _row_marks(panel)[0] == TICK
    assert panel.accepted_box.names() == [f"{TICK} {top.name_en}  ({top.icd10})"]
    assert panel.accepted_box.list.isVisibleTo(panel) and not panel.accepted_box.empty.isVisibleTo(panel)
    assert panel.accept_button.text() == "Un-accept"
    assert top.name_en in panel.decision_status.text()
    qtbot.waitUntil(lambda: "(saved)" in panel.decision_status.text(), timeout=60_000)
    assert [d["condition_id"] for d in _stored(window, enc.id)["decisions"]] == [top.id]

    # reject the second, then undo the accept from the list with Delete
    panel.differential.setCurrentRow(1)
    panel.reject_button.click()
    assert _row_marks(panel)[:2] == [TICK, "✗"]
    panel.accepted_box.list.setFocus()
    QTest.keyClick(panel.accepted_box.list, Qt.Key.Key_Delete)
    assert panel.accepted_box.names() == [] and _row_marks(panel)[0] == ""
    qtbot.waitUntil(lambda: [d["state"] for d in _stored(window, enc.id)["decisions"]] == ["rejected"],
                    timeout=60_000)
    trail = _stored(window, enc.id)["trail"]
    assert [t["action"] for t in trail] == ["accept", "reject", "undo"]
    assert {t["by"] for t in trail} == {ADMIN}


def test_add_by_chinese_name_or_free_text(qtbot, window):
    _patient, enc = _new_encounter(qtbot, window)
    panel = window.assessment_panel
    _assess(qtbot, panel)
    qtbot.waitUntil(lambda: panel.add_combo.count() >= 60, timeout=60_000)
    panel.add_combo.setEditText("高血压")
    QTest.keyClick(panel.add_combo.lineEdit(), Qt.Key.Key_Return)
    panel.add_combo.setEditText("Sickle cell trait")
    panel.add_button.click()
    assert panel.accepted_box.names() == [f"{TICK} Hypertension  (I10)",
                                          f"{TICK} Sickle cell trait  (free text, no code)"]
    qtbot.waitUntil(lambda: len((_stored(window, enc.id) or {}).get("decisions", [])) == 2, timeout=60_000)
    hypertension, trait = _stored(window, enc.id)["decisions"]
    assert (hypertension["condition_id"], hypertension["icd10"], hypertension["origin"]) == \
        ("hypertension", "I10", "knowledge_base")
    assert (trait["condition_id"], trait["origin"]) == (None, "free_text")


def test_reopening_restores_the_assessment_and_decisions_after_a_lock(qtbot, window):
    patient, enc = _new_encounter(qtbot, window)
    panel = window.assessment_panel
    result = _assess(qtbot, panel)
    shown = [c.condition.id for c in result.differential]
    panel.differential.setCurrentRow(0)
    panel.accept_button.click()
    panel.differential.setCurrentRow(2)
    panel.reject_button.click()
    qtbot.waitUntil(lambda: len((_stored(window, enc.id) or {}).get("decisions", [])) == 2, timeout=60_000)
    marks = _row_marks(panel)

    window.lock_action.trigger()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=60_000)
    assert panel.assessment is None and panel.accepted_box.names() == []
    # the same user unlocks: Lantern returns to the encounter by itself (gui/resume.py)
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        _unlock(qtbot, window)
    assert window.encounter_view.encounter.id == enc.id
    assert [c.condition.id for c in panel.assessment.differential] == shown
    assert panel.assessment.triage.level == result.triage.level
    assert _row_marks(panel) == marks
    top = result.differential[0].condition
    assert panel.accepted_box.names() == [f"{TICK} {top.name_en}  ({top.icd10})"]
    assert "restored as saved" in panel.decision_status.text()


def test_soap_assessment_is_the_accepted_diagnoses_with_icd10(qtbot, window):
    _patient, enc = _new_encounter(qtbot, window)
    panel = window.assessment_panel
    result = _assess(qtbot, panel)
    accepted, not_accepted = result.differential[0].condition, result.differential[1].condition
    summary_panel = window.summary_panel
    panel.differential.setCurrentRow(0)
    panel.accept_button.click()
    with qtbot.waitSignal(summary_panel.summary_ready, timeout=60_000):
        summary_panel.start()
    text = summary_panel.editor.toPlainText()
    assessment_line = next(line for line in text.splitlines() if line.startswith("Assessment:"))
    assert f"{accepted.name_en} (ICD-10 {accepted.icd10})" in assessment_line
    assert "None recorded" not in assessment_line
    assert not_accepted.name_en not in text


def test_the_problem_list_offers_accepted_chronic_diagnoses(qtbot, window):
    patient, enc = _new_encounter(qtbot, window)
    panel = window.assessment_panel
    result = _assess(qtbot, panel)
    assert result.differential[0].condition.id not in ("hypertension",)
    panel.differential.setCurrentRow(0)
    panel.accept_button.click()                      # an acute diagnosis: never offered
    panel.add_combo.setEditText("Hypertension")
    panel.add_button.click()
    offers = window.chart.problems.findChild(ProblemOffers, "problemOffers")
    qtbot.waitUntil(lambda: offers.isVisibleTo(window.chart.problems) and len(offers.buttons) == 1,
                    timeout=60_000)
    assert [b.toolTip() for b in offers.buttons] == ["Add Hypertension to the problem list"]
    assert "Problems tab offers to add it" in panel.decision_status.text()
    offers.buttons[0].click()
    records = window.bridge.session.records
    qtbot.waitUntil(lambda: [(p.description, p.icd10) for p in records.list_problems(patient.id)]
                    == [("Hypertension", "I10")], timeout=60_000)
    qtbot.waitUntil(lambda: not offers.isVisibleTo(window.chart.problems), timeout=60_000)


def test_an_assessment_without_decisions_is_kept_too(qtbot, window):
    patient, enc = _new_encounter(qtbot, window)
    panel = window.assessment_panel
    result = _assess(qtbot, panel)
    qtbot.waitUntil(lambda: (_stored(window, enc.id) or {}).get("result") is not None, timeout=60_000)
    assert _stored(window, enc.id)["decisions"] == [] and _stored(window, enc.id)["trail"] == []
    window.chart.show_tabs()
    with qtbot.waitSignal(panel.assessed, timeout=60_000):
        _open(qtbot, window, patient.id, enc.id)
    assert [c.condition.id for c in panel.assessment.differential] == \
        [c.condition.id for c in result.differential]
    assert "Not assessed" not in panel.banner.text()
