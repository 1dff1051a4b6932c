"""General classes of faithful rewording the meaning check keeps, and the changes it still
drops (issue 13, point 3), each in English and Chinese: the scope of a negation over a list
after a comma, the degree of certainty read from the cue data, ..."""

from __future__ import annotations

from lantern.clinical.language.meaning import meaning_of
from lantern.clinical.language.negation import negation_scopes
from lantern.clinical.summarize.verify import SourceIndex, check_sentence


def _reasons(source: str, candidate: str) -> list[str]:
    return check_sentence(candidate, SourceIndex.build([source]), replaces=[source]).reasons


def _negated(text: str) -> set[str]:
    return {w.text for w in negation_scopes(text) if w.negated}


# --- negation scope over a list ------------------------------------------------------------

def test_a_negation_goes_on_over_a_list_after_a_comma():
    assert {"plans", "intent"} <= _negated("No current suicidal thoughts, plans or intent; children help.")
    assert "children" not in _negated("No current suicidal thoughts, plans or intent; children help.")
    assert {"食", "物"} <= _negated("无药物及食物过敏史，无输血史。")
    assert {"食", "物"} <= _negated("否认药物、食物过敏史。")


def test_a_comma_without_a_list_after_it_ends_a_weak_negation():
    assert "cough" not in _negated("No fever, cough for 3 days.")
    assert "咳" not in _negated("无发热，咳嗽3天。")
    assert "cough" in _negated("Denies fever, cough.")        # a strong cue goes on over commas


def test_brackets_and_unit_slashes_end_a_scope():
    assert "分" not in _negated("SpO2 96%（未吸氧），R 20次/分")
    assert "rate" not in _negated("Sats 96% (not on oxygen), rate 20/min")


def test_a_list_under_one_negation_reworded_is_kept_and_a_flip_is_dropped():
    source = "Not currently suicidal, no plans or intent, protective factors: children."
    assert "negation differs from the source" not in _reasons(
        source, "No current suicidal thoughts, plans or intent; children are a protective factor.")
    assert "negation differs from the source" in _reasons(
        source, "No current suicidal thoughts but has plans or intent; children are a protective factor.")
    zh = "否认药物、食物过敏史，否认输血史。"
    assert _reasons(zh, "无药物及食物过敏史，无输血史。") == []
    assert "negation differs from the source" in _reasons(zh, "无药物过敏史，有食物过敏史，无输血史。")


# --- certainty: the degrees are cue data ---------------------------------------------------

def test_the_degree_of_certainty_comes_from_the_cue_data():
    assert meaning_of("Likely pneumonia.").hedged == 2
    assert meaning_of("Possible pneumonia, cannot exclude TB.").hedged == 1
    assert meaning_of("考虑肺炎。").hedged == 2 and meaning_of("考虑肺炎可能。").hedged == 1
    assert meaning_of("Pneumonia.").hedged == 0 and meaning_of("肺炎。").hedged == 0
    assert meaning_of("Unlikely to be TB.").hedged == 1            # not the probable "likely"
    assert any("certainty differs" in r for r in _reasons("Likely pneumonia.", "Possibly pneumonia."))
    assert any("certainty differs" in r for r in _reasons("考虑肺炎。", "肺炎。"))


# --- urgency of an order ----------------------------------------------------------------------

def test_dropping_the_urgency_of_an_order_is_a_change():
    source = "Urgent CT head; refer to the district hospital."
    assert "leaves out the urgency of the draft line" in _reasons(source, "CT head; refer to the district hospital.")
    assert _reasons(source, "Urgently arrange a CT head and refer to the district hospital.") == []
    zh = "紧急转诊上级医院。"
    assert "leaves out the urgency of the draft line" in _reasons(zh, "转诊上级医院。")
    assert _reasons(zh, "尽快转诊上级医院。") == []


def test_adding_urgency_the_source_does_not_write_is_a_change():
    assert "urgency not in source" in _reasons("CT head; refer to the district hospital.",
                                               "Urgent CT head; refer to the district hospital.")
    assert "urgency not in source" in _reasons("转诊上级医院。", "紧急转诊上级医院。")


# --- modifier families inside a finding phrase ------------------------------------------------

def test_a_time_of_day_modifier_reads_the_same_in_each_word_of_its_family():
    from lantern.clinical.language.findings import extract_findings
    from lantern.clinical.language.tokens import family_variants
    assert ("night", "time", "cough") in family_variants(("nocturnal", "cough"))
    assert family_variants(("nocturnal",)) == []                 # a member alone is never a phrase
    ids = {f.id for f in extract_findings("Night-time cough for two months.").findings}
    assert ids == {f.id for f in extract_findings("Nocturnal cough for two months.").findings}
    assert _reasons("Nocturnal cough and wheeze x 2 months.", "Night-time cough and wheeze for two months.") == []
    assert any("time of day" in r or "finding" in r for r in _reasons(
        "Nocturnal cough and wheeze x 2 months.", "Morning cough and wheeze for two months."))


def test_modifier_families_in_chinese_and_for_how_well():
    assert _reasons("头痛3天，无呕吐，无视物模糊，无肢体无力。", "头痛已三天，不伴呕吐、视物模糊或肢体乏力。") == []
    assert any("negation" in r for r in _reasons("头痛3天，无呕吐，无肢体无力。", "头痛3天，无呕吐，有肢体乏力。"))
    assert meaning_of("drinking adequately").findings == meaning_of("drinking ok").findings != set()


