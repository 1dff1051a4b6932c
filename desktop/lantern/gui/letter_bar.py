"""The referral letter's choices in the Summary panel: the receiving facility (from the
Settings list, or typed for this letter) and the letter's language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from lantern.services.letter_layout import MAX_NAME, Facility

# (code, label); "" = the note's language
LETTER_LANGUAGES = (("", "As the note"), ("en", "English"), ("zh", "中文"))


class _FacilityBox(QComboBox):
    """Reloads the Settings list each time it opens (Settings may have changed)."""

    def __init__(self, bar: LetterBar) -> None:
        super().__init__(bar)
        self._bar = bar

    def showPopup(self) -> None:
        self._bar.reload()
        super().showPopup()


class LetterBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterBar")
        self._facilities: list[Facility] = []
        self._source: Callable[[], list[Facility]] | None = None
        self.facility_box = _FacilityBox(self)
        self.facility_box.setObjectName("facilityBox")
        self.facility_box.setEditable(True)
        self.facility_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.facility_box.setMinimumContentsLength(24)
        line = self.facility_box.lineEdit()
        if line is not None:
            line.setMaxLength(MAX_NAME)
            line.setPlaceholderText(self.tr("Choose or type the receiving facility"))
        self.lang_box = QComboBox(self)
        self.lang_box.setObjectName("letterLanguage")
        for code, label in LETTER_LANGUAGES:
            self.lang_box.addItem(self.tr("As the note") if code == "" else label, code)
        to_label = QLabel(self.tr("&To:"), self)
        to_label.setBuddy(self.facility_box)
        lang_label = QLabel(self.tr("Letter lan&guage:"), self)
        lang_label.setBuddy(self.lang_box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(to_label)
        layout.addWidget(self.facility_box, 1)
        layout.addWidget(lang_label)
        layout.addWidget(self.lang_box)

    def set_facility_source(self, source: Callable[[], list[Facility]]) -> None:
        """Where the list comes from (the Settings); read now and whenever the list opens."""
        self._source = source
        self.reload()

    def reload(self) -> None:
        if self._source is not None:
            self.set_facilities(self._source())

    def set_facilities(self, facilities: list[Facility]) -> None:
        """The Settings list; what was typed or chosen stays when it is still there."""
        typed = self.facility_box.currentText()
        self._facilities = list(facilities)
        self.facility_box.clear()
        self.facility_box.blockSignals(True)
        for fac in self._facilities:
            self.facility_box.addItem(fac.name)
        self.facility_box.setCurrentIndex(-1)
        self.facility_box.setEditText(typed)
        self.facility_box.blockSignals(False)

    def facility(self) -> Facility | None:
        """The chosen facility; a typed name not in the list is a facility with only a name."""
        text = self.facility_box.currentText().strip()
        if not text:
            return None
        for fac in self._facilities:
            if fac.name.casefold() == text.casefold():
                return fac
        return Facility(name=text, kind="other")

    def set_facility_name(self, name: str) -> None:
        self.facility_box.setEditText(name)

    def language(self) -> str | None:
        return self.lang_box.currentData() or None

    def set_language(self, code: str | None) -> None:
        self.lang_box.setCurrentIndex(max(0, self.lang_box.findData(code or "")))
