"""Restore a vault backup into an empty data directory.

Backups are written by :meth:`lantern.services.session.VaultSession.backup_to`
(SQLite's online backup API; the copy is encrypted exactly like the vault).
Restoring is a plain copy into the data directory, after checking that the file
is a whole Lantern vault (the store's header check, before SQLite touches it).
An existing vault is never overwritten. After a restore the normal unlock works
with the passphrases and the recovery key valid when the backup was taken; the
schema is upgraded at that unlock if the backup is older.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from lantern.domain.errors import NotAVault, VaultError, VaultExists, VaultNotFound
from lantern.vault.store import check_header, storage_error, vault_path

CHUNK = 1024 * 1024
_COMPANIONS = ("", "-wal", "-shm")

EXISTS_MESSAGE = ("A vault already exists in this data directory; Lantern will not overwrite "
                  "it. Restore the backup into an empty data directory.")


def has_vault(data_dir: Path) -> bool:
    """True if the data directory holds a vault file (or its companions)."""
    path = vault_path(Path(data_dir))
    return any(path.with_name(path.name + s).exists() for s in _COMPANIONS)


def check_backup(src: Path) -> None:
    """Raise a typed error unless ``src`` is a whole Lantern vault this version can open."""
    src = Path(src)
    if not src.is_file():
        raise VaultNotFound("The backup file was not found.")
    check_header(src)


def _copy(src: Path, dest: Path, progress: Callable[[int, int], None] | None) -> None:
    total = src.stat().st_size
    fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    done = 0
    try:
        with open(src, "rb") as fin, os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(CHUNK):
                fout.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            fout.flush()
            os.fsync(fout.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise
    if done != total:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise NotAVault("The backup file changed while it was being copied; try again.")


def restore_backup(src: Path, data_dir: Path,
                   progress: Callable[[int, int], None] | None = None) -> Path:
    """Copy the backup ``src`` into the empty ``data_dir`` as its vault file.

    Raises ``VaultExists`` if ``data_dir`` already holds a vault (nothing is
    touched), ``NotAVault`` / ``VaultTooNew`` / ``VaultNotFound`` if ``src`` is
    not a restorable Lantern vault. ``progress(done_bytes, total_bytes)``.
    Returns the path of the restored vault file.
    """
    src = Path(src)
    data_dir = Path(data_dir)
    target = vault_path(data_dir)
    if has_vault(data_dir):
        raise VaultExists(EXISTS_MESSAGE)
    check_backup(src)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        os.chmod(data_dir, 0o700)
    made: list[Path] = []
    tmp = target.with_name(target.name + ".restoring")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()   # a leftover of an interrupted restore
    try:
        _copy(src, tmp, progress)
        made.append(tmp)
        check_header(tmp)
        wal = src.with_name(src.name + "-wal")
        if wal.is_file() and wal.stat().st_size:
            # A file copied by hand after a crash: its recent changes are in the WAL.
            _copy(wal, target.with_name(target.name + "-wal"), None)
            made.append(target.with_name(target.name + "-wal"))
        try:
            os.link(tmp, target)          # never replaces an existing file
        except FileExistsError as exc:
            raise VaultExists(EXISTS_MESSAGE) from exc
        except OSError:                   # no hard links (e.g. FAT): checked above
            if target.exists():
                raise VaultExists(EXISTS_MESSAGE) from None
            os.rename(tmp, target)
        made.append(target)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    except BaseException as exc:
        for path in made:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError):
            raise storage_error(exc) or VaultError(
                "The backup could not be copied into the data directory "
                f"({type(exc).__name__}).") from exc
        raise
    return target
