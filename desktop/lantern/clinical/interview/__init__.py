"""Guided consultation (issue 15): the next best questions for a case.

Public API (the GUI's "Ask next" panel and ``lantern interview`` use only these):

- :class:`Answer`: one answer (finding id, "yes" | "no" | "unknown");
- :func:`next_questions`: the ranked questions, the assessment with the answers applied
  and whether the differential is settled, as an :class:`Interview`;
- :class:`Question`: one question (finding id, EN / ZH wording, kind, danger sign, gain,
  the conditions it separates, the vitals field of a measurement);
- :func:`answer_sentence`: the short sentence an answer adds to the note, or the vitals
  field a measurement fills.

Pure and deterministic: no model, no I/O beyond the knowledge files.
"""

from lantern.clinical.interview.engine import next_questions
from lantern.clinical.interview.model import ANSWERS, KINDS, Answer, Interview, Question
from lantern.clinical.interview.wording import answer_sentence

__all__ = ["ANSWERS", "KINDS", "Answer", "Interview", "Question", "answer_sentence",
           "next_questions"]
