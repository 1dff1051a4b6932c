"""The app side of the inference host: start it, talk to it, notice when it dies.

::

    client = InferenceClient()
    client.load(path, n_ctx=4096, n_threads=4)
    gen = client.generate("The patient", max_tokens=64)
    for event in gen:                       # TokenEvent..., then one GenerationResult
        ...
    gen.cancel()  /  client.cancel()        # stop this request / everything
    client.close()

The host is started on demand. A host that dies (llama.cpp abort, out of
memory, killed) surfaces as :class:`HostCrashed`; the next request starts a new
host and reloads the last model. Requests are served one at a time in arrival
order: a second concurrent ``generate`` waits for the first.
Cancel during ``load`` ends the host process (llama.cpp cannot interrupt a load);
the next request starts a fresh one.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lantern.domain.errors import (
    Cancelled,
    HostCrashed,
    InvalidModelFile,
    ModelError,
    PromptTooLong,
)
from lantern.llm.chat import Message, render_messages
from lantern.llm.protocol import (
    STOP_CANCELLED,
    GenerationResult,
    Sampling,
    Segment,
    Timings,
    TokenEvent,
    decode,
    encode,
    segments_to_wire,
)
from lantern.llm.resources import pinned_threads

_ERRORS = {"PromptTooLong": PromptTooLong, "InvalidModelFile": InvalidModelFile,
           "Cancelled": Cancelled}
_DEAD = {"type": "dead"}
_WAKE = {"type": "wake"}     # client-side only: look at the cancel flag now
Prompt = str | Sequence[Segment]


def _checked(expect: dict | None, info: dict) -> dict | None:
    """The expectation for a reload of the same file: the identity the host just checked."""
    identity = info.get("checked_identity")
    return {**expect, "identity": identity} if expect and identity else expect


def host_command() -> list[str]:
    """How to start the host. A frozen app re-runs itself with ``--lantern-llm-host``
    (its entry point must call :func:`lantern.llm.host.main` for that flag)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--lantern-llm-host"]
    return [sys.executable, "-m", "lantern.llm.host"]


@dataclass(frozen=True, slots=True)
class LoadedModel:
    path: str
    n_ctx: int
    n_threads: int | None
    chat_format: str
    info: dict
    expect: dict | None = None    # what the file was checked against (see model_check)


class Generation:
    """One streaming request. Iterate it for events; ``result`` is set at the end."""

    def __init__(self, client: InferenceClient, rid: int, q: queue.SimpleQueue) -> None:
        self._client = client
        self.request_id = rid
        self._q = q
        self.result: GenerationResult | None = None
        # Set while iterating, when the host begins reading the prompt (after any
        # request queued before this one has finished).
        self.prompt_started = threading.Event()
        self.cached_tokens: int | None = None
        self.sent_before_cancel: int | None = None  # tokens sent when the host got the cancel
        self._cancel_at: float | None = None
        self._texts: list[str] = []

    def cancel(self) -> None:
        if self._cancel_at is None and self.result is None:
            self._cancel_at = time.monotonic()
            self._client._send_cancel(self.request_id)

    def __iter__(self) -> Iterator[TokenEvent | GenerationResult]:
        try:
            while True:
                try:
                    msg = self._q.get(timeout=0.1)
                except queue.Empty:
                    if (self._cancel_at is not None
                            and time.monotonic() - self._cancel_at > self._client.cancel_grace_s):
                        self._client.kill()  # the host did not stop in time
                        msg = {"type": "done", "result": {
                            "text": "".join(self._texts), "tokens": len(self._texts),
                            "stop_reason": STOP_CANCELLED, "timings": {}}}
                    else:
                        continue
                kind = msg.get("type")
                if kind == "started":
                    self.cached_tokens = msg.get("cached_tokens")
                    self.prompt_started.set()
                elif kind == "cancelling":
                    self.sent_before_cancel = msg.get("sent")
                elif kind == "token":
                    self._texts.append(msg["text"])
                    yield TokenEvent(text=msg["text"], index=msg["i"])
                elif kind == "done":
                    r = msg["result"]
                    self.result = GenerationResult(
                        text=r["text"], tokens=r["tokens"], stop_reason=r["stop_reason"],
                        timings=Timings(**r.get("timings") or {}))
                    yield self.result
                    return
                elif kind == "dead":
                    if self._cancel_at is not None:
                        self.result = GenerationResult(text="".join(self._texts),
                                                       tokens=len(self._texts),
                                                       stop_reason=STOP_CANCELLED)
                        yield self.result
                        return
                    raise self._client.crash_error()
                else:
                    raise self._client.error_from(msg)
        finally:
            if self.result is None:
                self.cancel()
            self._client._forget(self.request_id)

    def run(self) -> GenerationResult:
        """Consume the stream and return the final result."""
        for event in self:
            if isinstance(event, GenerationResult):
                return event
        raise ModelError("The model stopped without a result.")  # pragma: no cover


