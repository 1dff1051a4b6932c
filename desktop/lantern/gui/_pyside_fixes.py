"""Work-arounds for bugs in the pinned PySide6 release. Imported by ``lantern.gui``.

PySide6 6.12.0 ``SignalInstance.emit()`` returns ``True`` without taking a new
reference, so every signal emitted from Python drops one reference to the
``True`` singleton. On Python 3.11 (no immortal objects) a few thousand emits
later the interpreter aborts with "bool_dealloc: deallocating True or False"
(``tests/gui/test_pyside_fixes.py`` shows it). The bool singletons are static
and never freed, so giving them a huge reference count is harmless and makes
the drop unreachable in practice. Python >= 3.12 makes them immortal already.
"""

from __future__ import annotations

import ctypes
import sys

_PIN = 1 << 40
_PINNED_FLAG = "_lantern_bools_pinned"   # kept on sys: one pin per process, not per import


def pin_bool_singletons() -> bool:
    """Raise the reference count of ``True`` and ``False``; True if applied."""
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return False  # immortal already / debug build with a different layout
    if getattr(sys, _PINNED_FLAG, False):
        return True
    for obj in (True, False):
        before = sys.getrefcount(obj)
        cell = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field
        cell.value += _PIN
        if sys.getrefcount(obj) != before + _PIN:  # layout not as expected: undo
            cell.value -= _PIN
            return False
    setattr(sys, _PINNED_FLAG, True)
    return True
