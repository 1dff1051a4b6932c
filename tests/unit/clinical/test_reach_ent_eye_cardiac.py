"""Development check for the ENT, eye and cardiovascular conditions (issue 11, breadth):
each condition has one short typical note in English and one in Chinese, written by the
knowledge author from the cited guidelines (not from any evaluation set). The condition
must be in the top 3 and the triage level must be the one the agreed policy
(CONDITIONS.md) gives."""

from __future__ import annotations

import pytest
from reach import check

# (condition id, age, sex, note, expected triage)
CASES = [
    ("otitis_externa", 24, "male", "Itchy right ear for a week after swimming, now painful. Pain on pulling the pinna, "
     "ear canal red and swollen with debris. Afebrile.", "routine"),
    ("otitis_externa", 30, "female", "左耳痒、耳痛3天，常用棉签掏耳朵。牵拉耳廓痛，外耳道弥漫性红肿，鼓膜看不清。无发热。", "routine"),
    ("chronic_suppurative_otitis_media", 9, "male", "Pus draining from the left ear on and off for 6 months, no pain. "
     "Hears less on that side. O/E central perforation of the TM, no swelling behind the ear. No fever.", "routine"),
    ("chronic_suppurative_otitis_media", 35, "female", "反复右耳流脓5年，无耳痛，听力下降。查体：右鼓膜中央性穿孔，耳道内少量脓性分泌物。无发热。", "routine"),
    # mastoiditis without intracranial signs is an urgent same-day referral (issue 11, session 16)
    ("mastoiditis", 4, "female", "Ear pain and fever for a week, now a tender red swelling behind the right ear, "
     "the ear is pushed forward.", "urgent"),
    ("mastoiditis", 6, "male", "右耳痛、发热1周，近2天耳后红肿，压痛明显，耳廓被推向前。", "urgent"),
    ("impacted_cerumen", 62, "male", "Left ear feels blocked and hearing is reduced for 2 weeks, mild ringing. "
     "No pain, no discharge. Canal full of hard wax.", "routine"),
    ("impacted_cerumen", 45, "female", "右耳闷、听力下降1周，洗澡进水后加重，无耳痛，无流脓。外耳道耵聍栓塞。", "routine"),
    ("foreign_body_ear_nose", 3, "male", "Mother says he pushed a bead up his nose yesterday. Foul-smelling discharge from one "
     "nostril. Playing, breathing comfortably.", "routine"),
    ("foreign_body_ear_nose", 25, "male", "昨晚睡觉时虫子爬进耳朵，耳内响声大，耳痛。查体：右外耳道见一小昆虫。", "routine"),
    ("allergic_rhinitis", 19, "female", "Every spring: bouts of sneezing, itchy nose and eyes, clear runny nose, blocked nose. "
     "No fever. Mother has hay fever. Pale swollen turbinates.", "routine"),
    ("allergic_rhinitis", 28, "male", "反复鼻痒、连续打喷嚏、流清涕2年，每到春天加重，接触灰尘后明显，无发热。查体：鼻黏膜苍白水肿。", "routine"),
    ("epistaxis", 10, "male", "Nosebleed from the left nostril 20 minutes ago after nose picking, stopped with pressure. "
     "No fever, no bleeding gums, no bruising.", "routine"),
    ("epistaxis", 58, "male", "流鼻血半小时，左侧鼻腔出血，压迫后减少。有高血压病史。无发热，无牙龈出血。", "routine"),
    ("peritonsillar_abscess", 22, "male", "Sore throat 5 days getting worse on the left, painful swallowing, hot potato voice, "
     "cannot open his mouth fully, fever 38.6. Swelling above the left tonsil, uvula deviated to the right.", "urgent"),
    ("peritonsillar_abscess", 30, "female", "咽痛5天，右侧明显，吞咽痛，说话含物音，发热。查体：右侧扁桃体周围肿胀，悬雍垂偏向左侧。", "urgent"),
    ("dental_abscess", 34, "female", "Toothache lower right molar for 4 days, throbbing, worse at night. Decayed tooth tender "
     "to percussion, swollen gum with pus. No facial swelling, afebrile.", "routine"),
    ("dental_abscess", 40, "male", "右下牙痛1周，龋齿，咬东西痛，近2天右侧面颊肿，牙龈肿痛流脓，低热。", "urgent"),
    ("stye_chalazion", 16, "female", "Painful red lump on the edge of the right upper eyelid for 2 days, like a pimple. "
     "Vision normal, no fever.", "routine"),
    ("stye_chalazion", 8, "male", "左眼上眼皮长了个包3天，红肿疼痛，视力正常，不发烧。", "routine"),
    ("trachoma", 6, "female", "Both eyes red and itchy with discharge on and off, lots of flies on the children's faces in "
     "the village. Upper eyelid everted: many follicles on the tarsal conjunctiva.", "routine"),
    ("trachoma", 55, "female", "双眼异物感、流泪多年，睫毛刺眼，自己常拔睫毛。查体：双眼倒睫，上睑结膜瘢痕。", "routine"),
    ("acute_angle_closure_glaucoma", 63, "female", "Sudden severe pain in the right eye since last evening with blurred vision, "
     "halos around lights, headache and vomiting. Red eye, hazy cornea, mid-dilated pupil, eye feels hard.", "emergency"),
    ("acute_angle_closure_glaucoma", 66, "female", "昨晚突然右眼胀痛、视力下降，看灯有彩虹圈，伴头痛、恶心呕吐。查体：右眼结膜充血，角膜雾状水肿，瞳孔中度散大，指测眼压高。", "emergency"),
    ("eye_injury", 32, "male", "Something flew into his right eye while grinding metal this morning. Eye painful and "
     "watering, foreign body sensation. Speck on the cornea, vision 6/9.", "urgent"),
    ("eye_injury", 40, "male", "工地干活时石灰溅入左眼1小时，眼痛、流泪、睁不开。", "emergency"),
    ("cataract", 70, "female", "Gradual painless loss of vision in both eyes over 2 years, cannot recognise faces, "
     "glare from lights. White pupil on the left. Eyes not red.", "routine"),
    ("cataract", 72, "male", "双眼视力逐渐下降3年，看东西像隔着一层雾，无眼红眼痛。查体：双眼晶状体混浊。", "routine"),
    # a stable exertional pattern relieved by rest goes to the chest pain clinic, not the same day
    # (NICE CG126; issue 11, session 16)
    ("stable_angina", 58, "male", "Central chest tightness when walking uphill for 3 months, lasts a few minutes, "
     "relieved by rest. Smoker, hypertensive. No pain at rest, no sweating.", "routine"),
    ("stable_angina", 62, "female", "活动时胸闷胸痛3个月，爬楼时明显，持续数分钟，休息后缓解。有糖尿病。无静息痛，无大汗。", "routine"),
    ("pericarditis", 26, "male", "Sharp central chest pain for 2 days after a flu-like illness last week, worse lying flat "
     "and on deep breathing, better sitting forward. Pericardial rub heard. T 37.9.", "urgent"),
    ("pericarditis", 30, "female", "胸痛2天，为锐痛，平卧时加重，前倾坐位减轻，深呼吸时加重。1周前感冒。可闻及心包摩擦音。", "urgent"),
    ("atrial_fibrillation", 68, "female", "Palpitations and breathless on exertion for a week. Pulse irregularly irregular, "
     "HR 124. BP 138/84. Known hypertension.", "urgent"),
    ("atrial_fibrillation", 72, "male", "心慌、乏力2周，活动后气促。查体：心律绝对不齐，心率118次/分，脉搏短绌。有高血压病史。", "urgent"),
    ("aortic_dissection", 59, "male", "Sudden tearing chest pain going through to the back between the shoulder blades, "
     "started 1 hour ago. Known hypertension, BP 190/110 right arm and 150/90 left arm.", "emergency"),
    ("aortic_dissection", 55, "male", "突发胸背部撕裂样剧痛2小时，向背部放射，大汗。高血压病史多年。双上肢血压不对称。", "emergency"),
]


@pytest.mark.parametrize(("cid", "age", "sex", "note", "level"), CASES,
                         ids=[f"{c[0]}-{i % 2 and 'zh' or 'en'}" for i, c in enumerate(CASES)])
def test_condition_in_top3_with_policy_triage(cid, age, sex, note, level):
    check(cid, level, note, age=age, sex=sex)


def test_every_condition_has_an_english_and_a_chinese_note():
    ids = [c[0] for c in CASES]
    assert all(ids.count(i) == 2 for i in ids)
    assert len(set(ids)) == 18
