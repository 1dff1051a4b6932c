"""Classes left by the first round of issue 11, session 17 (triage17b).

1. A relative's disease is not the patient's history (cues.toml other_pre / other_person and
   findings.py: in another person's scope a history-type finding is the relative's,
   Finding.relative, kept among the mentions and out of the patient's findings).
2. Time limits: a head injury weeks ago on an anticoagulant is a chronic subdural picture
   (urgent), not the recent-injury emergency (rule field ``acute_of``); a delivery months ago
   is no context for the pregnancy rules (triage.PUERPERAL_RULE_DAYS, 12 weeks).
3. Dengue petechiae with a positive dengue or tourniquet test in an alert patient are not the
   meningococcal emergency; lip swelling with hives and no airway, breathing or circulation sign
   is urgent, not anaphylaxis (triage_rules_calm17b.toml).
Each class is tested both ways, in English and Chinese, on notes written for these tests."""

from __future__ import annotations

from functools import lru_cache

import pytest

from lantern.clinical.language.findings import extract_findings
from lantern.services.assessment import AssessmentService


@lru_cache(maxsize=1)
def _service() -> AssessmentService:
    return AssessmentService(use_llm=False)


def _triage(note: str, age: float | None):
    case: dict = {"note": note}
    if age is not None:
        case["age_years"] = age
    return _service().assess_dict(case).triage


def _present(note: str) -> set[str]:
    return set(extract_findings(note, kb=_service().kb).present())


# ---------------- 1. family history ----------------

@pytest.mark.parametrize("note, history", [
    ("Cough for 3 days. His mother has asthma.", "known_asthma"),
    ("Headache 2 days. Family history: father has epilepsy.", "known_epilepsy"),
    ("Headache 2 days. Family history: father had a stroke, mother epilepsy.", "known_epilepsy"),
    ("Tired for a month. Strong family history of diabetes.", "known_diabetes"),
    ("咳嗽3天，低热。父亲有哮喘。", "known_asthma"),
    ("头痛2天。家族中有高血压。", "known_hypertension"),
    ("头晕1周。家族有高血压病史。", "known_hypertension"),
    ("头痛2天。家族史：父亲高血压，母亲癫痫。", "known_epilepsy"),
    ("头晕1周。家族史：其母患有高血压。", "known_hypertension"),
    ("咳嗽2周。其父有哮喘。", "known_asthma"),
])
def test_relatives_history_is_not_the_patients(note: str, history: str) -> None:
    assert history not in _present(note)


@pytest.mark.parametrize("note, history", [
    ("Cough for 3 days. Known asthmatic since childhood.", "known_asthma"),
    ("Headache 2 days. History of hypertension, father also had a stroke.", "known_hypertension"),
    ("咳嗽3天，既往有哮喘病史。", "known_asthma"),
    ("头痛2天，有高血压病史10年，父亲有糖尿病。", "known_hypertension"),
])
def test_patients_own_history_still_read(note: str, history: str) -> None:
    assert history in _present(note)


def test_a_relatives_disease_is_kept_as_said_not_negated() -> None:
    """The relative's disease stays a mention, as written, for the documents and the meaning
    check; it is only kept out of the patient's findings."""
    ex = extract_findings("Cough for 3 days. His mother has asthma.", kb=_service().kb)
    said = [f for f in ex.mentions if f.id == "known_asthma"]
    assert said and all(f.relative and not f.negated for f in said)
    assert "known_asthma" not in ex.present() and "known_asthma" not in ex.negated()


def test_relatives_illness_does_not_take_the_patients_symptoms() -> None:
    found = _present("Family history: father has epilepsy. He has a cough and fever for 2 days.")
    assert {"cough", "fever"} <= found and "known_epilepsy" not in found


# ---------------- 2. time limits ----------------

@pytest.mark.parametrize("note", [
    "Fell and hit his head 3 weeks ago, on warfarin, now headache for 3 days.",
    "3周前摔倒碰到头，一直服用华法林，近3天头痛。",
    "2个月前头部外伤，口服华法林，近1周头痛、走路不稳。",
])
def test_remote_head_injury_on_anticoagulant_is_urgent(note: str) -> None:
    result = _triage(note, 78)
    assert result.level == "urgent"
    assert "head_injury_remote_anticoagulant" in {s.rule.id for s in result.signs}


