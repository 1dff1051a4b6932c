"""What a referral letter says (issue 13 item 4): the patient's identification with the
sex in the letter's language, accepted diagnoses with ICD-10 from the knowledge base,
no invented request, and the CLI's ``accepted_diagnoses`` with a clear error for an
id the knowledge base does not know."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from lantern.cli import main
from lantern.cli.summarize_cmd import handle
from lantern.clinical.summarize import referral_letter, summarize
from lantern.clinical.summarize.patient_ident import age_text, patient_line, sex_label
from lantern.domain import ages
from lantern.domain.errors import ValidationError
from lantern.services.summaries import SummaryService

NOTE = ("3 yr old with cough and fast breathing 2 days, brought by her mother. "
        "O/E: RR 52, SpO2 88%, chest indrawing present. A: severe pneumonia. "
        "P: Gave amoxicillin 250 mg PO stat at 10:15.")
NOTE_ZH = "患儿2岁，母亲陪同，发热3天，咳嗽。查体：T 39.5℃，RR 52次/分，胸凹陷。诊断：重症肺炎。处理：阿莫西林250 mg 口服（10:15）。"


def _texts(summary, key):
    return [ln.text for ln in summary.sections[key]]


def test_english_letter_sections_in_order_with_every_part():
    s = summarize("referral", {"note": NOTE, "age_years": 3, "sex": "female",
                               "patient": {"name": "Child A", "id": "P-1", "birth_date": "2023-05-02"},
                               "vitals": {"heart_rate": 150}, "vitals_time": "2026-12-04 10:05",
                               "chart": {"allergies": ["penicillin (rash)"], "medications": ["zinc 10 mg OD"]},
                               "accepted_diagnoses": ["severe_pneumonia", "severe_pneumonia"]})
    assert list(s.sections) == ["patient", "reason", "triage", "findings", "diagnoses", "treatment_given",
                                "allergies", "medications", "request"]
    # the age from the birth date, in months under five (lantern.domain.ages)
    age = ages.age_text(birth_date=date(2023, 5, 2))
    assert age.endswith(" months")
    assert _texts(s, "patient") == [f"Name: Child A; Sex: Female; Age: {age}; DOB: 2023-05-02; ID: P-1; "
                                    "Caregiver: mother"]
    assert _texts(s, "diagnoses") == ["Severe pneumonia (ICD-10 J18.9)"]     # once, with ICD-10
    assert _texts(s, "triage")[0] == "Triage level: EMERGENCY"
    assert "Form vitals, visit of 2026-12-04 10:05" in _texts(s, "findings")
    assert _texts(s, "treatment_given") == ["amoxicillin 250 mg PO stat at 10:15"]  # (issue 13, session 17: a prescription one clause says in full is shown as written)
    assert _texts(s, "allergies") == ["penicillin (rash)"]
    assert _texts(s, "request") == ["Not stated in the note."]
    assert "Please assess and manage" not in s.text
    # every diagnosis line rests on the typed source that names it
    line = s.sections["diagnoses"][0]
    assert [s.docs[sp.doc][sp.start:sp.end] for sp in line.sources] == ["Severe pneumonia (ICD-10 J18.9)"]


def test_chinese_letter_sex_is_nan_or_nv_and_diagnoses_are_chinese():
    s = summarize("referral", {"note": NOTE_ZH, "patient": {"name": "李某", "sex": "male"},
                               "accepted_diagnoses": ["severe_pneumonia"]})
    assert _texts(s, "patient")[0].startswith("姓名：李某；性别：男")
    assert "male" not in s.text.lower()
    assert _texts(s, "diagnoses") == ["重症肺炎（ICD-10 J18.9）"]
    assert _texts(s, "request") == ["病历中未注明。"]
    female = referral_letter(NOTE_ZH, patient={"name": "王某", "sex": "female"})
    assert "性别：女" in female.text and "female" not in female.text.lower()


def test_the_request_is_kept_when_the_note_makes_one():
    s = referral_letter(NOTE + " Refer to district hospital for oxygen.")
    assert _texts(s, "request") == ["Refer to district hospital for oxygen."]


@pytest.mark.parametrize(("value", "lang", "shown"), [
    ("male", "zh", "男"), ("female", "zh", "女"), ("M", "zh", "男"), ("女", "en", "Female"),
    ("male", "en", "Male"), ("intersex", "zh", "intersex")])
def test_sex_labels(value, lang, shown):
    assert sex_label(value, lang) == shown


def test_age_and_identification_lines():
    assert age_text(34.6, "en") == "34 years" and age_text(34.6, "zh") == "34岁"
    assert age_text(0.5, "en") == "6 months" and age_text(0.5, "zh") == "6个月"
    assert age_text(10 / 365, "en") == "10 days"
    assert patient_line(None, "en") == ""
    assert patient_line(None, "zh", sex="male", age_years=40) == "性别：男；年龄：40岁"
    assert patient_line({"age": "7 months", "birth_year": 2026}, "en") == "Age: 7 months; Born: 2026"


def test_a_caregiver_is_only_read_from_a_childs_note():
    adult = referral_letter("45 yo man brought by his brother, chest pain 2 hours.", case=None)
    assert "Caregiver" not in adult.text
    child = summarize("referral", {"note": NOTE_ZH, "age_years": 2})
    assert "陪同/监护人：母亲" in child.text


def test_an_unknown_accepted_id_is_an_error_naming_it_and_known_ones_are_the_diagnoses():
    s = summarize("referral", {"note": NOTE, "accepted_diagnoses": ["severe_pneumonia"],
                               "added_diagnoses": ["Suspected foreign body"]})
    assert _texts(s, "diagnoses") == ["Severe pneumonia (ICD-10 J18.9)", "Suspected foreign body"]
    out = handle(SummaryService(), json.dumps({"id": "x", "note": NOTE, "accepted_diagnoses": ["no_such_thing"]}),
                 "referral")
    assert out["id"] == "x" and "no_such_thing" in out["error"]
    plain = handle(SummaryService(), json.dumps({"id": "y", "note": NOTE}), "referral")
    assert "error" not in plain and "warnings" not in plain


@pytest.mark.parametrize("bad", ["severe_pneumonia", [1, 2], {"id": "x"}])
def test_accepted_diagnoses_must_be_a_list_of_ids(bad):
    out = handle(SummaryService(), json.dumps({"note": NOTE, "accepted_diagnoses": bad}), "referral")
    assert "accepted_diagnoses must be a list" in out["error"]
    with pytest.raises(ValidationError):
        summarize("referral", {"note": NOTE, "accepted_diagnoses": bad})


def test_the_letters_triage_is_still_what_diagnose_returns_with_accepted_diagnoses(monkeypatch, capsys):
    case = {"id": "c1", "note": NOTE, "age_years": 3, "sex": "female", "vitals": {"resp_rate": 52}}

    def cli(args, item):
        monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(item)))
        assert main(args) == 0
        return json.loads(capsys.readouterr().out)

    diagnosed = cli(["diagnose", "--no-llm", "-"], case)
    letter = cli(["summarize", "--no-llm", "--kind", "referral", "-"], {**case, "accepted_diagnoses": ["pneumonia"]})
    assert letter["triage"] == diagnosed["triage"] == "emergency"
    assert letter["summary"]["sections"]["diagnoses"] == ["Pneumonia (ICD-10 J18.9)"]
