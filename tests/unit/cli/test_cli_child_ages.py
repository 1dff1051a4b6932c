"""`lantern patient list` and `patient show` give a child's age in days or months
(lantern.domain.ages), an adult's in years; a future birth date is refused."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from lantern.cli import main
from lantern.domain import ages

ADMIN_PASS = "cli admin passphrase"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def vault(capsys, monkeypatch):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    code, _out, err = run(capsys, "init", "--clinic", "Hill Clinic", "--admin", "boss")
    assert code == 0, err


def test_list_and_show_give_months_for_a_child(capsys, vault):
    birth = date.today() - timedelta(days=500)
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "Kondwani Phiri",
                         "--sex", "male", "--birth-date", birth.isoformat())
    assert code == 0, err
    pid = out.strip()
    months = ages.age_text(birth_date=birth)
    assert re.fullmatch(r"1[67] months", months)
    code, out, _ = run(capsys, "patient", "list", "--user", "boss", "--search", "kondwani")
    assert code == 0 and out.split("\t")[:4] == [pid, "Kondwani Phiri", "male", months]
    code, out, _ = run(capsys, "patient", "show", "--user", "boss", pid)
    assert code == 0 and f"(male, {months}, born {birth.isoformat()})" in out.splitlines()[0]


def test_a_future_birth_date_is_one_clear_line_and_nothing_saved(capsys, vault):
    future = (date.today() + timedelta(days=2)).isoformat()
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "Not Born",
                         "--sex", "female", "--birth-date", future)
    assert code != 0 and out == ""
    assert "The date of birth is in the future." in err and err.count("\n") == 1
    code, out, _ = run(capsys, "patient", "list", "--user", "boss")
    assert code == 0 and "Not Born" not in out
