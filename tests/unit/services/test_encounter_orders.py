"""Drug orders stored with the encounter, in the real vault: checked by the service
(never the caller's alerts), overrides only with a reason and audited without patient
data, refused bad input saving nothing, reopened with the encounter, and on signing the
chart's medications updated (an open stop alert refuses the signature)."""

from __future__ import annotations

import pytest
from tests.unit.vault.raw_vault import stored_payloads

from lantern.domain.errors import PermissionDenied, ValidationError
from lantern.domain.records import NoteStatus, Role, Vitals

ADMIN_PASS = "admin passphrase 1"
AMOX = {"drug": "amoxil", "dose": 437.5, "unit": "mg", "route": "oral", "times_per_day": 2, "days": 5}


@pytest.fixture
def child(session):
    rec = session.records
    p = rec.add_patient(name="Baraka Otieno", sex="male", birth_year=2024)
    enc = rec.new_encounter(p.id)
    rec.save_draft(enc.id, note="Cough and fast breathing 2 days.", vitals=Vitals(weight_kg=11))
    return p, enc


def _alert(enc, kind):
    return next(a for a in enc.orders[0].alerts if a.kind == kind)


def test_orders_are_stored_encrypted_and_come_back_with_the_encounter(session, child, vault_file):
    p, enc = child
    saved = session.records.save_orders(enc.id, [AMOX])
    order = saved.orders[0]
    assert (order.drug_id, order.dose, order.unit, order.times_per_day, order.days) == \
        ("amoxicillin", 437.5, "mg", 2, 5)
    assert order.computed_from == "40 mg/kg"
    assert not [a for a in order.alerts if a.severity != "info"]
    again = session.records.get_encounter(enc.id)
    assert again.orders == saved.orders and again.note == "Cough and fast breathing 2 days."
    stored = stored_payloads(vault_file, username="admin", passphrase=ADMIN_PASS)["encounters", enc.id]
    assert stored["_v"] == 5 and stored["orders"][0]["drug_id"] == "amoxicillin"
    assert b"amoxil" not in vault_file.read_bytes()          # encrypted like the note
    assert [(e.action, e.detail) for e in session.audit.entries(1)] == [("save orders", "1 order(s)")]


def test_a_stop_alert_needs_an_override_with_a_reason_to_sign(session, child):
    p, enc = child
    rec = session.records
    rec.add_allergy(p.id, substance="penicillin", reaction="rash")
    saved = rec.save_orders(enc.id, [AMOX])
    stop = _alert(saved, "allergy")
    assert stop.severity == "stop" and saved.orders[0].open_stops == (stop,)
    with pytest.raises(ValidationError, match=r"Cannot sign: order 1 \(amoxil\) has a stop alert not overridden"):
        rec.sign_encounter(enc.id)
    assert rec.get_encounter(enc.id).status is NoteStatus.DRAFT
    assert [m for m in rec.list_medications(p.id)] == []
    # an override without a reason: refused, nothing stored
    before = len(session.audit.entries(500))
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="an override needs a reason"):
            rec.save_orders(enc.id, [{**AMOX, "overrides": [{"alert": stop.key, "reason": reason}]}])
    assert rec.get_encounter(enc.id).orders[0].overrides == ()
    assert len(session.audit.entries(500)) == before
    typed = "Had amoxicillin in 2025 with no rash; mother sure"
    saved = rec.save_orders(enc.id, [{**AMOX, "overrides": [{"alert": stop.key, "reason": typed}]}])
    ov = saved.orders[0].overrides[0]
    assert (ov.kind, ov.severity, ov.reason, ov.reason_code, ov.by) == ("allergy", "stop", typed, "other", "admin")
    entries = session.audit.entries(2)
    assert [(e.action, e.detail) for e in entries] == [
        ("override alert", "order 1: allergy (stop); reason: other"), ("save orders", "1 order(s)")]
    assert all(typed not in e.detail and "amox" not in e.detail for e in entries)   # no patient data in the log
    # saving again keeps who and when of the override, and audits no new one
    again = rec.save_orders(enc.id, [{**AMOX, "overrides": [{"alert": stop.key, "reason": typed}]}])
    assert again.orders[0].overrides == (ov,)
    assert session.audit.entries(1)[0].action == "save orders"
    signed = rec.sign_encounter(enc.id)
    assert signed.status is NoteStatus.SIGNED and signed.orders[0].overrides == (ov,)
    meds = rec.list_medications(p.id)
    assert [(m.name, m.dose, m.route, m.frequency) for m in meds] == [
        ("Amoxicillin", "437.5 mg", "oral", "twice daily for 5 days")]
    with pytest.raises(ValidationError, match="signed"):
        rec.save_orders(enc.id, [])


def test_a_picked_reason_and_a_chinese_order_go_to_the_chart_in_chinese(session, child):
    p, enc = child
    rec = session.records
    rec.add_allergy(p.id, substance="青霉素")
    order = {**AMOX, "drug": "阿莫西林"}
    stop = _alert(rec.save_orders(enc.id, [order]), "allergy")
    rec.save_orders(enc.id, [{**order, "overrides": [
        {"alert": stop.key, "reason": "既往使用无不良反应", "reason_code": "tolerated_before"}]}])
    assert session.audit.entries(2)[0].detail == "order 1: allergy (stop); reason: tolerated_before"
    rec.sign_encounter(enc.id)
    med = rec.list_medications(p.id)[0]
    assert (med.name, med.frequency) == ("阿莫西林", "每日2次，共5天")


