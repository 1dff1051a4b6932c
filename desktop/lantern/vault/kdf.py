"""Passphrase -> key-encryption key with Argon2id.

Parameters and salt are stored with each key slot, so a slot written today can
be re-written later with stronger parameters. At vault creation the cost is
calibrated to a target time on this machine, never below OWASP's floor
(19 MiB, t=2). With ``LANTERN_KDF_PROFILE=test`` the floor is used directly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

FLOOR_MEMORY_KIB = 19 * 1024
FLOOR_ITERATIONS = 2
MAX_MEMORY_KIB = 160 * 1024  # old 4 GB laptops also run the model
MAX_ITERATIONS = 64  # what calibrate() can reach
MAX_LANES = 4
DEFAULT_TARGET_S = 0.7
SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class KdfParams:
    memory_kib: int = FLOOR_MEMORY_KIB
    iterations: int = FLOOR_ITERATIONS
    lanes: int = 1
    algorithm: str = "argon2id"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> KdfParams:
        params = cls(
            memory_kib=int(data["memory_kib"]),
            iterations=int(data["iterations"]),
            lanes=int(data.get("lanes", 1)),
            algorithm=str(data.get("algorithm", "argon2id")),
        )
        if params.algorithm != "argon2id":
            raise ValueError("unsupported key derivation algorithm")
        if not params.within_bounds():
            raise ValueError("key derivation parameters out of range")
        return params

    def within_bounds(self) -> bool:
        """Never more than calibrate() can choose: an edited value cannot make the
        KDF exhaust memory or run for minutes (the time is bounded by memory x passes)."""
        return (1 <= self.lanes <= MAX_LANES and 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB
                and 1 <= self.iterations <= MAX_ITERATIONS)

    def at_least_floor(self) -> bool:
        return self.memory_kib >= FLOOR_MEMORY_KIB and self.iterations >= FLOOR_ITERATIONS


FLOOR = KdfParams()


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
    """Derive a 256-bit key from ``passphrase`` (NFC-normalised UTF-8)."""
    import unicodedata

    secret = unicodedata.normalize("NFC", passphrase).encode()
    kdf = Argon2id(
        salt=salt, length=32, iterations=params.iterations,
        lanes=params.lanes, memory_cost=params.memory_kib,
    )
    return bytearray(kdf.derive(secret))


def _time_once(params: KdfParams, *, clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    derive_key("calibration", b"\0" * SALT_BYTES, params)
    return clock() - start


def calibrate(target_s: float = DEFAULT_TARGET_S, *,
              measure: Callable[[KdfParams], float] | None = None) -> KdfParams:
    """Pick parameters that take about ``target_s`` seconds here.

    Memory grows first (doubling from the floor up to ``MAX_MEMORY_KIB``), then
    iterations. ``measure(params) -> seconds`` can be injected by tests.
    """
    measure = measure or _time_once
    params = FLOOR
    elapsed = measure(params)
    while elapsed < target_s / 2 and params.memory_kib * 2 <= MAX_MEMORY_KIB:
        params = KdfParams(memory_kib=params.memory_kib * 2, iterations=params.iterations)
        elapsed = measure(params)
    while 0 < elapsed < target_s * 0.75 and params.iterations < 64:
        wanted = round(params.iterations * target_s / elapsed)
        params = KdfParams(memory_kib=params.memory_kib,
                           iterations=min(64, max(params.iterations + 1, wanted)))
        elapsed = measure(params)
    return params


def params_for_new_slot(target_s: float | None = None) -> KdfParams:
    """Parameters for a slot written now: the floor in tests, else calibrated."""
    if os.environ.get("LANTERN_KDF_PROFILE") == "test" and target_s is None:
        return FLOOR
    return calibrate(target_s if target_s is not None else DEFAULT_TARGET_S)
