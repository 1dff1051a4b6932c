"""ModelService + TextGenerator over the fake engine; laptop-check verdicts; CLI model commands."""

from __future__ import annotations

import hashlib
import json
import queue
import threading

import pytest

from lantern.cli import main as cli_main
from lantern.domain.errors import Cancelled, ModelError, NotEnoughResources
from lantern.llm.fake import FakeInferenceClient
from lantern.llm.laptop_check import recommendations
from lantern.llm.manifest import load_manifest, parse_manifest
from lantern.llm.resources import MIB, SystemResources, default_threads, pinned_threads
from lantern.llm.store import ModelStore
from lantern.services.generation import make_text_generator
from lantern.services.models import ModelService


@pytest.fixture
def tiny(make_gguf):
    return make_gguf(kv={"general.name": "tiny"}, name="tiny-source.gguf")


def _service(tmp_path, tiny, *, ram=8 << 30, **client_kwargs):
    sha = hashlib.sha256(tiny.read_bytes()).hexdigest()
    manifest = parse_manifest({"schema": 1, "default": "tiny", "models": [{
        "id": "tiny", "name": "Tiny", "file_name": "tiny.gguf", "sha256": sha,
        "size_bytes": tiny.stat().st_size, "ram_mb": 100, "context_length": 512,
        "default_n_ctx": 512, "chat_format": "none", "licence": "L"}]})
    store = ModelStore(models_dir=tmp_path / "models", settings_path=tmp_path / "s.json",
                       manifest=manifest,
                       resources=SystemResources(available_ram=lambda: ram,
                                                 free_disk=lambda _p: 1 << 40))
    store.import_model(tiny)
    return ModelService(store=store, client=FakeInferenceClient(**client_kwargs), n_threads=1)


def test_text_generator_streams_and_records_the_model(tmp_path, tiny):
    service = _service(tmp_path, tiny)
    generate = make_text_generator(service)
    seen: list[str] = []
    text = generate("prompt", max_tokens=5, on_text=seen.append)
    assert text == "tok0 tok1 tok2 tok3 tok4 " == "".join(seen)
    assert generate.model_sha256 == service.active().sha256
    assert service.client.loaded.n_ctx == 512 and service.client.loaded.n_threads == 1
    assert service.status().loaded


def test_text_generator_stops_on_cancel_event(tmp_path, tiny):
    service = _service(tmp_path, tiny, delay_s=0.001)
    cancel = threading.Event()
    count = 0

    def on_text(_piece: str) -> None:
        nonlocal count
        count += 1
        if count == 3:
            cancel.set()

    generate = make_text_generator(service, cancel_event=cancel)
    with pytest.raises(Cancelled):
        generate("prompt", max_tokens=1000, on_text=on_text)
    assert count < 10 and generate.last_result.stop_reason == "cancelled"


def test_exception_in_on_text_cancels_the_request(tmp_path, tiny):
    service = _service(tmp_path, tiny)

    def boom(_piece: str) -> None:
        raise RuntimeError("consumer failed")

    with pytest.raises(RuntimeError):
        make_text_generator(service)("prompt", max_tokens=50, on_text=boom)
    assert not service.client._active  # nothing left running


def test_loading_checks_ram_first(tmp_path, tiny):
    service = _service(tmp_path, tiny)
    service.store.resources = SystemResources(available_ram=lambda: 10 * MIB,
                                              free_disk=lambda _p: 1 << 40)
    with pytest.raises(NotEnoughResources):
        service.ensure_loaded()
    assert service.client.loaded is None


def test_recommendations_follow_memory_and_speed():
    manifest = load_manifest()
    small = SystemResources(available_ram=lambda: 1500 * MIB, free_disk=lambda _p: 0,
                            total_ram=lambda: 4096 * MIB)
    verdicts = {r["id"]: r["verdict"] for r in recommendations(
        manifest, tokens_per_s=60.0, reference_params=268_098_176, resources=small)}
    assert verdicts["gemma-3-270m-q4_k_m"].startswith("runs comfortably")
    assert verdicts["qwen2.5-3b-instruct-q4_k_m"] == "not enough free memory"


