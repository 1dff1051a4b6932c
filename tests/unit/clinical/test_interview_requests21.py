"""A medicine asked for is not a medicine taken, and chest indrawing is a child's sign
(issue 15, session 21).

"要求开安眠药" (asks for sleeping pills) was read as a sedative taken, so the differential
carried an overdose and Ask next looked for pinpoint pupils and slow breathing in a patient
who cannot sleep. An adult with a cough was asked to be examined for chest indrawing, an IMCI
sign; an adult is asked about severe respiratory distress (IMAI quick check) instead."""

from __future__ import annotations

import pytest

from lantern.clinical.interview import Answer, next_questions
from lantern.clinical.interview.groups import load_groups
from lantern.clinical.pipeline import extract_findings, parse_case

SEDATIVE = "opioid_or_sedative_taken"
ONE_BY_ONE = [Answer(g.id, "unknown") for g in load_groups()]


def _ids(text: str) -> set[str]:
    return {f.id for f in extract_findings(text).findings if not f.negated}


@pytest.mark.parametrize("note", [
    "要求开安眠药，睡不着一个月。",
    "要求开点安眠药。",
    "想开安眠药，入睡困难。",
    "Wants sleeping pills, can't sleep for a month.",
    "Asking for some sleeping tablets, poor sleep since her husband died.",
    "Requests diazepam to help him sleep.",
])
def test_a_sedative_asked_for_is_not_a_sedative_taken(note):
    assert SEDATIVE not in _ids(note)


@pytest.mark.parametrize("note", [
    "Took sleeping pills last night, drowsy this morning.",
    "吃了安眠药后嗜睡。",
    "Found with an empty bottle of diazepam.",
    # a verb between the request and the medicine ends the request
    "Wants to stop the diazepam he has taken for years.",
])
def test_a_sedative_taken_is_still_read(note):
    assert SEDATIVE in _ids(note)


@pytest.mark.parametrize("note", ["要求开安眠药，睡不着一个月。",
                                  "Wants sleeping pills, can't sleep for a month."])
def test_ask_next_does_not_look_for_an_overdose_in_a_patient_who_cannot_sleep(note):
    iv = next_questions(case=parse_case({"note": note, "age_years": 45, "sex": "male"}),
                        answers=[], limit=5)
    overdose_signs = {"pinpoint_pupils", "slow_breathing"}
    assert not overdose_signs & {q.finding for q in iv.questions}
    top = [c.condition.id for c in iv.assessment.differential[:2]]
    assert "insomnia" in top
    assert "opioid_or_benzodiazepine_overdose" not in top


@pytest.mark.parametrize("note", ["Cough and fever for 3 days, short of breath.",
                                  "咳嗽发热3天，气促。"])
def test_an_adult_with_a_cough_is_not_asked_about_chest_indrawing(note):
    iv = next_questions(case=parse_case({"note": note, "age_years": 45, "sex": "male"}),
                        answers=ONE_BY_ONE, limit=12)
    asked = {q.finding for q in iv.questions}
    assert "chest_indrawing" not in asked
    assert "severe_respiratory_distress" in asked


@pytest.mark.parametrize("age", [3, 9])
def test_a_child_with_a_cough_is_still_asked_about_chest_indrawing(age):
    iv = next_questions(case=parse_case({"note": "Cough and fast breathing for 2 days.",
                                         "age_years": age, "sex": "female"}),
                        answers=ONE_BY_ONE, limit=12)
    assert "chest_indrawing" in {q.finding for q in iv.questions}
