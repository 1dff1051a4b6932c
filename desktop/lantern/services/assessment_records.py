"""The encounter's assessment record: the assessment as it was shown and the
clinician's decisions on it, kept encrypted so that reopening the encounter
restores both exactly.

One record per encounter (a row of the ``assessments`` table whose document has
``"kind": "encounter_assessment"``). Every decision updates it (a new version,
audited "save assessment") and appends to its trail who decided what and when;
the ``by`` and ``at`` of a decision are stamped here, never taken from the caller.

Older vaults stored one row per decision (``{"action": "accept", "condition_id":
..., "suggested": [...]}``); :meth:`encounter_assessment` folds those into the same
shape, in the order they were made, so nothing decided before is lost.
"""

from __future__ import annotations

from typing import Any

from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.domain.errors import ValidationError
from lantern.services.record_lists import ClinicalListsMixin, now_utc, text_field
from lantern.services.roles import require
from lantern.vault.repo import Row

RECORD_KIND = "encounter_assessment"
STATES = ("accepted", "rejected")
ORIGINS = ("suggested", "knowledge_base", "free_text")
_LEGACY_STATE = {"accept": "accepted", "reject": "rejected", "add": "accepted"}


def decision_key(decision: dict) -> str:
    """A decision's identity: its condition id, or its free text (case folded)."""
    cid = decision.get("condition_id")
    return f"id:{cid}" if cid else "text:" + " ".join(str(decision.get("name", "")).split()).casefold()


def _clean_decision(raw: object) -> dict:
    if not isinstance(raw, dict):
        raise ValidationError("A decision must be an object.")
    state, origin = raw.get("state"), raw.get("origin", "suggested")
    if state not in STATES:
        raise ValidationError("A decision is 'accepted' or 'rejected'.")
    if origin not in ORIGINS:
        raise ValidationError("Unknown origin of a diagnosis.")
    cid = raw.get("condition_id")
    if cid is not None and (not isinstance(cid, str) or not cid):
        raise ValidationError("condition_id must be text.")
    if origin == "free_text" and cid is not None:
        raise ValidationError("A free-text diagnosis has no condition id.")
    return {"condition_id": cid,
            "name": text_field(str(raw.get("name") or ""), label="Diagnosis", required=True),
            "name_zh": text_field(str(raw.get("name_zh") or ""), label="Diagnosis (Chinese)"),
            "icd10": text_field(str(raw.get("icd10") or ""), label="ICD-10 code", max_len=10),
            "origin": origin, "state": state}


def accepted_of(record: dict | None) -> list[dict]:
    """The accepted and added diagnoses of a record, in the order they were decided."""
    return [d for d in (record or {}).get("decisions", []) if d.get("state") == "accepted"]


class AssessmentRecordsMixin(ClinicalListsMixin):
    def save_encounter_assessment(self, encounter_id: str, *, decisions: list[dict],
                                  case: dict | None = None, result: dict | None = None,
                                  action: str = "") -> dict:
        """Store the encounter's assessment (``case``: the input it was made on; ``result``:
        what was shown, ``Assessment.to_dict(with_warnings=True)``) and the decisions now in
        force (``[{condition_id, name, name_zh, icd10, origin, state}]``); ``action`` (accept,
        reject, add, undo) names the change for the trail. Returns the stored record."""
        require(self._ctx.user, "assessment.write")
        if not isinstance(decisions, list):
            raise ValidationError("decisions must be a list.")
        cleaned = [_clean_decision(d) for d in decisions]
        if len({decision_key(d) for d in cleaned}) != len(cleaned):
            raise ValidationError("A diagnosis is decided once; the list repeats one.")
        who, when = self._ctx.user.username, now_utc().isoformat(timespec="seconds")
        with self._ctx.writing() as conn:
            patient_id = self._patient_of_encounter(conn, encounter_id)
            row = self._assessment_row(conn, patient_id, encounter_id)
            before = row.payload["payload"] if row is not None else {}
            previous = {decision_key(d): d for d in before.get("decisions", [])}
            trail = list(before.get("trail", []))
            for d in cleaned:
                old = previous.get(decision_key(d))
                if old is not None and old.get("state") == d["state"]:
                    d["by"], d["at"] = old.get("by", ""), old.get("at", "")
                else:
                    d["by"], d["at"] = who, when
                    trail.append({"action": action or d["state"], "key": decision_key(d),
                                  "name": d["name"], "state": d["state"], "by": who, "at": when})
            for key in previous.keys() - {decision_key(d) for d in cleaned}:
                trail.append({"action": "undo", "key": key, "name": previous[key].get("name", ""),
                              "state": "undecided", "by": who, "at": when})
            record = {"kind": RECORD_KIND, "decisions": cleaned, "trail": trail,
                      "case": case if case is not None else before.get("case"),
                      "result": result if result is not None else before.get("result")}
            body = {"payload": record, "author": row.payload.get("author", who) if row else who}
            out_id = self._put_output(conn, "assessments", row=row, patient_id=patient_id,
                                      encounter_id=encounter_id, body=body)
            self._ctx.log_event(conn, "save assessment", patient_id=patient_id, record_id=out_id)
        return {"id": out_id, **record}

    def confirm_diagnoses(self, encounter_id: str, condition_ids: list[str], *,
                          kb: KnowledgeBase | None = None) -> dict:
        """Record knowledge-base conditions as diagnoses the clinician confirmed for the
        encounter (headless entry, e.g. a back-entered register), kept beside any decided
        before, through :meth:`save_encounter_assessment`. An unknown id is a
        ValidationError naming it, and nothing is saved."""
        require(self._ctx.user, "assessment.write")
        kb = kb or load_knowledge()
        unknown = [c for c in condition_ids if c not in kb.conditions]
        if unknown:
            raise ValidationError("Unknown condition id(s): " + ", ".join(
                repr(c[:60]) for c in unknown[:5]) + " (see resources/knowledge/conditions/).")
        current = self.encounter_assessment(encounter_id) or {}
        decisions = [{k: d.get(k) for k in ("condition_id", "name", "name_zh", "icd10", "origin",
                                             "state")} for d in current.get("decisions", [])]
        keys = {decision_key(d) for d in decisions}
        for cid in dict.fromkeys(condition_ids):
            cond = kb.conditions[cid]
            decision = {"condition_id": cid, "name": cond.name_en, "name_zh": cond.name_zh,
                        "icd10": cond.icd10, "origin": "knowledge_base", "state": "accepted"}
            if decision_key(decision) in keys:
                decisions = [decision if decision_key(d) == decision_key(decision) else d
                             for d in decisions]
            else:
                decisions.append(decision)
        return self.save_encounter_assessment(encounter_id, decisions=decisions, action="add")

    def encounter_assessment(self, encounter_id: str) -> dict | None:
        """The encounter's assessment record (see :meth:`save_encounter_assessment`), or
        None when nothing was assessed or decided."""
        require(self._ctx.user, "patient.read")
        with self._ctx.reading() as conn:
            patient_id = self._patient_of_encounter(conn, encounter_id)
            rows, _damaged = self._ctx.repo.for_patient(conn, "assessments", patient_id)
        return record_of([r for r in rows if r.encounter_id == encounter_id])

    def _assessment_row(self, conn: Any, patient_id: str, encounter_id: str) -> Row | None:
        rows, _damaged = self._ctx.repo.for_patient(conn, "assessments", patient_id)
        return _record_row([r for r in rows if r.encounter_id == encounter_id])


