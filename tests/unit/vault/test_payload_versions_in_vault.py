"""Payload versions in a real vault file, through the services: what each kind of
record stores, and a record from a newer Lantern refused by name."""

from __future__ import annotations

from datetime import date

import pytest
from raw_vault import overwrite_payload, stored_payloads

from lantern.domain.errors import PayloadTooNew
from lantern.domain.records import Vitals
from lantern.services.session import VaultSession

ADMIN_PASS = "admin passphrase 1"   # tests/unit/conftest.py


def payloads(vault_file) -> dict:
    return stored_payloads(vault_file, username="admin", passphrase=ADMIN_PASS)


def test_every_kind_is_stored_with_the_current_version(session, vault_file):
    rec = session.records
    p = rec.add_patient(name="Amina Yusuf", sex="female", birth_year=1990, village="Kibera")
    enc = rec.new_encounter(p.id)
    rec.save_draft(enc.id, note="Cough.", vitals=Vitals(temp_c=38.2), pregnant=True)
    allergy = rec.add_allergy(p.id, substance="penicillin", reaction="rash", severity="severe")
    med = rec.add_medication(p.id, name="ORS", started=date(2026, 1, 10))
    prob = rec.add_problem(p.id, description="Asthma")
    aid = rec.save_assessment(enc.id, {"action": "accept", "condition_id": "asthma"})
    sid = rec.save_summary_draft(enc.id, p.id, {"kind": "note", "text": "S: cough"})
    stored = payloads(vault_file)
    assert stored["patients", p.id] == {"_v": 3, "name": "Amina Yusuf", "sex": "female",
                                        "birth_date": None, "birth_year": 1990,
                                        "village": "Kibera", "phone": "", "caregiver_name": "",
                                        "caregiver_relation": "", "caregiver_phone": "",
                                        "merged_into": "", "merged_records": []}
    assert stored["encounters", enc.id] == {
        "_v": 4, "author": "admin", "note": "Cough.", "vitals": {"temp_c": 38.2},
        "pregnant": True, "status": "draft", "signed_by": None, "signed_at": None,
        "amendments": [], "holder": "admin", "handovers": [], "orders": []}
    assert stored["allergies", allergy.id] == {"_v": 2, "substance": "penicillin",
                                               "reaction": "rash", "severity": "severe"}
    assert stored["medications", med.id] == {"_v": 2, "name": "ORS", "dose": "", "route": "",
                                             "frequency": "", "started": "2026-01-10",
                                             "stopped": None}
    assert stored["problems", prob.id] == {"_v": 2, "description": "Asthma", "icd10": "",
                                           "onset": None, "resolved": None}
    assert stored["assessments", aid] == {"_v": 2, "author": "admin", "payload": {
        "action": "accept", "condition_id": "asthma"}}
    assert stored["summaries", sid] == {"_v": 2, "author": "admin", "payload": {
        "kind": "note", "text": "S: cough", "status": "draft"}}
    # what the services hand out never shows the version key
    assert "_v" not in rec.list_summaries(p.id)[0] and "_v" not in rec.list_assessments(p.id)[0]
    assert "_v" not in rec.latest_summary_draft(enc.id)


def test_a_record_from_a_newer_lantern_is_refused_by_name(created, data_dir, vault_file, unlock):
    session = created[0]
    p = session.records.add_patient(name="Amina Yusuf", sex="female")
    enc = session.records.new_encounter(p.id)
    session.lock()
    newer = {**payloads(vault_file)["encounters", enc.id], "_v": 5, "note_blocks": ["Cough."]}
    overwrite_payload(vault_file, username="admin", passphrase=ADMIN_PASS, table="encounters",
                      row_id=enc.id, payload=newer)
    session = unlock()
    try:
        with pytest.raises(PayloadTooNew, match=f"encounters/{enc.id}.*Update Lantern"):
            session.records.get_encounter(enc.id)
        with pytest.raises(PayloadTooNew, match=f"encounters/{enc.id}"):
            session.records.list_encounters(p.id)       # never a list that silently lacks it
        with pytest.raises(PayloadTooNew):
            session.records.save_draft(enc.id, note="overwrite?", vitals=Vitals())
        assert session.records.get_patient(p.id).name == "Amina Yusuf"   # the rest works
    finally:
        session.lock()
    assert payloads(vault_file)["encounters", enc.id] == newer     # nothing was rewritten


def test_a_patient_from_a_newer_lantern_stops_the_unlock_with_its_name(created, vault_file,
                                                                        data_dir):
    session = created[0]
    p = session.records.add_patient(name="Amina Yusuf", sex="female")
    session.lock()
    overwrite_payload(vault_file, username="admin", passphrase=ADMIN_PASS, table="patients",
                      row_id=p.id, payload={**payloads(vault_file)["patients", p.id], "_v": 9})
    with pytest.raises(PayloadTooNew, match=f"patients/{p.id}"):
        VaultSession.unlock(data_dir, username="admin", passphrase=ADMIN_PASS,
                            sleep=lambda s: None)
