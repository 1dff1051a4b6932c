"""One table of plausible ranges (lantern.domain.vitals) for the form, the findings
reader and the summary's values: a value is accepted or flagged the same everywhere."""

from __future__ import annotations

import pytest

from lantern.clinical.language.results import extract_vitals
from lantern.clinical.language.vitals import extract_vitals_from_text
from lantern.domain.records import Vitals
from lantern.domain.vitals import PLAUSIBLE, RANGES, plausible, validate

CASES = [  # (note text, form field, value, plausible per the table)
    ("T 25.5", "temp_c", 25.5, True), ("T 46", "temp_c", 46, False),
    ("RR 140", "resp_rate", 140, True), ("RR 160", "resp_rate", 160, False),
    ("HR 280", "heart_rate", 280, True), ("HR 310", "heart_rate", 310, False),
    ("SpO2 45%", "spo2", 45, True), ("SpO2 39%", "spo2", 39, False),
    ("Hb 1.8", "hb_g_dl", 1.8, True), ("Hb 26", "hb_g_dl", 26, False),
    ("weight 320 kg", "weight_kg", 320, True), ("weight 400 kg", "weight_kg", 400, False),
]


@pytest.mark.parametrize(("text", "field", "value", "ok"), CASES)
def test_form_findings_and_summary_agree(text, field, value, ok):
    assert plausible(field, value) is ok
    assert (validate(Vitals(**{field: value})) == []) is ok
    [reading] = [r for r in extract_vitals_from_text(text) if r.name == field]
    assert reading.plausible is ok
    shown = extract_vitals(text)
    assert bool(shown) is ok


def test_blood_pressure_pairs_agree():
    for text, ok in (("BP 270/140", True), ("BP 310/150", False), ("BP 80/90", False)):
        sbp, dbp = (int(x) for x in text.split()[1].split("/"))
        assert (validate(Vitals(sbp=sbp, dbp=dbp)) == []) is ok, text
        assert bool(extract_vitals(text)) is ok, text


def test_the_form_fields_are_the_table_rows_of_the_same_name():
    assert all(RANGES[f] is PLAUSIBLE[f] for f in Vitals.__slots__)


def test_an_impossible_pair_is_flagged_by_the_findings_reader_too():
    readings = extract_vitals_from_text("BP 80/90")
    assert [r.plausible for r in readings] == [False, False]
