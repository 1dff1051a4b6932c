""""Check this laptop": how fast the active model runs here, and what else would.

Measures, with the active model:

* ``load_s`` — loading the model in a fresh inference host;
* ``ttft_s`` / ``prompt_tokens_per_s`` — a ~1,000-token prompt, nothing cached;
* ``ttft_cached_s`` — a second prompt sharing that prefix (KV cache reuse);
* ``tokens_per_s`` — greedy generation as the app sees it (host process,
  streamed over the pipe, timed at the consumer);
* ``raw_tokens_per_s`` — the same generation in a bare ``llama_decode`` loop
  (:mod:`lantern.llm.rawbench`) in its own process, as the baseline;

plus free RAM, CPU features, and which manifest models this laptop can run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from lantern.domain.errors import Cancelled, ModelError
from lantern.llm.client import InferenceClient
from lantern.llm.files import Progress
from lantern.llm.manifest import Manifest
from lantern.llm.prompts import load_prompt
from lantern.llm.protocol import TokenEvent
from lantern.llm.resources import MIB, SystemResources, cpu_summary
from lantern.llm.store import InstalledModel

N_CTX = 2048


def bench_prompts(n_items: int = 33) -> tuple[str, str]:
    """Two prompts that share a ~1,000-token prefix and differ only at the end."""
    template = load_prompt("laptop_check")
    reference = "\n".join(
        f"{i}. A child with fever and fast breathing needs the respiratory rate counted for "
        f"one full minute; item {i} of the reference list." for i in range(1, n_items + 1))
    return (template.render(reference=reference, topic="fever in young children"),
            template.render(reference=reference, topic="dehydration and oral rehydration"))


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("The laptop check was cancelled.")


def rawbench_command() -> list[str]:
    """A frozen app must route ``--lantern-llm-rawbench ARGS`` to
    :func:`lantern.llm.rawbench.main` (as it routes ``--lantern-llm-host``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--lantern-llm-rawbench"]
    return [sys.executable, "-m", "lantern.llm.rawbench"]


def run_raw(model_path: Path, *, prompt: str, n_threads: int, n_tokens: int,
            cancel: threading.Event | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        prompt_file = Path(tmp) / "prompt.txt"
        prompt_file.write_text(prompt, encoding="utf-8")
        proc = subprocess.Popen(
            [*rawbench_command(), str(model_path), "--threads",
             str(n_threads), "--n-ctx", str(N_CTX), "--tokens", str(n_tokens),
             "--prompt-file", str(prompt_file)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_child_env(),
        )
        while True:
            try:
                out, _ = proc.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    proc.kill()
                    proc.communicate()
                    raise Cancelled("The laptop check was cancelled.") from None
    if proc.returncode != 0:
        raise ModelError("The raw llama.cpp benchmark failed.")
    return json.loads(out.strip().splitlines()[-1])


def _child_env() -> dict[str, str]:
    import os

    env = os.environ.copy()
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    env.pop("LANTERN_PASSPHRASE", None)
    return env


def _timed_stream(client: InferenceClient, prompt: str, max_tokens: int) -> dict[str, Any]:
    start = time.perf_counter()
    stamps: list[float] = []
    result = None
    for event in client.generate(prompt, max_tokens=max_tokens):
        if isinstance(event, TokenEvent):
            stamps.append(time.perf_counter())
        else:
            result = event
    if not stamps or result is None:
        raise ModelError("The model produced no tokens during the laptop check.")
    span = stamps[-1] - stamps[0]
    return {"ttft_s": stamps[0] - start, "tokens": len(stamps),
            "tokens_per_s": (len(stamps) - 1) / span if span > 0 else 0.0,
            "prompt_tokens": result.timings.prompt_tokens,
            "cached_tokens": result.timings.cached_tokens}


def run_lantern(model: InstalledModel, *, prompts: tuple[str, str], n_threads: int,
                n_tokens: int, log_path: Path | None = None,
                cancel: threading.Event | None = None) -> dict[str, Any]:
    client = InferenceClient(log_path=log_path)
    finished = threading.Event()

    def watch() -> None:  # turn the caller's cancel into a host cancel
        while not finished.wait(0.1):
            if cancel is not None and cancel.is_set():
                client.cancel()
                return

    threading.Thread(target=watch, daemon=True, name="laptop-check-cancel").start()
    try:
        start = time.perf_counter()
        client.start()
        host_start_s = time.perf_counter() - start
        start = time.perf_counter()
        client.load(model.path, n_ctx=N_CTX, n_threads=n_threads, chat_format="none")
        load_s = time.perf_counter() - start
        cold = _timed_stream(client, prompts[0], n_tokens)
        _check(cancel)
        warm = _timed_stream(client, prompts[1], 4)
        _check(cancel)
        rss = client.memory_bytes()
    finally:
        finished.set()
        client.close()
    return {
        "host_start_s": host_start_s, "load_s": load_s,
        "ttft_s": cold["ttft_s"], "ttft_cached_s": warm["ttft_s"],
        "prompt_tokens": cold["prompt_tokens"], "cached_tokens": warm["cached_tokens"],
        "prompt_tokens_per_s": cold["prompt_tokens"] / cold["ttft_s"],
        "tokens_per_s": cold["tokens_per_s"], "generated_tokens": cold["tokens"],
        "host_rss_mb": (rss or 0) // MIB,
    }


# A one-page summary as the app makes it: a note of about 1,000 tokens read, about 350
# tokens written (a page of ~250 words). "Comfortable" means it finishes within 15 s.
SUMMARY_PROMPT_TOKENS = 1000
SUMMARY_OUTPUT_TOKENS = 350
COMFORTABLE_SUMMARY_S = 15.0


def summary_seconds(*, tokens_per_s: float, prompt_tokens_per_s: float | None) -> float | None:
    """How long a one-page summary takes at these speeds (None when a speed is unknown)."""
    if tokens_per_s <= 0:
        return None
    reading = SUMMARY_PROMPT_TOKENS / prompt_tokens_per_s if prompt_tokens_per_s else 0.0
    return reading + SUMMARY_OUTPUT_TOKENS / tokens_per_s


def recommendations(manifest: Manifest, *, tokens_per_s: float, reference_params: int | None,
                    resources: SystemResources,
                    prompt_tokens_per_s: float | None = None) -> list[dict[str, Any]]:
    """Per model of the catalogue: memory, estimated speeds and a verdict a clinic can act on.

    Speeds of models other than the measured one are scaled by their parameter count.
    "runs comfortably" only when a one-page summary would take under 15 s; otherwise the
    verdict says how long summaries take."""
    total = resources.total_ram()
    available = resources.available_ram()
    out = []
    for spec in manifest.models:
        need = spec.ram_mb * MIB
        est = est_prompt = seconds = None
        if reference_params and spec.parameters:
            scale = reference_params / spec.parameters
            est = tokens_per_s * scale
            est_prompt = prompt_tokens_per_s * scale if prompt_tokens_per_s else None
            seconds = summary_seconds(tokens_per_s=est, prompt_tokens_per_s=est_prompt)
        if need > available:
            verdict = "not enough free memory"
        elif seconds is not None and seconds >= COMFORTABLE_SUMMARY_S:
            verdict = f"slow: summaries take about {seconds:.0f} s"
        elif need > 0.7 * total:
            verdict = "runs, but tight on memory"
        elif seconds is None:
            verdict = "fits in memory; speed not measured"
        else:
            verdict = f"runs comfortably (a one-page summary in about {seconds:.0f} s)"
        out.append({"id": spec.id, "name": spec.name, "ram_mb": spec.ram_mb,
                    "estimated_tokens_per_s": round(est, 1) if est is not None else None,
                    "estimated_summary_s": round(seconds, 1) if seconds is not None else None,
                    "comfortable": seconds is not None and seconds < COMFORTABLE_SUMMARY_S
                    and need <= min(available, 0.7 * total),
                    "verdict": verdict})
    return out


def run_laptop_check(*, model: InstalledModel, manifest: Manifest, n_threads: int,
                     progress: Progress | None = None, cancel: threading.Event | None = None,
                     quick: bool = False, n_tokens: int = 128,
                     resources: SystemResources | None = None,
                     log_path: Path | None = None) -> dict[str, Any]:
    resources = resources or SystemResources()
    prompts = bench_prompts(10 if quick else 33)  # quick: ~300-token prefix, else ~1,000
    rounds = 1 if quick else 2
    n_tokens = 48 if quick else n_tokens
    raw_runs, lantern_runs = [], []
    steps = rounds * 2
    for i in range(rounds):  # interleaved, best of each: other programs add noise
        _check(cancel)
        if progress:
            progress((2 * i) / steps, "Timing bare llama.cpp…")
        raw_runs.append(run_raw(model.path, prompt=prompts[0], n_threads=n_threads,
                                n_tokens=n_tokens, cancel=cancel))
        _check(cancel)
        if progress:
            progress((2 * i + 1) / steps, "Timing Lantern's model process…")
        lantern_runs.append(run_lantern(model, prompts=prompts, n_threads=n_threads,
                                        n_tokens=n_tokens, log_path=log_path, cancel=cancel))
    if progress:
        progress(1.0, "Done")
    raw = max(raw_runs, key=lambda r: r["raw_tokens_per_s"])
    best = max(lantern_runs, key=lambda r: r["tokens_per_s"])
    result: dict[str, Any] = {
        "model": {"file": model.file_name, "name": model.display_name, "sha256": model.sha256},
        "n_threads": n_threads, "n_ctx": N_CTX,
        "load_s": min(r["load_s"] for r in lantern_runs),
        "host_start_s": min(r["host_start_s"] for r in lantern_runs),
        "ttft_s": min(r["ttft_s"] for r in lantern_runs),
        "ttft_cached_s": min(r["ttft_cached_s"] for r in lantern_runs),
        "prompt_tokens": best["prompt_tokens"], "cached_tokens": best["cached_tokens"],
        "prompt_tokens_per_s": max(r["prompt_tokens_per_s"] for r in lantern_runs),
        "tokens_per_s": best["tokens_per_s"], "generated_tokens": best["generated_tokens"],
        "host_rss_mb": best["host_rss_mb"],
        **raw,
    }
    result["ttft_cached_ratio"] = result["ttft_cached_s"] / result["ttft_s"]
    result["lantern_vs_raw"] = result["tokens_per_s"] / raw["raw_tokens_per_s"]
    result["ram"] = {"total_mb": resources.total_ram() // MIB,
                     "available_mb": resources.available_ram() // MIB}
    result["cpu"] = cpu_summary()
    result["models"] = recommendations(
        manifest, tokens_per_s=result["tokens_per_s"], prompt_tokens_per_s=result["prompt_tokens_per_s"],
        reference_params=model.spec.parameters if model.spec else None, resources=resources)
    return result
