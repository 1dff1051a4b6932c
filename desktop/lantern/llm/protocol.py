"""Types shared by the inference client, the host process and the fake engine.

Wire format between client and host: one JSON object per line (UTF-8) on the
host's stdin (requests) and on a private copy of its stdout (responses).
``json.dumps`` never emits a raw newline, so a line is always one message.

Requests carry ``id`` and ``op`` (``load``, ``generate``, ``tokenize``,
``unload``, ``info``, ``shutdown``); ``{"op": "cancel", "target": id}`` is
handled at once, even while a long request runs. Responses carry the request's
``id`` and a ``type``: ``ok``, ``token``, ``done`` or ``error``. A ``generate``
answers ``started`` (``prompt_tokens``, ``cached_tokens``) when the host begins
reading its prompt, then ``token``s, then ``done``; a cancel that reaches it
while it runs is acknowledged by ``cancelling`` (``sent``: tokens sent by then).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

STOP_EOS = "eos"            # the model ended its answer
STOP_STRING = "stop"        # one of the stop strings appeared (not included in the text)
STOP_LENGTH = "length"      # max_tokens, or the end of the context window
STOP_CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Sampling:
    """Deterministic (greedy) by default: clinical tasks want the same answer twice."""

    temperature: float = 0.0
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    repeat_penalty: float = 1.0
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of prompt text. ``special=True`` only for Lantern's own template
    markers; everything else (notes, user text) is tokenized as plain text, so a
    note containing ``<start_of_turn>`` cannot become a control token."""

    text: str
    special: bool = False


@dataclass(frozen=True, slots=True)
class TokenEvent:
    text: str
    index: int


@dataclass(frozen=True, slots=True)
class Timings:
    prompt_tokens: int = 0
    cached_tokens: int = 0        # reused from the previous request's cache
    evaluated_tokens: int = 0     # prompt tokens evaluated (fewer if cancelled while reading)
    ttft_s: float = 0.0
    generation_s: float = 0.0
    total_s: float = 0.0
    generated_tokens: int = 0

    @property
    def tokens_per_s(self) -> float:
        """Generation speed between the first and the last token."""
        if self.generated_tokens < 2 or self.generation_s <= 0:
            return 0.0
        return (self.generated_tokens - 1) / self.generation_s

    @property
    def prompt_tokens_per_s(self) -> float:
        evaluated = self.prompt_tokens - self.cached_tokens
        return evaluated / self.ttft_s if self.ttft_s > 0 and evaluated > 0 else 0.0


@dataclass(frozen=True, slots=True)
class GenerationResult:
    text: str
    tokens: int
    timings: Timings = field(default_factory=Timings)
    stop_reason: str = STOP_EOS


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    return json.loads(line.decode("utf-8"))


def segments_to_wire(segments: list[Segment]) -> list[list[Any]]:
    return [[s.text, bool(s.special)] for s in segments]
