"""Reading lay and second-hand accounts (issue 11): relatives', interpreters' and referral
slips' words for findings (findings_lay_reported.toml), negation written with contractions,
and the adult the text shows when the form gives no age."""

from __future__ import annotations

import pytest

from lantern.clinical.language.findings import extract_findings


def _present(note: str) -> set[str]:
    return set(extract_findings(note).present())


def _negated(note: str) -> set[str]:
    return set(extract_findings(note).negated())


@pytest.mark.parametrize(("note", "fid"), [
    ("Grandmother says he won't wake properly since the night.", "lethargic"),
    ("Her mum says she has gone limp and keeps falling asleep.", "lethargic"),
    ("孩子从昨天起全身软，一直睡。", "lethargic"),
    ("阿嫲话个仔成日瞓，冇精神。", "lethargic"),
    ("Dad says they couldn't wake him this morning.", "unconscious"),
    ("Aunt says he went stiff and jerked for a minute.", "convulsions"),
    ("奶奶说孩子刚才手脚抽，还翻白眼。", "convulsions"),
    ("Mother says he is burning up since yesterday.", "fever"),
    ("The baby won't feed since this morning.", "unable_to_drink"),
    ("宝宝今天奶都不吃了。", "unable_to_drink"),
    ("Her son says she won't eat anything.", "loss_of_appetite"),
    ("老人家这几天吃不下东西。", "loss_of_appetite"),
    ("Husband says she is losing a lot of blood.", "heavy_bleeding"),
    ("他老婆说今天出好多血，头晕。", "heavy_bleeding"),
    ("The boy is in agony, holding his side.", "severe_pain"),
    ("她说肚子疼得要命。", "severe_pain"),
    ("Sister says he has a sore tummy.", "abdominal_pain"),
    ("他说心口闷，想吐。", "chest_tightness"),
    ("Mum noticed his nostrils flaring when he breathes.", "nasal_flaring"),
    ("佢阿妈讲个女一郁就痛。", "pain_on_movement"),
    ("Brother says he was struggling with his breathing all night.", "difficult_breathing"),
])
def test_a_relatives_wording_is_read_as_the_finding(note, fid):
    assert fid in _present(note)


@pytest.mark.parametrize(("note", "fid"), [
    ("The baby won't feed, no fits.", "convulsions"),
    ("Mum says she won't eat, no fever.", "fever"),
])
def test_lay_wording_keeps_the_negation_of_what_follows(note, fid):
    assert fid in _negated(note)


@pytest.mark.parametrize(("note", "fid"), [
    ("Mother says he does not have a fever.", "fever"),
    ("Mother says he doesn't have a fever.", "fever"),
    ("Mother says he doesn\u2019t have a fever.", "fever"),
    ("She isn't breathing fast now.", "fast_breathing"),
    ("He hasn't vomited since the morning.", "vomiting"),
    ("She wasn't vomiting at home.", "vomiting"),
    ("They haven't seen any blood in the stool.", "bloody_diarrhoea"),
    ("We can't see any rash on him.", "rash"),
    ("He doesn't have fever, vomiting or diarrhoea.", "diarrhoea"),
    ("他不发烧同时咳嗽。", "fever"),
])
def test_a_contraction_negates_what_follows(note, fid):
    assert fid in _negated(note)


@pytest.mark.parametrize(("note", "fid"), [
    ("He doesn't cough, but he has a rash.", "rash"),     # the scope ends at "but"
    ("She didn't eat, she is vomiting.", "vomiting"),      # ... and at the comma
    ("He can't stop coughing.", "cough"),                  # a finding that goes on
    ("She couldn't stop vomiting.", "vomiting"),
    ("He isn't able to drink anything.", "unable_to_drink"),   # inability, not a denial
    ("She can't breathe properly.", "difficult_breathing"),
    ("他不发烧同时咳嗽。", "cough"),                            # 同时 opens a clause of its own
])
def test_what_a_contraction_does_not_deny_stays_present(note, fid):
    assert fid in _present(note)


