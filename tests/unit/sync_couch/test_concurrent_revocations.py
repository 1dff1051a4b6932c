"""Two laptops that revoke at the same key epoch converge (issue 18; docs/sync.md,
"Two revocations at the same time"): each rotation carries its key to the laptops its
author did not revoke; a laptop holding both moves one epoch further, to the key
merged from both (``device_keys.merged_key``), the same on every such laptop
whatever order it met them in; a laptop revoked by either author cannot follow.
Real vaults (A the test vault, the others backups of A with their own device ids and
keys endorsed by A), by USB bundle and through the real pouchdb-server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.unit.sync_couch.conftest import own_device
from tests.unit.sync_couch.vaults import (
    ADMIN_PASS,
    killed_at_key_switch,
    records_of,
    sync,
    unlocked_again,
)

from lantern.domain.records import Sex
from lantern.services import rotation
from lantern.services.backup import restore_backup
from lantern.services.session import VaultSession
from lantern.services.sync import bundle
from lantern.services.sync import events as ev
from lantern.services.sync.enrol import endorse, revoke
from lantern.vault import keyring


def _names(session: VaultSession) -> set[str]:
    with session.context.reading() as conn:
        return {r.payload.get("name") for r in session.context.repo.all_rows(conn, "patients")}


def _key(session: VaultSession) -> bytes:
    return bytes(session.context.repo.cipher.key_copy())


def _usb(tmp_path: Path, source: VaultSession, to: VaultSession, name: str) -> ev.ApplyResult:
    path = bundle.export_bundle(source.context, tmp_path / "usb" / f"{name}.bundle").path
    return bundle.import_bundle(to.context, path)


def _new_laptop(tmp_path: Path, a: VaultSession, name: str) -> VaultSession:
    """Another laptop of A's clinic (as the ``three`` fixture makes C), its device key
    published to A by USB."""
    endorsement = endorse(a.context)
    restore_backup(a.backup_to(tmp_path / "usb" / f"a-for-{name}.db"), tmp_path / f"laptop-{name}")
    laptop = VaultSession.unlock(tmp_path / f"laptop-{name}", username="admin",
                                 passphrase=ADMIN_PASS, sleep=lambda s: None)
    with laptop.context.writing() as conn:
        ev.new_device_identity(conn, name=f"laptop {name.upper()}", cipher=laptop.context.repo.cipher,
                               endorsement=endorsement)
    assert _usb(tmp_path, laptop, a, f"{name}-keys").keys == 1
    return laptop


def _revoke_on_both(tmp_path: Path, a: VaultSession, b: VaultSession, on_a: str, on_b: str) -> None:
    """B learns every device key from A, then A and B each revoke a laptop (both from
    epoch 0, neither knowing of the other's) and each writes a patient."""
    _usb(tmp_path, a, b, "a-keys")
    assert revoke(a.context, on_a)[1].epoch == 1
    assert revoke(b.context, on_b)[1].epoch == 1
    assert _key(a) != _key(b)           # two different keys for epoch 1
    a.records.add_patient(name="Written On A", sex=Sex.FEMALE, birth_year=1980)
    b.records.add_patient(name="Written On B", sex=Sex.MALE, birth_year=1981)


def test_two_laptops_revoking_the_same_laptop_at_once_converge_by_usb(tmp_path, three):
    a, b, c = three
    _revoke_on_both(tmp_path, a, b, own_device(c), own_device(c))
    got_a = _usb(tmp_path, b, a, "b-after")
    got_b = _usb(tmp_path, a, b, "a-after")
    assert got_a.rekeyed == 2 and got_b.rekeyed == 2
    assert a.context.repo.cipher.epoch == b.context.repo.cipher.epoch == 2
    assert _key(a) == _key(b)           # the same merged key, met in opposite orders
    assert {"Written On A", "Written On B"} <= _names(a)
    assert records_of(a) == records_of(b)
    # what each writes now the other reads; importing the same bundle again changes nothing
    a.records.add_patient(name="After The Merge", sex=Sex.FEMALE, birth_year=1982)
    assert _usb(tmp_path, a, b, "a-merged").applied == 1 and "After The Merge" in _names(b)
    assert _usb(tmp_path, b, a, "b-merged").rekeyed is None and records_of(a) == records_of(b)
    # the revoked laptop opens the rotations (old key) but is given neither key
    with pytest.raises(ev.SyncRefused, match="not given to this laptop"):
        _usb(tmp_path, a, c, "a-for-c")
    assert c.context.repo.cipher.epoch == 0 and "Written On A" not in _names(c)
    # B's vault opens again at the merged epoch, whole, and re-encrypts under it
    assert rotation.reencrypt(b.context).finished
    again = unlocked_again(b)
    try:
        with again.context.reading() as conn:
            assert keyring.stored_epoch(conn) == 2
        assert _key(again) == _key(a) and "Written On A" in _names(again)
        assert again.integrity.ok and again.integrity_problems() == [] and again.audit.verify().ok
    finally:
        again.lock()


def test_the_merged_key_keeps_both_revocations_and_any_order_reaches_it(tmp_path, three):
    """A revokes C while B revokes D. E, revoked by nobody, meets both rotations in
    one bundle and reaches the same key as A and B; C and D each hold one of the two
    keys, not the merged one, and learn nothing written after the merge."""
    a, b, c = three
    d = _new_laptop(tmp_path, a, "d")
    e = _new_laptop(tmp_path, a, "e")
    try:
        _revoke_on_both(tmp_path, a, b, own_device(c), own_device(d))
        assert _usb(tmp_path, b, a, "b-after").rekeyed == 2
        a.records.add_patient(name="After The Merge", sex=Sex.FEMALE, birth_year=1982)
        assert _usb(tmp_path, a, b, "a-after").rekeyed == 2 and _key(a) == _key(b)

        got = _usb(tmp_path, a, e, "a-for-e")      # both rotations and every event at once
        assert got.rekeyed == 2 and _key(e) == _key(a)
        assert {"Written On A", "Written On B", "After The Merge"} <= _names(e)
        assert records_of(e) == records_of(a)
        with e.context.reading() as conn:       # the union of the two revocations
            assert ev.revoked_devices(conn) == {own_device(c), own_device(d)}
        for revoked in (c, d):
            with pytest.raises(ev.SyncRefused, match="not given to this laptop"):
                _usb(tmp_path, a, revoked, f"a-for-{own_device(revoked)}")
            assert revoked.context.repo.cipher.epoch == 0
            assert "After The Merge" not in _names(revoked)
    finally:
        e.lock()
        d.lock()


def test_two_revocations_at_once_converge_through_the_server(clinic, three):
    a, b, c = three
    for name, laptop in (("a", a), ("b", b), ("c", c), ("a", a), ("b", b)):
        sync(clinic, laptop, name)       # every device key everywhere
    assert revoke(a.context, own_device(c))[1].epoch == 1
    assert revoke(b.context, own_device(c))[1].epoch == 1
    a.records.add_patient(name="Written On A", sex=Sex.FEMALE, birth_year=1980)
    b.records.add_patient(name="Written On B", sex=Sex.MALE, birth_year=1981)
    sync(clinic, a, "a")
    assert sync(clinic, b, "b").rekeyed == 2        # meets A's rotation: merges
    b.records.add_patient(name="After The Merge", sex=Sex.MALE, birth_year=1983)
    sync(clinic, b, "b")
    assert sync(clinic, a, "a").rekeyed == 2
    assert _key(a) == _key(b) and a.context.repo.cipher.epoch == 2
    assert {"Written On A", "Written On B", "After The Merge"} <= _names(a)
    for name, laptop in (("a", a), ("b", b)):
        sync(clinic, laptop, name)
    assert records_of(a) == records_of(b)
    with pytest.raises(ev.SyncRefused, match="not given to this laptop"):
        sync(clinic, c, "c")
    assert "Written On A" not in _names(c)


def test_kill_9_right_after_the_merged_key_switch_leaves_the_old_key(tmp_path, three):
    """SIGKILL inside the import's transaction right after the merged key became B's
    key: at the next unlock B is whole at its own epoch-1 key, and the same bundle then
    merges whole."""
    a, b, c = three
    _revoke_on_both(tmp_path, a, b, own_device(c), own_device(c))
    usb = bundle.export_bundle(a.context, tmp_path / "usb" / "a-after.bundle").path
    before, own_key = records_of(b), _key(b)
    again = killed_at_key_switch(b, usb)
    try:
        assert again.integrity.ok and again.integrity_problems() == []
        assert again.context.repo.cipher.epoch == 1 and _key(again) == own_key
        assert records_of(again) == before
        assert bundle.import_bundle(again.context, usb).rekeyed == 2
        assert _key(again) != own_key and "Written On A" in _names(again)
        assert again.audit.verify().ok
    finally:
        again.lock()


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


def test_a_concurrent_key_change_that_cannot_be_merged_is_refused_plainly(tmp_path, three):
    """The limit: A revokes twice (epochs 0 -> 1 -> 2) before it meets B's revocation
    from epoch 0; the two histories cannot be merged, and A says so (nothing applied)."""
    a, b, c = three
    _revoke_on_both(tmp_path, a, b, own_device(c), own_device(c))
    tablet = _new_laptop(tmp_path, a, "t")
    try:
        assert revoke(a.context, own_device(tablet))[1].epoch == 2
        before = records_of(a)
        with pytest.raises(ev.SyncRefused, match="cannot be merged"):
            _usb(tmp_path, b, a, "b-after")
        assert a.context.repo.cipher.epoch == 2 and records_of(a) == before
    finally:
        tablet.lock()


def test_three_revocations_at_once_give_every_laptop_the_same_key(tmp_path, three):
    """A, B and E each revoke C from epoch 0; bundles passed round in a ring, each
    laptop meeting the others' rotations in its own order, end at epoch 3 with one key."""
    a, b, c = three
    e = _new_laptop(tmp_path, a, "e")
    try:
        _usb(tmp_path, a, b, "a-keys")
        _usb(tmp_path, a, e, "a-keys-e")
        ring = (a, b, e)
        for laptop in ring:
            assert revoke(laptop.context, own_device(c))[1].epoch == 1
            laptop.records.add_patient(name=f"Written On {own_device(laptop)}",
                                       sex=Sex.FEMALE, birth_year=1980)
        for turn in range(4):
            for i, laptop in enumerate(ring):
                _usb(tmp_path, laptop, ring[(i + 1) % 3], f"ring-{turn}-{i}")
        assert {laptop.context.repo.cipher.epoch for laptop in ring} == {3}
        assert _key(a) == _key(b) == _key(e)
        assert records_of(a) == records_of(b) == records_of(e)
        assert {f"Written On {own_device(laptop)}" for laptop in ring} <= _names(a)
        with pytest.raises(ev.SyncRefused, match="not given to this laptop"):
            _usb(tmp_path, e, c, "e-for-c")
    finally:
        e.lock()
