"""Reach of the newborn and women's-health conditions: two short typical notes per
condition (English and Chinese, clinician or lay wording) reach the top 3 of the
differential with the triage level the agreed policy gives (young infants follow the
IMCI young-infant chart: severe jaundice, not breathing at birth and temperature
< 35.5 are emergencies; any other illness under 2 months is urgent)."""

from __future__ import annotations

import pytest
from reach import check

F, M = "female", "male"

CASES = [
    # condition, age, sex, pregnant, vitals, note, triage
    ("neonatal_jaundice", 0.015, M, None, None,
     # IMCI JAUNDICE (after day 1, palms and soles not yellow) is home care (issue 11, session 16)
     "5-day-old baby, yellow eyes and skin since day 3, breastfeeding well, palms and soles not yellow.", "routine"),
    ("neonatal_jaundice", 0.003, F, None, None,
     "生后第1天出现黄疸，皮肤发黄，手心脚心发黄，吃奶尚可。", "emergency"),
    ("omphalitis", 0.02, F, None, {"temp_c": 36.8},
     "7-day-old, belly button red with pus from the umbilicus, feeding well, active.", "urgent"),
    ("omphalitis", 0.025, M, None, None,
     "出生9天，脐部红肿，脐部流脓，有臭味，吃奶好。", "urgent"),
    ("neonatal_hypothermia", 0.005, M, None, {"temp_c": 35.0},
     "2-day-old preterm baby born at home, feels cold to touch, sucking slowly.", "emergency"),
    ("neonatal_hypothermia", 0.008, F, None, None,
     "出生3天的低出生体重儿，摸起来发凉，脚冰凉，家里很冷。", "urgent"),
    ("birth_asphyxia", 0.0, M, None, None,
     "Newborn just delivered after prolonged labour, did not cry at birth, not breathing, floppy.", "emergency"),
    ("birth_asphyxia", 0.0, F, None, None,
     "新生儿娩出后无自主呼吸，出生时不哭，全身青紫软，Apgar评分3分。", "emergency"),
    ("infant_colic", 0.25, M, None, {"temp_c": 36.9},
     "3-month-old crying inconsolably every evening for about 3 hours, draws up his legs, feeding well and gaining weight well, no fever, no vomiting.", "routine"),
    ("infant_colic", 0.2, F, None, None,
     "10周婴儿，每到傍晚就哭闹不止，哄不好，哭时双腿蜷曲，吃奶好，体重增长良好，无发热，无呕吐。", "routine"),
    ("gestational_diabetes", 29, F, True, {"sbp": 112, "dbp": 70},
     "27 weeks pregnant, OGTT abnormal at the antenatal visit: fasting glucose 5.6, 2-hour 9.1. Feels well.", "routine"),
    ("gestational_diabetes", 33, F, True, None,
     "孕26周，产检糖耐量试验异常，孕期血糖高，胎儿偏大，无不适。", "routine"),
    ("abnormal_uterine_bleeding", 42, F, None, {"heart_rate": 88, "sbp": 118, "dbp": 76},
     "Heavy periods for 6 months, flooding and passing clots, periods lasting 9 days, tired, pregnancy test negative.", "routine"),
    ("abnormal_uterine_bleeding", 38, F, None, None,
     "月经量多半年，经期延长，伴经间期出血，乏力，尿妊娠试验阴性。", "routine"),
    ("primary_dysmenorrhoea", 16, F, None, None,
     "Painful periods every month since menarche, cramping lower abdominal pain on the first 2 days of her period with nausea, no fever, no discharge.", "routine"),
    ("primary_dysmenorrhoea", 19, F, None, None,
     "痛经3年，每次来月经第一天下腹坠痛，伴恶心，无发热，白带正常。", "routine"),
    ("postpartum_depression", 26, F, None, None,
     "Delivered 5 weeks ago. Feeling sad and tearful most days, lost interest in everything, not bonding with the baby, poor sleep, feels she is a bad mother. No thoughts of suicide.", "routine"),
    ("postpartum_depression", 30, F, None, None,
     "产后6周，情绪低落，经常哭，对什么都提不起兴趣，不想管孩子，睡眠差，否认自杀念头。", "routine"),
    ("breast_mass", 48, F, None, None,
     "Painless lump in the left breast for 2 months, hard irregular lump fixed to the skin, nipple retraction, not breastfeeding, no fever.", "routine"),
    ("breast_mass", 52, F, None, None,
     "右乳无痛性肿块3个月，质硬固定，边界不清，伴乳头内陷和橘皮样改变，腋下包块，无发热。", "routine"),
]


@pytest.mark.parametrize("condition, age, sex, pregnant, vitals, note, level", CASES,
                         ids=[f"{c[0]}-{i % 2 and 'zh' or 'en'}" for i, c in enumerate(CASES)])
def test_reach(condition, age, sex, pregnant, vitals, note, level):
    check(condition, level, note, age=age, sex=sex, pregnant=pregnant, vitals=vitals)
