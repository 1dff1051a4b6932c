from __future__ import annotations

import pytest

from lantern.domain.errors import AuthError, Locked, ValidationError
from lantern.domain.records import Role
from lantern.services.session import VaultSession, login_delay
from lantern.vault import accounts

ADMIN_PASS = "admin passphrase 1"


def slot_bytes(session, username):
    conn = session._store.conn
    return conn.execute("SELECT kdf, salt, wrapped FROM key_slots WHERE username IS ?",
                        (username,)).fetchone()


def test_create_returns_session_and_recovery_key(created, data_dir):
    session, recovery_key = created
    assert VaultSession.exists(data_dir)
    assert session.user.username == "admin" and session.user.role is Role.ADMIN
    assert session.clinic_name == "Test Clinic"
    assert len(recovery_key.replace("-", "")) == 24
    assert not session.locked


def test_create_validates_input(data_dir):
    with pytest.raises(ValidationError):
        VaultSession.create(data_dir, clinic_name="C", admin_username="a b", passphrase=ADMIN_PASS)
    with pytest.raises(ValidationError):
        VaultSession.create(data_dir, clinic_name="C", admin_username="ok", passphrase="short")
    with pytest.raises(ValidationError):
        VaultSession.create(data_dir, clinic_name="  ", admin_username="ok", passphrase=ADMIN_PASS)
    assert not VaultSession.exists(data_dir)


def test_unlock_with_username_in_any_case(created, unlock):
    created[0].lock()
    session = unlock(user="  ADMIN ")
    assert session.user.username == "admin"
    session.lock()


def test_wrong_passphrase_is_refused_audited_and_slowed_down(created, data_dir, unlock):
    created[0].lock()
    delays = []
    for _ in range(4):
        with pytest.raises(AuthError, match="Wrong user name or passphrase"):
            VaultSession.unlock(data_dir, username="admin", passphrase="guess guess",
                                sleep=delays.append)
    assert delays == [login_delay(1), login_delay(2), login_delay(3)]
    assert delays[0] < delays[1] < delays[2]
    session = VaultSession.unlock(data_dir, username="admin", passphrase=ADMIN_PASS,
                                  sleep=delays.append)
    assert delays[-1] == login_delay(4)
    failed = [e for e in session.audit.entries(50) if e.action == "failed login"]
    assert len(failed) == 4 and all(e.username == "admin" for e in failed)
    session.lock()
    # a successful unlock resets the delay
    delays.clear()
    unlock().lock()
    VaultSession.unlock(data_dir, username="admin", passphrase=ADMIN_PASS, sleep=delays.append).lock()
    assert delays == []


def test_login_delay_grows_exponentially_to_a_cap():
    assert login_delay(0) == 0
    assert [login_delay(n) for n in (1, 2, 3, 4)] == [0.25, 0.5, 1.0, 2.0]
    assert login_delay(50) == 30.0


def test_unknown_user_gets_the_same_message(created, unlock):
    created[0].lock()
    with pytest.raises(AuthError) as info:
        unlock(user="ghost", passphrase=ADMIN_PASS)
    assert str(info.value) == "Wrong user name or passphrase."
    assert "ghost" not in str(info.value)


def test_lock_wipes_keys_index_and_refuses_further_calls(session):
    session.records.add_patient(name="Locked Away", sex="male")
    key_buffer = session._cipher._key
    assert any(key_buffer)
    session.lock()
    assert session.locked
    assert key_buffer == bytearray(len(key_buffer))
    assert len(session.records._index) == 0
    with pytest.raises(Locked):
        session.records.search_patients("locked")
    with pytest.raises(Locked):
        session.records.add_patient(name="x", sex="male")
    session.lock()  # idempotent


def test_lock_is_audited(created, unlock):
    created[0].lock()
    session = unlock()
    assert [e.action for e in session.audit.entries(2)] == ["login", "lock"]
    session.lock()


