"""The assessment's meaning (issue 13, meaning_change_dev_blind12): the course of an illness
(improving, worsening, not improving, stable) and the grade of its severity (mild, moderate,
severe; 轻度/中度/重度) are facts of a line, compared as values; a hedge of the same degree
reworded around a diagnosis keeps the line's certainty even when its scope reaches the
supporting findings differently. Each class in English and Chinese, with the change it must
still drop."""

from __future__ import annotations

from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def _reasons(source: str, candidate: str) -> list[str]:
    return check_sentence(candidate, SourceIndex.build([source]), replaces=[source]).reasons


# --- course ---------------------------------------------------------------------------------

def test_an_improving_illness_turned_worsening_is_dropped():
    assert _reasons("Cellulitis of the arm, improving on antibiotics.",
                    "Cellulitis of the arm, worsening on antibiotics.")
    assert _reasons("尿路感染经治疗后较前好转。", "尿路感染经治疗后较前加重。")
    assert _reasons("Otitis media, not improving after 3 days.", "Otitis media, improving after 3 days.")


def test_the_course_reworded_is_kept():
    assert _reasons("Cellulitis of the arm, improving on antibiotics.",
                    "Cellulitis of the arm, getting better on antibiotics.") == []
    assert _reasons("湿疹较前好转。", "湿疹有所改善。") == []


def test_a_safety_net_condition_and_an_aggravating_factor_are_no_course():
    assert _reasons("Cough worse at night. Return if breathing is getting worse.",
                    "Cough worse at night. Come back if the breathing is worsening.") == []
    assert _reasons("咳嗽3天，如病情加重随时就诊。", "咳嗽3天，如果加重随时就诊。") == []


# --- severity -------------------------------------------------------------------------------

def test_a_severity_grade_changed_is_dropped():
    assert _reasons("Mild dehydration in a child with diarrhoea.", "Severe dehydration in a child with diarrhoea.")
    assert _reasons("轻度贫血，予铁剂治疗。", "重度贫血，予铁剂治疗。")
    assert _reasons("Moderate croup.", "Croup.")


def test_a_severity_grade_reworded_is_kept():
    assert _reasons("Dehydration, moderate.", "Moderate dehydration.") == []
    assert _reasons("中度贫血。", "贫血（中度）。") == []


# --- certainty of the line ------------------------------------------------------------------

def test_a_hedge_on_the_diagnosis_reworded_keeps_the_supporting_findings():
    assert _reasons("Probable pneumonia - fever and crackles at the left base.",
                    "Likely pneumonia: there is fever and there are crackles at the left base.") == []
    assert _reasons("急性胆囊炎可能，墨菲征阳性。", "考虑急性胆囊炎可能：墨菲征阳性。") == []


def test_a_certainty_degree_changed_is_still_dropped():
    assert _reasons("Possible pneumonia - fever and crackles at the left base.",
                    "Pneumonia: fever and crackles at the left base.")
    assert _reasons("Possible pneumonia with fever.", "Probable pneumonia with fever.")
    assert _reasons("疑似肺炎，发热。", "肺炎，发热。")
