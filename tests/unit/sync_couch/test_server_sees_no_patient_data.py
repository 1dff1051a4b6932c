"""The server holds ciphertext and opaque ids only: grep its files and answers."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import requests
from tests.couch_server import ADMIN
from tests.unit.sync_couch.events import open_event, seal

from lantern.domain.records import Sex, Vitals
from lantern.services.sync import events as ev
from lantern.services.sync.server import sync_with_server, transport_for

MARKERS = ["Nakato Wambui", "Okello", "haemoptysis", "night sweats", "张伟", "咳嗽三周", "盗汗"]


def _files_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def _record_answers(transport, raw: list[bytes]) -> None:
    transport._client.get_http_client().hooks["response"].append(
        lambda response, *args, **kwargs: raw.append(response.content))


def _server_view(couch, clinic, raw: list[bytes]) -> tuple[bytes, bytes]:
    """Every HTTP answer seen (plus the admin's view of the database) and the server's files."""
    auth = (ADMIN, couch.admin_password)
    for path in ("_changes?include_docs=true", "_all_docs?include_docs=true"):
        raw.append(requests.get(f"{couch.url}/{clinic.database}/{path}", auth=auth,
                                timeout=10).content)
    return b"\n".join(raw), _files_bytes(couch.data_dir)


def _assert_no_marker(answers: bytes, files: bytes) -> None:
    for marker in MARKERS:
        for encoded in {marker.encode("utf-8"), marker.lower().encode("utf-8"),
                        marker.encode("unicode_escape"), json.dumps(marker).encode()}:
            assert encoded not in answers, marker
            assert encoded not in files, marker


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
        _record_answers(transport, raw)
    assert a.push(sealed).sent == 3
    got, _ = b.pull(None)
    assert {e.event_id for e in got} == {e.event_id for e in sealed}
    answers, files = _server_view(couch, clinic, raw)

    # the grep can find what is there: ids, device ids and ciphertext are stored
    for event in sealed:
        assert event.event_id.encode() in answers and event.event_id.encode() in files
        assert base64.b64encode(event.ciphertext) in answers
    assert b"dev-a" in files
    _assert_no_marker(answers, files)


def test_end_to_end_sync_of_real_vaults_leaves_no_patient_marker_on_the_server(
        clinic, couch, laptops):
    """Real records (English and Chinese) go from laptop A through the server to laptop
    B with ``sync_with_server``: B reads them in clear, the server never held them."""
    a, b, _patient, _enc = laptops
    nakato = a.records.add_patient(name="Nakato Wambui", sex=Sex.FEMALE, birth_year=1985,
                                   village="Okello")
    enc = a.records.new_encounter(nakato.id)
    a.records.save_draft(enc.id, note="Cough with haemoptysis and night sweats for 3 weeks",
                         vitals=Vitals(temp_c=38.2))
    a.records.sign_encounter(enc.id)
    zhang = b.records.add_patient(name="张伟", sex=Sex.MALE, birth_year=1970)
    enc_zh = b.records.new_encounter(zhang.id)
    b.records.save_draft(enc_zh.id, note="咳嗽三周，盗汗，体重下降", vitals=Vitals())

    raw: list[bytes] = []

    def recording(session, device):
        transport = transport_for(session.context, clinic.account(device),
                                  sleep=clinic.sleeps.append)
        clinic.transports.append(transport)
        _record_answers(transport, raw)
        return sync_with_server(session.context, transport)

    recording(a, "a")
    recording(b, "b")
    recording(a, "a")
    # the markers really travelled: each laptop reads the other's records in clear
    assert b.records.get_encounter(enc.id).note.startswith("Cough with haemoptysis")
    assert a.records.get_patient(zhang.id).name == "张伟"
    assert a.records.get_encounter(enc_zh.id).note == "咳嗽三周，盗汗，体重下降"

    answers, files = _server_view(couch, clinic, raw)
    with a.context.reading() as conn:    # A's own events (received ones are sealed anew)
        own = ev.device_id(conn, create=False)
        sealed = [e for e in ev.pending_events(conn) if e.device_id == own]
    assert len(sealed) > 5
    for event in sealed:    # the grep can find what is there
        assert event.event_id.encode() in files
        assert base64.b64encode(event.ciphertext) in answers
    _assert_no_marker(answers, files)
