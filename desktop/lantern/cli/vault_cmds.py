"""Vault commands: init, user, patient, note, audit, vault."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from lantern.cli import common
from lantern.domain.errors import DamagedRecord, IntegrityError, ValidationError
from lantern.domain.records import NoteStatus, Role, Vitals


def _out(text: str = "") -> None:
    print(text, flush=True)


# -- init ----------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from lantern.services.session import VaultSession

    secret = common.passphrase(args, confirm=True, prompt=f"New passphrase for {args.admin}: ")
    session, recovery_key = VaultSession.create(
        common.data_dir(args), clinic_name=args.clinic, admin_username=args.admin,
        passphrase=secret)
    try:
        _out(f"Created the vault for {session.clinic_name} in {session.path.parent}")
        _out(f"Administrator: {session.user.username}")
        _out("")
        _out("RECOVERY KEY (shown only this once; write it down and keep it locked away):")
        _out(f"    {recovery_key}")
    finally:
        session.lock()
    return 0


# -- users ----------------------------------------------------------------------------
def cmd_user_add(args: argparse.Namespace) -> int:
    new_secret = common.get_secret(file=args.new_passphrase_file, env=common.NEW_PASSPHRASE_ENV,
                                   prompt=f"New passphrase for {args.new_user}: ", confirm=True)
    with common.open_session(args) as session:
        user = session.users.add_user(username=args.new_user, role=args.role,
                                      passphrase=new_secret)
    _out(f"Added user {user.username} ({user.role.value})")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        for user in session.users.list_users():
            state = "active" if user.active else "deactivated"
            _out(f"{user.username}\t{user.role.value}\t{state}")
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        session.users.deactivate_user(args.target)
    _out(f"Deactivated {args.target}")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    new_secret = common.get_secret(file=args.new_passphrase_file, env=common.NEW_PASSPHRASE_ENV,
                                   prompt="New passphrase: ", confirm=True)
    old = common.passphrase(args, prompt=f"Current passphrase for {args.user}: ")
    from lantern.services.session import VaultSession

    session = VaultSession.unlock(common.data_dir(args), username=args.user, passphrase=old)
    try:
        session.change_passphrase(old, new_secret)
    finally:
        session.lock()
    _out("Passphrase changed.")
    return 0


# -- patients -------------------------------------------------------------------------
def _birth_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError("--birth-date must look like YYYY-MM-DD.") from exc


def cmd_patient_add(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        patient = session.records.add_patient(
            name=args.name, sex=args.sex, birth_date=_birth_date(args.birth_date),
            birth_year=args.birth_year, village=args.village or "", phone=args.phone or "")
    _out(patient.id)
    return 0


def _age(years: float | None) -> str:
    return "" if years is None else str(int(years))


def cmd_patient_list(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        rows = session.records.search_patients(args.search or "", limit=args.limit)
        for p in rows:
            _out("\t".join((p.id, p.name, p.sex.value, _age(p.age_years), p.village, p.phone)))
        damaged = session.records.damaged_patient_ids()
    if damaged:
        print(f"lantern: {len(damaged)} damaged patient record(s) not shown; "
              "run 'lantern vault verify'", file=sys.stderr)
    return 0


def cmd_patient_show(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        rec = session.records
        p = rec.get_patient(args.patient_id)
        born = p.birth_date.isoformat() if p.birth_date else (str(p.birth_year or "") or "unknown")
        _out(f"{p.id}  {p.name}  ({p.sex.value}, born {born})")
        _out(f"Village: {p.village or '-'}   Phone: {p.phone or '-'}")
        allergies = rec.list_allergies(p.id)
        _out("Allergies: " + (", ".join(a.substance for a in allergies) or "none recorded"))
        meds = [m for m in rec.list_medications(p.id) if m.active]
        _out("Medications: " + (", ".join(f"{m.name} {m.dose}".strip() for m in meds) or "none"))
        problems = [x for x in rec.list_problems(p.id) if x.resolved is None]
        _out("Problems: " + (", ".join(x.description for x in problems) or "none"))
        for enc in rec.list_encounters(p.id):
            when = enc.created_at.strftime("%Y-%m-%d %H:%M") if enc.created_at else ""
            _out("")
            _out(f"== Encounter {enc.id} {when} by {enc.author} [{enc.status.value}]")
            vitals = ", ".join(f"{k}={v:g}" for k, v in enc.vitals.as_dict().items())
            if vitals:
                _out(f"Vitals: {vitals}")
            _out(enc.note)
            for a in enc.amendments:
                _out(f"-- amendment by {a.author} at {a.at:%Y-%m-%d %H:%M}: {a.text}")
    return 0


# -- notes ---------------------------------------------------------------------------------
def cmd_note_add(args: argparse.Namespace) -> int:
    text = common.read_text_input(args.source, what="note file")
    if not text.strip():
        raise ValidationError("The note is empty.")
    with common.open_session(args) as session:
        enc = session.records.new_encounter(args.patient)
        enc = session.records.save_draft(enc.id, note=text, vitals=Vitals())
        if not args.draft and session.user.role in (Role.ADMIN, Role.CLINICIAN):
            enc = session.records.sign_encounter(enc.id)
    state = "signed" if enc.status is NoteStatus.SIGNED else "saved as draft"
    _out(f"{enc.id}\t{state}")
    return 0


# -- checks and backup -------------------------------------------------------------------------
def _state_findings(session: Any) -> list[str]:
    """The unlock's integrity findings, printed one per line (table and id named)."""
    lines = session.integrity.lines()
    for line in lines:
        _out(f"tampered: {line}")
    return lines


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with common.open_session(args, report_integrity=False) as session:
        result = session.audit.verify()
        findings = _state_findings(session)
    if not result.ok:
        raise IntegrityError(f"Audit trail broken at entry {result.first_bad_position}: "
                             f"{result.reason}." + (f" {len(findings)} integrity finding(s) "
                                                     "besides (listed above)." if findings else ""))
    if findings:
        raise IntegrityError(f"The vault's integrity check found {len(findings)} problem(s) "
                             "(listed above); the vault is open read-only.")
    _out(f"Audit trail intact ({result.checked} entries) and the vault matches its sealed state.")
    return 0


