"""Settings → Referral letters: the clinic's letterhead and the list of receiving
facilities (name, address, phone, kind). Values are checked as they are typed
(``services/letter_layout``); the dialog's OK stays disabled while any is wrong.

Keyboard: every field has a mnemonic; in the list, Insert adds a facility and Delete
removes the selected one; the fields below the list edit the selected facility.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.services.letter_layout import (
    FACILITY_KINDS,
    MAX_ADDRESS,
    MAX_NAME,
    MAX_PHONE,
    Facility,
    Letterhead,
    facility_list_problems,
    letterhead_problems,
)

# marked for lupdate here, translated where shown
KIND_NAMES = {
    "hospital": QT_TRANSLATE_NOOP("LetterSettings", "Hospital"),
    "health_centre": QT_TRANSLATE_NOOP("LetterSettings", "Health centre"),
    "clinic": QT_TRANSLATE_NOOP("LetterSettings", "Clinic"),
    "laboratory": QT_TRANSLATE_NOOP("LetterSettings", "Laboratory"),
    "other": QT_TRANSLATE_NOOP("LetterSettings", "Other"),
}
# the checks' messages (services/letter_layout) that typing can produce, marked for lupdate;
# longer-than-allowed text cannot be typed (the fields have a maximum length)
PROBLEMS = (
    QT_TRANSLATE_NOOP("LetterSettings", "A receiving facility needs a name."),
    QT_TRANSLATE_NOOP("LetterSettings", "Two receiving facilities have the same name."),
    QT_TRANSLATE_NOOP("LetterSettings", "The clinic phone number may contain digits, spaces, + - ( ) . / "
                                        "and an extension only."),
    QT_TRANSLATE_NOOP("LetterSettings", "The facility phone number may contain digits, spaces, + - ( ) . / "
                                        "and an extension only."),
)
FACILITY_ROLE = Qt.ItemDataRole.UserRole + 1


def _kind_name(kind: str) -> str:
    return QCoreApplication.translate("LetterSettings", str(KIND_NAMES.get(kind, kind)))


class LetterSettingsPage(QWidget):
    validity_changed = Signal(bool)

    def __init__(self, *, letterhead: Letterhead, facilities: list[Facility],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterSettings")
        self._filling = False
        self.clinic_name = self._line(letterhead.name, MAX_NAME, "clinicName")
        self.clinic_address = self._line(letterhead.address, MAX_ADDRESS, "clinicAddress")
        self.clinic_phone = self._line(letterhead.phone, MAX_PHONE, "clinicPhone")
        self.clinic_name.setPlaceholderText(self.tr("The vault's clinic name"))
        head = QGroupBox(self.tr("Letterhead"), self)
        head_form = QFormLayout(head)
        head_form.addRow(self._buddy(self.tr("Clinic &name:"), self.clinic_name), self.clinic_name)
        head_form.addRow(self._buddy(self.tr("Clinic a&ddress:"), self.clinic_address), self.clinic_address)
        head_form.addRow(self._buddy(self.tr("Clinic p&hone:"), self.clinic_phone), self.clinic_phone)

        self.list = QListWidget(self)
        self.list.setObjectName("facilityList")
        self.add_button = QPushButton(self.tr("&Add facility"), self)
        self.remove_button = QPushButton(self.tr("&Remove"), self)
        self.add_button.clicked.connect(self.add_facility)
        self.remove_button.clicked.connect(self.remove_facility)
        self.list.installEventFilter(self)
        self.fac_name = self._line("", MAX_NAME, "facilityName")
        self.fac_address = self._line("", MAX_ADDRESS, "facilityAddress")
        self.fac_phone = self._line("", MAX_PHONE, "facilityPhone")
        self.fac_kind = QComboBox(self)
        self.fac_kind.setObjectName("facilityKind")
        for kind in FACILITY_KINDS:
            self.fac_kind.addItem(_kind_name(kind), kind)
        self.fac_kind.currentIndexChanged.connect(self._facility_edited)
        fac_box = QGroupBox(self.tr("Receiving facilities"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        fac_form = QFormLayout()
        fac_form.addRow(self._buddy(self.tr("Facility na&me:"), self.fac_name), self.fac_name)
        fac_form.addRow(self._buddy(self.tr("Facility addr&ess:"), self.fac_address), self.fac_address)
        fac_form.addRow(self._buddy(self.tr("Facility pho&ne:"), self.fac_phone), self.fac_phone)
        fac_form.addRow(self._buddy(self.tr("&Kind:"), self.fac_kind), self.fac_kind)
        fac_layout = QVBoxLayout(fac_box)
        fac_layout.addWidget(self.list)
        fac_layout.addLayout(buttons)
        fac_layout.addLayout(fac_form)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problemLabel")
        self.problem_label.setWordWrap(True)
        hint = QLabel(self.tr("Printed on referral letters. This is clinic information, kept in the "
                              "settings file next to the vault; it holds no patient data."), self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(fac_box, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(hint)
        for fac in facilities:
            self._append(fac)
        self.list.currentRowChanged.connect(self._selected)
        if facilities:
            self.list.setCurrentRow(0)
        else:
            self._selected(-1)
        self._check()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Insert:
                self.add_facility()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.remove_facility()
                return True
        return super().eventFilter(obj, event)

    def _line(self, text: str, limit: int, name: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setMaxLength(limit)
        edit.textEdited.connect(self._facility_edited if name.startswith("facility") else lambda _t: self._check())
        return edit

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    # -- values -----------------------------------------------------------------------
    def letterhead(self) -> Letterhead:
        return Letterhead(self.clinic_name.text().strip(), self.clinic_address.text().strip(),
                          self.clinic_phone.text().strip())

    def facilities(self) -> list[Facility]:
        return [self.list.item(i).data(FACILITY_ROLE) for i in range(self.list.count())]

    def problems(self) -> list[str]:
        return letterhead_problems(self.letterhead()) + facility_list_problems(self.facilities())

    # -- editing ----------------------------------------------------------------------
    def _append(self, fac: Facility) -> QListWidgetItem:
        item = QListWidgetItem(self._item_text(fac))
        item.setData(FACILITY_ROLE, fac)
        self.list.addItem(item)
        return item

    @staticmethod
    def _item_text(fac: Facility) -> str:
        name = fac.name or QCoreApplication.translate("LetterSettings", "(no name)")
        return f"{name} — {_kind_name(fac.kind)}"

    def add_facility(self) -> None:
        self._append(Facility(name=""))
        self.list.setCurrentRow(self.list.count() - 1)
        self.fac_name.setFocus()
        self._check()

    def remove_facility(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._selected(self.list.currentRow())
        self._check()

    def _selected(self, row: int) -> None:
        item = self.list.item(row) if row >= 0 else None
        fac = item.data(FACILITY_ROLE) if item is not None else None
        self._filling = True
        try:
            for edit, value in ((self.fac_name, fac.name if fac else ""),
                                (self.fac_address, fac.address if fac else ""),
                                (self.fac_phone, fac.phone if fac else "")):
                edit.setText(value)
                edit.setEnabled(fac is not None)
            self.fac_kind.setCurrentIndex(max(0, self.fac_kind.findData(fac.kind if fac else "hospital")))
            self.fac_kind.setEnabled(fac is not None)
            self.remove_button.setEnabled(fac is not None)
        finally:
            self._filling = False

    def _facility_edited(self, *_args: object) -> None:
        item = self.list.currentItem()
        if self._filling or item is None:
            return
        fac = Facility(name=self.fac_name.text().strip(), address=self.fac_address.text().strip(),
                       phone=self.fac_phone.text().strip(), kind=str(self.fac_kind.currentData()))
        item.setData(FACILITY_ROLE, fac)
        item.setText(self._item_text(fac))
        self._check()

    def _check(self) -> None:
        problems = self.problems()
        self.problem_label.setText("\n".join(QCoreApplication.translate("LetterSettings", p)
                                             for p in dict.fromkeys(problems)))
        self.validity_changed.emit(not problems)
