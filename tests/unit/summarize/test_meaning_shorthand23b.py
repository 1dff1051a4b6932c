"""Faithful rewordings the meaning check now keeps (issue 13, point 3; classes found on the
meaning-change development sets 9-12), each with the real change of the same class, which
it still drops: drug names in their ward shorthand (fluclox, dex, co-amox), delirium tremens
as DTs, the Chinese words for "unlikely" (可能性小, 不太支持, 依据不足), "DDx" for
"differential", 拟诊 for 考虑, and a Chinese line's English unit letters (4h for 4小时)."""

from __future__ import annotations

from tests.benchmarks.bench_meaning import judge


def _judge(source: str, candidate: str) -> list[str]:
    return judge({"source": source, "candidate": candidate})


def test_drug_shorthand_is_the_drug():
    assert _judge("Started fluclox 500 mg qds.", "Started flucloxacillin 500 mg qds.") == []
    assert _judge("Given dex 10 mg IV.", "Given dexamethasone 10 mg IV.") == []
    assert _judge("Started co-amox 625 mg tds.", "Started co-amoxiclav 625 mg tds.") == []
    # another drug is still another drug
    assert _judge("Started co-amox 625 mg tds.", "Started amoxicillin 625 mg tds.") != []
    assert _judge("Given dex 10 mg IV.", "Given dextrose 10% IV.") != []


def test_delirium_tremens_in_shorthand():
    assert _judge("History of DTs.", "History of delirium tremens.") == []
    assert _judge("History of DTs.", "History of seizures.") != []


def test_chinese_unlikely_and_differential_shorthand_keep_their_degree():
    assert _judge("肺炎可能性小。", "肺炎不太支持。") == []
    assert _judge("肺炎可能性小。", "肺炎依据不足。") == []
    assert _judge("DDx: malaria, typhoid.", "Differential: malaria, typhoid.") == []
    assert _judge("拟诊社区获得性肺炎。", "考虑社区获得性肺炎。") == []
    # the hedge dropped, or made weaker, is still a change
    assert _judge("肺炎可能性小。", "肺炎。") != []
    assert _judge("DDx: malaria, typhoid.", "Malaria, typhoid.") != []
    assert _judge("拟诊社区获得性肺炎。", "疑似社区获得性肺炎。") != []


def test_english_unit_letters_in_a_chinese_line_are_a_duration():
    assert _judge("腹痛4小时。", "腹痛4h。") == []
    assert _judge("发热2d。", "发热2天。") == []
    assert _judge("予口服补液盐，4小时后评估。", "给予ORS口服，4h后再评估。") == []
    assert _judge("腹痛4h。", "腹痛4天。") != []
    assert _judge("予口服补液盐，4小时后评估。", "给予ORS口服，6h后再评估。") != []


def test_one_side_compared_with_the_other_is_one_fact():
    assert _judge("Weakness L>R.", "Weakness, left more than right.") == []
    assert _judge("Weakness L>R.", "Weakness R<L.") == []
    assert _judge("双下肢水肿，左>右。", "双下肢水肿，左侧重于右侧。") == []
    # the comparison flipped is a change
    assert _judge("Weakness L>R.", "Weakness, right more than left.") != []
    assert _judge("双下肢水肿，左>右。", "双下肢水肿，右侧重于左侧。") != []


def test_suicidal_ideation_in_shorthand():
    assert _judge("Denies SI.", "Denies suicidal ideation.") == []
    assert _judge("Denies SI.", "Reports suicidal thoughts.") != []
