"""Emergencies in the special groups (issue 11, session 19), read and triaged as classes.

1. The young infant: "not feeding well" in other words (feeding less, half the usual feeds)
   and a carer's thermometer reading ("temp at home 38.4") are IMCI signs of possible serious
   bacterial infection (findings_reach19.toml, vitals.py).
2. Delirium in the very old: "not oriented", "not fully alert" (a "not" right before an
   expression of absence says the finding is there; "no active ulcer" does not), failing the
   months-backwards test.
3. Self-harm: a passive death wish ("didn't want to wake up") beside a count of paracetamol
   taken from someone's supply (mhGAP SUI).
4. Pregnancy: a peritonitic abdomen with fever or a fast pulse is an emergency; after a
   miscarriage, fever with pain, an open os or offensive discharge is septic abortion (urgent),
   an emergency with a fast pulse, low blood pressure or a clouded mind (WHO MCPC 2017;
   triage_rules_reach19.toml); the age of a lost pregnancy ("at 14 wks") is no duration.
5. The puerperium: the birth told as a time ("since the baby was born"), delusions about the
   baby and command hallucinations are postpartum psychosis (mhGAP, NICE CG192).
6. Whose finding: a bare "Father has diabetes." is the relative's history; Finding.relative
   survives the rebuilds of the reader (_set_last, _answered, _merge).
7. The antipsychotic emergency (neuroleptic malignant syndrome), a head knock in -ing forms,
   first-day jaundice; 8. fluid overload on dialysis; 9. the baby quieter in late pregnancy, a
   foot ulcer named by its site.
Each class is tested both ways on notes written for these tests."""

from __future__ import annotations

from functools import lru_cache

import pytest

from lantern.clinical.language.durations import find_durations
from lantern.clinical.language.findings import (
    Finding,
    _answered,
    _merge,
    _set_last,
    extract_findings,
)
from lantern.clinical.language.tokens import Span
from lantern.services.assessment import AssessmentService


@lru_cache(maxsize=1)
def _service() -> AssessmentService:
    return AssessmentService(use_llm=False)


def _assess(note: str, age: float | None = None, sex: str | None = None, pregnant: bool | None = None):
    case: dict = {"note": note}
    if age is not None:
        case["age_years"] = age
    if sex is not None:
        case["sex"] = sex
    if pregnant is not None:
        case["pregnant"] = pregnant
    return _service().assess_dict(case)


def _present(note: str) -> set[str]:
    return set(extract_findings(note, kb=_service().kb).present())


def _signs(result) -> set[str]:
    return {s.rule.id for s in result.triage.signs}


def _is_emergency_with(note: str, age: float, sex: str, *, condition: str, top: int = 3,
                       sign: str | None = None) -> None:
    result = _assess(note, age=age, sex=sex)
    assert result.triage.level == "emergency"
    assert sign is None or sign in _signs(result)
    assert condition in [c.condition.id for c in result.differential[:top]]


# ---------------- 1. the young infant ----------------

@pytest.mark.parametrize("note", [
    "3-week-old, feeding less than usual since yesterday, sleepy.",
    "Baby 5 weeks, taking half her usual feeds today.",
    "Mum says he is off his feeds since this morning.",
    "宝宝出生20天，今天吃奶比平时少。",
])
def test_young_infant_feeding_less_is_a_danger_sign(note: str) -> None:
    assert "not_feeding_well" in _present(note)
    assert _assess(note, age=0.06).triage.level == "emergency"


def test_a_carers_thermometer_reading_is_a_temperature() -> None:
    ex = extract_findings("Mum took temp at home 38.4, fussy.", kb=_service().kb)
    assert ex.vitals.get("temp_c") == pytest.approx(38.4)
    assert _assess("Mum took temp at home 38.4, fussy.", age=0.08).triage.level == "emergency"


def test_a_thriving_young_infant_stays_calm() -> None:
    result = _assess("3-week-old for weighing, feeding well, thriving, no concerns.", age=0.06)
    assert result.triage.level != "emergency"


# ---------------- 2. delirium in the very old ----------------

@pytest.mark.parametrize("note", [
    "82-year-old from the care home, not oriented to time or place since this morning.",
    "Grandmother is not fully alert today, drinking little.",
    "Since yesterday he can't do months backwards and is picking at his sheets.",
    "This morning she didn't recognise her daughter, incontinent, off food.",
])
def test_acute_confusion_in_the_old_is_an_emergency(note: str) -> None:
    assert _assess(note, age=84).triage.level == "emergency"


@pytest.mark.parametrize("note, absent", [
    ("Alert and oriented, knee pain for 3 months.", "altered_consciousness"),
    ("Rash on palms. Genitals: no active ulcer, small scar.", "lethargic"),
    ("HIV rapid test non-reactive. Rash 2 weeks.", "lethargic"),
])
def test_no_and_non_before_a_calm_word_stay_calm(note: str, absent: str) -> None:
    assert absent not in _present(note)


# ---------------- 3. self-harm ----------------

