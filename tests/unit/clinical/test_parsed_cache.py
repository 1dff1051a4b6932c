"""The parsed-TOML cache speeds up start-up without ever serving stale or damaged content."""

from __future__ import annotations

import json
import tomllib

import pytest

from lantern.clinical.parsed_cache import ParsedTomlCache


def test_a_cached_parse_equals_a_fresh_one_and_survives_a_new_process(tmp_path):
    path = tmp_path / "cache.json"
    raw = 'id = "x"\nlr = [1.5, 2]\n[[finding]]\nen = ["fever", "热"]\n'.encode()
    first = ParsedTomlCache(path)
    assert first.parse(raw) == tomllib.loads(raw.decode())
    first.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert list(stored.values()) == [tomllib.loads(raw.decode())]
    second = ParsedTomlCache(path)
    assert second.parse(raw) == tomllib.loads(raw.decode())


def test_an_edited_file_is_parsed_again_never_served_stale(tmp_path):
    path = tmp_path / "cache.json"
    cache = ParsedTomlCache(path)
    assert cache.parse(b"lr = 2.0\n") == {"lr": 2.0}
    cache.save()
    again = ParsedTomlCache(path)
    assert again.parse(b"lr = 3.0\n") == {"lr": 3.0}


def test_a_damaged_cache_file_is_ignored_and_rebuilt(tmp_path):
    path = tmp_path / "cache.json"
    path.write_bytes(b"\x00not json{{")
    cache = ParsedTomlCache(path)
    assert cache.parse(b"a = 1\n") == {"a": 1}
    cache.save()
    assert json.loads(path.read_text(encoding="utf-8"))


def test_bad_toml_still_raises_so_the_validator_names_the_file(tmp_path):
    cache = ParsedTomlCache(tmp_path / "cache.json")
    with pytest.raises(tomllib.TOMLDecodeError):
        cache.parse(b"a = = 1\n")


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ParsedTomlCache(blocker / "sub" / "cache.json")
    assert cache.parse(b"a = 1\n") == {"a": 1}
    cache.save()
