"""A new passphrase typed twice, with strength and match feedback, and the policy
every new passphrase must meet (first administrator, new users, changed and
recovered passphrases alike)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

from lantern.gui.passphrase_strength import estimate

MIN_LENGTH = 8
MIN_SCORE = 2   # "fair"


class NewPassphraseFields(QObject):
    """A new passphrase typed twice, with strength and match feedback. The
    widgets are created in ``host`` and added as rows of ``form`` (the host's own
    form, so the columns line up with its other fields)."""

    changed = Signal()

    def __init__(self, *, host: QWidget, form: QFormLayout, label: str | None = None) -> None:
        super().__init__(host)
        self.passphrase = QLineEdit(host)
        self.passphrase.setObjectName("newPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(host)
        self.confirm.setObjectName("confirmPassphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength_bar = QProgressBar(host)
        self.strength_bar.setRange(0, 4)
        self.strength_bar.setTextVisible(False)
        self.strength_bar.setMaximumHeight(10)
        self.strength_label = QLabel(host)
        self.strength_label.setObjectName("hintLabel")
        self.strength_label.setWordWrap(True)
        self.match_label = QLabel(host)
        self.match_label.setObjectName("hintLabel")
        self.form = form
        self.passphrase_label = QLabel(label or self.tr("&New passphrase:"), host)
        self.passphrase_label.setBuddy(self.passphrase)
        self.confirm_label = QLabel(self.tr("Con&firm passphrase:"), host)
        self.confirm_label.setBuddy(self.confirm)
        self.form.addRow(self.passphrase_label, self.passphrase)
        self.form.addRow("", self.strength_bar)
        self.form.addRow("", self.strength_label)
        self.form.addRow(self.confirm_label, self.confirm)
        self.form.addRow("", self.match_label)
        self.passphrase.textChanged.connect(self._update)
        self.confirm.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.passphrase.text()

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 - like QWidget
        self.passphrase.setEnabled(enabled)
        self.confirm.setEnabled(enabled)

    def clear(self) -> None:
        self.passphrase.clear()
        self.confirm.clear()

    def problem(self) -> str:
        """Why the passphrase cannot be used yet ("" when it can)."""
        text = self.passphrase.text()
        if len(text) < MIN_LENGTH:
            return self.tr("The passphrase needs at least %1 characters.").replace(
                "%1", str(MIN_LENGTH))
        if estimate(text).score < MIN_SCORE:
            return self.tr("The passphrase is too easy to guess.")
        if text != self.confirm.text():
            return self.tr("The two passphrases differ.")
        return ""

    def _update(self) -> None:
        strength = estimate(self.passphrase.text())
        self.strength_bar.setValue(strength.score if self.passphrase.text() else 0)
        hint = " ".join(strength.hints[:1])
        self.strength_label.setText(self.tr("Strength: %1. %2").replace("%1", strength.label())
                                    .replace("%2", hint).strip())
        if self.confirm.text():
            same = self.confirm.text() == self.passphrase.text()
            self.match_label.setText(self.tr("Passphrases match.") if same
                                     else self.tr("Passphrases differ."))
        else:
            self.match_label.setText("")
        self.changed.emit()
