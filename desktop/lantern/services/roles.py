"""Who may do what. Enforced in the services; documented in docs/vault.md."""

from __future__ import annotations

from lantern.domain.errors import PermissionDenied
from lantern.domain.records import Role, User

_ALL = frozenset(Role)
_CLINICAL = frozenset({Role.ADMIN, Role.CLINICIAN})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "patient.read": _ALL,
    "patient.write": _ALL,            # register / correct demographics
    "encounter.draft": _ALL,          # start an encounter, vitals, draft note
    "encounter.sign": _CLINICAL,
    "encounter.amend": _CLINICAL,
    "encounter.take_over": _CLINICAL,  # continue a colleague's draft (confirmed, audited)
    "allergy.write": _ALL,            # intake staff record allergies
    "medication.write": _CLINICAL,
    "problem.write": _CLINICAL,
    "assessment.write": _CLINICAL,
    "summary.write": _CLINICAL,
    "export": _CLINICAL,              # export / print patient records
    "vault.verify": _CLINICAL,
    "users.manage": frozenset({Role.ADMIN}),
    "audit.read": frozenset({Role.ADMIN}),
}


def allowed(user: User, permission: str) -> bool:
    return user.active and user.role in PERMISSIONS[permission]


def require(user: User, permission: str) -> None:
    if not allowed(user, permission):
        action = permission.replace(".", " ")
        raise PermissionDenied(f"Your role ({user.role.value}) may not do this ({action}).")
