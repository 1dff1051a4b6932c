"""Key-slot maintenance: raising the KDF cost and replacing the recovery key.

The Argon2id parameters used for new slots live in the vault's ``meta`` table
(``kdf_params``, set at creation). An administrator can raise them; each user's
slot is then re-wrapped with the stronger parameters at that user's next unlock,
when the passphrase is at hand. Nothing else is re-encrypted.
"""

from __future__ import annotations

import json
import logging

from lantern.domain.errors import ValidationError
from lantern.domain.records import User
from lantern.services.context import ServiceContext
from lantern.services.credentials import slot_params
from lantern.services.roles import require
from lantern.vault import accounts
from lantern.vault.kdf import KdfParams, calibrate
from lantern.vault.keyslots import WrappedSlot, new_recovery_key, normalize_recovery_key, wrap
from lantern.vault.store import Store

log = logging.getLogger(__name__)


def _weaker(current: KdfParams, wanted: KdfParams) -> bool:
    return current.memory_kib < wanted.memory_kib or current.iterations < wanted.iterations


def upgrade_slot_if_weaker(store: Store, *, user: User, slot: WrappedSlot, passphrase: str,
                           data_key: bytearray) -> bool:
    """Re-wrap ``user``'s slot when its KDF parameters are below the vault's."""
    with store.reading() as conn:
        wanted = slot_params(conn)
    current = KdfParams.from_dict(json.loads(slot.kdf_json))
    if not _weaker(current, wanted):
        return False
    stronger = KdfParams(memory_kib=max(current.memory_kib, wanted.memory_kib),
                         iterations=max(current.iterations, wanted.iterations))
    new_slot = wrap(data_key, slot_id=slot.slot_id, secret=passphrase, params=stronger)
    with store.transaction() as conn:
        accounts.put_slot(conn, new_slot, username=user.username)
    log.info("key slot re-wrapped with stronger KDF parameters")
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
    """Replace the recovery slot (admin); the old recovery key stops working.

    Returns the new key, to be shown once."""
    require(ctx.user, "users.manage")
    key = new_recovery_key()
    with ctx.reading() as conn:
        params = slot_params(conn)
    slot = ctx.wrap_data_key(slot_id=accounts.RECOVERY_SLOT_ID,
                             secret=normalize_recovery_key(key), params=params)
    with ctx.writing() as conn:
        accounts.put_slot(conn, slot, username=None)
        ctx.log_event(conn, "new recovery key")
    return key
