"""Summary drafts in the vault (one encrypted row per encounter, kind and author,
updated in place until signed) and the form vitals in the summary source."""

from __future__ import annotations

import pytest

from lantern.domain.errors import PermissionDenied, ValidationError
from lantern.domain.records import Vitals
from lantern.services.summaries import (
    SummaryService,
    summary_from_payload,
)

NOTE = ("3 yo c/o cough and fever x3d. Chest indrawing present. Allergic to penicillin. "
        "Plan: amoxicillin 250 mg TDS x5d, review in 2 days.")


@pytest.fixture
def rec(session):
    return session.records


@pytest.fixture
def enc(rec):
    patient = rec.add_patient(name="Grace Atieno", sex="female", birth_year=2023)
    return rec.new_encounter(patient.id)


def _draft(text: str, kind: str = "note") -> dict:
    return {"kind": kind, "text": text, "status": "draft", "signed_by": None}


def _rows(session, table: str = "summaries") -> list[tuple]:
    with session.reading() as conn:
        return conn.execute(f"SELECT id, version, data FROM {table}").fetchall()


def _actions(session, record_id: str) -> list[str]:
    return [e.action for e in session.audit.entries(limit=100) if e.record_id == record_id]


def test_a_draft_is_one_row_updated_in_place_and_audited_per_save(session, rec, enc):
    first = rec.save_summary_draft(enc.id, enc.patient_id, _draft("MARKERDRAFT one"))
    second = rec.save_summary_draft(enc.id, enc.patient_id, _draft("MARKERDRAFT one, edited"))
    assert second == first
    [(row_id, version, blob)] = _rows(session)
    assert row_id == first and version == 2
    assert b"MARKERDRAFT" not in blob                       # encrypted like notes
    [stored] = rec.list_summaries(enc.patient_id)
    assert stored["payload"]["text"] == "MARKERDRAFT one, edited"
    assert stored["payload"]["status"] == "draft" and stored["author"] == "admin"
    assert _actions(session, first) == ["save summary draft", "save summary draft"]
    latest = rec.latest_summary_draft(enc.id)
    assert latest["id"] == first and latest["payload"]["text"].endswith("edited")
    assert latest["updated_at"] >= latest["created_at"]


def test_each_kind_has_its_own_draft_and_the_latest_saved_comes_back(rec, enc):
    note_id = rec.save_summary_draft(enc.id, enc.patient_id, _draft("note draft"))
    ref_id = rec.save_summary_draft(enc.id, enc.patient_id, _draft("referral draft", "referral"))
    assert note_id != ref_id
    assert rec.latest_summary_draft(enc.id)["id"] == ref_id
    rec.save_summary_draft(enc.id, enc.patient_id, _draft("note draft, edited"))
    assert rec.latest_summary_draft(enc.id)["id"] == note_id
    other = rec.new_encounter(enc.patient_id)
    assert rec.latest_summary_draft(other.id) is None


def test_signing_takes_over_the_draft_and_later_drafts_never_touch_it(session, rec, enc):
    draft_id = rec.save_summary_draft(enc.id, enc.patient_id, _draft("to be signed"))
    signed = {"kind": "note", "text": "signed text", "status": "signed", "signed_by": "admin"}
    signed_id = rec.save_summary(enc.id, enc.patient_id, signed)
    assert signed_id == draft_id                            # the draft became the signed summary
    assert rec.latest_summary_draft(enc.id) is None
    assert _actions(session, signed_id) == ["save summary", "save summary draft"]

    later = rec.save_summary_draft(enc.id, enc.patient_id, _draft("a new draft"))
    rec.save_summary_draft(enc.id, enc.patient_id, _draft("a new draft, edited"))
    assert later != signed_id
    summaries = {s["id"]: s["payload"] for s in rec.list_summaries(enc.patient_id)}
    assert summaries[signed_id] == signed
    assert summaries[later]["text"] == "a new draft, edited"
    assert rec.latest_summary_draft(enc.id)["id"] == later
    # signing with no draft left stores a new row, as before
    again = rec.save_summary(enc.id, enc.patient_id, {**signed, "kind": "referral"})
    assert again not in (signed_id, later)


