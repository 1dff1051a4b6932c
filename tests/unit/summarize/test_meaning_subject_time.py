"""The meaning check keeps whose a finding is and when it happened (issue 13, point 3): a
rewording that gives a relative's or a contact's illness to the patient (or the patient's to
them), moves an onset to another day or part of the day, or turns "after" into "before" is
dropped; the same facts written another way are kept."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.meaning import meaning_of, same_person, subject_parts


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def _dropped_for(source: str, candidate: str, why: str) -> bool:
    """Is ``candidate`` dropped, for a reason that says ``why``?"""
    return any(why in reason for reason in _judge(source, candidate))


def test_each_finding_is_read_with_whose_it_is():
    said = meaning_of("Brother has asthma; patient has a cough, no wheeze.")
    assert ("sibling", "known_asthma", False) in said.subjects or ("brother", "known_asthma", False) in said.subjects
    assert ("patient", "cough", False) in said.subjects
    # a relative who only tells what the patient has is not the one who has it
    assert {w for w, _f, _n in meaning_of("Mother reports fever and vomiting since yesterday.").subjects} == {"patient"}
    assert {w for w, _f, _n in meaning_of("据母亲代诉，患儿发热2天。").subjects} == {"patient"}


def test_the_words_are_cut_where_the_person_changes():
    parts = subject_parts("Classmate has measles; patient has no rash.")
    assert [w for w, _words in parts] == ["classmate", "patient"]
    assert "measles" in parts[0][1] and "rash" in parts[1][1]
    # a family history and a named relative are one person; the patient is never a relative
    assert same_person("family_history", "mother") and not same_person("patient", "family_history")


def test_a_finding_moved_between_the_patient_and_another_person_is_dropped():
    # a relative's illness given to the patient, and the patient's negative given to the relative
    who = "another person"
    assert _dropped_for("Brother has asthma; patient has no wheeze.", "Has asthma; brother has no wheeze.", who)
    assert _dropped_for("其母有高血压病史，患者否认头痛。", "患者有高血压病史，其母否认头痛。", who)
    # a contact's illness (a condition the findings reader does not read) given to the patient
    assert _dropped_for("Neighbour has scabies; patient's skin is clear.", "Has scabies; neighbour's skin is clear.", who)
    assert _dropped_for("同事确诊肺结核，患者无咳嗽。", "患者确诊肺结核，同事无咳嗽。", who)


def test_the_same_person_written_another_way_is_kept():
    assert _judge("His mother has type 2 diabetes.", "The patient's mother has type 2 diabetes.") == []
    assert _judge("Mother reports fever for 2 days.", "Fever for two days, as reported by his mother.") == []
    # a pronoun for the relative's illness ("had it") keeps it theirs
    assert _judge("Brother had measles last month; patient has never had measles.",
                  "Patient has never had measles; his brother had it last month.") == []


def test_an_onset_moved_to_another_day_or_part_of_the_day_is_dropped():
    assert _dropped_for("Vomiting since last night.", "Vomiting since this morning.", "time not in source")
    assert _dropped_for("昨天开始发热。", "今天开始发热。", "time not in source")
    assert _dropped_for("Rash noticed last week.", "Rash noticed yesterday.", "time not in source")
    # leaving the day out is a change too (the visit's own day "today" may go)
    assert _dropped_for("Cough since yesterday.", "Cough.", "leaves out when")
    assert _judge("Seen today with a cough.", "Cough.") == []


def test_the_same_time_written_another_way_is_kept():
    assert _judge("Headache since last night.", "Headache since yesterday evening.") == []
    assert _judge("昨晚开始腹泻。", "腹泻从昨夜开始。") == []
    # a part of the day may be left out, not moved
    assert _judge("Fever since last night.", "Fever since yesterday.") == []


def test_before_and_after_turned_round_are_dropped():
    assert _dropped_for("Wheeze started after the cat moved in.", "Wheeze started before the cat moved in.", "round")
    assert _dropped_for("进食后出现呕吐。", "进食前出现呕吐。", "before and after")
    # the same order written another way is kept; times of day are not an event's order
    assert _judge("Dizziness after standing up.", "Dizziness following standing up.") == []
    assert _judge("Metformin 500 mg bd after meals; dizziness before lunch.",
                  "Dizziness before lunch; metformin 500 mg twice daily after food.") == []
