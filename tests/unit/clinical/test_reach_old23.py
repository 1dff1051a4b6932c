"""The older adult (issue 11, session 23): the chemistry and drug harms of old age, the slow heart,
the cold and the quiet surgical abdomen.

Short English and Chinese notes written for this test from the typical presentation in each
condition's or rule's cited guideline (NICE CKS Hyponatraemia / Hyperkalaemia / Hypercalcaemia,
UK Kidney Association 2023, Resuscitation Council UK 2021 bradycardia algorithm, WSES 2022
mesenteric ischaemia, NICE NG12 / NG35 / NG109 / CG161, WHO BEC 2018), not copied from any
evaluation set: the condition must be in the top 3 and the triage level must follow the agreed
policy (CONDITIONS.md, "The older adult"). The look-alikes keep their own level: a normal sodium,
a slow pulse in a fit young man, 'low-sodium salt' without a high potassium."""

from __future__ import annotations

import pytest
from reach import assess, case_ids, check

CASES = [
    # sodium
    ("hyponatraemia_older_adult", "urgent", 80, "female",
     "Started bendroflumethiazide a month ago. Feels sick and unsteady, one fall last week. Alert and oriented. Sodium 126."),
    ("hyponatraemia_older_adult", "emergency", 82, "female",
     "On indapamide and citalopram. Two days of vomiting, now drowsy and confused. Na 116 mmol/L."),
    ("hyponatraemia_older_adult", "emergency", 79, "male", "男，79岁，服氢氯噻嗪，呕吐2天，今晨抽搐一次，现嗜睡。血钠118 mmol/L。"),
    # potassium
    ("hyperkalaemia", "urgent", 74, "male",
     "CKD 4 on ramipril and spironolactone. Tired. Potassium 6.2 on a repeat sample, ECG normal, HR 70."),
    ("hyperkalaemia", "emergency", 70, "female", "女，70岁，慢性肾病，服螺内酯。乏力。血钾7.0 mmol/L，心电图T波高尖。"),
    # the slow heart
    ("bradyarrhythmia_heart_block", "emergency", 84, "male",
     "Collapsed at home, came round in a minute. Pulse 34 regular, BP 84/50. ECG complete heart block."),
    ("bradyarrhythmia_heart_block", "urgent", 76, "female",
     "Dizzy spells for two weeks, nearly fell once. HR 44, BP 140/80, alert, no chest pain."),
    # the cold
    ("accidental_hypothermia", "emergency", 85, "female",
     "Found on the floor of her unheated flat in the morning. Drowsy, speech slurred, skin cold. T 31.8, pulse 44."),
    # the quiet surgical abdomen
    ("acute_mesenteric_ischaemia", "emergency", 76, "female",
     "Known AF, not anticoagulated. Sudden severe central abdominal pain for 4 hours, vomited once. "
     "Abdomen soft and barely tender: pain out of proportion to examination. Pulse irregular 110."),
    # swallowing, falls, urine, blood in the urine, myeloma
    ("aspiration_pneumonia", "urgent", 83, "male",
     "Stroke last year, coughs when drinking. Three days of fever and cough with green sputum, crackles at the right base. "
     "SpO2 93%, RR 24, alert."),
    ("medication_related_falls", "routine", 79, "female",
     "Recurrent falls over 6 months, no blackouts. Takes zopiclone at night and amitriptyline for pain. "
     "Lying and standing BP normal, no injury today."),
    ("asymptomatic_bacteriuria", "routine", 88, "female",
     "Nursing home: urine cloudy, dipstick nitrite positive. No fever, no dysuria, no new confusion, eating as usual."),
    ("painless_haematuria_cancer_risk", "routine", 68, "male",
     "Smoker. Saw blood in his urine twice last week, no pain passing urine, no fever. Urine clear today."),
    # the hip after a fall: walking does not exclude an impacted fracture
    ("fracture_dislocation", "urgent", 81, "female",
     "Tripped on the step two days ago, landed on her right side. Still walking with a frame but groin pain on weight bearing "
     "and pain on internal rotation of the hip. No head injury."),
    ("fracture_dislocation", "urgent", 78, "female", "女，78岁，昨天在家滑倒，右侧着地。现右髋部疼痛不能负重，患肢缩短外旋。"),
    ("multiple_myeloma_suspected", "urgent", 72, "male",
     "Back pain for 3 months, worse at night, tired. Hb 9.1, creatinine 160, adjusted calcium 2.95, ESR 95."),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES, ids=case_ids(CASES))
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)


def _present(note: str, **case) -> set[str]:
    return {f["id"] for f in assess(note, **case)["findings"] if not f.get("negated")}


