"""An allergy heading's denial does not turn the next line's heading into an allergy
(issue 13, session 17): "过敏史：否认青霉素过敏" then "用药：叶酸" gave an allergy to "用药"
(an invented fact in a summary). A heading whose list starts on the next line is still
read."""

from __future__ import annotations

import pytest

from lantern.clinical.language.allergies import extract_allergies


@pytest.mark.parametrize(("text", "denied"), [
    ("过敏史：否认青霉素过敏\n用药：叶酸 5mg qd", "青霉素"),
    ("过敏史：否认青霉素过敏\n诊断：缺铁性贫血", "青霉素"),
    ("Allergies: denies penicillin allergy\nMeds: metformin 500 mg bd", "penicillin"),
    ("Allergies: no allergy to sulfa drugs\nPlan: cotrimoxazole 960 mg bd", "sulfa"),
])
def test_a_denial_on_the_heading_line_keeps_the_next_line_out(text, denied):
    facts = extract_allergies(text)
    assert facts.allergies == []
    assert any(denied in d.substance for d in facts.denied)


@pytest.mark.parametrize(("text", "substance"), [
    ("Allergies:\npenicillin (rash)", "penicillin"),
    ("过敏史：\n青霉素过敏（皮疹）", "青霉素"),
    ("Allergies: penicillin - rash\nMeds: paracetamol", "penicillin"),
    ("过敏史：磺胺类（皮疹）\n用药：叶酸", "磺胺"),
])
def test_a_list_on_the_heading_line_or_the_next_is_read(text, substance):
    facts = extract_allergies(text)
    assert [a.substance for a in facts.allergies if substance in a.substance]
    assert not [a for a in facts.allergies if a.substance in ("Meds", "用药")]
