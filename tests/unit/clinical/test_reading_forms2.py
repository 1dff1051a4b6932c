"""Reading fixes of 2026-12-06 (issue 11, point 3), each a class of phrasing met in notes
written as forms:

* a label's negative value answers every finding the label lists after a colon or a dash
  ("外伤跌倒：无", "lethargic or unconscious - NO"), not after a verb ("fever and chest pain
  is denied" denies only the chest pain);
* a value ends at the next item of a form's list ("- NO / ...") or at a bracket
  ("Fever: no (T 36.8)"), and is then not also a negation of the next item;
* the side of the body may stand inside a finding phrase ("pain in L testicle"), also where
  the side word could start another phrase;
* "not seen clearly" says the thing was poorly seen, not that it was absent;
* paraspinal spasm is not abdominal guarding; the IMCI heading "cough or difficult
  breathing" is the cough."""

from __future__ import annotations

import pytest

from lantern.clinical.language.findings import extract_findings


def _read(note: str, **kw) -> tuple[set[str], set[str]]:
    ex = extract_findings(note, **kw)
    return ({f.id for f in ex.findings if not f.negated}, {f.id for f in ex.findings if f.negated})


@pytest.mark.parametrize("note, absent_ids", [
    ("外伤跌倒：无。", {"skin_wound", "injury_strain"}),
    ("Danger signs: lethargic or unconscious - NO.", {"lethargic", "unconscious"}),
    ("Cough/difficult breathing: no.", {"cough"}),
    ("Vomiting and diarrhoea: none.", {"vomiting", "diarrhoea"}),
    # 否 as a form's value, and a label written in quotes
    ("发热：否。咳嗽否。", {"fever", "cough"}),
    ("突发“雷击样”：否。", {"sudden_onset", "thunderclap_headache"}),
    ("Sudden 'thunderclap': no.", {"sudden_onset", "thunderclap_headache"}),
])
def test_a_negative_value_answers_every_finding_of_the_label(note, absent_ids):
    present, absent = _read(note)
    assert absent_ids <= absent and not absent_ids & present


def test_after_a_verb_only_the_last_finding_is_denied():
    present, absent = _read("He has fever and chest pain is denied.")
    assert "fever" in present and "chest_pain" in absent


def test_a_list_item_after_a_value_is_read_on_its_own():
    present, absent = _read("unable to drink - NO / vomits everything - NO / convulsions - yes")
    assert {"unable_to_drink", "vomits_everything"} <= absent
    assert "convulsions" in present


def test_a_value_followed_by_a_bracket():
    present, absent = _read("Fever: no (T 36.8). Cough: yes (2 days).")
    assert "fever" in absent and "fever" not in present
    assert "cough" in present


@pytest.mark.parametrize("note, fid", [
    ("pain in L testicle", "testicular_pain"),
    ("woke with pain R scrotum", "testicular_pain"),
    ("absent L cremasteric reflex", "absent_cremasteric_reflex"),
    ("Pain and discharge from the left ear.", "ear_discharge"),
])
def test_a_side_word_inside_a_phrase(note, fid):
    present, _ = _read(note)
    assert fid in present


def test_a_side_word_is_not_skipped_at_a_phrase_start_or_outside_one():
    present, _ = _read("the pain left after an hour")
    assert "testicular_pain" not in present


@pytest.mark.parametrize("note, want, not_present", [
    # poorly seen is not absent
    ("Bitten on the foot 3 hours ago. Snake not seen clearly.", {"snake_bite"}, set()),
    # a degree word skipped inside a phrase does not lower the grade
    ("皮肤捏起后回缩非常缓慢", {"skin_pinch_very_slow"}, {"skin_pinch_slow"}),
    # paraspinal spasm is not abdominal guarding
    ("查体：腰椎旁肌紧张、压痛，直腿抬高试验（-）", {"paraspinal_spasm"}, {"rebound_guarding"}),
    # the IMCI main-symptom heading is the cough
    ("Cough/difficult breathing: yes, 2 days. No chest indrawing.", {"cough"}, {"difficult_breathing"}),
    # a clotting test written as a result
    ("20-min whole blood clotting test: blood NOT clotted.", {"blood_not_clotting"}, set()),
    # a one-sided chest sign with its side written after it
    ("Wheeze R side. Chest: reduced air entry R base, monophonic wheeze.",
     {"unilateral_chest_signs"}, set()),
])
def test_words_read_as_their_finding(note, want, not_present):
    present, absent = _read(note)
    assert want <= present and not want & absent
    assert not not_present & present