def test_measured_chemistry_is_read():
    assert {"hyponatraemia", "sodium_below_130", "sodium_below_125"} <= _present("Na 119", age=80)
    assert {"hyperkalaemia", "potassium_6_or_more"} <= _present("血钾6.3mmol/L", age=70)
    assert "hypercalcaemia" in _present("corrected Ca 2.85", age=70)
    assert "bradycardia" in _present("HR 42, BP 130/80", age=75)


def test_normal_values_and_look_alikes_are_not_findings():
    assert not {"hyponatraemia", "sodium_below_130"} & _present("Na 138, K 4.2", age=80)
    assert "hyperkalaemia" not in _present("K 5.1", age=80)
    assert "bradycardia" not in _present("HR 58, BP 120/70", age=60)
    # a potassium salt substitute is a cause of a high potassium, not a low sodium
    assert "hyponatraemia" not in _present("在家吃低钠盐，血压控制好。", age=70)
    # a slow pulse without a complaint is no emergency (a fit young man)
    assert assess("Runner, HR 46 at rest, no dizziness, no fainting.", age=25, sex="male")["triage"] == "routine"


def test_every_expression_of_old23_reads_as_its_finding():
    """Each listed expression of findings_old23.toml (findings and lay families), read alone, yields its finding."""
    from reach import expressions_read_as_their_findings
    entries, missed = expressions_read_as_their_findings("findings_old23.toml")
    assert len(entries) > 200
    assert missed == []


def test_an_older_person_off_her_legs_is_seen_today():
    """'Off her legs' / 走不动了 in an older person is the same-day sign of an acute illness (BGS Silver Book)."""
    assert assess("Daughter says she has gone off her legs since yesterday, eating less.", age=86, sex="female")["triage"] != "routine"
    assert assess("家属说老人这两天走不动了，吃得少。", age=84, sex="male")["triage"] != "routine"
    # a knee that hurts after a long walk in a younger adult is not the sign
    assert "off_legs" not in _present("Knee sore after hiking all day, can still walk.", age=40)


def test_cannot_walk_past_infancy_is_off_legs_not_an_infant_sign():
    """走不动 ('can't walk any more') in an older person is being off her legs, never the young infant's
    'moves only when stimulated' (IMCI) read from its 不动."""
    for note in ("女，82岁，三天来走不动，吃饭少。", "老人走不动路两天，精神差。"):
        present = _present(note, age=82, sex="female")
        assert "off_legs" in present
        assert "movement_only_stimulated" not in present
    # a young infant who does not move stays the IMCI sign
    assert "movement_only_stimulated" in _present("婴儿不动，不吃奶。", age=0.1, sex="male")


def test_a_chemistry_value_told_a_few_words_after_its_name_is_read():
    """'Na from the blood taken yesterday just phoned through: 114': the value comes a few words after its
    name when results come back by phone; a salt, a date or a drip between them is no reading."""
    assert "sodium_below_125" in _present("Na from blood taken yesterday just phoned through: 114", age=84)
    assert "sodium_below_125" in _present("sodium result this morning is 121", age=84)
    assert "potassium_6_or_more" in _present("K from this morning's bloods just came back: 6.8", age=80)
    for note in ("sodium valproate level is 120", "Na from 12/3: 120", "sodium in the drip was 120"):
        assert "hyponatraemia" not in _present(note, age=80), note


def test_both_shoulders_and_hips_stiff_is_girdle_stiffness_not_a_stroke():
    """Aching and stiffness of both shoulders and hips, arms that cannot be lifted to do the hair, with normal
    power: the girdle stiffness of polymyalgia rheumatica (BSR/EULAR 2015), not a focal weakness."""
    note = ("71F, 6 wk aching and stiffness of both shoulders and hips, worst in the morning, can't lift arms to "
            "do her hair, better by afternoon. Power normal.")
    present = _present(note, age=71, sex="female")
    assert "girdle_stiffness" in present
    assert "focal_weakness" not in present
    assert assess(note, age=71, sex="female")["triage"] != "emergency"
    # one arm that suddenly cannot be lifted stays a focal weakness
    assert "focal_weakness" in _present("Sudden onset, can't lift her right arm.", age=71, sex="female")


def test_less_urine_in_the_pads_is_a_reduced_urine_output():
    """A carer's 'less urine in her pads' is the reduced urine output of acute kidney injury (NICE CKS)."""
    assert "reduced_urine" in _present("3 days poor intake, less urine in her pads.", age=84, sex="female")
    assert "reduced_urine" in _present("Passing less urine since the weekend.", age=80, sex="male")
