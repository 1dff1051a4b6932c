"""The chart's allergies and current medications reach a summary even when the
note does not repeat them; the numbers they bring are in the source, so the
verification of model sentences still holds."""

from __future__ import annotations

from lantern.services.summaries import SummaryService, chart_lines, source_payload

ALLERGIES = [{"substance": "Sulfonamides", "reaction": "rash"},
             {"substance": "Penicillin", "reaction": "hives"}]
MEDS = [{"name": "Ferrous sulfate", "dose": "200 mg", "route": "oral", "frequency": "once daily"},
        {"name": "Chloroquine", "dose": "150 mg", "stopped": "2026-01-02"}]


def test_chart_lines_skip_what_the_note_names_and_stopped_medications():
    lines = chart_lines(ALLERGIES, MEDS, note="Allergic to penicillin. Cough 3 days.")
    assert lines == ["Allergies (chart): Sulfonamides (rash)",
                     "Medications (chart): Ferrous sulfate 200 mg oral once daily"]
    assert chart_lines([], [], note="x") == []
    assert chart_lines([{"substance": ""}], [{"name": "  "}]) == []


def test_source_payload_appends_after_the_note_and_keeps_its_language():
    note = "主诉：发热、咳嗽3天。\n处理：明日复查。"
    out = source_payload({"note": note, "chart_allergies": ALLERGIES})
    assert out["note"].startswith(note)          # spans into the note keep their offsets
    assert "Allergies (chart): Sulfonamides (rash), Penicillin (hives)" in out["note"]
    assert out["lang"] == "zh" and "chart_allergies" not in out


def test_a_note_summary_shows_chart_allergies_and_medications():
    svc = SummaryService()
    summary = svc.summarize("note", {"note": "Fever and cough for 3 days. Plan: review in 2 days.",
                                     "chart_allergies": ALLERGIES, "chart_medications": MEDS},
                            use_llm=False)
    allergies = " ".join(line.text for line in summary.sections["allergies"])
    meds = " ".join(line.text for line in summary.sections["medications"])
    assert "Sulfonamides" in allergies and "Penicillin" in allergies
    assert "Ferrous sulfate" in meds and "200 mg" in meds
    assert "Chloroquine" not in summary.text


def test_a_history_shows_chart_allergies_no_visit_names():
    svc = SummaryService()
    summary = svc.summarize("history", {
        "notes": [{"date": "2026-01-02", "text": "BP 150/95. Start amlodipine 5 mg OD."},
                  {"date": "2026-02-02", "text": "BP 140/90. Allergic to penicillin."}],
        "chart_allergies": ALLERGIES}, use_llm=False)
    allergies = " ".join(line.text for line in summary.sections["allergies"])
    assert "Sulfonamides" in allergies and "enicillin" in allergies
    assert allergies.lower().count("penicillin") == 1
