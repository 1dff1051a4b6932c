"""`lantern note add --date --diagnosis` (issue 17): back-entered encounters with their
confirmed diagnoses, stored through the one assessment-decisions path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.unit.cli import test_vault_cli as cli_fixtures
from tests.unit.cli.test_vault_cli import ADMIN_PASS, run

from lantern.services.session import VaultSession

vault = cli_fixtures.vault
patient_id = cli_fixtures.patient_id


def _note(capsys, monkeypatch, pid, *extra):
    return run(capsys, "note", "add", "--user", "boss", "--patient", pid, *extra,
               stdin="Bloody diarrhoea 2 days.", monkeypatch=monkeypatch)


def _counts(tmp_path):
    s = VaultSession.unlock(tmp_path / "lantern-data", username="boss", passphrase=ADMIN_PASS)
    try:
        with s.reading() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("encounters", "assessments")}
    finally:
        s.lock()


def test_back_entered_note_keeps_its_day_and_its_confirmed_diagnoses(capsys, monkeypatch,
                                                                     tmp_path, patient_id):
    day = date.today() - timedelta(days=40)
    code, out, err = _note(capsys, monkeypatch, patient_id, "--date", day.isoformat(),
                           "--diagnosis", "dysentery", "--diagnosis", "malaria_uncomplicated",
                           "--diagnosis", "dysentery")
    assert code == 0, err
    enc_id = out.split("\t")[0]
    s = VaultSession.unlock(tmp_path / "lantern-data", username="boss", passphrase=ADMIN_PASS)
    try:
        enc = s.records.get_encounter(enc_id)
        assert enc.clinical_date == day and enc.created_at.date() == date.today()
        record = s.records.encounter_assessment(enc_id)
        assert [(d["condition_id"], d["state"], d["origin"], d["icd10"])
                for d in record["decisions"]] == [
            ("dysentery", "accepted", "knowledge_base", "A03.9"),
            ("malaria_uncomplicated", "accepted", "knowledge_base", "B54")]
        entries = s.audit.entries(50)
        created = next(e for e in entries if e.action == "create encounter")
        assert created.detail == f"clinical date {day.isoformat()}"
        assert created.at.date() == date.today()   # the time of entry, beside the day of care
        assert any(e.action == "save assessment" for e in entries)
    finally:
        s.lock()


def test_without_a_date_the_encounter_is_today(capsys, monkeypatch, tmp_path, patient_id):
    code, out, err = _note(capsys, monkeypatch, patient_id)
    assert code == 0, err
    s = VaultSession.unlock(tmp_path / "lantern-data", username="boss", passphrase=ADMIN_PASS)
    try:
        assert s.records.get_encounter(out.split("\t")[0]).clinical_date == date.today()
    finally:
        s.lock()


@pytest.mark.parametrize(("extra", "message"), [
    (("--date", (date.today() + timedelta(days=1)).isoformat()), "in the future"),
    (("--diagnosis", "no_such_condition"), "Unknown condition id(s): 'no_such_condition'"),
    (("--diagnosis", "dysentery", "--diagnosis", "Cholera"), "'Cholera'"),
])
def test_bad_input_saves_nothing(capsys, monkeypatch, tmp_path, patient_id, extra, message):
    before = _counts(tmp_path)
    code, out, err = _note(capsys, monkeypatch, patient_id, *extra)
    assert code != 0 and message in err and err.count("\n") == 1 and out == ""
    assert _counts(tmp_path) == before


@pytest.mark.parametrize("text", ["2026-13-01", "01/02/2026", "yesterday", "2026-1-5"])
def test_a_malformed_date_is_a_usage_error(capsys, monkeypatch, patient_id, text):
    with pytest.raises(SystemExit) as exc:
        _note(capsys, monkeypatch, patient_id, "--date", text)
    assert exc.value.code == 2
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_an_assistant_may_write_the_note_but_not_confirm_diagnoses(capsys, monkeypatch, tmp_path,
                                                                   patient_id):
    monkeypatch.setenv("LANTERN_NEW_PASSPHRASE", "nurse nina passphrase")
    code, _, err = run(capsys, "user", "add", "--user", "boss", "--new-user", "nurse",
                       "--role", "assistant")
    monkeypatch.setenv("LANTERN_PASSPHRASE", "nurse nina passphrase")
    assert code == 0, err
    before = _counts(tmp_path)
    code, out, err = run(capsys, "note", "add", "--user", "nurse", "--patient", patient_id,
                         "--diagnosis", "dysentery", stdin="Cough.", monkeypatch=monkeypatch)
    assert code == 4 and "may not save assessments" in err
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    assert _counts(tmp_path) == before
