"""``lantern followup add | list | outcome`` through the real CLI and a real vault:
output, JSON, filters, exit codes, and bad input that saves nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from lantern.cli import main
from lantern.vault.store import vault_path

PASS = "followup cli passphrase"
def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY
    TODAY = date.today()


refresh_dates()


@pytest.fixture
def cli(capsys, monkeypatch, data_dir):
    monkeypatch.setenv("LANTERN_PASSPHRASE", PASS)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    assert run("init", "--clinic", "FU Clinic", "--admin", "boss")[0] == 0
    return run


def _rows(data_dir) -> int:
    conn = sqlite3.connect(vault_path(data_dir))
    try:
        return conn.execute("SELECT count(*) FROM followups").fetchone()[0]
    finally:
        conn.close()


def test_add_list_outcome(cli, data_dir):
    code, out, _ = cli("patient", "add", "--user", "boss", "--name", "Mary Phiri", "--sex",
                       "female", "--village", "Nakonde", "--phone", "0977 123 456")
    pid = out.strip()
    code, out, err = cli("followup", "add", "--user", "boss", "--patient", pid, "--due",
                         TODAY.isoformat(), "--programme", "anc", "--reason", "ANC in 4 weeks")
    assert code == 0, err
    fid = out.strip()
    code, out, _ = cli("followup", "list", "--user", "boss", "--when", "today")
    assert code == 0
    [line] = out.splitlines()
    fields = line.split("\t")
    assert fields[:7] == [fid, TODAY.isoformat(), "today", "anc", "Mary Phiri", "Nakonde",
                          "0977 123 456"]
    code, out, _ = cli("followup", "list", "--user", "boss", "--json", "--village", "nak")
    [item] = json.loads(out)
    assert (item["id"], item["phone"], item["overdue_days"]) == (fid, "0977 123 456", 0)
    assert cli("followup", "list", "--user", "boss", "--when", "overdue")[1] == ""
    assert cli("followup", "list", "--user", "boss", "--programme", "tb")[1] == ""
    code, out, _ = cli("followup", "outcome", fid, "--user", "boss", "--outcome", "not_reachable")
    assert (code, out) == (0, f"{fid}\tnot_reachable\n")
    code, out, _ = cli("followup", "outcome", fid, "--user", "boss", "--outcome", "died")
    assert code == 0
    assert cli("followup", "list", "--user", "boss")[1] == ""     # closed


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--due", "2026-02-30"], 2, "Not a valid date"),
    (["--due", "tomorrow"], 2, "Not a valid date"),
    (["--due", (TODAY - timedelta(days=1)).isoformat()], 2, "before the visit"),
    (["--due", TODAY.isoformat(), "--programme", "dental"], 2, "Unknown programme"),
])
def test_bad_input_is_one_line_and_saves_nothing(cli, data_dir, args, code, message):
    pid = cli("patient", "add", "--user", "boss", "--name", "Juma", "--sex", "male")[1].strip()
    got, out, err = cli("followup", "add", "--user", "boss", "--patient", pid, *args)
    assert (got, out) == (code, "")
    assert err.count("\n") == 1 and message in err and "nothing was saved" in err.lower()
    assert _rows(data_dir) == 0


def test_unknown_patient_and_follow_up(cli, data_dir):
    code, out, err = cli("followup", "add", "--user", "boss", "--patient", "PNOBODY1", "--due",
                         TODAY.isoformat())
    assert code == 1 and err.count("\n") == 1 and "No such patient" in err
    code, out, err = cli("followup", "outcome", "FNOBODY1", "--user", "boss", "--outcome", "came")
    assert code == 1 and "No such follow-up" in err
    code, out, err = cli("followup", "outcome", "FNOBODY1", "--user", "boss", "--outcome", "gone")
    assert code == 2 and "Unknown outcome" in err and err.count("\n") == 1
    assert _rows(data_dir) == 0
