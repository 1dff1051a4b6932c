"""Reading notes written by others (issue 11), sixth part: ages and sex stated only in the
text, relatives' accounts in Chinese (家属代述), what a lay word does not mean (refusing food
is not "unable to drink"), and long lists of pertinent negatives."""

from __future__ import annotations

import pytest

from lantern.clinical.language.durations import adult_from_text, age_from_text, sex_from_text
from lantern.clinical.pipeline import Case, assess

DAY = 1 / 365


# --- 1. ages and sex stated only in the text ------------------------------------------------

@pytest.mark.parametrize(("note", "years"), [
    ("Cough and fever since Monday; she is 52 and smokes.", 52),
    ("Aged 52, brought by her son with cough.", 52),
    ("52 yrs, chest pain on walking.", 52),
    ("52yo teacher with productive cough.", 52),
    ("A man in his sixties with crushing chest pain.", 65),
    ("A woman in her late 70s who fell at home.", 78),
    ("Farmer in his early forties, back pain.", 42),
    ("A 10-month-old with fever and fast breathing.", 10 / 12),
    ("An infant of 4 months, not feeding since morning.", 4 / 12),
    ("6/12 old boy, cough for 3 days.", 0.5),
    ("3/52 old baby, jaundiced.", 21 * DAY),
    ("Day 5 of life, yellow eyes, feeding poorly.", 5 * DAY),
    ("Born 3 days ago at home, not sucking.", 3 * DAY),
    ("2d old baby with a swollen red cord.", 2 * DAY),
    ("52岁，咳嗽两周。", 52),
    ("五十二岁，胸闷气短。", 52),
    ("六十多岁，胸口压得慌。", 65),
    ("患儿3月龄，发热一天。", 3 / 12),
    ("8个月大，拉肚子三天。", 8 / 12),
    ("宝宝3个半月，吃奶少。", 3.5 / 12),
    ("孩子2岁3个月，发烧。", 2.25),
    ("出生5天，皮肤发黄。", 5 * DAY),
    ("日龄7天，不吃奶。", 7 * DAY),
    ("生后第3天，脐部红肿。", 3 * DAY),
    ("新生儿，皮肤黄。", 3 * DAY),
])
def test_an_age_written_in_the_text_is_read(note, years):
    got = age_from_text(note)
    assert got is not None and got == pytest.approx(years, abs=0.002)


@pytest.mark.parametrize("note", [
    "Weight 52 kg, cough for a week.",
    "3 days of fever and headache.",
    "BP 52/30, cold hands.",
    "Fever for 52 days, weight loss.",
    "Day 5 of illness, rash on the trunk.",
    "发热第52天，消瘦。",
    "心率52次/分，头晕。",
    "咳嗽3个月，痰中带血。",
    "孩子3个月前开始咳嗽。",
    "The ulcer started 3/52 ago.",
    "He had surgery 52 years ago.",
])
def test_a_number_that_is_no_age_is_not_read_as_one(note):
    assert age_from_text(note) is None


@pytest.mark.parametrize(("note", "sex"), [
    ("男孩发热两天，咳嗽。", "male"),
    ("女孩，肚子痛。", "female"),
    ("大爷胸痛三小时，出冷汗。", "male"),
    ("老太太头晕，站起来就晕。", "female"),
    ("A man in his sixties with chest pain.", "male"),
])
def test_a_sex_written_only_in_the_text_is_read(note, sex):
    assert sex_from_text(note) == sex


def test_an_elder_who_brings_a_child_is_not_the_patient():
    # grandmother brings her grandson: the child is the patient, neither sex nor adult is read
    note = "老太太带孙子来，孙子发烧两天。"
    assert sex_from_text(note) is None
    assert not adult_from_text(note)


@pytest.mark.parametrize("note", ["大爷胸痛三小时。", "老奶奶咳嗽一周。", "老人家这几天吃不下东西。",
                                  "An elderly gentleman, confused since this morning."])
def test_an_older_person_named_by_relatives_is_an_adult(note):
    assert adult_from_text(note)


def test_the_text_fills_a_missing_form_field_but_never_overrides_a_filled_one():
    note = "A man in his sixties with crushing chest pain and sweating."
    filled_by_text = assess(Case(note=note))
    assert filled_by_text.extraction.age_years == 65
    assert any("age taken from the note" in w for w in filled_by_text.warnings)
    assert any("sex taken from the note: male" in w for w in filled_by_text.warnings)
    form = assess(Case(note=note, age_years=40.0, sex="female"))
    assert form.extraction.age_years == 40.0
    assert not any("taken from the note" in w for w in form.warnings)


