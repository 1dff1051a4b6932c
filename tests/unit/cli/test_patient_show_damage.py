"""`lantern patient show` with records damaged in the vault file: each shows as
"record damaged: cannot be read" where it stands, a warning goes to stderr and the
exit status is 5 (printed, but incomplete). Never "Allergies: none recorded"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.vault_edits import flip_byte, swap_data

from lantern.cli import main
from lantern.cli.vault_cmds import EXIT_UNREADABLE_RECORDS

PASS = "cli damage passphrase"
REPO = Path(__file__).resolve().parents[3]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def chart(capsys, monkeypatch, tmp_path):
    """A patient with two allergies, a medication, a problem and a signed note, written
    through the services of the vault the CLI opens."""
    from lantern.services.session import VaultSession

    monkeypatch.setenv("LANTERN_PASSPHRASE", PASS)
    assert run(capsys, "init", "--clinic", "Hill", "--admin", "boss")[0] == 0
    data = Path(os.environ["LANTERN_DATA_DIR"])
    session = VaultSession.unlock(data, username="boss", passphrase=PASS, sleep=lambda s: None)
    try:
        rec = session.records
        p = rec.add_patient(name="Amina Yusuf", sex="female", birth_year=2019)
        ids = {"pen": rec.add_allergy(p.id, substance="Penicillin", reaction="anaphylaxis").id,
               "sulfa": rec.add_allergy(p.id, substance="Sulfa").id,
               "med": rec.add_medication(p.id, name="Salbutamol", dose="100 mcg").id,
               "prob": rec.add_problem(p.id, description="Asthma").id}
        enc = rec.new_encounter(p.id)
        rec.save_draft(enc.id, note="Wheeze for two days.", vitals=rec.get_encounter(enc.id).vitals)
        ids["enc"] = rec.sign_encounter(enc.id).id
    finally:
        session.lock()
    return data / "lantern-vault.db", p.id, ids


def test_an_intact_chart_exits_0_without_warning(capsys, chart):
    _db, pid, _ids = chart
    code, out, err = run(capsys, "patient", "show", "--user", "boss", pid)
    assert code == 0 and err == ""
    assert "Allergies: Sulfa, Penicillin" in out and "damaged" not in out.lower()


def test_a_damaged_allergy_is_shown_beside_the_intact_one(capsys, chart):
    db, pid, ids = chart
    flip_byte(db, "allergies", ids["pen"])
    code, out, err = run(capsys, "patient", "show", "--user", "boss", pid)
    assert code == EXIT_UNREADABLE_RECORDS
    line = next(ln for ln in out.splitlines() if ln.startswith("Allergies:"))
    assert line == f"Allergies: RECORD DAMAGED: cannot be read [allergies/{ids['pen']}], Sulfa"
    assert "none recorded" not in out and "Penicillin" not in out
    assert err.startswith("lantern: warning: 1 record(s) of this patient cannot be read (allergies)")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_every_damaged_kind_is_named_where_it_stands(capsys, chart):
    db, pid, ids = chart
    for table, key in (("allergies", "pen"), ("allergies", "sulfa"), ("medications", "med"),
                       ("problems", "prob"), ("encounters", "enc")):
        flip_byte(db, table, ids[key])
    code, out, err = run(capsys, "patient", "show", "--user", "boss", pid)
    assert code == EXIT_UNREADABLE_RECORDS
    assert "none recorded" not in out and "Medications: none" not in out and "Problems: none" not in out
    assert f"Medications: RECORD DAMAGED: cannot be read [medications/{ids['med']}]" in out
    assert f"Problems: RECORD DAMAGED: cannot be read [problems/{ids['prob']}]" in out
    assert f"== Encounter {ids['enc']}: RECORD DAMAGED: cannot be read [encounters/{ids['enc']}]" in out
    assert "Wheeze" not in out
    assert "5 record(s)" in err and "allergies, encounters, medications, problems" in err


def test_through_a_subprocess_with_data_swapped_between_rows(chart):
    db, pid, ids = chart
    swap_data(db, "allergies", ids["pen"], ids["sulfa"])
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "LANTERN_PASSPHRASE": PASS,
           "LANTERN_KDF_PROFILE": "test"}
    shown = subprocess.run([sys.executable, "-m", "lantern.cli", "patient", "show", "--user", "boss", pid],
                           env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == EXIT_UNREADABLE_RECORDS, shown.stderr
    assert shown.stdout.count("RECORD DAMAGED: cannot be read [allergies/") == 2
    assert "Allergies: none recorded" not in shown.stdout and "Wheeze for two days." in shown.stdout
    assert "2 record(s)" in shown.stderr
