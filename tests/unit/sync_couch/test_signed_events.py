"""Per-laptop signing keys (issue 18; docs/sync.md, "Signatures"): someone who holds
only the clinic's data key (a thief of a revoked laptop, with a passphrase) cannot
make the other laptops take a key change or any event in another laptop's name, nor
bring in a laptop of their own. Real vaults, by USB bundle and through the real
pouchdb-server.

Laptops A (the test vault), B and C (copies of A whose keys A endorsed, as
``lantern device enrol/join`` binds them; see the ``three`` fixture). The *thief*
is a copy of A (so it holds the data key and every device key A knows) that gave
itself a made-up device id, as anyone with the key and a backup can."""

from __future__ import annotations

import os
import secrets

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tests.unit.sync_couch.conftest import own_device as _own_device
from tests.unit.sync_couch.test_rekey_after_revoke import _names
from tests.unit.sync_couch.vaults import ADMIN_PASS, records_of, sync

from lantern.domain.records import Sex
from lantern.services.backup import restore_backup
from lantern.services.session import VaultSession
from lantern.services.sync import bundle, device_keys, signing
from lantern.services.sync import events as ev
from lantern.services.sync.enrol import _registry, _save_registry, revoke
from lantern.services.sync.hlc import Clock
from lantern.vault.crypto import RecordCipher, random_key


def _unendorsed_copy(a: VaultSession, where, name: str) -> VaultSession:
    """A backup of ``a`` restored at ``where`` with a device id of its own that no
    laptop endorsed (as anyone with the data key and a backup can make)."""
    restore_backup(a.backup_to(where.with_suffix(".db")), where)
    copy = VaultSession.unlock(where, username="admin", passphrase=ADMIN_PASS,
                               sleep=lambda s: None)
    with copy.context.writing() as conn:
        ev.new_device_identity(conn, name=name)
    return copy


@pytest.fixture
def thief(tmp_path, three):
    """A copy of A with a made-up device id (no endorsement): holds the data key."""
    t = _unendorsed_copy(three[0], tmp_path / "thief", "laptop T")
    yield t
    t.lock()


def _forged_rotation(session: VaultSession, claimed: str, *, key: Ed25519PrivateKey | None
                     ) -> ev.SealedEvent:
    """A ``key.rotated`` event in the name of ``claimed``, carrying a key the forger
    chose to every laptop whose device key it knows, sealed under the old data key,
    signed with ``key`` (None: unsigned)."""
    with session.context.reading() as conn:
        clinic = ev.clinic_id(conn)
        new = RecordCipher(random_key(), epoch=1)
        try:
            fields = device_keys.rotation_fields(conn, new, clinic=clinic, own=claimed,
                                                 previous_epoch=0, revoked=set(), laptops=())
        finally:
            new.close()
    event = ev.Event(event_id=secrets.token_hex(16), device_id=claimed,
                     hlc=str(Clock(claimed).tick()), author="admin", kind=device_keys.ROTATED,
                     table=device_keys.KEY_TABLE, record_id="1", patient_id=None,
                     encounter_id=None, fields=fields, base={}).signed_by(key, clinic)
    return ev.seal_event(session.context.repo.cipher, clinic, event)


def _resigned(session: VaultSession, sealed: ev.SealedEvent, key: Ed25519PrivateKey | None,
              *, new_id: bool = False) -> ev.SealedEvent:
    """``sealed`` opened with the data key, its signature replaced (None: removed);
    with ``new_id`` also under a new event id (a new event in that laptop's name)."""
    cipher = session.context.repo.cipher
    with session.context.reading() as conn:
        clinic = ev.clinic_id(conn)
    event = ev.open_event(cipher, clinic, sealed)
    plain = ev.Event(**{**event.__dict__, "sig": "",
                        "event_id": secrets.token_hex(16) if new_id else event.event_id})
    return ev.seal_event(cipher, clinic, plain.signed_by(key, clinic))


def _newest_of(session: VaultSession, device: str) -> ev.SealedEvent:
    with session.context.reading() as conn:
        return [s for s in ev.pending_events(conn) if s.device_id == device][-1]


