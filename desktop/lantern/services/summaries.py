"""Summaries for the GUI and CLI: note, patient history, referral/handover.

Builds on :mod:`lantern.clinical.summarize`. The model, when present, comes in
as a ``TextGenerator`` callable (see ``docs/ARCHITECTURE.md``); without one every
summary is the deterministic skeleton. Stored summaries are drafts until the
clinician signs them and always record how they were made.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from lantern.clinical.summarize import Summary, summarize
from lantern.clinical.summarize.wording import TextGenerator
from lantern.domain.errors import Cancelled, LanternError, ValidationError

PAYLOAD_SCHEMA = 1
KINDS = ("note", "history", "referral", "handover")


class DefaultGenerator:
    """The default model through the inference host, started on first use.

    ``close()`` stops the host. ``model_sha256`` is known after the first call.
    """

    def __init__(self) -> None:
        from lantern.services.generation import make_text_generator
        from lantern.services.models import ModelService

        self._models = ModelService()
        self._generate = make_text_generator(self._models)

    @property
    def model_sha256(self) -> str:
        return self._generate.model_sha256 or ""

    @property
    def model_name(self) -> str:
        return self._generate.model_name or ""

    def __call__(self, prompt: str, **kwargs: Any) -> str:
        return self._generate(prompt, **kwargs)

    def close(self) -> None:
        self._models.close()


def default_generator() -> DefaultGenerator | None:
    """A generator for the default model, or None when the model layer is unavailable."""
    try:
        return DefaultGenerator()
    except (ImportError, LanternError):
        return None


class SummaryService:
    """One per app (or per CLI run). Thread-safe for one summary at a time."""

    def __init__(self, *, generator: TextGenerator | None = None, model_sha256: str = "",
                 model_name: str = "") -> None:
        self.generator = generator
        self.model_sha256 = model_sha256
        self.model_name = model_name

    @property
    def has_model(self) -> bool:
        return self.generator is not None

    def summarize(self, kind: str, payload: dict, *, use_llm: bool = True,
                  on_text: Callable[[str], None] | None = None,
                  cancelled: threading.Event | None = None) -> Summary:
        if kind not in KINDS:
            raise ValidationError(f"Unknown summary kind; use one of {', '.join(KINDS)}.")
        if use_llm and self.generator is not None:
            try:
                summary = summarize(kind, payload, generate=self.generator, on_text=on_text,
                                    cancelled=cancelled)
            except (Cancelled, ValidationError):
                raise
            except LanternError:
                # The model failed (host crash, bad file, not enough RAM): the skeleton is complete.
                summary = summarize(kind, payload)
                summary.warnings.append("The language model failed; this is the structured summary only.")
            self._note_model()
            return summary
        return summarize(kind, payload)

    def _note_model(self) -> None:
        sha = getattr(self.generator, "model_sha256", None)
        if sha:
            self.model_sha256 = str(sha)
        name = getattr(self.generator, "model_name", None)
        if name:
            self.model_name = str(name)

    def close(self) -> None:
        close = getattr(self.generator, "close", None)
        if callable(close):
            close()

    # -- shapes ------------------------------------------------------------------------
    @staticmethod
    def cli_result(summary: Summary, item_id: Any = None) -> dict:
        """The exact CLI output object (one per input)."""
        return {
            "id": item_id,
            "summary": summary.to_json(),
            "dropped_sentences": len(summary.dropped),
            "llm_used": summary.llm_used,
            "sources": summary.sources_json(),
        }

    def store_payload(self, summary: Summary, *, edited_text: str | None = None,
                      signed_by: str | None = None) -> dict:
        """What ``RecordsService.save_summary`` stores (encrypted like notes).

        ``status`` is ``draft`` until a clinician signs; ``edited`` says whether the
        signed text differs from what Lantern drafted.
        """
        text = edited_text if edited_text is not None else summary.text
        return {
            "schema": PAYLOAD_SCHEMA,
            "kind": summary.kind,
            "lang": summary.lang,
            "text": text,
            "draft_text": summary.text,
            "edited": text != summary.text,
            "sections": summary.to_json()["sections"],
            "sources": summary.sources_json(),
            "status": "signed" if signed_by else "draft",
            "signed_by": signed_by,
            "signed_at": datetime.now(UTC).isoformat(timespec="seconds") if signed_by else None,
            "llm_used": summary.llm_used,
            "prompt": {"id": summary.prompt_id, "version": summary.prompt_version} if summary.llm_used else None,
            "model": {"sha256": self.model_sha256, "name": self.model_name} if summary.llm_used else None,
            "verification": summary.verification(),
            "dropped_sentences": [{"section": d.section, "text": d.text, "reasons": d.reasons}
                                  for d in summary.dropped],
            "warnings": list(summary.warnings),
        }

    def save(self, records, *, summary: Summary, patient_id: str, encounter_id: str | None = None,
             edited_text: str | None = None, signed_by: str | None = None) -> str:
        """Store through ``RecordsService.save_summary``; returns the record id."""
        payload = self.store_payload(summary, edited_text=edited_text, signed_by=signed_by)
        return records.save_summary(encounter_id, patient_id, payload)
