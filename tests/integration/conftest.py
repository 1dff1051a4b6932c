"""Fixtures for tests that run the real default model (Gemma 3 270M) through llama.cpp.

The model is assembled from the installed PyPI package once per test session,
into a session temp directory, through the real :class:`ModelStore` code path
(sha256-checked). Every test here is marked ``model``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.llm.client import InferenceClient
from lantern.llm.store import ModelStore

CTX = 2048


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="session")
def model_store_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def default_model_progress() -> list:
    return []


@pytest.fixture(scope="session")
def default_model_path(model_store_dir, tmp_path_factory, default_model_progress) -> Path:
    store = ModelStore(models_dir=model_store_dir,
                       settings_path=tmp_path_factory.mktemp("settings") / "llm_settings.json")
    model = store.ensure_default(progress=lambda f, m: default_model_progress.append((f, m)))
    return model.path


@pytest.fixture(scope="module")
def loaded_client(default_model_path, tmp_path_factory):
    """One host with the default model, shared by a module's tests."""
    log = tmp_path_factory.mktemp("hostlog") / "host.log"
    client = InferenceClient(log_path=log)
    client.load(default_model_path, n_ctx=CTX, n_threads=2)
    yield client
    client.close()


@pytest.fixture
def fresh_client(default_model_path, tmp_path):
    """A host of its own, for tests that kill or cancel it."""
    client = InferenceClient(log_path=tmp_path / "host.log")
    yield client
    client.kill()