def test_an_infant_age_in_the_text_switches_on_the_young_infant_rules():
    # "3/52 old" is a young infant: the IMCI young-infant danger signs apply (not fed = emergency)
    with_age = assess(Case(note="3/52 old baby, not feeding at all since this morning, hot to touch."))
    assert with_age.extraction.age_years == pytest.approx(21 * DAY, abs=0.002)
    assert with_age.triage.level == "emergency"


# --- 2. relatives' accounts in Chinese (家属代述) -------------------------------------------

def _present(note: str) -> set[str]:
    from lantern.clinical.language.findings import extract_findings
    return set(extract_findings(note).present())


def _negated(note: str) -> set[str]:
    from lantern.clinical.language.findings import extract_findings
    return set(extract_findings(note).negated())


@pytest.mark.parametrize(("note", "fid"), [
    ("妈妈说孩子这两天总是睡觉，不爱动。", "lethargic"),
    ("奶奶说早上喊都喊不醒。", "unconscious"),
    ("他妈妈说孩子喘气时肚皮一鼓一鼓的。", "difficult_breathing"),
    ("家长说孩子吸气时肋骨一吸一凹。", "chest_indrawing"),
    ("孩子鼻子一张一合的，喘得急。", "nasal_flaring"),
    ("宝宝从昨晚起喂奶也不吃。", "unable_to_drink"),
    ("孩子喝奶就吐，吐了四五次。", "vomits_everything"),
    ("他爸爸说孩子刚才两眼上翻，浑身一抽一抽的。", "convulsions"),
    ("孩子今天拉的都是水，七八次。", "watery_diarrhoea"),
    ("孩子今天拉的都是水，七八次。", "diarrhoea"),
    ("老伴说他拉稀带血两天。", "bloody_diarrhoea"),
    ("妈妈说孩子一整天没尿。", "reduced_urine"),
    ("女儿说她妈今天认不得人了。", "altered_consciousness"),
    ("老伴说他早上起来舌头不灵。", "slurred_speech"),
    ("他儿子说他胸口像压了块石头。", "chest_tightness"),
    ("他老婆说他刚才嘴唇发白，出冷汗。", "pallor"),
    ("孩子哭的时候脸都青了。", "cyanosis"),
    ("她女儿说她一起来就晕。", "postural_dizziness"),
])
def test_a_relatives_chinese_account_is_read_as_the_finding(note, fid):
    assert fid in _present(note)


@pytest.mark.parametrize(("note", "fid"), [
    ("妈妈说孩子没有抽过，也没有翻白眼。", "convulsions"),
    ("孩子不喘，没有鼻子一张一合。", "nasal_flaring"),
    ("妈妈说孩子没有喝奶就吐，吃得挺好。", "vomits_everything"),
])
def test_a_relatives_chinese_denial_stays_a_denial(note, fid):
    assert fid not in _present(note)
    assert fid in _negated(note)


# --- 3. a reported breathlessness is not respiratory distress; refusing food is not the sign --

_BREATHING_RULES = {"difficult_breathing", "difficult_breathing_objective", "difficult_breathing_fast_child"}


def _breathing_rules(note: str, **case) -> set[str]:
    from lantern.domain.records import Vitals
    vitals = Vitals(**case.pop("vitals", {}))
    result = assess(Case(note=note, vitals=vitals, **case))
    return {s.rule.id for s in result.triage.signs} & _BREATHING_RULES


_ATTACK = "Sudden fear, tingling fingers, felt she couldn't breathe, settled after 15 minutes."


def test_breathlessness_only_reported_with_a_normal_saturation_is_no_priority_sign():
    assert _breathing_rules(_ATTACK, age_years=30.0, vitals={"spo2": 98, "resp_rate": 22}) == set()


@pytest.mark.parametrize("vitals", [{"spo2": 91}, {"spo2": 98, "resp_rate": 34}])
def test_a_dangerous_vital_makes_it_a_priority_sign(vitals):
    assert _breathing_rules(_ATTACK, age_years=30.0, vitals=vitals)


@pytest.mark.parametrize("sign", ["Wheeze on both sides.", "Lower chest indrawing seen.", "Lips blue.",
                                  "Crackles at the right base."])
