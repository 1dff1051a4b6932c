"""A model file is checked before every load: size and sha256, or a sealed earlier check.

The expectation travels with the ``load`` request (``expect``: the sha256 and size
recorded at import, and the file identity of the last successful check). The inference
host checks it before llama.cpp opens the file, so the hashing never runs in the app's
process, and reports progress while it hashes:

* a different size: refused at once;
* the same identity as the last check (device, inode, size, modification and
  status-change times): not hashed again. Writing into the file changes its mtime and
  ctime; setting the mtime back changes the ctime, which no program can set; putting
  another file in its place changes the inode. So an unchanged file starts fast and a
  same-size tampered one is hashed, and refused;
* otherwise the whole file is hashed and compared.

The identity is kept in the model registry with an HMAC under a per-install key
(``model-check.key`` beside the LLM settings, owner-only), so an edited registry
cannot vouch for a file that was never checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

IDENTITY_FIELDS = ("dev", "ino", "size", "mtime_ns", "ctime_ns")


class ModelCheckFailed(Exception):
    """The file is not the one that was imported (message safe to show)."""


def file_identity(path: str | os.PathLike) -> dict[str, int]:
    st = os.stat(path)
    return {"dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def changed_message(name: str) -> str:
    return (f"The model file {name} has changed since it was imported (its fingerprint no "
            "longer matches), so it was not loaded. Remove it and import it again "
            "(Tools → Models…, or 'lantern models remove' then 'lantern models import').")


def check_file(path: str, *, sha256: str, size: int, identity: dict | None,
               progress: Callable[[int, int], None] | None = None,
               chunk: int = 4 * 1024 * 1024) -> dict[str, int]:
    """Check ``path`` against what was imported; return its identity. Raises
    :class:`ModelCheckFailed`. ``progress(done, total)`` while hashing."""
    name = Path(path).name
    current = file_identity(path)
    if current["size"] != size:
        raise ModelCheckFailed(changed_message(name))
    if identity is not None and {k: identity.get(k) for k in IDENTITY_FIELDS} == current:
        return current
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
            done += len(block)
            if progress is not None:
                progress(done, size)
    if not hmac.compare_digest(digest.hexdigest(), sha256):
        raise ModelCheckFailed(changed_message(name))
    after = file_identity(path)
    if after != current:   # written to while it was read: check again next time
        raise ModelCheckFailed(changed_message(name))
    return current


# -- the seal kept in the registry ------------------------------------------------------------
def _key(path: Path) -> bytes:
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return key


def _mac(key: bytes, sha256: str, identity: dict) -> str:
    body = json.dumps({"sha256": sha256, **{k: identity[k] for k in IDENTITY_FIELDS}},
                      sort_keys=True).encode()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def seal(key_path: Path, *, sha256: str, identity: dict) -> dict:
    """The registry's record of a passed check."""
    return {"identity": {k: identity[k] for k in IDENTITY_FIELDS},
            "mac": _mac(_key(key_path), sha256, identity)}


def unsealed_identity(key_path: Path, *, sha256: str, record: object) -> dict | None:
    """The identity of the last passed check, if its seal holds; else None (hash again)."""
    if not isinstance(record, dict) or not isinstance(record.get("identity"), dict):
        return None
    identity = record["identity"]
    if not all(isinstance(identity.get(k), int) for k in IDENTITY_FIELDS):
        return None
    with contextlib.suppress(OSError):
        if key_path.is_file():
            expected = _mac(_key(key_path), sha256, identity)
            if hmac.compare_digest(expected, str(record.get("mac", ""))):
                return identity
    return None
