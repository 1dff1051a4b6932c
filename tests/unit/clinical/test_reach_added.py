"""Reach of the conditions added by the coverage/ranking pass (sets 7 and 8 as development sets):
for each, one short English and one Chinese note written for this test (typical presentations
from the cited guidelines, not copied from any set). The condition must be in the top 3 and the
triage level must follow the agreed policy (CONDITIONS.md)."""

from __future__ import annotations

import pytest
from reach import check

CASES = [
    # (condition, triage, age, sex, note)
    # thunderclap headache is an emergency whatever the differential (agreed policy)
    ("subarachnoid_haemorrhage", "emergency", 50, "male", "Sudden severe headache while lifting, maximal within seconds, worst headache of his life. Vomited twice, neck stiff, light hurts his eyes. No fever, no injury."),
    ("subarachnoid_haemorrhage", "emergency", 38, "female", "女，38岁，用力排便时突发剧烈头痛，像被锤子打了一下，一生中最剧烈的头痛，伴呕吐、颈项强直、畏光。无发热，无外伤。"),
    # reduced consciousness is an emergency
    ("carbon_monoxide_poisoning", "emergency", 60, "female", "Found drowsy and confused this morning; slept with a charcoal brazier in the room with the windows shut. Headache, dizziness, vomited. SpO2 99%."),
    ("carbon_monoxide_poisoning", "emergency", 30, "male", "男，30岁，昨夜门窗紧闭用煤炉取暖，今晨被家人发现意识模糊，头痛、头晕、恶心呕吐，家人也有头痛。"),
    # lethargic between attacks: IMCI general danger sign -> emergency
    ("intussusception", "emergency", 0.75, "male", "9-month-old with attacks of screaming every 20 minutes, draws his legs up, pale and floppy in between. Vomited 3 times. Passed a redcurrant jelly stool."),
    # alert child: the agreed policy gives urgent (ETAT priority: surgical problem), rule intussusception_signs
    ("intussusception", "urgent", 1, "male", "患儿1岁，阵发性哭闹半天，哭时双腿蜷曲，间歇期安静，呕吐2次，排果酱样大便1次。"),
]


@pytest.mark.parametrize(("condition", "triage", "age", "sex", "note"), CASES,
                         ids=[f"{v[0]}-{'zh' if any(ord(ch) > 0x3000 for ch in v[4]) else 'en'}"
                              for v in (getattr(c, "values", c) for c in CASES)])
def test_condition_in_top3_with_policy_triage(condition, triage, age, sex, note):
    check(condition, triage, note, age=age, sex=sex)
