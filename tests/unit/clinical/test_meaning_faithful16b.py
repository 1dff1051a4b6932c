"""Faithful rewordings a small model writes when it expands a section (issue 13, session 16b):
each class keeps a faithful rewording and still drops a rewording that changes one fact of
the same kind. Notes written for these tests (English and Chinese), not taken from any
evaluation set."""

from __future__ import annotations

import pytest

from lantern.clinical.language.claims import claims_of
from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def reasons(source: str, candidate: str) -> list[str]:
    index = SourceIndex.build([source])
    return check_sentence(candidate, index, replaces=[source]).reasons


# (class, draft line, faithful rewording, rewording that changes one fact)
CASES = [
    # a regimen written as one name is the same drugs written out, and back
    ("arv_regimen_written_out",
     "Switched to TDF/3TC/DTG in 2019. VL suppressed.",
     "He was switched to tenofovir, lamivudine and dolutegravir in 2019, and his viral load is suppressed.",
     "He was switched to tenofovir, lamivudine and efavirenz in 2019, and his viral load is suppressed."),
    ("arv_regimen_abbreviated",
     "Continues tenofovir, lamivudine and efavirenz, adherence good.",
     "Continues TDF+3TC+EFV with good adherence.",
     "Continues TDF+3TC+NVP with good adherence."),
    ("arv_regimen_zh",
     "AZT/3TC/NVP抗病毒治疗2年，依从性好。",
     "齐多夫定、拉米夫定和奈韦拉平抗病毒治疗两年，服药依从性好。",
     "齐多夫定和拉米夫定抗病毒治疗两年，服药依从性好。"),
    ("tb_continuation_written_out",
     "Continuation phase RH 3 tabs daily, sputum negative.",
     "In the continuation phase he takes rifampicin and isoniazid, 3 tablets daily; the sputum is negative.",
     "In the continuation phase he takes rifampicin, isoniazid and ethambutol, 3 tablets daily; "
     "the sputum is negative."),
    # (the "4HR" of a regimen is four months of two drugs, not four hours)
    ("tb_regimen_months_written_out",
     "Pulmonary TB: 2HRZE/4HR started today, wt 48 kg.",
     "Pulmonary TB: he started today on two months of isoniazid, rifampicin, pyrazinamide and ethambutol, "
     "then four months of isoniazid and rifampicin; weight 48 kg.",
     "Pulmonary TB: he started today on two months of isoniazid, rifampicin, pyrazinamide and ethambutol, "
     "then six months of isoniazid and rifampicin; weight 48 kg."),
    ("tb_regimen_zh",
     "肺结核，予2HRZE/4HR方案抗结核治疗，体重50kg。",
     "肺结核，予异烟肼、利福平、吡嗪酰胺、乙胺丁醇两个月，再异烟肼、利福平四个月抗结核治疗，体重50公斤。",
     "肺结核，予异烟肼、利福平、吡嗪酰胺两个月，再异烟肼、利福平四个月抗结核治疗，体重50公斤。"),
    # Chinese lay word order: 血压高 told as a standing illness is 高血压 (a reading stays a reading)
    ("zh_lay_hypertension",
     "高血压病史8年，服硝苯地平控释片30mg qd。",
     "患者血压高已有八年，一直服用硝苯地平控释片，每日一次，每次30毫克。",
     "患者血压高已有六年，一直服用硝苯地平控释片，每日一次，每次30毫克。"),
    ("zh_lay_hypertension_had",
     "既往高血压，规律服药。今日无头痛。",
     "患者既往有血压高，规律服药。今日没有头痛。",
     "患者既往有血压高，规律服药。今日有头痛。"),
    # a negation inside a relative clause says what its noun is like, not the rest of the list
    ("relative_clause_negation",
     "Bring her back at once if there is a cough that doesn't settle, vomiting everything, or fits.",
     "Bring her back at once if she has fits, vomits everything, or has a cough that does not settle.",
     "Bring her back at once if she has no fits, vomits everything, or has a cough that does not settle."),
    ("relative_clause_negation_which",
     "Ulcer which has not healed, foul discharge and fever: review today.",
     "Review today: fever, a foul discharge and an ulcer which has not healed.",
     "Review today: no fever, a foul discharge and an ulcer which has not healed."),
]


@pytest.mark.parametrize(("name", "source", "faithful", "changed"), CASES, ids=[c[0] for c in CASES])
def test_faithful_kept_changed_dropped(name: str, source: str, faithful: str, changed: str) -> None:
    assert reasons(source, faithful) == [], name
    assert reasons(source, changed), name


def test_single_antiretroviral_is_not_the_regimen() -> None:
    # "tenofovir" alone shares its key with the fixed-dose combination but names no lamivudine
    assert "lamivudine" not in claims_of("On tenofovir 300 mg daily.").drugs
    assert reasons("On tenofovir 300 mg daily.", "On tenofovir and lamivudine, 300 mg daily.")


def test_antiretroviral_letters_are_no_number() -> None:
    assert "3" not in claims_of("Started 3TC/AZT today.").numbers
    assert "4" not in claims_of("Old regimen d4T stopped.").numbers
    assert "150" in claims_of("3TC 150 mg bd").numbers


def test_relative_negation_ends_at_the_comma() -> None:
    from lantern.clinical.language.negation import negation_scopes
    words = {w.text: w.negated for w in negation_scopes("a rash that does not fade, or drowsiness") if not w.cue}
    assert words["fade"] and not words["drowsiness"]
    # a negation that opens the list still covers it
    words = {w.text: w.negated for w in negation_scopes("No rash, drowsiness or neck stiffness") if not w.cue}
    assert words["rash"] and words["drowsiness"] and words["stiffness"]


def test_a_high_reading_is_not_known_hypertension() -> None:
    from lantern.clinical.language.meaning import meaning_of
    assert ("known_hypertension", False) not in meaning_of("今日血压高，160/100mmHg。").findings
    assert ("known_hypertension", False) in meaning_of("血压高好几年了。").findings
