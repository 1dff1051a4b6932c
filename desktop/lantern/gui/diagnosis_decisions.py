"""The clinician's decisions in the Assessment panel: the list of accepted
diagnoses shown at the top of the panel, and the catalogue of knowledge-base
conditions that "Add diagnosis" looks names up in (English or Chinese).

A decision is a mapping ``{condition_id, name, name_zh, icd10, origin, state}``
(``origin``: suggested | knowledge_base | free_text; ``state``: accepted | rejected),
the shape :meth:`RecordsService.save_encounter_assessment` stores.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

TICK, CROSS = "✓", "✗"
MAX_ROWS_SHOWN = 4


def decision_key(decision: dict) -> str:
    """The same identity as the records service's (condition id, else the folded text)."""
    cid = decision.get("condition_id")
    return f"id:{cid}" if cid else "text:" + " ".join(str(decision.get("name", "")).split()).casefold()


def shown_name(decision: dict, zh: bool) -> str:
    name = decision.get("name_zh") if zh and decision.get("name_zh") else decision.get("name", "")
    code = decision.get("icd10")
    return f"{name}  ({code})" if code else str(name)


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    condition_id: str
    name_en: str
    name_zh: str = ""
    icd10: str = ""

    @property
    def label(self) -> str:
        """What the "Add diagnosis" box lists: both names, so either can be typed."""
        names = f"{self.name_en} · {self.name_zh}" if self.name_zh else self.name_en
        return f"{names}  ({self.icd10})" if self.icd10 else names

    def decision(self, *, origin: str, state: str = "accepted") -> dict:
        return {"condition_id": self.condition_id, "name": self.name_en, "name_zh": self.name_zh,
                "icd10": self.icd10, "origin": origin, "state": state}


def catalogue_entry(item: tuple) -> CatalogueEntry:
    """``(id, name_en)`` or ``(id, name_en, name_zh, icd10)``."""
    return CatalogueEntry(*(str(x) for x in item[:4]))


def find_entry(entries: list[CatalogueEntry], text: str) -> CatalogueEntry | None:
    """The condition a typed name means: its listed label, English or Chinese name or id
    (case and spacing ignored); None for free text."""
    wanted = " ".join(text.split()).casefold()
    if not wanted:
        return None
    for e in entries:
        if wanted in (e.label.casefold(), e.name_en.casefold(), e.name_zh.casefold(), e.condition_id):
            return e
    return None


class AcceptedDiagnoses(QGroupBox):
    """The accepted and added diagnoses, each with a tick; Delete or "Remove" un-accepts."""

    remove_requested = Signal(str)     # the decision key

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Accepted diagnoses"), parent)
        self.setObjectName("acceptedDiagnoses")
        self.list = QListWidget(self)
        self.list.setObjectName("acceptedList")
        self.empty = QLabel(self.tr("None accepted yet. Select a suggestion and press Accept "
                                    "(Ctrl+Enter), or add a diagnosis below."), self)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color:#666")
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setToolTip(self.tr("Un-accept the selected diagnosis (Delete)"))
        self.remove_button.clicked.connect(self._remove_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list, self._remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        self.show_decisions([], zh=False)

    def show_decisions(self, decisions: list[dict], *, zh: bool) -> None:
        accepted = [d for d in decisions if d.get("state") == "accepted"]
        self.list.clear()
        for d in accepted:
            extra = "" if d.get("origin") != "free_text" else "  " + self.tr("(free text, no code)")
            item = QListWidgetItem(f"{TICK} {shown_name(d, zh)}{extra}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, decision_key(d))
            item.setForeground(Qt.GlobalColor.darkGreen)
        if accepted:
            self.list.setCurrentRow(len(accepted) - 1)
            # as tall as its rows (up to four, then it scrolls): the differential keeps the room
            rows = min(len(accepted), MAX_ROWS_SHOWN)
            self.list.setFixedHeight(rows * self.list.sizeHintForRow(0) + 2 * self.list.frameWidth() + 2)
        self.list.setVisible(bool(accepted))
        self.remove_button.setVisible(bool(accepted))
        self.empty.setVisible(not accepted)

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.remove_requested.emit(item.data(Qt.ItemDataRole.UserRole))
