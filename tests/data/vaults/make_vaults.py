"""Build ``schema-vN.db``: a vault as written by schema version N (upgrade tests).

Run from the repository root::

    PYTHONPATH=desktop python tests/data/vaults/make_vaults.py          # every missing version
    PYTHONPATH=desktop python tests/data/vaults/make_vaults.py 2 3      # (re)build these

Like ``make_v1_vault.py`` (which made ``schema-v1.db``), the file is created by
running the migrations only up to N, then writing rows with the low-level vault
code, so it holds what a Lantern of that schema version would have written.
Every file has user ``legacy`` (admin), passphrase ``legacy passphrase``, and one
patient "Legacy Patient" from "Old Village" (``PLEGACY01``). From version 2 on
(clinical tables) the patient also has a signed note (``ELEGACY01``) and an
allergy; from version 3 on (outputs) an assessment and a summary of that note;
from version 5 on (follow-ups) a follow-up of that note (``FLEGACY01``, due 2026-01-22);
from version 7 on (alert acknowledgements) an acknowledged cholera alert (``KLEGACY01``).

When a migration is added, run this script for the new version and commit the
file: ``tests/unit/vault/test_vault_schema.py`` expects one file per version.
A saved file is never rebuilt for an old version unless that migration changed.

``--app NAME`` builds ``NAME.db`` another way: through the public services
(``VaultSession`` and ``session.records``) of whatever Lantern is on
``PYTHONPATH``, with every kind of encrypted record the app stores, so the file
holds exactly what that Lantern wrote. ``schema-v3-app-5e68646.db`` was made
from commit 5e68646, the last code whose payloads had no format version
(``docs/vault.md``, "Payload versions")::

    git worktree add /tmp/lantern-5e68646 5e68646
    LANTERN_KDF_PROFILE=test PYTHONPATH=/tmp/lantern-5e68646/desktop \
        python tests/data/vaults/make_vaults.py --app schema-v3-app-5e68646
    git worktree remove /tmp/lantern-5e68646

Its user is ``appadmin`` (admin), passphrase ``app vault passphrase``; record ids
are random, so tests find records by content. ``tests/unit/vault/test_saved_app_vault.py``
checks that none of its payloads carries a version and reads every record back.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import sys
import tempfile
from datetime import date
from pathlib import Path

from lantern.domain.records import Role, Vitals
from lantern.services.session import VaultSession
from lantern.services.summaries import SummaryService
from lantern.vault import accounts
from lantern.vault.audit import AuditChain, now_iso
from lantern.vault.crypto import RecordCipher, random_key
from lantern.vault.kdf import FLOOR
from lantern.vault.keyslots import wrap
from lantern.vault.schema import SCHEMA_VERSION, migrate
from lantern.vault.state import VaultState
from lantern.vault.store import vault_path

HERE = Path(__file__).resolve().parent
USERNAME = "legacy"
PASSPHRASE = "legacy passphrase"
CLINIC = "Legacy Clinic"
PATIENT_ID = "PLEGACY01"
ENCOUNTER_ID = "ELEGACY01"
ALLERGY_ID = "ALEGACY01"
ASSESSMENT_ID = "DLEGACY01"
SUMMARY_ID = "SLEGACY01"
FOLLOWUP_ID = "FLEGACY01"
ALERT_ACK_ID = "KLEGACY01"
NOTE = "Legacy note: cough for 3 days, no fever. Plan: fluids, review in 1 week."
SIGNED_AT = "2026-01-15T10:30:00+00:00"


class UnversionedRows:
    """Writes record rows as every Lantern before payload versions did: the payload
    sealed exactly as given, without a format version (so format 1). ``build``
    writes with it, so the saved files can be rebuilt as they were."""

    def __init__(self, cipher: RecordCipher, *, bound: bool = False) -> None:
        self.cipher = cipher
        self.bound = bound  # schema 4 on: blob format 2, bound to the owner (payload format 1)

    def insert(self, conn: sqlite3.Connection, table: str, *, row_id: str, payload: dict,
               patient_id: str | None = None, encounter_id: str | None = None) -> None:
        at = now_iso()
        row = {"id": row_id, "created_at": at, "updated_at": at, "version": 1,
               "data": self.cipher.seal(payload, table=table, column="data", row_id=row_id,
                                        version=1,
                                        owner=(patient_id, encounter_id) if self.bound else None,
                                        payload_format=1 if self.bound else None)}
        if patient_id is not None:
            row["patient_id"] = patient_id
        if encounter_id is not None:
            row["encounter_id"] = encounter_id
        marks = ", ".join("?" for _ in row)
        conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values()))


def file_for(version: int) -> Path:
    return HERE / f"schema-v{version}.db"


def build(path: Path, version: int) -> None:
    if not 1 <= version <= SCHEMA_VERSION:
        raise SystemExit(f"schema version must be 1..{SCHEMA_VERSION}")
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA page_size = 1024")   # small files: most tables hold one row
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=version)
    key = random_key()
    slot = wrap(key, slot_id=accounts.user_slot_id(USERNAME), secret=PASSPHRASE, params=FLOOR)
    cipher = RecordCipher(key)
    repo, chain = UnversionedRows(cipher, bound=version >= 4), AuditChain(cipher)
    conn.execute("BEGIN IMMEDIATE")
    accounts.set_meta(conn, "clinic_name", CLINIC)
    accounts.insert_user(conn, username=USERNAME, role=Role.ADMIN)
    accounts.put_slot(conn, slot, username=USERNAME)
    chain.append(conn, username=USERNAME, action="create vault")
    if version >= 4:
        accounts.set_meta(conn, "record_blob_format", "2")
        chain.append(conn, username=USERNAME, action="seal vault state")
    repo.insert(conn, "patients", row_id=PATIENT_ID, payload={
        "name": "Legacy Patient", "sex": "female", "birth_date": None, "birth_year": 1970,
        "village": "Old Village", "phone": ""})
    chain.append(conn, username=USERNAME, action="create patient", patient_id=PATIENT_ID)
    if version >= 2:
        repo.insert(conn, "encounters", row_id=ENCOUNTER_ID, patient_id=PATIENT_ID, payload={
            "author": USERNAME, "note": NOTE,
            "vitals": {"temp_c": 36.8, "heart_rate": 80, "resp_rate": 16},
            "pregnant": False, "status": "signed", "signed_by": USERNAME,
            "signed_at": SIGNED_AT, "amendments": []})
        chain.append(conn, username=USERNAME, action="sign", patient_id=PATIENT_ID,
                     record_id=ENCOUNTER_ID)
        repo.insert(conn, "allergies", row_id=ALLERGY_ID, patient_id=PATIENT_ID, payload={
            "substance": "penicillin", "reaction": "rash", "severity": "moderate"})
        chain.append(conn, username=USERNAME, action="add allergy", patient_id=PATIENT_ID,
                     record_id=ALLERGY_ID)
    if version >= 3:
        repo.insert(conn, "assessments", row_id=ASSESSMENT_ID, patient_id=PATIENT_ID,
                    encounter_id=ENCOUNTER_ID, payload={
                        "suggested": ["common_cold"], "chosen": "common_cold",
                        "triage": "routine"})
        chain.append(conn, username=USERNAME, action="save assessment", patient_id=PATIENT_ID,
                     record_id=ASSESSMENT_ID)
        repo.insert(conn, "summaries", row_id=SUMMARY_ID, patient_id=PATIENT_ID,
                    encounter_id=ENCOUNTER_ID, payload={
                        "kind": "note", "text": "Cough for 3 days. Plan: fluids.",
                        "signed_by": USERNAME})
        chain.append(conn, username=USERNAME, action="save summary", patient_id=PATIENT_ID,
                     record_id=SUMMARY_ID)
    if version >= 5:
        repo.insert(conn, "followups", row_id=FOLLOWUP_ID, patient_id=PATIENT_ID,
                    encounter_id=ENCOUNTER_ID, payload={
                        "due": "2026-01-22", "programme": "", "reason": "review in 1 week",
                        "visit_date": "2026-01-15", "source": "note", "created_by": USERNAME,
                        "outcomes": []})
        chain.append(conn, username=USERNAME, action="add follow-up", patient_id=PATIENT_ID,
                     record_id=FOLLOWUP_ID)
    if version >= 7:
        repo.insert(conn, "alert_acks", row_id=ALERT_ACK_ID, payload={
            "key": "cholera/2026-W03/single_case/v1", "condition_id": "cholera",
            "week": "2026-W03", "rule": "single_case", "village": "Old Village", "count": 1,
            "acknowledged_by": USERNAME, "acknowledged_at": "2026-01-16T08:00:00+00:00"})
        chain.append(conn, username=USERNAME, action="acknowledge alert",
                     record_id=ALERT_ACK_ID, detail="alert cholera/2026-W03/single_case/v1")
    if version >= 4:
        VaultState(cipher).reseal(conn)   # as every write of schema 4 leaves it
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.close()
    cipher.close()
    os.chmod(path, 0o600)


APP_PASSPHRASE = "app vault passphrase"


def build_with_app(path: Path) -> None:
    """A vault made by the services of the Lantern on PYTHONPATH (see the module doc)."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        session, _recovery_key = VaultSession.create(
            data_dir, clinic_name="App Clinic", admin_username="appadmin",
            passphrase=APP_PASSPHRASE)
        try:
            _fill_with_app(session)
        finally:
            session.lock()
        source = vault_path(data_dir)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        conn = sqlite3.connect(source, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")   # page size changes only outside WAL
        conn.execute("PRAGMA page_size = 1024")
        conn.execute("VACUUM")
        conn.execute(f"VACUUM INTO '{path}'")
        conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    os.chmod(path, 0o600)


def _fill_with_app(session: VaultSession) -> None:
    rec = session.records
    amina = rec.add_patient(name="Amina Old", sex="female", birth_year=1988,
                            village="Old Village", phone="0712 000 111")
    li = rec.add_patient(name="李小梅", sex="female", birth_date=date(2019, 4, 1))
    baraka = rec.add_patient(name="Baraka Oldname", sex="male", birth_year=1950)
    rec.update_patient(dataclasses.replace(baraka, name="Baraka Newname", village="Hill"))

    signed = rec.new_encounter(amina.id)
    rec.save_draft(signed.id, note="Cough for 3 days, no fever. Plan: fluids, review in 1 week.",
                   vitals=Vitals(temp_c=36.8, heart_rate=80, resp_rate=16, sbp=118, dbp=76),
                   pregnant=True)
    rec.sign_encounter(signed.id)
    rec.amend_encounter(signed.id, "Review moved to 5 days.")
    draft = rec.new_encounter(li.id)
    rec.save_draft(draft.id, note="发热两天，咳嗽。", vitals=Vitals(temp_c=38.9, spo2=95, weight_kg=14.5))
    rec.new_encounter(baraka.id)                     # an empty draft, never saved

    rec.add_allergy(amina.id, substance="penicillin", reaction="rash", severity="severe")
    wrong = rec.add_allergy(amina.id, substance="sulfa")
    rec.remove_allergy(wrong.id)
    rec.add_allergy(li.id, substance="peanuts")

    rec.add_medication(amina.id, name="amoxicillin", dose="500 mg", route="oral",
                       frequency="three times a day", started=date(2026, 1, 10))
    stopped = rec.add_medication(amina.id, name="paracetamol", started=date(2026, 1, 2))
    rec.stop_medication(stopped.id, stopped=date(2026, 1, 5))

    rec.add_problem(amina.id, description="Hypertension", icd10="I10", onset=date(2025, 6, 1))
    old = rec.add_problem(amina.id, description="Malaria")
    rec.resolve_problem(old.id, resolved=date(2026, 1, 20))

    rec.save_assessment(signed.id, {
        "action": "accept", "condition_id": "common_cold", "name": "Common cold",
        "suggested": [{"condition_id": "common_cold", "name": "Common cold", "score": 0.61}],
        "triage": "routine", "danger_signs": [], "kb_version": "app-vault", "llm_used": False})

    summaries = SummaryService()
    note = summaries.summarize("note", {"note": rec.get_encounter(signed.id).note},
                               use_llm=False)
    summaries.save(rec, summary=note, patient_id=amina.id, encounter_id=signed.id,
                   signed_by=session.user.username)
    referral = summaries.summarize("referral", {"note": rec.get_encounter(draft.id).note},
                                   use_llm=False)
    rec.save_summary_draft(draft.id, li.id, summaries.store_payload(referral))


def main(argv: list[str]) -> int:
    if argv[:1] == ["--app"] and len(argv) == 2:
        target = HERE / f"{argv[1]}.db"
        build_with_app(target)
        print(f"wrote {target.name} ({target.stat().st_size} bytes)")
        return 0
    versions = [int(a) for a in argv] or [v for v in range(1, SCHEMA_VERSION + 1)
                                           if not file_for(v).exists()]
    for version in versions:
        build(file_for(version), version)
        print(f"wrote {file_for(version).name} ({file_for(version).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
