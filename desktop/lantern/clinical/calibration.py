"""Calibrated probabilities for the differential: the numbers shown to the clinician.

The differential's raw score is a naive-Bayes posterior per condition; summed evidence
from findings that are not independent makes it over- or under-confident. A logistic
map refits it on the development diagnosis sets:

    p = sigmoid(slope * log_odds + gap_slope * (log_odds - top_log_odds) + intercept)

where ``top_log_odds`` is the first condition's. With ``slope + gap_slope > 0`` it keeps the
order of the differential. ``p`` estimates how often a condition shown with that number
is one the case's writer expected. The parameters, the thresholds of the confidence
levels and their provenance live in ``resources/knowledge/calibration.toml``, written by
``python -m tests.benchmarks.bench_calibration --fit``.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lantern.clinical.knowledge import knowledge_dir

CALIBRATION_FILE = "calibration.toml"
BANDS = ("likely", "possible", "less likely")
CLAMP = 30.0


def sigmoid(x: float) -> float:
    x = max(-CLAMP, min(CLAMP, x))
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(frozen=True, slots=True)
class Calibration:
    slope: float
    gap_slope: float
    intercept: float
    likely_from: float            # a calibrated probability >= this: "likely"
    possible_from: float          # >= this (and below likely_from): "possible"
    confident_from: float         # top-1 below this: no confident match
    explained_min: float          # share of positive findings the top conditions must explain
    provenance: str = ""          # the command that fitted it
    fitted_kb_version: str = ""   # the knowledge base it was fitted with

    def probability(self, log_odds: float, *, top_log_odds: float) -> float:
        lo = max(-CLAMP, min(CLAMP, log_odds))
        top = max(-CLAMP, min(CLAMP, top_log_odds))
        return sigmoid(self.slope * lo + self.gap_slope * (lo - top) + self.intercept)

    def probabilities(self, log_odds: list[float]) -> list[float]:
        """Calibrated probabilities of a differential given best first."""
        if not log_odds:
            return []
        return [self.probability(lo, top_log_odds=log_odds[0]) for lo in log_odds]

    def band(self, probability: float) -> str:
        if probability >= self.likely_from:
            return BANDS[0]
        return BANDS[1] if probability >= self.possible_from else BANDS[2]


IDENTITY = Calibration(slope=1.0, gap_slope=0.0, intercept=0.0, likely_from=0.6,
                       possible_from=0.25, confident_from=0.3,
                       explained_min=0.5, provenance="identity (no calibration file)")


def parse_calibration(data: dict, *, where: str) -> Calibration:
    """A Calibration from the file's tables; ValueError naming the file and field."""
    try:
        m, lv = data["map"], data["levels"]
        cal = Calibration(
            slope=float(m["slope"]), gap_slope=float(m["gap_slope"]),
            intercept=float(m["intercept"]), likely_from=float(lv["likely_from"]),
            possible_from=float(lv["possible_from"]), confident_from=float(lv["confident_from"]),
            explained_min=float(lv["explained_min"]),
            provenance=str(data.get("provenance", {}).get("command", "")),
            fitted_kb_version=str(data.get("provenance", {}).get("kb_version", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: missing or bad field {exc}") from None
    if cal.slope + cal.gap_slope <= 0:
        raise ValueError(f"{where}: map.slope + map.gap_slope must be > 0 (keeps the order)")
    if not 0 < cal.possible_from < cal.likely_from < 1:
        raise ValueError(f"{where}: levels need 0 < possible_from < likely_from < 1")
    if not 0 < cal.confident_from < cal.likely_from or not 0 <= cal.explained_min <= 1:
        raise ValueError(f"{where}: levels need 0 < confident_from < likely_from "
                         f"and 0 <= explained_min <= 1")
    return cal


@cache
def load_calibration(root: Path | None = None) -> Calibration:
    """The fitted calibration of ``resources/knowledge/calibration.toml`` (IDENTITY if absent)."""
    path = (root or knowledge_dir()) / CALIBRATION_FILE
    if not path.exists():
        return IDENTITY
    with path.open("rb") as fh:
        return parse_calibration(tomllib.load(fh), where=path.name)
