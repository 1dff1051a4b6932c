"""Writers killed with SIGKILL at random moments lose nothing they acknowledged.

The fork-and-kill loop runs in a fresh interpreter (``crash_writer.py``), so no
thread of the test process (Qt, pytest plugins) is ever forked.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lantern.domain.records import NoteStatus

KILLS = 110
PASS = "admin passphrase 1"
HELPER = Path(__file__).with_name("crash_writer.py")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def run_writers(data_dir: Path, patient_id: str, *, kills: int, seed: int, kind: str = "notes",
                ) -> tuple[dict[str, str], int]:
    """Run ``crash_writer.py``: ({acknowledged encounter id: digest}, kills after some work)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[3] / "desktop")}
    proc = subprocess.run(
        [sys.executable, str(HELPER), str(data_dir), patient_id, PASS, str(kills), str(seed), kind],
        env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    errors = [line for line in lines if line.startswith("ERROR")]
    assert errors == []
    done = lines[-1].split()
    assert done[0] == "DONE" and int(done[1]) == kills
    return dict(line.split()[1:] for line in lines if line.startswith("ACK ")), int(done[2])


@pytest.mark.slow
def test_sigkilled_writers_lose_no_acknowledged_note(created, data_dir, unlock):
    session, _ = created
    patient_id = session.records.add_patient(name="Crash Test", sex="male").id
    session.lock()

    acked, kills_after_work = run_writers(data_dir, patient_id, kills=KILLS, seed=20261128)
    print(f"{KILLS} kills, {kills_after_work} after some notes, {len(acked)} acknowledged notes")
    assert kills_after_work >= KILLS // 3  # most writers got real work done before the kill

    check = unlock()
    try:
        assert check.integrity_problems() == []
        assert check.records.damaged_records() == []
        assert check.audit.verify().ok
        encounters = {e.id: e for e in check.records.list_encounters(patient_id)}
        for enc_id, digest in acked.items():
            enc = encounters[enc_id]
            assert enc.status is NoteStatus.SIGNED
            assert hashlib.sha256(enc.note.encode()).hexdigest() == digest
        # anything not acknowledged is a whole, readable draft or signed note, never a torn one
        for enc in encounters.values():
            assert enc.status in (NoteStatus.DRAFT, NoteStatus.SIGNED)
            if enc.status is NoteStatus.SIGNED:
                assert enc.note.startswith("crash note ") and enc.signed_by == "admin"
    finally:
        check.lock()
