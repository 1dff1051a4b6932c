"""Patients' and families' own words (issue 11): lay families of a finding
(``[[lay]]`` in findings_lay.toml), phrases said in the first person, lay hedges and
the danger signs a parent or patient writes in a message, in English and Chinese."""

from __future__ import annotations

import shutil

import pytest
from diagnosis_sets import found, triage_level

from lantern.clinical.knowledge import knowledge_dir, load_knowledge, validate_knowledge
from lantern.clinical.language.durations import age_from_text
from lantern.clinical.language.findings import extract_findings
from lantern.clinical.language.tokens import phrase_tokens, speaker_variants


@pytest.fixture()
def kb_copy(tmp_path):
    dst = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), dst)
    return dst


def _add_lay(root, text: str) -> list[str]:
    with (root / "findings_lay.toml").open("a", encoding="utf-8") as fh:
        fh.write(text)
    return validate_knowledge(root)


def test_a_lay_family_adds_its_words_to_the_finding_it_names():
    kb = load_knowledge()
    assert "threw up" in kb.findings["vomiting"].en and "vomiting" in kb.findings["vomiting"].en
    assert "下面出血" in kb.findings["vaginal_bleeding"].zh


def test_a_lay_family_for_an_unknown_finding_is_a_problem_naming_the_file(kb_copy):
    problems = _add_lay(kb_copy, '\n[[lay]]\nid = "no_such_finding"\nfamily = "x"\nen = ["foo bar"]\n')
    assert any(p.startswith("findings_lay.toml: lay family 'no_such_finding': unknown finding id")
               for p in problems)


def test_a_lay_word_the_finding_already_has_is_a_problem(kb_copy):
    problems = _add_lay(kb_copy, '\n[[lay]]\nid = "cough"\nfamily = "x"\nen = ["cough"]\n')
    assert any("lay family 'cough': en expression 'cough' is already listed" in p for p in problems)


def test_a_lay_family_without_its_family_or_words_is_a_problem(kb_copy):
    problems = _add_lay(kb_copy, '\n[[lay]]\nid = "cough"\n')
    assert any("lay family 'cough': missing family" in p for p in problems)
    assert any("lay family 'cough': no expressions" in p for p in problems)


@pytest.mark.parametrize(("phrase", "variant"), [
    ("dizzy when she stands up", "dizzy when i stand up"),
    ("pain when he breathes in", "pain when i breathe in"),
    ("tip of his shoulder", "tip of my shoulder"),
    ("couldn't get her words out", "couldnt get my words out"),
    ("she is confused", "im confused"),
])
def test_a_phrase_written_of_the_patient_is_also_read_as_the_patient_says_it(phrase, variant):
    assert tuple(variant.split()) in speaker_variants(phrase_tokens(phrase))


def test_first_person_self_reports_are_read():
    assert found("Every time I stand I get dizzy, and I'm dizzy when I stand up.").get("postural_dizziness") is False
    assert found("Sharp pain when I breathe in.").get("pleuritic_chest_pain") is False
    assert "postural_dizziness" not in found("dizzy in the morning")


@pytest.mark.parametrize(("note", "fid"), [
    ("threw up twice this morning", "vomiting"),
    ("black sticky poo like tar since yesterday", "melaena"),
    ("my gums are bleeding", "mucosal_bleeding"),
    ("his tummy sucks in when he breathes", "chest_indrawing"),
    ("she hasnt been able to keep anything down", "vomits_everything"),
    ("我们叫不醒他", "lethargic"),
    ("孩子给水喝也不喝", "unable_to_drink"),
    ("不怎么吃东西", "loss_of_appetite"),
    ("刚才站起来眼前一黑", "postural_dizziness"),
    ("下面有一点点出血", "vaginal_bleeding"),
])
def test_lay_words_for_findings(note, fid):
    assert found(note).get(fid) is False


@pytest.mark.parametrize(("note", "not_read", "read"), [
    ("sudden pain in my side, cant sit still, rolling around", "prostration", "restless_irritable"),
    ("my eye is red and I cant stand the light", "prostration", "photophobia"),
])
def test_cant_sit_still_and_cant_stand_the_light_are_not_prostration(note, not_read, read):
    got = found(note)
    assert not_read not in got and got.get(read) is False


@pytest.mark.parametrize("note", ["sore throat, breathing fine", "嘴巴舌头不肿，喘气没问题。"])
def test_breathing_said_to_be_fine_is_no_difficult_breathing(note):
    assert found(note).get("difficult_breathing") is True
    assert triage_level(note, age=30) != "emergency"


def test_fast_breathing_said_with_a_degree_word_is_still_read():
    assert found("孩子呼吸好快，喘气好快").get("fast_breathing") is False


