"""Registration in the GUI with the real services: possible duplicates before saving,
the caregiver in the form and the chart header, and the admin-only merge/unmerge."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from lantern.domain.records import Caregiver, Sex
from lantern.gui.duplicate_dialog import DuplicateCandidatesDialog
from lantern.gui.errors import Button, MessageBox
from lantern.gui.formatting import format_age
from lantern.gui.patient_dialog import PatientDialog

from .helpers import ADMIN, PASSPHRASE, make_vault, show_and_unlock

YEAR = date.today().year - 26
MARY = {"name": "Mary Phiri", "sex": Sex.FEMALE, "birth_date": None, "birth_year": YEAR,
        "village": "Nakonde", "phone": "0977 123456", "caregiver": Caregiver()}


def _window(qtbot, main_window, vault_dir, *, user=ADMIN, passphrase=PASSPHRASE, setup=None):
    session = make_vault(vault_dir)
    found = setup(session) if setup else None
    session.lock()
    show_and_unlock(qtbot, main_window, username=user, passphrase=passphrase)
    return found


def _mary(session):
    return session.records.add_patient(**MARY).id


def _duplicate_dialog(qtbot, window) -> DuplicateCandidatesDialog:
    qtbot.waitUntil(lambda: isinstance(window.duplicate_dialog, DuplicateCandidatesDialog)
                    and window.duplicate_dialog.isVisible(), timeout=60_000)
    return window.duplicate_dialog


def test_registering_mary_again_shows_her_and_opens_her_record(qtbot, main_window, vault_dir):
    mary = _window(qtbot, main_window, vault_dir, setup=_mary)
    w = main_window
    w.submit_new_patient({**MARY, "name": "Mari Phiri", "phone": ""})
    dialog = _duplicate_dialog(qtbot, w)
    row = [dialog.table.item(0, c).text() for c in range(6)]
    assert row == ["Mary Phiri", "Female", format_age(26.0), "Nakonde", "0977 123456", "no visit"]
    assert dialog.table.rowCount() == 1 and dialog.chosen_id() == mary
    dialog.open_button.click()
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id == mary,
                    timeout=60_000)
    assert [p.id for p in w.bridge.session.records.search_patients("phiri")] == [mary]


def test_this_is_a_new_patient_saves_and_audits(qtbot, main_window, vault_dir):
    mary = _window(qtbot, main_window, vault_dir, setup=_mary)
    w = main_window
    w.submit_new_patient(dict(MARY))
    dialog = _duplicate_dialog(qtbot, w)
    dialog.new_button.click()
    qtbot.waitUntil(lambda: w.chart.patient is not None and w.chart.patient.id != mary,
                    timeout=60_000)
    session = w.bridge.session
    assert len(session.records.search_patients("phiri")) == 2
    entry = next(e for e in session.audit.entries() if e.action == "create patient")
    assert entry.detail == f"confirmed new patient; possible duplicates: {mary}"


def test_back_to_the_form_keeps_what_was_typed(qtbot, main_window, vault_dir, monkeypatch):
    _window(qtbot, main_window, vault_dir, setup=_mary)
    w = main_window
    shown: list[dict] = []

    def fake_exec(self):        # the form is modal: record what it shows, then cancel
        shown.append(self.values())
        return 0

    monkeypatch.setattr(PatientDialog, "exec", fake_exec)
    w.submit_new_patient({**MARY, "caregiver": Caregiver("Grace", "mother", "")})
    dialog = _duplicate_dialog(qtbot, w)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    assert shown[0]["name"] == "Mary Phiri" and shown[0]["village"] == "Nakonde"
    assert shown[0]["caregiver"] == Caregiver("Grace", "mother", "")
    assert len(w.bridge.session.records.search_patients("phiri")) == 1


def test_the_form_has_caregiver_fields_and_the_chart_shows_them(qtbot, main_window, vault_dir):
    _window(qtbot, main_window, vault_dir)
    form = PatientDialog()
    qtbot.addWidget(form)
    form.name.setText("Chanda  Mwale")
    form.sex.setCurrentIndex(form.sex.findData("male"))
    form.birth_kind.setCurrentIndex(0)
    form.caregiver_name.setText("Grace Mwale")
    form.caregiver_relation.setCurrentText("mother")
    qtbot.keyClicks(form.caregiver_phone, "0977x555")          # the validator drops the x
    values = form.values()
    assert values["caregiver"] == Caregiver("Grace Mwale", "mother", "0977555")
    assert form.problem() == ""
    w = main_window
    w.submit_new_patient(values)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    assert w.chart.caregiver_label.isVisible()
    assert w.chart.caregiver_label.text() == "Caregiver: Grace Mwale (mother), 0977555"


def _two_marys(session):
    first = _mary(session)
    second = session.records.add_patient(**MARY, confirmed_new=True).id
    session.records.add_allergy(second, substance="sulfa")
    return first, second


def test_admin_merges_from_the_chart_after_seeing_both_and_unmerges(qtbot, main_window, vault_dir):
    first, second = _window(qtbot, main_window, vault_dir, setup=_two_marys)
    w = main_window
    w.open_patient(first)
    bar = w.chart.merge_bar
    qtbot.waitUntil(lambda: bar.isVisible() and w.chart.patient is not None, timeout=60_000)
    bar.merge_button.click()
    dialog = bar.dialog
    assert dialog is not None and not dialog.merge_button.isEnabled()
    qtbot.keyClicks(dialog.search, "phiri")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=60_000)   # not the kept one
    dialog.results.setCurrentRow(0)
    qtbot.waitUntil(dialog.ready, timeout=60_000)
    column = [[dialog.compare.item(r, c).text() for r in range(9)] for c in range(2)]
    assert column[0][0] == column[1][0] == "Mary Phiri"
    assert (column[0][8], column[1][8]) == (first, second)
    assert second in dialog.explain.text() and "undone" in dialog.explain.text()
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: len(bar.unmerge_buttons) == 1, timeout=60_000)
    assert w.chart.patient.id == first
    qtbot.waitUntil(lambda: "sulfa" in w.chart.banner.text(), timeout=60_000)
    qtbot.waitUntil(lambda: w.patient_list.model.rowCount() == 1, timeout=60_000)

    MessageBox.set_next_answer(Button.Yes)
    bar.unmerge_buttons[0].click()
    qtbot.waitUntil(lambda: not bar.unmerge_buttons and bar.isVisible()
                    and w.patient_list.model.rowCount() == 2, timeout=60_000)
    qtbot.waitUntil(lambda: "none recorded" in w.chart.banner.text(), timeout=60_000)


def test_merging_a_record_with_itself_is_refused_in_the_dialog(qtbot, main_window, vault_dir):
    first, _second = _window(qtbot, main_window, vault_dir, setup=_two_marys)
    w = main_window
    w.open_patient(first)
    qtbot.waitUntil(lambda: w.chart.merge_bar.isVisible(), timeout=60_000)
    w.chart.merge_bar.merge_button.click()
    dialog = w.chart.merge_bar.dialog
    dialog.choose(first)                 # the search leaves it out; chosen by id anyway
    qtbot.waitUntil(dialog.ready, timeout=60_000)
    dialog.merge_button.click()
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=60_000)
    assert "cannot be merged with itself" in dialog.error_label.text()
    assert dialog.isVisible() and dialog.merge_button.isEnabled()
    session = w.bridge.session
    assert len(session.records.search_patients("phiri")) == 2
    assert not [e for e in session.audit.entries() if "merge" in e.action]
    dialog.reject()


def test_a_clinician_sees_no_merge(qtbot, main_window, vault_dir):
    def setup(session):
        session.users.add_user(username="doc", role="clinician", passphrase="doc passphrase 12")
        return _mary(session)

    mary = _window(qtbot, main_window, vault_dir, user="doc", passphrase="doc passphrase 12",
                   setup=setup)
    w = main_window
    w.open_patient(mary)
    qtbot.waitUntil(lambda: w.chart.patient is not None, timeout=60_000)
    assert not w.chart.merge_bar.isVisible()
