"""Rule-based triage: ETAT emergency signs, IMCI danger signs and age thresholds, adult signs."""

from __future__ import annotations

import pytest

from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.language.findings import extract_findings
from lantern.clinical.triage import triage


def _triage(note="", *, age=None, sex=None, pregnant=None, vitals=None):
    kb = load_knowledge()
    ex = extract_findings(note, vitals=vitals, age_years=age, sex=sex, pregnant=pregnant, kb=kb)
    res = triage(ex, kb, age_years=age, sex=sex, pregnant=pregnant)
    return res.level, {s.rule.id for s in res.signs}


@pytest.mark.parametrize("note, age, vitals, level", [
    ("cough and runny nose", 3, None, "routine"),
    ("cough", 2, {"resp_rate": 45}, "urgent"),             # >= 40 at 1-5 years
    ("cough", 0.5, {"resp_rate": 45}, "routine"),          # < 50 at 2-12 months
    ("cough", 0.5, {"resp_rate": 52}, "urgent"),
    ("cough, chest indrawing", 2, None, "emergency"),
    ("cough, no chest indrawing", 2, None, "routine"),
    ("cough, unable to drink", 1, None, "emergency"),      # IMCI general danger sign
    ("convulsed this morning with fever", 3, None, "emergency"),
    ("convulsing now", 30, None, "emergency"),
    ("cough", 0.1, {"temp_c": 37.8}, "emergency"),        # young infant PSBI: fever
    ("runny nose", 0.1, None, "urgent"),                  # any illness < 2 months
    ("cough", 40, {"spo2": 86}, "emergency"),
    ("dizzy", 40, {"sbp": 82, "dbp": 50}, "emergency"),
    ("cough", 40, {"resp_rate": 32}, "emergency"),
    ("diarrhoea, lethargic, sunken eyes", 1, None, "emergency"),
    ("diarrhoea, sunken eyes, drinks eagerly", 1, None, "urgent"),
    ("fever, chills, RDT positive", 25, None, "urgent"),
    ("fever, RDT positive, prostration", 25, None, "emergency"),
    # issue 11 (session 17): a headache that is not severe, with no other symptom, is a hypertensive
    # urgency (no acute target-organ damage, ESH 2023 / ISH 2020); a severe headache is an emergency
    ("headache", 50, {"sbp": 190, "dbp": 125}, "urgent"),
    ("severe headache", 50, {"sbp": 190, "dbp": 125}, "emergency"),
    ("routine check", 50, {"sbp": 185, "dbp": 100}, "urgent"),
    ("sudden facial droop and slurred speech", 65, None, "emergency"),
    ("fever and neck stiffness", 20, None, "emergency"),
    ("blood in stool", 20, None, "urgent"),
    ("MUAC 110mm, oedema of both feet", 2, None, "emergency"),
    ("MUAC 120mm", 2, None, "urgent"),
    ("mild knee pain after a fall", 30, None, "routine"),
])
def test_levels(note, age, vitals, level):
    assert _triage(note, age=age, vitals=vitals)[0] == level


def test_pregnancy_rules():
    assert _triage("headache", age=25, sex="female", pregnant=True,
                   vitals={"sbp": 165, "dbp": 112})[0] == "emergency"
    assert _triage("headache", age=25, sex="female", pregnant=True,
                   vitals={"sbp": 145, "dbp": 92})[0] == "urgent"
    assert _triage("headache", age=25, sex="female", pregnant=False,
                   vitals={"sbp": 145, "dbp": 92})[0] == "routine"
    # pregnancy written in the note counts too
    assert _triage("34/40, headache. BP 165/112", age=25, sex="female")[0] == "emergency"
    assert _triage("heavy bleeding after delivery", age=25, sex="female")[0] == "emergency"


def test_negated_and_absent_signs_do_not_fire():
    level, signs = _triage("no convulsions, not lethargic, able to drink", age=2)
    assert level == "routine" and not signs


def test_deciding_signs_are_reported_with_evidence():
    kb = load_knowledge()
    note = "2yo cough, chest indrawing, RR 52"
    ex = extract_findings(note, age_years=2, kb=kb)
    res = triage(ex, kb, age_years=2)
    assert res.level == "emergency"
    top = res.signs[0]
    assert top.rule.level == "emergency" and top.rule.source
    assert top.evidence[0].span.text == "chest indrawing"


def test_unknown_age_is_conservative():
    # without age, child danger-sign rules still apply
    assert _triage("lethargic, not drinking")[0] == "emergency"


def test_pregnancy_written_in_the_note_counts_even_if_the_flag_is_false():
    assert _triage("G2P1 34/40, headache. BP 165/112", age=25, sex="female",
                   pregnant=False)[0] == "emergency"
