"""`lantern generate` and `lantern bench --json` end to end with the real default model."""

from __future__ import annotations

import io
import json

import pytest

from lantern.cli import main as cli_main
from lantern.llm.gguf_check import inspect_gguf

pytestmark = pytest.mark.model


def test_default_model_assembled_and_valid(default_model_path, default_model_progress,
                                           model_store_dir):
    fractions = [f for f, _m in default_model_progress]
    assert fractions and fractions == sorted(fractions) and fractions[-1] == 1.0
    registry = json.loads((model_store_dir / "registry.json").read_text())
    entry = registry["models"]["gemma-3-270m-q4_k_m.gguf"]
    assert entry["sha256"].startswith("a5fd3b62") and entry["size_bytes"] == 253113024
    info = inspect_gguf(default_model_path)
    assert info.file_size == 253113024 and info.architecture == "gemma3"
    assert info.quantization == "Q4_K_M" and info.chat_template is None  # a base model


def test_generate_streams_to_stdout_without_llama_logs(monkeypatch, capfd, model_store_dir,
                                                      default_model_path):
    monkeypatch.setenv("LANTERN_MODELS_DIR", str(model_store_dir))
    monkeypatch.setattr("sys.stdin", io.StringIO("Clinic note: fever and cough. Plan:"))
    assert cli_main(["generate", "--max-tokens", "8", "--stats"]) == 0
    out, err = capfd.readouterr()
    assert out.strip()
    assert "8 tokens, stop: length" in err
    assert "llama" not in out + err and "ggml" not in out + err


def test_bench_json_has_the_figures(monkeypatch, capsys, model_store_dir, default_model_path):
    monkeypatch.setenv("LANTERN_MODELS_DIR", str(model_store_dir))
    assert cli_main(["bench", "--json", "--quick"]) == 0
    figures = json.loads(capsys.readouterr().out)
    for key in ("tokens_per_s", "prompt_tokens_per_s", "ttft_s", "ttft_cached_s", "load_s",
                "raw_tokens_per_s"):
        assert figures[key] > 0, key
    # The prefix was reused (its time saving, target < 0.30, is reported by make bench).
    assert figures["prompt_tokens"] >= 250 and figures["cached_tokens"] >= 250
    assert figures["cpu"]["features"]["avx"] in (True, False, None)
    assert {m["id"] for m in figures["models"]} >= {"gemma-3-270m-q4_k_m"}
