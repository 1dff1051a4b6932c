"""Rewordings of passages where medicines and numbers crowd together (issue 13, session 19):
how long each drug is taken, whether a drug is stopped or goes on, the kind of insulin a dose
belongs to, and the time each reading of a series was taken. Each class keeps a faithful
rewording and drops one that moves one fact to another drug or time. Notes written for these
tests (English and Chinese), not taken from any evaluation set."""

from __future__ import annotations

import pytest
from tests.benchmarks.bench_meaning import judge


def reasons(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


# (class, draft line, faithful rewording, rewording that changes one fact)
CASES = [
    ("course_swapped_en",
     "Doxycycline 100 mg bd x 7/7. Ibuprofen 400 mg tds x 3/7.",
     "Doxycycline 100 mg twice daily for seven days and ibuprofen 400 mg three times daily for three days.",
     "Doxycycline 100 mg twice daily for three days and ibuprofen 400 mg three times daily for seven days."),
    ("course_swapped_zh",
     "阿奇霉素0.5g qd×3天，布地奈德雾化1mg bid×1周。",
     "阿奇霉素每次0.5克、每日一次，服三天；布地奈德1毫克雾化每日两次，用一周。",
     "阿奇霉素每次0.5克、每日一次，服一周；布地奈德1毫克雾化每日两次，用三天。"),
    ("course_and_review_point",
     "Plan: cefalexin 500 mg qds x 5 days; review in 3 days.",
     "Plan is cefalexin 500 mg four times daily for five days, with review in three days.",
     "Plan is cefalexin 500 mg four times daily for three days, with review in five days."),
    ("stopped_continued_en",
     "Continue atenolol 50 mg od. Diclofenac 50 mg tds stopped.",
     "Atenolol 50 mg once daily carries on; diclofenac 50 mg three times daily has been stopped.",
     "Atenolol 50 mg once daily and diclofenac 50 mg three times daily are both continued."),
    ("stopped_and_started_en",
     "Plan: stop enalapril, switch to candesartan 8 mg od.",
     "Enalapril stopped and candesartan 8 mg once daily started in its place.",
     "Enalapril continued and candesartan 8 mg once daily started as well."),
    ("held_continued_zh",
     "氨氯地平5mg qd继续。阿司匹林100mg qd暂停，术后再用。",
     "氨氯地平每日一次5毫克继续服用；阿司匹林100毫克每日一次暂停，术后再用。",
     "氨氯地平每次5毫克、每日一次已停用；阿司匹林100毫克每日一次暂停，术后再用。"),
    ("insulin_kinds_zh",
     "地特胰岛素12U qn，赖脯胰岛素4U tid餐前。",
     "每晚地特胰岛素12单位，三餐前赖脯胰岛素各4单位。",
     "每晚地特胰岛素4单位，三餐前赖脯胰岛素各12单位。"),
    ("insulin_kinds_en",
     "Insulin detemir 14 units nocte, insulin lispro 5 units tds with meals.",
     "Insulin detemir 14 units at night and insulin lispro 5 units three times daily with meals.",
     "Insulin detemir 5 units at night and insulin lispro 14 units three times daily with meals."),
    ("series_months_zh",
     "尿酸：1月520，4月460，7月390μmol/L。继续别嘌醇0.1g bid。",
     "血尿酸1月为520，4月460，7月降至390 μmol/L。继续别嘌醇0.1克每日两次。",
     "血尿酸1月为390，4月460，7月升至520 μmol/L。继续别嘌醇0.1克每日两次。"),
    ("arrow_as_words_en",
     "PEFR 220 -> 310 -> 380 L/min over 3 days. Continue beclometasone 200 mcg bd.",
     "Over three days the peak flow rose from 220 to 310 and then to 380 L/min. Beclometasone 200 mcg twice daily continues.",
     "Over three days the peak flow rose from 220 to 330 and then to 380 L/min. Beclometasone 200 mcg twice daily continues."),
    ("arrow_as_words_zh",
     "血钠 128→132→136mmol/L。继续限水。",
     "血钠从128升到132，随后升至136 mmol/L。继续限水。",
     "血钠从128升到134，随后升至136 mmol/L。继续限水。"),
    ("dose_by_weight_zh",
     "体重14kg。阿奇霉素10mg/kg qd，即140mg qd×3天。",
     "患儿14公斤，阿奇霉素按每公斤10毫克、每日一次，即每次140毫克，共三天。",
     "患儿14公斤，阿奇霉素按每公斤10毫克、每日一次，即每次120毫克，共三天。"),
    ("dose_by_weight_en",
     "Wt 9 kg. Ibuprofen 10 mg/kg = 90 mg tds prn.",
     "Weight 9 kg: ibuprofen 90 mg (10 mg/kg) three times a day when needed.",
     "Weight 9 kg: ibuprofen 60 mg (10 mg/kg) three times a day when needed."),
    ("rate_written_out",
     "Maintenance 0.45% NaCl + 5% dextrose 30 ml/h.",
     "Maintenance 0.45% sodium chloride with 5% dextrose at 30 ml an hour.",
     "Maintenance 0.45% sodium chloride with 5% dextrose at 50 ml an hour."),
    ("result_units_zh",
     "Hb 92g/L↓，铁蛋白8μg/L↓。予多糖铁复合物150mg qd。",
     "血红蛋白92 g/L偏低，铁蛋白8 μg/L偏低。予多糖铁复合物150毫克每日一次。",
     "血红蛋白92 g/L偏低，铁蛋白8 μg/L偏低。予多糖铁复合物300毫克每日一次。"),
    ("crp_and_ogtt_spelled_out",
     "OGTT at 28/40: fasting 5.4, 2 h 8.6 mmol/L. Recheck CRP in 3 days.",
     "A glucose tolerance test at 28 weeks gave fasting 5.4 and two-hour 8.6 mmol/L; recheck the C-reactive protein in three days.",
     "A glucose tolerance test at 28 weeks gave fasting 5.4 and two-hour 8.6 mmol/L; recheck the blood count in three days."),
    ("series_days_en",
     "CRP 180 day 1, 95 day 3, 30 day 5 on ceftriaxone.",
     "On ceftriaxone the CRP fell from 180 on day one to 95 on day three and 30 on day five.",
     "On ceftriaxone the CRP fell from 180 on day one to 30 on day three and 95 on day five."),
]


@pytest.mark.parametrize(("name", "source", "faithful", "changed"), CASES, ids=[c[0] for c in CASES])
def test_faithful_kept_changed_dropped(name: str, source: str, faithful: str, changed: str) -> None:
    assert reasons(source, faithful) == [], name
    assert reasons(source, changed), name


@pytest.mark.parametrize(("source", "faithful"), [
    # a rate is no course ("40 ml an hour", "every three days"), nor a later point in time
    ("Maintenance 0.9% NaCl at 4 ml/kg/h = 40 ml/h. Review U&E in 6 hrs.",
     "Maintenance 0.9% sodium chloride at 4 ml/kg/h, that is 40 ml an hour; review urea and electrolytes in six hours."),
    ("Prednisolone 40 mg od x 5/7 then reduce by 5 mg every 3 days to stop.",
     "Prednisolone 40 mg once a day for five days, then cut by 5 mg every three days until stopped."),
    # a regimen's course is the course of each of its drugs
    ("RHZE 3 tabs od for 2 months, then RH 3 tabs od for 4 months.",
     "Rifampicin, isoniazid, pyrazinamide and ethambutol, three tablets once daily for two months, followed by "
     "rifampicin and isoniazid, three tablets once daily for four months."),
    # "both" before a frequency is no side of the body
    ("Continue losartan 50 mg od and indapamide 2.5 mg od.",
     "Losartan 50 mg and indapamide 2.5 mg, both once daily, continue."),
    # a value that fell to a number is no fall, nor a dose cut by an amount a wound
    ("Wt 82 kg -> 79 kg over 5 days. Prednisolone reduce by 5 mg weekly.",
     "Over five days weight fell from 82 kg to 79 kg. Prednisolone is cut by 5 mg every week."),
    # an instruction beside a drug is not its status
    ("Continue amlodipine on morning of surgery. Fasting: no food 6h.",
     "Told to take amlodipine on the morning of surgery and to stop eating 6 hours before."),
])
def test_faithful_kept(source: str, faithful: str) -> None:
    assert reasons(source, faithful) == []


def test_a_fall_from_a_height_is_still_a_fall() -> None:
    source = "3yo fell from bed ~1 m, cried at once. No LOC."
    assert reasons(source, "A three-year-old fell about one metre from a bed and cried at once; no loss of consciousness.") == []
    assert reasons(source, "A three-year-old cried at once; no loss of consciousness.")
