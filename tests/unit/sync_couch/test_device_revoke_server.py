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
