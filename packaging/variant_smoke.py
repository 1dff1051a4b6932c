"""Load the default model through the llama.cpp build chosen by lantern.llm.cpu_variant
and generate a few tokens. Prints which libggml-cpu this process actually mapped.

    LANTERN_LLAMA_VARIANTS=build/package/llama-variants LANTERN_CPU_VARIANT=baseline \
        .venv/bin/python packaging/variant_smoke.py MODEL.gguf [N_TOKENS]

Used by packaging/check_no_avx2.sh (natively and under qemu with an old CPU model).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from lantern.llm import cpu_variant  # noqa: E402


def mapped_ggml_cpu() -> list[str]:
    with open("/proc/self/maps", encoding="ascii", errors="replace") as fh:
        return sorted({line.split()[-1] for line in fh if "libggml-cpu" in line})


def main() -> int:
    model, n_tokens = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8
    chosen = cpu_variant.configure()
    print(f"selected: {chosen.variant if chosen else None} ({chosen.reason if chosen else 'no variants'})")
    import llama_cpp

    print("mapped:", *mapped_ggml_cpu())
    print("system_info:", llama_cpp.llama_print_system_info().decode().strip())
    t0 = time.perf_counter()
    llm = llama_cpp.Llama(model_path=model, n_ctx=256, n_threads=2, verbose=False)
    t1 = time.perf_counter()
    out = llm("The patient has a fever and", max_tokens=n_tokens, temperature=0.0)
    t2 = time.perf_counter()
    text = out["choices"][0]["text"]
    n = out["usage"]["completion_tokens"]
    print(f"load_s: {t1 - t0:.2f}  generate_s: {t2 - t1:.2f}  tokens: {n}")
    print(f"text: {text!r}")
    return 0 if n > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
