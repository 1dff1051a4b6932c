"""An allergy list that goes on after a denial keeps its allergies (issue 13).

"Allergies: no penicillin; sulfa (rash)" denies penicillin and charts a sulfa allergy. The
denial used to take the list's heading with it, and the sulfa allergy after the semicolon was
lost: a dropped allergy. The rest of the list is read as the heading's list when it begins
with a substance; a list that goes on with something else ("; takes metformin") ends at the
semicolon. The notes are written for these tests.
"""

from __future__ import annotations

import pytest

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.prescribing import build_index, read_formulary
from lantern.clinical.prescribing.patient_checks import read_allergies
from lantern.clinical.summarize.api import summarize_note


@pytest.mark.parametrize(("text", "allergy", "reaction", "denied"), [
    ("Allergies: no penicillin; sulfa (rash)", "sulfonamide", "rash", "benzylpenicillin"),
    ("Allergies: denies penicillin; sulfa - rash", "sulfonamide", "rash", "benzylpenicillin"),
    ("Allergy - denies sulfa; codeine -> vomiting", "codeine", "vomiting", "sulfonamide"),
    ("Allergies: denies penicillin; co-trimoxazole (rash)", "cotrimoxazole", "rash", "benzylpenicillin"),
])
def test_the_allergy_after_a_denial_in_the_same_list_is_kept(text, allergy, reaction, denied):
    facts = extract_allergies(text)
    assert [(a.canonical, a.reaction) for a in facts.allergies] == [(allergy, reaction)]
    assert [d.canonical for d in facts.denied] == [denied]
    assert not facts.none_known


def test_the_same_in_chinese():
    facts = extract_allergies("过敏史：否认青霉素过敏；磺胺类（皮疹）")
    assert [(a.substance, a.reaction) for a in facts.allergies] == [("磺胺类", "皮疹")]
    assert [d.substance for d in facts.denied] == ["青霉素"]


@pytest.mark.parametrize("text", ["Allergies: no penicillin; takes metformin",
                                  "Allergies: no penicillin.", "过敏史：否认青霉素过敏；无其他"])
def test_a_list_that_goes_on_with_no_substance_adds_no_allergy(text):
    facts = extract_allergies(text)
    assert facts.allergies == [] and facts.denied


def test_the_kept_allergy_reaches_the_prescribing_check_and_the_summary():
    formulary = read_formulary()
    index = build_index(formulary)
    read = read_allergies(("Allergies: no penicillin; sulfa (rash)",), formulary, index)
    assert read.classes or read.drugs
    summary = summarize_note("Cough 3 days. Allergies: no penicillin; sulfa (rash). Plan: amoxicillin 250 mg tds.")
    lines = [line.text.lower() for line in summary.sections.get("allergies", [])]
    assert any("sulfa" in line for line in lines), lines
