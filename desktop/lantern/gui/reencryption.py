"""Re-encryption after a key change, in the background, with progress in the status bar.

After a user is deactivated or the recovery key replaced, the vault's data key
changes and older records are re-encrypted under the new one
(:mod:`lantern.services.rotation`). This widget runs that in its own runner lane,
so the vault lane (searches, charts, saves) keeps going between the short chunk
transactions, and shows "Re-encrypting records… 42%" in the status bar. It
starts at every unlock when work is left over (after a crash, a lock or a
power cut the pass continues where it stopped), and right after a key change.
Locking cancels it between chunks; nothing is lost.

The same background pass then brings the reports' sealed index of confirmed diagnoses up
to date (:func:`lantern.services.diagnosis_index.refresh`: built afresh on a vault
that has none, e.g. one from before it existed; else nothing or little to do), showing
"Indexing diagnoses for reports… 42%" meanwhile; reports stay correct without it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from lantern.gui.runner import Task, TaskContext
from lantern.gui.session_bridge import SessionBridge

LANE = "rekey"
INDEXING = "index"      # the progress message of the diagnosis index's pass


class ReencryptionProgress(QWidget):
    """Status-bar progress of the background re-encryption (hidden when idle)."""

    finished = Signal(object)   # the ReencryptionReport, or None when it stopped early

    def __init__(self, *, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reencryptionProgress")
        self._bridge = bridge
        self._task: Task | None = None
        self._session: Any = None       # the session the running task works for
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(140)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.hide()
        bridge.opened.connect(self.start)
        bridge.key_rotated.connect(self.start)
        bridge.locked.connect(self.stop)

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Re-encrypt whatever is left under earlier keys (nothing to do: stays hidden)."""
        session = self._bridge.session
        if session is None or self._task is not None:
            return
        tip = self.tr("Records written before the last key change are being re-encrypted "
                      "under the new key. Lantern stays usable; if it is closed, this "
                      "continues at the next unlock.")
        self.setToolTip(tip)

        def work(ctx: TaskContext) -> Any:
            if session.locked or session.read_only:
                return None
            report = None
            if session.pending_reencryption() is not None:
                report = session.reencrypt(
                    on_progress=lambda done, total: ctx.report(done / total if total else 1.0),
                    cancelled=ctx.cancelled.is_set)
            if not ctx.cancelled.is_set():
                session.refresh_diagnosis_index(
                    on_progress=lambda done, total: ctx.report(done / total if total else 1.0,
                                                               INDEXING),
                    cancelled=ctx.cancelled.is_set)
            return report

        self._session = session
        self._task = self._bridge.runner.submit(
            work, on_success=self._done, on_failure=self._failed, on_progress=self._progress,
            label=self.tr("Re-encrypting records…"), lane=LANE)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _progress(self, fraction: float | None, message: str) -> None:
        value = int(1000 * (fraction or 0.0))
        text = (self.tr("Indexing diagnoses for reports… %1%") if message == INDEXING
                else self.tr("Re-encrypting records… %1%"))
        self.label.setText(text.replace("%1", str(value // 10)))
        self.bar.setValue(value)
        self.show()

    def _done(self, report: Any) -> None:
        self._ended(report)

    def _failed(self, exc: BaseException) -> None:
        # a lock or a key change from another window ends it; the next unlock continues
        self._ended(None)

    def _ended(self, report: Any) -> None:
        previous, self._task, self._session = self._session, None, None
        self.hide()
        self.finished.emit(report)
        if self._bridge.session is not None and self._bridge.session is not previous:
            self.start()      # unlocked again while the cancelled pass was winding down
