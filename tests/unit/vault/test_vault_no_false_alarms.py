"""Issue 12 target: 0 false alarms over 1,000 normal open / write / close cycles.

Each cycle opens the vault file, runs the unlock's integrity check and login,
makes one ordinary change (every kind of write the app makes, in turn), and
locks. The Argon2id step is skipped in most cycles (the data key is unwrapped
once, and again after every 100th cycle, which is a full passphrase unlock with a
failed attempt before it; cycle 499 deactivates a user, which rotates the data key),
because it is the same code after the key is known and 1,000 KDF
runs would take minutes. On Linux the files live on tmpfs (/dev/shm) when it
exists, so the test measures logic, not the disk's fsync.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from lantern.domain.errors import AuthError
from lantern.domain.records import Role, Vitals
from lantern.services.session import VaultSession
from lantern.vault import accounts
from lantern.vault.keyslots import OpenedSlot, open_slot
from lantern.vault.store import Store, vault_path

CYCLES = 1000
PASS = "admin passphrase 1"


@pytest.fixture
def fast_dir(monkeypatch):
    shm = Path("/dev/shm")
    base = tempfile.mkdtemp(prefix="lantern-cycles-",
                            dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None)
    monkeypatch.setenv("LANTERN_STATE_DIR", str(Path(base) / "state"))
    yield Path(base) / "data"
    shutil.rmtree(base, ignore_errors=True)


def _open_with_key(data_dir: Path, opened: OpenedSlot, username: str) -> VaultSession:
    """The unlock after its KDF step: the same keyring check, integrity check and login."""
    store = Store.open(vault_path(data_dir))
    user = accounts.get_user(store.conn, username)
    slot = accounts.get_slot(store.conn, accounts.user_slot_id(username))
    again = OpenedSlot(bytearray(opened.key), opened.epoch, legacy=opened.legacy)
    cipher = VaultSession._open_cipher(store, again, slot=slot, username=username)
    return VaultSession._finish_login(store, cipher, user, action="login")


def _one_change(session: VaultSession, n: int, ids: dict) -> None:
    rec = session.records
    step = n % 12
    if step == 0:
        ids["patient"] = rec.add_patient(name=f"Person {n}", sex="female", birth_year=1990).id
    elif step == 1:
        ids["enc"] = rec.new_encounter(ids["patient"]).id
    elif step == 2:
        rec.save_draft(ids["enc"], note=f"Note {n}: cough.", vitals=Vitals(temp_c=37.5))
    elif step == 3:
        rec.sign_encounter(ids["enc"])
    elif step == 4:
        rec.amend_encounter(ids["enc"], f"Amendment {n}.")
    elif step == 5:
        ids["allergy"] = rec.add_allergy(ids["patient"], substance="Penicillin").id
    elif step == 6:
        rec.remove_allergy(ids["allergy"])
    elif step == 7:
        med = rec.add_medication(ids["patient"], name="Amoxicillin", dose="500 mg")
        rec.stop_medication(med.id)
    elif step == 8:
        problem = rec.add_problem(ids["patient"], description="Asthma")
        rec.resolve_problem(problem.id)
    elif step == 9:
        rec.save_assessment(ids["enc"], {"chosen": "common_cold"})
    elif step == 10:
        patient = rec.get_patient(ids["patient"])
        rec.update_patient(dataclasses.replace(patient, village=f"Village {n}"))
    else:
        rec.save_summary(ids["enc"], ids["patient"], {"kind": "note", "text": f"Summary {n}"})


def test_a_thousand_normal_cycles_raise_no_alarm(fast_dir):
    session, _ = VaultSession.create(fast_dir, clinic_name="Cycle Clinic",
                                     admin_username="admin", passphrase=PASS)
    opened = open_slot(accounts.get_slot(session._store.conn, "user:admin"), secret=PASS)
    session.lock()
    ids: dict = {}
    alarms = []
    for n in range(CYCLES):
        if n % 100 == 99:
            with pytest.raises(AuthError):
                VaultSession.unlock(fast_dir, username="admin", passphrase="wrong passphrase",
                                    sleep=lambda s: None)
            session = VaultSession.unlock(fast_dir, username="admin", passphrase=PASS,
                                          sleep=lambda s: None)
            if n % 200 == 199:
                session.users.add_user(username=f"user{n}", role=Role.CLINICIAN,
                                       passphrase="clinician pass 1")
            if n == 499:   # rotates the data key: the state is re-sealed under the new one
                session.users.deactivate_user("user399")
            with session.reading() as conn:      # the key for the next cycles (KDF once)
                opened = open_slot(accounts.get_slot(conn, "user:admin"), secret=PASS)
        else:
            session = _open_with_key(fast_dir, opened, "admin")
        try:
            alarms += [(n, line) for line in session.integrity.lines()]
            _one_change(session, n, ids)
        finally:
            session.lock()
    assert alarms == []
    final = VaultSession.unlock(fast_dir, username="admin", passphrase=PASS, sleep=lambda s: None)
    try:
        assert final.integrity.ok and final.audit.verify().ok
        assert final.records.damaged_records() == []
        failed = [e for e in final.audit.entries(10_000) if e.action == "failed login"]
        assert len(failed) == CYCLES // 100
    finally:
        final.lock()
