"""`lantern summarize` with the real default model: a same-size tampered model file in the
store is refused before it is loaded, and the summary says honestly that no model was used."""

from __future__ import annotations

import json
import os

import pytest

from lantern.cli import main
from lantern.llm.store import ModelStore

pytestmark = pytest.mark.model

REQUEST = {"id": "t1", "note": "S: cough 4 days, fever.\nO: T 38.6, HR 104.\nA: pneumonia.\n"
                               "P: amoxicillin 500 mg TDS 5 days."}


def summarize(capsys, tmp_path) -> tuple[dict, str]:
    source = tmp_path / "request.json"
    source.write_text(json.dumps(REQUEST), encoding="utf-8")
    code = main(["summarize", str(source)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out), err


def test_tampered_default_model_is_refused_by_summarize(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LANTERN_LLM_THREADS", "2")
    model = ModelStore().ensure_default()
    first, _ = summarize(capsys, tmp_path)
    assert first["llm_used"] is True and "llm_unavailable" not in first

    before = os.stat(model.path)
    with open(model.path, "r+b") as fh:         # same size, one byte of the weights changed
        fh.seek(before.st_size - 4096)
        byte = fh.read(1)
        fh.seek(before.st_size - 4096)
        fh.write(bytes([byte[0] ^ 0x01]))
    os.utime(model.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(model.path).st_size == before.st_size

    result, err = summarize(capsys, tmp_path)
    assert result["llm_used"] is False
    assert "has changed since it was imported" in result["llm_unavailable"]
    assert "import it again" in result["llm_unavailable"]
    assert "The language model was not used" in err
    assert "amoxicillin 500 mg" in result["summary"]["text"]    # the structured summary is whole
