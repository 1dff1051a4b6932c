"""Tools → Users… (administrators): list, add and deactivate user accounts.

Every service call goes through the session bridge (vault lane); the dialog
never blocks. Adding a user derives a key for their slot, which takes a moment:
the add-user dialog stays open and busy until it is done.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.records import Role, User
from lantern.gui.errors import MessageBox, message_for
from lantern.gui.passphrase_fields import NewPassphraseFields
from lantern.gui.session_bridge import SessionBridge
from lantern.gui.theme import set_primary
from lantern.services.roles import allowed

COL_USER, COL_NAME, COL_ROLE, COL_STATUS = range(4)


def role_label(role: Role | str) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        Role.ADMIN.value: QCoreApplication.translate("UsersDialog", "Administrator"),
        Role.CLINICIAN.value: QCoreApplication.translate("UsersDialog", "Clinician"),
        Role.ASSISTANT.value: QCoreApplication.translate("UsersDialog", "Assistant"),
    }
    return labels.get(str(role), str(role))


def is_admin(bridge: SessionBridge) -> bool:
    session = bridge.session
    return session is not None and allowed(session.user, "users.manage")


class AddUserDialog(QDialog):
    """User name, display name, role and a first passphrase for a new account."""

    added = Signal(object)   # the new User

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addUserDialog")
        self.setWindowTitle(self.tr("Add user"))
        self.setMinimumWidth(480)
        self._bridge = bridge
        self._busy = False
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("lower-case, e.g. joseph"))
        self.display_name = QLineEdit(self)
        self.display_name.setPlaceholderText(self.tr("optional, e.g. Joseph Banda"))
        self.role = QComboBox(self)
        for role in (Role.CLINICIAN, Role.ASSISTANT, Role.ADMIN):
            self.role.addItem(role_label(role), role.value)
        form = QFormLayout()
        for text, field in ((self.tr("&User name:"), self.username),
                            (self.tr("&Full name:"), self.display_name),
                            (self.tr("&Role:"), self.role)):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        self.fields = NewPassphraseFields(host=self, form=form)
        hint = QLabel(self.tr(
            "Give the new user their passphrase in person. They can change it later with "
            "File → Change passphrase…"), self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.add_button = set_primary(QPushButton(self.tr("&Add user"), self))
        self.add_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.add_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.username.textChanged.connect(self._update)
        self.fields.changed.connect(self._update)
        bridge.locked.connect(self._on_locked)
        self._update()

    def problem(self) -> str:
        if not self.username.text().strip():
            return self.tr("Enter a user name.")
        return self.fields.problem()

    def _update(self) -> None:
        problem = self.problem()
        self.add_button.setEnabled(not problem and not self._busy)
        self.add_button.setToolTip(problem)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for widget in (self.username, self.display_name, self.role, self.fields,
                       self.cancel_button):
            widget.setEnabled(not busy)
        self._update()

    def submit(self) -> None:
        if self.problem() or self._busy:
            return
        values: dict[str, Any] = {
            "username": self.username.text().strip(),
            "display_name": self.display_name.text().strip(),
            "role": self.role.currentData(),
            "passphrase": self.fields.text(),
        }
        self.error_label.hide()
        self._set_busy(True)
        task = self._bridge.call(lambda s: s.users.add_user(**values),
                                 on_success=self._added, on_failure=self._failed,
                                 label=self.tr("Adding user…"))
        if task is None:
            self._set_busy(False)
            self.reject()

    def _added(self, user: User) -> None:
        self._set_busy(False)
        self.fields.clear()
        self.added.emit(user)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(message_for(exc))
        self.error_label.show()

    def _on_locked(self) -> None:
        self._busy = False
        self.reject()

    def reject(self) -> None:
        if self._busy:
            return
        self.fields.clear()
        super().reject()


class UsersDialog(QDialog):
    """The user list; administrators can add and deactivate accounts."""

    loaded = Signal()

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("Users"))
        self.resize(640, 420)
        self._bridge = bridge
        self._users: list[User] = []
        self.add_dialog: AddUserDialog | None = None
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("User name"), self.tr("Full name"), self.tr("Role"), self.tr("Status")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("hintLabel")
        self.status_label.setWordWrap(True)
        self.add_button = QPushButton(self.tr("&Add user…"), self)
        self.deactivate_button = QPushButton(self.tr("&Deactivate"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.add_button.clicked.connect(self.open_add_user)
        self.deactivate_button.clicked.connect(self.deactivate_selected)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.deactivate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        admin = is_admin(bridge)
        self.add_button.setVisible(admin)          # only administrators manage users
        self.deactivate_button.setVisible(admin)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        bridge.locked.connect(self.reject)
        self._update_buttons()
        self.refresh()

    # --- data ----------------------------------------------------------------
    def refresh(self) -> None:
        self.status_label.setText(self.tr("Loading…"))
        self._bridge.call(lambda s: s.users.list_users(), on_success=self._show_users,
                          on_failure=self._failed, label=self.tr("Loading users…"))

    def _show_users(self, users: list[User]) -> None:
        selected = self.selected_user()
        self._users = sorted(users, key=lambda u: (not u.active, u.username))
        self.table.setRowCount(len(self._users))
        for row, user in enumerate(self._users):
            status = self.tr("Active") if user.active else self.tr("Deactivated")
            values = (user.username, user.display_name, role_label(user.role), status)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
            if selected is not None and user.username == selected.username:
                self.table.selectRow(row)
        active = sum(1 for u in self._users if u.active)
        self.status_label.setText(self.tr("%1 users, %2 active.").replace(
            "%1", str(len(self._users))).replace("%2", str(active)))
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText(message_for(exc))
        self.loaded.emit()

    def users(self) -> list[User]:
        return list(self._users)

    def selected_user(self) -> User | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._users):
            return None
        return self._users[rows[0].row()]

    def select_username(self, username: str) -> None:
        for row, user in enumerate(self._users):
            if user.username == username:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        user = self.selected_user()
        self.deactivate_button.setEnabled(
            user is not None and user.active and user.username != self._bridge.username)

    # --- actions -------------------------------------------------------------
    def open_add_user(self) -> None:
        if not is_admin(self._bridge):
            return
        dialog = AddUserDialog(bridge=self._bridge, parent=self)
        self.add_dialog = dialog
        dialog.added.connect(self._user_added)

        def finished(_code: int) -> None:
            self.add_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _user_added(self, user: User) -> None:
        self.refresh()
        self.status_label.setText(self.tr("Added %1.").replace("%1", user.username))

    def deactivate_selected(self) -> None:
        user = self.selected_user()
        if user is None or not user.active or not is_admin(self._bridge):
            return
        if not MessageBox.question(self, title=self.tr("Deactivate user"), text=self.tr(
                "Deactivate %1? They will no longer be able to unlock Lantern. Their notes and "
                "the audit trail are kept.").replace("%1", user.username)):
            return
        name = user.username
        self._bridge.call(lambda s: s.users.deactivate_user(name),
                          on_success=self._deactivated,
                          label=self.tr("Deactivating user…"))

    def _deactivated(self, result: Any) -> None:
        """The data key changed with the deactivation: start re-encryption, and show
        what an administrator must act on (only in vaults from before key rotation)."""
        self._bridge.key_rotated.emit()
        self.refresh()
        show_rotation_notes(self, result.rotation)


def show_rotation_notes(parent: QWidget, rotation: Any) -> None:
    """After the data key changed (a user deactivated, a laptop revoked): what an
    administrator must act on, in vaults from before key rotation; nothing otherwise."""
    notes = []
    if rotation.new_recovery_key:
        notes.append(QCoreApplication.translate("UsersDialog",
                        "The old recovery key could not receive the new data key, so a new recovery "
                        "key was made. Write it down now; it is shown only this once:\n\n%1")
                     .replace("%1", rotation.new_recovery_key))
    if rotation.left_behind:
        notes.append(QCoreApplication.translate("UsersDialog",
                        "These accounts have not unlocked since Lantern was updated and could not "
                        "receive the new key: %1. Reset their passphrases with the recovery key.")
                     .replace("%1", ", ".join(s.removeprefix("user:") for s in rotation.left_behind)))
    if notes:
        MessageBox.information(parent, title=QCoreApplication.translate("UsersDialog", "Vault key changed"),
                               text="\n\n".join(notes))