def _record_row(rows: list[Row]) -> Row | None:
    mine = [r for r in rows if r.payload.get("payload", {}).get("kind") == RECORD_KIND]
    return max(mine, key=lambda r: r.updated_at) if mine else None


def record_of(rows: list[Row]) -> dict | None:
    """The assessment record of one encounter from its ``assessments`` rows (the newest
    encounter record, else the older one-row-per-decision rows folded), or None. The one
    reading of decisions: the chart, summaries and the reports (issue 17) all use it."""
    row = _record_row(rows)
    if row is not None:
        return {"id": row.id, **row.payload["payload"]}
    return _fold_legacy(rows)


def _fold_legacy(rows: list[Row]) -> dict | None:
    """Rows of one decision each (before the encounter record) as one record."""
    decisions: dict[str, dict] = {}
    trail = []
    for row in sorted(rows, key=lambda r: r.created_at):
        doc = row.payload.get("payload", {})
        state = _LEGACY_STATE.get(str(doc.get("action")))
        if state is None or not doc.get("name"):
            continue
        cid = doc.get("condition_id") or None
        suggested = {s.get("condition_id") for s in doc.get("suggested") or [] if isinstance(s, dict)}
        origin = "suggested" if cid in suggested else ("knowledge_base" if cid else "free_text")
        d = {"condition_id": cid, "name": str(doc["name"]), "name_zh": "", "icd10": "",
             "origin": origin, "state": state, "by": row.payload.get("author", ""),
             "at": row.created_at}
        decisions[decision_key(d)] = d
        trail.append({"action": doc["action"], "key": decision_key(d), "name": d["name"],
                      "state": state, "by": d["by"], "at": d["at"]})
    if not decisions:
        return None
    return {"id": None, "kind": RECORD_KIND, "decisions": list(decisions.values()), "trail": trail,
            "case": None, "result": None}


def chronic_to_offer(assessments: list[dict], problems: list[Any], chronic: frozenset[str]) -> list[dict]:
    """Accepted diagnoses of a patient's encounters (``list_assessments``) that are chronic
    (``KnowledgeBase.chronic``) and not on the active problem list (same ICD-10 code or
    name): ``[{"description", "icd10", "condition_id"}]``, first decided first."""
    active = [p for p in problems if getattr(p, "resolved", None) is None]
    codes = {p.icd10.upper() for p in active if p.icd10}
    names = {" ".join(p.description.split()).casefold() for p in active}
    out: dict[str, dict] = {}
    for item in sorted(assessments, key=lambda a: a.get("created_at") or ""):
        record = item.get("payload") or {}
        if record.get("kind") != RECORD_KIND:
            continue
        for d in accepted_of(record):
            cid = d.get("condition_id")
            if cid not in chronic or cid in out or (d.get("icd10") or "").upper() in codes:
                continue
            if {str(d.get("name", "")).casefold(), str(d.get("name_zh", "")).casefold()} & names:
                continue
            out[cid] = {"description": d["name"], "icd10": d.get("icd10") or "", "condition_id": cid}
    return list(out.values())
