"""Background work for the GUI: one runner per main window.

Every slow call (key derivation, unlock, search in a big vault, model load,
generation) is handed to :meth:`TaskRunner.submit`. The function runs in a
worker thread and never touches widgets; what it produces comes back to the GUI
thread as queued signals:

* ``on_success(result)`` / ``on_failure(exc)`` once, at the end;
* ``on_progress(fraction, message)`` after ``ctx.report`` (the newest report
  wins when several arrive while the GUI is busy);
* ``on_partial(items)`` with everything the worker passed to ``ctx.emit``,
  delivered in batches at most every ~40 ms so a token stream never floods the
  event loop.

Tasks run in *lanes*. Each lane is one worker thread that runs its tasks in the
order they were submitted and is kept alive for the runner's lifetime, so
objects bound to a thread (SQLite connections) stay on it and a draft save is
always finished before the "sign" that follows it. The default lane ``"main"``
is for vault calls; give long model work its own lane (``lane="model"``) so it
does not hold up searches.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget

from lantern.domain.errors import Cancelled

log = logging.getLogger(__name__)

PARTIAL_BATCH_MS = 40
DEFAULT_LANE = "main"

# Finished tasks kept alive (parented to the runner) so handles stay valid a while.
_FINISHED_KEPT = 64

_ALL_RUNNERS: weakref.WeakSet[TaskRunner] = weakref.WeakSet()


class TaskContext:
    """What a task function gets: a cancel flag, progress and partial output."""

    def __init__(self, task: Task) -> None:
        self._task = task
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._buffer: list[Any] = []
        self._progress: tuple[float | None, str] | None = None

    def report(self, fraction: float | None, message: str = "") -> None:
        """Report progress (``fraction`` in 0..1, or ``None`` when unknown).

        Progress is a state, not an event: reports that pile up while the GUI
        is busy are coalesced and only the newest is delivered."""
        with self._lock:
            first = self._progress is None
            self._progress = (fraction, message)
        if first:
            self._task._bridge.progress.emit()

    def emit(self, item: Any) -> None:
        """Queue one partial result (a token, a row); delivered in batches."""
        with self._lock:
            first = not self._buffer
            self._buffer.append(item)
        if first:
            self._task._bridge.pending.emit()

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if the task was cancelled."""
        if self.cancelled.is_set():
            raise Cancelled("The operation was cancelled.")

    def _drain(self) -> list[Any]:
        with self._lock:
            items, self._buffer = self._buffer, []
        return items

    def _take_progress(self) -> tuple[float | None, str] | None:
        with self._lock:
            latest, self._progress = self._progress, None
        return latest


class _Bridge(QObject):
    """Signals the worker thread emits; they are queued to the GUI thread."""

    progress = Signal()
    pending = Signal()
    done = Signal(object)
    error = Signal(object)