def test_an_objective_sign_of_distress_makes_it_a_priority_sign(sign):
    assert "difficult_breathing_objective" in _breathing_rules(
        "Short of breath since this morning. " + sign, age_years=45.0, vitals={"spo2": 96})


def test_without_a_measured_saturation_the_reported_breathlessness_still_counts():
    # nothing measured: distress cannot be excluded, the ETAT priority sign stands
    assert "difficult_breathing" in _breathing_rules("Short of breath since this morning.", age_years=45.0)


def test_a_child_breathing_fast_for_age_needs_no_desaturation():
    assert "difficult_breathing_fast_child" in _breathing_rules(
        "Difficult breathing since yesterday.", age_years=2.0, vitals={"spo2": 97, "resp_rate": 48})
    # the same rate in an adult is not fast for age in the IMCI sense
    assert _breathing_rules("Difficult breathing since yesterday.", age_years=30.0,
                            vitals={"spo2": 97, "resp_rate": 26}) == set()


@pytest.mark.parametrize(("note", "fid", "not_fid"), [
    ("患儿口痛，流涎、拒食一天，能喝水。", "loss_of_appetite", "unable_to_drink"),
    ("孩子这两天拒绝吃饭。", "loss_of_appetite", "unable_to_drink"),
    ("婴儿拒奶半天。", "unable_to_drink", None),
    ("孩子发热，拒水。", "unable_to_drink", None),
    ("The baby refused feeds since the morning.", "unable_to_drink", None),
    ("Sore mouth, refusing food but drinking.", "loss_of_appetite", "unable_to_drink"),
])
def test_refusing_food_is_not_unable_to_drink(note, fid, not_fid):
    present = _present(note)
    assert fid in present
    if not_fid:
        assert not_fid not in present


# --- 4. long lists of pertinent negatives -------------------------------------------------------

@pytest.mark.parametrize(("note", "absent", "present"), [
    ("Denies: fever, chills, night sweats, weight loss. Reports a cough.",
     ["fever", "chills", "night_sweats", "weight_loss"], ["cough"]),
    ("Negative for: fever; chills; dysuria; haematuria. Right flank pain.",
     ["fever", "chills", "dysuria", "haematuria"], ["flank_pain"]),
    ("Denies:\n- fever\n- cough\n• vomiting\nHas abdominal pain since noon.",
     ["fever", "cough", "vomiting"], ["abdominal_pain"]),
    ("ROS negative for fever, headache, chest pain and vomiting. Complains of back pain.",
     ["fever", "headache", "chest_pain", "vomiting"], ["back_pain"]),
    ("否认：发热；盗汗；体重下降。咳嗽两周。", ["fever", "night_sweats", "weight_loss"], ["cough"]),
    ("无发热、咳嗽、咳痰，无胸痛、心悸。今日头痛。",
     ["fever", "cough", "productive_cough", "chest_pain", "palpitations"], ["headache"]),
    ("病程中无畏寒、寒战，无尿频尿急尿痛。腰痛两天。", ["chills", "urinary_frequency", "dysuria"], ["back_pain"]),
    ("查体：颈抵抗(-)，双下肢水肿(-)，肝脾肋下未及。发热、头痛。",
     ["neck_stiffness", "oedema_feet", "hepatomegaly", "splenomegaly"], ["fever", "headache"]),
    ("Murmur -ve; crackles +ve at both bases.", ["heart_murmur"], ["crackles"]),
    ("No hepatosplenomegaly. Cough productive of green sputum.", ["hepatomegaly", "splenomegaly"],
     ["cough", "productive_cough"]),
])
def test_a_list_of_pertinent_negatives_is_denied_to_its_end_and_no_further(note, absent, present):
    from lantern.clinical.language.findings import extract_findings
    ex = extract_findings(note)
    got_present, got_negated = set(ex.present()), set(ex.negated())
    for fid in absent:
        assert fid in got_negated and fid not in got_present, fid
    for fid in present:
        assert fid in got_present, fid


@pytest.mark.parametrize(("note", "fid"), [
    ("Denies fever: has had it before but not now. Cough.", "cough"),   # a colon after the finding
    ("Allergies: none. Fever and cough.", "fever"),
    ("Denies: fever.\nVomiting since morning.", "vomiting"),             # a line without a bullet
    ("无尿3天，全身水肿。", "reduced_urine"),                                 # anuria is still anuria
])
def test_a_label_negation_stops_where_the_list_stops(note, fid):
    assert fid in _present(note)
