"""The chronic-care clinic's hidden emergencies and false alarms (issue 11, session 20), read and
triaged as classes, each tested both ways on notes written for these tests.

1. The Chinese potential complement (V不住/V不动/V不稳/V不起/V不下: "cannot V") negates nothing
   after it; the stroke signs of Chinese records: 口角向左/右歪, 肌力N级, a hand that cannot hold.
2. 否认有… is a denial read whole (有 alone ends a scope).
3. A partial orientation ("oriented to person only") is altered consciousness; "slow to respond
   but oriented" is not. Pain on flexing the neck is meningism.
4. "Red-green confusion" is a loss of colour vision (urgent), not a confused mind.
5. Chest indrawing from 5 years on is read with the speech (GINA): talking in sentences is urgent.
6. A clenched jaw with an acute dystonia after a dopamine blocker is the dystonic reaction (urgent),
   not tetanus.
7. A baby not moving with the fetal heart not found for sure is an emergency; moving less alone, or
   a fetal death confirmed, is urgent.
8. Cardiac pain in plain words ("the chest became heavy", "going into the left arm").
9. A COPD exacerbation in a review (more breathless than usual with fast breathing, or a fever) is
   urgent; a little more breathless at a normal rate is not. A suspected hypoglycaemia is never routine.
"""

from __future__ import annotations

from tests.unit.clinical.reach import assess, service

from lantern.clinical.language.findings import extract_findings


def _level(note: str, **case) -> str:
    return assess(note, **case)["triage"]


def _present(note: str) -> set[str]:
    return set(extract_findings(note, kb=service().kb).present())


def test_potential_complement_negates_nothing_after_it():
    assert "vomiting" in _present("走不稳、呕吐两次")
    assert "dizziness" in _present("站不起来、头晕")
    assert "vomiting" not in _present("不发热、不呕吐")


def test_chinese_stroke_signs_are_an_emergency():
    note = "男，70岁，高血压。今晨起左手拿不住碗、说话含糊，口角向右歪。左上肢肌力2级。"
    present = _present(note)
    assert {"focal_weakness", "facial_droop", "slurred_speech"} <= present
    assert _level(note) == "emergency"
    assert "focal_weakness" not in _present("四肢肌力5级，口角无歪斜。")


def test_denial_with_you_is_read_whole():
    present = _present("情绪低落2个月。否认有想死或伤害自己的念头，无计划。")
    assert "suicidal_ideation" not in present and "suicide_plan_or_act" not in present
    assert "suicidal_ideation" in _present("情绪低落2个月，有想死的念头。")


def test_partial_orientation_and_neck_flexion_pain():
    present = _present("Headache 10 days, vomiting. Oriented to person only. Pain on neck flexion.")
    assert {"altered_consciousness", "neck_stiffness"} <= present
    assert "altered_consciousness" not in _present("Slow to respond but oriented, goitre, dry skin.")


def test_red_green_confusion_is_the_eye_not_the_mind():
    note = "On RHZE 2 months. Red-green confusion on Ishihara, vision blurred both eyes."
    present = _present(note)
    assert "colour_vision_loss" in present and "altered_consciousness" not in present
    assert _level(note, age=40) == "urgent"
    assert _level("Acute confusion since this morning, fever.", age=70) == "emergency"


def test_chest_indrawing_from_five_years_reads_the_speech():
    talking = "Known asthma, wheeze since yesterday. Talks in sentences. Mild subcostal recession. RR 30."
    assert _level(talking, age=9) == "urgent"
    assert _level("Wheeze, marked subcostal recession, RR 40.", age=9) == "emergency"
    assert _level("Cough, fever, chest indrawing.", age=2) == "emergency"


def test_dystonia_with_a_clenched_jaw_is_not_tetanus():
    dystonic = "Started haloperidol yesterday. Eyes deviated upward, neck twisted to the left, jaw clenched."
    assert _level(dystonic, age=22) == "urgent"
    assert _level("Stepped on a nail 10 days ago. Jaw clenched, cannot open mouth.", age=30) == "emergency"


def test_no_movements_and_no_fetal_heart_is_an_emergency():
    base = "G2P1, 38 weeks. Baby not moving since last night."
    assert _level(base + " FHR by doppler: not found.", sex="female", pregnant=True) == "emergency"
    assert _level(base + " Fetal heart absent on ultrasound.", sex="female", pregnant=True) == "urgent"
    assert _level(base + " FHR 140 regular.", sex="female", pregnant=True) == "urgent"


def test_chest_heavy_going_into_the_arm_is_cardiac_pain():
    heavy = "Walking to clinic his chest became heavy, going into the left arm, sweating."
    assert {"chest_pain", "chest_pain_radiating"} <= _present(heavy)
    assert _level(heavy, age=58, sex="male") == "emergency"
    assert not {"chest_pain", "chest_pain_radiating"} & _present("Legs became heavy after the walk.")


def test_copd_worse_than_usual_with_fast_breathing_or_fever_is_urgent():
    mild = "COPD on salbutamol. A bit more breathless than usual, more sputum. Full sentences."
    assert _level(mild + " RR 20, SpO2 93%.", age=66) == "routine"
    assert _level(mild + " RR 26, SpO2 91%.", age=66) == "urgent"
    assert _level("COPD review. Cough with green sputum 3 days, T 38.2, SpO2 92%.", age=70) == "urgent"


def test_hypoglycaemia_on_a_sulphonylurea_is_never_routine():
    note = "T2DM on glibenclamide. Three early-morning episodes of sweating, shaking and palpitations, better after biscuits."
    assert _level(note, age=79, sex="female") == "urgent"
