"""Faithful rewordings the meaning check now keeps (issue 13, point 3; found on meaning-change
development set 4), each beside a real change of the same kind that it must still drop:
a drug written by its English name inside a Chinese line (or its formulary name), a dose
changed "from A to B mcg", the route of a drug, and a bowel that has passed flatus."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.drugs import canonical_drug
from lantern.clinical.language.meaning import meaning_of


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def test_a_drug_written_in_english_inside_a_chinese_line_is_the_same_drug():
    src = "继续度洛西汀 60 mg qd，2周后复诊。"
    assert _judge(src, "duloxetine 60 mg 每日一次继续服用，两周后复诊。") == []
    assert _judge(src, "duloxetine 30 mg 每日一次继续服用，两周后复诊。") != []
    assert _judge(src, "venlafaxine 60 mg 每日一次继续服用，两周后复诊。") != []


def test_the_formulary_names_a_drug_for_the_language_layer():
    # the formulary's Chinese name reads as the drug's one key
    assert canonical_drug("利培酮") == canonical_drug("risperidone") is not None
    src = "利培酮 1 mg bid，规律服药。"
    assert _judge(src, "risperidone 1 mg 每日两次，规律服药。") == []
    assert _judge(src, "risperidone 1 mg 每日三次，规律服药。") != []
    # a plain English word is not read as a drug ("potassium 5.1")
    assert "potassium" not in meaning_of("Potassium 5.1, sodium 138.").claims.drugs


def test_a_dose_changed_from_a_bare_number_takes_the_second_unit():
    src = "Levothyroxine increased from 50 to 75 mcg od."
    assert meaning_of(src).doses == {("levothyroxine", ("0.075", "mg"))}
    assert _judge(src, "Levothyroxine raised from 50 mcg to 75 mcg once daily.") == []
    assert _judge(src, "Levothyroxine raised from 50 mcg to 100 mcg once daily.") != []


def test_the_route_of_a_drug_is_compared():
    src = "予阿奇霉素 口服 qd x3天。"
    assert _judge(src, "予azithromycin 口服，每日一次，共3天。") == []
    assert any("route" in r for r in _judge(src, "予azithromycin 静脉滴注，每日一次，共3天。"))
    en = "Amoxicillin 500 mg PO tds for 5 days."
    assert _judge(en, "Oral amoxicillin 500 mg three times a day for five days.") == []
    assert any("route" in r for r in _judge(en, "IV amoxicillin 500 mg three times a day for five days."))


def test_passed_flatus_is_written_and_may_not_be_dropped():
    src = "术后第2天，已排气，无腹胀。"
    assert ("no_flatus", True) in meaning_of(src).findings
    assert _judge(src, "术后第二天，肛门已排气，无腹胀。") == []
    assert _judge(src, "术后第二天，无腹胀。") != []
    assert _judge(src, "术后第二天，未排气，无腹胀。") != []


def test_lexicon_wordings_of_known_findings():
    # 胎动良好 (fetal movements good), 难以入睡 (hard to fall asleep), light sensitivity, ulceration
    anc = "孕30周，胎动好，无腹痛。"
    assert _judge(anc, "妊娠30周，胎动良好，无腹痛。") == []
    assert _judge(anc, "妊娠30周，无腹痛。") != []
    mood = "焦虑2月，入睡困难，无自杀念头。"
    assert _judge(mood, "近两个月焦虑，难以入睡，无自杀想法。") == []
    assert _judge(mood, "近两个月焦虑，难以入睡，有自杀想法。") != []
    eye = "Conjunctivitis L eye, no photophobia, acuity 6/6."
    assert ("photophobia", True) in meaning_of("Left eye conjunctivitis; no light sensitivity; acuity 6/6.").findings
    assert any("negation" in r for r in _judge(eye, "Left eye conjunctivitis with light sensitivity; acuity 6/6."))
    legs = "Varicose veins R leg, no ulcer, no bleeding."
    assert _judge(legs, "Right leg varicose veins. No ulceration. No bleeding.") == []
    assert _judge(legs, "Right leg varicose veins with ulceration. No bleeding.") != []


def test_half_a_year_is_six_months_and_once_nightly_is_no_number():
    src = "继续阿托伐他汀 20 mg qn，6个月后复查血脂。"
    assert _judge(src, "继续 atorvastatin 20 mg 每晚一次；半年后复查血脂。") == []
    assert _judge(src, "继续 atorvastatin 20 mg 每晚一次；3个月后复查血脂。") != []
    assert _judge(src, "继续 atorvastatin 20 mg 每日一次；半年后复查血脂。") != []
    # whole months from two months on, and 5 months is still not 6
    assert _judge("Review in 6 months.", "Review in 5 months.") != []
    assert _judge("Cough for 3 weeks.", "Cough for 1 month.") != []
