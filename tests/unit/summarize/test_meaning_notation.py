"""The meaning check reads clinical notation by its value, in the one place each kind of
number is read (issue 13, point 3): obstetric gravidity/parity and gestation
(``durations``), urine dipstick grades as an ordered scale (``results``), thresholds with
their side and what they measure (``claims``), durations written as fractions ("x 1/52")
shared by the findings of one complaint, and lexicon families of the knowledge base
(渗出, 两下肢不肿, 宫缩良好, "feeding well at the breast"). Each faithful rewording in another
notation is kept, and a real change written in the same notation is still dropped."""

from __future__ import annotations

import pytest

from lantern.clinical.language.claims import thresholds
from lantern.clinical.language.durations import find_durations, find_gestations, gravida_para
from lantern.clinical.language.results import dipstick_grade, dipstick_grades
from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def _reasons(source: str, candidate: str) -> list[str]:
    return check_sentence(candidate, SourceIndex.build([source]), replaces=[source]).reasons


# --- gestation and gravidity/parity -------------------------------------------------------

@pytest.mark.parametrize("text, days", [
    ("G2P1 at 32/40", 224), ("36+2/40", 254), ("Neonate, 36+2 weeks", 254), ("32 weeks' gestation", 224),
    ("30 weeks pregnant", 210), ("born at 36 weeks and 2 days", 254), ("GA 28+3", 199), ("孕36+2周", 254),
    ("妊娠32周3天", 227),
])
def test_a_gestation_is_read_in_days_however_it_is_written(text, days):
    assert [d for d, _ in find_gestations(text)] == [days]


def test_a_gestation_is_not_a_duration_but_a_fraction_of_weeks_still_is():
    assert find_durations("Neonate, 36+2 weeks, BW 2.4 kg") == []       # not "2 weeks" of anything
    assert [d for d, _ in find_durations("Cough x 1/52")] == [7.0]
    assert [d for d, _ in find_durations("fever for 2 weeks")] == [14.0]
    assert find_gestations("born 5 days ago") == [] and find_gestations("fever for 2 weeks") == []


@pytest.mark.parametrize("text, gp", [
    ("G2P1", (2, 1)), ("G3P2+1", (3, 2)), ("gravida 2 para 1", (2, 1)), ("primigravida", (1, 0)),
    ("second pregnancy with one previous birth", (2, 1)), ("孕2产1", (2, 1)),
])
def test_gravidity_and_parity_are_read_however_they_are_written(text, gp):
    assert [(g, p) for g, p, _ in gravida_para(text)] == [gp]


def test_obstetric_notation_rewritten_in_words_is_kept():
    assert _reasons("G2P1 at 32/40, FM present, no PV bleeding, no abdominal pain.",
                    "Second pregnancy with one previous birth, now 32 weeks' gestation. Fetal movements present; "
                    "no vaginal bleeding or abdominal pain.") == []
    assert _reasons("Neonate, 36+2 weeks, BW 2.4 kg, Apgars 8 and 9.",
                    "Baby born at 36 weeks and 2 days, birth weight 2.4 kg, Apgar scores 8 and 9.") == []
    assert _reasons("孕2产1，孕36+2周。", "G2P1, 36+2/40.") == []


@pytest.mark.parametrize("candidate", [
    "G2P1 at 23/40, FM present.",                                              # 32/40 -> 23/40
    "Second pregnancy with one previous birth, now 23 weeks' gestation. FM present.",
    "G3P1 at 32/40, FM present.",                                              # gravida changed
    "Second pregnancy with two previous births, now 32 weeks' gestation. FM present.",   # para changed
    "FM present.",                                                             # the gestation left out
])
def test_a_changed_obstetric_reading_is_dropped(candidate):
    assert _reasons("G2P1 at 32/40, FM present.", candidate) != []


def test_a_changed_gestation_in_days_is_dropped():
    assert any("gestation" in r for r in _reasons("Neonate, 36+2 weeks, BW 2.4 kg.",
                                                  "Baby born at 36 weeks and 5 days, birth weight 2.4 kg."))


# --- urine dipstick grades ----------------------------------------------------------------

@pytest.mark.parametrize("written, grade", [
    ("++", 2), ("2+", 2), ("(+++)", 3), ("+", 1), ("(+)", 1), ("阳性", 1), ("positive", 1), ("+ve", 1),
    ("阴性", 0), ("neg", 0), ("(-)", 0), ("trace", 0.5), ("±", 0.5), ("弱阳性", 0.5), ("banana", None),
])
def test_dipstick_grades_are_one_ordered_scale(written, grade):
    assert dipstick_grade(written) == grade


