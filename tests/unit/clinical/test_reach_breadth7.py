"""Breadth pass 7 (issue 11).

1. Audit: every condition named as still missing after pass 6 (peripartum cardiomyopathy to child
   maltreatment), the development sets' answers that had no knowledge-base entry, and the conditions
   added from a walk of a national STG's chapters are in the knowledge base under the condition id
   that covers them and within their ICD-10 family.
2. Reach of the conditions added by this pass. Short English and Chinese notes written for this test
   from the typical presentation in each condition's cited guideline (not copied from any evaluation
   set): the condition must be in the top 3 and the triage level must follow the agreed policy
   (CONDITIONS.md) and the breadth-7 rules. Look-alike notes must NOT put a breadth-7 condition first.
3. Every expression of findings_breadth7.toml, read alone, yields its finding."""

from __future__ import annotations

import tomllib

import pytest
from reach import assess, case_ids, check, expressions_read_as_their_findings

from lantern.clinical.knowledge import knowledge_dir, load_knowledge

# (name, condition id, ICD-10 family)
BREADTH7 = [
    ("peripartum cardiomyopathy", "peripartum_cardiomyopathy", "O90.3"), ("myocarditis", "myocarditis", "I40"),
    ("HFRS", "hfrs", "A98.5"), ("SFTS", "sfts", "A93"), ("thalassaemia", "thalassaemia", "D56"), ("lymphoma", "lymphoma", "C85"),
    ("retinoblastoma", "retinoblastoma", "C69.2"), ("noma", "noma", "A69.0"), ("Ludwig's angina", "ludwigs_angina", "K12.2"),
    ("lung abscess", "lung_abscess", "J85"), ("adrenal crisis", "adrenal_crisis", "E27.2"),
    ("chronic glaucoma", "open_angle_glaucoma", "H40.1"), ("cord prolapse", "umbilical_cord_prolapse", "O69.0"),
    ("rodenticide poisoning", "rodenticide_poisoning", "T60"), ("aconite poisoning", "aconite_poisoning", "T62"),
    ("child maltreatment", "child_maltreatment", "T74"),
    # development-set answers with no entry before this pass
    ("giant cell arteritis / PMR", "giant_cell_arteritis", "M31.5"), ("acute gastritis", "acute_gastritis", "K29"),
    ("breath-holding spell", "breath_holding_spells", "R06.8"), ("round ligament pain", "round_ligament_pain", "O26.8"),
    ("postpartum blues", "postpartum_blues", "O90.6"), ("obstetric pulmonary embolism", "pulmonary_embolism", "O88.2"),
    # national STG walk
    ("postpartum psychosis", "postpartum_psychosis", "F53.1"), ("stomach cancer", "gastric_cancer", "C16"),
    ("nasopharyngeal cancer", "nasopharyngeal_carcinoma", "C11"), ("nitrite poisoning", "nitrite_poisoning", "D74"),
    ("altitude sickness", "acute_mountain_sickness", "T70.2"), ("haemophilia", "haemophilia", "D66"),
    ("chikungunya", "chikungunya", "A92.0"), ("liver fluke", "clonorchiasis", "B66.1"), ("silicosis", "silicosis", "J62"),
    ("sudden hearing loss", "sudden_sensorineural_hearing_loss", "H91.2"),
    ("congenital heart disease", "congenital_heart_disease", "Q24"), ("intimate partner violence", "intimate_partner_violence", "T74"),
    ("puffer fish poisoning", "pufferfish_poisoning", "T61.2"), ("prostate cancer", "prostate_cancer", "C61"),
    ("ingrown toenail", "ingrown_toenail", "L60.0"), ("bladder cancer", "bladder_cancer", "C67"),
    ("datura / anticholinergic poisoning", "anticholinergic_poisoning", "T44.3"), ("aspirin poisoning", "salicylate_poisoning", "T39.0"),
    ("hydrocephalus", "hydrocephalus", "G91"),
    ("cluster headache", "cluster_headache", "G44.0"),
]


def _scope() -> dict[str, list[str]]:
    return tomllib.loads((knowledge_dir() / "icd10_scope.toml").read_text(encoding="utf-8"))["scope"]


