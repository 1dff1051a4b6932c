"""Register or edit a patient (name, sex, birth date or year, village, phone, and the
caregiver who brings a child: name, relation, phone)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import Caregiver, Patient, Sex
from lantern.gui.theme import set_primary

_PHONE = r"[0-9+() \-]{0,20}"

BIRTH_DATE, BIRTH_YEAR, BIRTH_AGE, BIRTH_UNKNOWN = 0, 1, 2, 3


class PatientDialog(QDialog):
    """``values()`` gives the keyword arguments for ``add_patient``;
    ``updated_patient()`` the edited :class:`Patient`."""

    def __init__(self, *, patient: Patient | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientDialog")
        self._patient = patient
        self.setWindowTitle(self.tr("Edit patient") if patient else self.tr("Register patient"))
        self.setMinimumWidth(440)
        self.name = QLineEdit(self)
        self.name.setMaxLength(120)
        self.sex = QComboBox(self)
        self.sex.addItem(self.tr("Female"), Sex.FEMALE.value)
        self.sex.addItem(self.tr("Male"), Sex.MALE.value)
        self.sex.setPlaceholderText(self.tr("Choose…"))
        self.sex.setCurrentIndex(-1)
        self.birth_kind = QComboBox(self)
        self.birth_kind.addItems([self.tr("Date of birth"), self.tr("Year of birth"),
                                  self.tr("Age in years (estimated)"), self.tr("Not known")])
        self.birth_date = QDateEdit(self)
        self.birth_date.setCalendarPopup(True)
        self.birth_date.setDisplayFormat("yyyy-MM-dd")
        self.birth_date.setMinimumDate(QDate(1900, 1, 1))
        self.birth_date.setMaximumDate(QDate.currentDate())
        self.birth_date.setDate(QDate.currentDate())
        self.birth_year = QSpinBox(self)
        self.birth_year.setRange(1900, date.today().year)
        self.birth_year.setValue(date.today().year - 30)
        self.age = QSpinBox(self)
        self.age.setRange(-1, 120)
        self.age.setSpecialValueText("—")   # -1: not entered yet
        self.age.setValue(-1)
        self.age.setSuffix(self.tr(" years"))
        self.birth_stack = QStackedWidget(self)
        self.birth_stack.addWidget(self.birth_date)
        self.birth_stack.addWidget(self.birth_year)
        self.birth_stack.addWidget(self.age)
        self.birth_stack.addWidget(QLabel(self.tr("Age unknown"), self))
        self.birth_kind.currentIndexChanged.connect(self.birth_stack.setCurrentIndex)
        self.birth_kind.setCurrentIndex(BIRTH_AGE)
        self.birth_stack.setMaximumHeight(self.birth_date.sizeHint().height() + 4)
        self.village = QLineEdit(self)
        self.village.setMaxLength(120)
        self.phone = QLineEdit(self)
        self.phone.setValidator(QRegularExpressionValidator(QRegularExpression(_PHONE), self))
        self.caregiver_name = QLineEdit(self)
        self.caregiver_name.setObjectName("caregiverName")
        self.caregiver_name.setMaxLength(120)
        self.caregiver_relation = QComboBox(self)
        self.caregiver_relation.setObjectName("caregiverRelation")
        self.caregiver_relation.setEditable(True)
        self.caregiver_relation.addItems(["", self.tr("mother"), self.tr("father"),
                                          self.tr("grandmother"), self.tr("grandfather"),
                                          self.tr("sister"), self.tr("brother"), self.tr("aunt"),
                                          self.tr("uncle"), self.tr("guardian")])
        relation_edit = self.caregiver_relation.lineEdit()
        if relation_edit is not None:
            relation_edit.setMaxLength(60)
        self.caregiver_phone = QLineEdit(self)
        self.caregiver_phone.setObjectName("caregiverPhone")
        self.caregiver_phone.setValidator(QRegularExpressionValidator(QRegularExpression(_PHONE), self))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        rows = [
            (self.tr("&Name:"), self.name),
            (self.tr("&Sex:"), self.sex),
            (self.tr("&Birth:"), self.birth_kind),
            ("", self.birth_stack),
            (self.tr("&Village:"), self.village),
            (self.tr("&Phone:"), self.phone),
        ]
        for text, field in rows:
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        caregiver = QGroupBox(self.tr("Caregiver (for a child)"), self)
        caregiver_form = QFormLayout(caregiver)
        for text, field in ((self.tr("Na&me:"), self.caregiver_name),
                            (self.tr("&Relation:"), self.caregiver_relation),
                            (self.tr("P&hone:"), self.caregiver_phone)):
            label = QLabel(text, caregiver)
            label.setBuddy(field)
            caregiver_form.addRow(label, field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        set_primary(buttons.button(QDialogButtonBox.StandardButton.Save))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(caregiver)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        if patient is not None:
            self._load(patient)

    def _load(self, p: Patient) -> None:
        self.name.setText(p.name)
        self.sex.setCurrentIndex(self.sex.findData(str(p.sex)))
        if p.birth_date:
            self.birth_kind.setCurrentIndex(BIRTH_DATE)
            self.birth_date.setDate(QDate(p.birth_date.year, p.birth_date.month, p.birth_date.day))
        elif p.birth_year:
            self.birth_kind.setCurrentIndex(BIRTH_YEAR)
            self.birth_year.setValue(p.birth_year)
        else:
            self.birth_kind.setCurrentIndex(BIRTH_UNKNOWN)
        self.village.setText(p.village)
        self.phone.setText(p.phone)
        self.caregiver_name.setText(p.caregiver.name)
        self.caregiver_relation.setCurrentText(p.caregiver.relation)
        self.caregiver_phone.setText(p.caregiver.phone)

    def fill(self, values: dict[str, Any]) -> None:
        """Show ``values`` (those of :meth:`values`) again, e.g. back from the duplicates list."""
        self._load(Patient(id="", **values))

    def problem(self) -> str:
        if not self.name.text().strip():
            return self.tr("Enter the patient's name.")
        if self.sex.currentIndex() < 0:
            return self.tr("Choose the patient's sex.")
        if self.birth_kind.currentIndex() == BIRTH_AGE and self.age.value() < 0:
            return self.tr("Enter the age (an estimate is fine) or choose another birth option.")
        phone = self.phone.text().strip()
        caregiver_phone = self.caregiver_phone.text().strip()
        if any(p and not re.fullmatch(_PHONE, p) for p in (phone, caregiver_phone)):
            return self.tr("The phone number may contain digits, spaces, +, - and brackets.")
        return ""

    def values(self) -> dict[str, Any]:
        kind = self.birth_kind.currentIndex()
        birth_date = self.birth_date.date().toPython() if kind == BIRTH_DATE else None
        birth_year = self.birth_year.value() if kind == BIRTH_YEAR else None
        if kind == BIRTH_AGE and self.age.value() >= 0:
            birth_year = date.today().year - self.age.value()
        return {
            "name": " ".join(self.name.text().split()),
            "sex": Sex(self.sex.currentData()),
            "birth_date": birth_date,
            "birth_year": birth_year,
            "village": self.village.text().strip(),
            "phone": self.phone.text().strip(),
            "caregiver": Caregiver(name=" ".join(self.caregiver_name.text().split()),
                                   relation=self.caregiver_relation.currentText().strip(),
                                   phone=self.caregiver_phone.text().strip()),
        }

    def updated_patient(self) -> Patient:
        assert self._patient is not None
        return dataclasses.replace(self._patient, **self.values())

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()
