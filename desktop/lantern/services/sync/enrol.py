"""Joining a laptop to the clinic and revoking a lost one (issue 18 part 3).

Enrolment (:func:`enrol`, on a joined laptop, admin). A one-time *enrolment code*
of :data:`CODE_WORDS` words from the bundled list (2048 words, 11 bits each: 88
bits) is drawn, and an *enrolment package* is written to a file (a USB stick):

- a consistent copy of the vault (SQLite's online backup, ``Store.backup_to``, as
  ``vault backup`` makes), into which one extra key slot is put: the data key
  wrapped under the code (the vault's own key-slot format, Argon2id with the
  vault's calibrated parameters), registered in the copy's keyring;
- sealed as a whole with AES-256-GCM under a key derived from the code with
  Argon2id (the same KDF and parameters as the passphrases, its own salt); the
  clear header (enrolment id, device id, creation and expiry 15 minutes later,
  KDF parameters, salt, a code check value) is the associated data, so it is
  authenticated too.

The live vault records the planned device (name, id, enrolment id) as *enrolled*
(``meta`` ``sync_devices``, sealed in the vault state, audited with ids only).

Joining (:func:`join`, on the new laptop, no user yet): the code opens the package
(wrong code, altered file, expired package or an enrolment id this computer used
already: one line each, nothing written), then, in a work directory beside the
data directory, the code opens the copy's enrolment slot, the copy is checked like
an unlock (sealed state), and ONE transaction gives it its own device identity
(:func:`~lantern.services.sync.events.new_device_identity`), deletes the enrolment
slot and appends a ``device join`` audit entry. Only then is the file linked into
the data directory (a hard link never replaces a file): a kill at any point leaves
the data directory without a vault or with the whole joined one. The users unlock
with their own passphrases: their slots came with the vault.

A package may also carry the new laptop's own login to the clinic's server
(``server``: address, database, user, password; ``enrol_server`` makes it and puts
the package on the server): it is sealed with the rest, and :func:`join` writes it
as the laptop's credentials file (``couch_credentials.default_path``), placed just
before the vault, so a join leaves both or neither (a rerun finds its own file).

Revocation (:func:`revoke`, admin): the device is marked revoked and the data key
is rotated in one transaction (:func:`lantern.services.rotation.revoke_and_rotate`,
as for a deactivated user). Events from a revoked device that this laptop does not
hold yet are refused by :func:`~lantern.services.sync.events.apply_events`.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern import paths
from lantern.domain.errors import ValidationError, VaultError, VaultExists
from lantern.domain.typed_text import printable
from lantern.llm.files import fsync_dir
from lantern.services import integrity
from lantern.services import seen_states as seen
from lantern.services.backup import EXISTS_MESSAGE, has_vault
from lantern.services.credentials import slot_params
from lantern.services.roles import require
from lantern.services.sync import device_keys, signing
from lantern.services.sync.couch import ServerAccount, SyncServerError
from lantern.services.sync.couch_credentials import default_path, render
from lantern.services.sync.envelope import SealedEvent
from lantern.services.sync.events import (
    DEVICE_KEY,
    DEVICE_NAME_KEY,
    DEVICES_KEY,
    SyncRefused,
    announce_rotation,
    clinic_id,
    new_device_identity,
    open_event,
    publish_device_key,
    revoked_devices,
)
from lantern.vault import accounts, keyring
from lantern.vault.audit import AuditChain
from lantern.vault.crypto import RecordCipher, wipe
from lantern.vault.kdf import KdfParams, derive_key, new_salt
from lantern.vault.keyslots import SlotOpenFailed, SlotParamsInvalid, open_slot, wrap
from lantern.vault.state import VaultState
from lantern.vault.store import Store, check_header, vault_path

if TYPE_CHECKING:
    from lantern.services.context import ServiceContext
    from lantern.services.rotation import RotationResult

MAGIC = b"LANTERN-ENROLMENT 1\n"
CODE_WORDS = 8
WORD_BITS = 11                       # 2048 words
TTL = timedelta(minutes=15)
ENROLMENT_KEY = "sync_enrolment_id"  # meta of a joined vault: the enrolment it came from
SLOT_PREFIX = "enrol:"
USED_FILE = "enrolments-used"        # in the state dir: enrolment ids this computer joined with
MAX_PACKAGE_BYTES = 4 * 1024 * 1024 * 1024
ENROL_ACTION, JOIN_ACTION, REVOKE_ACTION = "device enrol", "device join", "device revoke"
MAX_NAME = 60
ROLLBACK_FINDING = "whole-file rollback"     # integrity.check_vault's kind

WRONG_CODE = "The enrolment code is not correct for this package; nothing was written."
ALTERED = "The enrolment package is damaged or was altered; nothing was written."
NOT_PACKAGE = "The file is not a Lantern enrolment package."
EXPIRED = ("The enrolment package has expired (valid 15 minutes); ask an administrator for a "
           "new one. Nothing was written.")
USED = "This enrolment package was used already on this computer; nothing was written."


class EnrolmentRefused(ValidationError):
    """An enrolment package or code that is refused; nothing was written."""


@dataclass(frozen=True)
class Enrolment:
    path: Path
    code: str
    enrolment_id: str
    device_id: str
    name: str
    expires: str


@dataclass(frozen=True)
class Joined:
    vault: Path
    device_id: str
    name: str
    enrolment_id: str
    credentials: Path | None = None     # the sync credentials file written (server login)


@dataclass(frozen=True)
class Device:
    device_id: str
    name: str
    status: str            # "this laptop" | "enrolled" | "revoked" | "synced" (known by its events)
    enrolment_id: str
    at: str
    revoked_at: str
    server_login: str = ""  # made by ``device enrol --server-admin``


# -- the code ---------------------------------------------------------------------------
@cache
def words() -> tuple[str, ...]:
    path = paths.resources_dir() / "enrol" / "words_en.txt"
    found = tuple(w.strip() for w in path.read_text(encoding="utf-8").splitlines()
                  if w.strip() and not w.startswith("#"))
    if len(found) != 2 ** WORD_BITS or len({w[:4] for w in found}) != len(found):
        raise VaultError("The enrolment word list is damaged; reinstall Lantern.")
    return found


def new_code() -> str:
    """:data:`CODE_WORDS` random words (88 bits)."""
    choice = words()
    return " ".join(secrets.choice(choice) for _ in range(CODE_WORDS))


def normalize_code(text: str) -> str:
    """The code as typed (any case, spaces, hyphens or commas between words, a word
    recognised by its first four letters) -> the canonical words; EnrolmentRefused
    when it is not :data:`CODE_WORDS` words of the list."""
    typed = unicodedata.normalize("NFKC", text).lower()
    for sep in ",-_.;:\t\n":
        typed = typed.replace(sep, " ")
    parts = typed.split()
    by_prefix = {w[:4]: w for w in words()}
    found = [by_prefix.get(p[:4]) if len(p) >= 4 else None for p in parts]
    if len(parts) != CODE_WORDS or any(w is None or not w.startswith(p)
                                       for w, p in zip(found, parts, strict=True)):
        raise EnrolmentRefused(f"The enrolment code is {CODE_WORDS} words from the list shown "
                               "on the administrator's laptop; nothing was written.")
    return " ".join(w for w in found if w)


# -- the device registry (meta, sealed in the vault state) ------------------------------
def _registry(conn: sqlite3.Connection) -> dict[str, dict]:
    return accounts.get_meta_dict(conn, DEVICES_KEY)


def _save_registry(conn: sqlite3.Connection, registry: dict[str, dict]) -> None:
    accounts.set_meta(conn, DEVICES_KEY, json.dumps(registry, sort_keys=True, ensure_ascii=False))


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME or printable(name, single_line=True) != name:
        raise ValidationError(f"A laptop name is 1 to {MAX_NAME} printable characters.")
    return name


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# -- enrolment (the admin's laptop) ------------------------------------------------------
def _code_key(code: str, salt: bytes, params: KdfParams) -> bytearray:
    return derive_key(code, salt, params)


def _check_value(key: bytearray) -> str:
    return hmac.new(bytes(key), b"lantern enrolment code check", hashlib.sha256).hexdigest()[:16]


def _planned_name(conn: sqlite3.Connection, name: str) -> str:
    registry = _registry(conn)
    name = _check_name(name or f"laptop {len(registry) + 2}")
    if name in {info.get("name") for info in registry.values()} or \
            name == accounts.get_meta(conn, DEVICE_NAME_KEY):
        raise ValidationError("A laptop of this clinic already has this name; choose another.")
    return name


def enrol(ctx: ServiceContext, out: Path, *, name: str = "",
          server: ServerAccount | None = None) -> Enrolment:
    """Write an enrolment package to ``out`` (a new file) and return its one-time code.
    The package is written whole in a work folder beside ``out``; the device is
    recorded (and audited) only once it is, then the file is put in place.
    ``server``: the new laptop's own server login, sealed into the package."""
    require(ctx.user, "device.enrol")
    out = Path(out)
    if out.exists():
        raise ValidationError("The enrolment file already exists; choose a new file name.")
    if not out.parent.is_dir():
        raise ValidationError("The folder for the enrolment file does not exist.")
    with ctx.reading() as conn:
        name = _planned_name(conn, name)
        params = slot_params(conn)
    code = new_code()
    enrolment_id = secrets.token_hex(16)
    # first (so the copy holds this laptop's signing key in its trust store): this
    # laptop signs the new laptop's enrolment; its keys are made now if it had none
    endorsement = endorse(ctx, enrolment=enrolment_id)
    device = endorsement.device
    created = _now()
    expires = created + TTL
    work = Path(tempfile.mkdtemp(prefix=".lantern-enrol-", dir=out.parent))
    try:
        copy = ctx.store.backup_to(work / "vault.db")
        _add_enrolment_slot(ctx, copy, code=code, enrolment_id=enrolment_id)
        salt = new_salt()
        key = _code_key(code, salt, params)
        try:
            header = json.dumps({
                "v": 1, "enrolment": enrolment_id, "device": device,
                "created": created.isoformat(), "expires": expires.isoformat(),
                "kdf": params.as_dict(), "salt": salt.hex(), "check": _check_value(key),
            }, sort_keys=True).encode() + b"\n"
            content: dict = {"name": name, "by": ctx.user.username,
                             "keys": endorsement.to_dict()}
            if server is not None:
                content["server"] = {"url": server.url, "database": server.database,
                                     "user": server.username, "password": server.password}
            body = json.dumps(content).encode() + b"\n"
            nonce = os.urandom(12)
            sealed = AESGCM(bytes(key)).encrypt(nonce, body + copy.read_bytes(), MAGIC + header)
        finally:
            wipe(key)
        package = work / "package"
        fd = os.open(package, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + header + nonce + sealed)
            fh.flush()
            os.fsync(fh.fileno())
        placed = False
        try:
            with ctx.writing() as conn:
                name = _planned_name(conn, name)
                registry = _registry(conn)
                own = accounts.get_meta(conn, DEVICE_KEY)
                if own and own not in registry:      # this laptop lists itself too
                    registry[own] = {"name": accounts.get_meta(conn, DEVICE_NAME_KEY) or "",
                                     "status": "enrolled", "enrolment": "",
                                     "at": created.isoformat()}
                registry[device] = {"name": name, "status": "enrolled",
                                    "enrolment": enrolment_id, "at": created.isoformat(),
                                    "by": ctx.user.username}
                if server is not None:
                    registry[device]["server_login"] = server.username
                _save_registry(conn, registry)
                ctx.log_event(conn, ENROL_ACTION, detail=f"enrolment {enrolment_id} for device "
                              f"{device}, valid until {expires.isoformat()}")
                _place(package, out)
                placed = True
        except BaseException:
            if placed:          # the record was not saved: no package without its record
                with contextlib.suppress(OSError):
                    out.unlink()
            raise
    finally:
        endorsement.close()
        shutil.rmtree(work, ignore_errors=True)
    return Enrolment(out, code, enrolment_id, device, name, expires.isoformat())


