"""Baseline speed with the bare llama.cpp C API through llama-cpp-python's ctypes layer.

``python -m lantern.llm.rawbench MODEL --threads N --n-ctx C --tokens T --prompt-file F``
prints one JSON line: load time, prompt-processing and greedy generation speed of a
plain ``llama_decode`` loop (no ``Llama`` object, no host process, no streaming).
The laptop check compares Lantern's own path against this figure. Runs in its own
process so the caller never loads llama.cpp.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import time


def measure(model_path: str, *, prompt: str, n_threads: int, n_ctx: int, n_tokens: int) -> dict:
    import llama_cpp as L

    @L.llama_log_callback
    def _quiet(level: int, text: bytes, user: ctypes.c_void_p) -> None:  # noqa: ARG001 - llama.cpp log output stays out of stdout
        return None

    L.llama_log_set(_quiet, ctypes.c_void_p(0))
    L.llama_backend_init()
    start = time.perf_counter()
    mparams = L.llama_model_default_params()
    model = L.llama_model_load_from_file(model_path.encode(), mparams)
    if not model:
        raise SystemExit("could not load model")
    cparams = L.llama_context_default_params()
    cparams.n_ctx = n_ctx
    cparams.n_batch = 512
    cparams.n_threads = n_threads
    cparams.n_threads_batch = n_threads
    ctx = L.llama_init_from_model(model, cparams)
    load_s = time.perf_counter() - start
    vocab = L.llama_model_get_vocab(model)

    raw = prompt.encode()
    buf = (L.llama_token * (len(raw) + 8))()
    n_prompt = L.llama_tokenize(vocab, raw, len(raw), buf, len(buf), True, False)
    tokens = list(buf[:n_prompt])

    chain = L.llama_sampler_chain_init(L.llama_sampler_chain_default_params())
    L.llama_sampler_chain_add(chain, L.llama_sampler_init_greedy())

    start = time.perf_counter()
    for i in range(0, n_prompt, 512):
        part = (L.llama_token * len(tokens[i:i + 512]))(*tokens[i:i + 512])
        if L.llama_decode(ctx, L.llama_batch_get_one(part, len(part))) != 0:
            raise SystemExit("decode failed")
    token = L.llama_sampler_sample(chain, ctx, -1)
    first = time.perf_counter()
    one = (L.llama_token * 1)()
    for _ in range(n_tokens - 1):
        one[0] = token
        if L.llama_decode(ctx, L.llama_batch_get_one(one, 1)) != 0:
            raise SystemExit("decode failed")
        token = L.llama_sampler_sample(chain, ctx, -1)
    end = time.perf_counter()
    L.llama_sampler_free(chain)
    L.llama_free(ctx)
    L.llama_model_free(model)
    return {
        "raw_load_s": load_s,
        "raw_prompt_tokens": n_prompt,
        "raw_ttft_s": first - start,
        "raw_prompt_tokens_per_s": n_prompt / (first - start),
        "raw_generated_tokens": n_tokens,
        "raw_tokens_per_s": (n_tokens - 1) / (end - first),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lantern.llm.rawbench")
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--n-ctx", type=int, default=2048)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--prompt-file", required=True)
    args = parser.parse_args(argv)
    with open(args.prompt_file, encoding="utf-8") as fh:
        prompt = fh.read()
    result = measure(args.model, prompt=prompt, n_threads=args.threads, n_ctx=args.n_ctx,
                     n_tokens=args.tokens)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    os._exit(main())
