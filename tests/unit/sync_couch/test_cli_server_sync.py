"""``lantern sync --server`` through the real CLI, two laptops, a real pouchdb-server:
one summary line, the status it leaves, and the one-line errors with their exit codes
(docs/sync.md)."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from tests.couch_server import free_loopback_port

from lantern.cli import main
from lantern.services.backup import restore_backup
from lantern.services.session import VaultSession
from lantern.services.sync.enrol import endorse
from lantern.services.sync.events import new_device_identity

PASS = "cli sync passphrase"


class Laptops:
    """Laptop A made with ``lantern init``; laptop B a backup of it with its own device
    id and its own per-user state directory (another computer)."""

    def __init__(self, capsys, monkeypatch, tmp_path: Path, clinic) -> None:
        self.capsys, self.monkeypatch, self.tmp, self.clinic = capsys, monkeypatch, tmp_path, clinic
        monkeypatch.setenv("LANTERN_PASSPHRASE", PASS)
        monkeypatch.delenv("LANTERN_DATA_DIR", raising=False)
        self.dirs = {"a": tmp_path / "laptop-a", "b": tmp_path / "laptop-b"}
        self.states = {"a": tmp_path / "state-a", "b": tmp_path / "state-b"}
        assert self.run("a", "init", "--clinic", "Sync Clinic", "--admin", "boss")[0] == 0
        self.patient = self.ok("a", "patient", "add", "--user", "boss", "--name", "Juma Sync",
                               "--sex", "male", "--birth-year", "1980").strip()
        monkeypatch.setenv("LANTERN_STATE_DIR", str(self.states["a"]))
        admin = VaultSession.unlock(self.dirs["a"], username="boss", passphrase=PASS,
                                    sleep=lambda s: None)
        try:        # A lets B in first, as `lantern device enrol` does (signing keys)
            endorsement = endorse(admin.context)
        finally:
            admin.lock()
        self.ok("a", "vault", "backup", "--user", "boss", "--to", str(tmp_path / "copy.db"))
        restore_backup(tmp_path / "copy.db", self.dirs["b"])
        monkeypatch.setenv("LANTERN_STATE_DIR", str(self.states["b"]))
        other = VaultSession.unlock(self.dirs["b"], username="boss", passphrase=PASS,
                                    sleep=lambda s: None)
        try:
            with other.context.writing() as conn:
                new_device_identity(conn, name="outreach", cipher=other.context.repo.cipher,
                                    endorsement=endorsement)
        finally:
            other.lock()

    def run(self, laptop: str, *argv: str) -> tuple[int, str, str]:
        self.monkeypatch.setenv("LANTERN_STATE_DIR", str(self.states[laptop]))
        if argv[0] == "sync" and (len(argv) == 1 or argv[1].startswith("--")):
            argv = (*argv, "--data-dir", str(self.dirs[laptop]))
        else:
            argv = (*argv[:2], "--data-dir", str(self.dirs[laptop]), *argv[2:]) \
                if argv[0] != "init" else (*argv, "--data-dir", str(self.dirs[laptop]))
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, laptop: str, *argv: str) -> str:
        code, out, err = self.run(laptop, *argv)
        assert code == 0, (argv, err)
        return out

    def credentials(self, laptop: str, *, mode: int = 0o600, **override: str) -> str:
        login = self.clinic.logins[laptop]
        values = {"url": self.clinic.couch.url, "database": self.clinic.database,
                  "user": login.username, "password": login.password, **override}
        path = self.tmp / f"sync-{laptop}.toml"
        path.write_text("".join(f'{k} = "{v}"\n' for k, v in values.items()))
        path.chmod(mode)
        return str(path)

    def status(self, laptop: str) -> dict:
        return json.loads(self.ok(laptop, "sync", "status", "--user", "boss", "--json"))


@pytest.fixture
def two(capsys, monkeypatch, tmp_path, clinic) -> Laptops:
    return Laptops(capsys, monkeypatch, tmp_path, clinic)


def test_two_laptops_sync_through_the_cli_with_one_summary_line(two):
    two.ok("b", "patient", "add", "--user", "boss", "--name", "Outreach Visit", "--sex", "female")
    assert two.status("a")["last_server_sync"] is None
    pending = two.status("a")["server_pending_events"]
    assert pending > 0

    # A's device.key (made when A endorsed B) is among the pending events
    out = two.ok("a", "sync", "--credentials", two.credentials("a"), "--user", "boss")
    assert out == f"sync: {pending} event(s) sent, 0 received, 0 applied, " \
                  "0 conflicting value(s) kept in history\n"
    out = two.ok("b", "sync", "--credentials", two.credentials("b"), "--user", "boss")
    assert out.count("\n") == 1 and out.startswith("sync: 2 event(s) sent")
    two.ok("a", "sync", "--credentials", two.credentials("a"), "--user", "boss")
    names = {line.split("\t")[1] for line in
             two.ok("a", "patient", "list", "--user", "boss").splitlines() if "\t" in line}
    assert {"Juma Sync", "Outreach Visit"} <= names

    info = two.status("a")
    assert info["server_pending_events"] == 0 and info["last_server_sync"]
    again = two.ok("b", "sync", "--credentials", two.credentials("b"), "--user", "boss")
    assert again.startswith("sync: 0 event(s) sent, 0 received, 0 applied")


def test_without_a_credentials_file_the_password_is_asked_for(two, monkeypatch):
    login = two.clinic.logins["a"]
    asked: list[str] = []

    def fake_prompt(prompt: str = "") -> str:
        asked.append(prompt)
        return login.password

    monkeypatch.delenv("LANTERN_SYNC_PASSWORD", raising=False)
    monkeypatch.setattr(getpass, "getpass", fake_prompt)
    out = two.ok("a", "sync", "--server", two.clinic.couch.url, "--database", two.clinic.database,
                 "--login", login.username, "--user", "boss")
    assert out.startswith("sync: ") and asked == [f"Sync server password for {login.username}: "]


@pytest.mark.parametrize(("case", "code", "words"), [
    ("wrong password", 3, "refused the login"),
    ("closed port", 5, "Cannot reach the sync server"),
    ("unknown database", 5, "No clinic database"),
    ("group-readable file", 2, "chmod 600"),
    ("plain http elsewhere", 2, "must be reached over https://"),
    ("no server", 2, "Give --server URL"),
])
def test_errors_are_one_line_with_their_exit_code_and_the_vault_keeps_working(
        two, monkeypatch, case, code, words):
    login = two.clinic.logins["a"]
    monkeypatch.setenv("LANTERN_SYNC_PASSWORD", "not the password")
    args = {
        "wrong password": lambda: ["--credentials", two.credentials(
            "a", password="not the password")],
        "closed port": lambda: ["--credentials", two.credentials(
            "a", url=f"http://127.0.0.1:{free_loopback_port()}"), "--retries", "0"],
        "unknown database": lambda: ["--credentials", two.credentials(
            "a", database="no-such-clinic")],
        "group-readable file": lambda: ["--credentials", two.credentials("a", mode=0o640)],
        "plain http elsewhere": lambda: ["--server", "http://sync.example.org",
                                         "--database", "d", "--login", login.username],
        "no server": lambda: [],
    }[case]()
    before = two.status("a")["server_pending_events"]
    got, out, err = two.run("a", "sync", *args, "--user", "boss")
    assert (got, out) == (code, "")
    assert err.count("\n") == 1 and err.startswith("lantern: ") and words in err, err
    assert login.password not in err and "not the password" not in err
    assert two.status("a")["server_pending_events"] == before
    two.ok("a", "patient", "add", "--user", "boss", "--name", "Still Here", "--sex", "male")


def test_server_options_before_an_action_are_refused_not_dropped(two, capsys):
    code = main(["sync", "--data-dir", str(two.dirs["b"]), "status", "--user", "boss",
                 "--data-dir", str(two.dirs["a"]), "--json"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("lantern: Put the options after the action: lantern sync status")
