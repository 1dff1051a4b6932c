"""Ways of writing the same fact that the meaning check now reads as the same (issue 13,
point 3; found on meaning-change development set 3), and a side moved between two
findings of one line, which it now reads as a change."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.claims import claims_of
from lantern.clinical.language.durations import time_amounts


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def test_a_fortnight_and_number_words_of_tens_are_amounts():
    assert time_amounts("See again in a fortnight.") == time_amounts("See again in 2 weeks.") == {14.0}
    assert time_amounts("Pain began thirty minutes after eating.") == time_amounts("Pain began 30 min after eating.")
    assert _judge("Recheck BP in 2 weeks.", "Recheck BP in a fortnight.") == []
    assert any("number" in r for r in _judge("Recheck BP in 3 weeks.", "Recheck BP in a fortnight."))
    assert _judge("Seizure lasted 20 min.", "The seizure lasted twenty minutes.") == []


def test_daily_living_is_no_frequency_and_when_needed_is_as_needed():
    assert claims_of("Needs help with activities of daily living.").frequencies == set()
    assert claims_of("Salbutamol inhaler when needed.").frequencies == claims_of("Salbutamol inhaler prn.").frequencies
    assert _judge("Ibuprofen 400 mg tds prn.", "Ibuprofen 400 mg three times a day when needed.") == []


def test_a_clause_about_an_allergy_is_not_an_allergen():
    assert claims_of("Allergic to amoxicillin, which caused hives.").allergies == claims_of(
        "Allergy: amoxicillin (hives).").allergies


def test_a_drug_read_with_its_dose_is_not_left_out():
    # the medication reader reads a drug the formulary lacks from its dose, however it is capitalised
    assert _judge("Sertraline 100 mg od started 3/52 ago.",
                  "Started sertraline 100 mg once daily three weeks ago.") == []


def test_a_side_moved_between_the_findings_of_a_line_is_dropped():
    assert any("side differs" in r for r in _judge("右膝红肿，左膝无压痛。", "左膝红肿，右膝无压痛。"))
    assert any("side differs" in r for r in _judge("Left calf swollen; right calf not tender.",
                                                      "Right calf swollen; left calf not tender."))
    # the same sides written another way are kept
    assert _judge("右膝红肿，左膝无压痛。", "左膝无压痛，右膝红肿。") == []
    assert _judge("Left calf swollen; right calf not tender.", "Swollen left calf; the right calf is not tender.") == []


def test_a_prefix_negation_negates_only_the_word_it_is_joined_to():
    from lantern.clinical.language.findings import extract_findings
    from lantern.clinical.language.negation import negation_scopes

    read = {(f.id, f.negated) for f in extract_findings("Non-itchy rash on the trunk.").mentions}
    assert ("itching", True) in read and ("rash", False) in read
    read = {(f.id, f.negated) for f in extract_findings("Non-productive cough and fever.").mentions}
    assert ("fever", False) in read and ("productive_cough", True) in read
    scoped = {w.text: w.negated for w in negation_scopes("non-bloody vomiting since this morning")}
    assert scoped["bloody"] and not scoped["vomiting"] and not scoped["morning"]
    assert _judge("Rash on the trunk since yesterday, not itchy.", "Non-itchy rash on the trunk since yesterday.") == []
    # a plain negation still reaches the findings after it
    assert ("rash", True) in {(f.id, f.negated) for f in extract_findings("No itch or rash.").mentions}
