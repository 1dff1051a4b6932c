"""Faithfulness measures used by the benchmark and the regression tests.

- required-fact recall: each expected fact (plain string, or ``re:`` pattern)
  must appear in the summary text (normalised: case, spacing, "500mg" = "500 mg");
- invented facts: numbers, doses, drugs, frequencies, allergies and dates in the
  summary that do not occur in the source;
- compression: summary characters / source characters, by length band: notes over
  1,000 characters (target ≤ 0.6), shorter notes (≤ 1.0), histories of several visits
  (≤ 0.3); the mean and the worst ratio of each band;
- facts that must not appear (``must_not``: e.g. "Allergies: None recorded" when the chart
  has one), chart allergies missing from the text, and, for a letter, an urgency other
  than the assessment's for the same note and case (issue 13 targets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.clinical.language.claims import claims_of
from lantern.clinical.language.text import nfkc
from lantern.clinical.summarize.model import Summary

# (a unit before a Chinese word - "300mg嚼服" - is a unit too: no word boundary there)
_UNIT_GAP = re.compile(r"(\d)\s*(mg|mcg|g|ml|kg|mmol|tabs?|iu|cm|mmhg)(?![A-Za-z0-9_])", re.IGNORECASE)
# "氨氯地平5mg" = "氨氯地平 5 mg": spacing between a Chinese word and a number carries nothing.
_CJK_DIGIT_GAP = re.compile(r"([\u3400-\u9fff])\s*(?=\d)")


def normalise_for_match(text: str) -> str:
    text = nfkc(text).lower()
    text = _CJK_DIGIT_GAP.sub(r"\1 ", text)
    text = _UNIT_GAP.sub(r"\1 \2", text)
    text = re.sub(r"(\d)\s*(毫克|克|毫升)", lambda m: m.group(1) + " " + {"毫克": "mg", "克": "g",
                                                                    "毫升": "ml"}[m.group(2)], text)
    text = text.replace("tabs", "tab")
    return re.sub(r"\s+", " ", text)


def fact_present(fact: str, text: str) -> bool:
    norm = normalise_for_match(text)
    if fact.startswith("re:"):
        return re.search(fact[3:], norm, re.IGNORECASE) is not None
    return normalise_for_match(fact) in norm


def invented_facts(summary_text: str, sources: list[str]) -> list[str]:
    """Facts in the summary with no counterpart in any source text."""
    src = claims_of("\n".join(sources))
    got = claims_of(summary_text)
    source_numbers = src.numbers | {n for n, _ in src.doses}
    out = [f"number:{n}" for n in sorted(got.numbers - source_numbers)]
    out += [f"dose:{v} {u}" for v, u in sorted(got.doses - src.doses)]
    out += [f"drug:{d}" for d in sorted(got.drugs - src.drugs - src.allergies)]
    out += [f"frequency:{f}" for f in sorted(got.frequencies - src.frequencies)]
    out += [f"allergy:{a}" for a in sorted(got.allergies - src.allergies)]
    out += [f"date:{d}" for d in sorted(got.dates - src.dates)]
    if (got.no_allergies and src.allergies) or got.denied_allergies & src.allergies:
        out.append("allergy:denied-but-recorded")
    if got.no_allergies and not src.no_allergies and src.denied_allergies:
        out.append("allergy:one-denial-said-as-none-known")
    return out


@dataclass(slots=True)
class ItemScore:
    id: str
    required: int
    found: int
    missing: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    source_chars: int = 0
    summary_chars: int = 0
    seconds: float = 0.0
    dropped: int = 0
    llm_kept: int = 0
    kind: str = "note"
    forbidden: list[str] = field(default_factory=list)          # must_not facts found in the text
    allergy_missing: list[str] = field(default_factory=list)    # chart allergies the text lacks
    urgency_mismatch: bool = False                               # letter triage != the assessment's

    @property
    def band(self) -> str:
        """The length band a compression target is set for (issue 13, point 6)."""
        if self.kind == "history":
            return "history"
        if self.kind in ("referral", "handover"):
            return "letter"
        return "long" if self.source_chars > LONG_NOTE_CHARS else "short"


LONG_NOTE_CHARS = 1000
COMPRESSION_TARGET = {"long": 0.6, "short": 1.0, "history": 0.3, "letter": float("inf")}  # letters: no target


def score_item(item: dict, summary: Summary, seconds: float = 0.0) -> ItemScore:
    text = summary.text
    must = item.get("must", [])
    missing = [f for f in must if not fact_present(f, text)]
    source_chars = sum(len(d) for d in summary.docs)
    raw_chart = item.get("chart")
    chart: dict = raw_chart if isinstance(raw_chart, dict) else {}
    allergies = [a for a in chart.get("allergies") or [] if isinstance(a, str) and a.strip()]
    return ItemScore(str(item.get("id")), len(must), len(must) - len(missing), missing,
                     invented_facts(text, summary.docs), source_chars, len(text), seconds,
                     len(summary.dropped),
                     sum(1 for lines in summary.sections.values() for ln in lines if ln.origin == "llm"),
                     str(item.get("kind", "note")),
                     forbidden=[f for f in item.get("must_not", []) if fact_present(f, text)],
                     allergy_missing=[a for a in allergies if not _allergy_shown(a, text)],
                     urgency_mismatch=_urgency_mismatch(item, summary))


def _allergy_shown(allergy: str, text: str) -> bool:
    """The chart allergy's substance (its words before a bracket or a dash) is in the text."""
    substance = re.split(r"[(（\-–:：,，]", allergy, maxsplit=1)[0].strip()
    return fact_present(substance or allergy, text)


