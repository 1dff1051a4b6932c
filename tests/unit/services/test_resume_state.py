"""What the window seals at a lock to resume after it (services/resume.py): only the same
user's later session of the same vault opens it; another user, a changed byte or an
oversized state give None, never an exception or someone else's screen."""

from __future__ import annotations

import pytest

from lantern.domain.errors import Locked
from lantern.domain.records import Role
from lantern.services.resume import MAX_BYTES, open_state, seal_state
from lantern.services.session import VaultSession

PASS = "resume state passphrase 1"
OTHER, OTHER_PASS = "joseph", "joseph passphrase 22"
STATE = {"position": {"patient_id": "p123", "chart_tab": 1, "cursor": 17},
         "dialogs": [{"key": "add_to_list", "args": {"list": "allergies"},
                      "inputs": {"editors.substance": "青霉素 Penicil"}}]}


@pytest.fixture
def vault(tmp_path):
    session, _key = VaultSession.create(tmp_path, clinic_name="C", admin_username="amina",
                                        passphrase=PASS)
    session.users.add_user(username=OTHER, role=Role.CLINICIAN, passphrase=OTHER_PASS)
    session.lock()
    return tmp_path


def test_the_same_user_opens_it_in_a_later_session(vault):
    first = VaultSession.unlock(vault, username="amina", passphrase=PASS)
    blob = seal_state(first.context, STATE)
    first.lock()
    assert blob is not None and b"Penicil" not in blob and "青霉素".encode() not in blob
    with pytest.raises(Locked):
        first.context            # noqa: B018 - a locked session seals and opens nothing
    later = VaultSession.unlock(vault, username="amina", passphrase=PASS)
    assert open_state(later.context, blob) == STATE
    later.lock()


def test_another_user_or_a_changed_byte_opens_nothing(vault):
    amina = VaultSession.unlock(vault, username="amina", passphrase=PASS)
    blob = seal_state(amina.context, STATE)
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    assert open_state(amina.context, bytes(tampered)) is None
    assert open_state(amina.context, b"") is None
    amina.lock()
    joseph = VaultSession.unlock(vault, username=OTHER, passphrase=OTHER_PASS)
    assert open_state(joseph.context, blob) is None
    joseph.lock()


def test_an_oversized_state_is_not_sealed(vault):
    session = VaultSession.unlock(vault, username="amina", passphrase=PASS)
    assert seal_state(session.context, {"x": "a" * (MAX_BYTES + 1)}) is None
    session.lock()


def test_it_still_opens_after_the_data_key_changed(vault):
    """Deactivating a colleague changes the data key; a state sealed before still opens."""
    session = VaultSession.unlock(vault, username="amina", passphrase=PASS)
    blob = seal_state(session.context, STATE)
    session.users.deactivate_user(OTHER)
    session.lock()
    later = VaultSession.unlock(vault, username="amina", passphrase=PASS)
    assert open_state(later.context, blob) == STATE
    later.lock()
