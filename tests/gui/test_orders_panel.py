"""The Orders panel: search (brand, Chinese, typo), the dose prefilled for this patient,
orders checked as they are added, alerts in colour, keyboard only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lantern.clinical.prescribing import build_index, read_formulary
from lantern.domain.records import Vitals
from lantern.gui.orders_panel import SEVERITY_COLOR, OrdersPanel
from tests.unit.prescribing.helpers import FIXTURE


@pytest.fixture
def panel(qtbot):
    p = OrdersPanel()
    formulary = read_formulary(FIXTURE)
    p.set_formulary((formulary, build_index(formulary)))
    qtbot.addWidget(p)
    p.show()
    return p


def _type(qtbot, panel, text: str) -> None:
    panel.search.setFocus()
    panel.search.clear()
    if text.isascii():
        qtbot.keyClicks(panel.search, text)
    else:                      # an input method commits Chinese text in one go
        panel.search.insert(text)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)


def _alerts(panel) -> list[str]:
    return [panel.alerts.item(i).text() for i in range(panel.alerts.count())]


def test_brand_name_prefills_the_childs_dose_and_adds_a_clean_order(qtbot, panel):
    panel.set_input("", Vitals(weight_kg=11), 2, "male", False)
    _type(qtbot, panel, "amoxil")
    assert "Amoxicillin 437.5 mg (40 mg/kg) twice daily for 5 days" in panel.dose_line.text()
    assert panel.dose.value() == 437.5 and panel.unit.currentText() == "mg" and panel.times.value() == 2
    with qtbot.waitSignal(panel.checked, timeout=60_000) as done:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "amoxil"
    assert not [a for a in done.args[0].alerts if a.severity != "info"]


def test_chart_allergy_turns_the_order_red(qtbot, panel):
    panel.set_input("", Vitals(weight_kg=60), 30, "female", False)
    _type(qtbot, panel, "阿莫西林")
    assert panel.dose_line.text().startswith("阿莫西林 500 mg")
    panel.add_button.click()
    panel.set_chart(allergies=["青霉素 rash"], medications=[])
    first = _alerts(panel)[0]
    assert first.startswith("Order 1 · STOP · allergy: Amoxicillin is one of the Penicillins")
    assert panel.alerts.item(0).foreground().color().name() == SEVERITY_COLOR["stop"]
    assert panel.table.item(0, 0).foreground().color().name() == SEVERITY_COLOR["stop"]


def test_typo_weight_missing_and_unknown_drug(qtbot, panel):
    panel.set_input("", None, 3, "female", False)
    _type(qtbot, panel, "ibuprofem")
    assert panel.dose_line.text() == "Ibuprofen is dosed by weight: the weight is needed"
    panel.dose.setValue(100)
    panel.days.setValue(3)
    panel.add_button.click()
    _type(qtbot, panel, "zorbaquintex")
    # an unknown drug cannot be checked: it is not ordered (``prescribe --check`` alerts it)
    assert "Not in the formulary: it cannot be ordered here" in panel.dose_line.text()
    assert not panel.add_button.isEnabled()
    panel.add_order()
    assert panel.table.rowCount() == 1
    texts = _alerts(panel)
    assert any(t.startswith("Order 1 · WARN · missing_data") for t in texts)


def test_interaction_with_a_current_medication_and_remove_with_delete(qtbot, panel):
    panel.set_input("", Vitals(weight_kg=70), 50, "male", False)
    panel.set_chart(allergies=[], medications=["Warfarin"])
    _type(qtbot, panel, "brufen")
    panel.days.setValue(3)
    panel.add_button.click()
    assert any("interaction" in t and "Warfarin" in t for t in _alerts(panel))
    panel.table.setCurrentCell(0, 0)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert panel.table.rowCount() == 0 and panel.alerts.count() == 0


def test_chinese_ui_shows_routes_and_alert_kinds_in_chinese(qtbot, zh_ui):
    panel = OrdersPanel()
    formulary = read_formulary(FIXTURE)
    panel.set_formulary((formulary, build_index(formulary)))
    qtbot.addWidget(panel)
    panel.show()
    routes = [panel.route.itemText(i) for i in range(panel.route.count())]
    assert "口服" in routes and "静脉注射" in routes and "oral" not in routes
    assert panel.route.currentText() == "口服" and panel.route.currentData() == "oral"
    panel.set_input("", Vitals(weight_kg=60), 30, "female", False)
    _type(qtbot, panel, "阿莫西林")
    panel.add_button.click()
    panel.set_chart(allergies=["青霉素 rash"], medications=[])
    # the order keeps the checker's word; the table and the alert say it in Chinese
    assert panel.orders_payload()[0]["route"] == "oral"
    assert panel.table.item(0, 3).text() == "口服"
    first = _alerts(panel)[0]
    assert " · 停止 · 过敏: " in first, first
