"""A real pouchdb-server per test module, a fresh clinic database per test."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterator

import pytest
from tests.couch_server import CouchServer, DeviceLogin

from lantern.services.sync.couch import CouchTransport, ServerAccount

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def couch(tmp_path_factory) -> Iterator[CouchServer]:
    server = CouchServer(tmp_path_factory.mktemp("couch"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


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
