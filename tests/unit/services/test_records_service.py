from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from lantern.domain.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from lantern.domain.records import NoteStatus, Patient, Sex, Vitals
from lantern.services import codec


@pytest.fixture
def rec(session):
    return session.records


@pytest.fixture
def people(rec):
    return {
        "amina": rec.add_patient(name="Amina Yusuf", sex="female", birth_year=1990,
                                 village="Kibera", phone="0712 345 678"),
        "john": rec.add_patient(name="John Mwangi", sex=Sex.MALE,
                                birth_date=date(2019, 4, 1), village="Nyeri", phone="0722111222"),
        "li": rec.add_patient(name="李小梅", sex="female", village="高山村", phone="+86 138 0000 1111"),
        "ami": rec.add_patient(name="Tami Amison", sex="female", village="Kiberani"),
    }


def names(results):
    return [r.name for r in results]


@pytest.mark.parametrize(("query", "expected"), [
    ("amina", ["Amina Yusuf"]),
    ("AMI", ["Amina Yusuf", "Tami Amison"]),  # name prefix first, then the rest
    ("mwan", ["John Mwangi"]),
    ("kibera", ["Amina Yusuf", "Tami Amison"]),
    ("nyeri john", ["John Mwangi"]),
    ("345678", ["Amina Yusuf"]),       # digits match across spaces in the phone
    ("0722", ["John Mwangi"]),
    ("小梅", ["李小梅"]),
    ("高山", ["李小梅"]),
    ("zzz", []),
])
def test_search_is_partial_and_case_insensitive(rec, people, query, expected):
    assert names(rec.search_patients(query)) == expected


def test_search_by_id_and_empty_query(rec, people):
    pid = people["john"].id
    assert rec.search_patients(pid.lower())[0].id == pid
    assert names(rec.search_patients("")) == sorted(names(rec.search_patients("")), key=str.casefold)
    assert len(rec.search_patients("", limit=2)) == 2


def test_summary_fields(rec, people):
    [hit] = rec.search_patients("amina")
    assert hit.sex is Sex.FEMALE and hit.village == "Kibera" and hit.phone == "0712 345 678"
    assert hit.age_years == date.today().year - 1990


def test_update_patient_updates_index_and_checks_version(rec, people):
    amina = people["amina"]
    moved = rec.update_patient(dataclasses.replace(amina, village="Mathare"))
    assert moved.version == amina.version + 1
    assert names(rec.search_patients("mathare")) == ["Amina Yusuf"]
    assert "Amina Yusuf" not in names(rec.search_patients("kibera"))
    with pytest.raises(ConflictError):
        rec.update_patient(dataclasses.replace(amina, phone="1"))  # stale version
    assert rec.get_patient(amina.id).village == "Mathare"


def test_add_patient_validates(rec):
    with pytest.raises(ValidationError):
        rec.add_patient(name="  ", sex="female")
    with pytest.raises(ValidationError):
        rec.add_patient(name="X", sex="other")
    with pytest.raises(ValidationError):
        rec.add_patient(name="X", sex="male", birth_year=1800)
    with pytest.raises(ValidationError):
        rec.add_patient(name="X", sex="male", birth_date=date(2999, 1, 1))


def test_get_patient_is_audited(session, rec, people):
    rec.get_patient(people["li"].id)
    last = session.audit.entries(1)[0]
    assert (last.action, last.patient_id) == ("view patient", people["li"].id)
    with pytest.raises(NotFound):
        rec.get_patient("PNOSUCH")


def test_encounter_draft_sign_amend(rec, people):
    pid = people["john"].id
    enc = rec.new_encounter(pid)
    assert enc.status is NoteStatus.DRAFT and enc.author == "admin"
    enc = rec.save_draft(enc.id, note="Fever 2 days", vitals=Vitals(temp_c=38.9, heart_rate=130))
    enc = rec.save_draft(enc.id, note="Fever 2 days, cough", vitals=Vitals(temp_c=38.9))
    assert enc.version == 3
    signed = rec.sign_encounter(enc.id)
    assert signed.status is NoteStatus.SIGNED and signed.signed_by == "admin" and signed.signed_at
    with pytest.raises(ValidationError, match="signed"):
        rec.save_draft(enc.id, note="silently changed", vitals=Vitals())
    with pytest.raises(ValidationError):
        rec.sign_encounter(enc.id)
    amended = rec.amend_encounter(enc.id, "Mother reports rash since yesterday")
    amended = rec.amend_encounter(enc.id, "Second amendment")
    assert amended.note == "Fever 2 days, cough"
    assert [a.text for a in amended.amendments] == ["Mother reports rash since yesterday",
                                                    "Second amendment"]
    assert rec.get_encounter(enc.id) == amended


def test_drafts_cannot_be_amended_and_signing_checks_vitals(rec, people):
    enc = rec.new_encounter(people["john"].id)
    with pytest.raises(ValidationError):
        rec.amend_encounter(enc.id, "x")
    rec.save_draft(enc.id, note="typing", vitals=Vitals(temp_c=98.6))  # drafts keep anything
    with pytest.raises(ValidationError, match="Temperature"):
        rec.sign_encounter(enc.id)
    rec.save_draft(enc.id, note="", vitals=Vitals(temp_c=37))
    with pytest.raises(ValidationError, match="empty"):
        rec.sign_encounter(enc.id)


