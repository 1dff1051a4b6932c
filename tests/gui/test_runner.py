"""TaskRunner: results on the GUI thread, batching, progress, cancel, errors."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from lantern.domain.errors import Cancelled, ValidationError
from lantern.gui.errors import MessageBox
from lantern.gui.runner import TaskRunner


@pytest.fixture
def runner(qapp):
    r = TaskRunner()
    yield r
    r.shutdown()


def test_success_runs_fn_in_worker_and_callback_in_gui_thread(qtbot, runner):
    seen = {}
    gui_thread = QThread.currentThread()

    def work(ctx):
        seen["worker_is_gui"] = QThread.currentThread() is gui_thread
        return 41 + 1

    def done(result):
        seen["result"] = result
        seen["callback_is_gui"] = QThread.currentThread() is gui_thread

    task = runner.submit(work, on_success=done, label="answer")
    assert runner.is_busy()
    with qtbot.waitSignal(task.finished, timeout=60_000) as blocker:
        pass
    assert blocker.args == [42]
    assert seen == {"worker_is_gui": False, "result": 42, "callback_is_gui": True}
    assert not runner.is_busy()


def test_failure_goes_to_on_failure(qtbot, runner):
    errors = []

    def work(ctx):
        raise ValidationError("Pulse must be between 20 and 250 /min.")

    task = runner.submit(work, on_failure=errors.append)
    with qtbot.waitSignal(task.failed, timeout=60_000):
        pass
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert MessageBox.history == []


def test_default_failure_handler_shows_error(qtbot, runner):
    task = runner.submit(lambda ctx: (_ for _ in ()).throw(ValidationError("Bad weight.")))
    with qtbot.waitSignal(task.failed, timeout=60_000):
        pass
    assert MessageBox.history == [("Please check the input", "Bad weight.")]


def test_progress_is_delivered_in_order(qtbot, runner):
    reports = []

    def work(ctx):
        for i in range(5):
            ctx.report(i / 4, f"step {i}")
        return "ok"

    task = runner.submit(work, on_progress=lambda f, m: reports.append((f, m)))
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    # Coalesced when the GUI is slower than the worker, but in order and ending
    # with the newest state.
    expected = [(i / 4, f"step {i}") for i in range(5)]
    assert reports and reports[-1] == expected[-1]
    assert [expected.index(r) for r in reports] == sorted(expected.index(r) for r in reports)


def test_progress_delivered_while_running(qtbot, runner):
    release = threading.Event()
    got = []

    def work(ctx):
        ctx.report(0.5, "Deriving key…")
        release.wait(5)

    task = runner.submit(work, on_progress=lambda f, m: got.append((f, m)))
    qtbot.waitUntil(lambda: got == [(0.5, "Deriving key…")], timeout=60_000)
    release.set()
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass


def test_partial_items_are_batched_and_complete(qtbot, runner):
    batches = []

    def work(ctx):
        for i in range(2000):
            ctx.emit(i)
        return "end"

    order = []
    task = runner.submit(work, on_partial=lambda items: (batches.append(items), order.append("p")),
                         on_success=lambda r: order.append("s"))
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    flat = [x for b in batches for x in b]
    assert flat == list(range(2000))
    # Far fewer deliveries than items, and every partial arrives before success.
    assert len(batches) < 50
    assert order[-1] == "s" and "s" not in order[:-1]


def test_partial_delivered_while_task_still_running(qtbot, runner):
    release = threading.Event()
    got = []

    def work(ctx):
        ctx.emit("first")
        release.wait(5)
        return None

    task = runner.submit(work, on_partial=got.extend)
    qtbot.waitUntil(lambda: got == ["first"], timeout=60_000)
    assert runner.is_busy()
    release.set()
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass


def test_cancel_sets_event_and_reports_cancelled(qtbot, runner):
    started = threading.Event()
    failures = []

    def work(ctx):
        started.set()
        while not ctx.cancelled.wait(0.01):
            pass
        ctx.check_cancelled()

    task = runner.submit(work, on_failure=failures.append)
    assert started.wait(5)
    with qtbot.waitSignal(task.failed, timeout=60_000):
        task.cancel()
    assert isinstance(failures[0], Cancelled)
    assert task.cancelled


def test_cancelled_task_is_silent_by_default(qtbot, runner):
    task = runner.submit(lambda ctx: ctx.check_cancelled())
    task.cancel()
    with qtbot.waitSignal(task.failed, timeout=60_000):
        pass
    assert MessageBox.history == []


def test_lane_runs_tasks_in_order_on_one_thread(qtbot, runner):
    threads, order = [], []

    def make(i):
        def work(ctx):
            threads.append(threading.get_ident())
            order.append(i)
            return i
        return work

    for i in range(10):
        runner.submit(make(i))
    assert runner.wait_all(5)
    assert order == list(range(10))
    assert len(set(threads)) == 1


def test_lanes_run_concurrently(qtbot, runner):
    release = threading.Event()
    runner.submit(lambda ctx: release.wait(5), lane="model")
    fast = runner.submit(lambda ctx: "quick")
    with qtbot.waitSignal(fast.finished, timeout=60_000):
        pass
    assert runner.is_busy()
    release.set()
    assert runner.wait_all(5)


def test_busy_changed_reports_label(qtbot, runner):
    states = []
    runner.busy_changed.connect(lambda busy, label: states.append((busy, label)))
    runner.submit(lambda ctx: None, label="Unlocking vault…")
    assert runner.wait_all(5)
    assert states[0] == (True, "Unlocking vault…")
    assert states[-1] == (False, "")


def test_wait_all_times_out(qtbot, runner):
    release = threading.Event()
    runner.submit(lambda ctx: release.wait(5))
    assert runner.wait_all(0.05) is False
    release.set()
    assert runner.wait_all(5)
