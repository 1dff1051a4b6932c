"""A child's record in the real vault: a birth date in the future is refused, a weight
or length out of range for the age cannot be signed (the draft is kept as typed,
nothing signed), a plausible one signs; search summaries carry the age as shown."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lantern.domain import ages
from lantern.domain.errors import ValidationError
from lantern.domain.records import NoteStatus, Vitals


@pytest.fixture
def rec(session):
    return session.records


def test_a_birth_date_in_the_future_is_refused_and_nothing_saved(rec):
    before = len(rec.search_patients(""))
    with pytest.raises(ValidationError, match="^The date of birth is in the future.$"):
        rec.add_patient(name="Baby Future", sex="female", birth_date=date.today() + timedelta(days=1))
    assert len(rec.search_patients("")) == before


def test_a_weight_out_of_range_for_the_age_is_not_signed(rec):
    child = rec.add_patient(name="Mwila Banda", sex="male", birth_date=date.today() - timedelta(days=200))
    enc = rec.new_encounter(child.id)
    # 40 kg at 6 months passes the adult range (0.3-350 kg) but not the child's
    rec.save_draft(enc.id, note="Cough for 2 days.", vitals=Vitals(weight_kg=40))
    with pytest.raises(ValidationError) as caught:
        rec.sign_encounter(enc.id)
    assert str(caught.value) == ("Cannot sign: The weight is out of range for the child's age "
                                 "(check the unit and the number).")
    kept = rec.get_encounter(enc.id)
    assert kept.status is NoteStatus.DRAFT and kept.vitals.weight_kg == 40     # as typed, unsigned
    rec.save_draft(enc.id, note="Cough for 2 days.", vitals=Vitals(weight_kg=7.4, height_cm=66))
    assert rec.sign_encounter(enc.id).status is NoteStatus.SIGNED


def test_a_length_out_of_range_for_the_age_is_not_signed(rec):
    child = rec.add_patient(name="Thandi Zulu", sex="female", birth_date=date.today() - timedelta(days=400))
    enc = rec.new_encounter(child.id)
    rec.save_draft(enc.id, note="Well child visit.", vitals=Vitals(height_cm=150))
    with pytest.raises(ValidationError, match="length/height is out of range for the child's age"):
        rec.sign_encounter(enc.id)


def test_an_adult_weight_is_not_judged_by_the_child_standards(rec):
    adult = rec.add_patient(name="Big Man", sex="male", birth_year=1970)
    enc = rec.new_encounter(adult.id)
    rec.save_draft(enc.id, note="Review.", vitals=Vitals(weight_kg=140, height_cm=180))
    assert rec.sign_encounter(enc.id).status is NoteStatus.SIGNED


def test_search_summaries_carry_the_age_as_shown(rec):
    birth = date.today() - timedelta(days=45)
    rec.add_patient(name="Newborn Phiri", sex="female", birth_date=birth)
    [hit] = rec.search_patients("newborn")
    assert hit.age == ages.Age(45, "day") and hit.age.text() == "45 days" and hit.age.text("zh") == "45天"
