"""Fixtures shared by every test.

- Qt runs offscreen.
- The vault uses the cheapest KDF parameters the code allows (the OWASP floor),
  so tests do not spend seconds per unlock; calibration itself is tested apart.
- Every test gets its own data directory; nothing touches the user's real one.
- Tests do not depend on the speed of the machine. A test that still asserts a
  duration (to catch, say, a quadratic blow-up) takes the ``time_limit``
  fixture: its limit is multiplied by ``LANTERN_TEST_TIME_SCALE`` (default 4,
  so an old or busy laptop passes; 1 holds the targets as written) and the test
  is marked ``timed``. Performance targets themselves are measured by
  ``make bench``.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANTERN_KDF_PROFILE"] = "test"

TIME_SCALE_ENV = "LANTERN_TEST_TIME_SCALE"
DEFAULT_TIME_SCALE = 4.0


def time_scale() -> float:
    raw = os.environ.get(TIME_SCALE_ENV, "").strip()
    if not raw:
        return DEFAULT_TIME_SCALE
    try:
        scale = float(raw)
    except ValueError:
        raise pytest.UsageError(f"{TIME_SCALE_ENV} must be a number, not {raw!r}") from None
    if scale <= 0:
        raise pytest.UsageError(f"{TIME_SCALE_ENV} must be above 0")
    return scale


def pytest_collection_modifyitems(items):
    for item in items:
        if "time_limit" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timed)


@pytest.fixture
def time_limit():
    """``time_limit(seconds)``: a target duration turned into the limit to assert."""
    scale = time_scale()
    return lambda seconds: seconds * scale


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
