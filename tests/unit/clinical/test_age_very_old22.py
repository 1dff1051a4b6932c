"""A note that opens with "90F," names a very old patient, not a temperature (issue 15:
childhood questions asked of the very old because their age went unread)."""

import pytest

from lantern.clinical.language.durations import age_from_text


@pytest.mark.parametrize("note, age", [
    ("90F, off her legs, confused since yesterday", 90.0),
    ("93 F with cough and fever for 3 days", 93.0),
    ("91F presents with a fall at home", 91.0),
    ("45F, fever and dysuria", 45.0),
    ("92F lives alone, found on the floor this morning", 92.0),
    ("95 F found on the floor by her carer", 95.0),
])
def test_the_opening_age_and_sex_is_read(note, age):
    assert age_from_text(note) == age


@pytest.mark.parametrize("note", [
    "Temp 99F, cough for 2 days",       # a temperature in Fahrenheit, not at the opening
    "98F",                              # a bare reading
    "96F (35.6C), shivering",           # a temperature with its Celsius beside it
    "99F fever and cough since Monday",  # a word of temperature follows the opening number
    "T 101F, chills",
])
def test_a_temperature_in_fahrenheit_is_no_age(note):
    assert age_from_text(note) is None


@pytest.mark.parametrize("note", ["92F lives alone, found on the floor", "90F, off her legs"])
def test_the_opening_age_is_no_temperature(note):
    from lantern.clinical.language.vitals import extract_vitals_from_text
    assert not [r for r in extract_vitals_from_text(note) if r.name == "temp_c"]
