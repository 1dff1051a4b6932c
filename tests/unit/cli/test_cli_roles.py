"""Every vault command, run by every role through the real CLI, obeys the one role table.

The expected outcome of each (command, role) pair is read from
``lantern.services.roles.PERMISSIONS``; the commands are read from the CLI's own
parser. A command without an action, an action without a command (unless it is
declared GUI-only with a reason) or a command this walk does not know fails here.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from itertools import count
from pathlib import Path

import pytest
from tests.couch_server import CouchServer, running_server

from lantern.cli import build_parser, main
from lantern.cli.common import ACTIONS_WITHOUT_COMMAND
from lantern.domain.errors import PermissionDenied
from lantern.domain.records import Role
from lantern.services.roles import ACTION_NAMES, PERMISSIONS

PASS = "shared test passphrase"
USERS = {Role.ADMIN: "boss", Role.CLINICIAN: "doc", Role.ASSISTANT: "nurse"}
UNGOVERNED = {("init",), ("vault", "recover")}   # no role applies (see common.add_leaf)


def leaf_commands() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or parser.get_default("func") is not None:   # `sync --server` runs itself
            found[path] = parser
        for sub in subs:
            for name, child in sub.choices.items():
                walk(child, (*path, name))

    walk(build_parser(), ())
    return found


def vault_commands() -> dict[tuple[str, ...], str | None]:
    """Commands that take ``--user`` (they open the vault as someone) → their action."""
    out = {}
    for path, parser in leaf_commands().items():
        if path == ("init",) or any("--user" in a.option_strings for a in parser._actions):
            out[path] = parser.get_default("action")
    return out


class Walk:
    """A vault with one user per role, a patient, a signed note; runs commands."""

    def __init__(self, capsys, monkeypatch, tmp_path: Path, couch: CouchServer | None = None
                 ) -> None:
        self.couch = couch
        monkeypatch.setenv("LANTERN_PASSPHRASE", PASS)
        monkeypatch.setenv("LANTERN_NEW_PASSPHRASE", PASS)
        self.capsys, self.tmp, self.monkeypatch = capsys, tmp_path, monkeypatch
        self.state_dir = os.environ.get("LANTERN_STATE_DIR", "")
        self.serial = count()
        assert self.run("init", "--clinic", "Role Clinic", "--admin", "boss")[0] == 0
        for role, name in USERS.items():
            if role is not Role.ADMIN:
                self.ok("user", "add", "--user", "boss", "--new-user", name, "--role", role.value)
        self.patient = self.ok("patient", "add", "--user", "boss", "--name", "Amina Odhiambo",
                               "--sex", "female", "--birth-year", "1990").strip()
        self.note = self.file("Cough for three days, no fever.")
        self.signed = self.ok("note", "add", "--user", "boss", "--patient", self.patient,
                              str(self.note)).split("\t")[0]

    def run(self, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert code == 0, (argv, err)
        return out

    def file(self, text: str) -> Path:
        path = self.tmp / f"input-{next(self.serial)}.txt"
        path.write_text(text, encoding="utf-8")
        return path

    def fresh_name(self) -> str:
        return f"temp{next(self.serial)}"


# How to run each command as ``user`` (setup done as admin where a target is needed).
ARGS: dict[tuple[str, ...], Callable[[Walk, str], list[str]]] = {
    ("user", "add"): lambda w, u: ["--new-user", w.fresh_name(), "--role", "assistant"],
    ("user", "list"): lambda w, u: [],
    ("user", "deactivate"): lambda w, u: [_throwaway(w)],
    ("user", "passphrase"): lambda w, u: [],
    ("patient", "add"): lambda w, u: ["--name", "Juma Said", "--sex", "male"],
    ("patient", "list"): lambda w, u: [],
    ("patient", "show"): lambda w, u: [w.patient],
    ("patient", "merge"): lambda w, u: ["--keep", _fresh_patient(w), "--merged", _fresh_patient(w)],
    ("patient", "unmerge"): lambda w, u: [_merged_patient(w)],
    ("note", "add"): lambda w, u: ["--patient", w.patient, str(w.note)],
    ("note", "sign"): lambda w, u: [_own_draft(w, u)],
    ("note", "amend"): lambda w, u: [w.signed, str(w.file("Correction: four days."))],
    ("report",): lambda w, u: ["--kind", "monthly", "--from", "2026-01-01", "--to", "2026-01-31"],
    ("alert", "list"): lambda w, u: ["--all"],
    ("alert", "ack"): lambda w, u: [_fresh_alert(w)],
    ("alert", "withdraw"): lambda w, u: [_acknowledged_alert(w)],
    ("allergy", "add"): lambda w, u: ["--patient", w.patient, "--substance", "penicillin"],
    ("medication", "add"): lambda w, u: ["--patient", w.patient, "--name", "amoxicillin"],
    ("problem", "add"): lambda w, u: ["--patient", w.patient, "--description", "asthma"],
    ("followup", "add"): lambda w, u: ["--patient", w.patient, "--due", _today()],
    ("followup", "list"): lambda w, u: ["--when", "all"],
    ("followup", "outcome"): lambda w, u: [_followup(w), "--outcome", "called"],
    ("audit", "verify"): lambda w, u: [],
    ("vault", "verify"): lambda w, u: [],
    ("vault", "backup"): lambda w, u: ["--to", str(w.tmp / f"backup-{next(w.serial)}.db")],
    ("vault", "new-recovery-key"): lambda w, u: [],
    ("vault", "accept-state"): lambda w, u: [],      # nothing to accept: exit 0 for an admin
    ("vault", "raise-kdf"): lambda w, u: ["--target-seconds", "0.01"],
    ("vault", "reencrypt"): lambda w, u: [],
    ("sync", "export"): lambda w, u: [str(w.tmp / f"out-{next(w.serial)}.bundle")],
    ("sync", "import"): lambda w, u: [_other_laptop_bundle(w)],
    ("sync", "status"): lambda w, u: ["--json"],
    ("sync",): lambda w, u: ["--credentials", _sync_credentials(w)],
    ("device", "enrol"): lambda w, u: ["--out", str(w.tmp / f"enrol-{next(w.serial)}.pkg")],
    ("device", "list"): lambda w, u: ["--json"],
    ("device", "revoke"): lambda w, u: [_enrolled_laptop(w)],
}


def _enrolled_laptop(w: Walk) -> str:
    """The name of a laptop an administrator enrolled (to be revoked)."""
    name = w.fresh_name()
    w.ok("device", "enrol", "--user", "boss", "--out", str(w.tmp / f"{name}.pkg"), "--name", name)
    return name


def _sync_credentials(w: Walk) -> str:
    """A login of this laptop to a clinic database on the real test server."""
    assert w.couch is not None, "the walk of `lantern sync --server` needs the couch fixture"
    database = f"clinic-roles-{next(w.serial)}-{w.tmp.name[-12:].lower()}"
    login = w.couch.create_clinic(database, ["walk"])["walk"]
    path = w.tmp / f"sync-{next(w.serial)}.toml"
    path.write_text(f'url = "{w.couch.url}"\ndatabase = "{database}"\n'
                    f'user = "{login.username}"\npassword = "{login.password}"\n')
    path.chmod(0o600)
    return str(path)


def _today() -> str:
    return date.today().isoformat()


def _followup(w: Walk) -> str:
    return w.ok("followup", "add", "--user", "boss", "--patient", w.patient, "--due",
                _today()).strip()


def _fresh_alert(w: Walk) -> str:
    """The key of a new, unacknowledged alert: a cholera case confirmed today."""
    import json

    w.ok("note", "add", "--user", "boss", "--patient", w.patient, "--date", _today(),
         "--diagnosis", "cholera", str(w.note))
    alerts = json.loads(w.ok("alert", "list", "--user", "boss", "--json"))
    return next(a["key"] for a in alerts if a["condition_id"] == "cholera")


def _acknowledged_alert(w: Walk) -> str:
    """The key of an acknowledged alert (acknowledged here by the admin when it is not)."""
    import json

    w.ok("note", "add", "--user", "boss", "--patient", w.patient, "--date", _today(),
         "--diagnosis", "cholera", str(w.note))
    alerts = json.loads(w.ok("alert", "list", "--user", "boss", "--all", "--json"))
    alert = next(a for a in alerts if a["condition_id"] == "cholera")
    if not alert["acknowledged_by"]:
        w.ok("alert", "ack", "--user", "boss", alert["key"])
    return alert["key"]


def _other_laptop_bundle(w: Walk) -> str:
    """A bundle written by a second laptop of the clinic (a copy with its own device id)."""
    from lantern import paths
    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync.bundle import export_bundle
    from lantern.services.sync.enrol import endorse
    from lantern.services.sync.events import new_device_identity

    n = next(w.serial)
    admin = VaultSession.unlock(paths.data_dir(), username="boss", passphrase=PASS,
                                sleep=lambda s: None)
    try:        # the clinic's laptop lets it in first, as `lantern device enrol` does
        endorsement = endorse(admin.context)
    finally:
        admin.lock()
    copy = w.tmp / f"copy-{n}.db"
    w.ok("vault", "backup", "--user", "boss", "--to", str(copy))
    restore_backup(copy, w.tmp / f"laptop-{n}")
    # another computer: its own per-user state (the rollback counter of this one has
    # seen the original vault move on since the copy)
    w.monkeypatch.setenv("LANTERN_STATE_DIR", str(w.tmp / f"state-{n}"))
    other = VaultSession.unlock(w.tmp / f"laptop-{n}", username="boss", passphrase=PASS,
                                sleep=lambda s: None)
    try:
        with other.context.writing() as conn:
            new_device_identity(conn, name=f"laptop {n}", cipher=other.context.repo.cipher,
                                endorsement=endorsement)
        other.records.add_patient(name=f"Outreach {n}", sex="male", birth_year=1980)
        return str(export_bundle(other.context, w.tmp / f"in-{n}.bundle").path)
    finally:
        other.lock()
        if w.state_dir:
            w.monkeypatch.setenv("LANTERN_STATE_DIR", w.state_dir)
        else:
            w.monkeypatch.delenv("LANTERN_STATE_DIR")


def _throwaway(w: Walk) -> str:
    name = w.fresh_name()
    w.ok("user", "add", "--user", "boss", "--new-user", name, "--role", "assistant")
    return name


def _fresh_patient(w: Walk) -> str:
    return w.ok("patient", "add", "--user", "boss", "--name", f"Merge Case{next(w.serial)}",
                "--sex", "female").strip()


def _merged_patient(w: Walk) -> str:
    merged = _fresh_patient(w)
    w.ok("patient", "merge", "--user", "boss", "--keep", _fresh_patient(w), "--merged", merged)
    return merged


def _own_draft(w: Walk, user: str) -> str:
    return w.ok("note", "add", "--user", user, "--patient", w.patient, "--draft",
                str(w.note)).split("\t")[0]


def test_every_vault_command_names_an_action_of_the_table():
    commands = vault_commands()
    ungoverned = {path for path, action in commands.items() if action is None}
    assert ungoverned == UNGOVERNED
    unknown = {path: a for path, a in commands.items() if a is not None and a not in PERMISSIONS}
    assert not unknown
    assert set(ARGS) == set(commands) - UNGOVERNED, "every vault command is walked below"


def test_every_action_of_the_table_has_a_command_or_a_stated_reason():
    reached = {a for a in vault_commands().values() if a is not None}
    for action in PERMISSIONS:
        assert (action in reached) != (action in ACTIONS_WITHOUT_COMMAND), action
        assert action in ACTION_NAMES
    assert all(reason.strip() for reason in ACTIONS_WITHOUT_COMMAND.values())
    assert set(ACTIONS_WITHOUT_COMMAND) <= set(PERMISSIONS)


@pytest.fixture(scope="module")
def couch(tmp_path_factory) -> Iterator[CouchServer]:
    with running_server(tmp_path_factory.mktemp("couch")) as server:
        yield server


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_whole_role_table_through_the_cli(capsys, monkeypatch, tmp_path, role, couch):
    walk = Walk(capsys, monkeypatch, tmp_path, couch)
    user = USERS[role]
    for path, action in sorted(vault_commands().items()):
        if action is None:
            continue
        argv = [*path, "--user", user, *ARGS[path](walk, user)]
        code, out, err = walk.run(*argv)
        if role in PERMISSIONS[action]:
            assert code == 0, (argv, err)
        else:
            assert code == PermissionDenied.exit_code, (argv, code, err)
            assert err.count("\n") == 1 and err.startswith("lantern: Not allowed"), err
            assert f"({role.value})" in err and ACTION_NAMES[action] in err, err
            assert out == "", (argv, out)


def test_assistant_backup_is_refused_and_writes_nothing(capsys, monkeypatch, tmp_path):
    walk = Walk(capsys, monkeypatch, tmp_path)
    target = tmp_path / "stolen.db"
    code, out, err = walk.run("vault", "backup", "--user", "nurse", "--to", str(target))
    assert code == 4 and not target.exists()
    assert re.fullmatch(r"lantern: Not allowed: your role \(assistant\) may not back up the "
                        r"vault; this needs admin or clinician\.\n", err)
    code, out, err = walk.run("vault", "backup", "--user", "doc", "--to", str(target))
    assert code == 0 and target.stat().st_size > 0
