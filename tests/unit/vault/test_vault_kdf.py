from __future__ import annotations

import json
import re

import pytest

from lantern.vault import kdf
from lantern.vault.crypto import random_key
from lantern.vault.keyslots import (
    SlotOpenFailed,
    new_recovery_key,
    normalize_recovery_key,
    unwrap,
    wrap,
)


def test_test_profile_uses_the_floor_without_calibrating(monkeypatch):
    monkeypatch.setattr(kdf, "calibrate", lambda *a, **k: pytest.fail("calibrated"))
    assert kdf.params_for_new_slot() == kdf.FLOOR
    assert kdf.FLOOR.memory_kib == 19 * 1024 and kdf.FLOOR.iterations == 2


def test_calibration_grows_memory_then_iterations_with_fake_clock():
    seen = []

    def measure(params):
        seen.append(params)
        return params.memory_kib / (19 * 1024) * params.iterations * 0.01  # floor = 10 ms

    params = kdf.calibrate(0.5, measure=measure)
    assert params.at_least_floor()
    assert params.memory_kib > kdf.FLOOR_MEMORY_KIB
    assert 0.25 <= measure(params) <= 0.75
    assert [p.memory_kib for p in seen] == sorted(p.memory_kib for p in seen)


def test_calibration_never_goes_below_floor_on_a_slow_machine():
    params = kdf.calibrate(0.5, measure=lambda p: 10.0)
    assert params == kdf.FLOOR


def test_real_calibration_with_tiny_target_stays_at_least_floor():
    params = kdf.calibrate(0.01)
    assert params.at_least_floor()


def test_explicit_target_calibrates_even_in_test_profile(monkeypatch):
    called = []
    monkeypatch.setattr(kdf, "calibrate", lambda t: called.append(t) or kdf.FLOOR)
    kdf.params_for_new_slot(0.8)
    assert called == [0.8]


def test_params_round_trip_and_reject_unknown_algorithm():
    p = kdf.KdfParams(memory_kib=40000, iterations=3)
    assert kdf.KdfParams.from_dict(p.as_dict()) == p
    with pytest.raises(ValueError):
        kdf.KdfParams.from_dict({**p.as_dict(), "algorithm": "md5"})


def test_slot_wraps_and_unwraps_and_stores_params():
    key = random_key()
    slot = wrap(key, slot_id="user:a", secret="pass phrase", params=kdf.FLOOR)
    assert json.loads(slot.kdf_json)["memory_kib"] == kdf.FLOOR_MEMORY_KIB
    assert len(slot.salt) == 16
    assert bytes(key) not in slot.wrapped
    assert unwrap(slot, secret="pass phrase") == key
    with pytest.raises(SlotOpenFailed):
        unwrap(slot, secret="pass phrasE")


def test_slot_cannot_be_moved_to_another_user():
    key = random_key()
    slot = wrap(key, slot_id="user:a", secret="pass phrase", params=kdf.FLOOR)
    moved = type(slot)("user:b", slot.kdf_json, slot.salt, slot.wrapped)
    with pytest.raises(SlotOpenFailed):
        unwrap(moved, secret="pass phrase")


def test_same_passphrase_gives_different_salts():
    key = random_key()
    a = wrap(key, slot_id="s", secret="pass phrase", params=kdf.FLOOR)
    b = wrap(key, slot_id="s", secret="pass phrase", params=kdf.FLOOR)
    assert a.salt != b.salt and a.wrapped != b.wrapped


def test_recovery_key_format_and_normalisation():
    keys = {new_recovery_key() for _ in range(50)}
    assert len(keys) == 50
    for k in keys:
        assert re.fullmatch(r"([2-9A-HJKMNP-Z]{4}-){5}[2-9A-HJKMNP-Z]{4}", k)
        assert normalize_recovery_key(k.lower().replace("-", " ")) == k
        assert normalize_recovery_key(k.replace("-", "")) == k


@pytest.mark.parametrize("edited", [
    {"memory_kib": 64 * 1024 * 1024, "iterations": 2},      # 64 GiB: MemoryError
    {"memory_kib": 19 * 1024, "iterations": 10_000_000},    # hours
    {"memory_kib": 19 * 1024, "iterations": 2, "lanes": 1000},
    {"memory_kib": 4, "iterations": 2},
    {"memory_kib": 19 * 1024, "iterations": 0},
])
def test_parameters_out_of_bounds_are_refused_before_any_kdf_runs(edited):
    from lantern.vault.kdf import KdfParams

    with pytest.raises(ValueError, match="out of range"):
        KdfParams.from_dict(edited)


def test_every_calibrated_choice_is_within_bounds():
    from lantern.vault.kdf import MAX_ITERATIONS, MAX_MEMORY_KIB, KdfParams, calibrate

    slowest = calibrate(1000.0, measure=lambda p: 0.001)   # a very fast machine, a long target
    assert slowest.memory_kib <= MAX_MEMORY_KIB and slowest.iterations <= MAX_ITERATIONS
    assert KdfParams.from_dict(slowest.as_dict()) == slowest
