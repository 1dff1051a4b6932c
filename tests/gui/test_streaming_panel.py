"""StreamingPanel with the fake engine: batched display, Stop, errors, status line."""

from __future__ import annotations

import threading

import pytest

from lantern.domain.errors import ModelError
from lantern.gui.runner import TaskRunner
from lantern.gui.streaming_panel import StreamingPanel
from lantern.llm.fake import FakeInferenceClient
from lantern.llm.protocol import TokenEvent


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def panel(qtbot):
    p = StreamingPanel()
    qtbot.addWidget(p)
    p.resize(600, 300)
    return p


def _streaming_job(engine, max_tokens):
    def job(ctx):
        gen = engine.generate("prompt", max_tokens=max_tokens)
        for event in gen:
            if isinstance(event, TokenEvent):
                if ctx.cancelled.is_set():
                    gen.cancel()
                ctx.emit(event.text)
        return gen.result
    return job


def test_tokens_arrive_in_batches_and_the_status_shows_speed(qtbot, panel, runner):
    engine = FakeInferenceClient(delay_s=0.002)
    engine.load("fake.gguf")
    with qtbot.waitSignal(panel.finished, timeout=60_000) as blocker:
        panel.run(_streaming_job(engine, 150), runner=runner)
    assert blocker.args[0].tokens == 150
    assert panel.plain_text() == "".join(f"tok{i} " for i in range(150))
    assert panel.token_count == 150
    assert panel.flush_count < 150 / 3  # batched, not one repaint per token
    assert "150 tokens" in panel.status.text() and "tokens/s" in panel.status.text()
    assert not panel.stop_button.isEnabled()


def test_stop_button_ends_the_stream(qtbot, panel, runner):
    engine = FakeInferenceClient(delay_s=0.01)
    engine.load("fake.gguf")
    panel.run(_streaming_job(engine, 2000), runner=runner)
    assert panel.stop_button.isEnabled()
    qtbot.waitUntil(lambda: panel.token_count >= 5, timeout=60_000)
    with qtbot.waitSignal(panel.finished, timeout=60_000) as blocker:
        panel.stop_button.click()
    assert blocker.args[0].stop_reason == "cancelled"
    assert panel.token_count < 2000
    assert not panel.running


def test_failure_is_reported_in_the_panel(qtbot, panel, runner):
    def job(ctx):
        ctx.emit("partial ")
        raise ModelError("The model process stopped unexpectedly.")

    with qtbot.waitSignal(panel.failed, timeout=60_000):
        panel.run(job, runner=runner)
    assert "stopped unexpectedly" in panel.status.text()
    assert panel.plain_text() == "partial "


def test_driven_by_hand_and_stop_signal(qtbot, panel):
    stop = threading.Event()
    panel.stop_requested.connect(stop.set)
    panel.begin()
    panel.append_tokens(["Hello", " world"])
    qtbot.waitUntil(lambda: panel.text.toPlainText() == "Hello world", timeout=60_000)
    panel.stop_button.click()
    assert stop.is_set()
    panel.finish()
    assert "2 tokens" in panel.status.text()
