"""Prompt evaluation in aligned chunks: what is reused, how the rest is cut.

The real model's answers are compared in tests/integration/test_llm_host.py;
here a stand-in for ``llama_cpp.Llama`` records the batches it is given.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from lantern.llm.prompt_cache import (
    AlignedPromptCache,
    PromptCancelled,
    aligned_chunks,
    reusable_prefix,
)


class RecordingLlama:
    """Keeps ``input_ids`` / ``n_tokens`` as llama-cpp-python does; logs batches."""

    def __init__(self, *, fail_at_batch: int | None = None, on_fail=None) -> None:
        self.input_ids = np.zeros(4096, dtype=np.intc)
        self.n_tokens = 0
        self.batches: list[tuple[int, int]] = []
        self.fail_at_batch = fail_at_batch
        self.on_fail = on_fail

    def eval(self, tokens) -> None:
        if self.fail_at_batch is not None and len(self.batches) == self.fail_at_batch:
            if self.on_fail is not None:
                self.on_fail()
            raise RuntimeError("llama_decode returned 2")
        start = self.n_tokens
        self.input_ids[start:start + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self.batches.append((start, self.n_tokens))

    def generated(self, tokens) -> None:
        """Tokens evaluated one at a time, as during generation."""
        for t in tokens:
            self.eval([t])


def test_reuse_is_whole_chunks_of_the_common_prefix():
    cached = list(range(300))
    assert reusable_prefix(cached=cached, aligned=256, tokens=list(range(290)) + [7], chunk=64) == 256
    assert reusable_prefix(cached=cached, aligned=256, tokens=list(range(200)) + [7], chunk=64) == 192
    assert reusable_prefix(cached=cached, aligned=64, tokens=list(range(290)), chunk=64) == 64
    assert reusable_prefix(cached=cached, aligned=256, tokens=[9] + list(range(1, 290)), chunk=64) == 0
    assert reusable_prefix(cached=[], aligned=0, tokens=[1, 2, 3], chunk=64) == 0


def test_at_least_one_token_is_evaluated_again():
    tokens = list(range(128))
    assert reusable_prefix(cached=tokens, aligned=128, tokens=tokens, chunk=64) == 64
    assert reusable_prefix(cached=tokens, aligned=128, tokens=tokens[:64], chunk=64) == 0


def test_chunks_are_cut_at_fixed_positions():
    assert aligned_chunks(0, 150, 64) == [(0, 64), (64, 128), (128, 150)]
    assert aligned_chunks(128, 130, 64) == [(128, 130)]
    assert aligned_chunks(64, 64, 64) == []
    with pytest.raises(ValueError):
        aligned_chunks(10, 100, 64)


def test_a_rerun_evaluates_the_same_batches_as_a_cold_run():
    prompt = list(range(1, 151))
    cold_llm, cache = RecordingLlama(), AlignedPromptCache(chunk=64)
    assert cache.evaluate(cold_llm, prompt, reuse=cache.plan(cold_llm, prompt),
                          cancelled=lambda: False) == 150
    assert cold_llm.batches == [(0, 64), (64, 128), (128, 150)]
    assert cache.aligned == 128
    cold_llm.generated([500, 501, 502])

    reuse = cache.plan(cold_llm, prompt)
    assert reuse == 128
    cold_llm.batches.clear()
    assert cache.evaluate(cold_llm, prompt, reuse=reuse, cancelled=lambda: False) == 22
    assert cold_llm.batches == [(128, 150)]          # the same last batch as the cold run
    assert cold_llm.n_tokens == 150


def test_generated_tokens_are_never_reused_as_prompt_chunks():
    llm, cache = RecordingLlama(), AlignedPromptCache(chunk=64)
    prompt = list(range(1, 41))
    cache.evaluate(llm, prompt, reuse=cache.plan(llm, prompt), cancelled=lambda: False)
    answer = list(range(1000, 1100))
    llm.generated(answer)                            # cache now holds 140 tokens
    follow_up = prompt + answer + [7, 8]
    assert cache.plan(llm, follow_up) == 0           # nothing came from a whole prompt chunk
    llm.batches.clear()
    cache.evaluate(llm, follow_up, reuse=0, cancelled=lambda: False)
    assert llm.batches == [(0, 64), (64, 128), (128, 142)]


def test_cancel_between_chunks_reports_what_was_evaluated():
    llm, cache = RecordingLlama(), AlignedPromptCache(chunk=64)
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2                        # after two chunks

    with pytest.raises(PromptCancelled) as stopped:
        cache.evaluate(llm, list(range(1, 300)), reuse=0, cancelled=cancelled)
    assert stopped.value.evaluated == 128
    assert cache.aligned == 128 and llm.n_tokens == 128


def test_abort_inside_a_chunk_is_a_cancel_only_when_cancel_was_asked():
    cancel = threading.Event()
    llm, cache = RecordingLlama(fail_at_batch=1, on_fail=cancel.set), AlignedPromptCache(chunk=64)
    with pytest.raises(PromptCancelled) as stopped:   # cancel arrived during chunk 2
        cache.evaluate(llm, list(range(1, 200)), reuse=0, cancelled=cancel.is_set)
    assert stopped.value.evaluated == 64 and cache.aligned == 64 and llm.n_tokens == 64

    failing, cache = RecordingLlama(fail_at_batch=0), AlignedPromptCache(chunk=64)
    with pytest.raises(RuntimeError):                 # llama.cpp failed on its own
        cache.evaluate(failing, [1, 2, 3], reuse=0, cancelled=lambda: False)


def test_reset_forgets_the_cache():
    llm, cache = RecordingLlama(), AlignedPromptCache(chunk=64)
    prompt = list(range(1, 200))
    cache.evaluate(llm, prompt, reuse=0, cancelled=lambda: False)
    cache.reset()
    assert cache.plan(llm, prompt) == 0
