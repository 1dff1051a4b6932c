"""Issue 13 (concise summaries): a fact is said once. A prescription a history, examination,
assessment or plan line of a note summary shows word for word is not listed again under
Medications; a stopped drug and a chart medication keep their lines."""

from __future__ import annotations

from lantern.clinical.summarize import summarize


def _line(text: str, heading: str) -> str:
    return next((ln for ln in text.splitlines() if ln.startswith(heading)), "")


def test_a_prescription_the_plan_quotes_is_not_listed_again():
    note = ("45M fever 2/7. mRDT +ve. Dx: uncomplicated malaria. "
            "Tx: Coartem 4 tabs BD 3 days (1st dose given in clinic 11:40). NKDA.")
    text = summarize("note", {"note": note}).text
    assert "Coartem 4 tabs BD 3 days (1st dose given in clinic 11:40)" in text
    assert text.count("Coartem") == 1
    assert _line(text, "Medications:") == ""
    assert _line(text, "Allergies:") == "Allergies: NKDA"


def test_a_prescription_said_only_in_part_keeps_its_line():
    # the plan keeps the maximum; the medication line says the prescription
    note = "23F sore throat 3/7. Imp: tonsillitis. Rx amox 500mg tds x5/7, PCM 1g PRN max 4g/24h. NKDA."
    text = summarize("note", {"note": note}).text
    assert "amox 500mg tds x5/7" in _line(text, "Medications:")


def test_a_stopped_drug_and_a_chart_medication_keep_their_lines():
    note = "Epigastric pain 3 months. Takes diclofenac 50mg tds - advised to stop. Imp: gastritis."
    text = summarize("note", {"note": note, "chart": {"medications": ["metformin 500mg bd"],
                                                      "allergies": ["Penicillin - rash"]}}).text
    meds = _line(text, "Medications:")
    assert "diclofenac" in meds and "stopped" in meds
    assert "metformin 500mg bd" in meds
    assert "Penicillin" in _line(text, "Allergies:")
