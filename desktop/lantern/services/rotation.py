"""Revocation that changes the data key, and the re-encryption that follows.

:func:`revoke_and_rotate` runs a revocation (deactivating a user, replacing the
recovery key) and the key rotation in **one** transaction: a fresh random data
key for a new epoch is put into every key slot that is still allowed (a
registered member of the keyring whose user is active, or the recovery slot),
the previous key joins the keyring sealed under the new one, and the session's
cipher switches to the new key while the store lock is still held, so no write
can slip in between under the old key. The old key's holder (the revoked
person) gets nothing new: the slots are addressed to the other slots' public
keys (``docs/vault.md``, "Key rotation").

:func:`reencrypt` then re-seals the rows written under earlier keys in small
chunks, each its own short transaction that also saves the position, so the app
stays usable, a crash or a lock loses nothing, and the next unlock continues.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from lantern.domain.errors import Locked, VaultError
from lantern.services.context import ServiceContext
from lantern.services.credentials import slot_params
from lantern.vault import accounts, keyring, rekey
from lantern.vault.audit import AuditChain
from lantern.vault.crypto import RecordCipher, random_key, wipe
from lantern.vault.keyslots import (
    SlotOpenFailed,
    new_recovery_key,
    normalize_recovery_key,
    public_key,
    readdress,
    wrap,
)

log = logging.getLogger(__name__)

ROTATE_ACTION = "rotate data key"
REENCRYPTED_ACTION = "re-encryption done"
CHUNK_ROWS = 250     # about 50 ms of work per transaction on a slow laptop


@dataclass(frozen=True, slots=True)
class RotationResult:
    epoch: int
    carried: tuple[str, ...]         # slots that received the new key
    left_behind: tuple[str, ...]     # old-format slots that could not (reset with the recovery key)
    removed: tuple[str, ...]         # slots the keyring never issued (e.g. copied back): deleted
    new_recovery_key: str | None     # set when the old-format recovery slot had to be replaced
    handed_to: tuple[str, ...] = ()   # laptops the new key was sent to (a revoked laptop's rotation)
    without_key: tuple[str, ...] = ()  # laptops known here that published no device key: join again


@dataclass(frozen=True, slots=True)
class ReencryptionReport:
    done: int
    total: int
    damaged: int
    finished: bool


Announce = Callable[[sqlite3.Connection, RecordCipher, int], None]


def revoke_and_rotate(ctx: ServiceContext, *, reason: str,
                      revoke: Callable[[sqlite3.Connection], None],
                      announce: Announce | None = None) -> RotationResult:
    """Run ``revoke(conn)`` and rotate the data key in one transaction.

    ``announce(conn, new_cipher, previous_epoch)``, called in the same transaction
    after the key changed, lets a caller hand the new key on (a revoked laptop:
    ``services/sync/device_keys.py`` wraps it to the other laptops' device keys)."""
    cipher = ctx.repo.cipher
    new_cipher: RecordCipher | None = None
    with ctx.reading():                 # the store lock, held over commit and key switch
        try:
            with ctx.writing() as conn:
                revoke(conn)
                result, new_cipher = _rotate(conn, cipher, username=ctx.user.username,
                                             reason=reason)
                if announce is not None:
                    announce(conn, new_cipher, cipher.epoch)
                if ctx.store.state is not None:   # the sealed vault state, under the new key
                    ctx.store.state.rekeyed(conn, new_cipher)
        except BaseException:
            if new_cipher is not None:
                new_cipher.close()
            raise
        cipher.adopt(new_cipher)
    log.info("data key rotated to epoch %d", result.epoch)
    return result


def adopt_received_key(ctx: ServiceContext, conn: sqlite3.Connection, new_key: bytearray, *,
                       epoch: int, reason: str) -> RotationResult:
    """Inside the caller's write transaction: make ``new_key`` (the data key of the
    next ``epoch``, received from the laptop that rotated it) this vault's key, as
    :func:`revoke_and_rotate` does with a key of its own (every allowed key slot
    readdressed, keyring, re-encryption started, audited, sealed state), and switch
    the session's cipher at once, so the rest of the transaction writes under it.

    If the transaction then rolls back, the session holds a key the file does not
    name: its next write stops with "lock and unlock again" (``ServiceContext.writing``),
    never writing under a key the file does not know. ``new_key`` is taken over."""
    cipher = ctx.repo.cipher
    if epoch != cipher.epoch + 1:
        wipe(new_key)
        raise VaultError("The received data key is not for this vault's next key epoch.")
    result, new_cipher = _rotate(conn, cipher, username=ctx.user.username, reason=reason,
                                 new_key=new_key)
    try:
        if ctx.store.state is not None:
            ctx.store.state.rekeyed(conn, new_cipher)
    except BaseException:
        new_cipher.close()
        raise
    cipher.adopt(new_cipher)
    log.info("data key received for epoch %d", result.epoch)
    return result


def _rotate(conn: sqlite3.Connection, cipher: RecordCipher, *, username: str,
            reason: str, new_key: bytearray | None = None) -> tuple[RotationResult, RecordCipher]:
    state = keyring.read(conn, cipher)
    keyring.wipe_state(state)
    members = state.members
    users = {u.username: u for u in accounts.list_users(conn)}
    epoch = cipher.epoch + 1
    last_seq = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]
    older = cipher.older_key_copies()
    older[cipher.epoch] = cipher.key_copy()
    new_key = random_key() if new_key is None else new_key
    new_cipher = RecordCipher(new_key, epoch=epoch, older=older,
                              audit_from={**cipher.audit_starts(), epoch: int(last_seq) + 1})
    for key in older.values():
        wipe(key)
    try:
        outcome = _readdress_slots(conn, new_cipher, members=members, users=users)
        if accounts.user_slot_id(username) not in outcome[0]:
            raise VaultError("The key change was stopped: your own key slot could not receive "
                             "the new key. Nothing was changed.")
        carried, left_behind, removed, recovery_key, new_members = outcome
        keyring.write(conn, new_cipher, members=new_members)
        rekey.begin(conn, epoch=epoch)
        detail = f"key epoch {epoch} ({reason}); {len(carried)} key slots carried over"
        if left_behind:
            detail += f"; old-format slots to reset with the recovery key: {', '.join(left_behind)}"
        if removed:
            detail += f"; unissued slots removed: {', '.join(removed)}"
        if recovery_key:
            detail += "; a new recovery key was issued"
        AuditChain(new_cipher).append(conn, username=username, action=ROTATE_ACTION,
                                      detail=detail)
    except BaseException:
        new_cipher.close()
        raise
    return RotationResult(epoch, tuple(carried), tuple(left_behind), tuple(removed),
                          recovery_key), new_cipher


