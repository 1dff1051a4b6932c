"""Sync events (issue 18): the hybrid logical clock, the outbox written with each
change, applying remote events (idempotent, last writer by clock per field, losing
values kept, signed notes frozen) and USB bundles between two real vault files of
one clinic. The second laptop is made from a backup of the first with a new device
id (enrolment, issue 18 part 3, is not built yet)."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from lantern.domain.records import Sex, Vitals
from lantern.services.backup import restore_backup
from lantern.services.session import VaultSession
from lantern.services.sync import events as ev
from lantern.services.sync.bundle import export_bundle, import_bundle, status
from lantern.services.sync.enrol import endorse
from lantern.services.sync.hlc import Clock, Timestamp
from lantern.vault.schema import RECORD_TABLES

ADMIN_PASS = "admin passphrase 1"   # as in conftest.py
DAY_MS = 86_400_000


# -- the clock --------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(40))
def test_hlc_strings_sort_in_clock_order_and_never_go_back(seed):
    rnd = random.Random(seed)
    walls = {d: rnd.randrange(1_600_000_000_000, 1_900_000_000_000) for d in ("a1", "b2", "c3")}
    skew = {d: rnd.choice([0, 3 * DAY_MS, -5 * DAY_MS, rnd.randrange(-DAY_MS, DAY_MS)]) for d in walls}
    base = 1_700_000_000_000
    now = [base]
    clocks = {d: Clock(d, wall=lambda d=d: now[0] + skew[d]) for d in walls}
    issued: list[Timestamp] = []
    causal: list[tuple[Timestamp, Timestamp]] = []
    for _ in range(200):
        now[0] += rnd.choice([0, 0, 1, 5, 1000])
        d = rnd.choice(list(clocks))
        if issued and rnd.random() < 0.3:
            seen = rnd.choice(issued)
            got = clocks[d].receive(str(seen))
            causal.append((seen, got))
        else:
            before = clocks[d].last
            got = clocks[d].tick()
            if before is not None:
                assert got > before
        issued.append(got)
        assert Timestamp.parse(str(got)) == got
    assert sorted(issued) == sorted(issued, key=str)          # string order is clock order
    assert all(later > earlier for earlier, later in causal)    # receive orders after what it saw
    assert len({str(t) for t in issued}) == len(issued)        # never two equal timestamps


def test_a_clock_days_behind_still_orders_after_what_it_received():
    ahead = Clock("fast", wall=lambda: 1_700_000_000_000 + 4 * DAY_MS)
    behind = Clock("slow", wall=lambda: 1_700_000_000_000 - 3 * DAY_MS)
    seen = ahead.tick()
    assert behind.receive(seen) > seen
    assert behind.tick() > seen


# -- two laptops of one clinic ----------------------------------------------------------------
@pytest.fixture
def laptops(tmp_path, created):
    """Laptop A (the test vault) and laptop B (a backup of A with its own device id)."""
    a, _key = created
    patient = a.records.add_patient(name="Amina Sync", sex=Sex.FEMALE, birth_year=1990,
                                    village="Upper")
    enc = a.records.new_encounter(patient.id)
    a.records.save_draft(enc.id, note="cough three days", vitals=Vitals(temp_c=37.5))
    endorsement = endorse(a.context)        # first, as ``lantern device enrol`` does
    backup = a.backup_to(tmp_path / "usb" / "a.db")
    b_dir = tmp_path / "laptop-b"
    restore_backup(backup, b_dir)
    b = VaultSession.unlock(b_dir, username="admin", passphrase=ADMIN_PASS, sleep=lambda s: None)
    with b.context.writing() as conn:
        ev.new_device_identity(conn, name="laptop B", cipher=b.context.repo.cipher,
                               endorsement=endorsement)
    yield a, b, patient, enc
    b.lock()


def _records(session: VaultSession) -> dict:
    with session.context.reading() as conn:
        return {t: sorted((r.id, json.dumps(r.payload, sort_keys=True), r.patient_id)
                          for r in session.context.repo.all_rows(conn, t)) for t in RECORD_TABLES}


def _swap(a: VaultSession, b: VaultSession, tmp_path, n: int) -> None:
    export_bundle(a.context, tmp_path / f"ab{n}.bundle")
    export_bundle(b.context, tmp_path / f"ba{n}.bundle")
    import_bundle(b.context, tmp_path / f"ab{n}.bundle")
    import_bundle(a.context, tmp_path / f"ba{n}.bundle")


def test_each_change_is_an_event_in_the_same_transaction(created):
    session, _ = created
    with session.context.reading() as conn:
        before = conn.execute("SELECT count(*) FROM sync_events").fetchone()[0]
    patient = session.records.add_patient(name="Outbox", sex=Sex.MALE, birth_year=1970)
    with session.context.reading() as conn:
        sealed = ev.pending_events(conn)
        assert len(sealed) == before + 1
        event = ev.open_event(session.context.repo.cipher, ev.clinic_id(conn), sealed[-1])
        assert b"Outbox" not in sealed[-1].ciphertext
    assert (event.kind, event.record_id, event.author) == ("patient.created", patient.id, "admin")
    assert event.fields["name"] == "Outbox"
    # a write that fails writes no event either
    with pytest.raises(RuntimeError), session.context.writing() as conn:
        session.context.repo.insert(conn, "patients", row_id="PFAIL",
                                    payload=session.context.repo.get(conn, "patients", patient.id).payload)
        raise RuntimeError("abort")
    with session.context.reading() as conn:
        assert len(ev.pending_events(conn)) == before + 1


def test_edits_on_both_laptops_converge_both_ways(laptops, tmp_path):
    a, b, patient, enc = laptops
    p2 = b.records.add_patient(name="Bao Outreach", sex=Sex.MALE, birth_year=2001)
    b.records.add_allergy(p2.id, substance="penicillin", severity="severe")
    a.records.sign_encounter(enc.id)
    a.records.amend_encounter(enc.id, "also wheeze")
    _swap(a, b, tmp_path, 1)
    assert _records(a) == _records(b)
    assert b.records.get_encounter(enc.id).amendments[0].text == "also wheeze"
    assert a.records.get_patient(p2.id).name == "Bao Outreach"
    # importing the same bundle again changes nothing and says so
    before = _records(b)
    with pytest.raises(ev.SyncRefused, match="imported already"):
        import_bundle(b.context, tmp_path / "ab1.bundle")
    assert _records(b) == before


def test_concurrent_edits_resolve_the_same_on_both_and_keep_the_loser(laptops, tmp_path):
    a, b, patient, enc = laptops
    pa = a.records.get_patient(patient.id)
    a.records.update_patient(dataclasses.replace(pa, village="Lower"))
    pb = b.records.get_patient(patient.id)
    b.records.update_patient(dataclasses.replace(pb, village="Riverside", phone="0700"))
    _swap(a, b, tmp_path, 1)
    assert _records(a) == _records(b)
    final = a.records.get_patient(patient.id)
    assert final.village == "Riverside"           # B wrote later (its clock is larger)
    assert final.phone == "0700"                  # an edit of another field is not lost
    for side in (a, b):
        lost = ev.record_conflicts(side.context, "patients", patient.id)
        assert [(c.field, c.value) for c in lost] == [("village", "Lower")]
    # the laptop that won sees it too, named by the device that lost
    with a.context.reading() as conn:
        assert lost[0].device_id == ev.device_id(conn, create=False)


def test_a_signed_note_is_never_changed_by_sync(laptops, tmp_path):
    a, b, patient, enc = laptops
    a.records.sign_encounter(enc.id)
    b.records.save_draft(enc.id, note="B kept typing", vitals=Vitals(temp_c=38.0))  # later clock
    _swap(a, b, tmp_path, 1)
    assert _records(a) == _records(b)
    for side in (a, b):
        note = side.records.get_encounter(enc.id)
        assert (note.note, note.status.value) == ("cough three days", "signed")
        lost = ev.record_conflicts(side.context, "encounters", enc.id)
        assert ("note", "B kept typing") in [(c.field, c.value) for c in lost]


def test_the_chart_lists_every_lost_value_of_a_patient_named_by_its_record(laptops, tmp_path):
    """patient_conflicts: details, a note typed on after signing elsewhere and a
    medication stopped on two dates all show, each named; an allergy removed on both
    laptops (only the who/when differ) does not."""
    import datetime as dt

    a, b, patient, enc = laptops
    allergy = a.records.add_allergy(patient.id, substance="penicillin", reaction="rash")
    med = a.records.add_medication(patient.id, name="amoxicillin", dose="500 mg")
    other = a.records.add_patient(name="Other Person", sex=Sex.MALE, birth_year=1970)
    a.records.add_medication(other.id, name="metformin")
    _swap(a, b, tmp_path, 1)
    a.records.sign_encounter(enc.id)
    a.records.stop_medication(med.id, stopped=dt.date(2026, 11, 30))
    a.records.remove_allergy(allergy.id)
    a.records.update_patient(dataclasses.replace(a.records.get_patient(patient.id), village="Lower"))
    b.records.save_draft(enc.id, note="B kept typing", vitals=Vitals(temp_c=38.0))
    b.records.stop_medication(med.id, stopped=dt.date(2026, 12, 1))
    b.records.remove_allergy(allergy.id)
    b.records.update_patient(dataclasses.replace(b.records.get_patient(patient.id), village="Riverside"))
    _swap(a, b, tmp_path, 2)
    assert _records(a) == _records(b)
    for side in (a, b):
        lost = ev.patient_conflicts(side.context, patient.id)
        shown = {(c.table, c.subject, c.field, json.dumps(c.value)) for c in lost}
        assert ("patients", "", "village", "\"Lower\"") in shown
        assert ("encounters", enc.created_at.date().isoformat(), "note", "\"B kept typing\"") in shown
        assert ("medications", "amoxicillin", "stopped", "\"2026-11-30\"") in shown
        assert not any(c.table == "allergies" or c.field.endswith(("_at", "_by")) for c in lost)
        assert [c.hlc for c in lost] == sorted(c.hlc for c in lost)
        assert ev.patient_conflicts(side.context, other.id) == []


def _flip(path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_tampered_replayed_and_foreign_bundles_are_refused_with_nothing_applied(
        laptops, tmp_path):
    a, b, patient, enc = laptops
    a.records.add_patient(name="First", sex=Sex.MALE, birth_year=1980)
    old = export_bundle(a.context, tmp_path / "old.bundle").path
    a.records.add_patient(name="Second", sex=Sex.MALE, birth_year=1981)
    new = export_bundle(a.context, tmp_path / "new.bundle").path
    before = _records(b)
    for offset in (-1, -200, 40):
        bad = tmp_path / f"bad{offset}.bundle"
        bad.write_bytes(new.read_bytes())
        _flip(bad, offset)
        with pytest.raises(ev.SyncRefused, match="damaged or was altered|another clinic"):
            import_bundle(b.context, bad)
        assert _records(b) == before
    import_bundle(b.context, new)
    after = _records(b)
    with pytest.raises(ev.SyncRefused, match="replayed"):
        import_bundle(b.context, old)
    assert _records(b) == after
    other_dir = tmp_path / "other-clinic"
    other, _ = VaultSession.create(other_dir, clinic_name="Elsewhere", admin_username="admin",
                                   passphrase=ADMIN_PASS)
    try:
        foreign = export_bundle(other.context, tmp_path / "foreign.bundle").path
        with pytest.raises(ev.SyncRefused, match="another clinic"):
            import_bundle(b.context, foreign)
    finally:
        other.lock()
    assert _records(b) == after


def test_applying_the_same_events_twice_changes_nothing(laptops):
    a, b, patient, enc = laptops
    a.records.add_allergy(patient.id, substance="sulfa")
    with a.context.reading() as conn:
        sealed = ev.pending_events(conn)
    first = ev.apply_events(b.context, sealed)
    snapshot = _records(b)
    second = ev.apply_events(b.context, sealed)
    assert first.applied > 0 and second.applied == 0 and second.skipped == len(sealed)
    assert _records(b) == snapshot


def test_an_edit_that_arrives_before_its_records_creation_waits_for_it(laptops):
    """Found by the convergence property (tests/unit/sync_couch/test_sync_convergence.py):
    a server's ``_changes`` pages need not follow the order events were written, so a
    laptop can receive a note's draft edit one page before the note itself. Applying the
    edit alone inserted a record holding only the edited fields, which failed its payload
    format check: the page was refused at every sync and that laptop never converged."""
    a, b, patient, _enc = laptops
    with a.context.reading() as conn:
        held = {e.event_id for e in ev.pending_events(conn)}
    note = a.records.new_encounter(patient.id)
    a.records.save_draft(note.id, note="fever since Monday", vitals=Vitals(temp_c=38.2))
    a.records.add_allergy(patient.id, substance="penicillin")
    with a.context.reading() as conn:
        created, edited, allergy = [e for e in ev.pending_events(conn) if e.event_id not in held]
    first = ev.apply_events(b.context, [edited])           # the later page comes first
    assert first.applied == 1
    assert note.id not in {e.id for e in b.records.list_encounters(patient.id)}
    ev.apply_events(b.context, [allergy])                  # the rest of the vault still syncs
    ev.apply_events(b.context, [created])                  # then the note's creation
    got = b.records.get_encounter(note.id)
    assert (got.note, got.vitals.temp_c) == ("fever since Monday", 38.2)
    assert _records(b) == _records(a)
    # in the other order (the creation first) the same records result
    assert ev.apply_events(b.context, [created, edited]).skipped == 2


def test_a_value_lost_to_a_concurrent_edit_stays_in_history_when_the_winner_is_edited_again(
        laptops):
    """Found by the convergence property: A writes a village while B, not having seen
    it, writes one and then another. B's last edit wins; its base is B's own first edit,
    newer than A's value, so comparing the winner's base alone hid A's value from the
    history though nobody who saw it ever replaced it."""
    a, b, patient, _enc = laptops
    a.records.update_patient(dataclasses.replace(a.records.get_patient(patient.id),
                                                 village="Lower"))
    for village in ("Riverside", "Hilltop"):
        b.records.update_patient(dataclasses.replace(b.records.get_patient(patient.id),
                                                     village=village))
    for x, y in ((a, b), (b, a)):
        with x.context.reading() as conn:
            ev.apply_events(y.context, ev.pending_events(conn))
    for side in (a, b):
        assert side.records.get_patient(patient.id).village == "Hilltop"
        lost = ev.record_conflicts(side.context, "patients", patient.id)
        assert [(c.field, c.value) for c in lost] == [("village", "Lower")]


def test_status_counts_pending_events_and_exports(laptops, tmp_path):
    a, _b, patient, _enc = laptops
    a.records.add_allergy(patient.id, substance="aspirin")
    info = status(a.context)
    assert info["pending_events"] >= 1 and info["last_export"] is None
    export_bundle(a.context, tmp_path / "x.bundle")
    info = status(a.context)
    assert info["pending_events"] == 0 and info["last_export"]


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_on_three_laptops_converge(tmp_path, created, seed):
    rnd = random.Random(seed)
    a, _ = created
    patient = a.records.add_patient(name="Rand", sex=Sex.FEMALE, birth_year=1999)
    sides = [a]
    for name in ("b", "c"):
        # a copy of the newest laptop (this computer's rollback counter remembers it),
        # enrolled by it: C's enrolment chain is A -> B -> C
        endorsement = endorse(sides[-1].context)
        restore_backup(sides[-1].backup_to(tmp_path / f"{name}.db"), tmp_path / name)
        s = VaultSession.unlock(tmp_path / name, username="admin", passphrase=ADMIN_PASS,
                                sleep=lambda s: None)
        with s.context.writing() as conn:
            ev.new_device_identity(conn, name=name, cipher=s.context.repo.cipher,
                                   endorsement=endorsement)
        sides.append(s)
    try:
        for step in range(12):
            s = rnd.choice(sides)
            p = s.records.get_patient(patient.id)
            field = rnd.choice(["village", "phone", "name"])
            s.records.update_patient(dataclasses.replace(p, **{field: f"{field}{step}"}))
            if rnd.random() < 0.3:
                s.records.add_allergy(patient.id, substance=f"sub{step}")
            if rnd.random() < 0.3:
                x, y = rnd.sample(sides, 2)
                with x.context.reading() as conn:
                    ev.apply_events(y.context, ev.pending_events(conn))
        for _round in range(2):
            for x in sides:
                for y in sides:
                    if x is not y:
                        with x.context.reading() as conn:
                            ev.apply_events(y.context, ev.pending_events(conn))
        assert _records(sides[0]) == _records(sides[1]) == _records(sides[2])
        conflicts = [ev.record_conflicts(s.context, "patients", patient.id) for s in sides]
        assert conflicts[0] == conflicts[1] == conflicts[2]
    finally:
        for s in sides[1:]:
            s.lock()


@pytest.mark.parametrize("kill_at", [1, 17])
def test_kill_9_during_import_applies_no_half_event_and_loses_nothing(laptops, tmp_path, kill_at):
    a, b, patient, enc = laptops
    for i in range(10):
        p = a.records.add_patient(name=f"Batch {i}", sex=Sex.MALE, birth_year=1950 + i)
        a.records.add_allergy(p.id, substance=f"drug {i}")
    bundle = export_bundle(a.context, tmp_path / "big.bundle").path
    b_dir, before = b.path.parent, _records(b)
    b.lock()
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("sync_import_killer.py")),
                           str(b_dir), "admin", ADMIN_PASS, str(bundle), str(kill_at)],
                          env=dict(os.environ), capture_output=True, timeout=120)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    again = VaultSession.unlock(b_dir, username="admin", passphrase=ADMIN_PASS, sleep=lambda s: None)
    try:
        assert again.integrity.ok and again.integrity_problems() == []
        assert _records(again) == before                       # nothing of the bundle, no half event
        result = import_bundle(again.context, bundle)          # the same bundle imports whole now
        assert result.applied == 20       # the 10 patients and 10 allergies, each once
        assert _records(again) == _records(a)
        assert again.audit.verify().ok
    finally:
        again.lock()


def test_sync_commands_export_import_status_and_refusals(laptops, tmp_path, monkeypatch, capsys):
    from lantern.cli import main

    a, b, patient, enc = laptops
    a.records.add_allergy(patient.id, substance="codeine")
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    a_dir, b_dir = str(a.path.parent), str(b.path.parent)
    a.lock()
    b.lock()
    bundle = tmp_path / "cli.bundle"
    assert main(["sync", "export", str(bundle), "--user", "admin", "--data-dir", a_dir]) == 0
    assert "event(s) written" in capsys.readouterr().out
    # laptop B is another computer: its own rollback counter (the copy shares A's vault id)
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "b-state"))
    assert main(["sync", "import", str(bundle), "--user", "admin", "--data-dir", b_dir]) == 0
    assert "applied" in capsys.readouterr().out
    assert main(["sync", "import", str(bundle), "--user", "admin", "--data-dir", b_dir]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "imported already" in err
    bad = tmp_path / "bad.bundle"
    bad.write_bytes(bundle.read_bytes()[:-1] + bytes([bundle.read_bytes()[-1] ^ 1]))
    assert main(["sync", "import", str(bad), "--user", "admin", "--data-dir", b_dir]) == 2
    assert "altered" in capsys.readouterr().err
    assert main(["sync", "status", "--json", "--user", "admin", "--data-dir", b_dir]) == 0
    info = json.loads(capsys.readouterr().out)
    # B's one event of its own: its device.key, queued when its keys were bound (join)
    assert info["last_import"] and info["device_id"] and info["pending_events"] == 1
    assert set(info) == {"device_id", "events", "pending_events", "last_export", "last_import",
                         "last_server_sync", "server_pending_events", "device_name"}
    assert info["last_server_sync"] is None and info["device_name"] == "laptop B"


def test_every_record_table_has_an_event_kind():
    """A record table added by a later migration (follow-ups, m005) syncs like the rest."""
    from lantern.services.sync.events import _KIND_NOUN
    from lantern.vault.schema import RECORD_TABLES
    assert set(_KIND_NOUN) == set(RECORD_TABLES)


def test_an_imported_input_keeps_the_diagnosis_index_current_telling_it_once_per_table(
        laptops, tmp_path):
    """The reports' diagnosis index follows a sync input in its transaction, told of
    the input's rows once per table at the end (``Repo.index_batch``), not per row."""
    from lantern.services import diagnosis_index

    a, b, patient, enc = laptops
    rec = a.records
    for i in range(3):
        pid = rec.add_patient(name=f"Index Sync {i}", sex=Sex.FEMALE, birth_year=1990 + i,
                              village="Kisoro").id
        visit = rec.new_encounter(pid)
        rec.confirm_diagnoses(visit.id, ["malaria_uncomplicated"])
    rec.update_patient(dataclasses.replace(rec.get_patient(patient.id), village="Lower"))
    export_bundle(a.context, tmp_path / "index.bundle")

    keeper = b.context.repo.index
    told: list[tuple[str, int]] = []

    class Counting:
        def rows_written(self, conn, table, rows):
            told.append((table, len(rows)))
            keeper.rows_written(conn, table, rows)

    b.context.repo.index = Counting()
    try:
        applied = import_bundle(b.context, tmp_path / "index.bundle").applied
    finally:
        b.context.repo.index = keeper
    tables = [t for t, _ in told]
    assert sorted(tables) == sorted(set(tables))               # once per table
    assert dict(told)["patients"] == 4 and dict(told)["encounters"] >= 3
    assert sum(n for _, n in told) <= applied
    ctx = b.context
    with ctx.reading() as conn:
        maps = diagnosis_index.load(conn, ctx.repo.cipher)
        clear = diagnosis_index.clear_state(conn)
        assert diagnosis_index.stale(maps, clear) == {"enc": set(), "pat": set(), "fup": set()}
        fresh = diagnosis_index.recompute(conn, ctx.repo, {
            "enc": set(clear.encounters), "pat": set(clear.patients),
            "fup": set(clear.followups)}, clear)
    assert fresh.entries == maps
    assert maps["pat"][patient.id][4] == "Lower"
    assert sum(1 for e in maps["enc"].values() if e[4] == ["malaria_uncomplicated"]) == 3


