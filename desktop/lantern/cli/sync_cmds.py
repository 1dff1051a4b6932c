"""``lantern sync``: USB bundles between the laptops of one clinic (issue 18).

``sync export FILE [--peer DEVICE]`` writes the events the other laptop lacks
(all of them unless its seen-vector is known from a bundle it sent); ``sync
import FILE`` applies a bundle; ``sync status [--json]``. A refused bundle
(altered, replayed, another clinic's) prints one line and exits 2 (the error
handling of ``lantern.cli``: a ValidationError, exit 2), with nothing applied.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lantern.cli import common


def cmd_export(args: argparse.Namespace) -> int:
    from lantern.services.sync.bundle import export_bundle

    with common.open_session(args) as session:
        done = export_bundle(session.context, Path(args.file), peer=args.peer)
    print(f"{done.events} event(s) written to {done.path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from lantern.services.sync.bundle import import_bundle

    with common.open_session(args) as session:
        result = import_bundle(session.context, Path(args.file))
    print(f"{result.applied} event(s) applied, {result.skipped} already held, "
          f"{result.conflicts} conflicting value(s) kept in history")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from lantern.services.sync.bundle import status

    with common.open_session(args) as session:
        info = status(session.context)
    if args.json:
        print(json.dumps(info, sort_keys=True))
    else:
        for key, value in info.items():
            print(f"{key}: {value if value is not None else '-'}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("sync", help="sync with the clinic's other laptops").add_subparsers(
        dest="sync_command", metavar="ACTION", required=True)
    p = common.add_leaf(group, "export", cmd_export,
                        "write a USB bundle of the events another laptop lacks", action="sync.usb")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--peer", metavar="DEVICE",
                   help="the other laptop's device id (only its missing events; default all)")
    p = common.add_leaf(group, "import", cmd_import, "apply a USB bundle from another laptop",
                        action="sync.usb")
    p.add_argument("file", metavar="FILE")
    p = common.add_leaf(group, "status", cmd_status,
                        "device id, pending events, last export and import", action="sync.usb")
    p.add_argument("--json", action="store_true", help="print one JSON object")
