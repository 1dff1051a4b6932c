"""Plug the model tools, the assessment panel and the summary panel into the main window.

Each ``install_*`` function takes the window and the service it needs, adds its
widgets through the window's extension points (side panels, Tools menu, status
bar) and wires the window's signals to them. The composition root
(:mod:`lantern.app`) decides which ones run; tests call them one by one.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from lantern.gui.errors import show_error

log = logging.getLogger(__name__)


def install_model_tools(window: Any, *, models: Any) -> None:
    """Tools → Models… and Check this laptop…, and the model status in the status bar."""
    from lantern.gui.laptop_check import LaptopCheckDialog
    from lantern.gui.model_manager import ModelManagerDialog
    from lantern.gui.model_status import ModelStatusWidget

    def open_models() -> None:
        dialog = ModelManagerDialog(models=models, runner=window.runner, parent=window)
        dialog.setModal(True)
        dialog.show()

    def open_check() -> None:
        dialog = LaptopCheckDialog(models=models, runner=window.runner, parent=window)
        dialog.setModal(True)
        dialog.show()

    manage = QAction(QCoreApplication.translate("Extensions", "&Models…"), window)
    manage.triggered.connect(open_models)
    check = QAction(QCoreApplication.translate("Extensions", "Check this &laptop…"), window)
    check.triggered.connect(open_check)
    window.add_tool_action(manage)
    window.add_tool_action(check)
    window.model_status = ModelStatusWidget(models=models, runner=window.runner, parent=window)
    window.add_permanent_status_widget(window.model_status)
    # The model host closes with the window, unless a rebuilt window takes it over.
    handed_over = []
    window.handing_over.connect(lambda: handed_over.append(True))
    window.destroyed.connect(lambda *_: None if handed_over else models.close())


def install_assessment(window: Any, *, assessment: Any) -> Any:
    """The "Assessment" side panel: triage, differential, evidence; decisions are stored."""
    from lantern.gui.assessment_panel import AssessmentPanel

    panel = AssessmentPanel(assess=assessment.assess, runner=window.runner, parent=window)

    def conditions(_ctx: Any) -> list[tuple[str, str]]:
        # loading the knowledge base takes ~0.2 s: not on the GUI thread at start-up
        return sorted(((c.id, c.name_en) for c in assessment.kb.conditions.values()),
                      key=lambda item: item[1])

    window.runner.submit(conditions, on_success=panel.set_conditions,
                         label=QCoreApplication.translate("Extensions", "Loading knowledge base…"))
    window.encounter_changed.connect(panel.set_input)
    window.add_side_panel(panel, QCoreApplication.translate("Extensions", "Assessment"))
    assess_action = QAction(QCoreApplication.translate("Extensions", "&Assess this encounter"), window)
    assess_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
    assess_action.triggered.connect(panel.run_assessment)
    window.add_tool_action(assess_action)

    def store(decision: dict) -> None:
        encounter = window.encounter_view.encounter
        if encounter is None:
            return
        window.bridge.call(lambda s: s.records.save_assessment(encounter.id, decision),
                           on_failure=lambda exc: show_error(window, exc),
                           label=QCoreApplication.translate("Extensions", "Saving assessment…"))

    panel.decision_made.connect(store)
    return panel


def install_summary(window: Any, *, summaries: Any) -> Any:
    """The "Summary" side panel: note / history / referral drafts; signed ones are stored."""
    from lantern.gui.summary_panel import SummaryPanel

    panel = SummaryPanel(summarize=summaries, runner=window.runner, parent=window,
                         note_view=window.encounter_view.note)
    window.add_side_panel(panel, QCoreApplication.translate("Extensions", "Summary"))
    state: dict[str, Any] = {"visits": [], "note": ""}

    def patient_payload() -> dict | None:
        patient = window.encounter_view.patient
        if patient is None:
            return None
        return {"name": patient.name, "sex": str(patient.sex), "age_years": patient.age_years(),
                "id": patient.id, "village": patient.village}

    def refresh_source() -> None:
        panel.set_source(note=state["note"], notes=state["visits"] or None,
                         patient=patient_payload())

    def on_changed(note: str, _vitals: Any, _age: Any, _sex: str, _pregnant: bool) -> None:
        state["note"] = note
        refresh_source()

    def on_opened(_encounter: Any, patient: Any) -> None:
        forget()
        panel.clear_patient_data()
        panel.set_username(window.bridge.username)

        def loaded(encounters: list) -> None:
            state["visits"] = [{"date": e.created_at.date().isoformat(), "text": e.note}
                               for e in sorted(encounters, key=lambda e: e.created_at)
                               if e.note.strip()]
            refresh_source()

        window.bridge.call(lambda s: s.records.list_encounters(patient.id), on_success=loaded,
                           label=QCoreApplication.translate("Extensions", "Loading visits…"))

    def store(payload: dict) -> None:
        encounter = window.encounter_view.encounter
        patient = window.encounter_view.patient
        if patient is None:
            return
        encounter_id = encounter.id if encounter is not None else None
        window.bridge.call(lambda s: s.records.save_summary(encounter_id, patient.id, payload),
                           on_failure=lambda exc: show_error(window, exc),
                           label=QCoreApplication.translate("Extensions", "Saving summary…"))

    def forget() -> None:
        state["visits"], state["note"] = [], ""

    window.session_locked.connect(forget)   # the panel clears itself: clear_patient_data()
    window.encounter_view.encounter_opened.connect(on_opened)
    window.encounter_changed.connect(on_changed)
    panel.signed.connect(store)
    return panel
