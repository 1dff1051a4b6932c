"""Answers written after what they answer (issue 11, session 16).

1. A question answered later in the sentence: the findings asked about take the answer
   ("Any fever? No." negates the fever, "有无咳嗽？有。" makes the cough present).
2. A clinician's summary negative of a whole screen ("no danger signs", "无一般危险征象",
   "no red flags") negates the screen's signs for the patients the screen is for, and never
   a sign the note names present. The notes are written for these tests.
"""

from __future__ import annotations

import pytest

from lantern.clinical.language.answers import load_answers
from lantern.clinical.language.findings import extract_findings


def _read(note: str, **kw: object) -> tuple[set[str], set[str], set[str]]:
    found = extract_findings(note, **kw).findings   # type: ignore[arg-type]
    return ({f.id for f in found if not f.negated and not f.uncertain},
            {f.id for f in found if f.negated},
            {f.id for f in found if f.uncertain and not f.negated})


# ------------------------------------------------------------------ questions answered


@pytest.mark.parametrize(("note", "denied"), [
    ("Any fever? No.", {"fever"}),
    ("Any cough or vomiting? No.", {"cough", "vomiting"}),
    ("Fever? - denies.", {"fever"}),
    ("Diarrhoea? Denied.", {"diarrhoea"}),
    ("Q: any vomiting? A: no.", {"vomiting"}),
    ("Did he have diarrhoea? No, not at all.", {"diarrhoea"}),
    ("Asked about fever or vomiting - says no.", {"fever", "vomiting"}),
    ("Mother was asked about convulsions and she said no.", {"convulsions"}),
    ("Asked whether he had a cough, he says none.", {"cough"}),
    ("有无咳嗽？无。", {"cough"}),
    ("有没有发烧、呕吐？都没有。", {"fever", "vomiting"}),
    ("问她有没有发烧、肚子痛，她说没有。", {"fever", "abdominal_pain"}),
    ("询问有无腹泻，家属说没有。", {"diarrhoea"}),
    ("是否咳嗽？否。", {"cough"}),
    ("有无发热？答：无。", {"fever"}),
    ("有没有抽筋？没有。有没有拉肚子？有。", {"convulsions"}),
])
def test_a_no_answer_negates_what_was_asked(note: str, denied: set[str]) -> None:
    present, negated, _ = _read(note)
    assert denied <= negated, (note, negated)
    assert not denied & present


@pytest.mark.parametrize(("note", "finding"), [
    ("Any fever? Yes.", "fever"),
    ("Asked about cough - says yes.", "cough"),
    ("有无咳嗽？有。", "cough"),
    ("问有没有发烧，说有。", "fever"),
])
def test_a_yes_answer_makes_it_present(note: str, finding: str) -> None:
    present, negated, _ = _read(note)
    assert finding in present and finding not in negated


def test_yes_to_several_is_present_but_unsure_which() -> None:
    _, negated, unsure = _read("Any fever or cough? Yes.")
    assert {"fever", "cough"} <= unsure and not negated & {"fever", "cough"}


@pytest.mark.parametrize(("note", "kept", "denied"), [
    # only the question is answered: what stands before it keeps its reading
    ("Headache for 3 days, fever? No.", "headache", "fever"),
    ("Cough for a week. Any fever? No.", "cough", "fever"),
    ("头痛3天。有无发热？无。", "headache", "fever"),
])
def test_the_answer_stops_at_the_question(note: str, kept: str, denied: str) -> None:
    present, negated, _ = _read(note)
    assert kept in present and denied in negated


@pytest.mark.parametrize("note", [
    "Any fever? No cough.",          # "no" opens a negation of the cough, it answers nothing
    "Fever: yes. She says no vomiting.",
])
def test_not_an_answer(note: str) -> None:
    present, _, _ = _read(note)
    assert "fever" in present


# ------------------------------------------------------------------ summary negatives

IMCI = {"unable_to_drink", "vomits_everything", "convulsions", "altered_consciousness"}
OBSTETRIC = {"vaginal_bleeding", "convulsions", "severe_headache", "visual_disturbance", "fever",
             "severe_pain", "difficult_breathing"}
RED_FLAGS = {"saddle_anaesthesia", "sphincter_disturbance", "bilateral_leg_weakness"}


@pytest.mark.parametrize(("note", "kw"), [
    ("Cough 3 days. No danger signs.", {"age_years": 2.0}),
    ("2 year old with cough. No general danger signs.", {}),
    ("Child with diarrhoea, no danger signs.", {}),
    ("咳嗽3天，无一般危险征象。", {"age_years": 1.5}),
    ("患儿腹泻2天，无危险征象。", {}),
])
def test_no_danger_signs_in_a_child_negates_the_imci_signs(note: str, kw: dict) -> None:
    _, negated, _ = _read(note, **kw)
    assert IMCI <= negated, negated


@pytest.mark.parametrize("note", [
    "Pregnant, 32 weeks, routine visit. No danger signs.",
    "孕32周，产检，无危险征象。",
])
def test_no_danger_signs_in_pregnancy_negates_the_obstetric_signs(note: str) -> None:
    _, negated, _ = _read(note, age_years=25.0)
    assert OBSTETRIC <= negated, negated


def test_no_danger_signs_in_an_adult_negates_nothing() -> None:
    _, negated, _ = _read("Headache 2 days. No danger signs.", age_years=40.0, sex="male")
    assert not negated


@pytest.mark.parametrize(("note", "kw", "kept"), [
    ("No danger signs except fast breathing. Cough 2 days.", {"age_years": 2.0}, "fast_breathing"),
    ("Convulsions this morning. No other danger signs.", {"age_years": 3.0}, "convulsions"),
    ("抽搐1次，无其他一般危险征象。", {"age_years": 3.0}, "convulsions"),
    ("Pregnant 30 weeks with fever. No other danger signs.", {"age_years": 24.0}, "fever"),
])
def test_a_sign_named_present_wins(note: str, kw: dict, kept: str) -> None:
    present, negated, _ = _read(note, **kw)
    assert kept in present and kept not in negated
    assert negated, "the other signs are still negated"


@pytest.mark.parametrize("note", [
    "Low back pain for 2 weeks after lifting. No red flags.",
    "腰痛2周，无红旗征。",
])
def test_no_red_flags_in_back_pain(note: str) -> None:
    present, negated, _ = _read(note, age_years=35.0)
    assert "back_pain" in present and RED_FLAGS <= negated


def test_no_red_flags_without_back_pain_negates_nothing() -> None:
    _, negated, _ = _read("Chest pain since morning, no red flags.", age_years=50.0)
    assert not negated & RED_FLAGS


def test_no_emergency_signs() -> None:
    _, negated, _ = _read("Seen at triage: no emergency signs.", age_years=4.0)
    assert {"cyanosis", "convulsing_now", "severe_respiratory_distress"} <= negated


def test_every_summary_cites_a_source_and_names_known_findings() -> None:
    from lantern.clinical.knowledge import load_knowledge
    kb = load_knowledge()
    for s in load_answers().summaries:
        assert s.findings and all(fid in kb.findings for fid in s.findings)


@pytest.mark.parametrize("note", ["有无咳嗽？", "无发热，有无咳嗽不详。"])
def test_an_unanswered_question_neither_asserts_nor_denies(note: str) -> None:
    # "有无" asks (有没有), it is no "无" negation of the finding after it
    present, negated, unsure = _read(note)
    assert "cough" in unsure and "cough" not in negated | present
