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
from collections.abc import Callable, Iterator
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


# Actions of the role table that no command offers yet, and why; each is enforced
# in the services (and the GUI) all the same. A new action must either get a command
# (with ``add_leaf(..., action=...)``) or an entry here: tests/unit/cli/test_cli_roles.py
# fails otherwise.
ACTIONS_WITHOUT_COMMAND: dict[str, str] = {
    "assessment.write": "assessments are reviewed and accepted in the GUI's Assessment panel",
    "summary.write": "summaries are reviewed and signed in the GUI; `summarize` stores nothing",
    "export": "exporting and printing records happen in the GUI",
}


def add_leaf(sub: argparse._SubParsersAction, name: str,
             func: Callable[[argparse.Namespace], int], help_text: str, *,
             action: str | None, user: bool = True) -> argparse.ArgumentParser:
    """A vault command. ``action`` is its entry in ``lantern.services.roles.PERMISSIONS``:
    :func:`open_session` refuses a role the table does not allow before the command
    does anything. ``None`` only for commands that no role governs (``init``,
    ``vault recover``: the recovery key is the authority there)."""
    # no abbreviations: "--passphrase X" must not be taken for "--passphrase-file X"
    parser = sub.add_parser(name, help=help_text, description=help_text, allow_abbrev=False)
    add_vault_options(parser, user=user)
    parser.set_defaults(func=func, action=action)
    return parser


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
def open_session(args: argparse.Namespace) -> Iterator:
    """Unlock the vault as ``--user``, refuse the command if the role table does not
    allow its action for this user's role, and lock again (audited) afterwards."""
    from lantern.services.roles import require
    from lantern.services.session import VaultSession

    session = VaultSession.unlock(data_dir(args), username=args.user,
                                  passphrase=passphrase(args, prompt=f"Passphrase for {args.user}: "))
    try:
        require(session.user, args.action)
        yield session
    finally:
        session.lock()
