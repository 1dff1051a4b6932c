"""The GGUF header validator refuses damaged and hostile files before llama.cpp sees them."""

from __future__ import annotations

import struct

import gguf
import numpy as np
import pytest
from gguf_samples import build_gguf

from lantern.domain.errors import InvalidModelFile
from lantern.llm.gguf_check import GGML_TYPES, inspect_gguf


def test_valid_file_is_accepted_with_its_facts(make_gguf):
    path = make_gguf(kv={"llama.context_length": 4096, "general.file_type": 15})
    info = inspect_gguf(path)
    assert info.version == 3 and info.tensor_count == 2 and info.kv_count == 4
    assert info.data_offset % 32 == 0
    assert info.n_params == 64 + 64
    assert info.tensor_bytes == 64 * 4 + 2 * 34
    assert info.architecture == "llama" and info.context_length == 4096
    assert info.quantization == "Q4_K_M"


def test_file_written_by_the_gguf_package_is_accepted(tmp_path):
    path = tmp_path / "written.gguf"
    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_context_length(128)
    writer.add_string("tokenizer.chat_template", "{{ messages }}")
    writer.add_array("tokenizer.ggml.tokens", ["a", "b", "c"])
    writer.add_tensor("w", np.ones((4, 32), dtype=np.float32))
    writer.add_tensor("v", np.ones((64,), dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    info = inspect_gguf(path)
    assert info.tensor_count == 2 and info.n_params == 128 + 64
    assert info.chat_template == "{{ messages }}"
    assert info.metadata["tokenizer.ggml.tokens"] == {"array_length": 3}


def test_type_table_matches_the_gguf_package():
    for type_id, (name, block, size) in GGML_TYPES.items():
        q = gguf.GGMLQuantizationType(type_id)
        assert q.name == name
        assert gguf.GGML_QUANT_SIZES[q] == (block, size)


def test_zero_byte_file(make_gguf):
    with pytest.raises(InvalidModelFile, match="empty"):
        inspect_gguf(make_gguf(b""))


def test_truncated_file(make_gguf):
    whole = build_gguf()
    for cut in (30, len(whole) // 2, len(whole) - 40):  # the last 28 bytes are padding
        with pytest.raises(InvalidModelFile, match="truncated"):
            inspect_gguf(make_gguf(whole[:cut]))


def test_wrong_magic(make_gguf):
    with pytest.raises(InvalidModelFile, match="not a GGUF"):
        inspect_gguf(make_gguf(b"GGML" + build_gguf()[4:]))


def test_non_gguf_file_renamed(make_gguf):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(InvalidModelFile, match="not a GGUF"):
        inspect_gguf(make_gguf(png, name="photo.gguf"))
    with pytest.raises(InvalidModelFile, match="not a GGUF"):
        inspect_gguf(make_gguf(b"This is a text file, not a model.\n" * 10))


def test_unsupported_version_and_big_endian(make_gguf):
    data = build_gguf()
    with pytest.raises(InvalidModelFile, match="version 1"):
        inspect_gguf(make_gguf(data[:4] + struct.pack("<I", 1) + data[8:]))
    with pytest.raises(InvalidModelFile, match="big-endian"):
        inspect_gguf(make_gguf(data[:4] + struct.pack(">I", 3) + data[8:]))


def test_absurd_tensor_count(make_gguf):
    data = build_gguf()
    forged = data[:8] + struct.pack("<Q", 1 << 60) + data[16:]
    with pytest.raises(InvalidModelFile, match="tensors"):
        inspect_gguf(make_gguf(forged))


def test_absurd_metadata_count(make_gguf):
    data = build_gguf()
    forged = data[:16] + struct.pack("<Q", (1 << 63) + 5) + data[24:]
    with pytest.raises(InvalidModelFile, match="metadata entries"):
        inspect_gguf(make_gguf(forged))


def test_absurd_string_length_in_key(make_gguf):
    data = build_gguf()
    forged = data[:24] + struct.pack("<Q", 1 << 40) + data[32:]
    with pytest.raises(InvalidModelFile, match="claims 1099511627776 bytes"):
        inspect_gguf(make_gguf(forged))


def test_absurd_string_length_in_value(make_gguf):
    data = build_gguf(kv={"general.name": "tiny"})
    marker = struct.pack("<Q", 4) + b"tiny"
    idx = data.index(marker)
    forged = data[:idx] + struct.pack("<Q", 1 << 40) + data[idx + 8:]
    with pytest.raises(InvalidModelFile, match="past the end"):
        inspect_gguf(make_gguf(forged))


def test_absurd_array_length(make_gguf):
    head = build_gguf(tensors=[])[:24]
    head = head[:16] + struct.pack("<Q", 1) + head[24:]
    body = struct.pack("<Q", 3) + b"arr" + struct.pack("<IIQ", 9, 4, 1 << 61)
    with pytest.raises(InvalidModelFile, match="claims 2305843009213693952 items"):
        inspect_gguf(make_gguf(head + body + b"\0" * 64))


def test_absurd_tensor_dimensions(make_gguf):
    with pytest.raises(InvalidModelFile, match="absurd size"):
        inspect_gguf(make_gguf(_with_dims([1 << 40, 1 << 30])))


def _with_dims(dims: list[int]) -> bytes:
    data = build_gguf(tensors=[("t", [32, 2], 0)])
    name = struct.pack("<Q", 1) + b"t" + struct.pack("<I", 2)
    idx = data.index(name) + len(name)
    return data[:idx] + b"".join(struct.pack("<Q", d) for d in dims) + data[idx + 16:]


def test_tensor_data_past_end_of_file(make_gguf):
    with pytest.raises(InvalidModelFile, match="truncated"):
        inspect_gguf(make_gguf(_with_dims([32, 1 << 20])))


def test_alignment_must_be_a_power_of_two(make_gguf):
    with pytest.raises(InvalidModelFile, match="power of two"):
        inspect_gguf(make_gguf(kv={"general.alignment": 24}))


def test_misaligned_and_overlapping_tensors(make_gguf):
    data = build_gguf(tensors=[("a", [32], 0), ("b", [32], 0)])
    # Second tensor's offset is the last 8 bytes of its info record.
    idx = data.index(struct.pack("<Q", 1) + b"b") + 8 + 1 + 4 + 8 + 4
    misaligned = data[:idx] + struct.pack("<Q", 8) + data[idx + 8:]
    with pytest.raises(InvalidModelFile, match="not aligned"):
        inspect_gguf(make_gguf(misaligned))
    overlapping = data[:idx] + struct.pack("<Q", 0) + data[idx + 8:]
    with pytest.raises(InvalidModelFile, match="overlaps"):
        inspect_gguf(make_gguf(overlapping))


def test_unknown_tensor_type_and_bad_dimension_count(make_gguf):
    data = build_gguf(tensors=[("a", [32], 0)])
    idx = data.index(struct.pack("<Q", 1) + b"a") + 9
    with pytest.raises(InvalidModelFile, match="dimensions"):
        inspect_gguf(make_gguf(data[:idx] + struct.pack("<I", 5) + data[idx + 4:]))
    type_at = idx + 4 + 8
    with pytest.raises(InvalidModelFile, match="unknown tensor type"):
        inspect_gguf(make_gguf(data[:type_at] + struct.pack("<I", 999) + data[type_at + 4:]))


def test_duplicate_metadata_key(make_gguf):
    entry = struct.pack("<Q", 1) + b"k" + struct.pack("<II", 4, 7)
    data = b"GGUF" + struct.pack("<IQQ", 3, 0, 2) + entry + entry
    with pytest.raises(InvalidModelFile, match="duplicate metadata key"):
        inspect_gguf(make_gguf(data + b"\0" * (-len(data) % 32)))
