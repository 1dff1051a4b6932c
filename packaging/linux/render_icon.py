"""Render packaging/linux/lantern.svg to PNGs (run with the project venv; needs QtSvg).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/linux/render_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent


def render(size: int, out: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(HERE / "lantern.svg")).render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    for size in (256, 48):
        render(size, HERE / f"lantern-{size}.png")
