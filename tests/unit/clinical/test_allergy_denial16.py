"""A denied allergy is a denial, everywhere (issues 13 and 14).

"No penicillin allergy", "not allergic to penicillin", "否认青霉素过敏史" deny one named
substance: never an allergy, never "no known allergies" (other allergies stay unknown). A
hedged allergy ("?sulfa allergy", "对头孢类过敏待排") stays an allergy, marked uncertain.
Each consumer is checked: the reading, note summaries, referral letters and histories, the
meaning check of model rewordings, and the prescribing checks against the chart. The notes
are written for these tests.
"""

from __future__ import annotations

import pytest
from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.allergies import extract_allergies
from lantern.clinical.language.chart import chart_from_request
from lantern.clinical.language.claims import claims_of
from lantern.clinical.prescribing import build_index, read_formulary
from lantern.clinical.prescribing.request import check_request
from lantern.clinical.summarize.api import referral_letter, summarize_history, summarize_note
from lantern.clinical.summarize.evaluate import invented_facts

# ------------------------------------------------------------------ the reading


@pytest.mark.parametrize(("text", "denied"), [
    # English: no / nil / denies / not allergic to / negative for / answers after the allergy
    ("No penicillin allergy.", {"benzylpenicillin"}),
    ("nil PCN allergy", {"benzylpenicillin"}),
    ("Denies allergy to sulfa.", {"sulfonamide"}),
    ("denies any allergies to amoxicillin or sulfa drugs", {"amoxicillin", "sulfonamide"}),
    ("She is not allergic to penicillin.", {"benzylpenicillin"}),
    ("never been allergic to aspirin", {"aspirin"}),
    ("Negative for penicillin allergy.", {"benzylpenicillin"}),
    ("no known penicillin allergy", {"benzylpenicillin"}),
    ("No history of sulfa allergy.", {"sulfonamide"}),
    ("no allergy to ceftriaxone", {"ceftriaxone"}),
    ("Penicillin allergy: no", {"benzylpenicillin"}),
    ("sulfa allergy - denied", {"sulfonamide"}),
    ("Allergic to penicillin? No.", {"benzylpenicillin"}),
    ("no peanut or egg allergy", {"peanut", "egg"}),
    ("Penicillin allergy ruled out.", {"benzylpenicillin"}),
    # Chinese: 无 / 否认 / 没有 / 未发现 X 过敏(史), 对 X 不过敏, X 过敏史：无
    ("无青霉素过敏。", {"benzylpenicillin"}),
    ("否认青霉素过敏史。", {"benzylpenicillin"}),
    ("没有磺胺类药物过敏", {"sulfonamide"}),
    ("未发现阿莫西林过敏", {"amoxicillin"}),
    ("否认青霉素、头孢类过敏史", {"benzylpenicillin", "cephalosporin"}),
    ("对青霉素不过敏", {"benzylpenicillin"}),
    ("青霉素过敏史：无", {"benzylpenicillin"}),
    ("青霉素过敏已排除", {"benzylpenicillin"}),
])
def test_a_denied_substance_is_a_denial_not_an_allergy_nor_none_known(text, denied):
    facts = extract_allergies(text)
    assert {d.canonical for d in facts.denied} == denied
    assert facts.allergies == []
    assert not facts.none_known


@pytest.mark.parametrize(("text", "canonical"), [
    ("?sulfa allergy", "sulfonamide"),
    ("? penicillin allergy", "benzylpenicillin"),
    ("query penicillin allergy", "benzylpenicillin"),
    ("possible allergy to amoxicillin", "amoxicillin"),
    ("suspected sulfa allergy", "sulfonamide"),
    ("Penicillin allergy (unconfirmed)", "benzylpenicillin"),
    ("对头孢类过敏待排", "cephalosporin"),
    ("可疑青霉素过敏", "benzylpenicillin"),
    ("青霉素过敏史不详", "benzylpenicillin"),
    ("不排除青霉素过敏", "benzylpenicillin"),
    ("unable to rule out penicillin allergy", "benzylpenicillin"),
    ("Allergies: ?penicillin, sulfa (rash)", "benzylpenicillin"),
])
def test_a_hedged_allergy_stays_an_allergy_marked_uncertain(text, canonical):
    facts = extract_allergies(text)
    allergy = next(a for a in facts.allergies if a.canonical == canonical)
    assert allergy.uncertain
    assert not facts.denied and not facts.none_known
    assert allergy.render() == allergy.written[:1].upper() + allergy.written[1:]   # said as written


