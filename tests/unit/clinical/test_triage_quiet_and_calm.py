"""Triage that stays safe on quiet emergencies and calm on alarming words (issue 11, session 15).

Each class is tested both ways, in English and Chinese where the class has both: the quiet
emergency is called an emergency (a calm patient, a relative's words, a short note), and its
mimic, which carries the alarming word without the danger, is not. The notes are written for
these tests. Rules: resources/knowledge/triage_rules_quiet15.toml; lexicon families:
findings_quiet15.toml; policy: CONDITIONS.md."""

from __future__ import annotations

from functools import lru_cache

import pytest

from lantern.services.assessment import AssessmentService


@lru_cache(maxsize=1)
def _service() -> AssessmentService:
    return AssessmentService(use_llm=False)


def _level(note: str, age: float | None = None, sex: str | None = None) -> str:
    case: dict = {"note": note}
    if age is not None:
        case["age_years"] = age
    if sex is not None:
        case["sex"] = sex
    return _service().assess_dict(case).triage.level


def _signs(note: str, age: float | None = None, sex: str | None = None) -> set[str]:
    case: dict = {"note": note, "age_years": age, "sex": sex}
    return {s.rule.id for s in _service().assess_dict(case).triage.signs}


# ---------------- quiet emergencies: called emergency ----------------

@pytest.mark.parametrize(("note", "age", "sex"), [
    # paracetamol: a large or unknown amount, the patient well
    ("Swallowed 24 paracetamol tablets last night after an argument, feels completely fine this morning.", 17, "female"),
    ("Her 3 yr old ate the panadol from grandad's bag, unsure how many, she is playing happily.", 3, "female"),
    ("昨晚吃了二十几片扑热息痛，现在没什么感觉，只是有点恶心。", 19, "male"),
    # paraquat, any amount
    ("Took one sip of paraquat from the shed, spat most of it out, says he is fine and wants to go.", 30, "male"),
    ("喝了一小口百草枯，马上吐了，现在没有不舒服。", 40, "female"),
    # intestinal obstruction with vomiting
    ("Belly swollen and tight for two days, has not passed wind or stool since yesterday, vomiting everything.", 70, "male"),
    ("肚子胀，两天不排便不排气，呕吐三次。", 68, "female"),
    # green vomiting in a young child
    ("Baby of 7 months, vomit is green since this morning, still feeding a little.", 0.6, "male"),
    # a focal deficit that came and went (TIA)
    ("This morning her right hand went heavy and useless for about 15 minutes, then completely better. Wants her BP pills.", 72, "female"),
    ("Yesterday he could not find his words for ten minutes, then back to normal. Feels well now.", 65, "male"),
    ("今天早上左手突然没劲，说不出话，十分钟后完全恢复，现在无不适。", 70, "male"),
    # bulging fontanelle in a febrile infant, lay and clinician word orders
    ("Fever since yesterday, her soft spot is bulging, more sleepy than usual.", 0.7, "female"),
    ("Febrile infant, anterior fontanelle bulging and tense, irritable when handled.", 0.5, "male"),
    ("发热两天，囟门鼓起，吃奶少。", 0.6, "male"),
    # tearing pain between the shoulder blades (aortic dissection)
    ("Sudden tearing pain between shoulder blades while lifting a sack, sweaty.", 58, "male"),
    # epiglottitis: cannot swallow even saliva
    ("Sore throat since this morning, now cannot swallow even saliva, spitting into a cup, fever.", 45, "male"),
    ("咽痛一天，口水咽不下去，往外吐口水，发热。", 50, "female"),
    # suicidal thoughts in other words with the means at hand
    ("Says the family would be better without me; keeps a bottle of pesticide in the store.", 40, "male"),
    # one calf thicker than the other with sudden breathlessness (PE)
    ("突然气短、胸痛，右小腿比左小腿粗，有压痛。", 50, "male"),
    # sudden severe lower abdominal pain with vomiting in a girl (ovarian torsion)
    ("Sudden onset severe right lower abdominal pain while running, vomited twice, no diarrhoea.", 13, "female"),
    # a scald over a large body region
    ("Boiling water spilled over her chest and belly 20 minutes ago, big blisters.", 2, "female"),
    ("开水烫伤胸腹部和双上肢，起了很多水泡。", 3, "male"),
])
def test_quiet_emergency_is_called(note, age, sex):
    assert _level(note, age, sex) == "emergency", (note, _signs(note, age, sex))


# ---------------- mimics: the alarming word without the danger ----------------

