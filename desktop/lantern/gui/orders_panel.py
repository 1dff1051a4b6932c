"""The Orders side panel (issue 14, item 4, first part): search the formulary (English,
Chinese, brands, typos), the dose prefilled from the calculator for this patient, and
every order checked as it is added or changed, with the alerts inline in colour.

The patient comes from the encounter (``set_input``: the same signal as the Assessment
panel) and the chart (``set_chart``: allergies and current medications). The checks
are the same as ``lantern prescribe --check``.

An order is a new medicine, or renews (unchanged) or revises (changed) a current medication
of the chart: the "Current" row lists them, Renew (or Enter there) prefills an order from the
charted dose and "Renew all" orders every one again; a renewed amount changed before it is
added becomes a revision. Renewals and revisions are no duplicate of the medication they
continue, and signing puts them in its place (``services/orders``).

A stop or warn alert on an order is overridden only with a reason, picked from a short
list or typed (``OverrideDialog``; Enter on the alert, or "Override alert…"). Every
change (add, remove, override) emits ``orders_changed`` with the whole list, which the
records service checks again and stores with the encounter (``save_orders``); what it
stored comes back through :meth:`OrdersPanel.saved` and is what the printed
prescription shows (``letter_print``, the referral letter's print path, with the
clinic letterhead). A signed encounter's orders are shown read-only.

"Instruction sheet…" prints (or writes as PDF) the patient's instruction sheet of the
same saved orders through the same print path, in the patient's language (picked beside
it; the note's language by default, whatever the UI's): ``services/instruction_layout``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
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
from lantern.domain.errors import ValidationError
from lantern.domain.records import DrugOrder, OrderAlert
from lantern.gui import letter_print
from lantern.gui.errors import MessageBox
from lantern.services.instruction_layout import instruction_sheet, instruction_sheet_html
from lantern.services.letter_layout import LetterContext, Letterhead, Referrer, prescription_html
from lantern.services.orders import (
    OTHER_REASON,
    OVERRIDE_REASONS,
    is_chinese,
    prescription_lines,
    reason_label,
    renewal_of,
)

# (letterhead, the vault's clinic name, the prescriber, the patient: name, id, age_years, sex)
PrintSource = Callable[[], tuple[Letterhead, str, Referrer, dict]]

SEVERITY_COLOR = {"stop": "#b71c1c", "warn": "#8a5a00", "info": "#555555"}
_COLUMNS = ("drug", "dose", "unit", "route", "times/day", "days", "action")

# routes, alert kinds and severities as the prescribing checks write them, for pyside6-lupdate: shown
# translated (the order keeps the checker's word; a word without a translation is shown as written)
_CHECKER_WORDS = (
    QT_TRANSLATE_NOOP("OrderRoute", "oral"), QT_TRANSLATE_NOOP("OrderRoute", "iv"),
    QT_TRANSLATE_NOOP("OrderRoute", "im"), QT_TRANSLATE_NOOP("OrderRoute", "sc"),
    QT_TRANSLATE_NOOP("OrderRoute", "rectal"), QT_TRANSLATE_NOOP("OrderRoute", "inhaled"),
    QT_TRANSLATE_NOOP("OrderRoute", "topical"), QT_TRANSLATE_NOOP("OrderRoute", "vaginal"),
    QT_TRANSLATE_NOOP("OrderRoute", "sublingual"), QT_TRANSLATE_NOOP("OrderRoute", "eye"),
    QT_TRANSLATE_NOOP("OrderRoute", "ear"),
    QT_TRANSLATE_NOOP("AlertKind", "allergy"), QT_TRANSLATE_NOOP("AlertKind", "cross_reactivity"),
    QT_TRANSLATE_NOOP("AlertKind", "pregnancy"), QT_TRANSLATE_NOOP("AlertKind", "breastfeeding"),
    QT_TRANSLATE_NOOP("AlertKind", "age"), QT_TRANSLATE_NOOP("AlertKind", "dose_above_max"),
    QT_TRANSLATE_NOOP("AlertKind", "dose_below_min"), QT_TRANSLATE_NOOP("AlertKind", "daily_max"),
    QT_TRANSLATE_NOOP("AlertKind", "renal"), QT_TRANSLATE_NOOP("AlertKind", "interaction"),
    QT_TRANSLATE_NOOP("AlertKind", "duplicate"), QT_TRANSLATE_NOOP("AlertKind", "unknown_drug"),
    QT_TRANSLATE_NOOP("AlertKind", "missing_data"),
    QT_TRANSLATE_NOOP("AlertSeverity", "STOP"), QT_TRANSLATE_NOOP("AlertSeverity", "WARN"),
    QT_TRANSLATE_NOOP("AlertSeverity", "INFO"),
)


def route_label(route: str | None) -> str:
    """A route as the UI language says it ("oral": 口服)."""
    return QCoreApplication.translate("OrderRoute", route) if route else ""


def alert_label(severity: str, kind: str) -> str:
    """An alert's severity and kind as the UI language says them ("STOP · allergy": 停止 · 过敏)."""
    return f"{QCoreApplication.translate('AlertSeverity', severity.upper())} · " \
        f"{QCoreApplication.translate('AlertKind', kind)}"


