"""Who may do what: the one table of actions and the roles allowed each.

The services call :func:`require` before every action, the GUI asks :func:`allowed`
to enable or hide what a role may not do, and every ``lantern`` command that opens the
vault names its action (``lantern.cli.common.add_leaf``) and is refused up front by
the same table. ``docs/vault.md`` ("Roles") describes it for people;
``tests/unit/cli/test_cli_roles.py`` walks all of it through the CLI.
"""

from __future__ import annotations

from lantern.domain.errors import PermissionDenied
from lantern.domain.records import Role, User

_ALL = frozenset(Role)
_CLINICAL = frozenset({Role.ADMIN, Role.CLINICIAN})
_ADMIN = frozenset({Role.ADMIN})

PERMISSIONS: dict[str, frozenset[Role]] = {
    "patient.read": _ALL,
    "patient.write": _ALL,            # register / correct demographics
    "encounter.draft": _ALL,          # start an encounter, vitals, draft note
    "encounter.sign": _CLINICAL,
    "encounter.amend": _CLINICAL,
    "encounter.take_over": _CLINICAL,  # continue a colleague's draft (confirmed, audited)
    "allergy.write": _ALL,            # intake staff record allergies
    "medication.write": _CLINICAL,
    "orders.write": _CLINICAL,        # prescribe in an encounter, override alerts with a reason
    "problem.write": _CLINICAL,
    "assessment.write": _CLINICAL,
    "summary.write": _CLINICAL,
    "followup.read": _ALL,            # the follow-up list (tracing calls are everyone's work)
    "followup.write": _CLINICAL,      # confirm / schedule a follow-up (a clinical decision)
    "followup.outcome": _ALL,         # record a tracing outcome (came, called, moved, ...)
    "export": _CLINICAL,              # export / print patient records
    "vault.verify": _CLINICAL,
    "vault.backup": _CLINICAL,        # a copy of the whole (encrypted) vault
    "vault.reencrypt": _ALL,          # finish a re-encryption: changes no record, only its key
    "passphrase.change": _ALL,        # one's own passphrase
    "patient.merge": _ADMIN,          # merge two records of one patient, and undo it
    "users.manage": _ADMIN,           # users, recovery key, key-derivation cost
    "audit.read": _ADMIN,
    "report.aggregate": _ALL,         # counts only: no names, no ids (issue 17)
    "report.linelist": _CLINICAL,     # notifiable cases with name, village, phone (audited)
    "alert.acknowledge": _CLINICAL,   # a surveillance alert was seen and acted on (audited)
    "sync.usb": _CLINICAL,            # export / import a USB sync bundle, sync status
    # sync with the clinic's server: every laptop (a triage nurse's too) must bring its
    # events in and out; only sealed events of this clinic move, the merge rules decide
    "sync.server": _ALL,
    "device.enrol": _ADMIN,           # write an enrolment package: a copy of the vault for a new laptop
    "device.revoke": _ADMIN,          # revoke a lost laptop (and change the data key)
    "device.list": _CLINICAL,         # the laptops this vault knows
}

# What each action is called in a refusal, so the message says what was refused.
ACTION_NAMES: dict[str, str] = {
    "patient.read": "open patient records",
    "patient.write": "register or correct patients",
    "encounter.draft": "write draft notes",
    "encounter.sign": "sign notes",
    "encounter.amend": "amend signed notes",
    "encounter.take_over": "take over a colleague's draft",
    "allergy.write": "record allergies",
    "medication.write": "record medications",
    "orders.write": "prescribe or override prescribing alerts",
    "problem.write": "change the problem list",
    "assessment.write": "save assessments",
    "summary.write": "save summaries",
    "followup.read": "see the follow-up list",
    "followup.write": "schedule follow-ups",
    "followup.outcome": "record follow-up outcomes",
    "export": "export or print records",
    "vault.verify": "verify the vault",
    "vault.backup": "back up the vault",
    "vault.reencrypt": "re-encrypt records after a key change",
    "passphrase.change": "change a passphrase",
    "patient.merge": "merge or unmerge patient records",
    "users.manage": "manage users and vault keys",
    "audit.read": "read the audit trail",
    "report.aggregate": "produce aggregate reports",
    "report.linelist": "produce a line list of notifiable cases",
    "alert.acknowledge": "acknowledge surveillance alerts",
    "sync.usb": "sync with other laptops by USB bundle",
    "sync.server": "sync with the clinic's server",
    "device.enrol": "enrol a laptop into the clinic",
    "device.revoke": "revoke a laptop",
    "device.list": "list the clinic's laptops",
}


def allowed(user: User, permission: str) -> bool:
    return user.active and user.role in PERMISSIONS[permission]


def require(user: User, permission: str) -> None:
    if not user.active:
        raise PermissionDenied("Not allowed: this account is deactivated.")
    if not allowed(user, permission):
        who = sorted(r.value for r in PERMISSIONS[permission])
        raise PermissionDenied(
            f"Not allowed: your role ({user.role.value}) may not "
            f"{ACTION_NAMES.get(permission, permission)}; this needs {' or '.join(who)}.")
