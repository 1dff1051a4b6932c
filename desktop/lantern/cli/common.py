"""Options and helpers shared by CLI commands.

Secrets never come from argv: a passphrase is read from ``--passphrase-file``,
else from ``LANTERN_PASSPHRASE``, else from an interactive prompt (getpass).
The data directory comes from ``--data-dir``, else ``LANTERN_DATA_DIR``.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lantern import paths
from lantern.domain.errors import ValidationError
from lantern.domain.typed_text import (
    MAX_NOTE_BYTES,
    MAX_NOTE_TEXT,
    clean_text,
    control_count,
    printable,
)

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
    "orders.write": "orders are written, overridden with a reason and printed in the GUI's Orders panel; "
                    "`prescribe --check` stores nothing",
    "encounter.take_over": "a colleague's draft is handed over or taken over in the GUI's encounter view, "
                           "with a confirmation",
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


_CHUNK = 64 * 1024
_MAX_SECRET_BYTES = 1024


def _binary_stream(path: str) -> BinaryIO:
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream standing in for stdin (tests, embedding)
            return io.BytesIO(sys.stdin.read().encode("utf-8"))
        return stream
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise ValidationError(f"Cannot read the input file ({exc.strerror}).") from None


def read_text_input(path: str, *, what: str = "input file", limit: int = MAX_NOTE_BYTES) -> str:
    """``path`` (``-``: stdin) as UTF-8 text, read in pieces and refused past ``limit``
    bytes (1 MB): ``note add /dev/zero`` stops at the limit, it never fills the memory."""
    stream = _binary_stream(path)
    data = bytearray()
    try:
        while len(data) <= limit:
            block = stream.read(min(_CHUNK, limit + 1 - len(data)))
            if not block:
                break
            data += block
    except OSError as exc:
        raise ValidationError(f"Cannot read the {what} ({exc.strerror}).") from None
    finally:
        if stream is not getattr(sys.stdin, "buffer", None):
            stream.close()
    if len(data) > limit:
        raise ValidationError(f"The {what} is larger than {MAX_NOTE_TEXT}: Lantern reads at most "
                              f"{MAX_NOTE_TEXT} of text per note or request.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"The {what} is not UTF-8 text.") from None


@dataclass(frozen=True, slots=True)
class InputLine:
    number: int            # 1-based line number in the input
    text: str | None       # None when the line could not be read
    error: str | None = None


def input_lines(path: str, *, limit: int = MAX_NOTE_BYTES) -> Iterator[InputLine]:
    """The lines of a ``--batch`` input one at a time. A line that is not UTF-8 or longer
    than ``limit`` bytes comes back with ``error`` (its bytes skipped, never kept in
    memory) and the lines after it are read as usual."""
    stream = _binary_stream(path)
    try:
        number = 0
        while True:
            raw = stream.readline(limit + 1)
            if not raw:
                return
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                    pass
                yield InputLine(number, None, f"line {number} is longer than {MAX_NOTE_TEXT}; "
                                              "skipped")
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield InputLine(number, None, f"line {number} is not UTF-8 text; skipped")
                continue
            if text.strip():
                yield InputLine(number, text)
    finally:
        if stream is not getattr(sys.stdin, "buffer", None):
            stream.close()


def typed_text(text: str, *, label: str, multiline: bool = True) -> str:
    """``text`` as the services will store it, saying on stderr what was removed."""
    removed = control_count(text)
    cleaned = clean_text(text, label=label, multiline=multiline)
    if removed:
        print(f"lantern: removed {removed} control character(s) (terminal codes and the like) "
              f"from {label.lower()}", file=sys.stderr)
    return cleaned


def clean_request(obj: object) -> None:
    """Clean a ``diagnose`` / ``summarize`` request's note texts in place, as the vault
    cleans what it stores (ValidationError for NUL or over 1 MB)."""
    if not isinstance(obj, dict):
        return
    if isinstance(obj.get("note"), str):
        obj["note"] = clean_text(obj["note"], label="The note")
    visits = obj.get("notes")
    for visit in visits if isinstance(visits, list) else []:
        if isinstance(visit, dict) and isinstance(visit.get("text"), str):
            visit["text"] = clean_text(visit["text"], label="A visit note")


def answer_json(path: str, *, batch: bool, handle: Callable[[str], dict]) -> int:
    """The JSON-in, JSON-out commands' loop (``diagnose``, ``interview --next``): one
    object from ``path`` (``-``: stdin), or with ``batch`` one per line, each answered by
    ``handle`` (which returns ``{"id", "error"}`` for a bad one) and written as one line in
    input order. Exit 0 in batch mode; otherwise 1 when the one answer is an error."""
    out = sys.stdout
    if batch:
        for line in input_lines(path):
            result = (handle(line.text) if line.text is not None
                      else {"id": None, "error": line.error})
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            out.flush()
        return 0
    text = read_text_input(path)
    result = (handle(text) if text.strip()
              else {"id": None, "error": "no input: expected one JSON object"})
    out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if "error" in result else 0


def shown(text: str, *, single_line: bool = False) -> str:
    """Stored text as the terminal may show it: control characters escaped."""
    return printable(text, single_line=single_line)


def read_secret_file(path: str, *, what: str = "passphrase") -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.readline(_MAX_SECRET_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"Cannot read the {what} file.") from exc
    if len(raw) > _MAX_SECRET_BYTES:
        raise ValidationError(f"The {what} file's first line is too long "
                              f"(at most {_MAX_SECRET_BYTES} bytes).")
    try:
        text = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ValidationError(f"The {what} file is not UTF-8 text.") from None
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
    """Unlock the vault as ``--user``, refuse the command if the role table does not
    allow its action for this user's role, and lock again (audited) afterwards.

    When the unlock's integrity check found something, the session is read-only
    and each finding is named on stderr (unless the command reports them itself)."""
    from lantern.services.roles import require
    from lantern.services.session import VaultSession

    session = VaultSession.unlock(data_dir(args), username=args.user,
                                  passphrase=passphrase(args, prompt=f"Passphrase for {args.user}: "))
    if report_integrity and not session.integrity.ok:
        print("lantern: WARNING: the vault's integrity check found changes made outside "
              "Lantern; it is open read-only (nothing will be saved):", file=sys.stderr)
        for line in session.integrity.lines():
            print(f"  - {line}", file=sys.stderr)
    try:
        require(session.user, args.action)
        yield session
    finally:
        session.lock()
