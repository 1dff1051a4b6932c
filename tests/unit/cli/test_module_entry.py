"""``python -m lantern`` runs the same command line as the ``lantern`` script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[3] / "desktop"


def test_python_dash_m_lantern_is_the_cli():
    env = {**os.environ, "PYTHONPATH": str(DESKTOP)}
    out = subprocess.run([sys.executable, "-m", "lantern", "--help"], capture_output=True, text=True,
                         env=env, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert "diagnose" in out.stdout and "summarize" in out.stdout
