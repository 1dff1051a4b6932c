"""Look and feel: the light theme (a small QSS file) and UI helpers."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from lantern.paths import resources_dir

STYLE_FILE = "styles/lantern.qss"


def load_stylesheet() -> str:
    path = resources_dir() / STYLE_FILE
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#0f7b8a"))
    palette.setColor(QPalette.ColorRole.Window, QColor("#f5f7f8"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Button, QColor("#ffffff"))
    app.setPalette(palette)
    app.setStyleSheet(load_stylesheet())


def set_primary(button: QPushButton) -> QPushButton:
    """Mark the main action of a screen (accent colour)."""
    set_state(button, "primary", True)
    return button


def set_state(widget: QWidget, name: str, value: object) -> None:
    """Change a dynamic property used by the QSS and re-polish the widget."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
