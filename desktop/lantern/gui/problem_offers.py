"""Above the chart's problem list: accepted chronic diagnoses not on it yet, each
with "Add to problem list" (the clinician decides; nothing is added on its own)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ProblemOffers(QFrame):
    add_requested = Signal(dict)       # {"description", "icd10"}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemOffers")
        self.setStyleSheet("#problemOffers { background:#eef6ee; border:1px solid #9cc79c; border-radius:4px }")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self.title = QLabel(self.tr("Accepted long-term diagnoses not on the problem list:"), self)
        self._layout.addWidget(self.title)
        self.buttons: list[QPushButton] = []
        self._rows: list[QWidget] = []
        self.hide()

    def show_offers(self, offers: list[dict]) -> None:
        for old in self._rows:
            old.deleteLater()
        self.buttons, self._rows = [], []
        for offer in offers:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            code = f"  ({offer['icd10']})" if offer.get("icd10") else ""
            line.addWidget(QLabel(f"{offer['description']}{code}", row), 1)
            button = QPushButton(self.tr("Add to problem list"), row)
            button.setToolTip(self.tr("Add %1 to the problem list").replace("%1", offer["description"]))
            button.clicked.connect(lambda _on=False, o=offer: self._add(o))
            line.addWidget(button)
            self._layout.addWidget(row)
            self.buttons.append(button)
            self._rows.append(row)
        self.setVisible(bool(offers))

    def _add(self, offer: dict) -> None:
        for button in self.buttons:
            button.setEnabled(False)     # until the list reloads with the new problem
        self.add_requested.emit({"description": offer["description"], "icd10": offer.get("icd10", "")})
