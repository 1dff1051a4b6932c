from __future__ import annotations

import pytest

from lantern.domain.errors import DamagedRecord, Locked
from lantern.vault.crypto import RecordCipher, associated_data, new_record_id, random_key


@pytest.fixture
def cipher():
    c = RecordCipher(random_key())
    yield c
    c.close()


def seal(c, payload, **where):
    place = {"table": "patients", "column": "data", "row_id": "P1", "version": 1, **where}
    return c.seal(payload, **place), place


def test_round_trip_keeps_unicode(cipher):
    blob, place = seal(cipher, {"name": "李小龙 Amina", "n": 3})
    assert cipher.open(blob, **place) == {"name": "李小龙 Amina", "n": 3}
    assert "李小龙".encode() not in blob and b"Amina" not in blob


def test_fresh_nonce_every_write(cipher):
    a, _ = seal(cipher, {"x": 1})
    b, _ = seal(cipher, {"x": 1})
    assert a != b
    assert a[1:13] != b[1:13]  # the 96-bit nonces differ


@pytest.mark.parametrize("other", [
    {"row_id": "P2"},            # copied onto another row
    {"table": "encounters"},     # copied into another table
    {"column": "note"},          # copied into another column
    {"version": 2},              # an old version replayed over a newer row
])
def test_ciphertext_is_bound_to_its_place(cipher, other):
    blob, place = seal(cipher, {"x": 1})
    with pytest.raises(DamagedRecord, match="damaged"):
        cipher.open(blob, **{**place, **other})


@pytest.mark.parametrize("position", [0, 5, 20, -1])
def test_flipped_byte_is_detected(cipher, position):
    blob, place = seal(cipher, {"x": "some text"})
    broken = bytearray(blob)
    broken[position] ^= 0x01
    with pytest.raises(DamagedRecord) as info:
        cipher.open(bytes(broken), **place)
    assert "patients/P1" in str(info.value)


def test_other_key_cannot_open(cipher):
    blob, place = seal(cipher, {"x": 1})
    other = RecordCipher(random_key())
    with pytest.raises(DamagedRecord):
        other.open(blob, **place)


def test_close_wipes_the_key_buffer():
    key = random_key()
    c = RecordCipher(key)
    assert any(key)
    c.close()
    assert key == bytearray(32)
    with pytest.raises(Locked):
        c.seal({}, table="patients", column="data", row_id="x", version=1)
    with pytest.raises(Locked):
        c.mac(b"m")


def test_associated_data_names_every_part():
    assert associated_data("t", "c", "r", 7) == b"lantern|t|c|r|7"


def test_record_ids_are_random_and_opaque():
    ids = {new_record_id("P", length=8) for _ in range(500)}
    assert len(ids) == 500
    assert all(i.startswith("P") and len(i) == 9 for i in ids)
