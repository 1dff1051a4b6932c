"""Vault commands: init, user, patient, note, audit, vault."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from lantern.cli import common, registration_cmds
from lantern.domain.errors import DamagedRecord, IntegrityError, PossibleDuplicate, ValidationError
from lantern.domain.records import Caregiver, NoteStatus, Role, UnreadableRecord, Vitals
from lantern.services.roles import allowed, require


def _out(text: str = "") -> None:
    print(common.shown(text), flush=True)


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
        rotation = session.users.deactivate_user(args.target).rotation
        _out(f"Deactivated {args.target}; the vault's data key was changed (key epoch "
             f"{rotation.epoch}).")
        for slot_id in rotation.left_behind:
            _out(f"Key slot {slot_id} is in the old format and could not receive the new key: "
                 "reset that user's passphrase with 'lantern vault recover'.")
        if rotation.new_recovery_key:
            _out("NEW RECOVERY KEY (the old recovery key could not receive the new data key; "
                 "shown only this once):")
            _out(f"    {rotation.new_recovery_key}")
        _reencrypt(session)
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
    name, village, phone, cg_name, cg_relation, cg_phone = (
        common.typed_text(value or "", label=label, multiline=False)
        for value, label in ((args.name, "The name"), (args.village, "The village"),
                             (args.phone, "The phone number"),
                             (args.caregiver_name, "The caregiver's name"),
                             (args.caregiver_relation, "The caregiver's relation"),
                             (args.caregiver_phone, "The caregiver's phone number")))
    with common.open_session(args) as session:
        try:
            patient = session.records.add_patient(
                name=name, sex=args.sex, birth_date=_birth_date(args.birth_date),
                birth_year=args.birth_year, village=village, phone=phone,
                caregiver=Caregiver(name=cg_name, relation=cg_relation, phone=cg_phone),
                confirmed_new=args.new_patient)
        except PossibleDuplicate as exc:
            return registration_cmds.report_duplicates(exc)
    _out(patient.id)
    return 0


def cmd_patient_list(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        rows = session.records.search_patients(args.search or "", limit=args.limit)
        for p in rows:
            fields = (p.id, p.name, p.sex.value, common.summary_age(p), p.village, p.phone)
            _out("\t".join(common.shown(f, single_line=True) for f in fields))
        damaged = session.records.damaged_patient_ids()
    if damaged:
        print(f"lantern: {len(damaged)} damaged patient record(s) not shown; "
              "run 'lantern vault verify'", file=sys.stderr)
    return 0


# `patient show` printed everything it could, but some records of the patient cannot be
# read (damaged, or missing by the vault state): the chart on screen is incomplete.
EXIT_UNREADABLE_RECORDS = 5
UNREADABLE_TEXT = "RECORD DAMAGED: cannot be read"


def _unreadable(item: UnreadableRecord) -> str:
    where = item.ref + (", missing" if item.kind == "missing" else "")
    return f"{UNREADABLE_TEXT} [{where}]"


def _chart_line(label: str, items: list, *, shown: Callable[[Any], str], keep: Callable[[Any], bool],
                empty: str) -> str:
    parts = [_unreadable(i) if isinstance(i, UnreadableRecord) else shown(i)
             for i in items if isinstance(i, UnreadableRecord) or keep(i)]
    return f"{label}: " + (", ".join(parts) or empty)


def cmd_patient_show(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        rec = session.records
        p = rec.get_patient(args.patient_id)
        born = p.birth_date.isoformat() if p.birth_date else (str(p.birth_year or "") or "unknown")
        age = p.age()
        _out(f"{p.id}  {p.name}  ({p.sex.value}, {age.text() + ', ' if age else ''}born {born})")
        _out(f"Village: {p.village or '-'}   Phone: {p.phone or '-'}")
        if p.caregiver:
            _out(f"Caregiver: {p.caregiver.line()}")
        if p.merged_into:
            _out(f"Merged into {p.merged_into} (its records are shown there)")
        allergies, meds = rec.list_allergies(p.id), rec.list_medications(p.id)
        problems, encounters = rec.list_problems(p.id), rec.list_encounters(p.id)
        _out(_chart_line("Allergies", allergies, shown=lambda a: a.substance, keep=lambda a: True,
                         empty="none recorded"))
        _out(_chart_line("Medications", meds, shown=lambda m: f"{m.name} {m.dose}".strip(),
                         keep=lambda m: m.active, empty="none"))
        _out(_chart_line("Problems", problems, shown=lambda x: x.description,
                         keep=lambda x: x.resolved is None, empty="none"))
        for enc in encounters:
            _out("")
            if isinstance(enc, UnreadableRecord):
                _out(f"== Encounter {enc.id}: {_unreadable(enc)}")
                continue
            when = enc.created_at.strftime("%Y-%m-%d %H:%M") if enc.created_at else ""
            _out(f"== Encounter {enc.id} {when} by {enc.author} [{enc.status.value}]")
            vitals = ", ".join(f"{k}={v:g}" for k, v in enc.vitals.as_dict().items())
            if vitals:
                _out(f"Vitals: {vitals}")
            _out(enc.note)
            for a in enc.amendments:
                _out(f"-- amendment by {a.author} at {a.at:%Y-%m-%d %H:%M}: {a.text}")
    unreadable = [i for i in (*allergies, *meds, *problems, *encounters)
                  if isinstance(i, UnreadableRecord)]
    if unreadable:
        print(f"lantern: warning: {len(unreadable)} record(s) of this patient cannot be read "
              f"({', '.join(sorted({i.table for i in unreadable}))}); this chart is incomplete. "
              "Run 'lantern vault verify' or restore a backup.", file=sys.stderr)
        return EXIT_UNREADABLE_RECORDS
    return 0


# -- notes ---------------------------------------------------------------------------------
def cmd_note_add(args: argparse.Namespace) -> int:
    text = common.typed_text(common.read_text_input(args.source, what="note file"),
                             label="The note")
    if not text.strip():
        raise ValidationError("The note is empty.")
    diagnoses = list(args.diagnosis or [])
    with common.open_session(args) as session:
        if diagnoses:   # refused before anything is saved
            require(session.user, "assessment.write")
        with session.writing():   # one transaction: the note and its diagnoses, or nothing
            enc = session.records.new_encounter(args.patient, clinical_date=args.date)
            enc = session.records.save_draft(enc.id, note=text, vitals=Vitals())
            if not args.draft and allowed(session.user, "encounter.sign"):
                enc = session.records.sign_encounter(enc.id)
            if diagnoses:
                session.records.confirm_diagnoses(enc.id, diagnoses)
    state = "signed" if enc.status is NoteStatus.SIGNED else "saved as draft"
    _out(f"{enc.id}\t{state}")
    return 0


def cmd_note_sign(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        enc = session.records.sign_encounter(args.encounter_id)
    _out(f"{enc.id}\tsigned")
    return 0


def cmd_note_amend(args: argparse.Namespace) -> int:
    text = common.typed_text(common.read_text_input(args.source, what="amendment file"),
                             label="The amendment")
    with common.open_session(args) as session:
        enc = session.records.amend_encounter(args.encounter_id, text)
    _out(f"{enc.id}\tamended")
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
        _reencrypt(session)
    return 0


def cmd_vault_reencrypt(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        if session.pending_reencryption() is None:
            _out("Every record is already encrypted under the current data key.")
            return 0
        _reencrypt(session)
    return 0


def _reencrypt(session: Any) -> None:
    """Re-encrypt under the new data key with progress on stderr; Ctrl-C stops between
    chunks and keeps the position ('lantern vault reencrypt' continues)."""
    tty = sys.stderr.isatty()
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if tty:
            print(f"\rRe-encrypting records under the new key: {done}/{total} ({percent}%)",
                  end="", file=sys.stderr, flush=True)
        elif percent // 10 != shown[0]:
            shown[0] = percent // 10
            print(f"Re-encrypting records under the new key: {done}/{total} ({percent}%)",
                  file=sys.stderr, flush=True)

    try:
        report = session.reencrypt(on_progress=progress)
    except KeyboardInterrupt:
        print("\nlantern: re-encryption interrupted; the records done so far are kept. "
              "Run 'lantern vault reencrypt' to continue.", file=sys.stderr)
        raise
    if tty:
        print(file=sys.stderr)
    damaged = f" ({report.damaged} damaged records left as they were)" if report.damaged else ""
    _out(f"Re-encrypted {report.done} records under the current key{damaged}.")


def cmd_vault_raise_kdf(args: argparse.Namespace) -> int:
    with common.open_session(args) as session:
        params = session.raise_kdf(target_s=args.target_seconds)
    _out(f"Key derivation raised to Argon2id {params.memory_kib // 1024} MiB, "
         f"{params.iterations} passes; each user's key slot upgrades at their next unlock.")
    return 0


# -- registration ------------------------------------------------------------------------------
_leaf = common.add_leaf


def register(subparsers: argparse._SubParsersAction) -> None:
    p = _leaf(subparsers, "init", cmd_init, "create the clinic vault (prints the recovery key once)",
              action=None, user=False)
    p.add_argument("--clinic", required=True, metavar="NAME")
    p.add_argument("--admin", required=True, metavar="USER")

    user = subparsers.add_parser("user", help="manage users (admin)").add_subparsers(
        dest="user_command", metavar="ACTION", required=True)
    p = _leaf(user, "add", cmd_user_add, "add a user", action="users.manage")
    p.add_argument("--new-user", required=True, metavar="NAME")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--new-passphrase-file", metavar="FILE")
    _leaf(user, "list", cmd_user_list, "list users", action="users.manage")
    p = _leaf(user, "deactivate", cmd_user_deactivate, "deactivate a user", action="users.manage")
    p.add_argument("target", metavar="NAME")
    p = _leaf(user, "passphrase", cmd_passphrase, "change your passphrase", action="passphrase.change")
    p.add_argument("--new-passphrase-file", metavar="FILE")

    patient = subparsers.add_parser("patient", help="patients").add_subparsers(
        dest="patient_command", metavar="ACTION", required=True)
    p = _leaf(patient, "add", cmd_patient_add, "register a patient (prints the new id)", action="patient.write")
    p.add_argument("--name", required=True)
    p.add_argument("--sex", required=True, choices=["male", "female"])
    born = p.add_mutually_exclusive_group()
    born.add_argument("--birth-year", type=int, metavar="YYYY")
    born.add_argument("--birth-date", metavar="YYYY-MM-DD")
    p.add_argument("--village", default="")
    p.add_argument("--phone", default="")
    for part in ("name", "relation", "phone"):
        p.add_argument(f"--caregiver-{part}", default="", help=f"the caregiver's {part} (children)")
    p.add_argument("--new-patient", action="store_true",
                   help="register even though a similar patient exists (recorded in the audit trail)")
    p = _leaf(patient, "list", cmd_patient_list, "list or search patients", action="patient.read")
    p.add_argument("--search", metavar="Q", default="")
    p.add_argument("--limit", type=int, default=200)
    p = _leaf(patient, "show", cmd_patient_show, "show a patient's record", action="patient.read")
    p.add_argument("patient_id", metavar="ID")
    registration_cmds.register(patient)

    note = subparsers.add_parser("note", help="clinical notes").add_subparsers(
        dest="note_command", metavar="ACTION", required=True)
    p = _leaf(note, "add", cmd_note_add, "add a note (signed if your role may sign)", action="encounter.draft")
    p.add_argument("--patient", required=True, metavar="ID")
    p.add_argument("--draft", action="store_true", help="keep the note as a draft")
    p.add_argument("--date", type=common.iso_date, default=None, metavar="YYYY-MM-DD",
                   help="the day of care when it was not today (a back-entered register; "
                        "never in the future)")
    p.add_argument("--diagnosis", action="append", metavar="CONDITION_ID",
                   help="a confirmed diagnosis (knowledge-base condition id; repeatable; "
                        "clinician or admin)")
    p.add_argument("source", nargs="?", default="-", metavar="FILE|-")
    p = _leaf(note, "sign", cmd_note_sign, "sign a draft note", action="encounter.sign")
    p.add_argument("encounter_id", metavar="ENCOUNTER")
    p = _leaf(note, "amend", cmd_note_amend, "append an amendment to a signed note",
              action="encounter.amend")
    p.add_argument("encounter_id", metavar="ENCOUNTER")
    p.add_argument("source", nargs="?", default="-", metavar="FILE|-")

    audit = subparsers.add_parser("audit", help="audit trail").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True)
    _leaf(audit, "verify", cmd_audit_verify, "check the audit trail's hash chain (admin)", action="audit.read")

    vault = subparsers.add_parser("vault", help="vault maintenance").add_subparsers(
        dest="vault_command", metavar="ACTION", required=True)
    _leaf(vault, "verify", cmd_vault_verify, "decrypt every record and list those that fail", action="vault.verify")
    p = _leaf(vault, "backup", cmd_vault_backup, "copy the encrypted vault to a new file", action="vault.backup")
    p.add_argument("--to", required=True, metavar="FILE")
    p = _leaf(vault, "recover", cmd_vault_recover,
              "set a new passphrase for a user with the recovery key", action=None)
    p.add_argument("--recovery-key-file", metavar="FILE")
    p.add_argument("--new-passphrase-file", metavar="FILE")
    _leaf(vault, "new-recovery-key", cmd_vault_new_recovery_key,
          "replace the recovery key (admin; prints the new one once)", action="users.manage")
    _leaf(vault, "accept-state", cmd_vault_accept_state,
          "after reviewing an integrity alarm: record it in the audit trail and accept the "
          "vault as it is now (admin)", action="users.manage")
    _leaf(vault, "reencrypt", cmd_vault_reencrypt,
          "finish re-encrypting records after a key change (continues where it stopped)",
          action="vault.reencrypt")
    p = _leaf(vault, "raise-kdf", cmd_vault_raise_kdf,
              "recalibrate the passphrase key derivation to a longer time (admin)", action="users.manage")
    p.add_argument("--target-seconds", type=float, default=1.0, metavar="S")
