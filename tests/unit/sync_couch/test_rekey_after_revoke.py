"""After a laptop is revoked, the new data key reaches the clinic's other laptops
through the event stream (issue 18; docs/sync.md, "Revoking a lost laptop"), by USB
bundle and through the real pouchdb-server, and never the revoked laptop.

Laptop A (the test vault), B and C (backups of A restored with their own device ids,
as the other sync tests make laptops); C is lost and revoked on A."""

from __future__ import annotations

import base64

import pytest
import requests
from tests.couch_server import ADMIN
from tests.unit.sync_couch.test_server_sees_no_patient_data import _files_bytes
from tests.unit.sync_couch.vaults import ADMIN_PASS, killed_at_key_switch, records_of, sync

from lantern.domain.records import Sex
from lantern.services import rotation
from lantern.services.session import VaultSession
from lantern.services.sync import bundle, device_keys
from lantern.services.sync import events as ev
from lantern.services.sync.enrol import enrol, revoke
from lantern.vault import keyring


def _names(session: VaultSession) -> set[str]:
    with session.context.reading() as conn:
        return {r.payload.get("name") for r in session.context.repo.all_rows(conn, "patients")}


def _own_device(session: VaultSession) -> str:
    with session.context.reading() as conn:
        dev = ev.device_id(conn, create=False)
    assert dev is not None
    return dev


def test_a_copied_vault_never_keeps_the_other_laptops_device_key(three):
    a, b, c = three
    with a.context.reading() as conn:
        mine = device_keys.own_public(conn, _own_device(a))
        theirs = device_keys.known(conn)
    assert mine is not None     # made when A endorsed B and C (as enrolling them would)
    assert theirs[_own_device(b)] != theirs[_own_device(c)]


def test_b_receives_the_new_key_by_usb_and_c_does_not(tmp_path, three):
    a, b, c = three
    device, result = revoke(a.context, _own_device(c))
    assert device == _own_device(c) and result.epoch == 1
    assert result.handed_to == (_own_device(b),) and result.without_key == ()
    a.records.add_patient(name="After Revoke", sex=Sex.FEMALE, birth_year=1988, village="Lower")
    usb = tmp_path / "usb" / "a-after.bundle"
    bundle.export_bundle(a.context, usb)

    got = bundle.import_bundle(b.context, usb)
    assert got.rekeyed == 1 and b.context.repo.cipher.epoch == 1
    assert "After Revoke" in _names(b)
    with b.context.reading() as conn:     # C is revoked on B too: its new events are refused
        assert ev.revoked_devices(conn) == {_own_device(c)}
    assert records_of(b)["patients"] == records_of(a)["patients"]
    # what B writes now is under the new key, and A reads it
    b.records.add_patient(name="Written On B", sex=Sex.MALE, birth_year=1975, village="Upper")
    bundle.export_bundle(b.context, tmp_path / "usb" / "b-after.bundle")
    assert bundle.import_bundle(a.context, tmp_path / "usb" / "b-after.bundle").applied == 1
    assert "Written On B" in _names(a)

    # the revoked laptop opens the bundle (old key) but cannot take the new key from it
    with pytest.raises(ev.SyncRefused, match="not given to this laptop"):
        bundle.import_bundle(c.context, usb)
    assert c.context.repo.cipher.epoch == 0 and "After Revoke" not in _names(c)
    # nor can it read A's new events however it gets them: they are under epoch 1
    with a.context.reading() as conn:
        after = [s for s in ev.pending_events(conn) if s.device_id == _own_device(a)][-1]
    with c.context.reading() as conn:
        with pytest.raises(ev.SyncRefused):
            ev.open_event(c.context.repo.cipher, ev.clinic_id(conn), after)


def test_b_unlocks_with_its_passphrase_and_reencrypts_after_receiving(tmp_path, three):
    a, b, c = three
    revoke(a.context, _own_device(c))
    bundle.export_bundle(a.context, tmp_path / "usb" / "a-after.bundle")
    bundle.import_bundle(b.context, tmp_path / "usb" / "a-after.bundle")
    report = rotation.reencrypt(b.context)
    assert report.finished and report.done > 0
    path = tmp_path / "laptop-b"
    b.lock()
    again = VaultSession.unlock(path, username="admin", passphrase=ADMIN_PASS,
                                sleep=lambda s: None)
    try:
        assert again.context.repo.cipher.epoch == 1
        with again.context.reading() as conn:
            assert keyring.stored_epoch(conn) == 1
            # the old key stays in the keyring: events sealed before the change still open
            old = [s for s in ev.pending_events(conn) if s.ciphertext[0] & 0x80 == 0]
            assert old
            for sealed in old:
                ev.open_event(again.context.repo.cipher, ev.clinic_id(conn), sealed)
        assert "Amina Server" in _names(again)
        assert again.integrity.ok and again.integrity_problems() == [] and again.audit.verify().ok
    finally:
        again.lock()


