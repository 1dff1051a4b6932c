"""The newest state of each vault this OS user has seen, kept outside the vault.

A copy of an old vault file put back in place carries a valid sealed state, only
an older one. Each sealed state has a generation (``lantern.vault.state``); this
file, ``seen-vaults.json`` in the per-user state directory (``lantern.paths``),
remembers the highest generation seen per vault id, so an unlock can say "this
vault is older than the last state this laptop saw". It holds no patient data
and no keys: vault ids (random) and counters. Losing it loses only this warning.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lantern import paths
from lantern.llm.files import read_json, write_json_atomic

log = logging.getLogger(__name__)

FILENAME = "seen-vaults.json"


def seen_file() -> Path:
    return paths.state_dir() / FILENAME


def _read(path: Path) -> dict[str, int]:
    data = read_json(path, {})   # unreadable: start again (only this warning is lost)
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and type(v) is int}


def last_seen(vault_id: str) -> int | None:
    """The highest generation of ``vault_id`` seen here, or None."""
    return _read(seen_file()).get(vault_id)


def remember(vault_id: str, generation: int, *, replace: bool = False) -> None:
    """Raise the remembered generation of ``vault_id`` (never lowers it; best effort).
    ``replace``: set it, also lower: a vault joined from an enrolment package
    (``services/sync/enrol.py``) replaces whatever file of that clinic this computer
    held before (a laptop joined again after a revocation)."""
    path = seen_file()
    try:
        paths.ensure_private_dir(path.parent)
        data = _read(path)
        if data.get(vault_id, -1) >= generation and not replace:
            return
        data[vault_id] = int(generation)
        write_json_atomic(path, data)
    except OSError:
        log.warning("could not update the record of vault states seen on this computer")
