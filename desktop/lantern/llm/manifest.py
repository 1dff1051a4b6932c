"""The catalogue of models Lantern knows: ``model_store/manifest.json``.

Each entry gives a model's file name, sha256 and size (``null`` where no
trustworthy public value exists), parameter count, quantization, RAM needed,
context length, licence, chat format and what it is recommended for.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lantern.domain.errors import ModelError

CHAT_FORMATS = ("none", "gemma", "chatml", "llama3", "gguf")


@dataclass(frozen=True, slots=True)
class ModelSpec:
    id: str
    name: str
    file_name: str
    sha256: str | None
    size_bytes: int | None
    approx_size_bytes: int | None
    parameters: int | None
    parameters_label: str
    quantization: str
    ram_mb: int
    context_length: int
    default_n_ctx: int
    chat_format: str
    instruction_tuned: bool
    licence: str
    licence_url: str
    licence_summary: str
    recommended_use: str
    source: str
    provenance: str

    @property
    def expected_size(self) -> int | None:
        return self.size_bytes or self.approx_size_bytes

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelSpec:
        fmt = data.get("chat_format", "none")
        if fmt not in CHAT_FORMATS:
            raise ModelError(f"Model manifest: unknown chat format {fmt!r}.")
        sha = data.get("sha256")
        if sha is not None and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
            raise ModelError(f"Model manifest: malformed sha256 for {data.get('id')!r}.")
        return cls(
            id=str(data["id"]), name=str(data["name"]), file_name=str(data["file_name"]),
            sha256=sha, size_bytes=data.get("size_bytes"),
            approx_size_bytes=data.get("approx_size_bytes"),
            parameters=data.get("parameters"), parameters_label=data.get("parameters_label", ""),
            quantization=data.get("quantization", ""), ram_mb=int(data["ram_mb"]),
            context_length=int(data["context_length"]),
            default_n_ctx=int(data.get("default_n_ctx", 2048)), chat_format=fmt,
            instruction_tuned=bool(data.get("instruction_tuned", False)),
            licence=data.get("licence", ""), licence_url=data.get("licence_url", ""),
            licence_summary=data.get("licence_summary", ""),
            recommended_use=data.get("recommended_use", ""), source=data.get("source", ""),
            provenance=data.get("provenance", ""),
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    default_id: str
    models: tuple[ModelSpec, ...]

    @property
    def default(self) -> ModelSpec:
        return self.by_id(self.default_id)

    def by_id(self, model_id: str) -> ModelSpec:
        for spec in self.models:
            if spec.id == model_id:
                return spec
        raise ModelError(f"No model with id {model_id!r} in the manifest.")

    def by_sha256(self, sha256: str) -> ModelSpec | None:
        for spec in self.models:
            if spec.sha256 and spec.sha256 == sha256.lower():
                return spec
        return None

    def by_file_name(self, file_name: str) -> ModelSpec | None:
        lowered = file_name.lower()
        for spec in self.models:
            if spec.file_name.lower() == lowered:
                return spec
        return None


def manifest_path() -> Path:
    """``LANTERN_MODEL_MANIFEST``, else ``model_store/manifest.json`` of the
    checkout, else the copy bundled in a frozen app."""
    env = os.environ.get("LANTERN_MODEL_MANIFEST")
    if env:
        return Path(env)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "model_store" / "manifest.json"
    return Path(__file__).resolve().parents[3] / "model_store" / "manifest.json"


def parse_manifest(data: dict[str, Any]) -> Manifest:
    if data.get("schema") != 1:
        raise ModelError("Model manifest: unsupported schema version.")
    models = tuple(ModelSpec.from_dict(m) for m in data.get("models", []))
    ids = [m.id for m in models]
    if len(set(ids)) != len(ids):
        raise ModelError("Model manifest: duplicate model ids.")
    manifest = Manifest(default_id=str(data["default"]), models=models)
    manifest.default  # noqa: B018 - raises if the default id is missing
    return manifest


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> Manifest:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelError("The model manifest is missing or unreadable.") from None
    return parse_manifest(data)


def load_manifest(path: Path | None = None) -> Manifest:
    path = path or manifest_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise ModelError("The model manifest is missing or unreadable.") from None
    return _load_cached(str(path), mtime)
