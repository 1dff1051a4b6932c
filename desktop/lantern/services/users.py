"""User accounts (admin only): add, list, deactivate. Each user gets a key slot.

Deactivating a user also changes the vault's data key (:mod:`lantern.services.rotation`),
so a copy of their old key slot no longer opens anything written afterwards.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from lantern.domain.errors import ValidationError
from lantern.domain.records import Role, User
from lantern.services.context import ServiceContext
from lantern.services.credentials import check_passphrase, check_username, slot_params
from lantern.services.roles import require
from lantern.services.rotation import RotationResult, revoke_and_rotate
from lantern.vault import accounts


@dataclass(frozen=True, slots=True)
class Deactivation:
    user: User
    rotation: RotationResult   # the key change that came with it (re-encryption follows)


class UsersService:
    def __init__(self, ctx: ServiceContext) -> None:
        ctx.ensure_unlocked()
        self._ctx = ctx
        self._roles: dict[str, Role | None] = {}

    def add_user(self, *, username: str, role: Role | str, passphrase: str,
                 display_name: str = "") -> User:
        require(self._ctx.user, "users.manage")
        username = check_username(username)
        check_passphrase(passphrase)
        try:
            role = Role(role)
        except ValueError as exc:
            raise ValidationError("Role must be admin, clinician or assistant.") from exc
        display_name = display_name.strip()[:80]
        with self._ctx.reading() as conn:
            if accounts.get_user(conn, username) is not None:
                raise ValidationError("That user name is taken; choose another.")
            params = slot_params(conn)
        slot = self._ctx.wrap_data_key(slot_id=accounts.user_slot_id(username), secret=passphrase,
                                       params=params)
        with self._ctx.writing() as conn:
            if accounts.get_user(conn, username) is not None:
                raise ValidationError("That user name is taken; choose another.")
            user = accounts.insert_user(conn, username=username, role=role,
                                        display_name=display_name)
            self._ctx.put_slot(conn, slot, username=username)
            self._ctx.log_event(conn, "user change", detail=f"added {username} ({role.value})")
        return user

    def list_users(self) -> list[User]:
        require(self._ctx.user, "users.manage")
        with self._ctx.reading() as conn:
            return accounts.list_users(conn)

    def deactivate_user(self, username: str) -> Deactivation:
        """Remove the user's key slot so they can no longer unlock, keep their history,
        and change the data key in the same transaction (re-encrypt afterwards)."""
        require(self._ctx.user, "users.manage")
        username = username.strip().lower()
        found: list[User] = []

        def revoke(conn: sqlite3.Connection) -> None:
            user = accounts.get_user(conn, username)
            if user is None:
                raise ValidationError("There is no such user.")
            if username == self._ctx.user.username:
                raise ValidationError("You cannot deactivate your own account.")
            if user.role is Role.ADMIN and accounts.count_active_admins(conn) <= 1:
                raise ValidationError("The last administrator cannot be deactivated.")
            accounts.set_active(conn, username, active=False)
            self._ctx.remove_slot(conn, accounts.user_slot_id(username))
            self._ctx.log_event(conn, "user change", detail=f"deactivated {username}")
            found.append(user)

        rotation = revoke_and_rotate(self._ctx, reason=f"deactivated {username}", revoke=revoke)
        self._roles.pop(username, None)
        with self._ctx.reading() as conn:
            return Deactivation(accounts.get_user(conn, username) or found[0], rotation)

    def role_of(self, username: str) -> Role | None:
        """The role of any user (for draft hand-over rules); no permission needed."""
        if username not in self._roles:
            with self._ctx.reading() as conn:
                user = accounts.get_user(conn, username)
            self._roles[username] = user.role if user else None
        return self._roles[username]
