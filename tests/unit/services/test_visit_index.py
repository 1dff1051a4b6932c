"""The sealed index of the encounters' days of care (issue 17, report speed): written
with each new encounter, used by reports only to skip encounters outside the period;
a missing index changes no count."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from lantern.services import reports, visit_index
from lantern.vault.repo import CACHE_TABLE
from lantern.vault.store import vault_path

TODAY = date.today()


def _index(session) -> dict[str, str]:
    ctx = session.context
    with ctx.reading() as conn:
        return visit_index.days_entered_since(conn, ctx.repo.cipher, None)


def _clinic(session):
    rec = session.records
    pid = rec.add_patient(name="Index Patient", sex="female", birth_year=1990,
                          village="Kisoro").id
    old = rec.new_encounter(pid, clinical_date=TODAY - timedelta(days=200))   # back-entered
    new = rec.new_encounter(pid, clinical_date=TODAY - timedelta(days=3))
    rec.confirm_diagnoses(old.id, ["malaria_uncomplicated"])
    rec.confirm_diagnoses(new.id, ["pneumonia"])
    return pid, old.id, new.id


def test_a_new_encounter_notes_its_day_of_care_sealed(session, data_dir):
    _pid, old, new = _clinic(session)
    assert _index(session) == {old: (TODAY - timedelta(days=200)).isoformat(),
                               new: (TODAY - timedelta(days=3)).isoformat()}
    session.lock()
    raw = sqlite3.connect(vault_path(data_dir))
    try:
        blobs = b"".join(bytes(r[0]) for r in raw.execute(
            f"SELECT data FROM {CACHE_TABLE} WHERE key LIKE 'encounter_days:%'"))
    finally:
        raw.close()
    assert blobs and old.encode() not in blobs and str(TODAY.year).encode() not in blobs


def _damage(data_dir, encounter_id):
    raw = sqlite3.connect(vault_path(data_dir))
    try:
        with raw:
            [blob] = raw.execute("SELECT data FROM encounters WHERE id = ?",
                                 (encounter_id,)).fetchone()
            flipped = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
            raw.execute("UPDATE encounters SET data = ? WHERE id = ?", (flipped, encounter_id))
    finally:
        raw.close()


def test_reports_skip_what_the_index_dates_before_the_period_and_only_that(session, data_dir,
                                                                          unlock):
    _pid, old, new = _clinic(session)
    since = TODAY - timedelta(days=30)
    before = reports.read_visits(session.context, since=since)
    assert [v.encounter_id for v in before.visits] == [new]
    session.lock()
    _damage(data_dir, old)      # outside the period: never decrypted, so never seen damaged
    s = unlock()
    try:
        data = reports.read_visits(s.context, since=since)
        assert [v.encounter_id for v in data.visits] == [new] and data.damaged == []
        whole = reports.read_visits(s.context, since=None)      # all of it: decrypted
        assert [v.encounter_id for v in whole.visits] == [new]
        assert whole.damaged == [f"encounters/{old}"]
        # without the index every encounter since the cut-off is decrypted again
        with s.context.writing() as conn:
            conn.execute(f"DELETE FROM {CACHE_TABLE} WHERE key LIKE 'encounter_days:%'")
        data = reports.read_visits(s.context, since=since)
        assert [v.encounter_id for v in data.visits] == [new]
        assert data.damaged == [f"encounters/{old}"]
    finally:
        s.lock()


def test_an_encounter_the_index_lacks_still_counts(session):
    _pid, _old, new = _clinic(session)
    ctx = session.context
    with ctx.writing() as conn:
        conn.execute(f"DELETE FROM {CACHE_TABLE} WHERE key LIKE 'encounter_days:%'")
    month = reports.monthly(reports.read_visits(ctx, since=TODAY - timedelta(days=30)),
                            start=TODAY - timedelta(days=10), end=TODAY, clinic="Test Clinic")
    assert month["total_encounters"] == 1
    assert [c["condition_id"] for c in month["by_condition"]] == ["pneumonia"]
    assert new in {v.encounter_id for v in reports.read_visits(ctx, since=None).visits}


def test_bulk_insert_notes_the_days_too(session):
    pid = session.records.add_patient(name="Bulk", sex="male", birth_year=1980).id
    day = (TODAY - timedelta(days=40)).isoformat()
    session.bulk_insert("encounters", ({"id": f"EBULK{n}", "patient_id": pid, "payload": {
        "author": "admin", "note": "", "vitals": {}, "pregnant": False, "status": "signed",
        "signed_by": "admin", "signed_at": None, "amendments": [], "holder": "admin",
        "handovers": [], "orders": [], "clinical_date": day if n else None}}
        for n in range(3)))
    index = _index(session)
    assert index["EBULK1"] == index["EBULK2"] == day
    # no clinical date (an older payload): the day it was entered, as the codec reads it
    ctx = session.context
    with ctx.reading() as conn:
        [(created,)] = conn.execute("SELECT created_at FROM encounters WHERE id = 'EBULK0'")
    assert index["EBULK0"] == created[:10]


def test_history_is_dated_by_the_index_and_the_period_by_the_payload(session, data_dir, unlock):
    pid, old, new = _clinic(session)
    session.lock()
    _damage(data_dir, old)
    s = unlock()
    try:
        since = TODAY - timedelta(days=400)
        data = reports.read_visits(s.context, since=since,
                                   history_before=TODAY - timedelta(days=30))
        by_id = {v.encounter_id: v for v in data.visits}
        # the history: its note is never decrypted (damaged, yet counted, with its diagnosis)
        assert by_id[old].day == TODAY - timedelta(days=200)
        assert by_id[old].diagnoses == ("malaria_uncomplicated",) and by_id[old].patient_id == pid
        assert by_id[new].diagnoses == ("pneumonia",) and data.damaged == []
        # the period itself is read from the encounters: the damaged one is named
        data = reports.read_visits(s.context, since=since)
        assert [v.encounter_id for v in data.visits] == [new]
        assert data.damaged == [f"encounters/{old}"]
    finally:
        s.lock()
