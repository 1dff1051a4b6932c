"""A cache of parsed TOML resource files, so that start-up does not re-parse them.

Python's TOML parser is pure Python: parsing the knowledge base's ~240 files takes
most of a second on an old laptop. The parsed content of each file is kept as JSON
(data only, never code) in the per-user cache directory, keyed by the sha256 of the
file's bytes: an edited file misses the cache and is parsed again, so the cache can
never serve stale knowledge. A missing, unreadable or damaged cache is ignored and
rebuilt; writing it is atomic (temp file + replace) and failures to write are silent
(the cache is an optimisation, the files are the truth).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import tempfile
import threading
import tomllib
from pathlib import Path

from lantern.paths import cache_dir

CACHE_NAME = "parsed-resources-v1.json"


class ParsedTomlCache:
    """sha256(file bytes) -> parsed TOML, loaded once and saved when it grew."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._entries: dict[str, dict] = {}
        self._used: set[str] = set()
        self._loaded = False
        self._dirty = False
        self._lock = threading.Lock()

    def _load(self) -> None:
        self._loaded = True
        if self._path is None:
            return
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self._path.read_bytes())
            if isinstance(data, dict):
                self._entries = {k: v for k, v in data.items() if isinstance(v, dict)}

    def parse(self, raw: bytes) -> dict:
        """The parsed content of one TOML file (raises ``TOMLDecodeError`` / ``UnicodeDecodeError``)."""
        key = hashlib.sha256(raw).hexdigest()
        with self._lock:
            if not self._loaded:
                self._load()
            hit = self._entries.get(key)
            if hit is not None:
                self._used.add(key)
        if hit is not None:
            return hit
        parsed = tomllib.loads(raw.decode("utf-8"))
        try:
            json.dumps(parsed)       # only plain data is cached (no TOML dates)
        except (TypeError, ValueError):
            return parsed
        with self._lock:
            self._entries[key] = parsed
            self._used.add(key)
            self._dirty = True
        return parsed

    def save(self) -> None:
        """Write the cache if it grew, keeping only the entries used since it was loaded."""
        with self._lock:
            if not self._dirty or self._path is None:
                return
            self._dirty = False
            kept = {k: v for k, v in self._entries.items() if k in self._used}
            data = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
        with contextlib.suppress(OSError):
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self._path.parent, prefix=".parsed-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(data)
                os.replace(tmp, self._path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


_SHARED: ParsedTomlCache | None = None


def shared_cache() -> ParsedTomlCache:
    """The process's cache (``LANTERN_NO_PARSE_CACHE=1`` turns it off)."""
    global _SHARED
    if _SHARED is None:
        off = os.environ.get("LANTERN_NO_PARSE_CACHE") == "1"
        _SHARED = ParsedTomlCache(None if off else cache_dir() / CACHE_NAME)
        atexit.register(_SHARED.save)      # files parsed after the knowledge base (vocabularies)
    return _SHARED


def read_toml(path: Path, problems: list[str]) -> dict:
    """One TOML file, parsed (through the parsed-file cache); a problem instead of raising."""
    try:
        return shared_cache().parse(path.read_bytes())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path.name}: cannot read ({exc})")
        return {}
