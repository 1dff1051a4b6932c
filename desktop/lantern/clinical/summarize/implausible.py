"""Implausible vital signs in a summary: flagged exactly as ``lantern diagnose`` flags them.

The one reader of vital signs (``lantern.clinical.language.vitals``) and the one range
table (``lantern.domain.vitals.PLAUSIBLE``) decide; the summary gets the same warning
(``implausible value ignored: temp_c 9999``) and every line that shows such a value
says that it was not used. Nothing is computed from it: the vitals line shows
plausible readings only.
"""

from __future__ import annotations

from typing import Any

from lantern.clinical.language.vitals import (
    VitalReading,
    extract_vitals_from_text,
    implausible_warning,
    readings_from_vitals,
)
from lantern.clinical.summarize.model import Summary

_MARK = {"en": " [implausible, not used: {}]", "zh": "［数值不可信，未采用：{}］"}


def implausible_readings(*, texts: list[str], vitals: list[Any]) -> list[VitalReading]:
    """Form readings first, then note readings, as ``extract_findings`` lists them."""
    flagged = []
    for form in vitals:
        try:
            flagged += [r for r in readings_from_vitals(form or None) if not r.plausible]
        except (TypeError, ValueError, AttributeError):
            continue   # not a vitals mapping: the request's own validation reports it
    return flagged + [r for t in texts if t for r in extract_vitals_from_text(t) if not r.plausible]


def flag_implausible(summary: Summary, *, texts: list[str], vitals: list[Any]) -> None:
    readings = implausible_readings(texts=texts, vitals=vitals)
    for reading in readings:
        warning = implausible_warning(reading)
        if warning not in summary.warnings:
            summary.warnings.append(warning)
    written = [r.span.text for r in readings if r.span is not None and r.span.text]
    mark = _MARK["zh" if summary.lang == "zh" else "en"]
    for lines in summary.sections.values():
        for line in lines:
            shown = [w for w in dict.fromkeys(written) if w in line.text]
            if shown:
                line.text += mark.format(", ".join(shown))
