"""The follow-up proposal reader (EN and ZH), its negatives, and the schedule data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lantern.clinical.followups import PROGRAMME_IDS, load_schedules, propose, propose_from_note
from lantern.clinical.followups.schedules import (
    add_months,
    followup_dir,
    next_visit,
    read_schedules,
)
from lantern.clinical.followups.wording import read_wording
from lantern.domain.errors import KnowledgeBaseError

VISIT = date(2026, 3, 10)


@pytest.mark.parametrize(("note", "due", "programme"), [
    ("Plan: review in 3 days.", date(2026, 3, 13), ""),
    ("Return in 2 days", date(2026, 3, 12), ""),
    ("ANC in 4 weeks", date(2026, 4, 7), "anc"),
    ("TB drugs refill in 1 month.", date(2026, 4, 10), "tb"),
    ("Come back next week.", date(2026, 3, 17), ""),
    ("RTC 2/52", date(2026, 3, 24), ""),
    ("Amoxicillin for 5 days. Review in five days.", date(2026, 3, 15), ""),
    ("Review in 3 days, sooner if worse.", date(2026, 3, 13), ""),
    ("ART refill in 3 months", date(2026, 6, 10), "hiv_art"),
    ("OTP: RUTF given, come back in 1 week", date(2026, 3, 17), "malnutrition_otp"),
    ("f/u tomorrow", date(2026, 3, 11), ""),
    ("复诊 1 周后", date(2026, 3, 17), ""),
    ("3天后复查", date(2026, 3, 13), ""),
    ("两周后随访", date(2026, 3, 24), ""),
    ("3天复诊", date(2026, 3, 13), ""),
    ("十四天后复查", date(2026, 3, 24), ""),
    ("下周复诊", date(2026, 3, 17), ""),
    ("1个月后复诊，如有不适随诊", date(2026, 4, 10), ""),
    ("抗结核治疗，1个月后取药", date(2026, 4, 10), "tb"),
    ("孕28周，4周后产检", date(2026, 4, 7), "anc"),
])
def test_a_written_interval_gives_the_visit_date_plus_it(note, due, programme):
    [p] = propose(note, VISIT)
    assert (p.due, p.programme, p.source) == (due, programme, "note")
    assert note[p.start:p.end] == p.reason or " ".join(note[p.start:p.end].split()) == p.reason


@pytest.mark.parametrize("note", [
    "return if worse", "Return in 2 days if worse", "如有不适随诊", "不适随诊",
    "Cough for 3 days, fever 2 days.", "Amoxicillin 500 mg tds for 5 days.",
    "Review of systems: no chest pain.", "G2P1 at 28 weeks, no complaints.",
    "咳嗽3天，发热2天。", "", "Seen 2 weeks ago for malaria.",
])
def test_no_date_without_an_unconditional_return_instruction(note):
    assert propose_from_note(note, VISIT) == []


def test_month_ends_are_clamped():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    [p] = propose("Refill in 1 month", date(2028, 1, 31))
    assert p.due == date(2028, 2, 29)


def test_schedules_propose_when_the_note_names_a_programme_without_an_interval():
    [anc] = propose("G2P1 at 28/40, ANC visit done, BP normal.", VISIT)
    assert (anc.due, anc.programme, anc.source) == (date(2026, 3, 24), "anc", "schedule")
    assert "30 weeks" in anc.reason
    [imm] = propose("Immunisation today.", VISIT, birth_date=date(2026, 1, 20))
    assert imm.due == date(2026, 3, 31) and "DTP-HepB-Hib 2" in imm.reason
    [tb] = propose("TB patient, continuation phase, drugs dispensed.", VISIT)
    assert (tb.due, tb.programme) == (date(2026, 4, 10), "tb")
    [otp] = propose("Severe acute malnutrition in OTP, RUTF given.", VISIT)
    assert otp.due == date(2026, 3, 17)
    # ANC without a gestational age, immunisation without a birth date: no guess
    assert propose("ANC visit, no complaints.", VISIT) == []
    assert propose("Vaccination today.", VISIT) == []
    assert propose("Return if worse.", VISIT, programmes=("tb",))[0].programme == "tb"


def test_anc_contacts_are_the_who_2016_eight_contact_model():
    anc = load_schedules()["anc"]
    assert anc.contact_weeks == (12, 20, 26, 30, 34, 36, 38, 40)
    assert "2016" in anc.source and "eight contacts" in anc.source
    assert next_visit(anc, visit=VISIT, gestation_weeks=40) is None


def test_every_programme_cites_a_source_and_the_registry_matches_the_data():
    schedules = load_schedules()
    assert tuple(schedules) == PROGRAMME_IDS
    for p in schedules.values():
        assert "WHO" in p.source and p.name_en and p.name_zh
    assert "2023" in schedules["immunisation"].source


def test_broken_data_fails_loudly(tmp_path: Path):
    text = (followup_dir() / "schedules.toml").read_text(encoding="utf-8")
    renamed = tmp_path / "schedules.toml"
    renamed.write_text(text.replace('id = "tb"', 'id = "tuberculosis"'), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="must be exactly"):
        read_schedules(renamed)
    wording = tmp_path / "wording_en.toml"
    wording.write_text((followup_dir() / "wording_en.toml").read_text(encoding="utf-8")
                       .replace("[programmes]\n", "[programmes]\ndental = [\"tooth\"]\n"),
                       encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="unknown programme"):
        read_wording(wording, programme_ids=frozenset(PROGRAMME_IDS))
