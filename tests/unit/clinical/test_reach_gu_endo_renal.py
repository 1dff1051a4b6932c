"""Reach of the genitourinary / STI, endocrine and renal conditions (issue 11): for each
condition, two short typical notes written by the knowledge author (one English, one
Chinese; clinician or lay wording) must put the condition in the top 3 of the differential
and get the triage level of the agreed policy (resources/knowledge/CONDITIONS.md).

These are development checks written together with the knowledge; they are not an
estimate of accuracy on unseen notes."""

from __future__ import annotations

import pytest
from reach import check

# (condition id, age in years, sex, triage level, note)
CASES = [
    ('vaginal_candidiasis', 28, 'female', 'routine',
     'vulval itching and thick white curd-like discharge for 4 days, vulva red and sore. no fever, no lower abdominal pain.'),
    ('vaginal_candidiasis', 30, 'female', 'routine',
     '外阴瘙痒3天，白带增多呈豆腐渣样，外阴红肿。无发热，无下腹痛。'),
    ('bacterial_vaginosis', 26, 'female', 'routine',
     'thin grey vaginal discharge with a fishy smell, worse after sex, for 1 week. no itching, no pelvic pain, no fever.'),
    ('bacterial_vaginosis', 31, 'female', 'routine',
     '白带增多1周，灰白色稀薄，有鱼腥味，同房后加重。无外阴瘙痒，无下腹痛，无发热。'),
    ('trichomoniasis', 24, 'female', 'routine',
     'frothy yellow-green vaginal discharge and vulval itching for 5 days, some burning on passing urine. new partner last month. no fever.'),
    ('trichomoniasis', 27, 'female', 'routine',
     '黄绿色泡沫状白带1周，外阴瘙痒，有不洁性生活史。无发热，无下腹痛。'),
    ('syphilis', 30, 'male', 'routine',
     'single painless ulcer on the penis for 2 weeks, painless rubbery nodes in both groins. RPR reactive.'),
    ('syphilis', 26, 'female', 'routine',
     '孕24周产检，梅毒快速检测阳性，无不适。'),
    ('genital_ulcer_disease', 29, 'male', 'routine',
     'painful ragged ulcers on the penis for 5 days with tender swollen glands in the groin. sex with a sex worker 10 days ago.'),
    ('genital_ulcer_disease', 33, 'male', 'routine',
     '阴茎多发痛性溃疡1周，边缘不整，右侧腹股沟淋巴结肿痛，有冶游史。'),
    ('genital_herpes', 23, 'female', 'routine',
     'clusters of small painful blisters on the vulva for 3 days, tingling before they came out. had the same sores last year.'),
    ('genital_herpes', 30, 'male', 'routine',
     '阴茎成簇小水疱伴疼痛3天，发疹前局部有刺痛，既往有类似发作。'),
    ('epididymo_orchitis', 24, 'male', 'urgent',
     'right testicular pain and swelling for 3 days, getting gradually worse, burning urine and discharge from the penis. T 38.2'),
    ('epididymo_orchitis', 35, 'male', 'urgent',
     '左侧阴囊肿痛4天，逐渐加重，伴尿痛、发热，体温38.3℃。'),
    ('testicular_torsion', 15, 'male', 'emergency',
     'woke with sudden severe left testicular pain 2 hours ago, vomited twice. left testis high-riding, cremasteric reflex absent.'),
    ('testicular_torsion', 14, 'male', 'emergency',
     '突发右侧睾丸剧痛3小时，伴恶心呕吐。查体：右侧睾丸上提，提睾反射消失。'),
    ('renal_colic', 38, 'male', 'urgent',
     "sudden severe colicky left loin pain radiating to the groin, can't keep still, vomited once. urine dip blood +++. no fever."),
    ('renal_colic', 42, 'male', 'urgent',
     '突发右侧腰部绞痛2小时，向腹股沟放射，坐立不安，伴恶心，尿常规潜血+++，无发热。'),
    ('bph_urinary_retention', 68, 'male', 'urgent',
     'unable to pass urine since last night, lower abdominal pain, bladder palpable to the umbilicus. long history of weak stream and getting up at night to pass urine.'),
    ('bph_urinary_retention', 72, 'male', 'urgent',
     '前列腺增生病史，昨晚起不能排尿，下腹胀痛，耻骨上膨隆。'),
    ('prostatitis', 45, 'male', 'urgent',
     'fever and chills, painful urination and perineal pain for 2 days. DRE: exquisitely tender boggy prostate. T 38.6'),
    ('prostatitis', 40, 'male', 'urgent',
     '发热寒战2天，尿频尿痛，会阴部胀痛，直肠指检前列腺明显压痛。体温38.7℃。'),
    ('hypothyroidism', 52, 'female', 'routine',
     'tired, gaining weight, always feels cold, constipated, dry skin for 6 months. pulse 54. TSH high.'),
    ('hypothyroidism', 48, 'female', 'routine',
     '乏力、特别怕冷、体重增加半年，皮肤干燥粗糙，便秘。TSH升高。'),
    ('hyperthyroidism', 32, 'female', 'routine',
     'weight loss despite a good appetite, palpitations, tremor and heat intolerance for 3 months. bulging eyes, goitre.'),
    ('hyperthyroidism', 35, 'female', 'emergency',
     '甲亢病史，自行停药1月。发热2天，体温39.2℃，心率150次/分，烦躁，腹泻。'),
    ('hyperosmolar_hyperglycaemic_state', 78, 'male', 'emergency',
     'type 2 diabetic, 5 days of passing lots of urine and thirst, now drowsy and confused, very dry mouth. glucose 38 mmol/L, urine ketones negative.'),
    ('hyperosmolar_hyperglycaemic_state', 75, 'male', 'emergency',
     '2型糖尿病，近1周多饮多尿，今日嗜睡、意识模糊，口唇干燥，血糖42 mmol/L，尿酮体阴性。'),
    ('acute_kidney_injury', 40, 'male', 'urgent',
     'passing very little urine for 2 days after diarrhoea and vomiting, has been taking ibuprofen. creatinine raised.'),
    ('acute_kidney_injury', 45, 'male', 'urgent',
     '腹泻呕吐3天后尿量明显减少，近24小时几乎无尿，血肌酐升高。'),
    ('chronic_kidney_disease', 60, 'male', 'routine',
     'known CKD from diabetes and hypertension, itchy skin, nausea, poor appetite, ankle swelling. creatinine raised.'),
    ('chronic_kidney_disease', 58, 'female', 'routine',
     '慢性肾脏病5年，高血压、糖尿病史，乏力、纳差、皮肤瘙痒，双下肢水肿，血肌酐升高。'),
    ('nephrotic_syndrome', 6, 'male', 'urgent',
     'puffy eyes in the mornings for a week, now swelling of both legs, frothy urine. urine protein +++.'),
    ('nephrotic_syndrome', 5, 'male', 'urgent',
     '眼睑及双下肢水肿1周，尿中泡沫多，尿蛋白+++。'),
    ('acute_nephritic_syndrome', 8, 'male', 'urgent',
     'sore throat 2 weeks ago, now puffy face and passing little cola-coloured urine. BP 150/100.'),
    ('acute_nephritic_syndrome', 9, 'female', 'urgent',
     '2周前咽痛，近3天眼睑水肿，尿少，尿色呈洗肉水样。血压145/95 mmHg。'),
]


@pytest.mark.parametrize("condition, age, sex, level, note", CASES,
                         ids=[f"{c[0]}-{i % 2 and 'zh' or 'en'}" for i, c in enumerate(CASES)])
def test_condition_in_top3_with_policy_triage(condition, age, sex, level, note):
    check(condition, level, note, age=age, sex=sex)


def test_every_condition_has_an_english_and_a_chinese_note():
    by_condition: dict[str, int] = {}
    for condition, *_ in CASES:
        by_condition[condition] = by_condition.get(condition, 0) + 1
    assert set(by_condition.values()) == {2} and len(by_condition) == 18
