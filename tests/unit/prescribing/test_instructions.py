"""The patient instruction sheet (issue 14, item 4): countable doses, schedule wording,
end dates, EN and ZH sheets for a child on amoxicillin syrup by weight and an adult on
metronidazole + paracetamol, and orders with safety alerts never printed as if safe.
Against the real formulary and the real resources/instructions data."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from lantern.clinical.prescribing import Patient, calculate_dose, load_formulary
from lantern.clinical.prescribing.instructions import (
    build_sheet,
    countable_dose,
    end_date,
    load_wording,
    schedule_text,
    wording_problems,
)
from lantern.domain.errors import ValidationError
from lantern.domain.records import AlertOverride, DrugOrder, OrderAlert
from lantern.services.instruction_layout import instruction_sheet, instruction_sheet_html
from lantern.services.letter_layout import LetterContext, Letterhead, Referrer

START = date(2026, 12, 5)


@pytest.fixture(scope="module")
def formulary():
    return load_formulary()


def _dose(formulary, drug: str, dose: float, unit: str, lang: str = "en", typed: str = "") -> str:
    return countable_dose(formulary.drugs[drug], dose=dose, unit=unit, route="oral", typed=typed or drug,
                          lang=lang).text


def test_the_data_is_complete_and_cited(formulary):
    assert wording_problems(load_wording(), formulary) == []


def test_tablets_are_counted_in_whole_and_half_tablets(formulary):
    assert _dose(formulary, "paracetamol", 2, "tablet") == "2 tablets"
    assert _dose(formulary, "paracetamol", 1, "tablet") == "1 tablet"
    assert _dose(formulary, "paracetamol", 1.5, "tablet") == "1 and a half tablets"
    assert _dose(formulary, "paracetamol", 0.5, "tablet") == "half a tablet"
    assert _dose(formulary, "paracetamol", 1.5, "tablet", "zh") == "每次1片半"
    assert _dose(formulary, "paracetamol", 2, "tablet", "zh") == "每次2片"
    # a dose in mg is counted in the tablet the prescription dispenses, with its strength
    assert _dose(formulary, "metronidazole", 400, "mg") == "1 tablet (tablets of 400 mg)"
    assert _dose(formulary, "paracetamol", 1000, "mg") == "2 tablets (tablets of 500 mg)"
    assert _dose(formulary, "paracetamol", 1000, "mg", "zh") == "每次2片（每片500 mg）"
    # capsules are called capsules
    assert _dose(formulary, "fluconazole", 1, "tablet") == "1 capsule"


def test_a_quarter_tablet_is_refused_and_said_in_mg(formulary):
    # paracetamol 500 mg tablets are quarter-scored in the formulary; a patient is not asked to quarter
    said = _dose(formulary, "paracetamol", 125, "mg")
    assert said.startswith("125 mg (") and "not a whole or half tablet" in said and "tablet" not in said[:10]
    # the tablet's strength known (typed, or the only one): said in mg; else in tablets, still refused
    assert _dose(formulary, "paracetamol", 0.25, "tablet", typed="paracetamol 500mg").startswith("125 mg (")
    assert _dose(formulary, "paracetamol", 0.25, "tablet").startswith("0.25 tablet (")
    assert _dose(formulary, "paracetamol", 125, "mg", "zh").startswith("每次125 mg（不是整片或半片")
    assert _dose(formulary, "metronidazole", 0.25, "tablet").startswith("0.25 tablet (")   # strengths differ


def test_liquids_in_ml_and_5_ml_spoons(formulary):
    assert _dose(formulary, "amoxicillin", 10, "ml") == "10 ml (2 spoons of 5 ml)"
    assert _dose(formulary, "amoxicillin", 5, "ml") == "5 ml (1 spoon of 5 ml)"
    assert _dose(formulary, "amoxicillin", 7.5, "ml") == "7.5 ml (1 and a half spoons of 5 ml)"
    assert _dose(formulary, "amoxicillin", 2.5, "ml") == "2.5 ml (half a spoon of 5 ml)"
    assert _dose(formulary, "amoxicillin", 7, "ml") == "7 ml"                   # not spoons: ml only
    assert _dose(formulary, "amoxicillin", 10, "ml", "zh") == "每次10毫升（5毫升小勺2勺）"
    # a dose in mg of a syrup typed with its strength: ml of that syrup
    assert _dose(formulary, "amoxicillin", 500, "mg", typed="amoxicillin 250mg/5ml syrup") == \
        "10 ml (2 spoons of 5 ml)"


def test_sachets(formulary):
    assert _dose(formulary, "oral_rehydration_salts", 1, "sachet") == "1 sachet"
    assert _dose(formulary, "oral_rehydration_salts", 2, "sachet", "zh") == "每次2袋"
    assert _dose(formulary, "oral_rehydration_salts", 1.5, "sachet").startswith("1.5 sachet (")


def test_schedule_wording():
    assert schedule_text(1, "en") == "Once a day, at the same time each day"
    assert schedule_text(2, "en") == "Twice a day: morning and evening"
    assert schedule_text(2, "zh") == "每天2次：早晚各1次"
    assert schedule_text(3, "en") == "Three times a day: morning, midday and evening"
    assert schedule_text(6, "en") == "6 times a day: every 4 hours"
    assert schedule_text(5, "zh") == "每天5次"


def test_end_date_counts_today_as_day_one():
    assert end_date(START, 5) == date(2026, 12, 9)
    assert end_date(START, 1) == START
    assert end_date(date(2026, 12, 30), 7) == date(2027, 1, 5)


def _order(drug_id, dose, unit, times, days, typed=None, **kw):
    return DrugOrder(drug=typed or drug_id, drug_id=drug_id, dose=dose, unit=unit, route="oral",
                     times_per_day=times, days=days, **kw)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


def _ctx(name: str, age: float) -> LetterContext:
    return LetterContext(letterhead=Letterhead("Hope Clinic", "Market Road 3, Kisoro", "+256 700 111222"),
                         referrer=Referrer("Dr Amina Okello", "clinician"),
                         written_at=datetime(2026, 12, 5, 10, 30), patient={"name": name, "age_years": age})


def test_child_on_amoxicillin_syrup_by_weight_en_and_zh(formulary):
    dose = calculate_dose(formulary.drugs["amoxicillin"], Patient(age_years=2, weight_kg=12))
    order = _order("amoxicillin", dose.dose, dose.unit, dose.times_per_day, 5, typed="amoxicillin 250mg/5ml")
    en = _text(instruction_sheet_html(context=_ctx("Grace Nanyonga", 2),
                                      sheet=instruction_sheet([order], lang="en", start=START, age_years=2)))
    for part in ("Hope Clinic", "Market Road 3, Kisoro", "+256 700 111222", "How to take your medicines",
                 "Grace Nanyonga", "1. Amoxicillin", "An antibiotic", "10 ml (2 spoons of 5 ml)",
                 "Twice a day: morning and evening", "5 days: the last day is 9 Dec 2026",
                 "If you forget a dose", "Take all of it", "not able to drink or breastfeed",
                 "Dr Amina Okello", "IMCI"):
        assert part in en, part
    zh = _text(instruction_sheet_html(context=_ctx("Grace Nanyonga", 2),
                                      sheet=instruction_sheet([order], lang="zh", start=START, age_years=2)))
    for part in ("用药说明", "患者", "阿莫西林", "每次10毫升（5毫升小勺2勺）", "每天2次：早晚各1次",
                 "共5天，最后一天是2026年12月9日", "忘记服药时", "不能喝水或吃奶", "开药医生"):
        assert part in zh, part
    assert "twice a day" not in zh and "每天2次" not in en


def test_adult_on_metronidazole_and_paracetamol_en_and_zh(formulary):
    orders = [_order("metronidazole", 400, "mg", 3, 7), _order("paracetamol", 2, "tablet", 4, 3)]
    sheet = build_sheet(orders, formulary, lang="en", start=START, age_years=34)
    metro, para = sheet.medicines
    assert metro.how_much == "1 tablet (tablets of 400 mg)"
    assert metro.when == ("Three times a day: morning, midday and evening", "Take with or just after food.")
    assert metro.how_long == "7 days: the last day is 11 Dec 2026"
    assert any("alcohol" in x for x in metro.warnings) and any("all the days" in x for x in metro.warnings)
    assert para.how_much == "2 tablets"
    assert any("other medicine that contains paracetamol" in x for x in para.warnings)
    assert not any("alcohol" in x for x in para.warnings)
    assert "you have difficulty breathing" in sheet.return_signs             # the adult list, not IMCI's
    assert not any("breastfeed" in s for s in sheet.return_signs)
    zh = build_sheet(orders, formulary, lang="zh", start=START, age_years=34)
    assert zh.medicines[0].name == "甲硝唑" and "不要饮酒" in zh.medicines[0].warnings[0]
    assert zh.medicines[1].how_much == "每次2片" and "对乙酰氨基酚" in zh.medicines[1].warnings[0]
    assert zh.medicines[0].how_long == "共7天，最后一天是2026年12月11日"


def test_unknown_data_is_left_out_not_invented(formulary):
    # a medicine the counselling data does not cover: no purpose, no food line, no warnings
    drug_id = next(d for d in formulary.drugs if d not in load_wording().drugs and formulary.drugs[d].forms
                   and formulary.drugs[d].forms[0].is_tablet)
    sheet = build_sheet([_order(drug_id, 1, "tablet", 1, 1)], formulary, lang="en", start=START, age_years=None)
    med = sheet.medicines[0]
    assert med.purpose == "" and med.warnings == () and len(med.when) == 1
    assert med.missed == ""                      # a single dose: nothing to forget
    assert sheet.return_signs == ()              # age unknown: no list guessed
    html = instruction_sheet_html(context=_ctx("X", 40), sheet=sheet)
    assert "What it is for" not in html and "Take care" not in html


def _allergy_alert():
    return OrderAlert(kind="allergy", severity="stop", message="penicillin allergy on the chart", source="x")


def test_an_open_stop_alert_refuses_the_sheet(formulary):
    order = _order("amoxicillin", 500, "mg", 2, 5, alerts=(_allergy_alert(),))
    with pytest.raises(ValidationError, match="stop alert not overridden"):
        build_sheet([order], formulary, lang="en", start=START, age_years=30)


def test_an_overridden_allergy_prints_the_clinicians_note_and_what_to_do(formulary):
    alert = _allergy_alert()
    ov = AlertOverride(alert=alert.key, kind="allergy", severity="stop", reason="Taken before without a reaction",
                       reason_code="tolerated_before", by="amina", at=datetime(2026, 12, 5, 10, 0))
    order = _order("amoxicillin", 500, "mg", 2, 5, alerts=(alert,), overrides=(ov,))
    en = instruction_sheet([order], lang="en", start=START, age_years=30).medicines[0]
    assert en.cautions[0] == ("Your clinician gave this medicine after checking a warning about an allergy. "
                              "Reason: Taken before without a reaction")
    assert "stop the medicine and come back at once" in en.cautions[1]
    zh = instruction_sheet([order], lang="zh", start=START, age_years=30).medicines[0]
    assert zh.cautions[0] == "医生在核查了关于过敏的警示后开具了此药。理由：既往使用无不良反应"
    # a cross-reactivity warning left standing (warn, not overridden) is said as well
    warn = OrderAlert(kind="cross_reactivity", severity="warn", message="cephalosporin", source="x")
    said = build_sheet([_order("cefalexin", 500, "mg", 4, 5, alerts=(warn,))], formulary, lang="en",
                       start=START, age_years=30).medicines[0].cautions
    assert "a related allergy" in said[0] and "come back at once" in said[1]


def test_a_dispersible_tablet_says_to_dissolve_it(formulary):
    med = build_sheet([_order("zinc_sulfate", 1, "tablet", 1, 10)], formulary, lang="en", start=START,
                      age_years=1).medicines[0]
    assert med.how_much == "1 tablet\nDissolve the tablet in a little clean water or breast milk before giving."
    assert any("diarrhoea has stopped" in x for x in med.warnings)
    zh = build_sheet([_order("zinc_sulfate", 1, "tablet", 1, 10)], formulary, lang="zh", start=START,
                     age_years=1).medicines[0]
    assert zh.how_much.startswith("每次1片\n给药前先用少量清洁饮用水或母乳将药片溶开")
