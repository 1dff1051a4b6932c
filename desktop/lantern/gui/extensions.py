"""Plug the model tools, the assessment, summary and "Ask next" panels into the main window.

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

from lantern.domain.records import UnreadableRecord
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
    window.model_status = ModelStatusWidget(models=models, runner=window.runner, parent=window,
                                            on_reimport=open_models)
    window.add_permanent_status_widget(window.model_status)
    # The model host closes with the window, unless a rebuilt window takes it over.
    handed_over = []
    window.handing_over.connect(lambda: handed_over.append(True))
    window.destroyed.connect(lambda *_: None if handed_over else models.close())


def install_assessment(window: Any, *, assessment: Any) -> Any:
    """The "Assessment" side panel: triage, differential, evidence; the clinician's
    decisions are stored with the encounter (``save_encounter_assessment``) and come back,
    with the assessment, when the encounter is opened again. ``window.assessment_panel``
    is the panel (the summary panel takes the accepted diagnoses from it)."""
    from lantern.gui.assessment_panel import AssessmentPanel
    from lantern.services.roles import allowed

    panel = AssessmentPanel(assess=assessment.assess, runner=window.runner, parent=window,
                            finding_label=lambda fid, lang: assessment.kb.label(fid, lang))

    def conditions(_ctx: Any) -> list[tuple[str, str, str, str]]:
        # loading the knowledge base takes ~0.2 s: not on the GUI thread at start-up
        return sorted(((c.id, c.name_en, c.name_zh, c.icd10) for c in assessment.kb.conditions.values()),
                      key=lambda item: item[1])

    def loaded(items: list) -> None:
        panel.set_conditions(items)
        panel.chronic = assessment.kb.chronic

    window.runner.submit(conditions, on_success=loaded,
                         label=QCoreApplication.translate("Extensions", "Loading knowledge base…"))
    window.encounter_changed.connect(panel.set_input)
    panel.about_to_assess.connect(window.encounter_view.flush_changes)
    window.add_side_panel(panel, QCoreApplication.translate("Extensions", "Assessment"))
    assess_action = QAction(QCoreApplication.translate("Extensions", "&Assess this encounter"), window)
    assess_action.setShortcut(QKeySequence("Ctrl+Shift+A"))

    def assess_and_show() -> None:     # Ctrl+Shift+A from the note: the result is in view
        window.encounter_view.side_tabs.setCurrentWidget(panel)
        panel.run_assessment()

    assess_action.triggered.connect(lambda _checked=False: assess_and_show())
    window.add_tool_action(assess_action)

    current: dict[str, Any] = {"encounter_id": None}

    def store(decision: dict) -> None:
        encounter_id = current["encounter_id"]
        if encounter_id is None:
            return

        def failed(exc: BaseException) -> None:
            panel.decision_not_saved()
            show_error(window, exc)

        window.bridge.call(
            lambda s: s.records.save_encounter_assessment(
                encounter_id, decisions=decision["decisions"], case=decision["case"],
                result=decision["result"], action=decision["action"]),
            on_success=lambda _record: panel.decision_saved() if current["encounter_id"] == encounter_id else None,
            on_failure=failed,
            label=QCoreApplication.translate("Extensions", "Saving assessment…"))

    def store_assessment(made: dict) -> None:
        # the assessment itself is kept too (reopening shows it), when this user may decide
        session = window.bridge.session
        if session is not None and allowed(session.user, "assessment.write"):
            store(made)

    def on_opened(encounter: Any, _patient: Any) -> None:
        panel.clear_patient_data()
        current["encounter_id"] = encounter.id
        session = window.bridge.session
        panel.set_can_decide(session is not None and allowed(session.user, "assessment.write"))

        def loaded(record: dict | None) -> None:
            if record is not None and current["encounter_id"] == encounter.id:
                panel.restore(record)

        window.bridge.call(lambda s: s.records.encounter_assessment(encounter.id), on_success=loaded,
                           label=QCoreApplication.translate("Extensions", "Loading assessment…"))

    window.encounter_view.encounter_opened.connect(on_opened)
    window.session_locked.connect(lambda: current.update(encounter_id=None))
    panel.decision_made.connect(store)
    panel.assessment_made.connect(store_assessment)
    window.assessment_panel = panel
    install_problem_offers(window, assessment=assessment, decided=panel.decision_made)
    return panel


def install_problem_offers(window: Any, *, assessment: Any, decided: Any) -> Any:
    """Above the chart's problem list: the patient's accepted chronic diagnoses not on it
    (``chronic_conditions.toml``), each with "Add to problem list"; refreshed when the
    list loads and after each decision (``decided``, the panel's signal)."""
    from lantern.gui.problem_offers import ProblemOffers
    from lantern.services.assessment_records import chronic_to_offer
    from lantern.services.roles import allowed

    problems_panel = window.chart.problems
    offers = ProblemOffers(problems_panel)
    problems_panel.layout().insertWidget(0, offers)
    shown: dict[str, Any] = {"problems": []}

    def refresh(problems: list | None = None) -> None:
        if problems is not None:
            shown["problems"] = problems
        patient, session = window.chart.patient, window.bridge.session
        if patient is None or session is None or not allowed(session.user, "problem.write"):
            offers.show_offers([])
            return
        patient_id = patient.id

        def found(assessments: list) -> None:
            if window.chart.patient is not None and window.chart.patient.id == patient_id:
                offers.show_offers(chronic_to_offer(assessments, shown["problems"], assessment.kb.chronic))

        window.bridge.call(lambda s: s.records.list_assessments(patient_id), on_success=found)

    problems_panel.loaded.connect(lambda _kind, items: refresh(items))
    # after the decision is stored (queued behind it in the vault lane)
    decided.connect(lambda _decision: refresh())
    offers.add_requested.connect(problems_panel.submit_add)
    window.session_locked.connect(lambda: offers.show_offers([]))
    window.chart.patient_loaded.connect(lambda _patient: offers.show_offers([]))
    return offers


def install_orders(window: Any) -> Any:
    """The "Orders" side panel: formulary search, the dose for this patient, alerts inline,
    overrides with a reason; the orders are stored with the encounter (``save_orders``)
    after every change and come back when it is opened; signing puts them on the chart's
    medications (reloaded here); the printed prescription is audited like the letter's
    prints (action, patient id, encounter id: no patient data)."""
    from lantern.clinical.prescribing import build_index, load_formulary
    from lantern.domain.records import NoteStatus
    from lantern.gui.orders_panel import OrdersPanel
    from lantern.services.draft_handover import DraftAccess
    from lantern.services.letter_layout import Letterhead, Referrer
    from lantern.services.orders import medication_of
    from lantern.services.roles import allowed

    panel = OrdersPanel(parent=window)

    def load(_ctx: Any) -> tuple[Any, Any]:
        formulary = load_formulary()
        return formulary, build_index(formulary)

    window.runner.submit(load, on_success=panel.set_formulary, on_failure=lambda exc: show_error(window, exc),
                         label=QCoreApplication.translate("Extensions", "Loading formulary…"))
    window.encounter_changed.connect(panel.set_input)
    chart: dict[str, list] = {"allergies": [], "medications": [], "details": []}

    def chart_loaded(key: str, items: list) -> None:
        # a damaged record cannot be read: said as an allergy the checks cannot read
        if key == "allergies":
            chart[key] = ["(damaged allergy record)" if isinstance(a, UnreadableRecord) else
                          " ".join(x for x in (a.substance, a.reaction) if x) for a in items]
        else:
            active = [m for m in items if not isinstance(m, UnreadableRecord) and m.active]
            chart[key] = [m.name for m in active]
            # what a renewal starts from: the charted dose, route and frequency
            chart["details"] = [{"name": m.name, "dose": m.dose, "route": m.route, "frequency": m.frequency}
                                for m in active]
        panel.set_chart(allergies=chart["allergies"], medications=chart["medications"], details=chart["details"])

    window.chart.allergies.loaded.connect(lambda _k, items: chart_loaded("allergies", items))
    window.chart.medications.loaded.connect(lambda _k, items: chart_loaded("medications", items))
    current: dict[str, Any] = {"encounter_id": None, "patient_id": None}

    def may(permission: str) -> bool:
        session = window.bridge.session
        return session is not None and allowed(session.user, permission)

    def to_summary(stored: Any) -> None:
        feed = getattr(window, "summary_orders", None)    # install_summary, installed before this one
        if feed is not None:
            feed([medication_of(o) for o in stored])

    def opened(encounter: Any, patient: Any) -> None:
        current.update(encounter_id=encounter.id, patient_id=patient.id if patient is not None else None)
        to_summary(encounter.orders if encounter.status is NoteStatus.DRAFT else ())
        panel.restore(encounter.orders, read_only=encounter.status is not NoteStatus.DRAFT
                      or not may("orders.write") or window.encounter_view.access() is not DraftAccess.EDIT)

    def store(orders: list) -> None:
        encounter_id = current["encounter_id"]
        if encounter_id is None:
            return

        def done(enc: Any) -> None:
            if current["encounter_id"] == encounter_id:
                panel.saved(enc.orders)
                to_summary(enc.orders)

        def failed(exc: BaseException) -> None:
            if current["encounter_id"] == encounter_id:
                panel.save_failed(str(exc))

        window.bridge.call(lambda s: s.records.save_orders(encounter_id, orders), on_success=done,
                           on_failure=failed, label=QCoreApplication.translate("Extensions", "Saving orders…"))

    def signed(enc: Any) -> None:
        if enc.id == current["encounter_id"]:
            panel.restore(enc.orders, read_only=True)
            to_summary(())                     # on the chart now: the chart's list says them
            if current["patient_id"]:
                window.chart.medications.load(current["patient_id"])    # the orders are on it now

    def print_source() -> tuple[Letterhead, str, Referrer, dict]:
        session = window.bridge.session
        user = session.user if session is not None else None
        prescriber = Referrer(name=(user.display_name or user.username) if user else "",
                              role=str(user.role) if user else "")
        settings = getattr(window, "settings", None)
        head = settings.letterhead if settings is not None else Letterhead()
        patient = window.encounter_view.patient
        facts = {"name": patient.name, "id": patient.id, "age_years": patient.age_years(),
                 "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
                 "birth_year": patient.birth_year, "sex": str(patient.sex)} if patient is not None else {}
        return head, window.bridge.clinic_name, prescriber, facts

    def audit(action: str) -> None:
        patient_id, encounter_id = current["patient_id"], current["encounter_id"]
        window.bridge.call(lambda s: s.audit.record(action, patient_id=patient_id, record_id=encounter_id),
                           on_failure=lambda exc: show_error(window, exc),
                           label=QCoreApplication.translate("Extensions", "Recording the print…"))

    def forget() -> None:
        current.update(encounter_id=None, patient_id=None)
        to_summary(())
        panel.restore((), read_only=True)

    window.encounter_view.encounter_opened.connect(opened)
    window.encounter_view.signed.connect(signed)
    window.session_locked.connect(forget)
    panel.orders_changed.connect(store)
    panel.set_print_source(print_source, allowed=lambda: may("export"))
    panel.output_made.connect(audit)
    window.add_side_panel(panel, QCoreApplication.translate("Extensions", "Orders"))
    window.orders_panel = panel
    return panel


def install_summary(window: Any, *, summaries: Any) -> Any:
    """The "Summary" side panel: note / history / referral drafts, stored encrypted as
    drafts (when ready, shortly after each edit, before a lock or another encounter)
    until the clinician signs; the encounter's draft comes back when it is opened."""
    from lantern.gui.summary_panel import SummaryPanel
    from lantern.services.roles import allowed

    panel = SummaryPanel(summarize=summaries, runner=window.runner, parent=window,
                         note_view=window.encounter_view.note)
    window.add_side_panel(panel, QCoreApplication.translate("Extensions", "Summary"))
    # the encounter the panel works for: the view forgets it before the panel's last save;
    # summary_id: the row of the draft or signed summary last stored (what a print is of)
    state: dict[str, Any] = {"visits": [], "note": "", "vitals": None, "case": {},
                             "encounter_id": None, "patient_id": None, "summary_id": None,
                             "vitals_time": None, "unreadable_notes": []}
    install_letter(window, panel, state)

    def patient_payload() -> dict | None:
        patient = window.encounter_view.patient
        if patient is None:
            return None
        return {"name": patient.name, "sex": str(patient.sex), "age_years": patient.age_years(),
                "birth_date": patient.birth_date.isoformat() if patient.birth_date else None,
                "birth_year": patient.birth_year, "id": patient.id, "village": patient.village,
                "caregiver": patient.caregiver.line()}

    # the chart's allergies and current medications go into the source too (a note that
    # does not repeat an allergy must not give a summary without it)
    # Records that cannot be read travel as they are (UnreadableRecord): a summary says
    # "record damaged" on their line, never "None recorded".
    chart: dict[str, list] = {"allergies": [], "medications": []}
    orders: dict[str, list[dict]] = {"medications": []}

    def orders_changed(medications: list[dict]) -> None:
        orders["medications"] = list(medications)
        refresh_source()

    window.summary_orders = orders_changed

    # the Assessment panel's accepted and added diagnoses are the summary's Assessment
    decided: dict[str, list] = {"ids": [], "texts": []}

    def decisions_changed(decisions: list) -> None:
        accepted = [d for d in decisions if d.get("state") == "accepted"]
        decided["ids"] = [d["condition_id"] for d in accepted if d.get("condition_id")]
        decided["texts"] = [d["name"] for d in accepted if not d.get("condition_id")]
        refresh_source()

    def refresh_source() -> None:
        # the open encounter's orders (the Orders panel, ``window.summary_orders``) are listed
        # with the chart's medications until signing puts them on the chart itself
        listed = {str(m.get("name", "")).casefold() for m in chart["medications"] if isinstance(m, dict)}
        ordered = [m for m in orders["medications"] if m["name"].casefold() not in listed]
        panel.set_source(note=state["note"], notes=state["visits"] or None,
                         patient=patient_payload(), vitals=state["vitals"], case=state["case"],
                         chart_allergies=chart["allergies"],
                         chart_medications=chart["medications"] + ordered, vitals_time=state["vitals_time"],
                         chart_unreadable=state["unreadable_notes"],
                         accepted_diagnoses=decided["ids"], added_diagnoses=decided["texts"])

    def chart_loaded(key: str, items: list) -> None:
        if key == "allergies":
            chart[key] = [a if isinstance(a, UnreadableRecord) else
                          {"substance": a.substance, "reaction": a.reaction} for a in items]
        else:
            chart[key] = [m if isinstance(m, UnreadableRecord) else
                          {"name": m.name, "dose": m.dose, "route": m.route, "frequency": m.frequency}
                          for m in items if isinstance(m, UnreadableRecord) or m.active]
        refresh_source()

    def forget_chart() -> None:
        chart.update(allergies=[], medications=[])

    def on_changed(note: str, vitals: Any, age: Any, sex: str, pregnant: bool) -> None:
        state["note"] = note
        state["vitals"] = vitals.as_dict() if vitals is not None else None
        # the same age, sex and pregnancy as the Assessment panel: a letter's triage is its triage
        state["case"] = {"age_years": age, "sex": sex if sex in ("male", "female") else None,
                         "pregnant": bool(pregnant)}
        refresh_source()

    def on_opened(encounter: Any, patient: Any) -> None:
        panel.clear_patient_data()      # stores the previous encounter's draft first
        forget()
        state["encounter_id"], state["patient_id"] = encounter.id, patient.id
        # the visit's time: a letter says which visit's form the vitals come from
        stamp = getattr(encounter, "created_at", None)
        state["vitals_time"] = stamp.astimezone().strftime("%Y-%m-%d %H:%M") if stamp else None
        panel.set_username(window.bridge.username)
        panel.letter_bar.reload()

        def loaded(encounters: list) -> None:
            readable = [e for e in encounters if not isinstance(e, UnreadableRecord)]
            state["unreadable_notes"] = [e for e in encounters if isinstance(e, UnreadableRecord)]
            state["visits"] = [{"date": e.created_at.date().isoformat(), "text": e.note,
                                "vitals": e.vitals.as_dict()}
                               for e in sorted(readable, key=lambda e: e.created_at)
                               if e.note.strip() or e.vitals.as_dict()]
            refresh_source()

        def draft_loaded(record: dict | None) -> None:
            if record is not None and state["encounter_id"] == record["encounter_id"]:
                panel.restore_draft(record["payload"])

        window.bridge.call(lambda s: s.records.list_encounters(patient.id), on_success=loaded,
                           label=QCoreApplication.translate("Extensions", "Loading visits…"))
        window.bridge.call(lambda s: s.records.latest_summary_draft(encounter.id),
                           on_success=draft_loaded,
                           label=QCoreApplication.translate("Extensions", "Loading summary draft…"))

    def store(payload: dict) -> None:
        encounter_id, patient_id = state["encounter_id"], state["patient_id"]
        if patient_id is None:
            return
        window.bridge.call(lambda s: remember(s.records.save_summary(encounter_id, patient_id, payload),
                                              encounter_id),
                           on_failure=lambda exc: show_error(window, exc),
                           label=QCoreApplication.translate("Extensions", "Saving summary…"))

    def remember(summary_id: str, encounter_id: str | None) -> str:
        # set in the vault lane, so an audit queued after this save sees it; a save that
        # finishes after another encounter was opened is not that encounter's summary
        if state["encounter_id"] == encounter_id:
            state["summary_id"] = summary_id
        return summary_id

    def store_draft(payload: dict) -> None:
        encounter_id, patient_id = state["encounter_id"], state["patient_id"]
        session = window.bridge.session
        if patient_id is None or session is None or not allowed(session.user, "summary.write"):
            return
        # queued in the vault lane, so before a lock that follows
        window.bridge.call(lambda s: remember(s.records.save_summary_draft(encounter_id, patient_id, payload),
                                              encounter_id),
                           on_success=lambda _id: panel.draft_stored(),
                           on_failure=lambda exc: show_error(window, exc),
                           label=QCoreApplication.translate("Extensions", "Saving summary draft…"))

    def forget() -> None:
        state.update(visits=[], note="", vitals=None, encounter_id=None, patient_id=None, summary_id=None,
                     vitals_time=None, unreadable_notes=[])

    # The panel clears itself (clear_patient_data(), which stores its draft) when the
    # encounter view is cleared, before the lock is queued.
    window.session_locked.connect(forget)
    window.session_locked.connect(forget_chart)
    window.chart.allergies.loaded.connect(lambda _k, items: chart_loaded("allergies", items))
    window.chart.medications.loaded.connect(lambda _k, items: chart_loaded("medications", items))
    window.handing_over.connect(panel.save_draft_now)   # a rebuilt window: stored first
    window.encounter_view.encounter_opened.connect(on_opened)
    window.encounter_changed.connect(on_changed)
    panel.about_to_summarize.connect(window.encounter_view.flush_changes)
    panel.signed.connect(store)
    panel.draft_changed.connect(store_draft)
    assessment_panel = getattr(window, "assessment_panel", None)   # installed before this one
    if assessment_panel is not None:
        assessment_panel.decisions_changed.connect(decisions_changed)
    return panel


def install_interview(window: Any, *, interview: Any) -> Any:
    """The "Ask next" side panel (``gui/interview_panel``): the next questions for the open
    note, answered into the note. Tools → Ask next question (Ctrl+Shift+K) goes to it.
    With the Assessment panel installed (before this one), an answer updates it too (when
    its tab is next shown), and its Assess applies the note's answers the same way (a
    corrected answer no longer counts)."""
    from lantern.gui.interview_panel import InterviewPanel

    view = window.encounter_view
    panel = InterviewPanel(interview=interview, runner=window.runner, note_view=view.note,
                           vitals_form=view.vitals, parent=window)
    window.add_side_panel(panel, QCoreApplication.translate("Extensions", "Ask next"))
    window.encounter_changed.connect(panel.set_input)
    view.encounter_opened.connect(lambda _encounter, _patient: panel.encounter_opened())

    def go_to_panel() -> None:
        view.side_tabs.setCurrentWidget(panel)
        panel.questions.setFocus()

    ask = QAction(QCoreApplication.translate("Extensions", "Ask &next question"), window)
    ask.setShortcut(QKeySequence("Ctrl+Shift+K"))
    ask.triggered.connect(go_to_panel)
    window.add_tool_action(ask)
    assessment_panel = getattr(window, "assessment_panel", None)
    if assessment_panel is not None:
        # shown at once when in view, else when its tab is opened (no work for a hidden panel)
        pending: list[tuple[Any, dict]] = []

        def answered(assessment: Any, case: dict) -> None:
            pending[:] = [(assessment, case)]
            show_pending()

        def show_pending() -> None:
            if pending and view.side_tabs.currentWidget() is assessment_panel:
                assessment_panel.show_assessment(*pending.pop())

        panel.answer_assessed.connect(answered)
        view.side_tabs.currentChanged.connect(lambda _index: show_pending())
        view.encounter_opened.connect(lambda _encounter, _patient: pending.clear())
        window.session_locked.connect(pending.clear)
        assessment_panel.set_assess(interview.assess)
    window.interview_panel = panel
    return panel


def install_letter(window: Any, panel: Any, state: dict) -> None:
    """The referral letter's letterhead and receiving facilities (Settings), its referring
    clinician (the unlocked user), and the audit of every print and PDF export: action,
    patient id and the stored summary's id, no patient data."""
    from lantern.services.letter_layout import Letterhead, Referrer
    from lantern.services.roles import allowed

    def settings() -> Any:
        return getattr(window, "settings", None)

    def letter_source() -> tuple[Letterhead, str, Referrer]:
        session = window.bridge.session
        user = session.user if session is not None else None
        referrer = Referrer(name=(user.display_name or user.username) if user else "",
                            role=str(user.role) if user else "")
        head = settings().letterhead if settings() is not None else Letterhead()
        return head, window.bridge.clinic_name, referrer

    def may_output() -> bool:
        session = window.bridge.session
        return session is not None and allowed(session.user, "export")

    def audit(action: str) -> None:
        patient_id = state["patient_id"]
        # queued after the draft save that the panel made just before printing
        window.bridge.call(lambda s: s.audit.record(action, patient_id=patient_id,
                                                    record_id=state["summary_id"] or state["encounter_id"]),
                           on_failure=lambda exc: show_error(window, exc),
                           label=QCoreApplication.translate("Extensions", "Recording the print…"))

    panel.set_letter_source(letter_source)
    panel.set_output_guard(may_output)
    panel.letter_bar.set_facility_source(lambda: settings().facilities if settings() is not None else [])
    panel.output_made.connect(audit)
