"""Entry point of the packaged (PyInstaller) Lantern: one executable, three roles.

    lantern                      the desktop app (double-click, .desktop entry)
    lantern gui [--lang zh_CN]   the desktop app, explicitly
    lantern-gui ...              the desktop app (symlink / second name)
    lantern <command> | --self-test | --help | --version
                                 the headless CLI (same as ``lantern`` from pip)
    lantern --lantern-llm-host   internal: the inference host child process
                                 (started by lantern.llm.client.InferenceClient)

Before anything can import llama_cpp, the llama.cpp build that suits this CPU
is chosen (lantern.llm.cpu_variant); the choice is inherited by the host.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

HOST_FLAG = "--lantern-llm-host"


def _role(argv: list[str], program: str) -> str:
    if argv[:1] == [HOST_FLAG]:
        return "host"
    if Path(program).name.lower().startswith("lantern-gui") or not argv or argv[0] == "gui":
        return "gui"
    return "cli"


def main() -> int:
    multiprocessing.freeze_support()   # harmless; nothing may ever use multiprocessing frozen
    from lantern.llm import cpu_variant

    cpu_variant.configure()
    argv = sys.argv[1:]
    role = _role(argv, sys.argv[0])
    if role == "host":
        from lantern.llm import host

        os._exit(host.main())   # skip teardown, as `python -m lantern.llm.host` does
    if role == "gui":
        from lantern import app

        return app.main([a for a in argv if a != "gui"])
    from lantern.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
