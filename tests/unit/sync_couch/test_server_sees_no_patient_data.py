"""The server holds ciphertext and opaque ids only: grep its files and answers."""

from __future__ import annotations

import base64
from pathlib import Path

import requests
from tests.couch_server import ADMIN
from tests.unit.sync_couch.events import open_event, seal

MARKERS = ["Nakato Wambui", "Okello", "haemoptysis", "night sweats", "张伟", "咳嗽三周", "盗汗"]


def _files_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_server_files_and_http_answers_hold_no_patient_markers(clinic, couch):
    payloads = [
        {"kind": "patient.created", "name": "Nakato Wambui", "village": "Okello"},
        {"kind": "note.signed", "text": "Cough with haemoptysis and night sweats for 3 weeks"},
        {"kind": "note.signed", "text": "张伟，咳嗽三周，盗汗，体重下降"},
    ]
    sealed = [seal(p, device="dev-a", counter=i) for i, p in enumerate(payloads)]
    # the markers really are inside what is sealed
    assert [open_event(e) for e in sealed] == payloads

    raw: list[bytes] = []
    a, b = clinic.transport("a"), clinic.transport("b")
    for transport in (a, b):
        transport._client.get_http_client().hooks["response"].append(
            lambda response, *args, **kwargs: raw.append(response.content))
    assert a.push(sealed).sent == 3
    got, _ = b.pull(None)
    assert {e.event_id for e in got} == {e.event_id for e in sealed}
    auth = (ADMIN, couch.admin_password)
    for path in ("_changes?include_docs=true", "_all_docs?include_docs=true"):
        raw.append(requests.get(f"{couch.url}/{clinic.database}/{path}", auth=auth,
                                timeout=10).content)
    answers = b"\n".join(raw)
    files = _files_bytes(couch.data_dir)

    # the grep can find what is there: ids, device ids and ciphertext are stored
    for event in sealed:
        assert event.event_id.encode() in answers and event.event_id.encode() in files
        assert base64.b64encode(event.ciphertext) in answers
    assert b"dev-a" in files
    for marker in MARKERS:
        for encoded in {marker.encode("utf-8"), marker.lower().encode("utf-8"),
                        marker.encode("unicode_escape")}:
            assert encoded not in answers, marker
            assert encoded not in files, marker