def _plausible(value: Any, key: str) -> float | None:
    lo, hi = LIMITS[key]
    return float(value) if isinstance(value, int | float) and lo <= value <= hi else None


class OverrideDialog(QDialog):
    """Why an alert is overridden: a reason from the list, or typed (either is needed)."""

    def __init__(self, alert_text: str, *, zh: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Override alert"))
        self.setModal(True)
        lang = "zh" if zh else "en"
        shown = QLabel(alert_text, self)
        shown.setWordWrap(True)
        self.reasons = QComboBox(self)
        self.reasons.addItem(self.tr("Choose a reason…"), "")
        for code in OVERRIDE_REASONS:
            self.reasons.addItem(reason_label(code, lang), code)
        self.reasons.addItem(self.tr("Other (type it below)"), OTHER_REASON)
        self.typed = QLineEdit(self)
        self.typed.setPlaceholderText(self.tr("Reason in your words (required for Other)"))
        self.typed.textEdited.connect(self._typed)
        self.problem = QLabel(self)
        self.problem.setStyleSheet(f"color: {SEVERITY_COLOR['stop']}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Override"))
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Reason"), self.reasons)
        form.addRow(self.tr("&Details"), self.typed)
        layout = QVBoxLayout(self)
        layout.addWidget(shown)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.reasons.setFocus()

    def _typed(self, text: str) -> None:
        if text.strip() and not self.reasons.currentData():
            self.reasons.setCurrentIndex(self.reasons.count() - 1)      # typing is "Other"

    def reason(self) -> tuple[str, str] | None:
        """(reason text, reason code), or None when neither picked nor typed."""
        code = self.reasons.currentData() or ""
        typed = " ".join(self.typed.text().split())
        if code and code != OTHER_REASON:
            label = self.reasons.currentText()
            return (f"{label}: {typed}" if typed else label), code
        return (typed, OTHER_REASON) if typed else None

    def try_accept(self) -> None:
        if self.reason() is None:
            self.problem.setText(self.tr("An override needs a reason: pick one or type it."))
            (self.typed if self.reasons.currentData() == OTHER_REASON else self.reasons).setFocus()
            return
        self.accept()