def test_every_event_is_signed_and_the_chain_binds_b_to_a(three):
    a, b, _c = three
    b.records.add_patient(name="Signed On B", sex=Sex.MALE, birth_year=1970)
    with b.context.reading() as conn:
        clinic = ev.clinic_id(conn)
        chain = signing.own_chain(conn, _own_device(b))
        newest = ev.open_event(b.context.repo.cipher, clinic, _newest_of(b, _own_device(b)))
    assert chain is not None and [link["device"] for link in chain] == [_own_device(a),
                                                                        _own_device(b)]
    assert chain[1]["how"] == "enrolled" and chain[1]["by"] == _own_device(a)
    with a.context.reading() as conn:      # A learned B's key from B's device.key event
        trust = signing.Trust(conn, clinic, revoked=set())
    assert trust.check(newest.event_id, newest.device_id, newest.hlc, newest.kind, newest.sig,
                       newest.signed_message(clinic)) is None
    # one byte of the signed content changed: the signature no longer holds
    other = ev.Event(**{**newest.__dict__, "author": "someone else"})
    assert "wrong signature" in (trust.check(other.event_id, other.device_id, other.hlc,
                                             other.kind, other.sig,
                                             other.signed_message(clinic)) or "")


def test_a_forged_key_change_from_a_made_up_laptop_is_refused_by_usb(tmp_path, three, thief):
    """The thief revokes C on its copy (a real rotation: a key.rotated event with a key
    of its choosing wrapped to B's device key, sealed under the old key) and writes
    under its key; B refuses the bundle, keeps its key and records, and then takes
    A's genuine key change."""
    a, b, c = three
    _device, result = revoke(thief.context, _own_device(c))
    assert _own_device(b) in result.handed_to            # B's copy of the thief's key is in it
    thief.records.add_patient(name="Thief Patient", sex=Sex.MALE, birth_year=1960)
    forged = bundle.export_bundle(thief.context, tmp_path / "usb" / "thief.bundle").path
    before = records_of(b)
    # (its rotation was written before it made keys: unsigned; signed or not, from a
    # laptop nobody enrolled it is refused)
    with pytest.raises(ev.SyncRefused, match="is not signed|not enrolled by a laptop known "
                       "here|whose signing key is not known here") as refused:
        bundle.import_bundle(b.context, forged)
    assert "key change is refused" in str(refused.value)
    assert b.context.repo.cipher.epoch == 0 and records_of(b) == before
    assert "Thief Patient" not in _names(b)

    # the genuine key change applies
    revoke(a.context, _own_device(c))
    a.records.add_patient(name="After Revoke", sex=Sex.FEMALE, birth_year=1988)
    got = bundle.import_bundle(b.context, bundle.export_bundle(
        a.context, tmp_path / "usb" / "a-after.bundle").path)
    assert got.rekeyed == 1 and "After Revoke" in _names(b)


@pytest.mark.parametrize("how", ["unsigned", "signed by another key"])
def test_a_key_change_in_a_real_laptops_name_needs_its_signature(three, thief, how):
    """The thief writes a key.rotated claiming to come from A (the laptop that revokes),
    unsigned or signed with a key of its own: B refuses it and stays on its key."""
    a, b, _c = three
    sealed = _forged_rotation(thief, _own_device(a), key=None if how == "unsigned"
                              else Ed25519PrivateKey.generate())
    with pytest.raises(ev.SyncRefused, match="is not signed|wrong signature"):
        ev.apply_events(b.context, [sealed])
    assert b.context.repo.cipher.epoch == 0


