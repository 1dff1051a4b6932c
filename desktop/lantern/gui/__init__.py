"""gui layer of Lantern: the only package that imports PySide6."""

from lantern.gui._pyside_fixes import pin_bool_singletons

pin_bool_singletons()
