"""The inference host: a child process that owns the one ``llama_cpp.Llama``.

Run as ``python -m lantern.llm.host`` by :class:`lantern.llm.client.InferenceClient`.
It never opens the vault and sees only prompts. An abort inside llama.cpp kills
this process, not the app.

* File descriptors 1 and 2 are pointed at a log file (``LANTERN_HOST_LOG``, else
  the null device) and llama.cpp's log callback writes there too, so nothing
  reaches the user's terminal. The protocol uses a private copy of the original
  stdout.
* One long-lived model: consecutive requests that share a prompt prefix reuse
  its KV cache, in whole aligned chunks so that the answer does not depend on
  what was cached (:mod:`lantern.llm.prompt_cache`).
* Requests run one at a time in arrival order. A generation first reports
  ``started`` (prompt tokens, tokens reused), then its tokens, then ``done``.
  A reader thread handles ``cancel`` immediately: during prompt processing
  between chunks and inside one through llama.cpp's abort callback, during
  generation by a flag checked at every token.
"""

from __future__ import annotations

import codecs
import ctypes
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, BinaryIO

from lantern.llm import cpu_variant
from lantern.llm.model_check import ModelCheckFailed, check_file
from lantern.llm.prompt_cache import AlignedPromptCache, PromptCancelled
from lantern.llm.protocol import (
    STOP_CANCELLED,
    STOP_EOS,
    STOP_LENGTH,
    STOP_STRING,
    decode,
    encode,
)

_GGML_LOG_WARN = 3
_GGML_LOG_CONT = 5


class RequestError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _redirect_output() -> BinaryIO:
    """Keep a private copy of stdout for the protocol; send fds 1/2 to the log."""
    proto = os.fdopen(os.dup(1), "wb", buffering=0)
    target = os.environ.get("LANTERN_HOST_LOG") or os.devnull
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
    return proto


def _stop_holdback(text: str, stops: list[str]) -> int:
    """Length of the longest tail of ``text`` that could start a stop string."""
    keep = 0
    for stop in stops:
        for n in range(min(len(stop) - 1, len(text)), keep, -1):
            if text.endswith(stop[:n]):
                keep = n
                break
    return keep


