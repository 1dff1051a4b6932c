"""The summary scorer counts what issue 13's targets name: forbidden facts, chart allergies
missing from the text, and a letter whose urgency is not the assessment's."""

from __future__ import annotations

import dataclasses

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import aggregate, score_item

ITEM = {"id": "t1", "kind": "referral", "note": "Chest pain for 2 hours radiating to the left arm, sweating.",
        "age_years": 58, "sex": "male", "chart": {"allergies": ["Penicillin (anaphylaxis)"]},
        "must": ["Penicillin"], "must_not": ["Reason for referral: None recorded", "Allergies: None recorded"]}


def test_a_faithful_letter_has_no_omission_no_forbidden_fact_and_the_assessments_urgency():
    summary = summarize("referral", ITEM)
    score = score_item(ITEM, summary)
    assert score.found == 1 and score.forbidden == [] and score.allergy_missing == []
    assert not score.urgency_mismatch
    report = aggregate([score])
    assert report["forbidden"] == report["allergy_omissions"] == report["urgency_mismatches"] == 0


def test_each_failure_is_counted():
    summary = summarize("referral", ITEM)
    wrong = dataclasses.replace(summary, triage="routine")
    wrong.sections = {k: v for k, v in summary.sections.items() if k != "allergies"}   # allergy lost
    item = {**ITEM, "must_not": ["Chest pain"]}
    score = score_item(item, wrong)
    assert score.urgency_mismatch
    assert score.allergy_missing == ["Penicillin (anaphylaxis)"]
    assert score.forbidden == ["Chest pain"]
