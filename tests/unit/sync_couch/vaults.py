"""Real vaults of one clinic for the server sync tests (see conftest's ``laptops``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lantern.services.session import VaultSession
from lantern.services.sync.server import ServerSyncResult, sync_with_server, transport_for
from lantern.vault.schema import RECORD_TABLES

ADMIN_PASS = "admin passphrase 1"   # as in tests/unit/conftest.py


def records_of(session: VaultSession) -> dict:
    """Every record row of the vault (payloads in clear, owners), sorted."""
    with session.context.reading() as conn:
        return {t: sorted((r.id, json.dumps(r.payload, sort_keys=True), r.patient_id)
                          for r in session.context.repo.all_rows(conn, t)) for t in RECORD_TABLES}


def sync(clinic, session: VaultSession, device: str, **options) -> ServerSyncResult:
    """One ``sync_with_server`` of ``session`` as laptop ``device`` of ``clinic``."""
    options.setdefault("sleep", clinic.sleeps.append)
    transport = transport_for(session.context, clinic.account(device), **options)
    clinic.transports.append(transport)
    return sync_with_server(session.context, transport)


def killed_at_key_switch(session: VaultSession, bundle_path: Path) -> VaultSession:
    """Lock ``session``, import ``bundle_path`` into its vault in a process SIGKILLed
    right after the received data key became the vault's key (inside the import's
    transaction: ``tests/unit/services/sync_import_killer.py``), and unlock it again."""
    data_dir = session.path.parent
    session.lock()
    killer = Path(__file__).parents[1] / "services" / "sync_import_killer.py"
    proc = subprocess.run([sys.executable, str(killer), str(data_dir), "admin", ADMIN_PASS,
                           str(bundle_path), "rekey"], env=dict(os.environ), capture_output=True,
                          timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    return _unlock(data_dir)


def unlocked_again(session: VaultSession) -> VaultSession:
    """Lock ``session`` and unlock its vault again (a new start of the app)."""
    data_dir = session.path.parent
    session.lock()
    return _unlock(data_dir)


def _unlock(data_dir: Path) -> VaultSession:
    return VaultSession.unlock(data_dir, username="admin", passphrase=ADMIN_PASS,
                               sleep=lambda s: None)