@pytest.mark.parametrize("note", [
    "Fell and hit head this morning, on warfarin for 5 years, no other complaint.",
    "今天上午摔倒碰到头，服用华法林5年，无其他不适。",
    "Hit head 3 days ago, on apixaban, mild headache.",
    "Fell and hit head 3 weeks ago, on warfarin, now drowsy and hard to wake.",
    "3周前摔倒碰到头，服用利伐沙班，现呼之不应。",
])
def test_recent_injury_on_anticoagulant_or_falling_consciousness_stays_emergency(note: str) -> None:
    assert _triage(note, 78).level == "emergency"


@pytest.mark.parametrize("note", [
    "Delivered a baby 9 months ago, now headache, BP 160/100.",
    "9个月前分娩，现头痛，血压160/100。",
])
def test_delivery_months_ago_is_no_postnatal_context(note: str) -> None:
    signs = {s.rule.id for s in _triage(note, 30).signs}
    assert not {"pregnancy_severe_hypertension", "pregnancy_raised_bp"} & signs


@pytest.mark.parametrize("note", [
    "Gave birth 5 days ago, headache, BP 160/100.",
    "产后2周，头痛，血压160/100。",
])
def test_recent_delivery_keeps_the_pregnancy_rules(note: str) -> None:
    assert _triage(note, 30).level == "emergency"


# ---------------- 3. dengue petechiae and lip swelling ----------------

@pytest.mark.parametrize("note", [
    "Fever 3 days, petechiae on both legs, tourniquet test positive, child alert and playing.",
    "Fever for 4 days, petechial spots on the arms, dengue NS1 positive, fully oriented.",
    "发热3天，下肢皮肤出血点，束臂试验阳性，患儿精神好，在玩耍。",
    "发热4天，皮肤瘀点，NS1阳性，神志清楚。",
])
def test_dengue_petechiae_in_an_alert_patient_is_urgent(note: str) -> None:
    result = _triage(note, 9)
    assert result.level == "urgent"
    assert "dengue_warning_bleeding" in {s.rule.id for s in result.signs}


@pytest.mark.parametrize("note", [
    "Fever 3 days, petechiae, dengue NS1 positive.",
    "Fever 3 days, petechiae, tourniquet test negative, alert.",
    "Fever 2 days, petechial rash, child alert.",
    "发热3天，皮肤瘀点，NS1阳性。",
    "发热3天，皮肤瘀点，NS1阳性，嗜睡。",
])
def test_petechiae_without_dengue_evidence_or_alertness_stays_emergency(note: str) -> None:
    assert _triage(note, 9).level == "emergency"


@pytest.mark.parametrize("note", [
    "Hives all over after eating prawns, lips swollen, no difficulty breathing, BP 120/80.",
    "Itchy wheals and puffy lips after a new antibiotic, breathing normal.",
    "吃虾后全身荨麻疹，嘴唇肿胀，无呼吸困难，血压正常。",
    "吃海鲜后起风团，嘴唇肿了，说话正常，无气促。",
])
def test_lip_swelling_without_abc_sign_is_urgent(note: str) -> None:
    result = _triage(note, 25)
    assert result.level == "urgent"
    assert "allergic_lip_swelling_no_abc" in {s.rule.id for s in result.signs}


@pytest.mark.parametrize("note", [
    "Hives after prawns, lips swollen, throat feels tight, hoarse voice.",
    "Bee sting, lips and tongue swollen.",
    "Hives after penicillin injection, wheezing and short of breath.",
    "Urticaria after peanuts, lips swollen, BP 78/40.",
    "Rash and lip swelling after amoxicillin, vomiting repeatedly.",
    "吃花生后舌头肿了，嘴唇肿。",
    "注射青霉素后全身荨麻疹，嘴唇肿胀，喉头发紧，声音嘶哑。",
    "吃虾后全身风团，嘴唇肿，喘憋。",
])
def test_airway_breathing_or_circulation_sign_stays_anaphylaxis(note: str) -> None:
    assert _triage(note, 25).level == "emergency"


@pytest.mark.parametrize("note, finding", [
    ("Pale since infancy, big spleen. A cousin has thalassaemia.", "thalassaemia_named"),
    ("面色苍白，脾大。家族中有地中海贫血。", "thalassaemia_named"),
])
def test_a_finding_defined_to_count_the_family_is_kept(note: str, finding: str) -> None:
    assert finding in _present(note)
