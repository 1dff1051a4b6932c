"""Breadth pass 6 (issue 11).

1. Audit: every condition that issue 11 ("What to build", item 1) names for a rural generalist is
   in the knowledge base, under the condition id that covers it and within its ICD-10 family
   (the condition's own code or a sibling listed in icd10_scope.toml).
2. Reach of the conditions added by this pass — obstetric and surgical emergencies, childhood
   fevers with rashes, blood disorders, delirium, injuries, sexual assault and common primary-care
   complaints from the national standard treatment guidelines and China's primary-care guidelines.
   Short English and Chinese notes written for this test from the typical presentation in each
   condition's cited guideline (not copied from any evaluation set): the condition must be in the
   top 3 and the triage level must follow the agreed policy (CONDITIONS.md) and the breadth-6
   rules. Look-alike notes must NOT put a breadth-6 condition first."""

from __future__ import annotations

import tomllib

import pytest
from reach import assess, case_ids, check, expressions_read_as_their_findings

from lantern.clinical.knowledge import knowledge_dir, load_knowledge

# Issue 11, "What to build", item 1: (name in the issue, condition id, ICD-10 family)
ISSUE11_ITEM1 = [
    # ENT and eye
    ("otitis externa", "otitis_externa", "H60"), ("chronic suppurative otitis", "chronic_suppurative_otitis_media", "H66"),
    ("mastoiditis", "mastoiditis", "H70"), ("ear wax", "impacted_cerumen", "H61.2"),
    ("foreign body", "foreign_body_ear_nose", "T16"), ("allergic rhinitis", "allergic_rhinitis", "J30"),
    ("epistaxis", "epistaxis", "R04.0"), ("peritonsillar abscess", "peritonsillar_abscess", "J36"),
    ("dental abscess", "dental_abscess", "K04"), ("stye/chalazion", "stye_chalazion", "H00"),
    ("trachoma", "trachoma", "A71"), ("acute glaucoma", "acute_angle_closure_glaucoma", "H40.2"),
    ("eye injury", "eye_injury", "S05"), ("cataract", "cataract", "H26"),
    # skin
    ("eczema", "eczema", "L20"), ("urticaria", "urticaria", "L50"), ("chickenpox", "chickenpox", "B01"),
    ("shingles", "herpes_zoster", "B02"), ("herpes simplex", "herpes_simplex", "B00"),
    ("contact dermatitis", "contact_dermatitis", "L25"), ("burns", "burns", "T30"),
    ("wounds and bites", "wound_laceration", "T14"), ("leprosy", "leprosy", "A30"), ("sunburn", "sunburn", "L55"),
    ("diaper dermatitis", "diaper_dermatitis", "L22"), ("pediculosis", "pediculosis", "B85"),
    ("cutaneous leishmaniasis", "cutaneous_leishmaniasis", "B55.1"),
    # musculoskeletal
    ("gout", "gout", "M10"), ("osteoarthritis", "osteoarthritis", "M19"), ("septic arthritis", "septic_arthritis", "M00"),
    ("osteomyelitis", "osteomyelitis", "M86"), ("fractures and dislocations", "fracture_dislocation", "T14"),
    ("low back pain and sciatica", "low_back_pain", "M54"), ("rheumatoid arthritis", "rheumatoid_arthritis", "M06"),
    # genitourinary and STI
    ("vaginal candidiasis", "vaginal_candidiasis", "B37.3"), ("bacterial vaginosis", "bacterial_vaginosis", "N76.0"),
    ("trichomoniasis", "trichomoniasis", "A59"), ("syphilis", "syphilis", "A53"), ("genital ulcer", "genital_ulcer_disease", "A57"),
    ("genital herpes", "genital_herpes", "A60"), ("epididymo-orchitis", "epididymo_orchitis", "N45"),
    ("testicular torsion", "testicular_torsion", "N44"), ("renal colic", "renal_colic", "N20"),
    ("BPH/urinary retention", "bph_urinary_retention", "N40"), ("prostatitis", "prostatitis", "N41"),
    # pregnancy
    ("antenatal care", "antenatal_care", "Z34"), ("hyperemesis", "hyperemesis_gravidarum", "O21"),
    ("antepartum haemorrhage and abruption", "antepartum_haemorrhage", "O46"), ("preterm labour", "preterm_labour", "O60"),
    ("PROM", "prelabour_rupture_of_membranes", "O42"), ("puerperal sepsis", "puerperal_sepsis", "O85"),
    ("mastitis and breast abscess", "mastitis_breast_abscess", "O91"), ("molar pregnancy", "molar_pregnancy", "O01"),
    ("threatened abortion", "miscarriage", "O20"), ("incomplete abortion", "incomplete_abortion", "O06"),
    # surgical abdomen
    ("cholecystitis", "cholecystitis", "K81"), ("pancreatitis", "acute_pancreatitis", "K85"),
    ("bowel obstruction", "intestinal_obstruction", "K56"), ("perforated ulcer", "perforated_peptic_ulcer", "K27"),
    ("peritonitis", "peritonitis", "K65"), ("incarcerated hernia", "incarcerated_hernia", "K46"),
    ("GI bleeding", "upper_gi_bleeding", "K92"),
    # cardiovascular and respiratory
    ("stable angina", "stable_angina", "I20"), ("DVT", "deep_vein_thrombosis", "I80"), ("pulmonary embolism", "pulmonary_embolism", "I26"),
    ("pericarditis", "pericarditis", "I30"), ("rheumatic fever", "acute_rheumatic_fever", "I00"),
    ("rheumatic heart disease", "rheumatic_heart_disease", "I09"), ("atrial fibrillation", "atrial_fibrillation", "I48"),
    ("croup", "croup", "J05.0"), ("epiglottitis", "epiglottitis", "J05.1"), ("foreign body aspiration", "foreign_body_aspiration", "T17"),
    ("pneumothorax", "pneumothorax", "J93"), ("COVID-19", "covid19", "U07.1"), ("bronchiectasis", "bronchiectasis", "J47"),
    # endocrine and renal
    ("hypothyroidism", "hypothyroidism", "E03"), ("hyperthyroidism", "hyperthyroidism", "E05"),
    ("HHS", "hyperosmolar_hyperglycaemic_state", "E11.0"), ("acute kidney injury", "acute_kidney_injury", "N17"),
    ("CKD", "chronic_kidney_disease", "N18"), ("nephrotic syndrome", "nephrotic_syndrome", "N04"),
    ("nephritic syndrome", "acute_nephritic_syndrome", "N00"),
    # neurological and mental health (mhGAP)
    ("depression", "depression", "F32"), ("psychosis", "psychosis", "F29"), ("alcohol withdrawal", "alcohol_withdrawal", "F10.3"),
    ("suicide risk", "suicide_risk", "R45.8"), ("dementia", "dementia", "F03"), ("febrile seizure", "febrile_seizure", "R56.0"),
    ("Bell's palsy", "bells_palsy", "G51.0"), ("TIA", "transient_ischaemic_attack", "G45"), ("head injury", "head_injury", "S09"),
    # tropical and infectious
    ("typhus/rickettsia", "rickettsial_infection", "A7"), ("brucellosis", "brucellosis", "A23"), ("leptospirosis", "leptospirosis", "A27"),
    ("schistosomiasis", "schistosomiasis", "B65"), ("trypanosomiasis", "human_african_trypanosomiasis", "B56"),
    ("leishmaniasis", "visceral_leishmaniasis", "B55.0"), ("mumps", "mumps", "B26"), ("rubella", "rubella", "B06"),
    ("hand-foot-mouth", "hand_foot_mouth_disease", "B08.4"), ("infectious mononucleosis", "infectious_mononucleosis", "B27"),
    ("HUS after bloody diarrhoea", "haemolytic_uraemic_syndrome", "D59.3"), ("meningococcaemia", "meningococcaemia", "A39"),
    ("HIV (not only advanced)", "hiv_infection", "Z21"), ("advanced HIV", "hiv_advanced_disease", "B24"),
    # poisoning and injury
    ("paracetamol", "paracetamol_poisoning", "T39.1"), ("kerosene/paraffin", "kerosene_poisoning", "T52.0"),
    ("alcohol", "alcohol_intoxication", "F10.0"), ("methanol", "methanol_poisoning", "T51.1"), ("drowning", "drowning", "T75.1"),
    ("heat illness", "heat_stroke", "T67"),
    # must be recognised and referred
    ("aortic dissection", "aortic_dissection", "I71"), ("ectopic pregnancy", "ectopic_pregnancy", "O00"),
]


