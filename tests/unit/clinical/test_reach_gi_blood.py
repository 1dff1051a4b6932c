"""Development check for the GI, liver, blood and micronutrient conditions (issue 11, breadth):
each condition has one short typical note in English and one in Chinese, written by the
knowledge author from the cited guidelines (not from any evaluation set). The condition
must be in the top 3 and the triage level must be the one the agreed policy
(CONDITIONS.md) gives."""

from __future__ import annotations

import pytest
from reach import check

# (condition id, age, sex, note, expected triage)
CASES = [
    ("amoebiasis", 32, "male", "Loose stools with blood and mucus on and off for 3 weeks, crampy abdominal pain. "
     "Afebrile. Stool microscopy: E. histolytica trophozoites seen.", "urgent"),
    ("amoebiasis", 40, "male", "发热、右上腹痛10天，肝大，肝区叩击痛。超声：肝右叶低回声，考虑肝脓肿。半月前曾有腹泻。", "urgent"),
    ("giardiasis", 6, "female", "Diarrhoea for 3 weeks, foul-smelling greasy stools that float, bloating and lots of wind, "
     "losing weight. No blood, no fever.", "routine"),
    ("giardiasis", 28, "male", "腹泻2周余，大便恶臭、油腻，腹胀、排气多，嗳气有臭鸡蛋味。无发热，无血便。", "routine"),
    ("gord_dyspepsia", 45, "female", "Heartburn and acid reflux for months, worse lying down and after big meals. "
     "No weight loss, no vomiting, no black stools.", "routine"),
    ("gord_dyspepsia", 38, "male", "反复烧心、反酸半年，饭后及平卧加重，偶有上腹胀。无吞咽困难，无黑便，体重无下降。", "routine"),
    ("constipation", 4, "male", "Hard pellet-like stools every 4-5 days, cries and strains to pass stool, tummy ache. "
     "Eats few vegetables. No vomiting, tummy not distended.", "routine"),
    ("constipation", 70, "female", "便秘2个月，大便干结，排便费力，3-4天一次，平时喝水少、活动少。无便血，无体重下降，无腹胀呕吐。", "routine"),
    ("haemorrhoids_anal_fissure", 35, "female", "Bright red blood on the toilet paper after passing hard stools, "
     "sharp pain on defecation for 2 weeks. O/E posterior midline anal fissure.", "routine"),
    ("haemorrhoids_anal_fissure", 50, "male", "便后滴鲜血1周，肛门口有肿物脱出，便后可自行回纳，久坐、便秘。无腹痛，无体重下降。", "routine"),
    ("chronic_hepatitis_b", 34, "male", "Known hepatitis B carrier, HBsAg positive, came for follow-up. Feels well, "
     "mild fatigue. No jaundice, no ascites.", "routine"),
    ("chronic_hepatitis_b", 29, "female", "乙肝小三阳10年，乙肝表面抗原阳性，乏力、食欲差1个月，肝区隐痛。无黄疸，无腹水。", "routine"),
    ("liver_cirrhosis", 55, "male", "Heavy drinker for 20 years. Abdomen getting bigger for a month, shifting dullness, "
     "spider naevi, ankle swelling, mild jaundice. Alert, no fever.", "routine"),
    ("liver_cirrhosis", 60, "male", "乙肝肝硬化病史，近2天嗜睡、胡言乱语，扑翼样震颤阳性，腹水明显。", "emergency"),
    ("sickle_cell_crisis", 9, "male", "Known sickle cell disease. Severe pain in both legs and back since last night, "
     "like his previous crises. Temp 37.2. Chest clear, SpO2 97%.", "urgent"),
    ("sickle_cell_crisis", 16, "female", "镰状细胞病患者，发热、胸痛、气促1天，SpO2 88%。", "emergency"),
    ("rickets", 2, "male", "Bowed legs since he started walking, widened wrists and rachitic rosary, late teething. "
     "Kept indoors, no vitamin D drops.", "routine"),
    ("rickets", 1, "female", "10月龄，夜惊、多汗、枕秃，方颅，肋骨串珠，很少晒太阳，未补充维生素D。", "routine"),
    ("vitamin_a_deficiency", 4, "male", "Mother says he cannot see at night and bumps into things at dusk. "
     "Bitot's spots on both eyes. Thin; measles 2 months ago.", "routine"),
    ("vitamin_a_deficiency", 30, "female", "孕28周，近1个月晚上看不清东西，天黑看不见，查体双眼结膜干燥，可见毕脱斑。", "routine"),
]


@pytest.mark.parametrize(("cid", "age", "sex", "note", "level"), CASES,
                         ids=[f"{c[0]}-{i % 2 and 'zh' or 'en'}" for i, c in enumerate(CASES)])
def test_condition_in_top3_with_policy_triage(cid, age, sex, note, level):
    check(cid, level, note, age=age, sex=sex)


def test_every_condition_has_an_english_and_a_chinese_note():
    ids = [c[0] for c in CASES]
    assert all(ids.count(i) == 2 for i in ids)
    assert len(set(ids)) == 10
