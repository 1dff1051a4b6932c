"""Summaries for the GUI and CLI: note, patient history, referral/handover.

Builds on :mod:`lantern.clinical.summarize`. The model, when present, comes in
as a ``TextGenerator`` callable (see ``docs/ARCHITECTURE.md``); without one every
summary is the deterministic skeleton. Stored summaries are drafts until the
clinician signs them and always record how they were made.

Vitals typed in the encounter's vitals form (``payload["vitals"]``, per visit for a
history) and the chart's allergies, current medications and problems
(``payload["chart_allergies"]`` / ``"chart_medications"`` / ``"chart_problems"``, the
records service's lists, with their records that cannot be read, and
``"chart_unreadable"`` for other ones such as notes) travel as values: the summary shows them with their source
(a rendering of the typed facts, its own document), never as text added to the note
and parsed back. A summary never drops a chart allergy because the note did not
repeat it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from lantern.clinical.language.chart import ChartFacts, chart_from_records
from lantern.clinical.language.chart import is_unreadable_text as is_unreadable_text  # for the GUI
from lantern.clinical.language.text import Span
from lantern.clinical.summarize import DroppedSentence, Line, Summary, summarize
from lantern.clinical.summarize.wording import TextGenerator
from lantern.domain.errors import Cancelled, LanternError, ValidationError
from lantern.domain.records import Vitals

PAYLOAD_SCHEMA = 1
KINDS = ("note", "history", "referral", "handover")

_CHART_KEYS = ("chart_allergies", "chart_medications", "chart_problems", "chart_unreadable")


def _plain_vitals(value: Any) -> Any:
    return value.as_dict() if isinstance(value, Vitals) else value


def request_parts(payload: dict) -> tuple[dict, ChartFacts | None]:
    """The summary request and the chart as typed facts: ``chart_allergies`` /
    ``chart_medications`` / ``chart_problems`` (the records service's lists) become a
    ``ChartFacts``; form ``vitals`` (a ``Vitals`` or its mapping, per visit for a history)
    stay values. Nothing is written into the note."""
    if not isinstance(payload, dict):
        raise ValidationError("The summary request must be an object.")
    out = {k: v for k, v in payload.items() if k not in _CHART_KEYS}
    chart = None
    if any(payload.get(k) for k in _CHART_KEYS):
        chart = chart_from_records(allergies=payload.get("chart_allergies"),
                                   medications=payload.get("chart_medications"),
                                   problems=payload.get("chart_problems"),
                                   unreadable=payload.get("chart_unreadable"))
    if "vitals" in out:
        out["vitals"] = _plain_vitals(out["vitals"])
    if isinstance(out.get("notes"), list):
        out["notes"] = [{**n, "vitals": _plain_vitals(n["vitals"])} if isinstance(n, dict) and "vitals" in n else n
                        for n in out["notes"]]
    return out, chart


def summary_from_payload(stored: dict) -> Summary:
    """Rebuild the Summary of a stored payload (see ``SummaryService.store_payload``):
    its sections, lines with their source spans, dropped sentences and warnings.

    The source documents are not stored; each span's stored text is put back at
    its offsets, so a line still shows the text it rests on.
    """
    if not isinstance(stored, dict):
        raise ValidationError("The stored summary must be a mapping.")
    lang = "zh" if stored.get("lang") == "zh" else "en"
    sections: dict[str, list[Line]] = {key: [] for key in stored.get("sections") or {}}
    docs: dict[int, list[str]] = {}
    for item in stored.get("sources") or []:
        spans = []
        for sp in item.get("spans") or []:
            start, end, doc = int(sp["start"]), int(sp["end"]), int(sp.get("doc", 0))
            text = str(sp.get("text") or "")
            if end - start != len(text) or start < 0 or doc < 0:
                continue
            chars = docs.setdefault(doc, [])
            chars.extend(" " * (end - len(chars)))
            chars[start:end] = list(text)
            spans.append(Span(start, end, doc=doc))
        sections.setdefault(item.get("section") or "", []).append(
            Line(str(item.get("sentence") or ""), spans, bool(item.get("critical")),
                 str(item.get("origin") or "skeleton")))
    prompt = stored.get("prompt") or {}
    return Summary(
        kind=stored.get("kind") or "note", lang=lang, sections=sections,
        docs=["".join(docs.get(i, [])) for i in range(max(docs, default=-1) + 1)],
        dropped=[DroppedSentence(d.get("section", ""), d.get("text", ""), list(d.get("reasons") or []))
                 for d in stored.get("dropped_sentences") or []],
        llm_used=bool(stored.get("llm_used")), prompt_id=prompt.get("id") or "",
        prompt_version=prompt.get("version") or "", warnings=list(stored.get("warnings") or []),
        title_notes={str(k): str(v) for k, v in (stored.get("title_notes") or {}).items()})


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


class SummaryRecords(Protocol):
    """Where a summary is stored: ``RecordsService`` (its ``save_summary``)."""

    def save_summary(self, encounter_id: str | None, patient_id: str, payload: dict) -> str: ...


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
        payload, chart = request_parts(payload)
        if use_llm and self.generator is not None:
            try:
                summary = summarize(kind, payload, generate=self.generator, on_text=on_text,
                                    cancelled=cancelled, chart=chart)
            except (Cancelled, ValidationError):
                raise
            except LanternError as exc:
                # The model failed (host crash, changed file, not enough RAM): the skeleton
                # is complete; say why the model was not used.
                summary = summarize(kind, payload, chart=chart)
                summary.model_problem = str(exc)
                summary.warnings.append(f"The language model was not used: {exc} "
                                        "This is the structured summary only.")
            self._note_model()
            return summary
        return summarize(kind, payload, chart=chart)

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
        """The exact CLI output object (one per input); a letter adds ``triage``, the
        assessment's level for the same note and case (what ``lantern diagnose`` says)."""
        out = {
            "id": item_id,
            "summary": summary.to_json(),
            "dropped_sentences": len(summary.dropped),
            "llm_used": summary.llm_used,
            "sources": summary.sources_json(),
        }
        if summary.triage is not None:
            out["triage"] = summary.triage
        if summary.model_problem:
            out["llm_unavailable"] = summary.model_problem
        return out

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
            "title_notes": dict(summary.title_notes),
        }

    def save(self, records: SummaryRecords, *, summary: Summary, patient_id: str, encounter_id: str | None = None,
             edited_text: str | None = None, signed_by: str | None = None) -> str:
        """Store through ``RecordsService.save_summary``; returns the record id."""
        payload = self.store_payload(summary, edited_text=edited_text, signed_by=signed_by)
        return records.save_summary(encounter_id, patient_id, payload)
