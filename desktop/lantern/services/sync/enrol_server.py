"""The clinic's server side of enrolment and revocation (issue 18 part 3).

A laptop logs in to the clinic database with its own server user (``_users``,
``org.couchdb.user:<login>``) that is a member of the database's ``_security``
object (docs/sync.md, packaging/server). Everything here runs with the server
administrator's credentials file (the same TOML format as a laptop's, with the
admin's ``user`` and ``password``), except :func:`join_through_server`, which
the new laptop runs with nothing but the enrolment code.

**Revoking** (:func:`remove_server_login`): the lost laptop's user is deleted and
taken out of the database's members; the server answers 401 to it from then on.

**Enrolling through the server** (:func:`enrol_through_server`, on the admin's
laptop): the new laptop's own login is made (a random name and password, a member
of the clinic database), then ``enrol.enrol`` seals that login into the same
package and code as a USB enrolment, and the package is put in a *drop* on the
server. From the code and the clinic database's name, HKDF-SHA256 derives (distinct
``info`` strings) the drop id and the password of a *temporary* server user
``lantern-enrol-<drop id>``; the drop is its own database ``<clinic-db>-enrol-<drop
id>`` whose only member is that user, holding the package in parts (CouchDB
documents of base64, as events are: no attachments, which pouchdb-server mangles)
and a ``drop`` document (expiry, number of parts) written last. The temporary user's
``_users`` document notes the clinic database and the expiry, so
:func:`clean_drops` (run by every enrolment and revocation with ``--server-admin``)
can delete expired drops and their users, and drop databases whose user is gone.

**Joining through the server** (:func:`join_through_server`, on the new laptop):
the code gives the drop's address and login; the package is fetched into a work
folder beside the data directory, ``enrol.join`` opens and checks it (wrong code,
altered, expired, used: its refusals) and writes the vault and the credentials file
from the sealed login; then the laptop deletes the drop's documents and its own
temporary user (CouchDB lets a user delete its own ``_users`` document).

The server holds the package (sealed under Argon2id of the code, as the USB file)
and hashes of the two passwords; the clinic's data key and the new laptop's password
reach it only inside the package. docs/sync.md, "Joining through the server", says
what its operator can and cannot learn.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from ibm_cloud_sdk_core import ApiException
from ibmcloudant.cloudant_v1 import BulkDocs, Document, SecurityObject

from lantern.domain.errors import VaultExists
from lantern.services.backup import EXISTS_MESSAGE, has_vault
from lantern.services.roles import require
from lantern.services.sync import enrol as enrolment
from lantern.services.sync.couch import (
    CouchTransport,
    ServerAccount,
    SyncAuthRefused,
    SyncNotFound,
    SyncServerError,
    SyncTlsError,
    SyncUnreachable,
)

if TYPE_CHECKING:
    from lantern.services.context import ServiceContext

DROP_LOGIN_PREFIX = "lantern-enrol-"
DROP_DB_INFIX = "-enrol-"
DROP_DOC = "drop"
DROP_FIELD = "lantern_enrol"          # in the temporary user's _users document
PART_BYTES = 1024 * 1024              # raw bytes of the package per part document
USERS = "_users"
NO_DROP = ("No enrolment for this code is waiting on the server at {where}: check the code, "
           "the server address and the clinic database, or ask the administrator for a new "
           "code (valid 15 minutes). Nothing was written.")


@dataclass(frozen=True)
class LoginRemoved:
    user_deleted: bool          # False: there was no such server user
    member_removed: bool        # False: it was not a member of the clinic database


@dataclass(frozen=True)
class Drop:
    """Where a code's package waits on the server, and the login that reads it."""

    clinic_db: str
    drop_id: str
    password: str = field(repr=False)

    @property
    def database(self) -> str:
        return f"{self.clinic_db}{DROP_DB_INFIX}{self.drop_id}"

    @property
    def login(self) -> str:
        return DROP_LOGIN_PREFIX + self.drop_id


