"""Ages as clinicians read them (lantern.domain.ages): days under 2 months, months
under 5 years, years from 5; English and Chinese; in step with the engine's bands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lantern.clinical.knowledge import load_knowledge
from lantern.clinical.triage import rule_applies
from lantern.domain import ages
from lantern.domain.records import Patient, Sex

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(("birth", "en", "zh"), [
    (TODAY, "0 days", "0天"),
    (TODAY - timedelta(days=1), "1 day", "1天"),
    (TODAY - timedelta(days=12), "12 days", "12天"),
    (TODAY - timedelta(days=59), "59 days", "59天"),          # still a young infant
    (TODAY - timedelta(days=60), "2 months", "2个月"),        # 2 months: months from here
    (date(2026, 5, 5), "7 months", "7个月"),
    (date(2025, 12, 5), "12 months", "12个月"),
    (date(2023, 10, 5), "38 months", "38个月"),              # not "3 years 2 months"
    (date(2022, 1, 6), "58 months", "58个月"),               # one day short of 59 months
    (date(2022, 1, 5), "59 months", "59个月"),               # 4 years 11 months
    (date(2021, 12, 6), "59 months", "59个月"),              # the day before the 5th birthday
    (date(2021, 12, 5), "5 years", "5岁"),                   # 5 years: years from here
    (date(1990, 6, 1), "36 years", "36岁"),
])
def test_age_text_boundaries(birth, en, zh):
    assert ages.age_text(birth_date=birth, today=TODAY) == en
    assert ages.age_text(birth_date=birth, today=TODAY, lang="zh") == zh


def test_calendar_months_count_completed_months():
    assert ages.whole_months(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert ages.whole_months(date(2026, 1, 31), date(2026, 3, 31)) == 2
    # born on 1 January, on 1 March: two calendar months but 59 days, so "59 days"
    assert ages.age_text(birth_date=date(2026, 1, 1), today=date(2026, 3, 1)) == "59 days"


def test_from_decimal_years_and_birth_year():
    assert ages.age_from_years(0.6).text() == "7 months"
    assert ages.age_from_years(3.2).text("zh") == "38个月"
    assert ages.age_from_years(10 / 365.25).text() == "10 days"
    assert ages.age_from_years(34.9).text() == "34 years"
    # a birth year alone: years, "about" under five (the months are not known)
    assert ages.age_text(birth_year=2023, today=TODAY) == "about 3 years"
    assert ages.age_text(birth_year=2023, today=TODAY, lang="zh") == "约3岁"
    assert ages.age_text(birth_year=1990, today=TODAY) == "36 years"
    assert ages.age_text(today=TODAY) == ""


def test_future_birth_date_is_an_error_not_a_negative_age():
    with pytest.raises(ages.AgeError, match="future"):
        ages.age_from_birth(TODAY + timedelta(days=1), TODAY)
    assert ages.age_text(birth_date=TODAY + timedelta(days=1), today=TODAY) == ""
    patient = Patient(id="P", name="X", sex=Sex.MALE, birth_date=TODAY + timedelta(days=3))
    assert patient.age(TODAY) is None and patient.age_years(TODAY) is None


@pytest.mark.parametrize(("days", "young_infant"), [(59, True), (60, False)])
def test_the_engine_changes_band_on_the_day_the_text_does(days, young_infant):
    """A young infant (IMCI: up to 2 months) is "59 days"; "2 months" is not one: the
    PSBI rules (age_max_years = 0.1667 in the data) follow the text."""
    birth = TODAY - timedelta(days=days)
    years = Patient(id="P", name="X", sex=Sex.MALE, birth_date=birth).age_years(TODAY)
    text = ages.age_text(birth_date=birth, today=TODAY)
    assert text.endswith("days") is young_infant
    kb = load_knowledge()
    [psbi] = [r for r in kb.rules if r.id == "imci_young_infant_psbi"]
    assert rule_applies(psbi, age_years=years, sex="male", pregnant_context=False,
                        pregnant_flag=None) is young_infant


def test_the_engine_bands_at_12_months_and_5_years():
    kb = load_knowledge()
    [sam] = [r for r in kb.rules if r.id == "imci_complicated_sam_wasting"]   # age_max_years = 5
    under = Patient(id="P", name="X", sex=Sex.MALE, birth_date=date(2021, 12, 6)).age_years(TODAY)
    five = Patient(id="P", name="X", sex=Sex.MALE, birth_date=date(2021, 12, 5)).age_years(TODAY)
    assert rule_applies(sam, age_years=under, sex="male", pregnant_context=False, pregnant_flag=None)
    assert not rule_applies(sam, age_years=five, sex="male", pregnant_context=False, pregnant_flag=None)
    assert Patient(id="P", name="X", sex=Sex.MALE, birth_date=date(2025, 12, 5)).age_years(TODAY) >= 1
    assert Patient(id="P", name="X", sex=Sex.MALE, birth_date=date(2025, 12, 6)).age_years(TODAY) < 1
