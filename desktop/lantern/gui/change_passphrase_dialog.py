"""File → Change passphrase…: rewrite the current user's key slot.

:class:`~lantern.gui.passphrase_fields.NewPassphraseFields` asks for the new one.
The slot is rewritten in the vault lane through the session bridge; the dialog
stays responsive (and cannot be closed half-way) while the key is derived.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.errors import MessageBox, message_for
from lantern.gui.passphrase_fields import NewPassphraseFields
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary


class ChangePassphraseDialog(QDialog):
    """Asks for the current passphrase and a new one; ``done`` after the change."""

    changed = Signal()

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(self.tr("Change passphrase"))
        self.setMinimumWidth(480)
        self._bridge = bridge
        self._busy = False
        intro = QLabel(self.tr(
            "Changing your passphrase rewrites only your own key. Other users and the "
            "recovery key are not affected."), self)
        intro.setWordWrap(True)
        who = QLabel(self.tr("User: %1").replace("%1", bridge.username), self)
        who.setObjectName("hintLabel")
        self.current = QLineEdit(self)
        self.current.setObjectName("currentPassphrase")
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        current_label = QLabel(self.tr("&Current passphrase:"), self)
        current_label.setBuddy(self.current)
        top = QFormLayout()
        top.addRow(current_label, self.current)
        self.fields = NewPassphraseFields(host=self, form=top)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.ok_button = set_primary(QPushButton(self.tr("&Change passphrase"), self))
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(who)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.current.textChanged.connect(self._update)
        self.fields.changed.connect(self._update)
        bridge.locked.connect(self._on_locked)
        self._update()

    def problem(self) -> str:
        if not self.current.text():
            return self.tr("Enter your current passphrase.")
        problem = self.fields.problem()
        if problem:
            return problem
        if self.fields.text() == self.current.text():
            return self.tr("The new passphrase is the same as the current one.")
        return ""

    def _update(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(not problem and not self._busy)
        self.ok_button.setToolTip(problem)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for widget in (self.current, self.fields, self.cancel_button):
            widget.setEnabled(not busy)
        self._update()

    def submit(self) -> None:
        if self.problem() or self._busy:
            return
        old, new = self.current.text(), self.fields.text()
        self.error_label.hide()
        self._set_busy(True)
        task = self._bridge.call(lambda s: s.change_passphrase(old, new),
                                 on_success=self._changed, on_failure=self._failed,
                                 label=self.tr("Changing passphrase…"))
        if task is None:   # locked meanwhile
            self._set_busy(False)
            self.reject()

    def _changed(self, _result: object) -> None:
        self._set_busy(False)
        self.current.clear()
        self.fields.clear()
        self.changed.emit()
        MessageBox.information(self, title=self.tr("Passphrase changed"), text=self.tr(
            "Your passphrase was changed. Use the new one the next time you unlock Lantern."))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(message_for(exc))
        self.error_label.show()
        self.current.setFocus()
        self.current.selectAll()

    def _on_locked(self) -> None:
        # the change (if running) still finishes in the vault lane before the lock
        self._busy = False
        self.reject()

    def reject(self) -> None:
        if self._busy:   # the key is being rewritten; let it finish
            return
        self.current.clear()
        self.fields.clear()
        super().reject()