def endorse(ctx: ServiceContext, *, enrolment: str = "", device: str | None = None
            ) -> signing.Endorsement:
    """This laptop lets a new laptop in: a fresh device id (unless given) and this
    laptop's signature over its one-time enrolment key (``signing``). ``enrol`` puts
    it into the package; ``events.new_device_identity`` binds the new laptop's keys
    with it. This laptop's own keys are made (and queued for publication) if missing."""
    require(ctx.user, "device.enrol")
    with ctx.writing() as conn:
        publish_device_key(conn, ctx.repo.cipher, ctx.user.username)
        own = accounts.get_meta(conn, DEVICE_KEY)
        assert own is not None
        return signing.endorse(conn, ctx.repo.cipher, clinic=clinic_id(conn), own=own,
                               device=device or secrets.token_hex(8), enrolment=enrolment)


def _place(src: Path, dest: Path) -> None:
    """Put a finished file in place; never replaces a file that appeared meanwhile."""
    try:
        os.link(src, dest)
    except FileExistsError as exc:
        raise ValidationError("The enrolment file already exists; choose a new file name.") from exc
    except OSError:          # no hard links (FAT): checked just before
        if dest.exists():
            raise ValidationError("The enrolment file already exists; choose a new file "
                                  "name.") from None
        os.rename(src, dest)
    fsync_dir(dest.parent)


