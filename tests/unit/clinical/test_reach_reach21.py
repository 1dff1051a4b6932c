"""The season and the place (issue 11, session 21): endemic, zoonotic and environmental illness.

Conditions the knowledge base has but whose signs notes write in other words (tungiasis lesions
described, swimmer's itch, a hydatid cyst on the scan, an ulcer with an indurated edge, a boil in
which something wriggles, numb lips after pufferfish, a swollen painful groin after marmots, fear of
water shown as throat spasm, an Amanita with a ring and a volva, the measles rash spreading down from
the face, tiny bumps of prickly heat, bites everywhere that are insect bites), the emergencies of the
same conditions (suspected plague, clinical rabies, amatoxin hepatotoxic phase, kwashiorkor with a
complication) and the symptomatic carbon-monoxide exposure that needs the same day.

Short English and Chinese notes written for this test from the typical presentation in each
condition's cited guideline (not copied from any evaluation set): the condition must be in the top 3
and the triage level must follow the agreed policy (CONDITIONS.md)."""

from __future__ import annotations

import pytest
from reach import assess, case_ids, check, expressions_read_as_their_findings

CASES = [
    # (condition, triage, age, sex, note)
    ("tungiasis", "routine", 9, "female", "Itchy sore toes for 2 weeks, she plays barefoot. Pale nodules with a dark centre around the toenails. Walking fine, no fever."),
    ("tungiasis", "routine", 9, "male", "男，9岁，赤脚玩耍，脚趾痒痛，趾甲周围白色结节中央有黑点，无发热，行走正常。"),
    ("schistosomiasis", "routine", 35, "male", "Fisherman, itchy rash after wading in the lake yesterday, small red papules on both shins. No fever."),
    ("schistosomiasis", "routine", 45, "female", "女，45岁，下稻田后双足背、小腿瘙痒，出现红色丘疹，同村多人相似，无发热。"),
    ("hydatid_disease", "routine", 48, "female", "Herder, keeps several dogs. Ultrasound at the district: hepatic cyst with daughter cysts. No pain, no jaundice."),
    ("hydatid_disease", "routine", 52, "male", "男，52岁，牧区，家里养着狗，B超发现肝囊性占位，囊中囊，无黄疸，无发热。"),
    ("cutaneous_leishmaniasis", "routine", 25, "male", "Ulcer on the forearm for 3 months with a raised indurated border, not painful. Sandflies at night in his village. No fever."),
    ("myiasis", "routine", 2, "female", "Toddler with a boil on the scalp; mother says something wriggling inside it. Afebrile, feeding well."),
    ("pufferfish_poisoning", "emergency", 45, "male", "男，45岁，吃河豚后口唇发麻、四肢发麻，走路不稳，呼吸费力。"),
    ("plague", "emergency", 40, "male", "男，40岁，猎人，捕猎旱獭后2天发热、寒战，左腹股沟肿痛，不能行走。"),
    ("rabies_exposure", "emergency", 28, "male", "Bitten by a stray dog 6 weeks ago, not vaccinated. Now fever, agitated, terrified of water, drooling."),
    ("rabies_exposure", "urgent", 12, "female", "Neighbour's cat nibbled her bare hand this morning, small graze without bleeding. Cat not vaccinated."),
    ("mushroom_poisoning", "emergency", 36, "female", "女，36岁，前天吃了野生菌，菌柄上有环，进食后约10小时开始呕吐腹泻，今天好转，但右上腹痛，尿少。"),
    ("severe_acute_malnutrition", "emergency", 2, "female", "2yo, oedema of both feet and face, peeling skin, sparse pale hair. Failed the appetite test. Very cold, temperature 35.0."),
    ("carbon_monoxide_poisoning", "urgent", 60, "female", "Woman 60, headache, dizziness and nausea after a night with the charcoal stove indoors. Alert, walking."),
    ("measles", "routine", 4, "male", "4yo, fever and cough 4 days, red eyes, runny nose, now a blotchy red rash spreading from the face to the trunk. Not vaccinated."),
    ("miliaria", "routine", 0.5, "female", "Baby 6 months, tiny red itchy bumps on the neck and back in the hot season, overdressed. No fever."),
    ("papular_urticaria", "routine", 4, "male", "Itchy bites everywhere on arms and legs for 3 weeks, papules with a central punctum. No fever, well."),
    ("accidental_hypothermia", "urgent", 38, "male", "Slept outside drunk on a freezing night. Toes numb and white, after rewarming swollen, blood blisters on the toes, two toes dark. Alert."),
    # results written by their name: stool ova, a cholera RDT, eosinophils; the silicosis chest film
    ("intestinal_helminths", "routine", 8, "male", "School screening, 8yo boy, well, eating. Stool: roundworm ova and hookworm ova."),
    ("intestinal_helminths", "routine", 11, "female", "女，11岁，学校体检，无不适，粪检查见钩虫卵。"),
    ("cholera", "urgent", 6, "female", "Outbreak camp, 6yo. Diarrhoea, profuse and watery, since this morning, vomiting, thirsty, sunken eyes, skin pinch slow. Cholera RDT positive."),
    ("schistosomiasis", "routine", 25, "male", "男，25岁，1个月前在湖区捕鱼，现发热、全身荨麻疹、咳嗽，肝大，嗜酸粒细胞明显增多。"),
    ("silicosis", "routine", 50, "male", "男，50岁，干式凿岩15年，活动后气短2年，咳嗽咳痰，胸片见矽结节和肺门蛋壳样钙化。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


@pytest.mark.parametrize(("note", "age", "not_level"), [
    # a frostbitten foot with blood blisters is a cold injury, urgent, not a necrotising infection
    ("男，50岁，雪地里迷路一夜，双足趾冻伤，复温后肿胀、血疱。神清。", 50, "emergency"),
    # insect bites everywhere are not an animal bite (no rabies exposure)
    ("3yo, itchy bites everywhere on the legs for a week, no fever, playing.", 3, "urgent"),
])
def test_look_alikes_are_not_raised(note, age, not_level):
    assert assess(note, age=age)["triage"] != not_level


def test_a_cholera_rdt_is_not_a_malaria_rdt():
    """'RDT O1 pos' is the cholera test: the malaria-positive rule does not fire."""
    out = assess("Watery diarrhoea x6 since last night, alert, drinking. RDT O1 pos.", age=30)
    assert "malaria_positive" not in [s["id"] for s in out["danger_signs"]]
    assert "cholera_test_positive" in [f["id"] for f in out["findings"] if not f.get("negated")]


def test_no_ova_seen_is_absent():
    found = assess("Stool microscopy: no hookworm ova seen.", age=20)["findings"]
    assert [f.get("negated") for f in found if f["id"] == "helminth_ova"] == [True]


def test_delayed_mushroom_symptoms_alone_stay_urgent():
    """Delayed onset alone is urgent by policy (poisoning); the liver or kidney sign makes it an emergency."""
    out = assess("Ate wild mushrooms; vomiting started 12 hours after the meal, now settling.", age=40)
    assert out["triage"] == "urgent"


def test_every_expression_of_reach21_reads_as_its_finding():
    """Each listed expression of findings_reach21.toml (findings and lay families), read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_reach21.toml")
    assert len(entries) > 200
    assert missed == []


@pytest.mark.parametrize(("note", "negated"), [
    # a test result written as its label's value, like "Fever: no." (a CHW slip, a line list)
    ("mRDT: POSITIVE (2 lines)", False),
    ("mRDT: positive", False),
    ("RDT: negative", True),
])
def test_a_test_label_value_gives_the_result(note, negated):
    found = [f for f in assess(note, age=20)["findings"] if f["id"] == "malaria_rdt_positive"]
    assert [f.get("negated", False) for f in found] == [negated]
