"""A state that can change into an emergency is asked about now (issue 15, session 22).

A hernia that "goes back in when lying down" may be stuck today: the history's reducible
lump does not answer whether it still goes back (WHO Surgical Care at the District
Hospital 2003, ch. 6: incarceration, then strangulation; 中华医学会《成人腹股沟疝诊断和治疗
指南》2018). questions.toml marks such a finding ``changes = true``: the note reading it
absent leaves it askable, and only an answer settles it.
"""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.wording import load_wordings, validate_wordings
from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.pipeline import assess, parse_case

NOTES = [
    "Left groin hernia for 3 years, reducible on lying down.",
    "左侧腹股沟包块3年，站立时出现，平卧可回纳。",
]


@pytest.mark.parametrize("note", NOTES)
def test_a_reducible_hernia_is_asked_whether_it_is_stuck_now(note):
    case = parse_case({"note": note, "age_years": 58, "sex": "male"})
    ex = assess(case).extraction
    assert "hernia_irreducible" in ex.negated()        # the history: it goes back in
    iv = next_questions(case=case, answers=[], limit=3)
    assert "hernia_irreducible" in [q.finding for q in iv.questions]
    stuck = next_questions(case=case, answers=[Answer("hernia_irreducible", "yes")], limit=3)
    assert stuck.assessment.triage.level == "emergency"
    still = next_questions(case=case, answers=[Answer("hernia_irreducible", "no")], limit=20)
    assert "hernia_irreducible" not in [q.finding for q in still.questions]


def test_only_a_state_that_changes_is_asked_again():
    # a finding the note denies and that is not marked stays answered by the note
    case = parse_case({"note": "Cough for 2 days. No fever.", "age_years": 30, "sex": "female"})
    iv = next_questions(case=case, answers=[], limit=50)
    assert "fever" not in [q.finding for q in iv.questions]
    wordings = load_wordings()
    assert wordings["hernia_irreducible"].changes
    assert not any(w.changes for fid, w in wordings.items() if fid != "hernia_irreducible")


def test_changes_must_be_true_or_false(tmp_path):
    bad = tmp_path / "questions.toml"
    bad.write_text('[[question]]\nfinding = "hernia_irreducible"\nkind = "look"\n'
                   'en = "Stuck?"\nzh = "卡住？"\nchanges = "yes"\n', encoding="utf-8")
    problems = validate_wordings(load_knowledge(), bad)
    assert any("changes must be true or false" in p for p in problems)
