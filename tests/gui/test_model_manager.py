"""Model manager dialog, status widget and laptop-check dialog over a real store
(tiny GGUF files) and the fake engine."""

from __future__ import annotations

import hashlib

import gguf
import numpy as np
import pytest

from lantern.gui.errors import Button, MessageBox
from lantern.gui.model_manager import ModelManagerDialog
from lantern.gui.model_status import ModelStatusWidget
from lantern.gui.runner import TaskRunner
from lantern.llm.fake import FakeInferenceClient
from lantern.llm.manifest import parse_manifest
from lantern.llm.store import ModelStore
from lantern.services.models import ModelService


def _write_gguf(path, name: str):
    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_name(name)
    writer.add_tensor("w", np.ones((4, 32), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    known = _write_gguf(folder / "clinic-model.gguf", "known")
    unknown = _write_gguf(folder / "mystery.gguf", "mystery")
    return known, unknown


@pytest.fixture
def service(tmp_path, usb):
    known, _ = usb
    sha = hashlib.sha256(known.read_bytes()).hexdigest()
    manifest = parse_manifest({"schema": 1, "default": "tiny", "models": [{
        "id": "tiny", "name": "Tiny Clinic Model", "file_name": "tiny.gguf", "sha256": sha,
        "size_bytes": known.stat().st_size, "ram_mb": 64, "context_length": 512,
        "chat_format": "none", "licence": "Tiny Licence 1.0",
        "licence_summary": "You may use this tiny model for testing.",
        "recommended_use": "tests"}]})
    store = ModelStore(models_dir=tmp_path / "models", settings_path=tmp_path / "s.json",
                       manifest=manifest)
    return ModelService(store=store, client=FakeInferenceClient())


@pytest.fixture
def runner():
    r = TaskRunner()
    yield r
    r.shutdown()


@pytest.fixture
def dialog(qtbot, service, runner):
    d = ModelManagerDialog(models=service, runner=runner)
    qtbot.addWidget(d)
    d.resize(1366 * 2 // 3, 560)
    return d


def _import(qtbot, dialog, path):
    dialog.choose_path = lambda _folder: str(path)
    dialog.import_file_button.click()
    qtbot.waitUntil(lambda: dialog._task is None, timeout=60_000)


def test_import_known_model_shows_it_with_licence(qtbot, dialog, usb, service):
    known, _ = usb
    assert dialog.table.rowCount() == 0
    _import(qtbot, dialog, known)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "Tiny Clinic Model"
    assert "known" in dialog.table.item(0, 5).text()
    assert "Tiny Licence 1.0" in dialog.details.toPlainText()
    assert "You may use this tiny model" in dialog.details.toPlainText()
    assert MessageBox.history == []  # known hash: no question asked


def test_unknown_model_asks_first_and_names_the_risk(qtbot, dialog, usb, service):
    _, unknown = usb
    MessageBox.set_next_answer(Button.No)
    _import(qtbot, dialog, unknown)
    title, text = MessageBox.history[-1]
    assert title == "Unknown model file"
    assert "not in Lantern's list of known models" in text and "trust" in text
    assert dialog.table.rowCount() == 0 and service.list_models() == []
    assert not list(service.store.models_dir.glob("*.part"))
    MessageBox.set_next_answer(Button.Yes)
    _import(qtbot, dialog, unknown)
    assert dialog.table.rowCount() == 1
    assert "UNKNOWN" in dialog.table.item(0, 5).text()


def test_invalid_file_shows_an_error_and_imports_nothing(qtbot, dialog, tmp_path, service):
    bad = tmp_path / "renamed.gguf"
    bad.write_bytes(b"PK\x03\x04 this is a zip file" * 10)
    MessageBox.fallback_answer = Button.Ok
    _import(qtbot, dialog, bad)
    assert any("not a GGUF" in text for _t, text in MessageBox.history)
    assert service.list_models() == []


def test_set_active_verify_and_remove(qtbot, dialog, usb, service):
    known, unknown = usb
    _import(qtbot, dialog, known)
    MessageBox.set_next_answer(Button.Yes)
    _import(qtbot, dialog, unknown)
    dialog.select("mystery.gguf")
    dialog.use_button.click()
    qtbot.waitUntil(lambda: dialog._task is None, timeout=60_000)
    assert service.active().file_name == "mystery.gguf"
    assert "active" in dialog.table.item(dialog.table.currentRow(), 5).text()

    MessageBox.set_next_answer(Button.Ok)
    dialog.verify_button.click()
    qtbot.waitUntil(lambda: dialog._task is None, timeout=60_000)
    assert MessageBox.history[-1][0] == "Model verified"

    MessageBox.set_next_answer(Button.Yes)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog._task is None, timeout=60_000)
    assert [m.file_name for m in service.list_models()] == ["tiny.gguf"]
    assert dialog.table.rowCount() == 1


def test_status_widget_shows_active_and_loaded_state(qtbot, service, runner, usb):
    known, _ = usb
    widget = ModelStatusWidget(models=service, runner=runner)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: "none yet" in widget.label.text(), timeout=60_000)
    service.import_model(known)
    widget.refresh()
    qtbot.waitUntil(lambda: "not loaded" in widget.label.text(), timeout=60_000)
    service.ensure_loaded()
    widget.refresh()
    qtbot.waitUntil(lambda: "· loaded · 123 MB" in widget.label.text(), timeout=60_000)
    assert "Tiny Clinic Model" in widget.label.text()


def test_laptop_check_dialog_runs_in_the_background(qtbot, service, runner, monkeypatch):
    from lantern.gui.laptop_check import LaptopCheckDialog

    figures = {
        "model": {"name": "Tiny Clinic Model"}, "n_threads": 2, "load_s": 0.5,
        "ttft_s": 2.0, "ttft_cached_s": 0.1, "prompt_tokens_per_s": 400.0,
        "tokens_per_s": 30.0, "raw_tokens_per_s": 31.0, "lantern_vs_raw": 0.97,
        "host_rss_mb": 300, "ram": {"available_mb": 3000, "total_mb": 8000},
        "cpu": {"logical_cpus": 4, "features": {"avx": True, "avx2": False}},
        "models": [{"name": "Big Model", "ram_mb": 9000, "estimated_tokens_per_s": 1.0,
                    "verdict": "not enough free memory"}]}
    calls = []

    def fake_check(*, progress, cancel, quick):
        progress(0.5, "Timing bare llama.cpp…")
        calls.append(quick)
        return figures

    monkeypatch.setattr(service, "laptop_check", fake_check)
    dialog = LaptopCheckDialog(models=service, runner=runner, quick=True)
    qtbot.addWidget(dialog)
    dialog.run_button.click()
    assert not dialog.run_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.figures is not None, timeout=60_000)
    text = dialog.report.toPlainText()
    assert calls == [True]
    assert "30.0 tokens/s" in text and "ratio 0.97" in text
    assert "AVX2 no" in text and "not enough free memory" in text
    assert dialog.run_button.isEnabled()


def test_status_widget_says_a_changed_model_was_refused_and_offers_reimport(qtbot, service,
                                                                            runner, usb):
    import os

    from lantern.domain.errors import InvalidModelFile

    known, _ = usb
    opened = []
    widget = ModelStatusWidget(models=service, runner=runner, on_reimport=lambda: opened.append(1))
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: "none yet" in widget.label.text(), timeout=60_000)
    model = service.import_model(known)
    data = bytearray(model.path.read_bytes())
    data[-3] ^= 0xFF                                  # same size, one byte changed
    model.path.write_bytes(bytes(data))
    with pytest.raises(InvalidModelFile):
        service.ensure_loaded()
    widget.refresh()
    qtbot.waitUntil(lambda: "refused" in widget.label.text(), timeout=60_000)
    assert "has changed since it was imported" in widget.label.toolTip()
    assert widget.reimport.isVisibleTo(widget) and widget.label.objectName() == "errorLabel"
    widget.reimport.click()
    assert opened == [1]
    service.remove(model.file_name)                   # removed: the warning goes away
    widget.refresh()
    qtbot.waitUntil(lambda: "refused" not in widget.label.text(), timeout=60_000)
    assert not widget.reimport.isVisibleTo(widget)
    assert os.path.exists(known)
