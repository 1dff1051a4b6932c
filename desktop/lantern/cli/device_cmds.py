"""``lantern device``: join a laptop to the clinic, list the clinic's laptops, revoke one.

``device enrol --user ADMIN --out FILE [--name NAME]`` writes an enrolment package
(for a USB stick) and prints its one-time code (8 words, valid 15 minutes); with
``--server-admin FILE`` (the server administrator's credentials) it also makes the
new laptop's server login and puts the package on the clinic's server (``--out``
is then optional); ``device join FILE [--code WORDS] [--data-dir D]`` makes an
empty data directory a laptop of the clinic (the code from ``--code``, else
``$LANTERN_ENROL_CODE``, else a prompt), ``device join --server URL --database DB``
fetches the package from the server instead and writes the laptop's sync
credentials file too; ``device list [--json]``; ``device revoke NAME`` (the data
key changes). ``--server-admin`` also removes expired and used enrolments from the
server.

Exit codes (docs/sync.md): 0 done; 1 the data directory holds a vault already;
2 bad input (wrong code, altered, expired or used package, unknown laptop);
3 the server refused the administrator's login; 4 the role may not; 5 the server
cannot be used (the laptop is revoked in the vault all the same).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from lantern.cli import common
from lantern.domain.errors import ValidationError

if TYPE_CHECKING:
    from lantern.services.sync.couch import ServerAccount

CODE_ENV = "LANTERN_ENROL_CODE"


def cmd_enrol(args: argparse.Namespace) -> int:
    from lantern.services.sync.couch_credentials import load_account
    from lantern.services.sync.enrol import CODE_WORDS, WORD_BITS, enrol
    from lantern.services.sync.enrol_server import enrol_through_server

    if not args.out and not args.server_admin:
        raise ValidationError("Give --out FILE (a USB stick), --server-admin FILE (through the "
                              "clinic's server), or both.")
    out = Path(args.out) if args.out else None
    admin = load_account(Path(args.server_admin)) if args.server_admin else None
    with common.open_session(args) as session:
        if admin is None:
            assert out is not None
            done = enrol(session.context, out, name=args.name or "")
        else:
            through = enrol_through_server(session.context, admin, name=args.name or "", out=out)
            done = through.enrolment
    name = common.shown(done.name, single_line=True)
    if out is not None:
        print(f"Enrolment package for {name} written to {done.path}")
    if admin is not None:
        if through.cleaned:
            print(f"{through.cleaned} expired or used enrolment(s) removed from the server.")
        print(f"Enrolment for {name} put on the clinic's server; its server login: "
              f"{through.login}. On the new laptop run:")
        print()
        print(f"    lantern device join --server {admin.url} --database {admin.database}")
        print()
    words = done.code.split()
    print(f"Enrolment code ({CODE_WORDS} words, {CODE_WORDS * WORD_BITS} bits; type it on the new "
          f"laptop, valid until {done.expires}, once):")
    print()
    print("    " + "  ".join(w.upper() for w in words[:4]))
    print("    " + "  ".join(w.upper() for w in words[4:]))
    print()
    print(f"enrolment {done.enrolment_id}, device {done.device_id}")
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    from lantern.services.sync.enrol import join
    from lantern.services.sync.enrol_server import join_through_server

    if bool(args.file) == bool(args.server):
        raise ValidationError("Give the enrolment FILE, or --server URL and --database NAME "
                              "(through the clinic's server), not both.")
    if args.server and not args.database:
        raise ValidationError("With --server, give --database NAME (the clinic database).")
    if args.ca_file and not args.server:
        raise ValidationError("--ca-file goes with --server.")
    code = args.code or common.get_secret(file=None, env=CODE_ENV, prompt="Enrolment code: ")
    removed = True
    if args.server:
        ca_file = str(Path(args.ca_file).resolve()) if args.ca_file else None
        through = join_through_server(args.server, args.database, code, common.data_dir(args),
                                      ca_file=ca_file)
        done, removed = through.joined, through.drop_removed
    else:
        done = join(Path(args.file), code, common.data_dir(args))
    print(f"This laptop joined the clinic as {common.shown(done.name, single_line=True)} "
          f"(device {done.device_id}); vault {done.vault}. Users unlock with their own passphrases.")
    if done.credentials is not None:
        print(f"Sync credentials written to {done.credentials} (owner-only; Settings → Sync "
              "and `lantern sync` use it).")
    if not removed:
        print("The enrolment could not be removed from the server; it expires in 15 minutes "
              "and the administrator's next enrolment removes it.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from lantern.services.sync.enrol import devices

    with common.open_session(args) as session:
        found = devices(session.context)
    if args.json:
        print(json.dumps([{"device_id": d.device_id, "name": d.name, "status": d.status,
                           "enrolment_id": d.enrolment_id, "since": d.at,
                           "revoked_at": d.revoked_at or None} for d in found],
                         ensure_ascii=False, sort_keys=True))
        return 0
    for d in found:
        print(f"{d.device_id}\t{d.status}\t{common.shown(d.name, single_line=True)}\t"
              f"{d.revoked_at or d.at or '-'}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from lantern.cli.vault_cmds import _reencrypt
    from lantern.services.sync.couch_credentials import load_account
    from lantern.services.sync.enrol import devices, revoke

    if args.server_login and not args.server_admin:
        raise ValidationError("Give both --server-admin FILE and --server-login LOGIN, or neither.")
    admin = load_account(Path(args.server_admin)) if args.server_admin else None
    with common.open_session(args) as session:
        known = [d for d in devices(session.context) if args.name in (d.name, d.device_id)]
        # a laptop enrolled through the server: its login is in the device registry
        args.server_login = args.server_login or (known[0].server_login if known else "")
        if admin is not None and not args.server_login:
            raise ValidationError("Give both --server-admin FILE and --server-login LOGIN "
                                  "(this laptop was not enrolled through the server).")
        if admin is not None and known and known[0].status == "revoked":
            # a retry of the server part (the server could not be reached the first time)
            print(f"Device {known[0].device_id} was revoked here already.")
            session.lock()
            return _remove_login(admin, args.server_login)
        device, rotation = revoke(session.context, args.name)
        print(f"Device {device} revoked; its events will be refused here. The data key was "
              f"changed (key epoch {rotation.epoch}) for every event from now on.", flush=True)
        print(f"The new key was sent, wrapped to each laptop's device key, to "
              f"{len(rotation.handed_to)} laptop(s): {', '.join(rotation.handed_to) or '-'}; "
              "they receive it at their next sync.")
        if rotation.without_key:
            print("Laptops that had published no device key (enrolled before device keys, "
                  "never synced since) must join again from a new enrolment package: "
                  + ", ".join(rotation.without_key))
        if rotation.new_recovery_key:
            print(f"NEW RECOVERY KEY (store it safely, shown once): {rotation.new_recovery_key}")
        _reencrypt(session)
    return _remove_login(admin, args.server_login) if admin is not None else 0


def _remove_login(admin: ServerAccount, login: str) -> int:
    from lantern.services.sync.enrol_server import clean_drops, remove_server_login

    gone = remove_server_login(admin, login)
    print(f"Server login {login!r}: "
          + ("deleted" if gone.user_deleted else "no such user on the server")
          + ("; removed from the clinic database's members" if gone.member_removed else ""))
    cleaned = clean_drops(admin)
    if cleaned:
        print(f"{cleaned} expired or used enrolment(s) removed from the server.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("device", help="join a laptop to the clinic, list or revoke laptops",
                                   allow_abbrev=False)
    group = parser.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    p = common.add_leaf(group, "enrol", cmd_enrol,
                        "write an enrolment package for a new laptop and show its one-time code",
                        action="device.enrol")
    p.add_argument("--out", metavar="FILE", help="the package file (e.g. on a USB stick)")
    p.add_argument("--server-admin", metavar="FILE",
                   help="the server administrator's credentials file (TOML, owner-only): also "
                        "make the new laptop's server login and put the package on the "
                        "clinic's server")
    p.add_argument("--name", metavar="NAME", help="the new laptop's name (default: laptop N)")
    p = group.add_parser("join", help="make an empty data directory a laptop of the clinic",
                         description="make an empty data directory a laptop of the clinic "
                                     "from an enrolment package", allow_abbrev=False)
    p.add_argument("file", metavar="FILE", nargs="?",
                   help="the enrolment package (or give --server and --database)")
    p.add_argument("--server", metavar="URL",
                   help="fetch the package from the clinic's server (https://...)")
    p.add_argument("--database", metavar="NAME", help="with --server: the clinic database")
    p.add_argument("--ca-file", metavar="FILE",
                   help="with --server: the district's certificate authority file")
    p.add_argument("--code", metavar="WORDS",
                   help=f"the enrolment code (else ${CODE_ENV}, else a prompt)")
    common.add_data_dir(p)
    p.set_defaults(func=cmd_join, action=None)
    p = common.add_leaf(group, "list", cmd_list, "the laptops this vault knows (this one, "
                        "enrolled, revoked)", action="device.list")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p = common.add_leaf(group, "revoke", cmd_revoke,
                        "revoke a lost laptop: refuse its events and change the data key",
                        action="device.revoke")
    p.add_argument("name", metavar="NAME", help="the laptop's name or device id")
    p.add_argument("--server-admin", metavar="FILE",
                   help="the server administrator's credentials file (TOML, owner-only): "
                        "also delete the laptop's server login")
    p.add_argument("--server-login", metavar="LOGIN",
                   help="the lost laptop's server user name (default: the login made when it "
                        "was enrolled through the server)")