def _urgency_mismatch(item: dict, summary: Summary) -> bool:
    if item.get("kind") not in ("referral", "handover") or summary.triage is None:
        return False
    from lantern.clinical.pipeline import assess, parse_case

    note = item.get("note")
    if note is None and item.get("notes"):
        note = (item["notes"][-1] or {}).get("text", "")
    case = parse_case({"note": note or "", **{k: item.get(k) for k in ("age_years", "sex", "pregnant", "vitals")}})
    return assess(case).triage.level != summary.triage


def aggregate(scores: list[ItemScore]) -> dict:
    required = sum(s.required for s in scores)
    found = sum(s.found for s in scores)
    ratios = [s.summary_chars / s.source_chars for s in scores if s.source_chars]
    long_ratios = [s.summary_chars / s.source_chars for s in scores if s.source_chars >= 2000]
    return {
        "items": len(scores),
        "required_facts": required,
        "recall": found / required if required else 1.0,
        "invented": sum(len(s.invented) for s in scores),
        "compression_mean": sum(ratios) / len(ratios) if ratios else 0.0,
        "compression_long_notes": sum(long_ratios) / len(long_ratios) if long_ratios else 0.0,
        "dropped_sentences": sum(s.dropped for s in scores),
        "llm_sentences_kept": sum(s.llm_kept for s in scores),
        "seconds_mean": sum(s.seconds for s in scores) / len(scores) if scores else 0.0,
        "seconds_max": max((s.seconds for s in scores), default=0.0),
        "compression_bands": compression_bands(scores),
        "forbidden": sum(len(s.forbidden) for s in scores),
        "allergy_omissions": sum(len(s.allergy_missing) for s in scores),
        "urgency_mismatches": sum(1 for s in scores if s.urgency_mismatch),
    }


def compression_bands(scores: list[ItemScore]) -> dict[str, dict]:
    """Per length band: items, mean and worst ratio, items over the band's target."""
    out: dict[str, dict] = {}
    for band in COMPRESSION_TARGET:
        ratios = [s.summary_chars / s.source_chars for s in scores if s.source_chars and s.band == band]
        if ratios:
            out[band] = {"n": len(ratios), "mean": sum(ratios) / len(ratios), "worst": max(ratios),
                         "over_target": sum(1 for r in ratios if r > COMPRESSION_TARGET[band])}
    return out
