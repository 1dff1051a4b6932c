"""Reach of the second tropical/miscellaneous area (yellow fever, viral haemorrhagic fever, plague,
filariasis, onchocerciasis, yaws, Buruli ulcer, scorpion and bee/wasp stings, anxiety/panic): for
each, one short English and one Chinese note written for this test (typical presentations from
the cited guidelines, clinician or lay wording). The condition must be in the top 3 and the
triage level must follow the agreed policy (CONDITIONS.md)."""

from __future__ import annotations

import pytest
from reach import check, service

CASES = [
    # (condition, triage, age, sex, note)
    ("yellow_fever", "urgent", 24, "male", "Came from a yellow fever outbreak area, never vaccinated. Fever and back pain 5 days, seemed better, now yellow eyes and vomiting."),
    ("yellow_fever", "emergency", 30, "male", "男，30岁，来自非洲黄热病疫区，未接种黄热病疫苗。发热4天后出现皮肤巩膜黄染，牙龈出血，呕血。"),
    ("viral_haemorrhagic_fever", "emergency", 35, "female", "Nursed her brother who died with bleeding last week and washed the body. Now fever, vomiting, diarrhoea and bleeding gums."),
    ("viral_haemorrhagic_fever", "emergency", 40, "male", "男，40岁，从埃博拉疫区回国，参加过葬礼。发热3天，乏力、呕吐、腹泻。"),
    ("plague", "emergency", 28, "male", "Dead rats in the village last week. Sudden high fever, chills and a very painful swollen lymph node in the left groin."),
    ("plague", "emergency", 45, "male", "男，45岁，牧民，5天前剥旱獭皮。突起高热、寒战，右腋下淋巴结剧烈肿痛。"),
    ("lymphatic_filariasis", "routine", 50, "female", "Elephantiasis of the right leg for 10 years, deep skin folds and fungal infection between the toes. No fever."),
    ("lymphatic_filariasis", "urgent", 42, "male", "男，42岁，丝虫病流行区，左下肢象皮肿多年，近2天下肢红肿热痛伴发热（流火）。"),
    ("onchocerciasis", "routine", 38, "male", "Lives by a fast-flowing river with many blackflies. Severe itching for months, leopard skin on the shins and painless nodules over the hips."),
    ("onchocerciasis", "routine", 45, "female", "女，45岁，来自河盲症流行区，全身皮肤瘙痒数月，胫前豹皮样色素脱失，髂嵴处皮下结节，视力下降。"),
    ("yaws", "routine", 8, "male", "Painless raspberry-like papilloma on the leg for 3 weeks, a few crusted sores nearby. Other children in the village have similar lesions."),
    ("yaws", "routine", 9, "female", "患儿9岁，小腿无痛性杨梅样皮损3周，表面结痂，同村儿童有类似皮损，怀疑雅司病。"),
    ("buruli_ulcer", "routine", 12, "male", "Painless swelling of the forearm that broke down into a large ulcer with undermined edges over 2 months. Lives near a swamp. No fever."),
    ("buruli_ulcer", "routine", 10, "female", "患儿10岁，小腿无痛性结节2月后破溃成溃疡，边缘潜行，底部棉絮样，家住沼泽附近，无发热。"),
    ("scorpion_sting", "urgent", 30, "male", "Stung by a scorpion on the foot an hour ago. Severe burning pain at the site, little swelling. No vomiting, no sweating."),
    ("scorpion_sting", "emergency", 4, "male", "患儿4岁，1小时前被蝎子蜇伤手指，哭闹不安，呕吐2次，大汗，流涎，四肢冰凉。"),
    ("bee_wasp_sting", "routine", 25, "female", "Bee sting on the arm this morning, local swelling and redness, painful. No difficulty breathing, no lip swelling."),
    ("bee_wasp_sting", "emergency", 60, "male", "男，60岁，上山砍柴时被群蜂蜇伤，头面部及双上肢多处蜇伤，尿色发暗。"),
    ("anxiety_panic_disorder", "routine", 28, "female", "Recurrent panic attacks for 3 months: sudden fear, heart racing, shaking, tingling hands, feels she is going to die; now afraid to go out. No chest pain."),
    ("anxiety_panic_disorder", "routine", 35, "female", "女，35岁，半年来总是担心，控制不住地担心家人和工作，失眠、易疲劳、心慌，无胸痛，无发热。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES,
                         ids=[f"{c[0]}-{'zh' if any(ord(ch) > 0x3000 for ch in c[4]) else 'en'}" for c in CASES])
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


@pytest.mark.parametrize("note", ["Panic attack with crushing chest pain radiating to the left arm and sweating.",
                                  "惊恐发作，胸痛向左臂放射，大汗淋漓。"])
def test_a_panic_attack_does_not_hide_chest_pain_red_flags(note):
    out = service().assess_dict({"note": note, "age_years": 52, "sex": "male", "vitals": {}}).to_dict()
    assert out["triage"] == "emergency", [r["id"] for r in out["danger_signs"]]