def _add_enrolment_slot(ctx: ServiceContext, copy: Path, *, code: str, enrolment_id: str) -> None:
    """Put the data key, wrapped under the code, into the COPY's keyring (never the live vault)."""
    cipher = ctx.repo.cipher
    store = Store.open(copy)
    try:
        state = VaultState(cipher)
        check = integrity.check_vault(store, state, AuditChain(cipher))
        if not check.ok:
            raise VaultError("The vault has integrity findings; accept or resolve them before "
                             "enrolling a laptop.")
        store.state = state
        with store.transaction() as conn:
            key = cipher.key_copy()
            try:
                slot = wrap(key, slot_id=SLOT_PREFIX + enrolment_id, secret=code,
                            params=slot_params(conn), epoch=cipher.epoch)
            finally:
                wipe(key)
            keyring.put_member_slot(conn, cipher, slot, username=None)
            device_keys.forget_own(conn)     # this laptop's device key never leaves it
        with store.reading() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.state = None
        store.close()


# -- joining (the new laptop) ------------------------------------------------------------
def _used_path() -> Path:
    return paths.state_dir() / USED_FILE


def _used_ids() -> set[str]:
    try:
        return set(_used_path().read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _mark_used(enrolment_id: str) -> None:
    path = _used_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "a", encoding="ascii") as fh:
        fh.write(enrolment_id + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _read_package(path: Path, code: str) -> tuple[dict, dict, bytes]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PACKAGE_BYTES + 1)
    except OSError as exc:
        raise EnrolmentRefused("The enrolment file cannot be read.") from exc
    if len(data) > MAX_PACKAGE_BYTES or not data.startswith(MAGIC):
        raise EnrolmentRefused(NOT_PACKAGE)
    rest = data[len(MAGIC):]
    end = rest.find(b"\n")
    try:
        header = json.loads(rest[:end])
        assert isinstance(header, dict) and header.get("v") == 1
        params = KdfParams.from_dict(header["kdf"])
        salt = bytes.fromhex(header["salt"])
        for k in ("enrolment", "device", "created", "expires", "check"):
            assert isinstance(header[k], str)
        expires = datetime.fromisoformat(header["expires"])
        assert end > 0 and len(salt) >= 16
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise EnrolmentRefused(ALTERED) from exc
    key = _code_key(normalize_code(code), salt, params)
    try:
        if not hmac.compare_digest(_check_value(key), header["check"]):
            raise EnrolmentRefused(WRONG_CODE)
        blob = rest[end + 1:]
        try:
            plain = AESGCM(bytes(key)).decrypt(blob[:12], blob[12:], MAGIC + rest[:end + 1])
        except (InvalidTag, ValueError) as exc:
            raise EnrolmentRefused(ALTERED) from exc
    finally:
        wipe(key)
    if _now() > expires:
        raise EnrolmentRefused(EXPIRED)
    if header["enrolment"] in _used_ids():
        raise EnrolmentRefused(USED)
    cut = plain.find(b"\n")
    try:
        body = json.loads(plain[:cut])
        assert isinstance(body, dict) and isinstance(body.get("name"), str)
    except (ValueError, AssertionError) as exc:
        raise EnrolmentRefused(ALTERED) from exc
    return header, body, plain[cut + 1:]