def test_passive_death_wish_with_paracetamol_count_is_an_emergency() -> None:
    note = "16F, took about 20 of her mum's paracetamol 4 hours ago after a row; says she didn't want to wake up."
    found = _present(note)
    assert {"paracetamol_overdose", "suicidal_ideation"} <= found
    assert _assess(note, age=16, sex="female").triage.level == "emergency"


def test_paracetamol_for_a_headache_is_not_an_overdose() -> None:
    note = "Headache 2 days, took 2 of her mum's paracetamol with relief, wants to feel better."
    assert "paracetamol_overdose" not in _present(note)
    assert _assess(note, age=30, sex="female").triage.level != "emergency"


# ---------------- 4. pregnancy and pregnancy loss ----------------

def test_guarding_with_fever_in_pregnancy_is_an_emergency() -> None:
    result = _assess("28 weeks pregnant, right-sided abdominal pain, guarding, T 38.1, HR 116.",
                     age=27, sex="female", pregnant=True)
    assert result.triage.level == "emergency"
    assert "pregnancy_guarding_fever_or_tachycardia" in _signs(result)


def test_guarding_with_fever_in_a_man_is_not_the_pregnancy_rule() -> None:
    result = _assess("Right lower abdominal pain, guarding, T 38.1, HR 116.", age=27, sex="male")
    assert "pregnancy_guarding_fever_or_tachycardia" not in _signs(result)


@pytest.mark.parametrize("note, level", [
    ("Miscarried at home 10 days ago at 12 weeks; now fever 38.9, HR 122, foul smelling discharge, os open.",
     "emergency"),
    ("Had a miscarriage last week, fever since yesterday, pulse 118, uterus tender.", "emergency"),
    ("Had a miscarriage last week, fever since yesterday, uterus tender, pulse 88.", "urgent"),
    ("Miscarried at home 10 days ago; now fever 38.2, lower abdominal pain and smelly discharge.", "urgent"),
])
def test_fever_after_a_miscarriage_is_septic_abortion(note: str, level: str) -> None:
    result = _assess(note, age=24, sex="female")
    assert result.triage.level == level
    assert {"septic_pregnancy_loss", "septic_pregnancy_loss_shock"} & _signs(result)
    assert "septic_abortion" in [c.condition.id for c in result.differential[:3]]


def test_a_miscarriage_years_ago_is_no_context_for_a_fever() -> None:
    result = _assess("Had a miscarriage 3 years ago. Fever and cough for 2 days, vaginal discharge.",
                     age=30, sex="female")
    assert not {"septic_pregnancy_loss", "septic_pregnancy_loss_shock"} & _signs(result)


def test_the_age_of_a_lost_pregnancy_is_no_duration() -> None:
    days = [d for d, _ in find_durations("Miscarried 12 days ago at ~14 wks, bleeding since.")]
    assert 98 not in days and 12 in days


# ---------------- 5. the puerperium ----------------

@pytest.mark.parametrize("note", [
    "Since the baby was born 8 days ago she has not slept; she says the baby is not hers and God is telling her things.",
    "Husband: since the birth she talks fast and says they swapped the baby at the hospital.",
])
def test_psychosis_about_the_baby_after_birth_is_an_emergency(note: str) -> None:
    _is_emergency_with(note, 25, "female", condition="postpartum_psychosis")


def test_tiredness_after_the_birth_is_not_psychosis() -> None:
    result = _assess("Since the baby was born 2 weeks ago she is tired and tearful, sleeping when the baby sleeps.",
                     age=25, sex="female")
    assert result.triage.level != "emergency"


# ---------------- 6. whose finding ----------------

@pytest.mark.parametrize("note, history", [
    ("Cough 2 days. Father has diabetes.", "known_diabetes"),
    ("Headache. Mother has hypertension.", "known_hypertension"),
    ("FHx: Mum had asthma. Cough 3 days.", "known_asthma"),
])
def test_a_bare_parent_sentence_is_the_relatives_history(note: str, history: str) -> None:
    ex = extract_findings(note, kb=_service().kb)
    assert history not in ex.present()
    assert any(f.id == history and f.relative for f in ex.mentions)


@pytest.mark.parametrize("note, symptom", [
    ("Postnatal day 5. Mother has fever and foul smelling lochia.", "fever"),
    ("Mother says the baby has fever since last night.", "fever"),
    ("Mother has been giving paracetamol for his fever.", "fever"),
])
def test_a_bare_parent_keeps_the_patients_symptoms(note: str, symptom: str) -> None:
    assert symptom in _present(note)


def _relative(fid: str = "known_diabetes") -> Finding:
    return Finding(fid, "Diabetes", span=Span(0, 5, "Fever"), duration_days=30.0, relative=True)


def test_relative_survives_set_last() -> None:
    mentions = [_relative()]
    _set_last(mentions, [0], 0, negated=True, pending=[], kb=_service().kb)
    assert mentions[0].negated and mentions[0].relative and mentions[0].duration_days == 30.0