def _readdress_slots(conn: sqlite3.Connection, new_cipher: RecordCipher, *,
                     members: dict[str, bytes], users: dict
                     ) -> tuple[list[str], list[str], list[str], str | None, dict[str, bytes]]:
    carried: list[str] = []
    left_behind: list[str] = []
    removed: list[str] = []
    recovery_key: str | None = None
    new_members: dict[str, bytes] = {}
    key = new_cipher.key_copy()
    try:
        for slot, owner in accounts.list_slots(conn):
            try:
                public = public_key(slot)
            except SlotOpenFailed:
                public = b""
            if public is None and slot.slot_id == accounts.RECOVERY_SLOT_ID:
                # an old-format recovery slot cannot receive a key: issue a new recovery key
                recovery_key = new_recovery_key()
                slot = wrap(key, slot_id=slot.slot_id, params=slot_params(conn),
                            secret=normalize_recovery_key(recovery_key), epoch=new_cipher.epoch)
                public = public_key(slot)
            elif public is None:
                left_behind.append(slot.slot_id)    # opens only the old key: refused as stale
                continue
            elif members.get(slot.slot_id) != public or not _allowed(slot.slot_id, owner, users):
                accounts.delete_slot(conn, slot.slot_id)
                removed.append(slot.slot_id)
                continue
            else:
                slot = readdress(slot, key, epoch=new_cipher.epoch)
            accounts.put_slot(conn, slot, username=owner)
            assert public is not None
            new_members[slot.slot_id] = public
            carried.append(slot.slot_id)
    finally:
        wipe(key)
    return carried, left_behind, removed, recovery_key, new_members


def _allowed(slot_id: str, owner: str | None, users: dict) -> bool:
    if owner is None:
        return slot_id == accounts.RECOVERY_SLOT_ID
    user = users.get(owner)
    return user is not None and user.active and slot_id == accounts.user_slot_id(owner)


# -- re-encryption ----------------------------------------------------------------
def pending_reencryption(ctx: ServiceContext) -> rekey.Progress | None:
    """What is left to re-encrypt under the current key (None: nothing)."""
    with ctx.writing() as conn:     # load() may restart a garbled progress record
        return rekey.load(conn, epoch=ctx.repo.cipher.epoch)


def reencrypt(ctx: ServiceContext, *, chunk_rows: int = CHUNK_ROWS,
              on_progress: Callable[[int, int], None] | None = None,
              after_chunk: Callable[[int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> ReencryptionReport:
    """Re-seal every row still under an earlier key, one short transaction per chunk.

    ``on_progress(done, total)`` after each chunk; ``after_chunk(chunks_committed)``
    is a hook for tests and benchmarks; ``cancelled()`` stops between chunks (the
    position is saved, the next call continues). A lock ends it the same way."""
    chunks = 0
    progress: rekey.Progress | None = None
    while True:
        if cancelled is not None and cancelled():
            break
        try:
            with ctx.writing() as conn:
                cipher = ctx.repo.cipher
                progress = rekey.step(conn, cipher, rows=chunk_rows)
                if progress is not None and progress.finished:
                    ctx.log_event(conn, REENCRYPTED_ACTION, detail=(
                        f"key epoch {cipher.epoch}: {progress.done} records"
                        + (f", {progress.damaged} damaged left as they were"
                           if progress.damaged else "")))
        except Locked:
            break
        if progress is None:
            return ReencryptionReport(0, 0, 0, True)
        chunks += 1
        if on_progress is not None:
            on_progress(min(progress.done, progress.total), progress.total)
        if after_chunk is not None:
            after_chunk(chunks)
        if progress.finished:
            break
    if progress is None:
        return ReencryptionReport(0, 0, 0, False)
    return ReencryptionReport(progress.done, progress.total, progress.damaged, progress.finished)
