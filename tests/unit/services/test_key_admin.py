from __future__ import annotations

import json

import pytest

from lantern.domain.errors import AuthError, PermissionDenied, ValidationError
from lantern.services.session import VaultSession
from lantern.vault import kdf

ADMIN_PASS = "admin passphrase 1"


def slot_params(session, username):
    row = session._store.conn.execute(
        "SELECT kdf FROM key_slots WHERE username = ?", (username,)).fetchone()
    return kdf.KdfParams.from_dict(json.loads(row[0]))


def test_raised_kdf_parameters_upgrade_each_slot_at_next_unlock(session, unlock):
    session.users.add_user(username="doc", role="clinician", passphrase="doctor passphrase")
    stronger = kdf.KdfParams(memory_kib=kdf.FLOOR_MEMORY_KIB + 1024, iterations=3)
    session.raise_kdf(params=stronger)
    assert session.audit.entries(1)[0].action == "change kdf"
    assert slot_params(session, "doc") == kdf.FLOOR  # not yet: needs doc's passphrase
    session.lock()
    doc = unlock(user="doc", passphrase="doctor passphrase")
    try:
        assert slot_params(doc, "doc") == stronger
        assert slot_params(doc, "admin") == kdf.FLOOR
    finally:
        doc.lock()
    unlock(user="doc", passphrase="doctor passphrase").lock()  # still opens after re-wrap
    with pytest.raises(AuthError):
        unlock(user="doc", passphrase="wrong passphrase")


def test_raise_kdf_refuses_weak_params_and_non_admins(session, unlock):
    with pytest.raises(ValidationError):
        session.raise_kdf(params=kdf.KdfParams(memory_kib=1024, iterations=1))
    with pytest.raises(ValidationError):
        session.raise_kdf()
    session.users.add_user(username="doc", role="clinician", passphrase="doctor passphrase")
    doc = unlock(user="doc", passphrase="doctor passphrase")
    try:
        with pytest.raises(PermissionDenied):
            doc.raise_kdf(params=kdf.FLOOR)
        with pytest.raises(PermissionDenied):
            doc.rotate_recovery_key()
    finally:
        doc.lock()


def test_rotated_recovery_key_replaces_the_old_one(created, data_dir):
    session, old_key = created
    new_key = session.rotate_recovery_key()
    assert new_key != old_key
    session.lock()
    with pytest.raises(AuthError):
        VaultSession.recover(data_dir, recovery_key=old_key, username="admin",
                             new_passphrase="another passphrase", sleep=lambda s: None)
    VaultSession.recover(data_dir, recovery_key=new_key, username="admin",
                         new_passphrase="another passphrase", sleep=lambda s: None).lock()
