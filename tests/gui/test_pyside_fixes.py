"""The PySide6 emit() reference leak on True is neutralised."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from lantern.gui._pyside_fixes import pin_bool_singletons


class _Emitter(QObject):
    ping = Signal(object)


def test_many_emits_do_not_exhaust_true(qapp):
    assert pin_bool_singletons() or sys.version_info >= (3, 12)
    emitter = _Emitter()
    got = []
    emitter.ping.connect(got.append)
    start = sys.getrefcount(True)
    for i in range(20_000):   # enough to crash an unpatched 3.11 interpreter
        emitter.ping.emit(i)
    assert len(got) == 20_000
    assert sys.getrefcount(True) > 1_000_000 or sys.version_info >= (3, 12)
    assert start > 0
