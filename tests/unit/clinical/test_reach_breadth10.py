"""Breadth pass 10 (issue 11, session 17): one complaint, many causes.

The emergency, the urgent and the benign cause of a common complaint are told apart by a
discriminating finding (a high-riding testis, a blow-like headache, a pulsatile abdominal mass,
periods getting heavier, stools only every few days, stiff shoulders and hips in the morning, dizzy
on standing up, a shoulder that will not rotate). Three conditions were added: myiasis, urethral
stricture and otitis media with effusion. Tension pneumothorax now needs a sign of tension.

Short English and Chinese notes written for this test from the typical presentation in each
condition's cited guideline (not copied from any evaluation set): the condition must be in the top 3
and the triage level must follow the agreed policy (CONDITIONS.md). Look-alike notes must NOT put a
breadth-10 condition first."""

from __future__ import annotations

import pytest
from reach import assess, case_ids, check, expressions_read_as_their_findings

from lantern.clinical.knowledge import load_knowledge

NEW = {"myiasis", "urethral_stricture", "otitis_media_with_effusion"}

CASES = [
    # (condition, triage, age, sex, note)
    # the three conditions added in this pass
    ('myiasis', 'routine', 80, 'female', 'Bedbound grandmother, sore on the heel not dressed for weeks; today the nurse saw maggots in the wound. No fever.'),
    ('myiasis', 'routine', 70, 'male', '男，70岁，独居，小腿溃疡多月未换药，今天家属发现伤口长蛆，无发热。'),
    ('urethral_stricture', 'routine', 34, 'male', 'Young man, thin spraying stream and straining to pass urine for a year. Fell astride a bicycle bar as a teenager. No fever, passing urine.'),
    ('urethral_stricture', 'routine', 40, 'male', '男，40岁，排尿费力，尿线变细、分叉1年，5年前骨盆骨折后留置导尿1月。无发热。'),
    ('otitis_media_with_effusion', 'routine', 5, 'female', 'Teacher says she does not hear well in class since a cold last month. No ear pain, no fever. Both eardrums dull and retracted with fluid behind the eardrum.'),
    ('otitis_media_with_effusion', 'routine', 4, 'male', '男孩，4岁，感冒后听力下降、耳朵闷1个月，不痛，不发热。耳镜：双侧鼓膜内陷，鼓室积液。'),
    # discriminating findings read in more word orders (EN and ZH, clinical and lay)
    ('testicular_torsion', 'emergency', 15, 'male', 'Woke with pain low in the tummy, vomited. Right testis high-riding and lying horizontally, cremasteric reflex absent.'),
    ('aortic_dissection', 'emergency', 75, 'male', 'Smoker, sudden pain in the belly going through to the back, sweaty and pale. Pulsatile expansile mass above the umbilicus. BP 86/50.'),
    ('subarachnoid_haemorrhage', 'emergency', 45, 'female', 'Headache came on while gardening, as if somebody had hit her with a brick, then vomited. Neck stiff.'),
    ('subarachnoid_haemorrhage', 'emergency', 52, 'male', '男，52岁，搬重物时突然头痛，像被人用锤子砸了一下，呕吐，颈项强直。'),
    ('abnormal_uterine_bleeding', 'routine', 44, 'female', 'Periods getting heavier over the past year, flooding on day 2 and doubling up pads, regular cycle. Pregnancy test negative.'),
    ('abnormal_uterine_bleeding', 'routine', 42, 'female', '女，42岁，近一年月经量比以前多，要垫两片卫生巾，周期规律，尿妊娠试验阴性。'),
    ('constipation', 'routine', 5, 'male', 'Poos every 5 days, hard and painful, holds on. Tummy ache comes and goes, no vomiting, growing well.'),
    ('constipation', 'routine', 4, 'female', '女孩，4岁，四五天才解一次大便，大便干硬，排便哭闹，肛周可见裂口，无呕吐，生长正常。'),
    ('dysentery', 'urgent', 4, 'male', 'Loose stools since yesterday; this morning dad noticed blood and mucus in the nappy. Crampy tummy, T 38.3.'),
    ('giant_cell_arteritis', 'urgent', 72, 'female', 'New headache for 2 weeks, scalp tender when combing her hair, both shoulders and hips stiff in the mornings, tired.'),
    ('mumps', 'routine', 7, 'male', 'Both parotids swollen for a day, sore to eat, T 37.9. Not vaccinated. Drinking well.'),
    ('orthostatic_hypotension', 'routine', 78, 'female', '女，78岁，近两周起床时眼前发黑，扶一下几秒就好，没有晕倒，新加了降压药。卧位血压142/80。'),
    ('varicose_veins', 'routine', 55, 'female', '女，55岁，长期站立工作，双小腿青筋突出多年，傍晚腿胀，抬高后缓解，无红肿，无溃疡。'),
    ('frozen_shoulder', 'routine', 54, 'male', '男，54岁，左肩痛3个月，夜间重，穿衣困难。查体：左肩主动和被动外旋、外展均受限，无红肿。'),
    ('chronic_subdural_haematoma', 'urgent', 80, 'male', '男，80岁，长期饮酒，1月前头部左侧撞到柜子，近两周走路不稳、反应慢、轻度头痛，但能正确回答问题。'),
    # a cough told apart by its pattern and its first test (GINA 2024)
    ('asthma', 'routine', 10, 'female', 'Dry cough for 2 months, worse at night and when running, no fever, chest clear, no wheeze today. Bronchodilator reversibility test positive.'),
    ('asthma', 'routine', 8, 'male', '男，8岁，反复干咳3个月，夜间及清晨明显，运动后加重，无发热，双肺未闻及哮鸣音，支气管舒张试验阳性。'),
    # the urgent cause that was read as routine: new psychosis, psychosis after a birth, flaccid weakness with lost reflexes, the species as the RDT result
    ('psychosis', 'urgent', 25, 'male', 'For two weeks he hears voices telling him he is chosen, believes the neighbours are poisoning his food, talks to himself at night. No fever.'),
    ('psychosis', 'urgent', 30, 'female', '女，30岁，近10天自言自语，说有人要害她，听到有人议论她，不睡觉，无发热。'),
    ('postpartum_psychosis', 'emergency', 24, 'female', 'Five days after giving birth she hears voices, says people are plotting to take the baby, wanders at night.'),
    ('guillain_barre_syndrome', 'urgent', 35, 'male', 'Legs getting weaker over 4 days after a bout of diarrhoea, now struggles with stairs. Both legs weak, reflexes absent. Breathing and swallowing normal.'),
    ('malaria_uncomplicated', 'urgent', 30, 'male', 'Fever and chills for 2 days, walking and drinking. RDT: P. falciparum positive.'),
    # tension pneumothorax needs a sign of tension; one-sided signs with pleuritic pain are urgent
    ('pneumothorax', 'urgent', 22, 'male', 'Tall thin young man, sudden sharp pain in the right chest on breathing in since this morning. Reduced breath sounds on the right, hyperresonant. Talking in full sentences. HR 104, SpO2 96%, BP 124/78.'),
    ('pneumothorax', 'emergency', 25, 'male', 'Sudden right chest pain then worse and worse breathlessness. No breath sounds on the right, trachea deviated to the left. BP 78/40, SpO2 84%.'),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


# Look-alikes: a neighbouring condition's typical note must not be taken by a breadth-10 condition.
LOOKALIKES = [
    # (must not lead, age, sex, note)
    ('myiasis', 30, 'male', 'Painful boil on the buttock for 4 days, red, hot, fluctuant, no fever.'),
    ('otitis_media_with_effusion', 3, 'female', 'Fever 39 and crying with ear pain since last night after a cold. Right eardrum red and bulging.'),
    ('otitis_media_with_effusion', 70, 'male', '男，70岁，双耳听力逐渐下降多年，看电视声音开得很大，耳镜检查鼓膜正常。'),
    ('urethral_stricture', 72, 'male', 'Old man, weak stream, getting up 4 times at night, dribbling after urinating. Prostate smoothly enlarged on PR.'),
    ('urethral_stricture', 25, 'male', '男，25岁，尿痛、尿道口流脓3天，有不洁性生活。'),
]


@pytest.mark.parametrize(("condition", "age", "sex", "note"), LOOKALIKES, ids=[c[0] for c in LOOKALIKES])
def test_lookalike_is_not_taken(condition, age, sex, note):
    out = assess(note, age=age, sex=sex)
    assert out["differential"], note
    assert out["differential"][0]["condition_id"] != condition, (condition, note)


def test_every_new_condition_has_a_note_in_each_language():
    kb = load_knowledge()
    for cid in NEW:
        assert cid in kb.conditions, cid
        langs = {"zh" if any(ord(ch) > 0x3000 for ch in c[4]) else "en" for c in CASES if c[0] == cid}
        assert langs == {"en", "zh"}, cid


def test_new_conditions_cite_sources_and_give_next_steps_in_both_languages():
    kb = load_knowledge()
    for cid in NEW:
        cond = kb.conditions[cid]
        assert cond.source and cond.refer and cond.refer_zh, cid
        assert len(cond.next_steps) == len(cond.next_steps_zh) >= 2, cid
        assert cond.red_flags, cid


def test_every_expression_of_breadth10_reads_as_its_finding():
    """Each listed expression of findings_breadth10.toml (findings and lay families), read alone, yields its finding."""
    entries, missed = expressions_read_as_their_findings("findings_breadth10.toml")
    assert len(entries) > 150
    # a lay wording of a test result is read with its polarity cue ("P. falciparum positive")
    kb = load_knowledge()
    tests = [(fid, e) for fid, e in missed if kb.findings[fid].kind == "test"]
    cue = {True: "阳性", False: " positive"}
    assert [(fid, e) for fid, e in tests
            if fid not in _read(e + cue[any(ord(ch) > 0x3000 for ch in e)])[0]] == []
    assert [m for m in missed if m not in tests] == []


def _read(note: str) -> tuple[set[str], set[str]]:
    from lantern.clinical.language.findings import extract_findings
    found = extract_findings(note, kb=load_knowledge()).findings
    return {f.id for f in found if not f.negated}, {f.id for f in found if f.negated}


@pytest.mark.parametrize(("note", "finding"), [
    # composed families: each word order reads as its finding
    ("Left testicle riding high.", "high_riding_testis"),
    ("R testis exquisitely tender.", "testicular_pain"),
    ("Like someone struck him on the back of the head.", "thunderclap_headache"),
    ("像被人用棍子打了一下。", "thunderclap_headache"),
    ("Pulsating mass in the abdomen.", "pulsatile_abdominal_mass"),
    ("Her periods have become heavier.", "heavy_menstrual_bleeding"),
    ("Bowels open once a week.", "hard_stools_straining"),
    ("Mum noticed blood in the poo.", "bloody_diarrhoea"),
    ("Shoulders and hips stiff every morning.", "girdle_stiffness"),
    ("Scalp sore when brushing her hair.", "temporal_artery_signs"),
    ("Bilateral parotids enlarged.", "parotid_swelling"),
    ("蹲下站起时头晕。", "postural_dizziness"),
    ("左下肢浅静脉迂曲扩张。", "varicose_veins"),
    ("右肩关节被动外展明显受限。", "shoulder_stiffness"),
    ("头部后部磕在台阶上。", "head_injury"),
    ("热退后出疹子。", "rash_after_fever_settles"),
    ("Trachea pushed to the left.", "tracheal_deviation"),
])
def test_composed_word_orders_read_as_their_finding(note, finding):
    present, _ = _read(note)
    assert finding in present, (note, present)


@pytest.mark.parametrize(("note", "finding"), [
    # pertinent negatives of the new findings stay negative
    ("No maggots seen in the wound.", "myiasis_larvae"),
    ("Trachea central, no tracheal deviation.", "tracheal_deviation"),
    ("无搏动性包块。", "pulsatile_abdominal_mass"),
])
def test_new_findings_negated(note, finding):
    present, negated = _read(note)
    assert finding in negated and finding not in present, (present, negated)


@pytest.mark.parametrize(("note", "not_read"), [
    # words of this pass that must not read as an unrelated finding
    ("Flooding day 2 of her period, double pads.", "flood_rodent_exposure"),
    ("Saw blood and mucus in the stool.", "faint_trigger"),
    ("Abdomen soft, pulse 80 regular.", "pulsatile_abdominal_mass"),
])
def test_breadth10_words_do_not_read_as_unrelated_findings(note, not_read):
    present, _ = _read(note)
    assert not_read not in present, present
