"""Key-slot maintenance: raising the KDF cost and replacing the recovery key.

The Argon2id parameters used for new slots live in the vault's ``meta`` table
(``kdf_params``, set at creation). An administrator can raise them; each user's
slot is then re-wrapped with the stronger parameters at that user's next unlock,
when the passphrase is at hand (old-format slots are rewritten in the current
format then too). Replacing the recovery key also changes the data key
(:mod:`lantern.services.rotation`), so a copy of the old recovery slot put back
into the file opens nothing current.
"""

from __future__ import annotations

import json
import logging
import sqlite3

from lantern.domain.errors import ValidationError
from lantern.domain.records import User
from lantern.services.context import ServiceContext
from lantern.services.credentials import slot_params
from lantern.services.roles import require
from lantern.services.rotation import revoke_and_rotate
from lantern.vault import accounts, keyring
from lantern.vault.crypto import RecordCipher, wipe
from lantern.vault.kdf import KdfParams, calibrate
from lantern.vault.keyslots import WrappedSlot, new_recovery_key, normalize_recovery_key, wrap
from lantern.vault.store import Store

log = logging.getLogger(__name__)


def _weaker(current: KdfParams, wanted: KdfParams) -> bool:
    return current.memory_kib < wanted.memory_kib or current.iterations < wanted.iterations


def upgrade_slot_if_weaker(store: Store, *, user: User, slot: WrappedSlot, passphrase: str,
                           cipher: RecordCipher, legacy: bool = False) -> bool:
    """Re-wrap ``user``'s slot when its KDF parameters are below the vault's, or when
    it is an old-format slot (``legacy``) that a key rotation could not carry over."""
    with store.reading() as conn:
        wanted = slot_params(conn)
    current = KdfParams.from_dict(json.loads(slot.kdf_json))
    if not _weaker(current, wanted) and not legacy:
        return False
    stronger = KdfParams(memory_kib=max(current.memory_kib, wanted.memory_kib),
                         iterations=max(current.iterations, wanted.iterations))
    key = cipher.key_copy()
    try:
        new_slot = wrap(key, slot_id=slot.slot_id, secret=passphrase, params=stronger,
                        epoch=cipher.epoch)
    finally:
        wipe(key)
    with store.transaction() as conn:
        keyring.put_member_slot(conn, cipher, new_slot, username=user.username)
    log.info("key slot re-wrapped (stronger KDF parameters or current slot format)")
    return True


def raise_kdf(ctx: ServiceContext, *, target_s: float | None = None,
              params: KdfParams | None = None) -> KdfParams:
    """Set stronger parameters for every slot (admin). A slot can only be
    re-wrapped with its passphrase, so each one upgrades at its owner's next unlock."""
    require(ctx.user, "users.manage")
    if params is None:
        if target_s is None:
            raise ValidationError("Give a target time or explicit parameters.")
        params = calibrate(target_s)
    if not params.at_least_floor():
        raise ValidationError("These key-derivation parameters are below the safe minimum.")
    with ctx.writing() as conn:
        accounts.set_meta(conn, "kdf_params", json.dumps(params.as_dict()))
        ctx.log_event(conn, "change kdf",
                      detail=f"argon2id m={params.memory_kib}KiB t={params.iterations}")
    return params


def rotate_recovery_key(ctx: ServiceContext) -> str:
    """Replace the recovery slot (admin) and change the data key with it; the old
    recovery key, and any copy of its slot, stop working.

    Returns the new key, to be shown once."""
    require(ctx.user, "users.manage")
    key = new_recovery_key()
    with ctx.reading() as conn:
        params = slot_params(conn)
    slot = ctx.wrap_data_key(slot_id=accounts.RECOVERY_SLOT_ID,
                             secret=normalize_recovery_key(key), params=params)

    def revoke(conn: sqlite3.Connection) -> None:
        ctx.put_slot(conn, slot, username=None)
        ctx.log_event(conn, "new recovery key")

    revoke_and_rotate(ctx, reason="new recovery key", revoke=revoke)
    return key
