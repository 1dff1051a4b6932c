"""The clinician's decisions in the Assessment panel: accept, reject, add, undo, and a
stored assessment shown again (mixed into :class:`AssessmentPanel`; its strings are
translated in the panel's context)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QPushButton, QWidget

from lantern.gui.diagnosis_decisions import (
    AcceptedDiagnoses,
    CatalogueEntry,
    decision_key,
    find_entry,
    shown_name,
)

translate = QCoreApplication.translate


class DecisionsMixin:
    assessment: Any
    decisions: dict[str, dict]
    _catalogue: list[CatalogueEntry]
    _assessed_case: dict | None
    _restored: dict | None
    _can_decide: bool
    chronic: frozenset[str]          # condition ids the problem list keeps (knowledge base)
    _input: dict[str, Any]
    differential: QListWidget
    accept_button: QPushButton
    reject_button: QPushButton
    add_button: QPushButton
    add_combo: QComboBox
    accepted_box: AcceptedDiagnoses
    decision_status: QLabel
    decision_made: SignalInstance
    decisions_changed: SignalInstance

    def _submit(self, args: dict) -> Any: ...   # AssessmentPanel

    # --- decisions --------------------------------------------------------
    def _suggested(self) -> list[dict]:
        return [{"condition_id": c.condition.id, "name": c.condition.name_en,
                 "score": round(c.score, 4)} for c in self.assessment.differential]

    def _payload(self, action: str, condition_id: str | None, name: str) -> dict:
        a = self.assessment
        return {"action": action, "condition_id": condition_id, "name": name,
                "suggested": self._suggested() if a else [],
                "triage": a.triage.level if a else None,
                "danger_signs": [s.rule.id for s in a.triage.signs] if a else [],
                "kb_version": a.kb_version if a else None,
                "llm_used": bool(a.llm_used) if a else False,
                # what is stored with the encounter: the decisions in force, the input and
                # the result they were made on (reopening shows all three again)
                "decisions": list(self.decisions.values()),
                "case": self._assessed_case,
                "result": a.to_dict(with_warnings=True) if a else None}

    @property
    def _zh(self) -> bool:
        return self.assessment is not None and self.assessment.lang == "zh"

    def accepted(self) -> list[dict]:
        """The accepted and added diagnoses, in the order they were decided."""
        return [d for d in self.decisions.values() if d["state"] == "accepted"]

    def _decide(self, action: str) -> None:
        row = self.differential.currentRow()
        if (self.assessment is None or not 0 <= row < len(self.assessment.differential)
                or not self._can_decide):
            return
        cond = self.assessment.differential[row].condition
        decision = {"condition_id": cond.id, "name": cond.name_en,
                    "name_zh": getattr(cond, "name_zh", ""), "icd10": cond.icd10,
                    "origin": "suggested", "state": "accepted" if action == "accept" else "rejected"}
        key = decision_key(decision)
        if self.decisions.get(key, {}).get("state") == decision["state"]:
            self.undo(key)          # pressing Accept (Reject) again takes it back
            return
        self._record(action, decision)

    def _add_diagnosis(self) -> None:
        text = self.add_combo.currentText().strip()
        if not text or not self._can_decide:
            return
        entry = find_entry(self._catalogue, text)
        if entry is not None:
            suggested = self.assessment is not None and any(
                c.condition.id == entry.condition_id for c in self.assessment.differential)
            decision = entry.decision(origin="suggested" if suggested else "knowledge_base")
        else:
            decision = {"condition_id": None, "name": " ".join(text.split())[:200], "name_zh": "",
                        "icd10": "", "origin": "free_text", "state": "accepted"}
        self.add_combo.setCurrentIndex(-1)
        self.add_combo.setEditText("")
        self._record("add", decision)

    def _record(self, action: str, decision: dict) -> None:
        key = decision_key(decision)
        self.decisions.pop(key, None)          # the latest decision goes last
        self.decisions[key] = decision
        word = {"accept": translate("AssessmentPanel", "Accepted"),
                "reject": translate("AssessmentPanel", "Rejected"),
                "add": translate("AssessmentPanel", "Added")}[action]
        text = f"{word}: {shown_name(decision, self._zh)}"
        if decision["state"] == "accepted" and decision.get("condition_id") in self.chronic:
            text += " — " + translate("AssessmentPanel", "A long-term condition: the chart's "
                                    "Problems tab offers to add it to the problem list.")
        self._announce(action, decision, text)

    def undo(self, key: str) -> None:
        """Take a decision back (un-accept, un-reject, remove an added diagnosis)."""
        if not self._can_decide or key not in self.decisions:
            return
        decision = self.decisions.pop(key)
        text = translate("AssessmentPanel", "Undone: %1")
        self._announce("undo", decision, text.replace("%1", shown_name(decision, self._zh)))

    def undo_last(self) -> None:
        if self.decisions:
            self.undo(next(reversed(self.decisions)))

    def _announce(self, action: str, decision: dict, text: str) -> None:
        self._refresh_decisions()
        self.decision_status.setText(text)
        self.decision_status.setStyleSheet("color:#b71c1c" if action == "reject" else "color:#2e7d32")
        self.decision_made.emit(self._payload(action, decision.get("condition_id"),
                                              decision["name"]))

    def decision_saved(self) -> None:
        """The owner stored the last decision (the status says so)."""
        text, saved = self.decision_status.text(), translate("AssessmentPanel", "(saved)")
        if text and not text.endswith(saved):
            self.decision_status.setText(f"{text} {saved}")

    def decision_not_saved(self) -> None:
        self.decision_status.setText(translate("AssessmentPanel", "The decision was NOT saved."))
        self.decision_status.setStyleSheet("color:#b71c1c; font-weight:bold")

    def set_can_decide(self, allowed: bool) -> None:
        """Only clinicians and administrators decide (assistants see the assessment)."""
        self._can_decide = allowed
        has_rows = bool(self.assessment is not None and self.assessment.differential)
        for widget in (self.accept_button, self.reject_button):
            widget.setEnabled(allowed and has_rows)
        others: tuple[QWidget, ...] = (self.add_button, self.add_combo,
                                       self.accepted_box.remove_button)
        for other in others:
            other.setEnabled(allowed)
        self.decision_status.setText("" if allowed else translate(
            "AssessmentPanel", "Only a clinician may accept, reject or add diagnoses."))

    def _refresh_decisions(self) -> None:
        self.decisions_changed.emit(list(self.decisions.values()))
        zh = self._zh
        self.accepted_box.show_decisions(list(self.decisions.values()), zh=zh)
        current = None
        if self.assessment is not None:
            for i, cand in enumerate(self.assessment.differential):
                key = decision_key({"condition_id": cand.condition.id})
                state = self.decisions.get(key, {}).get("state")
                row = self.differential.itemWidget(self.differential.item(i))
                if hasattr(row, "set_state"):      # the panel's condition row
                    row.set_state(state)
                if i == self.differential.currentRow():
                    current = state
        self.accept_button.setText(translate("AssessmentPanel", "Un-accept") if current == "accepted"
                                   else translate("AssessmentPanel", "Accept"))
        self.reject_button.setText(translate("AssessmentPanel", "Un-reject") if current == "rejected"
                                   else translate("AssessmentPanel", "Reject"))

    # --- a stored assessment shown again ----------------------------------
    def restore(self, record: dict) -> None:
        """Show an encounter's stored assessment and decisions (``encounter_assessment``):
        the decisions exactly as stored; the assessment is made again on the stored input
        and checked against the stored result."""
        fields = ("condition_id", "name", "name_zh", "icd10", "origin", "state")
        self.decisions = {decision_key(d): {k: d.get(k) for k in fields}
                          for d in record.get("decisions") or []}
        self._refresh_decisions()
        case = record.get("case")
        if isinstance(case, dict):
            self._restored = record
            self._submit({k: case.get(k)
                          for k in ("note", "vitals", "age_years", "sex", "pregnant")})
        elif self.decisions:
            self.decision_status.setText(translate(
                "AssessmentPanel", "Decisions restored; press Assess to see the assessment again."))

    def _check_restored(self, assessment: Any) -> None:
        record, self._restored = self._restored, None
        if record is None:
            return
        stored = record.get("result") or {}
        same = ([d.get("condition_id") for d in stored.get("differential", [])]
                == [c.condition.id for c in assessment.differential]
                and stored.get("triage") == assessment.triage.level)
        notes = [translate("AssessmentPanel", "Assessment and decisions restored as saved.") if same
                 else translate("AssessmentPanel", "Decisions restored as saved; the knowledge base "
                                "changed since, so the suggestions may differ from those you "
                                "decided on.")]
        if (self._assessed_case or {}).get("note") != self._input.get("note"):
            notes.append(translate("AssessmentPanel", "The note changed after this assessment: "
                                   "press Assess to update it."))
        self.decision_status.setText(" ".join(notes))
        self.decision_status.setStyleSheet("color:#555" if same else "color:#8a6d00")

