"""Issue 13, point 6 (concise): the summaries of the development sets written in other clinicians'
styles (summary_dev_blind5-7) stay as short as they are, by length band (mean summary length over
source length; before session 22: short notes 1.025, long notes 0.870, histories 0.71). A ceiling,
raised never: a change that makes summaries longer must say why."""

from __future__ import annotations

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import compression_bands, score_item

from .summary_sets import load_set

CEILINGS = {"short": 1.00, "long": 0.86, "history": 0.71}


def test_development_summaries_stay_within_their_length_ceilings():
    scores = [score_item(item, summarize(item["kind"], item))
              for name in ("summary_dev_blind5.jsonl", "summary_dev_blind6.jsonl", "summary_dev_blind7.jsonl")
              for item in load_set(name)]
    bands = compression_bands(scores)
    for band, ceiling in CEILINGS.items():
        assert bands[band]["mean"] <= ceiling, (band, round(bands[band]["mean"], 3))
    assert sum(len(s.invented) for s in scores) == 0
