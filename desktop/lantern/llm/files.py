"""Small file helpers for the model store: atomic JSON, hashed copies with progress."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lantern.domain.errors import Cancelled, ModelError, NotEnoughResources

Progress = Callable[[float | None, str], None]
CHUNK = 4 * 1024 * 1024


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to ``path`` so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError):
        # A damaged settings file must not stop the app; it is rewritten on the next save.
        return default


def fsync_dir(path: Path) -> None:
    """Make a rename or link in ``path`` durable (POSIX; best effort)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def copy_hashed(
    sources: Iterable[Path], dest: Path, *, total: int, progress: Progress | None = None,
    cancel: threading.Event | None = None, label: str = "Copying model",
) -> str:
    """Concatenate ``sources`` into ``dest`` while computing its sha256.

    Reports progress as a fraction of ``total`` bytes; stops with
    :class:`Cancelled` (removing ``dest``) when ``cancel`` is set.
    """
    digest = hashlib.sha256()
    done = 0
    last_reported = -1.0
    try:
        with dest.open("wb") as out:
            for src in sources:
                with src.open("rb") as fh:
                    while True:
                        if cancel is not None and cancel.is_set():
                            raise Cancelled("The model import was cancelled.")
                        block = fh.read(CHUNK)
                        if not block:
                            break
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        fraction = min(1.0, done / total) if total else None
                        if progress and (fraction is None or done == total
                                         or fraction - last_reported >= 0.01):
                            last_reported = fraction or 0.0
                            progress(fraction, f"{label}… {done // (1024 * 1024)} MB")
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            dest.unlink()
        if getattr(exc, "errno", None) == 28:  # ENOSPC
            raise NotEnoughResources("The disk is full; the model was not copied.") from None
        raise ModelError("The model file could not be copied (read or write error).") from None
    except BaseException:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise
    return digest.hexdigest()


def sha256_file(path: Path, *, progress: Progress | None = None,
                cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    last = -1.0
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            if cancel is not None and cancel.is_set():
                raise Cancelled("Verification was cancelled.")
            digest.update(block)
            done += len(block)
            fraction = done / total if total else 1.0
            if progress and (fraction - last >= 0.01 or done == total):
                last = fraction
                progress(fraction, f"Checking… {done // (1024 * 1024)} MB")
    return digest.hexdigest()
