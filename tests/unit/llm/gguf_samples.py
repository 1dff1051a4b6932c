"""Hand-written GGUF bytes for validator and store tests (no model, no llama.cpp)."""

from __future__ import annotations

import struct


def _string(s: str | bytes) -> bytes:
    raw = s.encode() if isinstance(s, str) else s
    return struct.pack("<Q", len(raw)) + raw


def build_gguf(*, kv: dict | None = None, tensors: list[tuple[str, list[int], int]] | None = None,
               version: int = 3, alignment: int = 32) -> bytes:
    """A small valid GGUF: ``kv`` values are str/int(uint32)/float, ``tensors`` are
    (name, dims, ggml type); tensor data is zero-filled and laid out in order."""
    kv = {"general.architecture": "llama", "general.name": "tiny", **(kv or {})}
    if tensors is None:
        tensors = [("a.weight", [32, 2], 0), ("b.weight", [64], 8)]
    sizes = {0: (1, 4), 1: (1, 2), 8: (32, 34), 12: (256, 144)}
    head = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kv))
    for key, value in kv.items():
        head += _string(key)
        if isinstance(value, str):
            head += struct.pack("<I", 8) + _string(value)
        elif isinstance(value, float):
            head += struct.pack("<If", 6, value)
        else:
            head += struct.pack("<II", 4, value)
    offset = 0
    blobs = []
    for name, dims, gtype in tensors:
        block, bsize = sizes[gtype]
        n = 1
        for d in dims:
            n *= d
        nbytes = n // block * bsize
        head += _string(name) + struct.pack("<I", len(dims))
        head += b"".join(struct.pack("<Q", d) for d in dims)
        head += struct.pack("<IQ", gtype, offset)
        padded = -(-nbytes // alignment) * alignment
        blobs.append(b"\0" * nbytes + b"\0" * (padded - nbytes))
        offset += padded
    pad = -len(head) % alignment
    return head + b"\0" * pad + b"".join(blobs)


def tiny_store(folder, source, *, ram: int = 8 << 30):
    """A model store in ``folder`` whose manifest knows ``source`` (a GGUF written here) as
    its default model "tiny", with ``source`` imported; RAM and disk as given."""
    import hashlib

    from lantern.llm.manifest import parse_manifest
    from lantern.llm.resources import SystemResources
    from lantern.llm.store import ModelStore

    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    manifest = parse_manifest({"schema": 1, "default": "tiny", "models": [{
        "id": "tiny", "name": "Tiny", "file_name": "tiny.gguf", "sha256": sha,
        "size_bytes": source.stat().st_size, "ram_mb": 100, "context_length": 512,
        "default_n_ctx": 512, "chat_format": "none", "licence": "L"}]})
    store = ModelStore(models_dir=folder / "models", settings_path=folder / "s.json",
                       manifest=manifest,
                       resources=SystemResources(available_ram=lambda: ram,
                                                 free_disk=lambda _p: 1 << 40))
    store.import_model(source)
    return store
