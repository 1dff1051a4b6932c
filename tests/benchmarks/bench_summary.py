"""Summary benchmark on ``tests/data/summary_dev_eval.jsonl`` and the other summary sets of
``tests/data/SETS.toml`` (each with its status and first-run figures).

Reports, without and with the default model (Gemma 3 270M through the inference
host): required-fact recall, invented facts (numbers, doses, drugs, frequencies,
allergies, dates in the summary that the source does not have), compression,
sentences dropped by verification, time per summary, and for a one-page note the
time to the structured summary, to the first streamed token and to the end.

Run: ``PYTHONPATH=desktop python -m tests.benchmarks.bench_summary``; a sealed set is scored
once, on purpose, with ``--first-run summary_blind4.jsonl``.
``--development`` scores the development sets only (for fixing: no blind set's figures are printed).
Any other argument (``--help`` included) prints this text and scores nothing.
Environment: ``LANTERN_BENCH_NO_MODEL=1`` skips the model pass;
``LANTERN_BENCH_SUMMARY_LIMIT=N`` uses the first N items in the model pass.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from lantern.clinical.summarize import summarize
from lantern.clinical.summarize.evaluate import COMPRESSION_TARGET, aggregate, score_item
from tests.benchmarks.eval_sets import describe_first_run, eval_set, sets

EVAL = eval_set("summary_dev_eval.jsonl").path


def load_items(path: Path = EVAL) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def run_pass(items: list[dict], generate=None) -> tuple[dict, list]:
    scores = []
    for item in items:
        start = time.perf_counter()
        summary = summarize(item["kind"], item, generate=generate)
        scores.append(score_item(item, summary, time.perf_counter() - start))
    return aggregate(scores), scores


def default_model_generator(workdir: Path):
    """The real default model through the inference host (models assembled into ``workdir``)."""
    from lantern.llm.client import InferenceClient
    from lantern.llm.store import ModelStore
    from lantern.services.generation import make_text_generator
    from lantern.services.models import ModelService

    store = ModelStore(models_dir=workdir / "models", settings_path=workdir / "llm_settings.json")
    models = ModelService(store=store, client=InferenceClient(log_path=workdir / "host.log"))
    return models, make_text_generator(models)


def _print(title: str, report: dict, scores: list, *, items: bool = True) -> None:
    """The figures of one pass; ``items``: also each item's misses (development sets and
    first runs only, so a blind set's items stay unread)."""
    print(f"{title}: items={report['items']} required_facts={report['required_facts']} "
          f"recall={report['recall']:.3f} invented={report['invented']} "
          f"compression_mean={report['compression_mean']:.2f} "
          f"compression_long={report['compression_long_notes']:.2f} "
          f"dropped_sentences={report['dropped_sentences']} llm_kept={report['llm_sentences_kept']} "
          f"must_not_found={report['forbidden']} allergy_omissions={report['allergy_omissions']} "
          f"urgency_mismatches={report['urgency_mismatches']} "
          f"s_per_summary_mean={report['seconds_mean']:.3f} max={report['seconds_max']:.2f}")
    for band, b in report["compression_bands"].items():
        target = COMPRESSION_TARGET[band]
        print(f"  compression {band:7s} ({f'target <= {target:.1f}' if target < 10 else 'no target'}): n={b['n']} "
              f"mean={b['mean']:.2f} worst={b['worst']:.2f} over_target={b['over_target']}")
    for s in scores if items else ():
        if s.missing or s.invented or s.forbidden or s.allergy_missing or s.urgency_mismatch:
            print(f"  {s.id}: missing={s.missing} invented={s.invented}"
                  + (f" must_not_found={s.forbidden}" if s.forbidden else "")
                  + (f" allergy_missing={s.allergy_missing}" if s.allergy_missing else "")
                  + (" urgency_mismatch" if s.urgency_mismatch else ""))


def one_page_latency(generate) -> dict:
    """Time to skeleton, first streamed token and full verified summary for a ~1-page note."""
    item = next(i for i in load_items() if i["id"] == "en-long-heart-failure")
    note = item["note"][-2600:]                      # about one printed page
    marks: dict[str, float] = {}
    start = time.perf_counter()
    summarize("note", {"note": note})
    marks["skeleton_s"] = time.perf_counter() - start

    def on_text(chunk: str) -> None:
        if chunk.startswith("\n") and chunk.endswith(": "):
            return  # the section heading the summarizer emits itself, not a model token
        marks.setdefault("first_token_s", time.perf_counter() - start)

    summary = summarize("note", {"note": note}, generate=generate, on_text=on_text)
    marks["total_s"] = time.perf_counter() - start
    marks["chars"] = len(note)
    marks["dropped"] = len(summary.dropped)
    marks["llm_sentences_kept"] = summary.verification()["llm_sentences_kept"]
    return marks


