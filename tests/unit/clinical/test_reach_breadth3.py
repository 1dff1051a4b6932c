"""Reach of the conditions added by the breadth pass 3 (issue 11: what a rural generalist sees
daily): for each, short English and Chinese notes written for this test from the typical
presentation in the cited guideline (not copied from any evaluation set). The condition must be
in the top 3 and the triage level must follow the agreed policy (CONDITIONS.md)."""

from __future__ import annotations

import pytest
from reach import case_ids, check

CASES = [
    # (condition, triage, age, sex, note)
    ("sprain_strain", "routine", 24, "male", "Rolled his ankle playing football yesterday. Lateral ankle swollen and painful, can bear weight and walked in. No bony tenderness at the malleoli."),
    ("sprain_strain", "routine", 35, "female", "女，35岁，下楼梯时崴了脚，右踝外侧肿痛1天，能走路，外踝尖无骨压痛，无畸形。"),
    ("vasovagal_syncope", "routine", 16, "female", "Fainted at school assembly after standing for a long time in a crowded hall; felt hot and sweaty and her vision went grey first. Came round within a minute, now well. No chest pain, no palpitations, no jerking."),
    ("vasovagal_syncope", "routine", 28, "male", "男，28岁，抽血时晕倒，倒地前眼前发灰、出冷汗，数秒后醒来，醒后无胸痛、心悸，无抽搐。"),
    ("benign_paroxysmal_positional_vertigo", "routine", 58, "female", "Room spinning for a few seconds whenever she turns over in bed or looks up to a high shelf, for a week. Nausea, no hearing loss. No weakness, no slurred speech, walks normally."),
    ("benign_paroxysmal_positional_vertigo", "routine", 62, "female", "女，62岁，近3天起床和床上翻身时天旋地转，持续不到一分钟，伴恶心，无耳鸣，无肢体无力，无言语不清。"),
    ("refractive_error", "routine", 11, "male", "11-year-old boy, teacher says he cannot see the blackboard and squints to see; sits close to the TV at home. Eyes not red or painful."),
    ("refractive_error", "routine", 48, "female", "女，48岁，近半年看手机、看报纸看不清，需拿远才看得清，看远处正常，无眼红眼痛。"),
    # chest-wall pain is musculoskeletal pain; adult chest pain is urgent unless pressing on the
    # chest wall reproduces it (agreed policy since 2026-12-06, rule chest_pain_adult)
    ("musculoskeletal_pain", "routine", 30, "male", "Sharp left chest pain since lifting heavy sacks 2 days ago, worse on twisting, tender over the ribs and the pain is reproduced on palpation. No sweating, no breathlessness."),
    ("ophthalmia_neonatorum", "urgent", 0.01, "female", "4-day-old baby born at home, both eyelids swollen with a lot of pus from the eyes since yesterday. Feeding well, no fever."),
    ("ophthalmia_neonatorum", "urgent", 0.02, "male", "出生7天男婴，双眼红肿、眼睛流脓2天，吃奶好，无发热。"),
    ("breastfeeding_problems", "routine", 24, "female", "Delivered 6 days ago, breastfeeding. Cracked, sore nipples, worse when the baby latches; baby has a shallow latch. No fever, breast not red, no lump."),
    ("breastfeeding_problems", "routine", 27, "female", "产后4天，母乳喂养，双侧涨奶、乳房胀硬疼痛，宝宝含接不良。无发热，乳房无红肿，无肿块。"),
    ("cryptococcal_meningitis", "urgent", 34, "male", "HIV positive, defaulted ART, CD4 60. Headache getting worse for 2 weeks, vomiting, low-grade fever, blurred vision. Alert and oriented."),
    ("cryptococcal_meningitis", "urgent", 40, "female", "女，40岁，HIV阳性，未规律抗病毒治疗，CD4 50。头痛逐渐加重2周，伴呕吐、发热，视物模糊。神志清楚。"),
    ("pneumocystis_pneumonia", "urgent", 30, "female", "HIV positive, not on ART or cotrimoxazole. Breathlessness on exertion getting worse over 2 weeks, dry cough, fever. Chest clear. SpO2 93% at rest, desaturates on walking."),
    ("pneumocystis_pneumonia", "urgent", 36, "male", "男，36岁，HIV阳性，CD4 40，未服抗病毒药。近2周活动后气促逐渐加重，干咳，发热，活动后血氧下降。"),
    # anaemia in pregnancy (O99.0) is the anaemia condition with the WHO ANC thresholds
    ("anaemia", "routine", 25, "female", "ANC visit at 24 weeks pregnant. Tired, pale conjunctivae, Hb 9.2 g/dL. No breathlessness, no bleeding."),
    ("peripheral_neuropathy", "routine", 60, "male", "Known diabetic for 10 years. Burning feet and pins and needles in both feet at night for months; cannot feel the monofilament on both soles. No weakness, no foot ulcer."),
    ("peripheral_neuropathy", "routine", 58, "female", "女，58岁，糖尿病8年，双脚麻木、踩棉花感半年，夜间脚底烧灼感，袜套样感觉减退，无肢体无力。"),
    ("diabetic_foot_ulcer", "urgent", 62, "male", "Known diabetic, ulcer on the sole of his foot for 3 weeks, not healing, with redness spreading around it and pus. Numb feet. Afebrile."),
    ("diabetic_foot_ulcer", "routine", 55, "female", "女，55岁，糖尿病10年，右脚底溃疡1个月不愈合，双足麻木，溃疡周围无红肿，无发热。"),
    ("opioid_or_benzodiazepine_overdose", "emergency", 25, "male", "Found by friends very drowsy after injecting heroin, pinpoint pupils, slow breathing about 6 a minute, lips blue."),
    ("opioid_or_benzodiazepine_overdose", "emergency", 45, "female", "女，45岁，家属发现其服用大量安眠药后昏睡，呼吸浅慢，瞳孔缩小。"),
    ("insomnia", "routine", 42, "female", "Difficulty falling asleep and waking early for 2 months, tired in the day. Mood is good and she still enjoys things; no alcohol."),
    ("insomnia", "routine", 50, "male", "男，50岁，失眠3个月，入睡困难、多梦易醒，白天乏力，无情绪低落，无兴趣减退。"),
    ("acne_vulgaris", "routine", 16, "male", "16-year-old with pimples on the face and blackheads for a year, worse on the forehead and chin, some on the back. No fever."),
    ("acne_vulgaris", "routine", 17, "female", "女，17岁，脸上长痘1年，额头和下巴有粉刺、黑头和红色丘疹，偶有脓疱。"),
    ("lymphadenitis", "routine", 6, "male", "6-year-old with a tender, warm lump in the neck under the jaw for 4 days after a scalp sore; low fever. Throat normal, no difficulty swallowing."),
    ("lymphadenitis", "routine", 28, "female", "女，28岁，右颈部淋巴结肿大1个月，无痛，多个淋巴结融合成团，伴低热、盗汗、消瘦，HIV阳性。"),
    ("hydrocele_inguinal_hernia_child", "routine", 0.5, "male", "6-month-old boy with a swelling in the right groin that gets bigger when he cries and goes back in when he is asleep. Feeding well, no vomiting, not tender."),
    ("hydrocele_inguinal_hernia_child", "routine", 3, "male", "男童3岁，左侧腹股沟包块半年，哭闹时出现，平卧后消失，可还纳，无压痛，无呕吐。"),
    ("pityriasis_versicolor", "routine", 22, "male", "Young man with pale patches on the chest and back for 2 months, slightly itchy, fine scale when scratched, worse in the hot season. Sensation normal in the patches."),
    ("pityriasis_versicolor", "routine", 25, "female", "女，25岁，胸背部浅色斑2个月，轻微瘙痒，搔刮有细碎鳞屑，夏天加重，皮损处感觉正常。"),
]



@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)

