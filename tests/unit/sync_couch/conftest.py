"""A real pouchdb-server per test module, a fresh clinic database per test."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator

import pytest
from tests.couch_server import CouchServer, DeviceLogin, running_server

from lantern.services.sync.couch import CouchTransport, ServerAccount

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def couch(tmp_path_factory) -> Iterator[CouchServer]:
    with running_server(tmp_path_factory.mktemp("couch")) as server:
        yield server


class Clinic:
    """One clinic database with laptops ``a``, ``b`` and ``c``, each its own server user."""

    def __init__(self, couch: CouchServer) -> None:
        self.couch = couch
        self.database = f"clinic-{next(_numbers)}"
        self.logins: dict[str, DeviceLogin] = couch.create_clinic(self.database, ["a", "b", "c"])
        self.sleeps: list[float] = []
        self.transports: list[CouchTransport] = []

    def account(self, device: str, *, password: str | None = None) -> ServerAccount:
        login = self.logins[device]
        return ServerAccount(url=self.couch.url, database=self.database,
                             username=login.username, password=password or login.password)

    def transport(self, device: str, **kwargs) -> CouchTransport:
        kwargs.setdefault("sleep", self.sleeps.append)
        return self.connect(self.account(device), device_id=f"dev-{device}", **kwargs)

    def connect(self, account: ServerAccount, **kwargs) -> CouchTransport:
        transport = CouchTransport(account, **kwargs)
        self.transports.append(transport)
        return transport

    def close(self) -> None:
        """Leave no connection open (tests/gui/test_no_network.py lists the process's sockets)."""
        for transport in self.transports:
            transport.close()
        self.couch.close_clients()
        # a request that failed while the server was down leaves its connection in a
        # reference cycle (urllib3's exception and frames); collect it now, not later
        gc.collect()


@pytest.fixture
def clinic(couch) -> Iterator[Clinic]:
    clinic = Clinic(couch)
    yield clinic
    clinic.close()


@pytest.fixture
def laptops(tmp_path, created):
    """Laptop A (the test vault, with a patient and a draft) and laptop B (a backup of
    A restored elsewhere with its own device id, its keys bound by A's endorsement as
    ``lantern device join`` binds them; the code-sealed package is tested elsewhere)."""
    from tests.unit.sync_couch.vaults import ADMIN_PASS

    from lantern.domain.records import Sex, Vitals
    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync import events as ev
    from lantern.services.sync.enrol import endorse
    from lantern.services.sync.server import set_device_name

    a, _key = created
    patient = a.records.add_patient(name="Amina Server", sex=Sex.FEMALE, birth_year=1990,
                                    village="Upper")
    enc = a.records.new_encounter(patient.id)
    a.records.save_draft(enc.id, note="cough three days", vitals=Vitals(temp_c=37.5))
    set_device_name(a.context, "laptop A")
    endorsement = endorse(a.context)        # first, as ``lantern device enrol`` does
    backup = a.backup_to(tmp_path / "usb" / "a.db")
    restore_backup(backup, tmp_path / "laptop-b")
    b = VaultSession.unlock(tmp_path / "laptop-b", username="admin", passphrase=ADMIN_PASS,
                            sleep=lambda s: None)
    with b.context.writing() as conn:
        ev.new_device_identity(conn, name="laptop B", cipher=b.context.repo.cipher,
                               endorsement=endorsement)
    yield a, b, patient, enc
    b.lock()


def own_device(session) -> str:
    """The device id of a laptop's vault."""
    from lantern.services.sync import events as ev

    with session.context.reading() as conn:
        dev = ev.device_id(conn, create=False)
    assert dev is not None
    return dev


@pytest.fixture
def three(tmp_path, laptops):
    """A, B and C (C: another copy of A, its keys endorsed by A like B's); B and C
    have published their device keys (one USB export each) and A holds them."""
    from tests.unit.sync_couch.vaults import ADMIN_PASS

    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync import bundle, device_keys
    from lantern.services.sync import events as ev
    from lantern.services.sync.enrol import endorse

    a, b, _patient, _enc = laptops
    endorsement = endorse(a.context)
    restore_backup(a.backup_to(tmp_path / "usb" / "a-for-c.db"), tmp_path / "laptop-c")
    c = VaultSession.unlock(tmp_path / "laptop-c", username="admin", passphrase=ADMIN_PASS,
                            sleep=lambda s: None)
    with c.context.writing() as conn:
        ev.new_device_identity(conn, name="laptop C", cipher=c.context.repo.cipher,
                               endorsement=endorsement)
    for name, laptop in (("b", b), ("c", c)):
        bundle.export_bundle(laptop.context, tmp_path / "usb" / f"{name}-keys.bundle")
        assert bundle.import_bundle(a.context, tmp_path / "usb" / f"{name}-keys.bundle").keys == 1
    with a.context.reading() as conn:
        assert set(device_keys.known(conn)) == {own_device(b), own_device(c)}
    yield a, b, c
    c.lock()