class OrdersPanel(QWidget):
    """Search, dose, order list and alerts. ``checked(result)`` after every check;
    ``orders_changed(list)`` after every change, with what ``save_orders`` takes;
    ``output_made("print" | "export")`` after a prescription was printed or written."""

    checked = Signal(object)
    orders_changed = Signal(list)
    output_made = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._formulary: Any = None
        self._index: Any = None
        self._patient = Patient()
        self._allergies: tuple[str, ...] = ()
        self._medications: tuple[str, ...] = ()
        self._chart_meds: list[dict] = []          # the current medications: name, dose, route, frequency
        self._renewing: dict | None = None         # the order a Renew prefilled (what "unchanged" means)
        self._orders: list[Order] = []
        self._overrides: list[list[dict]] = []     # per order: {alert, reason, reason_code}
        self._drug_id: str | None = None
        self._read_only = False
        self._stored: tuple[DrugOrder, ...] = ()   # what the vault holds (what prints)
        self._dirty = False
        self._print_source: PrintSource | None = None
        self._output_allowed: Callable[[], bool] = lambda: True

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
        for route in sorted(ROUTES):
            self.route.addItem(route_label(route), route)
        self._set_route("oral")
        self.times = QSpinBox(self)
        self.times.setRange(1, 24)
        self.days = QSpinBox(self)
        self.days.setRange(0, 365)
        self.days.setSpecialValueText("—")        # 0: not set yet (the prescriber must say)
        # what the order does to the current medications (OpenMRS drug orders: NEW, RENEW, REVISE)
        self.action = QComboBox(self)
        self.action.addItem(self.tr("New medicine"), "new")
        self.action.addItem(self.tr("Renew: continue unchanged"), "renew")
        self.action.addItem(self.tr("Revise: continue, changed"), "revise")
        self.action.setToolTip(self.tr("A renewal or revision replaces the current medication when the note is "
                                       "signed; it is no duplicate of it"))
        # the chart's current medications, each renewed from its charted dose (Enter or Renew)
        self.current = QComboBox(self)
        self.current.setToolTip(self.tr("Current medications on the chart: Enter or Renew orders it again"))
        self.current.installEventFilter(self)     # Enter on it renews (keys sent to it only)
        self.renew_button = QPushButton(self.tr("Rene&w"), self)
        self.renew_button.setToolTip(self.tr("Order the selected current medication again, from its charted dose"))
        self.renew_button.clicked.connect(self.renew_selected)
        self.renew_all_button = QPushButton(self.tr("Renew all"), self)
        self.renew_all_button.setToolTip(self.tr("Order every current medication again, from its charted dose"))
        self.renew_all_button.clicked.connect(self.renew_all)
        self.add_button = QPushButton(self.tr("Add order"), self)
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_order)
        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr("Medicine"), self.tr("Dose"), self.tr("Unit"),
                                              self.tr("Route"), self.tr("Times/day"), self.tr("Days"),
                                              self.tr("Action")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        # the medicine takes the room; the numbers and the action as wide as they need
        header = self.table.horizontalHeader()
        for c in range(len(_COLUMNS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == 0
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.remove_button = QPushButton(self.tr("Remove order"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.alerts = QListWidget(self)
        self.alerts.setWordWrap(True)
        self.alerts.currentRowChanged.connect(lambda _row: self._enable())
        self.alerts.itemActivated.connect(lambda _item: self.override_selected())
        self.override_button = QPushButton(self.tr("&Override alert…"), self)
        self.override_button.clicked.connect(lambda: self.override_selected())
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.print_lang = QComboBox(self)
        self.print_lang.addItem("English", "en")
        self.print_lang.addItem("中文", "zh")
        self.print_lang.setCurrentIndex(1 if self._ui_zh() else 0)
        self.print_button = QPushButton(self.tr("&Print prescription…"), self)
        self.print_button.clicked.connect(self.print_dialog)
        self.pdf_button = QPushButton(self.tr("Prescription as P&DF…"), self)
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        # the patient's instruction sheet: in the patient's language (the note's by default)
        self.sheet_lang = QComboBox(self)
        self.sheet_lang.addItem(self.tr("Patient reads English"), "en")
        self.sheet_lang.addItem(self.tr("Patient reads Chinese"), "zh")
        self.sheet_lang.setToolTip(self.tr("The language of the patient's instruction sheet"))
        self.sheet_lang.activated.connect(self._sheet_lang_picked)
        self._sheet_lang_chosen = False
        self.sheet_button = QPushButton(self.tr("&Instruction sheet…"), self)
        menu = QMenu(self.sheet_button)
        menu.addAction(self.tr("Print instruction sheet…"), self.sheet_print_dialog)
        menu.addAction(self.tr("Instruction sheet as PDF…"), lambda: self.export_sheet_pdf())
        self.sheet_button.setMenu(menu)

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
        current_row = QHBoxLayout()
        current_row.addWidget(QLabel(self.tr("Current:"), self))
        current_row.addWidget(self.current, 1)
        current_row.addWidget(self.renew_button)
        current_row.addWidget(self.renew_all_button)
        layout.addLayout(current_row)
        layout.addWidget(self.search)
        layout.addWidget(self.dose_line)
        layout.addLayout(form)
        add_row = QHBoxLayout()
        add_row.addWidget(self.action, 2)
        add_row.addWidget(self.add_button, 1)
        add_row.addWidget(self.remove_button, 1)       # Delete on the table too
        layout.addLayout(add_row)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(self.tr("Alerts (Enter on a stop or warn alert to override it)"), self))
        layout.addWidget(self.alerts, 2)
        layout.addWidget(self.override_button)
        layout.addWidget(self.status)
        out = QHBoxLayout()
        out.addWidget(self.print_lang)
        out.addWidget(self.print_button)
        out.addWidget(self.pdf_button)
        layout.addLayout(out)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_lang)
        sheet_row.addWidget(self.sheet_button)
        sheet_row.addStretch(1)
        layout.addLayout(sheet_row)
        layout.addWidget(QLabel(self.tr("Decision support only; the prescriber decides."), self))
        self._enable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.current and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.current.view().isVisible():
            self.renew_selected()
            return True
        return super().eventFilter(watched, event)

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

    def set_input(self, note: str, vitals: Any, age: Any, sex: str, pregnant: bool) -> None:
        if not self._sheet_lang_chosen and note.strip():      # the note's language, until one is picked
            self.sheet_lang.setCurrentIndex(1 if is_chinese(note) else 0)
        weight = getattr(vitals, "weight_kg", None) if vitals is not None else None
        self._patient = Patient(age_years=_plausible(age, "age_years"), weight_kg=_plausible(weight, "weight_kg"),
                                sex=sex or "", pregnant=bool(pregnant))
        self._recheck()

    def set_chart(self, *, allergies: list[str], medications: list[str], details: list[dict] | None = None) -> None:
        """The chart's allergies and current medications (names, as the checks read them);
        ``details``: the same medications with their charted dose, route and frequency, which a
        renewal starts from."""
        self._allergies, self._medications = tuple(allergies), tuple(medications)
        self._chart_meds = list(details) if details is not None else [{"name": m} for m in medications]
        self.current.clear()
        for med in self._chart_meds:
            said = " ".join(str(med.get(k) or "") for k in ("name", "dose", "frequency")).strip()
            self.current.addItem(said, med)
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
        # an unknown drug cannot be checked, so it is not ordered here
        self.add_button.setEnabled(drug is not None and not self._read_only)
        if drug is None:
            self._show_line(self.tr("Not in the formulary: it cannot be ordered here. "
                                    "Choose a medicine from the list."), "stop")
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
            self._set_route(dose.route)
            self.times.setValue(dose.times_per_day or 1)
            self.days.setValue(dose.days or 0)
        else:
            self._show_line(dose.text(lang), "warn")
        self.dose.setFocus()

    def renew_selected(self) -> None:
        """Prefill an order renewing the selected current medication: its charted dose, route and
        frequency when they can be read (else the calculator's dose, for the prescriber to set),
        action Renew; changing the amount makes it a revision when it is added."""
        med = self.current.currentData()
        if not med or self._read_only:
            return
        self.search.setText(str(med.get("name") or ""))
        self.choose()
        if self._drug_id is None:
            return
        renewal = renewal_of(med)
        self._renewing = renewal
        self.action.setCurrentIndex(self.action.findData("renew"))
        said = self.current.currentText()
        if renewal is None:
            self._show_line(self.tr("Renewal of {0}: the charted dose cannot be read; set the dose, then Add order.")
                            .format(said), "warn")
            return
        self._show_line(self.tr("Renewal of {0} as charted (change the amount or frequency to revise it).")
                        .format(said), "info")
        self.dose.setValue(renewal["dose"])
        self.unit.setCurrentText(renewal["unit"])
        self._set_route(renewal["route"])
        self.times.setValue(renewal["times_per_day"])
        self.days.setValue(renewal["days"])
        self.add_button.setFocus()

    def renew_all(self) -> None:
        """Order every current medication again from its charted dose (those not ordered yet);
        one whose dose cannot be read, or not in the formulary, is named for the prescriber."""
        if self._read_only or self._index is None:
            return
        ordered = {r.drug for o in self._orders if (r := self._index.resolve(o.drug))}
        added, left = 0, []
        for med in self._chart_meds:
            renewal = renewal_of(med)
            res = self._index.resolve(str(med.get("name") or ""))
            if res is not None and res.drug in ordered:
                continue
            if renewal is None or res is None or res.drug not in self._formulary.drugs:
                left.append(str(med.get("name") or ""))
                continue
            ordered.add(res.drug)
            if self._drug_id == res.drug:       # the one prefilled is ordered now: the form is free again
                self.search.clear()
                self._show_line("", "info")
                self._drug_id, self._renewing = None, None
                self.add_button.setEnabled(False)
                self.action.setCurrentIndex(0)
            self._orders.append(Order(drug=renewal["drug"], dose=renewal["dose"], unit=renewal["unit"],
                                      route=renewal["route"], times_per_day=renewal["times_per_day"],
                                      days=renewal["days"], action="renew"))
            self._overrides.append([])
            added += 1
        if added:
            self._changed()
        if left:
            self._show_line(self.tr("Renew these one by one (dose not readable or not in the formulary): {0}")
                            .format(", ".join(left)), "warn")

    def add_order(self) -> None:
        text = self.search.text().strip()
        if not text or self._read_only or self._drug_id is None:
            return
        if self.dose.value() <= 0:
            self._show_line(self.tr("The dose must be more than zero."), "stop")
            self.dose.setFocus()
            return
        if self.days.value() <= 0:
            self._show_line(self.tr("For how many days? Set the duration."), "stop")
            self.days.setFocus()
            return
        # the name as typed: it carries the strength ("ibuprofen 400mg" ordered in tablets)
        order = Order(drug=text, dose=self.dose.value(), unit=self.unit.currentText(),
                      route=str(self.route.currentData() or "oral"), times_per_day=self.times.value(),
                      days=self.days.value(), action=str(self.action.currentData()))
        was = self._renewing
        if order.action == "renew" and was is not None and (order.dose, order.unit, order.route, order.times_per_day) \
                != (was["dose"], was["unit"], was["route"], was["times_per_day"]):
            order = replace(order, action="revise")     # the charted dose changed: a revision
        self._orders.append(order)
        self._overrides.append([])
        self.search.clear()
        self._drug_id = None
        self._renewing = None
        self.action.setCurrentIndex(0)
        self.add_button.setEnabled(False)
        self.search.setFocus()
        self._changed()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._orders) and not self._read_only:
            del self._orders[row]
            del self._overrides[row]
            self._changed()

    def override_selected(self, reason: tuple[str, str] | None = None) -> bool:
        """Override the selected stop / warn alert: asks the reason (``reason``: given, as
        (text, code), instead of asking). False when nothing was overridden."""
        item = self.alerts.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not data or self._read_only or data["overridden"]:
            return False
        if reason is None:
            dialog = OverrideDialog(item.text(), zh=self._ui_zh(), parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            reason = dialog.reason()
        if reason is None or not reason[0].strip():
            self._show_status(self.tr("An override needs a reason: pick one or type it."), "stop")
            return False
        self._overrides[data["order"]].append({"alert": data["key"], "reason": reason[0],
                                               "reason_code": reason[1]})
        self._changed()
        return True

    def orders_payload(self) -> list[dict]:
        """The orders as the records service stores them (``save_orders``)."""
        return [{"drug": o.drug, "dose": o.dose, "unit": o.unit, "route": o.route,
                 "times_per_day": o.times_per_day, "days": o.days, "action": o.action,
                 "overrides": [dict(v) for v in ov]}
                for o, ov in zip(self._orders, self._overrides, strict=True)]

    # --- the stored orders ---------------------------------------------------------
    def restore(self, orders: tuple[DrugOrder, ...], *, read_only: bool) -> None:
        """The encounter's stored orders (when it is opened, or after signing)."""
        self._orders = [Order(drug=o.drug, dose=o.dose, unit=o.unit, route=o.route,
                              times_per_day=o.times_per_day, days=o.days, action=o.action) for o in orders]
        self._overrides = [[{"alert": v.alert, "reason": v.reason, "reason_code": v.reason_code}
                            for v in o.overrides] for o in orders]
        self._stored, self._dirty, self._read_only = tuple(orders), False, read_only
        self._sheet_lang_chosen = False          # another encounter: its note's language again
        self.search.setEnabled(not read_only)
        self._show_status(self.tr("Signed: the orders can no longer be changed.") if read_only and orders else "",
                          "info")
        self._recheck()

    def saved(self, orders: tuple[DrugOrder, ...]) -> None:
        """The vault stored these orders (the answer to ``orders_changed``)."""
        self._stored, self._dirty = tuple(orders), False
        self._show_status(self.tr("Orders saved with the encounter."), "info")
        self._enable()

    def save_failed(self, message: str) -> None:
        self._show_status(self.tr("Not saved: {0}").format(message), "stop")
        self._enable()

    def stored_orders(self) -> tuple[DrugOrder, ...]:
        return self._stored

    # --- the printed prescription ----------------------------------------------------
    def set_print_source(self, source: PrintSource, *, allowed: Callable[[], bool]) -> None:
        self._print_source = source
        self._output_allowed = allowed

    def prescription_html(self, lang: str | None = None) -> str:
        lang = lang or self.print_lang.currentData()
        head, clinic, prescriber, patient = (self._print_source() if self._print_source is not None
                                             else (Letterhead(), "", Referrer(""), {}))
        context = LetterContext(letterhead=head, referrer=prescriber, patient=patient)
        return prescription_html(context=context, lines=prescription_lines(self._stored, lang), lang=lang,
                                 clinic_fallback=clinic, weight_kg=self._patient.weight_kg,
                                 allergies=list(self._allergies))

    def instruction_html(self, lang: str | None = None) -> str:
        """The patient instruction sheet of the saved orders (ValidationError when an order
        has a stop alert not overridden)."""
        lang = lang or self.sheet_lang.currentData()
        head, clinic, prescriber, patient = (self._print_source() if self._print_source is not None
                                             else (Letterhead(), "", Referrer(""), {}))
        context = LetterContext(letterhead=head, referrer=prescriber, patient=patient)
        sheet = instruction_sheet(self._stored, lang=lang, start=context.written_at.date(),
                                  age_years=self._patient.age_years)
        return instruction_sheet_html(context=context, sheet=sheet, clinic_fallback=clinic)

    def _sheet_lang_picked(self, _index: int) -> None:
        self._sheet_lang_chosen = True

    def _sheet_ready(self) -> str | None:
        """The sheet's HTML when it may be printed now, else None (and says why)."""
        if not self._may_print():
            return None
        try:
            return self.instruction_html()
        except ValidationError as exc:
            self._show_status(self.tr("No instruction sheet: {0}").format(str(exc)), "stop")
            return None

    def _print_sheet(self, html: str, printer: QPrinter) -> int:
        # a sheet of more than one page names the patient at the foot of every page
        patient = self._print_source()[3] if self._print_source is not None else {}
        return letter_print.print_html(lambda _brk: html, printer, whole_tables=True,
                                       footer=str(patient.get("name") or ""))

    def sheet_print_dialog(self) -> None:
        html = self._sheet_ready()
        if html is not None and letter_print.print_with_dialog(self, lambda printer: self._print_sheet(html, printer)):
            self.output_made.emit("print")

    def export_sheet_pdf(self, path: str | None = None) -> str | None:
        """Write the instruction sheet as PDF to ``path`` (asks for a file when None)."""
        html = self._sheet_ready()
        if html is None:
            return None
        written = letter_print.write_pdf(self, lambda printer: self._print_sheet(html, printer), path,
                                         suggested="instructions.pdf")
        if written is not None:
            self.output_made.emit("export")
        return written

    def _may_print(self) -> bool:
        if not self._stored or self._dirty:
            self._show_status(self.tr("Nothing to print until the orders are saved."), "warn")
            return False
        if not self._output_allowed():
            MessageBox.warning(self, title=self.tr("Not allowed"),
                               text=self.tr("Your role may not print or export patient records."))
            return False
        return True

    def print_to(self, printer: QPrinter) -> int:
        html = self.prescription_html()
        return letter_print.print_html(lambda _brk: html, printer)

    def print_dialog(self) -> None:
        if self._may_print() and letter_print.print_with_dialog(self, self.print_to):
            self.output_made.emit("print")

    def export_pdf(self, path: str | None = None) -> str | None:
        """Write the prescription as PDF to ``path`` (asks for a file when None)."""
        if not self._may_print():
            return None
        written = letter_print.write_pdf(self, self.print_to, path, suggested="prescription.pdf")
        if written is not None:
            self.output_made.emit("export")
        return written

    # --- display ------------------------------------------------------------
    def _ui_zh(self) -> bool:
        # the translation in force says which language the clinician reads
        return self.tr("en", "language code of this translation") == "zh"

    def _changed(self) -> None:
        self._dirty = True
        self._show_status(self.tr("Saving the orders…"), "info")
        self._recheck()
        self.orders_changed.emit(self.orders_payload())

    def _enable(self) -> None:
        item = self.alerts.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.override_button.setEnabled(bool(data) and not self._read_only and not data["overridden"])
        self.remove_button.setEnabled(not self._read_only and bool(self._orders))
        self.renew_button.setEnabled(not self._read_only and bool(self._chart_meds))
        self.renew_all_button.setEnabled(not self._read_only and bool(self._chart_meds))
        self.current.setEnabled(not self._read_only and bool(self._chart_meds))
        can_print = bool(self._stored) and not self._dirty
        self.print_button.setEnabled(can_print)
        self.pdf_button.setEnabled(can_print)
        self.sheet_button.setEnabled(can_print)

    def _set_route(self, route: str) -> None:
        index = self.route.findData(route)
        if index >= 0:
            self.route.setCurrentIndex(index)

    def _action_label(self, action: str) -> str:
        return {"renew": self.tr("renew"), "revise": self.tr("revise")}.get(action, self.tr("new"))

    def _show_status(self, text: str, severity: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {SEVERITY_COLOR[severity]}")

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
            for c, value in enumerate((o.drug, f"{o.dose:g}" if o.dose else "", o.unit, route_label(o.route),
                                       o.times_per_day, o.days, self._action_label(o.action))):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.alerts.clear()
        self._enable()
        if self._formulary is None or not self._orders:
            return
        result = check_prescription(self._formulary, self._index, self._patient_with_chart(), tuple(self._orders))
        for a in sorted(result.alerts, key=lambda a: ("stop", "warn", "info").index(a.severity)):
            where = self.tr("Order {0}").format(a.order + 1) if a.order is not None else self.tr("Patient")
            text = f"{where} · {alert_label(a.severity, a.kind)}: {a.message} ({a.source})"
            key = OrderAlert(kind=a.kind, severity=a.severity, message=a.message, source=a.source).key
            done = next((v for v in self._overrides[a.order] if v["alert"] == key), None) \
                if a.order is not None else None
            if done is not None:
                text += " — " + self.tr("overridden: {0}").format(done["reason"])
            item = QListWidgetItem(text)
            color = SEVERITY_COLOR["info" if done is not None else a.severity]
            item.setForeground(QColor(color))
            if a.order is not None and a.severity in ("stop", "warn"):
                item.setData(Qt.ItemDataRole.UserRole, {"order": a.order, "key": key, "overridden": done is not None})
            self.alerts.addItem(item)
            if a.order is not None and a.severity != "info" and done is None:
                cell = self.table.item(a.order, 0)
                if cell is not None:
                    cell.setForeground(QColor(SEVERITY_COLOR[a.severity]))
        self._enable()
        self.checked.emit(result)
