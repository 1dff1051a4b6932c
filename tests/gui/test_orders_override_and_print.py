"""Orders in the real window over the real vault: a stop alert overridden only with a
reason (keyboard only, in the override dialog), the orders stored with the encounter and
restored when it is opened again, signing putting them on the chart's medications (and
so into the summary's medication lines), and the printed prescription (PDF, EN and ZH,
audited without patient data)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from lantern.domain.records import Vitals
from lantern.gui.errors import Button, MessageBox
from lantern.gui.extensions import install_orders
from lantern.gui.orders_panel import SEVERITY_COLOR, OverrideDialog

from .test_extensions import _open_encounter, window  # noqa: F401  (the real window over the real vault)
from .test_orders_panel import _type, panel  # noqa: F401  (the panel over the fixture formulary)


def _select_alert(orders, kind: str) -> int:
    for i in range(orders.alerts.count()):
        if f"· {kind}:" in orders.alerts.item(i).text() and orders.alerts.item(i).data(Qt.ItemDataRole.UserRole):
            orders.alerts.setCurrentRow(i)
            return i
    raise AssertionError(f"no {kind} alert")


def test_a_stop_is_overridden_only_with_a_reason_all_by_keyboard(qtbot, panel):  # noqa: F811
    panel.set_input("", Vitals(weight_kg=60), 30, "female", False)
    panel.set_chart(allergies=["penicillin"], medications=[])
    _type(qtbot, panel, "amoxicillin")
    with qtbot.waitSignal(panel.orders_changed, timeout=60_000):
        qtbot.keyClick(panel.add_button, Qt.Key.Key_Space)
    row = _select_alert(panel, "allergy")
    panel.alerts.setFocus()
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, OverrideDialog)
        qtbot.keyClick(dialog.reasons, Qt.Key.Key_Return)         # nothing picked, nothing typed: refused
        seen.append(dialog.problem.text())
        assert dialog.isVisible()
        dialog.reasons.setFocus()
        qtbot.keyClick(dialog.reasons, Qt.Key.Key_Down)           # the first listed reason
        qtbot.keyClick(dialog.reasons, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(panel.orders_changed, timeout=60_000) as changed:
        qtbot.keyClick(panel.alerts, Qt.Key.Key_Return)
    assert seen == ["An override needs a reason: pick one or type it."]
    override = changed.args[0][0]["overrides"]
    assert override == [{"alert": panel.alerts.item(row).data(Qt.ItemDataRole.UserRole)["key"],
                         "reason": "Taken before without a reaction", "reason_code": "tolerated_before"}]
    item = next(panel.alerts.item(i) for i in range(panel.alerts.count())
                if "overridden: Taken before without a reaction" in panel.alerts.item(i).text())
    assert item.foreground().color().name() == SEVERITY_COLOR["info"]
    assert item.data(Qt.ItemDataRole.UserRole)["overridden"]                  # it cannot be overridden twice
    panel.alerts.setCurrentItem(item)
    assert not panel.override_button.isEnabled() and not panel.override_selected(("again", "other"))


def test_a_typed_reason_is_other_and_an_empty_one_is_refused(qtbot, panel):  # noqa: F811
    panel.set_input("", Vitals(weight_kg=60), 30, "female", False)
    panel.set_chart(allergies=["penicillin"], medications=[])
    _type(qtbot, panel, "amoxicillin")
    panel.add_order()
    _select_alert(panel, "allergy")
    assert not panel.override_selected(("   ", "other"))
    assert panel.status.text() == "An override needs a reason: pick one or type it."
    assert panel.orders_payload()[0]["overrides"] == []
    dialog = OverrideDialog("alert", zh=False)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.typed, "mother sure no rash last year")
    assert dialog.reasons.currentData() == "other"
    assert dialog.reason() == ("mother sure no rash last year", "other")


def test_zero_dose_and_unknown_drug_add_nothing(qtbot, panel):  # noqa: F811
    panel.set_input("", Vitals(weight_kg=60), 30, "male", False)
    _type(qtbot, panel, "ibuprofen")
    panel.dose.setValue(0)
    with qtbot.assertNotEmitted(panel.orders_changed):
        panel.add_order()
    assert panel.dose_line.text() == "The dose must be more than zero." and panel.table.rowCount() == 0
    _type(qtbot, panel, "zorbaquintex")
    with qtbot.assertNotEmitted(panel.orders_changed):
        panel.add_order()
    assert panel.table.rowCount() == 0


# -- the real window ------------------------------------------------------------------------
def _saved(qtbot, orders):
    qtbot.waitUntil(lambda: orders.status.text() == "Orders saved with the encounter.", timeout=60_000)


def test_orders_are_stored_restored_signed_onto_the_chart_and_printed(qtbot, window, tmp_path):  # noqa: F811
    w = window
    orders_panel = install_orders(w)
    qtbot.waitUntil(lambda: orders_panel._formulary is not None, timeout=60_000)
    records = w.bridge.session.records
    note = "3 yo, cough and fast breathing 2 days. Chest indrawing. Plan: oral antibiotic, review in 2 days."
    patient, enc = _open_encounter(qtbot, w, note=note, vitals=Vitals(temp_c=38.9, resp_rate=52, weight_kg=11))
    records.add_allergy(patient.id, substance="penicillin", reaction="rash")
    w.chart.allergies.load(patient.id)
    qtbot.waitUntil(lambda: orders_panel._allergies == ("penicillin rash",), timeout=60_000)

    _type(qtbot, orders_panel, "amoxil")
    assert orders_panel.dose.value() == 437.5
    if orders_panel.days.value() == 0:            # the calculator gave no duration: the prescriber must
        with qtbot.assertNotEmitted(orders_panel.orders_changed):
            orders_panel.add_order()
        assert orders_panel.dose_line.text() == "For how many days? Set the duration."
        orders_panel.days.setValue(5)
    orders_panel.add_order()
    _saved(qtbot, orders_panel)
    stored = records.get_encounter(enc.id).orders
    assert [(o.drug_id, o.dose, o.computed_from) for o in stored] == [("amoxicillin", 437.5, "40 mg/kg")]
    assert stored[0].open_stops                                         # the service found the allergy too
    assert orders_panel.print_button.isEnabled() and orders_panel.pdf_button.isEnabled()   # saved orders may be printed

    # the summary lists the ordered medicine through the chart's medication path before signing
    def summary_meds() -> list[str]:
        return [m["name"] for m in w.summary_panel._payload.get("chart_medications") or [] if isinstance(m, dict)]

    assert summary_meds() == ["Amoxicillin"]
    with qtbot.waitSignal(w.summary_panel.summary_ready, timeout=60_000):
        w.summary_panel.start()
    medications = next(line for line in w.summary_panel.editor.toPlainText().splitlines()
                       if line.startswith("Medications:"))
    assert "amoxicillin 437.5 mg" in medications.lower() and "twice daily for 5 days" in medications

    # signing with the stop open is refused, with the service's message
    with pytest.raises(Exception, match="stop alert not overridden"):
        records.sign_encounter(enc.id)

    _select_alert(orders_panel, "allergy")
    assert orders_panel.override_selected(("Had it in 2025, no rash", "other"))
    _saved(qtbot, orders_panel)
    ov = records.get_encounter(enc.id).orders[0].overrides[0]
    assert (ov.kind, ov.reason, ov.by) == ("allergy", "Had it in 2025, no rash", "amina")
    entry = w.bridge.session.audit.entries(5)
    assert ("override alert", "order 1: allergy (stop); reason: other") in [(e.action, e.detail) for e in entry]

    # reopening the encounter brings the orders and the override back
    orders_panel.restore((), read_only=True)
    with qtbot.waitSignal(w.encounter_view.encounter_opened, timeout=60_000):
        w.encounter_view.open_encounter(records.get_encounter(enc.id), w.chart.patient)
    assert orders_panel.table.rowCount() == 1 and orders_panel.table.item(0, 0).text() == "amoxil"
    assert any("overridden: Had it in 2025, no rash" in orders_panel.alerts.item(i).text()
               for i in range(orders_panel.alerts.count()))

    # the printed prescription: every part, EN and ZH, and the PDF audited
    html = re.sub(r"<[^>]+>", " ", orders_panel.prescription_html("en"))
    for part in ("Prescription", "MARKERNAME Grace", patient.id, "Age:", "Weight: 11 kg", "penicillin rash",
                 "Amoxicillin (amoxil)", "437.5 mg", "by mouth", "twice daily", "5 days",
                 "175 ml (125 mg/5 ml oral suspension)", "Alert overridden", "Prescriber", "Signature", "Date:"):
        assert part in html, part
    zh = re.sub(r"<[^>]+>", " ", orders_panel.prescription_html("zh"))
    for part in ("处方笺", "体重：11 kg", "过敏史", "阿莫西林（amoxil）", "口服", "每日2次", "5天", "处方医生", "签名"):
        assert part in zh, part
    out = orders_panel.export_pdf(str(tmp_path / "rx.pdf"))
    assert out and (tmp_path / "rx.pdf").read_bytes().startswith(b"%PDF-")
    qtbot.waitUntil(lambda: any(e.action == "export" for e in w.bridge.session.audit.entries(5)), timeout=60_000)
    export = next(e for e in w.bridge.session.audit.entries(5) if e.action == "export")
    assert (export.patient_id, export.record_id, export.detail) == (patient.id, enc.id, "")

    # signing puts the order on the chart's medications, and the summary reads them from there
    MessageBox.set_next_answer(Button.Yes)            # "Sign this note?"
    with qtbot.waitSignal(w.encounter_view.signed, timeout=60_000):
        w.encounter_view.request_sign()
    qtbot.waitUntil(lambda: any(m.name == "Amoxicillin" for m in w.chart.medications._items), timeout=60_000)
    med = records.list_medications(patient.id)[0]
    assert (med.name, med.dose, med.frequency) == ("Amoxicillin", "437.5 mg", "twice daily for 5 days")
    assert orders_panel._read_only and not orders_panel.add_button.isEnabled()
    assert summary_meds() == ["Amoxicillin"]                              # from the chart now, once


def test_a_refused_save_says_why_and_keeps_the_stored_orders(qtbot, window):  # noqa: F811
    w = window
    orders_panel = install_orders(w)
    qtbot.waitUntil(lambda: orders_panel._formulary is not None, timeout=60_000)
    patient, enc = _open_encounter(qtbot, w, vitals=Vitals(weight_kg=11))
    with qtbot.waitSignal(orders_panel.orders_changed, timeout=60_000):
        orders_panel.orders_changed.emit([{"drug": "paracetamol", "dose": -5, "unit": "mg", "route": "oral",
                                    "times_per_day": 4, "days": 3, "overrides": []}])
    qtbot.waitUntil(lambda: orders_panel.status.text().startswith("Not saved:"), timeout=60_000)
    assert "the dose must be more than zero" in orders_panel.status.text()
    assert w.bridge.session.records.get_encounter(enc.id).orders == ()
