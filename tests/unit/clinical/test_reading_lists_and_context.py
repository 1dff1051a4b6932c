"""Reading fixes of 2026-12-05 (issue 11, point 3), each a class of phrasing:

* a sentence that opens with "No" and goes on as a bare list of findings negates every item
  ("No headache, chest pain, SOB."), while an item that says more than its finding keeps its own
  polarity ("No fever, cough for 3 days.");
* a pregnancy or a delivery named in a child's or a man's note is the mother's or the wife's;
* a qualifier written before a negation takes the negation of the symptom after it
  ("干活走路时没有胸痛", "on exertion no chest pain");
* objects are not findings ("kitchen knife", "cement bags", "DIP and PIP"), and "dewormed" is
  not a typo of "deformed"."""

from __future__ import annotations

import pytest

from lantern.clinical.language.findings import extract_findings


def _read(note: str, **kw) -> tuple[set[str], set[str]]:
    ex = extract_findings(note, **kw)
    return ({f.id for f in ex.findings if not f.negated}, {f.id for f in ex.findings if f.negated})


@pytest.mark.parametrize("note", [
    "No headache, chest pain, SOB.",
    "No headache, chest pain, no SOB.",
    "Review today. No headache, chest pain, SOB. BP 130/80.",
])
def test_a_bare_list_after_no_is_all_absent(note):
    present, absent = _read(note)
    assert {"headache", "chest_pain", "difficult_breathing"} <= absent
    assert not present & {"headache", "chest_pain", "difficult_breathing"}


@pytest.mark.parametrize(("note", "present_id", "absent_id"), [
    ("No fever, cough for 3 days.", "cough", "fever"),
    ("No fever, cough and vomiting since yesterday.", "vomiting", "fever"),
    ("Skin very hot, not sweating, talking nonsense.", "altered_consciousness", "sweating"),
    ("肚子一直硬邦邦的不放松，下面流了一些黑红色的血。", "vaginal_bleeding", None),
])
def test_an_item_that_says_more_than_its_finding_keeps_its_polarity(note, present_id, absent_id):
    present, absent = _read(note)
    assert present_id in present
    if absent_id:
        assert absent_id in absent


@pytest.mark.parametrize(("note", "kw"), [
    ("2 F referred from growth monitoring. Mother pregnant again, child weaned early.", {"age_years": 2}),
    ("电话 产后访视前家属来电：女婴，出生第4天，脸发黄。", {"age_years": 0.011}),
    ("Wife is 8 months pregnant; he has a cough.", {"age_years": 35, "sex": "male"}),
])
def test_a_pregnancy_in_a_childs_or_mans_note_is_not_the_patients(note, kw):
    present, _ = _read(note, **kw)
    assert not present & {"pregnant", "postpartum", "late_pregnancy"}


def test_a_womans_own_pregnancy_is_still_read():
    present, _ = _read("G2P1 at 31 weeks, bleeding since morning.", age_years=24, sex="female")
    assert "pregnant" in present or "late_pregnancy" in present


@pytest.mark.parametrize("note", ["干活走路时没有胸痛气短。", "On exertion no chest pain."])
def test_a_qualifier_before_a_negation_is_negated_with_it(note):
    present, absent = _read(note)
    assert "exertional_trigger" not in present
    assert "chest_pain" in absent


def test_a_qualifier_of_a_present_symptom_stays():
    present, _ = _read("Chest pain on exertion, relieved by rest.")
    assert "exertional_trigger" in present


@pytest.mark.parametrize(("note", "not_read"), [
    ("Cut L index finger with kitchen knife, 2 cm clean laceration.", "gaping_wound"),
    ("Chest pain since carrying cement bags on a building site.", "caustic_agent"),
    ("Full flexion at DIP and PIP against resistance.", "polyarthritis_small_joints"),
    ("Weight-for-age normal. Last dewormed more than a year ago.", "deformity"),
])
def test_objects_and_everyday_words_are_not_findings(note, not_read):
    present, _ = _read(note)
    assert not_read not in present


@pytest.mark.parametrize(("note", "read"), [
    ("Wet cement splashed in his eye an hour ago.", "caustic_agent"),
    ("Stab wound to the forearm, edges gaping.", "gaping_wound"),
])
def test_the_same_objects_in_their_finding_still_count(note, read):
    present, _ = _read(note)
    assert read in present