def _server_login(body: dict, *, url: str | None, ca_file: str | None) -> ServerAccount | None:
    """The laptop's own server login the package carries (``url``: the address this
    laptop reached the server at, instead of the administrator's), or None."""
    info = body.get("server")
    if info is None:
        return None
    try:
        return ServerAccount(url=(url or info["url"]).rstrip("/"), database=info["database"],
                             username=info["user"], password=info["password"], ca_file=ca_file)
    except (KeyError, TypeError, AttributeError, SyncServerError) as exc:
        raise EnrolmentRefused(ALTERED) from exc


def _place_credentials(text: bytes, work: Path, target: Path) -> bool:
    """Put the credentials file in place before the vault; True if placed now. The
    same file left by an interrupted join of this package is kept; another is not
    replaced."""
    staged = work / target.name
    fd = os.open(staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(staged, target)
        return True
    except FileExistsError:
        pass
    except OSError:             # no hard links (FAT)
        if not target.exists():
            os.rename(staged, target)
            return True
    try:
        same = target.read_bytes() == text
    except OSError:
        same = False
    if not same:
        raise ValidationError(f"A sync credentials file exists already at {target}; move it "
                              "away and join again. Nothing was written.")
    return False


def join(path: Path, code: str, data_dir: Path, *, server_url: str | None = None,
         ca_file: str | None = None) -> Joined:
    """Make ``data_dir`` (empty) a laptop of the clinic from an enrolment package.
    A package that carries a server login also gets the laptop's credentials file
    (``server_url`` / ``ca_file``: how this laptop reaches the server)."""
    data_dir = Path(data_dir)
    if has_vault(data_dir):
        raise VaultExists(EXISTS_MESSAGE)
    header, body, vault_bytes = _read_package(Path(path), code)
    enrolment_id, device, name = header["enrolment"], header["device"], body["name"]
    login = _server_login(body, url=server_url, ca_file=ca_file)
    credentials = render(login) if login is not None else None
    try:        # a package from before signing keys has none: keys made later, legacy link
        endorsement = signing.Endorsement.from_dict(body["keys"]) if "keys" in body else None
    except (KeyError, TypeError, ValueError) as exc:
        raise EnrolmentRefused(ALTERED) from exc
    if endorsement is not None and endorsement.device != device:
        raise EnrolmentRefused(ALTERED)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in data_dir.parent.glob(f".{data_dir.name}.joining-*"):   # an interrupted join
        shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.joining-", dir=data_dir.parent))
    try:
        copy = work / vault_path(data_dir).name
        fd = os.open(copy, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(vault_bytes)
            fh.flush()
            os.fsync(fh.fileno())
        del vault_bytes
        check_header(copy)
        vault_id, generation = _finish_copy(copy, code=normalize_code(code),
                                            enrolment_id=enrolment_id, device=device, name=name,
                                            admin=str(body.get("by") or ""),
                                            endorsement=endorsement)
        target = vault_path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if has_vault(data_dir):
            raise VaultExists(EXISTS_MESSAGE)
        placed = credentials is not None and _place_credentials(
            credentials, work, default_path(data_dir))
        try:
            try:
                os.link(copy, target)             # whole or not there; never replaces a file
            except FileExistsError as exc:
                raise VaultExists(EXISTS_MESSAGE) from exc
            except OSError:                       # no hard links (FAT): a rename is atomic too
                os.rename(copy, target)
        except BaseException:
            if placed:                            # no credentials file without its vault
                with contextlib.suppress(OSError):
                    default_path(data_dir).unlink()
            raise
        fsync_dir(data_dir)
    finally:
        if endorsement is not None:
            endorsement.close()
        shutil.rmtree(work, ignore_errors=True)
    if vault_id and generation is not None:     # this computer's rollback counter: the new file
        seen.remember(vault_id, generation, replace=True)
    _mark_used(enrolment_id)
    return Joined(target, device, name, enrolment_id,
                  default_path(data_dir) if credentials is not None else None)


def _finish_copy(copy: Path, *, code: str, enrolment_id: str, device: str, name: str,
                 admin: str, endorsement: signing.Endorsement | None
                 ) -> tuple[str, int | None]:
    """Open the copy with its enrolment slot, check it like an unlock, and in one
    transaction: new device identity (its keys drawn and bound by the endorsement),
    enrolment slot deleted, audited."""
    store = Store.open(copy)
    cipher = None
    try:
        slot_id = SLOT_PREFIX + enrolment_id
        with store.reading() as conn:
            slot = accounts.get_slot(conn, slot_id)
        if slot is None:
            raise EnrolmentRefused(ALTERED)
        try:
            opened = open_slot(slot, secret=code)
        except (SlotOpenFailed, SlotParamsInvalid) as exc:
            raise EnrolmentRefused(ALTERED) from exc
        try:
            with store.reading() as conn:
                cipher = keyring.open_cipher(conn, opened, slot=slot)
        except (keyring.StaleKeySlot, VaultError) as exc:
            wipe(opened.key)
            raise EnrolmentRefused(ALTERED) from exc
        state = VaultState(cipher)
        chain = AuditChain(cipher)
        check = integrity.check_vault(store, state, chain)
        # the copy comes from another laptop: this computer's rollback counter of the
        # clinic's vault id (a laptop joined before) says nothing about it
        if any(f.kind != ROLLBACK_FINDING for f in check.findings):
            raise EnrolmentRefused(ALTERED)
        store.state = state
        with store.transaction() as conn:
            new_device_identity(conn, name=name, device=device, cipher=cipher,
                                endorsement=endorsement, author=admin or "enrolment")
            registry = _registry(conn)
            registry[device] = {**registry.get(device, {}), "name": name, "status": "enrolled",
                                "enrolment": enrolment_id}
            _save_registry(conn, registry)
            accounts.set_meta(conn, ENROLMENT_KEY, enrolment_id)
            keyring.remove_member_slot(conn, cipher, slot_id)
            chain.append(conn, username=admin or "enrolment", action=JOIN_ACTION,
                         detail=f"joined as device {device} (enrolment {enrolment_id})")
        with store.reading() as conn:
            doc, _mac, _status = state.load(conn)
            vault_id = accounts.get_meta(conn, "vault_id") or ""
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        generation = doc.get("generation") if isinstance(doc, dict) else None
    finally:
        store.state = None
        store.close()
        if cipher is not None:
            cipher.close()
    for suffix in ("-wal", "-shm"):
        leftover = copy.with_name(copy.name + suffix)
        if leftover.exists() and leftover.stat().st_size:
            raise VaultError("The joined vault could not be written whole; nothing was installed.")
    return vault_id, generation if isinstance(generation, int) else None


# -- listing and revoking ----------------------------------------------------------------
def _synced_devices(conn: sqlite3.Connection, cipher: RecordCipher, *, exclude: set[str]
                    ) -> dict[str, str]:
    """Other laptops known here only by the events they wrote: device id -> the name
    their newest event carries (opened with the clinic key; "" if it cannot be)."""
    own = accounts.get_meta(conn, DEVICE_KEY)
    clinic = accounts.get_meta(conn, "vault_id") or ""
    found: dict[str, str] = {}
    for dev, hlc in conn.execute("SELECT device_id, max(hlc) FROM sync_events GROUP BY device_id"):
        if dev == own or dev in exclude:
            continue
        row = conn.execute("SELECT event_id, ciphertext FROM sync_events WHERE device_id = ? "
                           "AND hlc = ?", (dev, hlc)).fetchone()
        try:
            found[dev] = open_event(cipher, clinic, SealedEvent(row[0], dev, hlc,
                                                                bytes(row[1]))).device_name
        except SyncRefused:
            found[dev] = ""
    return found


def devices(ctx: ServiceContext) -> list[Device]:
    """Laptops this vault knows: itself, those enrolled from it (or before its copy), revoked."""
    require(ctx.user, "device.list")
    with ctx.reading() as conn:
        registry = _registry(conn)
        own = accounts.get_meta(conn, DEVICE_KEY)
        own_name = accounts.get_meta(conn, DEVICE_NAME_KEY) or ""
        synced = _synced_devices(conn, ctx.repo.cipher, exclude=set(registry))
    out = []
    if own and own not in registry:
        out.append(Device(own, own_name, "this laptop", "", "", ""))
    for dev, info in sorted(registry.items(), key=lambda kv: (str(kv[1].get("at")), kv[0])):
        status = "this laptop" if dev == own else str(info.get("status", "enrolled"))
        out.append(Device(dev, str(info.get("name", "")), status, str(info.get("enrolment", "")),
                          str(info.get("at", "")), str(info.get("revoked_at", "")),
                          str(info.get("server_login", ""))))
    out.extend(Device(dev, name, "synced", "", "", "") for dev, name in sorted(synced.items()))
    return out


def revoke(ctx: ServiceContext, name_or_id: str) -> tuple[str, RotationResult]:
    """Mark a laptop revoked and rotate the data key in the same transaction."""
    from lantern.services.rotation import revoke_and_rotate

    require(ctx.user, "device.revoke")
    wanted = name_or_id.strip()
    found: list[str] = []

    def mark(conn: sqlite3.Connection) -> None:
        registry = _registry(conn)
        matches = [d for d, info in registry.items() if wanted in (d, info.get("name"))]
        if not matches:     # a laptop enrolled elsewhere, known here by the events it wrote
            seen_here = _synced_devices(conn, ctx.repo.cipher, exclude=set(registry))
            matches = [d for d, dev_name in seen_here.items() if wanted in (d, dev_name)]
            if matches:
                registry[matches[0]] = {"name": seen_here[matches[0]], "status": "enrolled",
                                        "enrolment": "", "at": _now().isoformat()}
        if not matches:
            raise ValidationError("No laptop of that name or device id is known here "
                                  "(see `lantern device list`).")
        device = matches[0]
        if device == accounts.get_meta(conn, DEVICE_KEY):
            raise ValidationError("This laptop cannot revoke itself.")
        if registry[device].get("status") == "revoked":
            raise ValidationError("This laptop is revoked already.")
        registry[device] = {**registry[device], "status": "revoked",
                            "revoked_at": _now().isoformat(), "revoked_by": ctx.user.username}
        _save_registry(conn, registry)
        ctx.log_event(conn, REVOKE_ACTION, detail=f"revoked device {device}")
        found.append(device)

    sent: list[dict] = []

    def announce(conn: sqlite3.Connection, new_cipher: RecordCipher, previous: int) -> None:
        registry = _registry(conn)
        laptops = set(registry) | set(_synced_devices(conn, ctx.repo.cipher, exclude=set(registry)))
        sent.append(announce_rotation(conn, new_cipher, previous, author=ctx.user.username,
                                      revoked=revoked_devices(conn), laptops=laptops))

    result = revoke_and_rotate(ctx, reason="revoked a device", revoke=mark, announce=announce)
    return found[0], replace(result, handed_to=tuple(sent[0]["wrapped"]),
                             without_key=tuple(sent[0]["without_key"]))
