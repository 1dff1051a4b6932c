"""Registration (issue 16 item 3): possible duplicates, caregivers, admin merge/unmerge,
on the real vault file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lantern.domain.errors import PermissionDenied, PossibleDuplicate, ValidationError
from lantern.domain.records import Caregiver, Patient, Sex, Vitals
from lantern.services.duplicates import match_keys, names_similar

THIS_YEAR = date.today().year


@pytest.fixture
def rec(session):
    return session.records


@pytest.fixture
def mary(rec):
    return rec.add_patient(name="Mary Phiri", sex="female", birth_year=THIS_YEAR - 26,
                           village="Nakonde", phone="0977 123456")


def candidate_ids(exc_info):
    return [c.summary.id for c in exc_info.value.candidates]


def test_the_issues_case_registering_mary_phiri_again_is_refused_with_her_as_candidate(rec, mary):
    with pytest.raises(PossibleDuplicate) as exc:
        rec.add_patient(name="Mary Phiri", sex="female", birth_year=THIS_YEAR - 26,
                        village="Nakonde")
    assert candidate_ids(exc) == [mary.id]
    assert mary.id in str(exc.value) and "Phiri" not in str(exc.value)   # ids only
    assert [p.id for p in rec.search_patients("phiri")] == [mary.id]       # nothing saved
    candidate = exc.value.candidates[0]
    assert (candidate.summary.village, candidate.summary.phone, candidate.last_visit) == \
        ("Nakonde", "0977 123456", None)


def test_a_candidate_shows_the_last_visit(rec, mary):
    enc = rec.new_encounter(mary.id)
    rec.save_draft(enc.id, note="Cough.", vitals=Vitals())
    with pytest.raises(PossibleDuplicate) as exc:
        rec.add_patient(name="Mary Phiri", sex="female", birth_year=THIS_YEAR - 26,
                        village="Nakonde")
    assert exc.value.candidates[0].last_visit == enc.created_at


@pytest.mark.parametrize(("name", "year_offset", "village", "phone"), [
    ("Mari Firi", 0, "Nakonde", ""),           # spelling fold (y/i, ph/f)
    ("Marry Phiri", 1, "nakonde ", ""),        # doubled letter, birth year + 1, case/space
    ("Phiri Mary", -1, "", "+260 977 123456"),  # order, birth year - 1, same phone
    ("Mary Phira", 0, "Nakondi", ""),          # one edit in the surname and the village
    ("Mary Chanda Phiri", 0, "Nakonde", ""),   # a middle name
])
def test_english_misspellings_and_variants_find_her(rec, mary, name, year_offset, village, phone):
    with pytest.raises(PossibleDuplicate) as exc:
        rec.add_patient(name=name, sex="female", birth_year=mary.birth_year + year_offset,
                        village=village, phone=phone)
    assert candidate_ids(exc) == [mary.id]


@pytest.mark.parametrize(("name", "year_offset", "village", "phone"), [
    ("Mary Banda", 0, "Nakonde", ""),          # another surname
    ("Mary Phiri", 2, "Nakonde", ""),          # two years apart
    ("Mary Phiri", 0, "Isoka", "0966 000111"),  # another village and phone
    ("Mavis Phiri", 0, "Nakonde", ""),         # another first name
    ("玛丽", 0, "Nakonde", ""),                  # no pinyin table: scripts are not compared
])
def test_a_different_person_is_no_candidate(rec, mary, name, year_offset, village, phone):
    other = rec.add_patient(name=name, sex="female", birth_year=mary.birth_year + year_offset,
                            village=village, phone=phone)
    assert other.id != mary.id
    assert rec.find_duplicates(other) == []


def test_words_under_four_letters_must_agree():
    def keys(name):
        return match_keys(name=name, birth_year=None, village="", phone="")
    assert not names_similar(keys("Tom Banda"), keys("Tim Banda"))
    assert names_similar(keys("Thomas Banda"), keys("Tomas Banda"))
    assert not names_similar(keys("Banda"), keys(""))


def test_chinese_names_by_characters(rec):
    li = rec.add_patient(name="王小明", sex="male", birth_year=1990, village="高山村")
    with pytest.raises(PossibleDuplicate) as exc:               # one character apart
        rec.add_patient(name="王晓明", sex="male", birth_year=1991, village="高山村")
    assert candidate_ids(exc) == [li.id]
    with pytest.raises(PossibleDuplicate):                       # a space typed inside
        rec.add_patient(name="王 小明", sex="male", birth_year=1990, village="高山村")
    other = rec.add_patient(name="王明", sex="male", birth_year=1990, village="高山村")
    assert rec.find_duplicates(other) == []                      # two characters: no fuzz
    assert not names_similar(match_keys(name="李小红", birth_year=None, village="", phone=""),
                             match_keys(name="王晓明", birth_year=None, village="", phone=""))


def test_confirmed_new_patient_is_saved_and_audited_with_the_candidates(session, rec, mary):
    twin = rec.add_patient(name="Mary Phiri", sex="female", birth_year=mary.birth_year,
                           village="Nakonde", confirmed_new=True)
    entry = [e for e in session.audit.entries() if e.action == "create patient"][0]  # newest
    assert (entry.patient_id, entry.detail) == \
        (twin.id, f"confirmed new patient; possible duplicates: {mary.id}")
    assert "Phiri" not in entry.detail


def test_impossible_birth_dates_are_refused_and_nothing_saved(rec):
    with pytest.raises(ValidationError, match="^The date of birth is in the future.$"):
        rec.add_patient(name="Baby Banda", sex="male", birth_date=date.today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="Birth year"):
        rec.add_patient(name="Baby Banda", sex="male", birth_year=THIS_YEAR + 1)
    assert rec.search_patients("banda") == []


def test_caregiver_round_trip(session, rec, unlock):
    child = rec.add_patient(name="Chanda Mwale", sex="male", birth_date=date(2024, 3, 1),
                            village="Isoka", caregiver=Caregiver(name="Grace Mwale",
                                                                 relation="mother",
                                                                 phone="0977 555111"))
    session.lock()
    again = unlock()
    try:
        loaded = again.records.get_patient(child.id)
        assert loaded.caregiver == Caregiver("Grace Mwale", "mother", "0977 555111")
        import dataclasses
        edited = again.records.update_patient(dataclasses.replace(
            loaded, caregiver=Caregiver("Peter Mwale", "father", "")))
        assert again.records.get_patient(child.id).caregiver.line() == "Peter Mwale (father)"
        assert edited.version == loaded.version + 1
    finally:
        again.lock()


# -- merge -------------------------------------------------------------------------------
def _chart(rec, patient_id):
    return {"encounters": {e.id for e in rec.list_encounters(patient_id)},
            "allergies": {a.id for a in rec.list_allergies(patient_id)},
            "medications": {m.id for m in rec.list_medications(patient_id)},
            "problems": {p.id for p in rec.list_problems(patient_id)}}


def _fill(rec, patient: Patient, word: str) -> None:
    enc = rec.new_encounter(patient.id)
    rec.save_draft(enc.id, note=f"{word} note.", vitals=Vitals(temp_c=37.5))
    rec.sign_encounter(enc.id)
    rec.save_encounter_assessment(enc.id, decisions=[{
        "condition_id": "common_cold", "name": "Common cold", "state": "accepted"}])
    rec.add_allergy(patient.id, substance=f"{word}cillin")
    rec.add_medication(patient.id, name=f"{word} tablets")
    rec.add_problem(patient.id, description=f"{word} problem")


def test_merge_and_unmerge_round_trip_keeps_the_vault_sealed(session, rec, mary, unlock):
    twin = rec.add_patient(name="Mary Phiri", sex="female", birth_year=mary.birth_year,
                           village="Nakonde", confirmed_new=True)
    _fill(rec, mary, "alpha")
    _fill(rec, twin, "beta")
    before_mary, before_twin = _chart(rec, mary.id), _chart(rec, twin.id)
    assessment = rec.encounter_assessment(next(iter(before_twin["encounters"])))

    rec.merge_patients(keep_id=mary.id, merged_id=twin.id)
    merged = _chart(rec, mary.id)
    assert merged == {k: before_mary[k] | before_twin[k] for k in merged}
    assert _chart(rec, twin.id) == {k: set() for k in merged}
    assert [p.id for p in rec.search_patients("phiri")] == [mary.id]
    assert rec.merged_into(mary.id) == [twin.id]
    assert rec.encounter_assessment(next(iter(before_twin["encounters"]))) == assessment
    session.lock()

    admin = unlock()                     # the sealed state followed every moved row
    try:
        assert admin.integrity.ok, admin.integrity.lines()
        assert admin.records.get_patient(twin.id).merged_into == mary.id
        assert _chart(admin.records, mary.id) == merged
        assert admin.records.merged_into(mary.id) == [twin.id]
        restored = admin.records.unmerge_patient(merged_id=twin.id)
        assert restored.merged_into == "" and restored.merged_records == ()
        assert (_chart(admin.records, mary.id), _chart(admin.records, twin.id)) == \
            (before_mary, before_twin)
        actions = [(e.action, e.patient_id, e.record_id) for e in reversed(admin.audit.entries())
                   if "merge" in e.action]
        assert actions == [("merge patients", mary.id, twin.id),
                           ("unmerge patients", twin.id, mary.id)]
        assert sorted(p.id for p in admin.records.search_patients("phiri")) == \
            sorted([mary.id, twin.id])
    finally:
        admin.lock()
    again = unlock()
    try:
        assert again.integrity.ok, again.integrity.lines()
        assert again.records.damaged_records() == []
    finally:
        again.lock()


def test_merge_with_itself_is_refused_and_nothing_changes(session, rec, mary):
    _fill(rec, mary, "alpha")
    before = _chart(rec, mary.id)
    with pytest.raises(ValidationError, match="cannot be merged with itself"):
        rec.merge_patients(keep_id=mary.id, merged_id=mary.id)
    assert _chart(rec, mary.id) == before
    assert rec.get_patient(mary.id).version == mary.version
    assert not [e for e in session.audit.entries() if "merge" in e.action]


def test_merge_twice_and_unmerge_of_an_unmerged_record_are_refused(rec, mary):
    twin = rec.add_patient(name="Mary Phiri", sex="female", village="Nakonde", confirmed_new=True)
    third = rec.add_patient(name="M. Phiri", sex="female", village="Nakonde", confirmed_new=True)
    with pytest.raises(ValidationError, match="is not merged"):
        rec.unmerge_patient(merged_id=twin.id)
    rec.merge_patients(keep_id=mary.id, merged_id=twin.id)
    with pytest.raises(ValidationError, match="already merged"):
        rec.merge_patients(keep_id=third.id, merged_id=twin.id)
    with pytest.raises(ValidationError, match="already merged"):
        rec.merge_patients(keep_id=twin.id, merged_id=third.id)


@pytest.mark.parametrize("role", ["clinician", "assistant"])
def test_only_an_admin_may_merge_or_unmerge(session, rec, mary, unlock, role):
    twin = rec.add_patient(name="Mary Phiri", sex=Sex.FEMALE, village="Nakonde", confirmed_new=True)
    session.users.add_user(username="staff", role=role, passphrase="staff passphrase 1")
    rec.merge_patients(keep_id=mary.id, merged_id=twin.id)
    other = rec.add_patient(name="Mary Phiri", sex=Sex.FEMALE, village="Nakonde", confirmed_new=True)
    session.lock()
    staff = unlock("staff", "staff passphrase 1")
    try:
        with pytest.raises(PermissionDenied, match="merge or unmerge patient records"):
            staff.records.merge_patients(keep_id=mary.id, merged_id=other.id)
        with pytest.raises(PermissionDenied):
            staff.records.unmerge_patient(merged_id=twin.id)
        assert staff.records.get_patient(twin.id).merged_into == mary.id
        assert staff.records.get_patient(other.id).merged_into == ""
    finally:
        staff.lock()


def test_a_record_that_cannot_be_read_stops_the_merge_and_nothing_moves(session, rec, mary,
                                                                       vault_file):
    from tests.unit.vault_edits import flip_byte

    twin = rec.add_patient(name="Mary Phiri", sex="female", village="Nakonde", confirmed_new=True)
    _fill(rec, twin, "beta")
    before = _chart(rec, twin.id)
    damaged = next(iter(before["allergies"]))
    flip_byte(vault_file, "allergies", damaged)
    with pytest.raises(ValidationError, match=r"1 record\(s\) of .* cannot be read \(allergies\)"):
        rec.merge_patients(keep_id=mary.id, merged_id=twin.id)
    assert _chart(rec, twin.id) == before and _chart(rec, mary.id) == {k: set() for k in before}
    assert rec.get_patient(twin.id).merged_into == ""


def test_numbered_names_are_different_people():
    def keys(name):
        return match_keys(name=name, birth_year=None, village="", phone="")
    assert not names_similar(keys("Baby 1 Banda"), keys("Baby 2 Banda"))
    assert not names_similar(keys("Patient 1"), keys("Patient 11"))   # no spelling fold on numbers
    assert names_similar(keys("Baby 1 Banda"), keys("Baby 1 Bnda"))
