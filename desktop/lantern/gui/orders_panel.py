"""The Orders side panel (issue 14, item 4, first part): search the formulary (English,
Chinese, brands, typos), the dose prefilled from the calculator for this patient, and
every order checked as it is added or changed, with the alerts inline in colour.

The patient comes from the encounter (``set_input``: the same signal as the Assessment
panel) and the chart (``set_chart``: allergies and current medications). The checks
are the same as ``lantern prescribe --check``. Not here yet: storing the orders with
the encounter, overriding a stop with a reason, and the printed prescription.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.clinical.prescribing import (
    DoseResult,
    Order,
    Patient,
    calculate_dose,
    check_prescription,
)
from lantern.clinical.prescribing.inputs import LIMITS, ORDER_UNITS
from lantern.clinical.prescribing.model import ROUTES

SEVERITY_COLOR = {"stop": "#b71c1c", "warn": "#8a5a00", "info": "#555555"}
_COLUMNS = ("drug", "dose", "unit", "route", "times/day", "days")


def _plausible(value: Any, key: str) -> float | None:
    lo, hi = LIMITS[key]
    return float(value) if isinstance(value, int | float) and lo <= value <= hi else None


class OrdersPanel(QWidget):
    """Search, dose, order list and alerts. ``checked(result)`` after every check."""

    checked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formulary: Any = None
        self._index: Any = None
        self._patient = Patient()
        self._allergies: tuple[str, ...] = ()
        self._medications: tuple[str, ...] = ()
        self._orders: list[Order] = []
        self._drug_id: str | None = None

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Medicine: name, brand or 中文名 - Enter"))
        self.search.returnPressed.connect(self.choose)
        self.dose_line = QLabel(self)
        self.dose_line.setWordWrap(True)
        self.dose = QDoubleSpinBox(self)
        self.dose.setRange(0, 100000)
        self.dose.setDecimals(2)
        self.unit = QComboBox(self)
        self.unit.addItems(list(ORDER_UNITS))
        self.route = QComboBox(self)
        self.route.addItems(sorted(ROUTES))
        self.route.setCurrentText("oral")
        self.times = QSpinBox(self)
        self.times.setRange(1, 24)
        self.days = QSpinBox(self)
        self.days.setRange(0, 365)
        self.add_button = QPushButton(self.tr("Add order"), self)
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_order)
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr("Medicine"), self.tr("Dose"), self.tr("Unit"),
                                              self.tr("Route"), self.tr("Times/day"), self.tr("Days")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.remove_button = QPushButton(self.tr("Remove order"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.alerts = QListWidget(self)
        self.alerts.setWordWrap(True)

        form = QFormLayout()
        row = QHBoxLayout()
        for w in (self.dose, self.unit, self.route):
            row.addWidget(w)
        form.addRow(self.tr("Dose"), row)
        row2 = QHBoxLayout()
        row2.addWidget(self.times)
        row2.addWidget(QLabel(self.tr("times a day for"), self))
        row2.addWidget(self.days)
        row2.addWidget(QLabel(self.tr("days"), self))
        form.addRow(self.tr("How often"), row2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.dose_line)
        layout.addLayout(form)
        layout.addWidget(self.add_button)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.remove_button)
        layout.addWidget(QLabel(self.tr("Alerts"), self))
        layout.addWidget(self.alerts, 2)
        layout.addWidget(QLabel(self.tr("Decision support only; the prescriber decides."), self))

    # --- inputs -------------------------------------------------------------
    def set_formulary(self, loaded: tuple[Any, Any]) -> None:
        """(formulary, name index), loaded off the GUI thread."""
        self._formulary, self._index = loaded
        names = sorted({n for d in self._formulary.drugs.values() for n in (d.name_en, d.name_zh, *d.aliases) if n})
        completer = QCompleter(names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda _text: self.choose())
        self.search.setCompleter(completer)

    def set_input(self, _note: str, vitals: Any, age: Any, sex: str, pregnant: bool) -> None:
        weight = getattr(vitals, "weight_kg", None) if vitals is not None else None
        self._patient = Patient(age_years=_plausible(age, "age_years"), weight_kg=_plausible(weight, "weight_kg"),
                                sex=sex or "", pregnant=bool(pregnant))
        self._recheck()

    def set_chart(self, *, allergies: list[str], medications: list[str]) -> None:
        self._allergies, self._medications = tuple(allergies), tuple(medications)
        self._recheck()

    # --- actions ------------------------------------------------------------
    def choose(self) -> None:
        """The drug the search names: its dose for this patient, prefilled."""
        text = self.search.text().strip()
        if not text or self._index is None:
            return
        res = self._index.resolve(text)
        drug = self._formulary.drugs.get(res.drug) if res else None
        self._drug_id = drug.id if drug else None
        self.add_button.setEnabled(True)       # an unknown drug may still be ordered: it is alerted
        if drug is None:
            self._show_line(self.tr("Not in the formulary: no dose, no checks."), "warn")
            return
        lang = "zh" if any("\u3400" <= ch <= "\u9fff" for ch in text) else "en"
        dose = calculate_dose(drug, self._patient_with_chart(), strengths=res.strengths if res else ())
        if isinstance(dose, DoseResult):
            self._show_line(f"{dose.text(drug.name(lang), lang)} ({dose.source})", "info")
            # a fixed-dose combination by tablet is ordered in tablets; anything else in mg
            by_count = dose.count is not None and bool(drug.forms and drug.forms[0].components)
            self.dose.setValue(dose.count[0] if by_count and dose.count else dose.dose)
            self.unit.setCurrentText(dose.count[1] if by_count and dose.count else
                                     dose.unit if dose.unit in ORDER_UNITS else "mg")
            self.route.setCurrentText(dose.route)
            self.times.setValue(dose.times_per_day or 1)
            self.days.setValue(dose.days or 0)
        else:
            self._show_line(dose.text(lang), "warn")
        self.dose.setFocus()

    def add_order(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        # the name as typed: it carries the strength ("ibuprofen 400mg" ordered in tablets)
        self._orders.append(Order(drug=text, dose=self.dose.value() or None, unit=self.unit.currentText(),
                                  route=self.route.currentText(), times_per_day=self.times.value(),
                                  days=self.days.value()))
        self.search.clear()
        self.add_button.setEnabled(False)
        self.search.setFocus()
        self._recheck()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._orders):
            del self._orders[row]
            self._recheck()

    # --- display ------------------------------------------------------------
    def _show_line(self, text: str, severity: str) -> None:
        self.dose_line.setText(text)
        self.dose_line.setStyleSheet(f"color: {SEVERITY_COLOR[severity]}")

    def _patient_with_chart(self) -> Patient:
        p = self._patient
        return Patient(age_years=p.age_years, weight_kg=p.weight_kg, sex=p.sex, pregnant=p.pregnant,
                       allergies=self._allergies, current_medications=self._medications, problems=p.problems)

    def _recheck(self) -> None:
        self.table.setRowCount(len(self._orders))
        for r, o in enumerate(self._orders):
            for c, value in enumerate((o.drug, f"{o.dose:g}" if o.dose else "", o.unit, o.route,
                                       o.times_per_day, o.days)):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.alerts.clear()
        if self._formulary is None or not self._orders:
            return
        result = check_prescription(self._formulary, self._index, self._patient_with_chart(), tuple(self._orders))
        for a in sorted(result.alerts, key=lambda a: ("stop", "warn", "info").index(a.severity)):
            where = self.tr("Order {0}").format(a.order + 1) if a.order is not None else self.tr("Patient")
            item = QListWidgetItem(f"{where} · {a.severity.upper()} · {a.kind}: {a.message} ({a.source})")
            item.setForeground(QColor(SEVERITY_COLOR[a.severity]))
            self.alerts.addItem(item)
            if a.order is not None and a.severity != "info":
                cell = self.table.item(a.order, 0)
                if cell is not None:
                    cell.setForeground(QColor(SEVERITY_COLOR[a.severity]))
        self.checked.emit(result)
