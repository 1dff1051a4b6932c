"""A small settings dialog and the settings file (INI next to the vault; it
holds preferences only, never patient data)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.autolock import DEFAULT_MINUTES

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
    def last_user(self) -> str:
        return str(self._qs.value("session/last_user", "") or "")

    @last_user.setter
    def last_user(self, name: str) -> None:
        self._qs.setValue("session/last_user", name)
        self._qs.sync()


class SettingsDialog(QDialog):
    def __init__(self, *, minutes: int, language: str = "",
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
        form = QFormLayout()
        form.addRow(label, self.autolock)
        form.addRow(language_label, self.language)
        form.addRow("", self.language_note)
        hint = QLabel(self.tr("The vault also locks with Ctrl+L and when Lantern closes."), self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)
