"""Status-bar widget: active model, loaded or not, memory used by the model process.

``ModelStatusWidget(models=service, runner=runner)``; it refreshes every few
seconds on the runner (reading the status touches files and the host process)
and on :meth:`refresh`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from lantern.llm.resources import MIB

REFRESH_MS = 5000


def describe(status: Any) -> tuple[str, str]:
    """(short text, tooltip) for a :class:`~lantern.services.models.ModelStatus`, in the
    UI's language."""
    if getattr(status, "problem", None):
        text = QCoreApplication.translate("ModelStatusWidget",
                                          "Model: {name} · refused: the file changed")
        return text.format(name=status.active_name), status.problem
    if status.active_name is None:
        return (QCoreApplication.translate("ModelStatusWidget", "Model: none yet"),
                QCoreApplication.translate(
                    "ModelStatusWidget", "The built-in model is prepared when it is first needed."))
    state = (QCoreApplication.translate("ModelStatusWidget", "loaded") if status.loaded
             else QCoreApplication.translate("ModelStatusWidget", "not loaded"))
    ram = f" · {status.ram_bytes // MIB} MB" if status.loaded and status.ram_bytes else ""
    tip = f"{status.active_file} — {state}"
    if status.host_pid:
        tip += QCoreApplication.translate("ModelStatusWidget",
                                          " (model process {pid})").format(pid=status.host_pid)
    text = QCoreApplication.translate("ModelStatusWidget", "Model: {name} · {state}")
    return text.format(name=status.active_name, state=state) + ram, tip


class ModelStatusWidget(QWidget):
    def __init__(self, *, models: Any, runner: Any, parent: QWidget | None = None,
                 interval_ms: int = REFRESH_MS,
                 on_reimport: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.models = models
        self.runner = runner
        self.label = QLabel(self.tr("Model: …"), self)
        # shown when the active model's file was refused: opens Tools → Models… to re-import
        self.reimport = QPushButton(self.tr("Re-import…"), self)
        self.reimport.setToolTip(self.tr("Remove the changed model file and import it again"))
        self.reimport.setVisible(False)
        if on_reimport is not None:
            self.reimport.clicked.connect(on_reimport)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.reimport)
        self._task: Any = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._task is not None:
            return
        self._task = self.runner.submit(lambda _ctx: self.models.status(), on_success=self._show,
                                        on_failure=self._failed, label="", lane="status")

    def _show(self, status: Any) -> None:
        self._task = None
        text, tip = describe(status)
        self.label.setText(text)
        self.label.setToolTip(tip)
        refused = bool(getattr(status, "problem", None))
        self.label.setObjectName("errorLabel" if refused else "")
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)
        self.reimport.setVisible(refused)

    def _failed(self, _exc: BaseException) -> None:
        self._task = None
        self.label.setText(self.tr("Model: status unavailable"))
