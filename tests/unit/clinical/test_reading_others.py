"""Notes written by other clinicians and by relatives: a last period weeks ago is a
missed period, the sex and age stated only in the text count, pregnancy danger signs
and the metabolic emergencies of children are read from lay words (issue 11, point 3)."""

from __future__ import annotations

import pytest
from diagnosis_sets import found

from lantern.clinical.language.durations import age_from_text, missed_period_spans, sex_from_text
from lantern.services.assessment import AssessmentService


@pytest.mark.parametrize(("text", "missed"), [
    ("Last period was 7 weeks ago.", True), ("LMP 3 weeks ago.", False),
    ("She has had no period for 2 months.", True), ("her last menstrual period was about seven weeks ago", True),
    ("停经50天，阴道少量出血。", True), ("末次月经是8周前。", True), ("停经20天。", False),
])
def test_a_last_period_five_weeks_ago_or_more_is_a_missed_period(text, missed):
    assert bool(missed_period_spans(text)) is missed


@pytest.mark.parametrize(("text", "sex"), [
    ("This 70 year old lady has a swollen calf.", "female"), ("45M, chest pain for 2 hours.", "male"),
    ("患者男，45岁，胸痛2小时。", "male"), ("女，32岁。停经7周。", "female"), ("3 yo boy with cough.", "male"),
    ("Mother says the baby refused feeding.", None), ("Child with fever.", None),
    ("A 34-year-old man and a woman came in.", None),
])
def test_sex_stated_only_in_the_text(text, sex):
    assert sex_from_text(text) == sex


def _assess(**case):
    return AssessmentService(use_llm=False).assess_dict(case).to_dict(with_warnings=True)


def _top3(result):
    return [c["condition_id"] for c in result["differential"][:3]]


def test_possible_ectopic_in_lay_words_is_an_emergency():
    r = _assess(note="28 year old woman, sudden lower tummy pain this morning, pain in the tip of her "
                     "right shoulder, a little bleeding. Her last period was about 7 weeks ago.")
    assert r["triage"] == "emergency" and "ectopic_pregnancy" in _top3(r)
    assert "sex taken from the note: female" in r["warnings"]


def test_severe_headache_in_late_pregnancy_is_an_emergency_and_pre_eclampsia_is_considered():
    r = _assess(note="At 36 weeks gestation, severe headache since this morning and seeing spots.", age_years=27)
    assert r["triage"] == "emergency" and "pre_eclampsia" in _top3(r)


def test_a_child_with_thirst_polyuria_vomiting_and_drowsiness_may_have_dka():
    r = _assess(note="10 year old girl, always thirsty and passing lots of urine for 2 weeks, now vomiting, "
                     "belly pain and very drowsy.")
    assert r["triage"] == "emergency" and "diabetic_ketoacidosis" in _top3(r)


def test_a_negated_expression_carries_its_negation_over_a_run_of_findings():
    got = found(age_years=30, note="腹痛1天。查体：腹平软，无压痛反跳痛，肠鸣音正常。")
    assert got.get("rebound_guarding") is True


def test_heard_and_felt_are_verbs_not_a_list_after_a_negation():
    # 闻及 / 触及 ("heard", "felt"): 及 is no "and" continuing the negation before the comma
    got = found(age_years=30, note="查体：无胸凹陷，右下肺可闻及湿啰音。")
    assert got["chest_indrawing"] is True and got["crackles"] is False


def test_dizziness_on_standing_with_a_missed_period_is_a_possible_ruptured_ectopic():
    r = _assess(note="Last period 7 weeks ago. Vaginal bleeding and lower abdominal pain since yesterday, "
                     "dizzy when she stands up.", age_years=26, sex="female")
    assert r["triage"] == "emergency" and _top3(r)[0] == "ectopic_pregnancy"


@pytest.mark.parametrize(("text", "age"), [
    ("a 5-day-old baby", 0.014), ("a 10-month-old baby", 0.833), ("出生3天的宝宝不吃奶", 0.008),
    ("Newborn baby not feeding since birth", 0.008), ("新生儿黄疸", 0.008),
    ("Delivered a newborn at home yesterday, heavy bleeding", None),   # the mother's note
])
def test_infant_ages_in_words_and_hyphens(text, age):
    from lantern.clinical.language.durations import age_from_text
    assert age_from_text(text) == age


def test_without_an_age_young_infant_conditions_are_not_ranked():
    r = _assess(note="Fever and cough for 3 days, feeding poorly.")
    assert not {"neonatal_sepsis", "omphalitis", "birth_asphyxia"} & {c["condition_id"] for c in r["differential"]}


@pytest.mark.parametrize(("text", "years"), [
    ("The grandmother came with the baby, who is six weeks old.", 0.115),
    ("a month old baby with cough", 0.083),
    ("a two-year-old boy", 2.0),
    ("baby girl born at home 3 days ago", 0.008),
    ("baby born two weeks ago, not feeding", 0.038),
])
def test_ages_written_in_words_or_from_the_birth(text, years):
    assert age_from_text(text) == years


@pytest.mark.parametrize("text", ["a week old wound on the leg", "a two-day-old rash", "had it since two years"])
def test_the_age_of_a_lesion_or_a_duration_is_not_the_patients(text):
    assert age_from_text(text) is None
