"""What this laptop has: free RAM, free disk, CPU features. Injectable for tests."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from lantern.domain.errors import ModelError

MIB = 1024 * 1024
# Working memory llama.cpp needs beyond the weights for a small context (compute
# buffers, KV cache of a few thousand tokens, the host's Python).
RUNTIME_OVERHEAD = 300 * MIB


def _available_ram() -> int:
    return int(psutil.virtual_memory().available)


def _total_ram() -> int:
    return int(psutil.virtual_memory().total)


def _free_disk(path: Path) -> int:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return int(shutil.disk_usage(probe).free)


@dataclass(frozen=True, slots=True)
class SystemResources:
    """Probes used before importing or loading a model. Tests pass fakes."""

    available_ram: Callable[[], int] = field(default=_available_ram)
    free_disk: Callable[[Path], int] = field(default=_free_disk)
    total_ram: Callable[[], int] = field(default=_total_ram)


def estimate_ram_bytes(*, file_size: int, ram_mb: int | None = None) -> int:
    """RAM a model needs: the manifest's figure, else the file size plus overhead."""
    if ram_mb:
        return ram_mb * MIB
    return int(file_size * 1.1) + RUNTIME_OVERHEAD


def cpu_features() -> dict[str, bool | None]:
    """AVX / AVX2 / AVX-512 / FMA / F16C support, ``None`` where it cannot be told."""
    names = ("avx", "avx2", "avx512f", "fma", "f16c")
    flags: set[str] | None = None
    try:
        if os.path.exists("/proc/cpuinfo"):
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("flags"):
                        flags = set(line.split(":", 1)[1].split())
                        break
        elif platform.system() == "Darwin":
            out = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.features", "machdep.cpu.leaf7_features"],
                capture_output=True, text=True, timeout=5, check=False,
            ).stdout
            flags = {w.lower().replace(".", "_") for w in out.split()}
            if "avx1_0" in flags:
                flags.add("avx")
            if "avx512f" not in flags and "avx512" in out.lower():
                flags.add("avx512f")
    except (OSError, subprocess.SubprocessError):
        flags = None
    if flags is None:
        return {n: None for n in names}
    return {n: n in flags for n in names}


def cpu_summary() -> dict[str, object]:
    return {
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "logical_cpus": os.cpu_count(),
        "physical_cpus": psutil.cpu_count(logical=False),
        "features": cpu_features(),
    }


THREADS_ENV = "LANTERN_LLM_THREADS"
MAX_THREADS = 64


def pinned_threads() -> int | None:
    """The thread count ``LANTERN_LLM_THREADS`` pins the model host to, if set.

    It overrides the setting and every caller's choice (tests, benchmarks, a
    laptop where the default misbehaves). A value that is not a whole number
    from 1 to 64 is an error, not silently ignored.
    """
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_THREADS:
        raise ModelError(f"{THREADS_ENV} must be a whole number from 1 to {MAX_THREADS}.")
    return int(raw)


def default_threads() -> int:
    """``LANTERN_LLM_THREADS`` if set, else the physical cores, at most 8 (more
    threads than cores slows llama.cpp down)."""
    pinned = pinned_threads()
    if pinned is not None:
        return pinned
    physical = psutil.cpu_count(logical=False) or os.cpu_count() or 1
    return max(1, min(8, physical))
