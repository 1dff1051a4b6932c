"""The CLI side of key rotation: `user deactivate` and `vault new-recovery-key`
change the data key and re-encrypt with progress on stderr; `vault reencrypt`
finishes a pass that was interrupted."""

from __future__ import annotations

import sqlite3

from lantern.cli import main
from lantern.services.session import VaultSession
from lantern.vault.crypto import blob_epoch

ADMIN_PASS = "cli admin passphrase"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def patient_epochs(data_dir) -> list[int]:
    conn = sqlite3.connect(data_dir / "lantern-vault.db")
    try:
        return [blob_epoch(r[0]) for r in conn.execute("SELECT data FROM patients")]
    finally:
        conn.close()


def test_deactivate_and_new_recovery_key_rotate_and_reencrypt(capsys, monkeypatch, tmp_path,
                                                               data_dir):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    assert run(capsys, "init", "--clinic", "Hill Clinic", "--admin", "boss")[0] == 0
    secret = tmp_path / "nurse-pass"
    secret.write_text("nurse passphrase 1\n")
    assert run(capsys, "user", "add", "--user", "boss", "--new-user", "nina", "--role",
               "assistant", "--new-passphrase-file", str(secret))[0] == 0
    for name in ("Amina Yusuf", "Joseph Banda"):
        assert run(capsys, "patient", "add", "--user", "boss", "--name", name,
                   "--sex", "female")[0] == 0
    code, out, err = run(capsys, "user", "deactivate", "--user", "boss", "nina")
    assert code == 0, err
    assert "data key was changed (key epoch 1)" in out
    assert "Re-encrypting records under the new key: 2/2 (100%)" in err
    assert "Re-encrypted 2 records" in out
    assert patient_epochs(data_dir) == [1, 1]
    code, out, err = run(capsys, "vault", "new-recovery-key", "--user", "boss")
    assert code == 0 and "NEW RECOVERY KEY" in out and "2/2 (100%)" in err
    assert patient_epochs(data_dir) == [2, 2]
    code, out, _ = run(capsys, "vault", "reencrypt", "--user", "boss")
    assert code == 0 and "already encrypted under the current data key" in out
    code, out, _ = run(capsys, "patient", "list", "--user", "boss")
    assert "Amina Yusuf" in out and "Joseph Banda" in out


def test_reencrypt_continues_an_interrupted_pass(capsys, monkeypatch, data_dir):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    session, _key = VaultSession.create(data_dir, clinic_name="C", admin_username="boss",
                                        passphrase=ADMIN_PASS)
    for i in range(5):
        session.records.add_patient(name=f"Patient {i}", sex="male")
    session.rotate_recovery_key()
    stopped = session.reencrypt(chunk_rows=2, cancelled=lambda: bool(patient_epochs(data_dir)
                                                                     .count(1) >= 2))
    session.lock()
    assert not stopped.finished and patient_epochs(data_dir).count(1) == 2
    code, out, err = run(capsys, "vault", "reencrypt", "--user", "boss")
    assert code == 0, err
    assert "5/5 (100%)" in err and "Re-encrypted 5 records" in out
    assert patient_epochs(data_dir) == [1] * 5
