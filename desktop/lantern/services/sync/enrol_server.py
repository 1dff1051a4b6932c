"""Refuse a revoked laptop at the clinic's server: delete its server login.

A laptop logs in to the clinic database with its own server user (``_users``,
``org.couchdb.user:<login>``) that is a member of the database's ``_security``
object (docs/sync.md, packaging/server). :func:`remove_server_login`, run with the
server administrator's credentials file (the same TOML format as a laptop's, with
the admin's ``user`` and ``password``), deletes that user and takes it out of the
database's members: the server answers 401 to the lost laptop from then on.
"""

from __future__ import annotations

from dataclasses import dataclass

from ibm_cloud_sdk_core import ApiException
from ibmcloudant.cloudant_v1 import SecurityObject

from lantern.services.sync.couch import CouchTransport, ServerAccount


@dataclass(frozen=True)
class LoginRemoved:
    user_deleted: bool          # False: there was no such server user
    member_removed: bool        # False: it was not a member of the clinic database


def remove_server_login(admin: ServerAccount, login: str, *, retries: int = 2) -> LoginRemoved:
    """Delete the server user ``login`` and its membership of ``admin.database``.
    Raises the transport's SyncServerError (exit 3 / 5) when the server cannot do it."""
    doc_id = f"org.couchdb.user:{login}"
    with CouchTransport(admin, device_id="admin", retries=retries) as server:
        client = server._client
        try:
            doc = client.get_document(db="_users", doc_id=doc_id).get_result()
        except ApiException as exc:
            if exc.status_code != 404:
                raise server._explain(exc) from None
            doc = None
        if doc is not None:
            server._call(lambda: client.delete_document(db="_users", doc_id=doc_id,
                                                        rev=doc["_rev"]))
        security = server._call(lambda: client.get_security(db=admin.database))
        members = security.get("members") or {}
        names = list(members.get("names") or [])
        removed = login in names
        if removed:
            admins = security.get("admins") or {}
            rest = [n for n in names if n != login]
            # an empty members list makes a CouchDB database public: keep it closed
            roles = list(members.get("roles") or []) or ([] if rest else ["_admin"])
            server._call(lambda: client.put_security(
                db=admin.database,
                admins=SecurityObject(names=list(admins.get("names") or []),
                                      roles=list(admins.get("roles") or [])),
                members=SecurityObject(names=rest, roles=roles)))
    return LoginRemoved(doc is not None, removed)