def cmd_vault_verify(args: argparse.Namespace) -> int:
    with common.open_session(args, report_integrity=False) as session:
        problems = session.integrity_problems()
        damaged = session.records.damaged_records()
        findings = _state_findings(session)
    for line in problems:
        _out(f"integrity: {line}")
    for table, record_id in damaged:
        _out(f"damaged: {table}/{record_id}")
    if findings:
        raise IntegrityError(f"{len(findings)} change(s) made outside Lantern, "
                             f"{len(damaged)} damaged record(s), "
                             f"{len(problems)} database integrity problem(s).")
    if problems or damaged:
        raise DamagedRecord(f"{len(damaged)} damaged record(s), "
                            f"{len(problems)} database integrity problem(s).")
    _out("All records decrypt, the vault matches its sealed state and the database "
         "integrity check is ok.")
    return 0


def cmd_vault_accept_state(args: argparse.Namespace) -> int:
    with common.open_session(args, report_integrity=False) as session:
        findings = _state_findings(session)
        if not findings:
            _out("Nothing to accept: the vault matches its sealed state.")
            return 0
        session.accept_integrity_findings()
    _out(f"Accepted {len(findings)} finding(s): they are recorded in the audit trail and the "
         "vault is writable again.")
    return 0


def cmd_vault_backup(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        target = session.backup_to(Path(args.to))
    _out(f"Backup written to {target}")
    return 0


def cmd_vault_recover(args: argparse.Namespace) -> int:
    from lantern.services.session import VaultSession

    if args.recovery_key_file:
        key = common.read_secret_file(args.recovery_key_file, what="recovery key")
    else:
        key = common.prompt_secret("Recovery key: ")
    new_secret = common.get_secret(file=args.new_passphrase_file, env=common.NEW_PASSPHRASE_ENV,
                                   prompt=f"New passphrase for {args.user}: ", confirm=True)
    session = VaultSession.recover(common.data_dir(args), recovery_key=key, username=args.user,
                                   new_passphrase=new_secret)
    session.lock()
    _out(f"New passphrase set for {args.user}.")
    return 0


def cmd_vault_new_recovery_key(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        key = session.rotate_recovery_key()
    _out("NEW RECOVERY KEY (shown only this once; the old one no longer works):")
    _out(f"    {key}")
    return 0


def cmd_vault_raise_kdf(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        params = session.raise_kdf(target_s=args.target_seconds)
    _out(f"Key derivation raised to Argon2id {params.memory_kib // 1024} MiB, "
         f"{params.iterations} passes; each user's key slot upgrades at their next unlock.")
    return 0


# -- registration ------------------------------------------------------------------------------
def _leaf(sub: argparse._SubParsersAction, name: str, func: Callable[[argparse.Namespace], int],
          help_text: str, *, user: bool = True) -> argparse.ArgumentParser:
    # no abbreviations: "--passphrase X" must not be taken for "--passphrase-file X"
    parser = sub.add_parser(name, help=help_text, description=help_text, allow_abbrev=False)
    common.add_vault_options(parser, user=user)
    parser.set_defaults(func=func)
    return parser


def register(subparsers: argparse._SubParsersAction) -> None:
    p = _leaf(subparsers, "init", cmd_init, "create the clinic vault (prints the recovery key once)",
              user=False)
    p.add_argument("--clinic", required=True, metavar="NAME")
    p.add_argument("--admin", required=True, metavar="USER")

    user = subparsers.add_parser("user", help="manage users (admin)").add_subparsers(
        dest="user_command", metavar="ACTION", required=True)
    p = _leaf(user, "add", cmd_user_add, "add a user")
    p.add_argument("--new-user", required=True, metavar="NAME")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--new-passphrase-file", metavar="FILE")
    _leaf(user, "list", cmd_user_list, "list users")
    p = _leaf(user, "deactivate", cmd_user_deactivate, "deactivate a user")
    p.add_argument("target", metavar="NAME")
    p = _leaf(user, "passphrase", cmd_passphrase, "change your passphrase")
    p.add_argument("--new-passphrase-file", metavar="FILE")

    patient = subparsers.add_parser("patient", help="patients").add_subparsers(
        dest="patient_command", metavar="ACTION", required=True)
    p = _leaf(patient, "add", cmd_patient_add, "register a patient (prints the new id)")
    p.add_argument("--name", required=True)
    p.add_argument("--sex", required=True, choices=["male", "female"])
    born = p.add_mutually_exclusive_group()
    born.add_argument("--birth-year", type=int, metavar="YYYY")
    born.add_argument("--birth-date", metavar="YYYY-MM-DD")
    p.add_argument("--village", default="")
    p.add_argument("--phone", default="")
    p = _leaf(patient, "list", cmd_patient_list, "list or search patients")
    p.add_argument("--search", metavar="Q", default="")
    p.add_argument("--limit", type=int, default=200)
    p = _leaf(patient, "show", cmd_patient_show, "show a patient's record")
    p.add_argument("patient_id", metavar="ID")

    note = subparsers.add_parser("note", help="clinical notes").add_subparsers(
        dest="note_command", metavar="ACTION", required=True)
    p = _leaf(note, "add", cmd_note_add, "add a note (signed if your role may sign)")
    p.add_argument("--patient", required=True, metavar="ID")
    p.add_argument("--draft", action="store_true", help="keep the note as a draft")
    p.add_argument("source", nargs="?", default="-", metavar="FILE|-")

    audit = subparsers.add_parser("audit", help="audit trail").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True)
    _leaf(audit, "verify", cmd_audit_verify, "check the audit trail's hash chain (admin)")

    vault = subparsers.add_parser("vault", help="vault maintenance").add_subparsers(
        dest="vault_command", metavar="ACTION", required=True)
    _leaf(vault, "verify", cmd_vault_verify, "decrypt every record and list those that fail")
    p = _leaf(vault, "backup", cmd_vault_backup, "copy the encrypted vault to a new file")
    p.add_argument("--to", required=True, metavar="FILE")
    p = _leaf(vault, "recover", cmd_vault_recover,
              "set a new passphrase for a user with the recovery key")
    p.add_argument("--recovery-key-file", metavar="FILE")
    p.add_argument("--new-passphrase-file", metavar="FILE")
    _leaf(vault, "new-recovery-key", cmd_vault_new_recovery_key,
          "replace the recovery key (admin; prints the new one once)")
    _leaf(vault, "accept-state", cmd_vault_accept_state,
          "after reviewing an integrity alarm: record it in the audit trail and accept the "
          "vault as it is now (admin)")
    p = _leaf(vault, "raise-kdf", cmd_vault_raise_kdf,
              "recalibrate the passphrase key derivation to a longer time (admin)")
    p.add_argument("--target-seconds", type=float, default=1.0, metavar="S")
