"""Reach of the conditions added by the breadth pass 5 (issue 11): gynaecological and obstetric
emergencies (ovarian torsion, retained placenta), extrapulmonary tuberculosis, acute flaccid
weakness, encephalitis, diphtheria, drug-induced dystonia, mania, suspected cervical and
oesophageal cancer, pleural effusion, obstetric fistula, cutaneous anthrax, parkinsonism,
chronic hepatitis C and common complaints (umbilical hernia, paronychia, irritable bowel,
varicose veins). Short English and Chinese notes written for this test from the typical
presentation in each condition's cited guideline (not copied from any evaluation set): the
condition must be in the top 3 and the triage level must follow the agreed policy
(CONDITIONS.md) and the breadth-5 rules. Look-alike notes must NOT put it first."""

from __future__ import annotations

import pytest
from reach import assess, case_ids, check, expressions_read_as_their_findings

CASES = [
    # (condition, triage, age, sex, note)
    ("ovarian_torsion", "emergency", 24, "female", "Sudden severe right lower abdominal pain 3 hours ago with vomiting. Known ovarian cyst on ultrasound last year. Pregnancy test negative, no vaginal bleeding, no fever."),
    ("ovarian_torsion", "emergency", 16, "female", "女，16岁，突发左下腹剧痛4小时，伴恶心呕吐，既往B超发现卵巢囊肿，无发热，无阴道流血，月经规律。"),
    ("retained_placenta", "emergency", 27, "female", "Delivered at home 1 hour ago, baby well, but the placenta not delivered yet. Bleeding moderate, pulse 100."),
    ("retained_placenta", "emergency", 30, "female", "女，30岁，家中分娩后1小时，胎盘未娩出，阴道少量流血。"),
    ("tuberculous_meningitis", "emergency", 30, "male", "HIV positive. Headache and fever for 2 weeks, now vomiting and confused, neck stiffness, double vision. Lost weight, night sweats."),
    ("tuberculous_meningitis", "emergency", 6, "female", "女童6岁，发热、头痛2周，近3天呕吐、嗜睡，颈项强直，家里奶奶有肺结核，消瘦。"),
    ("spinal_tuberculosis", "urgent", 35, "male", "Back pain for 3 months, worse at night, with night sweats and weight loss. A hump on the back and tenderness over the spine. Legs strong, no bladder problems."),
    ("spinal_tuberculosis", "emergency", 40, "female", "女，40岁，腰背痛4个月，盗汗、消瘦，胸椎棘突压痛，可见角状后凸，近1周双下肢无力。"),
    ("guillain_barre_syndrome", "urgent", 28, "male", "Diarrhoea 2 weeks ago. For 4 days weakness that started in the legs and spread to the arms, tingling in both hands and feet, absent reflexes. Breathing comfortably, swallowing fine."),
    ("guillain_barre_syndrome", "urgent", 9, "male", "男童9岁，感冒后1周，双下肢无力3天，逐渐发展到四肢无力，腱反射消失，无发热，吞咽正常。"),
    ("encephalitis", "emergency", 7, "male", "Fever for 3 days, now confused and talking nonsense, had a fit this morning. Lives near rice paddies and a pig farm, no JE vaccine."),
    ("encephalitis", "emergency", 8, "female", "女童8岁，夏季发热3天，今日意识模糊，抽搐1次，家里养猪，未接种乙脑疫苗。"),
    ("diphtheria", "emergency", 6, "male", "Unvaccinated child with sore throat and fever for 3 days; grey membrane on the tonsils that bleeds when touched and a bull neck."),
    ("diphtheria", "urgent", 10, "female", "女童10岁，未接种疫苗，咽痛发热2天，扁桃体上有灰白色假膜，不易拭去，无呼吸困难。"),
    ("acute_dystonic_reaction", "urgent", 19, "female", "Given metoclopramide for vomiting yesterday; today her neck is twisted to one side and her eyes are stuck looking up. Fully alert, no fever."),
    ("acute_dystonic_reaction", "urgent", 25, "male", "男，25岁，开始服用氟哌啶醇后2天，出现斜颈、伸舌，神志清楚，无发热。"),
    ("paraphimosis", "urgent", 6, "male", "Mother pulled back the foreskin to clean it yesterday and now it will not go back; the tip of the penis is swollen and painful."),
    ("paraphimosis", "urgent", 40, "male", "男，40岁，导尿后包皮翻不回去，龟头肿胀疼痛半天。"),
    ("mania", "routine", 30, "male", "For 2 weeks talking non-stop, full of energy, spending all his money, sleeps 2 hours a night and does not need sleep. No drugs, no fever."),
    ("mania", "routine", 35, "female", "女，35岁，近2周情绪高涨，说个不停，精力旺盛，乱花钱，每晚只睡2小时也不累。"),
    ("cervical_cancer", "routine", 45, "female", "Bleeding after sex for 3 months and a foul watery vaginal discharge. On speculum a friable cervix that bleeds on contact. HIV positive."),
    ("cervical_cancer", "routine", 52, "female", "女，52岁，绝经后阴道出血2个月，同房后出血，妇检见宫颈菜花样肿物，接触性出血。"),
    ("oesophageal_cancer", "routine", 60, "male", "Food sticking in the chest for 2 months, now can only swallow liquids; weight loss. Smoker and drinks spirits daily."),
    ("oesophageal_cancer", "routine", 62, "male", "男，62岁，进行性吞咽困难3个月，进食哽噎，现只能吃流食，体重下降10斤。"),
    # one side of the chest dull and silent in a breathless patient fires the existing
    # tension-pneumothorax rule (unilateral chest signs with difficult breathing): emergency
    # urgent by the breadth-5 rule pleural_effusion_breathless (CONDITIONS.md); it read emergency only through the broad
    # tension-pneumothorax rule, which needs a sign of tension since session 17
    ("pleural_effusion", "urgent", 30, "male", "Breathless for 2 weeks with a dry cough, night sweats and weight loss. Left chest stony dull with absent breath sounds."),
    ("pleural_effusion", "emergency", 45, "female", "女，45岁，胸闷气促3周，低热盗汗，右下肺叩诊实音，呼吸音消失，胸片示右侧胸腔积液。"),
    ("obstetric_fistula", "routine", 22, "female", "Since a labour that lasted 3 days last year with a stillbirth, she leaks urine from the vagina all the time and is always wet."),
    ("obstetric_fistula", "routine", 19, "female", "女，19岁，去年难产后一直阴道漏尿，裤子总是湿的。"),
    ("cutaneous_anthrax", "urgent", 35, "male", "Skinned a cow that died suddenly 4 days ago; now a painless sore with a black eschar on the forearm and a lot of swelling around it."),
    ("cutaneous_anthrax", "urgent", 40, "male", "男，40岁，5天前剥了病死牛的皮，右手出现黑色焦痂，周围明显水肿，不痛。"),
    ("parkinsonism", "routine", 68, "male", "Slowly getting slower over a year, resting tremor of the right hand (pill-rolling), shuffling gait and a mask-like face. No weakness."),
    ("parkinsonism", "routine", 70, "female", "女，70岁，近1年动作迟缓，右手静止性震颤，走路小碎步，表情呆板，写字越写越小。"),
    ("chronic_hepatitis_c", "routine", 45, "male", "Anti-HCV positive at a screening. Used to inject drugs years ago. Feels tired, no jaundice, no swollen belly."),
    ("chronic_hepatitis_c", "routine", 55, "female", "女，55岁，体检发现丙肝抗体阳性，二十年前卖过血浆，乏力，无黄疸，无腹水。"),
    ("umbilical_hernia", "routine", 1, "male", "1-year-old with a soft bulge at the belly button that gets bigger when he cries and goes back in easily. Feeding well, no vomiting."),
    ("umbilical_hernia", "routine", 50, "female", "女，50岁，肚脐鼓包1年，站立用力时出现，平卧可回纳，无腹痛呕吐。"),
    ("paronychia", "routine", 30, "female", "Red swollen painful skin at the side of the thumbnail for 3 days with a little pus beside the nail. No fever."),
    ("paronychia", "routine", 25, "male", "男，25岁，右拇趾嵌甲，甲沟红肿疼痛、化脓3天，无发热。"),
    ("irritable_bowel_syndrome", "routine", 28, "female", "Crampy abdominal pain for a year, alternating diarrhoea and constipation, bloating, pain relieved by passing stool. No weight loss, no blood."),
    ("irritable_bowel_syndrome", "routine", 32, "male", "男，32岁，反复腹痛1年，腹泻便秘交替，腹胀，排便后缓解，无便血，无体重下降。"),
    ("varicose_veins", "routine", 50, "female", "Varicose veins in both legs for years, heavy aching legs worse after standing, now an ulcer above the inner ankle with brown skin around it."),
    ("varicose_veins", "routine", 55, "male", "男，55岁，双下肢静脉曲张10年，久站后腿胀，内踝上方溃疡，小腿色素沉着。"),
    ("balanitis_phimosis", "routine", 35, "male", "Red sore glans with itch and a white discharge under the foreskin for a week. Known diabetic. No urethral discharge, no ulcer."),
    ("balanitis_phimosis", "routine", 7, "male", "男童7岁，包皮口狭窄不能上翻，排尿时包皮鼓起，龟头红肿。"),
    ("pelvic_organ_prolapse", "routine", 58, "female", "Something coming down in the vagina for a year, a dragging feeling worse at the end of the day, 7 children. Passing urine normally."),
    ("pelvic_organ_prolapse", "routine", 62, "female", "女，62岁，下身有东西掉出来2年，久站后下坠感加重，平卧可回纳，排尿正常。"),
    ("simple_goitre", "routine", 30, "female", "Swelling in the front of the neck that moves with swallowing for 2 years. No palpitations, no weight loss, no tremor. The family does not use iodised salt."),
    ("simple_goitre", "routine", 40, "female", "女，40岁，脖子粗3年，随吞咽上下移动，无心慌手抖，无怕热多汗，当地缺碘。"),
    ("acute_laryngitis", "routine", 30, "male", "Hoarse voice for 3 days after shouting at a football match, with a mild cold. No difficulty breathing, no stridor."),
    ("acute_laryngitis", "routine", 35, "female", "女，35岁，教师，讲课多，声音嘶哑3天，伴轻微咽痛，无呼吸困难。"),
    ("alcohol_use_disorder", "routine", 45, "male", "Drinks spirits every day for years, needs a drink in the morning, cannot cut down, lost his job because of drinking. Wife brought him."),
    ("alcohol_use_disorder", "routine", 50, "male", "男，50岁，每天喝酒20年，早上起来就喝酒，戒不了酒，酒后打架。"),
    ("lipoma_epidermoid_cyst", "routine", 40, "male", "Soft painless lump under the skin of the back, mobile, slowly growing for 2 years. No fever, no redness."),
    ("lipoma_epidermoid_cyst", "routine", 35, "female", "女，35岁，背部皮下包块2年，质软，活动度好，无痛，无红肿。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


# Look-alikes: a neighbouring condition's typical note must not be taken by a breadth-5 condition.
LOOKALIKES = [
    # (must not lead, age, sex, note)
    ("ovarian_torsion", 25, "female", "Missed period 7 weeks, lower abdominal pain on the left and vaginal spotting; pregnancy test positive, dizzy when she stands."),
    ("tuberculous_meningitis", 20, "male", "Sudden high fever since this morning, severe headache, stiff neck and a purple rash on the legs."),
    ("guillain_barre_syndrome", 70, "male", "Sudden weakness of the right arm and leg and facial droop one hour ago."),
    ("diphtheria", 8, "female", "Fever and sore throat for 2 days, white exudate on the tonsils, tender neck nodes, fully vaccinated, no cough."),
    ("acute_dystonic_reaction", 30, "male", "Stepped on a rusty nail 10 days ago, now lockjaw and painful muscle spasms, not vaccinated."),
    ("mania", 25, "male", "Hearing voices for a month, thinks the neighbours are poisoning him, not sleeping, talks to himself."),
    ("cervical_cancer", 35, "female", "Heavy periods for 6 months, soaking pads, tired and pale. No bleeding after sex."),
    ("pleural_effusion", 4, "male", "Cough and fever for 3 days, fast breathing, crackles on the right."),
    ("irritable_bowel_syndrome", 60, "male", "Change in bowel habit for 3 months with blood in the stool and weight loss, pale."),
    ("paronychia", 40, "male", "Thick yellow crumbly toenails for years, not painful, no redness."),
    ("acute_laryngitis", 2, "male", "Barking cough and stridor at rest since last night, hoarse voice, fever."),
    ("simple_goitre", 35, "female", "Weight loss, palpitations, tremor and heat intolerance for 2 months; enlarged thyroid, bulging eyes."),
]


@pytest.mark.parametrize(("condition", "age", "sex", "note"), LOOKALIKES, ids=[c[0] for c in LOOKALIKES])
def test_lookalike_is_not_taken(condition, age, sex, note):
    out = assess(note, age=age, sex=sex)
    assert out["differential"], note
    assert out["differential"][0]["condition_id"] != condition, (condition, note)


def test_every_expression_of_breadth5_reads_as_its_finding():
    """Each expression of findings_breadth5.toml, read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth5.toml")
    assert len(entries) > 400
    assert missed == []
