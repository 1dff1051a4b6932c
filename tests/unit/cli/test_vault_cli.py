"""The vault commands of the ``lantern`` CLI, in-process and through a subprocess."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from lantern.cli import main

ADMIN_PASS = "cli admin passphrase"
REPO = Path(__file__).resolve().parents[3]


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        import io

        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def vault(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    code, out, err = run(capsys, "init", "--clinic", "Hill Clinic", "--admin", "boss")
    assert code == 0, err
    key = re.search(r"([2-9A-Z]{4}-){5}[2-9A-Z]{4}", out)
    assert key, out
    return key.group(0)


@pytest.fixture
def patient_id(capsys, vault):
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "Wanjiru Kamau",
                         "--sex", "female", "--birth-date", "1985-03-02", "--village", "Nyeri",
                         "--phone", "0722 111 222")
    assert code == 0, err
    pid = out.strip()
    assert re.fullmatch(r"P[0-9A-Z]{8}", pid)
    return pid


def test_init_prints_recovery_key_once_and_refuses_second_init(capsys, vault):
    code, out, err = run(capsys, "init", "--clinic", "Again", "--admin", "boss")
    assert code != 0 and "already exists" in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_patient_list_show_and_note(capsys, monkeypatch, tmp_path, patient_id):
    code, out, _ = run(capsys, "patient", "list", "--user", "boss", "--search", "WANJ")
    assert code == 0
    assert out.split("\t")[:3] == [patient_id, "Wanjiru Kamau", "female"]
    code, out, _ = run(capsys, "patient", "list", "--user", "boss", "--search", "nobody")
    assert code == 0 and out == ""

    note = tmp_path / "note.txt"
    note.write_text("Headache for 2 days. 头痛两天。", encoding="utf-8")
    code, out, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient_id, str(note))
    assert code == 0, err and out.strip().endswith("signed")
    code, out, err = run(capsys, "note", "add", "--user", "boss", "--patient", patient_id, "-",
                         "--draft", stdin="Second note from stdin", monkeypatch=monkeypatch)
    assert code == 0 and "draft" in out

    code, out, _ = run(capsys, "patient", "show", "--user", "boss", patient_id)
    assert code == 0
    assert "Wanjiru Kamau" in out and "1985-03-02" in out and "Nyeri" in out
    assert "头痛两天" in out and "Second note from stdin" in out and "[signed]" in out


def test_passphrase_file_prompt_and_never_argv(capsys, monkeypatch, tmp_path, vault):
    monkeypatch.delenv("LANTERN_PASSPHRASE")
    secret = tmp_path / "pass.txt"
    secret.write_text(ADMIN_PASS + "\n")
    assert run(capsys, "patient", "list", "--user", "boss", "--passphrase-file", str(secret))[0] == 0
    import getpass

    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": prompts.append(prompt) or ADMIN_PASS)
    assert run(capsys, "patient", "list", "--user", "boss")[0] == 0
    assert prompts == ["Passphrase for boss: "]
    with pytest.raises(SystemExit):  # there is no option to pass a passphrase on the command line
        main(["patient", "list", "--user", "boss", "--passphrase", ADMIN_PASS])


def test_init_prompt_asks_twice(capsys, monkeypatch, tmp_path):
    import getpass

    answers = iter(["first passphrase", "second passphrase"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    code, _, err = run(capsys, "init", "--clinic", "C", "--admin", "boss")
    assert code == 2 and "do not match" in err


def test_wrong_passphrase_one_line_nonzero(capsys, monkeypatch, vault):
    monkeypatch.setenv("LANTERN_PASSPHRASE", "not the right one")
    code, out, err = run(capsys, "patient", "list", "--user", "boss")
    assert code == 3 and out == ""
    assert err == "lantern: Wrong user name or passphrase.\n"


def test_user_add_roles_and_audit_verify(capsys, monkeypatch, tmp_path, patient_id):
    newpass = tmp_path / "nina.txt"
    newpass.write_text("nurse nina passphrase\n")
    code, out, err = run(capsys, "user", "add", "--user", "boss", "--new-user", "nina",
                         "--role", "assistant", "--new-passphrase-file", str(newpass))
    assert code == 0, err and "nina" in out
    code, _, err = run(capsys, "audit", "verify", "--user", "nina", "--passphrase-file", str(newpass))
    assert code == 4 and "may not" in err
    code, out, _ = run(capsys, "note", "add", "--user", "nina", "--passphrase-file", str(newpass),
                       "--patient", patient_id, "-", stdin="triage note", monkeypatch=monkeypatch)
    assert code == 0 and "draft" in out  # assistants cannot sign
    code, out, _ = run(capsys, "audit", "verify", "--user", "boss")
    assert code == 0 and "intact" in out


def test_audit_verify_reports_position(capsys, tmp_path, patient_id):
    db = tmp_path / "lantern-data" / "lantern-vault.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 3")
    conn.close()
    code, _, err = run(capsys, "audit", "verify", "--user", "boss")
    assert code != 0 and "entry 3" in err and err.count("\n") == 1


def test_vault_verify_names_damaged_record(capsys, tmp_path, patient_id):
    assert run(capsys, "vault", "verify", "--user", "boss")[0] == 0
    db = tmp_path / "lantern-data" / "lantern-vault.db"
    conn = sqlite3.connect(db, isolation_level=None)
    blob = bytearray(conn.execute("SELECT data FROM patients").fetchone()[0])
    blob[-3] ^= 0xFF
    conn.execute("UPDATE patients SET data = ?", (bytes(blob),))
    conn.close()
    code, out, err = run(capsys, "vault", "verify", "--user", "boss")
    assert code != 0 and f"damaged: patients/{patient_id}" in out
    assert "1 damaged record" in err
    code, out, err = run(capsys, "patient", "show", "--user", "boss", patient_id)
    assert code != 0 and "damaged" in err and "Traceback" not in err


def test_not_a_vault_is_one_clear_line(capsys, tmp_path, monkeypatch):
    data = tmp_path / "lantern-data"
    data.mkdir()
    (data / "lantern-vault.db").write_bytes(b"garbage" * 200)
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    code, _, err = run(capsys, "patient", "list", "--user", "boss")
    assert code != 0 and err.startswith("lantern: ") and "not a Lantern vault" in err
    assert (data / "lantern-vault.db").read_bytes() == b"garbage" * 200


def test_data_dir_option_wins(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    other = tmp_path / "elsewhere"
    assert run(capsys, "init", "--clinic", "C", "--admin", "boss", "--data-dir", str(other))[0] == 0
    assert (other / "lantern-vault.db").exists()
    assert not (tmp_path / "lantern-data" / "lantern-vault.db").exists()


def test_backup_and_recover(capsys, monkeypatch, tmp_path, vault, patient_id):
    code, out, _ = run(capsys, "vault", "backup", "--user", "boss", "--to", str(tmp_path / "b.db"))
    assert code == 0 and (tmp_path / "b.db").exists()
    keyfile = tmp_path / "key.txt"
    keyfile.write_text(vault.lower() + "\n")
    monkeypatch.setenv("LANTERN_NEW_PASSPHRASE", "recovered passphrase")
    code, out, err = run(capsys, "vault", "recover", "--user", "boss",
                         "--recovery-key-file", str(keyfile))
    assert code == 0, err
    monkeypatch.setenv("LANTERN_PASSPHRASE", "recovered passphrase")
    assert run(capsys, "patient", "show", "--user", "boss", patient_id)[0] == 0


def test_subprocess_end_to_end(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "LANTERN_DATA_DIR": str(tmp_path / "d"),
           "LANTERN_PASSPHRASE": ADMIN_PASS, "LANTERN_KDF_PROFILE": "test"}

    def lantern(*argv, stdin=None):
        return subprocess.run([sys.executable, "-m", "lantern.cli", *argv], env=env, input=stdin,
                              capture_output=True, text=True, timeout=60)

    assert lantern("init", "--clinic", "Sub", "--admin", "boss").returncode == 0
    added = lantern("patient", "add", "--user", "boss", "--name", "Sub Process", "--sex", "male",
                    "--birth-year", "2001")
    assert added.returncode == 0, added.stderr
    pid = added.stdout.strip()
    noted = lantern("note", "add", "--user", "boss", "--patient", pid, stdin="piped note\n")
    assert noted.returncode == 0, noted.stderr
    shown = lantern("patient", "show", "--user", "boss", pid)
    assert "piped note" in shown.stdout and "Sub Process" in shown.stdout
    bad = lantern("patient", "show", "--user", "boss", "PNOSUCHID")
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_user_list_deactivate_and_passphrase_change(capsys, monkeypatch, tmp_path, vault):
    monkeypatch.setenv("LANTERN_NEW_PASSPHRASE", "doctor doc passphrase")
    assert run(capsys, "user", "add", "--user", "boss", "--new-user", "doc",
               "--role", "clinician")[0] == 0
    code, out, _ = run(capsys, "user", "list", "--user", "boss")
    assert code == 0 and out.splitlines() == ["boss\tadmin\tactive", "doc\tclinician\tactive"]

    newfile = tmp_path / "new.txt"
    newfile.write_text("boss second passphrase\n")
    code, out, err = run(capsys, "user", "passphrase", "--user", "boss",
                         "--new-passphrase-file", str(newfile))
    assert code == 0, err
    code, _, err = run(capsys, "user", "list", "--user", "boss")
    assert code == 3  # the old passphrase no longer opens the vault
    monkeypatch.setenv("LANTERN_PASSPHRASE", "boss second passphrase")
    assert run(capsys, "user", "deactivate", "--user", "boss", "doc")[0] == 0
    code, out, _ = run(capsys, "user", "list", "--user", "boss")
    assert "doc\tclinician\tdeactivated" in out
    monkeypatch.setenv("LANTERN_PASSPHRASE", "doctor doc passphrase")
    assert run(capsys, "patient", "list", "--user", "doc")[0] == 3


def test_new_recovery_key_replaces_old(capsys, monkeypatch, tmp_path, vault):
    code, out, _ = run(capsys, "vault", "new-recovery-key", "--user", "boss")
    assert code == 0
    new_key = re.search(r"([2-9A-Z]{4}-){5}[2-9A-Z]{4}", out).group(0)
    assert new_key != vault
    old_file, new_file = tmp_path / "old.txt", tmp_path / "new.txt"
    old_file.write_text(vault)
    new_file.write_text(new_key)
    monkeypatch.setenv("LANTERN_NEW_PASSPHRASE", "recovered passphrase")
    code, _, err = run(capsys, "vault", "recover", "--user", "boss", "--recovery-key-file",
                       str(old_file))
    assert code == 3 and "recovery key" in err
    assert run(capsys, "vault", "recover", "--user", "boss", "--recovery-key-file",
               str(new_file))[0] == 0


def test_wiped_audit_is_named_by_audit_verify_and_writes_refused_until_accepted(
        capsys, tmp_path, patient_id):
    """Issue 12, "Why" 1: the wipe no longer reads as "intact (1 entries)"."""
    db = tmp_path / "lantern-data" / "lantern-vault.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log")
    conn.execute("DELETE FROM meta WHERE key = 'audit_head'")
    conn.close()
    code, out, err = run(capsys, "audit", "verify", "--user", "boss")
    assert code == 1 and "intact" not in out
    assert "tampered: audit wiped: the audit log was wiped" in out and "[audit_log]" in out
    assert "read-only" in err and err.count("\n") == 1
    code, out, err = run(capsys, "patient", "show", "--user", "boss", patient_id)
    assert code == 0 and "Wanjiru Kamau" in out           # reading still works
    assert "WARNING" in err and "audit wiped" in err
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "New",
                         "--sex", "male")
    assert code == 1 and "read-only" in err and out == ""
    code, out, err = run(capsys, "vault", "accept-state", "--user", "boss")
    assert code == 0 and "Accepted" in out, err
    code, out, err = run(capsys, "audit", "verify", "--user", "boss")
    assert code == 0 and "intact" in out and "sealed state" in out


def test_patient_add_refuses_a_possible_duplicate_unless_new_patient(capsys, vault):
    first = ("patient", "add", "--user", "boss", "--name", "Mary Phiri", "--sex", "female",
             "--birth-year", "2000", "--village", "Nakonde")
    code, out, err = run(capsys, *first)
    assert code == 0, err
    mary = out.strip()
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "Mari Phiri",
                         "--sex", "female", "--birth-year", "2001", "--village", "Nakonde")
    assert code == 6 and out == "" and "Traceback" not in err
    assert err.splitlines()[1].split("\t")[:2] == [f"  {mary}", "Mary Phiri"]
    assert "--new-patient" in err and "nothing was saved" in err
    code, out, _ = run(capsys, "patient", "list", "--user", "boss", "--search", "phiri")
    assert [line.split("\t")[0] for line in out.splitlines()] == [mary]

    code, out, err = run(capsys, *first, "--new-patient", "--caregiver-name", "Grace Phiri",
                         "--caregiver-relation", "mother", "--caregiver-phone", "0977 1")
    assert code == 0, err
    second = out.strip()
    assert second != mary
    code, out, _ = run(capsys, "patient", "show", "--user", "boss", second)
    assert "Caregiver: Grace Phiri (mother), 0977 1" in out


def test_patient_merge_and_unmerge_through_the_cli(capsys, vault, patient_id):
    code, out, err = run(capsys, "patient", "add", "--user", "boss", "--name", "Wanjiru Kamau",
                         "--sex", "female", "--birth-date", "1985-03-02", "--village", "Nyeri",
                         "--new-patient")
    twin = out.strip()
    code, out, err = run(capsys, "allergy", "add", "--user", "boss", "--patient", twin,
                         "--substance", "sulfa")
    assert code == 0, err
    code, out, err = run(capsys, "patient", "merge", "--user", "boss", "--keep", patient_id,
                         "--merged", patient_id)
    assert code == 2 and "cannot be merged with itself" in err and out == ""
    code, out, err = run(capsys, "patient", "merge", "--user", "boss", "--keep", patient_id,
                         "--merged", twin)
    assert code == 0 and "1 record(s) moved" in out, err
    code, out, _ = run(capsys, "patient", "show", "--user", "boss", patient_id)
    assert "Allergies: sulfa" in out
    code, out, _ = run(capsys, "patient", "show", "--user", "boss", twin)
    assert f"Merged into {patient_id}" in out and "Allergies: none recorded" in out
    code, out, err = run(capsys, "patient", "unmerge", "--user", "boss", twin)
    assert code == 0 and f"Separated {twin} from {patient_id}" in out, err
    code, out, _ = run(capsys, "patient", "show", "--user", "boss", twin)
    assert "Allergies: sulfa" in out and "Merged into" not in out
    code, out, err = run(capsys, "vault", "verify", "--user", "boss")
    assert code == 0, (out, err)
