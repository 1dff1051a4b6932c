"""Options and helpers shared by CLI commands.

Secrets never come from argv: a passphrase is read from ``--passphrase-file``,
else from ``LANTERN_PASSPHRASE``, else from an interactive prompt (getpass).
The data directory comes from ``--data-dir``, else ``LANTERN_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from lantern import paths
from lantern.domain.errors import ValidationError

PASSPHRASE_ENV = "LANTERN_PASSPHRASE"
NEW_PASSPHRASE_ENV = "LANTERN_NEW_PASSPHRASE"


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR",
                        help="vault directory (default: $LANTERN_DATA_DIR or the user data dir)")


def add_passphrase_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help=f"read the passphrase from FILE (else ${PASSPHRASE_ENV}, else a prompt)")


def add_vault_options(parser: argparse.ArgumentParser, *, user: bool = True) -> None:
    add_data_dir(parser)
    add_passphrase_file(parser)
    if user:
        parser.add_argument("--user", required=True, metavar="USER", help="your user name")


def data_dir(args: argparse.Namespace) -> Path:
    return paths.data_dir(getattr(args, "data_dir", None))


def read_text_input(path: str, *, what: str = "input file") -> str:
    """The whole of ``path`` as UTF-8 text, or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"Cannot read the {what} ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise ValidationError(f"The {what} is not UTF-8 text.") from None


def read_secret_file(path: str, *, what: str = "passphrase") -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.readline()
    except OSError as exc:
        raise ValidationError(f"Cannot read the {what} file.") from exc
    text = text.rstrip("\r\n")
    if not text:
        raise ValidationError(f"The {what} file is empty.")
    return text


def prompt_secret(prompt: str, *, confirm: bool = False) -> str:
    try:
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Repeat: ") != first:
            raise ValidationError("The two entries do not match.")
    except EOFError as exc:
        raise ValidationError("No passphrase given.") from exc
    if not first:
        raise ValidationError("No passphrase given.")
    return first


def get_secret(*, file: str | None, env: str, prompt: str, confirm: bool = False) -> str:
    if file:
        return read_secret_file(file)
    value = os.environ.get(env)
    if value:
        return value
    return prompt_secret(prompt, confirm=confirm)


def passphrase(args: argparse.Namespace, *, confirm: bool = False,
               prompt: str = "Passphrase: ") -> str:
    return get_secret(file=getattr(args, "passphrase_file", None), env=PASSPHRASE_ENV,
                      prompt=prompt, confirm=confirm)


@contextlib.contextmanager
def open_session(args: argparse.Namespace, *, report_integrity: bool = True) -> Iterator:
    """Unlock the vault as ``--user``; locks it again (audited) afterwards.

    When the unlock's integrity check found something, the session is read-only
    and each finding is named on stderr (unless the command reports them itself)."""
    from lantern.services.session import VaultSession

    session = VaultSession.unlock(data_dir(args), username=args.user,
                                  passphrase=passphrase(args, prompt=f"Passphrase for {args.user}: "))
    if report_integrity and not session.integrity.ok:
        print("lantern: WARNING: the vault's integrity check found changes made outside "
              "Lantern; it is open read-only (nothing will be saved):", file=sys.stderr)
        for line in session.integrity.lines():
            print(f"  - {line}", file=sys.stderr)
    try:
        yield session
    finally:
        session.lock()
