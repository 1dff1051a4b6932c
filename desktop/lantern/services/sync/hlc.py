"""Hybrid logical clocks (Kulkarni et al., 2014) for sync events.

A timestamp is (physical milliseconds, counter, device id). ``str(ts)`` is a
fixed-width string that sorts in clock order, so the clock can be compared,
indexed and sent as text (``SealedEvent.hlc``). The device id breaks ties, so
two devices never produce equal timestamps.

A wall clock that is wrong (by seconds or by days) never makes the clock go
back: :meth:`Clock.tick` takes the larger of the wall clock and the last
timestamp, and :meth:`Clock.receive` takes the larger of the wall clock, the
local and the remote timestamp. Events stamped by a laptop whose clock runs
days fast therefore still order after what they follow, and the laptops keep
converging (their later events count up from the largest clock seen).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

PT_DIGITS = 15            # milliseconds since 1970: fixed width until the year 33658
COUNTER_DIGITS = 8
_PATTERN = re.compile(rf"^(\d{{{PT_DIGITS}}})-(\d{{{COUNTER_DIGITS}}})-([0-9a-z]{{1,64}})$")
_MAX_COUNTER = 10 ** COUNTER_DIGITS - 1


class ClockError(ValueError):
    """A timestamp that is not a Lantern HLC string."""


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    physical_ms: int
    counter: int
    device_id: str

    def __str__(self) -> str:
        return f"{self.physical_ms:0{PT_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if match is None:
            raise ClockError("not a hybrid logical clock value")
        return cls(int(match[1]), int(match[2]), match[3])


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def _next(last: Timestamp | None, physical: int, device_id: str) -> Timestamp:
    if last is None or physical > last.physical_ms:
        return Timestamp(physical, 0, device_id)
    if last.counter >= _MAX_COUNTER:    # a million events in one millisecond: move the clock on
        return Timestamp(last.physical_ms + 1, 0, device_id)
    return Timestamp(last.physical_ms, last.counter + 1, device_id)


class Clock:
    """One device's clock. ``last`` is the largest timestamp it has issued or seen."""

    def __init__(self, device_id: str, *, last: Timestamp | None = None,
                 wall: Callable[[], int] = wall_ms) -> None:
        if not re.fullmatch(r"[0-9a-z]{1,64}", device_id):
            raise ClockError("a device id is 1-64 lower-case letters and digits")
        self.device_id = device_id
        self.last = last
        self._wall = wall

    def tick(self) -> Timestamp:
        """A new timestamp for a local event, larger than every one seen so far."""
        self.last = _next(self.last, self._wall(), self.device_id)
        return self.last

    def receive(self, remote: Timestamp | str) -> Timestamp:
        """Merge a remote timestamp: later local events order after it."""
        if isinstance(remote, str):
            remote = Timestamp.parse(remote)
        physical = max(self._wall(), remote.physical_ms,
                       self.last.physical_ms if self.last else 0)
        top = max(remote, self.last) if self.last else remote
        if physical > top.physical_ms:
            self.last = Timestamp(physical, 0, self.device_id)
        else:
            self.last = _next(Timestamp(top.physical_ms, top.counter, self.device_id),
                              physical, self.device_id)
        return self.last