def _scope() -> dict[str, list[str]]:
    return tomllib.loads((knowledge_dir() / "icd10_scope.toml").read_text(encoding="utf-8"))["scope"]


@pytest.mark.parametrize(("name", "cid", "family"), ISSUE11_ITEM1, ids=[r[0] for r in ISSUE11_ITEM1])
def test_issue11_condition_is_in_the_knowledge_base(name, cid, family):
    kb = load_knowledge()
    assert cid in kb.conditions, f"issue 11 names {name!r}: condition {cid!r} missing"
    codes = [kb.conditions[cid].icd10.upper(), *[p.upper() for p in _scope().get(cid, [])]]
    # the family names a category ("H60"), a code ("H61.2") or a block start ("A7"): one of the
    # condition's codes lies within it, or it lies within one of the codes
    assert any(c.startswith(family) or family.startswith(c) for c in codes), (name, cid, codes, family)


def test_audit_list_is_the_issue_list():
    """The audit covers every item of issue 11's list (about 110 names), each once."""
    assert len(ISSUE11_ITEM1) >= 105
    assert len({r[0] for r in ISSUE11_ITEM1}) == len(ISSUE11_ITEM1)


CASES = [
    # (condition, triage, age, sex, note)
    ("obstructed_labour", "emergency", 22, "female", "First baby, in labour at home for 2 days, no progress, the head is still high and she is exhausted. Pulse 118."),
    ("obstructed_labour", "emergency", 30, "female", "女，30岁，孕39周，临产后产程停滞，宫缩强，下腹见病理缩复环，胎心120次/分。"),
    ("septic_abortion", "urgent", 19, "female", "Took herbs to end the pregnancy 4 days ago; now fever 39, lower abdominal pain and a foul vaginal discharge with some bleeding."),
    ("septic_abortion", "urgent", 24, "female", "女，24岁，私自堕胎后5天，发热，下腹痛，阴道流出恶臭分泌物，子宫压痛。"),
    ("necrotising_fasciitis", "emergency", 55, "male", "Diabetic with a small cut on the leg 2 days ago; now severe pain out of proportion, dusky purple skin with blood blisters spreading fast, fever, pulse 120."),
    ("necrotising_fasciitis", "emergency", 60, "male", "男，60岁，糖尿病，小腿外伤后2天，剧痛与外观不符，皮肤暗紫，出现血疱，发热。"),
    ("pyomyositis", "urgent", 14, "male", "Fever for a week and a hard, very painful swelling of the right thigh after football; he limps. Muscle abscess suspected, the skin over it only slightly red."),
    ("pyomyositis", "urgent", 25, "male", "男，25岁，发热1周，右侧大腿肌肉硬肿、剧痛，B超示肌肉脓肿。"),
    ("compartment_syndrome", "emergency", 28, "male", "Tibial fracture put in a cast yesterday, now pain getting worse and worse, pain on passive stretch of the toes and the calf is tense."),
    ("compartment_syndrome", "emergency", 35, "male", "男，35岁，前臂骨折夹板固定后剧痛加重，被动伸指痛，前臂张力高。"),
    ("acute_limb_ischaemia", "emergency", 70, "female", "Known atrial fibrillation, not on treatment. Sudden pain in the left leg 3 hours ago; the foot is cold and pale with no pulse in the foot. No injury."),
    ("acute_limb_ischaemia", "emergency", 68, "male", "男，68岁，房颤，突发右下肢疼痛2小时，足背动脉搏动消失，肢端苍白发凉，无外伤。"),
    ("infective_endocarditis", "urgent", 25, "female", "Known rheumatic heart disease. Fever for 3 weeks, tired, weight loss; splinter haemorrhages under the nails and a loud murmur."),
    ("infective_endocarditis", "urgent", 30, "male", "男，30岁，风湿性心脏病史，发热3周，乏力消瘦，心尖部杂音，甲下线状出血。"),
    ("kawasaki_disease", "urgent", 2, "male", "Fever for 6 days, red eyes without discharge, red cracked lips and strawberry tongue, swollen red hands and feet, very irritable."),
    ("kawasaki_disease", "urgent", 3, "female", "女童3岁，发热6天，双眼结膜充血无分泌物，口唇干裂，杨梅舌，手足硬肿，颈部淋巴结肿大。"),
    ("scarlet_fever", "routine", 6, "male", "Sore throat and fever for 2 days, then a fine rough sandpaper rash on the neck and chest, strawberry tongue. No cough."),
    ("scarlet_fever", "routine", 5, "female", "女童5岁，发热咽痛2天，全身砂纸样皮疹，杨梅舌，扁桃体肿大有脓点。"),
    # a high fever in a playing child is not a same-day problem (issue 11, session 16)
    ("roseola_infantum", "routine", 1, "female", "High fever for 3 days but playing; the rash came out after the fever settled, pink spots on the trunk. Feeding well."),
    ("roseola_infantum", "urgent", 1, "male", "男婴1岁，高热3天，精神尚可，热退疹出，躯干红色斑丘疹，吃奶好。"),
    ("mpox", "urgent", 28, "male", "Fever and swollen groin nodes, then firm umbilicated pustules on the penis and around the anus; new sexual partner 10 days ago."),
    ("mpox", "urgent", 30, "male", "男，30岁，发热后出现生殖器和肛周脐凹样脓疱，腹股沟淋巴结肿大，有猴痘病例接触史。"),
    ("neurocysticercosis", "routine", 30, "female", "First ever fit today, now awake and well. Lives in a village where pigs roam freely and eats undercooked pork; headaches for months."),
    ("neurocysticercosis", "routine", 35, "male", "男，35岁，反复癫痫发作半年，头颅CT示脑内多发钙化及囊性病灶，当地散养猪，吃过米猪肉。"),
    ("acute_leukaemia", "urgent", 6, "male", "Pale and tired for a month, bruises on the legs without injury, bone pain, swollen neck nodes and a big spleen. Blood count: pancytopenia."),
    ("acute_leukaemia", "urgent", 8, "female", "女童8岁，面色苍白1月，皮肤出血点，骨痛，肝脾肿大，血涂片见原始细胞。"),
    ("g6pd_haemolysis", "urgent", 4, "male", "Ate fava beans 2 days ago; now pale, yellow eyes and urine dark like cola. No fever."),
    ("g6pd_haemolysis", "urgent", 5, "male", "男童5岁，吃蚕豆后2天，面色苍白，尿呈酱油色，巩膜黄染，无发热。"),
    ("immune_thrombocytopenia", "urgent", 5, "female", "Well child, a cold 2 weeks ago; now petechiae and bruises on the legs and some gum bleeding. No fever, not pale, no big spleen."),
    ("immune_thrombocytopenia", "urgent", 30, "female", "女，30岁，双下肢皮肤出血点和淤青1周，牙龈出血，无发热，血小板减少。"),
    ("delirium", "emergency", 82, "female", "Since 2 days confused on and off, worse at night, pulling at her clothes, does not know where she is. Burning urine and cloudy urine."),
    ("delirium", "emergency", 78, "male", "男，78岁，近2天时清醒时糊涂，夜间胡言乱语，便秘5天，尿少。"),
    ("chest_injury", "urgent", 45, "male", "Fell off a ladder onto his chest; sharp pain on breathing in, tender ribs on the right. Breathing 20, SpO2 97%."),
    ("chest_injury", "emergency", 35, "male", "男，35岁，车祸胸部外伤，右侧胸痛，呼吸困难，右侧呼吸音消失。"),
    ("abdominal_trauma", "emergency", 10, "male", "Fell on the handlebars of his bicycle; pain in the left upper abdomen and left shoulder tip, pulse 130."),
    ("abdominal_trauma", "emergency", 25, "male", "男，25岁，腹部被牛踢伤2小时，左上腹痛，腹肌紧张，心率120次/分。"),
    ("spinal_injury", "emergency", 19, "male", "Dived into shallow water in the river; neck pain and now cannot move or feel his legs."),
    ("spinal_injury", "urgent", 40, "male", "男，40岁，从屋顶摔下，背部着地，腰背痛，胸腰段棘突压痛，双下肢活动正常。"),
    ("accidental_hypothermia", "emergency", 70, "male", "Found outside in the cold this morning after drinking; drowsy, slurred speech, very cold to touch, temperature 32."),
    ("accidental_hypothermia", "urgent", 30, "male", "男，30岁，在雪地里迷路一夜，双脚趾冻伤，发白麻木，神志清楚。"),
    ("electrical_injury", "emergency", 30, "male", "Electrician electrocuted by a live wire 1 hour ago, threw him off the ladder; now palpitations and a burn on the hand."),
    ("electrical_injury", "urgent", 12, "male", "男童12岁，触电后短暂倒地，现神志清楚，手掌小面积电击伤。"),
    ("intrauterine_fetal_death", "urgent", 28, "female", "34 weeks pregnant, the baby has stopped moving since yesterday. BP 120/80, no bleeding, no pain."),
    ("intrauterine_fetal_death", "urgent", 32, "female", "女，32岁，孕36周，胎动消失1天，胎心未闻及，无阴道流血，无腹痛。"),
    ("sexual_assault", "urgent", 17, "female", "She was raped last night by a man she did not know. Pain and a small tear at the vaginal opening."),
    ("sexual_assault", "urgent", 22, "female", "女，22岁，昨晚被性侵，外阴疼痛，要求处理。"),
    # the out-of-scope example of test_honest_limits until this pass
    ("immune_thrombocytopenia", "urgent", 22, "female", "Easy bruising, bleeding gums, nosebleeds, heavy periods, tiny red spots on legs. No fever."),
    # part 2: common primary-care complaints (findings_breadth6b.toml)
    ("obstructive_sleep_apnoea", "routine", 50, "male", "Wife says he snores loudly and stops breathing in his sleep; he falls asleep while driving. Obese, BP 150/95."),
    ("obstructive_sleep_apnoea", "routine", 45, "male", "男，45岁，肥胖，打鼾10年，睡眠中呼吸暂停，白天嗜睡，开会时睡着。"),
    ("fatty_liver", "routine", 42, "male", "Routine check: ultrasound shows fatty liver, ALT mildly raised. Overweight, type 2 diabetes, drinks rarely. No jaundice."),
    ("fatty_liver", "routine", 38, "female", "女，38岁，体检B超示脂肪肝，转氨酶轻度升高，体型肥胖，不饮酒，无黄疸。"),
    ("osteoporosis", "routine", 68, "female", "Postmenopausal, lost 5 cm in height and now stooping; broke her wrist last year in a minor fall. Dull back ache. No fever, no weight loss."),
    ("osteoporosis", "routine", 70, "female", "女，70岁，绝经20年，近年身高变矮，驼背，腰背酸痛，骨密度低。"),
    ("cervical_spondylosis", "routine", 48, "female", "Office worker with chronic neck pain for a year, pain going down the right arm with tingling in the fingers. No weakness, no fever."),
    ("cervical_spondylosis", "routine", 52, "male", "男，52岁，颈椎病多年，颈肩痛伴手麻，低头加重，无发热，行走正常。"),
    ("frozen_shoulder", "routine", 55, "female", "Painful stiff left shoulder for 4 months, worse at night, she cannot comb her hair or reach behind her back. Diabetic. No injury."),
    ("frozen_shoulder", "routine", 56, "male", "男，56岁，右肩痛3个月，夜间加重，肩关节活动受限，梳头困难，无外伤，无发热。"),
    ("carpal_tunnel_syndrome", "routine", 45, "female", "Tingling in the thumb, index and middle fingers of the right hand, wakes at night with a numb hand and shakes it to get feeling back."),
    ("carpal_tunnel_syndrome", "routine", 50, "female", "女，50岁，右手拇指食指中指麻木2个月，夜里手麻醒，甩手后缓解。"),
    ("pulled_elbow", "routine", 2, "male", "Father lifted him by the hands over a step; he cried and now holds the arm still by his side and will not use it. No swelling, no fall."),
    ("pulled_elbow", "routine", 3, "female", "女童3岁，被大人拽胳膊后哭闹，胳膊不敢动，无肿胀，无摔伤。"),
    ("transient_synovitis_hip", "routine", 5, "male", "Started limping this morning, pain in the right hip, had a cold last week. No fever, walking, playing."),
    ("transient_synovitis_hip", "routine", 6, "male", "男童6岁，感冒后1周出现跛行，右髋疼痛，无发热，能行走。"),
    ("aphthous_ulcers", "routine", 25, "female", "Keeps getting mouth ulcers, 2 or 3 small painful ones every month, heal in a week. No fever, otherwise well."),
    ("aphthous_ulcers", "routine", 30, "male", "男，30岁，反复口腔溃疡2年，每月发作，1周左右自愈，无发热。"),
    ("anogenital_warts", "routine", 24, "male", "Painless cauliflower-like growths around the anus and warts on the penis for 2 months. New partners this year."),
    ("anogenital_warts", "routine", 26, "female", "女，26岁，外阴菜花样赘生物1月，无痛，轻度瘙痒。"),
    ("bartholin_abscess", "routine", 28, "female", "Painful swelling at the left side of the vaginal opening for 3 days, tender and fluctuant, hurts to sit and walk."),
    ("bartholin_abscess", "routine", 30, "female", "女，30岁，左侧大阴唇肿痛3天，行走时加重，可触及波动感。"),
    ("perianal_abscess", "routine", 35, "male", "Throbbing pain beside the anus for 3 days, worse on sitting; red tender fluctuant swelling next to the anus, low-grade fever."),
    ("perianal_abscess", "routine", 40, "male", "男，40岁，肛周肿痛3天，坐下时疼痛加重，局部红肿有波动感，低热。"),
    ("uterine_fibroids", "routine", 40, "female", "Heavy periods for a year soaking pads, pelvic pressure, ultrasound shows fibroids. Tired, pale."),
    ("uterine_fibroids", "routine", 42, "female", "女，42岁，月经量多1年，B超示子宫肌瘤，乏力，面色苍白。"),
    ("nocturnal_enuresis", "routine", 7, "male", "Still wets the bed most nights, dry during the day. No thirst, no weight loss, urine dipstick normal."),
    ("nocturnal_enuresis", "routine", 8, "female", "女童8岁，夜间尿床，白天正常，无多饮多尿，无尿痛。"),
    ("adhd_behavioural_disorder", "routine", 8, "male", "Teacher complains he is easily distracted, never sits still in class, impulsive, fights at school, for over a year, at home too."),
    ("adhd_behavioural_disorder", "routine", 9, "male", "男童9岁，上课坐不住，多动，上课走神，在学校打架1年余。"),
    ("developmental_delay", "routine", 2, "male", "2 years old and not walking yet, says no words, poor eye contact. Mother had malaria in pregnancy."),
    ("developmental_delay", "routine", 3, "female", "女童3岁，还不会说话，叫名字不理，眼神交流少，走路晚。"),
    ("drug_use_disorder", "routine", 22, "male", "Smokes cannabis every day for 3 years, also takes tramadol, lost his job, not sleeping, family worried. Not suicidal."),
    ("drug_use_disorder", "routine", 28, "male", "男，28岁，吸食冰毒2年，失眠，情绪易激动，家人带来。"),
    ("post_traumatic_stress", "routine", 30, "female", "Since the robbery 3 months ago she has flashbacks and nightmares about the attack, avoids the market and cannot sleep."),
    ("post_traumatic_stress", "routine", 35, "male", "男，35岁，被抢劫后3个月，反复做噩梦，脑子里反复出现当时的情景，不敢出门，失眠。"),
    ("trigeminal_neuralgia", "routine", 60, "female", "Electric shocks in the face: stabbing pain in the right cheek for seconds, triggered by brushing teeth and talking. Teeth checked, normal."),
    ("trigeminal_neuralgia", "routine", 62, "female", "女，62岁，右侧面部电击样疼痛，每次数秒，刷牙洗脸诱发疼痛。"),
    ("pityriasis_rosea", "routine", 20, "female", "Started with one large oval pink scaly patch on the chest, then a week later many smaller oval patches on the trunk. Mild itch."),
    ("pityriasis_rosea", "routine", 22, "male", "男，22岁，胸部先出现一个母斑，1周后躯干出现多个椭圆形鳞屑斑，轻度瘙痒。"),
    ("pressure_ulcer", "routine", 80, "female", "Bedridden after a stroke, now a sore on the sacrum with dead skin at the edge. No fever."),
    ("pressure_ulcer", "routine", 85, "male", "男，85岁，长期卧床，骶尾部压疮2周，有渗液，无发热。"),
    ("erectile_dysfunction", "routine", 55, "male", "Cannot keep an erection for 6 months. Diabetic and smoker, on treatment for blood pressure. No chest pain."),
    ("erectile_dysfunction", "routine", 50, "male", "男，50岁，勃起困难半年，有糖尿病，吸烟。"),
    ("infertility", "routine", 28, "female", "Married 2 years, trying for a baby, not conceived. Periods irregular. Husband well."),
    ("infertility", "routine", 30, "female", "女，30岁，婚后未孕3年，月经不规律，未避孕。"),
    ("supraventricular_tachycardia", "urgent", 25, "female", "Heart racing that starts suddenly for the last 30 minutes, regular; she has had attacks that start and stop suddenly before. BP 118/76."),
    ("supraventricular_tachycardia", "routine", 30, "female", "女，30岁，反复阵发性心动过速2年，突发突止，每次持续10余分钟，今日无发作。"),
    ("hydatid_disease", "routine", 35, "male", "Herdsman with dogs and sheep, dull right upper abdominal ache; ultrasound shows a cyst in the liver with daughter cysts."),
    ("hydatid_disease", "routine", 40, "female", "女，40岁，牧民，家中养狗养羊，右上腹隐痛，B超示肝包虫囊肿。"),
    ("colorectal_cancer", "urgent", 60, "male", "Change in bowel habit for 3 months with blood in the stool and weight loss."),
    ("colorectal_cancer", "urgent", 62, "female", "女，62岁，排便习惯改变3个月，大便变细，便血，体重下降。"),
    ("liver_cancer", "routine", 50, "male", "Known hepatitis B, right upper abdominal pain and weight loss for 2 months; hard nodular liver on examination."),
    ("liver_cancer", "routine", 55, "male", "男，55岁，乙肝病史20年，右上腹痛，消瘦，B超示肝占位，甲胎蛋白升高。"),
    ("lung_cancer", "routine", 62, "male", "Smoker for 40 years, cough for 2 months with blood-streaked sputum, weight loss; GeneXpert negative; mass on the chest X-ray."),
    ("lung_cancer", "routine", 65, "male", "男，65岁，吸烟40年，咳嗽2个月，痰中带血，消瘦，胸片示肺部肿块。"),
    ("kaposi_sarcoma", "routine", 35, "male", "HIV positive, not on ART. Purple nodules on the legs and a purple patch on the palate, legs swollen."),
    ("kaposi_sarcoma", "routine", 32, "female", "女，32岁，HIV阳性，下肢多发紫红色结节，上腭紫色斑块。"),
    # part 3 (findings_breadth6c.toml)
    ("iga_vasculitis", "urgent", 6, "male", "A week after a sore throat: raised purple spots on the legs and buttocks, swollen painful ankles and tummy ache. No fever, playing."),
    ("iga_vasculitis", "urgent", 7, "female", "女童7岁，感冒后双下肢对称性紫癜，紫癜高出皮面，伴腹痛、踝关节肿痛，无发热。"),
    ("systemic_lupus_erythematosus", "routine", 25, "female", "Butterfly rash across the cheeks and nose, worse in the sun, painful small joints of the hands, mouth ulcers and tiredness for 2 months."),
    ("systemic_lupus_erythematosus", "routine", 28, "female", "女，28岁，面部蝶形红斑2月，日晒后加重，双手小关节痛，口腔溃疡，乏力。"),
    ("hypokalaemic_periodic_paralysis", "urgent", 25, "male", "Woke up unable to move both legs after a big rice meal and beer last night; potassium low at 2.6. Sensation normal. Known hyperthyroidism."),
    ("hypokalaemic_periodic_paralysis", "urgent", 24, "male", "男，24岁，晨起双下肢无力，不能行走，昨晚饱餐饮酒，血钾低，有甲亢病史。"),
    ("peripheral_arterial_disease", "routine", 65, "male", "Smoker with diabetes: pain in the calves when walking 200 m, goes after a few minutes of rest; weak foot pulses."),
    ("peripheral_arterial_disease", "routine", 68, "male", "男，68岁，吸烟，糖尿病，间歇性跛行半年，足背动脉搏动减弱。"),
    ("dyslipidaemia", "routine", 50, "male", "Came for his results: high cholesterol and high triglycerides at the screening. Feels well. BP 128/80, not diabetic."),
    ("dyslipidaemia", "routine", 52, "female", "女，52岁，体检发现血脂高，胆固醇升高，无不适，血压正常。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


# Look-alikes: a neighbouring condition's typical note must not be taken by a breadth-6 condition.
LOOKALIKES = [
    # (must not lead, age, sex, note)
    ("immune_thrombocytopenia", 4, "male", "High fever since this morning, drowsy, with a purple non-blanching rash spreading on the legs."),
    ("scarlet_fever", 8, "female", "Fever and sore throat for 2 days, white exudate on the tonsils, tender neck nodes, no cough."),
    ("roseola_infantum", 1, "male", "Fever 3 days, cough, runny nose, red eyes, then a blotchy rash starting behind the ears; Koplik spots."),
    ("kawasaki_disease", 3, "male", "Fever with mouth ulcers and small blisters on the palms and soles; a classmate has the same."),
    ("delirium", 70, "male", "Sudden weakness of the right arm and leg and slurred speech one hour ago."),
    ("delirium", 45, "female", "Bitten by a dog 3 weeks ago, not vaccinated; now afraid of water, agitated, talking nonsense."),
    ("acute_limb_ischaemia", 30, "male", "Fell and twisted his ankle, swollen and painful, can walk with a limp; foot warm with good pulses."),
    ("g6pd_haemolysis", 30, "male", "Fever with chills for 3 days in a malaria area, RDT positive; dark urine."),
    ("pyomyositis", 7, "male", "Fever and a hot, red, swollen knee; refuses to walk."),
    ("chest_injury", 55, "male", "Central crushing chest pain radiating to the left arm for 1 hour with sweating."),
    ("obstructed_labour", 25, "female", "39 weeks pregnant, contractions every 5 minutes since 4 hours, waters broke clear, baby moving."),
    ("obstructive_sleep_apnoea", 55, "male", "BP 152/96 twice, occasional light-headedness after late nights; snores but not sleepy in the day. Smoker."),
    ("transient_synovitis_hip", 6, "male", "Fever 39.5, refuses to walk, hot swollen painful right hip, looks unwell."),
    ("aphthous_ulcers", 2, "female", "Fever with painful mouth ulcers and swollen bleeding gums, not eating."),
    ("drug_use_disorder", 25, "male", "Found unconscious after injecting heroin, pinpoint pupils, breathing slowly."),
    ("supraventricular_tachycardia", 70, "male", "Palpitations with an irregularly irregular pulse of 130, breathless."),
    ("lung_cancer", 30, "male", "Cough for 3 weeks with night sweats, fever and weight loss; household TB contact."),
    ("frozen_shoulder", 58, "male", "Pain in the left shoulder and arm when walking uphill with sweating, relieved by rest."),
    ("iga_vasculitis", 3, "male", "High fever, drowsy, purple non-blanching spots spreading fast on the legs."),
    ("hypokalaemic_periodic_paralysis", 70, "male", "Sudden weakness of the left arm and leg with facial droop and slurred speech."),
    ("dyslipidaemia", 60, "male", "Central crushing chest pain for an hour with sweating; known high cholesterol and smoker."),
    ("peripheral_arterial_disease", 45, "female", "Swollen painful left calf after a long bus journey, calf tender."),
    ("colorectal_cancer", 28, "female", "Crampy abdominal pain for a year, alternating diarrhoea and constipation, bloating, pain relieved by passing stool. No weight loss, no blood."),
]


@pytest.mark.parametrize(("condition", "age", "sex", "note"), LOOKALIKES, ids=[c[0] for c in LOOKALIKES])
def test_lookalike_is_not_taken(condition, age, sex, note):
    out = assess(note, age=age, sex=sex)
    assert out["differential"], note
    assert out["differential"][0]["condition_id"] != condition, (condition, note)


def test_every_expression_of_breadth6_reads_as_its_finding():
    """Each expression of findings_breadth6.toml, read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth6.toml")
    assert len(entries) > 300
    assert missed == []


def test_every_expression_of_breadth6b_reads_as_its_finding():
    """Each expression of findings_breadth6b.toml, read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth6b.toml")
    assert len(entries) > 300
    assert missed == []


def test_every_expression_of_breadth6c_reads_as_its_finding():
    """Each expression of findings_breadth6c.toml, read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth6c.toml")
    assert len(entries) > 60
    assert missed == []
