"""Parsers for medications, allergies, vitals, sections and follow-up."""

from __future__ import annotations

import pytest

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.language.followup import extract_followups
from lantern.clinical.language.medications import extract_medications, find_frequencies
from lantern.clinical.language.results import extract_vitals
from lantern.clinical.language.sections import split_sections


def _meds(text):
    allergies = extract_allergies(text)
    return extract_medications(text, exclude=allergies.phrase_ranges)


@pytest.mark.parametrize("written, canon", [
    ("BD", "twice daily"), ("bid", "twice daily"), ("b.i.d.", "twice daily"), ("twice a day", "twice daily"),
    ("12-hourly", "twice daily"), ("每日两次", "twice daily"), ("一日2次", "twice daily"),
    ("TDS", "three times daily"), ("tid", "three times daily"), ("一日三次", "three times daily"),
    ("QID", "four times daily"), ("qds", "four times daily"), ("OD", "once daily"), ("daily", "once daily"),
    ("每日一次", "once daily"), ("PRN", "as needed"), ("必要时", "as needed"), ("stat", "once (stat)"),
    ("nocte", "at night"),
])
def test_frequency_normalisation(written, canon):
    found = find_frequencies(f"take 1 tab {written} please")
    assert [f[0] for f in found] == [canon]


def test_medication_with_dose_route_frequency_duration():
    (med,) = _meds("Plan: Amoxicillin 500mg PO TDS x 5 days.")
    assert (med.name, med.dose, med.route, med.frequency, med.duration) == (
        "Amoxicillin", "500 mg", "oral", "three times daily", "5 days")
    assert med.status == "current"


def test_several_medications_and_statuses():
    meds = _meds("Paracetamol 1g stat given at 14:30. Stop metformin. Rx: amox 250 mg bd for 5/7, "
                 "zinc 20 mg OD x 10 days")
    by_name = {m.name.lower(): m for m in meds}
    assert by_name["paracetamol"].status == "given" and by_name["paracetamol"].time == "14:30"
    assert by_name["metformin"].status == "stopped"
    assert by_name["amox"].dose == "250 mg" and by_name["amox"].duration == "5 days"
    assert by_name["zinc"].frequency == "once daily"


def test_chinese_medication():
    (med,) = _meds("处理：阿莫西林 0.5g 口服 每日三次 共5天。")
    assert (med.name, med.dose, med.route, med.frequency, med.duration) == (
        "阿莫西林", "0.5 g", "oral", "three times daily", "5天")
    assert med.render("zh") == "阿莫西林 0.5 g 口服 每日三次 共5天"


@pytest.mark.parametrize("text, routes", [
    # the route written before one drug of a "+" / "and" list is that drug's, not the next one's
    ("沙丁胺醇雾化3次 + 泼尼松 40mg qd x5天", {"沙丁胺醇": "inhaled", "泼尼松": ""}),
    ("沙丁胺醇雾化+泼尼松 40mg qd", {"沙丁胺醇": "inhaled", "泼尼松": ""}),
    ("salbutamol nebs x3 and prednisolone 40 mg od", {"salbutamol": "inhaled", "prednisolone": ""}),
    # a route written after the "and" still belongs to the drug after it
    ("Given IV ceftriaxone and IV metronidazole.", {"ceftriaxone": "IV", "metronidazole": "IV"}),
])
def test_a_route_stays_with_its_own_drug_in_a_list(text, routes):
    assert {m.name: m.route for m in _meds(text)} == routes


def test_allergy_drug_is_not_a_medication_and_negated_meds_skipped():
    assert _meds("Allergic to penicillin (rash). Not on any medication.") == []
    assert [m.name for m in _meds("青霉素过敏。布洛芬 400mg 必要时")] == ["布洛芬"]


def test_unknown_drug_name_needs_a_dose():
    assert [m.name for m in _meds("Started Foobarin 10 mg OD")] == ["Foobarin"]
    assert _meds("Started Foobarin today") == []


@pytest.mark.parametrize("text, substances, none_known", [
    ("NKDA", [], True),
    ("No known drug allergies.", [], True),
    ("否认药物过敏史", [], True),
    ("Allergic to penicillin (rash).", ["penicillin"], False),
    ("PCN allergy", ["PCN"], False),
    ("青霉素过敏", ["青霉素"], False),
    ("过敏史：磺胺类药物过敏", ["磺胺"], False),
    ("Allergies: sulfa, peanuts (hives)", ["sulfa", "peanuts"], False),
])
def test_allergies(text, substances, none_known):
    facts = extract_allergies(text)
    assert [a.substance for a in facts.allergies] == substances
    assert facts.none_known is none_known


def test_reaction_belongs_to_its_substance():
    facts = extract_allergies("Allergies: sulfa, peanuts (hives)")
    assert {a.substance: a.reaction for a in facts.allergies} == {"sulfa": "", "peanuts": "hives"}


def test_vitals_english_and_chinese():
    en = extract_vitals("O/E: T 38.5C, HR 112, RR 32, BP 150/95 mmHg, SpO2 91% on air, Wt 12.5kg")
    assert [(v.name, v.value) for v in en] == [("temp", "38.5"), ("hr", "112"), ("rr", "32"),
                                               ("bp", "150/95"), ("spo2", "91"), ("weight", "12.5")]
    assert all(v.abnormal for v in en if v.name != "weight")
    zh = extract_vitals("查体：体温38.6℃，脉搏 96次/分，血压 160/100mmHg")
    assert [(v.name, v.value) for v in zh] == [("temp", "38.6"), ("hr", "96"), ("bp", "160/100")]


def test_vital_spans_point_at_the_note():
    text = "Seen today. BP 150/95, pulse 80."
    for v in extract_vitals(text):
        assert v.value.split("/")[0] in text[v.span.start:v.span.end]


def test_soap_letters_and_pulse_is_not_plan():
    note = "S: cough. O: T 38.5, P: 100, crackles. A: pneumonia. P: amoxicillin 500mg TDS."
    names = [(s.name, s.body(note).strip()) for s in split_sections(note)]
    assert names == [("subjective", "cough."), ("objective", "T 38.5, P: 100, crackles."),
                     ("assessment", "pneumonia."), ("plan", "amoxicillin 500mg TDS.")]


def test_chinese_and_bare_headers():
    zh = "主诉：发热3天。\n查体：体温38.6℃。\n诊断：肺炎。\n处理：阿莫西林。\n复诊：3天后"
    assert [s.name for s in split_sections(zh)] == ["subjective", "objective", "assessment", "plan",
                                                     "follow_up"]
    en = "C/O headache\nO/E BP 170/100\nImp: hypertension\nPlan: amlodipine 5 mg OD"
    assert [s.name for s in split_sections(en)] == ["subjective", "objective", "assessment", "plan"]


def test_inline_allergy_header_covers_one_sentence():
    note = "P: Antivenom given. Allergies: none known. Refer to district hospital."
    sections = [(s.name, s.body(note).strip()) for s in split_sections(note)]
    assert ("allergies", "none known.") in sections
    assert ("plan", "Refer to district hospital.") in sections


def test_note_without_headers_is_classified_by_content():
    note = ("Child with diarrhoea 2 days. Alert, skin pinch slow. Some dehydration likely. "
            "Give ORS 75 ml/kg over 4 h.")
    assert [s.name for s in split_sections(note)] == ["subjective", "objective", "assessment", "plan"]


def test_followups():
    got = extract_followups("Review in 3 days. RTC if worse. Review of systems: normal. 3天后复诊。")
    assert [(f.when, f.conditional) for f in got] == [("in 3 days", False), ("", True), ("3天后", False)]
