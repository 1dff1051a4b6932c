"""The Reports window's process (issue 17): it reads the vault with the keys it got
over its pipe, writes nothing, sends errors back by class, and never outlives its
parent's end of the pipe."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date

import pytest

from lantern.domain.errors import Locked, ValidationError
from lantern.gui.charts.reports import ReportLabels
from lantern.gui.report_process import ReportProcess
from lantern.services import surveillance
from tests.data_dir_snapshot import snapshot

from .helpers import make_vault

DAY = date(2026, 3, 10)


@pytest.fixture
def session(vault_dir):
    session = make_vault(vault_dir)
    rec = session.records
    for village in ("Hill", "Hill", "Kisoro"):
        pid = rec.add_patient(name=f"Child of {village}", sex="male", birth_year=2023,
                              village=village, confirmed_new=True).id
        rec.confirm_diagnoses(rec.new_encounter(pid, clinical_date=DAY).id, ["dysentery"])
    yield session
    session.lock()


def _month(process: ReportProcess, session, start: date, end: date):
    return process.call(session.context, "month", start=start, end=end, clinic="Clinic",
                        list_name="idsr", lang="en", curve_ids=("dysentery",),
                        month_weeks={"2026-W11"}, disease="Bloody diarrhoea",
                        labels=ReportLabels())


def test_the_child_computes_the_services_report_and_writes_nothing(session, vault_dir):
    process = ReportProcess()
    before = snapshot(vault_dir)
    try:
        report, names, pngs = _month(process, session, date(2026, 3, 1), date(2026, 3, 31))
        assert report == surveillance.month_report(session.context, start=date(2026, 3, 1),
                                                   end=date(2026, 3, 31), clinic="Clinic")
        assert names == {"dysentery": report.monthly["by_condition"][0]["name"]}
        assert all(p.startswith(b"\x89PNG") for p in pngs)
        # an error comes back as its class with its message (Lantern's own errors)
        with pytest.raises(ValidationError, match="is after"):
            _month(process, session, date(2026, 3, 31), date(2026, 3, 1))
        assert process.is_alive()      # and the child goes on serving
    finally:
        process.stop()
    assert snapshot(vault_dir) == before
    assert not process.is_alive()
    with pytest.raises(Locked):        # a stopped process is never started again
        _month(process, session, date(2026, 3, 1), date(2026, 3, 31))


def test_the_child_ends_when_its_pipe_closes(session):
    """The GUI's process gone (its end of the pipe closed): the child, which holds the
    keys, exits by itself."""
    process = ReportProcess()
    process.call(session.context, "curve", curve=[("2026-W11", 2)], month_weeks={"2026-W11"},
                 disease="x", labels=ReportLabels())
    child = process._process
    assert child is not None and child.is_alive()
    process._conn.close()
    child.join(30)
    assert child.exitcode == 0
    process.stop()


def test_stop_while_a_call_runs_leaves_no_child(session):
    """Closing the window while the month is computed: the call ends (its result or
    Locked) and no child holding the keys is left, whenever the stop came."""
    # children of earlier tests' windows may still be reaped by their own call's thread
    earlier = set(multiprocessing.active_children())
    process = ReportProcess()
    outcome: list[object] = []

    def run():
        try:
            outcome.append(_month(process, session, date(2026, 3, 1), date(2026, 3, 31))[0])
        except Locked:
            outcome.append("locked")

    worker = threading.Thread(target=run)
    worker.start()
    process.stop()
    worker.join(60)
    assert not worker.is_alive() and len(outcome) == 1
    assert not process.is_alive()
    assert not [p for p in multiprocessing.active_children()
                if p.name == "lantern-reports" and p not in earlier]
