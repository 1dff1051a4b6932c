"""Patient → Schedule follow-up… (issue 16): a follow-up the clinician sets by hand
from a patient's chart, when no note proposed one (a TB refill agreed at the desk, an
ANC contact booked on the phone).

A small form: the due date (with a calendar), the programme (from
``resources/followup/schedules.toml``; choosing one proposes its next visit date while
the date has not been changed by hand) and the reason. A date before today or before
the visit it follows, or more than two years ahead, is refused in the form with a
one-line message and nothing is saved (the rule is the service's
:func:`~lantern.services.followups.due_problem`, which checks it again). Saved through
``session.followups.add`` (role ``followup.write``, audited). What was typed survives
an auto-lock (:func:`~lantern.gui.resume.keep_draft`, key ``schedule_followup``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lantern.clinical.followups import load_schedules
from lantern.clinical.followups.schedules import next_visit
from lantern.domain.records import Patient
from lantern.gui.errors import show_error
from lantern.gui.followup_confirm import followup_fields, patient_line
from lantern.gui.resume import keep_draft
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary
from lantern.services.followups import due_problem

DEFAULT_DAYS = 7          # the form opens on a week after the visit (a common review)
DRAFT_KEY = "schedule_followup"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class ScheduleFollowupDialog(QDialog):
    """Accepted only with a valid date: :meth:`values` is what to store."""

    def __init__(self, *, patient: Patient, visit: date, lang: str = "en",
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduleFollowupDialog")
        self.setWindowTitle(self.tr("Schedule follow-up"))
        self._patient = patient
        self._visit = visit
        self._today = today or date.today()
        self._lang = lang
        self._date_touched = False
        intro = patient_line(patient, self._today, self)
        self.due, self.programme, self.reason, form = followup_fields(self, lang)
        self.due.setDate(_qdate(max(visit, self._today) + timedelta(days=DEFAULT_DAYS)))
        self.reason.setPlaceholderText(self.tr("e.g. review the cough, TB drugs refill"))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.addButton(self.tr("&Schedule"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        set_primary(self.save_button)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for part in (intro, form, self.error_label, buttons):
            if isinstance(part, QFormLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part)
        self.due.dateChanged.connect(self._date_edited)
        self.programme.currentIndexChanged.connect(self._programme_chosen)
        self.setMinimumWidth(440)
        self.due.setFocus()

    def _date_edited(self, _d: QDate) -> None:
        self._date_touched = True
        self.error_label.hide()

    def _programme_chosen(self, _index: int) -> None:
        """A programme proposes its next visit (TB refill: a month) until the date is
        changed by hand; the reason stays what was typed."""
        programme = load_schedules().get(self.programme.currentData() or "")
        if programme is None or self._date_touched:
            return
        nxt = next_visit(programme, visit=max(self._visit, self._today),
                         birth_date=self._patient.birth_date)
        if nxt is None:
            return
        self.due.blockSignals(True)
        self.due.setDate(_qdate(nxt.due))
        self.due.blockSignals(False)
        if not self.reason.text().strip():
            self.reason.setText(nxt.reason_zh if self._lang == "zh" else nxt.reason)

    def problem(self) -> str:
        """What is wrong with the form, in one line ('' when it can be saved)."""
        due = _pydate(self.due.date())
        kind = due_problem(due, visit=self._visit, today=self._today)
        if kind == "before_visit":
            return self.tr("The follow-up date %1 is before the visit (%2). Choose a later "
                           "date.").replace("%1", due.isoformat()).replace("%2", self._visit.isoformat())
        if kind == "past":
            return self.tr("The follow-up date %1 is before today (%2). Choose today or a "
                           "later date.").replace("%1", due.isoformat()).replace(
                               "%2", self._today.isoformat())
        if kind == "too_far":
            return self.tr("The follow-up date %1 is more than two years after the visit. "
                           "Check the year.").replace("%1", due.isoformat())
        return ""

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            self.due.setFocus()
            return
        super().accept()

    def values(self) -> dict[str, Any]:
        return {"due": _pydate(self.due.date()),
                "programme": self.programme.currentData() or "",
                "reason": self.reason.text().strip()}


class FollowupScheduler(QObject):
    """Opens the form for the chart's patient (and the open encounter, if any) and
    saves what was confirmed. ``scheduled(followup)`` after a save."""

    scheduled = Signal(object)

    def __init__(self, *, bridge: SessionBridge, parent: QWidget,
                 lang: Callable[[], str], closing: Callable[[], bool]) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._window = parent
        self._lang = lang
        self._closing = closing            # the window is closing its dialogs (a lock)
        self.dialog: ScheduleFollowupDialog | None = None

    def open(self, patient: Patient | None, *, encounter: Any = None) -> None:
        if patient is None or not self._bridge.is_open or self.dialog is not None:
            return
        if encounter is not None and encounter.patient_id != patient.id:
            encounter = None
        visit = encounter.created_at.astimezone().date() if encounter is not None else date.today()
        dialog = ScheduleFollowupDialog(patient=patient, visit=visit, lang=self._lang(),
                                        parent=self._window)
        encounter_id = encounter.id if encounter is not None else None
        keep_draft(dialog, DRAFT_KEY, patient_id=patient.id, encounter_id=encounter_id or "")
        self.dialog = dialog

        def finished(code: int) -> None:
            self.dialog = None
            dialog.deleteLater()
            if (code != QDialog.DialogCode.Accepted or self._closing()
                    or not self._bridge.is_open):
                return
            values = dialog.values()
            self._bridge.call(
                lambda s: s.followups.add(patient_id=patient.id, encounter_id=encounter_id,
                                          visit_date=visit, source="manual", **values),
                on_success=self.scheduled.emit,
                on_failure=lambda exc: show_error(self._window, exc),
                label=self.tr("Saving…"))

        dialog.finished.connect(finished)
        dialog.open()
