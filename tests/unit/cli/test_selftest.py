"""The installed app's self-test: real vault, real model, real clinical pipeline."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.model
def test_self_test_passes_and_leaves_no_files(tmp_path):
    env = dict(os.environ, LANTERN_DATA_DIR=str(tmp_path / "user-data"), TMPDIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "lantern.cli", "--self-test"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 passed, 0 failed" in proc.stdout
    # the temporary vault is gone; only the model store may have been filled
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "user-data"]
    assert leftovers == []
    user_files = {p.relative_to(tmp_path / "user-data").parts[0]
                  for p in (tmp_path / "user-data").rglob("*") if p.is_file()}
    assert user_files <= {"models"}


def test_self_test_reports_a_failing_step(tmp_path, monkeypatch, capsys):
    from lantern.cli import main
    from lantern.services import summaries

    def broken(self, *args, **kwargs):
        raise RuntimeError("boom: secret patient text")

    monkeypatch.setattr(summaries.SummaryService, "summarize", broken)
    code = main(["self-test", "--no-model"])
    out = capsys.readouterr().out
    assert code == 1
    assert "[FAIL] summary" in out and "unexpected RuntimeError" in out
    assert "secret patient text" not in out
    assert "4 passed, 1 failed" in out
