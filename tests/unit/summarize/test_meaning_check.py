"""Model wording that changes the meaning of the draft line is dropped, counted, and the
draft line stays (issue 13, point 3): checked through the language layer's facts."""

from __future__ import annotations

import re

from lantern.clinical.language.meaning import (
    meaning_of,
    missing_meaning,
    sides_of,
    unsupported_meaning,
)
from lantern.clinical.summarize import summarize_note
from lantern.clinical.summarize.verify import SourceIndex, check_sentence

NOTE = ("HPI: Chest pain for 2 hours radiating to the left arm, sweating. Known hypertension.\n"
        "O/E: BP 150/90, HR 104.\n"
        "Plan: aspirin 300 mg stat. Refer to the district hospital today.")


def _answers(subjective: str):
    def gen(prompt, *, max_tokens, stop=None, json_schema=None, on_text=None):
        section = re.findall(r"Facts \(([\w -]+)\):", prompt)[-1]
        return subjective if section == "Subjective" else ""
    return gen


def test_the_issue_rewording_is_dropped_and_the_draft_line_stays():
    bad = "Referred with known hypertension for 2 hours radiating to the left arm, sweating."
    summary = summarize_note(NOTE, generate=_answers(bad))
    subjective = [ln.text for ln in summary.sections["subjective"]]
    assert bad not in subjective
    assert any("Chest pain for 2 hours" in t for t in subjective)
    dropped = [d for d in summary.dropped if d.text == bad]
    assert dropped and any("Chest pain" in r for r in dropped[0].reasons)
    assert summary.verification()["dropped_sentences"] >= 1


def test_a_faithful_rewording_replaces_the_draft_line():
    good = "Chest pain for two hours radiating to the left arm, with sweating."
    summary = summarize_note(NOTE, generate=_answers(good))
    lines = summary.sections["subjective"]
    assert [ln.origin for ln in lines if ln.text == good] == ["llm"]
    assert not summary.dropped


def test_each_kind_of_change_has_its_reason():
    source = "Cough for 3 weeks, fever for 2 days, no vomiting. Amoxicillin 500 mg tds. Swollen left calf."
    index = SourceIndex.build([source])

    def reasons(candidate: str) -> str:
        return " ".join(check_sentence(candidate, index).reasons)

    assert "negation differs" in reasons("Vomiting with cough.")
    assert "duration attached to another finding" in reasons("Fever for 3 weeks.")
    assert "dose not given for this drug" in reasons("Amoxicillin 250 mg three times daily.")
    assert "side not in source" in reasons("Swollen right calf.")
    assert "finding not in source" in reasons("Cough with haemoptysis.")
    assert reasons("Three weeks of cough and two days of fever, no vomiting.") == ""


def test_the_draft_line_must_be_kept_whole():
    line = meaning_of("Headache, vomiting, blurred vision for 2 days.")
    assert "leaves out a finding" in " ".join(missing_meaning(line, meaning_of("Headache and blurred vision.")))
    assert missing_meaning(line, meaning_of("Blurred vision for 2 days, with headache and vomiting.")) == []


def test_units_and_counts_compare_as_values():
    source = meaning_of("阿莫西林 500mg 每日三次。Vomiting x2 today.")
    assert unsupported_meaning(meaning_of("阿莫西林 0.5g 每日三次。"), source) == []
    assert missing_meaning(meaning_of("Vomiting x2 today."), meaning_of("Vomited twice today.")) == []


def test_sides_attach_to_their_body_part():
    assert sides_of("BP 172/104 L arm, crackles at the right base") == {("left", "arm"), ("right", "lung")}
    assert sides_of("左下肢肿胀，右耳流脓") == {("left", "leg"), ("right", "ear")}
    assert sides_of("R/O malaria") == set()


def _drops(source: str, candidate: str) -> list[str]:
    return check_sentence(candidate, SourceIndex.build([source]), replaces=[source]).reasons


def test_certainty_time_of_day_and_units_must_match_the_draft_line():
    # a hedge dropped or added changes what the clinician claimed
    assert any("certainty" in r for r in _drops("疑似肺结核，完善痰涂片。", "肺结核，完善痰涂片检查。"))
    assert any("certainty" in r for r in _drops("Pneumonia, start amoxicillin.",
                                                  "Possible pneumonia, start amoxicillin."))
    assert not _drops("Possible pneumonia.", "Query pneumonia.")        # both unsure: kept
    # the time of day a medicine is taken
    assert any("time of day" in r for r in _drops("奥美拉唑20mg qd 早餐前服。", "奥美拉唑20mg，每日一次，晚餐后服用。"))
    assert not [r for r in _drops("Headache worse in mornings.", "Headaches are worse in the morning.")
                if "time of day" in r]
    # the unit of a result
    assert any("unit differs" in r for r in _drops("肌酐145 μmol/L。", "肌酐145 mmol/L。"))
    assert not [r for r in _drops("Creatinine 145 µmol/L.", "Creatinine 145 umol/L.") if "unit" in r]


def test_probable_and_possible_are_different_certainties():
    assert any("certainty" in r for r in _drops("Likely viral URTI, no antibiotics.",
                                                  "Possibly viral URTI, no antibiotics."))
    assert not [r for r in _drops("Likely viral URTI.", "Probable viral URTI.") if "certainty" in r]
    assert not [r for r in _drops("疑似社区获得性肺炎，完善胸片。", "考虑社区获得性肺炎可能，完善胸片。")
                if "certainty" in r]      # 考虑…可能: the weakest said, "possible", as 疑似
