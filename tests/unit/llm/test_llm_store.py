"""Model store: import with validation, hashes, resources, active model, verify, remove."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest

from lantern.domain.errors import (
    Cancelled,
    InvalidModelFile,
    ModelError,
    NotEnoughResources,
    NotFound,
    UnknownModelHash,
)
from lantern.llm.manifest import load_manifest, parse_manifest
from lantern.llm.resources import MIB, SystemResources
from lantern.llm.store import ModelStore

GIB = 1024 * MIB


def _manifest(known_sha: str, size: int, *, ram_mb: int = 100):
    entry = {"id": "tiny-known", "name": "Tiny Known", "file_name": "tiny-known.gguf",
             "sha256": known_sha, "size_bytes": size, "ram_mb": ram_mb,
             "context_length": 512, "chat_format": "none", "licence": "Test licence"}
    return parse_manifest({"schema": 1, "default": "tiny-known", "models": [entry]})


@pytest.fixture
def known_file(make_gguf):
    return make_gguf(kv={"general.name": "known"}, name="usb-copy.gguf")


def _store(tmp_path, manifest, *, ram=8 * GIB, disk=100 * GIB):
    resources = SystemResources(available_ram=lambda: ram, free_disk=lambda _p: disk)
    return ModelStore(models_dir=tmp_path / "models", settings_path=tmp_path / "settings.json",
                      manifest=manifest, resources=resources)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_import_known_model_registers_it_under_its_manifest_name(tmp_path, known_file):
    store = _store(tmp_path, _manifest(_sha(known_file), known_file.stat().st_size))
    progress: list[float | None] = []
    model = store.import_model(known_file, progress=lambda f, _m: progress.append(f))
    assert model.known and model.file_name == "tiny-known.gguf"
    assert model.path.read_bytes() == known_file.read_bytes()
    assert progress and progress[-1] == 1.0
    assert [m.file_name for m in store.list_models()] == ["tiny-known.gguf"]
    assert not list((tmp_path / "models").glob("*.part"))


def test_unknown_hash_needs_explicit_consent(tmp_path, known_file, make_gguf):
    store = _store(tmp_path, _manifest("0" * 64, 1))
    with pytest.raises(UnknownModelHash, match="not in Lantern's list.*--allow-unknown"):
        store.import_model(known_file)
    assert store.list_models() == []
    assert not list((tmp_path / "models").glob("*.part"))
    model = store.import_model(known_file, allow_unknown=True)
    assert not model.known and model.file_name == "usb-copy.gguf"
    assert model.chat_format == "gguf"


def test_two_phase_import_can_be_discarded(tmp_path, known_file):
    store = _store(tmp_path, _manifest("0" * 64, 1))
    pending = store.prepare_import(known_file)
    assert not pending.known and pending.temp_path.exists()
    pending.discard()
    assert not pending.temp_path.exists() and store.list_models() == []


def test_model_bigger_than_free_ram_is_refused_before_copying(tmp_path, known_file):
    store = _store(tmp_path, _manifest(_sha(known_file), known_file.stat().st_size, ram_mb=4000),
                   ram=2 * GIB)
    store.manifest = _manifest(_sha(known_file), 1, ram_mb=4000)
    # Same file name as the manifest entry, so the manifest's RAM figure applies.
    renamed = known_file.with_name("tiny-known.gguf")
    known_file.rename(renamed)
    with pytest.raises(NotEnoughResources, match="4000 MB.*2048 MB free"):
        store.import_model(renamed)
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_unknown_model_ram_estimate_uses_file_size(tmp_path, make_gguf):
    big = make_gguf(tensors=[("w", [256, 4096], 0)])  # 4 MiB of weights
    store = _store(tmp_path, _manifest("0" * 64, 1), ram=100 * MIB)
    with pytest.raises(NotEnoughResources, match="free memory"):
        store.import_model(big, allow_unknown=True)


def test_not_enough_disk(tmp_path, known_file):
    store = _store(tmp_path, _manifest(_sha(known_file), 1), disk=10 * MIB)
    with pytest.raises(NotEnoughResources, match="disk space"):
        store.import_model(known_file)


@pytest.mark.parametrize("content,match", [
    (b"", "empty"),
    (b"not a model at all, just text" * 4, "not a GGUF"),
])
def test_invalid_files_are_refused_and_not_copied(tmp_path, make_gguf, content, match):
    store = _store(tmp_path, _manifest("0" * 64, 1))
    with pytest.raises(InvalidModelFile, match=match):
        store.import_model(make_gguf(content), allow_unknown=True)
    assert store.list_models() == []


def test_only_gguf_extension(tmp_path, known_file):
    other = known_file.with_suffix(".bin")
    known_file.rename(other)
    store = _store(tmp_path, _manifest("0" * 64, 1))
    with pytest.raises(InvalidModelFile, match=r"\.gguf"):
        store.import_model(other)


def test_import_from_folder(tmp_path, known_file):
    store = _store(tmp_path, _manifest(_sha(known_file), known_file.stat().st_size))
    usb = tmp_path / "usb"
    (usb / "models").mkdir(parents=True)
    known_file.rename(usb / "models" / known_file.name)
    assert store.import_model(usb).known
    (usb / "models" / "second.gguf").write_bytes((usb / "models" / known_file.name).read_bytes())
    with pytest.raises(ModelError, match="2 GGUF files"):
        store.import_model(usb)


def test_cancel_during_copy_leaves_nothing(tmp_path, known_file):
    store = _store(tmp_path, _manifest(_sha(known_file), 1))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        store.import_model(known_file, cancel=cancel)
    assert store.list_models() == [] and not list((tmp_path / "models").glob("*.part"))


def test_active_model_is_persisted_atomically(tmp_path, known_file, make_gguf):
    store = _store(tmp_path, _manifest(_sha(known_file), known_file.stat().st_size))
    known = store.import_model(known_file)
    other = store.import_model(make_gguf(kv={"general.name": "other"}), allow_unknown=True)
    assert store.active().file_name == known.file_name  # the manifest default
    store.set_active(other.file_name)
    assert json.loads((tmp_path / "settings.json").read_text())["active_model"] == other.file_name
    reopened = _store(tmp_path, store.manifest)
    assert reopened.active().file_name == other.file_name
    with pytest.raises(NotFound):
        store.set_active("missing.gguf")


def test_verify_detects_a_changed_file_and_remove_deletes(tmp_path, known_file):
    store = _store(tmp_path, _manifest(_sha(known_file), known_file.stat().st_size))
    model = store.import_model(known_file)
    assert store.verify(model.file_name).sha256 == model.sha256
    data = bytearray(model.path.read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    model.path.write_bytes(bytes(data))
    with pytest.raises(InvalidModelFile, match="changed since it was imported"):
        store.verify(model.file_name)
    store.set_active(model.file_name)
    store.remove(model.file_name)
    assert not model.path.exists() and store.list_models() == []
    assert store.active() is None


def test_shipped_manifest_is_well_formed():
    manifest = load_manifest()
    default = manifest.default
    assert default.file_name == "gemma-3-270m-q4_k_m.gguf"
    assert default.sha256 == "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
    assert default.size_bytes == 253113024 and default.chat_format == "none"
    ids = {m.id for m in manifest.models}
    assert {"medgemma-4b-it-q4_k_m", "qwen2.5-3b-instruct-q4_k_m",
            "llama-3.2-3b-instruct-q4_k_m"} <= ids
    for spec in manifest.models:
        assert spec.licence and spec.ram_mb > 0 and spec.recommended_use
        if spec.sha256 is None or spec.size_bytes is None:
            assert "not found" in spec.provenance.lower() or "no authoritative" in \
                spec.provenance.lower()
