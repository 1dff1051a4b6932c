"""Shared by the tests on the summary sets of tests/data/ (listed in tests/data/SETS.toml)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from functools import cache

from tests.benchmarks.eval_sets import eval_set

from lantern.cli import main
from lantern.clinical.summarize import summarize

CLI_KINDS = ("note", "history", "referral")


@cache
def _parsed(file_name: str) -> tuple[dict, ...]:
    return tuple(eval_set(file_name).load())


def load_set(file_name: str) -> list[dict]:
    """The items of ``tests/data/<file_name>`` (read once; each call gets fresh dicts)."""
    return [dict(item) for item in _parsed(file_name)]


def sections_of(item: dict) -> dict[str, list[str]]:
    """The deterministic summary of one item, as section -> line texts."""
    summary = summarize(item["kind"], item)
    return {k: [ln.text for ln in v] for k, v in summary.sections.items()}


def cli_batches(monkeypatch, capsys, items: list[dict]) -> Iterator[tuple[list[dict], list[dict]]]:
    """Run ``lantern summarize --batch --no-llm --kind K -`` once per kind over the
    items of that kind (without the scoring keys); yields (inputs, outputs)."""
    for kind in CLI_KINDS:
        batch = [{k: v for k, v in i.items() if k not in ("must", "kind")}
                 for i in items if i["kind"] == kind]
        monkeypatch.setattr("sys.stdin", io.StringIO(
            "\n".join(json.dumps(b, ensure_ascii=False) for b in batch)))
        assert main(["summarize", "--batch", "--no-llm", "--kind", kind, "-"]) == 0
        outs = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
        yield batch, outs
