"""Faithful rewordings the meaning check now keeps (issue 13, point 3; causes found on
meaning-change development sets 4 and 5), each beside a real change of the same kind that it
must still drop: the peak of a fever written as "max", "peaking at" or 最高体温, and the words
of an allergy statement (无药物过敏, 磺胺类药物过敏) that are the allergy, not a drug rash or an
allergen met now. The notes are
written for these tests."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge

from lantern.clinical.language.claims import thresholds
from lantern.clinical.language.vitals import extract_vitals_from_text


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def _temps(text: str) -> list[float]:
    return [r.value for r in extract_vitals_from_text(text) if r.name == "temp_c"]


def test_the_peak_of_a_fever_is_the_temperature_reached():
    src = "2yo girl, fever x3/7 (max 39.4), drinking well."
    assert _judge(src, "A two-year-old girl has had a fever for three days, peaking at 39.4 °C, and is drinking well.") == []
    assert _judge(src, "A two-year-old girl has had a fever for three days, peaking at 38.4 °C, and is drinking well.") != []
    src_zh = "发热2天，Tmax 39.6℃，伴咽痛。"
    assert _judge(src_zh, "发烧2天，最高体温39.6℃，伴有咽痛。") == []
    assert _judge(src_zh, "发烧2天，最高体温38.6℃，伴有咽痛。") != []


def test_max_after_a_fever_is_no_upper_limit_but_a_dose_maximum_is():
    assert thresholds("fever x2/7 (max 39.2)") == []
    assert [t.side for t in thresholds("paracetamol max 4 g a day")] == ["below"]
    assert [t.side for t in thresholds("fever: paracetamol max 4 g a day")] == ["below"]


def test_a_highest_temperature_is_read_but_a_highest_blood_pressure_stays_a_past_value():
    assert _temps("发热3天，最高体温39.8℃。") == [39.8]
    assert _temps("febrile since Monday, peaked at 40.1") == [40.1]
    assert extract_vitals_from_text("既往最高血压 200/110") == []
    assert _temps("既往最高体温40℃") == []


def test_the_words_of_an_allergy_statement_are_the_allergy():
    src = "既往体健，否认药物、食物过敏史。"
    assert _judge(src, "既往身体健康，无药物过敏，无食物过敏。") == []
    assert _judge(src, "既往身体健康，对青霉素过敏。") != []
    src2 = "孕10周，无药物过敏。"
    assert _judge(src2, "妊娠10周，无药敏史。") == []
    assert _judge(src2, "妊娠10周，有药物过敏史。") != []


def test_an_allergy_keeps_its_substance_and_its_reaction():
    src = "过敏史：磺胺类药物过敏（皮疹）。"
    assert _judge(src, "过敏：对磺胺类药物过敏，表现为皮疹。") == []
    assert _judge(src, "过敏：对磺胺类药物过敏，表现为荨麻疹。") != []
    assert _judge(src, "过敏：对青霉素类药物过敏，表现为皮疹。") != []
    src_en = "Allergies: amoxicillin (hives)."
    assert _judge(src_en, "Allergic to amoxicillin, which caused hives.") == []
    assert _judge(src_en, "Allergic to amoxicillin, which caused wheezing.") != []
