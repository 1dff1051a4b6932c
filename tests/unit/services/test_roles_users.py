from __future__ import annotations

import pytest

from lantern.domain.errors import AuthError, PermissionDenied, ValidationError
from lantern.domain.records import NoteStatus, Role, Vitals


@pytest.fixture
def team(session):
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase",
                           display_name="Nurse N")
    session.users.add_user(username="doc", role=Role.CLINICIAN, passphrase="doctor passphrase")
    return session


def test_users_are_listed_and_unique(team):
    users = {u.username: u for u in team.users.list_users()}
    assert {n: u.role for n, u in users.items()} == {
        "admin": Role.ADMIN, "doc": Role.CLINICIAN, "nurse": Role.ASSISTANT}
    assert users["nurse"].display_name == "Nurse N"
    with pytest.raises(ValidationError, match="taken"):
        team.users.add_user(username="NURSE", role="clinician", passphrase="another passphrase")
    with pytest.raises(ValidationError):
        team.users.add_user(username="x2", role="superuser", passphrase="another passphrase")
    assert "user change" in [e.action for e in team.audit.entries(3)]


def test_assistant_registers_patients_and_drafts_but_cannot_sign(team, unlock):
    nurse = unlock(user="nurse", passphrase="nurse passphrase")
    try:
        p = nurse.records.add_patient(name="Walk In", sex="male")
        enc = nurse.records.new_encounter(p.id)
        nurse.records.save_draft(enc.id, note="Triage: fever", vitals=Vitals(temp_c=39))
        nurse.records.add_allergy(p.id, substance="Aspirin")
        for call in (lambda: nurse.records.sign_encounter(enc.id),
                     lambda: nurse.records.add_medication(p.id, name="Paracetamol"),
                     lambda: nurse.records.add_problem(p.id, description="Fever"),
                     lambda: nurse.records.save_assessment(enc.id, {}),
                     lambda: nurse.users.list_users(),
                     lambda: nurse.audit.entries(10),
                     lambda: nurse.audit.verify(),
                     lambda: nurse.records.damaged_records(),
                     lambda: nurse.audit.record("export", patient_id=p.id)):
            with pytest.raises(PermissionDenied):
                call()
    finally:
        nurse.lock()
    doc = unlock(user="doc", passphrase="doctor passphrase")
    try:
        # before taking it over the clinician may only read the assistant's triage draft
        with pytest.raises(PermissionDenied, match="being written by nurse"):
            doc.records.save_draft(enc.id, note="Triage: fever.", vitals=Vitals(temp_c=39))
        # a clinician takes over the assistant's triage draft (audited) and signs it
        taken = doc.records.take_over_draft(enc.id)
        assert [(h.kind, h.from_user, h.to_user, h.note) for h in taken.handovers] == [
            ("take over", "nurse", "doc", "Triage: fever")]
        doc.records.save_draft(enc.id, note="Triage: fever. Malaria RDT positive.",
                               vitals=Vitals(temp_c=39))
        signed = doc.records.sign_encounter(enc.id)
        assert signed.status is NoteStatus.SIGNED and signed.signed_by == "doc"
        assert signed.author == "nurse"
        doc.audit.record("print", patient_id=p.id)
        with pytest.raises(PermissionDenied):
            doc.users.add_user(username="x", role="admin", passphrase="whatever pass")
        with pytest.raises(PermissionDenied):
            doc.audit.verify()
    finally:
        doc.lock()


def test_deactivated_user_cannot_unlock(team, unlock):
    team.users.deactivate_user("nurse")
    assert not {u.username: u for u in team.users.list_users()}["nurse"].active
    with pytest.raises(AuthError):
        unlock(user="nurse", passphrase="nurse passphrase")


def test_last_admin_and_self_cannot_be_deactivated(team):
    with pytest.raises(ValidationError):
        team.users.deactivate_user("admin")
    with pytest.raises(ValidationError):
        team.users.deactivate_user("nobody")


def test_audit_record_accepts_only_known_actions(team):
    with pytest.raises(ValidationError):
        team.audit.record("Amina Yusuf viewed")
    team.audit.record("export", patient_id="P1")
    assert team.audit.entries(1)[0].action == "export"
