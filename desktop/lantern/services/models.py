"""What the GUI and CLI call for models: the store plus one inference host.

::

    models = ModelService()                       # real store, real host (started on demand)
    models.ensure_loaded(progress=cb)             # default model assembled on first use
    gen = models.generate("prompt", max_tokens=64)
    models.status()                               # for the status bar
    models.close()
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern import paths
from lantern.domain.errors import InvalidModelFile
from lantern.llm.client import Generation, InferenceClient
from lantern.llm.files import Progress
from lantern.llm.manifest import ModelSpec
from lantern.llm.model_check import file_identity
from lantern.llm.protocol import Sampling
from lantern.llm.resources import MIB, default_threads, pinned_threads
from lantern.llm.store import InstalledModel, ModelStore, PendingImport


@dataclass(frozen=True, slots=True)
class ModelStatus:
    active_name: str | None
    active_file: str | None
    loaded: bool
    ram_bytes: int | None
    host_pid: int | None
    problem: str | None = None     # why the active model was refused (changed file...)


def _hash_progress(progress: Progress | None) -> Callable[[int, int], None] | None:
    """The host's hashing progress as the app's ``progress(fraction, text)``."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(done / total if total else None,
                 f"Checking the model file… {done // MIB} of {total // MIB} MB")
    return report


def _identity(model: InstalledModel) -> dict | None:
    try:
        return file_identity(model.path)
    except OSError:
        return None


class ModelService:
    def __init__(self, *, store: ModelStore | None = None, client: Any | None = None,
                 n_threads: int | None = None) -> None:
        self.store = store or ModelStore()
        self.client = client or InferenceClient(
            log_path=paths.data_dir() / "logs" / "llm-host.log")
        self.n_threads = n_threads
        self._lock = threading.RLock()
        # file name -> (identity of the refused file, why): refused again without rehashing
        self._refused: dict[str, tuple[dict | None, str]] = {}

    # --- catalogue ------------------------------------------------------------------
    def catalogue(self) -> list[ModelSpec]:
        return list(self.store.manifest.models)

    def list_models(self) -> list[InstalledModel]:
        return self.store.list_models()

    def active(self) -> InstalledModel | None:
        return self.store.active()

    def set_active(self, name: str) -> InstalledModel:
        model = self.store.set_active(name)
        loaded = self.client.loaded
        if loaded is not None and Path(loaded.path) != model.path:
            self.client.unload()  # the next request loads the new choice
        return model

    def ensure_default(self, *, progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> InstalledModel:
        return self.store.ensure_default(progress=progress, cancel=cancel)

    def prepare_import(self, source: Path, *, progress: Progress | None = None,
                       cancel: threading.Event | None = None,
                       check_ram: bool = True) -> PendingImport:
        return self.store.prepare_import(source, progress=progress, cancel=cancel,
                                         check_ram=check_ram)

    def commit_import(self, pending: PendingImport, *, allow_unknown: bool = False) -> InstalledModel:
        return self.store.commit_import(pending, allow_unknown=allow_unknown)

    def import_model(self, source: Path, *, allow_unknown: bool = False,
                     progress: Progress | None = None, cancel: threading.Event | None = None,
                     check_ram: bool = True) -> InstalledModel:
        return self.store.import_model(source, allow_unknown=allow_unknown, progress=progress,
                                       cancel=cancel, check_ram=check_ram)

    def verify(self, name: str, *, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> InstalledModel:
        return self.store.verify(name, progress=progress, cancel=cancel)

    def remove(self, name: str) -> None:
        model = self.store.get(name)
        self._refused.pop(model.file_name, None)
        loaded = self.client.loaded
        if loaded is not None and Path(loaded.path) == model.path:
            self.client.unload()
        self.store.remove(name)

    # --- running ----------------------------------------------------------------------
    def threads(self) -> int:
        """``LANTERN_LLM_THREADS`` if set, else the caller's choice, the setting, the default."""
        chosen = pinned_threads() or self.n_threads or self.store.settings().get("n_threads")
        return int(chosen) if chosen else default_threads()

    def n_ctx_for(self, model: InstalledModel) -> int:
        chosen = self.store.settings().get("n_ctx")
        if chosen:
            return int(chosen)
        return model.spec.default_n_ctx if model.spec else 4096

    def ensure_loaded(self, *, progress: Progress | None = None,
                      cancel: threading.Event | None = None) -> InstalledModel:
        """Load the active model (assembling the default one on first use)."""
        with self._lock:
            model = self.active()
            if model is None:
                model = self.ensure_default(progress=progress, cancel=cancel)
            loaded = self.client.loaded
            if loaded is not None and Path(loaded.path) == model.path:
                return model
            self.store.check_ram(ram_bytes=model.ram_bytes, what=model.display_name)
            if progress:
                progress(None, f"Loading {model.display_name}…")
            refused = self._refused.get(model.file_name)
            if refused is not None and refused[0] is not None and refused[0] == _identity(model):
                raise InvalidModelFile(refused[1])
            try:
                info = self.client.load(
                    model.path, n_ctx=self.n_ctx_for(model), n_threads=self.threads(),
                    chat_format=model.chat_format, expect=self.store.load_expectation(model),
                    progress=_hash_progress(progress))
            except InvalidModelFile as exc:
                self._refused[model.file_name] = (_identity(model), str(exc))
                raise
            self._refused.pop(model.file_name, None)
            identity = info.get("checked_identity") if isinstance(info, dict) else None
            if identity:
                self.store.remember_check(model, identity)
            return model

    def generate(self, prompt: Any = None, *, messages: Any = None, max_tokens: int = 256,
                 stop: list[str] | None = None, json_schema: dict | None = None,
                 sampling: Sampling | None = None) -> Generation:
        self.ensure_loaded()
        return self.client.generate(prompt, messages=messages, max_tokens=max_tokens,
                                    stop=stop, json_schema=json_schema, sampling=sampling)

    def cancel(self) -> None:
        self.client.cancel()

    def status(self) -> ModelStatus:
        model = self.active()
        loaded = self.client.loaded
        return ModelStatus(
            active_name=model.display_name if model else None,
            active_file=model.file_name if model else None,
            loaded=loaded is not None and model is not None and Path(loaded.path) == model.path,
            ram_bytes=self.client.memory_bytes(),
            host_pid=getattr(self.client, "pid", None),
            problem=self._refused.get(model.file_name, (None, None))[1] if model else None,
        )

    def laptop_check(self, *, progress: Progress | None = None,
                     cancel: threading.Event | None = None, quick: bool = False) -> dict:
        """Measure this laptop with the active model (runs its own host processes)."""
        from lantern.llm.laptop_check import run_laptop_check

        model = self.active() or self.ensure_default(progress=progress, cancel=cancel)
        return run_laptop_check(model=model, manifest=self.store.manifest,
                                n_threads=self.threads(), progress=progress, cancel=cancel,
                                quick=quick)

    def close(self) -> None:
        self.client.close()