def first_run(file: str) -> None:
    """Score a sealed set once (its first run), without and then with the default model."""
    entry = eval_set(file)
    items = entry.load()
    title = f"FIRST RUN {entry.file} ({entry.status}, sha256 {entry.sha256[:12]}…)"
    report, scores = run_pass(items)
    _print(f"{title}, without model", report, scores)
    _print_by_language(items, scores)
    if os.environ.get("LANTERN_BENCH_NO_MODEL") == "1":
        return
    with tempfile.TemporaryDirectory(prefix="lantern-bench-summary-") as tmp:
        models, generate = default_model_generator(Path(tmp))
        try:
            models.ensure_loaded()
            report, scores = run_pass(items, generate)
            _print(f"{title}, with default model", report, scores)
            print(f"model sha256: {generate.model_sha256}")
        finally:
            models.close()


def _print_by_language(items: list[dict], scores: list) -> None:
    """Facts found and invented by the note's language, from the pass just printed."""
    for lang in sorted({item.get("lang", "en") for item in items}):
        mine = [s for item, s in zip(items, scores, strict=True) if item.get("lang", "en") == lang]
        print(f"  lang {lang}: facts found {sum(s.found for s in mine)}/{sum(s.required for s in mine)}, "
              f"invented {sum(len(s.invented) for s in mine)}")


def print_long_note_time() -> None:
    """A summary of a note of the longest size (50,000 characters), without a model:
    target < 1.5 s on a 2-core laptop."""
    from lantern.clinical.summarize import summarize_note

    filler = "Patient reports feeling tired in the evenings, sleeping poorly, eating normally. " * 700
    note = ("S: " + filler[:49_000] + "\nAllergic to sulfa.\nO: BP 150/95.\nA: Hypertension.\n"
            "P: Amlodipine 5 mg OD. Review in 4 weeks.")
    summarize_note("warm up")
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        summarize_note(note)
        best = min(best, time.perf_counter() - t0)
    print(f"long note (50,000 characters) summarized in {best:.2f} s (target < 1.5 s)")


def main() -> None:
    import sys

    args = sys.argv[1:]
    if args and args[0] not in ("--development", "--first-run"):
        # Anything but the two known flags prints the usage and scores nothing: an unknown
        # flag (or --help) must never fall through to the default run, which prints blind figures.
        print(__doc__)
        return
    if sys.argv[1:2] == ["--first-run"]:
        first_run(sys.argv[2])
        return
    print_long_note_time()
    items = load_items()
    development_only = "--development" in sys.argv[1:]
    other_sets = [(f"{s.file} ({s.status}; {describe_first_run(s)})", s.load(), s.status == "development")
                  for s in sets(kind="summary")
                  if s.path != EVAL and (s.status == "development" or not development_only)]
    report, scores = run_pass(items)
    _print("without model", report, scores)
    for name, other, development in other_sets:
        report, scores = run_pass(other)
        _print(f"{name}, without model", report, scores, items=development)
    if os.environ.get("LANTERN_BENCH_NO_MODEL") == "1":
        return
    limit = int(os.environ.get("LANTERN_BENCH_SUMMARY_LIMIT", "0") or 0)
    with tempfile.TemporaryDirectory(prefix="lantern-bench-summary-") as tmp:
        models, generate = default_model_generator(Path(tmp))
        try:
            start = time.perf_counter()
            models.ensure_loaded()
            print(f"model ready in {time.perf_counter() - start:.1f} s (assemble + load)")
            report, scores = run_pass(items[:limit] if limit else items, generate)
            _print("with default model", report, scores)
            for name, other, development in other_sets:
                report, scores = run_pass(other[:limit] if limit else other, generate)
                _print(f"{name}, with default model", report, scores, items=development)
            print("one-page note with model:", json.dumps({k: round(v, 2) if isinstance(v, float) else v
                                                          for k, v in one_page_latency(generate).items()}))
            print(f"model sha256: {generate.model_sha256}")
        finally:
            models.close()


if __name__ == "__main__":
    main()
