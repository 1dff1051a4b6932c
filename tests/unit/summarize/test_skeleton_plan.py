"""Plan lines that mention a follow-up or a drug still keep everything else they say."""

from __future__ import annotations

from lantern.clinical.summarize.skeleton import build_note_summary


def test_plan_item_next_to_a_follow_up_is_not_lost():
    note = ("Fever and cough for 3 days.\n"
            "Plan: RDT for malaria, chest review tomorrow, oral fluids.")
    text = build_note_summary(note).text
    assert "RDT for malaria" in text
    assert "review tomorrow" in text


def test_plan_line_fully_said_by_medication_and_follow_up_is_not_repeated():
    note = "Cough.\nPlan: amoxicillin 500mg TDS x5d. Review in 3 days."
    summary = build_note_summary(note)
    plan = [line.text for line in summary.sections["plan"]]
    assert not any("amoxicillin" in t for t in plan)
    assert "amoxicillin 500mg TDS x5d" in summary.text and "Review in 3 days" in summary.text
