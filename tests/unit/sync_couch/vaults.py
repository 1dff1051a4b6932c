"""Real vaults of one clinic for the server sync tests (see conftest's ``laptops``)."""

from __future__ import annotations

import json

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
