"""First start: create the clinic vault.

Three pages: the form (clinic, first admin, passphrase with strength feedback),
progress while the key is derived in the runner, and the recovery key, shown
once, which the user must confirm having written down before going on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.errors import message_for
from lantern.gui.passphrase_fields import NewPassphraseFields
from lantern.gui.runner import TaskRunner
from lantern.gui.theme import set_primary

CreateFn = Callable[..., tuple[Any, str]]


class CreateVaultDialog(QDialog):
    """Returns the open session in ``self.session`` when accepted.

    ``restore_requested`` asks the owner to restore a backup instead (new laptop)."""

    restore_requested = Signal()
    join_requested = Signal()     # join a clinic that has Lantern already (enrolment file + code)

    def __init__(self, *, runner: TaskRunner, create_fn: CreateFn,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("createVaultDialog")
        self.setWindowTitle(self.tr("Create the clinic vault"))
        self.setModal(True)
        self.setMinimumWidth(520)
        self._runner = runner
        self._create_fn = create_fn
        self.session: Any = None
        self.recovery_key = ""

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_form())
        self.pages.addWidget(self._build_progress())
        self.pages.addWidget(self._build_recovery())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._update_form()

    # --- pages -------------------------------------------------------------
    def _build_form(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr(
            "Welcome to Lantern. Everything about your patients is kept in an encrypted "
            "vault on this computer. Create it now: you will be its first administrator."), page)
        intro.setWordWrap(True)
        self.clinic = QLineEdit(page)
        self.clinic.setPlaceholderText(self.tr("e.g. Mbala Rural Health Centre"))
        self.username = QLineEdit(page)
        self.username.setPlaceholderText(self.tr("lower-case, e.g. amina"))
        self.error_label = QLabel(page)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Clinic name:"), self.clinic)
        form.addRow(self.tr("&Administrator user name:"), self.username)
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = item.widget() if item is not None else None
            buddy = field.widget() if field is not None else None
            if isinstance(label, QLabel) and buddy is not None:
                label.setBuddy(buddy)
        self.fields = NewPassphraseFields(host=page, form=form, label=self.tr("&Passphrase:"))
        self.fields.changed.connect(self._update_form)
        # the widgets the rest of the dialog (and its tests) refer to
        self.passphrase, self.confirm = self.fields.passphrase, self.fields.confirm
        self.strength_label, self.match_label = self.fields.strength_label, self.fields.match_label

        self.create_button = set_primary(QPushButton(self.tr("C&reate vault"), page))
        self.create_button.setDefault(True)
        cancel = QPushButton(self.tr("Cancel"), page)
        cancel.clicked.connect(self.reject)
        self.create_button.clicked.connect(self._start_create)
        self.restore_button = QPushButton(self.tr("Restore from &backup…"), page)
        self.restore_button.setToolTip(self.tr(
            "Moving to a new laptop? Restore the vault from a backup file instead."))
        self.restore_button.clicked.connect(self.restore_requested)
        self.join_button = QPushButton(self.tr("&Join clinic…"), page)
        self.join_button.setToolTip(self.tr(
            "A new laptop for a clinic that uses Lantern already: join it with the enrolment "
            "file and code an administrator made."))
        self.join_button.clicked.connect(self.join_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.join_button)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        for edit in (self.clinic, self.username):   # the passphrase fields signal `changed`
            edit.textChanged.connect(self._update_form)
        return page

    def _build_progress(self) -> QWidget:
        page = QWidget(self)
        self.progress_label = QLabel(self.tr("Creating the vault and deriving the key…"), page)
        self.progress_bar = QProgressBar(page)
        self.progress_bar.setRange(0, 0)   # busy until the KDF reports
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        layout.addStretch(1)
        return page

    def _build_recovery(self) -> QWidget:
        page = QWidget(self)
        title = QLabel(self.tr("<b>Your recovery key</b>"), page)
        text = QLabel(self.tr(
            "If every administrator forgets their passphrase, this key is the only way to open "
            "the vault. Write it on paper now and keep it locked away from the laptop. "
            "It will not be shown again."), page)
        text.setWordWrap(True)
        self.key_label = QLabel(page)
        self.key_label.setObjectName("recoveryKey")
        self.key_label.setWordWrap(True)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.written_down = QCheckBox(self.tr("I have &written it down and will keep it safe"), page)
        self.continue_button = set_primary(QPushButton(self.tr("C&ontinue"), page))
        self.continue_button.setEnabled(False)
        self.written_down.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._finish)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(self.key_label)
        layout.addWidget(self.written_down)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    # --- behaviour ---------------------------------------------------------
    def _form_problem(self) -> str:
        if not self.clinic.text().strip():
            return self.tr("Enter the clinic name.")
        if not self.username.text().strip():
            return self.tr("Enter a user name for the administrator.")
        return self.fields.problem()

    def _update_form(self) -> None:
        problem = self._form_problem()
        self.create_button.setEnabled(not problem)
        self.create_button.setToolTip(problem)

    def _start_create(self) -> None:
        if self._form_problem():
            return
        self.error_label.hide()
        clinic = self.clinic.text().strip()
        user = self.username.text().strip()
        secret = self.passphrase.text()
        self.pages.setCurrentIndex(1)
        create = self._create_fn

        def work(ctx: Any) -> Any:
            ctx.report(None, "")
            return create(clinic_name=clinic, admin_username=user, passphrase=secret)

        self._runner.submit(work, on_success=self._created, on_failure=self._failed,
                            label=self.tr("Creating vault…"))

    def _created(self, result: tuple[Any, str]) -> None:
        self.session, self.recovery_key = result
        self.passphrase.setText("")
        self.confirm.setText("")
        self.key_label.setText(self.recovery_key)
        self.pages.setCurrentIndex(2)
        self.written_down.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.pages.setCurrentIndex(0)
        self.error_label.setText(message_for(exc))
        self.error_label.show()

    def _finish(self) -> None:
        if self.written_down.isChecked() and self.session is not None:
            self.key_label.clear()
            self.recovery_key = ""
            self.accept()

    def reject(self) -> None:
        # Once the vault exists, the key must be acknowledged; while it is being
        # created, closing would orphan the task.
        if self.pages.currentIndex() != 0:
            return
        super().reject()