@dataclass(frozen=True)
class ServerEnrolment:
    enrolment: enrolment.Enrolment
    login: str                  # the new laptop's own server user
    cleaned: int                # expired or used drops removed first


@dataclass(frozen=True)
class ServerJoin:
    joined: enrolment.Joined
    drop_removed: bool          # False: the drop stays until it expires (the admin removes it)


def drop_for(code: str, clinic_db: str) -> Drop:
    """The drop of ``code`` for ``clinic_db``: its id, database, login and password,
    each from HKDF-SHA256 of the code with its own ``info`` (the clinic database's
    name in the salt). None of them tells the code or the package's key."""
    canonical = enrolment.normalize_code(code).encode()
    salt = b"lantern enrolment drop\x00" + clinic_db.encode()

    def derive(info: bytes, size: int) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=size, salt=salt, info=info).derive(canonical)

    drop_id = derive(b"lantern enrolment drop id", 16).hex()
    password = base64.urlsafe_b64encode(derive(b"lantern enrolment drop password", 32))
    return Drop(clinic_db, drop_id, password.decode("ascii").rstrip("="))


def _user_id(login: str) -> str:
    return f"org.couchdb.user:{login}"


def _get(server: CouchTransport, db: str, doc_id: str) -> dict | None:
    """A document, or None when the server has no such document (or database)."""
    try:
        return server._client.get_document(db=db, doc_id=doc_id).get_result()
    except ApiException as exc:
        if exc.status_code != 404:
            raise server._explain(exc) from None
        return None


def _put_user(server: CouchTransport, login: str, password: str, **extra: Any) -> None:
    server._call(partial(server._client.put_document, db=USERS, doc_id=_user_id(login),
                         document={"name": login, "password": password, "roles": [],
                                   "type": "user", **extra}))


def _delete_user(server: CouchTransport, login: str) -> bool:
    doc = _get(server, USERS, _user_id(login))
    if doc is None:
        return False
    server._call(lambda: server._client.delete_document(db=USERS, doc_id=_user_id(login),
                                                        rev=doc["_rev"]))
    return True


def _set_members(server: CouchTransport, db: str, change: Callable[[list[str]], list[str]]
                 ) -> tuple[list[str], list[str]]:
    """Change a database's member names; (before, after)."""
    security = server._call(lambda: server._client.get_security(db=db))
    members = security.get("members") or {}
    names = list(members.get("names") or [])
    new = change(names)
    if new != names:
        admins = security.get("admins") or {}
        # an empty members list makes a CouchDB database public: keep it closed
        roles = list(members.get("roles") or []) or ([] if new else ["_admin"])
        server._call(lambda: server._client.put_security(
            db=db, admins=SecurityObject(names=list(admins.get("names") or []),
                                         roles=list(admins.get("roles") or [])),
            members=SecurityObject(names=new, roles=roles)))
    return names, new


# -- revoking -----------------------------------------------------------------------------
def remove_server_login(admin: ServerAccount, login: str, *, retries: int = 2) -> LoginRemoved:
    """Delete the server user ``login`` and its membership of ``admin.database``.
    Raises the transport's SyncServerError (exit 3 / 5) when the server cannot do it."""
    with CouchTransport(admin, device_id="admin", retries=retries) as server:
        deleted = _delete_user(server, login)
        before, after = _set_members(server, admin.database,
                                     lambda names: [n for n in names if n != login])
    return LoginRemoved(deleted, len(after) < len(before))


# -- clean-up -----------------------------------------------------------------------------
def clean_drops(admin: ServerAccount, *, retries: int = 2) -> int:
    """Delete this clinic's expired drops (database and temporary user) and drops
    already used (their user deleted by the laptop that joined); how many."""
    with CouchTransport(admin, device_id="admin", retries=retries) as server:
        return _clean(server, admin.database)


