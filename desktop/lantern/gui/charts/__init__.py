"""Charts for the GUI and for print, drawn with matplotlib's Agg backend.

The one place that configures matplotlib: no display, no network, the bundled CJK
font first so Chinese labels render everywhere. A chart is a matplotlib ``Figure``
built by a module of this package; ``to_qimage`` shows it in a widget and
``to_pdf`` / ``to_png`` print or export the very same figure.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=True)

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from lantern import paths  # noqa: E402

# The same file app.install_fonts() registers with Qt.
CJK_FONT_FILE = "fonts/wqy-microhei.ttc"


@lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """Register the bundled CJK font with matplotlib once; the families to use."""
    path = paths.resources_dir() / CJK_FONT_FILE
    families: list[str] = []
    if path.exists():
        font_manager.fontManager.addfont(str(path))
        families.append(font_manager.FontProperties(fname=str(path)).get_name())
    families.append("DejaVu Sans")
    return tuple(families)


def new_figure(width_in: float = 6.0, height_in: float = 4.0, dpi: int = 100) -> Figure:
    """A detached figure (no pyplot state, safe off the GUI thread)."""
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
    families = list(font_families())
    for key in ("font.family", "font.sans-serif"):
        matplotlib.rcParams[key] = families if key == "font.sans-serif" else ["sans-serif"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return fig


def to_png(fig: Figure, dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


def to_qimage(fig: Figure, dpi: int | None = None) -> QImage:
    return from_png(to_png(fig, dpi))


def from_png(data: bytes) -> QImage:
    """The image of a chart drawn as PNG (e.g. by the Reports window's process)."""
    image = QImage()
    if not image.loadFromData(data, "PNG"):
        raise ValueError("chart could not be rendered")
    return image


def to_pdf(fig: Figure, path: Path) -> None:
    """Write the figure as a vector PDF (fonts embedded)."""
    matplotlib.rcParams["pdf.fonttype"] = 42
    fig.savefig(str(path), format="pdf")