@pytest.mark.parametrize(("note", "age", "sex", "not_level"), [
    # an old injury is no acute trauma
    ("Knee still aches since a motorbike crash two months ago, walks normally.", 35, "male", ("urgent", "emergency")),
    ("Back pain since he fell off the roof last year, stiff in the mornings.", 55, "male", ("urgent", "emergency")),
    ("Road traffic accident 2 years ago, now occasional neck ache.", 40, "female", ("urgent", "emergency")),
    ("半年前出过车祸，现在腰还有点酸，活动正常。", 45, "male", ("urgent", "emergency")),
    # restless or fidgety alone is not altered consciousness (nor renal colic)
    ("Fidgety in class, can't sit still, eats and sleeps well.", 7, "male", ("emergency",)),
    ("孩子上课坐立不安，动来动去，吃饭睡觉都好。", 7, "male", ("urgent", "emergency")),
    # pale alone after bloody diarrhoea is not HUS
    ("Bloody diarrhoea last week, now settled; looks a bit pale, passing plenty of urine.", 4, "female", ("emergency",)),
    # a child's own birth history is not current labour
    ("Late walker; he was born after prolonged labour in the village.", 3, "male", ("emergency",)),
    ("孩子两岁还不会说话，出生时难产。", 2, "female", ("emergency",)),
    # a dog at home, or a barking-dog cough, is no bite
    ("Runny nose and cough 3 days, we have a dog at home, eating well.", 5, "female", ("urgent", "emergency")),
    ("Cough like a barking dog only when she cries, quiet breathing at rest, drinking well.", 2, "female",
     ("emergency",)),
    ("家里养了一条狗，孩子咳嗽流鼻涕三天，吃饭好。", 4, "male", ("urgent", "emergency")),
    # a haemorrhage the note says has stopped is no heavy bleeding now
    ("Six weeks after delivery, had heavy bleeding at birth, bleeding has stopped completely, feels tired.", 26, "female",
     ("emergency",)),
    ("产后一个月，产后曾大出血，现出血已止，乏力。", 30, "female", ("emergency",)),
    # a denied thought of self-harm on a form
    ("Low mood 3 weeks. Thoughts of self-harm or suicide: denies.", 22, "female", ("urgent", "emergency")),
])
def test_mimic_is_not_called(note, age, sex, not_level):
    assert _level(note, age, sex) not in not_level, (note, _signs(note, age, sex))


def test_a_real_bite_is_still_a_bite():
    # removing the bare word "dog" must not lose a bite said in other words
    assert _level("The neighbour's dog bit him on the calf this morning, skin broken.", 9, "male") != "routine"
    assert _level("孩子昨天被狗咬了，手上有牙印出血。", 6, "female") != "routine"


def test_a_recent_injury_is_still_trauma():
    # the acute window only drops injuries a month or more ago
    assert _level("Fell from a tree 2 days ago, wrist swollen and deformed.", 10, "male") != "routine"


def test_an_old_tia_is_not_an_emergency_today():
    assert _level("Had a mini-stroke 3 years ago, here for his blood pressure review, no new symptoms.", 70,
                  "male") != "emergency"


@pytest.mark.parametrize(("note", "age", "sex"), [
    # symptoms that went away are no TIA unless they were a focal deficit
    ("Cough and runny nose last week, then completely better; here for a vaccine.", 30, "female"),
    ("Zigzag lights in both eyes for 20 minutes, then back to normal, then a throbbing headache like her usual migraine.",
     28, "female"),
    ("咳嗽三天，之后完全恢复，今天来体检。", 35, "male"),
])
def test_symptoms_that_went_are_no_tia(note, age, sex):
    assert "transient_focal_deficit_recent" not in _signs(note, age, sex)
    assert "transient_ischaemic_attack_named" not in _signs(note, age, sex)


def test_a_stopped_haemorrhage_with_shock_signs_is_still_an_emergency():
    note = "Delivered 2 hours ago, heavy bleeding, bleeding has stopped after massage, dizzy and pulse 128."
    assert _level(note, 24, "female") == "emergency"


@pytest.mark.parametrize(("note", "age", "sex"), [
    ("A stray dog nipped him on the ankle, tooth marks on the skin.", 8, "male"),
    ("The dog licked the wound on her hand.", 12, "female"),
    ("孩子手上被狗叼了一口，留下牙印。", 5, "male"),
])
def test_bites_in_other_words_are_bites(note, age, sex):
    assert _level(note, age, sex) != "routine", _signs(note, age, sex)


@pytest.mark.parametrize("note", [
    "肚脐周围痛了一天，之后转到右下边，走路就痛，发烧，吐了一次。",
    "个仔肚痛，由肚脐走咗去右下边，发烧，唔想食嘢。",
])
def test_pain_moving_to_the_right_lower_belly_is_not_routine(note):
    # the migration of appendicitis in lay Mandarin and Cantonese
    assert _level(note, 14, "male") != "routine"
