"""Summaries for the GUI and CLI: note, patient history, referral/handover.

Builds on :mod:`lantern.clinical.summarize`. The model, when present, comes in
as a ``TextGenerator`` callable (see ``docs/ARCHITECTURE.md``); without one every
summary is the deterministic skeleton. Stored summaries are drafts until the
clinician signs them and always record how they were made.

Vitals typed in the encounter's vitals form come in as ``payload["vitals"]`` (a
``Vitals`` or its ``as_dict()``; for a history, per visit): they are appended to
the source text as one labelled line ("Vitals (form): T 38.9 °C, RR 52/min"), so
the skeleton's Objective shows them and verification finds every number in the
source. In the same way the chart's recorded allergies and current medications
(``payload["chart_allergies"]`` / ``payload["chart_medications"]``, lists of
mappings) are appended as "Allergies (chart): ..." / "Medications (chart): ..."
when the note does not already name them: a summary never drops an allergy only
because this note did not repeat it.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from lantern.clinical.language.results import extract_vitals
from lantern.clinical.language.text import Span, detect_lang
from lantern.clinical.summarize import DroppedSentence, Line, Summary, summarize
from lantern.clinical.summarize.wording import TextGenerator
from lantern.domain.errors import Cancelled, LanternError, ValidationError
from lantern.domain.records import Vitals

PAYLOAD_SCHEMA = 1
KINDS = ("note", "history", "referral", "handover")

FORM_VITALS_LABEL = "Vitals (form):"
# Vitals field, reading name in the summarizer's vitals parser, label, unit (as it parses)
_FORM_VITALS = (("temp_c", "temp", "T", " °C"), ("resp_rate", "rr", "RR", "/min"),
                ("heart_rate", "hr", "HR", "/min"), ("bp", "bp", "BP", " mmHg"),
                ("spo2", "spo2", "SpO2", "%"), ("weight_kg", "weight", "Weight", " kg"),
                ("muac_mm", "muac", "MUAC", " mm"), ("glucose_mmol_l", "glucose", "Glucose", " mmol/L"),
                ("hb_g_dl", "hb", "Hb", " g/dL"))


def _number(value: float) -> str:
    return f"{float(value):g}"


def form_vitals_line(vitals: Vitals | dict | None, note: str = "") -> str:
    """The form's vitals as one labelled line, or "" when there are none.

    A reading the note already gives with the same value is left out (no
    duplicates); a different value is kept, so a discrepancy shows.
    """
    if vitals is None:
        return ""
    if not isinstance(vitals, Vitals):
        try:
            vitals = Vitals.from_dict(vitals)
        except (TypeError, ValueError):
            raise ValidationError("The vitals must be numbers.") from None
    in_note = {(r.name, tuple(r.numbers())) for r in extract_vitals(note)} if note else set()
    parts = []
    for field, name, label, unit in _FORM_VITALS:
        if field == "bp":
            if vitals.sbp is None or vitals.dbp is None:
                continue
            values = (float(vitals.sbp), float(vitals.dbp))
        else:
            value = getattr(vitals, field)
            if value is None:
                continue
            values = (float(value),)
        if not all(math.isfinite(v) for v in values) or (name, values) in in_note:
            continue
        parts.append(f"{label} {'/'.join(_number(v) for v in values)}{unit}")
    return f"{FORM_VITALS_LABEL} {', '.join(parts)}" if parts else ""


CHART_ALLERGIES_LABEL = "Allergies (chart):"
CHART_MEDICATIONS_LABEL = "Medications (chart):"


def _field(item: Any, name: str) -> str:
    value = item.get(name) if isinstance(item, dict) else getattr(item, name, "")
    return " ".join(str(value or "").split())


def chart_lines(allergies: Any = None, medications: Any = None, note: str = "") -> list[str]:
    """The chart's allergies and current medications the note does not name, as
    labelled source lines ("" items and stopped medications are left out)."""
    text = (note or "").casefold()
    lines = []
    items = []
    for a in allergies or ():
        substance, reaction = _field(a, "substance"), _field(a, "reaction")
        if substance and substance.casefold() not in text:
            items.append(f"{substance} ({reaction})" if reaction else substance)
    if items:
        lines.append(f"{CHART_ALLERGIES_LABEL} {', '.join(items)}")
    items = []
    for m in medications or ():
        name = _field(m, "name")
        if not name or _field(m, "stopped") or name.casefold() in text:
            continue
        items.append(" ".join(x for x in (name, _field(m, "dose"), _field(m, "route"),
                                          _field(m, "frequency")) if x))
    if items:
        lines.append(f"{CHART_MEDICATIONS_LABEL} {'; '.join(items)}")
    return lines


def _with_chart(text: str, allergies: Any, medications: Any) -> str:
    lines = chart_lines(allergies, medications, text)
    if not lines:
        return text
    return "\n\n".join([text.rstrip(), *lines]) if (text or "").strip() else "\n\n".join(lines)


def _with_vitals(text: str, vitals: Any) -> str:
    line = form_vitals_line(vitals, text or "")
    if not line:
        return text
    return f"{text.rstrip()}\n\n{line}" if (text or "").strip() else line


def source_payload(payload: dict) -> dict:
    """``payload`` with the form vitals written into the source text (after the
    note, so spans into the note keep their offsets); the language is fixed
    from the note first, so an English vitals line cannot change it."""
    if not isinstance(payload, dict):
        return payload
    out = dict(payload)
    vitals = out.pop("vitals", None)
    allergies, medications = out.pop("chart_allergies", None), out.pop("chart_medications", None)
    note = out.get("note")
    if isinstance(note, str):
        extended = _with_chart(_with_vitals(note, vitals) if vitals else note, allergies, medications)
        if extended != note:
            out["note"] = extended
            if note.strip() and not out.get("lang"):
                out["lang"] = detect_lang(note)
    notes = out.get("notes")
    if isinstance(notes, list) and any(isinstance(n, dict) and "vitals" in n for n in notes):
        texts = " ".join(str(n.get("text") or "") for n in notes if isinstance(n, dict))
        visits = []
        for n in notes:
            if isinstance(n, dict) and "vitals" in n:
                n = {k: v for k, v in n.items() if k != "vitals"} | {
                    "text": _with_vitals(n.get("text") or "", n["vitals"])}
            visits.append(n)
        out["notes"] = visits
        if texts.strip() and not out.get("lang"):
            out["lang"] = detect_lang(texts)
    notes = out.get("notes")
    if isinstance(notes, list) and notes and isinstance(notes[-1], dict) and (allergies or medications):
        texts = " ".join(str(n.get("text") or "") for n in notes if isinstance(n, dict))
        lines = chart_lines(allergies, medications, texts)   # what no visit names
        if lines:
            if texts.strip() and not out.get("lang"):
                out["lang"] = detect_lang(texts)
            last = notes[-1]
            text = str(last.get("text") or "").rstrip()
            out["notes"] = [*notes[:-1], {**last, "text": "\n\n".join([text, *lines] if text else lines)}]
    return out


def summary_from_payload(stored: dict) -> Summary:
    """Rebuild the Summary of a stored payload (see ``SummaryService.store_payload``):
    its sections, lines with their source spans, dropped sentences and warnings.

    The source documents are not stored; each span's stored text is put back at
    its offsets, so a line still shows the text it rests on.
    """
    if not isinstance(stored, dict):
        raise ValidationError("The stored summary must be a mapping.")
    lang = stored.get("lang") if stored.get("lang") in ("en", "zh") else "en"
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
        prompt_version=prompt.get("version") or "", warnings=list(stored.get("warnings") or []))


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
        payload = source_payload(payload)
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
