"""One reader of how often a line says a medicine is taken (issue 14, session 21): a current
medication's line, a renewal of a chart line and the frequency Lantern itself signs ("twice daily
for 5 days", "每日2次，共5天") are read by ``checks.written_times`` alone. Number words ("twice",
"three times"), "N times a day" and "every N hours" were read as once a day."""

from __future__ import annotations

import pytest

from lantern.clinical.prescribing.checks import written_daily, written_times
from lantern.services.orders import frequency_text, renewal_of


@pytest.mark.parametrize(("text", "times"), [
    # English words and counts
    ("twice daily for 5 days", 2), ("twice a day", 2), ("twice-daily", 2), ("once daily for 30 days", 1),
    ("three times daily", 3), ("three times a day", 3), ("four times daily", 4), ("2 times a day", 2),
    ("3 times per day", 3), ("3x/d", 3), ("2x daily", 2), ("6 times daily for 3 days", 6),
    # intervals
    ("every 8 hours", 3), ("every 12 hours", 2), ("every 4 to 6 hours", 6), ("q6h", 4), ("q8h", 3),
    ("Q12H", 2), ("q4-6h", 6), ("8-hourly", 3), ("6 hourly", 4),
    # Latin abbreviations, with or without stops
    ("bd", 2), ("BID", 2), ("b.i.d.", 2), ("tds", 3), ("tid", 3), ("t.d.s.", 3), ("qds", 4), ("qid", 4),
    ("od", 1), ("nocte", 1), ("mane", 1),
    # Chinese
    ("每日2次", 2), ("每日2次，共5天", 2), ("一日三次", 3), ("每天两次", 2), ("一天3次", 3), ("3次/日", 3),
    ("2次/天", 2), ("每8小时一次", 3), ("每12小时", 2), ("每十二小时一次", 2), ("早晚各一次", 2), ("每日一次", 1),
    ("口服 bid", 2), ("每日6次，共3天", 6),
    # no frequency, or none a day: once a day (a course length is no frequency)
    ("", 1), ("daily", 1), ("for 5 days", 1), ("5 day course", 1), ("twice weekly", 1),
])
def test_written_times_reads_english_and_chinese_frequencies(text, times):
    assert written_times(text) == times


@pytest.mark.parametrize("times", [1, 2, 3, 4, 6])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_frequency_lantern_signs_reads_back(times, lang):
    assert written_times(frequency_text(times, 5, lang)) == times


@pytest.mark.parametrize(("frequency", "times"), [
    ("twice daily for 30 days", 2), ("three times daily for 7 days", 3), ("2 times a day", 2),
    ("every 8 hours", 3), ("q6h", 4), ("tds", 3), ("每日2次，共30天", 2), ("一日三次", 3), ("bid", 2),
])
def test_a_renewal_keeps_the_chart_lines_frequency(frequency, times):
    renewal = renewal_of({"name": "amoxicillin", "dose": "500 mg", "route": "oral", "frequency": frequency})
    assert renewal is not None and renewal["times_per_day"] == times


def test_a_current_medications_day_counts_its_written_frequency(real):
    formulary, _index = real
    paracetamol, amlodipine = formulary.drugs["paracetamol"], formulary.drugs["amlodipine"]
    assert written_daily("paracetamol 1g four times daily", paracetamol) == 4000
    assert written_daily("Panadol 500mg every 6 hours", paracetamol) == 2000
    assert written_daily("对乙酰氨基酚 0.5g 一日三次", paracetamol) == 1500
    # the frequency's own numbers are not strengths
    assert written_daily("Amlodipine 5mg 2 times a day", amlodipine) == 10
    assert written_daily("氨氯地平 5mg 每日2次", amlodipine) == 10
