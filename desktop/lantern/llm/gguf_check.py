"""Check a GGUF file ourselves before llama.cpp ever opens it.

llama.cpp's own parser is C code; a hostile or damaged file (a USB stick that
was pulled out mid-copy, a renamed download) should be refused here, in plain
Python, with a clear message. We read the header through ``mmap`` and check:

* magic, version (2 or 3), byte order;
* tensor and metadata counts against what the file could possibly hold;
* every string length and array count against the bytes that remain;
* value types, key and tensor-name uniqueness, dimensions, tensor types;
* ``general.alignment`` (a power of two), aligned tensor offsets;
* that every tensor's data lies inside the file and tensors do not overlap.

Nothing here allocates memory in proportion to a number read from the file.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lantern.domain.errors import InvalidModelFile

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
MAX_DIMS = 4
MAX_KEY_BYTES = 65_535
MAX_TENSORS = 1 << 20
MAX_KV = 1 << 20
KEPT_STRING_BYTES = 256 * 1024  # longer metadata strings are not kept in memory

# Value types of the metadata section.
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32, T_FLOAT32, T_BOOL = range(8)
T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = 8, 9, 10, 11, 12

_SCALAR_FORMATS: dict[int, str] = {
    T_UINT8: "<B", T_INT8: "<b", T_UINT16: "<H", T_INT16: "<h",
    T_UINT32: "<I", T_INT32: "<i", T_FLOAT32: "<f", T_BOOL: "<?",
    T_UINT64: "<Q", T_INT64: "<q", T_FLOAT64: "<d",
}

# ggml tensor types: id -> (name, elements per block, bytes per block).
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40),
    10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1),
    25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
    29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54),
    35: ("TQ2_0", 256, 66), 39: ("MXFP4", 32, 17), 40: ("NVFP4", 64, 36),
    41: ("Q1_0", 128, 18),
}

# general.file_type -> the usual quantization label.
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
    10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M",
    16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 30: "IQ4_XS", 32: "BF16",
}


@dataclass(frozen=True, slots=True)
class GGUFInfo:
    """What the header says, once it has been checked."""

    path: Path
    version: int
    tensor_count: int
    kv_count: int
    alignment: int
    data_offset: int
    file_size: int
    tensor_bytes: int
    n_params: int
    metadata: dict[str, Any] = field(repr=False)

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name", ""))

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value else None

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if isinstance(value, int) else None

    @property
    def quantization(self) -> str:
        ft = self.metadata.get("general.file_type")
        return FILE_TYPES.get(ft, f"type {ft}") if isinstance(ft, int) else "unknown"


class _Reader:
    """Bounds-checked little-endian reads from a memory map."""

    def __init__(self, buf: mmap.mmap | bytes, size: int) -> None:
        self.buf = buf
        self.size = size
        self.pos = 0

    def remaining(self) -> int:
        return self.size - self.pos

    def need(self, n: int, what: str) -> None:
        if n < 0 or n > self.remaining():
            raise InvalidModelFile(
                f"The model file is truncated or damaged: {what} runs past the end of the file."
            )

    def scalar(self, fmt: str, what: str) -> Any:
        n = struct.calcsize(fmt)
        self.need(n, what)
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += n
        return value

    def u32(self, what: str) -> int:
        return self.scalar("<I", what)

    def u64(self, what: str) -> int:
        return self.scalar("<Q", what)

    def string(self, what: str, *, limit: int | None = None, keep: bool = True) -> str | None:
        length = self.u64(f"{what} length")
        if limit is not None and length > limit:
            raise InvalidModelFile(
                f"The model file is damaged: {what} claims {length} bytes (limit {limit})."
            )
        self.need(length, what)
        start = self.pos
        self.pos += length
        if not keep or length > KEPT_STRING_BYTES:
            return None
        try:
            return bytes(self.buf[start:start + length]).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidModelFile(f"The model file is damaged: {what} is not UTF-8.") from None


def _read_value(r: _Reader, vtype: int, key: str, *, in_array: bool = False) -> Any:
    if vtype in _SCALAR_FORMATS:
        return r.scalar(_SCALAR_FORMATS[vtype], f"value of {key!r}")
    if vtype == T_STRING:
        return r.string(f"string value of {key!r}")
    if vtype == T_ARRAY:
        if in_array:
            raise InvalidModelFile(f"The model file uses nested arrays in {key!r}; not supported.")
        item_type = r.u32(f"array type of {key!r}")
        count = r.u64(f"array length of {key!r}")
        if item_type in _SCALAR_FORMATS:
            item_size = struct.calcsize(_SCALAR_FORMATS[item_type])
            if count > r.remaining() // item_size:
                raise InvalidModelFile(
                    f"The model file is damaged: array {key!r} claims {count} items, "
                    "more than the file can hold."
                )
            r.pos += count * item_size
        elif item_type == T_STRING:
            if count > r.remaining() // 8:
                raise InvalidModelFile(
                    f"The model file is damaged: array {key!r} claims {count} strings, "
                    "more than the file can hold."
                )
            for _ in range(count):
                r.string(f"string in {key!r}", keep=False)
        elif item_type == T_ARRAY:
            raise InvalidModelFile(f"The model file uses nested arrays in {key!r}; not supported.")
        else:
            raise InvalidModelFile(f"The model file is damaged: unknown array type in {key!r}.")
        return {"array_length": count}
    raise InvalidModelFile(f"The model file is damaged: unknown value type {vtype} for {key!r}.")


def _tensor_nbytes(dims: list[int], ggml_type: int, name: str) -> tuple[int, int]:
    if ggml_type not in GGML_TYPES:
        raise InvalidModelFile(f"The model file uses an unknown tensor type ({ggml_type}).")
    type_name, block, type_size = GGML_TYPES[ggml_type]
    n_elements = 1
    for d in dims:
        n_elements *= d
        if n_elements >= 1 << 62:
            raise InvalidModelFile("The model file is damaged: a tensor claims an absurd size.")
    if dims and dims[0] % block:
        raise InvalidModelFile(
            f"The model file is damaged: tensor {name[:64]!r} does not fit {type_name} blocks."
        )
    return n_elements, n_elements // block * type_size


def inspect_gguf(path: str | os.PathLike) -> GGUFInfo:
    """Validate the GGUF file at ``path`` and return its header information.

    Raises :class:`InvalidModelFile` with a user-readable reason.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise InvalidModelFile("The model file cannot be read.") from None
    if not path.is_file():
        raise InvalidModelFile("The model path is not a regular file.")
    if size == 0:
        raise InvalidModelFile("The model file is empty (0 bytes).")
    if size < 24:
        raise InvalidModelFile("The model file is too short to be a GGUF model.")
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        return _inspect(mm, size, path)


