"""Helper for test_vault_crash: run in a fresh interpreter (no Qt threads), it
forks writer processes that save and sign notes, SIGKILLs each at a random
moment, and prints one line per acknowledged note (``ACK <encounter id> <sha256>``)
and a final ``DONE <kills> <kills after some notes>`` line.

With KIND ``orders`` each note also gets an order whose stop alert (the patient's
penicillin allergy) is overridden with a reason before signing; the ACK's digest is
then of that reason (``test_orders_crash``).

Usage: python crash_writer.py DATA_DIR PATIENT_ID PASSPHRASE KILLS SEED [KIND]
"""

from __future__ import annotations

import hashlib
import os
import random
import select
import signal
import sys
import time
from pathlib import Path

from lantern.domain.records import Vitals
from lantern.services.session import VaultSession

ORDER = {"drug": "amoxicillin", "dose": 500, "unit": "mg", "route": "oral", "times_per_day": 3, "days": 5}
KIND = "notes"


def writer(data_dir: Path, patient_id: str, passphrase: str, out_fd: int, seed: int) -> None:
    """Child: save and sign notes forever, acknowledging each after its commit."""
    rng = random.Random(seed)
    session = VaultSession.unlock(data_dir, username="admin", passphrase=passphrase,
                                  sleep=lambda s: None)
    rec = session.records
    os.write(out_fd, b"READY\n")
    n = 0
    while True:
        text = f"crash note {seed}-{n} " + "words " * rng.randint(1, 400)
        enc = rec.new_encounter(patient_id)
        rec.save_draft(enc.id, note=text, vitals=Vitals(temp_c=37.2, heart_rate=80))
        acked = text
        if KIND == "orders":
            saved = rec.save_orders(enc.id, [ORDER])
            stop = next(a for a in saved.orders[0].alerts if a.severity == "stop")
            acked = (f"crash reason {seed}-{n} " + "why " * rng.randint(1, 60)).strip()
            rec.save_orders(enc.id, [{**ORDER, "overrides": [{"alert": stop.key, "reason": acked}]}])
        rec.sign_encounter(enc.id)
        digest = hashlib.sha256(acked.encode()).hexdigest()
        os.write(out_fd, f"ACK {enc.id} {digest}\n".encode())
        n += 1


def _drain(fd: int, buffer: bytearray) -> bool:
    """Read what is there; False once the writer has closed its end (it died)."""
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            return False
        buffer.extend(chunk)
    return True


def run_and_kill(data_dir: Path, patient_id: str, passphrase: str, *, seed: int, delay: float,
                 after_ready: bool, after_ack: bool = False) -> list[str]:
    """Fork a writer; SIGKILL it ``delay`` s after its start, after READY (unlock
    finished) when ``after_ready``, or after its first ACK when ``after_ack``: on a slow
    or busy machine some kills still land after acknowledged work, whatever the speed.
    Returns the lines it wrote."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        code = 0
        try:
            writer(data_dir, patient_id, passphrase, write_fd, seed)
        except BaseException as exc:  # noqa: BLE001 - only the error type is reported
            os.write(write_fd, f"ERROR {type(exc).__name__}\n".encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    received = bytearray()
    if after_ready or after_ack:
        marker = b"ACK " if after_ack else b"READY"
        give_up = time.monotonic() + 120
        while marker not in received and time.monotonic() < give_up:
            select.select([read_fd], [], [], 0.05)
            if not _drain(read_fd, received):
                break   # the writer died before it was ready: report it, do not spin
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        _drain(read_fd, received)
        select.select([read_fd], [], [], max(0.0, min(0.01, deadline - time.monotonic())))
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    _drain(read_fd, received)
    os.close(read_fd)
    lines = received.decode().splitlines()
    if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
        lines.append(f"ERROR writer exited by itself ({status})")
    return lines


def main(argv: list[str]) -> int:
    data_dir, patient_id, passphrase = Path(argv[0]), argv[1], argv[2]
    kills, seed = int(argv[3]), int(argv[4])
    global KIND
    KIND = argv[5] if len(argv) > 5 else "notes"
    rng = random.Random(seed)
    kills_after_work = 0
    for kill in range(kills):
        during_unlock = kill % 5 == 0  # most kills land while writing, some while unlocking
        delay = rng.uniform(0.0, 0.08) if during_unlock else rng.uniform(0.01, 0.15)
        lines = run_and_kill(data_dir, patient_id, passphrase, seed=kill, delay=delay,
                             after_ready=not during_unlock, after_ack=kill % 3 == 1)
        acks = [line for line in lines if line.startswith("ACK ")]
        kills_after_work += bool(acks)
        for line in lines:
            if line.startswith(("ACK ", "ERROR")):
                print(line, flush=True)
    print(f"DONE {kills} {kills_after_work}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
