"""A laptop's sync login, read from its credentials file (issue 18, part 2).

The file is TOML, owner-only (like an ssh key), one per laptop::

    database = "clinic-mbale-hc3"
    user = "device-triage"
    password = "…"                 # from packaging/server/add-clinic.sh
    ca_file = "district-ca.crt"    # optional; relative to this file
    url = "https://sync.district.example"   # optional; --server overrides it

Messages name the file and the key at fault, never the password.

A laptop joined through the clinic's server (``lantern device join --server``) gets
its file written for it at :func:`default_path` (``sync-credentials.toml`` in the
data directory), where Settings → Sync and ``lantern sync`` look when no other file
is named.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from pathlib import Path

from lantern.services.sync.couch import ServerAccount, SyncServerError

KEYS = frozenset({"url", "database", "user", "password", "ca_file"})
CREDENTIALS_FILE = "sync-credentials.toml"


def default_path(data_dir: Path) -> Path:
    """Where a joined laptop's credentials file is written, and looked for by default."""
    return Path(data_dir) / CREDENTIALS_FILE


def render(account: ServerAccount) -> bytes:
    """The credentials file's text for ``account`` (what :func:`load_account` reads back).
    JSON string escapes are TOML basic-string escapes for these ASCII values."""
    values = {"url": account.url, "database": account.database, "user": account.username,
              "password": account.password}
    if account.ca_file:
        values["ca_file"] = account.ca_file
    for value in values.values():
        if not value.isascii() or not value.isprintable():
            raise CredentialsError("A sync login holds a character a credentials file cannot.")
    return "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items()).encode()


class CredentialsError(SyncServerError):
    """The credentials file is missing, unsafe or malformed."""

    exit_code = 2


def load_account(path: Path, *, server_url: str | None = None) -> ServerAccount:
    """The server account in ``path``; ``server_url`` (from --server) wins over its ``url``."""
    try:
        info = path.stat()
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CredentialsError(f"No sync credentials file at {path}.") from None
    except OSError as exc:
        raise CredentialsError(f"Cannot read the sync credentials file {path}: {exc.strerror}.") from None
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"The sync credentials file {path} can be read by other users: "
            f"run `chmod 600 {path}` first.")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CredentialsError(f"The sync credentials file {path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        # only where: the parser's message may quote a character of the password
        where = re.search(r"at line \d+, column \d+|at end of document", str(exc))
        raise CredentialsError(
            f"The sync credentials file {path} is not valid TOML"
            f"{f' ({where.group(0)})' if where else ''}.") from None
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise CredentialsError(
            f"The sync credentials file {path} has unknown keys: {', '.join(unknown)}.")
    for key in ("database", "user", "password"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise CredentialsError(f"The sync credentials file {path} needs a {key!r} text value.")
    url = server_url or data.get("url")
    if not isinstance(url, str) or not url:
        raise CredentialsError(
            f"No sync server address: give --server URL or a 'url' in {path}.")
    ca_file = data.get("ca_file")
    if ca_file is not None:
        if not isinstance(ca_file, str) or not ca_file:
            raise CredentialsError(f"'ca_file' in {path} must be a file name.")
        ca = (path.parent / ca_file).resolve()
        if not ca.is_file():
            raise CredentialsError(f"The certificate authority file {ca} named in {path} is missing.")
        ca_file = str(ca)
    return ServerAccount(url=url.rstrip("/"), database=data["database"], username=data["user"],
                         password=data["password"], ca_file=ca_file)
