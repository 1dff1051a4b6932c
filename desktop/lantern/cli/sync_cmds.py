"""``lantern sync``: the clinic's server and USB bundles between its laptops (issue 18).

``sync --server URL [--credentials FILE]`` (the file by default: the data
directory's ``sync-credentials.toml``, which ``device join --server`` writes) pushes this laptop's new events to the
clinic's server and applies what the other laptops sent (one summary line); without
a credentials file it takes ``--database`` and ``--login`` and asks for the password
(``$LANTERN_SYNC_PASSWORD``, else a prompt). ``sync export FILE [--peer DEVICE]``
writes the events the other laptop lacks (all of them unless its seen-vector is
known from a bundle it sent); ``sync import FILE`` applies a bundle; ``sync status
[--json]``.

Exit codes (docs/sync.md): 0 done; 2 bad input (a refused bundle or server event:
altered, replayed, another clinic's; a bad credentials file or server address);
3 the server refused the login; 4 the role may not; 5 the server cannot be used
(unreachable, TLS, full, no such database). One line on stderr, nothing half
applied, the vault keeps working.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from lantern.cli import common
from lantern.domain.errors import ValidationError

if TYPE_CHECKING:
    from lantern.services.sync.couch import ServerAccount

SYNC_PASSWORD_ENV = "LANTERN_SYNC_PASSWORD"
# the server sync's vault options have their own names: an option given before an
# ACTION (``sync --data-dir D export F``) would otherwise be dropped by the ACTION's own
_SERVER_VAULT_OPTIONS = {"sync_data_dir": "data_dir", "sync_passphrase_file": "passphrase_file",
                         "sync_user": "user"}


def _account(args: argparse.Namespace) -> ServerAccount:
    from lantern.services.sync.couch import ServerAccount, SyncServerError
    from lantern.services.sync.couch_credentials import load_account

    if args.credentials:
        return load_account(Path(args.credentials), server_url=args.server)
    if not args.database or not args.login:
        raise ValidationError("Without --credentials FILE, give --database NAME and --login NAME "
                              "(the password is asked for).")
    password = common.get_secret(file=None, env=SYNC_PASSWORD_ENV,
                                 prompt=f"Sync server password for {args.login}: ")
    try:
        return ServerAccount(url=args.server.rstrip("/"), database=args.database,
                             username=args.login, password=password)
    except SyncServerError as exc:      # a malformed address is bad input (exit 2)
        raise ValidationError(str(exc)) from None


def _progress(phase: str, done: int, total: int | None) -> None:
    what = "sending" if phase == "push" else "receiving"
    print(f"\rsync: {what} {done}{f' of {total}' if total is not None else ''} event(s)   ",
          end="", file=sys.stderr, flush=True)


def cmd_server(args: argparse.Namespace) -> int:
    from lantern.services.sync.server import sync_with_server, transport_for

    for mine, theirs in _SERVER_VAULT_OPTIONS.items():
        setattr(args, theirs, getattr(args, mine))
    if not args.credentials and not args.database and not args.login:
        from lantern.services.sync.couch_credentials import default_path

        joined = default_path(common.data_dir(args))    # written by `device join --server`
        if joined.exists():
            args.credentials = str(joined)
    if not args.server and not args.credentials:
        raise ValidationError("Give --server URL and/or --credentials FILE, or an ACTION "
                              "(export, import, status): see `lantern sync --help`.")
    if not args.user:
        raise ValidationError("Give --user USER (the sync is done and audited as you).")
    account = _account(args)        # before the vault: a bad file is named at once
    tty = sys.stderr.isatty()
    with common.open_session(args) as session:
        try:
            with transport_for(session.context, account, retries=args.retries) as transport:
                result = sync_with_server(session.context, transport,
                                          progress=_progress if tty else None)
        finally:
            if tty:
                print(file=sys.stderr)
        print(result.summary(), flush=True)
        if result.rekeyed:
            from lantern.cli.vault_cmds import _reencrypt
            _reencrypt(session)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from lantern.services.sync.bundle import export_bundle

    with common.open_session(args) as session:
        done = export_bundle(session.context, Path(args.file), peer=args.peer)
    print(f"{done.events} event(s) written to {done.path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from lantern.cli.vault_cmds import _reencrypt
    from lantern.services.sync.bundle import import_bundle

    with common.open_session(args) as session:
        result = import_bundle(session.context, Path(args.file))
        print(f"{result.applied} event(s) applied, {result.skipped} already held, "
              f"{result.conflicts} conflicting value(s) kept in history"
              + (f"; the clinic's new data key was received (key epoch {result.rekeyed})"
                 if result.rekeyed else ""), flush=True)
        if result.rekeyed:
            _reencrypt(session)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from lantern.services.sync.bundle import status
    from lantern.services.sync.server import server_status

    with common.open_session(args) as session:
        info = {**status(session.context), **server_status(session.context)}
    if args.json:
        print(json.dumps(info, sort_keys=True))
    else:
        for key, value in info.items():
            print(f"{key}: {value if value is not None else '-'}")
    return 0


def _options_after_action(func: Callable[[argparse.Namespace], int]
                          ) -> Callable[[argparse.Namespace], int]:
    """An ACTION run with server-sync options given before it refuses them (they
    would be dropped, e.g. another vault's --data-dir)."""
    def run(args: argparse.Namespace) -> int:
        given = [name for name in (*_SERVER_VAULT_OPTIONS, "server", "credentials", "database",
                                   "login") if getattr(args, name, None)]
        if given:
            raise ValidationError(f"Put the options after the action: lantern sync "
                                  f"{args.sync_command} ... (--server and --credentials are "
                                  "for `lantern sync` alone).")
        return int(func(args))
    return run


def register(subparsers: argparse._SubParsersAction) -> None:
    text = ("sync with the clinic's server (--server URL), or act on USB bundles and the "
            "sync status (ACTION)")
    parser = subparsers.add_parser("sync", help="sync with the clinic's server and other laptops",
                                   description=text, allow_abbrev=False)
    parser.add_argument("--server", metavar="URL",
                        help="the clinic's sync server (https://...; default: 'url' in the "
                             "credentials file)")
    parser.add_argument("--credentials", metavar="FILE",
                        help="this laptop's sync login (TOML, owner-only; see docs/sync.md)")
    parser.add_argument("--database", metavar="NAME", help="without --credentials: the clinic database")
    parser.add_argument("--login", metavar="NAME",
                        help=f"without --credentials: this laptop's server login (password from "
                             f"${SYNC_PASSWORD_ENV}, else a prompt)")
    parser.add_argument("--retries", type=int, default=5, choices=range(0, 11), metavar="N",
                        help="retries of a dropped link or busy server, with backoff (default 5)")
    parser.add_argument("--data-dir", dest="sync_data_dir", metavar="DIR",
                        help="vault directory (default: $LANTERN_DATA_DIR or the user data dir)")
    parser.add_argument("--passphrase-file", dest="sync_passphrase_file", metavar="FILE",
                        help=f"read the passphrase from FILE (else ${common.PASSPHRASE_ENV}, "
                             "else a prompt)")
    parser.add_argument("--user", dest="sync_user", metavar="USER", help="your user name")
    parser.set_defaults(func=cmd_server, action="sync.server")
    group = parser.add_subparsers(dest="sync_command", metavar="ACTION")
    p = common.add_leaf(group, "export", cmd_export,
                        "write a USB bundle of the events another laptop lacks", action="sync.usb")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--peer", metavar="DEVICE",
                   help="the other laptop's device id (only its missing events; default all)")
    p = common.add_leaf(group, "import", cmd_import, "apply a USB bundle from another laptop",
                        action="sync.usb")
    p.add_argument("file", metavar="FILE")
    p = common.add_leaf(group, "status", cmd_status,
                        "device id, pending events, last export, import and server sync",
                        action="sync.usb")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    for leaf in group.choices.values():
        leaf.set_defaults(func=_options_after_action(leaf.get_default("func")))