def test_a_failure_after_the_key_switch_leaves_the_vault_as_it_was(tmp_path, three, monkeypatch):
    """The key change and the events of the input are one transaction: an error
    after the switch (here: writing the bundle's replay mark) writes nothing; after
    a new unlock the same bundle imports whole."""
    a, b, c = three
    revoke(a.context, _own_device(c))
    a.records.add_patient(name="After Revoke", sex=Sex.FEMALE, birth_year=1988, village="Lower")
    usb = tmp_path / "usb" / "a-after.bundle"
    bundle.export_bundle(a.context, usb)

    def broken(conn, key, value):
        raise OSError("disk full")

    monkeypatch.setattr(bundle, "set_mark", broken)
    with pytest.raises(OSError):
        bundle.import_bundle(b.context, usb)
    monkeypatch.undo()
    path = tmp_path / "laptop-b"
    b.lock()
    again = VaultSession.unlock(path, username="admin", passphrase=ADMIN_PASS,
                                sleep=lambda s: None)
    try:
        with again.context.reading() as conn:
            assert keyring.stored_epoch(conn) == 0
        assert again.context.repo.cipher.epoch == 0 and "After Revoke" not in _names(again)
        assert bundle.import_bundle(again.context, usb).rekeyed == 1
        assert "After Revoke" in _names(again)
    finally:
        again.lock()


def test_kill_9_right_after_the_key_switch_leaves_the_old_key_and_nothing_applied(tmp_path, three):
    """SIGKILL inside the import's transaction, after the received key became the
    vault's key: at the next unlock the vault is whole at the old epoch, and the same
    bundle then imports whole."""
    a, b, c = three
    revoke(a.context, _own_device(c))
    a.records.add_patient(name="After Revoke", sex=Sex.FEMALE, birth_year=1988, village="Lower")
    usb = bundle.export_bundle(a.context, tmp_path / "usb" / "a-after.bundle").path
    before = records_of(b)
    again = killed_at_key_switch(b, usb)
    try:
        assert again.integrity.ok and again.integrity_problems() == []
        assert again.context.repo.cipher.epoch == 0 and records_of(again) == before
        assert bundle.import_bundle(again.context, usb).rekeyed == 1
        assert "After Revoke" in _names(again) and again.audit.verify().ok
    finally:
        again.lock()


def test_two_revocations_in_one_bundle_give_b_both_keys_in_turn(tmp_path, three):
    a, b, c = three
    tablet = enrol(a.context, tmp_path / "tablet.enrol", name="tablet")
    revoke(a.context, _own_device(c))
    a.records.add_patient(name="Between", sex=Sex.FEMALE, birth_year=1990)
    revoke(a.context, tablet.device_id)
    a.records.add_patient(name="After Both", sex=Sex.MALE, birth_year=1991)
    usb = bundle.export_bundle(a.context, tmp_path / "usb" / "a-after.bundle").path
    assert bundle.import_bundle(b.context, usb).rekeyed == 2
    assert b.context.repo.cipher.epoch == 2 and {"Between", "After Both"} <= _names(b)
    with b.context.reading() as conn:
        assert keyring.stored_epoch(conn) == 2
        assert ev.revoked_devices(conn) == {_own_device(c), tablet.device_id}


def test_a_laptop_without_a_device_key_is_listed_to_join_again(tmp_path, three):
    a, b, c = three
    pending = enrol(a.context, tmp_path / "tablet.enrol", name="tablet")
    _device, result = revoke(a.context, _own_device(c))
    assert result.handed_to == (_own_device(b),)
    assert result.without_key == (pending.device_id,)


def test_b_receives_the_new_key_through_the_server_which_holds_no_key(clinic, couch, three):
    a, b, c = three
    for name, laptop in (("b", b), ("c", c), ("a", a)):
        sync(clinic, laptop, name)
    revoke(a.context, _own_device(c))
    a.records.add_patient(name="After Revoke", sex=Sex.FEMALE, birth_year=1988, village="Lower")
    assert sync(clinic, a, "a").pushed >= 2          # the key.rotated event and the patient

    got = sync(clinic, b, "b")
    assert got.rekeyed == 1 and "new data key was received (key epoch 1)" in got.summary()
    assert "After Revoke" in _names(b)
    # C's server login still works here (no --server-admin): it still learns nothing
    with pytest.raises(ev.SyncRefused, match="not given to this laptop"):
        sync(clinic, c, "c")
    assert "After Revoke" not in _names(c)

    key = bytes(a.context.repo.cipher.key_copy())
    answers = [requests.get(f"{couch.url}/{clinic.database}/{p}",
                            auth=(ADMIN, couch.admin_password), timeout=10)
               for p in ("_changes?include_docs=true", "_all_docs?include_docs=true")]
    with a.context.reading() as conn:
        held = len(ev.pending_events(conn))
    assert answers[1].json()["total_rows"] >= held        # every event A holds is on the server
    answers = b"".join(r.content for r in answers)
    files = _files_bytes(couch.data_dir)
    for form in (key, key.hex().encode(), key.hex().upper().encode(),
                 base64.b64encode(key), base64.b64encode(key).rstrip(b"=")):
        assert form not in answers and form not in files