class Host:
    def __init__(self, proto_in: BinaryIO, proto_out: BinaryIO) -> None:
        import llama_cpp

        self.llama_cpp = llama_cpp
        self._in = proto_in
        self._out = proto_out
        self._write_lock = threading.Lock()
        self._queue: queue.Queue[dict | None] = queue.Queue()
        self._state_lock = threading.Lock()
        self._current_id: int | None = None
        self._current_op: str | None = None
        self._sent = 0                  # tokens of the current generation sent so far
        self._cancelled_ids: set[int] = set()
        self._cancel = threading.Event()
        self.llm: Any = None
        self._prompt_cache = AlignedPromptCache()
        self._pieces: dict[int, bytes] = {}
        self._install_log_callback()
        self._abort_cb = llama_cpp.ggml_abort_callback(lambda _data: self._cancel.is_set())

    # --- plumbing -----------------------------------------------------------------
    def _install_log_callback(self) -> None:
        keep = {"last": False}

        @self.llama_cpp.llama_log_callback
        def _log(level: int, text: bytes, _user: ctypes.c_void_p) -> None:
            # ggml levels: 1 debug, 2 info, 3 warn, 4 error, 5 continues the previous line.
            # Only warnings and errors reach the log file: it stays small and holds
            # nothing but llama.cpp's own diagnostics.
            keep["last"] = keep["last"] if level == _GGML_LOG_CONT else level >= _GGML_LOG_WARN
            if not keep["last"]:
                return
            try:
                os.write(2, text)
            except OSError:
                pass

        self._log_cb = _log  # keep a reference: llama.cpp holds only the pointer
        self.llama_cpp.llama_log_set(self._log_cb, ctypes.c_void_p(0))

    def send(self, message: dict[str, Any]) -> None:
        data = encode(message)
        with self._write_lock:
            self._out.write(data)

    def _reader(self) -> None:
        for line in self._in:
            try:
                msg = decode(line)
            except ValueError:
                continue
            if msg.get("op") == "cancel":
                target = msg.get("target")
                with self._state_lock:
                    if target == self._current_id:
                        self._cancel.set()
                        if self._current_op == "generate":
                            self.send({"id": target, "type": "cancelling", "sent": self._sent})
                    elif isinstance(target, int):
                        self._cancelled_ids.add(target)
            else:
                self._queue.put(msg)
        self._cancel.set()
        self._queue.put(None)  # the app closed the pipe (or died): stop

    def run(self) -> None:
        threading.Thread(target=self._reader, name="host-reader", daemon=True).start()
        self.send({"type": "ready", "pid": os.getpid(),
                   "llama_cpp": getattr(self.llama_cpp, "__version__", "?")})
        while True:
            msg = self._queue.get()
            if msg is None or msg.get("op") == "shutdown":
                if msg is not None:
                    self.send({"id": msg.get("id"), "type": "ok"})
                break
            rid = msg.get("id")
            with self._state_lock:
                self._current_id = rid
                self._current_op = msg.get("op")
                self._sent = 0
                self._cancel.clear()
                skipped = rid in self._cancelled_ids
                self._cancelled_ids.discard(rid)
            try:
                if skipped:
                    self._send_cancelled_before_start(msg)
                else:
                    self._dispatch(msg)
            except RequestError as exc:
                self.send({"id": rid, "type": "error", "kind": exc.kind, "message": str(exc)})
            except Exception as exc:  # noqa: BLE001 - report, keep serving
                self.send({"id": rid, "type": "error", "kind": "ModelError",
                           "message": f"The model failed ({type(exc).__name__})."})
            finally:
                with self._state_lock:
                    self._current_id = None
        self.llm = None

    def _send_cancelled_before_start(self, msg: dict) -> None:
        if msg.get("op") == "generate":
            self.send({"id": msg["id"], "type": "done", "result": {
                "text": "", "tokens": 0, "stop_reason": STOP_CANCELLED, "timings": {}}})
        else:
            raise RequestError("Cancelled", "The request was cancelled.")

    def _dispatch(self, msg: dict) -> None:
        op = msg.get("op")
        handlers: dict[object, Callable[[dict], None]] = {
            "load": self._load, "unload": self._unload, "generate": self._generate,
            "tokenize": self._tokenize_op, "info": self._info}
        handler = handlers.get(op)
        if handler is None:
            raise RequestError("ModelError", f"Unknown request {op!r}.")
        handler(msg)

    # --- operations ---------------------------------------------------------------
    def _check_file(self, msg: dict) -> dict | None:
        """Size and sha256 (or the sealed identity) before llama.cpp opens the file."""
        expect = msg.get("expect")
        if not isinstance(expect, dict):
            return None
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done == total or now - last[0] >= 0.1:
                last[0] = now
                self.send({"id": msg["id"], "type": "progress", "done": done, "total": total})

        try:
            return check_file(msg["path"], sha256=str(expect.get("sha256", "")),
                              size=int(expect.get("size", -1)), identity=expect.get("identity"),
                              progress=progress)
        except ModelCheckFailed as exc:
            raise RequestError("InvalidModelFile", str(exc)) from None
        except OSError:
            raise RequestError("InvalidModelFile", "The model file cannot be read.") from None

    def _load(self, msg: dict) -> None:
        self.llm = None
        self._pieces.clear()
        self._prompt_cache.reset()
        identity = self._check_file(msg)
        start = time.perf_counter()
        n_threads = msg.get("n_threads") or None
        self.llm = None
        # Flash attention as llama.cpp's own default ("auto") would choose on CPU; a
        # backend without it gets a second try without. Perf counters off (no_perf).
        for flash in (True, False):
            try:
                self.llm = self.llama_cpp.Llama(
                    model_path=msg["path"], n_ctx=int(msg.get("n_ctx") or 2048),
                    n_threads=n_threads, n_threads_batch=n_threads, n_batch=512,
                    flash_attn=flash, no_perf=True, verbose=False, use_mmap=True,
                )
                break
            except (ValueError, RuntimeError, OSError):
                continue
        if self.llm is None:
            raise RequestError("InvalidModelFile", "llama.cpp could not load this model file.")
        llm = self.llm
        meta = llm.metadata
        self.send({"id": msg["id"], "type": "ok", "info": {
            "load_s": time.perf_counter() - start,
            "n_ctx": llm.n_ctx(),
            "n_vocab": llm.n_vocab(),
            "architecture": meta.get("general.architecture", ""),
            "name": meta.get("general.name", ""),
            "chat_template": meta.get("tokenizer.chat_template"),
            "bos": llm.token_bos(), "eos": llm.token_eos(),
            "checked_identity": identity,
        }})

    def _unload(self, msg: dict) -> None:
        self.llm = None
        self._pieces.clear()
        self._prompt_cache.reset()
        self.send({"id": msg["id"], "type": "ok"})

    def _info(self, msg: dict) -> None:
        self.send({"id": msg["id"], "type": "ok", "info": {
            "pid": os.getpid(), "loaded": self.llm is not None,
            "vault_modules": sorted(m for m in sys.modules if m.startswith("lantern.vault")),
            "system_info": self.llama_cpp.llama_print_system_info().decode("utf-8", "replace"),
        }})

    def _need_model(self) -> Any:
        if self.llm is None:
            raise RequestError("ModelError", "No model is loaded.")
        return self.llm

    def _tokens(self, segments: list, add_bos: bool) -> list[int]:
        llm = self._need_model()
        tokens: list[int] = []
        for i, (text, special) in enumerate(segments):
            if not text:
                continue
            tokens += llm.tokenize(text.encode("utf-8"), add_bos=add_bos and not tokens and i == 0,
                                   special=bool(special))
        if add_bos and not tokens:
            tokens = [llm.token_bos()]
        return tokens

    def _tokenize_op(self, msg: dict) -> None:
        tokens = self._tokens(msg["segments"], bool(msg.get("add_bos", True)))
        llm = self.llm
        control = [t for t in tokens
                   if self.llama_cpp.llama_vocab_get_attr(llm._model.vocab, t)
                   & self.llama_cpp.LLAMA_TOKEN_ATTR_CONTROL]
        self.send({"id": msg["id"], "type": "ok", "tokens": tokens, "control": control})

    def _piece(self, token: int) -> bytes:
        piece = self._pieces.get(token)
        if piece is None:
            size = 64
            while True:
                buf = ctypes.create_string_buffer(size)
                n = self.llama_cpp.llama_token_to_piece(self.llm._model.vocab, token, buf,
                                                        size, 0, False)
                if n >= 0:
                    piece = buf.raw[:n]
                    break
                size = -n + 1
            self._pieces[token] = piece
        return piece

    def _grammar(self, msg: dict) -> Any:
        from llama_cpp.llama_grammar import LlamaGrammar

        try:
            if msg.get("json_schema") is not None:
                return LlamaGrammar.from_json_schema(json.dumps(msg["json_schema"]), verbose=False)
            if msg.get("grammar"):
                return LlamaGrammar.from_string(msg["grammar"], verbose=False)
        except (ValueError, RuntimeError):
            raise RequestError("ModelError", "The JSON schema or grammar is not valid.") from None
        return None

    def _set_abort(self, on: bool) -> None:
        ctx = self.llm._ctx.ctx
        if on:
            self.llama_cpp.llama_set_abort_callback(ctx, self._abort_cb, None)
        else:
            self.llama_cpp.llama_set_abort_callback(ctx, self.llama_cpp.ggml_abort_callback(0), None)

    def _generate(self, msg: dict) -> None:
        llm = self._need_model()
        rid = msg["id"]
        tokens = self._tokens(msg["segments"], bool(msg.get("add_bos", True)))
        n_ctx = llm.n_ctx()
        if len(tokens) >= n_ctx:
            raise RequestError(
                "PromptTooLong",
                f"The prompt is {len(tokens)} tokens long but the model's context holds "
                f"{n_ctx}; shorten the text or load the model with a larger context.")
        max_tokens = max(1, min(int(msg.get("max_tokens") or 256), n_ctx - len(tokens)))
        grammar = self._grammar(msg)
        s = msg.get("sampling") or {}
        if s.get("seed") is not None:
            llm.set_seed(int(s["seed"]))
        start = time.perf_counter()
        reuse = self._prompt_cache.plan(llm, tokens)
        self.send({"id": rid, "type": "started", "prompt_tokens": len(tokens),
                   "cached_tokens": reuse})
        timings: dict[str, float] = {"prompt_tokens": len(tokens), "cached_tokens": reuse}
        try:
            timings["evaluated_tokens"] = self._evaluate_prompt(tokens, reuse)
        except PromptCancelled as stopped:
            end = time.perf_counter()
            timings.update(evaluated_tokens=stopped.evaluated, ttft_s=end - start,
                           total_s=end - start)
            self.send({"id": rid, "type": "done", "result": {
                "text": "", "tokens": 0, "stop_reason": STOP_CANCELLED, "timings": timings}})
            return
        gen = llm.generate(tokens, temp=float(s.get("temperature", 0.0)),
                           top_k=int(s.get("top_k", 40)), top_p=float(s.get("top_p", 0.95)),
                           min_p=float(s.get("min_p", 0.05)),
                           repeat_penalty=float(s.get("repeat_penalty", 1.0)), grammar=grammar)
        self._stream(rid, gen, stops=[x for x in (msg.get("stop") or []) if x],
                     max_tokens=max_tokens, start=start, timings=timings)

    def _evaluate_prompt(self, tokens: list[int], reuse: int) -> int:
        self._set_abort(True)
        try:
            return self._prompt_cache.evaluate(self.llm, tokens, reuse=reuse,
                                               cancelled=self._cancel.is_set)
        except RuntimeError:
            raise RequestError("ModelError", "llama.cpp failed while reading the prompt.") from None
        finally:
            self._set_abort(False)

    def _stream(self, rid: int, gen: Any, *, stops: list[str], max_tokens: int, start: float,
                timings: dict[str, Any]) -> None:
        """Send the tokens of ``gen`` (the prompt is already evaluated), then ``done``."""
        vocab = self.llm._model.vocab
        is_eog = self.llama_cpp.llama_vocab_is_eog
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        emitted: list[str] = []
        pending = ""
        n = 0
        reason = STOP_LENGTH
        first = last = None
        try:
            for token in gen:
                if first is None:
                    first = time.perf_counter()
                if self._cancel.is_set():
                    reason = STOP_CANCELLED
                    break
                if is_eog(vocab, token):
                    reason = STOP_EOS
                    break
                n += 1
                last = time.perf_counter()
                text = pending + decoder.decode(self._piece(token))
                out, stop_hit = text, False
                for stop in stops:
                    idx = text.find(stop)
                    if idx >= 0:
                        out, stop_hit = text[:idx], True
                        break
                if stop_hit:
                    pending = ""
                else:
                    keep = _stop_holdback(text, stops) if stops else 0
                    out, pending = (text[:-keep], text[-keep:]) if keep else (text, "")
                emitted.append(out)
                self._sent = n     # before sending: a cancel reader must not see fewer
                self.send({"id": rid, "type": "token", "text": out, "i": n})
                if stop_hit:
                    reason = STOP_STRING
                    break
                if n >= max_tokens:
                    break
        except RuntimeError:
            if not self._cancel.is_set():
                raise RequestError("ModelError", "llama.cpp failed while generating.") from None
            reason = STOP_CANCELLED
        finally:
            gen.close()
        tail = pending + decoder.decode(b"", final=True)
        if tail and reason != STOP_STRING:
            emitted.append(tail)
            self.send({"id": rid, "type": "token", "text": tail, "i": n})
        end = time.perf_counter()
        timings.update(ttft_s=(first or end) - start,
                       generation_s=(last - first) if first and last else 0.0,
                       total_s=end - start, generated_tokens=n)
        self.send({"id": rid, "type": "done", "result": {
            "text": "".join(emitted), "tokens": n, "stop_reason": reason, "timings": timings}})


def main() -> int:
    cpu_variant.configure()   # choose the llama.cpp build for this CPU before llama_cpp loads
    proto_out = _redirect_output()
    proto_in = os.fdopen(os.dup(0), "rb")
    Host(proto_in, proto_out).run()
    proto_out.flush()
    return 0


if __name__ == "__main__":
    # os._exit: skip interpreter teardown, which can trip over llama.cpp's threads.
    os._exit(main())
