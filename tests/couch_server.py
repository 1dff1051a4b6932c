"""A real CouchDB-protocol server for the sync tests: pouchdb-server on 127.0.0.1.

pouchdb-server (installed into ``tools/couch/node_modules`` by ``make test`` /
``make unit`` through ``scripts/couch-deps.sh``; nothing is downloaded here) keeps
its databases as LevelDB directories under ``data_dir``, so a test can read the
files the server wrote. Admin party is off from the first request: the admin is
written into the server's config file before it starts (pouchdb-server hashes it
on start, as CouchDB does with its ini file).

What pouchdb-server supports of CouchDB's security model, checked by the tests:
server admins, users in ``_users`` (one per laptop) and a database ``_security``
object whose ``members`` limit who may read and write the database. It answers
``401`` for a wrong password and for a user who is not a member. It has no
``validate_doc_update`` enforcement per user beyond that and no per-document
access control (Apache CouchDB 3 has neither per document either).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
from ibm_cloud_sdk_core.authenticators import BasicAuthenticator
from ibmcloudant.cloudant_v1 import CloudantV1, SecurityObject

REPO = Path(__file__).resolve().parents[1]
POUCHDB_SERVER = REPO / "tools" / "couch" / "node_modules" / ".bin" / "pouchdb-server"
START_DEADLINE_S = 60.0
ADMIN = "lantern-admin"


class CouchSetupError(RuntimeError):
    pass


def free_loopback_port() -> int:
    """A TCP port free on 127.0.0.1 now (the server binds it a moment later)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])
    except OSError as exc:
        raise CouchSetupError(
            f"cannot bind 127.0.0.1 ({exc.strerror}): loopback is down. Run the tests "
            "through `make test` (scripts/offline.sh brings loopback up inside the "
            "network namespace)") from None


@dataclass(frozen=True)
class DeviceLogin:
    username: str
    password: str


class CouchServer:
    """One pouchdb-server process with its LevelDB files under ``data_dir``."""

    def __init__(self, base: Path) -> None:
        if not POUCHDB_SERVER.exists():
            raise CouchSetupError(
                f"{POUCHDB_SERVER.relative_to(REPO)} is missing: run `make couch-deps` "
                "(part of `make test` and `make unit`)")
        self.base = base
        self.data_dir = base / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.admin_password = secrets.token_urlsafe(16)
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = base / "server.out"
        self._clients: list[CloudantV1] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start (or restart, on the same files) and wait until it answers."""
        self.port = self.port or free_loopback_port()   # a restart keeps the address
        config = {
            "admins": {ADMIN: self.admin_password},
            "log": {"file": str(self.base / "couch.log"), "level": "warning"},
            "httpd": {"port": self.port, "bind_address": "127.0.0.1"},
        }
        config_path = self.base / "config.json"
        if not config_path.exists():
            config_path.write_text(json.dumps(config))
        else:  # restart: keep the hashed admin the server wrote back, take the new port
            saved = json.loads(config_path.read_text())
            saved.setdefault("httpd", {})["port"] = self.port
            config_path.write_text(json.dumps(saved))
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                [str(POUCHDB_SERVER), "--port", str(self.port), "--host", "127.0.0.1",
                 "--dir", str(self.data_dir), "--config", str(config_path),
                 "--no-stdout-logs", "--no-color"],
                cwd=self.base, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_DEADLINE_S
        with requests.Session() as session:
            self._poll(session, deadline)

    def _poll(self, session: requests.Session, deadline: float) -> None:
        while True:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise CouchSetupError(
                    f"pouchdb-server exited with {self.proc.returncode}: "
                    f"{self.log_path.read_text(errors='replace')[-2000:]}")
            try:
                reply = session.get(self.url + "/", timeout=2)
                if reply.ok and "version" in reply.json():
                    # the configured admin is in place (so admin party is off)
                    ctx = session.get(self.url + "/_session", timeout=2,
                                      auth=(ADMIN, self.admin_password)).json()
                    if "_admin" in ctx.get("userCtx", {}).get("roles", []):
                        return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise CouchSetupError(
                    f"pouchdb-server did not answer within {START_DEADLINE_S:.0f} s")
            # between polls, wait on the process: returns at once if it dies
            try:
                self.proc.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL), keeping its files."""
        self.close_clients()
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)
        self.proc = None

    def admin_client(self) -> CloudantV1:
        """An admin client; its connections are closed by ``close_clients`` (and ``stop``)."""
        client = CloudantV1(authenticator=BasicAuthenticator(ADMIN, self.admin_password))
        client.set_service_url(self.url)
        self._clients.append(client)
        return client

    def close_clients(self) -> None:
        for client in self._clients:
            client.get_http_client().close()
        self._clients.clear()

    def create_clinic(self, database: str, devices: list[str]) -> dict[str, DeviceLogin]:
        """One database for the clinic and one server user per laptop, members only."""
        admin = self.admin_client()
        admin.put_database(db=database)
        logins: dict[str, DeviceLogin] = {}
        for name in devices:
            logins[name] = self.add_device_user(f"{name}-{database}")
        admin.put_security(
            db=database,
            admins=SecurityObject(names=[], roles=[]),
            members=SecurityObject(names=[lg.username for lg in logins.values()], roles=[]))
        return logins

    def add_device_user(self, name: str) -> DeviceLogin:
        login = DeviceLogin(username=f"device-{name}", password=secrets.token_urlsafe(18))
        self.admin_client().put_document(
            db="_users", doc_id=f"org.couchdb.user:{login.username}",
            document={"name": login.username, "password": login.password,
                      "roles": [], "type": "user"})
        return login

    def set_config(self, section: str, key: str, value: str) -> None:
        """``PUT /_config/...``: the one admin call the client library lacks."""
        reply = requests.put(f"{self.url}/_config/{section}/{key}", data=json.dumps(value),
                             auth=(ADMIN, self.admin_password), timeout=10)
        reply.raise_for_status()



@contextlib.contextmanager
def running_server(base: Path) -> Iterator[CouchServer]:
    """A started server with its files under ``base``, stopped on exit."""
    server = CouchServer(base)
    server.start()
    try:
        yield server
    finally:
        server.stop()
