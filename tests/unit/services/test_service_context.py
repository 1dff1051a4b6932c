"""The service context: services work from it alone, and refuse it once locked."""

from __future__ import annotations

import pytest

from lantern.domain.errors import Locked
from lantern.domain.records import Role
from lantern.services.audit import AuditService
from lantern.services.context import ServiceContext
from lantern.services.credentials import slot_params
from lantern.services.key_admin import rotate_recovery_key
from lantern.services.records import RecordsService
from lantern.services.users import UsersService
from lantern.vault import accounts
from lantern.vault.crypto import RecordCipher
from lantern.vault.kdf import FLOOR
from lantern.vault.keyslots import SlotOpenFailed, unwrap
from lantern.vault.store import Store, vault_path

ADMIN_PASS = "admin passphrase 1"


@pytest.fixture
def context(created, data_dir):
    """A context over the test vault, opened by hand: no VaultSession involved."""
    created[0].lock()
    store = Store.open(vault_path(data_dir))
    with store.reading() as conn:
        user = accounts.get_user(conn, "admin")
        slot = accounts.get_slot(conn, accounts.user_slot_id("admin"))
    cipher = RecordCipher(unwrap(slot, secret=ADMIN_PASS))
    ctx = ServiceContext(store=store, cipher=cipher, user=user)
    yield ctx
    ctx.close()
    cipher.close()
    store.close()


def build_services(ctx):
    users = UsersService(ctx)
    return users, RecordsService(ctx, role_of=users.role_of), AuditService(ctx)


def test_services_built_from_a_context_alone_work(context):
    users, records, audit = build_services(context)
    patient = records.add_patient(name="Context Only", sex="female", birth_year=1990)
    users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase")

    assert [p.id for p in records.search_patients("context")] == [patient.id]
    assert records.get_patient(patient.id).name == "Context Only"
    assert users.role_of("nurse") is Role.ASSISTANT
    newest = audit.entries(3)
    assert [(e.username, e.action) for e in newest] == [
        ("admin", "view patient"), ("admin", "user change"), ("admin", "create patient")]
    assert newest[0].patient_id == patient.id
    assert audit.verify().ok


def test_a_closed_context_refuses_services_and_their_calls(context):
    users, records, audit = build_services(context)
    context.close()
    assert context.locked
    for build in (lambda: UsersService(context), lambda: AuditService(context),
                  lambda: RecordsService(context, role_of=lambda name: None)):
        with pytest.raises(Locked):
            build()
    for call in (lambda: records.add_patient(name="Too Late", sex="male"),
                 lambda: records.search_patients(""), lambda: users.list_users(),
                 lambda: audit.entries(), lambda: rotate_recovery_key(context)):
        with pytest.raises(Locked):
            call()
    with pytest.raises(Locked):
        _ = context.repo
    with pytest.raises(Locked):
        context.wrap_data_key(slot_id="user:x", secret="some passphrase", params=FLOOR)


def test_no_service_can_be_built_on_a_locked_session(session):
    ctx = session.context
    assert ctx.user == session.user
    session.lock()
    with pytest.raises(Locked):
        _ = session.context
    with pytest.raises(Locked):
        UsersService(ctx)
    with pytest.raises(Locked):
        RecordsService(ctx, role_of=lambda name: None)


def test_wrapped_data_key_opens_with_its_secret_only(context):
    with context.reading() as conn:
        params = slot_params(conn)
    slot = context.wrap_data_key(slot_id="user:spare", secret="spare passphrase", params=params)
    key = unwrap(slot, secret="spare passphrase")
    # the slot holds the vault's data key: a cipher from it opens the vault's records
    records = RecordsService(context, role_of=lambda name: None)
    patient = records.add_patient(name="Key Check", sex="male")
    cipher = RecordCipher(key)
    try:
        other = ServiceContext(store=context.store, cipher=cipher, user=context.user)
        found = RecordsService(other, role_of=lambda name: None).get_patient(patient.id)
        assert found.name == "Key Check"
    finally:
        cipher.close()
    with pytest.raises(SlotOpenFailed):
        unwrap(slot, secret="wrong passphrase")
