"""Fixtures for model-store tests: small GGUF files written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from gguf_samples import build_gguf


@pytest.fixture
def make_gguf(tmp_path):
    counter = {"n": 0}

    def make(content: bytes | None = None, *, name: str | None = None, **kwargs) -> Path:
        counter["n"] += 1
        path = tmp_path / (name or f"model{counter['n']}.gguf")
        path.write_bytes(build_gguf(**kwargs) if content is None else content)
        return path

    return make


@pytest.fixture(autouse=True)
def _threads_not_pinned(monkeypatch):
    """`make test-threads` pins the model host with LANTERN_LLM_THREADS; these tests
    check how the thread count is chosen, so they start without the pin."""
    monkeypatch.delenv("LANTERN_LLM_THREADS", raising=False)
