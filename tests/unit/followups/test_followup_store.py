"""Follow-ups stored in a real vault file: round trip, audit, sealed state, the index,
bad input (nothing saved), and the upgrade of a sealed schema-4 vault."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from lantern.domain.errors import NotFound, ValidationError
from lantern.domain.followups import Outcome, Window
from lantern.domain.records import Caregiver
from lantern.services.followups import INDEX_KEY, parse_due
from lantern.services.session import VaultSession
from lantern.vault.schema import SCHEMA_VERSION, schema_version
from lantern.vault.store import vault_path


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY
    TODAY = date.today()


refresh_dates()
SAVED_V4 = Path(__file__).parents[2] / "data" / "vaults" / "schema-v4.db"


def _patient(session, name: str, *, village: str = "Nakonde", phone: str = "0977 111 222",
             caregiver_phone: str = ""):
    return session.records.add_patient(
        name=name, sex="female", birth_year=1990, village=village, phone=phone,
        caregiver=Caregiver(name="Carer", relation="mother", phone=caregiver_phone),
        confirmed_new=True)


def _count(vault: Path, table: str) -> int:
    conn = sqlite3.connect(vault)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_round_trip_through_the_vault_file(session, unlock, vault_file):
    p = _patient(session, "Mary Phiri", caregiver_phone="0966 000 111")
    f = session.followups.add(patient_id=p.id, due=TODAY + timedelta(days=3), programme="tb",
                              reason="TB drugs refill in 1 month")
    session.lock()
    again = unlock()
    try:
        got = again.followups.get(f.id)
        assert (got.patient_id, got.due, got.programme, got.reason, got.outcome) == (
            p.id, TODAY + timedelta(days=3), "tb", "TB drugs refill in 1 month", None)
        [row] = again.followups.worklist(when=Window.WEEK)
        assert (row.name, row.phone, row.caregiver_phone, row.overdue_days) == (
            "Mary Phiri", "0977 111 222", "0966 000 111", -3)
        done = again.followups.record_outcome(f.id, "called")
        assert done.outcome is Outcome.CALLED and done.outcomes[-1].by == "admin"
        assert again.integrity_problems() == []
        actions = [e.action for e in again.audit.entries()]
        assert "add follow-up" in actions and "follow-up outcome" in actions
    finally:
        again.lock()
    # nothing of the patient is in clear in the file
    raw = vault_file.read_bytes() + vault_file.with_name(vault_file.name + "-wal").read_bytes() \
        if vault_file.with_name(vault_file.name + "-wal").exists() else vault_file.read_bytes()
    assert b"refill" not in raw and b"0966 000 111" not in raw
    assert (TODAY + timedelta(days=3)).isoformat().encode() not in raw


def test_windows_and_filters(session):
    a = _patient(session, "Overdue Olive", village="Hill")
    b = _patient(session, "Today Tom", village="River")
    c = _patient(session, "Later Lucy", village="River")
    fa = session.followups.add(patient_id=a.id, due=TODAY, programme="anc")
    fb = session.followups.add(patient_id=b.id, due=TODAY)
    fc = session.followups.add(patient_id=c.id, due=TODAY + timedelta(days=10),
                               programme="hiv_art")
    later = TODAY + timedelta(days=2)   # the list as it looks two days on
    assert [r.followup.id for r in session.followups.worklist(when="overdue", today=later)] == [
        fa.id, fb.id]
    assert [r.followup.id for r in session.followups.worklist(when="today")] == [fa.id, fb.id]
    assert [r.followup.id for r in session.followups.worklist(when="week")] == [fa.id, fb.id]
    assert {r.followup.id for r in session.followups.worklist()} == {fa.id, fb.id, fc.id}
    assert [r.followup.id for r in session.followups.worklist(programme="anc")] == [fa.id]
    assert [r.followup.id for r in session.followups.worklist(village="river")] == [fb.id, fc.id]
    session.followups.record_outcome(fb.id, Outcome.MOVED)   # closed: leaves the list
    assert [r.followup.id for r in session.followups.worklist(when="today")] == [fa.id]
    with pytest.raises(ValidationError, match="closed already"):
        session.followups.record_outcome(fb.id, "called")


def test_a_new_encounter_on_or_after_the_due_date_sets_came(session):
    p = _patient(session, "Came Back")
    due_today = session.followups.add(patient_id=p.id, due=TODAY)
    future = session.followups.add(patient_id=p.id, due=TODAY + timedelta(days=5))
    assert session.followups.record_visits() == 0          # no encounter since
    enc = session.records.new_encounter(p.id)
    assert [r.followup.id for r in session.followups.worklist()] == [future.id]
    assert session.followups.record_visits() == 1
    got = session.followups.get(due_today.id)
    assert got.outcome is Outcome.CAME and got.outcomes[-1].auto
    assert got.outcomes[-1].encounter_id == enc.id and got.outcomes[-1].by == ""
    assert session.followups.get(future.id).outcome is None   # came early: left to the clinician
    assert session.followups.record_visits() == 0
    assert session.integrity_problems() == []


def test_bad_input_saves_nothing(session, vault_file):
    p = _patient(session, "Bad Input")
    before = _count(vault_file, "followups"), len(session.audit.entries())
    with pytest.raises(ValidationError, match="before the visit"):
        session.followups.add(patient_id=p.id, due=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="more than two years"):
        session.followups.add(patient_id=p.id, due=TODAY + timedelta(days=900))
    with pytest.raises(NotFound, match="No such patient"):
        session.followups.add(patient_id="PNOBODY1", due=TODAY)
    with pytest.raises(ValidationError, match="Unknown programme"):
        session.followups.add(patient_id=p.id, due=TODAY, programme="dentistry")
    with pytest.raises(ValidationError, match="Not a valid date"):
        parse_due("2026-02-30")
    with pytest.raises(ValidationError, match="Unknown outcome"):
        session.followups.record_outcome("FX", "vanished")
    with pytest.raises(NotFound):
        session.followups.record_outcome("FNOTHERE", "came")
    assert (_count(vault_file, "followups"), len(session.audit.entries())) == before


def test_confirm_from_an_encounter_uses_its_visit_date(session):
    p = _patient(session, "Proposal Patient")
    enc = session.records.new_encounter(p.id)
    session.records.save_draft(enc.id, note="Cough. Review in 3 days, sooner if worse.",
                               vitals=enc.vitals)
    [proposal] = session.followups.proposals(enc.id)
    assert proposal.due == TODAY + timedelta(days=3) and proposal.source == "note"
    f = session.followups.confirm(enc.id, due=proposal.due, reason=proposal.reason)
    assert f.encounter_id == enc.id and f.visit_date == TODAY
    with pytest.raises(ValidationError, match="before the visit"):
        session.followups.confirm(enc.id, due=TODAY - timedelta(days=2))
    session.followups.decline(enc.id)
    assert "decline follow-up" in [e.action for e in session.audit.entries()]
    assert session.integrity_problems() == []


def test_the_index_is_one_blob_and_stale_entries_are_reread(session, unlock, vault_file):
    p = _patient(session, "Index Ida")
    q = _patient(session, "Index Ivan")
    f1 = session.followups.add(patient_id=p.id, due=TODAY)
    f2 = session.followups.add(patient_id=q.id, due=TODAY)
    session.lock()
    conn = sqlite3.connect(vault_file)
    assert conn.execute("SELECT key FROM followup_index WHERE key NOT LIKE 'dx_index:%'"
                        ).fetchall() == [(INDEX_KEY,)]     # beside the reports' diagnosis index
    # an index replaced by garbage is rebuilt from the rows, never trusted
    conn.execute("UPDATE followup_index SET data = x'00'")
    conn.commit()
    conn.close()
    again = unlock()
    try:
        assert again.integrity_problems() == []         # the cache is not sealed state
        assert {r.followup.id for r in again.followups.worklist()} == {f1.id, f2.id}
        again.records.merge_patients(keep_id=p.id, merged_id=q.id)   # moves f2 (new version)
        rows = again.followups.worklist()
        assert {r.followup.patient_id for r in rows} == {p.id}
    finally:
        again.lock()


def test_sealed_state_catches_a_follow_up_removed_outside(session, unlock, vault_file):
    p = _patient(session, "Sealed Sam")
    session.followups.add(patient_id=p.id, due=TODAY)
    session.lock()
    conn = sqlite3.connect(vault_file)
    conn.execute("DELETE FROM followups")
    conn.commit()
    conn.close()
    again = unlock()
    try:
        assert not again.integrity.ok
        assert any(f.table == "followups" and f.kind == "rows deleted"
                   for f in again.integrity.findings)
    finally:
        again.lock()


def test_a_sealed_schema_4_vault_upgrades_cleanly_and_audits_it(data_dir):
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_V4, vault_path(data_dir))
    session = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase",
                                  sleep=lambda s: None)
    try:
        assert session.integrity.ok and session.integrity.upgraded == (4, SCHEMA_VERSION)
        [entry] = [e for e in session.audit.entries() if e.action == "upgrade vault schema"]
        assert entry.detail == f"schema 4 -> {SCHEMA_VERSION}"
        f = session.followups.add(patient_id="PLEGACY01", due=TODAY, programme="anc")
        assert session.integrity_problems() == []
    finally:
        session.lock()
    again = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase",
                                sleep=lambda s: None)
    try:
        assert again.integrity.ok and again.integrity.upgraded is None
        assert [r.followup.id for r in again.followups.worklist()] == [f.id]
    finally:
        again.lock()
    conn = sqlite3.connect(vault_path(data_dir))
    try:
        assert schema_version(conn) == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM vault_state WHERE key = 'upgraded_from'"
                            ).fetchone()[0] == 0
    finally:
        conn.close()


def test_an_upgrade_with_rows_slipped_into_the_new_table_is_a_finding(data_dir):
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_V4, vault_path(data_dir))
    conn = sqlite3.connect(vault_path(data_dir), isolation_level=None)
    from lantern.vault.schema import migrate
    migrate(conn)
    conn.execute("INSERT INTO followups (id, patient_id, created_at, updated_at, version, data)"
                 " VALUES ('FFORGED', 'PLEGACY01', 'x', 'x', 1, x'00')")
    conn.close()
    session = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase",
                                  sleep=lambda s: None)
    try:
        assert any(f.table == "followups" and f.kind == "rows added"
                   for f in session.integrity.findings)
    finally:
        session.lock()


def test_a_schema_bumped_outside_lantern_is_still_a_finding(data_dir):
    """Without the migration's own note, a newer schema than the sealed one is flagged."""
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_V4, vault_path(data_dir))
    conn = sqlite3.connect(vault_path(data_dir), isolation_level=None)
    from lantern.vault.schema import migrate
    migrate(conn)
    conn.execute("DELETE FROM vault_state WHERE key = 'upgraded_from'")
    conn.close()
    session = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase",
                                  sleep=lambda s: None)
    try:
        assert any(f.kind == "schema changed" for f in session.integrity.findings)
    finally:
        session.lock()


def test_an_upgrade_that_lost_a_trigger_it_adds_is_a_finding(data_dir):
    """The upgrade accepts the triggers its migrations add (m006's append-only sync
    log), never their absence."""
    data_dir.mkdir(parents=True)
    shutil.copy(SAVED_V4, vault_path(data_dir))
    conn = sqlite3.connect(vault_path(data_dir), isolation_level=None)
    from lantern.vault.schema import migrate
    migrate(conn)
    conn.execute("DROP TRIGGER sync_events_no_delete")
    conn.close()
    session = VaultSession.unlock(data_dir, username="legacy", passphrase="legacy passphrase",
                                  sleep=lambda s: None)
    try:
        assert any(f.kind == "triggers changed" and "sync_events_no_delete" in f.message
                   for f in session.integrity.findings)
    finally:
        session.lock()