def test_comfortable_only_when_a_one_page_summary_finishes_within_15_s():
    manifest = load_manifest()
    big = SystemResources(available_ram=lambda: 20_000 * MIB, free_disk=lambda _p: 0,
                          total_ram=lambda: 24_000 * MIB)
    by_id = {spec.id: spec for spec in manifest.models}
    ref = by_id["gemma-3-270m-q4_k_m"].parameters
    # the reference model writes 60 tokens/s and reads 600 tokens/s on this laptop
    rows = {r["id"]: r for r in recommendations(manifest, tokens_per_s=60.0, prompt_tokens_per_s=600.0,
                                                reference_params=ref, resources=big)}
    small = rows["gemma-3-270m-q4_k_m"]
    assert small["comfortable"] and small["estimated_summary_s"] < 15
    assert small["verdict"].startswith("runs comfortably")
    for row in rows.values():
        if row["estimated_summary_s"] is not None and row["estimated_summary_s"] >= 15:
            assert not row["comfortable"]
            assert row["verdict"].startswith("slow: summaries take about ")
            assert abs(float(row["verdict"].split()[-2]) - row["estimated_summary_s"]) <= 1
    # a model ~15x larger than the reference writes ~4 tokens/s here: slow, never "comfortable"
    slow = [r for r in rows.values() if r["estimated_tokens_per_s"] and r["estimated_tokens_per_s"] < 5]
    assert slow and all(r["verdict"].startswith("slow") for r in slow)


def test_cli_models_list_import_use_remove(tmp_path, make_gguf, capsys, monkeypatch):
    monkeypatch.setenv("LANTERN_MODELS_DIR", str(tmp_path / "models"))
    a = make_gguf(kv={"general.name": "a"}, name="a.gguf")
    assert cli_main(["models", "import", str(a)]) == 2  # unknown hash, no consent
    assert "--allow-unknown" in capsys.readouterr().err
    assert cli_main(["models", "import", str(a), "--allow-unknown"]) == 0
    assert "UNKNOWN model" in capsys.readouterr().out
    assert cli_main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [m["file"] for m in listed["installed"]] == ["a.gguf"]
    assert listed["installed"][0]["active"] is True
    assert cli_main(["models", "use", "a.gguf", "--n-ctx", "1024", "--threads", "3"]) == 0
    assert "context 1024 tokens, 3 threads" in capsys.readouterr().out
    assert cli_main(["models", "use", "a.gguf", "--n-ctx", "5"]) == 2
    assert cli_main(["models", "verify", "a.gguf"]) == 0
    assert "OK a.gguf" in capsys.readouterr().out
    assert cli_main(["models", "remove", "a.gguf"]) == 0
    assert cli_main(["models", "use", "a.gguf"]) != 0
    bad = make_gguf(b"\0" * 100, name="bad.gguf")
    assert cli_main(["models", "import", str(bad), "--allow-unknown"]) == 1
    assert "not a GGUF" in capsys.readouterr().err


def test_threads_env_pins_the_host_over_every_choice(tmp_path, tiny, monkeypatch):
    service = _service(tmp_path, tiny)              # the caller asks for 1 thread
    service.store.update_settings(n_threads=3)
    assert service.threads() == 1
    monkeypatch.setenv("LANTERN_LLM_THREADS", "2")
    assert service.threads() == 2 and default_threads() == 2
    service.ensure_loaded()
    assert service.client.loaded.n_threads == 2


@pytest.mark.parametrize("value", ["0", "65", "two", "-1", "1.5"])
def test_a_bad_threads_env_is_an_error_not_ignored(value, monkeypatch):
    monkeypatch.setenv("LANTERN_LLM_THREADS", value)
    with pytest.raises(ModelError, match="LANTERN_LLM_THREADS"):
        pinned_threads()


def test_the_real_client_applies_the_pin(monkeypatch, tmp_path):
    """InferenceClient.load sends the pinned count to the host, whatever it was given."""
    from lantern.llm.client import InferenceClient

    sent: list[dict] = []
    client = InferenceClient(log_path=tmp_path / "host.log")
    monkeypatch.setenv("LANTERN_LLM_THREADS", "1")
    monkeypatch.setattr(client, "start", lambda: None)
    monkeypatch.setattr(InferenceClient, "alive", property(lambda self: True))

    def submit(message: dict):
        sent.append(dict(message))
        q = queue.SimpleQueue()
        q.put({"type": "ok", "info": {"n_ctx": 256}})
        return 7, q

    monkeypatch.setattr(client, "_submit", submit)
    client.load("model.gguf", n_ctx=256, n_threads=4)
    assert sent[0]["n_threads"] == 1 and client.loaded.n_threads == 1
