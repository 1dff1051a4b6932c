"""Lock after inactivity: an application-wide event filter resets a timer on
every key press, mouse press, mouse move and wheel; when it fires, ``timeout``
is emitted (the main window then locks)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

DEFAULT_MINUTES = 5

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod,
}


class InactivityLock(QObject):
    timeout = Signal()

    def __init__(self, *, minutes: float = DEFAULT_MINUTES, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.timeout)
        self.set_minutes(minutes)
        self._installed = False
        self.activity_count = 0   # activity events seen while armed (tests, diagnostics)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        if self._timer.isActive():
            self._timer.start()

    def set_interval_ms(self, ms: int) -> None:
        """Tests use short intervals."""
        self._timer.setInterval(ms)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self.activity_count += 1
            self._timer.start()
        return False