def _clean(server: CouchTransport, clinic_db: str) -> int:
    client = server._client
    now = enrolment._now()
    start = _user_id(DROP_LOGIN_PREFIX)
    users = server._call(partial(client.post_all_docs, db=USERS, include_docs=True,
                                 start_key=start, end_key=start + "\ufff0"))
    live: set[str] = set()
    removed = 0
    for row in (users or {}).get("rows", []):
        doc = row.get("doc") or {}
        note = doc.get(DROP_FIELD)
        if not isinstance(note, dict) or note.get("database") != clinic_db:
            continue
        # the drop database is named from the login, never read from the note (a user
        # may edit its own _users document)
        drop_db = clinic_db + DROP_DB_INFIX + str(doc.get("name", ""))[len(DROP_LOGIN_PREFIX):]
        try:
            expired = datetime.fromisoformat(str(note.get("expires"))) < now
        except ValueError:
            expired = True
        if not expired:
            live.add(drop_db)
            continue
        _delete_database(server, drop_db)
        server._call(partial(client.delete_document, db=USERS, doc_id=doc["_id"],
                             rev=doc["_rev"]))
        removed += 1
    prefix = clinic_db + DROP_DB_INFIX
    for db in server._call(client.get_all_dbs) or []:
        if db.startswith(prefix) and db not in live:      # used: its user deleted itself
            _delete_database(server, db)
            removed += 1
    return removed


def _delete_database(server: CouchTransport, db: str) -> None:
    """Delete a drop database (404: gone already)."""
    try:
        server._client.delete_database(db=db).get_result()
    except ApiException as exc:
        if exc.status_code != 404:
            raise server._explain(exc) from None


# -- enrolling through the server (the admin's laptop) ---------------------------------------
def enrol_through_server(ctx: ServiceContext, admin: ServerAccount, *, name: str = "",
                         out: Path | None = None, retries: int = 2) -> ServerEnrolment:
    """Make the new laptop's server login, write the enrolment package (to ``out``
    too, when given) with that login sealed in, and put it in a drop on the server
    for :func:`join_through_server`. Expired and used drops are removed first."""
    require(ctx.user, "device.enrol")
    login = f"device-{secrets.token_hex(8)}"
    account = ServerAccount(url=admin.url, database=admin.database, username=login,
                            password=secrets.token_urlsafe(24), ca_file=admin.ca_file)
    with CouchTransport(admin, device_id="admin", retries=retries) as server:
        server.check()              # the clinic database and the admin login, before anything
        cleaned = _clean(server, admin.database)
        # beside the vault, as a USB enrolment writes its work folder beside its file
        work = Path(tempfile.mkdtemp(prefix=".lantern-enrol-server-",
                                     dir=Path(ctx.store.path).parent))
        try:
            _put_user(server, login, account.password)
            _set_members(server, admin.database, lambda names: [*names, login])
            try:
                done = enrolment.enrol(ctx, out if out is not None else work / "package",
                                       name=name, server=account)
            except BaseException:
                _undo_login(server, admin.database, login)
                raise
            try:
                _upload(server, done, admin.database)
            except BaseException:
                if out is None:     # no package kept: its login is of no use
                    _undo_login(server, admin.database, login)
                raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return ServerEnrolment(done, login, cleaned)


def _undo_login(server: CouchTransport, clinic_db: str, login: str) -> None:
    with contextlib.suppress(SyncServerError):
        _delete_user(server, login)
        _set_members(server, clinic_db, lambda names: [n for n in names if n != login])


def _upload(server: CouchTransport, done: enrolment.Enrolment, clinic_db: str) -> None:
    client = server._client
    drop = drop_for(done.code, clinic_db)
    # the user first: it is what clean-up finds (with the expiry) if anything below fails
    _put_user(server, drop.login, drop.password,
              **{DROP_FIELD: {"database": clinic_db, "expires": done.expires}})
    server._call(partial(client.put_database, db=drop.database))
    server._call(partial(client.put_security, db=drop.database,
                         admins=SecurityObject(names=[], roles=[]),
                         members=SecurityObject(names=[drop.login], roles=[])))
    parts = size = 0
    with open(done.path, "rb") as fh:
        while chunk := fh.read(PART_BYTES):
            server._call(partial(client.put_document, db=drop.database,
                                 doc_id=f"part-{parts:06d}",
                                 document={"data": base64.b64encode(chunk).decode("ascii")}))
            parts += 1
            size += len(chunk)
    server._call(partial(client.put_document, db=drop.database, doc_id=DROP_DOC,
                         document={"expires": done.expires, "parts": parts, "bytes": size}))