def test_through_the_server_forged_events_are_left_out_and_the_rest_applies(clinic, three,
                                                                            thief):
    """On the server a forged event cannot stop the other laptops' syncs: it is left
    out (counted, in the summary and the audit) and the genuine events of the same
    pull apply. Forged: a key change in A's name (wrong signature), an unsigned one in
    B's name, a patient edit of A's re-signed by the thief, and the made-up laptop's
    own key and events (pushed with C's server login, which the thief holds)."""
    a, b, c = three
    sync(clinic, a, "a")
    sync(clinic, b, "b")
    a.records.add_patient(name="Genuine After", sex=Sex.FEMALE, birth_year=1991)
    forged = [_forged_rotation(thief, _own_device(a), key=Ed25519PrivateKey.generate()),
              _forged_rotation(thief, _own_device(b), key=None),
              _resigned(thief, _newest_of(a, _own_device(a)), Ed25519PrivateKey.generate(),
                        new_id=True)]
    thief.records.add_patient(name="Thief Patient", sex=Sex.MALE, birth_year=1960)
    with thief.context.writing() as conn:
        ev.publish_device_key(conn, thief.context.repo.cipher, "admin")
    with thief.context.reading() as conn:
        made_up = [s for s in ev.pending_events(conn) if s.device_id == _own_device(thief)]
    assert len(made_up) == 2        # its patient (unsigned: no key yet) and its device.key
    clinic.transport("c").push(forged + made_up)
    sync(clinic, a, "a")

    got = sync(clinic, b, "b")
    # 4: the one in B's own name never reaches B (a transport leaves out "its own" events)
    assert got.unverified == 4 and "refused for a missing or wrong signature" in got.summary()
    assert b.context.repo.cipher.epoch == 0
    assert "Genuine After" in _names(b) and "Thief Patient" not in _names(b)
    with b.context.reading() as conn:
        held = {r[0] for r in conn.execute("SELECT event_id FROM sync_events")}
        details = [e.detail for e in b.context.audit_chain.entries(
            conn, limit=10_000, newest_first=False) if e.action == "sync server"]
    assert not held & {s.event_id for s in forged + made_up}
    assert "4 refused for their signature" in details[-1]


def test_a_re_signed_record_event_is_refused_whole_by_usb(three, thief):
    a, b, _c = three
    a.records.add_patient(name="Edited On A", sex=Sex.FEMALE, birth_year=1992)
    genuine = _newest_of(a, _own_device(a))
    before = records_of(b)
    for key in (None, Ed25519PrivateKey.generate()):
        with pytest.raises(ev.SyncRefused, match="is not signed|wrong signature"):
            ev.apply_events(b.context, [_resigned(thief, genuine, key)])
        assert records_of(b) == before
    assert ev.apply_events(b.context, [genuine]).applied == 1        # the genuine one applies


def test_a_revoked_laptops_later_events_are_refused(clinic, tmp_path, three):
    """C still holds its own signing key after A revoked it: what it signs afterwards
    is refused by B once B has the revocation, by USB and through the server."""
    a, b, c = three
    sync(clinic, c, "c")
    revoke(a.context, _own_device(c))
    bundle.import_bundle(b.context, bundle.export_bundle(
        a.context, tmp_path / "usb" / "a-after.bundle").path)
    c.records.add_patient(name="Written By C Later", sex=Sex.MALE, birth_year=1966)
    with pytest.raises(ev.SyncRefused, match="revoked laptop"):
        bundle.import_bundle(b.context, bundle.export_bundle(
            c.context, tmp_path / "usb" / "c-later.bundle").path)
    sync(clinic, c, "c")
    got = sync(clinic, b, "b")
    assert got.revoked >= 1 and "Written By C Later" not in _names(b)
    # nor can C enrol a laptop of its own any more: an endorsement by C is refused
    with c.context.writing() as conn:
        endorsed = signing.endorse(conn, c.context.repo.cipher, clinic=ev.clinic_id(conn),
                                   own=_own_device(c), device=secrets.token_hex(8),
                                   enrolment="late")
    with b.context.reading() as conn:
        trust = signing.Trust(conn, ev.clinic_id(conn), revoked=ev.revoked_devices(conn))
    fields = {"sign": "00" * 32, "public": "00" * 32, "chain": [*endorsed.chain, {
        "how": "enrolled", "device": endorsed.device, "sign": "00" * 32, "box": "00" * 32,
        "by": _own_device(c)}]}
    endorsed.close()
    assert trust.learn("x", endorsed.device, "", fields, "", b"") is not None


