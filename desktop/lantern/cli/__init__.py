"""The ``lantern`` command: headless access to the same services as the GUI.

Each command group lives in its own module with a ``register(subparsers)``
function that adds its sub-commands and sets ``func`` on them. ``func`` takes the
parsed ``argparse.Namespace`` and returns an exit code.

Errors: a :class:`~lantern.domain.errors.LanternError` prints one line to stderr
and exits non-zero. Anything else prints its type only (never its message, which
could carry patient data) unless ``LANTERN_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from lantern import __version__
from lantern.domain.errors import LanternError
from lantern.domain.typed_text import printable

# Command modules, in the order they appear in --help. A module that is not
# there yet is skipped, so the CLI keeps working while features are added.
_COMMAND_MODULES = (
    "lantern.cli.vault_cmds",
    "lantern.cli.chart_cmds",
    "lantern.cli.followup_cmds",
    "lantern.cli.model_cmds",
    "lantern.cli.diagnose_cmd",
    "lantern.cli.interview_cmd",
    "lantern.cli.summarize_cmd",
    "lantern.cli.prescribe_cmd",
    "lantern.cli.selftest_cmd",
    "lantern.cli.report_cmd",
    "lantern.cli.alert_cmds",
    "lantern.cli.sync_cmds",
    "lantern.cli.device_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lantern",
        description="Lantern — offline clinical assistant (decision support; the clinician decides).",
    )
    parser.add_argument("--version", action="version", version=f"lantern {__version__}")
    parser.add_argument(
        "--self-test", action="store_true",
        help="run the offline self-test (temporary vault, model, diagnosis, summary) and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.self_test:
            from lantern.cli.selftest_cmd import run_self_test

            return run_self_test(args)
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return 2
        return int(func(args) or 0)
    except LanternError as exc:
        print(f"lantern: {printable(str(exc), single_line=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lantern: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence, no patient data
        if os.environ.get("LANTERN_DEBUG") == "1":
            raise
        print(
            f"lantern: internal error ({type(exc).__name__}); "
            "run with LANTERN_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
