"""Settings → Referral letters: the letterhead and the receiving facilities are typed,
checked as they are typed (OK stays disabled while something is wrong), usable from
the keyboard, stored in the settings file and offered per letter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from lantern.gui.letter_bar import LetterBar
from lantern.gui.settings_dialog import GuiSettings, SettingsDialog
from lantern.services.letter_layout import (
    Facility,
    Letterhead,
    facilities_from_data,
    facility_problems,
)

HOSPITAL = Facility("County Hospital", "Station Rd", "+254 57 202 0801", "hospital")


def _dialog(qtbot, **kwargs):
    dialog = SettingsDialog(minutes=5, **kwargs)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.letters)
    dialog.show()
    return dialog, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_facilities_are_added_and_edited_from_the_keyboard(qtbot):
    dialog, ok = _dialog(qtbot, letterhead=Letterhead("Hillside"), facilities=[HOSPITAL])
    page = dialog.letters
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Insert)                 # Insert adds a facility
    assert page.list.count() == 2 and dialog.focusWidget() is page.fac_name
    assert not ok.isEnabled() and "needs a name" in page.problem_label.text()
    qtbot.keyClicks(page.fac_name, "Mission Lab")
    qtbot.keyClicks(page.fac_phone, "0700 111 222")
    page.fac_kind.setCurrentIndex(page.fac_kind.findData("laboratory"))
    assert ok.isEnabled() and page.problem_label.text() == ""
    assert page.facilities()[1] == Facility("Mission Lab", "", "0700 111 222", "laboratory")
    page.list.setCurrentRow(0)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)                 # Delete removes the selected one
    assert [f.name for f in page.facilities()] == ["Mission Lab"]


@pytest.mark.parametrize(("field", "text", "problem"), [
    ("clinic_phone", "call me maybe", "phone number may contain"),
    ("fac_phone", "ring 5", "phone number may contain")])
def test_bad_values_keep_ok_disabled_with_a_message(qtbot, field, text, problem):
    dialog, ok = _dialog(qtbot, facilities=[HOSPITAL])
    edit = getattr(dialog.letters, field)
    edit.clear()
    qtbot.keyClicks(edit, text)
    assert not ok.isEnabled() and problem in dialog.letters.problem_label.text()
    edit.clear()
    qtbot.keyClicks(edit, "+254 700 1")
    assert ok.isEnabled()


def test_duplicate_names_are_refused(qtbot):
    dialog, ok = _dialog(qtbot, facilities=[HOSPITAL])
    dialog.letters.add_facility()
    qtbot.keyClicks(dialog.letters.fac_name, "county hospital")
    assert not ok.isEnabled() and "same name" in dialog.letters.problem_label.text()


def test_settings_file_keeps_letterhead_and_facilities(tmp_path):
    settings = GuiSettings(tmp_path)
    assert settings.letterhead == Letterhead() and settings.facilities == []
    settings.letterhead = Letterhead("Hillside 诊所", "Km 12", "+254 700")
    settings.facilities = [HOSPITAL, Facility("乡卫生院", kind="health_centre")]
    again = GuiSettings(tmp_path)
    assert again.letterhead == Letterhead("Hillside 诊所", "Km 12", "+254 700")
    assert again.facilities == [HOSPITAL, Facility("乡卫生院", kind="health_centre")]
    with pytest.raises(ValueError):
        settings.facilities = [Facility("")]
    assert GuiSettings(tmp_path).facilities == [HOSPITAL, Facility("乡卫生院", kind="health_centre")]


def test_a_damaged_settings_entry_is_skipped_not_fatal(tmp_path):
    settings = GuiSettings(tmp_path)
    settings._qs.setValue("letters/facilities", "[not json")
    assert settings.facilities == []
    assert facilities_from_data([{"name": "A", "kind": "spaceport"}, {"name": "B"}, "x"]) == [Facility("B")]
    assert facility_problems(Facility("A", phone="1" * 60))


def test_the_letter_bar_offers_the_list_or_a_typed_facility(qtbot):
    bar = LetterBar()
    qtbot.addWidget(bar)
    listed = [HOSPITAL]
    bar.set_facility_source(lambda: listed)
    assert bar.facility() is None
    bar.facility_box.setCurrentIndex(0)
    assert bar.facility() == HOSPITAL
    bar.set_facility_name("Private Clinic X")
    assert bar.facility() == Facility("Private Clinic X", kind="other")
    listed.append(Facility("Private Clinic X", phone="0700", kind="clinic"))
    bar.reload()                                                   # Settings changed: the typed name now matches
    assert bar.facility() == listed[1]
