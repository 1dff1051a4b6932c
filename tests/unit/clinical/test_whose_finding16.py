"""Whose finding, whose age (issue 11, session 16): another person's illness is not the
patient's (relatives, neighbours, villagers, classmates, colleagues, 村里/同村/邻居/同学/同事/
家里人), reported speech keeps the patient's findings, the patient comes back after another
person's illness in the same sentence, a nursing mother who writes about her own body is the
patient (not her baby), and a chest pain worse on pressing is the chest wall's tenderness."""

from __future__ import annotations

import pytest

from lantern.clinical.language.durations import age_from_text
from lantern.clinical.language.findings import extract_findings


def _state(note: str) -> dict[str, bool]:
    """finding id -> negated, for the findings the note gives."""
    return {f.id: f.negated for f in extract_findings(note).findings}


@pytest.mark.parametrize(("note", "fid"), [
    ("Her aunt, who looked after her as a girl, had deformed hands.", "deformity"),
    ("His grandfather had a cough for years before he died.", "cough"),
    ("Several villagers have had diarrhoea this week.", "diarrhoea"),
    ("Someone in the village had vomited blood last month.", "haematemesis"),
    ("Two classmates have red eyes.", "red_eye"),
    ("A colleague at the mill has a bad cough.", "cough"),
    ("Her brother was admitted with fever and a rash.", "rash"),
    ("The rest of the family had vomiting on Sunday.", "vomiting"),
    ("邻居家孩子上周出了皮疹。", "rash"),
    ("父亲有高血压，头痛多年。", "headache"),
    ("同学也发烧了。", "fever"),
    ("村里有个人也是这样吐血，后来死了。", "haematemesis"),
    ("家里人也拉肚子。", "diarrhoea"),
    ("同事有咳嗽。", "cough"),
])
def test_another_persons_illness_is_not_the_patients(note, fid):
    assert _state(note).get(fid) is True, (note, _state(note))


@pytest.mark.parametrize(("note", "fid"), [
    ("Mother noticed he was breathless.", "difficult_breathing"),
    ("His mother says he has had a fever since Monday.", "fever"),
    ("Her husband has noticed she is vomiting after every meal.", "vomiting"),
    ("Husband says his wife has been vomiting for 5 days.", "vomiting"),
    ("Daughter says her father has slurred speech since this morning.", "slurred_speech"),
    ("My son has diarrhoea.", "diarrhoea"),
    ("Sister noted he was vomiting on the ward.", "vomiting"),
    ("Twin 2 is vomiting and not feeding.", "vomiting"),
    ("A neighbour's dog bit him on the leg yesterday.", "animal_bite"),
    ("Playing with his cousins an hour ago, sudden choking and cough.", "cough"),
    ("my uncle has had a cough for two weeks", "cough"),
    ("妈妈说他发烧两天。", "fever"),
    ("家属代诉患者咳嗽三天。", "cough"),
    ("今天被邻居家的狗咬伤右手，伤口出血。", "skin_wound"),
    ("His father has hypertension, the patient has chest pain.", "chest_pain"),
])
def test_reported_speech_keeps_the_patients_finding(note, fid):
    assert _state(note).get(fid) is False, (note, _state(note))


@pytest.mark.parametrize(("note", "fid"), [
    ("村里有人拉肚子，他也拉肚子。", "diarrhoea"),
    ("同学有咳嗽，她也咳嗽两天了。", "cough"),
    ("A neighbour had diarrhoea and he also has diarrhoea now.", "diarrhoea"),
    ("Two classmates have red eyes and she has a fever.", "fever"),
    # a clause of the patient's own after another person's illness ends its scope
    ("同学有水痘，孩子有发热。", "fever"),
    ("Her mother had TB, has had a cough for 3 weeks.", "cough"),
])
def test_the_patient_comes_back_after_another_persons_illness(note, fid):
    assert _state(note).get(fid) is False, (note, _state(note))


def test_the_other_persons_finding_before_the_patient_is_still_theirs():
    note = "A neighbour had a rash and he also has a fever."
    st = _state(note)
    assert st.get("fever") is False and st.get("rash") is True, st


@pytest.mark.parametrize(("note", "age"), [
    # a nursing mother writing about her own body: the baby's age is not the patient's
    ("I'm breastfeeding my 6 week old. My left breast is red and sore and I have a fever.", None),
    ("我在给两个月的宝宝喂奶，我右边乳房红肿，发烧。", None),
    # the child is the patient: the age stays
    ("I'm feeding my 3 week old and she won't latch, she feels hot.", 3 * 7 / 365.25),
    ("my 4 year old has had a cough for a week", 4.0),
    ("我家宝宝两个月，不吃奶，发烧。", 2 / 12),
])
def test_whose_age_a_parent_writes(note, age):
    got = age_from_text(note)
    if age is None:
        assert got is None, (note, got)
    else:
        assert got is not None and abs(got - age) < 0.02, (note, got)


@pytest.mark.parametrize("note", [
    "左侧胸痛两天，按压时加重。",
    "Right-sided chest pain since yesterday, worse when pressing on it.",
])
def test_chest_pain_worse_on_pressing_is_chest_wall_tenderness(note):
    assert _state(note).get("chest_wall_tenderness") is False, _state(note)


def test_a_pain_worse_on_pressing_elsewhere_is_no_chest_wall_tenderness():
    assert "chest_wall_tenderness" not in _state("右膝疼痛一周，按压时加重。")
