"""Facts of the visit a summary or a letter must not lose (issue 13, session 20): birth and
household history under their own headings, a note's results and what was given today when the
note has no examination heading, a number with a thousands separator, the lines after a one-line
allergy field, a trauma survey's findings, and a repeated reading with its time (the latest is
the one the receiver acts on)."""

from __future__ import annotations

from lantern.clinical.language import sections as S
from lantern.clinical.language.results import extract_vitals
from lantern.clinical.summarize import summarize

# a long note (the history is cut to its first lines): its background must survive the cut
_PRESENTING = " ".join(f"Symptom line {i} noted by mother, no change overnight." for i in range(1, 12))
INFANT = ("HPI: 10 mo girl with fever and cough x3 days. " + _PRESENTING + "\n"
          "Birth hx: born at 35 wks by C/S, BW 2.1 kg, no NICU stay.\n"
          "Household: grandfather (same house) on TB treatment since 1 month.\n"
          "O/E: T 38.6, RR 50/min. Crackles L base. No chest indrawing.\n"
          "Imp: pneumonia.\nPlan: amoxicillin 250 mg bd x 5 days. Review 3 days.")


def test_birth_and_household_history_kept_in_a_long_note():
    text = summarize("note", {"note": INFANT, "age_years": 0.8}).text
    assert "BW 2.1 kg" in text and "35 wks" in text
    assert "grandfather" in text


def test_birth_and_household_headings_are_background():
    bodies = [INFANT[sec.start:sec.end] for sec in S.background_sections(INFANT)]
    assert any("BW 2.1 kg" in b for b in bodies)
    assert any("grandfather" in b for b in bodies)


ANC = ("ANC visit 2\nG2P1, GA 24 wks.\nComplaints: back pain, poor sleep, mild heartburn.\nNo bleeding. "
       "No leaking. No headache. FM present. Appetite fair. Walks to clinic daily.\n"
       "BP 110/68. Wt 58 kg.\nRDT malaria neg. HIV neg (retest done today).\nTT: TT1 last visit, TT2 today.\n"
       "IPTp: IPTp-SP dose 1 given today.\nImp: IUP 24 wks.\nPlan: ferrous sulphate 200 mg od. Next visit 4 wks.")


def test_results_and_doses_given_today_kept_in_a_note_without_an_exam_heading():
    text = summarize("note", {"note": ANC, "sex": "female", "pregnant": True}).text
    assert "HIV neg" in text
    assert "TT2 today" in text
    assert "IPTp-SP dose 1" in text


def test_a_thousands_separator_is_no_clause_break():
    note = ("S: known HIV, on TLD. Cough 2 wks.\nO: thin, Wt 50 kg. Last CD4 210 (May), VL 12,300 copies/mL - "
            "not suppressed. Oral thrush.\nA: presumptive TB.\nP: sputum GeneXpert. Review 1 wk.")
    text = summarize("note", {"note": note}).text
    assert "12,300 copies/mL" in text
    assert ", 300 copies" not in text and " 300 copies" not in text.replace("12,300", "")


LETTER = ("REFERRAL - EMERGENCY\n27M fell from a roof ~08:00, LOC ~2 min. Vomited x2.\n"
          "Primary survey: A - patent, C-collar applied. B - RR 22, SpO2 96%. C - HR 70, BP 150/90. "
          "D - GCS 14 at 08:40 -> GCS 11 at 09:10. Pupils: R 5 mm sluggish, L 3 mm reactive.\n"
          "Imp: head injury, deteriorating GCS.\nGiven: O2, head up 30 deg.\n"
          "Allergies: none known.\nDeparted 09:25 with nurse. Please CT head.")


def test_letter_gives_a_repeated_reading_with_its_time():
    s = summarize("referral", {"note": LETTER, "age_years": 27, "sex": "male"})
    findings = " ".join(ln.text for ln in s.sections["findings"])
    assert "GCS 11" in findings and "09:10" in findings


def test_letter_keeps_a_trauma_survey_and_the_lines_after_an_allergy_line():
    s = summarize("referral", {"note": LETTER, "age_years": 27, "sex": "male"})
    assert "C-collar" in s.text and "R 5 mm" in s.text
    assert "Departed 09:25" in s.text


def test_a_reading_after_an_arrow_is_read():
    readings = extract_vitals("GCS 14 at 08:40 -> GCS 11 at 09:10")
    assert [r.value for r in readings if r.name == "gcs"] == ["14", "11"]
    # a comparison is still a threshold, not a reading
    assert not [r for r in extract_vitals("treat if BP > 160/110") if r.name == "bp"]


NEWBORN = ("NEONATAL REFERRAL - health centre to district NICU\nBaby boy of Mrs K., mother 22 yrs, G2P2.\n"
           "Born 03:10 today by SVD at the health centre.\nGestation: ~32 weeks by LMP. No antenatal steroids given.\n"
           "Membranes ruptured ~20 hours before delivery.\nAt birth: not crying -> bag and mask for 60 seconds. "
           "Apgar 5 at 1 min, 8 at 5 min.\nBirth weight 1.45 kg.\nSince birth: RR 70, grunting. SpO2 88% in room air.\n"
           "Given: Vitamin K 1 mg IM at 03:30.\nReason for referral: preterm with respiratory distress.")


def test_newborn_letter_keeps_the_birth_data():
    s = summarize("referral", {"note": NEWBORN, "age_years": 0.0, "sex": "male"})
    for fact in ("~32 weeks", "Birth weight 1.45 kg", "Apgar 5 at 1 min", "No antenatal steroids given",
                 "Membranes ruptured ~20 hours", "bag and mask for 60 seconds"):
        assert fact in s.text, fact
