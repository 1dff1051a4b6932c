"""``few_gc_pauses``: the cyclic collector is held back while a worker builds many
short-lived objects (a report, a server sync), counted across threads."""

from __future__ import annotations

import gc
import threading

from lantern.services.gc_pauses import few_gc_pauses


def test_the_collector_resumes_only_when_the_last_of_two_threads_ends():
    assert gc.isenabled()
    inside, release, ended = threading.Event(), threading.Event(), threading.Event()

    def other() -> None:
        with few_gc_pauses():
            inside.set()
            release.wait(10)
        ended.set()

    worker = threading.Thread(target=other)
    with few_gc_pauses():
        worker.start()
        assert inside.wait(10)
        assert not gc.isenabled()
    assert not gc.isenabled()          # the other thread is still inside: held back
    release.set()
    assert ended.wait(10)
    worker.join(10)
    assert gc.isenabled()


def test_nested_uses_and_an_error_inside_leave_the_collector_as_it_was():
    assert gc.isenabled()
    try:
        with few_gc_pauses():
            with few_gc_pauses():
                assert not gc.isenabled()
            assert not gc.isenabled()
            raise KeyError("inside")
    except KeyError:
        pass
    assert gc.isenabled()
    gc.disable()                        # off before: stays off
    try:
        with few_gc_pauses():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
