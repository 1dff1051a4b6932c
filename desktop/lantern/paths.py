"""Where Lantern keeps its files. Usable from every layer; overridable for tests and portable installs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Lantern"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The vault directory: ``--data-dir``, else ``LANTERN_DATA_DIR``, else the
    platform's per-user data directory (e.g. ``~/.local/share/Lantern``)."""
    chosen = override or os.environ.get("LANTERN_DATA_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def state_dir(override: str | os.PathLike | None = None) -> Path:
    """This OS user's own Lantern state, outside any vault: ``LANTERN_STATE_DIR``,
    else the platform's per-user data directory (even when ``--data-dir`` puts the
    vault elsewhere, e.g. on a USB stick)."""
    chosen = override or os.environ.get("LANTERN_STATE_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def models_dir(override: str | os.PathLike | None = None) -> Path:
    """Model files: ``LANTERN_MODELS_DIR``, else ``<data dir>/models``."""
    chosen = override or os.environ.get("LANTERN_MODELS_DIR")
    return Path(chosen).expanduser() if chosen else data_dir() / "models"


def cache_dir(override: str | os.PathLike | None = None) -> Path:
    """Files Lantern can rebuild at any time (never patient data): ``LANTERN_CACHE_DIR``,
    else the platform's per-user cache directory (e.g. ``~/.cache/Lantern``)."""
    chosen = override or os.environ.get("LANTERN_CACHE_DIR")
    path = Path(chosen) if chosen else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return path.expanduser()


def resources_dir() -> Path:
    """The ``resources/`` tree (knowledge base, prompts, translations, icons).

    Looked up next to the source checkout, or inside a frozen (PyInstaller) app.
    ``LANTERN_RESOURCES`` overrides both.
    """
    env = os.environ.get("LANTERN_RESOURCES")
    if env:
        return Path(env)
    import sys

    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (owner-only on POSIX) if missing and return it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