def test_drinking_less_is_not_being_unable_to_drink():
    assert found("working in the heat all week and not drinking much").get("unable_to_drink") is not False


def test_lay_hedges_make_a_finding_uncertain_but_not_absent():
    for note in ("maybe a bit of fever", "not sure if its a fever", "好像有点发烧"):
        fever = [f for f in extract_findings(note).findings if f.id == "fever"]
        assert fever and fever[0].uncertain and not fever[0].negated, note


def test_but_in_chinese_lay_speech_is_not_a_negation():
    # 不过 ("but") starts with 不 ("not"): it ends a scope, it does not negate
    assert found("我以为是月经来了，不过这个月晚了两个礼拜。").get("missed_period") is False
    read = found("没发烧，不过咳嗽得厉害。")
    assert read.get("fever") is True and read.get("cough") is False


@pytest.mark.parametrize(("note", "age"), [
    ("My 2 year old can't wake him properly, breathing fast and his chest sucks in.", 2),
    ("孩子两岁，拉肚子像水一样，眼睛凹进去，给水喝也不喝，软软的只想睡。", 2),
    ("Grace here, I had the baby 5 days ago, fever 38.9, my tummy down low is very sore and the blood "
     "coming down smells bad.", 25),
    ("I'm 8 weeks pregnant, bleeding down below getting heavier, soaked two towels, dizzy when I stand.", 25),
    ("black sticky poo since yesterday and I fainted in the toilet", 58),
    ("my son, 9: drinking loads, up in the night to pee, now breathing kind of deep and fast", 9),
    ("孙子刚才吃花生呛住了，脸憋得发紫，哭也哭不出声。", 1.5),
    ("我怀孕两个多月，下面出血越来越多，头晕心慌。", 28),
])
def test_danger_signs_in_lay_words_are_emergencies(note, age):
    assert triage_level(note, age=age) == "emergency", note


@pytest.mark.parametrize(("text", "age"), [
    # the patient's own words
    ("Im 34 female on the pill", 34.0), ("I am 76 and the pain keeps me awake", 76.0),
    ("我七十四了，右边耳朵聋了", 74.0), ("I'm 14 weeks pregnant", None),
    # the writer's own relative is the patient
    ("My son is 9. Drinking loads", 9.0), ("孩子五岁，幼儿园好几个孩子都出了", 5.0), ("我家孩子三岁", 3.0),
    ("our daughter age 10 had a sore throat", 10.0),
    # someone else's relative stays someone else's
    ("her son is 5 and she is tired", None), ("she has one child, 3 years old", None),
])
def test_ages_in_lay_words(text, age):
    assert age_from_text(text) == age


# --- composed families: a complaint + where it is, in each word order ------------------------

def _add_composed(root, text: str) -> list[str]:
    with (root / "findings_lay_composed.toml").open("a", encoding="utf-8") as fh:
        fh.write(text)
    return validate_knowledge(root)


def test_a_composed_family_expands_each_slot_word_and_drops_empty_ones():
    from lantern.clinical.knowledge import _compose

    slots = {"the": ["", "the"], "side": ["right lower", "lower right"]}
    problems: list[str] = []
    got = _compose("pain in {the} {side} belly", slots, "here", problems)
    assert sorted(got) == ["pain in lower right belly", "pain in right lower belly",
                           "pain in the lower right belly", "pain in the right lower belly"]
    assert problems == []


def test_a_template_naming_an_unknown_slot_is_a_problem(kb_copy):
    problems = _add_composed(kb_copy, '\n[[lay]]\nid = "cough"\nfamily = "x"\n'
                                      'compose_en = ["{no_such_slot} cough"]\n')
    assert any("lay family 'cough': unknown slot {no_such_slot}" in p for p in problems)


@pytest.mark.parametrize(("note", "fid"), [
    ("Pain in the lower right tummy since this morning.", "rlq_pain"),
    ("Right lower abdominal pain, worse on walking.", "rlq_pain"),
    ("It started at the navel and moved to the lower right.", "rlq_pain"),
    ("Pain under her right ribs after fatty food.", "ruq_pain"),
    ("Ulcers on his tongue and inside the cheeks.", "mouth_ulcers"),
    ("Small painful sores inside mouth, won't eat.", "mouth_ulcers"),
    ("Tiny blisters on the palms and soles.", "hand_foot_lesions"),
    ("孩子嘴巴里长了好几个小溃疡。", "mouth_ulcers"),
    ("舌头上起了几个泡。", "mouth_ulcers"),
])
def test_composed_lay_families_read_each_word_order(note, fid):
    assert found(note).get(fid) is False      # read, and not negated


