"""User accounts (admin only): add, list, deactivate. Each user gets a key slot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lantern.domain.errors import ValidationError
from lantern.domain.records import Role, User
from lantern.services.roles import require
from lantern.vault import accounts
from lantern.vault.keyslots import wrap

if TYPE_CHECKING:
    from lantern.services.session import VaultSession


class UsersService:
    def __init__(self, session: VaultSession) -> None:
        self._s = session
        self._roles: dict[str, Role | None] = {}

    def add_user(self, *, username: str, role: Role | str, passphrase: str,
                 display_name: str = "") -> User:
        from lantern.services.session import check_passphrase, check_username, slot_params

        require(self._s.user, "users.manage")
        username = check_username(username)
        check_passphrase(passphrase)
        try:
            role = Role(role)
        except ValueError as exc:
            raise ValidationError("Role must be admin, clinician or assistant.") from exc
        display_name = display_name.strip()[:80]
        with self._s.reading() as conn:
            if accounts.get_user(conn, username) is not None:
                raise ValidationError("That user name is taken; choose another.")
            params = slot_params(conn)
        key = self._s._cipher.key_copy()
        try:
            slot = wrap(key, slot_id=accounts.user_slot_id(username), secret=passphrase,
                        params=params)
        finally:
            for i in range(len(key)):
                key[i] = 0
        with self._s.writing() as conn:
            if accounts.get_user(conn, username) is not None:
                raise ValidationError("That user name is taken; choose another.")
            user = accounts.insert_user(conn, username=username, role=role,
                                        display_name=display_name)
            accounts.put_slot(conn, slot, username=username)
            self._s.log_event(conn, "user change", detail=f"added {username} ({role.value})")
        return user

    def list_users(self) -> list[User]:
        require(self._s.user, "users.manage")
        with self._s.reading() as conn:
            return accounts.list_users(conn)

    def deactivate_user(self, username: str) -> User:
        """Remove the user's key slot so they can no longer unlock; keep their history."""
        require(self._s.user, "users.manage")
        username = username.strip().lower()
        with self._s.writing() as conn:
            user = accounts.get_user(conn, username)
            if user is None:
                raise ValidationError("There is no such user.")
            if username == self._s.user.username:
                raise ValidationError("You cannot deactivate your own account.")
            if user.role is Role.ADMIN and accounts.count_active_admins(conn) <= 1:
                raise ValidationError("The last administrator cannot be deactivated.")
            accounts.set_active(conn, username, active=False)
            accounts.delete_slot(conn, accounts.user_slot_id(username))
            self._s.log_event(conn, "user change", detail=f"deactivated {username}")
        self._roles.pop(username, None)
        with self._s.reading() as conn:
            return accounts.get_user(conn, username) or user

    def role_of(self, username: str) -> Role | None:
        """The role of any user (for draft hand-over rules); no permission needed."""
        if username not in self._roles:
            with self._s.reading() as conn:
                user = accounts.get_user(conn, username)
            self._roles[username] = user.role if user else None
        return self._roles[username]
