"""Tools → "Enrol a laptop…" (admin), Tools → "Laptops of this clinic…" (the laptops
this vault knows; an administrator revokes a lost one there) and "Join clinic…" on
the first-start screen (from an enrolment file, or from the clinic's server with its
address, the clinic database and the code: ``enrol_server.join_through_server``).

Both run the services of ``lantern.services.sync.enrol`` (docs/sync.md, "Joining a
laptop") in the runner, never on the GUI thread (the code's key derivation and the
vault copy take a moment). The enrolment code is shown large, in two lines of four
words, with its expiry; it is shown once and forgotten when the dialog closes.
There is no QR code: no QR library is installed in Lantern's environment.

Tests replace ``choose_target`` / ``choose_source`` (callables returning a path or
``None``) instead of driving a file dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.errors import MessageBox, message_for
from lantern.gui.runner import TaskRunner
from lantern.gui.theme import set_primary
from lantern.services.roles import allowed

JoinFn = Callable[[Path, str, Path], Any]
ServerJoinFn = Callable[[str, str, str, Path], Any]     # url, database, code, data dir -> Joined


def _join_through_server(url: str, database: str, code: str, data_dir: Path) -> Any:
    from lantern.services.sync.enrol_server import join_through_server

    return join_through_server(url, database, code, data_dir).joined


def may_enrol(bridge: Any) -> bool:
    session = bridge.session
    return session is not None and allowed(session.user, "device.enrol")


def _file_row(host: QWidget, edit: QLineEdit, browse: Callable[[], None], label: str
              ) -> QHBoxLayout:
    button = QPushButton(label, host)
    button.clicked.connect(browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


def _lay_out_form(host: QWidget, *, intro: QLabel, form: QFormLayout, error: QLabel,
                  primary: QPushButton, cancel: QPushButton) -> None:
    """Intro, form, error line, then Cancel and the primary button at the bottom right."""
    primary.setDefault(True)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(cancel)
    buttons.addWidget(set_primary(primary))
    layout = QVBoxLayout(host)
    for part in (intro, form, error):
        if isinstance(part, QFormLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addStretch(1)
    layout.addLayout(buttons)


def _error_label(host: QWidget) -> QLabel:
    label = QLabel(host)
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.hide()
    return label


class EnrolDialog(QDialog):
    """Write an enrolment package for a new laptop and show its one-time code."""

    def __init__(self, *, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolDialog")
        self.setWindowTitle(self.tr("Enrol a laptop"))
        self.setMinimumWidth(560)
        self._bridge = bridge
        self.choose_target: Callable[[QWidget], str | None] = self._ask_target
        self.result_info: Any = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_form())
        self.pages.addWidget(self._build_code())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._update()

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr(
            "A new laptop joins the clinic from an enrolment file (for a USB stick) and a "
            "one-time code of 8 words, valid for 15 minutes. The file holds an encrypted copy "
            "of this vault; its users then unlock it with their own passphrases. Give the "
            "code in person, not on the same stick."), page)
        intro.setWordWrap(True)
        self.name = QLineEdit(page)
        self.name.setPlaceholderText(self.tr("e.g. outreach laptop"))
        self.target = QLineEdit(page)
        self.target.setPlaceholderText(self.tr("where to write the enrolment file"))
        form = QFormLayout()
        form.addRow(self.tr("New laptop's &name:"), self.name)
        form.addRow(self.tr("Enrolment &file:"), _file_row(page, self.target, self._browse,
                                                                self.tr("&Browse…")))
        self.error_label = _error_label(page)
        self.create_button = QPushButton(self.tr("&Create enrolment"), page)
        self.create_button.clicked.connect(self._start)
        cancel = QPushButton(self.tr("Cancel"), page)
        cancel.clicked.connect(self.reject)
        _lay_out_form(page, intro=intro, form=form, error=self.error_label,
                      primary=self.create_button, cancel=cancel)
        for edit in (self.name, self.target):
            edit.textChanged.connect(self._update)
        return page

    def _build_code(self) -> QWidget:
        page = QWidget(self)
        self.done_label = QLabel(page)
        self.done_label.setWordWrap(True)
        self.code_label = QLabel(page)
        self.code_label.setObjectName("enrolmentCode")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(max(22, font.pointSize() * 2))
        font.setWeight(QFont.Weight.Bold)
        self.code_label.setFont(font)
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expiry_label = QLabel(page)
        self.expiry_label.setWordWrap(True)
        close = set_primary(QPushButton(self.tr("&Done"), page))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label)
        layout.addSpacing(12)
        layout.addWidget(self.code_label)
        layout.addSpacing(12)
        layout.addWidget(self.expiry_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _ask_target(self, parent: QWidget) -> str | None:
        start = str(Path.home() / "lantern-enrolment.enrol")
        path, _ = QFileDialog.getSaveFileName(parent, self.tr("Write the enrolment file to…"),
                                              start, self.tr("Lantern enrolment (*.enrol)"))
        return path or None

    def _browse(self) -> None:
        chosen = self.choose_target(self)
        if chosen:
            self.target.setText(chosen)

    def _update(self) -> None:
        self.create_button.setEnabled(bool(self.name.text().strip() and self.target.text().strip()))

    def _start(self) -> None:
        from lantern.services.sync.enrol import enrol

        name, target = self.name.text().strip(), Path(self.target.text().strip())
        if not name or not self.target.text().strip():
            return
        self.error_label.hide()
        self.create_button.setEnabled(False)
        self.task = self._bridge.call(lambda s: enrol(s.context, target, name=name),
                                      on_success=self._done, on_failure=self._failed,
                                      label=self.tr("Writing the enrolment file…"))

    def _failed(self, exc: BaseException) -> None:
        self.error_label.setText(message_for(exc))
        self.error_label.show()
        self._update()

    def _done(self, result: Any) -> None:
        self.result_info = result
        words = result.code.upper().split()
        self.done_label.setText(self.tr(
            "The enrolment file for %1 was written to %2. On the new laptop choose "
            "\"Join clinic…\" on the first screen, choose the file and type this code:")
            .replace("%1", result.name).replace("%2", str(result.path)))
        self.code_label.setText("  ".join(words[:4]) + "\n" + "  ".join(words[4:]))
        self.expiry_label.setText(self.tr(
            "Valid once, until %1 (15 minutes). It is not shown again: make a new enrolment "
            "if it expires.").replace("%1", result.expires.replace("T", " ")))
        self.pages.setCurrentIndex(1)

    def done(self, code: int) -> None:     # the code is forgotten with the dialog
        self.code_label.clear()
        self.result_info = None
        super().done(code)


class JoinDialog(QDialog):
    """Make this computer's (empty) data directory a laptop of the clinic."""

    def __init__(self, *, runner: TaskRunner, data_dir: Path, join_fn: JoinFn | None = None,
                 server_join_fn: ServerJoinFn | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinDialog")
        self.setWindowTitle(self.tr("Join clinic"))
        self.setMinimumWidth(560)
        self._runner = runner
        self._data_dir = Path(data_dir)
        if join_fn is None:
            from lantern.services.sync.enrol import join
            join_fn = join
        self._join_fn: JoinFn = join_fn
        self._server_join_fn: ServerJoinFn = server_join_fn or _join_through_server
        self.choose_source: Callable[[QWidget], str | None] = self._ask_source
        self.joined: Any = None
        self.task: Any = None
        intro = QLabel(self.tr(
            "Join a clinic that already uses Lantern: an administrator makes an enrolment "
            "and a code of 8 words on one of the clinic's laptops (Tools → Enrol a "
            "laptop…), as a file or on the clinic's server. Choose where it is and type "
            "the code."), self)
        intro.setWordWrap(True)
        self.from_file = QRadioButton(self.tr("From a fi&le"), self)
        self.from_server = QRadioButton(self.tr("From the clinic's &server"), self)
        self.from_file.setChecked(True)
        where = QHBoxLayout()
        where.addWidget(self.from_file)
        where.addWidget(self.from_server)
        where.addStretch(1)
        self.source = QLineEdit(self)
        self.source.setPlaceholderText(self.tr("the enrolment file"))
        self.server = QLineEdit(self)
        self.server.setObjectName("joinServer")
        self.server.setPlaceholderText("https://sync.district.example")
        self.database = QLineEdit(self)
        self.database.setObjectName("joinDatabase")
        self.database.setPlaceholderText(self.tr("the clinic database, as the administrator "
                                                 "gives it"))
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(self.tr("8 words"))
        font = self.code.font()
        font.setPointSize(max(14, font.pointSize() + 4))
        self.code.setFont(font)
        form = QFormLayout()
        self._form = form
        form.addRow(self.tr("Enrolment:"), where)
        form.addRow(self.tr("Enrolment &file:"), _file_row(self, self.source, self._browse,
                                                                self.tr("&Browse…")))
        form.addRow(self.tr("Server &address:"), self.server)
        form.addRow(self.tr("Clinic &database:"), self.database)
        form.addRow(self.tr("Enrolment &code:"), self.code)
        self.error_label = _error_label(self)
        self.join_button = QPushButton(self.tr("&Join"), self)
        self.join_button.clicked.connect(self._start)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.clicked.connect(self.reject)
        _lay_out_form(self, intro=intro, form=form, error=self.error_label,
                      primary=self.join_button, cancel=cancel)
        for edit in (self.source, self.server, self.database, self.code):
            edit.textChanged.connect(self._update)
        self.from_server.toggled.connect(self._update)
        self._update()

    def _ask_source(self, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, self.tr("Choose the enrolment file"),
                                              str(Path.home()),
                                              self.tr("Lantern enrolment (*.enrol);;All files (*)"))
        return path or None

    def _browse(self) -> None:
        chosen = self.choose_source(self)
        if chosen:
            self.source.setText(chosen)

    def _ready(self) -> bool:
        if not self.code.text().strip():
            return False
        if self.from_server.isChecked():
            return bool(self.server.text().strip() and self.database.text().strip())
        return bool(self.source.text().strip())

    def _update(self) -> None:
        busy = self.task is not None
        server = self.from_server.isChecked()
        self._form.setRowVisible(1, not server)
        self._form.setRowVisible(2, server)
        self._form.setRowVisible(3, server)
        self.join_button.setEnabled(not busy and self._ready())

    def _start(self) -> None:
        if not self._ready() or self.task is not None:
            return
        self.error_label.hide()
        code, data_dir = self.code.text(), self._data_dir
        if self.from_server.isChecked():
            url, database = self.server.text().strip(), self.database.text().strip()
            server_join = self._server_join_fn

            def work(ctx: Any) -> Any:
                ctx.report(None, "")
                return server_join(url, database, code, data_dir)
        else:
            source, join = Path(self.source.text().strip()), self._join_fn

            def work(ctx: Any) -> Any:
                ctx.report(None, "")
                return join(source, code, data_dir)

        self.task = self._runner.submit(work, on_success=self._joined, on_failure=self._failed,
                                        label=self.tr("Joining the clinic…"))
        self._update()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.error_label.setText(message_for(exc))
        self.error_label.show()
        self._update()

    def _joined(self, result: Any) -> None:
        self.task = None
        self.joined = result
        self.code.clear()
        self.accept()

    def reject(self) -> None:
        if self.task is not None:     # a join runs: it finishes whole (or not at all) first
            return
        super().reject()


def may_list_laptops(bridge: Any) -> bool:
    session = bridge.session
    return session is not None and allowed(session.user, "device.list")


class LaptopsDialog(QDialog):
    """The clinic's laptops this vault knows (``enrol.devices``); "Revoke…" (admin) for a
    lost or stolen one: its events are refused from then on and the data key changes
    (``enrol.revoke``), after a confirmation. The re-encryption that follows runs in the
    background (``SessionBridge.key_rotated``)."""

    COLUMNS = ("name", "status", "device", "when")

    def __init__(self, *, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("laptopsDialog")
        self.setWindowTitle(self.tr("Laptops of this clinic"))
        self.resize(720, 360)
        self._bridge = bridge
        self.devices: list[Any] = []
        intro = QLabel(self.tr(
            "The laptops this vault knows: enrolled from here, or known by the changes they "
            "synced. Revoke a lost or stolen laptop: its changes are refused from then on and "
            "the clinic's data key changes."), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("laptopsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Status"), self.tr("Device id"),
                                              self.tr("Enrolled / revoked")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.error_label = _error_label(self)
        self.revoke_button = QPushButton(self.tr("&Revoke…"), self)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.revoke_button.setVisible(allowed(bridge.session.user, "device.revoke")
                                      if bridge.session is not None else False)
        close = QPushButton(self.tr("&Close"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self._update()
        self.refresh()

    def status_text(self, status: str) -> str:
        return {"this laptop": self.tr("this laptop"), "enrolled": self.tr("enrolled"),
                "revoked": self.tr("revoked"), "synced": self.tr("known by its changes")}.get(status, status)

    def refresh(self) -> None:
        from lantern.services.sync.enrol import devices

        self._bridge.call(lambda s: devices(s.context), on_success=self._show,
                          on_failure=self._failed, label=self.tr("Reading the clinic's laptops…"))

    def _show(self, found: list[Any]) -> None:
        self.devices = list(found)
        self.table.setRowCount(len(found))
        for row, d in enumerate(found):
            when = d.revoked_at or d.at
            for col, text in enumerate((d.name or "—", self.status_text(d.status), d.device_id,
                                        when.replace("T", " ")[:16] if when else "")):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._update()

    def selected(self) -> Any:
        row = self.table.currentRow()
        return self.devices[row] if 0 <= row < len(self.devices) else None

    def _update(self) -> None:
        device = self.selected()
        self.revoke_button.setEnabled(device is not None and device.status in ("enrolled", "synced"))

    def revoke_selected(self) -> None:
        from lantern.services.sync.enrol import revoke

        device = self.selected()
        if device is None or device.status not in ("enrolled", "synced"):
            return
        name = device.name or device.device_id
        if not MessageBox.question(self, title=self.tr("Revoke a laptop"), text=self.tr(
                "Revoke %1? Do this for a lost or stolen laptop. Its changes will be refused "
                "here from now on, and the clinic's data key changes: every laptop that stays "
                "must sync once more and then join again from a new enrolment file. This "
                "cannot be undone.").replace("%1", name)):
            return
        self.error_label.hide()
        self.revoke_button.setEnabled(False)
        wanted = device.device_id
        self._bridge.call(lambda s: revoke(s.context, wanted), on_success=self._revoked,
                          on_failure=self._failed, label=self.tr("Revoking the laptop…"))

    def _revoked(self, result: Any) -> None:
        from lantern.gui.users_dialog import show_rotation_notes

        device, rotation = result
        self._bridge.key_rotated.emit()      # the background re-encryption starts
        self.status_label.setText(self.tr("Revoked %1. The data key changed (key epoch %2).")
                                  .replace("%1", device).replace("%2", str(rotation.epoch)))
        show_rotation_notes(self, rotation)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.error_label.setText(message_for(exc))
        self.error_label.show()
        self._update()