@pytest.mark.parametrize(("change", "message"), [
    ({"dose": 0}, "Order 2: the dose must be more than zero"),
    ({"dose": -250}, "Order 2: the dose must be more than zero"),
    ({"dose": "lots"}, "Order 2: the dose must be a number"),
    ({"dose": 5e6}, "impossible"),
    ({"drug": "zorbaquintex"}, "'zorbaquintex' is not in the formulary"),
    ({"drug": ""}, "the medicine is required"),
    ({"unit": "spoon"}, "the unit must be one of"),
    ({"route": "nose"}, "unknown route"),
    ({"times_per_day": 0}, "times a day must be a whole number"),
    ({"days": 0}, "the number of days must be a whole number"),
    ({"overrides": [{"alert": "allergy: nothing", "reason": "sure"}]}, "not raised on this order now"),
    ({"overrides": [{"alert": "x", "reason": "sure", "reason_code": "because"}]}, "unknown override reason"),
])
def test_bad_orders_are_refused_with_a_clear_message_and_nothing_saved(session, child, change, message):
    p, enc = child
    rec = session.records
    rec.save_orders(enc.id, [AMOX])
    before = (rec.get_encounter(enc.id), len(session.audit.entries(500)))
    with pytest.raises(ValidationError, match=message):
        rec.save_orders(enc.id, [AMOX, {**AMOX, "drug": "paracetamol", **change}] if "overrides" not in change
                        else [{**AMOX, **change}])
    assert (rec.get_encounter(enc.id), len(session.audit.entries(500))) == before


def test_an_assistant_may_not_prescribe(session, child, unlock):
    p, enc = child
    session.users.add_user(username="nurse", role=Role.ASSISTANT, passphrase="nurse passphrase 22")
    session.lock()
    nurse = unlock("nurse", "nurse passphrase 22")
    try:
        with pytest.raises(PermissionDenied, match="prescribe"):
            nurse.records.save_orders(enc.id, [AMOX])
    finally:
        nurse.lock()


def test_the_chart_is_checked_again_at_signing(session, child):
    """An allergy recorded after the orders were saved still stops the signature."""
    p, enc = child
    rec = session.records
    rec.save_orders(enc.id, [AMOX])
    rec.add_allergy(p.id, substance="amoxicillin", reaction="anaphylaxis")
    with pytest.raises(ValidationError, match="allergy"):
        rec.sign_encounter(enc.id)
    assert rec.list_medications(p.id) == []


def test_a_drug_already_on_the_chart_is_not_added_twice(session, child):
    p, enc = child
    rec = session.records
    rec.add_medication(p.id, name="Paracetamol", dose="120 mg")
    rec.save_orders(enc.id, [AMOX, {"drug": "paracetamol", "dose": 165, "unit": "mg", "route": "oral",
                                    "times_per_day": 4, "days": 3}])
    rec.sign_encounter(enc.id)
    assert sorted(m.name for m in rec.list_medications(p.id)) == ["Amoxicillin", "Paracetamol"]


def test_renewed_and_revised_orders_replace_the_current_medication_when_signed(session):
    """A renewal (or revision) of a current medication, however written (a brand in the chart, the
    generic in the order), takes the chart entry's place instead of standing beside it; a renewal
    keeps the date it was started, a revision starts today; a new order of another drug is added."""
    from datetime import date

    rec = session.records
    p = rec.add_patient(name="Wanjiru Kamau", sex="female", birth_year=1961)
    enc = rec.new_encounter(p.id)
    rec.save_draft(enc.id, note="Diabetes and hypertension review, well.", vitals=Vitals(weight_kg=72))
    old = rec.add_medication(p.id, name="Glucophage 500mg", dose="1 g", frequency="bd", started=date(2024, 3, 1))
    rec.add_medication(p.id, name="amlodipine 5mg", dose="5 mg", frequency="od", started=date(2023, 1, 1))
    saved = rec.save_orders(enc.id, [
        {"drug": "metformin", "dose": 1000, "unit": "mg", "route": "oral", "times_per_day": 2, "days": 30,
         "action": "renew"},
        {"drug": "amlodipine", "dose": 10, "unit": "mg", "route": "oral", "times_per_day": 1, "days": 30,
         "action": "revise"}])
    assert [o.action for o in saved.orders] == ["renew", "revise"]
    assert not [a for o in saved.orders for a in o.alerts if a.kind == "duplicate"]
    assert [o.action for o in rec.get_encounter(enc.id).orders] == ["renew", "revise"]
    with pytest.raises(ValidationError, match="the action 'refill' must be one of new, renew, revise"):
        rec.save_orders(enc.id, [{"drug": "metformin", "dose": 1000, "unit": "mg", "route": "oral",
                                  "times_per_day": 2, "days": 30, "action": "refill"}])
    rec.sign_encounter(enc.id)
    meds = rec.list_medications(p.id)
    active = sorted((m.name, m.dose, m.started) for m in meds if m.active)
    assert active == [("Amlodipine", "10 mg", date.today()), ("Metformin", "1000 mg", date(2024, 3, 1))]
    stopped = {m.id: m.stopped for m in meds if not m.active}
    assert stopped.get(old.id) == date.today() and len(stopped) == 2
    details = [e.detail for e in session.audit.entries(10) if e.action == "stop medication"]
    assert sorted(d.split(" by ")[0] for d in details) == ["renewed", "revised"]
