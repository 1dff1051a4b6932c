"""A small settings dialog and the settings file (INI next to the vault; it
holds preferences and the clinic's letter details only, never patient data).

The letterhead and the receiving facilities are stored here, in clear, on purpose:
they are the clinic's public contact details, not patient data (the vault keeps the
clinic name in clear too), they belong to the vault directory rather than to one
user, and a letter needs them while the rest of the settings are at hand."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.autolock import DEFAULT_MINUTES
from lantern.gui.letter_settings import LetterSettingsPage
from lantern.services.letter_layout import (
    Facility,
    Letterhead,
    facilities_from_data,
    facility_list_problems,
    letterhead_problems,
)

SETTINGS_FILE = "lantern-gui.ini"
# (code, name in that language); "" follows the system language
LANGUAGES = (("", ""), ("en", "English"), ("zh_CN", "简体中文"))


class GuiSettings:
    def __init__(self, data_dir: Path) -> None:
        self._qs = QSettings(str(Path(data_dir) / SETTINGS_FILE), QSettings.Format.IniFormat)

    @property
    def autolock_minutes(self) -> int:
        raw = self._qs.value("security/autolock_minutes", DEFAULT_MINUTES)
        try:
            value = int(raw) if isinstance(raw, (str, int, float)) else DEFAULT_MINUTES
        except ValueError:
            value = DEFAULT_MINUTES
        return min(max(value, 1), 60)

    @autolock_minutes.setter
    def autolock_minutes(self, minutes: int) -> None:
        self._qs.setValue("security/autolock_minutes", int(minutes))
        self._qs.sync()

    @property
    def language(self) -> str:
        """UI language code from :data:`LANGUAGES` ("" = the system's)."""
        value = str(self._qs.value("ui/language", "") or "")
        return value if value in dict(LANGUAGES) else ""

    @language.setter
    def language(self, code: str) -> None:
        self._qs.setValue("ui/language", code if code in dict(LANGUAGES) else "")
        self._qs.sync()

    @property
    def letterhead(self) -> Letterhead:
        """The clinic's letterhead (empty fields: the letter prints the vault's clinic name)."""
        head = Letterhead(*(str(self._qs.value(f"letters/clinic_{key}", "") or "").strip()
                            for key in ("name", "address", "phone")))
        return head if not letterhead_problems(head) else Letterhead()

    @letterhead.setter
    def letterhead(self, head: Letterhead) -> None:
        if (problems := letterhead_problems(head)):
            raise ValueError(problems[0])
        for key, value in (("name", head.name), ("address", head.address), ("phone", head.phone)):
            self._qs.setValue(f"letters/clinic_{key}", value)
        self._qs.sync()

    @property
    def facilities(self) -> list[Facility]:
        """The receiving facilities (a damaged entry in the file is skipped)."""
        try:
            raw = json.loads(str(self._qs.value("letters/facilities", "[]") or "[]"))
        except ValueError:
            return []
        return facilities_from_data(raw)

    @facilities.setter
    def facilities(self, items: list[Facility]) -> None:
        if (problems := facility_list_problems(items)):
            raise ValueError(problems[0])
        self._qs.setValue("letters/facilities", json.dumps([f.to_dict() for f in items], ensure_ascii=False))
        self._qs.sync()

    @property
    def surveillance_list(self) -> str:
        """The notifiable-disease list the alerts and reports use (``surveillance.LISTS``)."""
        from lantern.services.surveillance import LISTS

        value = str(self._qs.value("surveillance/list", "idsr") or "idsr")
        return value if value in LISTS else "idsr"

    @surveillance_list.setter
    def surveillance_list(self, name: str) -> None:
        self._qs.setValue("surveillance/list", name)
        self._qs.sync()

    @property
    def last_user(self) -> str:
        return str(self._qs.value("session/last_user", "") or "")

    @last_user.setter
    def last_user(self, name: str) -> None:
        self._qs.setValue("session/last_user", name)
        self._qs.sync()


class SettingsDialog(QDialog):
    def __init__(self, *, minutes: int, language: str = "", letterhead: Letterhead | None = None,
                 facilities: list[Facility] | None = None, surveillance_list: str = "idsr",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.autolock = QSpinBox(self)
        self.autolock.setRange(1, 60)
        self.autolock.setValue(minutes)
        self.autolock.setSuffix(self.tr(" min"))
        label = QLabel(self.tr("&Lock after inactivity:"), self)
        label.setBuddy(self.autolock)
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGES:
            self.language.addItem(name or self.tr("System language"), code)
        self.language.setCurrentIndex(max(self.language.findData(language), 0))
        language_label = QLabel(self.tr("&Language:"), self)
        language_label.setBuddy(self.language)
        self.language_note = QLabel(self.tr(
            "The window is rebuilt in the new language when you press OK; open work "
            "(the note, the assessment, a summary draft) stays as it is."),
            self)
        self.language_note.setObjectName("hintLabel")
        self.language_note.setWordWrap(True)
        self.surveillance = QComboBox(self)
        self.surveillance.setObjectName("surveillanceCombo")
        self.surveillance.addItem(self.tr("WHO AFRO IDSR (3rd edition, 2019)"), "idsr")
        self.surveillance.addItem(self.tr("China: statutory notifiable diseases (法定报告传染病)"), "china")
        self.surveillance.setCurrentIndex(max(self.surveillance.findData(surveillance_list), 0))
        surveillance_label = QLabel(self.tr("&Notifiable diseases:"), self)
        surveillance_label.setBuddy(self.surveillance)
        form = QFormLayout()
        form.addRow(label, self.autolock)
        form.addRow(language_label, self.language)
        form.addRow("", self.language_note)
        form.addRow(surveillance_label, self.surveillance)
        hint = QLabel(self.tr("The vault also locks with Ctrl+L and when Lantern closes."), self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        general = QWidget(self)
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(hint)
        general_layout.addStretch(1)
        self.letters = LetterSettingsPage(letterhead=letterhead or Letterhead(),
                                          facilities=list(facilities or []), parent=self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.letters.validity_changed.connect(ok.setEnabled)
        ok.setEnabled(not self.letters.problems())
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, self.tr("&General"))
        self.tabs.addTab(self.letters, self.tr("Referral &letters"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