def test_a_draft_cannot_carry_a_signature(rec, enc):
    with pytest.raises(ValidationError):
        rec.save_summary_draft(enc.id, enc.patient_id, {"kind": "note", "status": "signed"})
    with pytest.raises(ValidationError):
        rec.save_summary_draft(enc.id, enc.patient_id, {**_draft("x"), "signed_by": "admin"})
    with pytest.raises(ValidationError):
        rec.save_summary_draft(enc.id, enc.patient_id, "not a mapping")
    # a payload without status is a draft
    sid = rec.save_summary_draft(enc.id, enc.patient_id, {"kind": "note", "text": "t"})
    assert rec.latest_summary_draft(enc.id)["id"] == sid


def test_drafts_are_per_user_and_need_the_summary_right(session, rec, enc, unlock):
    mine = rec.save_summary_draft(enc.id, enc.patient_id, _draft("admin's draft"))
    session.users.add_user(username="doc2", role="clinician", passphrase="doctor two pass")
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse pass phrase")
    doc2 = unlock(user="doc2", passphrase="doctor two pass")
    try:
        assert doc2.records.latest_summary_draft(enc.id) is None
        theirs = doc2.records.save_summary_draft(enc.id, enc.patient_id, _draft("doc2's draft"))
        assert theirs != mine
    finally:
        doc2.lock()
    assert rec.latest_summary_draft(enc.id)["payload"]["text"] == "admin's draft"
    nurse = unlock(user="nurse", passphrase="nurse pass phrase")
    try:
        with pytest.raises(PermissionDenied):
            nurse.records.save_summary_draft(enc.id, enc.patient_id, _draft("nurse"))
    finally:
        nurse.lock()


def test_a_stored_payload_rebuilds_the_summary_with_its_sources():
    service = SummaryService()
    summary = service.summarize("note", {"note": NOTE})
    stored = service.store_payload(summary, edited_text="edited")
    assert stored["status"] == "draft" and stored["signed_by"] is None
    rebuilt = summary_from_payload(stored)
    assert rebuilt.kind == "note" and rebuilt.lang == summary.lang
    assert rebuilt.text == summary.text
    assert list(rebuilt.sections) == list(summary.sections)
    assert rebuilt.sources_json() == summary.sources_json()   # spans keep their text
    assert service.store_payload(rebuilt, edited_text="edited")["sources"] == stored["sources"]
    assert summary_from_payload({"kind": "referral", "text": "only text"}).kind == "referral"


def test_form_vitals_reach_the_objective_as_values_and_pass_verification():
    service = SummaryService()
    summary = service.summarize("note", {"note": NOTE, "vitals": {"temp_c": 38.9, "resp_rate": 52}})
    objective = summary.section_text("objective")
    assert "38.9" in objective and "RR 52" in objective        # (a note summary leaves out "/min")
    assert summary.docs[0] == NOTE                              # the note is not extended
    assert "38.9" in summary.docs[1]                            # the typed values' own source
    assert "38.9" not in service.summarize("note", {"note": NOTE}).text
    with pytest.raises(ValidationError):
        service.summarize("note", {"note": NOTE, "vitals": {"temp_c": "hot"}})


def test_a_form_value_the_note_repeats_is_not_shown_twice():
    service = SummaryService()
    summary = service.summarize("note", {"note": "Cough. RR 52, HR 120.", "vitals": Vitals(resp_rate=52, heart_rate=130)})
    objective = summary.section_text("objective")
    assert objective.count("52") == 1 and "120" in objective and "130" in objective


def test_chinese_note_keeps_its_language_and_history_visits_get_their_vitals():
    service = SummaryService()
    zh = "咳嗽三天，发热。诊断：肺炎。计划：阿莫西林 250 mg 每日三次。"
    summary = service.summarize("note", {"note": zh, "vitals": {"temp_c": 38.9, "resp_rate": 52}})
    assert summary.lang == "zh" and "38.9" in summary.section_text("objective")
    history = service.summarize("history", {"notes": [
        {"date": "2025-01-01", "text": "Review. BP 150/95.", "vitals": {}},
        {"date": "2025-02-01", "text": "Review.", "vitals": {"sbp": 140, "dbp": 90}},
    ]})
    assert "140/90" in history.text and "150/95" in history.text