def test_change_passphrase_rewrites_only_that_slot(session, data_dir, unlock):
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase")
    nurse_before = slot_bytes(session, "nurse")
    recovery_before = slot_bytes(session, None)
    admin_before = slot_bytes(session, "admin")
    with pytest.raises(AuthError):
        session.change_passphrase("not my passphrase", "new admin passphrase")
    session.change_passphrase(ADMIN_PASS, "new admin passphrase")
    assert slot_bytes(session, "nurse") == nurse_before
    assert slot_bytes(session, None) == recovery_before
    assert slot_bytes(session, "admin") != admin_before
    session.lock()
    with pytest.raises(AuthError):
        unlock()
    unlock(passphrase="new admin passphrase").lock()
    unlock(user="nurse", passphrase="nurse passphrase").lock()


def test_recovery_key_sets_a_new_passphrase(created, data_dir, unlock):
    session, recovery_key = created
    pid = session.records.add_patient(name="Still Here", sex="female").id
    session.lock()
    with pytest.raises(AuthError):
        VaultSession.recover(data_dir, recovery_key="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF",
                             username="admin", new_passphrase="brand new passphrase",
                             sleep=lambda s: None)
    typed = recovery_key.lower().replace("-", " ")
    recovered = VaultSession.recover(data_dir, recovery_key=typed, username="admin",
                                     new_passphrase="brand new passphrase", sleep=lambda s: None)
    assert recovered.records.get_patient(pid).name == "Still Here"
    assert "recovery login" in [e.action for e in recovered.audit.entries(5)]
    recovered.lock()
    with pytest.raises(AuthError):
        unlock()
    unlock(passphrase="brand new passphrase").lock()


def test_key_slot_records_kdf_parameters(session):
    import json

    kdf_json = slot_bytes(session, "admin")[0]
    params = json.loads(kdf_json)
    assert params["algorithm"] == "argon2id"
    assert params["memory_kib"] >= 19 * 1024 and params["iterations"] >= 2
    slot = accounts.get_slot(session._store.conn, "user:admin")
    assert len(slot.salt) == 16


def test_create_calibrates_when_given_a_target(data_dir, monkeypatch):
    from lantern.vault import kdf

    targets = []
    monkeypatch.setattr(kdf, "calibrate", lambda t: targets.append(t) or kdf.FLOOR)
    session, _ = VaultSession.create(data_dir, clinic_name="C", admin_username="boss",
                                     passphrase=ADMIN_PASS, kdf_target_s=0.6)
    session.lock()
    assert targets == [0.6]


def test_new_slots_reuse_the_parameters_calibrated_at_creation(data_dir, monkeypatch):
    import json

    from lantern.vault import kdf

    strong = kdf.KdfParams(memory_kib=kdf.FLOOR_MEMORY_KIB * 2, iterations=3)
    calls = []
    monkeypatch.setattr(kdf, "calibrate", lambda t: calls.append(t) or strong)
    session, _ = VaultSession.create(data_dir, clinic_name="C", admin_username="boss",
                                     passphrase=ADMIN_PASS, kdf_target_s=0.5)
    try:
        session.users.add_user(username="doc", role="clinician", passphrase="doctor passphrase")
        session.change_passphrase(ADMIN_PASS, "another admin passphrase")
        assert calls == [0.5]  # calibrated once, at creation
        for user in ("boss", "doc"):
            assert json.loads(slot_bytes(session, user)[0]) == strong.as_dict()
    finally:
        session.lock()


def test_errors_never_carry_the_passphrase_or_key(created, unlock):
    session, recovery_key = created
    key_hex = bytes(session._cipher._key).hex()
    session.lock()
    secret = "Correct Horse Battery 42"
    with pytest.raises(AuthError) as info:
        unlock(passphrase=secret)
    texts, exc = [], info.value
    while exc is not None:  # the whole chain of causes
        texts += [str(exc), repr(exc), repr(getattr(exc, "args", ()))]
        exc = exc.__cause__ or exc.__context__
    joined = "\n".join(texts)
    assert secret not in joined and key_hex not in joined and recovery_key not in joined
