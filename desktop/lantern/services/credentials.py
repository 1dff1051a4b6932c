"""Rules for user names and passphrases, and the KDF parameters of a new key slot.

Shared by the session (create, unlock, recover, change passphrase), the users
service (add a user) and key administration; it imports none of them.
"""

from __future__ import annotations

import json
import re
import sqlite3

from lantern.domain.errors import ValidationError
from lantern.vault import accounts
from lantern.vault.kdf import FLOOR, KdfParams, params_for_new_slot

MIN_PASSPHRASE = 8
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


def normalize_username(name: str) -> str:
    return name.strip().lower()


def is_valid_username(name: str) -> bool:
    """True for an already normalized name of the allowed shape."""
    return _USERNAME.match(name) is not None


def check_username(name: str) -> str:
    name = normalize_username(name)
    if not is_valid_username(name):
        raise ValidationError("A user name has 2–32 characters: lower-case letters, digits, '.', '_' or '-'.")
    return name


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"A passphrase needs at least {MIN_PASSPHRASE} characters.")
    return passphrase


def slot_params(conn: sqlite3.Connection) -> KdfParams:
    """KDF parameters for a slot written now: those calibrated when the vault was
    created (never below the floor), so adding a user does not re-calibrate."""
    stored = accounts.get_meta(conn, "kdf_params")
    if stored:
        try:  # an edited, out-of-bounds value is reported by the state check at unlock
            data = json.loads(stored)
            params = KdfParams.from_dict(data if isinstance(data, dict) else {})
        except (ValueError, KeyError, TypeError):
            return FLOOR
        if params.at_least_floor():
            return params
    return params_for_new_slot()