@pytest.mark.parametrize(("name", "cid", "family"), BREADTH7, ids=[r[0] for r in BREADTH7])
def test_breadth7_condition_is_in_the_knowledge_base(name, cid, family):
    kb = load_knowledge()
    assert cid in kb.conditions, f"{name!r}: condition {cid!r} missing"
    codes = [kb.conditions[cid].icd10.upper(), *[p.upper() for p in _scope().get(cid, [])]]
    assert any(c.startswith(family) or family.startswith(c) for c in codes), (name, cid, codes, family)


CASES = [
    # (condition, triage, age, sex, note)
    ("peripartum_cardiomyopathy", "urgent", 27, "female", "Delivered 6 weeks ago. Now breathless lying flat, needs 3 pillows, swollen legs, pulse 112. BP 118/76, no fever, SpO2 95%."),
    ("peripartum_cardiomyopathy", "urgent", 31, "female", "女，31岁，产后1个月，夜间不能平卧，活动后气短，双下肢水肿，心率110次/分，胸片示心影增大。"),
    ("myocarditis", "urgent", 19, "male", "Had flu last week; now chest pain and palpitations, short of breath on walking. Pulse 118 with a temperature of 37.6. Troponin raised."),
    ("myocarditis", "urgent", 16, "female", "女，16岁，感冒后1周出现心悸、胸闷、乏力，心率120次/分，心肌酶升高。"),
    ("hfrs", "urgent", 40, "male", "Farmer, harvesting rice, mice in the store room. Fever 39.5 for 4 days with headache, low back pain and pain around the eyes; flushed face and neck, red eyes, passing little urine, protein in the urine."),
    ("hfrs", "emergency", 45, "male", "男，45岁，农民，秋收后发热4天，头痛、腰痛、眼眶痛，面颈部潮红，结膜充血，腋下出血点，尿少，尿蛋白阳性，家里有老鼠。"),
    ("sfts", "urgent", 62, "female", "Picks tea on the hills. Fever 39 for 5 days, vomiting and diarrhoea, very tired; low platelets and low white cell count. Found a tick on her leg."),
    ("sfts", "urgent", 65, "male", "男，65岁，山区采茶，发热5天，乏力、恶心、腹泻，血小板减少，白细胞减少，曾被蜱虫叮咬。"),
    ("thalassaemia", "routine", 4, "male", "Pale since infancy, big spleen and liver, slightly yellow eyes, small for his age; the iron syrup did not help. A cousin has thalassaemia."),
    ("thalassaemia", "routine", 6, "female", "女童6岁，自幼面色苍白，脾大，生长落后，颧骨突出，需要反复输血，父母均为地贫基因携带者。"),
    ("lymphoma", "routine", 24, "male", "Painless rubbery lumps in the neck getting bigger for 2 months, drenching night sweats, weight loss and itching. HIV negative, no cough, no TB contact."),
    ("lymphoma", "routine", 35, "female", "女，35岁，颈部无痛性淋巴结进行性肿大2个月，伴盗汗、消瘦、发热，无咳嗽。"),
    ("retinoblastoma", "urgent", 1.5, "male", "Mother noticed a white pupil in the right eye in flash photos; the eye now turns in (squint). No injury, no discharge."),
    ("retinoblastoma", "urgent", 2, "female", "女童2岁，家长发现拍照时左眼瞳孔发白，近1月出现斜视，无外伤。"),
    ("noma", "urgent", 3, "male", "Severely wasted child after measles; bad breath, swollen left cheek with a black patch on the cheek, drooling, gums rotting."),
    ("noma", "urgent", 4, "female", "女童4岁，重度营养不良，麻疹后口臭，牙龈坏死，面颊发黑肿胀，流涎。"),
    ("ludwigs_angina", "emergency", 35, "male", "Rotten lower molar for weeks; now fever, swelling under the tongue and both sides of the jaw, tongue pushed up, drooling, cannot swallow, muffled voice."),
    ("ludwigs_angina", "emergency", 42, "female", "女，42岁，下颌磨牙龋齿，发热，口底肿胀，舌下肿胀，张口受限，吞咽困难，流涎。"),
    ("lung_abscess", "routine", 48, "male", "Heavy drinker who passed out drunk at a party 3 weeks ago. Fever and cough with large amounts of foul-smelling sputum, some blood streaks. Chest X-ray: cavity with an air-fluid level."),
    ("lung_abscess", "routine", 52, "male", "男，52岁，长期酗酒，发热咳嗽2周，咳大量脓臭痰，胸片示右下肺空洞伴气液平。"),
    ("adrenal_crisis", "emergency", 55, "female", "On prednisolone for years for asthma, ran out of steroids 5 days ago. Now vomiting, abdominal pain, very weak, BP 80/50."),
    ("adrenal_crisis", "emergency", 40, "male", "男，40岁，艾迪生病，服氢化可的松替代治疗，腹泻呕吐2天，乏力，血压85/50，血钠低。"),
    ("open_angle_glaucoma", "routine", 62, "female", "Bumps into door frames and loses her side vision slowly over years, both eyes. No pain, no red eye. Mother had glaucoma. Screening: cupped optic disc."),
    ("open_angle_glaucoma", "routine", 58, "male", "男，58岁，双眼视野逐渐缩小1年，无眼痛，无眼红，眼底检查视杯扩大，眼压偏高。"),
    ("umbilical_cord_prolapse", "emergency", 25, "female", "In labour at 38 weeks, waters broke at home and the midwife saw the cord coming out at the vulva. Baby's heart rate 90."),
    ("umbilical_cord_prolapse", "emergency", 28, "female", "女，28岁，孕37周，破膜后阴道口见脐带脱出，胎心减慢。"),
    ("rodenticide_poisoning", "emergency", 30, "female", "Swallowed rat poison (brodifacoum) 3 days ago after a quarrel; now bleeding gums, blood in the urine and bruises."),
    ("rodenticide_poisoning", "emergency", 8, "male", "男童8岁，误食毒鼠强拌的食物半小时，反复抽搐，口吐白沫。"),
    ("aconite_poisoning", "emergency", 55, "male", "Drank herbal wine with aconite 1 hour ago; numbness and tingling of the mouth and hands, vomiting, palpitations, irregular pulse. BP 90/60."),
    ("aconite_poisoning", "emergency", 60, "female", "女，60岁，服用自煎附子汤后1小时，口唇和四肢发麻，恶心呕吐，心悸，脉搏不齐。"),
    ("child_maltreatment", "urgent", 0.4, "male", "5-month-old with bruises on the cheek and both arms; he is not yet rolling over. The story keeps changing and they came 3 days after the injury."),
    ("child_maltreatment", "urgent", 7, "female", "女童7岁，全身新旧不一的瘀伤，背部条状瘀伤，说被继母打，不敢回家。"),
    ("giant_cell_arteritis", "urgent", 72, "female", "New headache at the temples for 3 weeks, scalp tender when combing her hair, jaw pain on chewing, stiff aching shoulders in the mornings, tired, lost weight."),
    ("giant_cell_arteritis", "urgent", 70, "male", "男，70岁，新发双侧颞部头痛3周，颞动脉压痛增粗，咀嚼时下颌痛，双肩晨僵，血沉增快。"),
    ("acute_gastritis", "routine", 28, "male", "Burning upper abdominal pain and nausea since a heavy drinking binge at a wedding 2 days ago. Soft abdomen, mild epigastric tenderness. No vomiting blood, no black stool."),
    ("acute_gastritis", "routine", 35, "female", "女，35岁，服布洛芬止痛3天后上腹烧灼痛、恶心，无黑便，无呕血，腹软，上腹轻压痛。"),
    ("breath_holding_spells", "routine", 1.5, "male", "Toddler fell and cried hard, then held his breath, went pale and limp for a few seconds, then gasped and was fine. Has done this before when upset. No fever."),
    ("breath_holding_spells", "routine", 2, "female", "女童2岁，哭闹后屏气，面色苍白，身体发软数秒后自行恢复，既往有类似发作，无发热。"),
    ("round_ligament_pain", "routine", 26, "female", "22 weeks pregnant, sharp pulling pain in the right groin for a few seconds when she stands up or turns in bed. No bleeding, no fever, baby moving, uterus soft and not tender."),
    ("round_ligament_pain", "routine", 29, "female", "女，29岁，孕18周，左侧腹股沟牵拉痛，起身翻身时明显，数秒缓解，无阴道流血，无发热，子宫无压痛。"),
    ("postpartum_blues", "routine", 24, "female", "Day 4 after delivery, baby blues: tearful and anxious, poor sleep, but feeding the baby well and bonding. No thoughts of harm, no voices."),
    ("postpartum_blues", "routine", 27, "female", "女，27岁，产后第5天，产后爱哭，情绪波动，睡眠少，能照顾宝宝和哺乳，无自伤想法。"),
    ("postpartum_psychosis", "emergency", 25, "female", "10 days after the birth, not sleeping for 3 nights, talking nonsense, hearing voices and says the baby is not hers. No fever."),
    ("postpartum_psychosis", "emergency", 30, "female", "女，30岁，产后2周，连续几天不睡觉，胡言乱语，出现幻听，认为孩子被附身，无发热。"),
    ("gastric_cancer", "routine", 62, "male", "Upper abdominal pain for 3 months, feels full after a few mouthfuls, lost 8 kg, pale. Hb 8.5. Epigastric mass on examination."),
    ("gastric_cancer", "urgent", 58, "male", "男，58岁，上腹隐痛3个月，食欲减退，消瘦，黑便，胃镜示胃部肿物。"),
    ("nasopharyngeal_carcinoma", "routine", 45, "male", "From Guangdong. Blood-stained nasal mucus on waking for 2 months, blocked right ear, and a painless hard lump high in the right neck."),
    ("nasopharyngeal_carcinoma", "routine", 42, "male", "男，42岁，回吸性涕血2个月，右耳闷堵，右侧颈部无痛性肿块，eb病毒抗体阳性。"),
    ("nitrite_poisoning", "emergency", 35, "female", "Three family members ill 2 hours after a meal cooked with industrial salt: headache, dizziness, blue lips and nails, SpO2 85% despite oxygen."),
    ("nitrite_poisoning", "emergency", 40, "male", "男，40岁，误把工业盐当食盐做饭，饭后1小时口唇发绀，头晕，气短，同桌多人发病。"),
    ("acute_mountain_sickness", "urgent", 30, "male", "Flew to Lhasa yesterday; severe headache, nausea and vomiting, could not sleep. No confusion, walking normally."),
    ("acute_mountain_sickness", "emergency", 35, "female", "女，35岁，进藏第2天，头痛，气短，咳粉红色泡沫痰，肺部湿啰音。"),
    ("haemophilia", "urgent", 9, "male", "Known haemophilia. Swollen painful right knee after a small fall, no fever. Bleeding for a long time after a tooth extraction last year."),
    ("haemophilia", "emergency", 12, "male", "男童12岁，血友病，头部撞伤后头痛、呕吐。"),
    ("chikungunya", "urgent", 35, "female", "Chikungunya outbreak in the town. Sudden fever and severe pain in the wrists, fingers and ankles, cannot walk, with a rash and muscle aches. No bleeding."),
    ("chikungunya", "urgent", 40, "male", "男，40岁，当地基孔肯雅热流行，突发高热，多关节剧痛，手腕脚踝肿痛，伴皮疹。"),
    ("clonorchiasis", "routine", 45, "male", "Eats raw fish porridge and yusheng often. Dull right upper abdominal discomfort, bloating and tiredness for months. Stool: liver fluke eggs."),
    ("clonorchiasis", "routine", 50, "male", "男，50岁，广东人，常吃鱼生，右上腹隐痛，腹胀，乏力，粪便查见肝吸虫卵。"),
    ("silicosis", "routine", 50, "male", "Worked 20 years as a gold miner underground; breathless on walking uphill, dry cough for a year. No fever, no night sweats."),
    ("silicosis", "routine", 48, "male", "男，48岁，采石场工人20年，活动后气短，干咳1年，无发热。"),
    ("sudden_sensorineural_hearing_loss", "urgent", 45, "female", "Woke up deaf in the left ear yesterday, with ringing and a blocked feeling. Ear canal and drum normal, no wax, no discharge."),
    ("sudden_sensorineural_hearing_loss", "urgent", 38, "male", "男，38岁，昨日晨起右耳突然听不见，伴耳鸣、耳闷，外耳道及鼓膜正常。"),
    ("congenital_heart_disease", "urgent", 0.3, "male", "3-month-old sweats and gets breathless when feeding, stops to rest during feeds, poor weight gain. Loud murmur at the left sternal edge."),
    ("congenital_heart_disease", "urgent", 0.5, "female", "女婴6个月，吃奶时出汗、气促，体重增长慢，心前区可闻及杂音。"),
    ("intimate_partner_violence", "routine", 30, "female", "Comes with headaches and poor sleep; later says her husband hits her when he drinks and she is afraid of him. Bruises on the arms."),
    ("intimate_partner_violence", "routine", 33, "female", "女，33岁，反复头痛失眠，诉经常被丈夫打，身上有瘀伤，害怕回家。"),
    ("pufferfish_poisoning", "emergency", 45, "male", "Ate puffer fish soup 2 hours ago; numb lips and tongue, tingling fingers, vomiting, now slurred speech and weak legs."),
    ("pufferfish_poisoning", "emergency", 50, "male", "男，50岁，吃河豚后1小时口唇舌头发麻，四肢无力，言语不清，恶心呕吐。"),
    ("prostate_cancer", "routine", 68, "male", "Weak stream and getting up at night for a year, now back pain and weight loss; hard irregular prostate on rectal examination."),
    ("prostate_cancer", "routine", 70, "male", "男，70岁，排尿费力1年，腰骶部骨痛，消瘦，直肠指检前列腺质硬有结节，psa升高。"),
    ("ingrown_toenail", "routine", 17, "male", "Painful red swollen big toe, the nail edge is growing into the skin with some pus at the corner. Wears tight football boots."),
    ("ingrown_toenail", "routine", 20, "female", "女，20岁，右脚大脚趾嵌甲，甲沟红肿疼痛，有少量脓液。"),
    ("bladder_cancer", "routine", 64, "male", "Smoker for 40 years, painless blood in the urine twice this month, no burning, no fever, no loin pain."),
    ("bladder_cancer", "routine", 66, "male", "男，66岁，吸烟40年，无痛性肉眼血尿2次，无尿频尿痛，无发热。"),
    ("anticholinergic_poisoning", "urgent", 16, "male", "Ate datura seeds with friends 3 hours ago; dilated pupils, dry mouth, hot dry red skin, pulse 130, cannot pass urine."),
    ("anticholinergic_poisoning", "emergency", 35, "female", "女，35岁，误食曼陀罗籽后2小时，瞳孔散大，口干，皮肤干热潮红，心率130次/分，烦躁，胡言乱语。"),
    ("salicylate_poisoning", "emergency", 17, "female", "Took a lot of aspirin tablets after a fight 4 hours ago; ringing in the ears, vomiting, sweating, breathing fast and deep."),
    ("salicylate_poisoning", "urgent", 30, "female", "女，30岁，2小时前大量服用阿司匹林，耳鸣，恶心，出汗。"),
    ("hydrocephalus", "urgent", 0.4, "male", "5-month-old whose head is getting bigger, bulging fontanelle, sunset eyes, vomiting and irritable. Born premature, had meningitis."),
    ("hydrocephalus", "urgent", 0.5, "female", "女婴6个月，头围增长过快，前囟饱满，落日征，呕吐，烦躁。"),
    ("cluster_headache", "urgent", 35, "male", "Smoker. For 3 weeks, attacks of excruciating pain around the right eye every night at the same time, lasting an hour, with a watering red eye and a runny right nostril; paces about with the pain."),
    ("cluster_headache", "urgent", 38, "male", "男，38岁，吸烟，近3周每晚同一时间头痛发作，右眼眶周围剧痛伴流泪，每次约1小时，头痛时坐立不安。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


# Look-alikes: a neighbouring condition's typical note must not be taken by a breadth-7 condition.
LOOKALIKES = [
    # (must not lead, age, sex, note)
    ("acute_gastritis", 45, "male", "Epigastric pain worse when hungry, relieved by food, for 3 months; known ulcer, black stools yesterday."),
    ("acute_gastritis", 40, "female", "Heartburn and acid coming up into the mouth, worse lying down after big meals, for a year."),
    ("lymphoma", 6, "male", "Fever and a tender red swollen node in the neck for 3 days after a sore throat."),
    ("lymphoma", 30, "male", "Cough for 6 weeks, night sweats, weight loss, matted neck nodes; wife on TB treatment."),
    ("myocarditis", 60, "male", "Central crushing chest pain for an hour radiating to the left arm with sweating; smoker and diabetic."),
    ("peripartum_cardiomyopathy", 29, "female", "34 weeks pregnant, BP 165/110, headache and blurred vision, protein in the urine."),
    ("postpartum_blues", 28, "female", "3 months after delivery, feels hopeless and worthless, no interest in anything, not caring for the baby, thinks of dying."),
    ("round_ligament_pain", 25, "female", "20 weeks pregnant, fever 38.8, right loin pain, burning urine, vomiting."),
    ("breath_holding_spells", 1.5, "female", "Fever 39.5 since this morning, then shaking of all four limbs for 2 minutes, now sleepy."),
    ("open_angle_glaucoma", 65, "female", "Sudden painful red left eye with blurred vision, halos around lights, headache and vomiting."),
    ("open_angle_glaucoma", 70, "male", "Vision getting misty over a year in both eyes, glare from headlights at night, white pupils."),
    ("thalassaemia", 3, "female", "Eats soil, pale, Hb 8, spoon-shaped nails; drinks a lot of cow's milk."),
    ("giant_cell_arteritis", 30, "female", "Throbbing one-sided headache with flashing lights before it, nausea and dislike of light, monthly."),
    ("hfrs", 25, "male", "Fever 39 for 3 days, headache, pain behind the eyes, muscle aches, rash; dengue outbreak in town."),
    ("sfts", 30, "male", "Fever and headache after walking in long grass; black scab on the groin (eschar), rash."),
    ("rodenticide_poisoning", 30, "male", "Sprayed pesticide on the cotton crop; sweating, pinpoint pupils, drooling, muscle twitching."),
    ("nasopharyngeal_carcinoma", 20, "female", "Sneezing and itchy runny nose every spring, blocked nose, itchy eyes."),
    ("chikungunya", 55, "female", "Morning stiffness for over an hour and swelling of the small joints of both hands for 6 months, no fever."),
    ("child_maltreatment", 4, "male", "Fell off the swing at school in front of the teacher; graze on the knee and a bruise on the shin."),
    ("adrenal_crisis", 30, "male", "Vomiting and watery diarrhoea since yesterday after a party meal, thirsty, pulse 100, BP 118/74."),
    ("lung_abscess", 35, "male", "Cough for 5 weeks with night sweats and weight loss; GeneXpert positive."),
    ("gastric_cancer", 30, "female", "Burning epigastric pain after meals for a week after ibuprofen; no weight loss."),
    ("bladder_cancer", 25, "female", "Burning urine, going often, blood at the end of urination, suprapubic pain, nitrite positive."),
    ("prostate_cancer", 70, "male", "Cannot pass urine since last night, bladder distended and painful; known enlarged prostate, soft smooth prostate."),
    ("anticholinergic_poisoning", 40, "male", "Sprayed the field with organophosphate; pinpoint pupils, sweating, drooling, vomiting."),
    ("cluster_headache", 65, "female", "Sudden painful red right eye with halos around lights, hard eye, nausea and vomiting."),
    ("hydrocephalus", 1, "male", "Fever 39.5 for 2 days, vomiting, very drowsy, bulging fontanelle, stiff neck."),
]


@pytest.mark.parametrize(("condition", "age", "sex", "note"), LOOKALIKES, ids=[c[0] for c in LOOKALIKES])
def test_lookalike_is_not_taken(condition, age, sex, note):
    out = assess(note, age=age, sex=sex)
    assert out["differential"], note
    assert out["differential"][0]["condition_id"] != condition, (condition, note)


def test_every_expression_of_breadth7_reads_as_its_finding():
    """Each expression of findings_breadth7.toml, read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth7.toml")
    assert len(entries) > 700
    assert missed == []
