"""Choose which build of llama.cpp to load, by what this CPU can run.

A packaged Lantern ships llama.cpp twice (see ``packaging/build_llama_variants.sh``):

* ``baseline`` — plain x86-64 (SSE2): runs on every 64-bit x86 CPU;
* ``avx`` — SSE4.2 + AVX, nothing newer (Intel Sandy/Ivy Bridge 2011-2013,
  AMD Bulldozer): the common "old laptop without AVX2", several times faster
  than ``baseline`` on K-quant models;
* ``avx2`` — AVX, AVX2, FMA, F16C and BMI2 (Intel Haswell 2013+, AMD Zen).

Loading the AVX2 build on an older CPU kills the process with an illegal
instruction, so the choice is made *before* ``llama_cpp`` is imported:
:func:`configure` points ``LLAMA_CPP_LIB_PATH`` (read by llama-cpp-python at
import time) at the chosen directory. Child processes inherit it.

Order of decisions:

1. ``LLAMA_CPP_LIB_PATH`` already set by the user: left alone.
2. No variant directories (a development checkout): nothing to do, llama_cpp
   uses the libraries it was installed with.
3. ``LANTERN_CPU_VARIANT=baseline|avx|avx2`` forces a variant.
4. Otherwise the best variant whose CPU features are all present: Linux reads
   ``/proc/cpuinfo``; Windows asks ``IsProcessorFeaturePresent``; macOS reads
   ``sysctl machdep.cpu``. When the features cannot be read: ``baseline``.

Variant directories: ``LANTERN_LLAMA_VARIANTS`` (a folder with one sub-folder
per variant), else ``<frozen app>/llama_cpp_variants``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ENV_FORCE = "LANTERN_CPU_VARIANT"
ENV_ROOT = "LANTERN_LLAMA_VARIANTS"
ENV_SELECTED = "LANTERN_CPU_VARIANT_SELECTED"   # set for diagnostics and the self-test
LIB_ENV = "LLAMA_CPP_LIB_PATH"
MTMD_ENV = "MTMD_CPP_LIB"
FROZEN_SUBDIR = "llama_cpp_variants"
BASELINE = "baseline"

# Best first. Each variant needs every listed CPU feature (Linux /proc/cpuinfo names).
VARIANTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("avx2", frozenset({"avx", "avx2", "fma", "f16c", "bmi2"})),
    ("avx", frozenset({"avx", "sse4_2"})),
    (BASELINE, frozenset()),
)
VARIANT_NAMES = tuple(name for name, _ in VARIANTS)


@dataclass(frozen=True, slots=True)
class Selection:
    variant: str            # "baseline", "avx2", or "external" (LLAMA_CPP_LIB_PATH set by the user)
    lib_dir: Path | None
    reason: str


# --- reading CPU features --------------------------------------------------------
def parse_cpuinfo_flags(text: str) -> frozenset[str]:
    """Features present on *every* processor listed in /proc/cpuinfo text.

    (Intersection: on a hybrid machine the process may run on any core.)
    """
    found: frozenset[str] | None = None
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("flags", "Features"):
            flags = frozenset(value.split())
            found = flags if found is None else found & flags
    return found or frozenset()


def _linux_flags() -> frozenset[str] | None:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    flags = parse_cpuinfo_flags(text)
    return flags or None


# IsProcessorFeaturePresent ids (winnt.h)
_WIN_FEATURES = {"sse4_2": 38, "avx": 39, "avx2": 40}


def _windows_flags() -> frozenset[str] | None:
    try:
        import ctypes

        present = ctypes.windll.kernel32.IsProcessorFeaturePresent  # type: ignore[attr-defined]
        flags = {name for name, pf in _WIN_FEATURES.items() if present(pf)}
    except (AttributeError, OSError):
        return None
    if "avx2" in flags:
        # Windows has no separate query for these; every AVX2 CPU shipped has them.
        flags |= {"fma", "f16c", "bmi2"}
    return frozenset(flags)


def parse_macos_sysctl(text: str) -> frozenset[str]:
    """Feature names from ``sysctl machdep.cpu.features machdep.cpu.leaf7_features``."""
    names = {word.lower().replace(".", "_") for word in text.replace(":", " ").split()}
    flags = set()
    for ours, theirs in (("sse4_2", "sse4_2"), ("avx", "avx1_0"), ("avx2", "avx2"),
                         ("fma", "fma"), ("f16c", "f16c"), ("bmi2", "bmi2")):
        if theirs in names or ours in names:
            flags.add(ours)
    return frozenset(flags)


def _macos_flags() -> frozenset[str] | None:
    try:
        out = subprocess.run(
            ["/usr/sbin/sysctl", "machdep.cpu.features", "machdep.cpu.leaf7_features"],
            capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_macos_sysctl(out) if out.strip() else None


def cpu_flags() -> frozenset[str] | None:
    """This machine's CPU features, or ``None`` when they cannot be read."""
    if sys.platform.startswith("linux"):
        return _linux_flags()
    if sys.platform == "win32":
        return _windows_flags()
    if sys.platform == "darwin":
        return _macos_flags()
    return None


