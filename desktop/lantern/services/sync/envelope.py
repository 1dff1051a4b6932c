"""The one shape a sync event has outside the vault: what transports carry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SealedEvent:
    """One immutable change, sealed with the clinic's data key.

    ``event_id``, ``device_id`` and ``hlc`` are opaque to any server: a random
    id, a random device id and a hybrid logical clock written as a string that
    sorts in clock order. The ciphertext's associated data binds all three, so
    a server cannot move a ciphertext to another id, device or time.
    """

    event_id: str
    device_id: str
    hlc: str
    ciphertext: bytes
