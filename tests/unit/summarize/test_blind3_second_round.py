"""Second fix round on issue #5 (blind set 3): general rules, tested with wordings of our own."""

from __future__ import annotations

from lantern.clinical.language.drugs import find_drugs
from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.danger import stated_level
from lantern.clinical.summarize.referral import parse_age


def _sec(kind: str, item: dict) -> dict[str, list[str]]:
    return {k: [ln.text for ln in v] for k, v in summarize(kind, item).sections.items()}


# 1. The clinician's stated urgency is shown; a disagreement with the danger signs shows both.
def test_stated_routine_level_is_read_and_near_misses_are_not():
    assert stated_level("Stable. Routine referral to the eye clinic for cataract review.").level == "routine"
    assert stated_level("Not urgent, kindly book at the next ENT clinic.").level == "routine"
    assert stated_level("建议择期手术，转外科门诊。").level == "routine"
    assert stated_level("Refer urgently to the surgical ward.").level == "urgent"
    assert stated_level("No urgent signs today. Review in clinic.") is None
    assert stated_level("Routine bloods taken. Refer to medical OPD.") is None


def test_disagreement_between_danger_signs_and_clinician_shows_both():
    sec = _sec("referral", {"note": "Adult, SpO2 84% on air, confused. Non-urgent: please review in medical "
                                    "clinic next month.", "patient": {"age": "40"}})
    head = sec["triage"][0]
    assert "EMERGENCY" in head and "ROUTINE" in head
    assert any(t.startswith("Referring clinician:") and "Non-urgent" in t for t in sec["triage"])


def test_agreement_keeps_the_plain_level_and_cites_the_clinician():
    sec = _sec("referral", {"note": "Knee pain 2 years, mild OA. Routine referral to orthopaedic clinic "
                                    "for assessment."})
    assert sec["triage"][0] == "Triage level: ROUTINE"
    assert any("Routine referral" in t for t in sec["triage"])


def test_age_with_units_is_read():
    assert parse_age("7 months") == 7 / 12
    assert parse_age("2 yr") == 2 and parse_age(35) == 35 and parse_age("3周") == 3 / 52
    assert parse_age("unknown") is None
    # An infant's RR 52 is fast breathing (urgent), not the adult RR >= 30 emergency.
    sec = _sec("referral", {"note": "Cough, RR 52. Please see for review.", "patient": {"age": "8 months"}})
    assert sec["triage"][0] != "Triage level: EMERGENCY"


# 2. Routes come from the drug's own clause; oxygen's route is its delivery device.
def test_oxygen_route_is_the_device_never_a_drug_route():
    sec = _sec("referral", {"note": "Hypoxic. Oxygen by face mask 6 L/min started 14:00. "
                                    "Please admit for oxygen and IV fluids."})
    meds = " ".join(sec["treatment_given"] + sec["medications"])
    assert "face mask" in meds and " IV" not in meds


def test_route_of_the_next_item_in_the_clause_is_not_taken():
    sec = _sec("note", {"note": "Dx: gastroenteritis. Plan: ORS and IV fluids if not drinking."})
    assert not any("ORS" in m and "IV" in m for m in sec["medications"])
    from lantern.clinical.summarize.skeleton import medication_lines, parse_note

    # (the plan line quotes this prescription word for word, so the summary lists it there only)
    meds = medication_lines(parse_note("Dx: cellulitis. Plan: ceftriaxone 1 g IV OD and review.").medications, "en")
    assert any("ceftriaxone" in m.text and "IV" in m.text for m in meds)


# 3. TB regimens: bare "HR" is a regimen only as one; the continuation phase ends the intensive one.
def test_bare_hr_is_a_regimen_only_with_tablets_or_a_phase_word():
    assert [c for c, _, _ in find_drugs("TB: continuation phase HR 2 tabs daily")] == ["rh"]
    assert [c for c, _, _ in find_drugs("肺结核，HR 2片 qd")] == ["rh"]
    assert find_drugs("TB on treatment. HR 96, RR 20.") == []
    assert find_drugs("PTB follow-up, HR 88 bpm") == []


def test_intensive_phase_is_not_current_after_continuation_starts():
    notes = [{"date": "2024-02-01", "text": "Dx: pulmonary TB. Start RHZE 4 tabs daily (intensive phase)."},
             {"date": "2024-04-02", "text": "Intensive phase done. Now continuation phase RH 4 tabs daily x 4 months."},
             {"date": "2024-06-01", "text": "Well. HR 76. Continue."}]
    sec = _sec("history", {"notes": notes})
    assert any(m.startswith("RH ") for m in sec["current_medications"])
    assert not any("RHZE" in m for m in sec["current_medications"])
    assert any("RHZE" in m for m in sec["stopped_medications"])


# 4. Antimalarial abbreviations are medications; the same letters elsewhere are not.
def test_antimalarial_abbreviations():
    assert [c for c, _, _ in find_drugs("mRDT positive. AL 4 tablets twice daily for 3 days.")] == \
        ["artemether-lumefantrine"]
    assert [c for c, _, _ in find_drugs("Pf on smear; DHA/PPQ 3 tabs daily")] == ["dihydroartemisinin-piperaquine"]
    assert [c for c, _, _ in find_drugs("severe malaria: IM AS 60 mg stat")] == ["artesunate"]
    assert find_drugs("Murmur: moderate AS on echo.") == []
    assert find_drugs("Asthma: ACT 20/25, well controlled.") == []
    assert find_drugs("Smear negative. AS discussed with mother.") == []
    sec = _sec("note", {"note": "Fever. RDT positive for falciparum. Dx: malaria. AL 4 tabs BD x 3/7."})
    assert any(m.startswith("AL 4 tab") for m in sec["medications"])


# 7. The note's own microgram spelling is kept ("mcg" stays "mcg", "μg" stays "μg").
def test_microgram_spelling_is_the_notes_own():
    sec = _sec("note", {"note": "Dx: asthma. Beclometasone 100μg BD, salbutamol 200 mcg PRN."})
    meds = " ".join(sec["medications"])
    assert "100μg" in meds and "200 mcg" in meds
