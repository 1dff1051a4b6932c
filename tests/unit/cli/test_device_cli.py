"""`lantern device enrol / join / list / revoke` (issue 18 part 3) through the real CLI
and real vault files: a second laptop joins from a USB enrolment package and syncs
with the first by USB bundle; bad packages are refused with nothing written; a kill
-9 during a join leaves the data directory without a vault or with the whole one; a
revoked laptop's events are refused and the data key changes."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from tests.unit.cli.test_vault_cli import run

from lantern.services.sync import enrol as enrol_mod
from lantern.vault.crypto import blob_epoch

ADMIN_PASS = "device admin passphrase"
NURSE_PASS = "device nurse passphrase"
REPO = Path(__file__).resolve().parents[3]


class Laptops:
    """Laptop A (created here) and the per-laptop state dirs a second computer has."""

    def __init__(self, capsys, monkeypatch, tmp_path: Path) -> None:
        self.capsys, self.mp, self.tmp = capsys, monkeypatch, tmp_path
        self.a = tmp_path / "laptop-a"
        self.mp.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
        self.on("a")
        assert self.run("init", "--data-dir", str(self.a), "--clinic", "Hill Clinic",
                        "--admin", "boss")[0] == 0
        secret = tmp_path / "nurse-pass"
        secret.write_text(NURSE_PASS + "\n")
        self.ok("user", "add", "--data-dir", str(self.a), "--user", "boss", "--new-user", "nina",
                "--role", "clinician", "--new-passphrase-file", str(secret))
        self.ok("patient", "add", "--data-dir", str(self.a), "--user", "boss",
                "--name", "Amina Yusuf", "--sex", "female", "--birth-year", "1990")

    def on(self, laptop: str) -> None:
        """Act as that computer (its own per-user state: rollback counter, used enrolments)."""
        self.mp.setenv("LANTERN_STATE_DIR", str(self.tmp / f"state-{laptop}"))

    def run(self, *argv: str) -> tuple[int, str, str]:
        return run(self.capsys, *argv)

    def ok(self, *argv: str) -> str:
        code, out, err = self.run(*argv)
        assert code == 0, (argv, err)
        return out

    def enrol(self, name: str, out: Path | None = None) -> tuple[Path, str]:
        self.on("a")
        out = out or self.tmp / f"{name}.enrol"
        text = self.ok("device", "enrol", "--data-dir", str(self.a), "--user", "boss",
                       "--out", str(out), "--name", name)
        lines = [ln.strip() for ln in text.splitlines() if re.fullmatch(r"\s+[A-Z ]+", ln)]
        code = " ".join(" ".join(lines).lower().split())
        assert len(code.split()) == enrol_mod.CODE_WORDS
        return out, code

    def patients(self, data_dir: Path, user: str = "boss") -> list[str]:
        out = self.ok("patient", "list", "--data-dir", str(data_dir), "--user", user)
        return sorted(line.split("\t")[1] for line in out.splitlines() if line.strip())


@pytest.fixture
def laptops(capsys, monkeypatch, tmp_path) -> Laptops:
    return Laptops(capsys, monkeypatch, tmp_path)


def vault_files(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir()) if data_dir.exists() else []


def test_a_laptop_joins_unlocks_with_its_users_passphrases_and_syncs_by_usb(laptops):
    L = laptops
    package, code = L.enrol("outreach")
    assert package.stat().st_mode & 0o077 == 0
    assert b"Amina" not in package.read_bytes() and b"boss" not in package.read_bytes()
    b = L.tmp / "laptop-b"
    L.on("b")
    code_out, out, err = L.run("device", "join", str(package), "--code", code.upper(),
                               "--data-dir", str(b))
    assert code_out == 0, err
    assert "joined the clinic as outreach" in out
    assert vault_files(b) == ["lantern-vault.db"]
    assert not list(L.tmp.glob(".laptop-b.joining-*"))
    # the users' own passphrases open it; the records came with it
    L.mp.setenv("LANTERN_PASSPHRASE", NURSE_PASS)
    assert L.patients(b, "nina") == ["Amina Yusuf"]
    L.mp.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    listed = json.loads(L.ok("device", "list", "--data-dir", str(b), "--user", "boss", "--json"))
    me = [d for d in listed if d["status"] == "this laptop"]
    assert len(me) == 1 and me[0]["name"] == "outreach"
    status_b = json.loads(L.ok("sync", "status", "--data-dir", str(b), "--user", "boss", "--json"))
    assert "intact" in L.ok("audit", "verify", "--data-dir", str(b), "--user", "boss")
    L.on("a")
    status_a = json.loads(L.ok("sync", "status", "--data-dir", str(L.a), "--user", "boss", "--json"))
    assert status_b["device_id"] == me[0]["device_id"] != status_a["device_id"]
    # both laptops change things, then exchange bundles both ways and converge
    L.ok("patient", "add", "--data-dir", str(L.a), "--user", "boss", "--name", "Joseph Banda",
         "--sex", "male")
    L.on("b")
    L.ok("patient", "add", "--data-dir", str(b), "--user", "boss", "--name", "Outreach Child",
         "--sex", "female")
    L.ok("sync", "export", "--data-dir", str(b), "--user", "boss", str(L.tmp / "b.bundle"))
    L.on("a")
    L.ok("sync", "export", "--data-dir", str(L.a), "--user", "boss", str(L.tmp / "a.bundle"))
    assert "1 event(s) applied" in L.ok("sync", "import", "--data-dir", str(L.a), "--user", "boss",
                                        str(L.tmp / "b.bundle"))
    L.on("b")
    L.ok("sync", "import", "--data-dir", str(b), "--user", "boss", str(L.tmp / "a.bundle"))
    assert L.patients(b) == ["Amina Yusuf", "Joseph Banda", "Outreach Child"]
    L.on("a")
    assert L.patients(L.a) == ["Amina Yusuf", "Joseph Banda", "Outreach Child"]
    # the enrolling laptop audited the enrolment with ids only
    conn = sqlite3.connect(L.a / "lantern-vault.db")
    try:
        rows = conn.execute("SELECT action, detail FROM audit_log WHERE action LIKE 'device%'"
                            ).fetchall()
    finally:
        conn.close()
    assert [r[0] for r in rows] == ["device enrol"]
    assert "outreach" not in rows[0][1] and me[0]["device_id"] in rows[0][1]


def test_bad_packages_and_codes_are_refused_with_nothing_written(laptops, monkeypatch):
    L = laptops
    package, code = L.enrol("triage")
    b = L.tmp / "laptop-b"
    L.on("b")

    def refused(path: Path, typed: str, message: str) -> None:
        rc, out, err = L.run("device", "join", str(path), "--code", typed, "--data-dir", str(b))
        assert rc == 2 and out == "" and err.count("\n") == 1, (rc, err)
        assert message in err, err
        assert vault_files(b) == [] and not list(L.tmp.glob(".laptop-b.joining-*"))

    words = code.split()
    other = next(w for w in enrol_mod.words() if w not in words)
    refused(package, " ".join([*words[:-1], other]), "code is not correct")
    refused(package, " ".join(words[:-1]), "code is 8 words")
    data = package.read_bytes()
    for where in (len(data) - 40, len(data) // 2):                      # body and tag
        bad = bytearray(data)
        bad[where] ^= 0x01
        (L.tmp / "bad.enrol").write_bytes(bytes(bad))
        refused(L.tmp / "bad.enrol", code, "damaged or was altered")
    header_end = data.index(b"\n", len(enrol_mod.MAGIC))
    header = json.loads(data[len(enrol_mod.MAGIC):header_end])
    later = header["expires"].replace(header["expires"][:4], str(int(header["expires"][:4]) + 1))
    (L.tmp / "later.enrol").write_bytes(data.replace(header["expires"].encode(), later.encode()))
    refused(L.tmp / "later.enrol", code, "damaged or was altered")      # a longer validity
    (L.tmp / "junk.enrol").write_bytes(b"hello")
    refused(L.tmp / "junk.enrol", code, "not a Lantern enrolment package")
    # expired: the same package 16 minutes later
    real_now = enrol_mod._now
    monkeypatch.setattr(enrol_mod, "_now", lambda: real_now() + timedelta(minutes=16))
    refused(package, code, "has expired")
    monkeypatch.setattr(enrol_mod, "_now", real_now)
    # used once, then refused (another data dir of the same computer)
    assert L.run("device", "join", str(package), "--code", code, "--data-dir", str(b))[0] == 0
    c = L.tmp / "laptop-c"
    rc, _out, err = L.run("device", "join", str(package), "--code", code, "--data-dir", str(c))
    assert rc == 2 and "used already" in err and vault_files(c) == []
    # a data dir that holds a vault is never overwritten
    package2, code2 = L.enrol("spare")
    L.on("b")
    rc, _out, err = L.run("device", "join", str(package2), "--code", code2, "--data-dir", str(b))
    assert rc == 1 and "already exists" in err


def _join_process(package: Path, code: str, data_dir: Path, state: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "LANTERN_STATE_DIR": str(state),
           "LANTERN_ENROL_CODE": code, "LANTERN_KDF_PROFILE": "test"}
    return subprocess.Popen([sys.executable, "-m", "lantern", "device", "join", str(package),
                             "--data-dir", str(data_dir)], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("stage", ["start", "work dir", "vault in work dir"])
def test_kill_9_during_a_join_leaves_no_vault_or_the_whole_one(laptops, stage):
    L = laptops
    package, code = L.enrol(f"kill {stage}")
    b = L.tmp / "laptop-b"
    state = L.tmp / "state-b"
    proc = _join_process(package, code, b, state)
    try:
        while proc.poll() is None:          # wait for the stage (a file-system event)
            work = list(L.tmp.glob(".laptop-b.joining-*"))
            if stage == "start" or (stage == "work dir" and work) or (
                    stage == "vault in work dir" and any((w / "lantern-vault.db").exists()
                                                         for w in work)):
                break
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    files = vault_files(b)
    assert files in ([], ["lantern-vault.db"]), files
    L.on("b")
    if files:       # whole: it unlocks and is the joined laptop
        assert L.patients(b) == ["Amina Yusuf"]
        return
    rc, _out, err = L.run("device", "join", str(package), "--code", code, "--data-dir", str(b))
    assert rc == 0, err                         # the join is simply done again
    assert not list(L.tmp.glob(".laptop-b.joining-*"))
    assert L.patients(b) == ["Amina Yusuf"]


def test_revoked_laptop_events_are_refused_and_the_data_key_changes(laptops):
    L = laptops
    package, code = L.enrol("lost laptop")
    b = L.tmp / "laptop-b"
    L.on("b")
    assert L.run("device", "join", str(package), "--code", code, "--data-dir", str(b))[0] == 0
    L.ok("patient", "add", "--data-dir", str(b), "--user", "boss", "--name", "Stolen Entry",
         "--sex", "male")
    L.ok("sync", "export", "--data-dir", str(b), "--user", "boss", str(L.tmp / "thief.bundle"))
    L.on("a")
    L.mp.setenv("LANTERN_PASSPHRASE", NURSE_PASS)
    rc, out, err = L.run("device", "revoke", "lost laptop", "--data-dir", str(L.a), "--user", "nina")
    assert rc == 4 and out == ""
    L.mp.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    out = L.ok("device", "revoke", "lost laptop", "--data-dir", str(L.a), "--user", "boss")
    assert "revoked" in out and "key epoch 1" in out
    conn = sqlite3.connect(L.a / "lantern-vault.db")
    try:
        assert {blob_epoch(r[0]) for r in conn.execute("SELECT data FROM patients")} == {1}
    finally:
        conn.close()
    listed = json.loads(L.ok("device", "list", "--data-dir", str(L.a), "--user", "boss", "--json"))
    lost = [d for d in listed if d["name"] == "lost laptop"]
    assert lost[0]["status"] == "revoked" and lost[0]["revoked_at"]
    rc, out, err = L.run("sync", "import", "--data-dir", str(L.a), "--user", "boss",
                         str(L.tmp / "thief.bundle"))
    assert rc == 2 and "revoked laptop" in err and err.count("\n") == 1
    assert L.patients(L.a) == ["Amina Yusuf"]
    rc, _out, err = L.run("device", "revoke", "lost laptop", "--data-dir", str(L.a), "--user", "boss")
    assert rc == 2 and "revoked already" in err
    rc, _out, err = L.run("device", "revoke", "nobody", "--data-dir", str(L.a), "--user", "boss")
    assert rc == 2 and "No laptop" in err


def test_a_laptop_joins_again_on_the_same_computer_after_a_revocation(laptops):
    """The procedure of docs/sync.md after a revocation: the other laptop is joined
    again from a new package; this computer's rollback counter (it saw the earlier
    file of that clinic go further) does not turn that into an alarm."""
    L = laptops
    package, code = L.enrol("triage")
    b = L.tmp / "laptop-b"
    L.on("b")
    assert L.run("device", "join", str(package), "--code", code, "--data-dir", str(b))[0] == 0
    for i in range(12):     # laptop b's file goes on: its state generation grows
        L.ok("patient", "add", "--data-dir", str(b), "--user", "boss", "--name", f"Walk In{i}",
             "--sex", "male")
    L.ok("sync", "export", "--data-dir", str(b), "--user", "boss", str(L.tmp / "b.bundle"))
    L.on("a")
    L.ok("sync", "import", "--data-dir", str(L.a), "--user", "boss", str(L.tmp / "b.bundle"))
    L.ok("device", "revoke", _enrol_and_name(L), "--data-dir", str(L.a), "--user", "boss")
    package2, code2 = L.enrol("triage again")
    b.rename(L.tmp / "laptop-b-old")
    L.on("b")
    rc, _out, err = L.run("device", "join", str(package2), "--code", code2, "--data-dir", str(b))
    assert rc == 0, err
    out = L.ok("vault", "verify", "--data-dir", str(b), "--user", "boss")
    assert "matches its sealed state" in out
    assert L.patients(b) == sorted(["Amina Yusuf", *(f"Walk In{i}" for i in range(12))])


def _enrol_and_name(L: Laptops) -> str:
    """A laptop enrolled and then lost before it ever joined (revoked: the key changes)."""
    L.enrol("lost before use")
    return "lost before use"


def test_a_laptop_enrolled_elsewhere_is_listed_and_revoked_by_the_name_its_events_carry(laptops):
    L = laptops
    package, code = L.enrol("middle")
    b, c = L.tmp / "laptop-b", L.tmp / "laptop-c"
    L.on("b")
    assert L.run("device", "join", str(package), "--code", code, "--data-dir", str(b))[0] == 0
    text = L.ok("device", "enrol", "--data-dir", str(b), "--user", "boss", "--name", "far laptop",
                "--out", str(L.tmp / "c.enrol"))
    code_c = " ".join(ln.strip() for ln in text.splitlines() if ln.startswith("    ")).lower()
    L.on("c")
    assert L.run("device", "join", str(L.tmp / "c.enrol"), "--code", code_c,
                 "--data-dir", str(c))[0] == 0
    L.ok("patient", "add", "--data-dir", str(c), "--user", "boss", "--name", "Far Away",
         "--sex", "male")
    L.ok("sync", "export", "--data-dir", str(c), "--user", "boss", str(L.tmp / "c.bundle"))
    L.on("a")
    L.ok("sync", "import", "--data-dir", str(L.a), "--user", "boss", str(L.tmp / "c.bundle"))
    listed = json.loads(L.ok("device", "list", "--data-dir", str(L.a), "--user", "boss", "--json"))
    far = [d for d in listed if d["name"] == "far laptop"]
    assert len(far) == 1 and far[0]["status"] == "synced"
    L.ok("device", "revoke", "far laptop", "--data-dir", str(L.a), "--user", "boss")
    listed = json.loads(L.ok("device", "list", "--data-dir", str(L.a), "--user", "boss", "--json"))
    assert [d["status"] for d in listed if d["name"] == "far laptop"] == ["revoked"]


def test_the_new_key_reaches_a_joined_laptop_by_usb_and_not_the_revoked_one(laptops):
    """Through the real CLI and real joins: B and C joined from A publish their device
    keys with a USB export; A revokes C; A's next bundle gives B the new key (B reads
    what A wrote after), and C cannot import it."""
    L = laptops
    joined = {}
    for name, laptop in (("clinic laptop", "b"), ("lost laptop", "c")):
        package, code = L.enrol(name)
        joined[laptop] = L.tmp / f"laptop-{laptop}"
        L.on(laptop)
        assert L.run("device", "join", str(package), "--code", code,
                     "--data-dir", str(joined[laptop]))[0] == 0
        L.ok("sync", "export", "--data-dir", str(joined[laptop]), "--user", "boss",
             str(L.tmp / f"{laptop}.bundle"))
        L.on("a")
        L.ok("sync", "import", "--data-dir", str(L.a), "--user", "boss", str(L.tmp / f"{laptop}.bundle"))
    out = L.ok("device", "revoke", "lost laptop", "--data-dir", str(L.a), "--user", "boss")
    assert "key epoch 1" in out and "to 1 laptop(s)" in out and "must join again" not in out
    L.ok("patient", "add", "--data-dir", str(L.a), "--user", "boss", "--name", "After Revoke",
         "--sex", "female")
    L.ok("sync", "export", "--data-dir", str(L.a), "--user", "boss", str(L.tmp / "a-after.bundle"))
    L.on("b")
    out = L.ok("sync", "import", "--data-dir", str(joined["b"]), "--user", "boss",
               str(L.tmp / "a-after.bundle"))
    assert "the clinic's new data key was received (key epoch 1)" in out
    assert "After Revoke" in L.patients(joined["b"])
    L.on("c")
    rc, _out, err = L.run("sync", "import", "--data-dir", str(joined["c"]), "--user", "boss",
                          str(L.tmp / "a-after.bundle"))
    assert rc == 2 and "not given to this laptop" in err
    assert "After Revoke" not in L.patients(joined["c"])
