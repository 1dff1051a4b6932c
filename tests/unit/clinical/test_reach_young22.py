"""The young (issue 11, session 22): conditions and rules for adolescents and young adults.

Short English and Chinese notes written for this test from the typical presentation in each
condition's or rule's cited guideline (WHO mhGAP 2.0, WHO BEC 2018, WHO FP Handbook 2022, NICE
NG38 / NG217), not copied from any evaluation set: the condition must be in the top 3 and the
triage level must follow the agreed policy (CONDITIONS.md, "The young"). The look-alikes keep
their own level: chronic stimulant use is dependence (routine), pharyngitis's painful swallowing
is not oesophageal, a plain sprain is not a scaphoid fracture."""

from __future__ import annotations

import pytest
from reach import assess, case_ids, check

CASES = [
    # withdrawal delirium, told without the lexicon's words for heavy use or stopping
    ("alcohol_withdrawal", "emergency", 30, "male",
     "Drinks spirits most days. Since yesterday shaking hands, sweating, and now does not know where he is, "
     "seeing snakes on the ceiling."),
    ("alcohol_withdrawal", "emergency", 35, "male",
     "Farmer who drinks home brew. Hands shaking since last night; had a fit at home this morning. HR 120."),
    # survived hanging
    ("near_hanging", "emergency", 19, "female",
     "Found hanging in the storeroom by her sister, cut down at once. Now talking, rope mark on the neck, voice hoarse."),
    ("near_hanging", "emergency", 17, "male", "17岁男，在家中自缢被家人发现后解救，颈部可见勒痕，声音嘶哑，神志清。"),
    # stimulants and solvents
    ("stimulant_toxicity", "emergency", 22, "male",
     "Took ecstasy at a party, now very agitated and sweating, T 40.2, pupils wide, HR 150."),
    ("stimulant_toxicity", "urgent", 24, "male", "Used cocaine an hour ago, palpitations and agitated, HR 124, otherwise alert."),
    ("volatile_solvent_toxicity", "emergency", 13, "male",
     "Street boy, friends say he was sniffing glue, then fainted; now drowsy with an irregular pulse."),
    ("drug_use_disorder", "routine", 26, "male", "男，26岁，吸食冰毒3年，想戒，睡眠差，家人陪同来咨询。"),
    # self-harm without an imminent risk
    ("suicide_risk", "urgent", 16, "female",
     "Healed and fresh cuts on her forearm; she cuts herself to feel better when stressed. No wish to die, no plan."),
    # emergency contraception
    ("emergency_contraception", "urgent", 20, "female", "The condom broke two nights ago; asking for the morning-after pill."),
    ("emergency_contraception", "urgent", 19, "female", "19岁女，前天晚上安全套破裂，要求紧急避孕，无其他不适。"),
    # suspected scaphoid fracture
    ("fracture_dislocation", "urgent", 21, "male",
     "Fell on his outstretched hand at football yesterday. Wrist sore, tender in the anatomical snuffbox, X-ray normal."),
    # dissociative seizures, Osgood-Schlatter, gynaecomastia (routine)
    ("dissociative_seizures", "routine", 16, "female",
     "Attacks of shaking for 20 minutes with eyes tightly closed, resists eye opening, remembers the episode afterwards. "
     "EEG normal. Alert now."),
    ("osgood_schlatter_disease", "routine", 13, "male",
     "Basketball player with pain at the tibial tuberosity below both knees, worse after jumping, better with rest."),
    ("pubertal_gynaecomastia", "routine", 14, "male", "14岁男孩，左侧乳晕下盘状硬结2个月，轻压痛，无溢液，睾丸正常。"),
    # a manic episode
    ("mania", "urgent", 23, "male",
     "For a week sleeps 2 hours a night, talks fast, says he will be president, spent all his savings, irritable when stopped."),
    # pneumothorax told by its percussion note
    ("pneumothorax", "emergency", 20, "male",
     "Tall thin student, sudden left chest pain and breathlessness while running. Hyper-resonant left chest, "
     "absent breath sounds on the left. SpO2 89%."),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


def test_pharyngitis_painful_swallowing_is_not_oesophageal():
    out = assess("Sore throat and pain on swallowing for 2 days, fever 38.5, tonsils with exudate.", age=20, sex="female")
    assert "odynophagia" not in [f["id"] for f in out["findings"] if not f.get("negated")]


def test_abdominal_percussion_is_not_a_pneumothorax():
    out = assess("腹痛2天，腹部叩诊鼓音，肠鸣音活跃，无发热。", age=30, sex="male")
    ids = [f["id"] for f in out["findings"] if not f.get("negated")]
    assert "hyperresonance" not in ids and "unilateral_chest_signs" not in ids


def test_every_expression_of_reach22_reads_as_its_finding():
    """Each listed expression of findings_reach22.toml (findings and lay families), read alone, yields its finding."""
    from reach import expressions_read_as_their_findings
    entries, missed = expressions_read_as_their_findings("findings_reach22.toml")
    assert len(entries) > 300
    assert missed == []


def test_a_pain_timed_by_the_period_is_period_pain():
    out = assess("Crampy lower tummy pain that started this morning with her period, the same every month; "
                 "no fever, abdomen soft.", age=15, sex="female")
    assert "primary_dysmenorrhoea" in [d["condition_id"] for d in out["differential"][:3]]


def test_retching_at_fatty_food_is_nausea_not_biliary_pain():
    out = assess("停经9周，恶心，吃油腻的东西想吐，尿妊娠试验阳性，无腹痛无出血。", age=20, sex="female")
    ids = [f["id"] for f in out["findings"] if not f.get("negated")]
    assert "nausea" in ids and "pain_after_fatty_meal" not in ids