def test_breathing_fine_in_colloquial_chinese_is_not_breathlessness():
    present, absent = _read("嘴巴舌头不肿，喘气好好的。呼吸好快。")
    assert "difficult_breathing" in absent and "difficult_breathing" not in present
    assert "fast_breathing" in present


@pytest.mark.parametrize("note, level", [
    ("COPD. More breathless than usual for 4 days, yellow sputum. Speaking full sentences, "
     "not distressed.", "routine"),
    ("COPD. More breathless than usual for 4 days, yellow sputum. Working hard to breathe.",
     "urgent"),
])
def test_breathless_in_full_sentences_is_not_respiratory_distress(note, level):
    from lantern.clinical.pipeline import assess, parse_case
    a = assess(parse_case({"id": "t", "age_years": 66, "sex": "male", "note": note}))
    assert a.triage.level == level


def test_whether_is_not_a_negation():
    present, absent = _read("询问能否进食，发热3天。")
    assert "fever" in present and "fever" not in absent


@pytest.mark.parametrize("note, level", [
    ("Sharp L chest pain 2 days since carrying cement bags, worse on twisting. Pain reproduced "
     "exactly on pressing the 3rd costal cartilage. No sweating, no breathlessness.", "routine"),
    ("Central chest pain 2 hours. Tender over the ribs. Pain radiating to the left arm, sweating.",
     "emergency"),
    ("Chest pain for 2 days, worse on deep breath.", "urgent"),
])
def test_chest_wall_pain_is_not_urgent_unless_cardiac_features(note, level):
    from lantern.clinical.pipeline import assess, parse_case
    a = assess(parse_case({"id": "t", "age_years": 45, "sex": "male", "note": note}))
    assert a.triage.level == level


@pytest.mark.parametrize("note, level", [
    ("Feeling tired and lethargic for several weeks, heavy periods. Alert and oriented.",
     "routine"),
    ("我这半年老是没精神，怕冷，头发掉得厉害。", "routine"),
    ("Fever since yesterday, lethargic since this morning.", "emergency"),
    ("Very drowsy for 3 days, fever.", "emergency"),
])
def test_an_acute_sign_is_acute(note, level):
    from lantern.clinical.pipeline import assess, parse_case
    a = assess(parse_case({"id": "t", "age_years": 40, "sex": "female", "note": note}))
    assert a.triage.level == level, [s.rule.id for s in a.triage.signs]


@pytest.mark.parametrize("note, present_ids, absent_ids", [
    # Cantonese: 冇 / 唔 negate, 屙 words are stools, 冇力 / 好攰 no strength
    ("冇肚屙，唔想食嘢，冇力。", {"loss_of_appetite", "fatigue"}, {"diarrhoea"}),
    ("肚痛，屙水三次，打冷震。", {"abdominal_pain", "watery_diarrhoea", "chills"}, set()),
    ("冇发烧，有咳。", {"cough"}, {"fever"}),
    # a relative's account of a tearing chest pain in a man on blood-pressure tablets
    ("He's a blood pressure man. A tearing pain went right through his chest to his back "
     "between the shoulders.", {"known_hypertension", "chest_pain", "pain_to_back"}, set()),
    # absolute constipation in a relative's words
    ("he has not passed stool or even wind since yesterday morning", {"no_flatus"}, set()),
])
def test_regional_and_lay_words(note, present_ids, absent_ids):
    present, absent = _read(note)
    assert present_ids <= present and absent_ids <= absent
