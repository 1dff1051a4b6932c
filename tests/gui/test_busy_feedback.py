"""Slow work never freezes the window: the event loop keeps running and the
user sees progress (unlock screen and status bar)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer

from lantern.domain.errors import AuthError
from lantern.gui.main_window import MainWindow


class SlowVault:
    """A stand-in for VaultSession whose unlock blocks until released."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def exists(self, data_dir) -> bool:
        return True

    def unlock(self, data_dir, *, username, passphrase):
        self.release.wait(10)
        raise AuthError("Wrong user name or passphrase.")


def test_slow_unlock_keeps_event_loop_alive(qtbot, tmp_path):
    vault = SlowVault()
    w = MainWindow(data_dir=tmp_path, vault=vault)
    qtbot.addWidget(w)
    w.show()
    w.start()
    w.unlock_view.username.setText("amina")
    w.unlock_view.passphrase.setText("whatever it is")
    w.unlock_view.unlock_button.click()
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=60_000)     # GUI thread is free
    assert w.unlock_view.progress.isVisible()
    assert not w.unlock_view.unlock_button.isEnabled()
    qtbot.waitUntil(w.busy_bar.isVisible, timeout=60_000)          # status bar spinner
    assert w.busy_label.text() == "Unlocking vault…"
    timer.stop()
    vault.release.set()
    qtbot.waitUntil(lambda: not w.unlock_view.error_label.isHidden(), timeout=60_000)
    assert not w.busy_bar.isVisible()
    w.runner.shutdown()
