"""The encounter's assessment record in the real vault: one record per encounter,
decisions stamped with who and when by the service, a trail of every change, and
older one-row-per-decision vaults folded into the same shape."""

from __future__ import annotations

import pytest

from lantern.domain.errors import PermissionDenied, ValidationError

PNEUMONIA = {"condition_id": "pneumonia", "name": "Pneumonia", "name_zh": "肺炎", "icd10": "J18.9",
             "origin": "suggested", "state": "accepted"}


@pytest.fixture
def enc(session):
    p = session.records.add_patient(name="Amina Yusuf", sex="female", birth_year=1990)
    return session.records.new_encounter(p.id)


def test_one_record_per_encounter_with_trail_and_stamps(session, enc):
    rec = session.records
    case = {"note": "cough", "vitals": {}, "age_years": 30, "sex": "female", "pregnant": False}
    rec.save_encounter_assessment(enc.id, decisions=[PNEUMONIA], case=case, result={"triage": "routine"},
                                  action="accept")
    free = {"condition_id": None, "name": "Sickle cell trait", "origin": "free_text", "state": "accepted",
            "by": "someone else", "at": "1999-01-01"}
    stored = rec.save_encounter_assessment(enc.id, decisions=[PNEUMONIA, free], action="add")
    assert [a["encounter_id"] for a in rec.list_assessments(enc.patient_id)] == [enc.id]
    again = rec.encounter_assessment(enc.id)
    assert again == stored
    assert again["case"] == case and again["result"] == {"triage": "routine"}   # kept from before
    assert [d["by"] for d in again["decisions"]] == ["admin", "admin"]          # never the caller's
    assert again["decisions"][1]["at"] != "1999-01-01"
    rec.save_encounter_assessment(enc.id, decisions=[free], action="undo")
    trail = rec.encounter_assessment(enc.id)["trail"]
    assert [(t["action"], t["name"]) for t in trail] == [
        ("accept", "Pneumonia"), ("add", "Sickle cell trait"), ("undo", "Pneumonia")]
    assert [e.action for e in session.audit.entries(3)] == ["save assessment"] * 3


def test_bad_decisions_are_refused_with_a_message(session, enc):
    for bad in ([{**PNEUMONIA, "state": "maybe"}], [PNEUMONIA, PNEUMONIA],
                [{**PNEUMONIA, "name": ""}], [{**PNEUMONIA, "origin": "free_text"}], "x"):
        with pytest.raises(ValidationError):
            session.records.save_encounter_assessment(enc.id, decisions=bad)
    assert session.records.encounter_assessment(enc.id) is None


def test_legacy_rows_fold_into_decisions(session, enc):
    rec = session.records
    suggested = [{"condition_id": "malaria_uncomplicated", "name": "Malaria", "score": 0.6}]
    rec.save_assessment(enc.id, {"action": "accept", "condition_id": "malaria_uncomplicated",
                                 "name": "Malaria", "suggested": suggested})
    rec.save_assessment(enc.id, {"action": "add", "condition_id": None, "name": "Anaemia, mild",
                                 "suggested": suggested})
    record = rec.encounter_assessment(enc.id)
    assert [(d["condition_id"], d["origin"], d["state"]) for d in record["decisions"]] == [
        ("malaria_uncomplicated", "suggested", "accepted"), (None, "free_text", "accepted")]


def test_assistants_cannot_decide(session, enc, unlock):
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase")
    nurse = unlock(user="nurse", passphrase="nurse passphrase")
    try:
        with pytest.raises(PermissionDenied):
            nurse.records.save_encounter_assessment(enc.id, decisions=[PNEUMONIA])
        assert nurse.records.encounter_assessment(enc.id) is None
    finally:
        nurse.lock()


def test_chronic_offers_leave_out_acute_and_listed_problems(session, enc):
    from datetime import date

    from lantern.clinical.knowledge import load_knowledge
    from lantern.services.assessment_records import chronic_to_offer

    rec, kb = session.records, load_knowledge()
    htn = {"condition_id": "hypertension", "name": "Hypertension", "name_zh": "高血压", "icd10": "I10",
           "origin": "knowledge_base", "state": "accepted"}
    dm = {"condition_id": "diabetes_mellitus", "name": "Diabetes mellitus", "icd10": "E11.9",
          "origin": "knowledge_base", "state": "rejected"}
    rec.save_encounter_assessment(enc.id, decisions=[PNEUMONIA, htn, dm])
    offers = lambda: chronic_to_offer(rec.list_assessments(enc.patient_id),   # noqa: E731
                                      rec.list_problems(enc.patient_id), kb.chronic)
    assert offers() == [{"description": "Hypertension", "icd10": "I10", "condition_id": "hypertension"}]
    old = rec.add_problem(enc.patient_id, description="高血压")
    assert offers() == []                                  # already listed (by its Chinese name)
    rec.resolve_problem(old.id, resolved=date(2020, 1, 1))
    assert len(offers()) == 1                              # a resolved entry does not count