def test_a_question_neither_asserts_nor_denies():
    asked = extract_findings("家长问孩子是不是抽筋了。")
    f = next(f for f in asked.findings if f.id == "convulsions")
    assert not f.negated and f.uncertain
    asked = extract_findings("有没有发烧？")
    assert next(f for f in asked.findings if f.id == "fever").uncertain
    # the answer after the question is what counts
    assert "jaundice" in _negated("问他有没有黄疸，姐姐说眼睛不黄。")


def test_a_near_event_is_not_the_event():
    assert "syncope" not in _present("她今天上厕所时差点晕倒。")


# --- an adult when no age is given -----------------------------------------------------------

def _triage(note: str, **form) -> tuple[str, set[str]]:
    from lantern.clinical.knowledge import load_knowledge
    from lantern.clinical.triage import triage
    kb = load_knowledge()
    ex = extract_findings(note, kb=kb, **form)
    result = triage(ex, kb, **form)
    return result.level, {s.rule.id for s in result.signs}


@pytest.mark.parametrize("note", [
    "Her husband says she is 12 weeks pregnant and keeps vomiting everything, even water.",
    "Mrs Banda vomits everything she eats since yesterday.",
    "Retired, lives alone; vomits everything since last night.",
    "He works as a mechanic; vomits everything since last night.",
    "王先生，吃什么吐什么，一天了。",
])
def test_an_adult_shown_by_the_text_switches_off_child_only_rules(note):
    ex = extract_findings(note)
    assert ex.age_years is None and ex.min_age_years is not None and ex.min_age_years >= 5
    assert "imci_vomits_everything" not in _triage(note)[1]


@pytest.mark.parametrize("note", [
    "Vomits everything since last night.",                               # nothing said
    "Mother says the baby vomits everything; her husband is away.",       # a child named
    "Grandmother says he vomits everything since last night.",            # a carer reporting
    "奶奶说孩子吃什么吐什么。",
])
def test_without_adult_evidence_child_rules_still_apply(note):
    assert extract_findings(note).min_age_years is None
    assert "imci_vomits_everything" in _triage(note)[1]


def test_a_written_age_wins_over_the_adult_evidence():
    ex = extract_findings("Mrs Phiri brought her; vomits everything.", age_years=3.0)
    assert ex.min_age_years is None


# --- chest pain: age and cardiovascular risk -----------------------------------------------

_ACS = {"chest_pain_acs", "radiating_chest_pain_acs"} | {
    f"chest_pain_acs_young_{r}" for r in ("smoker", "known_diabetes", "known_hypertension")}


def test_a_tight_chest_with_sweating_in_a_young_adult_without_risk_is_no_acs_emergency():
    level, signs = _triage("Panicky, chest pain, sweaty hands, heart racing.", age_years=22.0)
    assert not signs & _ACS and level != "emergency"


@pytest.mark.parametrize(("note", "age"), [
    ("Central chest pain for an hour, sweating.", 55.0),
    ("Central chest pain for an hour, sweating.", None),           # no age: conservative
    ("Smoker. Central chest pain for an hour, sweating.", 33.0),
    ("Known diabetic. Chest pain and nausea since the morning.", 36.0),
    ("Chest pain spreading to the left arm.", 28.0),
])
def test_chest_pain_with_coronary_features_stays_an_emergency(note, age):
    level, signs = _triage(note, age_years=age)
    assert signs & _ACS and level == "emergency"


@pytest.mark.parametrize(("note", "fid"), [
    ("小腿无痛性皮损3周。", "skin_lesion_or_wound"),
    ("无痛性黄疸2周。", "jaundice"),
    ("无痛性血尿1次。", "haematuria"),
])
def test_painless_is_a_quality_not_a_denial(note, fid):
    present = _present(note)
    if fid == "skin_lesion_or_wound":
        assert not _negated(note)
    else:
        assert fid in present