class Task(QObject):
    """Handle for one submitted function. Lives in the GUI thread."""

    finished = Signal(object)       # the result, after on_success ran
    failed = Signal(object)         # the exception, after on_failure ran
    progressed = Signal(object, str)

    def __init__(self, runner: TaskRunner, fn: Callable[[TaskContext], Any], *,
                 label: str, lane: str) -> None:
        super().__init__(runner)
        self.label = label
        self.lane = lane
        self._fn = fn
        self._runner = runner
        self._bridge = _Bridge(self)
        self.ctx = TaskContext(self)
        self.on_success: Callable[[Any], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.on_progress: Callable[[float | None, str], None] | None = None
        self.on_partial: Callable[[list[Any]], None] | None = None
        self.done = False
        self._batch_timer = QTimer(self)
        self._batch_timer.setSingleShot(True)
        self._batch_timer.setInterval(PARTIAL_BATCH_MS)
        self._batch_timer.timeout.connect(self._flush_partial)
        self._bridge.pending.connect(self._batch_timer.start)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.done.connect(self._on_done)
        self._bridge.error.connect(self._on_error)

    def cancel(self) -> None:
        """Ask the function to stop; it sees ``ctx.cancelled`` set."""
        self.ctx.cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self.ctx.cancelled.is_set()

    # --- worker side -------------------------------------------------------
    def _run_in_worker(self) -> None:
        try:
            if self.ctx.cancelled.is_set():
                raise Cancelled("The operation was cancelled.")
            result = self._fn(self.ctx)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI
            self._bridge.error.emit(exc)
        else:
            self._bridge.done.emit(result)

    # --- GUI side ----------------------------------------------------------
    def _flush_partial(self) -> None:
        items = self.ctx._drain()
        if items and self.on_partial is not None:
            self.on_partial(items)

    def _on_progress(self) -> None:
        latest = self.ctx._take_progress()
        if self.done or latest is None:
            return
        fraction, message = latest
        if self.on_progress is not None:
            self.on_progress(fraction, message)
        self.progressed.emit(fraction, message)

    def _finish(self) -> None:
        self._batch_timer.stop()
        self._flush_partial()
        self.done = True
        self._runner._task_ended(self)

    def _on_done(self, result: object) -> None:
        self._finish()
        try:
            if self.on_success is not None:
                self.on_success(result)
        finally:
            self.finished.emit(result)

    def _on_error(self, exc: BaseException) -> None:
        self._finish()
        try:
            if self.on_failure is not None:
                self.on_failure(exc)
            elif not isinstance(exc, Cancelled):
                from lantern.gui.errors import show_error

                parent = self._runner.parent()
                show_error(parent if isinstance(parent, QWidget) else None, exc)
        finally:
            self.failed.emit(exc)


class _Job(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:
        self._task._run_in_worker()


class TaskRunner(QObject):
    """Runs functions off the GUI thread; see the module docstring."""

    busy_changed = Signal(bool, str)   # (anything running?, label of the newest task)

    def __init__(self, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes: dict[str, QThreadPool] = {}
        self._active: list[Task] = []
        self._finished: deque[Task] = deque()
        _ALL_RUNNERS.add(self)

    def submit(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[float | None, str], None] | None = None,
        on_partial: Callable[[list[Any]], None] | None = None,
        label: str = "",
        lane: str = DEFAULT_LANE,
    ) -> Task:
        """Run ``fn(ctx)`` in the worker thread of ``lane``; return its :class:`Task`."""
        task = Task(self, fn, label=label, lane=lane)
        task.on_success = on_success
        task.on_failure = on_failure
        task.on_progress = on_progress
        task.on_partial = on_partial
        self._active.append(task)
        self._pool(lane).start(_Job(task))
        self.busy_changed.emit(True, label)
        return task

    def _pool(self, lane: str) -> QThreadPool:
        pool = self._lanes.get(lane)
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setExpiryTimeout(-1)  # keep the same thread: SQLite objects stay on it
            pool.setObjectName(f"lantern-lane-{lane}")
            self._lanes[lane] = pool
        return pool

    def _task_ended(self, task: Task) -> None:
        if task in self._active:
            self._active.remove(task)
        if self._active:
            self.busy_changed.emit(True, self._active[-1].label)
        else:
            self.busy_changed.emit(False, "")
        # Tasks are owned by the runner (never deleted from a worker thread);
        # old ones are retired here, in the GUI thread.
        self._finished.append(task)
        while len(self._finished) > _FINISHED_KEPT:
            self._finished.popleft().deleteLater()

    @property
    def active_tasks(self) -> list[Task]:
        """Tasks submitted whose result has not been delivered yet."""
        return list(self._active)

    def is_busy(self) -> bool:
        return bool(self._active)

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    def wait_all(self, timeout_s: float = 30.0) -> bool:
        """Block until every task has finished and its callbacks ran.

        Events are processed while waiting so queued results are delivered.
        Returns ``False`` if the timeout passed first.
        """
        deadline = time.monotonic() + timeout_s
        while self._active:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for pool in self._lanes.values():
                pool.waitForDone(max(1, min(20, int(remaining * 1000))))
            QCoreApplication.sendPostedEvents()
            QCoreApplication.processEvents()
        return True

    def shutdown(self, timeout_s: float = 10.0) -> bool:
        """Cancel everything, wait for it, and stop the lane threads."""
        self.cancel_all()
        ok = self.wait_all(timeout_s)
        for pool in self._lanes.values():
            pool.setExpiryTimeout(0)
            pool.waitForDone(int(timeout_s * 1000))
        self._lanes.clear()
        _ALL_RUNNERS.discard(self)
        return ok


def running_tasks() -> list[Task]:
    """Every task of every live runner not yet finished (used by the test guard)."""
    tasks: list[Task] = []
    for runner in list(_ALL_RUNNERS):
        try:
            tasks.extend(runner.active_tasks)
        except RuntimeError:  # the C++ object is gone
            _ALL_RUNNERS.discard(runner)
    return tasks
