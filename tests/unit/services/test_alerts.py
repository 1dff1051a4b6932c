"""Surveillance alerts until acknowledged (issue 17): computed from confirmed diagnoses,
naming the patients involved (in memory only), acknowledged by admin or clinician into
an encrypted ``alert_acks`` row with an audit entry that names the key and no village."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from tests.data_dir_snapshot import snapshot

from lantern.domain.errors import NotFound, PermissionDenied, ValidationError
from lantern.services.alerts import ALERT_WEEKS, alert_keys
from lantern.services.surveillance import iso_week
from lantern.vault.store import vault_path


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY, DAY
    TODAY = date.today()
    DAY = TODAY - timedelta(days=1) if TODAY.weekday() else TODAY


refresh_dates()


def _case(session, pid, day, cid):
    rec = session.records
    rec.confirm_diagnoses(rec.new_encounter(pid, clinical_date=day).id, [cid])


@pytest.fixture
def outbreak(session):
    rec = session.records
    asha = rec.add_patient(name="Asha Mwangi", sex="female", birth_year=1990,
                           village="Kisoro").id
    juma = rec.add_patient(name="Juma Ali", sex="male", birth_year=1980, village="Bukavu").id
    others = [rec.add_patient(name=f"Child {i}", sex="male", birth_year=TODAY.year - 3,
                              village="Hill", confirmed_new=True).id for i in range(3)]
    _case(session, asha, DAY, "cholera")
    for pid in others:                      # 3 bloody diarrhoea from Hill the same day
        _case(session, pid, DAY, "dysentery")
    _case(session, juma, DAY, "common_cold")   # not notifiable
    old = TODAY - timedelta(days=7 * (ALERT_WEEKS + 2))
    _case(session, juma, old, "cholera")       # older than the alert window
    return {"asha": asha, "juma": juma, "hill": others}


def test_current_alerts_name_their_patients_and_keys(session, outbreak):
    alerts = session.alerts.current(today=TODAY)
    shown = {(a.key, a.count, a.village) for a in alerts}
    week = iso_week(DAY)
    assert shown == {(f"cholera/{week}/single_case/v1", 1, "Kisoro"),
                     (f"dysentery/{week}/village_cluster/v1", 3, "Hill")}
    by_key = {a.key: a for a in alerts}
    assert by_key[f"cholera/{week}/single_case/v1"].patient_ids == {outbreak["asha"]}
    assert by_key[f"dysentery/{week}/village_cluster/v1"].patient_ids == set(outbreak["hill"])
    assert all(outbreak["juma"] not in a.patient_ids for a in alerts)


def test_keys_number_villages_without_naming_them():
    alerts = [{"condition_id": "dysentery", "week": "2026-W10", "rule": "village_cluster",
               "village": v} for v in ("Zeta", "Alpha")]
    alerts.append({"condition_id": "malaria_uncomplicated", "week": "2026-W10",
                   "rule": "weekly_threshold", "village": None})
    assert alert_keys(alerts) == ["dysentery/2026-W10/village_cluster/v2",
                                  "dysentery/2026-W10/village_cluster/v1",
                                  "malaria_uncomplicated/2026-W10/weekly_threshold"]


def test_acknowledged_alert_leaves_the_list_is_encrypted_and_audited(session, outbreak, data_dir):
    key = f"cholera/{iso_week(DAY)}/single_case/v1"
    alert = session.alerts.acknowledge(key, today=TODAY)
    assert alert.acknowledged_by == "admin" and alert.acknowledged
    assert [a.key for a in session.alerts.current(today=TODAY)] == \
        [f"dysentery/{iso_week(DAY)}/village_cluster/v1"]
    [acked] = [a for a in session.alerts.all_current(today=TODAY) if a.key == key]
    assert acked.acknowledged_by == "admin"
    with pytest.raises(ValidationError, match="already acknowledged"):
        session.alerts.acknowledge(key, today=TODAY)
    with pytest.raises(NotFound):
        session.alerts.acknowledge("cholera/1999-W01/single_case", today=TODAY)
    [entry] = [e for e in session.audit.entries(50) if e.action == "acknowledge alert"]
    assert entry.detail == f"alert {key}" and entry.patient_id is None
    assert "Kisoro" not in entry.detail
    assert session.audit.verify().ok
    session.lock()
    raw = sqlite3.connect(vault_path(data_dir))
    try:
        [(blob,)] = raw.execute("SELECT data FROM alert_acks").fetchall()
        text = b"".join(r[0].encode() if isinstance(r[0], str) else bytes(r[0] or b"")
                        for r in raw.execute("SELECT detail FROM audit_log"))
    finally:
        raw.close()
    assert b"Kisoro" not in bytes(blob) and b"cholera" not in bytes(blob)
    assert b"Kisoro" not in text


def test_acknowledgement_survives_a_new_session_and_the_sealed_state(session, outbreak, unlock):
    key = f"dysentery/{iso_week(DAY)}/village_cluster/v1"
    session.alerts.acknowledge(key, today=TODAY)
    session.lock()
    again = unlock()
    try:
        assert again.integrity.ok and not again.context.read_only
        assert key not in [a.key for a in again.alerts.current(today=TODAY)]
        assert again.records.damaged_records() == []
    finally:
        again.lock()


def test_an_assistant_sees_alerts_but_may_not_acknowledge(session, outbreak, unlock):
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase 1")
    session.lock()
    nurse = unlock("nurse", "nurse passphrase 1")
    try:
        assert len(nurse.alerts.current(today=TODAY)) == 2
        with pytest.raises(PermissionDenied, match="acknowledge surveillance alerts"):
            nurse.alerts.acknowledge(f"cholera/{iso_week(DAY)}/single_case/v1", today=TODAY)
    finally:
        nurse.lock()


def test_computing_alerts_writes_nothing(session, outbreak, data_dir):
    session.lock()
    from tests.unit.conftest import ADMIN_PASS

    from lantern.services.session import VaultSession
    files = snapshot(data_dir)
    s = VaultSession.unlock(data_dir, username="admin", passphrase=ADMIN_PASS, read_only=True)
    try:
        assert len(s.alerts.current(today=TODAY)) == 2
    finally:
        s.lock()
    assert snapshot(data_dir) == files
    # and the comparison sees a write: an ordinary unlock records a login
    VaultSession.unlock(data_dir, username="admin", passphrase=ADMIN_PASS).lock()
    assert snapshot(data_dir) != files


def test_alert_cli_lists_and_acknowledges(capsys, monkeypatch, session, outbreak):
    import json

    from tests.unit.conftest import ADMIN_PASS

    from lantern.cli import main
    session.lock()
    monkeypatch.setenv("LANTERN_PASSPHRASE", ADMIN_PASS)
    assert main(["alert", "list", "--user", "admin", "--json"]) == 0
    out, _err = capsys.readouterr()
    listed = json.loads(out)
    assert sorted(a["rule"] for a in listed) == ["single_case", "village_cluster"]
    assert "Asha" not in out and outbreak["asha"] not in out
    key = next(a["key"] for a in listed if a["rule"] == "single_case")
    assert main(["alert", "ack", "--user", "admin", key]) == 0
    assert capsys.readouterr().out == f"{key}\tacknowledged by admin\n"
    assert main(["alert", "ack", "--user", "admin", key]) == 2
    assert "already acknowledged" in capsys.readouterr().err
    assert main(["alert", "ack", "--user", "admin", "nothing/2020-W01/single_case"]) == 1
    assert main(["alert", "list", "--user", "admin"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].split("\t")[3] == "village_cluster"
    # withdrawn (acknowledged by mistake): listed again, audited; a second withdrawal is refused
    assert main(["alert", "withdraw", "--user", "admin", key]) == 0
    assert capsys.readouterr().out.startswith(f"{key}\tacknowledgement withdrawn")
    assert main(["alert", "withdraw", "--user", "admin", key]) == 2
    assert "not acknowledged" in capsys.readouterr().err
    assert main(["alert", "list", "--user", "admin"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["alert", "ack", "--user", "admin", key]) == 0      # and acknowledged again
    capsys.readouterr()
    from lantern.services.session import VaultSession

    s = VaultSession.unlock(session.path.parent, username="admin", passphrase=ADMIN_PASS)
    try:
        actions = [e.action for e in s.audit.entries(20)]
    finally:
        s.lock()
    assert actions.count("withdraw alert acknowledgement") == 1 and actions.count("acknowledge alert") == 2


def test_an_acknowledgement_travels_to_the_other_laptop_by_sync(session, outbreak, tmp_path):
    from tests.unit.conftest import ADMIN_PASS

    from lantern.services.backup import restore_backup
    from lantern.services.session import VaultSession
    from lantern.services.sync import events as ev
    from lantern.services.sync.bundle import export_bundle, import_bundle

    restore_backup(session.backup_to(tmp_path / "usb" / "a.db"), tmp_path / "laptop-b")
    b = VaultSession.unlock(tmp_path / "laptop-b", username="admin", passphrase=ADMIN_PASS,
                            sleep=lambda s: None)
    try:
        with b.context.writing() as conn:
            ev.new_device_identity(conn, name="laptop B")
        key = f"cholera/{iso_week(DAY)}/single_case/v1"
        session.alerts.acknowledge(key, today=TODAY)
        import_bundle(b.context, export_bundle(session.context, tmp_path / "ab.bundle").path)
        assert [a.key for a in b.alerts.current(today=TODAY)] == \
            [f"dysentery/{iso_week(DAY)}/village_cluster/v1"]
        [acked] = [a for a in b.alerts.all_current(today=TODAY) if a.key == key]
        assert acked.acknowledged_by == "admin"
    finally:
        b.lock()
