"""Where a user was when the vault locked, sealed so that only the same user's next
session of the same vault can read it.

The GUI (``gui/resume.py``) captures the open patient, encounter, chart tab, note
cursor and the typed contents of open input dialogs just before a lock, and keeps
the sealed bytes in memory only: they are never written to disk (the vault's own
records, such as the note draft, are saved through the usual audited paths before
the lock). The sealed bytes are bound to the user name, so a colleague who unlocks
next cannot open them even by mistake; after the lock the data key is wiped, so
the memory holds nothing readable until the vault is unlocked again.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidTag

from lantern.services.context import ServiceContext

MAX_BYTES = 1_000_000           # a few dialogs and ids; anything larger is dropped, not sealed
_AD_PREFIX = b"lantern resume v1\x00"


def _ad(username: str) -> bytes:
    return _AD_PREFIX + username.encode("utf-8")


def seal_state(ctx: ServiceContext, state: dict[str, Any]) -> bytes | None:
    """``state`` (JSON-able) sealed for the current user, or None if it is too large."""
    plaintext = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(plaintext) > MAX_BYTES:
        return None
    return ctx.seal_transient(plaintext, _ad(ctx.user.username))


def open_state(ctx: ServiceContext, blob: bytes) -> dict[str, Any] | None:
    """What :func:`seal_state` sealed for the current user; None if it was sealed for
    someone else, under a key this vault no longer has, or is not a state."""
    try:
        data = json.loads(ctx.open_transient(blob, _ad(ctx.user.username)).decode("utf-8"))
    except (InvalidTag, ValueError):
        return None
    return data if isinstance(data, dict) else None
