"""Composition root of the desktop app: ``lantern-gui [--data-dir DIR]``.

Builds the Qt application (theme, translations), the vault session class and
the main window, then runs the event loop. Panels from other parts of Lantern
are plugged in by :func:`build_window`'s ``extensions`` hook.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lantern import paths

log = logging.getLogger(__name__)

Extension = Callable[[Any], None]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lantern-gui", description="Lantern desktop app")
    parser.add_argument("--data-dir", help="vault directory (default: LANTERN_DATA_DIR or the "
                        "per-user data directory)")
    parser.add_argument("--lang", help="UI language, e.g. zh_CN (default: system)")
    return parser.parse_args(argv)


def install_translations(app: Any, lang: str | None = None) -> None:
    """Load ``resources/translations/lantern_<lang>.qm`` if present, and Qt's own
    strings (OK, Cancel, Yes, No...) for the same language. Translations installed
    by an earlier call are removed first (English needs none)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    for attr in ("_lantern_translator", "_lantern_qt_translator"):
        old = getattr(app, attr, None)
        if old is not None:
            app.removeTranslator(old)
            setattr(app, attr, None)
    locale = QLocale(lang) if lang else QLocale.system()
    translator = QTranslator(app)
    folder = paths.resources_dir() / "translations"
    if translator.load(locale, "lantern", "_", str(folder)):
        app.installTranslator(translator)
        app._lantern_translator = translator   # keep a reference
        qt_translator = QTranslator(app)
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_translator.load(locale, "qtbase", "_", qt_folder):
            app.installTranslator(qt_translator)
            app._lantern_qt_translator = qt_translator


CJK_FONT_FILE = "fonts/wqy-microhei.ttc"


def install_fonts(app: Any) -> list[str]:
    """Register the bundled CJK font and add it as a fallback of the UI font, so
    Chinese renders on machines without CJK fonts. Returns the families added."""
    from PySide6.QtGui import QFont, QFontDatabase

    path = paths.resources_dir() / CJK_FONT_FILE
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
    if font_id < 0:
        log.warning("bundled CJK font not loaded: %s", path)
        return []
    added = [f for f in QFontDatabase.applicationFontFamilies(font_id) if "Mono" not in f]
    font = QFont(app.font())
    families = [f for f in font.families() or [font.family()] if f not in added]
    font.setFamilies(families + added)
    app.setFont(font)
    for family in {font.family(), "Sans Serif", "monospace", "Monospace", "DejaVu Sans"}:
        QFont.insertSubstitutions(family, added)
    return added


def saved_language(data_dir: Path) -> str | None:
    """The language chosen in Settings (``None``: follow the system)."""
    from lantern.gui.settings_dialog import GuiSettings

    return GuiSettings(data_dir).language or None


def build_window(*, data_dir: Path, extensions: Sequence[Extension] = (),
                 runner: Any = None) -> Any:
    """The main window over the real vault services, with extensions applied."""
    from lantern.gui.main_window import MainWindow
    from lantern.services.session import VaultSession

    window = MainWindow(data_dir=data_dir, vault=VaultSession, runner=runner)
    for extend in extensions:
        extend(window)
    return window


class WindowHost:
    """Keeps the one main window, and rebuilds it when the UI language changes.

    Every text in the new window is created in the new language; the open
    session, patient, encounter (its draft saved first), side-panel work and
    the loaded model carry over, so the switch loses nothing.
    """

    def __init__(self, app: Any, *, data_dir: Path, extensions: Sequence[Extension] = ()) -> None:
        self.app = app
        self.data_dir = data_dir
        self.extensions = list(extensions)
        self.window = self._build()

    def _build(self, runner: Any = None) -> Any:
        window = build_window(data_dir=self.data_dir, extensions=self.extensions, runner=runner)
        window.language_chosen.connect(self.switch_language)
        return window

    def switch_language(self, lang: str) -> Any:
        """Rebuild the window in ``lang`` ("" = the system's); returns the new window."""
        old = self.window
        handover = old.hand_over()
        install_translations(self.app, lang or None)
        new = self._build(runner=handover.runner)
        if handover.geometry is not None:
            new.restoreGeometry(handover.geometry)   # before showing: layouts start at this size
        if old.isMaximized():
            new.showMaximized()
        else:
            new.show()
        new.take_over(handover)
        self.window = new
        old.close()
        old.deleteLater()
        log.info("UI language switched to %s", lang or "the system language")
        return new


def default_extensions() -> list[Extension]:
    """The model tools, the assessment panel and the summary panel, over one model service.

    The model host process starts only when something first needs the model.
    """
    from lantern.gui.extensions import (
        install_assessment,
        install_model_tools,
        install_orders,
        install_summary,
    )
    from lantern.services.assessment import AssessmentService
    from lantern.services.generation import make_text_generator
    from lantern.services.models import ModelService
    from lantern.services.summaries import SummaryService

    models = ModelService()
    assessment = AssessmentService()
    summaries = SummaryService(generator=make_text_generator(models))
    return [
        lambda window: install_model_tools(window, models=models),
        lambda window: install_assessment(window, assessment=assessment),
        lambda window: install_summary(window, summaries=summaries),
        install_orders,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from lantern.gui.theme import apply_theme

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Lantern")
    app.setOrganizationName("Lantern")
    apply_theme(app)
    install_fonts(app)
    data_dir = paths.ensure_private_dir(paths.data_dir(args.data_dir))
    install_translations(app, args.lang or saved_language(data_dir))
    host = WindowHost(app, data_dir=data_dir, extensions=default_extensions())
    host.window.resize(1366, 768)
    host.window.show()
    host.window.start()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