def _inspect(buf: mmap.mmap, size: int, path: Path) -> GGUFInfo:
    r = _Reader(buf, size)
    if buf[:4] != GGUF_MAGIC:
        raise InvalidModelFile("This is not a GGUF model file (wrong magic bytes).")
    r.pos = 4
    version = r.u32("version")
    if version not in SUPPORTED_VERSIONS:
        if struct.unpack("<I", struct.pack(">I", version))[0] in SUPPORTED_VERSIONS:
            raise InvalidModelFile("This GGUF file is big-endian; it cannot run on this computer.")
        raise InvalidModelFile(f"Unsupported GGUF version {version} (supported: 2 and 3).")
    tensor_count = r.u64("tensor count")
    kv_count = r.u64("metadata count")
    # A tensor description needs at least 8+1+4+8+4+8 bytes; a key/value at least 8+1+4+1.
    if tensor_count > MAX_TENSORS or tensor_count * 33 > size:
        raise InvalidModelFile(
            f"The model file is truncated or damaged: it claims {tensor_count} tensors, "
            "more than the file can hold."
        )
    if kv_count > MAX_KV or kv_count * 14 > size:
        raise InvalidModelFile(
            f"The model file is truncated or damaged: it claims {kv_count} metadata entries, "
            "more than the file can hold."
        )

    metadata: dict[str, Any] = {}
    for i in range(kv_count):
        key = r.string(f"metadata key #{i}", limit=MAX_KEY_BYTES)
        if not key:
            raise InvalidModelFile("The model file is damaged: an empty metadata key.")
        if key in metadata:
            raise InvalidModelFile(f"The model file is damaged: duplicate metadata key {key!r}.")
        vtype = r.u32(f"type of {key!r}")
        metadata[key] = _read_value(r, vtype, key)

    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or isinstance(alignment, bool) or alignment <= 0 \
            or alignment & (alignment - 1):
        raise InvalidModelFile("The model file is damaged: general.alignment is not a power of two.")

    tensors: list[tuple[int, int, str]] = []
    names: set[str] = set()
    n_params = 0
    for i in range(tensor_count):
        name = r.string(f"tensor name #{i}", limit=MAX_KEY_BYTES)
        if not name or name in names:
            raise InvalidModelFile("The model file is damaged: empty or duplicate tensor name.")
        names.add(name)
        n_dims = r.u32(f"dimension count of tensor #{i}")
        if n_dims == 0 or n_dims > MAX_DIMS:
            raise InvalidModelFile(f"The model file is damaged: tensor #{i} has {n_dims} dimensions.")
        dims = [r.u64(f"dimension of tensor #{i}") for _ in range(n_dims)]
        ggml_type = r.u32(f"type of tensor #{i}")
        offset = r.u64(f"offset of tensor #{i}")
        if offset % alignment:
            raise InvalidModelFile(f"The model file is damaged: tensor #{i} is not aligned.")
        n_elements, nbytes = _tensor_nbytes(dims, ggml_type, name)
        n_params += n_elements
        tensors.append((offset, nbytes, name))

    data_offset = -(-r.pos // alignment) * alignment
    if data_offset > size:
        raise InvalidModelFile("The model file is truncated: the tensor data is missing.")
    end_of_previous = 0
    tensor_bytes = 0
    for offset, nbytes, _name in sorted(tensors):
        if offset < end_of_previous:
            raise InvalidModelFile("The model file is damaged: tensor data overlaps.")
        end = data_offset + offset + nbytes
        if end > size:
            raise InvalidModelFile(
                "The model file is truncated: tensor data runs past the end of the file "
                f"(needs {end} bytes, file has {size})."
            )
        end_of_previous = offset + nbytes
        tensor_bytes += nbytes
    return GGUFInfo(
        path=path, version=version, tensor_count=tensor_count, kv_count=kv_count,
        alignment=alignment, data_offset=data_offset, file_size=size,
        tensor_bytes=tensor_bytes, n_params=n_params, metadata=metadata,
    )
