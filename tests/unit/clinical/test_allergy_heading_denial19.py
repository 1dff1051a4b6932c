"""An allergy heading answered with a denial denies the substance it names (issue 13).

"Allergy - denies sulfa", "Allergies: denies penicillin", "Allergy: no penicillin" are the
denial of that substance, read as "denies allergy to sulfa" is: never an allergy (the heading
word is no allergy of its own), never "no known allergies" (other allergies stay unknown). A
heading answered with a bare denial ("Allergies: denies", "Allergy - no") is none known. A
charted allergy stays present beside a note that denies another. The notes are written for
these tests.
"""

from __future__ import annotations

import pytest
from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.language.chart import chart_from_request
from lantern.clinical.prescribing import build_index, read_formulary
from lantern.clinical.prescribing.patient_checks import read_allergies
from lantern.clinical.summarize.api import referral_letter, summarize_note


@pytest.mark.parametrize(("text", "denied"), [
    ("Allergy - denies sulfa", {"sulfonamide"}),
    ("Allergies: denies penicillin", {"benzylpenicillin"}),
    ("Allergy: no penicillin.", {"benzylpenicillin"}),
    ("Allergies - denied penicillin", {"benzylpenicillin"}),
    ("Allergies: denies penicillin or sulfa", {"benzylpenicillin", "sulfonamide"}),
    ("Allergies (mother): denies amoxicillin", {"amoxicillin"}),
    ("Allergies: denies penicillin allergy", {"benzylpenicillin"}),
])
def test_a_heading_answered_with_a_denial_denies_the_substance(text, denied):
    facts = extract_allergies(text)
    assert {d.canonical for d in facts.denied} == denied
    assert facts.allergies == []
    assert not facts.none_known


@pytest.mark.parametrize("text", ["Allergies: denies", "Allergy - no", "Allergies: denies any",
                                  "Allergies: no known allergies", "Allergies: no known drug allergies"])
def test_a_heading_answered_with_a_bare_denial_is_none_known(text):
    facts = extract_allergies(text)
    assert facts.none_known and facts.allergies == [] and facts.denied == []


@pytest.mark.parametrize(("text", "canonical"), [("Allergies: penicillin (rash)", "benzylpenicillin"),
                                                 ("Allergy - sulfa", "sulfonamide")])
def test_a_charted_substance_under_the_heading_stays_an_allergy(text, canonical):
    facts = extract_allergies(text)
    assert [a.canonical for a in facts.allergies] == [canonical] and facts.denied == []


def _allergy_lines(summary) -> list[str]:
    return [line.text for line in summary.sections.get("allergies", [])]


def test_documents_say_the_denial_and_the_chart_allergy_stays():
    note = "Cough 3 days. Allergy - denies sulfa. Plan: amoxicillin 250 mg tds for 5 days."
    for summary in (summarize_note(note), referral_letter(note)):
        lines = _allergy_lines(summary)
        assert lines and all("sulfa" not in line.lower() or "denies" in line.lower() for line in lines)
        assert not any("none" in line.lower() or "no known" in line.lower() for line in lines)
    charted = _allergy_lines(summarize_note(note, chart=chart_from_request({"allergies": ["penicillin (anaphylaxis)"]})))
    assert charted[0] == "penicillin (anaphylaxis)"


def test_a_denial_in_the_charts_list_raises_no_alert_and_an_allergy_does():
    formulary = read_formulary()
    index = build_index(formulary)
    denied = read_allergies(("Allergies: denies sulfa",), formulary, index)
    present = read_allergies(("Allergies: sulfa",), formulary, index)
    assert not denied.classes and not denied.drugs and not denied.unknown
    assert present.classes or present.drugs


def test_the_meaning_check_keeps_the_denial_and_drops_it_turned_round():
    source = "Cough 3 days. Allergy - denies sulfa."
    assert judge({"source": source, "candidate": "Cough for 3 days; no allergy to sulfa."}) == []
    assert judge({"source": source, "candidate": "Cough for 3 days; allergic to sulfa."})
