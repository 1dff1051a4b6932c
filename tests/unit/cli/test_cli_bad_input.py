"""Bad input through the real CLI: oversized and binary notes, control characters,
unreadable batch lines, implausible vitals, escape sequences in stored text, damaged
schema text, and triage without an age."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from lantern.cli import main
from lantern.clinical.language.findings import NO_AGE_WARNING
from lantern.domain.typed_text import MAX_NOTE_BYTES
from lantern.services import record_lists
from lantern.services.session import VaultSession
from lantern.vault.store import vault_path

PASS = "bad input passphrase"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def patient(capsys, monkeypatch) -> str:
    monkeypatch.setenv("LANTERN_PASSPHRASE", PASS)
    assert run(capsys, "init", "--clinic", "Input Clinic", "--admin", "boss")[0] == 0
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "Neema Ali",
                         "--sex", "female")
    assert code == 0, err
    return out.strip()


def encounters(capsys, patient: str) -> list[str]:
    code, out, err = run(capsys, "patient", "show", "--user", "boss", patient)
    assert code == 0, err
    return re.findall(r"^== Encounter (\S+)", out, flags=re.M)


# -- size limit and binary input -------------------------------------------------------------
def test_note_from_dev_zero_stops_at_the_limit_and_saves_nothing(capsys, patient):
    code, out, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient,
                         "/dev/zero")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "larger than 1 MB" in err
    assert encounters(capsys, patient) == []


def test_passphrase_file_from_dev_zero_is_refused_at_once(capsys, patient):
    code, out, err = run(capsys, "patient", "list", "--user", "boss", "--passphrase-file",
                         "/dev/zero")
    assert code == 2 and "too long" in err and out == ""


def test_note_of_nul_bytes_is_not_accepted_or_signed(capsys, patient, tmp_path):
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"\x00" * 4096)
    code, out, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient, str(nul))
    assert code == 2 and "NUL" in err and err.count("\n") == 1
    assert encounters(capsys, patient) == []


def test_note_just_under_the_limit_is_kept_and_one_byte_more_is_refused(capsys, patient, tmp_path):
    line = "Cough and fever, no rash. " * 40 + "\n"
    body = line * (MAX_NOTE_BYTES // len(line))
    body += "." * (MAX_NOTE_BYTES - len(body))
    assert len(body.encode("utf-8")) == MAX_NOTE_BYTES
    ok, over = tmp_path / "ok.txt", tmp_path / "over.txt"
    ok.write_text(body, encoding="utf-8")
    over.write_text(body + "x", encoding="utf-8")
    code, _, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient, str(ok))
    assert code == 0, err
    code, _, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient, str(over))
    assert code == 2 and "1 MB" in err
    assert len(encounters(capsys, patient)) == 1


def test_control_characters_are_removed_with_a_message(capsys, monkeypatch, patient):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        b"Cough \x1b[2J\x1b]0;title\x07for 3 days\x08.\tNo fever.")))
    code, out, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient, "-")
    assert code == 0 and "removed 4 control character(s)" in err
    with_session = VaultSession.unlock(vault_path_dir(), username="boss", passphrase=PASS)
    try:
        enc = with_session.records.list_encounters(patient)[0]
    finally:
        with_session.lock()
    assert enc.note == "Cough [2J]0;titlefor 3 days.\tNo fever."


def vault_path_dir() -> Path:
    import os

    return Path(os.environ["LANTERN_DATA_DIR"])


# -- escape sequences in stored text are neutralised on output -------------------------------
def test_escape_sequences_in_stored_names_are_shown_inert(capsys, monkeypatch, patient):
    # a name stored before input was cleaned (an older Lantern): the CLI must not replay it
    with monkeypatch.context() as older_lantern:
        older_lantern.setattr(record_lists, "clean_text", lambda text, **_: text)
        session = VaultSession.unlock(vault_path_dir(), username="boss", passphrase=PASS)
        try:
            evil = session.records.add_patient(name="Eve\x1b]0;owned\x07\x1b[31mRed\u202e",
                                               sex="female", village="Hill\x1b[2J")
        finally:
            session.lock()
    for argv in (("patient", "list"), ("patient", "show", evil.id)):
        code, out, err = run(capsys, argv[0], argv[1], "--user", "boss", *argv[2:])
        assert code == 0, err
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out + err)
        assert "Eve\\x1b]0;owned\\x07\\x1b[31mRed\\u202e" in out


# -- batch lines that cannot be read ------------------------------------------------------------
BATCH = (b'{"id": "first", "note": "cough for 2 days"}\n'
         b'\xff\xfe{"id": "latin1", "note": "caf\xe9"}\n'
         b'{"id": "broken", "note": \n'
         + b"x" * (MAX_NOTE_BYTES + 10) + b"\n"
         + b'{"id": "nul", "note": "\\u0000\\u0000"}\n'
         b'{"id": "last", "note": "fever and headache"}\n')


@pytest.mark.parametrize("command", ["diagnose", "summarize"])
def test_batch_reports_each_bad_line_and_processes_the_rest(capsys, tmp_path, command):
    source = tmp_path / "cases.jsonl"
    source.write_bytes(BATCH)
    code, out, err = run(capsys, command, "--batch", "--no-llm", str(source))
    assert code == 0, err
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == 6
    assert results[0]["id"] == "first" and "error" not in results[0]
    assert results[1] == {"id": None, "error": "line 2 is not UTF-8 text; skipped"}
    assert results[2]["id"] is None and "JSON" in results[2]["error"]
    assert results[3] == {"id": None, "error": "line 4 is longer than 1 MB; skipped"}
    assert results[4]["id"] == "nul" and "NUL" in results[4]["error"]
    assert results[5]["id"] == "last" and "error" not in results[5]


def test_batch_from_stdin_with_invalid_utf8(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        b'\xc3\x28\n{"id": 2, "note": "cough"}\n')))
    code, out, _ = run(capsys, "diagnose", "--batch", "--no-llm", "-")
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and results[0] == {"id": None, "error": "line 1 is not UTF-8 text; skipped"}
    assert results[1]["id"] == 2 and results[1]["triage"]


# -- implausible vitals: the same flags in diagnose and summarize ----------------------------
def implausible_lines(err: str) -> list[str]:
    return [line.split(": ", 2)[2] for line in err.splitlines() if "implausible value" in line]


def test_implausible_vitals_are_flagged_alike_by_diagnose_and_summarize(capsys, tmp_path):
    case = {"id": "v", "note": "Fever for 2 days. T 9999 C. HR 4000. BP 120/80.",
            "vitals": {"temp_c": 9999, "resp_rate": 22}}
    source = tmp_path / "case.json"
    source.write_text(json.dumps(case), encoding="utf-8")
    _, dx_out, dx_err = run(capsys, "diagnose", "--no-llm", str(source))
    code, sm_out, sm_err = run(capsys, "summarize", "--no-llm", str(source))
    assert code == 0
    flagged = implausible_lines(dx_err)
    assert flagged == ["implausible value ignored: temp_c 9999",
                       "implausible value ignored: heart_rate 4000"]
    assert implausible_lines(sm_err) == flagged
    summary = json.loads(sm_out)["summary"]
    objective = " ".join(summary["sections"]["objective"])
    assert "BP 120/80" in objective and "RR 22" in objective
    assert "[implausible, not used: T 9999, HR 4000]" in objective
    assert "9999 °C" not in summary["text"] and "999 °C" not in summary["text"]
    # and diagnose used neither value
    findings = {f["id"] for f in json.loads(dx_out)["findings"]}
    assert not findings & {"very_high_fever", "high_fever", "tachycardia"}


# -- damaged schema text ------------------------------------------------------------------------
@pytest.mark.parametrize("offset", [3, 25], ids=["statement", "column"])
def test_flipped_byte_in_schema_text_gives_the_damage_message(capsys, patient, offset):
    path = vault_path(vault_path_dir())
    data = bytearray(path.read_bytes())
    at = data.find(b"CREATE TABLE patients")
    assert at > 0
    data[at + offset] = 0xC3
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    code, out, err = run(capsys, "patient", "list", "--user", "boss")
    assert code == 1 and out == ""
    assert err == "lantern: The vault file is damaged; run 'lantern vault verify' or restore a backup.\n"


# -- no age -------------------------------------------------------------------------------------
def test_no_age_uses_rules_for_any_age_and_says_so(capsys, tmp_path):
    results = {}
    for name, case in {"none": {"note": "fever"}, "infant": {"note": "fever", "age_years": 0.05},
                       "adult": {"note": "fever", "age_years": 30}}.items():
        source = tmp_path / f"{name}.json"
        source.write_text(json.dumps(case), encoding="utf-8")
        code, out, err = run(capsys, "diagnose", "--no-llm", str(source))
        assert code == 0, err
        results[name] = (json.loads(out), err)
    infant, _ = results["infant"]
    assert infant["triage"] == "emergency"     # the young-infant rule exists and fires by age
    none, err = results["none"]
    assert none["triage"] == results["adult"][0]["triage"] != "emergency"
    assert not any(s["id"].startswith("imci_young_infant") for s in none["danger_signs"])
    assert NO_AGE_WARNING in err and "adult thresholds used" not in err
    assert "young-infant" in NO_AGE_WARNING and "children and adults" in NO_AGE_WARNING
