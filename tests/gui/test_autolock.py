"""Auto-lock after inactivity, activity resets the timer, settings change it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel

from lantern.gui.autolock import DEFAULT_MINUTES, InactivityLock
from lantern.gui.settings_dialog import GuiSettings

from .helpers import all_widget_text, make_vault, show_and_unlock


def test_inactivity_emits_timeout(qtbot):
    lock = InactivityLock()
    assert lock.interval_ms == DEFAULT_MINUTES * 60_000
    lock.set_interval_ms(30)
    with qtbot.waitSignal(lock.timeout, timeout=60_000):
        lock.start()
    lock.stop()


def test_key_and_mouse_activity_restart_the_timer(qtbot):
    lock = InactivityLock()
    lock.set_interval_ms(60_000)
    widget = QLabel("x")
    qtbot.addWidget(widget)
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                             Qt.KeyboardModifier.NoModifier, "a"))
    assert lock.activity_count == 0            # not armed: not watching
    lock.start()
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                             Qt.KeyboardModifier.NoModifier, "a"))
    QApplication.sendEvent(widget, QMouseEvent(
        QEvent.Type.MouseButtonPress, QPointF(1, 1), QPointF(1, 1), Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    assert lock.activity_count == 2
    assert lock.active and lock._timer.remainingTime() > 59_000
    lock.stop()
    assert not lock.active


def test_window_autolocks_and_wipes(qtbot, main_window, vault_dir):
    session = make_vault(vault_dir)
    patient = session.records.add_patient(name="AUTOLOCKMARKER Tembo", sex="male",
                                          birth_year=1960, village="AUTOLOCKVILLAGE")
    session.lock()
    w = main_window
    show_and_unlock(qtbot, w)
    w.open_patient(patient.id)
    qtbot.waitUntil(lambda: "AUTOLOCKVILLAGE" in w.chart.facts_label.text(), timeout=60_000)
    w.autolock.set_interval_ms(50)
    with qtbot.waitSignal(w.session_locked, timeout=60_000):
        w.autolock.start()
    assert w.pages.currentIndex() == 0
    assert w.runner.wait_all(10)
    text = all_widget_text()
    assert "AUTOLOCKMARKER" not in text and "AUTOLOCKVILLAGE" not in text
    assert not w.bridge.is_open


def test_settings_persist_autolock_minutes(tmp_path, qapp):
    settings = GuiSettings(tmp_path)
    assert settings.autolock_minutes == DEFAULT_MINUTES
    settings.autolock_minutes = 12
    assert GuiSettings(tmp_path).autolock_minutes == 12
    settings.autolock_minutes = 999
    assert GuiSettings(tmp_path).autolock_minutes == 60


def test_lock_closes_open_dialog_and_wipes_its_text(qtbot, main_window, vault_dir):
    from PySide6.QtCore import QTimer

    from lantern.gui.patient_dialog import PatientDialog

    make_vault(vault_dir).lock()
    w = main_window
    show_and_unlock(qtbot, w)
    seen = []

    def type_then_lock():
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog))
        dialog.name.setText("DIALOGMARKER Mwansa")
        assert "DIALOGMARKER" in all_widget_text()
        w.lock()

    QTimer.singleShot(0, type_then_lock)
    w.register_patient()          # modal; the lock above closes it
    assert seen == [PatientDialog]
    assert w.pages.currentIndex() == 0
    assert w.runner.wait_all(10)
    assert "DIALOGMARKER" not in all_widget_text()


def test_settings_dialog_changes_autolock(qtbot, main_window, vault_dir):
    from PySide6.QtCore import QTimer

    from lantern.gui.settings_dialog import SettingsDialog

    w = main_window

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        dialog.autolock.setValue(2)
        dialog.accept()

    QTimer.singleShot(0, answer)
    w.settings_action.trigger()
    assert w.autolock.interval_ms == 2 * 60_000
    assert GuiSettings(vault_dir).autolock_minutes == 2
