"""The unlock screen: user name and passphrase, unlock in the runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.errors import AuthError
from lantern.gui.errors import message_for
from lantern.gui.runner import TaskRunner
from lantern.gui.theme import set_primary

UnlockFn = Callable[..., Any]


class UnlockView(QWidget):
    """Emits ``unlocked(session)`` after a successful unlock."""

    unlocked = Signal(object)
    recover_requested = Signal()
    restore_requested = Signal()

    def __init__(self, *, runner: TaskRunner, unlock_fn: UnlockFn,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockView")
        self._runner = runner
        self._unlock_fn = unlock_fn
        self._busy = False

        card = QFrame(self)
        card.setObjectName("unlockCard")
        card.setFixedWidth(440)
        title = QLabel(self.tr("Lantern"), card)
        title.setObjectName("appTitle")
        self.subtitle = QLabel(self.tr("The vault is locked."), card)
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setWordWrap(True)
        self.username = QLineEdit(card)
        self.passphrase = QLineEdit(card)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        user_label = QLabel(self.tr("&User name:"), card)
        user_label.setBuddy(self.username)
        pass_label = QLabel(self.tr("P&assphrase:"), card)
        pass_label.setBuddy(self.passphrase)
        form.addRow(user_label, self.username)
        form.addRow(pass_label, self.passphrase)
        self.error_label = QLabel(card)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.progress = QProgressBar(card)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.unlock_button = set_primary(QPushButton(self.tr("Unlock"), card))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.username.returnPressed.connect(self.passphrase.setFocus)
        self.forgot_button = QPushButton(self.tr("F&orgot passphrase…"), card)
        self.forgot_button.setFlat(True)
        self.forgot_button.setObjectName("linkButton")
        self.forgot_button.clicked.connect(self.recover_requested)
        self.restore_button = QPushButton(self.tr("Restore from &backup…"), card)
        self.restore_button.setFlat(True)
        self.restore_button.setObjectName("linkButton")
        self.restore_button.clicked.connect(self.restore_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(self.subtitle)
        inner.addSpacing(6)
        inner.addLayout(form)
        inner.addWidget(self.error_label)
        inner.addWidget(self.progress)
        inner.addLayout(buttons)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_clinic(self, name: str) -> None:
        self.subtitle.setText(self.tr("The vault is locked.") if not name else name)

    def reset(self, *, username: str = "") -> None:
        """Back to a clean form (after a lock)."""
        self.passphrase.setText("")
        self.error_label.hide()
        self.progress.hide()
        self._set_busy(False)
        if username:
            self.username.setText(username)
        (self.passphrase if self.username.text() else self.username).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for w in (self.username, self.passphrase, self.unlock_button, self.forgot_button,
                  self.restore_button):
            w.setEnabled(not busy)

    def try_unlock(self) -> None:
        if self._busy:
            return
        user = self.username.text().strip()
        secret = self.passphrase.text()
        if not user or not secret:
            self._show_error(self.tr("Enter your user name and passphrase."))
            return
        self.error_label.hide()
        self._set_busy(True)
        unlock = self._unlock_fn
        self._runner.submit(lambda ctx: unlock(username=user, passphrase=secret),
                            on_success=self._done, on_failure=self._failed,
                            label=self.tr("Unlocking vault…"))

    def _done(self, session: Any) -> None:
        self.passphrase.setText("")
        self._set_busy(False)
        self.unlocked.emit(session)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.passphrase.setText("")
        if isinstance(exc, AuthError):
            self._show_error(self.tr("Wrong user name or passphrase. Please try again."))
        else:
            self._show_error(message_for(exc))
        self.passphrase.setFocus()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