@pytest.mark.parametrize(("text", "canonical", "reaction"), [
    ("Allergic to penicillin (rash).", "benzylpenicillin", "rash"),
    ("sulfa -> SJS", "sulfonamide", "SJS"),
    ("青霉素过敏（皮疹）", "benzylpenicillin", "皮疹"),
    ("PCN allergy", "benzylpenicillin", ""),
    # a list whose words are not all substances is no denial: the allergy stays
    ("No fever, penicillin allergy.", "benzylpenicillin", ""),
    ("无高血压糖尿病史青霉素过敏", "benzylpenicillin", ""),
])
def test_true_allergies_are_unchanged(text, canonical, reaction):
    facts = extract_allergies(text)
    [allergy] = facts.allergies
    assert (allergy.canonical, allergy.reaction, allergy.uncertain) == (canonical, reaction, False)
    assert not facts.denied


@pytest.mark.parametrize("text", ["NKDA", "过敏史：无", "否认药物过敏史", "No known allergies.", "not allergic to anything",
                                  "Allergies: none"])
def test_a_general_denial_is_no_known_allergies(text):
    facts = extract_allergies(text)
    assert facts.none_known and not facts.allergies and not facts.denied


def test_a_general_denial_beside_a_named_one_is_said_once():
    assert _allergy_lines(summarize_note("咳嗽2天。否认青霉素及其他药物过敏。")) == ["否认青霉素及其他药物过敏"]


def test_a_denial_beside_an_allergy_and_a_general_denial_beside_a_named_one():
    facts = extract_allergies("Allergies: sulfa (rash), no penicillin allergy")
    assert [(a.canonical, a.reaction) for a in facts.allergies] == [("sulfonamide", "rash")]
    assert [d.canonical for d in facts.denied] == ["benzylpenicillin"]
    facts = extract_allergies("否认青霉素及其他药物过敏")
    assert [d.canonical for d in facts.denied] == ["benzylpenicillin"] and facts.none_known


def test_items_joined_by_or_keep_their_own_names():
    assert [a.substance for a in extract_allergies("allergic to penicillin or sulfa").allergies] == \
        ["penicillin", "sulfa"]


# ------------------------------------------------------------------ summaries and letters


def _allergy_lines(summary) -> list[str]:
    return [line.text for line in summary.sections.get("allergies", [])]


@pytest.mark.parametrize(("note", "line"), [
    ("Cough 2 days, T 38.5. No penicillin allergy. Plan: amoxicillin 250 mg tds for 5 days.", "No penicillin allergy"),
    ("Cough 3 days. Denies allergy to sulfa. Review in 2 days.", "Denies allergy to sulfa"),
    ("咳嗽3天，发热。否认青霉素过敏史。予阿莫西林口服。", "否认青霉素过敏史"),
    ("腹泻2天。对头孢类过敏待排。", "对头孢类过敏待排"),
    ("Cough. ?penicillin allergy. Plan: azithromycin 500 mg od.", "?penicillin allergy"),
])
def test_summary_and_letter_say_the_statement_as_written(note, line):
    for summary in (summarize_note(note), referral_letter(note)):
        assert _allergy_lines(summary) == [line]
    assert "amoxicillin" not in " ".join(_allergy_lines(summarize_note(note))).lower()


def test_a_denied_drug_is_no_medication_and_no_line_of_the_subjective():
    s = summarize_note("Cough 2 days. Not allergic to penicillin. Plan: paracetamol 500 mg qds.")
    meds = " ".join(line.text for line in s.sections.get("medications", [])).lower()
    assert "penicillin" not in meds and "paracetamol" in meds
    subjective = " ".join(line.text for line in s.sections.get("subjective", [])).lower()
    assert "allergic" not in subjective


def test_a_chart_allergy_wins_over_the_notes_denials():
    chart = chart_from_request({"allergies": ["penicillin (rash)"]})
    for note in ("Cough. NKDA.", "Cough. No penicillin allergy."):
        lines = _allergy_lines(summarize_note(note, chart=chart))
        assert lines == ["penicillin (rash)"], note
    # a chart allergy to another drug: the note's denial of penicillin is still said
    lines = _allergy_lines(summarize_note("Cough. No penicillin allergy.",
                                          chart=chart_from_request({"allergies": ["sulfa (SJS)"]})))
    assert lines == ["sulfa (SJS)", "No penicillin allergy"]


def test_a_denial_typed_in_the_charts_allergy_list_is_a_denial():
    s = summarize_note("咳嗽2天。", chart=chart_from_request({"allergies": ["无青霉素过敏"]}))
    assert _allergy_lines(s) == ["无青霉素过敏"]


def test_history_keeps_an_earlier_allergy_over_a_later_denial():
    s = summarize_history([{"date": "2026-01-03", "text": "Rash after amoxicillin: allergic to amoxicillin (rash)."},
                           {"date": "2026-03-10", "text": "Cough. No amoxicillin allergy. No sulfa allergy."}])
    lines = _allergy_lines(s)
    assert lines[0].lower().startswith("amoxicillin") and "No sulfa allergy" in lines
    assert not any("amoxicillin allergy" in line.lower() for line in lines)


