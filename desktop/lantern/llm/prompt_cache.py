"""Prompt evaluation that reuses the KV cache without changing the answer.

llama.cpp does not compute a token the same way in every batch: the matrix
kernels it picks, and the order in which they add up, depend on how many
tokens are evaluated together (on AVX-512 machines the difference is large
enough to change a greedy answer). llama-cpp-python's own prefix reuse
re-evaluates only the tail of a prompt, so a second request with the same
prompt used to see slightly different numbers than the first one.

Here every prompt is evaluated in chunks aligned to fixed positions
(``[0, CHUNK)``, ``[CHUNK, 2 * CHUNK)``, ...). A position's key/value entries
then always come from the same batch (the same tokens, at the same positions,
after the same earlier entries), whether the cache was empty or held a prompt
that shares a prefix. Only whole chunks of the previous *prompt* are reused:
the last, partial chunk and the generated tokens (evaluated one by one) are
evaluated again. Result: with greedy sampling, the same prompt gives the same
tokens whatever the host evaluated before it (same build, same thread count).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

CHUNK = 128  # tokens; a reused prompt re-evaluates at most CHUNK - 1 tokens of its old part


class PromptCancelled(Exception):
    """Cancel arrived while the prompt was being evaluated."""

    def __init__(self, evaluated: int) -> None:
        super().__init__("prompt evaluation cancelled")
        self.evaluated = evaluated


def reusable_prefix(*, cached: Sequence[int], aligned: int, tokens: Sequence[int],
                    chunk: int = CHUNK) -> int:
    """How many leading prompt tokens can keep their cached key/value entries.

    ``cached``: the tokens in the cache, in order; ``aligned``: how many of them
    were evaluated as whole aligned chunks of a prompt. At least one token is
    always evaluated, so the logits for the first new token are fresh.
    """
    common = 0
    for a, b in zip(cached, tokens, strict=False):
        if a != b:
            break
        common += 1
    usable = min(common, aligned, len(tokens) - 1)
    return max(0, usable // chunk * chunk)


def aligned_chunks(start: int, end: int, chunk: int = CHUNK) -> list[tuple[int, int]]:
    """``[start, end)`` cut at multiples of ``chunk``; ``start`` must be one."""
    if start % chunk:
        raise ValueError("evaluation must start on a chunk boundary")
    return [(a, min(end, a + chunk)) for a in range(start, end, chunk)]


class AlignedPromptCache:
    """Evaluates prompts for one ``llama_cpp.Llama`` in aligned chunks.

    ``aligned`` counts the leading cache positions that came from whole aligned
    chunks; :meth:`reset` after loading a model.
    """

    def __init__(self, *, chunk: int = CHUNK) -> None:
        self.chunk = chunk
        self.aligned = 0

    def reset(self) -> None:
        self.aligned = 0

    def plan(self, llm: Any, tokens: Sequence[int]) -> int:
        """Tokens that will be reused for this prompt (reported before evaluating)."""
        cached = llm.input_ids[: llm.n_tokens].tolist()
        return reusable_prefix(cached=cached, aligned=self.aligned, tokens=tokens,
                               chunk=self.chunk)

    def evaluate(self, llm: Any, tokens: Sequence[int], *, reuse: int,
                 cancelled: Callable[[], bool]) -> int:
        """Evaluate ``tokens[reuse:]``; return how many tokens were evaluated.

        Afterwards ``llm`` holds exactly ``tokens`` with fresh logits, so
        ``llm.generate(tokens)`` samples at once without evaluating anything.
        Raises :class:`PromptCancelled` when ``cancelled()`` turns true between
        chunks, or when llama.cpp's abort callback stopped a chunk. Any other
        failure of llama.cpp is re-raised.
        """
        llm.n_tokens = reuse            # llm.eval drops the cache entries from here on
        self.aligned = min(self.aligned, reuse)
        for start, end in aligned_chunks(reuse, len(tokens), self.chunk):
            if cancelled():
                raise PromptCancelled(start - reuse)
            try:
                llm.eval(tokens[start:end])
            except RuntimeError:
                if cancelled():
                    raise PromptCancelled(start - reuse) from None
                raise
            if end - start == self.chunk:
                self.aligned = end
        if llm.n_tokens != len(tokens):  # pragma: no cover - llama-cpp-python changed
            raise RuntimeError("prompt evaluation left the cache in an unexpected state")
        return len(tokens) - reuse