# --- severity words and pain scores -----------------------------------------------------------

def test_a_severity_word_before_tender_reads_as_before_tenderness():
    assert _reasons("Mild tenderness epigastrium, no guarding, BS present.",
                    "Mildly tender in the epigastrium without guarding; bowel sounds present.") == []
    assert any("finding" in r for r in _reasons("Mild tenderness epigastrium, no guarding.",
                                                 "Severely tender in the epigastrium, no guarding."))
    assert meaning_of("右下腹轻压痛").findings == meaning_of("右下腹轻度压痛").findings


def test_a_pain_score_reads_the_same_in_each_form():
    assert meaning_of("Pain 7/10.").findings == meaning_of("Pain scored 7 out of 10.").findings
    assert meaning_of("腹痛7/10。").findings == meaning_of("腹痛，疼痛评分7分。").findings
    assert any("number" in r for r in _reasons("Pain 7/10.", "Pain scored 6 out of 10."))
    assert any("finding" in r for r in _reasons("腹痛，VAS 7分。", "腹痛，VAS 2分。"))


# --- numbers with their units ----------------------------------------------------------------

def test_a_bare_rate_is_the_heart_rate_and_reads_as_beats_per_minute():
    source = "ECG: sinus rhythm, rate 72, no acute ST changes."
    assert _reasons(source, "The ECG shows sinus rhythm at 72 beats per minute without acute ST changes.") == []
    assert any("value" in r or "number" in r for r in _reasons(source, "Sinus rhythm at 92 bpm, no acute ST changes."))
    assert meaning_of("心电图：窦性心律，心率72次/分。").measurements == meaning_of("窦性心律，脉搏72。").measurements
    assert meaning_of("infusion rate 100 ml/h").measurements == set()


def test_a_fever_with_its_value_and_how_long_is_a_temperature():
    assert meaning_of("fever 39.2 x2 days").measurements == meaning_of("temperature of 39.2 for two days").measurements
    assert meaning_of("发热39.2℃ x2天").measurements == meaning_of("体温39.2℃，两天").measurements != set()
    assert meaning_of("glucose 6 x2").measurements == set()          # a count, not a reading


def test_an_amount_of_time_in_minutes_is_compared_as_an_amount():
    assert _reasons("Pain 7/10, radiating to L arm, onset 30 min ago.",
                    "Pain scored 7 out of 10, spreading to the left arm, started half an hour ago.") == []
    assert any("number" in r for r in _reasons("Chest pain, onset 30 min ago.", "Chest pain, onset 3 hours ago."))
    assert meaning_of("胸痛30分钟").all_durations == meaning_of("胸痛半小时").all_durations


# --- word order: a verb "to be" inside a finding phrase, a side and a part in one word ----------

def test_a_verb_to_be_inside_a_finding_phrase_reads_as_the_phrase():
    assert meaning_of("the chest was clear").findings == meaning_of("chest clear").findings != set()
    assert _reasons("O/E: chest clear, HS I+II+0, no peripheral oedema.",
                    "On examination the chest was clear, heart sounds were normal with no added sounds, "
                    "and there was no peripheral oedema.") == []
    assert any("finding" in r for r in _reasons("O/E: chest clear, no peripheral oedema.",
                                                "On examination there were crackles, and no peripheral oedema."))


def test_ways_of_saying_heard_and_clear_back_a_chinese_rewording():
    assert _reasons("双肺呼吸音清，未闻及干湿啰音。", "两肺呼吸音清晰，没有听到干、湿啰音。") == []
    assert any("negation" in r or "finding" in r for r in _reasons("双肺呼吸音清，未闻及干湿啰音。", "两肺呼吸音清晰，听到干、湿啰音。"))


def test_a_short_form_writes_a_side_and_a_part_in_one_word():
    from lantern.clinical.language.meaning import sides_of
    assert sides_of("RIF pain") == sides_of("right iliac fossa pain") == sides_of("右下腹痛") == {("right", "lower_abdomen")}
    assert sides_of("LUQ tender") == sides_of("左上腹压痛")
    source = "RIF pain since yesterday, anorexia, nausea, no vomiting."
    assert _reasons(source, "Right iliac fossa pain since yesterday with loss of appetite and nausea but no vomiting.") == []
    assert any("side" in r for r in _reasons(source, "Left iliac fossa pain since yesterday, anorexia, nausea, no vomiting."))


# --- a site and its finding in either order -------------------------------------------------

def test_a_site_and_a_finding_read_the_same_in_either_order():
    assert meaning_of("Crackles at the right base.").findings == meaning_of("Right basal crackles.").findings
    assert meaning_of("右肺底可闻及湿啰音。").findings == meaning_of("右肺底湿啰音。").findings
    assert meaning_of("Swelling of the left calf.").findings == meaning_of("Left calf swollen.").findings
    assert _reasons("Crackles at the right base.", "Right basal crackles.") == []
    assert _reasons("右肺底可闻及湿啰音。", "右肺底湿啰音。") == []


def test_the_site_still_counts():
    assert any("side" in r for r in _reasons("Crackles at the right base.", "Left basal crackles."))
    assert any("finding" in r for r in _reasons("Right basal crackles.", "Crackles in the right chest."))
    assert any("finding" in r for r in _reasons("右肺底湿啰音。", "右肺可闻及湿啰音。"))
