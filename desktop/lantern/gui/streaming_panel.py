"""A reusable panel that shows model output as it streams in.

Tokens reach the screen in batches (every ~40 ms), so a fast model never
floods the event loop. The panel shows a Stop button, elapsed time and speed.

Two ways to drive it:

* with the runner: ``panel.run(fn, runner=runner)`` where ``fn(ctx)`` runs in a
  worker, calls ``ctx.emit(text)`` per token (e.g. pass ``on_text=ctx.emit`` and
  ``cancel_event=ctx.cancelled`` to a ``TextGenerator``) and returns the final
  text. Stop cancels the task.
* by hand: ``begin()``, ``append_tokens([...])``, ``finish()`` / ``fail(exc)``;
  Stop emits ``stop_requested``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lantern.domain.errors import Cancelled

BATCH_MS = 40


class StreamingPanel(QWidget):
    stop_requested = Signal()
    finished = Signal(object)   # the task's result (or None when driven by hand)
    failed = Signal(object)     # the exception
    stopped = Signal()          # the user pressed Stop and the stream ended

    def __init__(self, *, parent: QWidget | None = None, placeholder: str = "") -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(placeholder or self.tr("The model's answer appears here."))
        self.status = QLabel("", self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.request_stop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addLayout(bottom)

        self._pending: list[str] = []
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(BATCH_MS)
        self._flush_timer.timeout.connect(self._flush)
        self._clock = QTimer(self)
        self._clock.setInterval(250)
        self._clock.timeout.connect(self._update_status)
        self._task: Any = None
        self._started = 0.0
        self._first_token = 0.0
        self._last_token = 0.0
        self.token_count = 0
        self.flush_count = 0
        self._stop_pressed = False
        self.running = False

    # --- driving by hand -------------------------------------------------------------
    def begin(self) -> None:
        self.text.clear()
        self._pending.clear()
        self.token_count = 0
        self.flush_count = 0
        self._stop_pressed = False
        self._started = time.monotonic()
        self._first_token = self._last_token = 0.0
        self.running = True
        self.stop_button.setEnabled(True)
        self._clock.start()
        self._update_status()

    def append_tokens(self, pieces: list[str]) -> None:
        if not pieces:
            return
        now = time.monotonic()
        if not self._first_token:
            self._first_token = now
        self._last_token = now
        self.token_count += len(pieces)
        self._pending.extend(pieces)
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    def finish(self, result: object = None) -> None:
        self._end()
        self.finished.emit(result)

    def fail(self, exc: BaseException) -> None:
        self._end()
        if isinstance(exc, Cancelled) or self._stop_pressed:
            self.status.setText(self.tr("Stopped. ") + self.status.text())
            self.stopped.emit()
        else:
            self.status.setText(self.tr("The model could not finish: ") + str(exc)[:200])
            self.failed.emit(exc)

    def request_stop(self) -> None:
        if not self.running:
            return
        self._stop_pressed = True
        self.stop_button.setEnabled(False)
        self.status.setText(self.tr("Stopping…"))
        if self._task is not None:
            self._task.cancel()
        self.stop_requested.emit()

    # --- driving through the runner -----------------------------------------------------
    def run(self, fn: Callable[[Any], Any], *, runner: Any, label: str = "Generating…",
            lane: str = "model") -> Any:
        """Run ``fn(ctx)`` on ``runner``; tokens it emits are shown as they arrive."""
        self.begin()
        self._task = runner.submit(fn, on_success=self.finish, on_failure=self.fail,
                                   on_partial=self.append_tokens, label=label, lane=lane)
        return self._task

    # --- internals ---------------------------------------------------------------------
    def _flush(self) -> None:
        if not self._pending:
            return
        chunk = "".join(self._pending)
        self._pending.clear()
        self.flush_count += 1
        cursor = self.text.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(chunk)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def _end(self) -> None:
        self._flush_timer.stop()
        self._flush()
        self._clock.stop()
        self.running = False
        self._task = None
        self.stop_button.setEnabled(False)
        self._update_status()

    def tokens_per_s(self) -> float:
        span = self._last_token - self._first_token
        return (self.token_count - 1) / span if self.token_count > 1 and span > 0 else 0.0

    def _update_status(self) -> None:
        end = time.monotonic() if self.running else (self._last_token or time.monotonic())
        elapsed = max(0.0, end - self._started) if self._started else 0.0
        parts = [self.tr("{0:.1f} s").format(elapsed)]
        if self.token_count:
            parts.append(self.tr("{0} tokens").format(self.token_count))
            speed = self.tokens_per_s()
            if speed:
                parts.append(self.tr("{0:.1f} tokens/s").format(speed))
        elif self.running:
            parts.append(self.tr("waiting for the model…"))
        self.status.setText(" · ".join(parts))

    def plain_text(self) -> str:
        return self.text.toPlainText() + "".join(self._pending)
