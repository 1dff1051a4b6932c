"""Fixtures shared by every test.

- Qt runs offscreen.
- The vault uses the cheapest KDF parameters the code allows (the OWASP floor),
  so tests do not spend seconds per unlock; calibration itself is tested apart.
- Every test gets its own data directory; nothing touches the user's real one.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANTERN_KDF_PROFILE"] = "test"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    data = tmp_path / "lantern-data"
    monkeypatch.setenv("LANTERN_DATA_DIR", str(data))
    monkeypatch.delenv("LANTERN_PASSPHRASE", raising=False)
    yield