def test_relative_survives_an_answered_question() -> None:
    out = _answered("Fever? No.", [_relative("fever")])
    assert out[0].negated and out[0].relative


def test_relative_survives_merge() -> None:
    hedge = Finding("fever", "Fever", uncertain=True, span=Span(0, 5), relative=True)
    sure = Finding("fever", "Fever", span=Span(10, 15), duration_days=3.0, relative=True)
    merged = _merge([hedge, sure])
    assert len(merged) == 1 and merged[0].relative and not merged[0].uncertain


# ---------------- 7. the antipsychotic emergency, the head knock, the yellow newborn ----------------

def test_fever_and_rigidity_on_an_antipsychotic_is_neuroleptic_malignant_syndrome() -> None:
    result = _assess("On haloperidol depot, dose raised last week. 3 days sweating, rigid limbs, T 39.6, HR 128.",
                     age=40, sex="male")
    assert result.triage.level == "emergency"
    assert "neuroleptic_malignant_features" in _signs(result)
    assert result.differential[0].condition.id == "neuroleptic_malignant_syndrome"


def test_rigid_limbs_are_not_a_rigid_abdomen() -> None:
    found = _present("Rigid limbs and tremor for a month, slow walking.")
    assert "parkinsonian_signs" in found and "board_like_rigidity" not in found


def test_fever_without_an_antipsychotic_is_not_neuroleptic_malignant_syndrome() -> None:
    result = _assess("Fever 39.2 for 2 days with chills and body aches, sweating.", age=40, sex="male")
    assert "neuroleptic_malignant_syndrome" not in [c.condition.id for c in result.differential[:3]]


@pytest.mark.parametrize("note", [
    "On warfarin, fell 4 days ago hitting her head on the bath; now drowsy and muddled.",
    "Slipped in the kitchen, struck his head on the table; on apixaban, vomiting since.",
])
def test_a_head_knock_in_ing_and_past_forms_is_a_head_injury(note: str) -> None:
    assert "head_injury" in _present(note)
    assert _assess(note, age=80).triage.level == "emergency"


def test_jaundice_in_a_newborn_under_a_day_old_is_first_day_jaundice() -> None:
    kb = _service().kb
    assert "jaundice_first_24h" in extract_findings("生后18小时，面部、躯干黄染。", kb=kb, age_years=0.002).present()
    assert "jaundice_first_24h" not in extract_findings("生后5天，面部黄染。", kb=kb, age_years=0.014).present()


# ---------------- 8. kidney failure on dialysis ----------------

@pytest.mark.parametrize("note", [
    "On haemodialysis 3x/week, missed his last dialysis. Breathless lying flat, frothy sputum, crackles, legs swollen.",
    "维持性血液透析3年，漏透析一次，今晚不能平卧，咳白色泡沫痰，双下肢水肿。",
])
def test_breathless_on_dialysis_is_fluid_overload_and_an_emergency(note: str) -> None:
    _is_emergency_with(note, 60, "male", condition="dialysis_fluid_overload", top=1,
                       sign="dialysis_breathless_overload")


def test_heart_failure_without_dialysis_is_not_dialysis_overload() -> None:
    result = _assess("Breathless lying flat for 2 weeks, ankles swollen, crackles at the bases.", age=70, sex="male")
    assert result.differential[0].condition.id == "heart_failure"
    ranked = [c.condition.id for c in result.differential]
    if "dialysis_fluid_overload" in ranked:
        assert result.probabilities[ranked.index("dialysis_fluid_overload")] < 0.05


# ---------------- 9. the baby quieter in late pregnancy; a foot ulcer by its site ----------------

@pytest.mark.parametrize("note", [
    "36+4/40, baby much quieter since yesterday, only 3 kicks this morning.",
    "孕37周，今天胎动比平时少，只感觉到几次胎动。",
])
def test_the_baby_quieter_in_late_pregnancy_is_reduced_fetal_movements(note: str) -> None:
    result = _assess(note, age=30, sex="female", pregnant=True)
    assert "reduced_fetal_movements" in _signs(result) and result.triage.level == "urgent"


def test_a_quieter_newborn_is_not_reduced_fetal_movements() -> None:
    found = set(extract_findings("Baby 3 weeks old, much quieter today.", kb=_service().kb, age_years=0.06).present())
    assert "reduced_fetal_movements" not in found


@pytest.mark.parametrize("note", [
    "Diabetic, ulcer under the 1st MTP head, surrounding redness and warmth.",
    "Known diabetes, heel ulcer 2 cm with redness spreading up the foot.",
])
def test_a_foot_ulcer_named_by_its_site_is_a_diabetic_foot(note: str) -> None:
    result = _assess(note, age=60, sex="male")
    assert "diabetic_foot_threatened" in _signs(result)
    assert "diabetic_foot_ulcer" in [c.condition.id for c in result.differential[:3]]


def test_an_ulcer_in_the_mouth_is_not_a_foot_ulcer() -> None:
    assert "foot_ulcer" not in _present("Painful ulcer on the tongue for 3 days.")
