"""Typo matching never turns an everyday English word into a finding, but still reads a
misspelling and the other spelling of a clinical word."""

from __future__ import annotations

import pytest

from lantern.clinical.language.findings import extract_findings
from lantern.clinical.language.vocabulary import load_english_words


def _present(note: str) -> set[str]:
    return {f.id for f in extract_findings(note, age_years=30).findings if not f.negated}


@pytest.mark.parametrize("note", [
    "Itchy rash on both hands after washing with detergent.",
    "Headache lasting two days.",
    "Fasting glucose checked last week.",
])
def test_everyday_words_are_not_findings(note):
    assert "wasting" not in _present(note)


@pytest.mark.parametrize(("note", "finding"), [
    ("Watery diarrhea since yesterday.", "diarrhoea"),     # American spelling of a lexicon word
    ("Three days of diarhoea.", "diarrhoea"),              # a misspelling (not a word)
    ("Vomitting since morning.", "vomiting"),
])
def test_misspellings_and_other_spellings_still_match(note, finding):
    assert finding in _present(note)


def test_the_word_list_is_loaded_from_data():
    words = load_english_words()
    assert "washing" in words and "lasting" in words and len(words) > 50_000
