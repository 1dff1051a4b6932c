"""The vault saved by the services of 5e68646, the last Lantern whose payloads had
no format version (``tests/data/vaults/make_vaults.py --app``): every record
reads back through today's services with its values, and a record is rewritten
in the current format only when it is saved again."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from raw_vault import stored_payloads

from lantern.domain.records import NoteStatus, Sex, Vitals
from lantern.services.codec import PAYLOAD_FORMATS
from lantern.services.session import VaultSession
from lantern.vault.store import vault_path

SAVED = Path(__file__).parents[2] / "data" / "vaults" / "schema-v3-app-5e68646.db"
USER, PASSPHRASE = "appadmin", "app vault passphrase"
SIGNED_NOTE = "Cough for 3 days, no fever. Plan: fluids, review in 1 week."


@pytest.fixture
def vault(data_dir) -> Path:
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED, vault_path(data_dir))
    return vault_path(data_dir)


@pytest.fixture
def app(vault, data_dir):
    session = VaultSession.unlock(data_dir, username=USER, passphrase=PASSPHRASE,
                                  sleep=lambda s: None)
    yield session
    session.lock()


def raw(vault: Path) -> dict:
    return stored_payloads(vault, username=USER, passphrase=PASSPHRASE)


def patient_id(session, query: str) -> str:
    [hit] = session.records.search_patients(query)
    return hit.id


def test_the_saved_file_holds_every_kind_of_record_without_a_version(vault):
    stored = raw(vault)
    counts: dict[str, int] = {}
    for table, _id in stored:
        counts[table] = counts.get(table, 0) + 1
    assert counts == {"patients": 3, "encounters": 3, "allergies": 3, "medications": 2,
                      "problems": 2, "assessments": 1, "summaries": 2}
    assert not [key for key, payload in stored.items() if "_v" in payload]


def test_every_record_reads_back_with_its_values(app):
    rec = app.records
    amina, li = patient_id(app, "amina"), patient_id(app, "李小梅")
    baraka = patient_id(app, "baraka")
    p = rec.get_patient(amina)
    assert (p.name, p.sex, p.birth_date, p.birth_year, p.village, p.phone) == (
        "Amina Old", Sex.FEMALE, None, 1988, "Old Village", "0712 000 111")
    p = rec.get_patient(li)
    assert (p.name, p.birth_date, p.birth_year, p.village, p.phone) == (
        "李小梅", date(2019, 4, 1), None, "", "")
    p = rec.get_patient(baraka)
    assert (p.name, p.sex, p.birth_year, p.village, p.version) == (
        "Baraka Newname", Sex.MALE, 1950, "Hill", 2)

    [signed] = rec.list_encounters(amina)
    assert (signed.note, signed.status, signed.author, signed.signed_by, signed.pregnant) == (
        SIGNED_NOTE, NoteStatus.SIGNED, USER, USER, True)
    assert signed.vitals == Vitals(temp_c=36.8, heart_rate=80, resp_rate=16, sbp=118, dbp=76)
    assert signed.signed_at is not None and signed.version == 4
    [amendment] = signed.amendments
    assert (amendment.author, amendment.text) == (USER, "Review moved to 5 days.")
    [draft] = rec.list_encounters(li)
    assert (draft.note, draft.status, draft.pregnant, draft.signed_by) == (
        "发热两天，咳嗽。", NoteStatus.DRAFT, False, None)
    assert draft.vitals == Vitals(temp_c=38.9, spo2=95, weight_kg=14.5)
    [empty] = rec.list_encounters(baraka)
    assert (empty.note, empty.vitals, empty.amendments) == ("", Vitals(), ())

    [allergy] = rec.list_allergies(amina)            # the sulfa entry was removed in error
    assert (allergy.substance, allergy.reaction, allergy.severity) == (
        "penicillin", "rash", "severe")
    [allergy] = rec.list_allergies(li)
    assert (allergy.substance, allergy.reaction, allergy.severity) == ("peanuts", "", "")

    meds = {m.name: m for m in rec.list_medications(amina)}
    amox, para = meds["amoxicillin"], meds["paracetamol"]
    assert (amox.dose, amox.route, amox.frequency, amox.started, amox.active) == (
        "500 mg", "oral", "three times a day", date(2026, 1, 10), True)
    assert (para.dose, para.started, para.stopped) == ("", date(2026, 1, 2), date(2026, 1, 5))
    problems = {pr.description: pr for pr in rec.list_problems(amina)}
    assert (problems["Hypertension"].icd10, problems["Hypertension"].onset,
            problems["Hypertension"].resolved) == ("I10", date(2025, 6, 1), None)
    assert (problems["Malaria"].onset, problems["Malaria"].resolved) == (None, date(2026, 1, 20))

    [assessment] = rec.list_assessments(amina)
    assert assessment["encounter_id"] == signed.id and assessment["author"] == USER
    assert assessment["payload"]["condition_id"] == "common_cold"
    assert assessment["payload"]["suggested"][0]["score"] == 0.61
    [summary] = rec.list_summaries(amina)
    assert (summary["author"], summary["payload"]["kind"], summary["payload"]["status"],
            summary["payload"]["signed_by"]) == (USER, "note", "signed", USER)
    assert "Plan: fluids, review in 1 week." in summary["payload"]["text"]
    referral = rec.latest_summary_draft(draft.id)
    assert referral["payload"]["kind"] == "referral" and referral["payload"]["lang"] == "zh"
    assert referral["payload"]["status"] == "draft" and "发热两天" in referral["payload"]["text"]
    assert rec.latest_summary_draft(signed.id) is None     # a signed summary is no draft

    assert rec.damaged_records() == []
    assert app.integrity_problems() == [] and app.audit.verify().ok


def test_records_are_rewritten_in_the_current_format_only_when_saved(app, vault):
    rec = app.records
    amina, li = patient_id(app, "amina"), patient_id(app, "李小梅")
    before = raw(vault)
    patient = rec.get_patient(li)
    rec.update_patient(patient)
    [signed] = rec.list_encounters(amina)
    rec.amend_encounter(signed.id, "Seen again: better.")
    [draft] = rec.list_encounters(li)
    rec.save_draft(draft.id, note=draft.note, vitals=draft.vitals)
    [peanuts] = rec.list_allergies(li)
    rec.remove_allergy(peanuts.id)
    amox = next(m for m in rec.list_medications(amina) if m.name == "amoxicillin")
    rec.stop_medication(amox.id, stopped=date(2026, 2, 1))
    htn = next(pr for pr in rec.list_problems(amina) if pr.description == "Hypertension")
    rec.resolve_problem(htn.id, resolved=date(2026, 2, 2))
    referral = rec.latest_summary_draft(draft.id)
    rec.save_summary_draft(draft.id, li, {**referral["payload"], "text": "edited"})
    resaved = {("patients", li), ("encounters", signed.id), ("encounters", draft.id),
               ("allergies", peanuts.id), ("medications", amox.id), ("problems", htn.id),
               ("summaries", referral["id"])}

    after = raw(vault)
    assert {key for key, payload in after.items()
            if payload.get("_v") == PAYLOAD_FORMATS[key[0]].current} == resaved
    for key in set(before) - resaved:
        assert after[key] == before[key], key                      # lazy: the rest untouched
    # the rewritten rows hold what the old ones held, made explicit, plus the change
    assert after["patients", li] == {**before["patients", li], "_v": 3, "caregiver_name": "",
                                     "caregiver_relation": "", "caregiver_phone": "",
                                     "merged_into": "", "merged_records": []}
    assert after["encounters", draft.id] == {**before["encounters", draft.id], "_v": 4,
                                             "holder": USER, "handovers": [], "orders": []}
    assert after["encounters", signed.id]["amendments"][1]["text"] == "Seen again: better."
    assert after["allergies", peanuts.id] == {**before["allergies", peanuts.id], "_v": 2,
                                              "removed_at": after["allergies", peanuts.id][
                                                  "removed_at"], "removed_by": USER}

    assert rec.get_patient(li).birth_date == date(2019, 4, 1)
    assert rec.list_allergies(li) == []
    assert rec.get_encounter(signed.id).pregnant is True
    assert rec.latest_summary_draft(draft.id)["payload"]["text"] == "edited"
    assert rec.damaged_records() == [] and app.audit.verify().ok


def test_the_saved_file_itself_is_never_touched(app):
    original = SAVED.read_bytes()
    app.records.add_patient(name="New Person", sex="male")
    assert SAVED.read_bytes() == original
