"""`lantern device enrol --server-admin` / `device join --server` (issue 18 part 3)
against the real pouchdb-server: a laptop joins through the clinic's server with the
8-word code alone, gets its own sync login in an owner-only credentials file and
syncs with it; a wrong code and an expired drop are refused with nothing written;
the server's files and answers hold neither patient data nor a clear credential;
the administrator's next enrolment removes expired and used drops."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from tests.couch_server import ADMIN
from tests.unit.cli.test_device_cli import Laptops
from tests.unit.sync_couch.test_server_sees_no_patient_data import _files_bytes

from lantern.services.sync import couch
from lantern.services.sync import enrol as enrol_mod
from lantern.services.sync.couch import CouchTransport, ServerAccount, SyncAuthRefused
from lantern.services.sync.couch_credentials import CREDENTIALS_FILE, load_account
from lantern.services.sync.enrol_server import DROP_FIELD, DROP_LOGIN_PREFIX, NO_DROP, drop_for

PATIENT = "Nakato Wambui"


class Clinic2(Laptops):
    """Laptop A (test_device_cli's, with a patient more), its server admin file, laptop B."""

    def __init__(self, capsys, monkeypatch, tmp_path: Path, clinic) -> None:
        super().__init__(capsys, monkeypatch, tmp_path)
        self.clinic, self.b = clinic, tmp_path / "laptop-b"
        self.ok("patient", "add", "--data-dir", str(self.a), "--user", "boss", "--name", PATIENT,
                "--sex", "female")
        self.admin_file = tmp_path / "server-admin.toml"
        self.admin_file.write_text(
            f'url = "{clinic.couch.url}"\ndatabase = "{clinic.database}"\n'
            f'user = "{ADMIN}"\npassword = "{clinic.couch.admin_password}"\n')
        self.admin_file.chmod(0o600)

    def enrol_server(self, name: str, *extra: str) -> tuple[str, str]:
        """``device enrol --server-admin`` on A: (its output, the code)."""
        self.on("a")
        out = self.ok("device", "enrol", "--data-dir", str(self.a), "--user", "boss",
                      "--server-admin", str(self.admin_file), "--name", name, *extra)
        lines = [ln.strip() for ln in out.splitlines() if re.fullmatch(r"\s+[A-Z ]+", ln)]
        code = " ".join(" ".join(lines).lower().split())
        assert len(code.split()) == enrol_mod.CODE_WORDS
        return out, code

    def join(self, code: str, data_dir: Path | None = None) -> tuple[int, str, str]:
        self.on("b")
        return self.run("device", "join", "--server", self.clinic.couch.url, "--database",
                        self.clinic.database, "--code", code, "--data-dir",
                        str(data_dir or self.b))

    def admin_get(self, path: str) -> requests.Response:
        return requests.get(f"{self.clinic.couch.url}/{path}", timeout=10,
                            auth=(ADMIN, self.clinic.couch.admin_password))

    def drop_users(self) -> list[str]:
        """This clinic's temporary enrolment users on the server."""
        start = f'"org.couchdb.user:{DROP_LOGIN_PREFIX}"'
        rows = self.admin_get(f"_users/_all_docs?include_docs=true&startkey={start}&endkey="
                              f'"org.couchdb.user:{DROP_LOGIN_PREFIX}\ufff0"').json()["rows"]
        return [r["id"] for r in rows
                if r["doc"][DROP_FIELD]["database"] == self.clinic.database]

    def drop_dbs(self) -> list[str]:
        return [db for db in self.admin_get("_all_dbs").json()
                if db.startswith(self.clinic.database + "-enrol-")]


@pytest.fixture
def hill(capsys, monkeypatch, tmp_path, clinic) -> Clinic2:
    return Clinic2(capsys, monkeypatch, tmp_path, clinic)


@pytest.fixture
def answers(monkeypatch) -> list[bytes]:
    """Every HTTP answer any Lantern transport receives during the test."""
    raw: list[bytes] = []
    original = CouchTransport.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self._client.get_http_client().hooks["response"].append(
            lambda response, *a, **k: raw.append(response.content))

    monkeypatch.setattr(couch.CouchTransport, "__init__", recording)
    return raw


def nothing_written(hill: Clinic2) -> None:
    assert not hill.b.exists() or sorted(p.name for p in hill.b.iterdir()) == []
    assert not list(hill.tmp.glob(".laptop-b.*"))


def test_a_laptop_joins_through_the_server_and_syncs_with_the_login_it_received(
        hill, answers):
    out, code = hill.enrol_server("outreach")
    assert (f"lantern device join --server {hill.clinic.couch.url} --database "
            f"{hill.clinic.database}") in out
    login = re.search(r"its server login: (device-[0-9a-f]+)\.", out).group(1)
    assert not list(hill.a.glob(".lantern-enrol*"))        # the work folder beside the vault
    drop = drop_for(code, hill.clinic.database)
    # the temporary login reads its drop only, never the clinic database
    with CouchTransport(ServerAccount(url=hill.clinic.couch.url, database=hill.clinic.database,
                                      username=drop.login, password=drop.password),
                        device_id="x", retries=0) as probe, pytest.raises(SyncAuthRefused):
        probe.check()
    assert hill.drop_users() == [f"org.couchdb.user:{drop.login}"]

    rc, out, err = hill.join(code.upper())
    assert rc == 0, err
    assert "joined the clinic as outreach" in out
    credentials = hill.b / CREDENTIALS_FILE
    assert f"Sync credentials written to {credentials}" in out
    assert sorted(p.name for p in hill.b.iterdir()) == sorted([CREDENTIALS_FILE, "lantern-vault.db"])
    assert credentials.stat().st_mode & 0o077 == 0
    account = load_account(credentials)
    assert (account.url, account.database, account.username) == (
        hill.clinic.couch.url, hill.clinic.database, login)
    assert not list(hill.tmp.glob(".laptop-b.*"))
    # the used drop is gone: its documents and its temporary user
    assert hill.drop_users() == []
    assert hill.admin_get(f"{drop.database}/_all_docs").json()["rows"] == []

    # A syncs with its own login; B syncs with nothing but the file it received
    login_a = hill.clinic.logins["a"]
    file_a = hill.tmp / "sync-a.toml"
    file_a.write_text(f'url = "{hill.clinic.couch.url}"\ndatabase = "{hill.clinic.database}"\n'
                      f'user = "{login_a.username}"\npassword = "{login_a.password}"\n')
    file_a.chmod(0o600)
    hill.on("a")
    hill.ok("patient", "add", "--data-dir", str(hill.a), "--user", "boss", "--name",
            "After Joining", "--sex", "male")
    hill.ok("sync", "--credentials", str(file_a), "--data-dir", str(hill.a), "--user", "boss")
    hill.on("b")
    out = hill.ok("sync", "--data-dir", str(hill.b), "--user", "boss")
    assert "1 applied" in out, out
    assert hill.patients(hill.b) == ["After Joining", "Amina Yusuf", PATIENT]

    # the administrator's next enrolment removes the used drop's database
    assert hill.drop_dbs() == [drop.database]
    out, _code2 = hill.enrol_server("spare")
    assert "1 expired or used enrolment(s) removed from the server." in out
    assert drop.database not in hill.drop_dbs()

    # what the server holds and answered: no patient data, no clear credential
    for db in [*hill.admin_get("_all_dbs").json()]:
        answers.append(hill.admin_get(f"{db}/_all_docs?include_docs=true").content)
    seen, files = b"\n".join(answers), _files_bytes(hill.clinic.couch.data_dir)
    assert drop_for(_code2, hill.clinic.database).drop_id.encode() in files  # the grep finds ids
    secrets_ = [PATIENT, "After Joining", account.password, drop.password,
                drop_for(_code2, hill.clinic.database).password, code, _code2]
    for secret in secrets_:
        for form in {secret.encode(), secret.upper().encode()}:
            assert form not in seen, secret[:3]
            assert form not in files, secret[:3]

    # lost: revoked with the admin file alone (its login is in A's device registry)
    hill.on("a")
    out = hill.ok("device", "revoke", "outreach", "--data-dir", str(hill.a), "--user", "boss",
                  "--server-admin", str(hill.admin_file))
    assert f"Server login {login!r}: deleted; removed from the clinic database's members" in out
    hill.on("b")
    rc, _out, err = hill.run("sync", "--data-dir", str(hill.b), "--user", "boss", "--retries", "0")
    assert rc == 3 and f"refused the login {login!r}" in err, err


def test_a_wrong_code_is_refused_with_nothing_written(hill):
    _out, code = hill.enrol_server("triage")
    words = code.split()
    other = next(w for w in enrol_mod.words() if w not in words)
    rc, out, err = hill.join(" ".join([*words[:-1], other]))
    assert rc == 2 and out == "" and err.count("\n") == 1, err
    assert "No enrolment for this code is waiting on the server" in err
    # the message echoes no word of the typed code. Compared word for word, leaving out the
    # message's own words: a code word may sit inside an ordinary word ('hing' in 'Nothing')
    # or be one ('check')
    said = set(re.findall(r"[a-z]+", err.lower()))
    own = set(re.findall(r"[a-z]+", NO_DROP.lower()))
    assert not (said - own) & {*words, other}, err
    nothing_written(hill)
    rc, _out, err = hill.join(" ".join(words[:-1]))
    assert rc == 2 and "code is 8 words" in err
    nothing_written(hill)
    # the right code still works afterwards
    rc, _out, err = hill.join(code)
    assert rc == 0, err


def test_an_expired_drop_is_refused_and_the_next_enrolment_removes_it(hill, monkeypatch):
    _out, code = hill.enrol_server("late")
    drop = drop_for(code, hill.clinic.database)
    real_now = enrol_mod._now
    monkeypatch.setattr(enrol_mod, "_now", lambda: real_now() + timedelta(minutes=16))
    rc, out, err = hill.join(code)
    assert rc == 2 and out == "" and err.count("\n") == 1, err
    assert "has expired" in err
    nothing_written(hill)
    assert hill.drop_users() == [f"org.couchdb.user:{drop.login}"]   # not used: it stays
    # 16 minutes later on the administrator's laptop too: its next enrolment removes it
    out, later = hill.enrol_server("on time")
    assert "1 expired or used enrolment(s) removed from the server." in out
    assert drop.database not in hill.drop_dbs()
    assert hill.drop_users() == [f"org.couchdb.user:{drop_for(later, hill.clinic.database).login}"]
    rc, _out, err = hill.join(code)
    assert rc == 2 and "No enrolment for this code is waiting" in err
    nothing_written(hill)


def test_a_usb_package_made_with_server_admin_carries_the_login_too(hill):
    package = hill.tmp / "b.enrol"
    out, code = hill.enrol_server("both ways", "--out", str(package))
    assert f"written to {package}" in out
    hill.on("b")
    # another credentials file in the way: refused, kept, nothing else written
    hill.b.mkdir()
    (hill.b / CREDENTIALS_FILE).write_text("mine\n")
    rc, _out, err = hill.run("device", "join", str(package), "--code", code, "--data-dir",
                             str(hill.b))
    assert rc == 2 and "sync credentials file exists already" in err, err
    assert [p.name for p in hill.b.iterdir()] == [CREDENTIALS_FILE]
    assert (hill.b / CREDENTIALS_FILE).read_text() == "mine\n"
    (hill.b / CREDENTIALS_FILE).unlink()
    out = hill.ok("device", "join", str(package), "--code", code, "--data-dir", str(hill.b))
    account = load_account(hill.b / CREDENTIALS_FILE)
    assert account.database == hill.clinic.database and account.username.startswith("device-")
    with CouchTransport(account, device_id="b", retries=0) as transport:
        transport.check()               # the login works
    # the drop of that code was not used: joined by file, it can no longer be (used here)
    rc, _out, err = hill.join(code, hill.tmp / "laptop-c")
    assert rc == 2 and "used already" in err
    assert not (hill.tmp / "laptop-c" / CREDENTIALS_FILE).exists()



def test_a_join_cut_between_the_credentials_file_and_the_vault_completes_when_rerun(
        hill, monkeypatch):
    """The credentials file is placed first: a failure placing the vault removes it; a
    kill -9 at that point leaves it alone, and a rerun with the same code takes the file
    it finds as its own and completes."""
    from lantern.services.sync.enrol_server import join_through_server

    _out, code = hill.enrol_server("cut")
    rendered: list[bytes] = []
    real_link, real_render = enrol_mod.os.link, enrol_mod.render

    def failing_link(src, dst, *args, **kwargs):
        if Path(dst).name == "lantern-vault.db":
            assert (hill.b / CREDENTIALS_FILE).exists()      # placed just before
            raise PermissionError("simulated failure placing the vault")
        return real_link(src, dst, *args, **kwargs)

    hill.on("b")
    with monkeypatch.context() as m:
        m.setattr(enrol_mod.os, "link", failing_link)
        m.setattr(enrol_mod.os, "rename", failing_link)
        m.setattr(enrol_mod, "render", lambda account: rendered.append(real_render(account))
                  or rendered[-1])
        with pytest.raises(PermissionError):
            join_through_server(hill.clinic.couch.url, hill.clinic.database, code, hill.b)
    assert sorted(p.name for p in hill.b.iterdir()) == []    # removed with the failure
    # the state a kill -9 right after placing it leaves: that file, no vault
    (hill.b / CREDENTIALS_FILE).write_bytes(rendered[0])
    (hill.b / CREDENTIALS_FILE).chmod(0o600)
    rc, _out, err = hill.join(code)
    assert rc == 0, err
    assert (hill.b / CREDENTIALS_FILE).read_bytes() == rendered[0]
    assert load_account(hill.b / CREDENTIALS_FILE).username.startswith("device-")


def test_an_unreachable_server_or_a_bad_address_writes_nothing(hill):
    from tests.couch_server import free_loopback_port

    _out, code = hill.enrol_server("offline")
    hill.on("b")
    rc, out, err = hill.run("device", "join", "--server", f"http://127.0.0.1:{free_loopback_port()}",
                            "--database", hill.clinic.database, "--code", code,
                            "--data-dir", str(hill.b))
    assert rc == 5 and out == "" and err.count("\n") == 1, err
    assert "Cannot reach the clinic's server" in err and "Nothing was written" in err
    nothing_written(hill)
    rc, out, err = hill.run("device", "join", "--server", "http://sync.example.org", "--database",
                            hill.clinic.database, "--code", code, "--data-dir", str(hill.b))
    assert rc == 2 and "https://" in err and err.count("\n") == 1, err
    nothing_written(hill)
    rc, _out, err = hill.run("device", "join", "--server", hill.clinic.couch.url,
                             "--data-dir", str(hill.b))
    assert rc == 2 and "--database" in err
    rc, _out, err = hill.join(code)       # the drop is still there
    assert rc == 0, err
