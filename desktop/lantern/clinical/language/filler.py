"""Filler: words a note uses for form, not for facts ("seen in clinic today",
"complains of", "患者自诉"), listed in ``resources/language/wording.toml``. A summary
line drops them and keeps every fact: filler is never a finding, a drug, a number or a
negation."""

from __future__ import annotations

import re
from functools import lru_cache

from lantern.clinical.language.vocabulary import load_wording

__all__ = ["drop_filler"]


def _alternation(phrases: tuple[str, ...]) -> str:
    latin = [re.escape(p) for p in sorted(phrases, key=len, reverse=True)]
    return "|".join(latin)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    f = load_wording().fillers
    lead_en = _alternation(f["filler_en"])
    lead_zh = _alternation(f["filler_zh"])
    anywhere = _alternation(f["filler_en_anywhere"] + f["filler_zh_anywhere"])
    # at the start of the line or of a clause, followed by a space, a comma or a colon
    lead = re.compile(rf"(?:^|(?<=[,;:，；：。.]))\s*(?:(?:{lead_en})(?:\s+that)?(?![A-Za-z])|(?:{lead_zh}))\s*[,，:：]?\s*",
                      re.IGNORECASE)
    return lead, re.compile(rf"\s*[,，]?\s*(?:{anywhere})(?![A-Za-z])\s*[,，]?", re.IGNORECASE)


def drop_filler(text: str) -> str:
    """``text`` without its filler phrases ("" when it is only filler: "Seen in clinic today.")."""
    lead, anywhere = _patterns()
    out = anywhere.sub(" ", text)
    for _ in range(3):      # "Seen in clinic today, complains of ...": one phrase after another
        shorter = lead.sub(lambda m: " " if m.start() else "", out).strip()
        if shorter == out:
            break
        out = shorter
    out = re.sub(r"\s{2,}", " ", out).strip()
    out = re.sub(r"^[,，;；:：.。\s]+", "", out)
    if len(re.sub(r"[\W\d_]", "", out)) < 2:
        return "" if not re.search(r"\d", out) else text
    if out and out[0].islower() and text[:1].isupper():
        out = out[0].upper() + out[1:]
    return out
