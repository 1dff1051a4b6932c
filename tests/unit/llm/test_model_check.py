"""A model file is checked before every load, in the inference host: size and sha256, or
the sealed identity of its last passed check. A same-size tampered file is refused."""

from __future__ import annotations

import json
import os

import pytest
from gguf_samples import tiny_store

from lantern.domain.errors import InvalidModelFile
from lantern.llm.client import InferenceClient
from lantern.llm.model_check import ModelCheckFailed, check_file, file_identity
from lantern.services.models import ModelService


def flip_byte_keeping_size(path, *, keep_times: bool = True) -> None:
    before = os.stat(path)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF                       # inside the tensor data: the header stays valid
    with open(path, "r+b") as fh:
        fh.write(data)
    if keep_times:                         # what a careful attacker does: put the mtime back
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size


@pytest.fixture
def store(tmp_path, make_gguf):
    return tiny_store(tmp_path, make_gguf(kv={"general.name": "tiny"}, name="tiny-source.gguf"))


def test_unchanged_file_with_its_identity_is_not_hashed_again(store):
    model = store.active()
    expect = store.load_expectation(model)
    assert expect["identity"] == file_identity(model.path)     # sealed at import
    calls = []
    check_file(str(model.path), sha256=model.sha256, size=model.size_bytes,
               identity=expect["identity"], progress=lambda d, t: calls.append(d))
    assert calls == []
    check_file(str(model.path), sha256=model.sha256, size=model.size_bytes, identity=None,
               progress=lambda d, t: calls.append(d))
    assert calls and calls[-1] == model.size_bytes              # no identity: hashed, with progress


def test_same_size_tampered_file_is_hashed_and_refused_even_with_its_mtime_put_back(store):
    model = store.active()
    expect = store.load_expectation(model)
    flip_byte_keeping_size(model.path)
    assert file_identity(model.path) != expect["identity"]      # the ctime gives it away
    with pytest.raises(ModelCheckFailed, match="has changed since it was imported"):
        check_file(str(model.path), sha256=model.sha256, size=model.size_bytes,
                   identity=expect["identity"])


def test_an_edited_registry_cannot_vouch_for_a_file(store):
    model = store.active()
    flip_byte_keeping_size(model.path)
    registry = json.loads(store.registry_path.read_text())
    registry["models"][model.file_name]["checked"]["identity"] = file_identity(model.path)
    store.registry_path.write_text(json.dumps(registry))
    assert store.load_expectation(model)["identity"] is None     # seal broken: hash again


def test_the_real_host_refuses_a_tampered_model_before_loading_it(store, tmp_path):
    models = ModelService(store=store, client=InferenceClient(log_path=tmp_path / "host.log"),
                          n_threads=1)
    try:
        model = store.active()
        flip_byte_keeping_size(model.path)
        progress = []
        with pytest.raises(InvalidModelFile, match="has changed since it was imported") as info:
            models.ensure_loaded(progress=lambda f, text: progress.append(text))
        assert "import it again" in str(info.value)
        assert any(text.startswith("Checking the model file") for text in progress)
        assert models.client.loaded is None
        status = models.status()
        assert status.problem == str(info.value) and not status.loaded
        with pytest.raises(InvalidModelFile):                   # refused again, file unchanged
            models.ensure_loaded()
    finally:
        models.close()
