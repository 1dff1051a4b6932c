"""A key rotated on a laptop reaches the laptop it was copied from (issue 18;
docs/sync.md, "Carrying the new key to the other laptops"). Real vaults: A the test
vault, C a backup of A with its own device id, the tablet joined from a real
enrolment package of A."""

from __future__ import annotations

import os

from tests.unit.sync_couch.conftest import own_device
from tests.unit.sync_couch.vaults import ADMIN_PASS

from lantern.domain.records import Sex
from lantern.services.session import VaultSession
from lantern.services.sync import bundle
from lantern.services.sync.enrol import revoke


def _names(session: VaultSession) -> set[str]:
    with session.context.reading() as conn:
        return {r.payload.get("name") for r in session.context.repo.all_rows(conn, "patients")}


def _key(session: VaultSession) -> bytes:
    return bytes(session.context.repo.cipher.key_copy())


def test_a_joined_laptop_hands_a_key_it_rotates_to_the_laptop_that_enrolled_it(
        tmp_path, three, monkeypatch):
    """Found while building the above: the enrolment copy dropped A's device key
    without keeping its public half, and holds A's ``device.key`` event already (never
    received again), so a key rotated on a laptop joined from A never reached A."""
    from lantern.services.sync.enrol import enrol, join

    a, _b, c = three
    package = enrol(a.context, tmp_path / "tablet.enrol", name="tablet")
    saved = os.environ.get("LANTERN_STATE_DIR", str(tmp_path / "a-state"))
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "tablet-state"))  # another computer
    join(package.path, package.code, tmp_path / "tablet")
    tablet = VaultSession.unlock(tmp_path / "tablet", username="admin", passphrase=ADMIN_PASS,
                                 sleep=lambda s: None)
    try:
        _device, result = revoke(tablet.context, own_device(c))
        assert own_device(a) in result.handed_to
        tablet.records.add_patient(name="Written On Tablet", sex=Sex.FEMALE, birth_year=1999)
        usb = bundle.export_bundle(tablet.context, tmp_path / "usb" / "tablet.bundle").path
        tablet_key = _key(tablet)
    finally:
        tablet.lock()
    monkeypatch.setenv("LANTERN_STATE_DIR", saved)
    assert bundle.import_bundle(a.context, usb).rekeyed == 1
    assert _key(a) == tablet_key and "Written On Tablet" in _names(a)
