"""Fewer pauses of Python's cyclic garbage collector while a worker thread builds
many short-lived objects (a report, a sync).

A full collection walks every object the process holds and stops every thread
meanwhile, the GUI thread included: 100-300 ms at a time with a clinic's vault
open (measured with a 5 ms timer in the GUI thread while a report or a server sync
ran in a worker). The objects such work makes are freed by reference counting
anyway, so the collector is held back while it runs and resumes afterwards.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_holders = 0            # blocks inside few_gc_pauses, in any thread
_enable_after = False   # whether the collector was on when the first of them began


@contextlib.contextmanager
def few_gc_pauses() -> Iterator[None]:
    """Hold back the cyclic garbage collector for the block. Nested and concurrent
    uses (a report in one lane, a sync in another) are counted: the collector
    resumes, if it was on before the first, when the last one ends."""
    global _holders, _enable_after
    with _lock:
        if _holders == 0:
            _enable_after = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _enable_after:
                gc.enable()
