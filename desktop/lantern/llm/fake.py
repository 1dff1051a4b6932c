"""A fake inference engine for fast GUI tests only (never used by the app).

Same surface as :class:`lantern.llm.client.InferenceClient`: ``load``,
``generate`` (iterable of :class:`TokenEvent` then a :class:`GenerationResult`),
``cancel``, ``unload``, ``close``. Tokens are deterministic ("tok0 tok1 …" or a
given script) and arrive every ``delay_s`` seconds; cancel is honoured between
tokens. ``load_delay_s`` makes loading slow enough to test cancel-during-load.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from lantern.domain.errors import Cancelled, InvalidModelFile, ModelError
from lantern.llm.chat import Message
from lantern.llm.client import LoadedModel
from lantern.llm.model_check import ModelCheckFailed, check_file
from lantern.llm.protocol import (
    STOP_CANCELLED,
    STOP_LENGTH,
    STOP_STRING,
    GenerationResult,
    Sampling,
    Segment,
    Timings,
    TokenEvent,
)


class FakeGeneration:
    def __init__(self, engine: FakeInferenceClient, pieces: list[str], stop: list[str]) -> None:
        self._engine = engine
        self._pieces = pieces
        self._stop = stop
        self._cancel = threading.Event()
        self.result: GenerationResult | None = None
        self.prompt_started = threading.Event()
        self.cached_tokens: int | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def __iter__(self) -> Iterator[TokenEvent | GenerationResult]:
        engine = self._engine
        with engine._serial:  # one request at a time, like the real host
            engine._active.add(self)
            self.cached_tokens = 0
            self.prompt_started.set()
            try:
                start = time.perf_counter()
                texts: list[str] = []
                reason = STOP_LENGTH
                first = None
                for i, piece in enumerate(self._pieces, 1):
                    if self._cancel.wait(engine.delay_s) or self._cancel.is_set():
                        reason = STOP_CANCELLED
                        break
                    first = first or time.perf_counter()
                    if any(s in "".join(texts) + piece for s in self._stop):
                        reason = STOP_STRING
                        break
                    texts.append(piece)
                    yield TokenEvent(text=piece, index=i)
                end = time.perf_counter()
                self.result = GenerationResult(
                    text="".join(texts), tokens=len(texts), stop_reason=reason,
                    timings=Timings(prompt_tokens=1, evaluated_tokens=1,
                                    ttft_s=(first or end) - start,
                                    generation_s=end - (first or end), total_s=end - start,
                                    generated_tokens=len(texts)))
                yield self.result
            finally:
                engine._active.discard(self)

    def run(self) -> GenerationResult:
        for event in self:
            if isinstance(event, GenerationResult):
                return event
        raise ModelError("no result")  # pragma: no cover


class FakeInferenceClient:
    def __init__(self, *, delay_s: float = 0.005, load_delay_s: float = 0.0,
                 script: Sequence[str] | None = None) -> None:
        self.delay_s = delay_s
        self.load_delay_s = load_delay_s
        self.script = list(script) if script else None
        self._loaded: LoadedModel | None = None
        self._serial = threading.Lock()
        self._active: set[FakeGeneration] = set()
        self._load_cancel = threading.Event()
        self.calls: list[dict] = []

    pid = None
    alive = True

    @property
    def loaded(self) -> LoadedModel | None:
        return self._loaded

    def start(self) -> None:
        pass

    def load(self, model_path: str | Path, *, n_ctx: int = 4096, n_threads: int | None = None,
             chat_format: str = "none", expect: dict | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
        self._load_cancel.clear()
        if self._load_cancel.wait(self.load_delay_s):
            raise Cancelled("Loading the model was cancelled.")
        identity = None
        if expect is not None:   # the same check the real host makes before loading
            try:
                identity = check_file(str(model_path), sha256=expect["sha256"],
                                      size=expect["size"], identity=expect.get("identity"),
                                      progress=progress)
            except ModelCheckFailed as exc:
                self._loaded = None
                raise InvalidModelFile(str(exc)) from None
        info = {"n_ctx": n_ctx, "load_s": self.load_delay_s, "chat_template": None,
                "checked_identity": identity}
        self._loaded = LoadedModel(path=str(model_path), n_ctx=n_ctx, n_threads=n_threads,
                                   chat_format=chat_format, info=info)
        return info

    def generate(self, prompt: str | Sequence[Segment] | None = None, *,
                 messages: Sequence[Message] | None = None,
                 sampling: Sampling | None = None, max_tokens: int = 256, json_schema: dict | None = None,
                 grammar: str | None = None, stop: list[str] | None = None) -> FakeGeneration:
        if self._loaded is None:
            raise ModelError("No model is loaded.")
        self.calls.append({"prompt": prompt, "messages": messages, "max_tokens": max_tokens,
                           "json_schema": json_schema, "stop": stop})
        source = itertools.cycle(self.script) if self.script else (f"tok{i} " for i in
                                                                   itertools.count())
        pieces = list(itertools.islice(source, max_tokens))
        return FakeGeneration(self, pieces, list(stop or []))

    def cancel(self) -> None:
        self._load_cancel.set()
        for gen in list(self._active):
            gen.cancel()

    def unload(self) -> None:
        self._loaded = None

    def close(self) -> None:
        self.cancel()
        self._loaded = None

    def kill(self) -> None:
        self.close()

    def memory_bytes(self) -> int | None:
        return 123 * 1024 * 1024 if self._loaded else None