def test_the_summary_scorer_counts_a_denial_turned_round():
    assert "allergy:denied-but-recorded" in invented_facts("No penicillin allergy.", ["Allergic to penicillin."])
    assert "allergy:benzylpenicillin" in invented_facts("Penicillin allergy.", ["No penicillin allergy."])
    assert "allergy:one-denial-said-as-none-known" in invented_facts("No known drug allergies.",
                                                                      ["Denies allergy to sulfa."])
    assert invented_facts("No allergy to penicillin.", ["否认青霉素过敏。 penicillin"]) == []


# ------------------------------------------------------------------ the meaning check


@pytest.mark.parametrize(("source", "candidate"), [
    ("无青霉素过敏。", "否认青霉素过敏。"),
    ("否认青霉素过敏史。", "无青霉素过敏史。"),
    ("No penicillin allergy.", "No allergy to penicillin."),
    ("No penicillin allergy.", "Not allergic to penicillin."),
    ("Denies allergy to sulfa.", "No sulfa allergy."),
    ("?Penicillin allergy.", "Possible penicillin allergy."),
    ("NKDA.", "No known drug allergies."),
])
def test_a_faithful_rewording_of_an_allergy_statement_is_kept(source, candidate):
    assert judge({"source": source, "candidate": candidate}) == []


@pytest.mark.parametrize(("source", "candidate"), [
    ("无青霉素过敏。", "青霉素过敏。"),                           # a denial made an allergy
    ("No penicillin allergy.", "Penicillin allergy."),
    ("Allergic to penicillin.", "Not allergic to penicillin."),   # an allergy made a denial
    ("青霉素过敏。", "否认青霉素过敏。"),
    ("Denies allergy to sulfa.", "No known drug allergies."),     # one denial made none known
    ("No penicillin allergy.", "No sulfa allergy."),              # another substance denied
    ("No penicillin allergy. Cough 3 days.", "Cough for 3 days."),  # the denial left out
    ("?Penicillin allergy.", "Penicillin allergy."),              # a hedge made certain
    ("Penicillin allergy.", "Possible penicillin allergy."),
    ("对头孢类过敏待排。", "头孢类过敏。"),
])
def test_a_rewording_that_turns_an_allergy_statement_round_is_dropped(source, candidate):
    assert judge({"source": source, "candidate": candidate})


def test_claims_carry_the_denial():
    c = claims_of("无青霉素过敏")
    assert c.denied_allergies == {"benzylpenicillin"} and not c.allergies and not c.no_allergies
    assert "benzylpenicillin" not in c.drugs


# ------------------------------------------------------------------ prescribing


@pytest.fixture(scope="module")
def real():
    formulary = read_formulary()
    return formulary, build_index(formulary)


def _allergy_alerts(real, chart: list[str], drug: str) -> set[tuple[str, str]]:
    formulary, index = real
    patient = {"age_years": 30, "weight_kg": 60, "sex": "female", "pregnant": False, "breastfeeding": False,
               "allergies": chart, "egfr": 90, "current_medications": []}
    order = {"drug": drug, "dose": 500, "unit": "mg", "route": "oral", "times_per_day": 3, "days": 5}
    out = check_request({"id": "t", "patient": patient, "orders": [order]}, formulary=formulary, index=index)
    return {(a["kind"], a["severity"]) for a in out["alerts"] if a["kind"] in ("allergy", "cross_reactivity")}


@pytest.mark.parametrize("chart", ["no penicillin allergy", "无青霉素过敏", "not allergic to penicillin",
                                   "penicillin allergy: no", "否认青霉素过敏史", "NKDA", "过敏史：无"])
def test_a_denied_chart_allergy_raises_no_allergy_alert(real, chart):
    assert _allergy_alerts(real, [chart], "amoxicillin") == set()


@pytest.mark.parametrize("chart", ["penicillin (rash)", "青霉素过敏", "?penicillin allergy", "query penicillin allergy",
                                   "no sulfa allergy; penicillin (hives)"])
def test_a_chart_allergy_hedged_or_beside_a_denial_still_stops_the_order(real, chart):
    assert ("allergy", "stop") in _allergy_alerts(real, [chart], "amoxicillin")


def test_the_allergy_beside_a_denial_is_the_one_checked(real):
    chart = ["no penicillin allergy; sulfa (rash)"]
    assert _allergy_alerts(real, chart, "amoxicillin") == set()
    assert ("allergy", "stop") in _allergy_alerts(real, chart, "cotrimoxazole")
