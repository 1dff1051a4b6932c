"""Overridden alerts are never lost: writers that save orders, override their stop
alert with a reason and sign, SIGKILLed at random moments (``crash_writer.py`` with KIND
``orders``), leave every acknowledged override in its signed encounter, and nothing torn:
an unacknowledged encounter is a whole draft or a whole signed one, and no signed
encounter has a stop alert without its override."""

from __future__ import annotations

import hashlib
import os

import pytest
from tests.unit.vault.test_vault_crash import run_writers

from lantern.domain.records import NoteStatus

KILLS = 40

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.mark.slow
def test_sigkilled_prescribers_lose_no_acknowledged_override(created, data_dir, unlock):
    session, _ = created
    patient = session.records.add_patient(name="Crash Test", sex="male", birth_year=1980)
    session.records.add_allergy(patient.id, substance="penicillin", reaction="hives")
    session.lock()

    acked, kills_after_work = run_writers(data_dir, patient.id, kills=KILLS, seed=20261205, kind="orders")
    print(f"{KILLS} kills, {kills_after_work} after some signed prescriptions, {len(acked)} acknowledged")
    assert acked, "no writer got as far as one signed prescription"

    check = unlock()
    try:
        assert check.integrity_problems() == []
        assert check.records.damaged_records() == []
        assert check.audit.verify().ok
        encounters = {e.id: e for e in check.records.list_encounters(patient.id)}
        for enc_id, digest in acked.items():
            enc = encounters[enc_id]
            assert enc.status is NoteStatus.SIGNED
            (override,) = enc.orders[0].overrides
            assert hashlib.sha256(override.reason.encode()).hexdigest() == digest
            assert (override.kind, override.severity, override.by) == ("allergy", "stop", "admin")
        for enc in encounters.values():
            assert enc.status in (NoteStatus.DRAFT, NoteStatus.SIGNED)
            for order in enc.orders:
                assert order.drug_id == "amoxicillin"
                assert all(v.reason.startswith("crash reason ") for v in order.overrides)
            if enc.status is NoteStatus.SIGNED:
                assert enc.orders and not enc.orders[0].open_stops
        overrides = [e for e in check.audit.entries(5000) if e.action == "override alert"]
        assert len(overrides) >= len(acked)
        assert all(e.detail == "order 1: allergy (stop); reason: other" for e in overrides)
    finally:
        check.lock()
