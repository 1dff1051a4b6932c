"""The sealed index of confirmed diagnoses (issue 17, report speed): kept in the same
transaction as every write that changes what a report counts, sealed, checked
against the rows' clear versions, and always equal to a recount from the records."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.domain.records import Vitals
from lantern.services import diagnosis_index, reports
from lantern.services.assessment_records import accepted_of
from lantern.vault.crypto import blob_epoch
from lantern.vault.repo import CACHE_TABLE
from lantern.vault.store import vault_path


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY
    TODAY = date.today()


refresh_dates()
CONDITIONS = ["malaria_uncomplicated", "pneumonia", "dysentery", "common_cold", "measles"]


def _stored(session) -> diagnosis_index.Maps:
    ctx = session.context
    with ctx.reading() as conn:
        return diagnosis_index.load(conn, ctx.repo.cipher)


def _recount(session) -> list[tuple]:
    """Every encounter as a report must see it, read through the record services (the
    chart's reading of each record: patient, encounters, assessment), not the index."""
    rec = session.records
    out = []
    for summary in rec.search_patients("", limit=10_000):
        patient = rec.get_patient(summary.id)
        for enc in rec.list_encounters(patient.id):
            accepted = accepted_of(rec.encounter_assessment(enc.id))
            out.append((enc.id, patient.id, enc.clinical_date, patient.sex.value, patient.village,
                        patient.birth_year, tuple(dict.fromkeys(
                            d["condition_id"] for d in accepted if d.get("condition_id"))),
                        bool(accepted)))
    return sorted(out)


def _from_index(session) -> list[tuple]:
    data = reports.read_visits(session.context, since=None)
    assert data.damaged == []
    years = {p.id: rec_p.birth_year for p in session.records.search_patients("", limit=10_000)
             for rec_p in [session.records.get_patient(p.id)]}
    return sorted((v.encounter_id, v.patient_id, v.day, v.sex, v.village, years[v.patient_id],
                   v.diagnoses, v.any_diagnosis) for v in data.visits)


def _assert_current(session) -> None:
    """The stored index is complete and current: nothing stale, every entry equal to
    one recomputed from the rows, and the visits equal to the recount."""
    ctx = session.context
    with ctx.reading() as conn:
        maps = diagnosis_index.load(conn, ctx.repo.cipher)
        clear = diagnosis_index.clear_state(conn)
        assert diagnosis_index.stale(maps, clear) == {"enc": set(), "pat": set(), "fup": set()}
        every = {"enc": set(clear.encounters), "pat": set(clear.patients),
                 "fup": set(clear.followups)}
        fresh = diagnosis_index.recompute(conn, ctx.repo, every, clear)
    assert fresh.damaged == [] and fresh.entries == maps
    assert _from_index(session) == _recount(session)


def _clinic(session):
    rec = session.records
    pid = rec.add_patient(name="Index Patient", sex="female", birth_year=1990,
                          village="Kisoro").id
    old = rec.new_encounter(pid, clinical_date=TODAY - timedelta(days=200))   # back-entered
    new = rec.new_encounter(pid, clinical_date=TODAY - timedelta(days=3))
    rec.confirm_diagnoses(old.id, ["malaria_uncomplicated"])
    rec.confirm_diagnoses(new.id, ["pneumonia"])
    return pid, old.id, new.id


def test_each_write_keeps_the_sealed_index_in_its_transaction(session, data_dir):
    pid, old, new = _clinic(session)
    enc = _stored(session)["enc"]
    assert enc[old][1:3] == [pid, (TODAY - timedelta(days=200)).isoformat()]
    assert enc[old][4] == ["malaria_uncomplicated"] and enc[new][4] == ["pneumonia"]
    assert _stored(session)["pat"][pid][1:] == ["female", None, 1990, "Kisoro"]
    _assert_current(session)
    session.lock()
    raw = sqlite3.connect(vault_path(data_dir))
    try:
        blobs = b"".join(bytes(r[0]) for r in raw.execute(
            f"SELECT data FROM {CACHE_TABLE} WHERE key LIKE 'dx_index:%'"))
    finally:
        raw.close()
    for clear_text in (old, pid, "Kisoro", "malaria", str(TODAY.year)):
        assert clear_text.encode() not in blobs


def test_a_missing_or_outdated_index_changes_no_count_and_refresh_rebuilds_it(session):
    _pid, _old, new = _clinic(session)
    expected = _recount(session)
    ctx = session.context
    with ctx.writing() as conn:
        conn.execute(f"DELETE FROM {CACHE_TABLE} WHERE key LIKE 'dx_index:%'")
    assert _stored(session) == {"enc": {}, "pat": {}, "fup": {}}
    assert _from_index(session) == expected          # recomputed in memory, nothing written
    assert _stored(session)["enc"] == {}
    seen: list[tuple[int, int]] = []
    assert session.refresh_diagnosis_index(on_progress=lambda d, t: seen.append((d, t))) == 3
    assert seen[-1] == (3, 3)
    _assert_current(session)
    # an outdated entry (as left by a write the index missed) is recomputed, not trusted
    with ctx.writing() as conn:
        diagnosis_index.store(conn, ctx.repo.cipher, "enc", {
            new: [1, "P-nobody", "2001-01-01", "", ["measles"], True, "", False]})
    assert _from_index(session) == expected
    assert session.refresh_diagnosis_index() == 1
    _assert_current(session)


def test_a_damaged_row_is_named_and_left_out_of_the_index(session, data_dir, unlock):
    _pid, old, new = _clinic(session)
    session.lock()
    raw = sqlite3.connect(vault_path(data_dir))
    try:
        with raw:
            [blob] = raw.execute("SELECT data FROM encounters WHERE id = ?", (old,)).fetchone()
            raw.execute("UPDATE encounters SET data = ? WHERE id = ?",
                        (bytes(blob[:-1]) + bytes([blob[-1] ^ 1]), old))
            raw.execute(f"DELETE FROM {CACHE_TABLE} WHERE key LIKE 'dx_index:%'")
    finally:
        raw.close()
    s = unlock()
    try:
        data = reports.read_visits(s.context, since=None)
        assert [v.encounter_id for v in data.visits] == [new]
        assert data.damaged == [f"encounters/{old}"]
    finally:
        s.lock()


def test_bulk_insert_and_a_key_rotation_keep_the_index(session):
    pid = session.records.add_patient(name="Bulk", sex="male", birth_year=1980).id
    day = (TODAY - timedelta(days=40)).isoformat()
    session.bulk_insert("encounters", ({"id": f"EBULK{n}", "patient_id": pid, "payload": {
        "author": "admin", "note": "", "vitals": {}, "pregnant": False, "status": "signed",
        "signed_by": "admin", "signed_at": None, "amendments": [], "holder": "admin",
        "handovers": [], "orders": [], "clinical_date": day if n else None}}
        for n in range(3)))
    enc = _stored(session)["enc"]
    assert enc["EBULK1"][2] == enc["EBULK2"][2] == day
    ctx = session.context
    with ctx.reading() as conn:     # no clinical date (an older payload): the day of entry
        [(created,)] = conn.execute("SELECT created_at FROM encounters WHERE id = 'EBULK0'")
    assert enc["EBULK0"][2] == created[:10]
    session.records.confirm_diagnoses("EBULK1", ["typhoid"])
    _assert_current(session)
    before = _stored(session)
    session.rotate_recovery_key()
    session.reencrypt()
    with ctx.reading() as conn:
        epochs = {blob_epoch(bytes(r[0])) for r in conn.execute(
            f"SELECT data FROM {CACHE_TABLE} WHERE key LIKE 'dx_index:%'")}
    assert epochs == {ctx.repo.cipher.epoch}
    assert _stored(session) == before
    _assert_current(session)


# -- random edits keep index == recount --------------------------------------------
OPS = st.lists(st.one_of(
    st.tuples(st.just("patient"), st.sampled_from(["male", "female"]),
              st.sampled_from(["Kisoro", "Hill", ""]), st.integers(1940, TODAY.year)),
    st.tuples(st.just("visit"), st.integers(0, 50), st.integers(0, 900),
              st.lists(st.sampled_from(CONDITIONS), max_size=2), st.booleans()),
    st.tuples(st.just("rediagnose"), st.integers(0, 50),
              st.lists(st.sampled_from(CONDITIONS), max_size=2)),
    st.tuples(st.just("edit_patient"), st.integers(0, 50), st.sampled_from(["male", "female"]),
              st.sampled_from(["Kisoro", "Hill", "Lake", ""])),
    st.tuples(st.just("merge"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("died"), st.integers(0, 50)),
), min_size=1, max_size=8)


def _apply(session, op: tuple) -> None:
    rec = session.records
    patients = [p.id for p in rec.search_patients("", limit=10_000)]
    live = [p for p in patients if not rec.get_patient(p).merged_into]
    encounters = [e.id for p in patients for e in rec.list_encounters(p)]
    kind = op[0]
    if kind == "patient" or not live:
        rec.add_patient(name=f"Random {len(patients)}", sex=op[1] if kind == "patient" else "male",
                        birth_year=op[3] if kind == "patient" else 1990,
                        village=op[2] if kind == "patient" else "", confirmed_new=True)
    elif kind == "visit":
        enc = rec.new_encounter(live[op[1] % len(live)], clinical_date=TODAY - timedelta(days=op[2]))
        if op[4]:
            rec.save_draft(enc.id, note="Seen.", vitals=Vitals())
            rec.sign_encounter(enc.id)
            rec.amend_encounter(enc.id, "Amended: seen again.")
        if op[3]:
            rec.confirm_diagnoses(enc.id, op[3])
    elif kind == "rediagnose" and encounters:
        enc_id = encounters[op[1] % len(encounters)]
        current = rec.encounter_assessment(enc_id) or {}
        decisions = [{**{k: d.get(k) for k in ("condition_id", "name", "name_zh", "icd10",
                                                 "origin")}, "state": "rejected"}
                     for d in current.get("decisions", [])]
        rec.save_encounter_assessment(enc_id, decisions=decisions, action="reject")
        if op[2]:
            rec.confirm_diagnoses(enc_id, op[2])
    elif kind == "edit_patient":
        p = rec.get_patient(live[op[1] % len(live)])
        rec.update_patient(dataclasses.replace(p, sex=op[2], village=op[3]))
    elif kind == "merge" and len(live) > 1:
        keep, merged = live[op[1] % len(live)], live[op[2] % len(live)]
        if keep != merged:
            rec.merge_patients(keep_id=keep, merged_id=merged)
    elif kind == "died":
        item = session.followups.add(patient_id=live[op[1] % len(live)],
                                     due=TODAY + timedelta(days=7), reason="tracing")
        session.followups.record_outcome(item.id, "died")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_random_edits_keep_the_index_equal_to_a_recount(session, ops):
    for op in ops:
        _apply(session, op)
    _assert_current(session)
