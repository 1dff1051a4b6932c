"""Undo of a tracing outcome and the hand-scheduled follow-up's date rule, in a real
vault file: the follow-up returns to its state before the outcome (open again, or the
earlier outcome), the undo is audited, and every refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from test_followup_store import _count, _patient  # (same folder; no package)

from lantern.domain.errors import NotFound, ValidationError
from lantern.domain.followups import Outcome
from lantern.services.followups import due_problem


def refresh_dates() -> None:
    """The dates of today, taken again before each test by tests/conftest.py (a run that
    crosses midnight compares them with the code's own date.today())."""
    global TODAY
    TODAY = date.today()


refresh_dates()
NURSE_PASS = "nurse passphrase 22"


def _audit(session, action: str) -> list:
    return [e for e in session.audit.entries() if e.action == action]


def test_undo_reopens_and_is_audited_across_an_unlock(session, unlock, vault_file):
    p = _patient(session, "Undo Ursula")
    f = session.followups.add(patient_id=p.id, due=TODAY, programme="tb")
    moved = session.followups.record_outcome(f.id, "moved")
    assert not moved.open and session.followups.worklist() == []
    back = session.followups.undo_outcome(f.id, at=moved.outcomes[-1].at)
    assert back.open and back.outcomes == () and back.version == moved.version + 1
    assert [r.followup.id for r in session.followups.worklist()] == [f.id]
    [entry] = _audit(session, "undo follow-up outcome")
    assert (entry.record_id, entry.patient_id, entry.username, entry.detail) == (
        f.id, p.id, "admin", "")
    session.lock()
    again = unlock()
    try:
        assert again.followups.get(f.id).outcomes == ()
        assert [r.followup.id for r in again.followups.worklist()] == [f.id]
        assert again.integrity_problems() == []
    finally:
        again.lock()
    assert _count(vault_file, "followups") == 1


def test_undo_restores_the_earlier_outcome(session):
    p = _patient(session, "Twice Called")
    f = session.followups.add(patient_id=p.id, due=TODAY - timedelta(days=0))
    session.followups.record_outcome(f.id, "not_reachable")
    called = session.followups.record_outcome(f.id, "called")
    back = session.followups.undo_outcome(f.id, at=called.outcomes[-1].at)
    assert [o.outcome for o in back.outcomes] == [Outcome.NOT_REACHABLE]
    [row] = session.followups.worklist()
    assert row.followup.outcome is Outcome.NOT_REACHABLE


def test_refused_undos_change_nothing(session, unlock, vault_file):
    session.users.add_user(username="nurse", role="assistant", passphrase=NURSE_PASS)
    p = _patient(session, "Refused Rita")
    f = session.followups.add(patient_id=p.id, due=TODAY)
    first = session.followups.record_outcome(f.id, "called")
    second = session.followups.record_outcome(f.id, "not_reachable")
    before = session.followups.get(f.id), len(session.audit.entries())
    with pytest.raises(ValidationError, match="changed since"):      # not the last one any more
        session.followups.undo_outcome(f.id, at=first.outcomes[-1].at)
    with pytest.raises(NotFound, match="No such follow-up"):
        session.followups.undo_outcome("FNOTHERE", at=second.outcomes[-1].at)
    fresh = session.followups.add(patient_id=p.id, due=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="changed since"):      # no outcome at all
        session.followups.undo_outcome(fresh.id, at=second.outcomes[-1].at)
    session.lock()
    nurse = unlock("nurse", NURSE_PASS)
    try:
        with pytest.raises(ValidationError, match="Only the user who recorded"):
            nurse.followups.undo_outcome(f.id, at=second.outcomes[-1].at)
    finally:
        nurse.lock()
    again = unlock()
    try:
        assert again.followups.get(f.id) == before[0]
        assert len(_audit(again, "undo follow-up outcome")) == 0
    finally:
        again.lock()


def test_an_automatic_came_is_not_undone(session):
    p = _patient(session, "Auto Came")
    f = session.followups.add(patient_id=p.id, due=TODAY)
    session.records.new_encounter(p.id)
    assert session.followups.record_visits() == 1
    came = session.followups.get(f.id)
    with pytest.raises(ValidationError, match="Only the user who recorded"):
        session.followups.undo_outcome(f.id, at=came.outcomes[-1].at)


def test_a_hand_scheduled_date_before_today_is_refused(session, vault_file):
    p = _patient(session, "Past Paula")
    visit = TODAY - timedelta(days=10)
    before = _count(vault_file, "followups"), len(session.audit.entries())
    with pytest.raises(ValidationError, match="before today"):
        session.followups.add(patient_id=p.id, due=TODAY - timedelta(days=3), visit_date=visit)
    assert (_count(vault_file, "followups"), len(session.audit.entries())) == before
    # from the schedule of that visit (not by hand) it is allowed: it is simply overdue
    f = session.followups.add(patient_id=p.id, due=TODAY - timedelta(days=3), visit_date=visit,
                              source="schedule")
    assert f.due == TODAY - timedelta(days=3)
    assert due_problem(TODAY, visit=TODAY, today=TODAY) is None
    assert due_problem(TODAY - timedelta(days=1), visit=TODAY, today=TODAY) == "before_visit"
    assert due_problem(TODAY - timedelta(days=1), visit=visit, today=TODAY) == "past"
    assert due_problem(TODAY - timedelta(days=1), visit=visit) is None
    assert due_problem(visit + timedelta(days=2 * 366 + 1), visit=visit) == "too_far"