def test_laptops_from_before_signing_keys_trust_each_other_but_not_a_new_one(tmp_path, created):
    """The migration window. A and B joined before signing keys (B in A's device
    registry, as the old enrolment left it; neither has keys). B writes an event, then
    makes its keys at its export (legacy link); A, which knew B before it began
    checking signatures, takes B's key on first use and B's events before and after.
    A laptop A did not know then (made up after) is refused, and a key change must
    be signed even from a laptop of the window."""
    a, _ = created          # a vault that never made keys nor checked a signature
    (tmp_path / "usb").mkdir()
    a.records.add_patient(name="Written On A", sex=Sex.FEMALE, birth_year=1980)
    old = _unendorsed_copy(a, tmp_path / "old-b", "old B")     # as the old join made it
    try:
        dev = _own_device(old)
        with a.context.writing() as conn:
            registry = _registry(conn)
            registry[dev] = {"name": "old B", "status": "enrolled", "enrolment": "e1", "at": ""}
            _save_registry(conn, registry)
        # ... A's first import begins its checks; it knows old B from its registry
        a_probe = ev.apply_events(a.context, [])
        assert a_probe.applied == 0
        old.records.add_patient(name="Before Keys", sex=Sex.MALE, birth_year=1950)
        with old.context.reading() as conn:
            assert signing.own_chain(conn, dev) is None       # unsigned: no key yet
        usb = bundle.export_bundle(old.context, tmp_path / "usb" / "old.bundle").path
        old.records.add_patient(name="After Keys", sex=Sex.MALE, birth_year=1951)
        with old.context.reading() as conn:
            chain = signing.own_chain(conn, dev)
        assert chain is not None and chain[0]["how"] == "legacy"
        got = bundle.import_bundle(a.context, usb)
        assert got.keys == 1 and "Before Keys" in _names(a)
        later = bundle.export_bundle(old.context, tmp_path / "usb" / "old-2.bundle").path
        assert bundle.import_bundle(a.context, later).applied >= 1 and "After Keys" in _names(a)
        # now that A holds old B's key, an unsigned key change in its name is refused
        with pytest.raises(ev.SyncRefused, match="is not signed"):
            ev.apply_events(a.context, [_forged_rotation(old, dev, key=None)])

        # a laptop A did not know when it began checking: refused, key and events
        new = _unendorsed_copy(a, tmp_path / "new-t", "made up")
        try:
            new.records.add_patient(name="Made Up", sex=Sex.MALE, birth_year=1952)
            with pytest.raises(ev.SyncRefused, match="not enrolled by a laptop known here"):
                bundle.import_bundle(a.context, bundle.export_bundle(
                    new.context, tmp_path / "usb" / "new.bundle").path)
            assert "Made Up" not in _names(a)
        finally:
            new.lock()
    finally:
        old.lock()


def test_a_laptop_joined_from_a_package_is_bound_by_the_chain(tmp_path, laptops, monkeypatch):
    """The real enrolment: the package carries A's endorsement; at join the new laptop
    signs its keys with the one-time enrolment key; A accepts its key and events."""
    from lantern.services.sync.enrol import enrol, join

    a, _b, _patient, _enc = laptops
    package = enrol(a.context, tmp_path / "tablet.enrol", name="tablet")
    saved = os.environ.get("LANTERN_STATE_DIR", str(tmp_path / "a-state"))
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "tablet-state"))  # another computer
    joined = join(package.path, package.code, tmp_path / "tablet")
    tablet = VaultSession.unlock(tmp_path / "tablet", username="admin", passphrase=ADMIN_PASS,
                                 sleep=lambda s: None)
    try:
        with tablet.context.reading() as conn:
            chain = signing.own_chain(conn, joined.device_id)
            pending = signing.publication(conn, joined.device_id)
        assert chain is not None and chain[-1]["how"] == "enrolled"
        assert chain[-1]["by"] == _own_device(a) and chain[-1]["enrolment"] == package.enrolment_id
        assert pending is None      # its device.key was queued in the join transaction
        tablet.records.add_patient(name="Written On Tablet", sex=Sex.FEMALE, birth_year=1999)
        usb = bundle.export_bundle(tablet.context, tmp_path / "usb" / "tablet.bundle").path
    finally:
        tablet.lock()
    monkeypatch.setenv("LANTERN_STATE_DIR", saved)
    got = bundle.import_bundle(a.context, usb)
    assert got.keys >= 1 and "Written On Tablet" in _names(a)
