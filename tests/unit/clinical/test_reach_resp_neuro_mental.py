"""Reach of the resp_neuro_mental conditions: for each, one short typical English and one
Chinese note, written from the cited guidelines (not from any case set). The condition must be
in the top 3 of the differential and the triage level must be the one the agreed policy
(CONDITIONS.md) gives."""

from __future__ import annotations

import pytest
from reach import check, service

# (condition id, triage level, age in years, sex, note)
CASES = [
    ("deep_vein_thrombosis", "urgent", 58, "female",
     "Left calf swollen and painful for 3 days, 10 days after hip surgery. Calf tender, "
     "left calf 4 cm larger than right. No fever, no redness. No breathlessness, no chest pain."),
    ("deep_vein_thrombosis", "urgent", 45, "male",
     "右小腿肿胀疼痛2天，1周前长途乘车十余小时。查体：右小腿肿，腓肠肌压痛，皮肤不红。无发热，无胸痛，无气促。"),
    ("pulmonary_embolism", "emergency", 34, "female",
     "Sudden onset shortness of breath and sharp chest pain worse on breathing in, 2 weeks "
     "after caesarean section. Right leg swollen. HR 118, RR 28, SpO2 91%. No fever, no cough."),
    ("pulmonary_embolism", "emergency", 62, "male",
     "突发气促、胸痛，吸气时加重，咯血一次。近期手术后长期卧床。左下肢肿胀。心率120次/分，SpO2 88%。无发热。"),
    ("acute_rheumatic_fever", "urgent", 10, "male",
     "Fever and painful swollen knee then ankle for 5 days, pain moving from joint to joint. "
     "Sore throat 3 weeks ago. Soft pansystolic murmur at the apex."),
    ("acute_rheumatic_fever", "urgent", 12, "female",
     "发热1周，游走性关节痛，先膝关节后踝关节。3周前咽痛。心尖部收缩期杂音。"),
    ("rheumatic_heart_disease", "routine", 24, "female",
     "Known rheumatic heart disease, stopped monthly benzathine injections. Breathless on "
     "exertion, palpitations, mild ankle swelling. Mid-diastolic murmur at apex."),
    ("rheumatic_heart_disease", "routine", 30, "female",
     "风湿性心脏病病史多年，活动后气短，心悸。查体：心尖部舒张期杂音。无发热。"),
    ("croup", "emergency", 2, "male",
     "Barking cough, hoarse voice and noisy breathing since last night after a runny nose. "
     "Stridor at rest, mild chest indrawing. Temp 38.1."),
    ("croup", "routine", 1.5, "female",
     "流涕2天，夜间犬吠样咳嗽，声音嘶哑。安静时无喉鸣，无胸凹陷，能喝水。"),
    ("epiglottitis", "emergency", 4, "male",
     "High fever and very sore throat for 6 hours, drooling, cannot swallow saliva, muffled "
     "voice, soft stridor, sitting still. Not vaccinated."),
    ("epiglottitis", "emergency", 40, "male",
     "咽痛剧烈半天，吞咽困难，流涎，不能咽口水，语音含糊，发热39.2度。"),
    ("foreign_body_aspiration", "emergency", 2, "male",
     "Choked on a peanut while eating 1 hour ago, sudden coughing fit, now wheeze on the right "
     "and reduced air entry on the right. No fever."),
    ("foreign_body_aspiration", "emergency", 3, "female",
     "吃花生时呛咳后出现咳嗽、喘息，右侧呼吸音减低。无发热，无流涕。"),
    ("pneumothorax", "emergency", 22, "male",
     "Tall thin smoker with sudden sharp left chest pain and breathlessness. Absent breath "
     "sounds and hyperresonant percussion on the left. RR 28, HR 110."),
    ("pneumothorax", "emergency", 35, "male",
     "胸部外伤后突发胸痛、气促。左侧呼吸音消失，叩诊鼓音，气管偏移。"),
    ("covid19", "routine", 35, "female",
     "Fever, dry cough, body aches and loss of smell for 3 days. Husband covid positive. "
     "Covid antigen test positive. SpO2 97%."),
    ("covid19", "routine", 40, "male",
     "发热、咳嗽、咽痛3天，嗅觉减退，家人新冠阳性，新冠抗原阳性。SpO2 97%。"),
    ("bronchiectasis", "routine", 45, "female",
     "Cough with copious foul-smelling sputum every day for years, recurrent chest "
     "infections after TB treated 10 years ago. Finger clubbing, coarse crackles."),
    ("bronchiectasis", "routine", 50, "male",
     "反复咳嗽、咳大量脓痰10余年，反复肺部感染。查体：杵状指，双下肺湿啰音。"),
    ("depression", "routine", 32, "female",
     "Low mood and loss of interest for 2 months since losing her job, poor sleep, tired, "
     "feels worthless. Denies suicidal thoughts."),
    ("depression", "routine", 45, "female",
     "情绪低落2个月，对什么都提不起兴趣，失眠早醒，乏力，自责。否认自杀念头。"),
    ("suicide_risk", "emergency", 19, "male",
     "Says he wants to die, has bought pesticide and wrote a suicide note. Low mood for months."),
    ("suicide_risk", "urgent", 28, "female",
     "情绪低落，近来有自杀念头，觉得活着没意思，未制定计划。"),
    ("psychosis", "urgent", 23, "male",
     "Hearing voices and believes neighbours are trying to poison him for 2 months, talking "
     "to himself, aggressive at home. No fever, no alcohol."),
    ("psychosis", "routine", 26, "female",
     "凭空闻声1个月，总说有人要害她，自言自语，行为怪异。无发热，无饮酒。"),
    ("alcohol_withdrawal", "urgent", 48, "male",
     "Heavy drinker, stopped drinking 2 days ago. Tremor, sweating, anxious, HR 108."),
    ("alcohol_withdrawal", "emergency", 52, "male",
     "长期大量饮酒20年，停酒3天，出现手抖、大汗、幻视（看到虫子），意识模糊。"),
    ("dementia", "routine", 78, "female",
     "Gradually more forgetful over 2 years, repeats the same questions, got lost in her own "
     "village, needs help with dressing. No fever."),
    ("dementia", "routine", 80, "male",
     "近2年记忆力逐渐下降，转身就忘，出门找不到家，生活不能自理。无发热。"),
    ("febrile_seizure", "emergency", 1.5, "male",
     "Fever since this morning with runny nose; one generalised convulsion lasting 2 minutes, "
     "now fully alert and playing. No stiff neck."),
    ("febrile_seizure", "emergency", 2, "female",
     "发热1天，体温39.5度，抽搐1次约2分钟，全身性，抽后精神好。无颈项强直。"),
    # Bell's palsy (forehead and eye closure weak, limbs and speech normal) is urgent, not a
    # stroke emergency: issue 11, session 16 (CONDITIONS.md, triage_rules_calm16.toml)
    ("bells_palsy", "urgent", 35, "male",
     "Woke up with right facial droop, cannot close the right eye, cannot raise the right "
     "eyebrow, pain behind the ear. Arms and legs normal, speech normal."),
    ("bells_palsy", "urgent", 30, "female",
     "晨起发现左侧口角歪斜，左眼闭合不全，额纹消失，鼓腮漏气，耳后疼痛。四肢活动正常，言语清楚。"),
    ("transient_ischaemic_attack", "emergency", 68, "male",
     "Sudden weakness of the right arm and slurred speech this morning, lasted 20 minutes, "
     "now completely resolved. Known hypertension, BP 165/95."),
    ("transient_ischaemic_attack", "urgent", 70, "female",
     "今晨突发左侧肢体麻木，约十几分钟后缓解，现已恢复正常。高血压病史。"),
    ("head_injury", "emergency", 25, "male",
     "Fell from a motorbike and hit his head, brief loss of consciousness, vomited twice, "
     "cannot remember the accident. GCS 14."),
    ("head_injury", "urgent", 30, "female",
     "摔倒后头部撞伤，头皮血肿，头痛，无意识丧失，无呕吐，无抽搐。"),
]


@pytest.mark.parametrize("cid, level, age, sex, note", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_reach(cid, level, age, sex, note):
    check(cid, level, note, age=age, sex=sex)


def test_every_condition_has_an_english_and_a_chinese_note():
    by_cond: dict[str, set[str]] = {}
    for cid, _lvl, _age, _sex, note in CASES:
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in note) else "en"
        by_cond.setdefault(cid, set()).add(lang)
    assert len(by_cond) == 19
    assert all(langs == {"en", "zh"} for langs in by_cond.values()), by_cond


@pytest.mark.parametrize("note, level", [
    ("Sudden severe headache, the worst headache of her life, while lifting.", "emergency"),
    ("突发剧烈头痛，自述一生中最剧烈的头痛。", "emergency"),
    ("Swollen left leg since yesterday, no redness, no wound.", "urgent"),
])
def test_complaint_rules(note, level):
    out = service().assess_dict({"note": note, "age_years": 45}).to_dict()
    assert out["triage"] == level, out["triage"]