class InferenceClient:
    def __init__(self, *, log_path: Path | None = None, start_timeout_s: float = 60.0,
                 cancel_grace_s: float = 5.0) -> None:
        self.log_path = log_path
        self.start_timeout_s = start_timeout_s
        self.cancel_grace_s = cancel_grace_s
        self._proc: subprocess.Popen | None = None
        self._pending: dict[int, queue.SimpleQueue] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._loading_id: int | None = None
        self._load_cancel = threading.Event()
        self.loading = threading.Event()   # set while a load request is with the host
        self._loaded: LoadedModel | None = None
        self._last_load: LoadedModel | None = None
        self._exit_status: int | None = None

    # --- process management -------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def loaded(self) -> LoadedModel | None:
        return self._loaded if self.alive else None

    def start(self) -> None:
        with self._lock:
            if self.alive:
                return
            self._loaded = None
            self._exit_status = None
            env = os.environ.copy()
            env.pop("LANTERN_PASSPHRASE", None)  # the host never needs the vault
            package_root = str(Path(__file__).resolve().parents[2])
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (package_root, env.get("PYTHONPATH", "")) if p)
            env["LANTERN_HOST_LOG"] = str(self.log_path) if self.log_path else os.devnull
            if self.log_path:
                self.log_path.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(OSError):
                    if self.log_path.stat().st_size > 2 * 1024 * 1024:
                        os.replace(self.log_path, self.log_path.with_suffix(".old.log"))
            self._proc = subprocess.Popen(
                host_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=env, close_fds=True,
                start_new_session=(os.name == "posix"),
            )
            ready: queue.SimpleQueue = queue.SimpleQueue()
            self._pending[0] = ready
            threading.Thread(target=self._reader, args=(self._proc,), daemon=True,
                             name="llm-host-reader").start()
        try:
            msg = ready.get(timeout=self.start_timeout_s)
        except queue.Empty:
            self.kill()
            raise HostCrashed("The model process did not start in time.") from None
        finally:
            self._pending.pop(0, None)
        if msg.get("type") != "ready":
            raise self.crash_error()

    def _reader(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                msg = decode(line)
            except ValueError:
                continue
            rid = msg.get("id", 0)
            q = self._pending.get(rid if rid is not None else 0)
            if q is not None:
                q.put(msg)
        proc.wait()
        with self._lock:
            if proc is self._proc:
                self._exit_status = proc.returncode
                self._loaded = None
                for q in list(self._pending.values()):
                    q.put(_DEAD)

    def crash_error(self) -> HostCrashed:
        status = self._exit_status
        if status is None:
            how = "no exit status"
        elif status < 0:
            try:
                how = f"stopped by signal {signal.Signals(-status).name}"
            except ValueError:
                how = f"stopped by signal {-status}"
        else:
            how = f"exit code {status}"
        return HostCrashed(
            f"The model process stopped unexpectedly ({how}). Lantern and your "
            "records are unaffected; the model will be restarted on the next request.")

    def error_from(self, msg: dict) -> Exception:
        cls = _ERRORS.get(msg.get("kind", ""), ModelError)
        return cls(msg.get("message") or "The model failed.")

    def kill(self) -> None:
        with self._lock:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        with self._lock:
            proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        self.cancel()  # running and queued requests end first
        with contextlib.suppress(ModelError, OSError):
            _, q = self._submit({"op": "shutdown"})
            with contextlib.suppress(queue.Empty):
                q.get(timeout=2.0)
        try:
            proc.wait(timeout=3.0)
        except subprocess.TimeoutExpired:
            self.kill()
        self._loaded = None

    def restart(self) -> None:
        """Start a fresh host and reload the last model, if there was one."""
        self.kill()
        self.start()
        last = self._last_load
        if last is not None:
            self.load(last.path, n_ctx=last.n_ctx, n_threads=last.n_threads,
                      chat_format=last.chat_format, expect=last.expect)

    def memory_bytes(self) -> int | None:
        pid = self.pid
        if pid is None:
            return None
        try:
            import psutil

            return int(psutil.Process(pid).memory_info().rss)
        except Exception:  # noqa: BLE001 - the process may have just exited
            return None

    # --- requests -------------------------------------------------------------------
    def _submit(self, message: dict) -> tuple[int, queue.SimpleQueue]:
        if not self.alive:
            self.start()
        rid = next(self._ids)
        q: queue.SimpleQueue = queue.SimpleQueue()
        self._pending[rid] = q
        message["id"] = rid
        try:
            with self._write_lock:
                assert self._proc is not None and self._proc.stdin is not None
                self._proc.stdin.write(encode(message))
                self._proc.stdin.flush()
        except (OSError, ValueError):
            self._pending.pop(rid, None)
            raise self.crash_error() from None
        return rid, q

    def _forget(self, rid: int) -> None:
        self._pending.pop(rid, None)

    def _send_cancel(self, rid: int) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError), self._write_lock:
            if self.alive:
                assert self._proc is not None and self._proc.stdin is not None
                self._proc.stdin.write(encode({"op": "cancel", "target": rid}))
                self._proc.stdin.flush()

    def _call(self, message: dict, *, timeout: float | None = None) -> dict:
        rid, q = self._submit(message)
        try:
            msg = q.get(timeout=timeout)
        except queue.Empty:
            raise ModelError("The model process did not answer in time.") from None
        finally:
            self._forget(rid)
        if msg.get("type") == "dead":
            raise self.crash_error()
        if msg.get("type") == "error":
            raise self.error_from(msg)
        return msg

    def load(self, model_path: str | os.PathLike, *, n_ctx: int = 4096,
             n_threads: int | None = None, chat_format: str = "none",
             expect: dict | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
        """Load a model (replacing the current one). Blocks until it is ready.

        ``expect`` (``{"sha256", "size", "identity"}``, see :mod:`lantern.llm.model_check`)
        makes the host check the file first; ``progress(done, total)`` reports the hashing.
        A file that fails raises :class:`InvalidModelFile` and is not loaded.

        ``LANTERN_LLM_THREADS`` (see :func:`lantern.llm.resources.pinned_threads`)
        overrides ``n_threads``."""
        n_threads = pinned_threads() or n_threads
        with self._load_lock:
            self._load_cancel.clear()
            if not self.alive:
                self.start()
            self._loading_id, q = self._submit({"op": "load", "path": str(model_path),
                                                "n_ctx": n_ctx, "n_threads": n_threads,
                                                "expect": expect})
            self.loading.set()
            try:
                while True:
                    if self._load_cancel.is_set():
                        self.kill()
                        raise Cancelled("Loading the model was cancelled.")
                    try:
                        msg = q.get(timeout=0.05)
                    except queue.Empty:
                        continue
                    if msg.get("type") == _WAKE["type"]:
                        continue
                    if msg.get("type") == "progress":
                        if progress is not None:
                            progress(int(msg.get("done", 0)), int(msg.get("total", 0)))
                        continue
                    if msg.get("type") == "dead":
                        if self._load_cancel.is_set():
                            raise Cancelled("Loading the model was cancelled.")
                        raise self.crash_error()
                    if msg.get("type") == "error":
                        raise self.error_from(msg)
                    break
            finally:
                self.loading.clear()
                self._forget(self._loading_id)
                self._loading_id = None
            loaded = LoadedModel(path=str(model_path), n_ctx=msg["info"]["n_ctx"],
                                 n_threads=n_threads, chat_format=chat_format, info=msg["info"],
                                 expect=_checked(expect, msg["info"]))
            self._loaded = self._last_load = loaded
            return msg["info"]

    def unload(self) -> None:
        if self.alive:
            self._call({"op": "unload"}, timeout=30)
        self._loaded = None
        self._last_load = None

    def cancel(self) -> None:
        """Stop whatever runs: a load ends the host; a generation stops within a token."""
        if self._load_lock.locked():
            self._load_cancel.set()
            waiting = self._pending.get(self._loading_id or 0)
            if self._loading_id and waiting is not None:
                waiting.put(_WAKE)  # the load loop reacts now, not at its next poll
        for rid in list(self._pending):
            if rid:
                self._send_cancel(rid)

    def _ensure_loaded(self) -> LoadedModel:
        if self.loaded is not None:
            return self.loaded
        if self._last_load is None:
            raise ModelError("No model is loaded.")
        last = self._last_load
        self.load(last.path, n_ctx=last.n_ctx, n_threads=last.n_threads,
                  chat_format=last.chat_format, expect=last.expect)
        assert self._loaded is not None
        return self._loaded

    def build_segments(self, *, prompt: Prompt | None = None,
                       messages: Sequence[Message] | None = None) -> list[Segment]:
        if (prompt is None) == (messages is None):
            raise ModelError("Give either a prompt or chat messages.")
        if messages is not None:
            model = self._ensure_loaded()
            return render_messages(messages, chat_format=model.chat_format,
                                   gguf_template=model.info.get("chat_template"))
        if isinstance(prompt, str):
            return [Segment(prompt)]
        return list(prompt or [])

    def generate(self, prompt: Prompt | None = None, *, messages: Sequence[Message] | None = None,
                 sampling: Sampling | None = None, max_tokens: int = 256,
                 json_schema: dict | None = None, grammar: str | None = None,
                 stop: list[str] | None = None) -> Generation:
        """Start a generation; iterate the returned object for the stream."""
        self._ensure_loaded()
        segments = self.build_segments(prompt=prompt, messages=messages)
        rid, q = self._submit({
            "op": "generate", "segments": segments_to_wire(segments), "add_bos": True,
            "sampling": (sampling or Sampling()).to_dict(), "max_tokens": int(max_tokens),
            "json_schema": json_schema, "grammar": grammar, "stop": list(stop or []),
        })
        return Generation(self, rid, q)

    def tokenize(self, prompt: Prompt, *, add_bos: bool = False) -> tuple[list[int], list[int]]:
        """Token ids of ``prompt`` and which of them are control tokens."""
        self._ensure_loaded()
        segments = self.build_segments(prompt=prompt)
        msg = self._call({"op": "tokenize", "segments": segments_to_wire(segments),
                          "add_bos": add_bos}, timeout=60)
        return msg["tokens"], msg["control"]

    def info(self) -> dict[str, Any]:
        return self._call({"op": "info"}, timeout=30)["info"]

    def __enter__(self) -> InferenceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
