"""The plan, the instructions and the follow-up (issue 13, session 22): each class keeps a
faithful rewording and drops a rewording that changes one fact of the same kind. Lines written
for these tests (English and Chinese), not taken from any evaluation set."""

from __future__ import annotations

import pytest

from lantern.clinical.language.findings import extract_findings
from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def reasons(source: str, candidate: str) -> list[str]:
    index = SourceIndex.build([source])
    return check_sentence(candidate, index, replaces=[source]).reasons


# (class, draft line, faithful rewording, rewording that changes one fact)
CASES = [
    # the signs a safety-net tells to come back for: one left out, or another put in its place
    ("safety_net_sign_dropped_zh",
     "予口服补液盐，继续母乳喂养。若出现不能进食、抽搐或便血，立即返诊。",
     "给予口服补液盐，继续母乳喂养；如出现不能进食、抽搐或便血，请立即返诊。",
     "给予口服补液盐，继续母乳喂养；如出现不能进食或便血，请立即返诊。"),
    ("safety_net_sign_swapped_en",
     "Give ORS after each loose stool. Return at once if unable to drink or has convulsions.",
     "Give ORS after each loose stool and return at once if unable to drink or has convulsions.",
     "Give ORS after each loose stool and return at once if unable to drink or has a rash."),
    # a drug listed with another shares its status: continue A and B is not continue A, stop B
    ("drug_status_over_a_list_zh",
     "继续二甲双胍0.5g tid，暂停格列美脲。",
     "二甲双胍0.5g每日三次继续服用，格列美脲暂停。",
     "继续服用二甲双胍0.5g每日三次及格列美脲。"),
    # what a plan continues or stops besides a drug
    ("breastfeeding_continued_or_stopped",
     "Mastitis: flucloxacillin 500 mg qds. Continue breastfeeding from the affected side.",
     "Mastitis: flucloxacillin 500 mg four times a day; continue breastfeeding from the affected side.",
     "Mastitis: flucloxacillin 500 mg four times a day; stop breastfeeding from the affected side."),
    # where a referral sends the patient
    ("referral_destination_zh",
     "建议转上级医院心内科进一步诊治。",
     "建议转至上级医院心内科进一步诊治。",
     "建议转至上级医院消化内科进一步诊治。"),
    ("referral_destination_en",
     "Urgent referral to paeds.",
     "Urgent referral to paediatrics.",
     "Urgent referral to orthopaedics."),
    # who gives the medicine: a relative supervising is part of the plan
    ("supervised_medication_zh",
     "嘱家属督导服药，1月后复诊。",
     "由家属督导服药，一个月后复诊。",
     "嘱患者按时服药，一个月后复诊。"),
]


@pytest.mark.parametrize(("name", "source", "faithful", "changed"), CASES, ids=[c[0] for c in CASES])
def test_faithful_kept_changed_dropped(name: str, source: str, faithful: str, changed: str) -> None:
    assert reasons(source, faithful) == [], name
    assert reasons(source, changed), name


def test_safety_net_signs_are_watched_not_present() -> None:
    # "如…，请立即就医": the condition first, the return after it, the signs not the patient's
    extraction = extract_findings("如孩子精神差或呕吐，请立即就医。")
    assert not [f for f in extraction.mentions if not f.negated]
    assert {f.id for f in extraction.watched} >= {"vomiting"}


def test_a_department_outside_a_referral_is_no_destination() -> None:
    # "No focal neurology" sends no one anywhere
    assert not any("sends the patient" in r for r in reasons("No focal neurology. Plan: CT head.",
                                                             "No focal neurology; CT head planned."))
