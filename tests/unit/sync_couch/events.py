"""Test events sealed with AES-GCM, as the event store will seal them."""

from __future__ import annotations

import json
import os
import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lantern.services.sync.envelope import SealedEvent

KEY = AESGCM.generate_key(bit_length=256)


def aad(event_id: str, device_id: str, hlc: str) -> bytes:
    return json.dumps([event_id, device_id, hlc]).encode()


def seal(payload: dict, *, device: str, counter: int, key: bytes = KEY) -> SealedEvent:
    event_id = uuid.uuid4().hex
    hlc = f"{1_800_000_000_000 + counter:016d}-0000-{device}"
    nonce = os.urandom(12)
    body = json.dumps(payload, ensure_ascii=False).encode()
    ct = nonce + AESGCM(key).encrypt(nonce, body, aad(event_id, device, hlc))
    return SealedEvent(event_id=event_id, device_id=device, hlc=hlc, ciphertext=ct)


def open_event(event: SealedEvent, key: bytes = KEY) -> dict:
    nonce, ct = event.ciphertext[:12], event.ciphertext[12:]
    return json.loads(AESGCM(key).decrypt(nonce, ct, aad(event.event_id, event.device_id, event.hlc)))


def events(device: str, n: int, start: int = 0) -> list[SealedEvent]:
    return [seal({"kind": "note", "text": f"event {i} from {device}"}, device=device, counter=i)
            for i in range(start, start + n)]
