"""Drafts across colleagues in the services, over the real vault: one writer at a
time, hand-over only to a clinician by the writer, take-over only by clinicians,
both audited, and who wrote what kept with the encounter."""

from __future__ import annotations

import pytest

from lantern.domain.errors import PermissionDenied, ValidationError
from lantern.domain.records import Vitals
from lantern.services.draft_handover import DraftAccess, contributions


@pytest.fixture
def team(session, unlock):
    session.users.add_user(username="doc", role="clinician", passphrase="doctor passphrase")
    session.users.add_user(username="nurse", role="assistant", passphrase="nurse passphrase")
    opened = []

    def login(user):
        s = unlock(user=user, passphrase=f"{'doctor' if user == 'doc' else user} passphrase")
        opened.append(s)
        return s

    yield login
    for s in opened:
        s.lock()


def test_hand_over_rules_and_who_wrote_what(session, team):
    nurse = team("nurse")
    p = nurse.records.add_patient(name="Walk In", sex="male")
    enc = nurse.records.new_encounter(p.id)
    nurse.records.save_draft(enc.id, note="Triage: fever", vitals=Vitals(temp_c=39))
    with pytest.raises(ValidationError):
        nurse.records.hand_over_draft(enc.id, to="nurse")           # not to oneself
    with pytest.raises(ValidationError):
        nurse.records.hand_over_draft(enc.id, to="nobody")          # not to an unknown user
    with pytest.raises(PermissionDenied):
        nurse.records.take_over_draft(enc.id)                       # assistants never take over
    handed = nurse.records.hand_over_draft(enc.id, to="DOC")
    assert handed.editor == "doc" and handed.author == "nurse"
    assert nurse.records.draft_access(handed) is DraftAccess.READ_ONLY
    with pytest.raises(PermissionDenied, match="being written by doc"):
        nurse.records.save_draft(enc.id, note="Triage: fever!", vitals=Vitals())
    with pytest.raises(PermissionDenied):
        nurse.records.hand_over_draft(enc.id, to="admin")           # only the writer hands over

    doc = team("doc")
    assert doc.records.draft_access(doc.records.get_encounter(enc.id)) is DraftAccess.EDIT
    assert doc.records.take_over_draft(enc.id).handovers == handed.handovers   # already mine
    doc.records.save_draft(enc.id, note="Triage: fever. RDT positive.", vitals=Vitals(temp_c=39))
    taken = session.records.take_over_draft(enc.id)                 # the admin takes it over
    assert [(h.kind, h.from_user, h.to_user) for h in taken.handovers] == [
        ("hand over", "nurse", "doc"), ("take over", "doc", "admin")]
    assert contributions(taken) == [("nurse", len("Triage: fever")), ("doc", len(". RDT positive.")),
                                    ("admin", 0)]
    signed = session.records.sign_encounter(enc.id)
    assert signed.signed_by == "admin" and signed.author == "nurse"
    assert doc.records.draft_access(signed) is DraftAccess.READ_ONLY
    with pytest.raises(ValidationError):
        session.records.take_over_draft(enc.id)
    audit = [(e.username, e.action, e.detail) for e in session.audit.entries(20)]
    assert ("nurse", "hand over draft", "nurse -> doc") in audit
    assert ("admin", "take over draft", "doc -> admin") in audit
    assert {u.username for u in doc.users.colleagues()} == {"admin"}