def test_encounters_listed_newest_first(rec, people):
    pid = people["amina"].id
    ids = [rec.new_encounter(pid).id for _ in range(3)]
    assert [e.id for e in rec.list_encounters(pid)] == ids[::-1]
    with pytest.raises(NotFound):
        rec.new_encounter("PNOSUCH")


def test_allergies_medications_problems(rec, people):
    pid = people["amina"].id
    a = rec.add_allergy(pid, substance="Penicillin", reaction="rash", severity="severe")
    rec.add_allergy(pid, substance="Sulfa")
    assert [x.substance for x in rec.list_allergies(pid)] == ["Sulfa", "Penicillin"]
    rec.remove_allergy(a.id)
    assert [x.substance for x in rec.list_allergies(pid)] == ["Sulfa"]
    with pytest.raises(ValidationError):
        rec.add_allergy(pid, substance="X", severity="deadly")

    m = rec.add_medication(pid, name="Amoxicillin", dose="500 mg", frequency="tds")
    assert m.active and m.started == date.today()
    stopped = rec.stop_medication(m.id, stopped=date(2026, 1, 2))
    assert not stopped.active and rec.list_medications(pid)[0].stopped == date(2026, 1, 2)

    pr = rec.add_problem(pid, description="Hypertension", icd10="I10")
    rec.resolve_problem(pr.id)
    [problem] = rec.list_problems(pid)
    assert problem.icd10 == "I10" and problem.resolved == date.today()


def test_assessments_and_summaries(rec, people):
    pid = people["li"].id
    enc = rec.new_encounter(pid)
    aid = rec.save_assessment(enc.id, {"suggested": ["malaria"], "chosen": "malaria"})
    sid = rec.save_summary(enc.id, pid, {"text": "Stable", "model_sha256": "abc"})
    sid2 = rec.save_summary(None, pid, {"text": "Overall"})
    [assessment] = rec.list_assessments(pid)
    assert assessment["id"] == aid and assessment["payload"]["chosen"] == "malaria"
    assert assessment["author"] == "admin" and assessment["encounter_id"] == enc.id
    summaries = {s["id"]: s for s in rec.list_summaries(pid)}
    assert set(summaries) == {sid, sid2} and summaries[sid2]["encounter_id"] is None


def test_other_clinician_cannot_edit_or_sign_my_draft(session, rec, people, unlock):
    session.users.add_user(username="doc2", role="clinician", passphrase="doctor two pass")
    enc = rec.new_encounter(people["amina"].id)
    doc2 = unlock(user="doc2", passphrase="doctor two pass")
    try:
        with pytest.raises(PermissionDenied):
            doc2.records.save_draft(enc.id, note="mine now", vitals=Vitals())
        with pytest.raises(PermissionDenied):
            doc2.records.sign_encounter(enc.id)
    finally:
        doc2.lock()


def test_bulk_insert_is_admin_only_audited_and_indexed(session, unlock):
    rows = [{"id": f"PBULK{i:04d}", "payload": codec.patient_payload(Patient(
        id="", name=f"Bulk {i}", sex=Sex.MALE, birth_year=2000, village="Bulkton"))}
            for i in range(300)]
    assert session.bulk_insert("patients", iter(rows)) == 300
    assert len(session.records.search_patients("bulkton", limit=1000)) == 300
    assert session.audit.entries(1)[0].detail == "patients: 300"
    assert session.records.get_patient("PBULK0042").name == "Bulk 42"
    session.users.add_user(username="doc", role="clinician", passphrase="doctor passphrase")
    doc = unlock(user="doc", passphrase="doctor passphrase")
    try:
        with pytest.raises(PermissionDenied):
            doc.bulk_insert("patients", [])
    finally:
        doc.lock()


def test_search_while_adding_from_other_threads(rec, people):
    import threading

    errors = []

    def add():
        try:
            for i in range(60):
                rec.add_patient(name=f"Thread {i}", sex="female")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    worker = threading.Thread(target=add)
    worker.start()
    while worker.is_alive():
        rec.search_patients("thread")
        rec.search_patients("")
    worker.join()
    assert errors == []
    assert len(rec.search_patients("thread")) == 60


def test_pregnancy_flag_is_kept_with_the_encounter(rec, people):
    enc = rec.new_encounter(people["amina"].id)
    assert enc.pregnant is False
    rec.save_draft(enc.id, note="ANC visit", vitals=Vitals(sbp=150, dbp=100), pregnant=True)
    # a later save that does not mention pregnancy keeps what was recorded
    rec.save_draft(enc.id, note="ANC visit, headache", vitals=Vitals(sbp=150, dbp=100))
    (stored,) = [e for e in rec.list_encounters(people["amina"].id) if e.id == enc.id]
    assert stored.pregnant is True and stored.note.endswith("headache")
    rec.save_draft(enc.id, note="not pregnant after all", vitals=Vitals(), pregnant=False)
    (stored,) = [e for e in rec.list_encounters(people["amina"].id) if e.id == enc.id]
    assert stored.pregnant is False
