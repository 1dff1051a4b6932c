"""Patient dialog validation, vitals form checks, clinical list dialogs."""

from __future__ import annotations

from datetime import date

from lantern.domain.records import Caregiver, Patient, Sex, Vitals
from lantern.gui.clinical_lists import FieldsDialog, allergy_kind
from lantern.gui.patient_dialog import BIRTH_UNKNOWN, BIRTH_YEAR, PatientDialog
from lantern.gui.vitals_form import VitalsForm


def test_patient_dialog_requires_name_and_sex(qtbot):
    d = PatientDialog()
    qtbot.addWidget(d)
    d.accept()
    assert d.result() != d.DialogCode.Accepted
    assert "name" in d.error_label.text()
    d.name.setText("  Chanda   Mwale ")
    d.accept()
    assert "sex" in d.error_label.text()
    d.sex.setCurrentIndex(0)
    d.birth_kind.setCurrentIndex(BIRTH_YEAR)
    d.birth_year.setValue(1988)
    d.village.setText("Chipata")
    d.phone.setText("+260 97 1234567")
    d.accept()
    assert d.result() == d.DialogCode.Accepted
    v = d.values()
    assert v == {"name": "Chanda Mwale", "sex": Sex.FEMALE, "birth_date": None,
                 "birth_year": 1988, "village": "Chipata", "phone": "+260 97 1234567",
                 "caregiver": Caregiver()}


def test_patient_dialog_phone_rejects_letters(qtbot):
    d = PatientDialog()
    qtbot.addWidget(d)
    qtbot.keyClicks(d.phone, "09x7a")
    assert d.phone.text() == "097"


def test_patient_dialog_edit_roundtrip_with_chinese(qtbot):
    p = Patient(id="P1", name="王小红", sex=Sex.FEMALE, birth_date=date(2019, 3, 4),
                village="李家村", phone="")
    d = PatientDialog(patient=p)
    qtbot.addWidget(d)
    assert d.name.text() == "王小红"
    d.birth_kind.setCurrentIndex(BIRTH_UNKNOWN)
    updated = d.updated_patient()
    assert updated.id == "P1" and updated.name == "王小红" and updated.village == "李家村"
    assert updated.birth_date is None and updated.birth_year is None


def test_vitals_form_flags_implausible_values(qtbot):
    f = VitalsForm()
    qtbot.addWidget(f)
    qtbot.keyClicks(f.edits["temp_c"], "101")          # Fahrenheit by mistake
    assert f.edits["temp_c"].property("invalid") is True
    assert any("Celsius" in p for p in f.problems())
    assert not f.problems_label.isHidden()
    f.edits["temp_c"].clear()
    qtbot.keyClicks(f.edits["temp_c"], "37,2")
    assert f.edits["temp_c"].property("invalid") is False
    assert f.problems() == []
    assert f.vitals() == Vitals(temp_c=37.2)
    qtbot.keyClicks(f.edits["sbp"], "70")
    qtbot.keyClicks(f.edits["dbp"], "90")
    assert any("higher than diastolic" in p for p in f.problems())
    qtbot.keyClicks(f.edits["hb_g_dl"], "abc")
    assert f.vitals().hb_g_dl is None and f.problems()


def test_vitals_form_roundtrip_and_read_only(qtbot):
    f = VitalsForm()
    qtbot.addWidget(f)
    v = Vitals(temp_c=38.5, heart_rate=120, sbp=110, dbp=70, spo2=96, muac_mm=118)
    f.set_vitals(v)
    assert f.vitals() == v
    f.set_read_only(True)
    assert all(e.isReadOnly() for e in f.edits.values())


def test_fields_dialog_requires_substance(qtbot):
    kind = allergy_kind()
    d = FieldsDialog(title=kind.add_title, fields=kind.fields)
    qtbot.addWidget(d)
    d.accept()
    assert d.result() != d.DialogCode.Accepted and "Substance" in d.error_label.text()
    d.editors["substance"].setText("Penicillin")
    d.editors["severity"].setCurrentIndex(3)
    d.accept()
    assert d.values() == {"substance": "Penicillin", "reaction": "", "severity": "severe"}


def test_patient_dialog_estimated_age_gives_birth_year(qtbot):
    from lantern.gui.patient_dialog import BIRTH_AGE

    d = PatientDialog()
    qtbot.addWidget(d)
    assert d.birth_kind.currentIndex() == BIRTH_AGE
    d.name.setText("Age Only")
    d.sex.setCurrentIndex(1)
    d.accept()
    assert "age" in d.error_label.text()           # must be entered, no silent default
    d.age.setValue(40)
    d.accept()
    assert d.result() == d.DialogCode.Accepted
    assert d.values()["birth_year"] == date.today().year - 40
