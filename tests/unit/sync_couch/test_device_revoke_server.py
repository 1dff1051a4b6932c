"""`lantern device revoke --server-admin FILE --server-login LOGIN` (issue 18 part 3)
against the real pouchdb-server: the lost laptop's server user is deleted and taken
out of the clinic database's members, so the server refuses its login; the other
laptops keep syncing."""

from __future__ import annotations

import pytest
from tests.couch_server import ADMIN
from tests.unit.cli.test_vault_cli import run

from lantern.services.sync.couch import SyncAuthRefused

ADMIN_PASS = "revoke admin passphrase"


def test_revoking_a_laptop_deletes_its_server_login(capsys, monkeypatch, tmp_path, clinic):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    assert run(capsys, "init", "--clinic", "Hill Clinic", "--admin", "boss")[0] == 0
    code, out, err = run(capsys, "device", "enrol", "--user", "boss", "--name", "lost one",
                         "--out", str(tmp_path / "lost.enrol"))
    assert code == 0, err
    clinic.transport("b").check()                  # the lost laptop's login works today
    admin_file = tmp_path / "server-admin.toml"
    admin_file.write_text(f'url = "{clinic.couch.url}"\ndatabase = "{clinic.database}"\n'
                          f'user = "{ADMIN}"\npassword = "{clinic.couch.admin_password}"\n')
    admin_file.chmod(0o600)
    lost = clinic.logins["b"].username
    code, out, err = run(capsys, "device", "revoke", "lost one", "--user", "boss",
                         "--server-admin", str(admin_file), "--server-login", lost)
    assert code == 0, err
    assert f"Server login {lost!r}: deleted; removed from the clinic database's members" in out
    with pytest.raises(SyncAuthRefused):
        clinic.transport("b", retries=0).check()
    clinic.transport("a").check()                  # the others keep their access
    # a second time (a retry after an unreachable server): only the server part, said plainly
    code, out, err = run(capsys, "device", "revoke", "lost one", "--user", "boss",
                         "--server-admin", str(admin_file), "--server-login", lost)
    assert code == 0, err
    assert "revoked here already" in out and "no such user on the server" in out
    assert "key epoch" not in out
    code, out, err = run(capsys, "device", "revoke", "lost one", "--user", "boss",
                         "--server-admin", str(admin_file))
    assert code == 2 and "both --server-admin" in err


def _credentials(tmp_path, clinic, device: str) -> str:
    login = clinic.logins[device]
    path = tmp_path / f"sync-{device}.toml"
    path.write_text(f'url = "{clinic.couch.url}"\ndatabase = "{clinic.database}"\n'
                    f'user = "{login.username}"\npassword = "{login.password}"\n')
    path.chmod(0o600)
    return str(path)


def test_a_joined_laptop_syncs_through_the_server_until_it_is_revoked(capsys, monkeypatch,
                                                                       tmp_path, clinic):
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    a, b = tmp_path / "laptop-a", tmp_path / "laptop-b"
    assert run(capsys, "init", "--data-dir", str(a), "--clinic", "Hill", "--admin", "boss")[0] == 0
    code, out, err = run(capsys, "device", "enrol", "--data-dir", str(a), "--user", "boss",
                         "--name", "outreach", "--out", str(tmp_path / "b.enrol"))
    assert code == 0, err
    words = " ".join(ln.strip() for ln in out.splitlines() if ln.startswith("    ")).lower()
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "state-b"))   # the other computer
    assert run(capsys, "device", "join", str(tmp_path / "b.enrol"), "--code", words,
               "--data-dir", str(b))[0] == 0
    for name in ("Before Loss", "After Loss"):
        assert run(capsys, "patient", "add", "--data-dir", str(b), "--user", "boss",
                   "--name", name, "--sex", "female")[0] == 0
        code, out, err = run(capsys, "sync", "--credentials", _credentials(tmp_path, clinic, "b"),
                             "--data-dir", str(b), "--user", "boss")
        assert code == 0, err
        if name == "Before Loss":       # the first laptop receives it
            monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "state-a"))
            code, out, err = run(capsys, "sync", "--credentials",
                                 _credentials(tmp_path, clinic, "a"), "--data-dir", str(a),
                                 "--user", "boss")
            assert code == 0 and "1 applied" in out, (out, err)
            monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "state-b"))
    # laptop b is lost after it sent "After Loss"; a revokes it, then syncs
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "state-a"))
    assert run(capsys, "device", "revoke", "outreach", "--data-dir", str(a), "--user", "boss")[0] == 0
    code, out, err = run(capsys, "sync", "--credentials", _credentials(tmp_path, clinic, "a"),
                         "--data-dir", str(a), "--user", "boss")
    assert code == 0, err
    assert "0 applied" in out and "1 event(s) of a revoked laptop refused" in out
    code, out, _ = run(capsys, "patient", "list", "--data-dir", str(a), "--user", "boss")
    assert "Before Loss" in out and "After Loss" not in out
    # the next sync does not stop at that page: it is behind the checkpoint
    code, out, err = run(capsys, "sync", "--credentials", _credentials(tmp_path, clinic, "a"),
                         "--data-dir", str(a), "--user", "boss")
    assert code == 0 and "revoked" not in out, (out, err)