# --- choosing -------------------------------------------------------------------
def choose_variant(flags: frozenset[str] | None, *, forced: str | None = None,
                   available: Iterable[str] = VARIANT_NAMES) -> tuple[str, str]:
    """Return ``(variant, reason)``. Pure: no I/O, for tests."""
    available = [v for v in VARIANT_NAMES if v in set(available)]
    if not available:
        raise ValueError("no llama.cpp variant is available")
    forced = (forced or "").strip().lower()
    if forced:
        if forced in available:
            return forced, f"forced by {ENV_FORCE}={forced}"
        log.warning("%s=%s is not one of %s; choosing by CPU", ENV_FORCE, forced, available)
    if flags is None:
        fallback = BASELINE if BASELINE in available else available[-1]
        return fallback, "CPU features unknown; using the most compatible build"
    for name, needs in VARIANTS:
        if name in available and needs <= flags:
            missing_better = [n for n, req in VARIANTS[: VARIANT_NAMES.index(name)]
                              if not req <= flags]
            why = (f"CPU lacks {', '.join(sorted(_missing(missing_better, flags)))}"
                   if missing_better else "CPU supports it")
            return name, why
    return available[-1], "no variant matches the CPU features; using the most compatible build"


def _missing(names: list[str], flags: frozenset[str]) -> set[str]:
    needs = dict(VARIANTS)
    return set().union(*(needs[n] - flags for n in names)) if names else set()


def variants_root(environ: MutableMapping[str, str] | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    if env.get(ENV_ROOT):
        return Path(env[ENV_ROOT])
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / FROZEN_SUBDIR
    return None


def _has_llama(folder: Path) -> bool:
    return any((folder / name).is_file()
               for name in ("libllama.so", "libllama.dylib", "llama.dll", "libllama.dll"))


def available_variants(root: Path) -> list[str]:
    return [name for name in VARIANT_NAMES if _has_llama(root / name)]


def configure(environ: MutableMapping[str, str] | None = None, *,
              flags_reader: Callable[[], frozenset[str] | None] = cpu_flags) -> Selection | None:
    """Point llama_cpp at the right library build. Call once, before ``import llama_cpp``.

    Returns what was chosen, or ``None`` when there is nothing to choose from
    (development checkout). Never raises for a missing or odd setup: the
    import of llama_cpp reports that more clearly.
    """
    env = os.environ if environ is None else environ
    if "llama_cpp.llama_cpp" in sys.modules and environ is None:
        log.warning("llama_cpp was imported before the CPU variant was chosen")
    if env.get(LIB_ENV) and env.get(ENV_SELECTED) is None:
        env[ENV_SELECTED] = "external"
        return Selection("external", Path(env[LIB_ENV]), f"{LIB_ENV} set by the user")
    if env.get(ENV_SELECTED) and env.get(LIB_ENV):
        # A parent process already chose (children inherit the environment).
        name = env[ENV_SELECTED]
        return Selection(name, Path(env[LIB_ENV]), "inherited from the parent process")
    root = variants_root(env)
    if root is None or not root.is_dir():
        return None
    present = available_variants(root)
    if not present:
        log.warning("no llama.cpp build found under %s", root)
        return None
    variant, reason = choose_variant(flags_reader(), forced=env.get(ENV_FORCE), available=present)
    lib_dir = root / variant
    env[LIB_ENV] = str(lib_dir)
    env.setdefault(MTMD_ENV, str(lib_dir))
    env[ENV_SELECTED] = variant
    log.info("llama.cpp build: %s (%s)", variant, reason)
    return Selection(variant, lib_dir, reason)


def describe() -> str:
    """One line for diagnostics: the chosen build, or what would be chosen."""
    selected = os.environ.get(ENV_SELECTED)
    if selected:
        return f"llama.cpp build: {selected} ({os.environ.get(LIB_ENV, '')})"
    flags = cpu_flags()
    variant, reason = choose_variant(flags, forced=os.environ.get(ENV_FORCE))
    return f"llama.cpp build: would choose {variant} ({reason})"


if __name__ == "__main__":  # pragma: no cover - manual check: python -m lantern.llm.cpu_variant
    chosen = configure()
    print(describe() if chosen is None else
          f"{chosen.variant}\t{chosen.lib_dir}\t{chosen.reason}")
