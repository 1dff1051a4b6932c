"""The vitals form: ten fields with units and plausible ranges (the range is the
placeholder of an empty field and the tooltip of every field).

Each field is checked as it is typed with ``lantern.domain.vitals`` (the same
rules the services use); an implausible value gets a red border and the reason
is listed under the form. Commas are accepted as decimal separators.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from lantern.clinical import growth
from lantern.domain.records import Vitals
from lantern.domain.vitals import RANGES, check_field, validate
from lantern.gui.theme import set_state

# units with words in them are translated (the rest are international symbols)
_UNITS = (QT_TRANSLATE_NOOP("VitalsForm", "breaths/min"), QT_TRANSLATE_NOOP("VitalsForm", "beats/min"))


def _fmt(x: float) -> str:
    return f"{x:g}"


class VitalsForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vitalsForm")
        # Mnemonics avoid the menu letters (F P V T H) and the buttons around the form;
        # the fields are also in Tab order, row by row.
        labels = {
            "temp_c": self.tr("Temper&ature"),
            "heart_rate": self.tr("P&ulse"),
            "resp_rate": self.tr("Resp. rate"),
            "spo2": self.tr("SpO&2"),
            "sbp": self.tr("BP s&ystolic"),
            "dbp": self.tr("BP d&iastolic"),
            "weight_kg": self.tr("&Weight"),
            "muac_mm": self.tr("MUAC"),
            "height_cm": self.tr("Length/height"),
            "glucose_mmol_l": self.tr("Glucose"),
            "hb_g_dl": self.tr("H&b"),
        }
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self._child: tuple[str, int | None] | None = None   # sex, age in days (growth checks)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        for i, (field, text) in enumerate(labels.items()):
            rng = RANGES[field]
            edit = QLineEdit(self)
            edit.setObjectName(f"vital_{field}")
            edit.setMaximumWidth(84)
            edit.setPlaceholderText(f"{_fmt(rng.low)}–{_fmt(rng.high)}")
            edit.setToolTip(self.tr("%1: %2–%3 %4").replace("%1", re.sub(r"\(&\w\)|&", "", text))
                            .replace("%2", _fmt(rng.low)).replace("%3", _fmt(rng.high))
                            .replace("%4", self.tr(rng.unit)))
            label = QLabel(text, self)
            label.setBuddy(edit)
            self.labels[field] = label
            unit = QLabel(self.tr(rng.unit), self)
            unit.setObjectName("hintLabel")
            row, col = divmod(i, 2)
            grid.addWidget(label, row, col * 3)
            grid.addWidget(edit, row, col * 3 + 1)
            grid.addWidget(unit, row, col * 3 + 2)
            edit.textChanged.connect(lambda _t, f=field: self._field_changed(f))
            self.edits[field] = edit
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(5, 1)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("errorLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.problems_label)

    @staticmethod
    def _parse(text: str) -> float | None:
        text = text.strip().replace(",", ".")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return float("nan")

    def _field_changed(self, field: str) -> None:
        edit = self.edits[field]
        message = check_field(field, self._parse(edit.text()))
        set_state(edit, "invalid", message is not None)
        self._show_problems()
        self.changed.emit()

    def _show_problems(self) -> None:
        problems = self.problems()
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))

    def problems(self) -> list[str]:
        """What is wrong with the values typed (empty list: fine)."""
        values = {f: self._parse(e.text()) for f, e in self.edits.items()}
        out = [m for f, v in values.items() if (m := check_field(f, v)) is not None]
        if not out:
            out = validate(self.vitals())
        if not out and self._child is not None:
            v = self.vitals()
            sex, age_days = self._child
            out = growth.measurement_problems(sex=sex, age_days=age_days, weight_kg=v.weight_kg,
                                              height_cm=v.height_cm)
        return out

    def set_child(self, *, sex: str | None, age_days: int | None) -> None:
        """The patient the form is for: a child's weight and length/height are checked
        against the WHO growth standards for the age, and the length/height field says
        which one to measure (WHO: length lying under 2 years, height standing from 2)."""
        child = age_days is not None and age_days <= growth.MAX_AGE_DAYS and sex is not None
        self._child = (sex or "", age_days) if child else None
        if child and age_days is not None:
            text = self.tr("Length (lying)") if age_days < growth.LENGTH_UNTIL_DAYS else \
                self.tr("Height (standing)")
        else:
            text = self.tr("Length/height")
        self.labels["height_cm"].setText(text)
        self._show_problems()

    def vitals(self) -> Vitals:
        """The plausible-or-not numbers typed; unparsable text counts as empty."""
        values = {}
        for f, e in self.edits.items():
            v = self._parse(e.text())
            if v is not None and v == v:   # skip NaN
                values[f] = v
        return Vitals(**values)

    def set_vitals(self, vitals: Vitals) -> None:
        for f, e in self.edits.items():
            v = getattr(vitals, f)
            e.blockSignals(True)
            e.setText("" if v is None else _fmt(v))
            e.blockSignals(False)
            set_state(e, "invalid", check_field(f, v) is not None)
        self._show_problems()

    def set_read_only(self, read_only: bool) -> None:
        for e in self.edits.values():
            e.setReadOnly(read_only)

    def clear(self) -> None:
        self.set_vitals(Vitals())
