"""Reach of the pregnancy and surgical-abdomen conditions: two short typical notes per
condition (English and Chinese, clinician or lay wording) reach the top 3 of the
differential with the triage level the agreed policy gives (obstetric danger signs
are emergencies)."""

from __future__ import annotations

import pytest
from reach import check

F, M = "female", "male"

CASES = [
    # condition, age, sex, pregnant, vitals, note, triage
    ("antenatal_care", 24, F, True, {"sbp": 110, "dbp": 70},
     "G2P1 at 20 weeks gestation, routine antenatal visit, no complaints, fetal movements felt.", "routine"),
    ("antenatal_care", 27, F, True, {"sbp": 115, "dbp": 72},
     "孕16周，来做常规产检，无不适，无阴道流血。", "routine"),
    ("hyperemesis_gravidarum", 22, F, True, {"heart_rate": 112},
     "8 weeks pregnant, vomiting many times a day for 2 weeks, cannot keep anything down, urine ketones ++, lost weight.", "urgent"),
    ("hyperemesis_gravidarum", 26, F, True, None,
     "孕9周，剧烈呕吐10天，吃什么吐什么，尿酮体阳性，口干，尿少。", "urgent"),
    ("antepartum_haemorrhage", 30, F, True, {"heart_rate": 104, "sbp": 100, "dbp": 60},
     "32 weeks pregnant, sudden painful vaginal bleeding, uterus hard and tender, baby moving less.", "emergency"),
    ("antepartum_haemorrhage", 33, F, True, None,
     "孕34周，无痛性阴道出血2小时，色鲜红，既往B超提示前置胎盘。", "emergency"),
    ("preterm_labour", 25, F, True, None,
     "30 weeks pregnant with regular painful contractions every 5 minutes since this morning and lower back pain.", "urgent"),
    ("preterm_labour", 29, F, True, None,
     "孕32周，规律宫缩4小时，下腹阵痛，宫口开2指。", "urgent"),
    ("prelabour_rupture_of_membranes", 27, F, True, None,
     "34 weeks pregnant, gush of clear fluid from the vagina last night and still leaking, no contractions.", "urgent"),
    ("prelabour_rupture_of_membranes", 31, F, True, None,
     "孕35周，阴道流液6小时，无腹痛，无宫缩。", "urgent"),
    ("puerperal_sepsis", 23, F, None, {"temp_c": 38.9, "heart_rate": 118},
     "Delivered at home 4 days ago. Fever, lower abdominal pain, foul smelling lochia, tender uterus.", "emergency"),
    ("puerperal_sepsis", 28, F, None, {"temp_c": 39.2},
     "产后第5天，发热，下腹痛，恶露有臭味，子宫压痛。", "emergency"),
    ("mastitis_breast_abscess", 25, F, None, {"temp_c": 38.4},
     "Breastfeeding mother, baby 3 weeks old. Painful, red, hot swollen area on her left breast, cracked nipple.", "routine"),
    ("mastitis_breast_abscess", 29, F, None, {"temp_c": 38.2},
     "哺乳期，右侧乳房红肿热痛3天，伴发热，乳头皲裂。", "routine"),
    ("molar_pregnancy", 19, F, True, {"sbp": 150, "dbp": 95},
     "12 weeks pregnant with vaginal bleeding, severe vomiting, uterus larger than dates, passed grape-like vesicles.", "urgent"),
    ("molar_pregnancy", 35, F, None, None,
     "停经10周，阴道不规则出血，子宫大于停经月份，排出水泡状组织，hCG明显升高。", "urgent"),
    ("incomplete_abortion", 26, F, True, None,
     "10 weeks pregnant, bleeding and cramping since yesterday, passed tissue, os open with products of conception at the os.", "urgent"),
    ("incomplete_abortion", 30, F, True, None,
     "孕9周，阴道流血伴下腹阵痛，排出组织物，宫口已开。", "urgent"),
    ("cholecystitis", 45, F, None, {"temp_c": 38.3},
     "Right upper quadrant pain for 1 day after a fatty meal, vomiting, Murphy's sign positive, known gallstones.", "urgent"),
    ("cholecystitis", 52, F, None, {"temp_c": 38.1},
     "饱餐后右上腹痛8小时，恶心呕吐，墨菲征阳性，既往胆囊结石。", "urgent"),
    ("acute_pancreatitis", 40, M, None, {"heart_rate": 110},
     "Severe epigastric pain radiating to the back after heavy drinking, vomiting repeatedly.", "urgent"),
    ("acute_pancreatitis", 48, M, None, None,
     "酒后上腹剧痛6小时，向背部放射，伴呕吐。", "urgent"),
    # obstruction with vomiting is an emergency (policy of 2026-12-07, WHO SCDH 5.4)
    ("intestinal_obstruction", 60, M, None, None,
     "Colicky abdominal pain, vomiting, abdominal distension, not passing flatus for 2 days, previous laparotomy, tinkling bowel sounds.", "emergency"),
    ("intestinal_obstruction", 66, F, None, None,
     "腹痛、腹胀、呕吐2天，停止排气排便，肠鸣音亢进，既往剖腹手术史。", "emergency"),
    ("perforated_peptic_ulcer", 50, M, None, {"heart_rate": 120},
     "Sudden severe epigastric pain now all over the abdomen, board-like rigid abdomen, long history of ulcer, takes ibuprofen.", "emergency"),
    ("perforated_peptic_ulcer", 45, M, None, None,
     "突发上腹剧痛3小时，迅速波及全腹，板状腹，既往胃溃疡病史。", "emergency"),
    ("peritonitis", 35, M, None, {"temp_c": 39.0, "heart_rate": 124},
     "Fever and generalised abdominal pain for 3 days, generalised tenderness with guarding and rebound, absent bowel sounds.", "emergency"),
    ("peritonitis", 30, F, None, {"temp_c": 38.8},
     "发热，全腹痛3天，全腹压痛、反跳痛，肠鸣音消失。", "emergency"),
    ("incarcerated_hernia", 58, M, None, None,
     "Painful right groin lump for 6 hours that cannot be pushed back, vomiting, known inguinal hernia.", "emergency"),
    ("incarcerated_hernia", 70, M, None, None,
     "右侧腹股沟包块不能回纳8小时，局部触痛，伴呕吐、腹胀。", "emergency"),
    ("upper_gi_bleeding", 55, M, None, {"heart_rate": 108},
     "Vomited blood twice today and passed black tarry stools, takes diclofenac for knee pain.", "urgent"),
    ("upper_gi_bleeding", 60, M, None, None,
     "呕血2次，解黑便，既往肝硬化病史。", "urgent"),
    ("lower_gi_bleeding", 62, M, None, None,
     "Bright red blood per rectum for 1 week, weight loss, change in bowel habit, feels dizzy.", "urgent"),
    ("lower_gi_bleeding", 45, F, None, None,
     "便后滴血2周，色鲜红，有痔疮史，无腹痛。", "routine"),
]


@pytest.mark.parametrize("condition, age, sex, pregnant, vitals, note, level", CASES,
                         ids=[f"{c[0]}-{i % 2 and 'zh' or 'en'}" for i, c in enumerate(CASES)])
def test_reach(condition, age, sex, pregnant, vitals, note, level):
    check(condition, level, note, age=age, sex=sex, pregnant=pregnant, vitals=vitals)
