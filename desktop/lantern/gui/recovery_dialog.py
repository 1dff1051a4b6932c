"""Forgotten passphrase: open the vault with the recovery key and set a new
passphrase for one user. Runs in the runner (key derivation is slow)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

from lantern.domain.errors import AuthError
from lantern.gui.errors import message_for
from lantern.gui.passphrase_fields import MIN_LENGTH, MIN_SCORE
from lantern.gui.passphrase_strength import estimate
from lantern.gui.runner import TaskRunner
from lantern.gui.theme import set_primary


class RecoveryDialog(QDialog):
    """``self.session`` holds the open session after it is accepted."""

    def __init__(self, *, runner: TaskRunner, recover_fn: Callable[..., Any],
                 username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(self.tr("Reset a passphrase with the recovery key"))
        self.setMinimumWidth(520)
        self._runner = runner
        self._recover_fn = recover_fn
        self.session: Any = None
        intro = QLabel(self.tr(
            "Enter the recovery key written down when the vault was created, the user "
            "whose passphrase is lost, and a new passphrase for that user."), self)
        intro.setWordWrap(True)
        self.key = QLineEdit(self)
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.username = QLineEdit(username, self)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength_label = QLabel(self)
        self.strength_label.setObjectName("hintLabel")
        form = QFormLayout()
        for text, field in ((self.tr("Recovery &key:"), self.key),
                            (self.tr("&User name:"), self.username),
                            (self.tr("&New passphrase:"), self.passphrase),
                            ("", self.strength_label),
                            (self.tr("Con&firm passphrase:"), self.confirm)):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.ok_button = set_primary(QPushButton(self.tr("&Reset and unlock"), self))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.start)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        for edit in (self.key, self.username, self.passphrase, self.confirm):
            edit.textChanged.connect(self._update)
        self._busy = False
        self._update()

    def problem(self) -> str:
        if not self.key.text().strip():
            return self.tr("Enter the recovery key.")
        if not self.username.text().strip():
            return self.tr("Enter the user name.")
        if len(self.passphrase.text()) < MIN_LENGTH or \
                estimate(self.passphrase.text()).score < MIN_SCORE:
            return self.tr("Choose a longer passphrase (several words work well).")
        if self.passphrase.text() != self.confirm.text():
            return self.tr("The two passphrases differ.")
        return ""

    def _update(self) -> None:
        strength = estimate(self.passphrase.text())
        self.strength_label.setText(self.tr("Strength: %1").replace("%1", strength.label()))
        problem = self.problem()
        self.ok_button.setEnabled(not problem and not self._busy)
        self.ok_button.setToolTip(problem)

    def start(self) -> None:
        if self.problem() or self._busy:
            return
        self._busy = True
        self.error_label.hide()
        self.progress.show()
        self._update()
        key, user, secret = self.key.text(), self.username.text().strip(), self.passphrase.text()
        recover = self._recover_fn
        self._runner.submit(
            lambda ctx: recover(recovery_key=key, username=user, new_passphrase=secret),
            on_success=self._done, on_failure=self._failed, label=self.tr("Recovering…"))

    def _done(self, session: Any) -> None:
        self.session = session
        self._wipe()
        self._busy = False
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.progress.hide()
        self.error_label.setText(
            self.tr("The recovery key or the user name is wrong.")
            if isinstance(exc, AuthError) else message_for(exc))
        self.error_label.show()
        self._update()

    def _wipe(self) -> None:
        for edit in (self.key, self.passphrase, self.confirm):
            edit.setText("")

    def reject(self) -> None:
        if self._busy:
            return
        self._wipe()
        super().reject()
