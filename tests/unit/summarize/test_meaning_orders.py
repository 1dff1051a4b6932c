"""The meaning check keeps what a draft line orders (tests, imaging, referral, admission,
procedures) and whose history it tells, as structured facts of the language layer
(issue 13, point 3): a rewording that leaves out "urgent CT head" or turns a father's
illness into the patient's is dropped, whatever its other words."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.durations import time_amounts
from lantern.clinical.language.meaning import (
    meaning_of,
    missing_meaning,
    unsupported_meaning,
    wording_keys,
)


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def test_orders_are_read_in_english_and_chinese_and_in_their_short_forms():
    assert wording_keys("Plan: urgent CT head, FBC, U&Es; refer to surgeons.", "orders") == {
        "ct", "blood_count", "renal_function", "referral"}
    assert wording_keys("完善胸片、血常规，建议转上级医院住院治疗。", "orders") == {
        "x_ray", "blood_count", "referral", "admission"}
    # the short form and the spelled-out form are one order
    assert wording_keys("CXR", "orders") == wording_keys("chest X-ray", "orders") == {"x_ray"}
    # a word that only contains an order's letters is not an order ("act", "Scott")
    assert wording_keys("Act now; seen by Dr Scott.", "orders") == set()


def test_a_rewording_that_leaves_out_an_order_of_the_draft_line_is_dropped():
    line = "Plan: urgent CT head and admit for observation."
    reasons = missing_meaning(meaning_of(line), meaning_of("Plan: admit for observation."))
    assert any("leaves out an order of the draft line (ct)" in r for r in reasons)
    assert _judge(line, "Plan: admit for observation.")
    assert _judge("建议转诊上级医院进一步检查。", "建议进一步检查。")
    assert _judge("Send MSU and FBC.", "Send an MSU.")


def test_a_rewording_that_orders_another_test_is_dropped():
    reasons = unsupported_meaning(meaning_of("Plan: MRI head."), meaning_of("Plan: CT head.", as_source=True))
    assert "orders what the source does not (mri)" in reasons
    assert _judge("复查血常规。", "复查肝功能。")


def test_an_order_written_another_way_is_kept():
    assert _judge("Plan: CXR, FBC, CRP; r/v with results tomorrow.",
                  "Plan chest X-ray, full blood count and CRP, and review tomorrow with the results.") == []
    assert _judge("疑似社区获得性肺炎，完善胸片。", "疑似社区获得性肺炎，行X线胸片检查。") == []


def test_whose_history_a_line_tells_is_kept():
    line = "Father had bowel cancer aged 50."
    assert any("leaves out whose history" in r
               for r in missing_meaning(meaning_of(line), meaning_of("Bowel cancer at 50.")))
    assert _judge(line, "Bowel cancer at age 50.")
    assert _judge("母亲有高血压病史。", "有高血压病史。")
    # a relative the source does not name gives the patient's illness to someone else
    assert _judge("Asthma since childhood.", "Mother has asthma since childhood.")
    # naming the relative as a family history says the same thing
    assert _judge("FHx asthma (mother).", "Family history: mother has asthma.") == []
    assert not missing_meaning(meaning_of("家族史：母亲有高血压病史。"), meaning_of("其母患高血压。"))


def test_an_amount_of_time_written_in_words_is_the_same_amount():
    assert time_amounts("Review in 2/52.") == time_amounts("review in two weeks") == {14.0}
    assert time_amounts("fell two days ago") == {2.0}
    assert _judge("Review in 2/52 with repeat U&Es.", "Repeat U&Es and review in two weeks.") == []
    assert _judge("Review in 2/52 with repeat U&Es.", "Repeat U&Es and review in three weeks.")


def test_a_duration_written_without_its_finding_is_kept_and_one_moved_is_not():
    line = "SOB on exertion, worse over 2/52. Denies chest pain."
    assert _judge(line, "Shortness of breath on exertion, getting worse over the past two weeks. No chest pain.") == []
    moved = _judge("Cough for 3 weeks, fever for 2 days.", "Cough for 2 days, fever for 3 weeks.")
    assert any("duration attached to another finding" in r for r in moved)


def test_a_dose_the_source_ties_to_no_drug_backs_the_drug_it_names_without_one():
    source = "Warfarin: INR 2.6, target 2-3, continue 5 mg daily, recheck 4/52."
    assert _judge(source, "INR 2.6 (target 2-3). Continue warfarin 5 mg daily and recheck INR in four weeks.") == []
    # a dose the source gives to another drug is still a change
    moved = _judge("Aspirin 300 mg stat, clopidogrel loading.", "Clopidogrel 300 mg stat, aspirin.")
    assert any("dose not given for this drug in the source (clopidogrel)" in r for r in moved)
    # and a bare number of the draft line written with its unit is the same number
    assert _judge("Levothyroxine increased from 75 to 100 mcg od.",
                  "Levothyroxine raised from 75 mcg to 100 mcg once daily.") == []


def test_a_frequency_glued_to_chinese_is_read_and_a_swapped_anticoagulant_is_dropped():
    source = "血钾3.2 mmol/L，予氯化钾缓释片1g tid口服。"
    assert _judge(source, "血钾3.2 mmol/L，给予口服氯化钾缓释片1g，每日三次。") == []
    reasons = _judge("房颤，予利伐沙班20mg qd抗凝。", "房颤，给予达比加群20mg每日一次抗凝。")
    assert "drug not in source" in reasons
