"""Status-bar widget: active model, loaded or not, memory used by the model process.

``ModelStatusWidget(models=service, runner=runner)``; it refreshes every few
seconds on the runner (reading the status touches files and the host process)
and on :meth:`refresh`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from lantern.llm.resources import MIB

REFRESH_MS = 5000


def describe(status: Any) -> tuple[str, str]:
    """(short text, tooltip) for a :class:`~lantern.services.models.ModelStatus`."""
    if status.active_name is None:
        return "Model: none yet", "The built-in model is prepared when it is first needed."
    state = "loaded" if status.loaded else "not loaded"
    ram = f" · {status.ram_bytes // MIB} MB" if status.loaded and status.ram_bytes else ""
    tip = f"{status.active_file} — {state}"
    if status.host_pid:
        tip += f" (model process {status.host_pid})"
    return f"Model: {status.active_name} · {state}{ram}", tip


class ModelStatusWidget(QWidget):
    def __init__(self, *, models: Any, runner: Any, parent: QWidget | None = None,
                 interval_ms: int = REFRESH_MS) -> None:
        super().__init__(parent)
        self.models = models
        self.runner = runner
        self.label = QLabel(self.tr("Model: …"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
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

    def _failed(self, _exc: BaseException) -> None:
        self._task = None
        self.label.setText(self.tr("Model: status unavailable"))
