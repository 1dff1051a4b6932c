"""Fact claims, sentence verification and source linking."""

from __future__ import annotations

import pytest

from lantern.clinical.language.claims import claims_of, unsupported
from lantern.clinical.summarize.verify import SourceIndex, check_sentence

SOURCE = ("Amoxicillin 0.5g PO BD x 5/7 for otitis media. Allergic to penicillin. BP 150/95. "
          "No fever. Review on 12/03/2025. 3天后复诊")


@pytest.mark.parametrize("sentence", [
    "Amoxicillin 500 mg twice daily for five days.",
    "Amoxicillin 500mg bid.",
    "BP was 150/95 mmHg.",
    "Review on 12 March 2025.",
    "三天后复诊",
])
def test_equal_facts_in_other_words_are_supported(sentence):
    assert unsupported(claims_of(sentence), claims_of(SOURCE)) == []


@pytest.mark.parametrize("sentence, reason", [
    ("Amoxicillin 500 mg three times daily.", "frequency not in source"),
    ("Patient has no known allergies.", "denies an allergy the source records"),
    ("Give ceftriaxone 1 g.", "drug not in source"),
    ("Give ceftriaxone 1 g.", "dose not in source"),
    ("BP 160/95.", "number not in source"),
    ("Allergic to sulfa.", "allergy not in source"),
    ("Review on 14 March 2025.", "date not in source"),
])
def test_invented_facts_are_caught(sentence, reason):
    assert reason in unsupported(claims_of(sentence), claims_of(SOURCE))


def test_frequency_words_are_not_numbers():
    c = claims_of("Paracetamol 1 g four times daily")
    assert c.frequencies == {"four times daily"}
    assert "4" not in c.numbers and "1" in c.numbers
    assert ("1000", "mg") in c.doses


def test_check_sentence_links_spans_and_rejects_unsupported_text():
    index = SourceIndex.build([SOURCE])
    ok = check_sentence("Amoxicillin 500 mg twice daily was given for otitis media.", index)
    assert ok.ok, ok.reasons
    assert SOURCE[ok.spans[0].start:ok.spans[0].end].startswith("Amoxicillin 0.5g")
    assert not check_sentence("The patient has metastatic cancer of the liver.", index).ok
    flipped = check_sentence("Fever is present.", index)
    # the finding's polarity is read by the language layer (the words of a finding are not
    # checked a second time word by word)
    assert "negation differs from the source (Fever)" in flipped.reasons


def test_sentence_with_chinese_is_linked():
    index = SourceIndex.build(["主诉：发热3天。诊断：社区获得性肺炎。"])
    verdict = check_sentence("诊断为社区获得性肺炎。", index)
    assert verdict.ok, verdict.reasons
    assert verdict.spans