def test_dipstick_results_are_read_by_analyte():
    assert [(a, g) for a, g, _ in dipstick_grades("尿常规：白细胞(+++)，亚硝酸盐阳性。")] == [("leucocytes", 3), ("nitrite", 1)]
    assert [(a, g) for a, g, _ in dipstick_grades("positive for nitrites, leucocytes 2+, negative for blood")] == [
        ("nitrite", 1), ("leucocytes", 2), ("blood", 0)]
    assert dipstick_grades("NT-proBNP 300, WBC 12.3") == []


def test_a_dipstick_grade_in_another_notation_is_kept():
    assert _reasons("尿常规：白细胞(+++)，亚硝酸盐阳性。", "尿常规示白细胞3+，亚硝酸盐(+)。") == []
    assert _reasons("Urine dip: nitrites +ve, leucocytes ++, blood neg.",
                    "Urinalysis positive for nitrites, leucocytes 2+, negative for blood.") == []


@pytest.mark.parametrize("source, candidate", [
    ("Urine dip: protein ++, nitrites neg.", "Urine dipstick: protein +, nitrites negative."),       # ++ -> +
    ("Urine dip: protein ++, nitrites neg.", "Urine dipstick: protein 2+, nitrites positive."),      # neg -> pos
    ("尿常规：白细胞(+++)，亚硝酸盐阳性。", "尿常规示白细胞2+，亚硝酸盐(+)。"),
    ("尿常规：白细胞(+++)，亚硝酸盐阳性。", "尿常规示白细胞3+，亚硝酸盐阴性。"),
    ("尿蛋白阴性。", "尿蛋白弱阳性。"),                                                           # - -> ±
])
def test_a_changed_dipstick_grade_is_dropped(source, candidate):
    assert _reasons(source, candidate) != []


# --- thresholds ---------------------------------------------------------------------------

def test_a_threshold_is_read_with_its_side_and_what_it_measures():
    got = [(t.subject, t.side, t.number) for t in thresholds("Paracetamol 1 g if temp > 38.")]
    assert got == [("temperature", "above", "38")]
    for text in ("if temperature above 38.5", "发热>38.5℃时", "体温超过38.5℃时", "体温38.5℃以上"):
        assert [(t.subject, t.side) for t in thresholds(text)] == [("temperature", "above")], text
    assert [(t.subject, t.side, t.number) for t in thresholds("Give oxygen if SpO2 below 90%")] == [("", "below", "90")]
    assert [t.side for t in thresholds("max 4 g/24h")] == ["below"]
    assert thresholds("BP 140 over 90") == []            # a pressure, not a threshold
    assert thresholds("cough over 2 weeks") == []        # a duration


def test_a_threshold_written_another_way_is_kept():
    assert _reasons("Paracetamol 1 g if temp > 38.", "Paracetamol 1 g if temperature above 38.") == []
    assert _reasons("布洛芬 0.3g prn，发热>38.5℃时服用。", "体温超过38.5℃时按需服用布洛芬0.3g。") == []
    assert _reasons("Paracetamol 1 g qds prn for pain, max 4 g/24h.",
                    "Paracetamol 1 g up to four times a day as needed for pain, not exceeding 4 g in 24 hours.") == []


@pytest.mark.parametrize("source, candidate", [
    ("Paracetamol 1 g if temp > 38.", "Paracetamol 1 g if temperature below 38."),       # the side flipped
    ("Paracetamol 1 g if temp > 38.", "Paracetamol 1 g if temperature above 39."),       # the limit moved
    ("布洛芬 0.3g prn，发热>38.5℃时服用。", "体温低于38.5℃时按需服用布洛芬0.3g。"),
    ("Give oxygen if SpO2 < 90%.", "Give oxygen if SpO2 above 90%."),
    ("Paracetamol 1 g qds prn, max 4 g/24h.", "Paracetamol 1 g qds prn, at least 4 g in 24 hours."),
    ("Paracetamol 1 g if temp > 38.", "Paracetamol 1 g."),                               # the condition left out
])
def test_a_changed_threshold_is_dropped(source, candidate):
    assert _reasons(source, candidate) != []


# --- durations, pain scores, urgency ---------------------------------------------------------

def test_a_duration_of_one_complaint_belongs_to_all_its_findings():
    assert _reasons("Cough productive of green sputum x 1/52, afebrile.",
                    "One week of cough producing green sputum; no fever.") == []


