"""Reach of the tropical-infection, poisoning and environmental-injury conditions: for each,
one short English and one Chinese note written for this test (typical presentations from the
cited guidelines, clinician or lay wording). The condition must be in the top 3 and the
triage level must follow the agreed policy (CONDITIONS.md)."""

from __future__ import annotations

import pytest
from reach import check, service

CASES = [
    # (condition, triage, age, sex, note)
    ("rickettsial_infection", "routine", 35, "male", "Farmer, fever 6 days with headache and body aches after harvesting in the rice paddy. O/E black eschar in the left groin, tender lymph nodes, T 38.6."),
    ("rickettsial_infection", "routine", 52, "male", "男，52岁，秋收下田劳作后发热5天，头痛、全身酸痛。查体：T 38.7℃，右腋下见一黑色焦痂，周围淋巴结肿大。"),
    # back pain with fever is a red flag for spinal infection (brucellar or TB spondylitis): urgent
    ("brucellosis", "urgent", 45, "male", "Herdsman, fever on and off for 4 weeks with night sweats, joint pains and low back pain. Drinks raw goat milk, helped with lambing."),
    ("brucellosis", "urgent", 40, "male", "男，40岁，牧民，反复发热1月余，多汗、乏力、关节痛、腰痛。常饮生羊奶，近期接羔。"),
    ("leptospirosis", "routine", 28, "male", "Cleared blocked drains after the floods last week. Now fever, headache, painful calves and red eyes without discharge. T 38.9."),
    ("leptospirosis", "routine", 35, "male", "男，35岁，抗洪涉水后发热3天，头痛，腓肠肌疼痛，压痛明显，眼结膜充血。T 38.9℃。"),
    ("schistosomiasis", "routine", 12, "male", "Blood at the end of urination for 2 months. Swims in the river after school. No fever, no dysuria."),
    ("schistosomiasis", "routine", 10, "male", "患儿10岁，反复终末血尿3月，常下河游泳。无发热，无尿痛。"),
    ("human_african_trypanosomiasis", "routine", 30, "male", "Lives in a sleeping sickness focus, many tsetse bites. Months of intermittent fever and headache; now sleeps during the day and is awake at night. Winterbottom's sign present."),
    ("human_african_trypanosomiasis", "routine", 38, "male", "男，38岁，来自非洲昏睡病流行区，有采采蝇叮咬史。间断发热、头痛数月，近来白天嗜睡、夜间失眠，颈后淋巴结肿大。"),
    ("visceral_leishmaniasis", "routine", 25, "male", "From a kala-azar endemic district. Fever for 2 months, weight loss, huge spleen, pale. Malaria RDT negative."),
    ("visceral_leishmaniasis", "routine", 30, "male", "男，30岁，来自黑热病流行区，发热2月，消瘦，脾大平脐，面色苍白，皮肤变黑。疟疾检测阴性。"),
    ("mumps", "routine", 6, "male", "Fever and painful swelling below both ears for 2 days, hurts to chew. Classmates with mumps."),
    ("mumps", "routine", 7, "female", "患儿7岁，发热2天，双侧耳下肿痛，以耳垂为中心，咀嚼时疼痛，班上有腮腺炎。"),
    ("rubella", "routine", 22, "female", "Low-grade fever, pink rash started on the face and spread to the body, swollen glands behind the ears, mild joint pains. No cough."),
    ("rubella", "routine", 20, "female", "女，20岁，低热1天，面部开始出现淡红色皮疹，渐蔓延至躯干，耳后及枕后淋巴结肿大。无咳嗽。"),
    ("hand_foot_mouth_disease", "routine", 3, "male", "Fever 38.2 since yesterday, mouth ulcers and small blisters on his hands and feet, eating poorly. Alert, drinking well."),
    ("hand_foot_mouth_disease", "routine", 2, "female", "患儿2岁，发热1天，体温38.3℃，口腔疱疹，手心脚心见散在小疱疹，精神好，吃奶好。"),
    ("infectious_mononucleosis", "routine", 18, "male", "Sore throat and fever for 8 days, very tired. Exudate on tonsils, swollen nodes at the back of the neck, spleen tip palpable."),
    ("infectious_mononucleosis", "routine", 17, "male", "男，17岁，咽痛、发热1周，明显乏力，扁桃体肿大有白色渗出，颈后淋巴结肿大，脾肋下可及，血涂片见异型淋巴细胞。"),
    ("haemolytic_uraemic_syndrome", "emergency", 3, "male", "Bloody diarrhoea last week, now pale and puffy eyes, passing little urine since yesterday."),
    ("haemolytic_uraemic_syndrome", "emergency", 4, "female", "患儿4岁，1周前大便带血，近2天面色苍白，眼睑水肿，尿少。"),
    ("meningococcaemia", "emergency", 16, "male", "Fever since this morning, leg pains, cold hands and feet, purple spots on the legs that do not fade when pressed."),
    ("meningococcaemia", "emergency", 5, "female", "患儿5岁，高热半天，四肢冰凉，全身散在瘀点瘀斑，压之不褪色。"),
    ("hiv_infection", "routine", 32, "female", "ART follow-up visit, on TLD for 2 years, viral load undetectable last month, feels well, no cough, no fever."),
    ("hiv_infection", "routine", 28, "male", "男，28岁，今日HIV初筛阳性，无发热、咳嗽、消瘦，要求进一步诊治。"),
    # a paracetamol overdose of a large or unknown amount is an emergency (policy of 2026-12-07)
    ("paracetamol_poisoning", "emergency", 17, "female", "Swallowed a whole packet of paracetamol (24 tablets) 3 hours ago after a fight with her boyfriend. Nausea, no vomiting, alert."),
    ("paracetamol_poisoning", "emergency", 19, "female", "女，19岁，3小时前与家人争吵后吞服扑热息痛20片，现恶心，无呕吐，神志清楚。"),
    ("kerosene_poisoning", "urgent", 2, "male", "Drank kerosene from a soda bottle 1 hour ago, coughed and vomited once. Now playing, no fast breathing."),
    ("kerosene_poisoning", "urgent", 2, "female", "患儿2岁，半小时前误服煤油一口，呛咳一次，现精神好，无气促。"),
    ("alcohol_intoxication", "urgent", 24, "male", "Brought by friends after a party, very drunk, vomited twice, smells of alcohol, unsteady on his feet, rousable."),
    ("alcohol_intoxication", "urgent", 30, "male", "男，30岁，大量饮酒后呕吐2次，满身酒气，走路不稳，呼之能应。"),
    ("methanol_poisoning", "emergency", 40, "male", "Drank home-made spirits yesterday; now blurred vision, abdominal pain and vomiting. Two drinking partners also ill."),
    ("methanol_poisoning", "emergency", 45, "male", "男，45岁，昨日饮用散装白酒后出现视物模糊、腹痛、呕吐，同饮者也有类似症状。"),
    ("drowning", "emergency", 4, "male", "Pulled out of the pond by his father after a few minutes. Coughing, breathing fast, vomited water."),
    ("drowning", "emergency", 5, "male", "患儿5岁，落水后被救起，咳嗽、气促，口唇发紫。"),
    ("heat_exhaustion", "urgent", 45, "male", "Labourer working in the sun all day during a heat wave. Dizzy, headache, sweating heavily, muscle cramps, nausea. Alert. T 38.0."),
    ("heat_exhaustion", "urgent", 50, "male", "男，50岁，高温天气下田间劳作后头晕、乏力、大量出汗、小腿抽筋、恶心，神志清楚，体温37.9℃。"),
    ("heat_stroke", "emergency", 19, "male", "Collapsed during a long-distance run in hot weather; confused, hot dry skin, T 41.2."),
    ("heat_stroke", "emergency", 22, "male", "男，22岁，高温下军训时晕倒，意识模糊，皮肤干热，体温41℃。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES,
                         ids=[f"{c[0]}-{'zh' if any(ord(ch) > 0x3000 for ch in c[4]) else 'en'}" for c in CASES])
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


@pytest.mark.parametrize("note", ["Fever 2 days, petechial rash on the trunk.", "发热1天，皮肤见出血点。",
                                  "High fever, purpuric spots on both legs.", "发烧，身上起紫癜。"])
def test_fever_with_petechial_rash_is_an_emergency_whatever_the_differential(note):
    out = service().assess_dict({"note": note, "age_years": 30, "sex": "female", "vitals": {}}).to_dict()
    assert out["triage"] == "emergency"
    assert "fever_petechial_purpuric_rash" in [r["id"] for r in out["danger_signs"]]
