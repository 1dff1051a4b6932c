"""Summaries and referral letters built (without the model) from the lists of a real
vault whose rows were damaged with sqlite3: the allergy and medication lines say
"record damaged: cannot be read", in English and Chinese; never "None recorded",
and "No known allergies" only when the note says so and no allergy record is damaged."""

from __future__ import annotations

import pytest
from tests.unit.vault_edits import flip_byte

from lantern.domain.records import UnreadableRecord, Vitals
from lantern.services.summaries import SummaryService

EN_NOTE = "3 yo with cough and fever for 3 days. NKDA. Plan: amoxicillin 250 mg TDS, review in 2 days. Refer."
ZH_NOTE = "主诉：咳嗽发热3天。否认药物过敏史。处理：阿莫西林250mg 每日三次，2天后复诊。建议转诊。"
DAMAGED = {"en": "⚠ record damaged: cannot be read", "zh": "⚠ 记录已损坏：无法读取"}


@pytest.fixture
def chart(session, vault_file):
    """A patient whose penicillin allergy and one medication were damaged in the file."""
    rec = session.records
    p = rec.add_patient(name="Amina Yusuf", sex="female", birth_year=2022)
    pen = rec.add_allergy(p.id, substance="Penicillin", reaction="anaphylaxis")
    rec.add_allergy(p.id, substance="Sulfonamides", reaction="rash")
    med = rec.add_medication(p.id, name="Ferrous sulfate", dose="200 mg")
    flip_byte(vault_file, "allergies", pen.id)
    flip_byte(vault_file, "medications", med.id)
    return {"chart_allergies": rec.list_allergies(p.id), "chart_medications": rec.list_medications(p.id)}


@pytest.mark.parametrize("kind", ["note", "referral", "handover"])
@pytest.mark.parametrize("lang, note", [("en", EN_NOTE), ("zh", ZH_NOTE)])
def test_the_allergy_and_medication_lines_say_record_damaged(chart, kind, lang, note):
    assert any(isinstance(a, UnreadableRecord) for a in chart["chart_allergies"])
    summary = SummaryService().summarize(kind, {"note": note, **chart}, use_llm=False)
    assert summary.lang == lang
    allergies = [ln.text for ln in summary.sections["allergies"]]
    assert allergies[0] == DAMAGED[lang] and summary.sections["allergies"][0].critical
    assert "Sulfonamides (rash)" in " ".join(allergies) or "Sulfonamides（rash）" in " ".join(allergies)
    assert "None recorded" not in summary.section_text("allergies") and "未记录" not in summary.section_text("allergies")
    # the note's "NKDA" / "否认药物过敏史" is not repeated over a damaged allergy record
    assert not any(t.startswith(("No known", "NKDA", "否认", "无已知")) for t in allergies)
    meds_key = "action_list" if kind == "handover" else "medications"
    assert DAMAGED[lang] in [ln.text for ln in summary.sections[meds_key]]
    assert "Penicillin" not in summary.text and "Ferrous" not in summary.text
    [span] = summary.sections["allergies"][0].sources            # its source: the chart's rendering
    assert summary.docs[span.doc][span.start:span.end] == DAMAGED[lang]


def test_the_damaged_line_survives_into_the_stored_payload(chart):
    service = SummaryService()
    summary = service.summarize("referral", {"note": EN_NOTE, **chart}, use_llm=False)
    stored = service.store_payload(summary)
    assert stored["sections"]["allergies"][0] == DAMAGED["en"]
    assert f"Allergies:\n- {DAMAGED['en']}" in stored["text"]


def test_no_known_allergies_only_when_the_note_says_so_and_nothing_is_damaged(session):
    rec = session.records
    p = rec.add_patient(name="Li Wei", sex="male", birth_year=1990)
    intact_empty = {"chart_allergies": rec.list_allergies(p.id)}
    assert intact_empty["chart_allergies"] == []
    service = SummaryService()
    said = service.summarize("note", {"note": EN_NOTE, **intact_empty}, use_llm=False)
    assert said.section_text("allergies") == "NKDA" or said.section_text("allergies").startswith("No known")
    silent = service.summarize("note", {"note": "Cough for 3 days. Review in 2 days.", **intact_empty},
                               use_llm=False)
    assert silent.section_text("allergies") == "None recorded."
    damaged = service.summarize("note", {"note": "Cough for 3 days. Review in 2 days.",
                                         "chart_allergies": [UnreadableRecord("allergies", "A1", p.id)]},
                                use_llm=False)
    assert damaged.section_text("allergies") == DAMAGED["en"]


def test_a_history_names_damaged_visit_notes_and_allergies(session, vault_file):
    rec = session.records
    p = rec.add_patient(name="Amina Yusuf", sex="female", birth_year=1980)
    allergy = rec.add_allergy(p.id, substance="Penicillin")
    notes = []
    for text in ("BP 150/95. Start amlodipine 5 mg OD.", "BP 140/90. Continue amlodipine.",
                 "MARKERNOTE BP 135/85."):
        enc = rec.new_encounter(p.id)
        rec.save_draft(enc.id, note=text, vitals=Vitals())
        notes.append(enc.id)
    flip_byte(vault_file, "encounters", notes[2])
    flip_byte(vault_file, "allergies", allergy.id)
    encounters = rec.list_encounters(p.id)
    readable = [e for e in encounters if not isinstance(e, UnreadableRecord)]
    payload = {"notes": [{"date": e.created_at.date().isoformat(), "text": e.note} for e in readable],
               "chart_allergies": rec.list_allergies(p.id),
               "chart_unreadable": [e for e in encounters if isinstance(e, UnreadableRecord)]}
    summary = SummaryService().summarize("history", payload, use_llm=False)
    assert DAMAGED["en"] in [ln.text for ln in summary.sections["visits"]]
    assert summary.section_text("allergies") == DAMAGED["en"]
    assert "MARKERNOTE" not in summary.text and "amlodipine" in summary.text.lower()