@pytest.mark.parametrize(("note", "fid"), [
    ("No ulcers in the mouth.", "mouth_ulcers"),
    ("Denies pain in the right upper tummy.", "ruq_pain"),
])
def test_composed_expressions_are_negated_like_any_other(note, fid):
    assert found(note).get(fid) is True


@pytest.mark.parametrize(("text", "days"), [
    ("knee pain for years", 3 * 365), ("joint pains for many years", 3 * 365),
    ("back pain for months", 90), ("腰痛多年", 3 * 365), ("long-standing back pain", 365),
])
def test_durations_written_without_a_number(text, days):
    from lantern.clinical.language.durations import find_durations

    assert [round(d) for d, _span in find_durations(text)] == [days]


@pytest.mark.parametrize(("note", "chronic"), [
    ("Knee pain for years.", True), ("腰痛多年。", True), ("Long-standing back pain.", True),
    # a long duration of something else is no chronic joint or back pain
    ("Hypertension for years, on amlodipine.", False), ("高血压多年。", False),
    ("Trouble passing urine for years.", False),
])
def test_chronic_joint_pain_needs_the_pain_not_only_a_long_duration(note, chronic):
    assert ("chronic_msk_pain" in found(note)) is chronic


@pytest.mark.parametrize(("note", "fid"), [
    ("Her face and eyes have turned yellow.", "jaundice"),
    ("His skin looks yellowish.", "jaundice"),
    ("Small spots like flea bites on his legs.", "petechiae"),
    ("For ten days she has been talking to people who aren't there.", "hallucinations"),
    ("He laughs to himself and is responding to voices.", "hallucinations"),
    ("She believes the neighbours are poisoning her food.", "delusions"),
])
def test_psychosis_jaundice_and_petechiae_in_lay_word_orders(note, fid):
    assert found(note).get(fid) is False


def test_a_delusion_of_poisoning_is_no_poisoning():
    assert "poisoning" not in found("She believes the neighbours are poisoning her food.")


@pytest.mark.parametrize("text", ["Forgetful over the last 2-3 years.", "Knee pain for 5 to 10 yrs.",
                                  "Cough on and off 2-3 years."])
def test_the_end_of_a_range_of_years_is_a_duration_not_an_age(text):
    assert age_from_text(text) is None


@pytest.mark.parametrize(("note", "fid"), [
    ("The baby has not moved since yesterday.", "reduced_fetal_movements"),
    ("I can't feel the baby kicking.", "reduced_fetal_movements"),
    ("宝宝好像动得少了。", "reduced_fetal_movements"),
    ("下面流了一些黑红色的血。", "vaginal_bleeding"),
    ("The chest pain is better when leaning forward.", "positional_chest_pain"),
    ("坐起来往前弯一点就好多了。", "positional_chest_pain"),
])
def test_obstetric_and_pericardial_lay_word_orders(note, fid):
    assert found(note).get(fid) is False


def test_a_baby_moving_well_is_no_reduced_movement():
    assert "reduced_fetal_movements" not in found("The baby is moving well.")


@pytest.mark.parametrize(("text", "age"), [
    ("奶奶打电话来：孙子一岁半，刚才呛住了。", 1.5), ("我儿子两岁，发烧。", 2.0), ("3岁半，咳嗽。", 3.5),
])
def test_chinese_ages_of_the_callers_own_child_and_half_years(text, age):
    assert age_from_text(text) == age


def test_someone_elses_child_is_still_not_the_patient():
    assert age_from_text("患者女，65岁，其儿子40岁。") == 65 and age_from_text("他儿子两岁。") is None


@pytest.mark.parametrize(("note", "fid"), [
    ("He fell into the fish pond and was under for a minute.", "submersion"),
    ("孩子掉进鱼塘里了。", "submersion"),
    ("I have a lump in my groin, right side, for years.", "hernia_lump"),
])
def test_drowning_and_groin_lump_word_orders(note, fid):
    assert found(note).get(fid) is False


def test_a_neighbours_stroke_is_not_the_patients():
    got = found("上个月隔壁老张突然中风了，半边身子不能动。他这几天头晕。")
    assert "focal_weakness" not in {f for f, negated in got.items() if not negated}
    assert got.get("dizziness") is False
    # someone else's illness told before the patient's own, in one sentence: the patient's is read
    assert found("村里有人拉肚子，他也拉肚子。").get("diarrhoea") is False


@pytest.mark.parametrize(("note", "fid"), [
    ("Cleaned the flooded rice fields and drains last week.", "flood_rodent_exposure"),
    ("Calf muscles very painful to touch.", "calf_pain"),
])
def test_leptospirosis_exposure_and_myalgia_word_orders(note, fid):
    assert found(note).get(fid) is False
