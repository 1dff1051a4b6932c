"""Summaries say a fact once (issue 13, item 8): a plan sentence the follow-up line quotes,
apart from the words that report the instruction, is not repeated under Plan."""

from __future__ import annotations

from lantern.clinical.summarize.evaluate import fact_present
from lantern.clinical.summarize.skeleton import build_note_summary


def _texts(summary, key):
    return [ln.text for ln in summary.sections[key]]


def test_reported_instruction_said_once_in_follow_up():
    note = ("Home visit. 58M with known asthma, used salbutamol inhaler 4 times last night. Wheeze both sides, "
            "RR 24. Advised to come to the clinic tomorrow morning. Will visit again on Friday.")
    s = build_note_summary(note)
    follow = " ".join(_texts(s, "follow_up"))
    plan = " ".join(_texts(s, "plan"))
    assert fact_present("clinic tomorrow morning", follow)
    assert "clinic tomorrow" not in plan
    # the fact is still in the summary, once
    assert s.text.count("clinic tomorrow morning") == 1


def test_plan_clause_with_more_than_the_follow_up_is_kept():
    # "check his sugar" is an action the follow-up line does not say: the clause stays in Plan
    note = ("Known T2DM on metformin 500 mg BD. RBS 14.2. Plan: told to check his sugar at the health post "
            "and review in 2 weeks.")
    s = build_note_summary(note)
    assert fact_present("check his sugar", s.text)
    assert fact_present("review in 2 weeks", s.text)


def test_same_words_without_reporting_verb_kept_once():
    note = "Cough 3 days, no fever. T 36.8. Plan: salt water gargles. Return if fever or worse."
    s = build_note_summary(note)
    assert fact_present("salt water gargles", s.text)
    assert fact_present("Return if fever", s.text)