@pytest.mark.parametrize("candidate", [
    "One month of cough producing green sputum; no fever.",
    "Cough producing green sputum x 1/12; no fever.",                          # 1/52 -> 1/12
])
def test_a_changed_fraction_duration_is_dropped(candidate):
    assert _reasons("Cough productive of green sputum x 1/52, afebrile.", candidate) != []


def test_a_duration_moved_across_a_conjunction_is_still_dropped():
    assert _reasons("Cough for 3 days and fever.", "Fever for 3 days and cough.") != []


def test_a_pain_score_out_of_ten_is_the_same_score_and_a_changed_score_is_dropped():
    assert _reasons("Pain 7/10, worse at night.", "Pain scored 7 out of 10, worse at night.") == []
    assert _reasons("Pain 7/10, worse at night.", "Pain scored 9 out of 10, worse at night.") != []


@pytest.mark.parametrize("source, candidate", [
    ("Plan: FBC, U&E, LFTs, and urgent CT head.", "Plan: FBC, U&E, LFTs, and CT head."),
    ("Refer urgently to hospital.", "Refer to hospital."),
    ("紧急转诊上级医院。", "转诊上级医院。"),
])
def test_a_dropped_urgency_word_is_a_change(source, candidate):
    assert "leaves out the urgency of the draft line" in _reasons(source, candidate)


# --- lexicon families of the knowledge base -----------------------------------------------

@pytest.mark.parametrize("source, candidate", [
    ("伤口干燥，无红肿渗液，术后第7天拆线。", "伤口干洁，无红肿及渗出，术后第7天拆线。"),
    ("双下肢无水肿，足背动脉搏动可。", "两下肢不肿，足背动脉搏动可触及。"),
    ("产后第2天，恶露量中，子宫收缩好。", "产后第二天，恶露量中等，宫缩良好。"),
    ("Breastfeeding well, weight gain 200 g/week, jaundice resolved.",
     "Feeding well at the breast and gaining 200 g per week; the jaundice has resolved."),
])
def test_lexicon_family_rewordings_are_kept(source, candidate):
    assert _reasons(source, candidate) == []


@pytest.mark.parametrize("source, candidate", [
    ("伤口干燥，无渗液。", "伤口有渗出。"),
    ("双下肢无水肿。", "两下肢肿。"),
    ("产后第2天，子宫收缩好。", "产后第2天，子宫收缩差。"),
    ("Breastfeeding well, weight gain 200 g/week.", "Not feeding well at the breast, weight gain 200 g/week."),
])
def test_the_same_families_with_the_meaning_changed_are_dropped(source, candidate):
    assert _reasons(source, candidate) != []


def test_a_duration_between_two_findings_parts_them():
    # two complaints each with its own duration: swapping them is a change
    assert _reasons("Sore throat 3 days runny nose 1 day.", "Sore throat 1 day runny nose 3 days.") != []
    # the duration written inside one complaint, in digits or in words, reads the same
    assert _reasons("Chest pain for 2 hours radiating to the left arm, sweating.",
                    "Chest pain for two hours radiating to the left arm, with sweating.") == []


def test_a_gestation_written_as_bare_weeks_is_the_same_gestation():
    assert _reasons("Pregnant, at 32 weeks, FM present.", "32 weeks pregnant, fetal movements present.") == []
    assert _reasons("G2P1 at 32/40.", "Second pregnancy, one previous birth, at 32 weeks.") == []
    assert _reasons("32 weeks' gestation.", "32/40.") == []
    assert _reasons("Pregnant, at 32 weeks.", "Pregnant, at 23/40.") != []
    assert _reasons("G2P1 at 32/40.", "Second pregnancy, one previous birth, at 23 weeks.") != []


def test_a_grade_written_before_its_analyte_is_read():
    assert [(a, g) for a, g, _ in dipstick_grades("2+ protein, trace of blood, +++ leucocytes")] == [
        ("protein", 2), ("blood", 0.5), ("leucocytes", 3)]
    assert [(g, p) for g, p, _ in gravida_para("3rd pregnancy, two previous deliveries")] == [(3, 2)]


def test_a_first_pregnancy_has_no_birth_before_it_and_no_is_a_negative_grade():
    assert [(g, p) for g, p, _ in gravida_para("first pregnancy")] == [(1, 0)]
    assert _reasons("Primigravida at 28/40.", "First pregnancy, 28 weeks.") == []
    assert _reasons("Primigravida at 28/40.", "Second pregnancy, 28 weeks.") != []
    assert _reasons("Urine dip: protein nil, glucose nil.", "Urine dipstick: no protein, no glucose.") == []
    assert _reasons("Urine dip: protein nil, glucose nil.", "Urine dipstick: protein 1+, no glucose.") != []
