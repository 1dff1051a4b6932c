"""Build a ``TextGenerator`` (see docs/ARCHITECTURE.md) from the model service.

Clinical code receives only the callable::

    generate = make_text_generator(models, cancel_event=ctx.cancelled)
    text = generate(prompt, max_tokens=120, stop=["\\n\\n"], on_text=ctx.emit)
    record(prompt_id, prompt_version, generate.model_sha256, text)

Note text must be passed inside ``prompt`` as plain text: it is tokenized with
special tokens disabled, so chat markers in a note stay inert. Stopping: set
``cancel_event`` (checked at every token) or raise from ``on_text``; either way
the host stops within a token and :class:`Cancelled` is raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from lantern.domain.errors import Cancelled
from lantern.llm.protocol import STOP_CANCELLED, GenerationResult, Sampling, TokenEvent
from lantern.services.models import ModelService


class ServiceTextGenerator:
    """A ``TextGenerator`` backed by the inference host."""

    def __init__(self, models: ModelService, *, cancel_event: threading.Event | None = None,
                 sampling: Sampling | None = None, as_chat: bool = False) -> None:
        self._models = models
        self._cancel_event = cancel_event
        self._sampling = sampling
        self._as_chat = as_chat
        self.last_result: GenerationResult | None = None
        self.model_sha256: str | None = None
        self.model_name: str | None = None

    def __call__(self, prompt: str, *, max_tokens: int, stop: list[str] | None = None,
                 json_schema: dict | None = None,
                 on_text: Callable[[str], None] | None = None) -> str:
        if self._cancel_event is not None and self._cancel_event.is_set():
            raise Cancelled("The operation was cancelled.")
        model = self._models.ensure_loaded()
        self.model_sha256, self.model_name = model.sha256, model.display_name
        use_chat = self._as_chat and model.spec is not None and model.spec.instruction_tuned
        gen = self._models.client.generate(
            None if use_chat else prompt,
            messages=[{"role": "user", "content": prompt}] if use_chat else None,
            max_tokens=max_tokens, stop=stop, json_schema=json_schema, sampling=self._sampling)
        result: GenerationResult | None = None
        try:
            for event in gen:
                if isinstance(event, TokenEvent):
                    if self._cancel_event is not None and self._cancel_event.is_set():
                        gen.cancel()
                    elif on_text is not None and event.text:
                        on_text(event.text)
                else:
                    result = event
        except BaseException:
            gen.cancel()
            raise
        self.last_result = result
        if result is None or result.stop_reason == STOP_CANCELLED:
            raise Cancelled("The text generation was stopped.")
        return result.text


def make_text_generator(models: ModelService, *, cancel_event: threading.Event | None = None,
                        sampling: Sampling | None = None,
                        as_chat: bool = False) -> ServiceTextGenerator:
    """``as_chat=True`` wraps the prompt as a user message for instruction-tuned models
    (base models always get it as a plain completion prompt)."""
    return ServiceTextGenerator(models, cancel_event=cancel_event, sampling=sampling,
                                as_chat=as_chat)
