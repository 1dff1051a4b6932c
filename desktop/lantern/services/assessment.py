"""Assisted diagnosis for the GUI and CLI: the deterministic pipeline plus the
optional, verified language-model step.

The LLM step is OFF by default: on the evaluation set it did not improve
top-1/top-3 with the default model (see tests/benchmarks/bench_diagnosis.py).
When enabled and no model can be loaded, the result is the deterministic one
with ``llm_used`` false and a warning; it never fails because of the model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lantern.clinical.knowledge import KnowledgeBase, load_knowledge
from lantern.clinical.llm_assist import llm_explanation, llm_findings
from lantern.clinical.pipeline import DISCLAIMER, Assessment, Case, assess, parse_case
from lantern.domain.errors import Cancelled, LanternError
from lantern.domain.records import Vitals

log = logging.getLogger(__name__)

GeneratorFactory = Callable[[], Any]


def _default_generator_factory() -> Any:
    """A TextGenerator over the default model service (import deferred: optional)."""
    from lantern.services.generation import make_text_generator
    from lantern.services.models import ModelService

    return make_text_generator(ModelService())


class AssessmentService:
    disclaimer = DISCLAIMER

    def __init__(self, *, use_llm: bool = False, generator_factory: GeneratorFactory | None = None,
                 kb: KnowledgeBase | None = None, explain: bool = False) -> None:
        self.use_llm = use_llm
        self._explain_on_assess = explain
        self._factory = generator_factory or _default_generator_factory
        self._generator: Any = None
        self._generator_failed = False
        self._kb = kb

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_knowledge()
        return self._kb

    @property
    def kb_version(self) -> str:
        return self.kb.version

    def _get_generator(self) -> Any:
        if self._generator is None and not self._generator_failed:
            try:
                self._generator = self._factory()
            except Exception:  # noqa: BLE001 - a missing/broken model must not break diagnosis
                log.info("assessment: language model unavailable; deterministic only")
                self._generator_failed = True
        return self._generator

    def assess_dict(self, data: object) -> Assessment:
        """CLI entry: validate one input object, then assess. ValidationError on bad input."""
        return self._run(parse_case(data))

    def assess(self, *, note: str = "", vitals: Vitals | dict | None = None,
               age_years: float | None = None, sex: str | None = None,
               pregnant: bool | None = None, case_id: object = None,
               on_text: Callable[[str], None] | None = None) -> Assessment:
        if isinstance(vitals, Vitals):
            vitals = vitals.as_dict()
        data = {"id": case_id, "note": note, "vitals": vitals or {}, "age_years": age_years,
                "sex": sex, "pregnant": pregnant}
        return self._run(parse_case(data), on_text=on_text)

    __call__ = assess

    def explain(self, assessment: Assessment, on_text: Callable[[str], None] | None = None,
                cancel_event: Any = None) -> str:
        """A short LLM explanation of the top conditions, checked against the note.

        Matches ``AssessmentPanel(explain=...)``. Returns "" when no model is available.
        """
        generate = self._get_generator()
        if generate is None:
            return ""

        def stream(text: str) -> None:
            # raising from on_text stops the generation within a token (services.generation)
            if cancel_event is not None and cancel_event.is_set():
                raise Cancelled("The explanation was stopped.")
            if on_text is not None:
                on_text(text)

        names = [c.condition.name_en for c in assessment.differential[:3]]
        return llm_explanation(generate, assessment.case.note, self.kb, assessment.extraction,
                               names, on_text=stream)

    def _run(self, case: Case, *, on_text: Callable[[str], None] | None = None) -> Assessment:
        result = assess(case, kb=self.kb)
        if not self.use_llm:
            return result
        generate = self._get_generator()
        if generate is None:
            result.warnings.append("language model not available: deterministic result only")
            return result
        try:
            extra = llm_findings(generate, case.note, self.kb, result.extraction)
            if extra:
                result = assess(case, kb=self.kb, extra_findings=extra)
            result.llm_used = True
            if self._explain_on_assess:
                names = [c.condition.name_en for c in result.differential[:3]]
                result.explanation = llm_explanation(generate, case.note, self.kb,
                                                     result.extraction, names, on_text=on_text)
        except Cancelled:
            raise
        except (LanternError, OSError, ValueError, RuntimeError):
            log.info("assessment: language model step failed; deterministic result kept")
            result.warnings.append("language model step failed: deterministic result only")
        return result
