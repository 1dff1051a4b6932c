"""A record that cannot be read stands in its patient's lists as an UnreadableRecord:
never dropped, never "none recorded". Damage is made in the real vault file with
sqlite3 (a flipped byte, data swapped between rows), as anyone with the file could."""

from __future__ import annotations

import pytest
from tests.unit.vault_edits import delete_row, flip_byte, swap_data

from lantern.domain.records import Allergy, Encounter, UnreadableRecord, Vitals


@pytest.fixture
def chart(session):
    rec = session.records
    p = rec.add_patient(name="Amina Yusuf", sex="female", birth_year=2019)
    other = rec.add_patient(name="Other Person", sex="male", birth_year=1980)
    items = {
        "pen": rec.add_allergy(p.id, substance="Penicillin", reaction="anaphylaxis", severity="severe"),
        "sulfa": rec.add_allergy(p.id, substance="Sulfa", reaction="rash"),
        "med": rec.add_medication(p.id, name="Amoxicillin", dose="250 mg"),
        "med2": rec.add_medication(p.id, name="Paracetamol", dose="250 mg"),
        "prob": rec.add_problem(p.id, description="Asthma"),
        "enc": rec.new_encounter(p.id),
    }
    rec.save_draft(items["enc"].id, note="Cough for 3 days.", vitals=Vitals(temp_c=37.9))
    items["enc2"] = rec.new_encounter(p.id)
    items["assessment"] = rec.save_assessment(items["enc"].id, {"triage": "routine"})
    items["summary"] = rec.save_summary(items["enc"].id, p.id, {"kind": "note", "text": "Cough."})
    return p, other, items


def _unreadable(items):
    return [i for i in items if isinstance(i, UnreadableRecord)]


def test_a_flipped_byte_in_an_allergy_stands_first_in_the_list(session, chart, vault_file):
    p, _other, items = chart
    flip_byte(vault_file, "allergies", items["pen"].id)
    listed = session.records.list_allergies(p.id)
    assert listed[0] == UnreadableRecord(table="allergies", id=items["pen"].id, patient_id=p.id,
                                         kind="damaged")
    assert [a.substance for a in listed[1:]] == ["Sulfa"]          # the intact one still reads
    assert "Penicillin" not in repr(listed[0]) and listed[0].ref == f"allergies/{items['pen'].id}"


def test_the_only_allergy_damaged_gives_a_list_that_is_not_empty(session, vault_file):
    rec = session.records
    p = rec.add_patient(name="Li Wei", sex="male", birth_year=1990)
    allergy = rec.add_allergy(p.id, substance="Penicillin")
    assert rec.list_allergies(p.id) == [allergy]
    flip_byte(vault_file, "allergies", allergy.id)
    assert rec.list_allergies(p.id) == [UnreadableRecord("allergies", allergy.id, p.id)]


def test_data_swapped_between_rows_damages_both(session, chart, vault_file):
    p, _other, items = chart
    swap_data(vault_file, "allergies", items["pen"].id, items["sulfa"].id)
    swap_data(vault_file, "medications", items["med"].id, items["med2"].id)
    assert {u.id for u in session.records.list_allergies(p.id)} == {items["pen"].id, items["sulfa"].id}
    assert all(isinstance(a, UnreadableRecord) for a in session.records.list_allergies(p.id))
    assert {u.id for u in _unreadable(session.records.list_medications(p.id))} == {
        items["med"].id, items["med2"].id}


@pytest.mark.parametrize("table, key, lister", [
    ("medications", "med", "list_medications"), ("problems", "prob", "list_problems"),
    ("encounters", "enc", "list_encounters"), ("assessments", "assessment", "list_assessments"),
    ("summaries", "summary", "list_summaries")])
def test_every_list_carries_its_damaged_rows(session, chart, vault_file, table, key, lister):
    p, other, items = chart
    item = items[key]
    row_id = item if isinstance(item, str) else item.id
    before = getattr(session.records, lister)(p.id)
    flip_byte(vault_file, table, row_id)
    after = getattr(session.records, lister)(p.id)
    assert len(after) == len(before)                              # nothing left out
    assert after[0] == UnreadableRecord(table=table, id=row_id, patient_id=p.id)
    assert _unreadable(after[1:]) == []
    assert getattr(session.records, lister)(other.id) == []       # another patient's list is untouched
    assert (table, row_id) in session.records.damaged_records()


def test_a_damaged_note_keeps_its_place_and_the_others_read(session, chart, vault_file):
    p, _other, items = chart
    flip_byte(vault_file, "encounters", items["enc"].id)
    listed = session.records.list_encounters(p.id)
    assert [type(e) for e in listed] == [UnreadableRecord, Encounter]
    assert listed[1].id == items["enc2"].id


def test_a_removed_allergy_is_not_listed_and_an_empty_list_stays_empty(session, chart):
    p, other, items = chart
    session.records.remove_allergy(items["sulfa"].id)
    assert [a.substance for a in session.records.list_allergies(p.id) if isinstance(a, Allergy)] == [
        "Penicillin"]
    assert session.records.list_allergies(other.id) == []


def test_missing_records_from_the_vault_state_join_their_patients_lists(session, chart, vault_file):
    p, other, items = chart
    delete_row(vault_file, "allergies", items["pen"].id)
    assert [a.substance for a in session.records.list_allergies(p.id)] == ["Sulfa"]  # nothing knows yet
    gone = UnreadableRecord("allergies", items["pen"].id, p.id, kind="missing")
    present = UnreadableRecord("allergies", items["sulfa"].id, p.id, kind="missing")  # a stale report
    session.records.note_missing(records=[gone, present, UnreadableRecord("problems", "PX", None, "missing")])
    listed = session.records.list_allergies(p.id)
    assert listed[0] == gone and len(listed) == 2 and isinstance(listed[1], Allergy)
    assert session.records.list_allergies(other.id) == []
    assert _unreadable(session.records.list_problems(p.id)) == []  # no patient: the vault banner's job
    session.records.note_missing(records=[])
    assert _unreadable(session.records.list_allergies(p.id)) == []


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        UnreadableRecord("allergies", "A1", "P1", kind="gone")
