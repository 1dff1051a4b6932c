"""Fixtures shared by every test.

- Qt runs offscreen.
- The vault uses the cheapest KDF parameters the code allows (the OWASP floor),
  so tests do not spend seconds per unlock; calibration itself is tested apart.
- Every test gets its own data directory; nothing touches the user's real one.
- Tests do not depend on the speed of the machine: no test asserts a duration.
  Performance targets (long notes, latency, GUI gaps) are measured and printed
  by ``make bench``.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANTERN_KDF_PROFILE"] = "test"


@pytest.fixture(autouse=True)
def _dates_of_today(request):
    """A test module that keeps today's date in module constants defines refresh_dates();
    it is called before each of its tests, so a run that crosses midnight does not compare
    yesterday's constants with the code's own date.today()."""
    refresh = getattr(request.module, "refresh_dates", None)
    if refresh is not None:
        refresh()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    data = tmp_path / "lantern-data"
    monkeypatch.setenv("LANTERN_DATA_DIR", str(data))
    monkeypatch.setenv("LANTERN_STATE_DIR", str(tmp_path / "lantern-state"))
    monkeypatch.delenv("LANTERN_PASSPHRASE", raising=False)
    yield
