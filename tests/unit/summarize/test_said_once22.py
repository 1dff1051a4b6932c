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


def test_a_history_problem_list_names_problems_not_drug_decisions():
    # (issue 13: problem lists that include non-diagnoses; the stop goes to the timeline, dated)
    notes = [{"date": "2023-04-11", "text": "诊断：慢性心力衰竭，心房颤动。予地高辛 0.125mg qd，呋塞米 20mg qd。"},
             {"date": "2023-06-20", "text": "恶心、视物发黄。考虑地高辛中毒，停用地高辛。"}]
    text = summarize("history", {"notes": notes}).text
    problems = next(ln for ln in text.splitlines() if ln.startswith("诊断："))
    assert "考虑地高辛中毒" in problems and "停用地高辛" not in problems
    assert "停用地高辛" in text or "地高辛 0.125 mg qd（2023-06-20）" in text
    # a decision the lists do not show stays where it is written
    notes = [{"date": "2026-01-05", "text": "Dx: pulmonary TB. Start RHZE 4 tabs od."},
             {"date": "2026-02-09", "text": "Imp: DILI resolved. Pyrazinamide NOT restarted (likely culprit)."}]
    assert "Pyrazinamide NOT restarted" in summarize("history", {"notes": notes}).text


def test_a_finding_line_does_not_repeat_the_follow_up_line():
    note = ("高血压复诊。在家自测150-160/90左右，无头晕头痛。\n今测血压 158/94mmHg，心率76次/分。\n"
            "原硝苯地平缓释片 20mg qd 继续，加 氢氯噻嗪 12.5mg qd。\n低盐饮食，两周后复查血压。")
    text = summarize("note", {"note": note}).text
    assert text.count("两周后复查血压") == 1 and "低盐饮食" in text
