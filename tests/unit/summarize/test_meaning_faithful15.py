"""Faithful rewordings a small model makes that the meaning check now keeps (issue 13, point
3; causes found on meaning-change development sets 3-5), each beside a real change of the
same kind that it must still drop: numbers written as words at a threshold, a frequency
written as "every N hours" (每N小时一次), a side letter inside a slash short form, the verb
forms of smoking, a negated wording the source writes in another form (NKDA), Chinese
filler words and a frequency or route in words, a result's arrow as a word, everyday
Chinese words for findings, a broader finding inside a narrower one's words, "X-free", and
a hedge written as "suggestive of". The notes are written for these tests."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.meaning import meaning_of


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def test_a_number_written_as_a_word_at_a_threshold_is_that_number():
    src = "Alert, CRT <3 s, warm peripheries."
    assert _judge(src, "She is alert, with a capillary refill time under three seconds and warm peripheries.") == []
    assert _judge(src, "She is alert, with a capillary refill time under four seconds and warm peripheries.") != []
    assert _judge(src, "She is alert, with a capillary refill time over three seconds and warm peripheries.") != []


def test_every_n_hours_is_the_frequency_in_any_writing():
    src = "Paracetamol 500 mg po q6h prn."
    assert _judge(src, "Paracetamol 500 mg by mouth every six hours as needed.") == []
    assert _judge(src, "Paracetamol 500 mg by mouth every eight hours as needed.") != []
    src_zh = "予布洛芬 200 mg q8h 口服。"
    assert _judge(src_zh, "给予布洛芬200 mg口服，每8小时一次。") == []
    assert _judge(src_zh, "给予布洛芬200 mg口服，每12小时一次。") != []


def test_the_once_of_a_chinese_rate_is_no_count():
    src = "规律宫缩，间隔4分钟。"
    assert "1" not in meaning_of("宫缩规律，每4分钟一次。").plain_numbers
    assert _judge(src, "宫缩规律，每4分钟一次。") == []
    assert _judge(src, "宫缩规律，每6分钟一次。") != []


def test_a_side_letter_inside_a_slash_short_form_is_no_side():
    src = "Safety-netting advice given, r/v if no better."
    assert meaning_of(src).sides == set()
    assert _judge(src, "Safety-netting advice was given; to be reviewed if no better.") == []
    # a real side is still a side
    assert _judge("R knee pain.", "Left knee pain.") != []


def test_the_verbs_of_smoking_are_the_smoker_finding():
    src = "Non-smoker. Drinks 4 units a week."
    assert _judge(src, "He does not smoke and drinks 4 units a week.") == []
    assert _judge(src, "He smokes and drinks 4 units a week.") != []
    # (a verb of the social history opens a clause: "does not smoke and drinks" drinks)
    assert _judge("Ex-smoker, quit 2010. No alcohol.", "He does not drink alcohol and quit smoking in 2010.") == []
    assert _judge("Ex-smoker, quit 2010. No alcohol.", "He drinks alcohol and quit smoking in 2010.") != []
    src2 = "Smokes 20 cigs/day."
    assert _judge(src2, "He smokes 20 cigarettes a day.") == []
    assert _judge(src2, "He does not smoke.") != []


def test_a_negated_wording_the_source_writes_in_another_form_keeps_its_polarity():
    src = "Allergies: NKDA. On no regular medicines."
    assert _judge(src, "She has no known drug allergies and takes no regular medicines.") == []
    assert _judge("Allergies: co-trimoxazole (rash).", "She has no known drug allergies.") != []
    # a plain word of the same tables is still compared for its polarity
    assert _judge("Abdomen soft, non-tender.", "The abdomen is soft and tender.") != []


def test_chinese_filler_words_and_a_frequency_in_words_carry_no_fact():
    src = "头颅CT未见出血，拟行静脉溶栓。阿司匹林100 mg po qd。"
    cand = "患者头颅CT没有发现出血，计划进行静脉溶栓治疗。阿司匹林100 mg口服，每日一次。"
    assert _judge(src, cand) == []
    assert _judge(src, "患者头颅CT发现出血，计划进行静脉溶栓治疗。阿司匹林100 mg口服，每日一次。") != []
    assert _judge(src, "患者头颅CT没有发现出血，计划进行静脉溶栓治疗。阿司匹林100 mg口服，每日两次。") != []


def test_a_result_arrow_is_its_word():
    for src, same, other in (("CRP 86 ↑.", "CRP raised at 86.", "CRP raised at 68."),
                             ("ALT 86 ↑.", "ALT raised at 86.", "ALT raised at 68."),
                             ("CRP 86 ↑.", "CRP raised at 86.", "CRP low at 86.")):
        assert _judge(src, same) == []
        assert _judge(src, other) != []
    assert _judge("血压150/95 mmHg，较前↑。", "血压150/95 mmHg，比之前升高。") == []
    assert _judge("血压150/95 mmHg，较前↑。", "血压150/95 mmHg，比之前降低。") != []


def test_everyday_chinese_words_for_findings():
    assert _judge("尿量减少1天，伴畏寒。", "小便量减少一天，伴有畏冷。") == []
    assert _judge("尿量减少1天，伴畏寒。", "小便量减少一天，不畏冷。") != []
    assert _judge("术后第2天，已排气，未规律服药。", "手术后第二天，已经排气，患者没有按时服药。") == []
    assert _judge("术后第2天，已排气。", "手术后第二天，还没有排气。") != []


def test_a_broader_finding_inside_a_present_finding_is_said():
    src = "Fever and rash for 1 day: blanching maculopapular rash on trunk."
    assert _judge(src, "Fever for one day with a maculopapular rash on the trunk that blanches.") == []
    # a negated narrower finding does not deny the broader one, and "rash" is not "petechiae"
    assert _judge(src, "Fever for one day with a petechial rash on the trunk.") != []
    assert "rash" not in {fid for fid, _ in meaning_of("No maculopapular rash.").findings}


def test_free_of_a_finding_negates_it():
    src = "Known epilepsy, no seizures for 2 years on lamotrigine 100 mg bd."
    assert _judge(src, "Known epilepsy, seizure-free for two years on lamotrigine 100 mg twice daily.") == []
    assert _judge(src, "Known epilepsy, seizures for two years on lamotrigine 100 mg twice daily.") != []


def test_suggestive_of_is_a_hedge():
    src = "Low mood, poor sleep and weight loss suggestive of depression."
    assert _judge(src, "Low mood, poor sleep and weight loss, probably depression.") == []
    assert _judge(src, "Low mood, poor sleep and weight loss due to depression.") != []


def test_an_article_free_past_illness_reads_as_the_one_with_its_article():
    src = "Eczema as baby."
    assert _judge(src, "Had eczema as a baby.") == []
    assert _judge(src, "Has eczema.") != []


def test_a_large_body_region_counts_only_beside_a_burn():
    """The region read for a burn's extent (triage) says nothing of its own in an examination."""
    assert _judge("双下肢无水肿，足背动脉搏动可及。", "两下肢无水肿，足背动脉搏动可触及。") == []
    assert _judge("Scald to both legs and the chest and belly.", "Scald to the left leg.") != []


def test_having_stopped_smoking_is_no_wish_to_stop():
    """"已戒烟两年" (quit two years ago) is a past smoker, not tobacco dependence."""
    quit_two_years = {f for f, _ in meaning_of("吸烟史：20年，已戒烟两年。").findings}
    assert not {"tobacco_dependence", "smoking_dependence"} & quit_two_years
    assert {"tobacco_dependence", "smoking_dependence"} & {f for f, n in meaning_of("吸烟20年，想戒烟但戒不掉。").findings if not n}
