"""Enrolment benchmark (issue 18 part 3): an administrator writes the enrolment
package of a vault with N patients and a new laptop joins from it. Both steps run
Argon2id twice with the vault's parameters, calibrated on this machine to the
passphrase target (0.7 s), so the figures are what a clinic waits; no target.

Then the same through the clinic's server (a real pouchdb-server on loopback, as the
sync tests start it): ``enrol_through_server`` (login made, package sealed with it,
uploaded in parts) and ``join_through_server`` (fetched, joined, credentials file
written, drop deleted).

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.run_all enrol``
(``LANTERN_BENCH_ENROL_PATIENTS`` sets the size, default 5,000).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

from lantern.services.session import VaultSession
from lantern.services.sync.couch import ServerAccount
from lantern.services.sync.enrol import enrol, join
from lantern.services.sync.enrol_server import enrol_through_server, join_through_server
from lantern.vault.crypto import new_record_id

PASS = "bench enrol passphrase"


def _patient(i: int) -> dict:
    return {"id": new_record_id("P"), "payload": {
        "name": f"Patient {i}", "sex": "female", "birth_date": None, "birth_year": 1950 + i % 60,
        "village": f"Village {i % 40}", "phone": "", "caregiver_name": "", "caregiver_relation": "",
        "caregiver_phone": "", "merged_into": "", "merged_records": []}}


def main() -> dict:
    n = int(os.environ.get("LANTERN_BENCH_ENROL_PATIENTS", "5000"))
    work = Path(tempfile.mkdtemp(prefix="lantern-bench-enrol-"))
    try:
        with mock.patch.dict(os.environ):                        # restored afterwards
            return _run(n, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(n: int, work: Path) -> dict:
    os.environ.pop("LANTERN_KDF_PROFILE", None)                  # the real, calibrated cost
    os.environ["LANTERN_STATE_DIR"] = str(work / "state-a")
    session, _key = VaultSession.create(work / "a", clinic_name="Bench", passphrase=PASS,
                                        admin_username="boss")
    try:
        session.bulk_insert("patients", (_patient(i) for i in range(n)))
        start = time.perf_counter()
        made = enrol(session.context, work / "b.enrol", name="bench laptop")
        t_enrol = time.perf_counter() - start
        server = _through_server(session, work)
    finally:
        session.lock()
    os.environ["LANTERN_STATE_DIR"] = str(work / "state-b")       # the other computer
    start = time.perf_counter()
    join(work / "b.enrol", made.code, work / "b")
    t_join = time.perf_counter() - start
    size = (work / "b.enrol").stat().st_size / 1e6
    print(f"enrolment of a vault with {n} patients: package {size:.1f} MB, "
          f"enrol {t_enrol:.2f} s, join {t_join:.2f} s (Argon2id calibrated here)")
    print(f"through pouchdb-server on loopback: enrol {server['server_enrol_s']:.2f} s, "
          f"join {server['server_join_s']:.2f} s")
    return {"patients": n, "package_mb": size, "enrol_s": t_enrol, "join_s": t_join, **server}


def _through_server(session: VaultSession, work: Path) -> dict:
    from tests.couch_server import ADMIN, running_server

    with running_server(work / "couch") as couch:
        couch.create_clinic("clinic-bench", ["a"])
        admin = ServerAccount(url=couch.url, database="clinic-bench", username=ADMIN,
                              password=couch.admin_password)
        start = time.perf_counter()
        made = enrol_through_server(session.context, admin, name="server laptop")
        t_enrol = time.perf_counter() - start
        os.environ["LANTERN_STATE_DIR"] = str(work / "state-c")   # a third computer
        start = time.perf_counter()
        joined = join_through_server(couch.url, "clinic-bench", made.enrolment.code, work / "c")
        t_join = time.perf_counter() - start
        assert joined.drop_removed and joined.joined.credentials is not None
        os.environ["LANTERN_STATE_DIR"] = str(work / "state-a")
    return {"server_enrol_s": t_enrol, "server_join_s": t_join}


if __name__ == "__main__":
    main()
