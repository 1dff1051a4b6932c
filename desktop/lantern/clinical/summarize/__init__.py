"""Faithful summaries of notes, patient histories and referral letters.

A deterministic skeleton is always built first; a language model, when given
as a ``TextGenerator`` callable, only rewords it and every sentence it writes is
verified against the source before it is kept.
"""

from lantern.clinical.summarize.api import (
    KINDS,
    referral_letter,
    summarize,
    summarize_history,
    summarize_note,
)
from lantern.clinical.summarize.model import DroppedSentence, Line, Summary

__all__ = ["KINDS", "DroppedSentence", "Line", "Summary", "referral_letter", "summarize",
           "summarize_history", "summarize_note"]
