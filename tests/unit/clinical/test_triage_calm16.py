"""Triage that is neither alarmist nor blind (issue 11, session 16).

Each class is tested both ways, in English and Chinese: the calm reading (an alarming word
read in its context) is not over-triaged, and the danger the quietened rule also covered is
still called. The notes are written for these tests. Calm words: findings_calm16.toml (the
mechanism of findings_quiet15.toml); rules: triage_rules_calm16.toml and the `none` of the
rules they quieten (each with a comment)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from lantern.services.assessment import AssessmentService

LEVELS = {"routine": 0, "urgent": 1, "emergency": 2}


@lru_cache(maxsize=1)
def _service() -> AssessmentService:
    return AssessmentService(use_llm=False)


def _triage(note: str, age: float | None, sex: str | None):
    case: dict = {"note": note}
    if age is not None:
        case["age_years"] = age
    if sex is not None:
        case["sex"] = sex
    return _service().assess_dict(case).triage


def _level(note: str, age: float | None = None, sex: str | None = None) -> str:
    return _triage(note, age, sex).level


def _signs(note: str, age: float | None = None, sex: str | None = None) -> set[str]:
    return {s.rule.id for s in _triage(note, age, sex).signs}


# ---------------- calm: the alarming word in its context is not an emergency ----------------

@pytest.mark.parametrize(("note", "age", "sex", "rule"), [
    # Bell's palsy: the forehead is weak, the limbs and speech are normal (lower motor neurone)
    ("Since this morning the left side of his face droops, cannot wrinkle the left forehead or close the "
     "left eye. Arms and legs normal, talking normally.", 58, "male", "acute_focal_deficit"),
    ("今晨起床发现口角歪斜，右侧额纹消失，右眼闭合不全。四肢活动正常，说话清楚。", 61, "female", "acute_focal_deficit"),
    # breath-holding spell: cried, held the breath, blue for seconds, recovered at once
    ("Toddler fell over, cried hard, then held her breath and her lips went blue for a few seconds, then "
     "cried again and is now running around.", 1.2, "female", "etat_central_cyanosis"),
    ("孩子被抢玩具后大哭，哭后屏气，嘴唇发紫几秒钟，随即哭出声恢复正常。", 1.5, "male", "etat_central_cyanosis"),
    # 'not himself' / 不像平时 beside 'oriented' or 'playing' (a relative's vague words)
    ("Wife says he is not himself since the fever began. On review alert and oriented, answers questions "
     "correctly.", 47, "male", "not_usual_self_unexplained"),
    ("家属说他这两天不像平时，查体神志清楚，对答切题。", 52, "male", "not_usual_self_unexplained"),
    ("Mum says she is not herself since the fever; in clinic she is playing with toys.", 3, "female",
     "not_usual_self_unexplained"),
    ("发热一天，妈妈说孩子不像平时，来诊时在玩耍，吃奶好。", 2, "male", "not_usual_self_unexplained"),
    # safety-net advice to the family is not a finding of the case (ZH)
    ("手足口病普通型，精神好。告知家长出现嗜睡、呕吐、肢体抖动立即就诊。", 3, "female", "hfmd_neurological"),
    # a quinsy: drooling with a deviated uvula and a mouth that will not open is no epiglottitis
    ("Sore throat 4 days, worse on the right, can barely open his mouth, voice like a hot potato, drooling. "
     "Breathing comfortably.", 25, "male", "epiglottitis_signs"),
    ("咽痛5天，左侧为重，嘴张不大，口水咽不下去往外流，悬雍垂偏向右侧，呼吸平稳。", 30, "male", "epiglottitis_signs"),
])
def test_calm_reading_is_not_an_emergency(note, age, sex, rule):
    signs = _signs(note, age, sex)
    assert rule not in signs, (note, signs)
    assert _level(note, age, sex) != "emergency", (note, signs)


@pytest.mark.parametrize(("note", "age", "sex"), [
    # the patient's usual recurring pain
    ("Terrible headache again, one-sided and throbbing with nausea, same as her usual migraine; no fever, "
     "no weakness.", 33, "female"),
    ("剧烈头痛一天，左侧搏动性，伴恶心，与以往发作相同，无发热，无肢体无力。", 36, "female"),
    ("Severe cramping lower belly pain on the first day of her period, the same pain every month; no fever.",
     17, "female"),
    ("每次来月经都肚子疼得厉害，今天来月经第一天，无发热，无呕吐。", 18, "female"),
    # a high temperature in a child who is playing
    ("Fever 39.7 since last night, runny nose, mother frightened; the child is running around the waiting "
     "room, drinking well.", 3, "male"),
    ("发热39.6℃一天，流涕，奶奶很担心，孩子在玩耍，吃喝正常。", 2.5, "female"),
    # a burn the patient did not feel, or an old burn scar (leprosy, neuropathy)
    ("Pale numb patch on the forearm for a year; burned his hand on the stove without feeling it, now a "
     "healing burn scar.", 40, "male"),
    ("手背烫伤了也不知道，手臂有浅色麻木斑一年。", 45, "female"),
    # stable angina: exertional, relieved by rest in minutes, never at rest
    ("Tight chest when walking uphill for 2 months, goes away within minutes of resting, never at rest, "
     "not more frequent.", 64, "male"),
    ("近半年快走时胸口中间发闷，休息几分钟就好，休息时从来不痛，发作规律无变化。", 66, "female"),
])
def test_calm_reading_is_routine(note, age, sex):
    assert _level(note, age, sex) == "routine", (note, _signs(note, age, sex))


# ---------------- safe: the danger the quietened rule also covered is still called ----------------

@pytest.mark.parametrize(("note", "age", "sex"), [
    # a facial palsy with arm weakness or slurred speech is a stroke
    ("Sudden right facial droop including the forehead, right arm weak and speech slurred, 40 minutes ago.",
     70, "male"),
    ("突发右侧口角歪斜，额纹消失，右侧肢体无力，言语不清一小时。", 68, "female"),
    # blue with breathing signs, whatever spells the child has had
    ("Had breath-holding spells before; today blue lips with fast breathing and chest indrawing.", 1.5,
     "male"),
    ("以前有过屏气发作，今天口唇发紫，呼吸急促，胸凹陷。", 1.2, "female"),
    # 'not himself' with nothing that says he is oriented stays a possible altered consciousness
    ("Since last night he is not himself, the family is worried.", 70, "male"),
    ("家属说老人从昨晚开始不像平时。", 75, "female"),
    # the specific words stay altered consciousness, whatever else the note says
    ("Not himself since last night, confused, GCS 13, alert and oriented earlier today.", 70, "male"),
    ("发热三天，今天意识不清，叫醒困难，下午曾能正确对答。", 40, "female"),
    # a child who has stopped playing is not a playing child
    ("Fever 3 days, now very sleepy and has stopped playing.", 2, "female"),
    # safety-net advice does not hide the findings of the case itself
    ("手足口病，今天嗜睡，肢体抖动。告知家长出现呕吐立即就诊。", 2, "male"),
    # a quinsy with stridor is still an airway emergency
    ("Quinsy on the left with a deviated uvula, now stridor and struggling to breathe.", 20, "male"),
])
def test_danger_is_still_an_emergency(note, age, sex):
    assert _level(note, age, sex) == "emergency", (note, _signs(note, age, sex))


@pytest.mark.parametrize(("note", "age", "sex"), [
    # peritonism is a same-day surgical assessment (kept when severe_pain was split)
    ("Right lower abdominal pain since yesterday, rebound tenderness in the RIF, afebrile.", 22, "female"),
    ("右下腹痛一天，麦氏点压痛、反跳痛阳性，无发热。", 21, "male"),
    # a new Bell's palsy: steroids within 72 hours
    ("Since this morning cannot close the left eye or wrinkle the left forehead; limbs and speech normal.", 36,
     "female"),
    ("Woke up today with the right side of the face drooping, cannot close the right eye; arms and speech "
     "normal.", 45, "female"),
    ("昨天开始口角歪斜，左眼闭不上，左侧额纹消失，四肢正常。", 50, "male"),
    # angina that now comes at rest
    ("Angina for a year, relieved by rest, but this week the chest pain also comes at rest.", 66, "male"),
    ("以前活动时胸痛，休息后缓解，这几天静息时也痛。", 62, "female"),
    # an oriented patient whom the family finds 'not himself' is still seen the same day
    ("Daughter says he is not himself this week; alert and oriented, GCS 15.", 80, "male"),
    # a high temperature under 6 months, playing or not
    ("Baby 4 months, temperature 39.4, feeding and playing.", 0.33, "female"),
    # a febrile urinary infection in an infant, however playful
    ("Fever 39.0 for 2 days, playing, urine dipstick nitrite positive.", 0.9, "male"),
    ("发热两天，T 39.1℃，能玩，尿常规亚硝酸盐（+）。", 1.0, "female"),
])
def test_urgent_is_kept(note, age, sex):
    assert _level(note, age, sex) == "urgent", (note, _signs(note, age, sex))


# ---------------- urgency settled from the guideline and the signs ----------------

@pytest.mark.parametrize(("note", "age", "sex", "want"), [
    # mastoiditis: an urgent same-day referral; an emergency once it spreads inside the skull
    ("Ear discharge for ten days, now a tender swelling behind the left ear pushing the ear forward, fever; "
     "alert and drinking.", 6, "male", "urgent"),
    ("耳朵流脓一周，现在右耳后红肿压痛，耳朵被推向前外，发热，精神可，能喝水。", 5, "female", "urgent"),
    ("Tender swelling behind the right ear, ear sticking out, fever, now a stiff neck and very drowsy.", 7,
     "female", "emergency"),
    ("左耳后肿胀压痛，耳廓前移，发热，今天颈项强直，嗜睡。", 6, "male", "emergency"),
])
def test_mastoiditis_level(note, age, sex, want):
    assert _level(note, age, sex) == want, (note, _signs(note, age, sex))


@pytest.mark.parametrize(("note", "age", "want"), [
    # IMCI JAUNDICE (after the first day, palms and soles not yellow): home care, not same day
    ("Day 4, face and eyes yellow since yesterday, palms and soles are not yellow, feeding well, active.",
     0.011, "routine"),
    ("出生第3天，脸和眼白发黄，肚脐以下、手心脚心不黄，吃奶好，哭声响亮。", 0.008, "routine"),
    # yellow palms and soles, or jaundice still there at two weeks, are not the mild kind
    ("Day 5, jaundiced, with yellow palms and soles, feeding well.", 0.014, "emergency"),
    ("生后20天，皮肤黄染，手心脚心不黄，吃奶好。", 0.055, "urgent"),
    # colic: evening crying that settles in a baby who feeds well
    ("5-week-old cries for hours every evening, draws legs up, then settles and sleeps; feeds well, no fever.",
     0.1, "routine"),
    ("6周婴儿每天傍晚哭闹2-3小时，哭后能安静入睡，吃奶好，无发热。", 0.12, "routine"),
    # crying that does not settle stays a same-day problem
    ("3-week-old screaming for hours and will not settle, cannot be comforted.", 0.06, "urgent"),
])
def test_young_infant_level(note, age, want):
    got = _level(note, age)
    assert LEVELS[got] >= LEVELS[want] if want != "routine" else got == want, (note, _signs(note, age))


# ---------------- a passed episode, another sense of the word ----------------

@pytest.mark.parametrize(("note", "age", "sex", "want"), [
    # breathlessness in panic attacks that have passed
    ("Attacks of pounding heart, can't breathe and tingling hands for 20 minutes, three this month; ECG normal. "
     "Feeling fine now.", 26, "female", "routine"),
    ("反复发作心慌、气短、手麻，每次十几分钟自行缓解，心电图正常，现无不适。", 30, "female", "routine"),
    # breathless now, whatever was said before, with a sign that is seen
    ("Can't breathe since this morning, feeling better now but RR 36 and SpO2 86%.", 55, "male", "emergency"),
    # irritable and 'not himself' with fever is irritability: urgent, not altered consciousness
    ("Fever 4 days, very irritable, not himself, cries when touched.", 2, "male", "urgent"),
    ("发热三天，烦躁，不像平时，一碰就哭。", 2, "female", "urgent"),
    # hot flushes with sweating are no cardiac sweat
    ("Hot flushes and sweating at night since her periods stopped, heartburn after meals.", 51, "female",
     "routine"),
    ("绝经后潮热、出汗半年，饭后烧心。", 52, "female", "routine"),
    # a form's 'chest pain related to exertion: none'
    ("主诉：反酸、烧心2月。胸痛与活动有关：无。心电图正常。", 45, "female", "routine"),
    ("胸痛与活动有关，近两天加重，休息后不缓解。", 60, "male", "urgent"),
    # a frontal scalp haematoma after the first year; under 1 year it is seen the same day
    ("Fell off a chair 1 h ago, hit his head, egg on his forehead, cried at once, no vomiting, playing.", 3,
     "male", "routine"),
    ("从床上摔下来撞到头，额头起包，马上哭了，无呕吐，精神好。", 4, "female", "routine"),
    ("Rolled off the bed and hit her head, bump on her forehead, crying, feeding well.", 0.6, "female", "urgent"),
])
def test_passed_episode_and_second_sense(note, age, sex, want):
    assert _level(note, age, sex) == want, (note, _signs(note, age, sex))
