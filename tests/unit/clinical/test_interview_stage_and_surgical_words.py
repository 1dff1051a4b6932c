"""Words the guided consultation needs to pick the right screen (issue 15), written for this
test: a pregnancy told in months ("pregnant about 2 months", "怀孕两个多月") is a pregnancy
and its stage; a hernia that "goes back when lying down" is reducible; green vomiting in an
infant is an emergency (WHO Pocket Book: malrotation with volvulus until proven otherwise)."""

from __future__ import annotations

import pytest
from reach import assess

from lantern.clinical.interview.screens import load_screens
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.language.findings import extract_findings


def present(note: str, **case) -> set[str]:
    return {f.id for f in extract_findings(note, kb=load_knowledge(), **case).findings if not f.negated}


@pytest.mark.parametrize("note", [
    "28F, pregnant about 2 months, lower abdominal pain",
    "she has been pregnant for two months, vomiting every morning",
    "two months pregnant, some nausea",
    "about 3 months into her pregnancy, feels tired",
    "怀孕两个多月，下腹痛",
    "孕2个月，恶心呕吐",
])
def test_months_of_early_pregnancy_are_a_first_trimester_pregnancy(note):
    found = present(note, sex="female")
    assert {"pregnant", "first_trimester"} <= found, found
    assert "late_pregnancy" not in found


@pytest.mark.parametrize("note", [
    "she is pregnant about 7 months, headache",
    "eight months pregnant with swollen feet",
    "怀孕七个多月，头痛",
])
def test_months_of_late_pregnancy_are_late_pregnancy(note):
    found = present(note, sex="female")
    assert {"pregnant", "late_pregnancy"} <= found, found
    assert "first_trimester" not in found


def test_a_babys_age_in_months_is_not_a_pregnancy():
    assert "first_trimester" not in present("baby 2 months old, cough for 3 days", age_years=0.17)


def test_a_pregnancy_in_months_picks_the_early_pregnancy_screen():
    screens = {s.id: s for s in load_screens()}
    early, late = screens["obstetric_early_pregnancy"], screens["obstetric_late_pregnancy"]
    found = present("pregnant about 2 months, abdominal pain since morning", sex="female")
    assert early.applies(age_years=25, pregnant_context=True, present=found, sex="female")
    assert not late.applies(age_years=25, pregnant_context=True, present=found, sex="female")


@pytest.mark.parametrize("note", [
    "lump in the right groin for 3 months, goes back when lying down, no pain",
    "swelling at the belly button that goes in when pushed",
    "腹股沟包块3个月，平卧后可消失，无疼痛",
])
def test_a_hernia_that_goes_back_is_reducible(note):
    found = present(note)
    assert "reducible_swelling" in found, found
    assert "hernia_irreducible" not in found


def test_a_hernia_that_cannot_be_pushed_back_is_still_an_emergency():
    out = assess("painful lump in the groin since this morning, vomiting, cannot push it back", age=50, sex="male")
    assert out["triage"] == "emergency"


def test_pain_that_comes_and_goes_is_not_a_reducible_swelling():
    assert "reducible_swelling" not in present("abdominal pain that comes and goes for 2 days")


@pytest.mark.parametrize("age, note", [
    (0.06, "3 week old, vomiting green stuff since this morning"),
    (0.5, "6 month old baby, vomited twice, the vomit was green"),
    (0.3, "婴儿呕吐黄绿色液体半天"),
])
def test_green_vomiting_in_an_infant_is_an_emergency(age, note):
    out = assess(note, age=age)
    assert out["triage"] == "emergency", out["danger_signs"]
    assert "infant_bilious_vomiting" in [s["id"] for s in out["danger_signs"]]


def test_green_vomiting_rule_is_for_infants_only():
    out = assess("vomited bile twice after a night of drinking, no pain now", age=30, sex="male")
    assert "infant_bilious_vomiting" not in [s["id"] for s in out["danger_signs"]]