def test_an_index_batch_that_fails_tells_the_index_nothing(created):
    session, _ = created
    patient = session.records.add_patient(name="Batch", sex=Sex.MALE, birth_year=1970)
    repo = session.context.repo
    keeper = repo.index
    told: list[str] = []

    class Counting:
        def rows_written(self, conn, table, rows):
            told.append(table)

    repo.index = Counting()
    try:
        with pytest.raises(RuntimeError), session.context.writing() as conn, \
                repo.index_batch(conn):
            repo.insert(conn, "patients", row_id="PBATCH",
                        payload=repo.get(conn, "patients", patient.id).payload)
            assert told == []                   # held until the batch ends
            raise RuntimeError("abort")
        assert told == []
        with session.context.writing() as conn:     # outside a batch: at once, as before
            row = repo.get(conn, "patients", patient.id)
            repo.update(conn, "patients", row=row, payload=row.payload)
        assert told == ["patients"]
    finally:
        repo.index = keeper


def test_a_usb_import_holds_back_the_collector_and_turns_it_on_again(laptops, tmp_path):
    """As a server sync does (gc_pauses): a bundle's events are applied with the cyclic
    collector off, and it is on again once the import ends, also when it is refused."""
    import gc

    a, b, patient, enc = laptops
    pid = a.records.add_patient(name="Gc Sync", sex=Sex.FEMALE, birth_year=1991, village="Kisoro").id
    a.records.confirm_diagnoses(a.records.new_encounter(pid).id, ["malaria_uncomplicated"])
    export_bundle(a.context, tmp_path / "gc.bundle")
    keeper = b.context.repo.index
    seen: list[bool] = []

    class Watching:
        def rows_written(self, conn, table, rows):
            seen.append(gc.isenabled())
            keeper.rows_written(conn, table, rows)

    assert gc.isenabled()
    b.context.repo.index = Watching()
    try:
        import_bundle(b.context, tmp_path / "gc.bundle")
    finally:
        b.context.repo.index = keeper
    assert seen and not any(seen)
    assert gc.isenabled()
    with pytest.raises(ev.SyncRefused):
        import_bundle(b.context, tmp_path / "gc.bundle")      # a replay: refused
    assert gc.isenabled()
