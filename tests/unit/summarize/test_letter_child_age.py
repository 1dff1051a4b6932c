"""The referral letter of a child gives the age in months (lantern.domain.ages): in the
patient line of the letter's text and on the tear-off return slip, English and Chinese,
counted on the letter's date."""

from __future__ import annotations

from datetime import datetime

from lantern.clinical.summarize import summarize
from lantern.services.letter_layout import LetterContext, Letterhead, Referrer, letter_html

CHILD = {"name": "Child B", "id": "P-7", "birth_date": "2023-10-05"}


def _slip(lang: str, written: datetime, patient: dict) -> str:
    ctx = LetterContext(letterhead=Letterhead(name="Hill Clinic"), referrer=Referrer(name="Dr A"),
                        written_at=written, patient=patient)
    html = letter_html(body="Reason for referral\nfast breathing", headings=["Reason for referral"],
                       context=ctx, lang=lang)
    return html[html.index("✂"):]


def test_the_return_slip_gives_months_on_the_letter_date():
    assert "Child B · Age: 38 months · ID: P-7" in _slip("en", datetime(2026, 12, 5, 10, 0), CHILD)
    assert "Child B · 年龄：38个月 · 编号：P-7" in _slip("zh", datetime(2026, 12, 5, 10, 0), CHILD)
    # a young infant in days, an adult by birth year in years
    assert "Age: 12 days" in _slip("en", datetime(2026, 12, 5), {"name": "X", "birth_date": "2026-11-23"})
    assert "Age: 36 years" in _slip("en", datetime(2026, 12, 5), {"name": "Y", "birth_year": 1990})
    assert "Age" not in _slip("en", datetime(2026, 12, 5), {"name": "Z"})


def test_the_letter_text_gives_months_for_a_child_of_three():
    for lang in ("en", "zh"):
        s = summarize("referral", {"note": "Cough and fast breathing for 2 days.", "lang": lang,
                                   "age_years": 3.2, "sex": "male", "patient": {"name": "Child C"}})
        [line] = [ln.text for ln in s.sections["patient"]]
        # no birth date: from the decimal age 3.2 years -> 38 months
        assert ("Age: 38 months" if lang == "en" else "年龄：38个月") in line


def test_the_printed_prescription_gives_the_same_age():
    from lantern.services.letter_layout import prescription_html

    for lang, expected in (("en", "Age: 38 months"), ("zh", "年龄：38个月")):
        ctx = LetterContext(letterhead=Letterhead(name="Hill Clinic"), referrer=Referrer(name="Dr A"),
                            written_at=datetime(2026, 12, 5, 9, 0), patient={**CHILD, "sex": "male"})
        assert expected in prescription_html(context=ctx, lines=[], lang=lang)
    infant = LetterContext(letterhead=Letterhead(), referrer=Referrer(name="Dr A"),
                           written_at=datetime(2026, 12, 5), patient={"name": "N", "birth_date": "2026-11-20"})
    assert "Age: 15 days" in prescription_html(context=infant, lines=[], lang="en")
