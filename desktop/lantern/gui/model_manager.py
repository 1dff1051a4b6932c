"""Tools → Models…: list, import (with progress), verify, set active, remove, licence.

All file work (copy, sha256, header check) runs on the runner; the dialog only
shows results. Importing a file whose sha256 is not in the manifest asks first,
naming the risk. Tests replace :attr:`ModelManagerDialog.choose_path` to skip the
file dialog and preset answers with ``MessageBox.set_next_answer``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lantern.gui.errors import MessageBox, show_error
from lantern.llm.resources import MIB
from lantern.llm.store import UNKNOWN_RISK, InstalledModel, PendingImport

COLUMNS = ("Model", "File", "Size", "RAM needed", "Licence", "Status")


class ModelManagerDialog(QDialog):
    def __init__(self, *, models: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        self.resize(980, 560)
        self.models = models
        self.runner = runner
        self.choose_path: Callable[[bool], str | None] = self._ask_path
        self._rows: list[InstalledModel] = []
        self._task: Any = None

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._show_details)

        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([220, 280])

        self.import_file_button = QPushButton(self.tr("Import file…"), self)
        self.import_folder_button = QPushButton(self.tr("Import from folder…"), self)
        self.verify_button = QPushButton(self.tr("Verify"), self)
        self.use_button = QPushButton(self.tr("Use this model"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.import_file_button.clicked.connect(lambda: self.start_import(folder=False))
        self.import_folder_button.clicked.connect(lambda: self.start_import(folder=True))
        self.verify_button.clicked.connect(self.verify_selected)
        self.use_button.clicked.connect(self.use_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button.clicked.connect(self.reject)

        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress_label = QLabel("", self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_work)

        buttons = QHBoxLayout()
        for b in (self.import_file_button, self.import_folder_button, self.verify_button,
                  self.use_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_label, 1)
        progress_row.addWidget(self.progress, 2)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(progress_row)
        layout.addLayout(buttons)
        self.refresh()

    # --- list and details -------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected()
        self._rows = self.models.list_models()
        active = self.models.active()
        self.table.setRowCount(len(self._rows))
        for row, m in enumerate(self._rows):
            is_active = active is not None and active.file_name == m.file_name
            status = [self.tr("active")] if is_active else []
            status.append(self.tr("known") if m.known else self.tr("UNKNOWN source"))
            cells = (m.display_name, m.file_name, f"{m.size_bytes // MIB} MB",
                     f"~{m.ram_bytes // MIB} MB", m.spec.licence if m.spec else self.tr("unknown"),
                     ", ".join(status))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if selected is not None:
            self.select(selected.file_name)
        elif self._rows:
            self.table.selectRow(0)
        self._update_buttons()
        self._show_details()

    def selected(self) -> InstalledModel | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def select(self, file_name: str) -> None:
        for row, m in enumerate(self._rows):
            if m.file_name == file_name:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        busy = self._task is not None
        has = self.selected() is not None
        for b in (self.verify_button, self.use_button, self.remove_button):
            b.setEnabled(has and not busy)
        self.import_file_button.setEnabled(not busy)
        self.import_folder_button.setEnabled(not busy)

    def _show_details(self) -> None:
        self._update_buttons()
        m = self.selected()
        if m is None:
            self.details.setPlainText(self.tr(
                "No model installed yet. The built-in model is prepared the first time it is "
                "needed; stronger models can be imported from a USB stick."))
            return
        lines = [f"<h3>{_esc(m.display_name)}</h3>",
                 f"<p><b>{self.tr('File')}:</b> {_esc(m.file_name)} ({m.size_bytes // MIB} MB)"
                 f"<br><b>sha256:</b> <code>{m.sha256}</code>"
                 f"<br><b>{self.tr('Memory needed')}:</b> ~{m.ram_bytes // MIB} MB</p>"]
        if m.spec:
            s = m.spec
            lines.append(
                f"<p><b>{self.tr('Parameters')}:</b> {_esc(s.parameters_label)}, "
                f"{_esc(s.quantization)}; {self.tr('context')} {s.context_length} tokens; "
                f"{self.tr('chat format')}: {_esc(s.chat_format)}</p>"
                f"<p><b>{self.tr('Recommended use')}:</b> {_esc(s.recommended_use)}</p>"
                f"<p><b>{self.tr('Licence')}: {_esc(s.licence)}</b><br>{_esc(s.licence_summary)}"
                f"<br>{_esc(s.licence_url)}</p>")
        else:
            lines.append(f"<p><b>{self.tr('Unknown model')}.</b> {_esc(UNKNOWN_RISK)}</p>")
        self.details.setHtml("".join(lines))

    # --- background work ----------------------------------------------------------------
    def _begin(self, label: str) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress_label.setText(label)
        self.cancel_button.setVisible(True)

    def _end(self) -> None:
        self._task = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.progress_label.setText("")
        self.refresh()

    def _on_progress(self, fraction: float | None, message: str) -> None:
        if fraction is None:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(fraction * 1000))
        self.progress_label.setText(message)

    def _on_failure(self, exc: BaseException) -> None:
        self._end()
        show_error(self, exc)

    def _submit(self, fn: Callable, *, on_success: Callable, label: str) -> None:
        self._begin(label)
        self._task = self.runner.submit(fn, on_success=on_success, on_failure=self._on_failure,
                                        on_progress=self._on_progress, label=label, lane="files")
        self._update_buttons()

    def cancel_work(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _ask_path(self, folder: bool) -> str | None:
        if folder:
            return QFileDialog.getExistingDirectory(self, self.tr("Folder with a model")) or None
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Model file"), "",
                                              self.tr("GGUF models (*.gguf)"))
        return path or None

    def start_import(self, *, folder: bool) -> None:
        path = self.choose_path(folder)
        if not path:
            return

        def work(ctx: Any) -> PendingImport:
            return self.models.prepare_import(Path(path), progress=ctx.report,
                                              cancel=ctx.cancelled)

        self._submit(work, on_success=self._import_copied, label=self.tr("Importing model…"))

    def _import_copied(self, pending: PendingImport) -> None:
        allow = pending.known
        if not pending.known:
            allow = MessageBox.question(
                self, title=self.tr("Unknown model file"),
                text=self.tr("{risk}\n\nFile: {name}\nsha256: {sha}\n\nImport it anyway?").format(
                    risk=UNKNOWN_RISK, name=pending.file_name, sha=pending.sha256))
        if not allow:
            pending.discard()
            self._end()
            return
        try:
            model = self.models.commit_import(pending, allow_unknown=True)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self._on_failure(exc)
            return
        self._end()
        self.select(model.file_name)

    def verify_selected(self) -> None:
        m = self.selected()
        if m is None:
            return

        def work(ctx: Any) -> InstalledModel:
            return self.models.verify(m.file_name, progress=ctx.report, cancel=ctx.cancelled)

        def done(model: InstalledModel) -> None:
            self._end()
            MessageBox.information(self, title=self.tr("Model verified"), text=self.tr(
                "{name} is intact (sha256 matches).").format(name=model.file_name))

        self._submit(work, on_success=done, label=self.tr("Verifying…"))

    def use_selected(self) -> None:
        m = self.selected()
        if m is None:
            return
        self._submit(lambda _ctx: self.models.set_active(m.file_name),
                     on_success=lambda _model: self._end(), label=self.tr("Switching model…"))

    def remove_selected(self) -> None:
        m = self.selected()
        if m is None:
            return
        if not MessageBox.question(self, title=self.tr("Remove model"), text=self.tr(
                "Delete {name} ({size} MB) from this laptop?").format(
                    name=m.file_name, size=m.size_bytes // MIB)):
            return
        self._submit(lambda _ctx: self.models.remove(m.file_name),
                     on_success=lambda _none: self._end(), label=self.tr("Removing model…"))


def _esc(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