# -- joining through the server (the new laptop) ---------------------------------------------
def join_through_server(url: str, database: str, code: str, data_dir: Path, *,
                        ca_file: str | None = None, retries: int = 2) -> ServerJoin:
    """Fetch the package of ``code`` from the clinic's server and join with it
    (``enrol.join``: all its checks; the vault and the credentials file, or nothing).
    Then delete the drop and this code's temporary server user."""
    data_dir = Path(data_dir)
    if has_vault(data_dir):
        raise VaultExists(EXISTS_MESSAGE)
    drop = drop_for(code, database)
    parts = urlsplit(url)
    where = f"{parts.scheme}://{parts.netloc}/{database}"
    try:
        account = ServerAccount(url=url.rstrip("/"), database=drop.database,
                                username=drop.login, password=drop.password, ca_file=ca_file)
    except SyncServerError as exc:        # a malformed address is bad input
        raise enrolment.EnrolmentRefused(str(exc)) from None
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.fetch-", dir=data_dir.parent))
    try:
        with CouchTransport(account, device_id="enrol", retries=retries) as server:
            try:
                head, part_docs = _fetch(server, drop, work / "package")
            except (SyncAuthRefused, SyncNotFound):
                raise enrolment.EnrolmentRefused(NO_DROP.format(where=where)) from None
            except SyncUnreachable:
                raise SyncUnreachable(f"Cannot reach the clinic's server at {where}: check the "
                                      "address and the network. Nothing was written.") from None
            except SyncTlsError:
                raise SyncTlsError(f"TLS failed with the clinic's server at {where}: its "
                                   "certificate is not trusted here (give --ca-file) or it "
                                   "does not speak https. Nothing was written.") from None
            except SyncServerError as exc:      # its message names the drop: not shown
                raise type(exc)(f"The clinic's server at {where} could not hand over the "
                                f"enrolment ({type(exc).__name__}); try again. Nothing was "
                                "written.") from None
            joined = enrolment.join(work / "package", code, data_dir,
                                    server_url=url.rstrip("/"), ca_file=ca_file)
            try:
                _remove_used(server, drop, [head, *part_docs])
                removed = True
            except SyncServerError:
                removed = False
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ServerJoin(joined, removed)


def _fetch(server: CouchTransport, drop: Drop, target: Path) -> tuple[dict, list[dict]]:
    """The drop document and its parts, the package written to ``target``."""
    client = server._client
    head = server._call(partial(client.get_document, db=drop.database, doc_id=DROP_DOC))
    count = head.get("parts")
    if not isinstance(count, int) or not 0 < count <= enrolment.MAX_PACKAGE_BYTES // PART_BYTES:
        raise enrolment.EnrolmentRefused(enrolment.ALTERED)
    docs: list[dict] = []
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for number in range(count):
            doc = server._call(partial(client.get_document, db=drop.database,
                                       doc_id=f"part-{number:06d}"))
            try:
                fh.write(base64.b64decode(str(doc.get("data", "")), validate=True))
            except ValueError as exc:
                raise enrolment.EnrolmentRefused(enrolment.ALTERED) from exc
            docs.append({"_id": doc["_id"], "_rev": doc["_rev"]})
    return {"_id": head["_id"], "_rev": head["_rev"]}, docs


def _remove_used(server: CouchTransport, drop: Drop, docs: list[dict]) -> None:
    """Delete the drop's documents and this code's temporary user (the user itself may)."""
    client = server._client
    gone = [Document.from_dict({**d, "_deleted": True}) for d in docs]
    server._call(partial(client.post_bulk_docs, db=drop.database, bulk_docs=BulkDocs(docs=gone)))
    _delete_user(server, drop.login)
