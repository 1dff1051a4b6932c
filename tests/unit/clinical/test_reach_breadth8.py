"""Breadth pass 8 (issue 11): outpatient conditions from two more frames — China's primary-care
guidelines (基层诊疗指南 / 国家基本公共卫生服务规范) and the outpatient chapters of the Kenya, Uganda and
Zambia standard treatment guidelines (dermatology, eye, ENT, oral and dental, occupational and
environmental health, geriatrics, nutrition, common injuries).

Short English and Chinese notes written for this test from the typical presentation in each
condition's cited guideline (not copied from any evaluation set): the condition must be in the
top 3 and the triage level must follow the agreed policy (CONDITIONS.md) and the breadth-8 rules.
Look-alike notes (a neighbouring condition's typical note) must NOT put the breadth-8 condition first."""

from __future__ import annotations

import pytest
from reach import assess, case_ids, check, expressions_read_as_their_findings

from lantern.clinical.knowledge import load_knowledge

CASES = [
    # (condition, triage, age, sex, note)
    # ENT, eye and oral (Kenya/Uganda STG outpatient chapters; 基层诊疗指南)
    ('chronic_pharyngitis', 'routine', 45, 'male', 'Throat feels dry and itchy for a year, keeps clearing his throat, feels something stuck in the throat. Smoker. No fever. Back of the throat granular.'),
    ('chronic_pharyngitis', 'routine', 38, 'female', '女，38岁，咽干、咽痒、咽部异物感半年，常清嗓子，无发热，查体咽后壁淋巴滤泡增生。'),
    ('chronic_rhinosinusitis', 'routine', 35, 'male', 'Blocked nose for months with postnasal drip, thick yellow discharge and poor sense of smell; nasal polyps seen. No fever.'),
    ('chronic_rhinosinusitis', 'routine', 40, 'female', '女，40岁，长期鼻塞一年多，流脓涕，嗅觉减退，鼻涕倒流，头痛。'),
    ('age_related_hearing_loss', 'routine', 72, 'male', 'Hearing getting worse over the years in both ears, turns the TV up loud and asks people to repeat. Ringing in the ears. Worked in a noisy factory.'),
    ('age_related_hearing_loss', 'routine', 70, 'female', '女，70岁，双耳听力逐渐下降两三年，耳背，伴耳鸣，电视开得很大声。'),
    ('dry_eye', 'routine', 30, 'female', 'Eyes feel dry and gritty, burning, worse after using the computer all day. Vision normal.'),
    ('dry_eye', 'routine', 55, 'female', '女，55岁，双眼干涩、异物感、视疲劳半年，看手机后加重，视力正常。'),
    ('blepharitis', 'routine', 50, 'male', 'Red, itchy eyelid margins with crusts on the eyelashes in both eyes, worse in the morning, also has dandruff.'),
    ('blepharitis', 'routine', 8, 'female', '女孩8岁，双眼睑缘红、睫毛根部鳞屑，眼痒，反复麦粒肿。'),
    ('diabetic_retinopathy', 'routine', 58, 'male', 'Diabetic for 12 years, poor control, blurred vision in both eyes for 2 months. Fundus: dot and blot haemorrhages, hard exudates.'),
    ('diabetic_retinopathy', 'routine', 62, 'female', '女，62岁，2型糖尿病15年，视物模糊3个月，眼底检查见视网膜出血和渗出。'),
    ('periodontal_disease', 'routine', 45, 'male', 'Gums bleed when brushing, receding gums, tartar and some loose teeth. Smoker.'),
    ('periodontal_disease', 'routine', 22, 'male', '男，22岁，智齿冠周炎，右下智齿周围牙龈肿痛3天，咀嚼痛。'),
    ('temporomandibular_disorder', 'routine', 28, 'female', 'Jaw clicking and pain in front of the ear when chewing for a month; grinds teeth at night, stressed at work.'),
    ('temporomandibular_disorder', 'routine', 25, 'female', '女，25岁，张嘴时耳朵前面痛，下颌关节弹响一个月，夜间磨牙。'),
    ('oral_cancer', 'routine', 55, 'male', 'Chews betel nut for 30 years. Ulcer on the side of the tongue not healing for 6 weeks, hard edges; white patch in the mouth.'),
    ('oral_cancer', 'routine', 60, 'male', '男，60岁，长期嚼槟榔，口腔溃疡长期不愈两个月，颊部见口腔白斑，体重下降。'),
    ('dental_trauma', 'urgent', 10, 'male', 'Fell off his bicycle 30 minutes ago and knocked out a front tooth; mother brought the tooth in milk. No loss of consciousness.'),
    ('dental_trauma', 'urgent', 12, 'female', '女孩12岁，打球时摔倒，门牙摔断，牙龈出血，无昏迷。'),
    # musculoskeletal and skin
    ('plantar_fasciitis', 'routine', 48, 'female', 'Pain under the heel for 3 months, worst with the first steps in the morning, eases after walking a bit. Overweight, stands all day at work.'),
    ('plantar_fasciitis', 'routine', 50, 'male', '男，50岁，右侧足跟痛2个月，早上下床第一步最痛，走几步后减轻。'),
    ('lateral_epicondylitis', 'routine', 42, 'male', 'Carpenter with pain on the outside of the elbow for 6 weeks, worse gripping tools and lifting; tender over the lateral epicondyle, full movement.'),
    ('lateral_epicondylitis', 'routine', 45, 'female', '女，45岁，右肘外侧痛1个月，拧毛巾时肘痛，肱骨外上髁压痛。'),
    ('hand_tenosynovitis', 'routine', 55, 'female', 'Right ring finger locks when she bends it and clicks straight, tender nodule in the palm; diabetic. Trigger finger.'),
    ('hand_tenosynovitis', 'routine', 30, 'female', '女，30岁，产后3个月，抱孩子后右腕拇指侧疼痛，握拳尺偏试验阳性。'),
    ('ganglion_cyst', 'routine', 25, 'female', 'Smooth lump on the back of the wrist for 2 months, painless, sometimes smaller. Ganglion?'),
    ('ganglion_cyst', 'routine', 30, 'female', '女，30岁，手腕上长了个包2个月，不痛，质韧，活动可。'),
    ('keloid', 'routine', 20, 'female', 'Raised, itchy scar on the earlobe after piercing, keeps growing beyond the original wound. Keloid.'),
    ('keloid', 'routine', 28, 'male', '男，28岁，胸前痤疮后长瘢痕疙瘩，越长越大，痒。'),
    ('rosacea', 'routine', 40, 'female', 'Persistent facial redness of the cheeks and nose for a year with red bumps and thread veins, worse with hot drinks and sun. No blackheads.'),
    ('rosacea', 'routine', 38, 'female', '女，38岁，面颊红斑、红血丝一年，遇热和吃辣后面部阵发性潮红，有小丘疹。'),
    ('melasma', 'routine', 32, 'female', 'Brown patches on both cheeks and forehead since her last pregnancy, worse after sun. Not itchy.'),
    ('melasma', 'routine', 35, 'female', '女，35岁，两颊褐色斑两年，日晒后加重，诊断黄褐斑。'),
    ('alopecia_areata', 'routine', 22, 'male', 'Two smooth bald patches on the scalp noticed 3 weeks ago, skin normal, no scaling or itching. Exclamation mark hairs at the edge.'),
    ('alopecia_areata', 'routine', 16, 'female', '女，16岁，考试压力大，头发一块一块地掉，头皮光滑无鳞屑，诊断斑秃。'),
    ('corns_calluses', 'routine', 60, 'female', 'Painful corns on the little toes and hard skin on the sole from tight shoes.'),
    ('corns_calluses', 'routine', 55, 'male', '男，55岁，脚底长了个鸡眼，走路时痛。'),
    ('papular_urticaria', 'routine', 4, 'male', 'Very itchy bumps on both legs and arms for 2 weeks, new crops every few days; the family has bed bugs. No burrows in the finger webs.'),
    ('papular_urticaria', 'routine', 6, 'female', '女孩6岁，蚊虫叮咬后四肢反复出现瘙痒丘疹，中央有小水疱，丘疹性荨麻疹。'),
    ('lichen_simplex_chronicus', 'routine', 45, 'female', 'Thick, leathery, very itchy patch on the back of the neck for a year; she keeps scratching the same spot, worse when stressed.'),
    ('lichen_simplex_chronicus', 'routine', 50, 'male', '男，50岁，颈后神经性皮炎，皮肤增厚粗糙，越抓越痒，反复一年。'),
    ('postherpetic_neuralgia', 'routine', 72, 'female', 'Had shingles on the right chest 4 months ago; the rash healed but the pain continues, burning and stabbing, clothes touching it hurts. Poor sleep.'),
    ('postherpetic_neuralgia', 'routine', 68, 'male', '男，68岁，带状疱疹后神经痛，左胸背部疱疹好了以后一直痛，针刺样，夜间睡不好。'),
    # metabolic, women's health, older people, tobacco, environment and nutrition
    ('obesity', 'routine', 35, 'female', 'Wants help to lose weight. Overweight, weight gain of 15 kg over 3 years, BMI 33. No complaints otherwise.'),
    ('obesity', 'routine', 40, 'male', '男，40岁，肥胖，近两年体重增加10公斤，腹型肥胖，要求减重指导。'),
    ('hyperuricaemia', 'routine', 45, 'male', 'Health check: uric acid high (520). No joint pain or swelling ever. Drinks beer, overweight.'),
    ('hyperuricaemia', 'routine', 42, 'male', '男，42岁，体检发现血尿酸升高，无关节痛，无症状，喜饮啤酒。'),
    ('polycystic_ovary_syndrome', 'routine', 24, 'female', 'Irregular periods every 2-3 months, excess facial hair and acne, overweight. Ultrasound: polycystic ovaries.'),
    ('polycystic_ovary_syndrome', 'routine', 26, 'female', '女，26岁，月经稀发，几个月来一次月经，多毛，痤疮，B超提示卵巢多囊样改变。'),
    ('endometriosis', 'routine', 32, 'female', 'Period pain getting worse every year, deep pain during sex, trying to conceive for 2 years. Chocolate cyst on ultrasound.'),
    ('endometriosis', 'routine', 35, 'female', '女，35岁，继发性痛经逐渐加重5年，性交痛，B超示左侧卵巢巧克力囊肿。'),
    ('premenstrual_syndrome', 'routine', 28, 'female', 'Every month in the week before her period she is irritable, low mood, breast tenderness and bloating; better once the period starts.'),
    ('premenstrual_syndrome', 'routine', 30, 'female', '女，30岁，每次来月经前一周烦躁易怒、乳房胀痛、腹胀，月经来了就好了。'),
    ('urinary_incontinence', 'routine', 52, 'female', 'Leaks urine when she coughs or sneezes for a year, three children by vaginal delivery. Wears pads. No burning.'),
    ('urinary_incontinence', 'routine', 70, 'female', '女，70岁，咳嗽打喷嚏漏尿两年，有时尿急来不及上厕所。'),
    ('orthostatic_hypotension', 'routine', 75, 'male', 'Dizzy when he stands up for a month, better lying down; on amlodipine and hydrochlorothiazide. Lying BP 140/80, standing 110/70: postural drop.'),
    ('orthostatic_hypotension', 'routine', 72, 'female', '女，72岁，高血压病史，服降压药，起立时头晕眼前发黑，卧立位血压下降，体位性低血压。'),
    ('essential_tremor', 'routine', 60, 'male', 'Hands shake when holding a cup or writing for years, his father had the same; better after a drink. No stiffness or slowness.'),
    ('essential_tremor', 'routine', 58, 'female', '女，58岁，拿东西时手抖多年，端碗手抖，母亲也有，静止时不抖，无动作迟缓。'),
    ('tobacco_dependence', 'routine', 45, 'male', 'Smokes 20 cigarettes a day for 25 years, first cigarette on waking, wants to quit smoking. No cough.'),
    ('tobacco_dependence', 'routine', 50, 'male', '男，50岁，吸烟30年，每天一包，想戒烟，戒过两次没成功，烟瘾大。'),
    ('lead_poisoning', 'urgent', 4, 'male', 'Father recycles car batteries at home. Child has abdominal pain, constipation, irritable, pale; eats soil.'),
    ('lead_poisoning', 'urgent', 40, 'male', '男，40岁，蓄电池厂工人，腹绞痛、便秘、乏力，贫血，牙龈铅线，血铅高。'),
    ('fluorosis', 'routine', 12, 'male', 'Brown-stained, mottled teeth; the family drinks borehole water with high fluoride in the Rift Valley.'),
    ('fluorosis', 'routine', 55, 'male', '男，55岁，高氟地区，氟斑牙，腰背和膝关节僵硬疼痛多年，诊断氟骨症。'),
    ('pellagra', 'routine', 35, 'male', "Eats mainly maize, drinks heavily. Dark scaly rash on the backs of both hands and around the neck (Casal's necklace), diarrhoea, forgetful."),
    ('pellagra', 'routine', 40, 'female', '女，40岁，以玉米为主食，手背对称性皮炎，日晒后加重，腹泻，记忆力下降。'),
    ('beriberi', 'urgent', 30, 'male', 'Eats only white rice, heavy drinker. Swollen legs, breathless on exertion, burning feet, pulse 120. ?wet beriberi'),
    ('beriberi', 'urgent', 0.25, 'male', '3 month old exclusively breastfed, mother eats polished rice only; hoarse cry, vomiting, fast breathing. Suspected infantile beriberi.'),
    ('beriberi', 'urgent', 35, 'male', '男，35岁，长期酗酒，只吃精白米，双下肢水肿，活动后气促，双足烧灼感麻木，心率116次/分，疑似脚气病。'),
    # heart, spine, breast, adolescent, infant, eye and sleep (second part of the pass)
    ('ectopic_beats', 'routine', 35, 'female', 'Feels her heart skip a beat several times a day for a month, worse at night lying down and after coffee. No fainting, no chest pain. Pulse 76, occasional dropped beat.'),
    ('ectopic_beats', 'routine', 45, 'male', '男，45岁，心慌，感觉心跳漏一拍、心里咯噔一下两周，熬夜喝浓茶后明显，心电图示室性早搏。'),
    ('ankylosing_spondylitis', 'routine', 24, 'male', 'Low back and buttock pain for 8 months, stiff back in the morning for an hour, back pain better with exercise, worse at rest; wakes in the second half of the night.'),
    ('ankylosing_spondylitis', 'routine', 26, 'male', '男，26岁，腰背痛1年，腰背晨僵1小时，活动后腰痛减轻，休息后腰痛加重，HLA-B27阳性。'),
    ('cyclical_mastalgia', 'routine', 32, 'female', 'Breast pain before her periods in both breasts for a year, lumpy breasts, eases after the period. No discrete lump, no nipple discharge.'),
    ('cyclical_mastalgia', 'routine', 35, 'female', '女，35岁，经前乳房胀痛半年，月经后缓解，双乳腺体增厚，B超提示乳腺增生。'),
    ('eating_disorder', 'urgent', 16, 'female', 'Lost 10 kg in 6 months, thinks she is fat though very thin, restricts her food, periods stopped. Makes herself vomit after meals.'),
    ('eating_disorder', 'routine', 17, 'female', '女，17岁，节食减肥半年，体重下降12公斤，怕胖，闭经3个月，进食后自行催吐。'),
    ('undescended_testis', 'routine', 0.75, 'male', '9-month-old boy, left testis not in the scrotum since birth, cannot feel the testis in the groin. Otherwise well.'),
    ('undescended_testis', 'routine', 1, 'male', '男婴1岁，右侧阴囊空虚，阴囊内未触及睾丸，诊断隐睾。'),
    ('infantile_haemangioma', 'routine', 0.25, 'female', '3-month-old with a raised bright red strawberry mark on the arm that appeared at 2 weeks and is growing. Feeding well.'),
    ('infantile_haemangioma', 'routine', 0.5, 'female', '女婴6个月，背部草莓状血管瘤，出生后2周出现，逐渐增大，无溃疡。'),
    ('macular_degeneration', 'routine', 72, 'female', 'Central vision blurred in the right eye for months, straight lines look wavy, side vision fine. Smoker.'),
    ('macular_degeneration', 'routine', 70, 'male', '男，70岁，右眼中心视力下降半年，看直线是弯的，视物变形，诊断黄斑变性。'),
    ('restless_legs_syndrome', 'routine', 55, 'female', "Urge to move her legs in the evening with a crawling feeling in the legs, relieved by walking, can't sleep. Hb 10."),
    ('restless_legs_syndrome', 'routine', 30, 'female', '女，30岁，孕7个月，晚上双腿有虫爬感，必须活动才舒服，睡不着，不宁腿。'),
    # environmental poisoning (occupational and environmental health chapters; 地方病防治)
    ('mercury_poisoning', 'urgent', 28, 'female', 'Uses a skin-lightening cream bought at the market for a year. Now swollen face and legs, urine protein 3+, irritable, hands tremble.'),
    ('mercury_poisoning', 'urgent', 32, 'female', '女，32岁，使用美白祛斑霜半年，近1个月眼睑和双下肢水肿，尿蛋白++，失眠、手抖。'),
    ('arsenicosis', 'routine', 50, 'male', 'Village drinks tube well water with arsenic. Raindrop pigmentation on the trunk and thickened palms and soles for years, burning feet.'),
    ('arsenicosis', 'routine', 48, 'male', '男，48岁，地方性砷中毒病区，饮用高砷水多年，手掌脚底角化，躯干雨点状色素沉着。'),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


# Look-alikes: a neighbouring condition's typical note must not be taken by a breadth-8 condition.
LOOKALIKES = [
    # (must not lead, age, sex, note)
    ('chronic_pharyngitis', 6, 'male', 'Fever 39 and sore throat for 2 days, tonsils with exudate, tender neck glands, no cough.'),
    ('chronic_rhinosinusitis', 30, 'female', 'Runny nose, sneezing and sore throat for 3 days, mild fever.'),
    ('age_related_hearing_loss', 5, 'male', 'Ear pain and fever since yesterday, red bulging eardrum, pulling at ear.'),
    ('dry_eye', 4, 'female', 'Both eyes red with sticky yellow discharge, eyelids stuck together in the morning.'),
    ('periodontal_disease', 30, 'male', 'Toothache for 3 days, decayed molar, swollen cheek and fever.'),
    ('temporomandibular_disorder', 60, 'male', 'Central chest pain radiating to the jaw and left arm while walking, sweating.'),
    ('oral_cancer', 25, 'female', 'Recurrent painful mouth ulcers for years, heal in a week, then come back.'),
    ('plantar_fasciitis', 40, 'male', 'Twisted ankle playing football yesterday, swollen and painful, can bear weight.'),
    ('lateral_epicondylitis', 3, 'female', "Toddler pulled up by the arm, now won't use the left arm, holds it by her side."),
    ('alopecia_areata', 7, 'male', 'Itchy scalp with a round scaly bald patch and broken hairs for a month.'),
    ('papular_urticaria', 8, 'female', 'Itching worse at night for 3 weeks, papules between the fingers, sister itchy too.'),
    ('postherpetic_neuralgia', 70, 'male', 'Painful band of blisters on the left side of the chest for 3 days.'),
    ('keloid', 30, 'male', 'Painful red swelling on the buttock with pus, fever.'),
    ('hyperuricaemia', 50, 'male', 'Sudden red hot swollen big toe overnight, severe pain, history of high uric acid.'),
    ('orthostatic_hypotension', 25, 'female', 'Missed period 7 weeks, lower abdominal pain, dizzy on standing, vaginal spotting.'),
    ('essential_tremor', 35, 'female', 'Weight loss, palpitations, heat intolerance, tremor of the hands, sweating.'),
    ('essential_tremor', 70, 'male', 'Resting tremor of the right hand, slow movements, shuffling gait, mask face.'),
    ('urinary_incontinence', 30, 'female', 'Burning urination, frequency and urgency for 2 days, lower abdominal pain.'),
    ('obesity', 45, 'female', 'Obese woman with knee pain worse on stairs for 2 years, crepitus, stiff for 10 minutes in the morning.'),
    ('premenstrual_syndrome', 16, 'female', 'Cramping lower abdominal pain on the first day of each period since menarche, nausea.'),
    ('tobacco_dependence', 60, 'male', 'Smoker 40 pack years, cough for 2 months, weight loss, blood in sputum.'),
    ('ectopic_beats', 60, 'male', 'Palpitations with irregularly irregular pulse 130, breathless. Known hypertension.'),
    ('ankylosing_spondylitis', 40, 'male', 'Low back pain after lifting a heavy sack yesterday, paraspinal spasm, no leg symptoms.'),
    ('cyclical_mastalgia', 50, 'female', 'Hard, fixed, painless lump in the left breast for 2 months, skin dimpling.'),
    ('eating_disorder', 25, 'male', 'Weight loss, night sweats, cough for a month, fever.'),
    ('undescended_testis', 14, 'male', 'Sudden severe pain in the left testis for 2 hours with vomiting, testis high-riding.'),
    ('macular_degeneration', 65, 'female', 'Gradually cloudy vision in both eyes over 2 years, glare at night, white pupils.'),
    ('restless_legs_syndrome', 45, 'male', 'Painful swollen right calf for 3 days after a long bus journey, calf tenderness.'),
    ('mercury_poisoning', 5, 'male', 'Puffy eyes and swollen legs for a week, urine protein 3+, no blood in urine, BP normal.'),
    ('arsenicosis', 30, 'male', 'Painless rash on the palms and soles, genital ulcer 2 months ago.'),
]


@pytest.mark.parametrize(("condition", "age", "sex", "note"), LOOKALIKES, ids=[c[0] for c in LOOKALIKES])
def test_lookalike_is_not_taken(condition, age, sex, note):
    out = assess(note, age=age, sex=sex)
    assert out["differential"], note
    assert out["differential"][0]["condition_id"] != condition, (condition, note)


def test_every_breadth8_condition_has_a_note_in_each_language():
    kb = load_knowledge()
    added = {c[0] for c in CASES}
    assert len(added) >= 30
    for cid in added:
        assert cid in kb.conditions, cid
        langs = {"zh" if any(ord(ch) > 0x3000 for ch in c[4]) else "en" for c in CASES if c[0] == cid}
        assert langs == {"en", "zh"}, cid


def test_every_expression_of_breadth8_reads_as_its_finding():
    """Each expression of findings_breadth8.toml (findings and lay families), read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth8.toml")
    assert len(entries) > 500
    assert missed == []


@pytest.mark.parametrize(("note", "finding", "other"), [
    # a phrase of this pass that names a broader finding other conditions read gives both
    ("Hearing getting worse over the years.", "gradual_hearing_loss", "hearing_loss"),
    ("Diabetic retinopathy on fundoscopy.", "diabetic_eye_disease", "known_diabetes"),
    ("Wants to quit smoking.", "smoking_dependence", "smoker"),
    ("女，长期鼻塞，流脓涕。", "chronic_sinus_disease", "runny_nose"),
])
def test_specific_phrase_also_reads_its_broader_finding(note, finding, other):
    from lantern.clinical.language.findings import extract_findings
    got = {f.id for f in extract_findings(note, kb=load_knowledge()).findings if not f.negated}
    assert {finding, other} <= got, got


@pytest.mark.parametrize(("note", "not_read"), [
    # words of this pass that must not read as an unrelated danger or context finding
    ("Mottled teeth from fluoride in the water.", "mottled_skin"),
    ("Postural hypotension on standing, lying BP normal.", "hypotension"),
    ("Knocked out a front tooth in a fall, no loss of consciousness.", "unconscious"),
    ("男，体检血尿酸升高。", "haematuria"),
    ("男，脚气病，只吃精白米。", "tinea_pedis"),
])
def test_breadth8_words_do_not_read_as_unrelated_findings(note, not_read):
    from lantern.clinical.language.findings import extract_findings
    got = {f.id for f in extract_findings(note, kb=load_knowledge()).findings if not f.negated}
    assert not_read not in got, got
