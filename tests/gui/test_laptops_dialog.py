"""Tools → "Laptops of this clinic…" (issue 18, part 3 in the GUI): the laptops this vault
knows, and "Revoke…" for a lost one after a confirmation: refused from then on, the data
key changed, the background re-encryption started."""

from __future__ import annotations

from lantern.domain.records import Sex
from lantern.gui.enrol_dialogs import LaptopsDialog
from lantern.gui.errors import Button, MessageBox
from lantern.services.sync import enrol as enrol_mod

from .helpers import make_vault, show_and_unlock


def _vault_with_an_enrolled_laptop(vault_dir, tmp_path) -> None:
    session = make_vault(vault_dir)
    try:
        session.records.add_patient(name="Clinic Patient", sex=Sex.FEMALE, birth_year=1988)
        enrol_mod.enrol(session.context, tmp_path / "outreach.enrol", name="outreach")
    finally:
        session.lock()


def _dialog(qtbot, window) -> LaptopsDialog:
    window.laptops_action.trigger()
    qtbot.waitUntil(lambda: window.laptops_dialog is not None, timeout=60_000)
    dialog = window.laptops_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=60_000)
    return dialog


def _rows(dialog) -> list[tuple[str, str]]:
    return [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text())
            for r in range(dialog.table.rowCount())]


def test_revoke_a_lost_laptop_after_confirming(qtbot, main_window, vault_dir, tmp_path):
    _vault_with_an_enrolled_laptop(vault_dir, tmp_path)
    w = main_window
    show_and_unlock(qtbot, w)
    assert w.laptops_action.isVisible()
    dialog = _dialog(qtbot, w)
    rows = _rows(dialog)
    assert ("outreach", "enrolled") in rows and any(status == "this laptop" for _n, status in rows)
    this = next(r for r, (_n, status) in enumerate(rows) if status == "this laptop")
    dialog.table.selectRow(this)
    assert not dialog.revoke_button.isEnabled()          # a laptop cannot revoke itself
    lost = next(r for r, (name, _s) in enumerate(rows) if name == "outreach")
    dialog.table.selectRow(lost)
    assert dialog.revoke_button.isEnabled()
    # "No" at the confirmation: nothing happens
    MessageBox.set_next_answer(Button.No)
    dialog.revoke_selected()
    assert ("outreach", "enrolled") in _rows(dialog) and not dialog.status_label.text()
    with qtbot.waitSignal(w.bridge.key_rotated, timeout=60_000):
        MessageBox.set_next_answer(Button.Yes)
        dialog.revoke_selected()
    qtbot.waitUntil(lambda: ("outreach", "revoked") in _rows(dialog), timeout=60_000)
    assert dialog.status_label.text().startswith("Revoked ") and "key epoch" in dialog.status_label.text()
    assert not dialog.error_label.isVisible()
    dialog.table.selectRow(next(r for r, (n, _s) in enumerate(_rows(dialog)) if n == "outreach"))
    assert not dialog.revoke_button.isEnabled()          # revoked already
    devices = enrol_mod.devices(w.bridge.session.context)
    assert [d.status for d in devices if d.name == "outreach"] == ["revoked"]