@pytest.mark.parametrize(("note", "read"), [
    ("31 wks, bleeding like a period since she woke up, has soaked 2 cloths.", "heavy_bleeding"),
    ("一直在流血，已经湿透了两条床单。", "heavy_bleeding"),
    ("妻子1小时前在家里生了，胎盘也出来了。", "postpartum"),
    ("Has put aside a bottle of pesticide and plans to drink it tonight.", "suicide_plan_or_act"),
    ("He has given away his radio.", "suicide_plan_or_act"),
    ("Scalds of chest and arms, est ~20% TBSA.", "burn_area_15"),
    ("烫伤面积约12%。", "burn_area_10"),
    ("There is a bean in his nose since this morning.", "inserted_object"),
    ("Itchy welts all over, they move around.", "wheals_transient"),
    ("Burning pain for 3 days before the rash, now clusters of blisters R forehead.", "dermatomal_rash"),
    ("At night she talks and laughs to people who aren't there.", "hallucinations"),
    ("Says the neighbours put poison in the borehole.", "delusions"),
    ("Says the radio announcer is talking about her.", "delusions"),
    ("10 days ago stopped sleeping, walks around at night.", "sleep_disturbance"),
    ("Both eyes swollen since yesterday, thick yellow pus that comes back straight after wiping.", "eye_discharge"),
    ("打磨铁件时右眼进了铁屑，眼痛流泪。", "corneal_foreign_body"),
])
def test_lay_families_added_on_2026_12_05(note, read):
    present, _ = _read(note)
    assert read in present


@pytest.mark.parametrize(("note", "not_read"), [
    ("The pain comes and goes like waves.", "wheals_transient"),
    ("He farms maize and beans and keeps goats.", "inserted_object"),
    ("Has pesticide in the shed for the maize.", "suicide_plan_or_act"),
    ("Burn of about 8% TBSA on the forearm.", "burn_area_10"),
])
def test_lay_families_do_not_overreach(note, not_read):
    present, _ = _read(note)
    assert not_read not in present


def test_a_soft_uterus_before_delivery_is_not_atony():
    present, _ = _read("ANC booking, 31 weeks, bleeding. Uterus soft, non-tender, relaxed.", sex="female", age_years=24)
    assert "uterus_atonic" not in present
    present, _ = _read("Delivered 1 hour ago, bleeding heavily, uterus soft and boggy.", sex="female", age_years=24)
    assert "uterus_atonic" in present


@pytest.mark.parametrize("note", [
    "Tired, gets breathless climbing the hill to her garden.",
    "Mild breathlessness when climbing stairs for 6 months.",
])
def test_breathless_next_to_an_exertion_is_breathless_on_exertion(note):
    present, _ = _read(note)
    assert "exertional_dyspnoea" in present
    assert "difficult_breathing" not in present


def test_breathless_on_its_own_stays_difficult_breathing():
    present, _ = _read("Breathless since this morning, cannot finish sentences.")
    assert "difficult_breathing" in present


@pytest.mark.parametrize(("note", "read", "absent"), [
    ("Uterus bulky, irregular and non-tender.", None, "irregular_pulse"),
    ("Pulse irregular, 110.", "irregular_pulse", None),
    ("P 130, irregular, BP 100/60.", "irregular_pulse", None),
])
def test_irregular_and_breathing_fine(note, read, absent):
    present, _ = _read(note)
    if read:
        assert read in present
    if absent:
        assert absent not in present


@pytest.mark.parametrize("note", ["Limping since the fall, walked 4 steps.", "受伤后自己走了4步以上下场，现跛行。"])
def test_a_limp_is_not_refusing_to_bear_weight(note):
    present, _ = _read(note)
    assert "refuses_to_bear_weight" not in present


# A finding written as a label with its value, as review-of-systems lists in admission
# histories are (cues.toml value_links): the value "no" / "none" / "absent" / "denied" /
# "未见" negates the label; a value that goes on ("Cough: no sputum.") is a pre-negation of
# what follows, and a "yes" keeps the label present.
@pytest.mark.parametrize(("note", "present_ids", "absent_ids"), [
    ("ROS: fever - no; cough - yes; vomiting - no.", {"cough"}, {"fever", "vomiting"}),
    ("Fever: No. Cough: Yes.", {"cough"}, {"fever"}),
    ("Neck stiffness: absent, rash: present", {"rash"}, {"neck_stiffness"}),
    ("Headache: denies. Vomiting: Nil", set(), {"headache", "vomiting"}),
    ("Chest pain is denied.", set(), {"chest_pain"}),
    ("Jaundice: not present. Convulsions: none.", set(), {"jaundice", "convulsions"}),
    ("Meningism was not elicited. Blood in stool was not noted.", set(),
     {"neck_stiffness", "bloody_diarrhoea"}),
    ("Fever has not been present.", set(), {"fever"}),
    ("发热：无。咳嗽：有。", {"cough"}, {"fever"}),
    ("颈项强直未见。皮疹未见", set(), {"neck_stiffness", "rash"}),
    ("Cough: no sputum.", {"cough"}, {"productive_cough"}),
    ("fever, no cough", {"fever"}, {"cough"}),
])
def test_a_label_with_a_negative_value_is_absent(note, present_ids, absent_ids):
    present, absent = _read(note)
    assert present_ids <= present and not present_ids & absent
    assert absent_ids <= absent and not absent_ids & present


def test_a_negation_that_goes_on_is_not_the_labels_value():
    # "no" does not end its clause: it negates what follows, not the fever before the colon
    present, absent = _read("Fever: no cough today.")
    assert "fever" in present and "cough" in absent
