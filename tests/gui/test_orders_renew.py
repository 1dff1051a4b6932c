"""Renewing current medications from the Orders panel (issue 14; OpenMRS drug orders' RENEW and
REVISE): Renew (or Enter on the current medication) prefills the order from the charted dose, the
order row shows its action, a changed amount makes it a revision, "Renew all" orders every current
medication again, no duplicate alert against the medication renewed; and in the real window, signing
puts the renewal in the place of the current medication instead of beside it."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from lantern.domain.records import Vitals
from lantern.gui.errors import Button, MessageBox
from lantern.gui.extensions import install_orders

from .test_extensions import _open_encounter, window  # noqa: F401  (the real window over the real vault)
from .test_orders_override_and_print import _saved
from .test_orders_panel import _alerts, panel  # noqa: F401  (the panel over the fixture formulary)

WARFARIN = {"name": "Warfarin", "dose": "5 mg", "route": "oral", "frequency": "once daily for 30 days"}
BRUFEN = {"name": "Brufen", "dose": "400 mg", "route": "oral", "frequency": "tds"}


def test_renew_by_keyboard_prefills_the_charted_dose_and_shows_the_action(qtbot, panel):  # noqa: F811
    panel.set_input("", Vitals(weight_kg=70), 50, "male", False)
    panel.set_chart(allergies=[], medications=["Warfarin"], details=[WARFARIN])
    panel.current.setFocus()
    qtbot.keyClick(panel.current, Qt.Key.Key_Return)
    assert (panel.search.text(), panel.dose.value(), panel.unit.currentText(), panel.times.value(),
            panel.days.value(), panel.action.currentData()) == ("Warfarin", 5, "mg", 1, 30, "renew")
    with qtbot.waitSignal(panel.orders_changed) as changed:
        qtbot.keyClick(panel.add_button, Qt.Key.Key_Space)
    assert changed.args[0][0]["action"] == "renew"
    assert panel.table.item(0, 6).text() == "renew"
    assert not [t for t in _alerts(panel) if "duplicate" in t]
    assert panel.action.currentData() == "new"                  # the next order is new again
    # the same medicine as a new order: a duplicate of the current one
    panel.search.setText("warfarin")
    panel.choose()
    panel.dose.setValue(5)
    panel.days.setValue(30)
    panel.add_order()
    assert panel.table.item(1, 6).text() == "new"
    assert any(t.startswith("Order 2 · WARN · duplicate") for t in _alerts(panel))


def test_a_renewal_whose_amount_is_changed_is_a_revision(qtbot, panel):  # noqa: F811
    panel.set_input("", Vitals(weight_kg=70), 50, "male", False)
    panel.set_chart(allergies=[], medications=["Warfarin"], details=[WARFARIN])
    panel.renew_selected()
    panel.dose.setValue(3)
    panel.add_order()
    assert panel.orders_payload()[0]["action"] == "revise" and panel.table.item(0, 6).text() == "revise"
    assert not [t for t in _alerts(panel) if "duplicate" in t]


def test_renew_all_orders_every_readable_current_medication_once(qtbot, panel):  # noqa: F811
    panel.set_input("", Vitals(weight_kg=70), 50, "male", False)
    unreadable = {"name": "amoxicillin", "dose": "", "route": "oral", "frequency": ""}
    panel.set_chart(allergies=[], medications=["Warfarin", "Brufen", "amoxicillin"],
                    details=[WARFARIN, BRUFEN, unreadable])
    with qtbot.waitSignal(panel.orders_changed) as changed:
        panel.renew_all_button.click()
    assert [(o["drug"], o["dose"], o["times_per_day"], o["action"]) for o in changed.args[0]] == [
        ("Warfarin", 5, 1, "renew"), ("Brufen", 400, 3, "renew")]
    assert "amoxicillin" in panel.dose_line.text()              # named for the prescriber to renew by hand
    texts = _alerts(panel)
    assert not [t for t in texts if "duplicate" in t]
    assert any("interaction" in t and "Warfarin" in t for t in texts)   # the renewals still meet each other
    with qtbot.assertNotEmitted(panel.orders_changed):
        panel.renew_all()                                       # nothing left to renew
    # removing a renewal (Delete) loses nothing else
    panel.table.setCurrentCell(1, 0)
    panel.remove_selected()
    assert [o["drug"] for o in panel.orders_payload()] == ["Warfarin"]


def test_signing_a_renewal_replaces_the_current_medication(qtbot, window):  # noqa: F811
    w = window
    orders_panel = install_orders(w)
    qtbot.waitUntil(lambda: orders_panel._formulary is not None, timeout=10_000)
    records = w.bridge.session.records
    patient, enc = _open_encounter(qtbot, w, note="Review on warfarin, INR in range. Plan: continue.",
                                   vitals=Vitals(weight_kg=64))
    records.add_medication(patient.id, name="Marevan 5mg", dose="5 mg", route="oral", frequency="od")
    w.chart.medications.load(patient.id)
    qtbot.waitUntil(lambda: orders_panel.current.count() == 1, timeout=5000)
    orders_panel.renew_selected()
    assert orders_panel.action.currentData() == "renew" and orders_panel.dose.value() == 5
    orders_panel.add_order()
    _saved(qtbot, orders_panel)
    stored = records.get_encounter(enc.id).orders
    assert [(o.drug_id, o.action) for o in stored] == [("warfarin", "renew")]
    assert not [a for a in stored[0].alerts if a.kind == "duplicate"]
    html = re.sub(r"<[^>]+>", " ", orders_panel.prescription_html("en"))
    assert "- continue" in html
    assert "（续用）" in orders_panel.prescription_html("zh")
    sheet = re.sub(r"<[^>]+>", " ", orders_panel.instruction_html("en"))
    assert "keep taking it as before" in sheet
    MessageBox.set_next_answer(Button.Yes)            # "Sign this note?"
    with qtbot.waitSignal(w.encounter_view.signed, timeout=5000):
        w.encounter_view.request_sign()
    qtbot.waitUntil(lambda: any(m.name == "Warfarin" for m in w.chart.medications._items), timeout=5000)
    active = [m for m in records.list_medications(patient.id) if m.active]
    assert [(m.name, m.dose) for m in active] == [("Warfarin", "5 mg")]
    assert [m.name for m in records.list_medications(patient.id) if not m.active] == ["Marevan 5mg"]
