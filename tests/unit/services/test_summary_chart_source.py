"""The chart's allergies and current medications reach a summary as typed values, even
when the note does not repeat them; they show with their source (a rendering of the
typed facts, its own document), so verification of model sentences still finds their
numbers, and nothing is written into the note."""

from __future__ import annotations

import pytest

from lantern.clinical.language.chart import chart_from_records, chart_from_request
from lantern.domain.errors import ValidationError
from lantern.domain.records import Allergy
from lantern.services.summaries import SummaryService, request_parts

ALLERGIES = [{"substance": "Sulfonamides", "reaction": "rash"},
             {"substance": "Penicillin", "reaction": "hives"}]
MEDS = [{"name": "Ferrous sulfate", "dose": "200 mg", "route": "oral", "frequency": "once daily"},
        {"name": "Chloroquine", "dose": "150 mg", "stopped": "2026-01-02"}]


def test_chart_facts_are_typed_and_leave_out_stopped_medications_and_blanks():
    chart = chart_from_records(allergies=ALLERGIES + [{"substance": " "}], medications=MEDS + [{"name": ""}])
    assert [a.substance for a in chart.allergies] == ["Sulfonamides", "Penicillin"]
    assert [(m.name, m.dose) for m in chart.medications] == [("Ferrous sulfate", "200 mg")]
    assert chart_from_records(allergies=[Allergy(id="a1", patient_id="p", substance="Aspirin")]).allergies[0].id == "a1"


def test_the_request_keeps_the_note_untouched():
    note = "主诉：发热、咳嗽3天。\n处理：明日复查。"
    out, chart = request_parts({"note": note, "chart_allergies": ALLERGIES})
    assert out == {"note": note}
    assert chart is not None and len(chart.allergies) == 2


def test_a_note_summary_shows_chart_allergies_and_medications_with_their_source():
    svc = SummaryService()
    note = "Fever and cough for 3 days. Allergic to penicillin. Plan: review in 2 days."
    summary = svc.summarize("note", {"note": note, "chart_allergies": ALLERGIES, "chart_medications": MEDS},
                            use_llm=False)
    allergies = [line.text for line in summary.sections["allergies"]]
    meds = " ".join(line.text for line in summary.sections["medications"])
    assert allergies.count("Sulfonamides (rash)") == 1 and sum("enicillin" in a for a in allergies) == 1
    assert "Ferrous sulfate" in meds and "200 mg" in meds
    assert "Chloroquine" not in summary.text
    assert summary.docs[0] == note and len(summary.docs) == 2
    chart_line = next(ln for ln in summary.sections["allergies"] if ln.text.startswith("Sulfonamides"))
    [span] = chart_line.sources
    assert span.doc == 1 and summary.docs[1][span.start:span.end] == "Sulfonamides (rash)"


def test_a_history_shows_chart_allergies_no_visit_names():
    svc = SummaryService()
    summary = svc.summarize("history", {
        "notes": [{"date": "2026-01-02", "text": "BP 150/95. Start amlodipine 5 mg OD."},
                  {"date": "2026-02-02", "text": "BP 140/90. Allergic to penicillin."}],
        "chart_allergies": ALLERGIES, "chart_medications": MEDS}, use_llm=False)
    allergies = " ".join(line.text for line in summary.sections["allergies"])
    assert "Sulfonamides" in allergies and "enicillin" in allergies
    assert allergies.lower().count("penicillin") == 1
    assert "Ferrous sulfate" in summary.text


def test_cli_chart_texts_are_validated():
    assert [a.substance for a in chart_from_request({"allergies": ["Penicillin (anaphylaxis)"]}).allergies] == [
        "Penicillin (anaphylaxis)"]
    for bad in ({"allergies": "penicillin"}, {"drugs": []}, ["x"]):
        with pytest.raises(ValidationError):
            chart_from_request(bad)


def test_chart_allergies_always_appear_in_a_referral_letter():
    svc = SummaryService()
    letter = svc.summarize("referral", {"note": "Child 3y, cough and fast breathing. Plan amoxicillin. Refer.",
                                        "chart": {"allergies": ["Penicillin (anaphylaxis)"]}}, use_llm=False)
    assert "Penicillin (anaphylaxis)" in letter.section_text("allergies")


def test_the_charts_reaction_joins_an_allergy_the_note_names_without_one():
    summary = SummaryService().summarize("note", {"note": "Cough 2 days. Penicillin allergy noted.",
                                                  "chart_allergies": [{"substance": "Penicillin",
                                                                       "reaction": "hives"}]})
    assert summary.section_text("allergies") == "Penicillin (hives)"
    [line] = summary.sections["allergies"]
    assert {sp.doc for sp in line.sources} == {0, 1}        # the note's words and the chart's
